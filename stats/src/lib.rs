//! Pure statistics: survival estimation, group comparison, response summaries.
//!
//! **Architecture invariant:** nothing here does I/O, knows about CSV, the web
//! or serde. Inputs are slices of numbers; outputs are plain values.

pub mod binomial;
pub mod conventions;
pub mod cox;
pub mod dist;
pub mod fisher;
pub mod km;
pub mod logrank;
pub mod mann_whitney;
pub mod prec;
pub mod response;
pub mod spearman;
pub mod stratified;
pub mod two_proportions;
