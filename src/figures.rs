//! What the page shows, as plain values: the chart view-models and the
//! report table's rows, filled from a view's
//! [`ViewReport`](crate::report::view::ViewReport). The page lays them out
//! and draws them on a canvas; `cohortscope plot` draws the same charts to
//! SVG. Native code, tested natively.
//!
//! Layers: `report` and `charts` ← `figures` ← `app` and `cli`.

pub mod forest;
pub mod km;
pub mod paging;
pub mod patients;
pub mod swimmer;
pub mod table;
pub mod waterfall;
