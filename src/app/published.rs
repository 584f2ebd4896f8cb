//! "Published vs reproduced": each published figure of a built-in study
//! recomputed from its synthetic cohort under the study's own stated
//! definitions (its denominator; medians as the first time S(t) ≤ 0.5).

use std::rc::Rc;

use yew::prelude::*;

use super::state::Shared;
use crate::charts::format::fixed;
use crate::data::studies::{Check, Endpoint as StudyEndpoint, Study};
use crate::data::Cohort;
use crate::stats::conventions::{CiTransform, Denominator, MedianRule};
use crate::stats::km::{kaplan_meier, median_follow_up};
use crate::stats::response::{time_to_response, BestResponse, ResponseCounts};

fn key(endpoint: StudyEndpoint) -> &'static str {
    match endpoint {
        StudyEndpoint::Os => "os",
        StudyEndpoint::Pfs => "pfs",
        StudyEndpoint::Dor => "dor",
    }
}

/// 100·k/n rounded half up to a whole percent (the studies' stated rule).
fn whole_percent(k: usize, n: usize) -> Option<u32> {
    (n > 0).then(|| ((200 * k + n) / (2 * n)) as u32)
}

/// A value rounded half up to `decimals`.
fn round(value: f64, decimals: u32) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (value * f + 0.5).floor() / f
}

fn times_events(cohort: &Cohort, endpoint: StudyEndpoint) -> Option<(Vec<f64>, Vec<bool>)> {
    let e = cohort.endpoint(key(endpoint))?;
    Some(e.values.iter().flatten().map(|t| (t.months, t.event)).unzip())
}

/// The reproduced figure and whether it agrees with the published one
/// (`None`: this page does not recompute that kind of figure).
pub fn reproduce(check: &Check, cohort: &Cohort, denominator: Denominator) -> (String, Option<bool>) {
    let responses: Vec<BestResponse> = cohort.best_response.iter().flatten().flatten().copied().collect();
    let counts = ResponseCounts::from_responses(&responses);
    let ratio = |k: usize, n: usize, percent: u32| -> (String, Option<bool>) {
        let p = whole_percent(k, n);
        (format!("{k}/{n} ({}%)", p.map_or("—".to_string(), |p| p.to_string())), Some(p == Some(percent)))
    };
    match check {
        Check::N { value } => (cohort.len().to_string(), Some(cohort.len() == *value)),
        Check::ResponseCount { response, value, percent } => {
            let k = counts.get(*response) as usize;
            let p = whole_percent(k, cohort.len());
            let text = match percent {
                Some(_) => format!("{k} ({}%)", p.map_or("—".to_string(), |p| p.to_string())),
                None => k.to_string(),
            };
            (text, Some(k == *value && percent.is_none_or(|pc| p == Some(pc))))
        }
        Check::Orr { k, n, percent } | Check::Dcr { k, n, percent } => {
            let got_k = if matches!(check, Check::Orr { .. }) { counts.cr + counts.pr } else { counts.cr + counts.pr + counts.sd };
            let got_n = counts.denominator(denominator);
            let (text, agrees) = ratio(got_k as usize, got_n as usize, *percent);
            (text, agrees.map(|a| a && got_k as usize == *k && got_n as usize == *n))
        }
        Check::TumorReduction { k, n, percent } => {
            let values: Vec<f64> = cohort.best_pct_change.iter().flatten().flatten().copied().collect();
            let got_k = values.iter().filter(|v| **v < 0.0).count();
            let (text, agrees) = ratio(got_k, values.len(), *percent);
            (text, agrees.map(|a| a && got_k == *k && values.len() == *n))
        }
        Check::TtrMedian { value, within } => {
            let times: Vec<f64> = match (&cohort.ttr, &cohort.best_response) {
                (Some(t), Some(r)) => (0..cohort.len())
                    .filter(|&i| r[i].is_some_and(BestResponse::is_objective_response))
                    .filter_map(|i| t.months[i])
                    .collect(),
                _ => Vec::new(),
            };
            match time_to_response(&times) {
                Ok(t) => (fixed(t.median, 2), Some((t.median - value).abs() <= *within)),
                Err(e) => (e.to_string(), Some(false)),
            }
        }
        Check::FollowUpMedian { endpoint, value, decimals } => match times_events(cohort, *endpoint) {
            Some((t, e)) => match median_follow_up(&t, &e, CiTransform::LogLog, 0.95, MedianRule::FirstLeHalf) {
                Ok(q) => match q.estimate {
                    Some(m) => (fixed(round(m, *decimals), *decimals as usize), Some(round(m, *decimals) == *value)),
                    None => ("not reached".to_string(), Some(false)),
                },
                Err(e) => (e.to_string(), Some(false)),
            },
            None => ("no such endpoint".to_string(), Some(false)),
        },
        Check::KmMedian { endpoint, value, decimals } => match km_median(cohort, *endpoint) {
            Some(Some(m)) => (fixed(round(m, *decimals), *decimals as usize), Some(round(m, *decimals) == *value)),
            Some(None) => ("not reached".to_string(), Some(false)),
            None => ("no such endpoint".to_string(), Some(false)),
        },
        Check::KmMedianNotReached { endpoint } => match km_median(cohort, *endpoint) {
            Some(None) => ("not reached".to_string(), Some(true)),
            Some(Some(m)) => (fixed(m, 1), Some(false)),
            None => ("no such endpoint".to_string(), Some(false)),
        },
        Check::DorOngoing { k, n, percent } => {
            let values: Vec<bool> =
                cohort.endpoint("dor").map(|e| e.values.iter().flatten().map(|t| !t.event).collect()).unwrap_or_default();
            let got_k = values.iter().filter(|v| **v).count();
            let (text, agrees) = ratio(got_k, values.len(), *percent);
            (text, agrees.map(|a| a && got_k == *k && values.len() == *n))
        }
        Check::DorLongest { value, decimals, censored } => {
            let longest = cohort
                .endpoint("dor")
                .and_then(|e| e.values.iter().flatten().copied().max_by(|a, b| a.months.total_cmp(&b.months)));
            match longest {
                Some(t) => (
                    format!("{}{}", fixed(round(t.months, *decimals), *decimals as usize), if t.event { "" } else { "+" }),
                    Some(round(t.months, *decimals) == *value && t.event != *censored),
                ),
                None => ("no responses".to_string(), Some(false)),
            }
        }
        _ => ("(checked by the study's own test suite)".to_string(), None),
    }
}

fn km_median(cohort: &Cohort, endpoint: StudyEndpoint) -> Option<Option<f64>> {
    let (t, e) = times_events(cohort, endpoint)?;
    let km = kaplan_meier(&t, &e, CiTransform::LogLog, 0.95).ok()?;
    Some(km.median(MedianRule::FirstLeHalf).estimate)
}

#[derive(Properties, PartialEq)]
pub struct PublishedProps {
    pub study: Rc<Study>,
    /// The whole study cohort (filters do not apply to this comparison).
    pub cohort: Shared<Cohort>,
}

#[component]
pub fn Published(props: &PublishedProps) -> Html {
    let info = &props.study.info;
    let rows: Vec<(String, String, String, Option<bool>)> = info
        .published
        .iter()
        .map(|f| {
            let (got, agrees) = reproduce(&f.check, &props.cohort, info.denominator);
            (f.figure.clone(), f.published.clone(), got, agrees)
        })
        .collect();
    let agreeing = rows.iter().filter(|r| r.3 == Some(true)).count();
    let checked = rows.iter().filter(|r| r.3.is_some()).count();
    html! {
        <details class="published" open=true>
            <summary id="published-summary">{ format!("Published vs reproduced: {agreeing} of {checked} recomputed figures agree") }</summary>
            <table class="report">
                <caption>{ format!("Recomputed from the whole synthetic cohort with the study's definitions (response rates over {} patients; medians as the first time S(t) ≤ 0.5).", info.denominator) }</caption>
                <thead><tr><th scope="col">{ "Figure" }</th><th scope="col">{ "Published" }</th><th scope="col">{ "Reproduced" }</th><th scope="col">{ "Agrees" }</th></tr></thead>
                <tbody>{ for rows.iter().map(|(figure, published, got, agrees)| html! {
                    <tr><th scope="row">{ figure }</th><td>{ published }</td><td>{ got }</td>
                        <td class={match agrees { Some(false) => "error", _ => "" }}>{ match agrees { Some(true) => "yes", Some(false) => "NO", None => "—" } }</td></tr>
                }) }</tbody>
            </table>
            <p class="note">{ info.definitions.clone() }</p>
        </details>
    }
}
