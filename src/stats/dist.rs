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
/// Closed forms for a = 1 or b = 1; for integer shapes with min(a, b) ≤ 30,
/// Newton on the binomial-sum form of the tail; otherwise `statrs`' AS 109
/// answer polished by Newton steps on the smaller tail: on I_x(a, b) − p
/// when p ≤ ½, on I_{1−x}(b, a) − (1 − p) otherwise.
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
    // Integer shapes with a small a (Clopper–Pearson near k = 0, n up to
    // 10⁴ and beyond): the upper tail is a short binomial sum,
    // 1 − I_x(a, b) = P(Bin(N, x) ≤ a − 1), N = a + b − 1, accurate where
    // `statrs`' ln B(a, b) loses digits for large b. Small b by symmetry.
    if is_small_integer(a) && b.fract() == 0.0 {
        let start = beta::inv_beta_reg(a, b, p);
        let n = a + b - 1.0;
        let upper = |x: f64| binomial_cdf_short(a as usize - 1, n, x);
        let density = |x: f64| beta_density(x, a, b);
        return if p > 0.5 {
            let q = 1.0 - p;
            solve(start, |x| q - upper(x), density, q)
        } else {
            solve(start, |x| (1.0 - upper(x)) - p, density, p)
        };
    }
    if is_small_integer(b) && a.fract() == 0.0 {
        return 1.0 - beta_quantile(1.0 - p, b, a);
    }
    if p > 0.5 {
        // x = 1 − y with y the (1−p)-quantile of Beta(b, a); solve for y
        // when y is the small side, else solve for x directly on the upper tail.
        let q = 1.0 - p;
        let start = beta::inv_beta_reg(a, b, p);
        if start > 0.5 {
            return 1.0 - newton_lower(q, b, a, 1.0 - start);
        }
        return newton_upper(q, a, b, start);
    }
    let start = beta::inv_beta_reg(a, b, p);
    if start > 0.5 {
        // Solve on the upper tail of the mirrored variable.
        return 1.0 - newton_upper(p, b, a, 1.0 - start);
    }
    newton_lower(p, a, b, start)
}

/// Newton iterations for I_x(a, b) = p near a starting point x₀.
fn newton_lower(p: f64, a: f64, b: f64, x0: f64) -> f64 {
    solve(
        x0,
        |x| beta::beta_reg(a, b, x) - p,
        |x| beta_density(x, a, b),
        p,
    )
}

/// Newton iterations for 1 − I_x(a, b) = q, with 1 − I_x(a, b) = I_{1−x}(b, a).
fn newton_upper(q: f64, a: f64, b: f64, x0: f64) -> f64 {
    solve(
        x0,
        |x| q - beta::beta_reg(b, a, 1.0 - x),
        |x| beta_density(x, a, b),
        q,
    )
}

/// Largest integer shape for which [`binomial_cdf_short`] is used.
const SHORT_SUM_MAX: f64 = 30.0;

fn is_small_integer(v: f64) -> bool {
    v.fract() == 0.0 && v <= SHORT_SUM_MAX
}

/// P(Bin(n, x) ≤ m) = Σ_{j≤m} C(n, j)·xʲ·(1−x)^{n−j} for a small m, the terms
/// built by the ratio (n−j)/(j+1)·x/(1−x) in logarithms and summed from the
/// largest.
fn binomial_cdf_short(m: usize, n: f64, x: f64) -> f64 {
    let log_odds = x.ln() - (-x).ln_1p();
    let mut terms = Vec::with_capacity(m + 1);
    let mut current = n * (-x).ln_1p();
    terms.push(current);
    for j in 0..m {
        let j = j as f64;
        current += ((n - j) / (j + 1.0)).ln() + log_odds;
        terms.push(current);
    }
    let max = terms.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    max.exp() * terms.iter().map(|t| (t - max).exp()).sum::<f64>()
}

/// Density of Beta(a, b) at x, through logarithms.
fn beta_density(x: f64, a: f64, b: f64) -> f64 {
    ((a - 1.0) * x.ln() + (b - 1.0) * (-x).ln_1p() - beta::ln_beta(a, b)).exp()
}

/// Safeguarded Newton: `f` increasing in x on (0, 1), `df` its derivative,
/// `target` the probability being matched (for the relative stopping rule).
fn solve(x0: f64, f: impl Fn(f64) -> f64, df: impl Fn(f64) -> f64, target: f64) -> f64 {
    const MAX_STEPS: usize = 60;
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    let mut x = x0.clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0);
    for _ in 0..MAX_STEPS {
        let fx = f(x);
        if fx == 0.0 {
            return x;
        }
        if fx > 0.0 {
            hi = x;
        } else {
            lo = x;
        }
        let next = x - fx / df(x);
        let next = if next > lo && next < hi {
            next
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 4.0 * f64::EPSILON * x.abs() || (fx / target).abs() < 1e-16 {
            return next;
        }
        x = next;
    }
    x
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
}
