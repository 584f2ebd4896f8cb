//! The numbers the page shows, computed from the (filtered) cohort under the
//! chosen conventions: one [`Summary`] per group (the report table), the
//! Kaplan–Meier fits of the chosen endpoint with the log-rank test and the
//! Cox hazard ratios (the plot's legend), and the subgroup hazard ratios
//! (the forest plot). Everything is a plain value; the page only shows it.

use crate::data::{Cohort, CovariateValues, Endpoint};
use crate::stats::binomial::ProportionError;
use crate::stats::conventions::Conventions;
use crate::stats::cox::{cox_fit, CoxFit, CoxOptions, Design};
use crate::stats::km::{kaplan_meier, median_follow_up, KaplanMeier, Quantile, SurvivalPoint};
use crate::stats::logrank::{logrank, LogRankTest, Weight};
use crate::stats::response::{
    disease_control_rate, objective_response_rate, time_to_response, tumor_reduction_rate,
    BestResponse, ResponseCounts, ResponseRate, TimeToResponse, TumorReduction,
};

/// Milestone times (months) at which S(t) is reported.
pub const MILESTONES: [f64; 2] = [6.0, 12.0];

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

/// The levels of a categorical column and each patient's level index.
pub fn levels_of(cohort: &Cohort, column: &str) -> Option<(Vec<String>, Vec<Option<u32>>)> {
    match &cohort.covariate(column)?.values {
        CovariateValues::Categorical { levels, codes } => Some((levels.clone(), codes.clone())),
        CovariateValues::Numeric(_) => None,
    }
}

/// The groups of `group` (levels in order of first appearance, patients
/// with a blank group value left out), or one subset of everyone.
pub fn subsets(cohort: &Cohort, group: Option<&str>) -> Vec<Subset> {
    let everyone = || Subset {
        label: "All patients".to_string(),
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

/// Key of the duration-of-response endpoint, reported in rows of its own.
pub const DOR: &str = "dor";

/// The endpoint whose reverse Kaplan–Meier curve gives the median
/// follow-up: OS, else the first one other than duration of response.
pub fn follow_up_endpoint(cohort: &Cohort) -> Option<&Endpoint> {
    cohort
        .endpoint("os")
        .or_else(|| cohort.endpoints.iter().find(|e| e.key != DOR))
}

/// A time-to-event endpoint summarised for one subset.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointSummary {
    pub key: String,
    pub label: String,
    /// Patients with a time.
    pub n: usize,
    pub events: usize,
    /// Kaplan–Meier median with Brookmeyer–Crowley limits.
    pub median: Quantile,
    /// S(t) with its limits at each of [`MILESTONES`]; `None` past the last time.
    pub milestones: Vec<(f64, Option<SurvivalPoint>)>,
}

/// One column of the report table.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub label: String,
    pub n: usize,
    pub counts: Option<ResponseCounts>,
    pub orr: Option<Result<ResponseRate, ProportionError>>,
    pub dcr: Option<Result<ResponseRate, ProportionError>>,
    pub reduction: Option<TumorReduction>,
    /// Time to response among responders with a time.
    pub ttr: Option<TimeToResponse>,
    /// Duration of response, if the cohort has a `dor` endpoint.
    pub dor: Option<EndpointSummary>,
    /// Every other endpoint (OS, PFS, …).
    pub endpoints: Vec<EndpointSummary>,
    /// Median follow-up (reverse Kaplan–Meier of the first endpoint, OS when present).
    pub follow_up: Option<(String, Quantile)>,
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

fn endpoint_summary(
    endpoint: &Endpoint,
    indices: &[usize],
    conventions: &Conventions,
) -> Option<EndpointSummary> {
    let km = fit(endpoint, indices, conventions)?;
    Some(EndpointSummary {
        key: endpoint.key.clone(),
        label: endpoint.label.clone(),
        n: km.n,
        events: km.events,
        median: km.median(conventions.median_rule),
        milestones: MILESTONES.iter().map(|&t| (t, km.survival_at(t))).collect(),
    })
}

/// The report column of the patients at `indices`.
pub fn summarise(cohort: &Cohort, subset: &Subset, conventions: &Conventions) -> Summary {
    let idx = &subset.indices;
    let responses: Option<Vec<Option<BestResponse>>> = cohort
        .best_response
        .as_ref()
        .map(|v| idx.iter().map(|&i| v[i]).collect());
    let counts = responses
        .as_ref()
        .map(|r| ResponseCounts::from_responses(&r.iter().flatten().copied().collect::<Vec<_>>()));
    let level = conventions.conf_level;
    let orr = counts.as_ref().map(|c| {
        objective_response_rate(c, conventions.denominator, level, conventions.binomial_ci)
    });
    let dcr = counts
        .as_ref()
        .map(|c| disease_control_rate(c, conventions.denominator, level, conventions.binomial_ci));
    let reduction = cohort
        .best_pct_change
        .as_ref()
        .and_then(|v| tumor_reduction_rate(&idx.iter().map(|&i| v[i]).collect::<Vec<_>>()).ok());
    let ttr = match (&cohort.ttr, &responses) {
        (Some(ttr), Some(responses)) => {
            let times: Vec<f64> = idx
                .iter()
                .zip(responses)
                .filter(|(_, r)| r.is_some_and(BestResponse::is_objective_response))
                .filter_map(|(&i, _)| ttr.months[i])
                .collect();
            time_to_response(&times).ok()
        }
        _ => None,
    };
    let dor = cohort
        .endpoint(DOR)
        .and_then(|e| endpoint_summary(e, idx, conventions));
    let endpoints = cohort
        .endpoints
        .iter()
        .filter(|e| e.key != DOR)
        .filter_map(|e| endpoint_summary(e, idx, conventions))
        .collect();
    let follow_up = follow_up_endpoint(cohort).and_then(|e| {
        let (times, events) = times_events(e, idx);
        median_follow_up(
            &times,
            &events,
            conventions.ci_transform,
            level,
            conventions.median_rule,
        )
        .ok()
        .map(|q| (e.label.clone(), q))
    });
    Summary {
        label: subset.label.clone(),
        n: idx.len(),
        counts,
        orr,
        dcr,
        reduction,
        ttr,
        dor,
        endpoints,
        follow_up,
    }
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
    let mut rows = vec![entry("All patients".to_string(), &|_| true)];
    for covariate in cohort.grouping_columns().filter(|c| c.name != group_column) {
        let CovariateValues::Categorical { levels, codes } = &covariate.values else {
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

/// The consistency check of the cohort's waterfall.
pub fn consistency(cohort: &Cohort, summary: &Summary) -> Option<Consistency> {
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
    let denominator = match &summary.orr {
        Some(Ok(rate)) => rate.proportion.n,
        _ => 0,
    };
    Some(Consistency {
        flagged,
        suggested_responders,
        denominator,
    })
}
