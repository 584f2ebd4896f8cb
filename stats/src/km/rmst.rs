//! Restricted mean survival time: the area under the Kaplan–Meier curve up to
//! τ, with its standard error (Klein & Moeschberger 2003, §4.5; R
//! `print(survfit, rmean = τ)`, computed as survival 3.5's `survmean`).

use super::{KaplanMeier, SurvivalError};

/// Restricted mean survival time to `tau` and its normal-approximation limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rmst {
    pub tau: f64,
    pub estimate: f64,
    pub std_err: f64,
    /// estimate − z·SE at the fit's level.
    pub lower: f64,
    /// estimate + z·SE at the fit's level.
    pub upper: f64,
}

impl KaplanMeier {
    /// μ(τ) = ∫₀^τ Ŝ(t) dt, summed over the steps of Ŝ (times start at 0), and
    ///
    /// Var μ(τ) = Σ_{tᵢ ≤ τ} Aᵢ² · dᵢ / (nᵢ(nᵢ − dᵢ)),  Aᵢ = ∫_{tᵢ}^τ Ŝ(t) dt,
    ///
    /// with the term taken as 0 where nᵢ = dᵢ (as R's `survmean`). τ may lie
    /// beyond the last observed time; Ŝ is then carried forward, as R does.
    pub fn rmst(&self, tau: f64) -> Result<Rmst, SurvivalError> {
        if !(tau.is_finite() && tau > 0.0) {
            return Err(SurvivalError::InvalidTau { value: tau });
        }
        let kept: Vec<_> = self.rows.iter().take_while(|r| r.time <= tau).collect();
        let mut estimate = 0.0;
        let mut previous = (0.0, 1.0); // (time, S just after it)
        for r in &kept {
            estimate += (r.time - previous.0) * previous.1;
            previous = (r.time, r.survival);
        }
        estimate += (tau - previous.0) * previous.1;
        // Aᵢ from the right: the area after tᵢ up to τ.
        let mut variance = 0.0;
        let mut area_after = 0.0;
        let mut right = tau;
        for r in kept.iter().rev() {
            area_after += (right - r.time) * r.survival;
            right = r.time;
            if r.n_event > 0 && r.n_risk > r.n_event {
                let h = r.n_event as f64 / (r.n_risk as f64 * (r.n_risk - r.n_event) as f64);
                variance += area_after * area_after * h;
            }
        }
        let std_err = variance.sqrt();
        Ok(Rmst {
            tau,
            estimate,
            std_err,
            lower: estimate - self.z * std_err,
            upper: estimate + self.z * std_err,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::kaplan_meier;
    use super::*;
    use crate::conventions::CiTransform;

    #[test]
    fn by_hand() {
        // Events at 1 and 3 among 4 subjects (2+ and 5+ censored):
        // S = 1 on [0,1), 3/4 on [1,3), 3/8 on [3,5].
        let f = kaplan_meier(
            &[3.0, 2.0, 1.0, 5.0],
            &[true, false, true, false],
            CiTransform::Log,
            0.95,
        )
        .unwrap();
        let r = f.rmst(4.0).unwrap();
        assert!((r.estimate - (1.0 + 2.0 * 0.75 + 1.0 * 0.375)).abs() < 1e-15);
        // A(3) = 3/8, A(1) = 3/8 + 2·3/4 = 15/8; h(1) = 1/12, h(3) = 1/2.
        let var = (15.0f64 / 8.0).powi(2) / 12.0 + (3.0f64 / 8.0).powi(2) / 2.0;
        assert!((r.std_err - var.sqrt()).abs() < 1e-15);
        assert_eq!(f.rmst(0.0), Err(SurvivalError::InvalidTau { value: 0.0 }));
    }
}
