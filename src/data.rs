//! The cohort model, CSV import and validation, and the built-in studies.
//!
//! **Architecture invariant:** `data` reads bytes and builds a [`Cohort`];
//! it knows nothing about the web, charts or statistics beyond the
//! [`BestResponse`](crate::stats::response::BestResponse) categories.

pub mod adam;
pub mod cohort;
pub mod columns;
pub mod dropped;
pub mod import;
pub mod message;
pub mod preview;
pub mod studies;
pub mod table;
pub mod values;
pub mod xpt;

pub use cohort::{
    Cell, Cohort, Covariate, CovariateValues, Endpoint, Exclusion, ResponseSpelling, TimeEvent,
    Times,
};
pub use columns::ColumnMapping;
pub use dropped::import_files;
pub use import::{import_csv, ImportFailure, ImportJob, Progress};
pub use message::{Message, Severity};
