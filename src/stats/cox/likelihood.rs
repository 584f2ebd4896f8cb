//! The Cox partial log-likelihood, its score vector and information matrix,
//! with Efron's or Breslow's handling of tied event times, per stratum.

use crate::stats::conventions::Ties;

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
pub fn evaluate(data: &Prepared, beta: &[f64], ties: Ties) -> Evaluation {
    let (n, p) = (data.n, data.p);
    let mut loglik = 0.0;
    let mut score = vec![0.0; p];
    let mut information = vec![0.0; p * p];
    let (mut s0, mut s1, mut s2) = (0.0, vec![0.0; p], vec![0.0; p * p]);
    let (mut d1, mut d2) = (vec![0.0; p], vec![0.0; p * p]);
    let mut a = vec![0.0; p];
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
            let eta: f64 = x.iter().zip(beta).map(|(x, b)| x * b).sum();
            let r = eta.exp();
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
