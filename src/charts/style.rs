//! The light theme shared by all charts; sizes are in CSS pixels multiplied by
//! `scale` (the page passes `devicePixelRatio`, the PNG export 2).

use plotters::style::{FontFamily, IntoFont, RGBColor, TextStyle};

use super::error::ChartError;

/// Base font sizes in CSS pixels (before `scale`).
pub mod size {
    /// Tick labels, legend entries, table cells.
    pub const LABEL: f64 = 12.0;
    /// Axis titles.
    pub const AXIS_TITLE: f64 = 13.0;
    /// Captions, footnotes and the empty-input message.
    pub const NOTE: f64 = 11.0;
}

/// How a chart is drawn, independent of its data.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartStyle {
    /// Multiplies every size (line widths, fonts, margins); finite and > 0.
    pub scale: f64,
    /// CSS font family for all text, e.g. "Helvetica, Arial, sans-serif".
    pub font_family: String,
}

impl Default for ChartStyle {
    fn default() -> Self {
        Self {
            scale: 1.0,
            font_family: "sans-serif".to_string(),
        }
    }
}

impl ChartStyle {
    /// This style at another scale (e.g. 2 for a PNG export).
    pub fn scaled(&self, scale: f64) -> Self {
        Self {
            scale,
            ..self.clone()
        }
    }

    /// Err unless the scale is finite and > 0.
    pub(crate) fn check<E: std::error::Error + Send + Sync>(&self) -> Result<(), ChartError<E>> {
        if self.scale.is_finite() && self.scale > 0.0 {
            Ok(())
        } else {
            Err(ChartError::InvalidScale(self.scale))
        }
    }

    /// `css_px` device pixels at this scale, at least 1.
    pub fn px(&self, css_px: f64) -> i32 {
        ((css_px * self.scale).round() as i32).max(1)
    }

    /// `css_px` device pixels at this scale as an unsigned size, at least 1.
    pub fn upx(&self, css_px: f64) -> u32 {
        self.px(css_px) as u32
    }

    /// A text style of `css_px` size in `colour`.
    pub fn text(&self, css_px: f64, colour: &'static RGBColor) -> TextStyle<'_> {
        (FontFamily::Name(&self.font_family), css_px * self.scale)
            .into_font()
            .color(colour)
    }
}
