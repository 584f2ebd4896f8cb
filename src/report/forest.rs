//! The subgroup forest plot's numbers: the hazard ratio of the second group
//! against the first, overall and within each level of every other
//! categorical column (2 to 8 levels), each a Cox model of the group factor
//! fitted as the report's ([`cox_options`]).

use serde::{Deserialize, Serialize};

use super::km::cox_options;
use super::view::{levels_of, Subset, ALL_PATIENTS};
use crate::data::{Cohort, Endpoint};
use crate::stats::conventions::Conventions;
use crate::stats::cox::{cox_fit, Design};

/// One row of the subgroup forest plot: the hazard ratio of the second
/// group against the first among the patients of one subgroup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestEntry {
    /// The covariate heading, or the level under it.
    pub label: String,
    pub heading: bool,
    /// (HR, lower, upper); `None` when the model cannot be fitted there.
    pub hazard_ratio: Option<(f64, f64, f64)>,
    pub events: usize,
    pub n: usize,
}

/// Hazard ratios of `groups[1]` against `groups[0]` for `endpoint`: overall,
/// then within each level of every other categorical column.
pub fn entries(
    cohort: &Cohort,
    endpoint: &Endpoint,
    groups: &[Subset],
    group_column: &str,
    conventions: &Conventions,
) -> Vec<ForestEntry> {
    if groups.len() < 2 {
        return Vec::new();
    }
    let pair = [&groups[0], &groups[1]];
    let entry = |label: String, keep: &dyn Fn(usize) -> bool| {
        let (mut times, mut events, mut labels) = (Vec::new(), Vec::new(), Vec::new());
        for g in pair {
            for &i in g.indices.iter().filter(|&&i| keep(i)) {
                if let Some(te) = endpoint.values.get(i) {
                    times.push(te.months);
                    events.push(te.event);
                    labels.push(g.label.as_str());
                }
            }
        }
        let levels = [pair[0].label.as_str(), pair[1].label.as_str()];
        let hazard_ratio = Design::new()
            .factor("", &labels, Some(levels.as_slice()))
            .ok()
            .and_then(|design| {
                let options = cox_options(conventions.ties, conventions.conf_level, times.len());
                let fit = cox_fit(&times, &events, &design, None, &options).ok()?;
                let term = fit.terms.first()?;
                [term.hazard_ratio, term.lower, term.upper]
                    .iter()
                    .all(|v| v.is_finite() && *v > 0.0)
                    .then_some((term.hazard_ratio, term.lower, term.upper))
            });
        ForestEntry {
            label,
            heading: false,
            hazard_ratio,
            events: events.iter().filter(|&&e| e).count(),
            n: times.len(),
        }
    };
    let mut rows = vec![entry(ALL_PATIENTS.to_string(), &|_| true)];
    for covariate in cohort.grouping_columns().filter(|c| c.name != group_column) {
        let Some((levels, codes)) = levels_of(cohort, &covariate.name) else {
            continue;
        };
        if levels.len() < 2 || levels.len() > 8 {
            continue;
        }
        rows.push(ForestEntry {
            label: covariate.name.clone(),
            heading: true,
            hazard_ratio: None,
            events: 0,
            n: 0,
        });
        for (level, name) in levels.iter().enumerate() {
            rows.push(entry(name.clone(), &|i| codes[i] == Some(level as u32)));
        }
    }
    rows
}

/// The forest plot of a view: its rows and what they compare ("B vs A").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    pub comparison: String,
    pub entries: Vec<ForestEntry>,
}

/// The forest plot of `endpoint` for a view grouped by `group_column` into
/// at least two `groups`; `None` otherwise.
pub fn forest(
    cohort: &Cohort,
    endpoint: &Endpoint,
    groups: &[Subset],
    group_column: &str,
    conventions: &Conventions,
) -> Option<Forest> {
    (groups.len() >= 2).then(|| Forest {
        comparison: format!("{} vs {}", groups[1].label, groups[0].label),
        entries: entries(cohort, endpoint, groups, group_column, conventions),
    })
}
