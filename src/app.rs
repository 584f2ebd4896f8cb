//! The Yew page. Everything here runs in the browser; the numbers come from
//! `stats` through `data`, the pictures from `charts`.
//!
//! **Architecture invariant:** no file the user opens ever leaves the page: there
//! is no network code here at all, and text from a file is only ever rendered as
//! text (Yew escapes it), never as HTML.

mod adam_panel;
mod backend;
mod canvas;
mod chart_keys;
mod controls;
mod drop_zone;
mod envelope;
mod export;
mod export_buttons;
mod filters;
mod km_view;
mod link;
mod mapping;
mod page;
mod paged;
mod patient_cursor;
mod patient_picker;
mod published;
mod report_table;
mod session;
mod snippets;
mod state;
mod swimmer_view;
mod tables_view;
mod waterfall_view;
pub mod worker;

pub use canvas::Canvas;
pub use drop_zone::DropZone;
pub use page::Page;

/// Mounts the page on `<body>` (the `cohortscope` module; its worker is the
/// `cohortscope-worker` module, [`worker::start`]).
pub fn start() {
    yew::Renderer::<Page>::new().render();
}
