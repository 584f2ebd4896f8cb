//! The swimmer plot's view-model: one lane per patient with a response and
//! a follow-up time, the response's onset and end, progression and death,
//! and the readout of a lane.

use std::collections::HashSet;

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

/// Most lanes a swimmer plot draws. Beyond it the plot shows the patients
/// with the longest follow-up (the top of the plot) and every selected
/// patient, and says how many it leaves out.
pub const MAX_LANES: usize = 200;

/// The swimmer plot of a view: the lanes drawn and how many were left out.
#[derive(Debug, Clone, PartialEq)]
pub struct SwimmerFigure {
    pub data: SwimmerData,
    /// Patients with a lane who are not drawn ([`MAX_LANES`]).
    pub left_out: usize,
}

impl SwimmerFigure {
    /// The plot's patients, one lane each, limited to [`MAX_LANES`] lanes.
    ///
    /// Beyond [`MAX_LANES`] the longest follow-ups are picked by partial
    /// selection (not a sort of every lane), and only the lanes drawn get
    /// their patient's id copied.
    pub fn new(cohort: &Cohort, only_responders: bool, selected: &[String]) -> SwimmerFigure {
        let mut lanes = lanes(cohort, only_responders);
        let total = lanes.len();
        if total > MAX_LANES {
            // The plot's order: longest follow-up first, ties by id.
            let order = |a: &(usize, SwimmerPatient), b: &(usize, SwimmerPatient)| {
                b.1.follow_up
                    .total_cmp(&a.1.follow_up)
                    .then_with(|| cohort.ids[a.0].cmp(&cohort.ids[b.0]))
            };
            lanes.select_nth_unstable_by(MAX_LANES - 1, order);
            let chosen: HashSet<&str> = selected.iter().map(String::as_str).collect();
            let mut rest = lanes.split_off(MAX_LANES);
            rest.retain(|(i, _)| chosen.contains(&cohort.ids[*i]));
            lanes.append(&mut rest);
            lanes.sort_unstable_by(order);
        }
        let data = with_ids(cohort, lanes, only_responders, selected);
        let left_out = total - data.patients.len();
        SwimmerFigure { data, left_out }
    }

    /// What the page says under the plot when lanes were left out.
    pub fn note(&self) -> Option<String> {
        (self.left_out > 0).then(|| {
            format!(
                "{} lanes of {}: the patients with the longest follow-up, and the selected ones.",
                self.data.patients.len(),
                self.data.patients.len() + self.left_out
            )
        })
    }
}

/// The plot's data for `lanes`, each given its patient's id.
fn with_ids(
    cohort: &Cohort,
    lanes: Vec<(usize, SwimmerPatient)>,
    only_responders: bool,
    selected: &[String],
) -> SwimmerData {
    SwimmerData {
        patients: lanes
            .into_iter()
            .map(|(i, lane)| SwimmerPatient {
                id: cohort.ids[i].to_string(),
                ..lane
            })
            .collect(),
        only_responders,
        time_unit: "months".to_string(),
        selected: selected.iter().cloned().collect(),
    }
}

/// Each patient's lane with its row, the id left empty: follow-up is the
/// OS time (or the longest time recorded), the response runs from the time
/// to response for the duration of response, progression is the PFS event,
/// death the OS event. Patients without a response or a follow-up time are
/// left out.
fn lanes(cohort: &Cohort, only_responders: bool) -> Vec<(usize, SwimmerPatient)> {
    let mut patients = Vec::new();
    let (os, pfs, dor) = (
        cohort.endpoint("os"),
        cohort.endpoint("pfs"),
        cohort.endpoint("dor"),
    );
    let Some(responses) = &cohort.best_response else {
        return patients;
    };
    for (i, &response) in responses.iter().enumerate() {
        let Some(best_response) = response else {
            continue;
        };
        let longest = cohort
            .endpoints
            .iter()
            .filter_map(|e| e.values.get(i))
            .map(|t| t.months)
            .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))));
        let follow_up = os
            .and_then(|e| e.values.get(i))
            .map(|t| t.months)
            .or(longest);
        let Some(follow_up) = follow_up.filter(|t| t.is_finite() && *t >= 0.0) else {
            continue;
        };
        let within = |t: f64| (t.is_finite() && (0.0..=follow_up).contains(&t)).then_some(t);
        let onset = best_response
            .is_objective_response()
            .then(|| cohort.ttr.as_ref().and_then(|t| t.months.get(i)))
            .flatten()
            .and_then(within);
        let dor_i = dor.and_then(|e| e.values.get(i));
        let response_end = match (onset, dor_i) {
            (Some(o), Some(d)) if d.event => within(o + d.months),
            _ => None,
        };
        let response_ongoing = onset.is_some() && dor_i.is_some_and(|d| !d.event);
        let progression = pfs
            .and_then(|e| e.values.get(i))
            .filter(|t| t.event)
            .map(|t| t.months)
            .and_then(within);
        let death = os
            .and_then(|e| e.values.get(i))
            .filter(|t| t.event)
            .map(|t| t.months)
            .and_then(within);
        if only_responders && onset.is_none() {
            continue;
        }
        patients.push((
            i,
            SwimmerPatient {
                id: String::new(),
                follow_up,
                best_response,
                response_onset: onset,
                response_end,
                response_ongoing,
                progression,
                death,
            },
        ));
    }
    patients
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::import_csv;

    /// Partial selection picks the lanes, in the order, that sorting every
    /// lane and keeping the first ones and the selected would: with many
    /// tied follow-ups (ties ordered by id) and selected patients on both
    /// sides of the cut.
    #[test]
    fn the_lanes_picked_are_those_of_a_full_sort() {
        let mut csv = String::from("patient_id,best_response,os_months,os_event\n");
        for i in 0..3000 {
            let id = (i * 7919) % 3000;
            csv += &format!(
                "Q{id:05},{},{},1\n",
                ["PR", "SD", "CR"][i % 3],
                (i % 37) as f64 / 2.0
            );
        }
        let cohort = import_csv(csv.into_bytes(), None).unwrap();
        let selected: Vec<String> = ["Q00001", "Q02999", "Q01500"].map(String::from).to_vec();
        let mut all = with_ids(&cohort, lanes(&cohort, false), false, &selected).patients;
        all.sort_by(|a, b| {
            b.follow_up
                .total_cmp(&a.follow_up)
                .then_with(|| a.id.cmp(&b.id))
        });
        let expected: Vec<&SwimmerPatient> = all
            .iter()
            .enumerate()
            .filter(|(k, p)| *k < MAX_LANES || selected.contains(&p.id))
            .map(|(_, p)| p)
            .collect();
        assert!(
            expected.len() > MAX_LANES,
            "a selected patient beyond the cut"
        );
        let figure = SwimmerFigure::new(&cohort, false, &selected);
        assert_eq!(figure.data.patients.iter().collect::<Vec<_>>(), expected);
        assert_eq!(figure.left_out, 3000 - expected.len());
    }

    #[test]
    fn a_large_cohort_gets_the_longest_lanes_and_the_selected_ones() {
        let mut csv = String::from("patient_id,best_response,os_months,os_event\n");
        for i in 0..1000 {
            csv += &format!(
                "P{i:04},{},{},1\n",
                ["PR", "SD"][i % 2],
                1.0 + i as f64 / 10.0
            );
        }
        let cohort = import_csv(csv.into_bytes(), None).unwrap();
        let figure = SwimmerFigure::new(&cohort, false, &["P0003".to_string()]);
        assert_eq!(figure.data.patients.len(), MAX_LANES + 1);
        assert_eq!(figure.left_out, 1000 - MAX_LANES - 1);
        assert_eq!(figure.data.patients[0].id, "P0999");
        assert!(figure.data.patients.iter().any(|p| p.id == "P0003"));
        assert_eq!(
            figure.note().unwrap(),
            "201 lanes of 1000: the patients with the longest follow-up, and the selected ones."
        );
        assert!(swimmer_height(&figure.data) < 4000);
        let small = SwimmerFigure::new(&cohort.select(&[1, 2, 3]), false, &[]);
        assert_eq!(
            (small.data.patients.len(), small.left_out, small.note()),
            (3, 0, None)
        );
    }
}
