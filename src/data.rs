//! The cohort model, CSV import and validation, and the built-in studies.

pub mod preview;
pub mod studies;
