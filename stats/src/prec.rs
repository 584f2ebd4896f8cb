//! Named tolerances, in one place (after statrs `src/prec.rs`).
//!
//! Every comparison of floating-point values in `stats` and in the reference
//! tests uses one of these constants, never a bare literal.

/// Times closer than this, absolutely or relative to the mean absolute
/// distinct time, are one time: `sqrt(.Machine$double.eps)`, the default of R
/// survival's `aeqSurv` (applied by `survfit`, `survdiff`, `coxph` with
/// `timefix = TRUE`).
pub const TIME_TIE: f64 = 1.490_116_119_384_765_6e-8;

/// Relative tolerance deciding that an estimated survival probability equals
/// a target level exactly (the median rule). A Kaplan–Meier product is a
/// rational number computed with a relative round-off of a few ulps per
/// factor; 1e-9 absorbs that for a million factors, while two distinct
/// products of risk-set fractions with n ≤ 10⁴ differ by far more.
pub const SURVIVAL_EQ: f64 = 1e-9;

/// Relative agreement required of every non-count value in the reference
/// tests (estimates, standard errors, limits, statistics, p-values).
pub const REFERENCE_REL: f64 = 1e-9;

/// Relative size, against the largest diagonal element, under which a pivot
/// of a variance matrix is taken as zero (the matrix is singular in that
/// direction and the direction is dropped from the generalized inverse).
/// R survival's `cholesky2` uses the same kind of threshold (`toler.chol`).
pub const PIVOT: f64 = 1e-10;

/// True when `a` and `b` agree to `rel` relative to the larger magnitude.
/// Purely relative, so that a p-value of 1e-60 is checked to `rel` too.
pub fn close(a: f64, b: f64, rel: f64) -> bool {
    if a == b {
        return true;
    }
    (a - b).abs() <= rel * a.abs().max(b.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_is_relative() {
        assert!(close(1e6, 1e6 * (1.0 + 5e-10), REFERENCE_REL));
        assert!(!close(1e6, 1e6 * (1.0 + 5e-9), REFERENCE_REL));
        assert!(close(1e-60, 1e-60 * (1.0 + 5e-10), REFERENCE_REL));
        assert!(!close(1e-60, 0.0, REFERENCE_REL));
        assert!(close(f64::INFINITY, f64::INFINITY, REFERENCE_REL));
    }

    #[test]
    fn time_tie_is_sqrt_machine_epsilon() {
        assert_eq!(TIME_TIE, f64::EPSILON.sqrt());
    }
}
