//! Median follow-up by the reverse Kaplan–Meier method (Schemper & Smith
//! 1996): the median of the Kaplan–Meier curve of the data with events and
//! censorings swapped, so that an event ends follow-up early and a
//! censoring is the "event" of interest. R: `survfit(Surv(time, 1 - status) ~ 1)`.

use super::{KaplanMeier, KmOptions, Quantile, SurvivalError, Tally};
use crate::conventions::{CiTransform, MedianRule};

/// Median follow-up with Brookmeyer–Crowley limits (see
/// [`KaplanMeier::quantile`]) under `transform` at `level`.
pub fn median_follow_up(
    times: &[f64],
    events: &[bool],
    transform: CiTransform,
    level: f64,
    rule: MedianRule,
) -> Result<Quantile, SurvivalError> {
    let data = Tally::new(times, events)?.reversed();
    Ok(KaplanMeier::fit(&data, KmOptions { transform, level })?.median(rule))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_events_and_censorings() {
        // Censored at 2, 4, 6, 8; events at 1, 3. Reverse KM: the event at 1 is
        // censored, "events" at 2, 4, 6, 8 with 5, 3, 2, 1 at risk:
        // S = 4/5, 4/5·2/3 = 8/15, 8/15·1/2 = 4/15 (at 6): median 6.
        let m = median_follow_up(
            &[1.0, 2.0, 3.0, 4.0, 6.0, 8.0],
            &[true, false, true, false, false, false],
            CiTransform::LogLog,
            0.95,
            MedianRule::Midpoint,
        )
        .unwrap();
        assert_eq!(m.estimate, Some(6.0));
    }
}
