//! Best overall response (RECIST) and the rates derived from it: counts,
//! ORR and DCR with their intervals, tumor-reduction rate, time to response.

use std::fmt;

use super::binomial::{proportion, Proportion, ProportionError};
use super::conventions::{BinomialCi, Denominator};

/// Best overall response category, RECIST 1.1 (or 1.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BestResponse {
    /// Complete response.
    Cr,
    /// Partial response.
    Pr,
    /// Stable disease.
    Sd,
    /// Progressive disease.
    Pd,
    /// Not evaluable (no adequate post-baseline assessment).
    Ne,
}

impl BestResponse {
    /// All categories in reporting order.
    pub const ALL: [BestResponse; 5] = [Self::Cr, Self::Pr, Self::Sd, Self::Pd, Self::Ne];

    /// The standard abbreviation: "CR", "PR", "SD", "PD" or "NE".
    pub fn code(self) -> &'static str {
        match self {
            Self::Cr => "CR",
            Self::Pr => "PR",
            Self::Sd => "SD",
            Self::Pd => "PD",
            Self::Ne => "NE",
        }
    }

    /// CR or PR: counts towards the objective response rate.
    pub fn is_objective_response(self) -> bool {
        matches!(self, Self::Cr | Self::Pr)
    }

    /// CR, PR or SD: counts towards the disease control rate.
    pub fn is_disease_control(self) -> bool {
        matches!(self, Self::Cr | Self::Pr | Self::Sd)
    }
}

impl fmt::Display for BestResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Number of patients in each best-response category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResponseCounts {
    pub cr: u64,
    pub pr: u64,
    pub sd: u64,
    pub pd: u64,
    pub ne: u64,
}

impl ResponseCounts {
    /// Counts the categories of a list of best responses (one per patient).
    pub fn from_responses(responses: &[BestResponse]) -> Self {
        let mut c = ResponseCounts::default();
        for r in responses {
            match r {
                BestResponse::Cr => c.cr += 1,
                BestResponse::Pr => c.pr += 1,
                BestResponse::Sd => c.sd += 1,
                BestResponse::Pd => c.pd += 1,
                BestResponse::Ne => c.ne += 1,
            }
        }
        c
    }

    /// The count of one category.
    pub fn get(&self, category: BestResponse) -> u64 {
        match category {
            BestResponse::Cr => self.cr,
            BestResponse::Pr => self.pr,
            BestResponse::Sd => self.sd,
            BestResponse::Pd => self.pd,
            BestResponse::Ne => self.ne,
        }
    }

    /// All patients, NE included.
    pub fn total(&self) -> u64 {
        self.cr + self.pr + self.sd + self.pd + self.ne
    }

    /// The denominator of a rate under a convention: all treated, or NE excluded.
    pub fn denominator(&self, denominator: Denominator) -> u64 {
        match denominator {
            Denominator::AllTreated => self.total(),
            Denominator::Evaluable => self.total() - self.ne,
        }
    }
}

/// A response rate: the proportion with its interval and the denominator
/// convention it was computed under.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResponseRate {
    /// k, n, estimate, lower, upper, level and method.
    pub proportion: Proportion,
    /// Which patients make up n.
    pub denominator: Denominator,
}

/// Objective response rate: (CR + PR) / n, with n under `denominator`.
///
/// ```
/// use cohortscope_stats::conventions::{BinomialCi, Denominator};
/// use cohortscope_stats::response::{objective_response_rate, BestResponse::*, ResponseCounts};
/// let counts = ResponseCounts::from_responses(&[Cr, Pr, Sd, Pd, Ne]);
/// let orr = objective_response_rate(&counts, Denominator::Evaluable, 0.95, BinomialCi::ClopperPearson).unwrap();
/// assert_eq!((orr.proportion.k, orr.proportion.n), (2, 4));
/// ```
pub fn objective_response_rate(
    counts: &ResponseCounts,
    denominator: Denominator,
    level: f64,
    method: BinomialCi,
) -> Result<ResponseRate, ProportionError> {
    rate(counts.cr + counts.pr, counts, denominator, level, method)
}

/// Disease control rate: (CR + PR + SD) / n, with n under `denominator`.
pub fn disease_control_rate(
    counts: &ResponseCounts,
    denominator: Denominator,
    level: f64,
    method: BinomialCi,
) -> Result<ResponseRate, ProportionError> {
    rate(
        counts.cr + counts.pr + counts.sd,
        counts,
        denominator,
        level,
        method,
    )
}

fn rate(
    k: u64,
    counts: &ResponseCounts,
    denominator: Denominator,
    level: f64,
    method: BinomialCi,
) -> Result<ResponseRate, ProportionError> {
    let proportion = proportion(k, counts.denominator(denominator), level, method)?;
    Ok(ResponseRate {
        proportion,
        denominator,
    })
}

/// Share of measured patients whose best percentage change of the target
/// lesions from baseline is below zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TumorReduction {
    /// Patients with a best % change < 0.
    pub k: u64,
    /// Patients with a measurement.
    pub n: u64,
    /// k / n.
    pub estimate: f64,
}

/// Why a response summary could not be computed.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum ResponseError {
    /// No patient has a measurement (or no responder a time).
    Empty,
    /// A value is NaN or infinite; `index` is its position in the input.
    NotFinite { index: usize, value: f64 },
    /// A time to response is negative.
    NegativeTime { index: usize, value: f64 },
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "no value to summarise"),
            Self::NotFinite { index, value } => {
                write!(f, "value {value} at index {index} is not finite")
            }
            Self::NegativeTime { index, value } => {
                write!(f, "time {value} at index {index} is negative")
            }
        }
    }
}

impl std::error::Error for ResponseError {}

/// Tumor-reduction rate from the best % change of each patient; `None` marks
/// a patient without a post-baseline measurement (left out of n).
/// A change of exactly 0 is not a reduction.
pub fn tumor_reduction_rate(best_change: &[Option<f64>]) -> Result<TumorReduction, ResponseError> {
    let (mut k, mut n) = (0u64, 0u64);
    for (index, value) in best_change.iter().enumerate() {
        let Some(value) = *value else { continue };
        if !value.is_finite() {
            return Err(ResponseError::NotFinite { index, value });
        }
        n += 1;
        if value < 0.0 {
            k += 1;
        }
    }
    if n == 0 {
        return Err(ResponseError::Empty);
    }
    Ok(TumorReduction {
        k,
        n,
        estimate: k as f64 / n as f64,
    })
}

/// Time to response among responders.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeToResponse {
    /// Number of responders with a time.
    pub n: u64,
    /// Sample median: the middle order statistic for odd n, the mean of the
    /// two middle ones for even n (R `median`, numpy `median`, SAS
    /// `PROC UNIVARIATE` default). Not a Kaplan–Meier median.
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

/// Summary of the times to response of the responders (one time each, in
/// any unit; only responders should be passed).
pub fn time_to_response(times: &[f64]) -> Result<TimeToResponse, ResponseError> {
    for (index, &value) in times.iter().enumerate() {
        if !value.is_finite() {
            return Err(ResponseError::NotFinite { index, value });
        }
        if value < 0.0 {
            return Err(ResponseError::NegativeTime { index, value });
        }
    }
    if times.is_empty() {
        return Err(ResponseError::Empty);
    }
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    };
    Ok(TimeToResponse {
        n: n as u64,
        median,
        min: sorted[0],
        max: sorted[n - 1],
    })
}

#[cfg(test)]
mod tests {
    use super::BestResponse::*;
    use super::*;

    fn cohort() -> Vec<BestResponse> {
        vec![Cr, Pr, Pr, Sd, Sd, Sd, Pd, Pd, Ne, Ne]
    }

    #[test]
    fn counts_and_denominators() {
        let c = ResponseCounts::from_responses(&cohort());
        assert_eq!(
            c,
            ResponseCounts {
                cr: 1,
                pr: 2,
                sd: 3,
                pd: 2,
                ne: 2
            }
        );
        assert_eq!(c.denominator(Denominator::AllTreated), 10);
        assert_eq!(c.denominator(Denominator::Evaluable), 8);
        assert_eq!(c.get(Sd), 3);
    }

    #[test]
    fn orr_and_dcr_carry_their_denominator() {
        let c = ResponseCounts::from_responses(&cohort());
        let orr = objective_response_rate(
            &c,
            Denominator::AllTreated,
            0.95,
            BinomialCi::ClopperPearson,
        )
        .unwrap();
        assert_eq!((orr.proportion.k, orr.proportion.n), (3, 10));
        assert_eq!(orr.denominator, Denominator::AllTreated);
        // R: binom.test(3, 10)$conf.int
        assert!((orr.proportion.lower - 0.0667395111777345).abs() < 1e-15);
        let dcr =
            disease_control_rate(&c, Denominator::Evaluable, 0.95, BinomialCi::Wilson).unwrap();
        assert_eq!((dcr.proportion.k, dcr.proportion.n), (6, 8));
        assert_eq!(dcr.proportion.estimate, 0.75);
    }

    #[test]
    fn all_ne_with_evaluable_denominator_is_an_error() {
        let c = ResponseCounts::from_responses(&[Ne, Ne]);
        assert_eq!(
            objective_response_rate(&c, Denominator::Evaluable, 0.95, BinomialCi::Wilson),
            Err(ProportionError::EmptyDenominator)
        );
    }

    #[test]
    fn tumor_reduction_skips_unmeasured_and_counts_strict_decrease() {
        let t =
            tumor_reduction_rate(&[Some(-30.0), None, Some(0.0), Some(12.5), Some(-0.1)]).unwrap();
        assert_eq!(
            t,
            TumorReduction {
                k: 2,
                n: 4,
                estimate: 0.5
            }
        );
        assert_eq!(tumor_reduction_rate(&[None]), Err(ResponseError::Empty));
        assert_eq!(
            tumor_reduction_rate(&[Some(f64::NAN)])
                .unwrap_err()
                .to_string(),
            "value NaN at index 0 is not finite"
        );
    }

    #[test]
    fn time_to_response_median_is_the_sample_median() {
        // R: median(c(3, 1, 4, 1, 5, 9, 2, 6)) = 3.5
        let t = time_to_response(&[3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]).unwrap();
        assert_eq!(
            t,
            TimeToResponse {
                n: 8,
                median: 3.5,
                min: 1.0,
                max: 9.0
            }
        );
        assert_eq!(time_to_response(&[2.0, 8.0, 5.0]).unwrap().median, 5.0);
        assert_eq!(
            time_to_response(&[1.0, -2.0]),
            Err(ResponseError::NegativeTime {
                index: 1,
                value: -2.0
            })
        );
        assert_eq!(time_to_response(&[]), Err(ResponseError::Empty));
    }
}
