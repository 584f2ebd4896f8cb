//! The message a chart draws instead of a plot when it has nothing to show.

use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::MUTED;
use super::style::{size, ChartStyle};

/// Draw `lines` centred in `area`, one under the other.
pub(crate) fn draw_message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    style: &ChartStyle,
    lines: &[&str],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, height) = area.dim_in_pixel();
    let line_height = style.px(size::LABEL * 1.5);
    let text = style
        .text(size::LABEL, &MUTED)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let first = height as i32 / 2 - line_height * (lines.len() as i32 - 1) / 2;
    for (i, line) in lines.iter().enumerate() {
        area.draw_text(
            line,
            &text,
            (width as i32 / 2, first + line_height * i as i32),
        )?;
    }
    Ok(())
}
