//! Distribution functions used for tests and confidence intervals.
//!
//! Upper tails are computed directly (never as `1 - cdf`), so a p-value of
//! 1e-60 stays 1e-60. The special functions come from `statrs`; their
//! accuracy is checked against scipy on a grid reaching into the far tails
//! (`tests/fixtures/cox_response/dist.csv`, tolerance
//! [`DIST_RELATIVE_TOLERANCE`]): the normal tail up to z = 37, chi-square
//! upper tails down to 1e-300, t tails, and the beta quantiles of
//! Clopper–Pearson limits with n up to 10⁴ and k = 0, 1, n/2, n−1, n.
//!
//! What `statrs` does not get right to that level is replaced: its `erfc`
//! (see [`normal_sf`]); its beta quantile (AS 109) and, for b ≈ 10⁴, its
//! incomplete beta function (ln B(a, b) from differences of ln Γ), see
//! [`beta_quantile`].

use statrs::distribution::{Continuous, ContinuousCDF, Normal};
use statrs::function::{beta, gamma};

/// Relative accuracy the functions here are checked to against scipy.
pub const DIST_RELATIVE_TOLERANCE: f64 = 1e-12;

fn std_normal() -> Normal {
    Normal::new(0.0, 1.0).expect("standard normal")
}

/// Φ(x), the standard normal distribution function: [`normal_sf`] of −x.
pub fn normal_cdf(x: f64) -> f64 {
    normal_sf(-x)
}

/// 1 − Φ(x), computed without cancellation: for x ≥ 0 it is
/// Q(½, x²/2)/2, for x < 0 it is ½ + P(½, x²/2)/2, with P and Q the
/// regularised incomplete gamma functions (erfc(y) = Q(½, y²)).
///
/// `statrs`' own `erfc` (a port of Boost's) stores Boost's single-precision
/// break-point constants as doubles and is off by up to 1e-10 relative, so it
/// is not used; its incomplete gamma functions meet 1e-12 on the fixture
/// grid. The rounding of x² costs at most x²·2⁻⁵³ relative (7e-14 at x = 37).
pub fn normal_sf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x.is_infinite() {
        return if x > 0.0 { 0.0 } else { 1.0 };
    }
    if x == 0.0 {
        return 0.5;
    }
    let half_square = 0.5 * x * x;
    if x > 0.0 {
        0.5 * gamma::gamma_ur(0.5, half_square)
    } else {
        0.5 + 0.5 * gamma::gamma_lr(0.5, half_square)
    }
}

/// φ(x), the standard normal density.
pub fn normal_pdf(x: f64) -> f64 {
    std_normal().pdf(x)
}

/// Φ⁻¹(p) for 0 < p < 1.
pub fn normal_quantile(p: f64) -> f64 {
    std_normal().inverse_cdf(p)
}

/// Two-sided p-value of a standard normal statistic: 2·(1 − Φ(|z|)).
pub fn normal_two_sided_p(z: f64) -> f64 {
    (2.0 * normal_sf(z.abs())).min(1.0)
}

/// Upper tail P(X > x) of a chi-square distribution with `df` degrees of
/// freedom: the regularised upper incomplete gamma function Q(df/2, x/2).
/// Returns 1 for x ≤ 0 and NaN for df ≤ 0 or a NaN argument.
pub fn chi_square_sf(x: f64, df: f64) -> f64 {
    if x.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    if x.is_infinite() {
        return 0.0;
    }
    gamma::gamma_ur(df / 2.0, x / 2.0)
}

/// Two-sided p-value of a Student t statistic with `df` degrees of freedom:
/// P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2), the regularised incomplete beta
/// function, evaluated directly (scipy `2 * t.sf(abs(t), df)`).
pub fn t_two_sided_p(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return 0.0;
    }
    let h = df / (df + t * t);
    beta::beta_reg(df / 2.0, 0.5, h).min(1.0)
}

/// The p-quantile of Beta(a, b): the x with I_x(a, b) = p, for a, b > 0 and
/// 0 ≤ p ≤ 1 (NaN otherwise).
///
/// Closed forms for a = 1 or b = 1. Otherwise the problem is put on its
/// smaller tail (for p > ½, y = 1 − x is the (1 − p)-quantile of Beta(b, a)),
/// and ln I_y(a, b) = ln p is solved by Newton's method in ln y, bracketed,
/// from the leading term I_y ≈ yᵃ/(a·B(a, b)). The tail itself is a
/// binomial sum when the shapes are integers and one of them is at most 30
/// (Clopper–Pearson limits: `statrs`' ln B(a, b) loses digits for b ≈ 10⁴),
/// `statrs`' continued fraction otherwise.
pub fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && (0.0..=1.0).contains(&p)) {
        return f64::NAN;
    }
    if p == 0.0 {
        return 0.0;
    }
    if p == 1.0 {
        return 1.0;
    }
    // Closed forms (the k = 0, 1, n−1, n limits of Clopper–Pearson):
    // I_x(1, b) = 1 − (1 − x)^b and I_x(a, 1) = x^a.
    if a == 1.0 {
        return -((-p).ln_1p() / b).exp_m1();
    }
    if b == 1.0 {
        return (p.ln() / a).exp();
    }
    if p > 0.5 {
        1.0 - lower_tail_quantile(1.0 - p, b, a)
    } else {
        lower_tail_quantile(p, a, b)
    }
}

/// The y with I_y(a, b) = p, p ≤ ½: Newton on g(u) = ln I_{eᵘ}(a, b) − ln p,
/// g′(u) = y·f(y)/I_y(a, b), kept inside the bracket of the root found so
/// far (bisection in u when a step leaves it).
fn lower_tail_quantile(p: f64, a: f64, b: f64) -> f64 {
    const MAX_STEPS: usize = 200;
    let ln_p = p.ln();
    let ln_beta = beta::ln_beta(a, b);
    let mean = a / (a + b);
    // Leading term of the lower tail, capped at the mean.
    let mut u = ((ln_p + a.ln() + ln_beta) / a).min(mean.ln());
    let (mut lo, mut hi) = (f64::NEG_INFINITY, 0.0_f64);
    for _ in 0..MAX_STEPS {
        let y = u.exp();
        let tail = beta_lower_tail(y, a, b);
        let g = tail.ln() - ln_p;
        if g == 0.0 {
            return y;
        }
        if g > 0.0 {
            hi = u;
        } else {
            lo = u;
        }
        let ln_density = (a - 1.0) * u + (b - 1.0) * (-y).ln_1p() - ln_beta;
        let slope = (u + ln_density).exp() / tail;
        let mut next = u - g / slope;
        if !(next > lo && next < hi && next.is_finite()) {
            next = if lo.is_finite() {
                0.5 * (lo + hi)
            } else {
                u - u.abs().max(1.0)
            };
        }
        if (next - u).abs() <= 4.0 * f64::EPSILON {
            return next.exp();
        }
        u = next;
    }
    u.exp()
}

/// I_y(a, b), the lower tail of Beta(a, b).
fn beta_lower_tail(y: f64, a: f64, b: f64) -> f64 {
    let integers = a.fract() == 0.0 && b.fract() == 0.0;
    if integers && a <= SHORT_SUM_MAX {
        // P(Bin(N, y) ≥ a), N = a + b − 1.
        binomial_tail(a as usize, a + b - 1.0, y, Tail::AtOrAbove)
    } else if integers && b <= SHORT_SUM_MAX {
        // P(Bin(N, y) ≥ a) = P(Bin(N, 1 − y) < b).
        binomial_tail(b as usize, a + b - 1.0, 1.0 - y, Tail::Below)
    } else {
        beta::beta_reg(a, b, y)
    }
}

/// Largest integer shape for which [`binomial_tail`] is used.
const SHORT_SUM_MAX: f64 = 30.0;

/// Which binomial tail [`binomial_tail`] sums.
#[derive(Clone, Copy)]
enum Tail {
    /// P(X < k).
    Below,
    /// P(X ≥ k).
    AtOrAbove,
}

/// A tail of X ~ Bin(n, x) for a small k, summed term by term (never as a
/// complement): log terms ln C(n, j) + j·ln x + (n−j)·ln(1−x) built by the
/// ratio (n−j)/(j+1)·x/(1−x), added up relative to the largest. The upper
/// sum stops once past the mode and its terms are below 2⁻⁶⁰ of the largest.
fn binomial_tail(k: usize, n: f64, x: f64, tail: Tail) -> f64 {
    let log_odds = x.ln() - (-x).ln_1p();
    let next = |log_term: f64, j: f64| log_term + ((n - j) / (j + 1.0)).ln() + log_odds;
    let mut log_term = n * (-x).ln_1p();
    let mut terms = Vec::new();
    for j in 0..k {
        if let Tail::Below = tail {
            terms.push(log_term);
        }
        log_term = next(log_term, j as f64);
    }
    if let Tail::AtOrAbove = tail {
        let mode = n * x;
        let mut j = k as f64;
        let mut largest = log_term;
        while j <= n {
            terms.push(log_term);
            largest = largest.max(log_term);
            if j > mode && log_term < largest - 60.0 * std::f64::consts::LN_2 {
                break;
            }
            log_term = next(log_term, j);
            j += 1.0;
        }
    }
    let max = terms.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    max.exp() * terms.iter().map(|t| (t - max).exp()).sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, rel: f64) -> bool {
        (actual - expected).abs() <= rel * expected.abs()
    }

    #[test]
    fn normal_tail_far_out() {
        // 1 − Φ(10) = 7.61985302416047e-24 (scipy.stats.norm.sf(10)).
        assert!(close(normal_sf(10.0), 7.619853024160527e-24, 1e-12));
        assert!(normal_sf(37.0) > 0.0);
    }

    #[test]
    fn beta_quantile_closed_forms() {
        // Beta(1, n): quantile 1 − (1 − p)^(1/n); Beta(n, 1): p^(1/n).
        let n = 10_000.0;
        let expected_upper = -((0.025_f64).ln() / n).exp_m1();
        assert!(close(beta_quantile(0.975, 1.0, n), expected_upper, 1e-13));
        let expected_lower = (0.025_f64.ln() / n).exp();
        assert!(close(beta_quantile(0.025, n, 1.0), expected_lower, 1e-14));
    }

    #[test]
    fn chi_square_edges() {
        assert_eq!(chi_square_sf(0.0, 1.0), 1.0);
        assert!(chi_square_sf(1.0, 0.0).is_nan());
        // Q(1/2, x/2) = erfc(√(x/2)) for df = 1.
        assert!(close(
            chi_square_sf(3.84, 1.0),
            2.0 * normal_sf(3.84_f64.sqrt()),
            1e-13
        ));
    }

    // proptest is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn beta_quantile_stays_in_the_unit_interval(
                log_p in -300.0f64..0.0, a in 0.01f64..2e4, b in 0.01f64..2e4, integers in any::<bool>()
            ) {
                let (a, b) = if integers { (a.ceil(), b.ceil()) } else { (a, b) };
                let p = 10f64.powf(log_p);
                let x = beta_quantile(p, a, b);
                prop_assert!((0.0..=1.0).contains(&x), "{x}");
            }
        }
    }
}
