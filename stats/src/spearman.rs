//! Spearman rank correlation with its p-value, as scipy `stats.spearmanr`.

use std::fmt;

use super::dist::t_two_sided_p;
use super::mann_whitney::midranks;

/// Spearman's ρ and its two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spearman {
    /// Pearson correlation of the midranks.
    pub rho: f64,
    /// Two-sided p-value from the t approximation:
    /// t = ρ·√((n−2)/(1−ρ²)) on n − 2 degrees of freedom (scipy `spearmanr`,
    /// R `cor.test(method = "spearman", exact = FALSE)`); 0 when |ρ| = 1.
    /// Not R's exact (AS 89) p-value for small untied samples.
    pub p_value: f64,
    /// Number of pairs.
    pub n: usize,
}

/// Why the correlation could not be computed.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum SpearmanError {
    /// x and y differ in length.
    LengthMismatch { x: usize, y: usize },
    /// Fewer than 3 pairs: no degrees of freedom left.
    TooFewPairs(usize),
    /// A value is NaN or infinite (`sample` 0 is x, 1 is y).
    NotFinite {
        sample: usize,
        index: usize,
        value: f64,
    },
    /// One variable is constant: ρ is undefined.
    Constant,
}

impl fmt::Display for SpearmanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LengthMismatch { x, y } => write!(f, "x has {x} values, y has {y}"),
            Self::TooFewPairs(n) => write!(f, "{n} pairs: Spearman's test needs at least 3"),
            Self::NotFinite {
                sample,
                index,
                value,
            } => {
                write!(
                    f,
                    "value {value} at index {index} of {} is not finite",
                    ["x", "y"][*sample]
                )
            }
            Self::Constant => write!(f, "a variable is constant: the correlation is undefined"),
        }
    }
}

impl std::error::Error for SpearmanError {}

/// Spearman's rank correlation of paired samples x and y.
///
/// ```
/// use cohortscope_stats::spearman::spearman;
/// let s = spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 4.0]).unwrap();
/// assert!((s.rho - 0.8).abs() < 1e-15);
/// ```
pub fn spearman(x: &[f64], y: &[f64]) -> Result<Spearman, SpearmanError> {
    if x.len() != y.len() {
        return Err(SpearmanError::LengthMismatch {
            x: x.len(),
            y: y.len(),
        });
    }
    for (sample, values) in [x, y].into_iter().enumerate() {
        if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(SpearmanError::NotFinite {
                sample,
                index,
                value,
            });
        }
    }
    let n = x.len();
    if n < 3 {
        return Err(SpearmanError::TooFewPairs(n));
    }
    let (rx, ry) = (midranks(x).ranks, midranks(y).ranks);
    let mean = (n + 1) as f64 / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        let (da, db) = (a - mean, b - mean);
        sxy += da * db;
        sxx += da * da;
        syy += db * db;
    }
    if sxx == 0.0 || syy == 0.0 {
        return Err(SpearmanError::Constant);
    }
    let rho = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    let df = (n - 2) as f64;
    let p_value = if rho.abs() == 1.0 {
        0.0
    } else {
        t_two_sided_p(rho * (df / (1.0 - rho * rho)).sqrt(), df)
    };
    Ok(Spearman { rho, p_value, n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untied_rho_is_the_rank_difference_formula() {
        // ρ = 1 − 6Σd²/(n(n²−1)); d = (1, −1, 1, −1, 2, −1, −1): Σd² = 10, n = 7.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        let y = [2.0, 1.0, 4.0, 3.0, 7.0, 5.0, 6.0];
        let s = spearman(&x, &y).unwrap();
        assert!((s.rho - (1.0 - 60.0 / 336.0)).abs() < 1e-15);
        assert_eq!(s.n, 7);
    }

    #[test]
    fn perfect_and_degenerate() {
        let s = spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]).unwrap();
        assert_eq!((s.rho, s.p_value), (1.0, 0.0));
        assert_eq!(
            spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]),
            Err(SpearmanError::Constant)
        );
        assert_eq!(
            spearman(&[1.0, 2.0], &[1.0, 2.0]),
            Err(SpearmanError::TooFewPairs(2))
        );
        assert_eq!(
            spearman(&[1.0], &[1.0, 2.0]),
            Err(SpearmanError::LengthMismatch { x: 1, y: 2 })
        );
    }
}
