//! Distribution functions used for tests and confidence intervals.
//!
//! Upper tails are computed directly (never as `1 - cdf`), so a p-value of
//! 1e-60 stays 1e-60.

use statrs::distribution::{Beta, ChiSquared, Continuous, ContinuousCDF, Normal};

fn std_normal() -> Normal {
    Normal::new(0.0, 1.0).expect("standard normal")
}

/// Φ(x), the standard normal distribution function.
pub fn normal_cdf(x: f64) -> f64 {
    std_normal().cdf(x)
}

/// 1 − Φ(x), computed without cancellation.
pub fn normal_sf(x: f64) -> f64 {
    std_normal().sf(x)
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

/// Upper tail P(X > x) of a chi-square distribution with `df` degrees of freedom.
pub fn chi_square_sf(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    ChiSquared::new(df).expect("df > 0").sf(x)
}

/// The p-quantile of Beta(a, b).
pub fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    Beta::new(a, b).expect("a, b > 0").inverse_cdf(p)
}
