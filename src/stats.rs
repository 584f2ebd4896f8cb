//! Pure statistics: survival estimation, group comparison, response summaries.
//!
//! **Architecture invariant:** nothing here does I/O, knows about CSV, the web
//! or serde. Inputs are slices of numbers; outputs are plain values.

pub mod conventions;
pub mod dist;
pub mod response;
pub mod km;
pub mod logrank;
pub mod prec;
