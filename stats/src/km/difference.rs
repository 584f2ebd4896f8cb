//! Arm − reference differences of two independent Kaplan–Meier fits: of the
//! survival probability at a landmark time, and of the restricted mean
//! survival time at a common τ, each with a normal-approximation interval and
//! a two-sided z-test.
//!
//! The two arms are independent samples, so the variance of a difference is
//! the sum of the two variances (Greenwood's for Ŝ, Klein & Moeschberger's
//! for the RMST, see [`KaplanMeier::rmst`]). With d the difference and
//! SE = √(SE₁² + SE₂²): limits d ∓ z·SE, z = Φ⁻¹(1 − (1 − level)/2) at the
//! arm fit's level, and p = 2·(1 − Φ(|d|/SE)).
//!
//! * Landmark: R tern `s_surv_timepoint_diff` (from `summary(survfit(...),
//!   times = t, extend = TRUE)` per arm; Klein & Moeschberger 2003, §7.8);
//! * RMST: R survRM2 `rmst2` (Uno et al. 2014, J Clin Oncol 32:2380),
//!   "RMST (arm 1) − (arm 0)".
//!
//! Agreement with R (`tests/tte_reference.rs`, 1e-9 relative):
//! `tests/fixtures/tables/tte_r.csv`, written by
//! `scripts/reference/tables_tte.R`.

use super::{KaplanMeier, SurvivalError};
use crate::dist::normal_two_sided_p;

/// Ŝ_arm(t) − Ŝ_reference(t) with its normal-approximation inference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvivalDifference {
    pub time: f64,
    /// Ŝ_arm(t) − Ŝ_reference(t).
    pub estimate: f64,
    /// √(SE_arm² + SE_ref²), Greenwood SEs of Ŝ; `None` where either is
    /// undefined (Ŝ = 0 in an arm: Greenwood's variance does not exist).
    pub std_err: Option<f64>,
    /// estimate − z·SE.
    pub lower: Option<f64>,
    /// estimate + z·SE.
    pub upper: Option<f64>,
    /// 2·(1 − Φ(|estimate|/SE)); `None` also where SE = 0 (no event up to t
    /// in either arm: the statistic is 0/0).
    pub p_value: Option<f64>,
}

/// μ_arm(τ) − μ_reference(τ) with its normal-approximation inference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RmstDifference {
    pub tau: f64,
    /// μ_arm(τ) − μ_reference(τ).
    pub estimate: f64,
    /// √(SE_arm² + SE_ref²).
    pub std_err: f64,
    /// estimate − z·SE.
    pub lower: f64,
    /// estimate + z·SE.
    pub upper: f64,
    /// 2·(1 − Φ(|estimate|/SE)); `None` where SE = 0 (no event up to τ in
    /// either arm).
    pub p_value: Option<f64>,
}

/// The two-sided p-value of estimate/SE; `None` for SE = 0.
fn z_test(estimate: f64, std_err: f64) -> Option<f64> {
    (std_err > 0.0).then(|| normal_two_sided_p(estimate / std_err))
}

/// Ŝ_arm(t) − Ŝ_reference(t) with SE √(SE_arm² + SE_ref²) (Greenwood SEs of
/// Ŝ, [`KaplanMeier::survival_at`]), limits d ∓ z·SE and the z-test, z at
/// the arm fit's level (fit both arms with the same [`super::KmOptions`]).
///
/// `None` where either Ŝ(t) is undefined: `t` after that arm's last observed
/// time (R `summary(..., extend = TRUE)` carries the last Ŝ forward with n at
/// risk 0 there; tern reports NA, as we do) or NaN.
///
/// ```
/// use cohortscope_stats::conventions::CiTransform;
/// use cohortscope_stats::km::{difference_at, kaplan_meier};
/// // Arm: S(2) = 3/4 (4 at risk, one event at 1). Reference: S(2) = 1/2.
/// let arm = kaplan_meier(&[1.0, 3.0, 4.0, 5.0], &[true; 4], CiTransform::LogLog, 0.95).unwrap();
/// let reference = kaplan_meier(&[1.0, 2.0, 3.0, 4.0], &[true; 4], CiTransform::LogLog, 0.95).unwrap();
/// let d = difference_at(&arm, &reference, 2.0).unwrap();
/// assert!((d.estimate - 0.25).abs() < 1e-15);
/// // Greenwood: SE² = (3/4)²·1/12 + (1/2)²·(1/12 + 1/6) = 3/64 + 1/16.
/// assert!((d.std_err.unwrap() - (7.0f64 / 64.0).sqrt()).abs() < 1e-15);
/// ```
pub fn difference_at(
    arm: &KaplanMeier,
    reference: &KaplanMeier,
    t: f64,
) -> Option<SurvivalDifference> {
    let (a, r) = (arm.survival_at(t)?, reference.survival_at(t)?);
    let estimate = a.survival - r.survival;
    let std_err = a.std_err.zip(r.std_err).map(|(a, r)| a.hypot(r));
    Some(SurvivalDifference {
        time: t,
        estimate,
        std_err,
        lower: std_err.map(|se| estimate - arm.z * se),
        upper: std_err.map(|se| estimate + arm.z * se),
        p_value: std_err.and_then(|se| z_test(estimate, se)),
    })
}

/// μ_arm(τ) − μ_reference(τ), the difference of the restricted mean survival
/// times ([`KaplanMeier::rmst`]) at one τ, with SE √(SE_arm² + SE_ref²),
/// limits d ∓ z·SE and the z-test, z at the arm fit's level (survRM2
/// `rmst2`). τ may lie after an arm's last time (Ŝ carried forward, as R);
/// survRM2's default τ, the smaller of the two arms' largest times, is the
/// caller's choice.
///
/// Fails on τ not finite and positive.
pub fn rmst_difference(
    arm: &KaplanMeier,
    reference: &KaplanMeier,
    tau: f64,
) -> Result<RmstDifference, SurvivalError> {
    let (a, r) = (arm.rmst(tau)?, reference.rmst(tau)?);
    let estimate = a.estimate - r.estimate;
    let std_err = a.std_err.hypot(r.std_err);
    Ok(RmstDifference {
        tau,
        estimate,
        std_err,
        lower: estimate - arm.z * std_err,
        upper: estimate + arm.z * std_err,
        p_value: z_test(estimate, std_err),
    })
}

#[cfg(test)]
mod tests {
    use super::super::kaplan_meier;
    use super::*;
    use crate::conventions::CiTransform;
    use crate::dist::normal_quantile;

    fn fit(times: &[f64], events: &[bool]) -> KaplanMeier {
        kaplan_meier(times, events, CiTransform::Log, 0.95).unwrap()
    }

    #[test]
    fn landmark_by_hand() {
        // Arm: events at 1, 3 of 4 (2+, 5+): S(3) = 3/4·1/2 = 3/8,
        // Σ d/(n(n−d)) = 1/12 + 1/2. Reference: all 4 fail at 1..4:
        // S(3) = 1/4, Σ = 1/12 + 1/6 + 1/2.
        let a = fit(&[3.0, 2.0, 1.0, 5.0], &[true, false, true, false]);
        let r = fit(&[1.0, 2.0, 3.0, 4.0], &[true; 4]);
        let d = difference_at(&a, &r, 3.5).unwrap();
        let var: f64 =
            9.0 / 64.0 * (1.0 / 12.0 + 0.5) + 1.0 / 16.0 * (1.0 / 12.0 + 1.0 / 6.0 + 0.5);
        let se = var.sqrt();
        assert!((d.estimate - 0.125).abs() < 1e-15);
        assert!((d.std_err.unwrap() - se).abs() < 1e-15);
        let z = normal_quantile(0.975);
        assert!((d.lower.unwrap() - (0.125 - z * se)).abs() < 1e-15);
        assert!((d.upper.unwrap() - (0.125 + z * se)).abs() < 1e-15);
        assert!((d.p_value.unwrap() - normal_two_sided_p(0.125 / se)).abs() < 1e-15);
        // Swapping the arms negates the difference and keeps SE and p.
        let e = difference_at(&r, &a, 3.5).unwrap();
        assert_eq!(
            (e.estimate, e.std_err, e.p_value),
            (-d.estimate, d.std_err, d.p_value)
        );
    }

    #[test]
    fn undefined_where_either_curve_is() {
        let a = fit(&[3.0, 2.0, 1.0, 5.0], &[true, false, true, false]);
        let r = fit(&[1.0, 2.0, 3.0, 4.0], &[true; 4]);
        // After the reference's last time (4): no estimate.
        assert_eq!(difference_at(&a, &r, 4.5), None);
        assert_eq!(difference_at(&a, &r, f64::NAN), None);
        // At 4 the reference is at S = 0: a difference without inference.
        let d = difference_at(&a, &r, 4.0).unwrap();
        assert_eq!(
            (d.estimate, d.std_err, d.lower, d.p_value),
            (0.375, None, None, None)
        );
        // Before any event in either arm: 0 ± 0, no test.
        let d = difference_at(&a, &r, 0.5).unwrap();
        assert_eq!(
            (d.estimate, d.std_err, d.lower, d.upper, d.p_value),
            (0.0, Some(0.0), Some(0.0), Some(0.0), None)
        );
    }

    #[test]
    fn rmst_by_hand() {
        // Arm: μ(4) = 1 + 2·3/4 + 1·3/8 = 23/8 (rmst.rs's worked example);
        // reference: all fail at 1..4, μ(4) = 1 + 3/4 + 1/2 + 1/4 = 5/2.
        let a = fit(&[3.0, 2.0, 1.0, 5.0], &[true, false, true, false]);
        let r = fit(&[1.0, 2.0, 3.0, 4.0], &[true; 4]);
        let d = rmst_difference(&a, &r, 4.0).unwrap();
        assert!((d.estimate - 3.0 / 8.0).abs() < 1e-15);
        let (sa, sr) = (a.rmst(4.0).unwrap().std_err, r.rmst(4.0).unwrap().std_err);
        assert!((d.std_err - (sa * sa + sr * sr).sqrt()).abs() < 1e-15);
        assert_eq!(
            rmst_difference(&a, &r, -1.0),
            Err(SurvivalError::InvalidTau { value: -1.0 })
        );
    }
}
