//! Pointwise confidence limits of S(t) under a [`CiTransform`], exactly as R
//! survival's `survfit_confint` (survival 3.5) computes them.

use crate::conventions::CiTransform;

/// Limits (lower, upper) of S from the standard error of log S (`se_log`,
/// Greenwood: √Σ d/(n(n−d))) and the normal quantile `z`:
///
/// * `Plain`:  S ∓ z·S·se_log, clipped to [0, 1] (Klein & Moeschberger 4.3.1);
/// * `Log`:    S·exp(∓ z·se_log), upper clipped to 1;
/// * `LogLog`: exp(−exp(log(−log S) ∓ z·se_log / log S)) (Kalbfleisch–Prentice).
///
/// Where S = 1 (before the first event) every transform gives [1, 1]: R returns
/// NA for `log-log` there, SAS and lifelines report 1, and the limits of a
/// probability known to be 1 are 1. Callers handle S = 0 (no limits) first.
pub fn limits(survival: f64, se_log: f64, z: f64, transform: CiTransform) -> (f64, f64) {
    if survival >= 1.0 {
        return (1.0, 1.0);
    }
    match transform {
        CiTransform::Plain => {
            let half = z * se_log * survival;
            ((survival - half).max(0.0), (survival + half).min(1.0))
        }
        CiTransform::Log => {
            let half = z * se_log;
            (
                (survival.ln() - half).exp(),
                (survival.ln() + half).exp().min(1.0),
            )
        }
        CiTransform::LogLog => {
            let ls = survival.ln();
            let half = z * se_log / ls;
            let center = (-ls).ln();
            (
                (-(center - half).exp()).exp(),
                (-(center + half).exp()).exp(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms_by_hand() {
        let (s, se, z) = (0.5_f64, 0.2_f64, 1.96_f64);
        let (lo, hi) = limits(s, se, z, CiTransform::Plain);
        assert!((lo - (0.5 - 1.96 * 0.1)).abs() < 1e-15 && (hi - (0.5 + 1.96 * 0.1)).abs() < 1e-15);
        let (lo, hi) = limits(s, se, z, CiTransform::Log);
        assert!((lo - 0.5 * (-0.392_f64).exp()).abs() < 1e-15);
        assert!((hi - 0.5 * 0.392_f64.exp()).abs() < 1e-15);
        // log-log limits stay inside (0, 1) and bracket S.
        let (lo, hi) = limits(s, se, z, CiTransform::LogLog);
        assert!(0.0 < lo && lo < s && s < hi && hi < 1.0);
        let a = z * se / s.ln();
        assert!((lo - (-((-s.ln()).ln() - a).exp()).exp()).abs() < 1e-15);
        assert_eq!(limits(1.0, 0.0, z, CiTransform::LogLog), (1.0, 1.0));
        assert_eq!(limits(0.9, 1.0, z, CiTransform::Plain).1, 1.0);
    }
}
