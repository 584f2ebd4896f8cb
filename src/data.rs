//! The cohort model, CSV import and validation, and the built-in studies.
//!
//! **Architecture invariant:** `data` reads bytes and builds a [`Cohort`];
//! it knows nothing about the web, charts or statistics beyond the
//! [`BestResponse`](crate::stats::response::BestResponse) categories.

pub mod adam;
pub mod cohort;
pub mod columns;
pub mod ids;
pub mod import;
pub mod input;
pub mod km_table;
pub mod message;
pub mod packed;
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
pub use ids::PatientIds;
pub use import::{ImportFailure, Progress};
pub use input::{import_csv, import_files, ImportJob, ImportOptions, InputFile};
pub use message::{Message, Severity};
pub use packed::{Numbers, TimeEvents};
