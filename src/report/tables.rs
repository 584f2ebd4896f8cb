//! The efficacy tables a trial team submits (`cohortscope.tables/1`): per
//! arm, the reference arm first, and each other arm against the reference.
//!
//! - the response table (as the TLG catalog's RSPT01): responders and each
//!   best-response category with intervals; the difference in response
//!   rates, chi-square and Fisher p-values and the odds ratio against the
//!   reference; stratified, the Cochran–Mantel–Haenszel test and the
//!   Mantel–Haenszel odds ratio and risk difference ([`response`]);
//! - a time-to-event table per endpoint (TTET01): events, quartiles with
//!   intervals, range, event-free rates at time points and the restricted
//!   mean; against the reference the log-rank test, the Cox hazard ratio
//!   (both also stratified), the differences in event-free rates and in
//!   restricted means ([`time_to_event`]);
//! - the duration-of-response table (DORT01): the same on responders.
//!
//! Every comparison is fitted on the two arms' patients only. Rates are
//! fractions, times months, intervals `[lower, upper]`; undefined is `None`.

pub mod export;
pub mod response;
pub mod text;
pub mod time_to_event;

use serde::Serialize;

use super::view::{levels_of, ViewReport};
use crate::data::Cohort;
use crate::share::TablesChoice;
use crate::stats::conventions::{Conventions, DifferenceCi};
pub use response::ResponseTable;
pub use time_to_event::TimeToEventTable;

/// The format tag of the serialised tables.
pub const TABLES_FORMAT: &str = "cohortscope.tables/1";

/// The view's `tab` while the page shows its tables: only then does a view
/// compute them (a change of grouping stays quick).
pub const TABLES_TAB: &str = "tables";

/// The time points of the event-free rates when none are chosen (months).
pub const DEFAULT_TIMEPOINTS: [f64; 2] = [6.0, 12.0];

/// What the tables compare, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec<'a> {
    /// The categorical column of the arms.
    pub arm: &'a str,
    /// The reference arm; `None`: the first in report order.
    pub reference: Option<&'a str>,
    /// Stratification columns (categorical); their combinations are the strata.
    pub strata: &'a [String],
    /// Times (months) of the event-free rates.
    pub timepoints: &'a [f64],
    /// The interval of a difference in response rates.
    pub diff_ci: DifferenceCi,
    /// Level, response-rate interval (`binomial_ci`), denominator,
    /// Kaplan–Meier transform, median rule and Cox ties.
    pub conventions: Conventions,
}

/// The methods in force, named as the JSON carries them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Methods {
    pub level: f64,
    /// Interval of each arm's rates (`--prop-ci`).
    pub prop_ci: &'static str,
    /// Interval of the difference arm − reference (`--diff-ci`).
    pub diff_ci: &'static str,
    /// Who is in a rate's denominator.
    pub denominator: &'static str,
    pub chisq: &'static str,
    pub fisher: &'static str,
    pub odds_ratio_ci: &'static str,
    pub stratified_test: &'static str,
    pub stratified_odds_ratio: &'static str,
    pub stratified_diff: &'static str,
    pub km_ci: &'static str,
    pub quantile_ci: &'static str,
    pub median_rule: &'static str,
    pub logrank: &'static str,
    pub cox: &'static str,
    pub ties: &'static str,
    pub timepoint_diff: &'static str,
    pub rmst: &'static str,
}

impl Methods {
    fn of(spec: &TableSpec<'_>) -> Methods {
        let c = &spec.conventions;
        Methods {
            level: c.conf_level,
            prop_ci: c.binomial_ci.as_str(),
            diff_ci: spec.diff_ci.as_str(),
            denominator: c.denominator.as_str(),
            chisq: "pearson chi-square, no continuity correction",
            fisher: "fisher exact, two-sided",
            odds_ratio_ci: "wald (logit)",
            stratified_test: "cochran-mantel-haenszel, no continuity correction",
            stratified_odds_ratio: "mantel-haenszel, robins-breslow-greenland variance",
            stratified_diff: "mantel-haenszel, sato variance",
            km_ci: c.ci_transform.as_str(),
            quantile_ci: "brookmeyer-crowley",
            median_rule: c.median_rule.as_str(),
            logrank: "log-rank (chi-square, 1 df)",
            cox: "cox proportional hazards, wald interval",
            ties: c.ties.as_str(),
            timepoint_diff: "greenwood standard errors, z-test",
            rmst: "survRM2: area under kaplan-meier to tau, normal interval",
        }
    }
}

/// The three tables of a cohort (`cohortscope.tables/1`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tables {
    pub format: &'static str,
    /// The arm column.
    pub arm: String,
    pub reference: String,
    /// The arms in table order: the reference first, then report order.
    pub arms: Vec<String>,
    /// The stratification columns.
    pub strata: Vec<String>,
    pub methods: Methods,
    /// `None` without a best-response column.
    pub response: Option<ResponseTable>,
    /// One table per endpoint but duration of response, in cohort order.
    pub time_to_event: Vec<TimeToEventTable>,
    /// The duration of response of the responders (CR or PR); `None`
    /// without a duration-of-response endpoint or a best response.
    pub duration_of_response: Option<TimeToEventTable>,
    /// Patients left out, and why (no arm, no stratum).
    pub notes: Vec<String>,
}

/// Each patient's arm (position in table order) and stratum.
pub(crate) struct Design {
    pub arms: Vec<String>,
    /// `None`: no arm value; left out of every table.
    pub arm_of: Vec<Option<usize>>,
    /// `None` without strata columns; per patient `None` when a stratum
    /// value is missing (left out of the stratified analyses only).
    pub stratum_of: Option<Vec<Option<usize>>>,
}

impl Design {
    /// The patients of arm `a`.
    pub fn members(&self, a: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.arm_of.len()).filter(move |&i| self.arm_of[i] == Some(a))
    }
}

/// Builds the tables. Errors name the column or level that is wrong.
pub fn tables(cohort: &Cohort, spec: &TableSpec<'_>) -> Result<Tables, String> {
    let Some((levels, codes)) = levels_of(cohort, spec.arm) else {
        return Err(match cohort.covariate(spec.arm) {
            Some(_) => format!(
                "the arm column {:?} is numeric: the arms must be categories",
                spec.arm
            ),
            None => format!(
                "no column {:?} for the arms; the categorical columns are {}",
                spec.arm,
                categorical_names(cohort)
            ),
        });
    };
    let reference = match spec.reference {
        None => 0,
        Some(r) => levels.iter().position(|l| l == r).ok_or_else(|| {
            format!(
                "no arm {r:?} in {}; its arms are {}",
                spec.arm,
                quoted(&levels)
            )
        })?,
    };
    // Table order: the reference, then the others in report order.
    let mut order: Vec<usize> = vec![reference];
    order.extend((0..levels.len()).filter(|&l| l != reference));
    let mut position = vec![0; levels.len()];
    for (p, &l) in order.iter().enumerate() {
        position[l] = p;
    }
    let arms: Vec<String> = order.iter().map(|&l| levels[l].clone()).collect();
    let arm_of: Vec<Option<usize>> = codes
        .iter()
        .map(|c| c.map(|c| position[c as usize]))
        .collect();
    let mut notes = Vec::new();
    let missing_arm = arm_of.iter().filter(|a| a.is_none()).count();
    if missing_arm > 0 {
        notes.push(format!(
            "{missing_arm} patients without a value of {} are left out",
            spec.arm
        ));
    }
    let stratum_of = strata(cohort, spec.strata)?;
    if let Some(s) = &stratum_of {
        let missing = s
            .iter()
            .zip(&arm_of)
            .filter(|(s, a)| s.is_none() && a.is_some())
            .count();
        if missing > 0 {
            notes.push(format!(
                "{missing} patients without a value of {} are left out of the stratified analyses",
                spec.strata.join(" or ")
            ));
        }
    }
    let design = Design {
        arms,
        arm_of,
        stratum_of,
    };
    let response = cohort
        .best_response
        .as_ref()
        .map(|r| response::table(r, &design, spec))
        .transpose()?;
    let time_to_event = cohort
        .endpoints
        .iter()
        .filter(|e| e.key != "dor")
        .map(|e| time_to_event::table(e, None, &design, spec))
        .collect::<Result<Vec<_>, _>>()?;
    let duration_of_response = match (cohort.endpoint("dor"), &cohort.best_response) {
        (Some(e), Some(r)) => {
            let responders: Vec<bool> = r
                .iter()
                .map(|r| r.is_some_and(|r| r.is_objective_response()))
                .collect();
            Some(time_to_event::table(e, Some(&responders), &design, spec)?)
        }
        _ => None,
    };
    Ok(Tables {
        format: TABLES_FORMAT,
        arm: spec.arm.to_string(),
        reference: design.arms[0].clone(),
        arms: design.arms,
        strata: spec.strata.to_vec(),
        methods: Methods::of(spec),
        response,
        time_to_event,
        duration_of_response,
        notes,
    })
}

/// Time points as a person types them: numbers separated by commas or
/// spaces ("6, 12"), each a positive number of months, at most
/// [`MAX_TIMEPOINTS`](crate::share::MAX_TIMEPOINTS); empty text is the default.
pub fn parse_timepoints(text: &str) -> Result<Vec<f64>, String> {
    let times = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<f64>()
                .map_err(|_| format!("{t:?} is not a number of months"))
        })
        .collect::<Result<Vec<f64>, String>>()?;
    crate::share::check_timepoints(&times)?;
    Ok(times)
}

/// The tables of a grouped view, the arms its group column, as the page
/// shows them and `cohortscope tables` with the same view's flags prints
/// them; `None` when the view is not grouped.
pub fn of_view(report: &ViewReport, choice: &TablesChoice) -> Option<Result<Tables, String>> {
    let arm = report.group.as_deref()?;
    let timepoints = if choice.timepoints.is_empty() {
        &DEFAULT_TIMEPOINTS[..]
    } else {
        &choice.timepoints[..]
    };
    Some(tables(
        &report.cohort,
        &TableSpec {
            arm,
            reference: choice.reference.as_deref(),
            strata: &choice.strata,
            timepoints,
            diff_ci: choice.diff_ci.unwrap_or_default(),
            conventions: report.conventions,
        },
    ))
}

/// Each patient's stratum: the combination of the columns' values (`None`
/// where one is missing); `None` without columns.
fn strata(cohort: &Cohort, columns: &[String]) -> Result<Option<Vec<Option<usize>>>, String> {
    if columns.is_empty() {
        return Ok(None);
    }
    let mut combined: Vec<Option<usize>> = vec![Some(0); cohort.len()];
    for column in columns {
        let Some((levels, codes)) = levels_of(cohort, column) else {
            return Err(format!(
                "no categorical column {column:?} to stratify by; the categorical columns are {}",
                categorical_names(cohort)
            ));
        };
        for (c, code) in combined.iter_mut().zip(&codes) {
            *c = c
                .zip(*code)
                .map(|(c, code)| c * levels.len() + code as usize);
        }
    }
    Ok(Some(combined))
}

fn categorical_names(cohort: &Cohort) -> String {
    let names: Vec<String> = cohort.grouping_columns().map(|c| c.name.clone()).collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        quoted(&names)
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `[lower, upper]` of an interval; a limit is `None` where undefined
/// (an upper limit of a median not reached).
pub type Interval = [Option<f64>; 2];

/// The interval of the finite limits.
fn interval(lower: Option<f64>, upper: Option<f64>) -> Interval {
    [
        lower.filter(|l| l.is_finite()),
        upper.filter(|u| u.is_finite()),
    ]
}

#[cfg(test)]
mod tests {
    use super::parse_timepoints;

    #[test]
    fn time_points_read_as_typed() {
        assert_eq!(parse_timepoints("6, 12").unwrap(), [6.0, 12.0]);
        assert_eq!(parse_timepoints(" 3 9.5,24 ").unwrap(), [3.0, 9.5, 24.0]);
        assert_eq!(parse_timepoints("").unwrap(), Vec::<f64>::new());
        assert!(parse_timepoints("6, x").unwrap_err().contains("\"x\""));
        assert!(parse_timepoints("0").is_err());
        assert!(parse_timepoints("-1").is_err());
        assert!(parse_timepoints("inf").is_err());
        assert!(parse_timepoints(&"1,".repeat(11)).is_err());
    }
}
