//! The waterfall's consistency check: bars whose best % change contradicts
//! the recorded best response under RECIST 1.1's −30% threshold.

use serde::{Deserialize, Serialize};

use super::analysis::Analysis;
use crate::data::Cohort;
use crate::stats::response::BestResponse;

/// RECIST 1.1 partial-response threshold of the best % change: a decrease
/// of at least 30% in the sum of diameters.
pub const RESPONSE_THRESHOLD_PCT: f64 = -30.0;

/// The waterfall's consistency check: bars whose % change contradicts the
/// recorded response, and the ORR the bars alone would suggest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consistency {
    /// Ids of the patients whose change contradicts their response: CR/PR
    /// with a change above −30%, or SD/PD with a change of −30% or less.
    pub flagged: Vec<String>,
    /// Patients with a change of −30% or less.
    pub suggested_responders: usize,
    /// The ORR denominator under the conventions in use.
    pub denominator: u64,
}

/// Whether a best % change contradicts the recorded best response.
pub fn contradicts(response: BestResponse, change_pct: f64) -> bool {
    match response {
        BestResponse::Cr | BestResponse::Pr => change_pct > RESPONSE_THRESHOLD_PCT,
        BestResponse::Sd | BestResponse::Pd => change_pct <= RESPONSE_THRESHOLD_PCT,
        BestResponse::Ne => false,
    }
}

/// The consistency check of the cohort's waterfall; `analysis` is the
/// cohort's (for the ORR denominator).
pub fn consistency(cohort: &Cohort, analysis: &Analysis) -> Option<Consistency> {
    let responses = cohort.best_response.as_ref()?;
    let changes = cohort.best_pct_change.as_ref()?;
    let mut flagged = Vec::new();
    let mut suggested_responders = 0;
    for (i, (response, change)) in responses.iter().zip(changes.iter()).enumerate() {
        if let Some(change) = change {
            if change <= RESPONSE_THRESHOLD_PCT {
                suggested_responders += 1;
            }
            if response.is_some_and(|r| contradicts(r, change)) {
                flagged.push(cohort.ids[i].to_string());
            }
        }
    }
    let denominator = analysis
        .response
        .as_ref()
        .and_then(|r| r.orr)
        .map_or(0, |rate| rate.n);
    Some(Consistency {
        flagged,
        suggested_responders,
        denominator,
    })
}
