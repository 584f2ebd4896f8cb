//! Quantiles of the Kaplan–Meier curve (median, quartiles) with
//! Brookmeyer–Crowley confidence intervals.
//!
//! The p-quantile is the time by which a fraction p has had the event, i.e.
//! where Ŝ reaches 1 − p (R `quantile.survfit(probs = p)`, SAS `PROC
//! LIFETEST` quartiles, statsmodels `SurvfuncRight.quantile(p)`).
//!
//! Which reference matches which (`tests/survival_reference.rs`):
//! * [`MedianRule::Midpoint`] estimates equal R `quantile.survfit` exactly;
//! * [`MedianRule::FirstLeHalf`] equals lifelines, except where lifelines'
//!   own product rounds just above 1 − p (lymphoma, p = 0.25), and equals
//!   statsmodels except where S = 1 − p exactly (statsmodels, like SAS's
//!   quantile search it cites, takes S < 1 − p strictly);
//! * the Brookmeyer–Crowley limits equal statsmodels `quantile_ci` exactly
//!   for all three transforms; R `quantile.survfit` instead reads its limits
//!   off the pointwise CI curves, which agrees in most cases but not all.

use super::{KaplanMeier, KmRow, SurvivalError};
use crate::conventions::{CiTransform, MedianRule};
use crate::prec::SURVIVAL_EQ;

/// A quantile and its confidence limits; `None` is "not reached".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantile {
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// Ŝ equals the level `s` up to the round-off of a product of fractions
/// ([`SURVIVAL_EQ`], relative), so that floating point never moves a quantile
/// by one event time.
fn equals(survival: f64, s: f64) -> bool {
    (survival - s).abs() <= SURVIVAL_EQ * s
}

impl KaplanMeier {
    /// The median survival time (p = 0.5).
    pub fn median(&self, rule: MedianRule) -> Quantile {
        self.quantile_unchecked(0.5, rule)
    }

    /// The p-quantile, 0 < p < 1, with Brookmeyer–Crowley limits at the fit's
    /// level and transform.
    ///
    /// Estimate, with s = 1 − p and tᵢ the first time with Ŝ(tᵢ) ≤ s
    /// (Ŝ = s counted up to round-off):
    /// * [`MedianRule::FirstLeHalf`]: tᵢ (lifelines `median_survival_time_`);
    /// * [`MedianRule::Midpoint`]: if Ŝ(tᵢ) = s, the midpoint of tᵢ and the
    ///   next time at which Ŝ drops, or of tᵢ and the last observed time when
    ///   Ŝ never drops again (R `quantile.survfit`; `print.survfit` reports tᵢ
    ///   in that last case); otherwise tᵢ.
    ///
    /// Limits (Brookmeyer & Crowley 1982, as SAS `PROC LIFETEST` and
    /// statsmodels `SurvfuncRight.quantile_ci` compute them): with g the
    /// transform (Plain: g(x) = x; Log: log x; LogLog: log(−log x)), the event
    /// times t with Ŝ(t) > 0 and |g(Ŝ(t)) − g(s)| ≤ z·|g′(Ŝ(t))|·SE(Ŝ(t)) form
    /// the confidence set; the lower limit is its first time, the upper limit
    /// the next event time after its last one (`None`, not reached, when
    /// there is none). An empty set gives no limits.
    pub fn quantile(&self, p: f64, rule: MedianRule) -> Result<Quantile, SurvivalError> {
        if !(p > 0.0 && p < 1.0) {
            return Err(SurvivalError::InvalidProbability { value: p });
        }
        Ok(self.quantile_unchecked(p, rule))
    }

    fn quantile_unchecked(&self, p: f64, rule: MedianRule) -> Quantile {
        let s = 1.0 - p;
        let (lower, upper) = self.brookmeyer_crowley(s);
        Quantile {
            estimate: self.estimate(s, rule),
            lower,
            upper,
        }
    }

    fn estimate(&self, s: f64, rule: MedianRule) -> Option<f64> {
        let rows = &self.rows;
        let i = rows
            .iter()
            .position(|r| r.survival <= s || equals(r.survival, s))?;
        let ti = rows[i].time;
        if rule == MedianRule::FirstLeHalf || !equals(rows[i].survival, s) {
            return Some(ti);
        }
        let later = rows[i + 1..]
            .iter()
            .find(|r| r.survival < rows[i].survival && !equals(r.survival, s));
        let end = later.map_or(rows[rows.len() - 1].time, |r| r.time);
        Some((ti + end) / 2.0)
    }

    fn brookmeyer_crowley(&self, s: f64) -> (Option<f64>, Option<f64>) {
        let g = |x: f64| match self.transform {
            CiTransform::Plain => x,
            CiTransform::Log => x.ln(),
            CiTransform::LogLog => (-x.ln()).ln(),
        };
        // |g′(x)|·SE(Ŝ) written with SE(log Ŝ) = SE(Ŝ)/Ŝ.
        let scale = |r: &KmRow, se_log: f64| match self.transform {
            CiTransform::Plain => r.survival * se_log,
            CiTransform::Log => se_log,
            CiTransform::LogLog => se_log / (-r.survival.ln()),
        };
        let event_rows: Vec<&KmRow> = self.rows.iter().filter(|r| r.n_event > 0).collect();
        // Rows with Ŝ = 0 have no SE; an event row with Ŝ > 0 has SE > 0.
        let inside = |r: &KmRow| match Self::se_log(r) {
            Some(se_log) if se_log > 0.0 => {
                (g(r.survival) - g(s)).abs() <= self.z * scale(r, se_log)
            }
            _ => false,
        };
        let first = event_rows.iter().position(|r| inside(r));
        let last = event_rows.iter().rposition(|r| inside(r));
        match (first, last) {
            (Some(a), Some(b)) => (
                Some(event_rows[a].time),
                event_rows.get(b + 1).map(|r| r.time),
            ),
            _ => (None, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::kaplan_meier;
    use super::*;

    fn fit(times: &[f64], events: &[bool]) -> KaplanMeier {
        kaplan_meier(times, events, CiTransform::LogLog, 0.95).unwrap()
    }

    #[test]
    fn flat_stretch_at_one_half_takes_the_midpoint() {
        // S: 3/4 at 1, 1/2 at 2, 1/4 at 5, 0 at 6: S = 1/2 on [2, 5).
        let f = fit(&[5.0, 1.0, 6.0, 2.0], &[true; 4]);
        assert_eq!(f.median(MedianRule::Midpoint).estimate, Some(3.5));
        assert_eq!(f.median(MedianRule::FirstLeHalf).estimate, Some(2.0));
        // First quartile: S = 3/4 on [1, 2).
        assert_eq!(
            f.quantile(0.25, MedianRule::Midpoint).unwrap().estimate,
            Some(1.5)
        );
    }

    #[test]
    fn one_half_reached_by_a_product_that_rounds_off() {
        // 10 subjects, events at 1..=5, S(5) = 9/10·8/9·7/8·6/7·5/6, which is
        // not exactly 0.5 in floating point; the median is still (5 + 7)/2.
        let times = [1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 8.0, 9.0, 10.0, 11.0];
        let f = fit(&times, &[true; 10]);
        assert_eq!(f.median(MedianRule::Midpoint).estimate, Some(6.0));
        assert_eq!(f.median(MedianRule::FirstLeHalf).estimate, Some(5.0));
    }

    #[test]
    fn flat_to_the_end_takes_the_midpoint_with_the_last_time() {
        let f = fit(&[1.0, 2.0, 9.0, 4.0], &[true, true, false, false]);
        // S = 1/2 from t = 2 to the last time 9 (R quantile.survfit).
        assert_eq!(f.median(MedianRule::Midpoint).estimate, Some(5.5));
    }

    #[test]
    fn not_reached_is_none() {
        let f = fit(&[1.0, 2.0, 3.0, 4.0], &[true, false, false, false]);
        let m = f.median(MedianRule::Midpoint);
        assert_eq!(m.estimate, None);
        assert_eq!(m.upper, None);
        assert_eq!(
            f.quantile(1.0, MedianRule::Midpoint),
            Err(SurvivalError::InvalidProbability { value: 1.0 })
        );
    }
}
