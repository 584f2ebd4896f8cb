//! Cholesky factorisation of the (symmetric, p×p, row-major) information
//! matrix, with the singularity check that flags collinear covariates.

/// A pivot below this fraction of the largest diagonal element marks the
/// column as a linear combination of the ones before it, or as carrying no
/// information (survival's `cholesky2.c` rule; R `coxph.control`'s
/// `toler.chol` defaults to 1.8e-12 on unscaled data, cohortscope scales the
/// covariates first).
pub const PIVOT_TOLERANCE: f64 = 1e-10;

/// Lower-triangular L with A = L·Lᵀ.
#[derive(Debug, Clone)]
pub struct Cholesky {
    p: usize,
    l: Vec<f64>,
}

impl Cholesky {
    /// Factorises A, or returns the index of the first column whose pivot is
    /// not above [`PIVOT_TOLERANCE`] times the largest diagonal element.
    pub fn new(a: &[f64], p: usize) -> Result<Self, usize> {
        let largest = (0..p).map(|j| a[j * p + j].abs()).fold(0.0, f64::max);
        let mut l = vec![0.0; p * p];
        for j in 0..p {
            let mut diag = a[j * p + j];
            for k in 0..j {
                diag -= l[j * p + k] * l[j * p + k];
            }
            if !diag.is_finite() || diag <= PIVOT_TOLERANCE * largest {
                return Err(j);
            }
            let root = diag.sqrt();
            l[j * p + j] = root;
            for i in j + 1..p {
                let mut s = a[i * p + j];
                for k in 0..j {
                    s -= l[i * p + k] * l[j * p + k];
                }
                l[i * p + j] = s / root;
            }
        }
        Ok(Cholesky { p, l })
    }

    /// Solves A·x = b.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let p = self.p;
        let mut y = b.to_vec();
        for i in 0..p {
            for k in 0..i {
                y[i] -= self.l[i * p + k] * y[k];
            }
            y[i] /= self.l[i * p + i];
        }
        for i in (0..p).rev() {
            for k in i + 1..p {
                y[i] -= self.l[k * p + i] * y[k];
            }
            y[i] /= self.l[i * p + i];
        }
        y
    }

    /// A⁻¹, row-major.
    pub fn inverse(&self) -> Vec<f64> {
        let p = self.p;
        let mut inv = vec![0.0; p * p];
        for j in 0..p {
            let mut e = vec![0.0; p];
            e[j] = 1.0;
            for (i, v) in self.solve(&e).into_iter().enumerate() {
                inv[i * p + j] = v;
            }
        }
        inv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_and_inverts() {
        let a = [4.0, 2.0, 2.0, 3.0];
        let c = Cholesky::new(&a, 2).unwrap();
        let x = c.solve(&[2.0, 1.0]);
        assert!(
            (4.0 * x[0] + 2.0 * x[1] - 2.0).abs() < 1e-15
                && (2.0 * x[0] + 3.0 * x[1] - 1.0).abs() < 1e-15
        );
        let inv = c.inverse();
        let expected = [0.375, -0.25, -0.25, 0.5];
        assert!(inv.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-15));
    }

    #[test]
    fn singular_names_the_dependent_column() {
        let a = [1.0, 2.0, 2.0, 4.0];
        assert_eq!(Cholesky::new(&a, 2).unwrap_err(), 1);
    }
}
