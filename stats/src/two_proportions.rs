//! Comparing two response rates: an arm's x₁/n₁ against a reference arm's
//! x₂/n₂. The difference d = p̂₁ − p̂₂ ("arm − reference") with a confidence
//! interval, Pearson's chi-square test of the 2×2 table and its odds ratio.
//!
//! A table is `[[a, b], [c, d]]` as for [`crate::fisher::fisher_exact`]
//! (Fisher's exact test of the same table): rows arm, reference; columns
//! responders, non-responders; a = x₁, b = n₁ − x₁, c = x₂, d = n₂ − x₂.
//!
//! Agreement with the references (`stats/tests/tables_reference.rs`,
//! [`crate::prec::REFERENCE_REL`] relative; fixtures in
//! `tests/fixtures/tables/`): R `prop.test` (Wald, Wald with continuity
//! correction, Newcombe ± correction composed from its single-sample limits,
//! the chi-square statistic and p), statsmodels `confint_proportions_2indep`
//! (wald, newcomb) and `Table2x2` (odds ratio), scipy `chi2_contingency`, and
//! 50-digit mpmath implementations of Miettinen–Nurminen and Anderson–Hauck
//! (`scripts/reference/tables.py`).

mod miettinen_nurminen;
// Property tests use proptest, a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;

use super::binomial::{proportion, ProportionError};
use super::conventions::{BinomialCi, DifferenceCi};
use super::dist::{chi_square_sf, normal_quantile};

/// The difference of two response rates with a two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProportionDifference {
    /// Responders in the arm.
    pub x1: u64,
    /// Patients in the arm.
    pub n1: u64,
    /// Responders in the reference arm.
    pub x2: u64,
    /// Patients in the reference arm.
    pub n2: u64,
    /// p̂₁ − p̂₂ = x₁/n₁ − x₂/n₂.
    pub estimate: f64,
    /// Lower confidence limit; `None` (with `upper`) where the method is
    /// undefined: Anderson–Hauck with n₁ or n₂ = 1.
    pub lower: Option<f64>,
    /// Upper confidence limit; `None` exactly when `lower` is.
    pub upper: Option<f64>,
    /// Confidence level, 0 < level < 1.
    pub level: f64,
    /// The interval method.
    pub method: DifferenceCi,
}

/// The difference p̂₁ − p̂₂ of x₁/n₁ (the arm) and x₂/n₂ (the reference) with
/// a `level` confidence interval by `method`; z = Φ⁻¹(1 − α/2), α = 1 − level.
///
/// * [`DifferenceCi::Wald`]: d ± z·√(p̂₁(1−p̂₁)/n₁ + p̂₂(1−p̂₂)/n₂), clipped to
///   [−1, 1] (R `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)$conf.int`;
///   Newcombe 1998, method 1).
/// * [`DifferenceCi::WaldCc`]: the Wald half-width plus
///   c = min(½(1/n₁ + 1/n₂), |d|), clipped to [−1, 1], as R
///   `prop.test(..., correct = TRUE)$conf.int` computes it. Newcombe's
///   method 2 and SAS `RISKDIFF(CL=WALD(CORRECT))` add ½(1/n₁ + 1/n₂) even
///   where |d| is smaller (so at d = 0 R's interval is Wald's, theirs wider).
/// * [`DifferenceCi::Newcombe`] (Newcombe 1998, method 10): with (l₁, u₁) and
///   (l₂, u₂) the Wilson limits of p₁ and p₂ ([`BinomialCi::Wilson`]),
///   d − √((p̂₁ − l₁)² + (u₂ − p̂₂)²) to d + √((u₁ − p̂₁)² + (p̂₂ − l₂)²);
///   always within [−1, 1].
/// * [`DifferenceCi::NewcombeCc`] (method 11): the same from the
///   continuity-corrected Wilson limits of R `prop.test(x, n, correct =
///   TRUE)` ([`BinomialCi::WilsonCc`]), whose correction min(½, |x − n/2|)
///   vanishes at x = n/2 where Newcombe's method 4 keeps ½.
/// * [`DifferenceCi::MiettinenNurminen`] (Miettinen & Nurminen 1985): the δ
///   with (d − δ)/√V(δ) = ±z, V(δ) = (p̃₁(1−p̃₁)/n₁ + p̃₂(1−p̃₂)/n₂)·N/(N−1),
///   N = n₁ + n₂, p̃ the maximum-likelihood estimates under p₁ − p₂ = δ (the
///   closed-form root of a cubic, Farrington & Manning 1990), each limit by
///   bisection to adjacent doubles; −1 or 1 when d is. See
///   `two_proportions/miettinen_nurminen.rs`.
/// * [`DifferenceCi::AndersonHauck`] (Hauck & Anderson 1986, The American
///   Statistician 40, 318–322; SAS `RISKDIFF(CL=HA)`, "Hauck-Anderson"): d ± (1/(2·min(n₁, n₂)) + z·√(p̂₁(1−p̂₁)/(n₁−1) +
///   p̂₂(1−p̂₂)/(n₂−1))), clipped to [−1, 1] as SAS does; `None` when n₁ or
///   n₂ is 1.
///
/// Errors: n₁ or n₂ = 0, x > n, a level outside (0, 1).
///
/// ```
/// use cohortscope_stats::conventions::DifferenceCi;
/// use cohortscope_stats::two_proportions::proportion_difference;
/// // Newcombe (1998), Table II, example (a), method 10: 0.0524 to 0.3339.
/// let d = proportion_difference(56, 70, 48, 80, 0.95, DifferenceCi::Newcombe).unwrap();
/// assert!((d.estimate - 0.2).abs() < 1e-15);
/// assert!((d.lower.unwrap() - 0.0524).abs() < 5e-5);
/// assert!((d.upper.unwrap() - 0.3339).abs() < 5e-5);
/// ```
pub fn proportion_difference(
    x1: u64,
    n1: u64,
    x2: u64,
    n2: u64,
    level: f64,
    method: DifferenceCi,
) -> Result<ProportionDifference, ProportionError> {
    check_counts(x1, n1)?;
    check_counts(x2, n2)?;
    let z = z_of_level(level)?;
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let (p1, p2) = (x1 as f64 / n1f, x2 as f64 / n2f);
    let estimate = p1 - p2;
    let clip = |half: f64| ((estimate - half).max(-1.0), (estimate + half).min(1.0));
    let limits = match method {
        DifferenceCi::Wald | DifferenceCi::WaldCc => {
            let se = (p1 * (1.0 - p1) / n1f + p2 * (1.0 - p2) / n2f).sqrt();
            let correction = if method == DifferenceCi::WaldCc {
                (0.5 * (1.0 / n1f + 1.0 / n2f)).min(estimate.abs())
            } else {
                0.0
            };
            Some(clip(z * se + correction))
        }
        DifferenceCi::Newcombe | DifferenceCi::NewcombeCc => {
            let wilson = if method == DifferenceCi::Newcombe {
                BinomialCi::Wilson
            } else {
                BinomialCi::WilsonCc
            };
            let arm = proportion(x1, n1, level, wilson)?;
            let reference = proportion(x2, n2, level, wilson)?;
            Some((
                estimate - (p1 - arm.lower).hypot(reference.upper - p2),
                estimate + (arm.upper - p1).hypot(p2 - reference.lower),
            ))
        }
        DifferenceCi::MiettinenNurminen => Some(miettinen_nurminen::limits(x1, n1, x2, n2, z)),
        DifferenceCi::AndersonHauck => (n1 >= 2 && n2 >= 2).then(|| {
            let se = (p1 * (1.0 - p1) / (n1f - 1.0) + p2 * (1.0 - p2) / (n2f - 1.0)).sqrt();
            clip(0.5 / n1f.min(n2f) + z * se)
        }),
    };
    Ok(ProportionDifference {
        x1,
        n1,
        x2,
        n2,
        estimate,
        lower: limits.map(|l| l.0),
        upper: limits.map(|l| l.1),
        level,
        method,
    })
}

/// A chi-square test on 1 degree of freedom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChiSquareTest {
    /// The chi-square statistic.
    pub statistic: f64,
    /// P(χ²₁ > statistic), computed directly (no `1 − cdf`).
    pub p_value: f64,
}

/// Pearson's chi-square test of independence in the 2×2 table
/// `[[a, b], [c, d]]`, without continuity correction:
/// χ² = N(ad − bc)² / ((a+b)(c+d)(a+c)(b+d)), N = a+b+c+d, on 1 df
/// (R `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)`,
/// `chisq.test(correct = FALSE)`; scipy `chi2_contingency(correction=False)`).
/// ad − bc is formed exactly in integers. `None` when a margin is zero (no
/// patient in an arm, or no responder or no non-responder at all), where the
/// statistic is 0/0.
///
/// ```
/// use cohortscope_stats::two_proportions::pearson_chi_square;
/// // 10/20 vs 5/20: χ² = 40·(10·15 − 10·5)²/(20·20·15·25) = 8/3.
/// let t = pearson_chi_square([[10, 10], [5, 15]]).unwrap();
/// assert!((t.statistic - 8.0 / 3.0).abs() < 1e-15);
/// assert_eq!(pearson_chi_square([[0, 10], [0, 20]]), None);
/// ```
pub fn pearson_chi_square(table: [[u64; 2]; 2]) -> Option<ChiSquareTest> {
    let [[a, b], [c, d]] = table;
    let margins = [a + b, c + d, a + c, b + d];
    if margins.contains(&0) {
        return None;
    }
    let det = (i128::from(a) * i128::from(d) - i128::from(b) * i128::from(c)) as f64;
    let n = (a + b + c + d) as f64;
    let [r1, r2, c1, c2] = margins.map(|m| m as f64);
    let statistic = n * det / (r1 * c1) * det / (r2 * c2);
    Some(ChiSquareTest {
        statistic,
        p_value: chi_square_sf(statistic, 1.0),
    })
}

/// The odds ratio of a 2×2 table with its Wald (logit, Woolf) interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OddsRatio {
    /// ad/(bc): the odds of response in the arm over those in the reference.
    pub estimate: f64,
    /// Standard error of log(ad/(bc)): √(1/a + 1/b + 1/c + 1/d).
    pub log_se: f64,
    /// Lower confidence limit, exp(log OR − z·log_se).
    pub lower: f64,
    /// Upper confidence limit, exp(log OR + z·log_se).
    pub upper: f64,
    /// Confidence level, 0 < level < 1.
    pub level: f64,
}

/// The odds ratio ad/(bc) of `[[a, b], [c, d]]` with the interval
/// log OR ± z·√(1/a + 1/b + 1/c + 1/d), back-transformed (Woolf 1955;
/// statsmodels `Table2x2(table, shift_zeros=False).oddsratio_confint()`,
/// SAS `OR(CL=WALD)`).
///
/// `None` when a cell is zero: the estimate is then 0 or ∞ (or 0/0) and the
/// interval undefined. No ½ is added to the cells (Haldane's correction
/// changes the estimate; the caller may apply it knowingly).
///
/// Error: a level outside (0, 1).
pub fn odds_ratio(table: [[u64; 2]; 2], level: f64) -> Result<Option<OddsRatio>, ProportionError> {
    let z = z_of_level(level)?;
    if table.iter().flatten().any(|&cell| cell == 0) {
        return Ok(None);
    }
    let [[a, b], [c, d]] = table.map(|row| row.map(|cell| cell as f64));
    let estimate = a * d / (b * c);
    let log_se = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
    let log_or = estimate.ln();
    Ok(Some(OddsRatio {
        estimate,
        log_se,
        lower: (log_or - z * log_se).exp(),
        upper: (log_or + z * log_se).exp(),
        level,
    }))
}

/// n ≥ 1 and x ≤ n.
fn check_counts(x: u64, n: u64) -> Result<(), ProportionError> {
    if n == 0 {
        return Err(ProportionError::EmptyDenominator);
    }
    if x > n {
        return Err(ProportionError::MoreSuccessesThanTrials { k: x, n });
    }
    Ok(())
}

/// z = Φ⁻¹(1 − α/2), α = 1 − level, for 0 < level < 1.
pub(crate) fn z_of_level(level: f64) -> Result<f64, ProportionError> {
    if !(level > 0.0 && level < 1.0) {
        return Err(ProportionError::InvalidLevel(level));
    }
    Ok(normal_quantile(1.0 - (1.0 - level) / 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Half a unit in the fourth decimal: published values are rounded to four.
    const FOUR_DECIMALS: f64 = 5e-5;

    fn check(
        x1: u64,
        n1: u64,
        x2: u64,
        n2: u64,
        level: f64,
        method: DifferenceCi,
        published: (f64, f64),
    ) {
        let d = proportion_difference(x1, n1, x2, n2, level, method).unwrap();
        let (lower, upper) = (d.lower.unwrap(), d.upper.unwrap());
        assert!(
            (lower - published.0).abs() <= FOUR_DECIMALS && (upper - published.1).abs() <= FOUR_DECIMALS,
            "{method} {x1}/{n1} − {x2}/{n2} at {level}: ({lower}, {upper}), published {published:?}"
        );
    }

    #[test]
    fn newcombe_table_ii_method_10() {
        // Newcombe RG (1998), Interval estimation for the difference between
        // independent proportions: comparison of eleven methods, Stat Med 17:873–890,
        // Table II, examples (a)–(h), method 10, 95%.
        for ((x1, n1, x2, n2), published) in [
            ((56, 70, 48, 80), (0.0524, 0.3339)),
            ((9, 10, 3, 10), (0.1705, 0.8090)),
            ((6, 7, 2, 7), (0.0582, 0.8062)),
            ((5, 56, 0, 29), (-0.0381, 0.1926)),
            ((0, 10, 0, 20), (-0.1611, 0.2775)),
            ((0, 10, 0, 10), (-0.2775, 0.2775)),
            ((10, 10, 0, 20), (0.6791, 1.0)),
            ((10, 10, 0, 10), (0.6075, 1.0)),
        ] {
            check(x1, n1, x2, n2, 0.95, DifferenceCi::Newcombe, published);
        }
    }

    #[test]
    fn sas_proc_freq_values() {
        // SAS PROC FREQ RISKDIFF output, 95%, as printed (four decimals) in
        // "Constructing Confidence Intervals for the Differences of Binomial
        // Proportions in SAS", WUSS 2016 paper 127, p. 9: Newcombe's examples
        // (a), (b), (g) and an HIV trial, 84/101 vs 89/105.
        use DifferenceCi::*;
        let tables = [
            (56, 70, 48, 80),
            (9, 10, 3, 10),
            (10, 10, 0, 20),
            (84, 101, 89, 105),
        ];
        let published = [
            (
                Wald,
                [
                    (0.0575, 0.3425),
                    (0.2605, 0.9395),
                    (1.0, 1.0),
                    (-0.1162, 0.0843),
                ],
            ),
            (
                WaldCc,
                [
                    (0.0441, 0.3559),
                    (0.1605, 1.0),
                    (0.9250, 1.0),
                    (-0.1259, 0.0940),
                ],
            ),
            (
                Newcombe,
                [
                    (0.0524, 0.3339),
                    (0.1705, 0.8090),
                    (0.6791, 1.0),
                    (-0.1177, 0.0851),
                ],
            ),
            (
                NewcombeCc,
                [
                    (0.0428, 0.3422),
                    (0.1013, 0.8387),
                    (0.6014, 1.0),
                    (-0.1245, 0.0918),
                ],
            ),
            (
                MiettinenNurminen,
                [
                    (0.0528, 0.3382),
                    (0.1700, 0.8406),
                    (0.7156, 1.0),
                    (-0.1191, 0.0860),
                ],
            ),
            (
                AndersonHauck,
                [
                    (0.0494, 0.3506),
                    (0.1922, 1.0),
                    (0.9500, 1.0),
                    (-0.1216, 0.0898),
                ],
            ),
        ];
        for (method, limits) in published {
            for ((x1, n1, x2, n2), limits) in tables.into_iter().zip(limits) {
                check(x1, n1, x2, n2, 0.95, method, limits);
            }
        }
        // SAS values quoted in the tests of insightsengineering/tern
        // (tests/testthat/test-prop_diff.R): 3/4 vs 1/2 at 90%, 1/2 vs 1/2 at 60%.
        check(3, 4, 1, 2, 0.9, AndersonHauck, (-0.9195, 1.0));
        check(1, 2, 1, 2, 0.6, AndersonHauck, (-0.8451, 0.8451));
        check(3, 4, 1, 2, 0.9, Newcombe, (-0.2967, 0.6750));
        check(1, 2, 1, 2, 0.6, Newcombe, (-0.3616, 0.3616));
    }

    #[test]
    fn edges() {
        use DifferenceCi::*;
        let at =
            |x1, n1, x2, n2, method| proportion_difference(x1, n1, x2, n2, 0.95, method).unwrap();
        // Anderson–Hauck divides by n − 1.
        let one = at(1, 1, 0, 3, AndersonHauck);
        assert_eq!((one.estimate, one.lower, one.upper), (1.0, None, None));
        // Wald at 0/n vs 0/n is the point 0; the score intervals are not.
        let zero = at(0, 10, 0, 10, Wald);
        assert_eq!((zero.lower, zero.upper), (Some(0.0), Some(0.0)));
        for method in [Newcombe, NewcombeCc, MiettinenNurminen] {
            let d = at(0, 10, 0, 10, method);
            let (lower, upper) = (d.lower.unwrap(), d.upper.unwrap());
            assert!(
                lower < 0.0 && upper > 0.0 && (lower + upper).abs() < 1e-12,
                "{method}"
            );
        }
        // d = ±1 is an end of the interval, exactly.
        for method in [
            Wald,
            WaldCc,
            Newcombe,
            NewcombeCc,
            MiettinenNurminen,
            AndersonHauck,
        ] {
            assert_eq!(at(7, 7, 0, 5, method).upper, Some(1.0), "{method}");
            assert_eq!(at(0, 7, 5, 5, method).lower, Some(-1.0), "{method}");
        }
        // R's continuity correction is capped at |d|: none at d = 0.
        let (cc, plain) = (at(3, 6, 5, 10, WaldCc), at(3, 6, 5, 10, Wald));
        assert_eq!((cc.lower, cc.upper), (plain.lower, plain.upper));
    }

    #[test]
    fn bad_input_is_an_error() {
        let m = DifferenceCi::default();
        assert_eq!(m, DifferenceCi::Newcombe);
        assert_eq!(
            proportion_difference(0, 0, 1, 2, 0.95, m),
            Err(ProportionError::EmptyDenominator)
        );
        assert_eq!(
            proportion_difference(1, 2, 3, 2, 0.95, m),
            Err(ProportionError::MoreSuccessesThanTrials { k: 3, n: 2 })
        );
        assert_eq!(
            proportion_difference(1, 2, 1, 2, 1.0, m),
            Err(ProportionError::InvalidLevel(1.0))
        );
        assert_eq!(
            odds_ratio([[1, 2], [3, 4]], 0.0),
            Err(ProportionError::InvalidLevel(0.0))
        );
    }

    #[test]
    fn method_names_round_trip() {
        for name in DifferenceCi::NAMES {
            assert_eq!(name.parse::<DifferenceCi>().unwrap().as_str(), *name);
        }
        assert_eq!(
            " Newcombe-CC ".parse::<DifferenceCi>(),
            Ok(DifferenceCi::NewcombeCc)
        );
        assert!("score".parse::<DifferenceCi>().is_err());
    }

    #[test]
    fn odds_ratio_closed_form() {
        // 10/20 vs 5/20: OR = 10·15/(10·5) = 3, log-SE² = 1/10 + 1/10 + 1/5 + 1/15.
        let or = odds_ratio([[10, 10], [5, 15]], 0.95).unwrap().unwrap();
        assert_eq!(or.estimate, 3.0);
        assert!((or.log_se * or.log_se - (0.2 + 0.2 + 1.0 / 15.0)).abs() < 1e-15);
        assert!(
            (or.lower * or.upper - 9.0).abs() < 1e-13,
            "symmetric on the log scale"
        );
        assert_eq!(odds_ratio([[10, 0], [5, 15]], 0.95), Ok(None));
    }

    #[test]
    fn pearson_equals_the_squared_wald_score_statistic_under_the_null() {
        // χ² = (p̂₁ − p̂₂)² / (p̄(1 − p̄)(1/n₁ + 1/n₂)), p̄ the pooled rate.
        let (x1, n1, x2, n2) = (17.0, 40.0, 9.0, 35.0);
        let pooled: f64 = (x1 + x2) / (n1 + n2);
        let z2 = (x1 / n1 - x2 / n2).powi(2) / (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2));
        let t = pearson_chi_square([[17, 23], [9, 26]]).unwrap();
        assert!((t.statistic - z2).abs() < 1e-13 * z2);
        assert_eq!(pearson_chi_square([[1, 1], [1, 1]]).unwrap().p_value, 1.0);
    }
}
