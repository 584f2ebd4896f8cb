//! One Kaplan–Meier curve with everything a report says about it: the table,
//! the median with Brookmeyer–Crowley limits, landmark survival, the
//! restricted mean and the reverse-KM median follow-up (the `CURVE` object of
//! `cohortscope.km/1` and `cohortscope.analysis/1`).

use serde::{Deserialize, Serialize};

use super::finite;
use crate::stats::conventions::{CiTransform, MedianRule};
use crate::stats::km::{KaplanMeier, KmOptions, Quantile, SurvivalError, Tally};

/// How a curve is summarised.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveSettings {
    pub transform: CiTransform,
    /// Confidence level, 0 < level < 1.
    pub level: f64,
    pub median_rule: MedianRule,
    /// Times at which Ŝ is reported.
    pub landmarks: Vec<f64>,
    /// Restriction time of the restricted mean (R `rmean = τ`).
    pub tau: f64,
}

/// One row of the Kaplan–Meier table (R `summary(survfit, censored = TRUE)`).
/// `std_err` is the Greenwood SE of Ŝ (R `summary`'s `std.err`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurveRow {
    pub time: f64,
    pub n_risk: usize,
    pub n_event: usize,
    pub n_censor: usize,
    pub survival: f64,
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// An estimate with confidence limits; `None` is "not reached" (or undefined).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

impl From<Quantile> for Estimate {
    fn from(q: Quantile) -> Self {
        Estimate {
            estimate: q.estimate,
            lower: q.lower,
            upper: q.upper,
        }
    }
}

/// Ŝ at a landmark time; all `None` after the last observed time (where the
/// estimate is undefined, as R `summary.survfit(times =)` without `extend`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Landmark {
    pub time: f64,
    pub survival: Option<f64>,
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// Restricted mean survival time to `tau` with normal limits at the level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RestrictedMean {
    pub tau: f64,
    pub estimate: Option<f64>,
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// A summarised Kaplan–Meier curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    pub label: String,
    pub n: usize,
    pub events: usize,
    pub censored: usize,
    pub table: Vec<CurveRow>,
    /// Median survival (the settings' median rule) with Brookmeyer–Crowley limits.
    pub median: Estimate,
    pub landmarks: Vec<Landmark>,
    /// `None` when τ is not a positive time (every time is 0).
    pub rmst: Option<RestrictedMean>,
    /// Median follow-up: the median of the reverse Kaplan–Meier curve
    /// (censorings as events; Schemper & Smith 1996), same rule and limits.
    pub follow_up: Estimate,
}

impl Curve {
    /// Fits and summarises the curve of `times`/`events` (true: event).
    pub fn fit(
        label: &str,
        times: &[f64],
        events: &[bool],
        settings: &CurveSettings,
    ) -> Result<Curve, SurvivalError> {
        let tally = Tally::new(times, events)?;
        let options = KmOptions {
            transform: settings.transform,
            level: settings.level,
        };
        let fit = KaplanMeier::fit(&tally, options)?;
        let follow_up = KaplanMeier::fit(&tally.reversed(), options)?.median(settings.median_rule);
        let rmst = fit.rmst(settings.tau).ok().map(|r| RestrictedMean {
            tau: r.tau,
            estimate: finite(r.estimate),
            std_err: finite(r.std_err),
            lower: finite(r.lower),
            upper: finite(r.upper),
        });
        let landmarks = settings
            .landmarks
            .iter()
            .map(|&time| match fit.survival_at(time) {
                Some(p) => Landmark {
                    time,
                    survival: Some(p.survival),
                    std_err: p.std_err,
                    lower: p.lower,
                    upper: p.upper,
                },
                None => Landmark {
                    time,
                    survival: None,
                    std_err: None,
                    lower: None,
                    upper: None,
                },
            })
            .collect();
        Ok(Curve {
            label: label.to_string(),
            n: fit.n,
            events: fit.events,
            censored: fit.censored,
            median: fit.median(settings.median_rule).into(),
            table: fit
                .rows
                .iter()
                .map(|r| CurveRow {
                    time: r.time,
                    n_risk: r.n_risk,
                    n_event: r.n_event,
                    n_censor: r.n_censor,
                    survival: r.survival,
                    std_err: r.std_err.and_then(finite),
                    lower: r.lower.and_then(finite),
                    upper: r.upper.and_then(finite),
                })
                .collect(),
            landmarks,
            rmst,
            follow_up: follow_up.into(),
        })
    }

    /// Ŝ(t) with SE and limits, read off the table as
    /// [`KaplanMeier::survival_at`]: the row of the last time ≤ t, or S = 1
    /// with limits [1, 1] before the first; `None` after the last time and
    /// for a NaN `t`.
    pub fn at(&self, t: f64) -> Option<Landmark> {
        let last = self.table.last()?;
        if t.is_nan() || t > last.time {
            return None;
        }
        let k = self.table.partition_point(|r| r.time <= t);
        Some(match k.checked_sub(1).map(|k| &self.table[k]) {
            None => Landmark {
                time: t,
                survival: Some(1.0),
                std_err: Some(0.0),
                lower: Some(1.0),
                upper: Some(1.0),
            },
            Some(r) => Landmark {
                time: t,
                survival: Some(r.survival),
                std_err: r.std_err,
                lower: r.lower,
                upper: r.upper,
            },
        })
    }

    /// The largest observed time, 0 for an empty table.
    pub fn last_time(&self) -> f64 {
        self.table.last().map_or(0.0, |r| r.time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(landmarks: Vec<f64>, tau: f64) -> CurveSettings {
        CurveSettings {
            transform: CiTransform::Log,
            level: 0.95,
            median_rule: MedianRule::Midpoint,
            landmarks,
            tau,
        }
    }

    #[test]
    fn by_hand() {
        // Times 6, 3+, 1, 6, 8+, 3: S = 5/6 (1), 2/3 (3), 2/9 (6), 2/9 (8).
        let c = Curve::fit(
            "all",
            &[6.0, 3.0, 1.0, 6.0, 8.0, 3.0],
            &[true, false, true, true, false, true],
            &settings(vec![0.5, 4.0, 9.0], 8.0),
        )
        .unwrap();
        assert_eq!((c.n, c.events, c.censored, c.table.len()), (6, 4, 2, 4));
        assert_eq!(c.median.estimate, Some(6.0));
        assert_eq!(c.landmarks[0].survival, Some(1.0));
        assert!((c.landmarks[1].survival.unwrap() - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(
            c.landmarks[2],
            Landmark {
                time: 9.0,
                survival: None,
                std_err: None,
                lower: None,
                upper: None
            }
        );
        // RMST to 8: 1 + 2·5/6 + 3·2/3 + 2·2/9.
        let rmst = c.rmst.unwrap();
        assert!((rmst.estimate.unwrap() - (1.0 + 10.0 / 6.0 + 2.0 + 4.0 / 9.0)).abs() < 1e-14);
        // Reverse KM: censorings at 3 (5 at risk, S = 4/5) and 8 (1 at risk): median 8.
        assert_eq!(c.follow_up.estimate, Some(8.0));
        assert_eq!(c.last_time(), 8.0);
        // Read off the table as the landmarks are, and 1 before the first time.
        for l in &c.landmarks {
            assert_eq!(c.at(l.time), Some(*l).filter(|l| l.survival.is_some()));
        }
        assert_eq!(c.at(0.5).and_then(|a| a.lower), Some(1.0));
        assert!((c.at(6.0).and_then(|a| a.survival).unwrap() - 2.0 / 9.0).abs() < 1e-15);
        assert_eq!(c.at(8.5), None);
        assert_eq!(c.at(f64::NAN), None);
    }

    #[test]
    fn input_order_does_not_matter() {
        let times = [6.0_f64, 3.0, 1.0, 6.0, 8.0, 3.0, 3.0];
        let events = [true, false, true, false, false, true, true];
        let mut order: Vec<usize> = (0..times.len()).collect();
        order.sort_by(|&a, &b| {
            times[a]
                .total_cmp(&times[b])
                .then(events[b].cmp(&events[a]))
        });
        let sorted_times: Vec<f64> = order.iter().map(|&i| times[i]).collect();
        let sorted_events: Vec<bool> = order.iter().map(|&i| events[i]).collect();
        let s = settings(vec![4.0], 8.0);
        let a = Curve::fit("x", &times, &events, &s).unwrap();
        let b = Curve::fit("x", &sorted_times, &sorted_events, &s).unwrap();
        assert_eq!(a, b);
        // Reverse KM by hand: censorings at 3 (6 at risk) and 6 (3 at risk),
        // 8 (1 at risk): S = 5/6, 5/6·2/3 = 5/9, then 0: median 8.
        assert_eq!(b.follow_up.estimate, Some(8.0));
    }

    #[test]
    fn undefined_values_are_none() {
        // All events: S reaches 0, so SE and limits vanish; all-censored reverse curve.
        let c = Curve::fit("g", &[1.0, 2.0], &[true, true], &settings(vec![], 2.0)).unwrap();
        assert_eq!((c.table[1].std_err, c.table[1].lower), (None, None));
        assert_eq!(c.follow_up.estimate, None);
        let zero = Curve::fit("g", &[0.0, 0.0], &[true, false], &settings(vec![], 0.0)).unwrap();
        assert_eq!(zero.rmst, None);
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains("NaN"), "{json}");
    }
}
