//! The numbers the page shows, computed from the (filtered) cohort under the
//! chosen conventions: the report table's columns (one
//! [`report::analysis::analyze`](crate::report::analysis::analyze) per
//! group, the numbers of the CLI and the JSON export), the Kaplan–Meier fits
//! of the chosen endpoint with the log-rank test and the Cox hazard ratios
//! (the plot, its hover and legend), and the subgroup hazard ratios (the
//! forest plot). Everything is a plain value; the page only shows it.

use std::rc::Rc;

use serde::Serialize;

use crate::data::adam::AdamSummary;
use crate::data::studies::StudyInfo;
use crate::data::{Cohort, CovariateValues, Endpoint};
use crate::report::analysis::{analyze, Analysis};
use crate::report::groups::report_order;
use crate::stats::conventions::Conventions;
use crate::stats::cox::{cox_fit, CoxFit, CoxOptions, Design};
use crate::stats::km::{kaplan_meier, KaplanMeier, Quantile};
use crate::stats::logrank::{logrank, LogRankTest, Weight};
use crate::stats::response::BestResponse;

/// The label of the column of every patient.
pub const ALL_PATIENTS: &str = "All patients";

/// RECIST 1.1 partial-response threshold of the best % change: a decrease
/// of at least 30% in the sum of diameters.
pub const RESPONSE_THRESHOLD_PCT: f64 = -30.0;

/// The patients of one column of the report: everyone, or one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Subset {
    pub label: String,
    /// Indices into the cohort.
    pub indices: Vec<usize>,
}

/// The levels of a categorical column in report order (numerically when
/// every label is a number, else as text: [`report_order`], the command
/// line's order, so that the first group is the reference there and here)
/// and each patient's index into them.
pub fn levels_of(cohort: &Cohort, column: &str) -> Option<(Vec<String>, Vec<Option<u32>>)> {
    let CovariateValues::Categorical { levels, codes } = &cohort.covariate(column)?.values else {
        return None;
    };
    let (levels, rank) = report_order(levels);
    Some((
        levels,
        codes
            .iter()
            .map(|code| code.map(|c| rank[c as usize] as u32))
            .collect(),
    ))
}

/// The groups of `group` in report order ([`levels_of`]), patients with a
/// blank group value left out; or one subset of everyone.
pub fn subsets(cohort: &Cohort, group: Option<&str>) -> Vec<Subset> {
    let everyone = || Subset {
        label: ALL_PATIENTS.to_string(),
        indices: (0..cohort.len()).collect(),
    };
    let Some((levels, codes)) = group.and_then(|g| levels_of(cohort, g)) else {
        return vec![everyone()];
    };
    levels
        .iter()
        .enumerate()
        .map(|(level, label)| Subset {
            label: label.clone(),
            indices: (0..cohort.len())
                .filter(|&i| codes[i] == Some(level as u32))
                .collect(),
        })
        .filter(|s| !s.indices.is_empty())
        .collect()
}

/// One column of the report table: the `cohortscope.analysis/1` analysis of
/// a group's patients, or of everyone (the value the JSON export writes).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: String,
    pub analysis: Rc<Analysis>,
}

/// The report table's columns: everyone (with `study`'s published figures,
/// so that the column is the exported analysis), then each of `groups` when
/// grouped. Every number comes from [`analyze`], as the CLI's.
pub fn columns(
    cohort: &Cohort,
    groups: Option<&[Subset]>,
    conventions: &Conventions,
    study: Option<&StudyInfo>,
) -> Vec<Column> {
    let everyone = Column {
        label: ALL_PATIENTS.to_string(),
        analysis: Rc::new(analyze(cohort, conventions, study)),
    };
    std::iter::once(everyone)
        .chain(groups.unwrap_or_default().iter().map(|g| Column {
            label: g.label.clone(),
            analysis: Rc::new(analyze(&cohort.select(&g.indices), conventions, None)),
        }))
        .collect()
}

/// Which column groups a view's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping<'a> {
    /// The cohort's own default (an ADaM import's arm variable), if any.
    Default,
    /// One column of everyone.
    None,
    /// This column.
    Column(&'a str),
}

/// The column that groups the report, or why a chosen one cannot: the
/// chosen column must be a categorical column of the cohort; the default is
/// the cohort's [`default_group`](Cohort::default_group).
pub fn group_column(cohort: &Cohort, grouping: Grouping<'_>) -> Result<Option<String>, String> {
    match grouping {
        Grouping::None => Ok(None),
        Grouping::Default => Ok(cohort
            .default_group
            .clone()
            .filter(|g| cohort.covariate(g).is_some_and(|c| c.is_categorical()))),
        Grouping::Column(name) => match cohort.covariate(name) {
            Some(c) if c.is_categorical() => Ok(Some(name.to_string())),
            Some(_) => Err(format!(
                "{name} holds numbers, not groups; group by one of {}",
                grouping_list(cohort)
            )),
            None => Err(format!(
                "there is no column {name:?} to group by; the grouping columns are {}",
                grouping_list(cohort)
            )),
        },
    }
}

fn grouping_list(cohort: &Cohort) -> String {
    let names: Vec<&str> = cohort.grouping_columns().map(|c| c.name.as_str()).collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// The `cohortscope.analysis/1` value of a view, as the command line prints
/// it and the page exports it: the analysis of every patient after the
/// filters, and when grouped, the column (`group`) and each group's
/// analysis (`groups`, the same fields under a `label`, in report order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ViewExport<'a> {
    #[serde(flatten)]
    pub all: &'a Analysis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupExport<'a>>,
    /// The filters applied, as they read ("sex is F").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<String>,
    /// What an ADaM import found and chose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adam: Option<&'a AdamSummary>,
}

/// One group's analysis in a [`ViewExport`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupExport<'a> {
    pub label: &'a str,
    #[serde(flatten)]
    pub analysis: &'a Analysis,
}

impl<'a> ViewExport<'a> {
    /// The export of the report table's `columns` (everyone first).
    pub fn new(
        columns: &'a [Column],
        group: Option<&'a str>,
        filters: Vec<String>,
        adam: Option<&'a AdamSummary>,
    ) -> ViewExport<'a> {
        ViewExport {
            all: &columns[0].analysis,
            group,
            groups: columns[1..]
                .iter()
                .map(|c| GroupExport {
                    label: &c.label,
                    analysis: &c.analysis,
                })
                .collect(),
            filters,
            adam,
        }
    }
}

fn fit(endpoint: &Endpoint, indices: &[usize], conventions: &Conventions) -> Option<KaplanMeier> {
    let (times, events) = times_events(endpoint, indices);
    if times.is_empty() {
        return None;
    }
    kaplan_meier(
        &times,
        &events,
        conventions.ci_transform,
        conventions.conf_level,
    )
    .ok()
}

fn times_events(endpoint: &Endpoint, indices: &[usize]) -> (Vec<f64>, Vec<bool>) {
    indices
        .iter()
        .filter_map(|&i| endpoint.values[i])
        .map(|te| (te.months, te.event))
        .unzip()
}

/// One Kaplan–Meier curve of the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub label: String,
    pub fit: KaplanMeier,
    pub median: Quantile,
}

/// The Kaplan–Meier analysis of one endpoint across the groups.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalAnalysis {
    pub key: String,
    pub label: String,
    pub curves: Vec<Curve>,
    /// Log-rank test across the groups (two or more curves).
    pub logrank: Option<LogRankTest>,
    /// Cox model on the group factor, first group as reference.
    pub cox: Option<Result<CoxFit, String>>,
}

/// The Kaplan–Meier curves of `endpoint` per subset, with the log-rank test
/// and the Cox hazard ratios of each group against the first.
pub fn survival(
    endpoint: &Endpoint,
    groups: &[Subset],
    conventions: &Conventions,
) -> SurvivalAnalysis {
    let curves: Vec<Curve> = groups
        .iter()
        .filter_map(|g| {
            let fit = fit(endpoint, &g.indices, conventions)?;
            Some(Curve {
                label: g.label.clone(),
                median: fit.median(conventions.median_rule),
                fit,
            })
        })
        .collect();
    let (mut times, mut events, mut codes, mut labels) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (code, g) in groups.iter().enumerate() {
        for &i in &g.indices {
            if let Some(te) = endpoint.values[i] {
                times.push(te.months);
                events.push(te.event);
                codes.push(code);
                labels.push(g.label.as_str());
            }
        }
    }
    let (logrank, cox) = if groups.len() >= 2 && !times.is_empty() {
        let test = logrank(&times, &events, &codes, None, Weight::LogRank).ok();
        let present: Vec<&str> = groups
            .iter()
            .map(|g| g.label.as_str())
            .filter(|l| labels.contains(l))
            .collect();
        let cox = Design::new()
            .factor("", &labels, Some(present.as_slice()))
            .map_err(|e| e.to_string())
            .and_then(|design| {
                let options = CoxOptions {
                    ties: conventions.ties,
                    conf_level: conventions.conf_level,
                    ..CoxOptions::default()
                };
                cox_fit(&times, &events, &design, None, &options).map_err(|e| e.to_string())
            });
        (test, Some(cox))
    } else {
        (None, None)
    };
    SurvivalAnalysis {
        key: endpoint.key.clone(),
        label: endpoint.label.clone(),
        curves,
        logrank,
        cox,
    }
}

/// One row of the subgroup forest plot: the hazard ratio of the second
/// group against the first among the patients of one subgroup.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestEntry {
    /// The covariate heading, or the level under it.
    pub label: String,
    pub heading: bool,
    /// (HR, lower, upper); `None` when the model cannot be fitted there.
    pub hazard_ratio: Option<(f64, f64, f64)>,
    pub events: usize,
    pub n: usize,
}

/// Hazard ratios of `groups[1]` against `groups[0]` for `endpoint`: overall,
/// then within each level of every other categorical column.
pub fn forest(
    cohort: &Cohort,
    endpoint: &Endpoint,
    groups: &[Subset],
    group_column: &str,
    conventions: &Conventions,
) -> Vec<ForestEntry> {
    if groups.len() < 2 {
        return Vec::new();
    }
    let pair = [&groups[0], &groups[1]];
    let entry = |label: String, keep: &dyn Fn(usize) -> bool| {
        let (mut times, mut events, mut labels) = (Vec::new(), Vec::new(), Vec::new());
        for g in pair {
            for &i in g.indices.iter().filter(|&&i| keep(i)) {
                if let Some(te) = endpoint.values[i] {
                    times.push(te.months);
                    events.push(te.event);
                    labels.push(g.label.as_str());
                }
            }
        }
        let levels = [pair[0].label.as_str(), pair[1].label.as_str()];
        let hazard_ratio = Design::new()
            .factor("", &labels, Some(levels.as_slice()))
            .ok()
            .and_then(|design| {
                let options = CoxOptions {
                    ties: conventions.ties,
                    conf_level: conventions.conf_level,
                    ..CoxOptions::default()
                };
                let fit = cox_fit(&times, &events, &design, None, &options).ok()?;
                let term = fit.terms.first()?;
                [term.hazard_ratio, term.lower, term.upper]
                    .iter()
                    .all(|v| v.is_finite() && *v > 0.0)
                    .then_some((term.hazard_ratio, term.lower, term.upper))
            });
        ForestEntry {
            label,
            heading: false,
            hazard_ratio,
            events: events.iter().filter(|&&e| e).count(),
            n: times.len(),
        }
    };
    let mut rows = vec![entry(ALL_PATIENTS.to_string(), &|_| true)];
    for covariate in cohort.grouping_columns().filter(|c| c.name != group_column) {
        let Some((levels, codes)) = levels_of(cohort, &covariate.name) else {
            continue;
        };
        if levels.len() < 2 || levels.len() > 8 {
            continue;
        }
        rows.push(ForestEntry {
            label: covariate.name.clone(),
            heading: true,
            hazard_ratio: None,
            events: 0,
            n: 0,
        });
        for (level, name) in levels.iter().enumerate() {
            rows.push(entry(name.clone(), &|i| codes[i] == Some(level as u32)));
        }
    }
    rows
}

/// The waterfall's consistency check: bars whose % change contradicts the
/// recorded response, and the ORR the bars alone would suggest.
#[derive(Debug, Clone, PartialEq)]
pub struct Consistency {
    /// Ids of the patients whose change contradicts their response: CR/PR
    /// with a change above −30%, or SD/PD with a change of −30% or less.
    pub flagged: Vec<String>,
    /// Patients with a change of −30% or less.
    pub suggested_responders: usize,
    /// The ORR denominator under the conventions in use.
    pub denominator: u64,
}

/// Whether a best % change contradicts the recorded best response.
pub fn contradicts(response: BestResponse, change_pct: f64) -> bool {
    match response {
        BestResponse::Cr | BestResponse::Pr => change_pct > RESPONSE_THRESHOLD_PCT,
        BestResponse::Sd | BestResponse::Pd => change_pct <= RESPONSE_THRESHOLD_PCT,
        BestResponse::Ne => false,
    }
}

/// The consistency check of the cohort's waterfall; `analysis` is the
/// cohort's (for the ORR denominator).
pub fn consistency(cohort: &Cohort, analysis: &Analysis) -> Option<Consistency> {
    let responses = cohort.best_response.as_ref()?;
    let changes = cohort.best_pct_change.as_ref()?;
    let mut flagged = Vec::new();
    let mut suggested_responders = 0;
    for i in 0..cohort.len() {
        if let Some(change) = changes[i] {
            if change <= RESPONSE_THRESHOLD_PCT {
                suggested_responders += 1;
            }
            if responses[i].is_some_and(|r| contradicts(r, change)) {
                flagged.push(cohort.ids[i].clone());
            }
        }
    }
    let denominator = analysis
        .response
        .as_ref()
        .and_then(|r| r.orr)
        .map_or(0, |rate| rate.n);
    Some(Consistency {
        flagged,
        suggested_responders,
        denominator,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::import_csv;
    use crate::report::km::{km_report, KmSettings};
    use crate::report::km_cohort::km_input;
    use crate::stats::conventions::{CiTransform, MedianRule, Ties};

    /// The page's groups and the command line's, for the `arm` column.
    fn orders(arms: &[&str]) -> (Vec<String>, Vec<String>) {
        let mut csv = String::from("patient_id,os_months,os_event,arm\n");
        for (i, arm) in arms.iter().enumerate() {
            csv += &format!("{i},{},{},{arm}\n", i + 1, i % 2);
        }
        let cohort = import_csv(csv.into_bytes(), None).unwrap();
        let page = subsets(&cohort, Some("arm"))
            .into_iter()
            .map(|s| s.label)
            .collect();
        let settings = KmSettings {
            transform: CiTransform::LogLog,
            level: 0.95,
            ties: Ties::Efron,
            median_rule: MedianRule::Midpoint,
            landmarks: vec![],
            tau: None,
        };
        let report = km_report(
            &km_input(&cohort, "os", Some("arm"), None).unwrap(),
            &settings,
        )
        .unwrap();
        (page, report.groups.into_iter().map(|c| c.label).collect())
    }

    #[test]
    fn groups_come_in_the_command_line_order_so_the_reference_is_the_same() {
        // (Numeric labels make a numeric column, which the page does not group by.)
        for (arms, expected) in [
            (&["b", "a", "b", "a"][..], &["a", "b"][..]),
            (&["b", "B", "a", "b", "B", "a"][..], &["B", "a", "b"][..]),
        ] {
            let (page, cli) = orders(arms);
            assert_eq!(page, expected);
            assert_eq!(cli, expected);
        }
    }
}
