//! The analysis assembled from `stats` and `data`: versioned, serialisable
//! values (`cohortscope.km/1`, `cohortscope.analysis/1`) and their readable
//! tables. The CLI prints them; the page draws and exports the same values.
//!
//! **Architecture invariant:** `report` computes nothing of its own beyond
//! bookkeeping (grouping, ordering, the rounding rules of published figures,
//! sample medians of covariates): every estimate and test comes from
//! `stats`. It does no I/O; callers hand it bytes or a
//! [`Cohort`](crate::data::Cohort). Undefined numbers are `None` (JSON
//! `null`), never NaN, a sentinel or a string.

pub mod analysis;
pub mod consistency;
pub mod conventions;
pub mod curve;
pub mod filters;
pub mod forest;
pub mod groups;
pub mod km;
pub mod km_cohort;
pub mod published;
pub mod r_snippet;
pub mod tables;
pub mod text;
pub mod view;
pub mod view_input;

/// `Some(x)` for a finite `x`, else `None` (so JSON never holds NaN or ±∞).
pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}
