//! Recomputing the published figures of a built-in study from its cohort:
//! each [`Check`] of the study's metadata evaluated with the `stats` code,
//! under the rules the metadata states (not the user's conventions):
//!
//! * percent = 100·k/n rounded half up to a whole percent;
//! * a value with d decimals matches when the computed value, written in
//!   its shortest decimal form and rounded half up to d decimals, equals it;
//! * Kaplan–Meier medians are the first time Ŝ ≤ 0.5 and median follow-up is
//!   the reverse Kaplan–Meier median (the built-in cohorts have no step at
//!   exactly 0.5, so the midpoint rule gives the same times);
//! * response rates use the study's denominator; "responders" are CR and PR.

use serde::{Deserialize, Serialize};

use crate::data::cohort::{Cohort, CovariateValues};
use crate::data::studies::{
    AssociationTest, Check, Direction, Endpoint, PublishedFigure, StudyInfo,
};
use crate::stats::conventions::{BinomialCi, CiTransform, MedianRule};
use crate::stats::fisher::fisher_exact;
use crate::stats::km::{kaplan_meier, median_follow_up};
use crate::stats::mann_whitney::{mann_whitney, MannWhitneyMethod};
use crate::stats::response::{
    disease_control_rate, objective_response_rate, time_to_response, tumor_reduction_rate,
    BestResponse, ResponseCounts,
};

/// Median rule of the published Kaplan–Meier medians.
pub const PUBLISHED_MEDIAN_RULE: MedianRule = MedianRule::FirstLeHalf;

/// A published figure next to the value recomputed from the cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedResult {
    pub figure: String,
    pub published: String,
    /// What the cohort gives, in the figure's own terms ("25/66 = 38%").
    pub computed: String,
    pub matches: bool,
}

/// Every published figure of `info`, recomputed from `cohort`.
pub fn evaluate_all(cohort: &Cohort, info: &StudyInfo) -> Vec<PublishedResult> {
    info.published
        .iter()
        .map(|figure| evaluate(cohort, info, figure))
        .collect()
}

/// One published figure, recomputed.
pub fn evaluate(cohort: &Cohort, info: &StudyInfo, figure: &PublishedFigure) -> PublishedResult {
    let (matches, computed) = check(cohort, info, &figure.check);
    PublishedResult {
        figure: figure.figure.clone(),
        published: figure.published.clone(),
        computed,
        matches,
    }
}

/// 100·k/n rounded half up, in integers; `None` for n = 0.
pub fn whole_percent(k: usize, n: usize) -> Option<u32> {
    (n > 0).then(|| ((200 * k as u64 + n as u64) / (2 * n as u64)) as u32)
}

/// `x` rounded half up to `decimals` decimals, rounding its shortest decimal
/// representation (so 8.75 rounds to 8.8 although the double is below it).
pub fn round_half_up(x: f64, decimals: u32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let text = format!("{}", x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let d = decimals as usize;
    if frac.len() <= d {
        return x;
    }
    let mut digits: Vec<u8> = int
        .bytes()
        .chain(frac.bytes().take(d))
        .map(|b| b - b'0')
        .collect();
    if frac.as_bytes()[d] >= b'5' {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let mut s: String = digits.iter().map(|&b| char::from(b'0' + b)).collect();
    s.insert(s.len() - d, '.');
    let value: f64 = s.parse().unwrap_or(f64::NAN);
    if x < 0.0 {
        -value
    } else {
        value
    }
}

fn rounds_to(x: f64, value: f64, decimals: u32) -> bool {
    round_half_up(x, decimals) == round_half_up(value, decimals)
}

fn key(endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::Os => "os",
        Endpoint::Pfs => "pfs",
        Endpoint::Dor => "dor",
    }
}

/// The (time, event) pairs of an endpoint, patients without a time left out.
fn times_events(cohort: &Cohort, endpoint: Endpoint) -> Option<(Vec<f64>, Vec<bool>)> {
    let e = cohort.endpoint(key(endpoint))?;
    Some(
        e.values
            .iter()
            .flatten()
            .map(|te| (te.months, te.event))
            .unzip(),
    )
}

fn responses(cohort: &Cohort) -> Vec<Option<BestResponse>> {
    cohort
        .best_response
        .clone()
        .unwrap_or_else(|| vec![None; cohort.len()])
}

fn is_responder(r: Option<BestResponse>) -> bool {
    r.is_some_and(BestResponse::is_objective_response)
}

fn sample_median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some(0.5 * (values[n / 2 - 1] + values[n / 2])),
    }
}

fn percent_text(k: usize, n: usize) -> String {
    match whole_percent(k, n) {
        Some(p) => format!("{k}/{n} = {p}%"),
        None => format!("{k}/{n}"),
    }
}

fn counts_check(k: usize, n: usize, expected: (usize, usize, u32)) -> (bool, String) {
    (
        (k, n) == (expected.0, expected.1) && whole_percent(k, n) == Some(expected.2),
        percent_text(k, n),
    )
}

fn check(cohort: &Cohort, info: &StudyInfo, check: &Check) -> (bool, String) {
    let responses = responses(cohort);
    let counts =
        ResponseCounts::from_responses(&responses.iter().flatten().copied().collect::<Vec<_>>());
    let n_all = cohort.len();
    match check {
        Check::N { value } => (n_all == *value, format!("n = {n_all}")),
        Check::ResponseCount {
            response,
            value,
            percent,
        } => {
            let k = counts.get(*response) as usize;
            let ok = k == *value && percent.is_none_or(|p| whole_percent(k, n_all) == Some(p));
            (ok, percent_text(k, n_all))
        }
        Check::Orr { k, n, percent } | Check::Dcr { k, n, percent } => {
            let rate = if matches!(check, Check::Orr { .. }) {
                objective_response_rate(&counts, info.denominator, 0.95, BinomialCi::ClopperPearson)
            } else {
                disease_control_rate(&counts, info.denominator, 0.95, BinomialCi::ClopperPearson)
            };
            match rate {
                Ok(r) => counts_check(
                    r.proportion.k as usize,
                    r.proportion.n as usize,
                    (*k, *n, *percent),
                ),
                Err(e) => (false, e.to_string()),
            }
        }
        Check::TumorReduction { k, n, percent } => {
            let changes: Vec<Option<f64>> = cohort
                .best_pct_change
                .as_ref()
                .map_or_else(Vec::new, |v| v.iter().collect());
            match tumor_reduction_rate(&changes) {
                Ok(t) => counts_check(t.k as usize, t.n as usize, (*k, *n, *percent)),
                Err(e) => (false, e.to_string()),
            }
        }
        Check::TtrMedian { value, within } => {
            let ttr: Vec<f64> = match &cohort.ttr {
                Some(t) => t
                    .months
                    .iter()
                    .zip(&responses)
                    .filter(|(_, r)| is_responder(**r))
                    .filter_map(|(m, _)| m)
                    .collect(),
                None => Vec::new(),
            };
            match time_to_response(&ttr) {
                Ok(t) => (
                    (t.median - value).abs() <= *within,
                    format!("median {:.3} months (n = {})", t.median, t.n),
                ),
                Err(e) => (false, e.to_string()),
            }
        }
        Check::FollowUpMedian {
            endpoint,
            value,
            decimals,
        } => {
            let Some((times, events)) = times_events(cohort, *endpoint) else {
                return (false, format!("no {} endpoint", key(*endpoint)));
            };
            match median_follow_up(
                &times,
                &events,
                CiTransform::LogLog,
                0.95,
                PUBLISHED_MEDIAN_RULE,
            ) {
                Ok(q) => match q.estimate {
                    Some(m) => (
                        rounds_to(m, *value, *decimals),
                        format!("reverse KM median {m} months"),
                    ),
                    None => (false, "reverse KM median not reached".into()),
                },
                Err(e) => (false, e.to_string()),
            }
        }
        Check::KmMedian {
            endpoint,
            value,
            decimals,
        } => match km_median(cohort, *endpoint) {
            Ok(Some(m)) => (
                rounds_to(m, *value, *decimals),
                format!("KM median {m} months"),
            ),
            Ok(None) => (false, "KM median not reached".into()),
            Err(e) => (false, e),
        },
        Check::KmMedianNotReached { endpoint } => match km_median(cohort, *endpoint) {
            Ok(Some(m)) => (false, format!("KM median {m} months")),
            Ok(None) => (true, "not reached".into()),
            Err(e) => (false, e),
        },
        Check::DorOngoing { k, n, percent } => {
            let dor = responder_dor(cohort, &responses);
            let ongoing = dor.iter().filter(|(_, event)| !event).count();
            counts_check(ongoing, dor.len(), (*k, *n, *percent))
        }
        Check::DorLongest {
            value,
            decimals,
            censored,
        } => {
            let dor = responder_dor(cohort, &responses);
            let Some(max) = dor.iter().map(|d| d.0).max_by(f64::total_cmp) else {
                return (false, "no duration of response".into());
            };
            let top: Vec<_> = dor.iter().filter(|d| d.0 == max).collect();
            let is_censored = top.iter().all(|d| !d.1);
            let ok =
                top.len() == 1 && rounds_to(max, *value, *decimals) && is_censored == *censored;
            (ok, format!("{max}{}", if is_censored { "+" } else { "" }))
        }
        Check::CategoricalPercent {
            column,
            level,
            percent,
            within,
        } => {
            let Some(CovariateValues::Categorical { levels, codes }) =
                cohort.covariate(column).map(|c| &c.values)
            else {
                return (false, format!("no categorical column {column}"));
            };
            let index = levels.iter().position(|l| l == level);
            let n = codes.iter().flatten().count();
            let k = codes
                .iter()
                .flatten()
                .filter(|&&c| Some(c as usize) == index)
                .count();
            match within {
                Some(w) if n > 0 => {
                    let share = 100.0 * k as f64 / n as f64;
                    (
                        (share - *percent as f64).abs() <= *w,
                        format!("{k}/{n} = {share:.2}%"),
                    )
                }
                _ => (whole_percent(k, n) == Some(*percent), percent_text(k, n)),
            }
        }
        Check::NumericMedian {
            column,
            value,
            decimals,
        } => match numeric(cohort, column) {
            Some(mut values) => match sample_median(&mut values) {
                Some(m) => (rounds_to(m, *value, *decimals), format!("median {m}")),
                None => (false, format!("{column} has no value")),
            },
            None => (false, format!("no numeric column {column}")),
        },
        Check::NumericBelow { column, value } => match numeric(cohort, column) {
            Some(values) => match values.iter().copied().max_by(f64::total_cmp) {
                Some(max) => (max < *value, format!("max {max}")),
                None => (false, format!("{column} has no value")),
            },
            None => (false, format!("no numeric column {column}")),
        },
        Check::Association {
            covariate,
            level,
            test,
            direction,
            alpha,
        } => association(
            cohort,
            &responses,
            covariate,
            level.as_deref(),
            *test,
            *direction,
            *alpha,
        ),
    }
}

fn km_median(cohort: &Cohort, endpoint: Endpoint) -> Result<Option<f64>, String> {
    let (times, events) =
        times_events(cohort, endpoint).ok_or_else(|| format!("no {} endpoint", key(endpoint)))?;
    let fit =
        kaplan_meier(&times, &events, CiTransform::LogLog, 0.95).map_err(|e| e.to_string())?;
    Ok(fit.median(PUBLISHED_MEDIAN_RULE).estimate)
}

/// (months, event) of the responders' durations of response.
fn responder_dor(cohort: &Cohort, responses: &[Option<BestResponse>]) -> Vec<(f64, bool)> {
    let Some(e) = cohort.endpoint("dor") else {
        return Vec::new();
    };
    e.values
        .iter()
        .zip(responses)
        .filter(|(_, r)| is_responder(**r))
        .filter_map(|(v, _)| v.map(|te| (te.months, te.event)))
        .collect()
}

fn numeric(cohort: &Cohort, column: &str) -> Option<Vec<f64>> {
    match &cohort.covariate(column)?.values {
        CovariateValues::Numeric(v) => Some(v.iter().flatten().collect()),
        CovariateValues::Categorical { .. } => None,
    }
}

/// Responders (CR/PR) against everyone else, two-sided, in the published direction.
fn association(
    cohort: &Cohort,
    responses: &[Option<BestResponse>],
    covariate: &str,
    level: Option<&str>,
    test: AssociationTest,
    direction: Direction,
    alpha: f64,
) -> (bool, String) {
    let Some(column) = cohort.covariate(covariate) else {
        return (false, format!("no column {covariate}"));
    };
    match (test, &column.values) {
        (AssociationTest::MannWhitney, CovariateValues::Numeric(values)) => {
            let (mut yes, mut no) = (Vec::new(), Vec::new());
            for (v, r) in values.iter().zip(responses) {
                if let Some(v) = v {
                    if is_responder(*r) {
                        yes.push(v)
                    } else {
                        no.push(v)
                    }
                }
            }
            let result = match mann_whitney(&yes, &no, MannWhitneyMethod::Auto) {
                Ok(r) => r,
                Err(e) => return (false, e.to_string()),
            };
            let (a, b) = (
                sample_median(&mut yes).unwrap_or(f64::NAN),
                sample_median(&mut no).unwrap_or(f64::NAN),
            );
            let direction_holds = direction == Direction::HigherInResponders && a > b;
            (
                direction_holds && result.p_value < alpha,
                format!(
                    "medians {a:.2} vs {b:.2}, Mann-Whitney U = {}, p = {:.4}",
                    result.u, result.p_value
                ),
            )
        }
        (AssociationTest::Fisher, CovariateValues::Categorical { levels, codes }) => {
            let index = level.and_then(|l| levels.iter().position(|x| x == l));
            let mut table = [[0u64; 2]; 2];
            for (c, r) in codes.iter().zip(responses) {
                if let Some(c) = c {
                    let row = usize::from(!is_responder(*r));
                    let col = usize::from(Some(*c as usize) != index);
                    table[row][col] += 1;
                }
            }
            let share = |row: [u64; 2]| row[0] as f64 / (row[0] + row[1]).max(1) as f64;
            let (a, b) = (share(table[0]), share(table[1]));
            let p = fisher_exact(table).p_value;
            let direction_holds = direction == Direction::MoreInResponders && a > b;
            (
                direction_holds && p < alpha,
                format!("{:.0}% vs {:.0}%, Fisher p = {p:.4}", 100.0 * a, 100.0 * b),
            )
        }
        _ => (
            false,
            format!("{covariate} does not suit the {test:?} test"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::import_csv;
    use crate::data::studies::all;

    #[test]
    fn rounding_rules() {
        assert_eq!(whole_percent(25, 66), Some(38));
        assert_eq!(whole_percent(1, 8), Some(13)); // 12.5 rounds up
        assert_eq!(whole_percent(1, 0), None);
        assert_eq!(round_half_up(8.75, 1), 8.8);
        assert_eq!(round_half_up(8.749, 1), 8.7);
        assert_eq!(round_half_up(9.96, 1), 10.0);
        assert_eq!(round_half_up(-2.25, 1), -2.3);
        assert_eq!(round_half_up(55.0, 0), 55.0);
        assert_eq!(round_half_up(54.5, 0), 55.0);
    }

    #[test]
    fn every_built_in_study_reproduces_its_published_figures() {
        for study in all() {
            let cohort = import_csv(study.csv.as_bytes().to_vec(), None).unwrap();
            for r in evaluate_all(&cohort, &study.info) {
                assert!(
                    r.matches,
                    "{}: {} published {}, computed {}",
                    study.info.id, r.figure, r.published, r.computed
                );
            }
        }
    }
}
