//! What the page computes, as plain values: the summary of an imported
//! cohort ([`CohortSummary`], once per import) and the model of a view
//! ([`PageModel`], every number, table row and chart view-model the page
//! shows), answered by a [`Session`] that holds the cohort. The page's
//! components read these values only: they never see the cohort, so the
//! session can live wherever the page runs its computations.

mod model;
pub mod protocol;
mod server;
mod session;
mod summary;
pub mod view_file;

pub use model::{PageModel, SelectedRow, SwimmerModel, TablesModel, ViewOptions, WaterfallModel};
pub use server::Server;
pub use session::{Export, ExportKind, Session};
pub use summary::CohortSummary;
