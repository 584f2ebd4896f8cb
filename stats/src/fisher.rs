//! Fisher's exact test for a 2×2 table, two-sided, as R `fisher.test`.

/// Result of Fisher's exact test on `[[a, b], [c, d]]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FisherExact {
    /// The table, rows as given.
    pub table: [[u64; 2]; 2],
    /// Two-sided p-value: the sum of the hypergeometric probabilities of all
    /// tables with the same margins that are no more likely than the observed
    /// one, "no more likely" with R's relative tolerance
    /// [`FISHER_RELATIVE_TOLERANCE`] (R `fisher.test`, scipy `fisher_exact`).
    pub p_value: f64,
    /// Conditional maximum-likelihood estimate of the odds ratio (the MLE of
    /// the non-central hypergeometric distribution, R `fisher.test()$estimate`,
    /// scipy `contingency.odds_ratio(kind="conditional")`): 0 when `a` is the
    /// smallest value the margins allow, +∞ when it is the largest, and `None`
    /// when a margin is zero so that only one table is possible (R reports 0
    /// there, scipy NaN).
    pub odds_ratio: Option<f64>,
}

/// R's `relErr = 1 + 10^-7` in `fisher.test`: tables whose probability is
/// within this relative distance of the observed one count as "as extreme".
pub const FISHER_RELATIVE_TOLERANCE: f64 = 1e-7;

/// Fisher's exact test of independence in the 2×2 table `[[a, b], [c, d]]`.
///
/// With the margins fixed, a follows the hypergeometric distribution
/// P(a = x) ∝ C(a+c, x)·C(b+d, a+b−x) on max(0, a+b−(b+d)) ≤ x ≤ min(a+b, a+c).
/// The probabilities are built by the ratio recurrence
/// P(x+1)/P(x) = (m−x)(k−x) / ((x+1)(n−k+x+1)) (m = a+c, n = b+d, k = a+b) in
/// logarithms and normalised, so no factorial is ever formed.
///
/// ```
/// use cohortscope_stats::fisher::fisher_exact;
/// // Fisher's tea tasting: R fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 34/70
/// let f = fisher_exact([[3, 1], [1, 3]]);
/// assert!((f.p_value - 34.0 / 70.0).abs() < 1e-15);
/// ```
pub fn fisher_exact(table: [[u64; 2]; 2]) -> FisherExact {
    let [[a, b], [c, d]] = table;
    let (m, n, k) = ((a + c) as f64, (b + d) as f64, (a + b) as f64);
    let lo = (a + b).saturating_sub(b + d);
    let hi = (a + b).min(a + c);
    let log_d = support_log_density(lo, hi, m, n, k);
    let x = (a - lo) as usize;
    let max = log_d.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let d: Vec<f64> = log_d.iter().map(|v| (v - max).exp()).collect();
    let total: f64 = d.iter().sum();
    let cutoff = d[x] * (1.0 + FISHER_RELATIVE_TOLERANCE);
    let p_value = (d.iter().filter(|&&v| v <= cutoff).sum::<f64>() / total).min(1.0);
    let odds_ratio = if lo == hi {
        None
    } else if a == lo {
        Some(0.0)
    } else if a == hi {
        Some(f64::INFINITY)
    } else {
        Some(conditional_mle(&log_d, lo as f64, a as f64))
    };
    FisherExact {
        table,
        p_value,
        odds_ratio,
    }
}

/// log P(x) − log P(lo) for x = lo..=hi.
fn support_log_density(lo: u64, hi: u64, m: f64, n: f64, k: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity((hi - lo + 1) as usize);
    let mut current = 0.0;
    out.push(current);
    for x in lo..hi {
        let x = x as f64;
        current += ((m - x) * (k - x)).ln() - ((x + 1.0) * (n - k + x + 1.0)).ln();
        out.push(current);
    }
    out
}

/// Mean and variance of the support under odds ratio e^θ.
fn moments(log_d: &[f64], lo: f64, theta: f64) -> (f64, f64) {
    let w: Vec<f64> = log_d
        .iter()
        .enumerate()
        .map(|(i, v)| v + theta * (lo + i as f64))
        .collect();
    let max = w.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let (mut s0, mut s1, mut s2) = (0.0, 0.0, 0.0);
    for (i, v) in w.iter().enumerate() {
        let p = (v - max).exp();
        let x = lo + i as f64;
        s0 += p;
        s1 += p * x;
        s2 += p * x * x;
    }
    let mean = s1 / s0;
    (mean, (s2 / s0 - mean * mean).max(0.0))
}

/// The odds ratio e^θ at which the conditional mean of a equals the observed
/// a (lo < a < hi): safeguarded Newton on θ, whose derivative is the
/// conditional variance, bracketed so it always converges.
fn conditional_mle(log_d: &[f64], lo: f64, a: f64) -> f64 {
    const MAX_STEPS: usize = 200;
    let (mut left, mut right) = (f64::NEG_INFINITY, f64::INFINITY);
    let mut theta = 0.0_f64;
    for _ in 0..MAX_STEPS {
        let (mean, var) = moments(log_d, lo, theta);
        let f = mean - a;
        if f > 0.0 {
            right = theta;
        } else if f < 0.0 {
            left = theta;
        } else {
            break;
        }
        let mut next = theta - f / var;
        if !(next > left && next < right && next.is_finite()) {
            next = match (left.is_finite(), right.is_finite()) {
                (true, true) => 0.5 * (left + right),
                (true, false) => left + 1.0 + left.abs(),
                (false, true) => right - 1.0 - right.abs(),
                (false, false) => 0.0,
            };
        }
        if (next - theta).abs() <= 4.0 * f64::EPSILON * theta.abs().max(1.0) {
            theta = next;
            break;
        }
        theta = next;
    }
    theta.exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tea_tasting() {
        // Fisher's lady tasting tea: R fisher.test(matrix(c(3, 1, 1, 3), 2)):
        // p-value = 0.4857142857 (= 34/70). Odds ratio: scipy
        // contingency.odds_ratio(kind="conditional") = 6.408319658199662 (R prints
        // 6.408309: its uniroot stops at tolerance 1.2e-4).
        let f = fisher_exact([[3, 1], [1, 3]]);
        assert!((f.p_value - 34.0 / 70.0).abs() < 1e-15);
        assert!((f.odds_ratio.unwrap() - 6.408319658199662).abs() < 1e-12);
    }

    #[test]
    fn edges_of_the_support() {
        let f = fisher_exact([[0, 5], [5, 0]]);
        // Only the two extreme tables are that unlikely: 2 / C(10, 5).
        assert!((f.p_value - 2.0 / 252.0).abs() < 1e-16);
        assert_eq!(f.odds_ratio, Some(0.0));
        assert_eq!(
            fisher_exact([[5, 0], [0, 5]]).odds_ratio,
            Some(f64::INFINITY)
        );
        let f = fisher_exact([[0, 0], [3, 4]]);
        assert_eq!((f.p_value, f.odds_ratio), (1.0, None));
        assert_eq!(fisher_exact([[0, 0], [0, 0]]).p_value, 1.0);
    }

    #[test]
    fn transposition_and_row_swap() {
        let t = [[2, 7], [8, 2]];
        let p = fisher_exact(t).p_value;
        assert_eq!(fisher_exact([[2, 8], [7, 2]]).p_value, p);
        let or = fisher_exact(t).odds_ratio.unwrap();
        let swapped = fisher_exact([[8, 2], [2, 7]]).odds_ratio.unwrap();
        assert!((or * swapped - 1.0).abs() < 1e-12);
    }

    // proptest is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn p_is_symmetric_in_transposition(a in 0u64..40, b in 0u64..40, c in 0u64..40, d in 0u64..40) {
                let p = fisher_exact([[a, b], [c, d]]).p_value;
                let transposed = fisher_exact([[a, c], [b, d]]).p_value;
                prop_assert!((p - transposed).abs() <= 1e-14 * p);
                prop_assert!(p > 0.0 && p <= 1.0);
            }
        }
    }
}
