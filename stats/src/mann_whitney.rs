//! Mann–Whitney U (Wilcoxon rank-sum) test, two-sided, as R `wilcox.test(x, y)`.

use std::fmt;

use super::dist::normal_sf;

/// How the p-value is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MannWhitneyMethod {
    /// R `wilcox.test`'s choice: [`Self::Exact`] when both samples have fewer
    /// than 50 values and there are no ties, [`Self::Normal`] otherwise.
    /// (scipy `mannwhitneyu(method="auto")` differs: it goes exact only when a
    /// sample has at most 8 values; pass the method explicitly to match it.)
    Auto,
    /// The exact permutation distribution of U (R `exact = TRUE`, scipy
    /// `method="exact"`); needs untied data.
    Exact,
    /// Normal approximation with the tie correction of the variance and a
    /// continuity correction of 1/2 (R `correct = TRUE`, scipy
    /// `method="asymptotic", use_continuity=True`).
    Normal,
}

/// Result of the test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannWhitney {
    /// U of the first sample: its rank sum minus n₁(n₁+1)/2, midranks for
    /// ties (R's `W`, scipy's `statistic`).
    pub u: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// The method used: [`MannWhitneyMethod::Exact`] or [`MannWhitneyMethod::Normal`].
    pub method: MannWhitneyMethod,
}

/// Why the test could not be computed.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum MannWhitneyError {
    /// A sample is empty.
    EmptySample,
    /// A value is NaN or infinite (`sample` 0 is x, 1 is y).
    NotFinite {
        sample: usize,
        index: usize,
        value: f64,
    },
    /// The exact method was asked for tied data.
    TiesInExact,
    /// The exact method was asked for n₁·n₂ above [`EXACT_MAX_PRODUCT`].
    ExactTooLarge { n1: usize, n2: usize },
    /// Every value is the same: the statistic has no variance.
    AllTied,
}

impl fmt::Display for MannWhitneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptySample => write!(f, "a sample is empty"),
            Self::NotFinite {
                sample,
                index,
                value,
            } => {
                write!(
                    f,
                    "value {value} at index {index} of sample {} is not finite",
                    ["x", "y"][*sample]
                )
            }
            Self::TiesInExact => write!(f, "the exact Mann–Whitney distribution needs untied data"),
            Self::ExactTooLarge { n1, n2 } => {
                write!(f, "exact Mann–Whitney for {n1}×{n2} values is too large")
            }
            Self::AllTied => write!(f, "all values are tied"),
        }
    }
}

impl std::error::Error for MannWhitneyError {}

/// Largest n₁·n₂ for which the exact distribution is computed (the work is
/// of order (n₁·n₂)²).
pub const EXACT_MAX_PRODUCT: usize = 10_000;

/// R `wilcox.test` uses the exact distribution below this sample size.
const AUTO_EXACT_BELOW: usize = 50;

/// Two-sided Mann–Whitney test of x against y.
///
/// Exact: p = min(1, 2·min(P(U ≤ u), P(U ≥ u))), the distribution of U from
/// the recurrence P_{m,n}(u) = m/(m+n)·P_{m−1,n}(u−n) + n/(m+n)·P_{m,n−1}(u)
/// (Mann & Whitney 1947), in probabilities so nothing overflows.
/// Normal: z = (u − n₁n₂/2 − ½·sign)/σ with
/// σ² = n₁n₂/12·((N+1) − Σ(t³−t)/(N(N−1))), p = 2·(1 − Φ(|z|)).
///
/// ```
/// use cohortscope_stats::mann_whitney::{mann_whitney, MannWhitneyMethod};
/// // R: wilcox.test(c(1, 2), c(3, 4, 5)): W = 0, p-value = 0.2 (exact)
/// let r = mann_whitney(&[1.0, 2.0], &[3.0, 4.0, 5.0], MannWhitneyMethod::Auto).unwrap();
/// assert_eq!((r.u, r.method), (0.0, MannWhitneyMethod::Exact));
/// assert!((r.p_value - 0.2).abs() < 1e-15);
/// ```
pub fn mann_whitney(
    x: &[f64],
    y: &[f64],
    method: MannWhitneyMethod,
) -> Result<MannWhitney, MannWhitneyError> {
    for (sample, values) in [x, y].into_iter().enumerate() {
        if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(MannWhitneyError::NotFinite {
                sample,
                index,
                value,
            });
        }
    }
    if x.is_empty() || y.is_empty() {
        return Err(MannWhitneyError::EmptySample);
    }
    let (n1, n2) = (x.len(), y.len());
    let all: Vec<f64> = x.iter().chain(y).copied().collect();
    let ranked = midranks(&all);
    let rank_sum: f64 = ranked.ranks[..n1].iter().sum();
    let u = rank_sum - (n1 * (n1 + 1)) as f64 / 2.0;
    let tied = ranked.tie_sizes.iter().any(|&t| t > 1);
    let method = match method {
        MannWhitneyMethod::Auto if n1 < AUTO_EXACT_BELOW && n2 < AUTO_EXACT_BELOW && !tied => {
            MannWhitneyMethod::Exact
        }
        MannWhitneyMethod::Auto => MannWhitneyMethod::Normal,
        other => other,
    };
    let p_value = match method {
        MannWhitneyMethod::Exact => {
            if tied {
                return Err(MannWhitneyError::TiesInExact);
            }
            if n1 * n2 > EXACT_MAX_PRODUCT {
                return Err(MannWhitneyError::ExactTooLarge { n1, n2 });
            }
            // The null distribution of U depends on {n₁, n₂} only; building it
            // with the smaller sample innermost keeps the tables small.
            let pmf = exact_distribution(n1.max(n2), n1.min(n2));
            let u = u.round() as usize;
            let lower: f64 = pmf[..=u].iter().sum();
            let upper: f64 = pmf[u..].iter().sum();
            (2.0 * lower.min(upper)).min(1.0)
        }
        _ => {
            let (n1f, n2f) = (n1 as f64, n2 as f64);
            let n = n1f + n2f;
            let ties: f64 = ranked
                .tie_sizes
                .iter()
                .map(|&t| (t as f64).powi(3) - t as f64)
                .sum();
            let sigma = (n1f * n2f / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)))).sqrt();
            if sigma.is_nan() || sigma <= 0.0 {
                return Err(MannWhitneyError::AllTied);
            }
            let centred = u - n1f * n2f / 2.0;
            let z = (centred - 0.5 * centred.signum()) / sigma;
            (2.0 * normal_sf(z.abs())).min(1.0)
        }
    };
    Ok(MannWhitney { u, p_value, method })
}

/// P(U = u) for u = 0..=n1·n2 under the null, untied data; memory is of
/// order n2·n1·n2, so pass the smaller sample size as `n2`.
fn exact_distribution(n1: usize, n2: usize) -> Vec<f64> {
    let max = n1 * n2;
    // row[j] = distribution for (i, j), built for i = 0..=n1.
    let mut row: Vec<Vec<f64>> = (0..=n2).map(|_| point_mass(max)).collect();
    for i in 1..=n1 {
        let mut next: Vec<Vec<f64>> = Vec::with_capacity(n2 + 1);
        next.push(point_mass(max));
        for j in 1..=n2 {
            let (wi, wj) = (i as f64 / (i + j) as f64, j as f64 / (i + j) as f64);
            let mut p = vec![0.0; max + 1];
            for (u, slot) in p.iter_mut().enumerate().take(i * j + 1) {
                let from_x = if u >= j { row[j][u - j] } else { 0.0 };
                *slot = wi * from_x + wj * next[j - 1][u];
            }
            next.push(p);
        }
        row = next;
    }
    row.pop().unwrap_or_else(|| point_mass(max))
}

/// Ranks of a sample, ties sharing their mean rank.
pub(crate) struct Midranks {
    /// Rank of each value, in input order, 1-based.
    pub ranks: Vec<f64>,
    /// Size of each group of equal values (1 for an untied value).
    pub tie_sizes: Vec<usize>,
}

/// Midranks (R `rank(ties.method = "average")`, scipy `rankdata`). Values
/// must be finite.
pub(crate) fn midranks(values: &[f64]) -> Midranks {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
    let mut ranks = vec![0.0; values.len()];
    let mut tie_sizes = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        tie_sizes.push(end - start);
        start = end;
    }
    Midranks { ranks, tie_sizes }
}

fn point_mass(max: usize) -> Vec<f64> {
    let mut p = vec![0.0; max + 1];
    p[0] = 1.0;
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_small_case_by_enumeration() {
        // x all below y: U = 0, P(U = 0) = 1/C(5, 2) = 0.1, two-sided 0.2.
        let r = mann_whitney(&[1.0, 2.0], &[3.0, 4.0, 5.0], MannWhitneyMethod::Auto).unwrap();
        assert_eq!(r.u, 0.0);
        assert_eq!(r.method, MannWhitneyMethod::Exact);
        assert!((r.p_value - 0.2).abs() < 1e-15);
    }

    #[test]
    fn exact_distribution_sums_to_one_and_is_symmetric() {
        let p = exact_distribution(4, 6);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-14);
        assert!(p
            .iter()
            .zip(exact_distribution(6, 4))
            .all(|(a, b)| (a - b).abs() < 1e-16));
        for u in 0..=24 {
            assert!((p[u] - p[24 - u]).abs() < 1e-16);
        }
    }

    #[test]
    fn ties_switch_auto_to_normal() {
        // R 4.2: wilcox.test(c(1, 2, 2, 3), c(2, 4, 5)): W = 2, p-value = 0.19908985214820457
        let r = mann_whitney(
            &[1.0, 2.0, 2.0, 3.0],
            &[2.0, 4.0, 5.0],
            MannWhitneyMethod::Auto,
        )
        .unwrap();
        assert_eq!(r.method, MannWhitneyMethod::Normal);
        assert_eq!(r.u, 2.0);
        assert!((r.p_value - 0.19908985214820457).abs() < 1e-15);
        assert_eq!(
            mann_whitney(&[1.0, 2.0], &[2.0], MannWhitneyMethod::Exact),
            Err(MannWhitneyError::TiesInExact)
        );
    }

    #[test]
    fn bad_input() {
        assert_eq!(
            mann_whitney(&[], &[1.0], MannWhitneyMethod::Auto),
            Err(MannWhitneyError::EmptySample)
        );
        assert!(matches!(
            mann_whitney(&[1.0], &[2.0, f64::NAN], MannWhitneyMethod::Auto),
            Err(MannWhitneyError::NotFinite {
                sample: 1,
                index: 1,
                ..
            })
        ));
        assert_eq!(
            mann_whitney(&[1.0], &[1.0], MannWhitneyMethod::Normal),
            Err(MannWhitneyError::AllTied)
        );
    }
}
