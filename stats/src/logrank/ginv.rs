//! u′V⁻u for a symmetric positive semi-definite V through a generalized
//! inverse, as R survival's `cholesky2`/`chsolve2`: an LDLᵀ factorization in
//! which a pivot below [`PIVOT`]·max diag is taken as zero and its direction
//! dropped. Returns the quadratic form and the rank of V.

use crate::prec::PIVOT;

pub(super) fn quadratic_form(v: &[Vec<f64>], u: &[f64]) -> (f64, usize) {
    let m = u.len();
    let mut a: Vec<Vec<f64>> = v.to_vec();
    let max_diag = (0..m).map(|i| a[i][i].abs()).fold(0.0, f64::max);
    let eps = PIVOT * max_diag;
    let mut kept = vec![false; m];
    for i in 0..m {
        let pivot = a[i][i];
        if pivot.is_nan() || pivot <= eps {
            for row in a.iter_mut().skip(i + 1) {
                row[i] = 0.0;
            }
            continue;
        }
        kept[i] = true;
        for j in i + 1..m {
            let t = a[j][i] / pivot;
            a[j][j] -= t * t * pivot;
            for row in a.iter_mut().skip(j + 1) {
                row[j] -= t * row[i];
            }
            a[j][i] = t;
        }
    }
    // Forward substitution with the unit lower factor L, then y′D⁻y.
    let mut y = u.to_vec();
    for i in 0..m {
        for k in 0..i {
            y[i] -= a[i][k] * y[k];
        }
    }
    let form = (0..m)
        .filter(|&i| kept[i])
        .map(|i| y[i] * y[i] / a[i][i])
        .sum();
    (form, kept.iter().filter(|&&k| k).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_rank_equals_the_inverse() {
        // V = [[2, 1], [1, 2]], V⁻¹ = [[2, −1], [−1, 2]]/3; u = (1, 1): u′V⁻¹u = 2/3.
        let (q, r) = quadratic_form(&[vec![2.0, 1.0], vec![1.0, 2.0]], &[1.0, 1.0]);
        assert!((q - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(r, 2);
    }

    #[test]
    fn singular_direction_is_dropped() {
        // V = [[1, 1], [1, 1]] has rank 1; u = (2, 2) lies in its range: u′V⁻u = 4.
        let (q, r) = quadratic_form(&[vec![1.0, 1.0], vec![1.0, 1.0]], &[2.0, 2.0]);
        assert!((q - 4.0).abs() < 1e-12);
        assert_eq!(r, 1);
    }
}
