//! The swimmer plot's view-model: one lane per patient with a response and
//! a follow-up time, the response's onset and end, progression and death,
//! and the readout of a lane.

use crate::charts::format::fixed;
use crate::charts::swimmer::{SwimmerData, SwimmerPatient};
use crate::data::Cohort;

/// Height of a swimmer lane in CSS pixels, and the plot's frame around them.
pub const LANE_PX: u32 = 16;
pub const FRAME_PX: u32 = 90;

/// The height of the plot: its frame and a lane per patient (at least three).
pub fn swimmer_height(data: &SwimmerData) -> u32 {
    let lanes = u32::try_from(data.patients.len().max(3)).unwrap_or(u32::MAX);
    FRAME_PX.saturating_add(LANE_PX.saturating_mul(lanes))
}

/// The swimmer plot's patients: follow-up is the OS time (or the longest
/// time recorded), the response runs from the time to response for the
/// duration of response, progression is the PFS event, death the OS event.
/// Patients without a response or a follow-up time are left out.
pub fn swimmer_data(cohort: &Cohort, only_responders: bool, selected: &[String]) -> SwimmerData {
    let mut patients = Vec::new();
    let (os, pfs, dor) = (
        cohort.endpoint("os"),
        cohort.endpoint("pfs"),
        cohort.endpoint("dor"),
    );
    if let Some(responses) = &cohort.best_response {
        for (i, &response) in responses.iter().enumerate() {
            let Some(best_response) = response else {
                continue;
            };
            let longest = cohort
                .endpoints
                .iter()
                .filter_map(|e| e.values[i])
                .map(|t| t.months)
                .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))));
            let follow_up = os.and_then(|e| e.values[i]).map(|t| t.months).or(longest);
            let Some(follow_up) = follow_up.filter(|t| t.is_finite() && *t >= 0.0) else {
                continue;
            };
            let within = |t: f64| (t.is_finite() && (0.0..=follow_up).contains(&t)).then_some(t);
            let onset = best_response
                .is_objective_response()
                .then(|| cohort.ttr.as_ref().and_then(|t| t.months[i]))
                .flatten()
                .and_then(within);
            let dor_i = dor.and_then(|e| e.values[i]);
            let response_end = match (onset, dor_i) {
                (Some(o), Some(d)) if d.event => within(o + d.months),
                _ => None,
            };
            let response_ongoing = onset.is_some() && dor_i.is_some_and(|d| !d.event);
            let progression = pfs
                .and_then(|e| e.values[i])
                .filter(|t| t.event)
                .map(|t| t.months)
                .and_then(within);
            let death = os
                .and_then(|e| e.values[i])
                .filter(|t| t.event)
                .map(|t| t.months)
                .and_then(within);
            if only_responders && onset.is_none() {
                continue;
            }
            patients.push(SwimmerPatient {
                id: cohort.ids[i].clone(),
                follow_up,
                best_response,
                response_onset: onset,
                response_end,
                response_ongoing,
                progression,
                death,
            });
        }
    }
    SwimmerData {
        patients,
        only_responders,
        time_unit: "months".to_string(),
        selected: selected.iter().cloned().collect(),
    }
}

/// What the hover and the keyboard show of a lane: "LIF-001 · PR ·
/// follow-up 21.5 months · response from 1.7, ongoing", with progression
/// and death, and "· selected" when selected.
pub fn lane_readout(p: &SwimmerPatient, unit: &str, selected: &[String]) -> String {
    let mut parts = vec![
        p.id.clone(),
        p.best_response.code().to_string(),
        format!("follow-up {} {unit}", fixed(p.follow_up, 1)),
    ];
    if let Some(onset) = p.response_onset {
        parts.push(match (p.response_end, p.response_ongoing) {
            (Some(end), _) => format!("response {} to {}", fixed(onset, 1), fixed(end, 1)),
            (None, true) => format!("response from {}, ongoing", fixed(onset, 1)),
            (None, false) => format!("response from {}", fixed(onset, 1)),
        });
    }
    for (what, time) in [("progression", p.progression), ("death", p.death)] {
        if let Some(t) = time {
            parts.push(format!("{what} at {}", fixed(t, 1)));
        }
    }
    if selected.contains(&p.id) {
        parts.push("selected".to_string());
    }
    parts.join(" · ")
}
