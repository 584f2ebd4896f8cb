//! A chart rendered to SVG text, as the page's "SVG" export, the benchmarks
//! and the tests write it: the same drawing function, on plotters'
//! `SVGBackend` instead of the canvas.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};

/// Runs `draw` on an SVG drawing area of `size` pixels and returns the SVG
/// text with what `draw` returned (a chart's layout, or its error).
pub fn render<R>(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> R,
) -> (String, R) {
    let mut text = String::new();
    let out = {
        let area = SVGBackend::with_string(&mut text, size).into_drawing_area();
        let out = draw(&area);
        // Presenting into a String cannot fail (only writing a file can).
        let _ = area.present();
        out
    };
    (text, out)
}

#[cfg(test)]
mod tests {
    use plotters::style::RED;

    #[test]
    fn writes_what_was_drawn_at_the_asked_size() {
        let (svg, out) = super::render((30, 20), |area| area.fill(&RED).map(|_| 7));
        assert_eq!(out.unwrap(), 7);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(
            svg.contains("width=\"30\"") && svg.contains("height=\"20\""),
            "{svg}"
        );
        assert!(svg.contains("#FF0000"), "{svg}");
    }
}
