//! Comparing two response rates across strata: the Cochran–Mantel–Haenszel
//! test, the Mantel–Haenszel common odds ratio and the Mantel–Haenszel
//! common risk difference.
//!
//! Each stratum is a 2×2 table `[[a, b], [c, d]]` as for
//! [`crate::fisher::fisher_exact`]: rows arm, reference; columns responders,
//! non-responders; n₁ = a + b, n₂ = c + d, m₁ = a + c, m₂ = b + d,
//! n = a + b + c + d. Strata with n < 2 contribute nothing to any sum here
//! (with n = 1 every term below is 0; R `mantelhaen.test` refuses such
//! strata, and its value without them is the same); so does a stratum
//! without patients in one of the arms.
//!
//! Agreement with the references (`stats/tests/tables_reference.rs`,
//! [`crate::prec::REFERENCE_REL`] relative): R `mantelhaen.test(correct =
//! FALSE)` (statistic, p, estimate, conf.int), statsmodels `StratifiedTable`
//! (`test_null_odds(correction=False)`, `oddsratio_pooled`,
//! `oddsratio_pooled_confint`), and a 50-digit mpmath implementation of the
//! risk difference with Sato's variance (`scripts/reference/tables.py`).

use super::binomial::ProportionError;
use super::dist::chi_square_sf;
use super::two_proportions::{z_of_level, ChiSquareTest};

/// One stratum's table in floating point, with its totals.
struct Stratum {
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    n1: f64,
    n2: f64,
    n: f64,
}

/// The strata that count: n ≥ 2.
fn informative(strata: &[[[u64; 2]; 2]]) -> impl Iterator<Item = Stratum> + '_ {
    strata
        .iter()
        .map(|t| t.map(|row| row.map(|cell| cell as f64)))
        .map(|[[a, b], [c, d]]| Stratum {
            a,
            b,
            c,
            d,
            n1: a + b,
            n2: c + d,
            n: a + b + c + d,
        })
        .filter(|s| s.n >= 2.0)
}

/// The Cochran–Mantel–Haenszel test that the common odds ratio is 1, without
/// continuity correction (Mantel & Haenszel 1959; Cochran 1954):
///
/// χ²_MH = (Σ (a − n₁m₁/n))² / Σ n₁n₂m₁m₂/(n²(n − 1)), on 1 df,
///
/// as R `mantelhaen.test(correct = FALSE)`, SAS PROC FREQ `CMH` (its three
/// statistics coincide for 2×2×K tables), statsmodels
/// `StratifiedTable.test_null_odds(correction=False)`. `None` when the
/// variance sum is 0: no stratum with both arms, responders and
/// non-responders.
///
/// ```
/// use cohortscope_stats::stratified::cmh_test;
/// // SAS/STAT PROC FREQ example "Cochran-Mantel-Haenszel Statistics"
/// // (Migraine): 8.3052, p = 0.0040.
/// let t = cmh_test(&[[[16, 11], [5, 20]], [[12, 16], [7, 19]]]).unwrap();
/// assert!((t.statistic - 8.3052).abs() < 5e-5 && (t.p_value - 0.0040).abs() < 5e-5);
/// ```
pub fn cmh_test(strata: &[[[u64; 2]; 2]]) -> Option<ChiSquareTest> {
    let (mut deviation, mut variance) = (0.0, 0.0);
    for s in informative(strata) {
        let (m1, m2) = (s.a + s.c, s.b + s.d);
        deviation += s.a - s.n1 * m1 / s.n;
        variance += s.n1 * s.n2 * m1 * m2 / (s.n * s.n * (s.n - 1.0));
    }
    (variance > 0.0).then(|| {
        let statistic = deviation * deviation / variance;
        ChiSquareTest {
            statistic,
            p_value: chi_square_sf(statistic, 1.0),
        }
    })
}

/// The Mantel–Haenszel common odds ratio with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommonOddsRatio {
    /// R/S = Σ ad/n / Σ bc/n.
    pub estimate: f64,
    /// Robins–Breslow–Greenland standard error of log(R/S).
    pub log_se: f64,
    /// exp(log(R/S) − z·log_se).
    pub lower: f64,
    /// exp(log(R/S) + z·log_se).
    pub upper: f64,
    /// Confidence level, 0 < level < 1.
    pub level: f64,
}

/// The Mantel–Haenszel estimate of the common odds ratio (Mantel & Haenszel
/// 1959), R/S with R = Σ aᵢdᵢ/nᵢ, S = Σ bᵢcᵢ/nᵢ, and the interval
/// exp(log(R/S) ± z·σ) with the Robins–Breslow–Greenland (1986) variance
///
/// σ² = Σ PᵢRᵢ/(2R²) + Σ (PᵢSᵢ + QᵢRᵢ)/(2RS) + Σ QᵢSᵢ/(2S²),
///
/// Pᵢ = (aᵢ + dᵢ)/nᵢ, Qᵢ = (bᵢ + cᵢ)/nᵢ, Rᵢ = aᵢdᵢ/nᵢ, Sᵢ = bᵢcᵢ/nᵢ: R
/// `mantelhaen.test()$estimate`, `$conf.int`; statsmodels
/// `StratifiedTable.oddsratio_pooled`, `oddsratio_pooled_confint()`; SAS
/// PROC FREQ `CMH` ("Mantel-Haenszel" odds ratio).
///
/// `None` when R or S is 0: the estimate is then 0, ∞ or 0/0 and its
/// log-scale interval undefined. Error: a level outside (0, 1).
pub fn mh_odds_ratio(
    strata: &[[[u64; 2]; 2]],
    level: f64,
) -> Result<Option<CommonOddsRatio>, ProportionError> {
    let z = z_of_level(level)?;
    let (mut r, mut s) = (0.0, 0.0);
    let (mut pr, mut ps_qr, mut qs) = (0.0, 0.0, 0.0);
    for t in informative(strata) {
        let (p, q) = ((t.a + t.d) / t.n, (t.b + t.c) / t.n);
        let (ri, si) = (t.a * t.d / t.n, t.b * t.c / t.n);
        r += ri;
        s += si;
        pr += p * ri;
        ps_qr += p * si + q * ri;
        qs += q * si;
    }
    if r == 0.0 || s == 0.0 {
        return Ok(None);
    }
    let estimate = r / s;
    let log_se = (pr / (2.0 * r * r) + ps_qr / (2.0 * r * s) + qs / (2.0 * s * s)).sqrt();
    let log_or = estimate.ln();
    Ok(Some(CommonOddsRatio {
        estimate,
        log_se,
        lower: (log_or - z * log_se).exp(),
        upper: (log_or + z * log_se).exp(),
        level,
    }))
}

/// The Mantel–Haenszel common risk difference with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommonRiskDifference {
    /// Σ wᵢ(p̂₁ᵢ − p̂₂ᵢ) / Σ wᵢ, wᵢ = n₁ᵢn₂ᵢ/nᵢ.
    pub estimate: f64,
    /// Sato's standard error.
    pub std_err: f64,
    /// estimate − z·std_err.
    pub lower: f64,
    /// estimate + z·std_err.
    pub upper: f64,
    /// Confidence level, 0 < level < 1.
    pub level: f64,
}

/// The Mantel–Haenszel estimate of the common risk difference, arm −
/// reference, with Sato's (1989) variance and the Wald interval
/// d_MH ± z·σ, as SAS PROC FREQ `COMMONRISKDIFF` ("Mantel-Haenszel") and
/// `RISKDIFF(CL=MH)` document it:
///
/// d_MH = Σ wᵢd̂ᵢ / Σ wᵢ, wᵢ = n₁ᵢn₂ᵢ/nᵢ, d̂ᵢ = aᵢ/n₁ᵢ − cᵢ/n₂ᵢ
/// (so Σ wᵢd̂ᵢ = Σ (aᵢn₂ᵢ − cᵢn₁ᵢ)/nᵢ, defined for every stratum),
///
/// σ² = (d_MH·Σ Pᵢ + Σ Qᵢ) / (Σ wᵢ)²,
/// Pᵢ = (n₁ᵢ²cᵢ − n₂ᵢ²aᵢ + n₁ᵢn₂ᵢ(n₂ᵢ − n₁ᵢ)/2) / nᵢ²,
/// Qᵢ = (aᵢ(n₂ᵢ − cᵢ) + cᵢ(n₁ᵢ − aᵢ)) / (2nᵢ).
///
/// Sato, T. (1989), On the variance estimator for the Mantel-Haenszel risk
/// difference, Biometrics 45, 1323–1324. σ² is 0 in exact arithmetic where
/// every stratum is all responders against none (or the reverse); rounding
/// below 0 there is taken as 0. The limits are not clipped to [−1, 1] (SAS
/// documents none).
///
/// `None` when Σ wᵢ = 0: no stratum has patients in both arms. Error: a
/// level outside (0, 1).
pub fn mh_risk_difference(
    strata: &[[[u64; 2]; 2]],
    level: f64,
) -> Result<Option<CommonRiskDifference>, ProportionError> {
    let z = z_of_level(level)?;
    let (mut weight, mut weighted, mut p, mut q) = (0.0, 0.0, 0.0, 0.0);
    for t in informative(strata) {
        let n2 = t.n * t.n;
        weight += t.n1 * t.n2 / t.n;
        weighted += (t.a * t.n2 - t.c * t.n1) / t.n;
        p += (t.n1 * t.n1 * t.c - t.n2 * t.n2 * t.a + t.n1 * t.n2 * (t.n2 - t.n1) / 2.0) / n2;
        q += (t.a * (t.n2 - t.c) + t.c * (t.n1 - t.a)) / (2.0 * t.n);
    }
    if weight == 0.0 {
        return Ok(None);
    }
    let estimate = weighted / weight;
    let std_err = ((estimate * p + q).max(0.0)).sqrt() / weight;
    Ok(Some(CommonRiskDifference {
        estimate,
        std_err,
        lower: estimate - z * std_err,
        upper: estimate + z * std_err,
        level,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prec::close;
    use crate::two_proportions::{odds_ratio, pearson_chi_square};

    /// Agreement of two computations of one value in a different order.
    const SAME: f64 = 1e-12;

    /// Half a unit in the last printed decimal of a published value.
    const FOUR_DECIMALS: f64 = 5e-5;
    const THREE_DECIMALS: f64 = 5e-4;

    /// SAS/STAT PROC FREQ example "Cochran-Mantel-Haenszel Statistics" (Migraine).
    const MIGRAINE: [[[u64; 2]; 2]; 2] = [[[16, 11], [5, 20]], [[12, 16], [7, 19]]];

    /// Agresti (2013), Categorical Data Analysis, 3rd ed., p. 226: eight
    /// centres, Drug against Control (Beitler & Landis 1985).
    const CENTRES: [[[u64; 2]; 2]; 8] = [
        [[11, 25], [10, 27]],
        [[16, 4], [22, 10]],
        [[14, 5], [7, 12]],
        [[2, 14], [1, 16]],
        [[6, 11], [0, 12]],
        [[1, 10], [0, 10]],
        [[1, 4], [1, 8]],
        [[4, 2], [6, 1]],
    ];

    #[test]
    fn published_values() {
        // SAS: CMH 8.3052, p 0.0040.
        let t = cmh_test(&MIGRAINE).unwrap();
        assert!((t.statistic - 8.3052).abs() <= FOUR_DECIMALS);
        assert!((t.p_value - 0.0040).abs() <= FOUR_DECIMALS);
        // Agresti (2013), p. 231: Mantel–Haenszel risk difference 0.130 with
        // Sato's standard error 0.050 (three decimals).
        let rd = mh_risk_difference(&CENTRES, 0.95).unwrap().unwrap();
        assert!(
            (rd.estimate - 0.130).abs() <= THREE_DECIMALS
                && (rd.std_err - 0.050).abs() <= THREE_DECIMALS,
            "{rd:?}"
        );
    }

    #[test]
    fn one_stratum_is_the_plain_table() {
        let table = [[17, 23], [9, 26]];
        let n = 75.0;
        // χ²_MH = χ²_Pearson·(n − 1)/n (hypergeometric against multinomial variance).
        let (cmh, pearson) = (
            cmh_test(&[table]).unwrap(),
            pearson_chi_square(table).unwrap(),
        );
        assert!(close(
            cmh.statistic,
            pearson.statistic * (n - 1.0) / n,
            SAME
        ));
        let (mh, or) = (
            mh_odds_ratio(&[table], 0.95).unwrap().unwrap(),
            odds_ratio(table, 0.95).unwrap().unwrap(),
        );
        assert!(close(mh.estimate, or.estimate, SAME));
        let rd = mh_risk_difference(&[table], 0.95).unwrap().unwrap();
        assert!(close(rd.estimate, 17.0 / 40.0 - 9.0 / 35.0, SAME));
    }

    #[test]
    fn uninformative_strata_change_nothing() {
        let mut more = CENTRES.to_vec();
        // One patient; no patient; no reference patient; no arm patient.
        more.extend([
            [[1, 0], [0, 0]],
            [[0, 0], [0, 0]],
            [[3, 4], [0, 0]],
            [[0, 0], [2, 5]],
        ]);
        assert_eq!(cmh_test(&more), cmh_test(&CENTRES));
        assert_eq!(mh_odds_ratio(&more, 0.9), mh_odds_ratio(&CENTRES, 0.9));
        assert_eq!(
            mh_risk_difference(&more, 0.9),
            mh_risk_difference(&CENTRES, 0.9)
        );
    }

    #[test]
    fn swapping_the_arms() {
        let swapped: Vec<_> = CENTRES
            .iter()
            .map(|&[arm, reference]| [reference, arm])
            .collect();
        let (t, s) = (cmh_test(&CENTRES).unwrap(), cmh_test(&swapped).unwrap());
        assert!(close(t.statistic, s.statistic, SAME));
        let (o, s) = (
            mh_odds_ratio(&CENTRES, 0.95).unwrap().unwrap(),
            mh_odds_ratio(&swapped, 0.95).unwrap().unwrap(),
        );
        assert!(close(o.estimate * s.estimate, 1.0, SAME) && close(o.log_se, s.log_se, SAME));
        let (d, s) = (
            mh_risk_difference(&CENTRES, 0.95).unwrap().unwrap(),
            mh_risk_difference(&swapped, 0.95).unwrap().unwrap(),
        );
        assert!(close(d.estimate, -s.estimate, SAME) && close(d.std_err, s.std_err, SAME));
    }

    #[test]
    fn undefined_values_are_none() {
        // Only one arm in every stratum.
        let one_arm = [[[3, 4], [0, 0]], [[0, 0], [2, 5]]];
        assert_eq!(cmh_test(&one_arm), None);
        assert_eq!(mh_odds_ratio(&one_arm, 0.95), Ok(None));
        assert_eq!(mh_risk_difference(&one_arm, 0.95), Ok(None));
        assert_eq!(cmh_test(&[]), None);
        // Responders only: no variance, but a risk difference of 0 ± 0.
        let all = [[[3, 0], [4, 0]], [[2, 0], [5, 0]]];
        assert_eq!(cmh_test(&all), None);
        assert_eq!(mh_odds_ratio(&all, 0.95), Ok(None));
        let rd = mh_risk_difference(&all, 0.95).unwrap().unwrap();
        assert_eq!((rd.estimate, rd.std_err), (0.0, 0.0));
        // Every arm patient responds, no reference patient does: d = 1 exactly, σ = 0.
        let apart = [[[3, 0], [0, 4]], [[2, 0], [0, 5]]];
        let rd = mh_risk_difference(&apart, 0.95).unwrap().unwrap();
        assert_eq!(
            (rd.estimate, rd.std_err, rd.lower, rd.upper),
            (1.0, 0.0, 1.0, 1.0)
        );
        // A zero in every stratum's b·c: the estimate would be ∞.
        assert_eq!(
            mh_odds_ratio(&[[[3, 0], [1, 4]], [[2, 1], [0, 5]]], 0.95),
            Ok(None)
        );
        assert_eq!(
            mh_odds_ratio(&MIGRAINE, 1.5),
            Err(ProportionError::InvalidLevel(1.5))
        );
    }
}
