//! cohortscope: response and survival analysis of small oncology cohorts.
//!
//! Layers, one direction only: [`stats`] (pure math) ← [`data`] (cohort model,
//! CSV import, built-in studies) ← [`report`] (the analysis as versioned
//! JSON and tables, one [`report::view::view_report`] per view);
//! [`stats`] ← [`charts`] (plotters, generic over the backend); [`report`]
//! and [`charts`] ← [`figures`] (chart view-models and table rows) ←
//! [`engine`] (the page's session: a cohort and the model of each view) ←
//! `app` (the Yew page, wasm32 only); [`figures`] ← `cli` (native only).
//! [`share`] encodes the page's view state in a link. See ARCHITECTURE.md.

pub mod charts;
pub mod data;
pub mod engine;
pub mod figures;
pub mod report;
pub mod share;
/// Pure statistics: the `cohortscope-stats` crate (stats/).
pub use cohortscope_stats as stats;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
