//! The forest plot's view-model: a view's subgroup hazard ratios
//! ([`Forest`]) as labelled intervals with their events/N.

use crate::charts::forest::{ForestData, ForestRow, Interval};
use crate::report::forest::Forest;

/// The height of the plot: its frame and a row per entry.
pub fn forest_height(data: &ForestData) -> u32 {
    let rows = u32::try_from(data.rows.len()).unwrap_or(u32::MAX);
    80_u32.saturating_add(24_u32.saturating_mul(rows))
}

/// The forest plot's rows.
pub fn forest_data(forest: &Forest) -> ForestData {
    let comparison = &forest.comparison;
    ForestData {
        rows: forest
            .entries
            .iter()
            .map(|e| ForestRow {
                label: e.label.clone(),
                interval: e.hazard_ratio.map(|(estimate, lower, upper)| Interval {
                    estimate,
                    lower,
                    upper,
                }),
                detail: if e.heading {
                    String::new()
                } else {
                    format!("{}/{}", e.events, e.n)
                },
                heading: e.heading,
            })
            .collect(),
        estimate_name: "HR".to_string(),
        detail_title: "Events/N".to_string(),
        axis_title: format!("Hazard ratio, {comparison} (log scale)"),
        x_range: None,
        decimals: 2,
    }
}
