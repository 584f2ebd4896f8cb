//! The waterfall's view-model: the patients with a recorded response, their
//! best % change and colouring, the bars that contradict the response
//! ([`Consistency`](crate::report::consistency::Consistency)), and the
//! readout of a bar.

use std::collections::HashSet;

use crate::charts::format::signed_percent;
use crate::charts::waterfall::{WaterfallColouring, WaterfallData, WaterfallPatient};
use crate::data::Cohort;
use crate::report::view::levels_of;

/// Height of the chart in CSS pixels.
pub const HEIGHT: u32 = 340;

/// Bars above this % change are clipped.
pub const CLIP_PCT: f64 = 100.0;

/// The waterfall's data: patients with a recorded response.
pub fn waterfall_data(
    cohort: &Cohort,
    group: Option<&str>,
    colour_by_group: bool,
    selected: &[String],
    flagged: &HashSet<String>,
) -> WaterfallData {
    let levels = group.and_then(|g| levels_of(cohort, g));
    let mut patients = Vec::new();
    if let Some(responses) = &cohort.best_response {
        for (i, response) in responses.iter().enumerate() {
            let Some(response) = *response else { continue };
            let subgroup = levels
                .as_ref()
                .and_then(|(levels, codes)| codes[i].map(|c| levels[c as usize].clone()));
            patients.push(WaterfallPatient {
                id: cohort.ids[i].clone(),
                best_change_pct: cohort.best_pct_change.as_ref().and_then(|v| v[i]),
                response,
                subgroup,
                inconsistent: flagged.contains(&cohort.ids[i]),
            });
        }
    }
    let colouring = match group {
        Some(g) if colour_by_group && levels.is_some() => {
            WaterfallColouring::Subgroup(g.to_string())
        }
        _ => WaterfallColouring::Response,
    };
    WaterfallData {
        patients,
        colouring,
        selected: selected.iter().cloned().collect(),
        clip_pct: CLIP_PCT,
    }
}

/// What the hover and the keyboard show of a bar's patient: "LIF-012 · PR ·
/// −45.0% · sex: female" (the group's value when grouped by `group`), and
/// "· selected" when selected.
pub fn readout(p: &WaterfallPatient, group: Option<&str>, selected: &[String]) -> String {
    let change = p
        .best_change_pct
        .map_or_else(String::new, |x| signed_percent(x, 1));
    let grouping = match (group, &p.subgroup) {
        (Some(g), Some(value)) => format!(" · {g}: {value}"),
        _ => String::new(),
    };
    let mark = if selected.contains(&p.id) {
        " · selected"
    } else {
        ""
    };
    format!(
        "{} · {} · {change}{grouping}{mark}",
        p.id,
        p.response.code()
    )
}
