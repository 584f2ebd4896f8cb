//! Charts drawn with plotters, generic over `DrawingBackend`: the page draws
//! them on a canvas, the command line and the tests render them to SVG.
//!
//! Every chart is one function `draw(area, data, style)` over any
//! `DB: DrawingBackend` (the pattern of plotters' `examples/console.rs`). It
//! takes a plain view-model (filled by the page or the command line from the
//! statistics results), never panics on empty input (an explanatory message is
//! drawn instead) and returns a layout value that maps pixels back to data for
//! hover and click.
//!
//! Charts: [`histogram`], [`waterfall`], [`km`] (Kaplan–Meier with a
//! number-at-risk table), [`swimmer`] and [`forest`]; shared pieces: the
//! light theme ([`style`], [`palette`]), tick choice ([`ticks`]), the
//! pixel↔data maps every layout carries ([`layout`]), the error
//! ([`error`]), number formatting reused by the page and the command line
//! ([`format`]) and rendering to SVG text ([`svg`]).
//!
//! **Architecture invariant:** charts know nothing about CSV, the cohort model
//! or the web; they only read their own input types and
//! [`crate::stats::response::BestResponse`].

pub mod error;
pub mod forest;
pub mod format;
pub mod histogram;
pub mod km;
pub mod layout;
pub mod palette;
pub mod response_code;
pub mod style;
pub mod svg;
pub mod swimmer;
pub mod ticks;
pub mod waterfall;

mod message;
#[cfg(test)]
mod svg_probe;
