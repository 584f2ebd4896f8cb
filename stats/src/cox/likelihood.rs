//! The Cox partial log-likelihood, its score vector and information matrix,
//! with Efron's or Breslow's handling of tied event times, per stratum.

use crate::conventions::Ties;

/// Validated, sorted data: within each stratum, rows in decreasing time.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Number of rows.
    pub n: usize,
    /// Number of covariates.
    pub p: usize,
    /// Times, sorted.
    pub time: Vec<f64>,
    /// Event indicators, sorted with the times.
    pub event: Vec<bool>,
    /// Stratum of each row; rows of a stratum are contiguous.
    pub stratum: Vec<usize>,
    /// Covariates, centred and scaled, row-major n×p.
    pub x: Vec<f64>,
    /// The distinct covariate rows, when there are few (a group factor):
    /// exp(xβ) is then taken once per distinct row, not once per patient.
    pub patterns: Option<Patterns>,
}

/// Few distinct covariate rows, and which one each row is.
#[derive(Debug, Clone)]
pub struct Patterns {
    /// The distinct rows, row-major k×p (bit for bit the rows of `x`).
    pub x: Vec<f64>,
    /// The distinct row of each row.
    pub of_row: Vec<u8>,
}

impl Patterns {
    /// Most distinct rows kept: a factor of up to this many levels.
    pub const MAX: usize = 16;

    /// The distinct rows of the n×p row-major `x`, compared bit for bit;
    /// `None` when there are more than [`Patterns::MAX`].
    pub fn find(x: &[f64], p: usize) -> Option<Patterns> {
        let mut distinct: Vec<f64> = Vec::new();
        let mut of_row = Vec::with_capacity(x.len() / p.max(1));
        let same = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(a, b)| a.to_bits() == b.to_bits());
        for row in x.chunks_exact(p) {
            let k = match distinct.chunks_exact(p).position(|d| same(d, row)) {
                Some(k) => k,
                None if distinct.len() / p < Self::MAX => {
                    distinct.extend_from_slice(row);
                    distinct.len() / p - 1
                }
                None => return None,
            };
            of_row.push(k as u8);
        }
        Some(Patterns {
            x: distinct,
            of_row,
        })
    }

    /// (xβ, exp(xβ)) of each distinct row, computed as the row loop would.
    fn predictors(&self, beta: &[f64]) -> Vec<(f64, f64)> {
        self.x
            .chunks_exact(beta.len())
            .map(|x| linear_predictor(x, beta))
            .collect()
    }
}

/// (xβ, exp(xβ)): the one place they are computed, so that a distinct row's
/// values are bit for bit those of each row it stands for.
#[inline]
fn linear_predictor(x: &[f64], beta: &[f64]) -> (f64, f64) {
    let eta: f64 = x.iter().zip(beta).map(|(x, b)| x * b).sum();
    (eta, eta.exp())
}

/// (xβ, exp(xβ)) of `row`, from the distinct rows' table where there is one.
#[inline]
fn predictor(
    table: Option<(&Patterns, &[(f64, f64)])>,
    row: usize,
    x: &[f64],
    beta: &[f64],
) -> (f64, f64) {
    match table {
        Some((patterns, values)) => values[usize::from(patterns.of_row[row])],
        None => linear_predictor(x, beta),
    }
}

/// Log-likelihood, score U and information I at one β.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub loglik: f64,
    pub score: Vec<f64>,
    /// Row-major p×p.
    pub information: Vec<f64>,
}

/// Evaluates the partial likelihood at β (in the scaled coordinates).
///
/// Walking each stratum from the longest time down, every distinct time t
/// first adds its rows to the risk-set sums S₀ = Σ rᵢ, S₁ = Σ rᵢxᵢ,
/// S₂ = Σ rᵢxᵢxᵢᵀ (rᵢ = exp(xᵢβ)), then takes its d deaths with sums D₀, D₁, D₂:
/// for k = 0..d, with f = k/d (Efron) or f = 0 (Breslow),
/// ℓ −= log(S₀ − fD₀), U −= a, I += (S₂ − fD₂)/(S₀ − fD₀) − a·aᵀ,
/// a = (S₁ − fD₁)/(S₀ − fD₀); and ℓ += Σ_deaths xᵢβ, U += Σ_deaths xᵢ
/// (Therneau & Grambsch 2000, §3.3; survival `coxfit6.c`).
///
/// Models of one to four coefficients (a group factor of up to five levels)
/// run a copy of the same arithmetic, in the same order, on fixed-size arrays
/// ([`evaluate_fixed`]); the results are bit for bit those of the general loop.
pub fn evaluate(data: &Prepared, beta: &[f64], ties: Ties) -> Evaluation {
    match data.p {
        1 => evaluate_fixed::<1>(data, beta, ties),
        2 => evaluate_fixed::<2>(data, beta, ties),
        3 => evaluate_fixed::<3>(data, beta, ties),
        4 => evaluate_fixed::<4>(data, beta, ties),
        _ => evaluate_any(data, beta, ties),
    }
}

/// [`evaluate`] for p = P: the sums live in arrays the compiler unrolls, and
/// the rows are visited as P-wide chunks (no bounds checks in the loop).
fn evaluate_fixed<const P: usize>(data: &Prepared, beta: &[f64], ties: Ties) -> Evaluation {
    let n = data.n;
    let beta: [f64; P] = std::array::from_fn(|j| beta[j]);
    let mut loglik = 0.0;
    let mut score = [0.0; P];
    let mut information = [[0.0; P]; P];
    let (mut s0, mut s1, mut s2) = (0.0, [0.0; P], [[0.0; P]; P]);
    let mut a = [0.0; P];
    let values = data.patterns.as_ref().map(|t| t.predictors(&beta));
    let table = data.patterns.as_ref().zip(values.as_deref());
    let mut i = 0;
    while i < n {
        if i == 0 || data.stratum[i] != data.stratum[i - 1] {
            s0 = 0.0;
            s1 = [0.0; P];
            s2 = [[0.0; P]; P];
        }
        let start = i;
        let mut end = i + 1;
        while end < n
            && data.time[end] == data.time[start]
            && data.stratum[end] == data.stratum[start]
        {
            end += 1;
        }
        let mut deaths = 0usize;
        let (mut d0, mut d1, mut d2) = (0.0, [0.0; P], [[0.0; P]; P]);
        for (row, (x, &event)) in data.x[start * P..end * P]
            .chunks_exact(P)
            .zip(&data.event[start..end])
            .enumerate()
        {
            let x: &[f64; P] = x.try_into().expect("chunks of P");
            let (eta, r) = predictor(table, start + row, x, &beta);
            s0 += r;
            for j in 0..P {
                s1[j] += r * x[j];
                for k in 0..=j {
                    s2[j][k] += r * x[j] * x[k];
                }
            }
            if event {
                deaths += 1;
                loglik += eta;
                d0 += r;
                for j in 0..P {
                    score[j] += x[j];
                    d1[j] += r * x[j];
                    for k in 0..=j {
                        d2[j][k] += r * x[j] * x[k];
                    }
                }
            }
        }
        if deaths > 0 {
            let (repeats, weight) = match ties {
                Ties::Efron => (deaths, 1.0),
                Ties::Breslow => (1, deaths as f64),
            };
            for step in 0..repeats {
                let f = match ties {
                    Ties::Efron => step as f64 / deaths as f64,
                    Ties::Breslow => 0.0,
                };
                let denom = s0 - f * d0;
                loglik -= weight * denom.ln();
                for j in 0..P {
                    a[j] = (s1[j] - f * d1[j]) / denom;
                    score[j] -= weight * a[j];
                }
                for j in 0..P {
                    for k in 0..=j {
                        let c = (s2[j][k] - f * d2[j][k]) / denom;
                        information[j][k] += weight * (c - a[j] * a[k]);
                    }
                }
            }
        }
        i = end;
    }
    let mut full = vec![0.0; P * P];
    for j in 0..P {
        for k in 0..=j {
            full[j * P + k] = information[j][k];
            full[k * P + j] = information[j][k];
        }
    }
    Evaluation {
        loglik,
        score: score.to_vec(),
        information: full,
    }
}

/// [`evaluate`] for any p.
fn evaluate_any(data: &Prepared, beta: &[f64], ties: Ties) -> Evaluation {
    let (n, p) = (data.n, data.p);
    let mut loglik = 0.0;
    let mut score = vec![0.0; p];
    let mut information = vec![0.0; p * p];
    let (mut s0, mut s1, mut s2) = (0.0, vec![0.0; p], vec![0.0; p * p]);
    let (mut d1, mut d2) = (vec![0.0; p], vec![0.0; p * p]);
    let mut a = vec![0.0; p];
    let values = data.patterns.as_ref().map(|t| t.predictors(beta));
    let table = data.patterns.as_ref().zip(values.as_deref());
    let mut i = 0;
    while i < n {
        if i == 0 || data.stratum[i] != data.stratum[i - 1] {
            s0 = 0.0;
            s1.iter_mut().for_each(|v| *v = 0.0);
            s2.iter_mut().for_each(|v| *v = 0.0);
        }
        // The rows sharing this time (and stratum).
        let start = i;
        let mut end = i + 1;
        while end < n
            && data.time[end] == data.time[start]
            && data.stratum[end] == data.stratum[start]
        {
            end += 1;
        }
        let mut deaths = 0usize;
        let mut d0 = 0.0;
        d1.iter_mut().for_each(|v| *v = 0.0);
        d2.iter_mut().for_each(|v| *v = 0.0);
        for row in start..end {
            let x = &data.x[row * p..(row + 1) * p];
            let (eta, r) = predictor(table, row, x, beta);
            s0 += r;
            for j in 0..p {
                s1[j] += r * x[j];
                for k in 0..=j {
                    s2[j * p + k] += r * x[j] * x[k];
                }
            }
            if data.event[row] {
                deaths += 1;
                loglik += eta;
                d0 += r;
                for j in 0..p {
                    score[j] += x[j];
                    d1[j] += r * x[j];
                    for k in 0..=j {
                        d2[j * p + k] += r * x[j] * x[k];
                    }
                }
            }
        }
        if deaths > 0 {
            let (repeats, weight) = match ties {
                Ties::Efron => (deaths, 1.0),
                Ties::Breslow => (1, deaths as f64),
            };
            for step in 0..repeats {
                let f = match ties {
                    Ties::Efron => step as f64 / deaths as f64,
                    Ties::Breslow => 0.0,
                };
                let denom = s0 - f * d0;
                loglik -= weight * denom.ln();
                for j in 0..p {
                    a[j] = (s1[j] - f * d1[j]) / denom;
                    score[j] -= weight * a[j];
                }
                for j in 0..p {
                    for k in 0..=j {
                        let c = (s2[j * p + k] - f * d2[j * p + k]) / denom;
                        information[j * p + k] += weight * (c - a[j] * a[k]);
                    }
                }
            }
        }
        i = end;
    }
    for j in 0..p {
        for k in 0..j {
            information[k * p + j] = information[j * p + k];
        }
    }
    Evaluation {
        loglik,
        score,
        information,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows in decreasing time within two strata, with tied times, tied
    /// deaths and p = 1…5 covariates from a fixed pseudo-random sequence.
    fn prepared(p: usize) -> Prepared {
        let n = 60;
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let stratum: Vec<usize> = (0..n).map(|i| i / 40).collect();
        let time: Vec<f64> = (0..n).map(|i| ((n - i) / 3) as f64).collect();
        let event: Vec<bool> = (0..n).map(|_| next() < 0.7).collect();
        let x: Vec<f64> = (0..n * p).map(|_| next() * 2.0 - 1.0).collect();
        Prepared {
            n,
            p,
            time,
            event,
            stratum,
            x,
            patterns: None,
        }
    }

    #[test]
    fn fixed_width_loops_agree_bit_for_bit_with_the_general_one() {
        for p in 1..=4 {
            let data = prepared(p);
            let beta: Vec<f64> = (0..p).map(|j| 0.3 - 0.2 * j as f64).collect();
            for ties in [Ties::Efron, Ties::Breslow] {
                let (fixed, any) = (
                    evaluate(&data, &beta, ties),
                    evaluate_any(&data, &beta, ties),
                );
                assert_eq!(
                    fixed.loglik.to_bits(),
                    any.loglik.to_bits(),
                    "p = {p}, {ties:?}"
                );
                assert_eq!(fixed.score, any.score);
                assert_eq!(fixed.information, any.information);
            }
        }
        let data = prepared(5);
        assert!(evaluate(&data, &[0.1; 5], Ties::Efron).loglik.is_finite());
    }

    /// A three-level factor (two indicator columns) and a five-level one:
    /// with the table of distinct rows the sums are bit for bit those of
    /// exp(xβ) per row, in both loops.
    #[test]
    fn the_distinct_rows_table_changes_no_bit() {
        for (p, levels) in [(2, 3), (4, 5), (6, 7)] {
            let mut data = prepared(p);
            let level_rows: Vec<Vec<f64>> = (0..levels)
                .map(|l| {
                    (0..p)
                        .map(|j| {
                            if j + 1 == l {
                                0.8
                            } else {
                                -0.2 - 0.1 * j as f64
                            }
                        })
                        .collect()
                })
                .collect();
            data.x = (0..data.n)
                .flat_map(|i| level_rows[i % levels].clone())
                .collect();
            assert!(data.patterns.is_none());
            let beta: Vec<f64> = (0..p).map(|j| 0.4 - 0.3 * j as f64).collect();
            let plain = [
                evaluate(&data, &beta, Ties::Efron),
                evaluate(&data, &beta, Ties::Breslow),
            ];
            data.patterns = Patterns::find(&data.x, p);
            assert_eq!(data.patterns.as_ref().map(|t| t.x.len() / p), Some(levels));
            let tabled = [
                evaluate(&data, &beta, Ties::Efron),
                evaluate(&data, &beta, Ties::Breslow),
            ];
            for (a, b) in plain.iter().zip(&tabled) {
                assert_eq!(a.loglik.to_bits(), b.loglik.to_bits(), "p = {p}");
                assert_eq!(a.score, b.score);
                assert_eq!(a.information, b.information);
            }
        }
        // Continuous covariates: no table.
        let data = prepared(2);
        assert!(Patterns::find(&data.x, 2).is_none());
        assert!(Patterns::find(&[1.0, 2.0, 1.0, 2.0], 2).is_some_and(|t| t.of_row == [0, 0]));
    }
}
