//! Comparing survival between groups: the k-sample (weighted) log-rank test,
//! stratified or not, its two-sample form and the test for trend.
//!
//! At each distinct event time t of a stratum, with nⱼ at risk and dⱼ events
//! in group j, n = Σnⱼ, d = Σdⱼ and weight w (see [`Weight`]):
//!
//! * Oⱼ = Σ w·dⱼ, Eⱼ = Σ w·nⱼ·d/n (weighted, as R `survdiff` reports them);
//! * Vⱼₗ = Σ w²·d(n − d)/(n − 1)·nⱼ(δⱼₗ·n − nₗ)/n² (hypergeometric; 0 when n = 1);
//!
//! summed over times and strata (stratified test: risk sets and, for
//! Fleming–Harrington, the pooled Kaplan–Meier curve are per stratum). The
//! statistic is (O − E)′V⁻(O − E) over the groups with Eⱼ > 0, the first of
//! them dropped (R `survdiff`), V⁻ a generalized inverse (R `cholesky2`);
//! df is the rank of that matrix (k − 1 unless a group has no one at risk at
//! any event time), and the p-value the chi-square upper tail, computed
//! directly so that it does not underflow to 0.
//!
//! Agreement with the references (`tests/survival_reference.rs`, 1e-9
//! relative): R `survdiff(rho = 0, 1)` statistic, weighted O and E, p, with
//! and without `strata()`; lifelines `logrank_test` and
//! `multivariate_logrank_test` (log-rank, wilcoxon, tarone-ware,
//! fleming-harrington p, q); statsmodels `survdiff` (None, gb, tw, fh, with
//! and without strata), whose p-value underflows to 0 below ~1e-16 where ours
//! does not.
//!
//! Group labels and their order are the caller's business: groups are the
//! indices 0..k, k = 1 + the largest index given.
//!
//! Worked example: group 0 times 1, 3; group 1 times 2, 4+ (all events but 4).
//! t = 1: n = (2, 2), d = (1, 0): E₀ = 1/2, V₀₀ = 1·3/3·2·2/16 = 1/4.
//! t = 2: n = (1, 2), d = (0, 1): E₀ = 1/3, V₀₀ = 1·2/2·1·2/9 = 2/9.
//! t = 3: n = (1, 1), d = (1, 0): E₀ = 1/2, V₀₀ = 1·1/1·1·1/4 = 1/4.
//! O₀ = 2, E₀ = 4/3, V₀₀ = 13/18, χ² = (2/3)²·18/13 = 8/13.

mod ginv;
// Property tests use proptest, a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
mod trend;
mod two_sample;
mod weight;

pub use trend::{logrank_trend, TrendTest};
pub use two_sample::{logrank_two_sample, TwoSampleTest};
pub use weight::Weight;

use crate::dist::chi_square_sf;
use crate::km::{SurvivalData, SurvivalError};

/// Result of a k-sample (weighted, possibly stratified) log-rank test.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRankTest {
    /// (O − E)′V⁻(O − E).
    pub statistic: f64,
    /// Degrees of freedom of the chi-square reference distribution.
    pub df: usize,
    /// P(χ²_df > statistic); 1 when df = 0 (fewer than two groups at risk).
    pub p_value: f64,
    /// Weighted observed events per group, Oⱼ.
    pub observed: Vec<f64>,
    /// Weighted expected events per group, Eⱼ.
    pub expected: Vec<f64>,
    /// k × k variance matrix of O − E.
    pub variance: Vec<Vec<f64>>,
}

/// O, E and V summed over the event times of every stratum.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sums {
    pub observed: Vec<f64>,
    pub expected: Vec<f64>,
    pub variance: Vec<Vec<f64>>,
}

/// Validates the per-subject vectors and the weight, then sums.
pub(crate) fn validated_sums(
    times: &[f64],
    events: &[bool],
    groups: &[usize],
    strata: Option<&[usize]>,
    weight: Weight,
) -> Result<Sums, SurvivalError> {
    let data = SurvivalData::new(times, events)?;
    data.check_len("groups", groups.len())?;
    if let Some(strata) = strata {
        data.check_len("strata", strata.len())?;
    }
    if let Some(value) = weight.invalid_exponent() {
        return Err(SurvivalError::InvalidWeightExponent { value });
    }
    Ok(sums(&data, groups, strata, weight))
}

/// The k-sample test; `groups[i]` ∈ 0..k is subject i's group, `strata[i]`
/// its stratum (None: one stratum).
pub fn logrank(
    times: &[f64],
    events: &[bool],
    groups: &[usize],
    strata: Option<&[usize]>,
    weight: Weight,
) -> Result<LogRankTest, SurvivalError> {
    let Sums {
        observed,
        expected,
        variance,
    } = validated_sums(times, events, groups, strata, weight)?;
    let used: Vec<usize> = (0..expected.len()).filter(|&j| expected[j] > 0.0).collect();
    let (statistic, df) = if used.len() < 2 {
        (0.0, 0)
    } else {
        let rest = &used[1..];
        let u: Vec<f64> = rest.iter().map(|&j| observed[j] - expected[j]).collect();
        let v: Vec<Vec<f64>> = rest
            .iter()
            .map(|&j| rest.iter().map(|&l| variance[j][l]).collect())
            .collect();
        ginv::quadratic_form(&v, &u)
    };
    let p_value = if df == 0 {
        1.0
    } else {
        chi_square_sf(statistic, df as f64)
    };
    Ok(LogRankTest {
        statistic,
        df,
        p_value,
        observed,
        expected,
        variance,
    })
}

fn sums(data: &SurvivalData, groups: &[usize], strata: Option<&[usize]>, weight: Weight) -> Sums {
    let k = groups.iter().max().map_or(0, |&g| g + 1);
    let mut out = Sums {
        observed: vec![0.0; k],
        expected: vec![0.0; k],
        variance: vec![vec![0.0; k]; k],
    };
    let n_strata = strata.map_or(1, |s| s.iter().max().map_or(1, |&m| m + 1));
    let mut by_stratum: Vec<Vec<usize>> = vec![Vec::new(); n_strata];
    for &i in data.order() {
        by_stratum[strata.map_or(0, |s| s[i])].push(i);
    }
    for subjects in by_stratum.iter().filter(|s| !s.is_empty()) {
        add_stratum(data, groups, subjects, weight, &mut out);
    }
    out
}

/// Adds one stratum's event times; `subjects` are in processing order.
fn add_stratum(
    data: &SurvivalData,
    groups: &[usize],
    subjects: &[usize],
    weight: Weight,
    out: &mut Sums,
) {
    let k = out.observed.len();
    let (times, events) = (data.times(), data.events());
    let mut at_risk = vec![0usize; k];
    for &i in subjects {
        at_risk[groups[i]] += 1;
    }
    let mut n = subjects.len();
    let mut survival_before = 1.0_f64;
    let mut deaths = vec![0usize; k];
    let mut leaving = vec![0usize; k];
    let mut pos = 0;
    while pos < subjects.len() {
        let t = times[subjects[pos]];
        deaths.iter_mut().for_each(|x| *x = 0);
        leaving.iter_mut().for_each(|x| *x = 0);
        while pos < subjects.len() && times[subjects[pos]] == t {
            let i = subjects[pos];
            leaving[groups[i]] += 1;
            if events[i] {
                deaths[groups[i]] += 1;
            }
            pos += 1;
        }
        let d: usize = deaths.iter().sum();
        if d > 0 {
            let w = weight.at(n, survival_before);
            let (nf, df) = (n as f64, d as f64);
            for j in 0..k {
                out.observed[j] += w * deaths[j] as f64;
                out.expected[j] += w * at_risk[j] as f64 * df / nf;
            }
            if n > 1 {
                let c = w * w * df * (nf - df) / (nf - 1.0) / (nf * nf);
                for j in 0..k {
                    if at_risk[j] == 0 {
                        continue;
                    }
                    let nj = at_risk[j] as f64;
                    for (l, (v, &nl)) in out.variance[j].iter_mut().zip(&at_risk).enumerate() {
                        let delta = if j == l { nf } else { 0.0 };
                        *v += c * nj * (delta - nl as f64);
                    }
                }
            }
            survival_before = if d == n {
                0.0
            } else {
                survival_before * (nf - df) / nf
            };
        }
        for j in 0..k {
            at_risk[j] -= leaving[j];
        }
        n -= leaving.iter().sum::<usize>();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_example_in_the_module_doc() {
        let t = logrank(
            &[1.0, 3.0, 2.0, 4.0],
            &[true, true, true, false],
            &[0, 0, 1, 1],
            None,
            Weight::LogRank,
        )
        .unwrap();
        assert_eq!(t.observed, vec![2.0, 1.0]);
        assert!((t.expected[0] - 4.0 / 3.0).abs() < 1e-15);
        assert!((t.variance[0][0] - 13.0 / 18.0).abs() < 1e-15);
        assert!((t.variance[0][1] + 13.0 / 18.0).abs() < 1e-15);
        assert!((t.statistic - 8.0 / 13.0).abs() < 1e-14);
        assert_eq!(t.df, 1);
    }

    #[test]
    fn a_tiny_p_value_does_not_underflow() {
        // Group 0 all fail at times 1..=200, group 1 all survive past them.
        let n = 200;
        let mut times: Vec<f64> = (1..=n).map(f64::from).collect();
        times.extend((1..=n).map(|i| 1000.0 + f64::from(i)));
        let events = vec![true; 2 * n as usize];
        let groups: Vec<usize> = (0..2 * n as usize).map(|i| i / n as usize).collect();
        let t = logrank(&times, &events, &groups, None, Weight::LogRank).unwrap();
        assert!(t.p_value > 0.0 && t.p_value < 1e-40, "p = {}", t.p_value);
    }

    #[test]
    fn one_group_has_no_degrees_of_freedom() {
        let t = logrank(&[1.0, 2.0], &[true, true], &[0, 0], None, Weight::LogRank).unwrap();
        assert_eq!((t.statistic, t.df, t.p_value), (0.0, 0, 1.0));
    }

    #[test]
    fn rejects_mismatched_groups_and_bad_exponents() {
        assert_eq!(
            logrank(&[1.0, 2.0], &[true, true], &[0], None, Weight::LogRank),
            Err(SurvivalError::LengthMismatch {
                what: "groups",
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            logrank(
                &[1.0, 2.0],
                &[true, true],
                &[0, 1],
                None,
                Weight::FlemingHarrington { p: -1.0, q: 0.0 }
            ),
            Err(SurvivalError::InvalidWeightExponent { value: -1.0 })
        );
    }
}
