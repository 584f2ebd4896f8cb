//! Axis tick positions chosen by the charts themselves (not by plotters), so
//! that tables under a chart can be aligned with the axis exactly.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// Relative tolerance under which a tick counts as inside the range.
const RANGE_SLACK: f64 = 1e-9;

/// A "nice" step (1, 2, 2.5 or 5 × 10^k) giving about `target` intervals over
/// `span` (Heckbert 1990, "Nice numbers for graph labels", Graphics Gems I).
pub fn nice_step(span: f64, target: usize) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 2.5 {
        2.5
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Multiples of `step` within `[from, to]` (ends included up to rounding);
/// empty if the range or the step is not usable.
pub fn ticks(from: f64, to: f64, step: f64) -> Vec<f64> {
    if !(from.is_finite() && to.is_finite() && step.is_finite() && step > 0.0 && to >= from) {
        return Vec::new();
    }
    let slack = RANGE_SLACK * (to - from).abs().max(step);
    let first = ((from - slack) / step).ceil() as i64;
    let last = ((to + slack) / step).floor() as i64;
    (first..=last)
        .map(|k| k as f64 * step)
        .map(|t| if t == 0.0 { 0.0 } else { t })
        .collect()
}

/// A plotters axis over an inner axis (linear or logarithmic) whose ticks are
/// exactly `ticks`, whatever plotters' label count would choose; the labels
/// are written by the chart's own formatter.
pub struct FixedTicks<R: Ranged<ValueType = f64>> {
    inner: R,
    ticks: Vec<f64>,
}

impl<R: Ranged<ValueType = f64>> FixedTicks<R> {
    /// `inner` with ticks at `ticks`.
    pub fn new(inner: R, ticks: Vec<f64>) -> Self {
        Self { inner, ticks }
    }
}

impl<R: Ranged<ValueType = f64>> Ranged for FixedTicks<R> {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }

    fn axis_pixel_range(&self, limit: (i32, i32)) -> Range<i32> {
        self.inner.axis_pixel_range(limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(24.0, 6), 5.0);
        assert_eq!(nice_step(36.0, 6), 10.0);
        assert_eq!(nice_step(1.0, 5), 0.2);
        assert_eq!(nice_step(0.0, 5), 1.0);
    }

    #[test]
    fn ticks_include_ends() {
        assert_eq!(ticks(0.0, 24.0, 6.0), vec![0.0, 6.0, 12.0, 18.0, 24.0]);
        assert_eq!(
            ticks(-100.0, 100.0, 50.0),
            vec![-100.0, -50.0, 0.0, 50.0, 100.0]
        );
        assert_eq!(ticks(0.1, 0.3, 0.1).len(), 3);
        assert!(ticks(1.0, 0.0, 1.0).is_empty());
    }
}
