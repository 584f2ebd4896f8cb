//! The range of the observed times of a fit, with whether each end is a
//! censoring: the "Range" row of a time-to-event table (TTET01), where a
//! censored extreme is flagged ("0.5, 16.4+").

use super::KaplanMeier;

/// The smallest and largest observed time, each flagged when censored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeRange {
    pub min: f64,
    /// Every subject at `min` is censored.
    pub min_censored: bool,
    pub max: f64,
    /// Every subject at `max` is censored.
    pub max_censored: bool,
}

impl KaplanMeier {
    /// The first and last distinct times of the fit (times equal up to
    /// round-off are one time, as R's `aeqSurv`). An extreme counts as
    /// censored only if every subject at that time is censored (no event
    /// there: `n.event = 0` in R `survfit`); an event and a censoring tied
    /// at the extreme make it an event. `None` for a fit without rows.
    ///
    /// ```
    /// use cohortscope_stats::conventions::CiTransform;
    /// use cohortscope_stats::km::kaplan_meier;
    /// let fit = kaplan_meier(&[4.0, 1.0, 9.0, 9.0], &[true, false, true, false], CiTransform::Log, 0.95).unwrap();
    /// let r = fit.time_range().unwrap();
    /// assert_eq!((r.min, r.min_censored, r.max, r.max_censored), (1.0, true, 9.0, false));
    /// ```
    pub fn time_range(&self) -> Option<TimeRange> {
        let (first, last) = (self.rows.first()?, self.rows.last()?);
        Some(TimeRange {
            min: first.time,
            min_censored: first.n_event == 0,
            max: last.time,
            max_censored: last.n_event == 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::kaplan_meier;
    use crate::conventions::CiTransform;

    #[test]
    fn ties_at_an_extreme_count_as_events() {
        let fit = kaplan_meier(
            &[2.0, 2.0, 5.0, 7.0, 7.0],
            &[false, true, true, false, false],
            CiTransform::LogLog,
            0.95,
        )
        .unwrap();
        let r = fit.time_range().unwrap();
        assert_eq!(
            (r.min, r.min_censored, r.max, r.max_censored),
            (2.0, false, 7.0, true)
        );
    }
}
