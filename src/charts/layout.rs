//! What a drawn chart tells the page: where the plot area is and how its
//! pixels map back to data (hover read-outs, clicks, zoom rectangles).

use std::ops::Range;

/// A rectangle in device pixels: `left..right` × `top..bottom`, right and
/// bottom exclusive (as plotters' `DrawingArea::get_pixel_range`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelRect {
    /// First pixel column.
    pub left: i32,
    /// First pixel row.
    pub top: i32,
    /// One past the last pixel column.
    pub right: i32,
    /// One past the last pixel row.
    pub bottom: i32,
}

impl PixelRect {
    /// From plotters' pixel ranges.
    pub fn from_ranges((x, y): (Range<i32>, Range<i32>)) -> Self {
        Self {
            left: x.start,
            top: y.start,
            right: x.end,
            bottom: y.end,
        }
    }

    /// Whether the pixel `(x, y)` lies inside.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= f64::from(self.left)
            && x < f64::from(self.right)
            && y >= f64::from(self.top)
            && y < f64::from(self.bottom)
    }
}

/// How one axis maps data to pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisScale {
    /// pixel = a + b·value.
    Linear,
    /// pixel = a + b·ln(value); data values must be > 0.
    Log,
}

/// The map between one axis' data range and its pixel span.
///
/// `pixel(v) = pixel_from + (pixel_to − pixel_from)·(f(v) − f(data_from)) /
/// (f(data_to) − f(data_from))` with `f` the identity or `ln`; this is
/// plotters' own map without its rounding down to whole pixels. As plotters'
/// `ChartBuilder`, the data range spans the plot area from its first to its
/// last pixel (`left..=right − 1`, `bottom − 1..=top`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisMap {
    /// Data value at `pixel_from`.
    pub data_from: f64,
    /// Data value at `pixel_to`.
    pub data_to: f64,
    /// Pixel of `data_from` (left for x, bottom for y).
    pub pixel_from: f64,
    /// Pixel of `data_to` (right for x, top for y).
    pub pixel_to: f64,
    /// Linear or logarithmic.
    pub scale: AxisScale,
}

impl AxisMap {
    /// A horizontal axis over the columns of `rect`.
    pub fn horizontal(rect: PixelRect, data: (f64, f64), scale: AxisScale) -> Self {
        Self {
            data_from: data.0,
            data_to: data.1,
            pixel_from: f64::from(rect.left),
            pixel_to: f64::from(rect.right - 1),
            scale,
        }
    }

    /// A vertical axis over the rows of `rect`, data increasing upwards.
    pub fn vertical(rect: PixelRect, data: (f64, f64), scale: AxisScale) -> Self {
        Self {
            data_from: data.0,
            data_to: data.1,
            pixel_from: f64::from(rect.bottom - 1),
            pixel_to: f64::from(rect.top),
            scale,
        }
    }

    fn forward(&self, value: f64) -> f64 {
        match self.scale {
            AxisScale::Linear => value,
            AxisScale::Log => value.ln(),
        }
    }

    /// The pixel of a data value (not rounded, not clamped).
    pub fn to_pixel(&self, value: f64) -> f64 {
        let (a, b) = (self.forward(self.data_from), self.forward(self.data_to));
        self.pixel_from + (self.pixel_to - self.pixel_from) * (self.forward(value) - a) / (b - a)
    }

    /// The data value under a pixel (not clamped).
    pub fn to_data(&self, pixel: f64) -> f64 {
        let (a, b) = (self.forward(self.data_from), self.forward(self.data_to));
        let t = a + (b - a) * (pixel - self.pixel_from) / (self.pixel_to - self.pixel_from);
        match self.scale {
            AxisScale::Linear => t,
            AxisScale::Log => t.exp(),
        }
    }
}

/// A plot area: its pixels and the data ranges on both axes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotFrame {
    /// The plot area in device pixels.
    pub rect: PixelRect,
    /// The horizontal axis.
    pub x: AxisMap,
    /// The vertical axis.
    pub y: AxisMap,
}

impl PlotFrame {
    /// Data coordinates under the pixel `(x, y)`, or None outside the plot.
    pub fn to_data(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        self.rect
            .contains(x, y)
            .then(|| (self.x.to_data(x), self.y.to_data(y)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIXEL_ROUND_TRIP: f64 = 1e-9;

    #[test]
    fn linear_and_log_maps_round_trip() {
        let rect = PixelRect {
            left: 50,
            top: 10,
            right: 451,
            bottom: 311,
        };
        let x = AxisMap::horizontal(rect, (0.0, 40.0), AxisScale::Linear);
        assert_eq!(x.to_pixel(10.0), 150.0);
        assert!((x.to_data(150.0) - 10.0).abs() < PIXEL_ROUND_TRIP);
        let y = AxisMap::vertical(rect, (0.0, 1.0), AxisScale::Linear);
        assert_eq!(y.to_pixel(1.0), 10.0);
        let log = AxisMap::horizontal(rect, (0.25, 4.0), AxisScale::Log);
        assert!((log.to_pixel(1.0) - 250.0).abs() < PIXEL_ROUND_TRIP);
        assert!((log.to_data(250.0) - 1.0).abs() < PIXEL_ROUND_TRIP);
        let frame = PlotFrame { rect, x, y };
        assert!(frame.to_data(10.0, 10.0).is_none());
        assert!(frame.to_data(150.0, 160.0).is_some());
    }
}
