//! Validation at the edge: right-censored survival data as a type that
//! carries its precondition (finite, non-negative times; one event flag per
//! time), with times equal up to round-off already made equal.

use std::fmt;

use super::order::processing_order;
use crate::prec::TIME_TIE;

/// Why survival input was rejected. Names the offending index and value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SurvivalError {
    /// No subjects at all.
    Empty,
    /// `times` and `events` (or a grouping vector) differ in length.
    LengthMismatch {
        what: &'static str,
        expected: usize,
        found: usize,
    },
    /// A time is NaN or infinite.
    NonFiniteTime { index: usize, value: f64 },
    /// A time is below zero.
    NegativeTime { index: usize, value: f64 },
    /// A confidence level outside (0, 1).
    InvalidLevel { value: f64 },
    /// A probability outside (0, 1) asked of a quantile.
    InvalidProbability { value: f64 },
    /// A restriction time for the restricted mean that is not finite and positive.
    InvalidTau { value: f64 },
    /// A Fleming–Harrington exponent that is not finite and non-negative.
    InvalidWeightExponent { value: f64 },
    /// A trend score that is not finite, or fewer scores than groups.
    InvalidScores { groups: usize, scores: usize },
}

impl fmt::Display for SurvivalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SurvivalError::Empty => write!(f, "no subjects"),
            SurvivalError::LengthMismatch {
                what,
                expected,
                found,
            } => {
                write!(
                    f,
                    "{what} has {found} values, expected {expected} (one per time)"
                )
            }
            SurvivalError::NonFiniteTime { index, value } => {
                write!(f, "time #{index} is {value}, expected a finite number")
            }
            SurvivalError::NegativeTime { index, value } => {
                write!(f, "time #{index} is {value}, expected a time ≥ 0")
            }
            SurvivalError::InvalidLevel { value } => {
                write!(
                    f,
                    "confidence level {value} is not strictly between 0 and 1"
                )
            }
            SurvivalError::InvalidProbability { value } => {
                write!(f, "probability {value} is not strictly between 0 and 1")
            }
            SurvivalError::InvalidTau { value } => {
                write!(f, "restriction time {value} is not a finite positive time")
            }
            SurvivalError::InvalidWeightExponent { value } => {
                write!(f, "weight exponent {value} is not a finite number ≥ 0")
            }
            SurvivalError::InvalidScores { groups, scores } => {
                write!(f, "{scores} finite trend scores given for {groups} groups")
            }
        }
    }
}

impl std::error::Error for SurvivalError {}

/// Right-censored survival data, validated.
///
/// Holds the subjects in input order (times already tied up, see
/// [`SurvivalData::new`]) and their processing order: ascending time, and at a
/// tied time events before censorings (R survival's convention: those
/// censored at t were at risk at t).
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalData {
    times: Vec<f64>,
    events: Vec<bool>,
    order: Vec<usize>,
}

impl SurvivalData {
    /// Validates `times` and `events` (equal lengths, at least one subject,
    /// every time finite and ≥ 0).
    ///
    /// Times equal up to round-off are made equal as R survival's `aeqSurv`
    /// does: the distinct times y₁ < … < y_m are scanned, and yᵢ₊₁ joins the
    /// tie group of yᵢ when yᵢ₊₁ − yᵢ ≤ ε or (yᵢ₊₁ − yᵢ)/mean|y| ≤ ε, with
    /// ε = √(machine ε) ([`TIME_TIE`]); every time becomes the smallest value of
    /// its group.
    pub fn new(times: &[f64], events: &[bool]) -> Result<Self, SurvivalError> {
        validate(times, events)?;
        let order = processing_order(times, events);
        let (times, order) = match tie_up(times, &order) {
            None => (times.to_vec(), order),
            // Tying up maps times monotonically, but merged times may hold
            // events after censorings: ordered again.
            Some(tied) => {
                let order = processing_order(&tied, events);
                (tied, order)
            }
        };
        Ok(SurvivalData {
            times,
            events: events.to_vec(),
            order,
        })
    }

    /// Number of subjects.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Always false: validated data has at least one subject.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// Times in input order, after tying up round-off.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// Event flags in input order (true: event, false: censored).
    pub fn events(&self) -> &[bool] {
        &self.events
    }

    /// Subject indices by ascending time, events before censorings at a tie.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// Checks that a per-subject vector (group, stratum) has one value per subject.
    pub fn check_len(&self, what: &'static str, found: usize) -> Result<(), SurvivalError> {
        if found == self.len() {
            Ok(())
        } else {
            Err(SurvivalError::LengthMismatch {
                what,
                expected: self.len(),
                found,
            })
        }
    }
}

/// Checks equal lengths, at least one subject, and every time finite and
/// ≥ 0, naming the first offending subject.
pub(super) fn validate(times: &[f64], events: &[bool]) -> Result<(), SurvivalError> {
    if times.len() != events.len() {
        return Err(SurvivalError::LengthMismatch {
            what: "events",
            expected: times.len(),
            found: events.len(),
        });
    }
    if times.is_empty() {
        return Err(SurvivalError::Empty);
    }
    for (index, &value) in times.iter().enumerate() {
        if !value.is_finite() {
            return Err(SurvivalError::NonFiniteTime { index, value });
        }
        if value < 0.0 {
            return Err(SurvivalError::NegativeTime { index, value });
        }
    }
    Ok(())
}

/// R survival `aeqSurv` on the distinct times y₁ < … < y_m: yᵢ₊₁ joins the
/// tie group of yᵢ when yᵢ₊₁ − yᵢ ≤ ε or (yᵢ₊₁ − yᵢ)/mean|y| ≤ ε
/// ([`TIME_TIE`]). Returns, for each distinct time, the index of the first
/// time of its group, or `None` when no two are tied (the common case,
/// which allocates nothing).
pub(super) fn tie_groups(distinct: &[f64]) -> Option<Vec<usize>> {
    if distinct.len() < 2 {
        return None;
    }
    let mean_abs = distinct.iter().map(|y| y.abs()).sum::<f64>() / distinct.len() as f64;
    let tied = |w: &[f64]| {
        let dy = w[1] - w[0];
        dy <= TIME_TIE || dy / mean_abs <= TIME_TIE
    };
    if !distinct.windows(2).any(tied) {
        return None;
    }
    let mut groups = vec![0; distinct.len()];
    for i in 1..distinct.len() {
        groups[i] = if tied(&distinct[i - 1..=i]) {
            groups[i - 1]
        } else {
            i
        };
    }
    Some(groups)
}

/// [`tie_groups`] applied to the subjects' validated `times`, given their
/// ascending `order`: every time becomes the first time of its group, or
/// `None` when no two distinct times are tied.
pub(crate) fn tie_up(times: &[f64], order: &[usize]) -> Option<Vec<f64>> {
    let mut distinct: Vec<f64> = Vec::new();
    for &i in order {
        // `==`: −0 and +0 are one time.
        if distinct.last() != Some(&times[i]) {
            distinct.push(times[i]);
        }
    }
    let groups = tie_groups(&distinct)?;
    Some(
        times
            .iter()
            .map(|&t| {
                // The distinct time equal to t (−0 and +0 compare equal).
                let i = distinct.partition_point(|&y| y < t);
                distinct[groups[i]]
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_input_naming_index_and_value() {
        assert_eq!(
            SurvivalData::new(&[1.0, -2.0], &[true, false]),
            Err(SurvivalError::NegativeTime {
                index: 1,
                value: -2.0
            })
        );
        assert!(matches!(
            SurvivalData::new(&[1.0, f64::NAN], &[true, false]),
            Err(SurvivalError::NonFiniteTime { index: 1, .. })
        ));
        assert_eq!(
            SurvivalData::new(&[1.0], &[true, false]),
            Err(SurvivalError::LengthMismatch {
                what: "events",
                expected: 1,
                found: 2
            })
        );
        assert_eq!(SurvivalData::new(&[], &[]), Err(SurvivalError::Empty));
    }

    #[test]
    fn orders_by_time_with_events_before_censorings() {
        let data = SurvivalData::new(&[3.0, 1.0, 3.0, 2.0], &[false, true, true, false]).unwrap();
        assert_eq!(data.order(), &[1, 3, 2, 0]);
    }

    #[test]
    fn times_equal_up_to_round_off_are_one_time_as_aeqsurv() {
        // 0.1 + 0.2 != 0.3 in binary; R's aeqSurv maps both to the smaller value.
        let data = SurvivalData::new(&[0.1 + 0.2, 0.3, 1.0], &[true, true, false]).unwrap();
        assert_eq!(data.times(), &[0.3, 0.3, 1.0]);
        // Real differences are kept.
        let data = SurvivalData::new(&[1.0, 1.0 + 1e-6, 2.0], &[true, true, true]).unwrap();
        assert_eq!(data.times(), &[1.0, 1.0 + 1e-6, 2.0]);
    }

    /// The order a stable sort by (time, event first) gives, for comparison.
    fn stable_order(times: &[f64], events: &[bool]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..times.len()).collect();
        order.sort_by(|&a, &b| {
            times[a]
                .total_cmp(&times[b])
                .then(events[b].cmp(&events[a]))
        });
        order
    }

    #[test]
    fn one_sort_gives_the_stable_order() {
        let times = [2.0, 1.0, 2.0, 2.0, 0.0, -0.0, 1.0, 2.0, 0.1 + 0.2, 0.3, 0.0];
        let events = [
            false, true, true, false, true, false, false, true, false, true, true,
        ];
        let data = SurvivalData::new(&times, &events).unwrap();
        assert_eq!(data.order(), stable_order(data.times(), &events));
        // Input already in processing order is kept as it is.
        let sorted: Vec<f64> = data.order().iter().map(|&i| data.times()[i]).collect();
        let sorted_events: Vec<bool> = data.order().iter().map(|&i| events[i]).collect();
        let again = SurvivalData::new(&sorted, &sorted_events).unwrap();
        assert_eq!(again.order(), (0..times.len()).collect::<Vec<_>>());
    }
}
