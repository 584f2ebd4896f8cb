//! A time-to-event table (TTET01; DORT01 on responders): per arm the
//! patients with and without an event, the quartiles of the Kaplan–Meier
//! curve with Brookmeyer–Crowley intervals, the range of times (an extreme
//! that is censored marked), the event-free rate at each time point and the
//! restricted mean to a τ common to the arms; each arm against the
//! reference, fitted on the two arms' patients: the log-rank test and the
//! Cox hazard ratio (both also stratified), the difference in event-free
//! rates at each time point and in restricted means.

use serde::Serialize;

use super::{interval, Design, Interval, TableSpec};
use crate::data::Endpoint;
use crate::report::finite;
use crate::report::km::cox_options;
use crate::stats::cox::{cox_fit, Design as CoxDesign};
use crate::stats::km::{difference_at, rmst_difference, KaplanMeier, KmOptions, Tally};
use crate::stats::logrank::{logrank, Weight};

/// The event-free rate at a time point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimepointRate {
    /// Months.
    pub time: f64,
    /// Patients with a time ≥ the time point.
    pub n_risk: usize,
    /// Ŝ(time); after the arm's last time 0 if the curve ended at 0, else
    /// `None` (undefined there: R's `summary(extend = TRUE)` would carry
    /// the last value forward).
    pub rate: Option<f64>,
    /// Greenwood standard error of Ŝ.
    pub std_err: Option<f64>,
    pub ci: Interval,
}

/// The restricted mean survival time to τ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestrictedMean {
    pub tau: f64,
    pub estimate: Option<f64>,
    pub std_err: Option<f64>,
    pub ci: Interval,
}

/// One arm of a time-to-event table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmTimeToEvent {
    pub arm: String,
    /// Patients with a time.
    pub n: usize,
    pub events: usize,
    pub median: Option<f64>,
    pub median_ci: Interval,
    /// The time by which a quarter had the event (Ŝ ≤ 0.75).
    pub q25: Option<f64>,
    pub q25_ci: Interval,
    /// The time by which three quarters had the event (Ŝ ≤ 0.25).
    pub q75: Option<f64>,
    pub q75_ci: Interval,
    /// The shortest and longest times.
    pub range: [Option<f64>; 2],
    /// Whether each extreme is censored: no patient had the event at it.
    pub range_censored: [bool; 2],
    pub timepoints: Vec<TimepointRate>,
    /// `None` without a common τ.
    pub rmst: Option<RestrictedMean>,
}

/// The Cox model and log-rank test of one stratification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StratifiedHazards {
    pub logrank_p: Option<f64>,
    pub hr: Option<f64>,
    pub hr_ci: Interval,
}

/// The global tests of the unstratified Cox model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HazardRatioTests {
    pub wald: Option<f64>,
    pub likelihood_ratio: Option<f64>,
    pub score: Option<f64>,
}

/// The difference in event-free rates at a time point, arm − reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimepointDifference {
    pub time: f64,
    pub diff: Option<f64>,
    pub diff_ci: Interval,
    pub p: Option<f64>,
}

/// The difference in restricted means to τ, arm − reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RmstDifference {
    pub tau: f64,
    pub diff: Option<f64>,
    pub diff_ci: Interval,
    pub p: Option<f64>,
}

/// An arm against the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeToEventComparison {
    pub arm: String,
    pub reference: String,
    pub logrank_p: Option<f64>,
    /// Hazard of the arm over that of the reference.
    pub hr: Option<f64>,
    pub hr_ci: Interval,
    pub hr_p: HazardRatioTests,
    /// `None` without strata.
    pub stratified: Option<StratifiedHazards>,
    pub timepoints: Vec<TimepointDifference>,
    pub rmst: Option<RmstDifference>,
    /// Why a number is missing (a model that cannot be fitted).
    pub notes: Vec<String>,
}

/// The table of one endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeToEventTable {
    /// "os", "pfs", "dor", …
    pub endpoint: String,
    pub label: String,
    /// "all patients" or "responders (CR or PR)".
    pub population: &'static str,
    /// The restriction time of the restricted means: the shortest of the
    /// arms' longest times (survRM2's default for two arms, here for all).
    pub tau: Option<f64>,
    pub arms: Vec<ArmTimeToEvent>,
    pub comparisons: Vec<TimeToEventComparison>,
}

/// One arm's times and events.
struct ArmData {
    times: Vec<f64>,
    events: Vec<bool>,
    /// Patient indices, for the strata.
    patients: Vec<usize>,
    fit: Option<KaplanMeier>,
}

/// The table of `endpoint`, of the patients `within` marks (all when `None`).
pub(super) fn table(
    endpoint: &Endpoint,
    within: Option<&[bool]>,
    design: &Design,
    spec: &TableSpec<'_>,
) -> Result<TimeToEventTable, String> {
    let c = &spec.conventions;
    let options = KmOptions {
        transform: c.ci_transform,
        level: c.conf_level,
    };
    let mut data: Vec<ArmData> = Vec::with_capacity(design.arms.len());
    for a in 0..design.arms.len() {
        let (mut times, mut events, mut patients) = (Vec::new(), Vec::new(), Vec::new());
        for i in design.members(a) {
            if within.is_some_and(|w| !w[i]) {
                continue;
            }
            if let Some(te) = endpoint.values.get(i) {
                times.push(te.months);
                events.push(te.event);
                patients.push(i);
            }
        }
        let fit = if times.is_empty() {
            None
        } else {
            let tally = Tally::new(&times, &events).map_err(|e| e.to_string())?;
            Some(KaplanMeier::fit(&tally, options).map_err(|e| e.to_string())?)
        };
        data.push(ArmData {
            times,
            events,
            patients,
            fit,
        });
    }
    let tau = data
        .iter()
        .filter(|d| !d.times.is_empty())
        .map(|d| d.times.iter().copied().fold(0.0, f64::max))
        .min_by(f64::total_cmp)
        .filter(|&t| t > 0.0);
    let arms = design
        .arms
        .iter()
        .zip(&data)
        .map(|(arm, d)| arm_row(arm, d, spec, tau))
        .collect::<Result<Vec<_>, String>>()?;
    let comparisons = (1..design.arms.len())
        .map(|a| compare(design, &data[a], &data[0], a, spec, tau))
        .collect::<Result<Vec<_>, String>>()?;
    Ok(TimeToEventTable {
        endpoint: endpoint.key.clone(),
        label: endpoint.label.clone(),
        population: if within.is_some() {
            "responders (CR or PR)"
        } else {
            "all patients"
        },
        tau,
        arms,
        comparisons,
    })
}

fn arm_row(
    arm: &str,
    d: &ArmData,
    spec: &TableSpec<'_>,
    tau: Option<f64>,
) -> Result<ArmTimeToEvent, String> {
    let rule = spec.conventions.median_rule;
    let quantile = |p: f64| -> Result<(Option<f64>, Interval), String> {
        match &d.fit {
            None => Ok((None, [None, None])),
            Some(fit) => {
                let q = fit.quantile(p, rule).map_err(|e| e.to_string())?;
                Ok((q.estimate, interval(q.lower, q.upper)))
            }
        }
    };
    let (median, median_ci) = quantile(0.5)?;
    let (q25, q25_ci) = quantile(0.25)?;
    let (q75, q75_ci) = quantile(0.75)?;
    let range = d.fit.as_ref().and_then(KaplanMeier::time_range);
    let timepoints = spec
        .timepoints
        .iter()
        .map(|&time| {
            let point = d.fit.as_ref().and_then(|f| f.survival_at(time));
            // A curve that reached 0 stays there.
            let ended_at_zero = d
                .fit
                .as_ref()
                .and_then(|f| f.rows.last())
                .is_some_and(|r| r.survival == 0.0 && time > r.time);
            TimepointRate {
                time,
                n_risk: d.times.iter().filter(|&&t| t >= time).count(),
                rate: point.map(|p| p.survival).or(ended_at_zero.then_some(0.0)),
                std_err: point.and_then(|p| p.std_err),
                ci: point.map_or([None, None], |p| interval(p.lower, p.upper)),
            }
        })
        .collect();
    let rmst = match (&d.fit, tau) {
        (Some(fit), Some(tau)) => {
            let r = fit.rmst(tau).map_err(|e| e.to_string())?;
            Some(RestrictedMean {
                tau,
                estimate: finite(r.estimate),
                std_err: finite(r.std_err),
                ci: interval(Some(r.lower), Some(r.upper)),
            })
        }
        _ => None,
    };
    Ok(ArmTimeToEvent {
        arm: arm.to_string(),
        n: d.times.len(),
        events: d.events.iter().filter(|&&e| e).count(),
        median,
        median_ci,
        q25,
        q25_ci,
        q75,
        q75_ci,
        range: [range.map(|r| r.min), range.map(|r| r.max)],
        range_censored: [
            range.is_some_and(|r| r.min_censored),
            range.is_some_and(|r| r.max_censored),
        ],
        timepoints,
        rmst,
    })
}

/// Arm `a` (`arm`) against the reference (`reference`), on their patients.
fn compare(
    design: &Design,
    arm: &ArmData,
    reference: &ArmData,
    a: usize,
    spec: &TableSpec<'_>,
    tau: Option<f64>,
) -> Result<TimeToEventComparison, String> {
    let mut notes = Vec::new();
    let times: Vec<f64> = reference.times.iter().chain(&arm.times).copied().collect();
    let events: Vec<bool> = reference
        .events
        .iter()
        .chain(&arm.events)
        .copied()
        .collect();
    let groups: Vec<usize> = std::iter::repeat_n(0, reference.times.len())
        .chain(std::iter::repeat_n(1, arm.times.len()))
        .collect();
    let unstratified = hazards(&times, &events, &groups, None, spec, &mut notes);
    let logrank_p = two_arm_logrank_p(&times, &events, &groups, None);
    let stratified = design.stratum_of.as_ref().map(|of| {
        // Patients without a stratum are left out of the stratified analyses.
        let (mut t, mut e, mut g, mut s) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (k, &i) in reference.patients.iter().chain(&arm.patients).enumerate() {
            if let Some(stratum) = of[i] {
                t.push(times[k]);
                e.push(events[k]);
                g.push(groups[k]);
                s.push(stratum);
            }
        }
        let fitted = hazards(&t, &e, &g, Some(&s), spec, &mut notes);
        StratifiedHazards {
            logrank_p: two_arm_logrank_p(&t, &e, &g, Some(&s)),
            hr: fitted.as_ref().map(|f| f.0),
            hr_ci: fitted.as_ref().map_or([None, None], |f| f.1),
        }
    });
    let fits = arm.fit.as_ref().zip(reference.fit.as_ref());
    let timepoints = spec
        .timepoints
        .iter()
        .map(|&time| {
            let d = fits.and_then(|(a, r)| difference_at(a, r, time));
            TimepointDifference {
                time,
                diff: d.map(|d| d.estimate),
                diff_ci: d.map_or([None, None], |d| interval(d.lower, d.upper)),
                p: d.and_then(|d| d.p_value),
            }
        })
        .collect();
    let rmst = match (fits, tau) {
        (Some((a, r)), Some(tau)) => {
            let d = rmst_difference(a, r, tau).map_err(|e| e.to_string())?;
            Some(RmstDifference {
                tau,
                diff: finite(d.estimate),
                diff_ci: interval(Some(d.lower), Some(d.upper)),
                p: d.p_value,
            })
        }
        _ => None,
    };
    let (hr, hr_ci, hr_p) = match unstratified {
        Some((hr, ci, tests)) => (Some(hr), ci, tests),
        None => (
            None,
            [None, None],
            HazardRatioTests {
                wald: None,
                likelihood_ratio: None,
                score: None,
            },
        ),
    };
    Ok(TimeToEventComparison {
        arm: design.arms[a].clone(),
        reference: design.arms[0].clone(),
        logrank_p,
        hr,
        hr_ci,
        hr_p,
        stratified,
        timepoints,
        rmst,
        notes,
    })
}

/// The log-rank p of the reference (group 0) against the arm (group 1);
/// `None` unless both have patients.
fn two_arm_logrank_p(
    times: &[f64],
    events: &[bool],
    groups: &[usize],
    strata: Option<&[usize]>,
) -> Option<f64> {
    if !(groups.contains(&0) && groups.contains(&1)) {
        return None;
    }
    logrank(times, events, groups, strata, Weight::LogRank)
        .ok()
        .and_then(|t| finite(t.p_value))
}

/// The Cox model of the arm indicator (1: the arm, 0: the reference): the
/// hazard ratio, its interval and the global tests; `None` (with a note)
/// when it cannot be fitted.
fn hazards(
    times: &[f64],
    events: &[bool],
    groups: &[usize],
    strata: Option<&[usize]>,
    spec: &TableSpec<'_>,
    notes: &mut Vec<String>,
) -> Option<(f64, Interval, HazardRatioTests)> {
    if !(groups.contains(&0) && groups.contains(&1)) {
        return None;
    }
    let c = &spec.conventions;
    let x: Vec<f64> = groups.iter().map(|&g| g as f64).collect();
    let design = CoxDesign::new().numeric("arm", &x);
    let options = cox_options(c.ties, c.conf_level, times.len());
    match cox_fit(times, events, &design, strata, &options) {
        Ok(fit) => {
            let term = fit.terms.first()?;
            Some((
                finite(term.hazard_ratio)?,
                interval(finite(term.lower), finite(term.upper)),
                HazardRatioTests {
                    wald: finite(fit.wald.p_value),
                    likelihood_ratio: finite(fit.likelihood_ratio.p_value),
                    score: finite(fit.score.p_value),
                },
            ))
        }
        Err(e) => {
            let what = if strata.is_some() { "stratified " } else { "" };
            notes.push(format!("{what}Cox model not fitted: {e}"));
            None
        }
    }
}
