//! The Yew page. Everything here runs in the browser; the numbers come from
//! `stats` through `data`, the pictures from `charts`.
//!
//! **Architecture invariant:** no file the user opens ever leaves the page: there
//! is no network code here at all, and text from a file is only ever rendered as
//! text (Yew escapes it), never as HTML.

mod canvas;
mod drop_zone;
mod page;

pub use canvas::Canvas;
pub use drop_zone::{DropZone, LoadedFile};
pub use page::Page;

/// Mounts the page on `<body>`.
pub fn start() {
    yew::Renderer::<Page>::new().render();
}
