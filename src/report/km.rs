//! The Kaplan–Meier report (`cohortscope.km/1`): the pooled curve, one curve
//! per group, the (stratified) log-rank test and the Cox model of the group
//! factor with the first group as reference.
//!
//! Groups are ordered numerically when every label is a number, else as text
//! ([`levels`]). Without an explicit τ the restricted mean of every curve is
//! taken to the largest observed time over all groups, so the curves'
//! restricted means are comparable.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::curve::{Curve, CurveSettings};
use super::finite;
use super::groups::{levels, Levels};
pub use crate::data::km_table::{KmInput, Labels};
use crate::stats::conventions::{CiTransform, MedianRule, Ties};
use crate::stats::cox::{cox_fit, CoxFit, CoxOptions, Design, GlobalTest};
use crate::stats::km::{processing_order, SurvivalError};
use crate::stats::logrank::{logrank, LogRankTest, Weight};

/// The format tag of the serialised report.
pub const KM_FORMAT: &str = "cohortscope.km/1";

/// Label of the pooled curve.
pub const OVERALL_LABEL: &str = "all";

/// The conventions and options of a Kaplan–Meier report.
#[derive(Debug, Clone, PartialEq)]
pub struct KmSettings {
    pub transform: CiTransform,
    /// 0 < level < 1.
    pub level: f64,
    pub ties: Ties,
    pub median_rule: MedianRule,
    pub landmarks: Vec<f64>,
    /// Restriction time of the restricted means; `None`: the largest observed time.
    pub tau: Option<f64>,
}

/// Why a report could not be made.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum KmReportError {
    /// The survival data or an option was rejected.
    Survival(SurvivalError),
    /// A label column does not have one value per time.
    LengthMismatch {
        what: &'static str,
        expected: usize,
        found: usize,
    },
}

impl fmt::Display for KmReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Survival(e) => e.fmt(f),
            Self::LengthMismatch {
                what,
                expected,
                found,
            } => {
                write!(
                    f,
                    "{what} has {found} values, expected {expected} (one per time)"
                )
            }
        }
    }
}

impl std::error::Error for KmReportError {}

impl From<SurvivalError> for KmReportError {
    fn from(e: SurvivalError) -> Self {
        KmReportError::Survival(e)
    }
}

/// The k-sample log-rank test (R `survdiff(rho = 0)`), per group in group order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogRankSummary {
    pub statistic: f64,
    pub df: usize,
    pub p_value: Option<f64>,
    pub observed: Vec<f64>,
    pub expected: Vec<f64>,
}

impl From<LogRankTest> for LogRankSummary {
    fn from(t: LogRankTest) -> Self {
        LogRankSummary {
            statistic: t.statistic,
            df: t.df,
            p_value: finite(t.p_value),
            observed: t.observed,
            expected: t.expected,
        }
    }
}

/// One Cox coefficient: a group against the reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoxTermSummary {
    /// Column name + level, as R names it (`arm2`).
    pub label: String,
    pub coef: Option<f64>,
    pub std_err: Option<f64>,
    pub hazard_ratio: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub z: Option<f64>,
    pub p_value: Option<f64>,
}

/// A global test of the Cox model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TestSummary {
    pub statistic: Option<f64>,
    pub df: usize,
    pub p_value: Option<f64>,
}

impl From<GlobalTest> for TestSummary {
    fn from(t: GlobalTest) -> Self {
        TestSummary {
            statistic: finite(t.statistic),
            df: t.df,
            p_value: finite(t.p_value),
        }
    }
}

/// The Cox model of the group factor (R `coxph(Surv(t, e) ~ group (+ strata(s)))`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoxSummary {
    /// The reference group (the first one).
    pub reference: String,
    pub ties: String,
    pub terms: Vec<CoxTermSummary>,
    /// Partial log-likelihood at β = 0 and at β̂ (R `coxph()$loglik`).
    pub loglik: [f64; 2],
    pub lr_test: TestSummary,
    pub score_test: TestSummary,
    pub wald_test: TestSummary,
}

impl CoxSummary {
    fn new(reference: &str, fit: CoxFit) -> Self {
        CoxSummary {
            reference: reference.to_string(),
            ties: fit.ties.as_str().to_string(),
            terms: fit
                .terms
                .into_iter()
                .map(|t| CoxTermSummary {
                    label: t.label,
                    coef: finite(t.coef),
                    std_err: finite(t.std_err),
                    hazard_ratio: finite(t.hazard_ratio),
                    lower: finite(t.lower),
                    upper: finite(t.upper),
                    z: finite(t.z),
                    p_value: finite(t.p_value),
                })
                .collect(),
            loglik: [fit.loglik_null, fit.loglik],
            lr_test: fit.likelihood_ratio.into(),
            score_test: fit.score.into(),
            wald_test: fit.wald.into(),
        }
    }
}

/// The report. Serialises as `cohortscope.km/1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmReport {
    pub format: &'static str,
    pub conf_type: &'static str,
    pub conf_level: f64,
    pub ties: &'static str,
    pub median_rule: &'static str,
    pub overall: Curve,
    /// One curve per group, in group order (empty without groups).
    pub groups: Vec<Curve>,
    /// `None` without at least two groups.
    pub logrank: Option<LogRankSummary>,
    /// `None` without at least two groups, or when the model cannot be
    /// fitted (the reason is in `notes`).
    pub cox: Option<CoxSummary>,
    /// The name of the stratum column of a stratified log-rank test and Cox model.
    #[serde(skip)]
    pub strata: Option<String>,
    /// Why something is `None` that a reader would expect (not serialised).
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// Builds the report of `input` under `settings`.
///
/// ```
/// use cohortscope::report::km::{km_report, KmInput, KmSettings, Labels};
/// use cohortscope::stats::conventions::{CiTransform, MedianRule, Ties};
///
/// // Arm "2": deaths at 1 and 3; arm "10": a death at 2, censored at 4.
/// let input = KmInput {
///     times: vec![2.0, 1.0, 4.0, 3.0],
///     events: vec![true, true, false, true],
///     groups: Some(Labels::with_values("arm", &["10", "2", "10", "2"])),
///     strata: None,
/// };
/// let settings = KmSettings {
///     transform: CiTransform::LogLog,
///     level: 0.95,
///     ties: Ties::Efron,
///     median_rule: MedianRule::Midpoint,
///     landmarks: vec![],
///     tau: None,
/// };
/// let report = km_report(&input, &settings).unwrap();
/// assert_eq!(report.groups[0].label, "2"); // numeric order: 2 before 10
/// assert!((report.logrank.unwrap().statistic - 8.0 / 13.0).abs() < 1e-14);
/// assert_eq!(report.cox.unwrap().terms[0].label, "arm10");
/// ```
pub fn km_report(input: &KmInput, settings: &KmSettings) -> Result<KmReport, KmReportError> {
    check_lengths(input)?;
    let last = input
        .times
        .iter()
        .copied()
        .filter(|t| t.is_finite())
        .fold(0.0, f64::max);
    let curve_settings = CurveSettings {
        transform: settings.transform,
        level: settings.level,
        median_rule: settings.median_rule,
        landmarks: settings.landmarks.clone(),
        tau: settings.tau.unwrap_or(last),
    };
    // Fitting the pooled curve validates the times and events (errors name
    // the subject's index in the input).
    let overall = Curve::fit(OVERALL_LABEL, &input.times, &input.events, &curve_settings)?;
    let mut report = KmReport {
        format: KM_FORMAT,
        conf_type: settings.transform.as_str(),
        conf_level: settings.level,
        ties: settings.ties.as_str(),
        median_rule: settings.median_rule.as_str(),
        overall,
        groups: Vec::new(),
        logrank: None,
        cox: None,
        strata: input.strata.as_ref().map(|s| s.name.clone()),
        notes: Vec::new(),
    };
    let Some(group_labels) = &input.groups else {
        if input.strata.is_some() {
            report
                .notes
                .push("strata are used only to compare groups: no --group was given".into());
        }
        return Ok(report);
    };
    let level_of = |l: &Labels| levels(l.distinct(), l.codes());
    let sorted = Sorted::new(
        input,
        level_of(group_labels),
        input.strata.as_ref().map(level_of),
    );
    report.groups = group_curves(&sorted, &sorted.groups, &curve_settings)?;
    let comparison = compare_sorted(&sorted, &group_labels.name, settings)?;
    report.logrank = comparison.logrank;
    report.cox = comparison.cox;
    report.notes.extend(comparison.notes);
    Ok(report)
}

/// The comparison of the groups of a report: the (stratified) log-rank
/// test and the Cox model of the group factor, first group as reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// `None` with fewer than two groups.
    pub logrank: Option<LogRankSummary>,
    /// `None` with fewer than two groups or when the model cannot be fitted
    /// (the reason is in `notes`).
    pub cox: Option<CoxSummary>,
    pub notes: Vec<String>,
}

/// The log-rank test and Cox model of [`km_report`] without the curves
/// (for a caller that has fitted them already). `input.groups` names the
/// groups; without it there is nothing to compare.
pub fn compare_groups(input: &KmInput, settings: &KmSettings) -> Result<Comparison, KmReportError> {
    let n = input.times.len();
    let Some(group_labels) = &input.groups else {
        return Ok(Comparison {
            logrank: None,
            cox: None,
            notes: vec!["no groups to compare".into()],
        });
    };
    check_lengths(input)?;
    if n == 0 {
        return Ok(Comparison {
            logrank: None,
            cox: None,
            notes: vec!["no patient has a time: no log-rank test or Cox model".into()],
        });
    }
    let level_of = |l: &Labels| levels(l.distinct(), l.codes());
    let sorted = Sorted::new(
        input,
        level_of(group_labels),
        input.strata.as_ref().map(level_of),
    );
    compare_sorted(&sorted, &group_labels.name, settings)
}

/// Every label column has one value per time.
fn check_lengths(input: &KmInput) -> Result<(), KmReportError> {
    let n = input.times.len();
    for (what, labels) in [("groups", &input.groups), ("strata", &input.strata)] {
        if let Some(l) = labels {
            if l.len() != n {
                return Err(KmReportError::LengthMismatch {
                    what,
                    expected: n,
                    found: l.len(),
                });
            }
        }
    }
    Ok(())
}

fn compare_sorted(
    sorted: &Sorted,
    name: &str,
    settings: &KmSettings,
) -> Result<Comparison, KmReportError> {
    let groups = &sorted.groups;
    let mut notes = Vec::new();
    if groups.levels.len() < 2 {
        notes.push(format!(
            "one group only ({}): no log-rank test or Cox model",
            groups.levels.first().map_or("", String::as_str)
        ));
        return Ok(Comparison {
            logrank: None,
            cox: None,
            notes,
        });
    }
    let strata = sorted.strata.as_ref().map(|s| s.codes.as_slice());
    let test = logrank(
        &sorted.times,
        &sorted.events,
        &groups.codes,
        strata,
        Weight::LogRank,
    )?;
    let cox = cox(sorted, name, groups, strata, settings, &mut notes);
    Ok(Comparison {
        logrank: Some(test.into()),
        cox,
        notes,
    })
}

/// The subjects in processing order (ascending time, events before
/// censorings at a tie), with their group and stratum codes. Every estimator
/// sorts its input this way; handing it sorted input makes those sorts
/// passes over sorted runs (the results do not depend on input order).
struct Sorted {
    times: Vec<f64>,
    events: Vec<bool>,
    groups: Levels,
    strata: Option<Levels>,
}

impl Sorted {
    /// Sorts validated input (the pooled curve's fit checked it).
    fn new(input: &KmInput, groups: Levels, strata: Option<Levels>) -> Sorted {
        let order = processing_order(&input.times, &input.events);
        let permute = |l: Levels| Levels {
            codes: order.iter().map(|&i| l.codes[i]).collect(),
            levels: l.levels,
        };
        Sorted {
            times: order.iter().map(|&i| input.times[i]).collect(),
            events: order.iter().map(|&i| input.events[i]).collect(),
            groups: permute(groups),
            strata: strata.map(permute),
        }
    }
}

fn group_curves(
    sorted: &Sorted,
    groups: &Levels,
    settings: &CurveSettings,
) -> Result<Vec<Curve>, SurvivalError> {
    let k = groups.levels.len();
    let mut times = vec![Vec::new(); k];
    let mut events = vec![Vec::new(); k];
    for (i, &g) in groups.codes.iter().enumerate() {
        times[g].push(sorted.times[i]);
        events[g].push(sorted.events[i]);
    }
    (0..k)
        .map(|g| Curve::fit(&groups.levels[g], &times[g], &events[g], settings))
        .collect()
}

/// Convergence tolerance of the Cox fit for n subjects: the stats module's
/// default (1e-12 relative change of the log-likelihood), or n·ε when that
/// is larger. The partial log-likelihood is a sum over n subjects, so its
/// relative rounding error grows like n·ε; below it the test can never be
/// met and Newton–Raphson halves its steps until it gives up (a million
/// subjects: 2 000 likelihood evaluations, then "did not converge").
fn cox_tolerance(n: usize) -> f64 {
    CoxOptions::default().tolerance.max(n as f64 * f64::EPSILON)
}

/// The Cox options of every model a report fits for n subjects: the
/// conventions' ties and level, the tolerance of [`cox_tolerance`].
pub fn cox_options(ties: Ties, level: f64, n: usize) -> CoxOptions {
    CoxOptions {
        ties,
        conf_level: level,
        tolerance: cox_tolerance(n),
        ..CoxOptions::default()
    }
}

fn cox(
    input: &Sorted,
    name: &str,
    groups: &Levels,
    strata: Option<&[usize]>,
    settings: &KmSettings,
    notes: &mut Vec<String>,
) -> Option<CoxSummary> {
    let values: Vec<&str> = groups
        .codes
        .iter()
        .map(|&c| groups.levels[c].as_str())
        .collect();
    let order: Vec<&str> = groups.levels.iter().map(String::as_str).collect();
    let design = match Design::new().factor(name, &values, Some(&order)) {
        Ok(d) => d,
        Err(e) => {
            notes.push(format!("Cox model not fitted: {e}"));
            return None;
        }
    };
    let options = cox_options(settings.ties, settings.level, input.times.len());
    match cox_fit(&input.times, &input.events, &design, strata, &options) {
        Ok(fit) => Some(CoxSummary::new(&groups.levels[0], fit)),
        Err(e) => {
            notes.push(format!("Cox model not fitted: {e}"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> KmSettings {
        KmSettings {
            transform: CiTransform::LogLog,
            level: 0.95,
            ties: Ties::Efron,
            median_rule: MedianRule::Midpoint,
            landmarks: vec![2.0],
            tau: None,
        }
    }

    fn labels(name: &str, values: &[&str]) -> Option<Labels> {
        Some(Labels::with_values(name, values))
    }

    #[test]
    fn the_comparison_alone_is_the_reports() {
        let input = KmInput {
            times: vec![2.0, 1.0, 4.0, 3.0, 5.0],
            events: vec![true, true, false, true, true],
            groups: labels("arm", &["b", "a", "b", "a", "b"]),
            strata: None,
        };
        let report = km_report(&input, &settings()).unwrap();
        let comparison = compare_groups(&input, &settings()).unwrap();
        assert_eq!(comparison.logrank, report.logrank);
        assert_eq!(comparison.cox, report.cox);
        assert!(comparison.logrank.is_some() && comparison.cox.is_some());
        let one = KmInput {
            groups: labels("arm", &["a"; 5]),
            ..input.clone()
        };
        let c = compare_groups(&one, &settings()).unwrap();
        assert_eq!((c.logrank, c.cox), (None, None));
        assert_eq!(
            c.notes,
            ["one group only (a): no log-rank test or Cox model"]
        );
        let empty = KmInput {
            times: vec![],
            events: vec![],
            groups: labels("arm", &[]),
            strata: None,
        };
        assert_eq!(compare_groups(&empty, &settings()).unwrap().logrank, None);
        let short = KmInput {
            groups: labels("arm", &["a"]),
            ..input
        };
        assert!(matches!(
            compare_groups(&short, &settings()),
            Err(KmReportError::LengthMismatch { what: "groups", .. })
        ));
    }

    #[test]
    fn worked_log_rank_example_with_groups_in_numeric_order() {
        // The log-rank module's worked example: group "2" times 1, 3; group
        // "10" times 2, 4+: χ² = 8/13 with group "2" first.
        let input = KmInput {
            times: vec![2.0, 1.0, 4.0, 3.0],
            events: vec![true, true, false, true],
            groups: labels("arm", &["10", "2", "10", "2"]),
            strata: None,
        };
        let r = km_report(&input, &settings()).unwrap();
        assert_eq!(
            r.groups
                .iter()
                .map(|g| g.label.as_str())
                .collect::<Vec<_>>(),
            ["2", "10"]
        );
        let lr = r.logrank.unwrap();
        assert!((lr.statistic - 8.0 / 13.0).abs() < 1e-14);
        assert_eq!((lr.df, lr.observed.clone()), (1, vec![2.0, 1.0]));
        let cox = r.cox.unwrap();
        assert_eq!(
            (cox.reference.as_str(), cox.terms[0].label.as_str()),
            ("2", "arm10")
        );
        // Tau is the largest time over all groups: group "2" is carried to 4.
        assert_eq!(r.groups[0].rmst.unwrap().tau, 4.0);
        assert_eq!(r.overall.label, OVERALL_LABEL);
    }

    #[test]
    fn without_groups_no_tests() {
        let input = KmInput {
            times: vec![1.0, 2.0],
            events: vec![true, false],
            groups: None,
            strata: None,
        };
        let r = km_report(&input, &settings()).unwrap();
        assert!(r.groups.is_empty() && r.logrank.is_none() && r.cox.is_none());
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["logrank"], serde_json::Value::Null);
        assert_eq!(json["format"], KM_FORMAT);
    }

    #[test]
    fn a_group_without_events_gives_no_cox_model_and_says_why() {
        let input = KmInput {
            times: vec![1.0, 2.0, 3.0, 4.0],
            events: vec![true, true, false, false],
            groups: labels("arm", &["a", "a", "b", "b"]),
            strata: None,
        };
        let r = km_report(&input, &settings()).unwrap();
        assert!(r.logrank.is_some());
        assert!(r.cox.is_none());
        assert!(
            r.notes[0].starts_with("Cox model not fitted: monotone likelihood"),
            "{:?}",
            r.notes
        );
    }

    #[test]
    fn cox_tolerance_is_above_the_rounding_of_the_likelihood() {
        assert_eq!(cox_tolerance(137), CoxOptions::default().tolerance);
        assert_eq!(cox_tolerance(1_000_000), 1e6 * f64::EPSILON);
    }

    #[test]
    fn a_bad_time_is_named_by_its_input_index() {
        let input = KmInput {
            times: vec![3.0, 1.0, -2.0],
            events: vec![true; 3],
            groups: None,
            strata: None,
        };
        assert_eq!(
            km_report(&input, &settings()),
            Err(KmReportError::Survival(SurvivalError::NegativeTime {
                index: 2,
                value: -2.0
            }))
        );
    }

    #[test]
    fn label_columns_must_match_the_times() {
        let input = KmInput {
            times: vec![1.0, 2.0],
            events: vec![true, false],
            groups: labels("arm", &["a"]),
            strata: None,
        };
        assert_eq!(
            km_report(&input, &settings()),
            Err(KmReportError::LengthMismatch {
                what: "groups",
                expected: 2,
                found: 1
            })
        );
    }
}
