//! A binomial proportion k/n with its confidence interval (ORR, DCR).

use std::fmt;

use super::conventions::BinomialCi;
use super::dist::{beta_quantile, normal_quantile};

/// A proportion k/n with a two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportion {
    /// Number of successes.
    pub k: u64,
    /// Number of trials (the denominator actually used).
    pub n: u64,
    /// k / n.
    pub estimate: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
    /// Confidence level, 0 < level < 1.
    pub level: f64,
    /// The interval method.
    pub method: BinomialCi,
}

/// Why a proportion could not be computed.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum ProportionError {
    /// n = 0: no patient in the denominator.
    EmptyDenominator,
    /// k > n.
    MoreSuccessesThanTrials { k: u64, n: u64 },
    /// The confidence level is not strictly between 0 and 1.
    InvalidLevel(f64),
}

impl fmt::Display for ProportionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyDenominator => write!(f, "the denominator is 0: no patient to count"),
            Self::MoreSuccessesThanTrials { k, n } => write!(f, "{k} successes out of {n} trials"),
            Self::InvalidLevel(level) => write!(f, "confidence level {level} is not in (0, 1)"),
        }
    }
}

impl std::error::Error for ProportionError {}

/// k/n with a `level` confidence interval by `method`.
///
/// * [`BinomialCi::ClopperPearson`]: lower = B⁻¹(α/2; k, n−k+1) (0 when k = 0),
///   upper = B⁻¹(1−α/2; k+1, n−k) (1 when k = n), with B⁻¹ the beta quantile
///   and α = 1 − level; exactly R `binom.test(k, n)$conf.int`, including the
///   k = 0 and k = n edges (statsmodels `proportion_confint(method="beta")`).
/// * [`BinomialCi::Wilson`]: (k + z²/2)/(n + z²) ± z/(n + z²)·√(k(n−k)/n + z²/4),
///   z = Φ⁻¹(1 − α/2) (Wilson 1927; statsmodels `method="wilson"`,
///   R `prop.test(correct = FALSE)`); the limit is exactly 0 at k = 0 and 1 at k = n.
/// * [`BinomialCi::WilsonCc`]: as R `prop.test(k, n, correct = TRUE)`
///   computes it (Newcombe 1998, method 4), with p̂ = k/n and the correction
///   c = min(½, |k − n/2|): the lower limit is the Wilson limit of p = p̂ − c/n
///   (0 when p ≤ 0), the upper that of p = p̂ + c/n (1 when p ≥ 1), each
///   (p + z²/2n ∓ z√(p(1−p)/n + z²/4n²)) / (1 + z²/n).
/// * [`BinomialCi::Wald`]: p̂ ± z√(p̂(1−p̂)/n), clipped to [0, 1] (statsmodels
///   `method="normal"`); [`BinomialCi::WaldCc`] widens it by 1/(2n) on each
///   side before clipping.
/// * [`BinomialCi::Jeffreys`]: B⁻¹(α/2; k + ½, n − k + ½) and
///   B⁻¹(1 − α/2; k + ½, n − k + ½), with the lower limit 0 at k = 0 and the
///   upper 1 at k = n (Brown, Cai & DasGupta 2001, section 4.1.2; statsmodels
///   `method="jeffreys"` gives the unmodified quantiles there).
/// * [`BinomialCi::AgrestiCoull`]: p̃ ± z√(p̃(1−p̃)/ñ), ñ = n + z²,
///   p̃ = (k + z²/2)/ñ, clipped to [0, 1] (Agresti & Coull 1998; statsmodels
///   `method="agresti_coull"`).
///
/// ```
/// use cohortscope_stats::binomial::proportion;
/// use cohortscope_stats::conventions::BinomialCi;
/// // R: binom.test(3, 10)$conf.int = 0.0667395111777345 0.6524528500599973
/// let p = proportion(3, 10, 0.95, BinomialCi::ClopperPearson).unwrap();
/// assert!((p.lower - 0.0667395111777345).abs() < 1e-15);
/// assert!((p.upper - 0.6524528500599973).abs() < 1e-15);
/// ```
pub fn proportion(
    k: u64,
    n: u64,
    level: f64,
    method: BinomialCi,
) -> Result<Proportion, ProportionError> {
    if n == 0 {
        return Err(ProportionError::EmptyDenominator);
    }
    if k > n {
        return Err(ProportionError::MoreSuccessesThanTrials { k, n });
    }
    if !(level > 0.0 && level < 1.0) {
        return Err(ProportionError::InvalidLevel(level));
    }
    let alpha = 1.0 - level;
    let (kf, nf) = (k as f64, n as f64);
    let (lower, upper) = match method {
        BinomialCi::ClopperPearson => {
            let lower = if k == 0 {
                0.0
            } else {
                beta_quantile(alpha / 2.0, kf, nf - kf + 1.0)
            };
            let upper = if k == n {
                1.0
            } else {
                beta_quantile(1.0 - alpha / 2.0, kf + 1.0, nf - kf)
            };
            (lower, upper)
        }
        BinomialCi::Wilson => {
            let z = normal_quantile(1.0 - alpha / 2.0);
            let z2 = z * z;
            let centre = (kf + z2 / 2.0) / (nf + z2);
            let half = z / (nf + z2) * (kf * (nf - kf) / nf + z2 / 4.0).sqrt();
            let lower = if k == 0 { 0.0 } else { centre - half };
            let upper = if k == n { 1.0 } else { centre + half };
            (lower, upper)
        }
        BinomialCi::WilsonCc => {
            let z = normal_quantile(1.0 - alpha / 2.0);
            let z22n = z * z / (2.0 * nf);
            let p = kf / nf;
            // R prop.test: YATES = min(0.5, |x − n p0|) with p0 = ½.
            let c = (kf - nf / 2.0).abs().min(0.5);
            let limit = |p: f64, sign: f64| {
                (p + z22n + sign * z * (p * (1.0 - p) / nf + z22n / (2.0 * nf)).sqrt())
                    / (1.0 + 2.0 * z22n)
            };
            let (low, high) = (p - c / nf, p + c / nf);
            let lower = if low <= 0.0 { 0.0 } else { limit(low, -1.0) };
            let upper = if high >= 1.0 { 1.0 } else { limit(high, 1.0) };
            (lower, upper)
        }
        BinomialCi::Wald | BinomialCi::WaldCc => {
            let z = normal_quantile(1.0 - alpha / 2.0);
            let p = kf / nf;
            let correction = if method == BinomialCi::WaldCc {
                0.5 / nf
            } else {
                0.0
            };
            let half = z * (p * (1.0 - p) / nf).sqrt() + correction;
            ((p - half).max(0.0), (p + half).min(1.0))
        }
        BinomialCi::Jeffreys => {
            let (a, b) = (kf + 0.5, nf - kf + 0.5);
            let lower = if k == 0 {
                0.0
            } else {
                beta_quantile(alpha / 2.0, a, b)
            };
            let upper = if k == n {
                1.0
            } else {
                beta_quantile(1.0 - alpha / 2.0, a, b)
            };
            (lower, upper)
        }
        BinomialCi::AgrestiCoull => {
            let z = normal_quantile(1.0 - alpha / 2.0);
            let n_tilde = nf + z * z;
            let p = (kf + z * z / 2.0) / n_tilde;
            let half = z * (p * (1.0 - p) / n_tilde).sqrt();
            ((p - half).max(0.0), (p + half).min(1.0))
        }
    };
    Ok(Proportion {
        k,
        n,
        estimate: kf / nf,
        lower,
        upper,
        level,
        method,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(k: u64, n: u64, method: BinomialCi, expected: (f64, f64)) {
        let p = proportion(k, n, 0.95, method).unwrap();
        let tol = 1e-12;
        assert!(
            (p.lower - expected.0).abs() <= tol * expected.0.abs().max(1e-300),
            "{p:?}"
        );
        assert!(
            (p.upper - expected.1).abs() <= tol * expected.1.abs(),
            "{p:?}"
        );
    }

    #[test]
    fn clopper_pearson_edges_are_closed_form() {
        // k = 0: upper = 1 − (α/2)^(1/n); k = n: lower = (α/2)^(1/n).
        let n = 20u64;
        let u = -((0.025_f64).ln() / n as f64).exp_m1();
        check(0, n, BinomialCi::ClopperPearson, (0.0, u));
        check(
            n,
            n,
            BinomialCi::ClopperPearson,
            ((0.025_f64.ln() / n as f64).exp(), 1.0),
        );
    }

    #[test]
    fn clopper_pearson_matches_binom_test() {
        // R 4.2.x: binom.test(3, 10)$conf.int = 0.0667395111777345 0.6524528500599973
        let p = proportion(3, 10, 0.95, BinomialCi::ClopperPearson).unwrap();
        assert!((p.lower - 0.0667395111777345).abs() < 1e-15);
        assert!((p.upper - 0.6524528500599973).abs() < 1e-14);
        assert_eq!(p.estimate, 0.3);
    }

    #[test]
    fn wilson_edges_are_exact() {
        let p = proportion(0, 12, 0.95, BinomialCi::Wilson).unwrap();
        assert_eq!(p.lower, 0.0);
        let p = proportion(12, 12, 0.95, BinomialCi::Wilson).unwrap();
        assert_eq!(p.upper, 1.0);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert_eq!(
            proportion(0, 0, 0.95, BinomialCi::Wilson),
            Err(ProportionError::EmptyDenominator)
        );
        assert_eq!(
            proportion(3, 2, 0.95, BinomialCi::Wilson),
            Err(ProportionError::MoreSuccessesThanTrials { k: 3, n: 2 })
        );
        assert_eq!(
            proportion(1, 2, 1.0, BinomialCi::Wilson),
            Err(ProportionError::InvalidLevel(1.0))
        );
    }
}
