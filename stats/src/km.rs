//! Kaplan–Meier estimate of the survival function, with Greenwood standard
//! errors and pointwise confidence intervals.
//!
//! At each distinct time t (events or censorings) with n at risk (time ≥ t),
//! d events and c censorings:
//!
//! * Ŝ(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ) (Kaplan & Meier 1958);
//! * Greenwood: Var log Ŝ(t) ≈ Σ_{tᵢ ≤ t} dᵢ / (nᵢ(nᵢ − dᵢ)), and
//!   SE Ŝ(t) = Ŝ(t)·√Σ (the delta method). R `survfit` reports the first
//!   (`std.err`, of log S); this module reports the second, the SE of S.
//! * at a tied time events come before censorings, so those censored at t are
//!   at risk at t; times equal up to round-off are one time (R `aeqSurv`).
//!
//! Where Ŝ drops to 0 (nᵢ = dᵢ) the term dᵢ/(nᵢ(nᵢ − dᵢ)) is undefined; the
//! standard error and the limits are then `None` from that time on.
//!
//! Worked example (Therneau & Grambsch style), times 6, 3+, 1, 6, 8+, 3
//! (+ censored), given in that order:
//!
//! | t | n | d | c | S                 | Σ d/(n(n−d))        |
//! |---|---|---|---|-------------------|---------------------|
//! | 1 | 6 | 1 | 0 | 5/6               | 1/30                |
//! | 3 | 5 | 1 | 1 | 5/6·4/5 = 2/3     | 1/30 + 1/20 = 1/12  |
//! | 6 | 3 | 2 | 0 | 2/3·1/3 = 2/9     | 1/12 + 2/3 = 3/4    |
//! | 8 | 1 | 0 | 1 | 2/9               | 3/4                 |
//!
//! so SE S(6) = 2/9·√(3/4) = √3/9.
//!
//! ```
//! use cohortscope_stats::conventions::{CiTransform, MedianRule};
//! use cohortscope_stats::km::kaplan_meier;
//!
//! let times = [6.0, 3.0, 1.0, 6.0, 8.0, 3.0];
//! let events = [true, false, true, true, false, true];
//! let fit = kaplan_meier(&times, &events, CiTransform::LogLog, 0.95).unwrap();
//! assert!((fit.rows[2].survival - 2.0 / 9.0).abs() < 1e-15);
//! assert!((fit.rows[2].std_err.unwrap() - 3f64.sqrt() / 9.0).abs() < 1e-15);
//! assert_eq!(fit.median(MedianRule::Midpoint).estimate, Some(6.0));
//! ```
//!
//! Agreement with the references (`tests/survival_reference.rs`): the table
//! (counts, S, SE of S, limits under all three transforms) matches R
//! `survfit`, lifelines `KaplanMeierFitter` (log-log) and statsmodels
//! `SurvfuncRight` to 1e-9, except by convention where S = 1 (R: NA log-log
//! limits; ours [1, 1]) and where S = 0 (lifelines: limits 0; ours `None`).

mod ci;
mod difference;
mod follow_up;
// Property tests use proptest, a native-only dev-dependency.
mod input;
mod order;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
mod quantile;
mod range;
mod rmst;
mod tally;

pub use difference::{difference_at, rmst_difference, RmstDifference, SurvivalDifference};
pub use follow_up::median_follow_up;
pub(crate) use input::tie_up;
pub use input::{SurvivalData, SurvivalError};
pub use order::processing_order;
pub use quantile::Quantile;
pub use range::TimeRange;
pub use rmst::Rmst;
pub use tally::Tally;

use crate::conventions::CiTransform;
use crate::dist::normal_quantile;

/// One row of the Kaplan–Meier table: a distinct observed time.
#[derive(Debug, Clone, PartialEq)]
pub struct KmRow {
    pub time: f64,
    /// Subjects with time ≥ `time`.
    pub n_risk: usize,
    pub n_event: usize,
    pub n_censor: usize,
    /// Ŝ(time), right-continuous (after the events at `time`).
    pub survival: f64,
    /// Greenwood standard error of Ŝ (not of log Ŝ); `None` where Ŝ = 0.
    pub std_err: Option<f64>,
    /// Pointwise lower confidence limit; `None` where Ŝ = 0.
    pub lower: Option<f64>,
    /// Pointwise upper confidence limit; `None` where Ŝ = 0.
    pub upper: Option<f64>,
}

/// Options of a Kaplan–Meier fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmOptions {
    pub transform: CiTransform,
    /// Confidence level, 0 < level < 1.
    pub level: f64,
}

/// A fitted Kaplan–Meier curve.
#[derive(Debug, Clone, PartialEq)]
pub struct KaplanMeier {
    /// One row per distinct time, ascending.
    pub rows: Vec<KmRow>,
    /// Number of subjects.
    pub n: usize,
    /// Number of events.
    pub events: usize,
    /// Number of censored subjects.
    pub censored: usize,
    transform: CiTransform,
    level: f64,
    /// z_{1−α/2} for `level`.
    z: f64,
}

/// Ŝ and its uncertainty at one time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvivalPoint {
    pub time: f64,
    pub survival: f64,
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// Fits the Kaplan–Meier curve of `times` (`events[i]`: true for an event,
/// false for censored) with pointwise `transform` limits at `level`.
pub fn kaplan_meier(
    times: &[f64],
    events: &[bool],
    transform: CiTransform,
    level: f64,
) -> Result<KaplanMeier, SurvivalError> {
    KaplanMeier::fit(&Tally::new(times, events)?, KmOptions { transform, level })
}

impl KaplanMeier {
    /// Fits tallied data. Fails only on a level outside (0, 1).
    pub fn fit(tally: &Tally, options: KmOptions) -> Result<KaplanMeier, SurvivalError> {
        let level = options.level;
        if !(level > 0.0 && level < 1.0) {
            return Err(SurvivalError::InvalidLevel { value: level });
        }
        let z = normal_quantile(1.0 - (1.0 - level) / 2.0);
        let n = tally.subjects();
        let mut rows: Vec<KmRow> = Vec::with_capacity(tally.times.len());
        let mut n_risk = n;
        let mut survival = 1.0_f64;
        let mut greenwood = 0.0_f64;
        for ((&time, &n_event), &n_censor) in
            tally.times.iter().zip(&tally.events).zip(&tally.censored)
        {
            if n_event == n_risk {
                survival = 0.0;
            } else if n_event > 0 {
                survival *= (n_risk - n_event) as f64 / n_risk as f64;
                greenwood += n_event as f64 / (n_risk as f64 * (n_risk - n_event) as f64);
            }
            let (std_err, lower, upper) = match rows.last() {
                // Without an event Ŝ and its variance stay as they were.
                Some(previous) if n_event == 0 => {
                    (previous.std_err, previous.lower, previous.upper)
                }
                _ if survival > 0.0 => {
                    let se_log = greenwood.sqrt();
                    let (lo, hi) = ci::limits(survival, se_log, z, options.transform);
                    (Some(survival * se_log), Some(lo), Some(hi))
                }
                _ => (None, None, None),
            };
            rows.push(KmRow {
                time,
                n_risk,
                n_event,
                n_censor,
                survival,
                std_err,
                lower,
                upper,
            });
            n_risk -= n_event + n_censor;
        }
        let events = tally.total_events();
        Ok(KaplanMeier {
            rows,
            n,
            events,
            censored: n - events,
            transform: options.transform,
            level,
            z,
        })
    }

    /// The transform of the pointwise limits.
    pub fn transform(&self) -> CiTransform {
        self.transform
    }

    /// The confidence level.
    pub fn level(&self) -> f64 {
        self.level
    }

    /// Ŝ(t) with SE and limits: the row of the last observed time ≤ t, or
    /// S = 1 with limits [1, 1] before the first one. `None` after the last
    /// observed time (the estimate is not defined there; R `summary.survfit`
    /// drops such times unless `extend = TRUE`) and for a NaN `t`.
    pub fn survival_at(&self, t: f64) -> Option<SurvivalPoint> {
        let last = self.rows.last()?;
        if t.is_nan() || t > last.time {
            return None;
        }
        let k = self.rows.partition_point(|r| r.time <= t);
        Some(match k {
            0 => SurvivalPoint {
                time: t,
                survival: 1.0,
                std_err: Some(0.0),
                lower: Some(1.0),
                upper: Some(1.0),
            },
            _ => {
                let r = &self.rows[k - 1];
                SurvivalPoint {
                    time: t,
                    survival: r.survival,
                    std_err: r.std_err,
                    lower: r.lower,
                    upper: r.upper,
                }
            }
        })
    }

    /// Standard error of log Ŝ (Greenwood's √Σ d/(n(n−d))); `std_err` is
    /// `Some` only where Ŝ > 0.
    fn se_log(row: &KmRow) -> Option<f64> {
        row.std_err.map(|se| se / row.survival)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(fit: &KaplanMeier, expected: &[(f64, usize, usize, usize, f64)]) {
        assert_eq!(fit.rows.len(), expected.len());
        for (row, &(t, n, d, c, s)) in fit.rows.iter().zip(expected) {
            assert_eq!(
                (row.time, row.n_risk, row.n_event, row.n_censor),
                (t, n, d, c)
            );
            assert!(
                (row.survival - s).abs() < 1e-15,
                "S({t}) = {} ≠ {s}",
                row.survival
            );
        }
    }

    #[test]
    fn worked_example_in_the_module_doc() {
        let fit = kaplan_meier(
            &[6.0, 3.0, 1.0, 6.0, 8.0, 3.0],
            &[true, false, true, true, false, true],
            CiTransform::Log,
            0.95,
        )
        .unwrap();
        check(
            &fit,
            &[
                (1.0, 6, 1, 0, 5.0 / 6.0),
                (3.0, 5, 1, 1, 2.0 / 3.0),
                (6.0, 3, 2, 0, 2.0 / 9.0),
                (8.0, 1, 0, 1, 2.0 / 9.0),
            ],
        );
        assert!((fit.rows[2].std_err.unwrap() - 3f64.sqrt() / 9.0).abs() < 1e-15);
        assert_eq!((fit.n, fit.events, fit.censored), (6, 4, 2));
        let z = normal_quantile(0.975);
        let lo = 2.0 / 9.0 * (-z * 0.75f64.sqrt()).exp();
        assert!((fit.rows[2].lower.unwrap() - lo).abs() < 1e-15);
    }

    #[test]
    fn survival_drops_to_zero_without_dividing_by_zero() {
        let fit = kaplan_meier(
            &[1.0, 2.0, 2.0],
            &[true, true, true],
            CiTransform::LogLog,
            0.95,
        )
        .unwrap();
        check(&fit, &[(1.0, 3, 1, 0, 2.0 / 3.0), (2.0, 2, 2, 0, 0.0)]);
        assert_eq!(
            (fit.rows[1].std_err, fit.rows[1].lower, fit.rows[1].upper),
            (None, None, None)
        );
    }

    #[test]
    fn before_the_first_event_s_is_one_with_limits_one() {
        let fit = kaplan_meier(
            &[1.0, 2.0, 3.0],
            &[false, true, false],
            CiTransform::LogLog,
            0.9,
        )
        .unwrap();
        assert_eq!(
            (fit.rows[0].survival, fit.rows[0].lower, fit.rows[0].upper),
            (1.0, Some(1.0), Some(1.0))
        );
        let p = fit.survival_at(0.5).unwrap();
        assert_eq!((p.survival, p.lower, p.upper), (1.0, Some(1.0), Some(1.0)));
        assert_eq!(fit.survival_at(2.5).unwrap().survival, 0.5);
        assert_eq!(fit.survival_at(3.5), None);
    }

    #[test]
    fn all_censored_stays_at_one() {
        let fit = kaplan_meier(
            &[4.0, 2.0, 2.0],
            &[false, false, false],
            CiTransform::Plain,
            0.95,
        )
        .unwrap();
        check(&fit, &[(2.0, 3, 0, 2, 1.0), (4.0, 1, 0, 1, 1.0)]);
        assert_eq!(fit.rows[1].std_err, Some(0.0));
    }

    #[test]
    fn rejects_a_level_outside_zero_one() {
        assert_eq!(
            kaplan_meier(&[1.0], &[true], CiTransform::Log, 1.0),
            Err(SurvivalError::InvalidLevel { value: 1.0 })
        );
    }
}
