//! Forest plot: one row per subgroup with its estimate (e.g. a Cox hazard
//! ratio) and confidence interval on a log scale, a vertical line at 1 (no
//! effect), and text columns for the subgroup, its n/events and
//! "HR (95% CI)".
//!
//! Conventions: the x axis is logarithmic (ratios are symmetric there); ticks
//! are the 1–2–5 series inside the range; an interval reaching beyond the
//! range is cut at its edge and ends in an arrowhead; a row without a finite,
//! positive estimate and limits is printed "not estimable" without a marker.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::error::ChartError;
use super::format;
use super::layout::{AxisMap, AxisScale, PixelRect, PlotFrame};
use super::message::draw_message;
use super::palette;
use super::style::{size, ChartStyle};
use super::ticks::FixedTicks;

/// An estimate with its confidence limits (ratio scale, > 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Point estimate.
    pub estimate: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
}

impl Interval {
    fn is_drawable(&self) -> bool {
        [self.estimate, self.lower, self.upper]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0)
            && self.lower <= self.estimate
            && self.estimate <= self.upper
    }
}

/// One row of the forest plot.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRow {
    /// The row's label, e.g. "Age < 65" or "Overall".
    pub label: String,
    /// The estimate, None for a heading row.
    pub interval: Option<Interval>,
    /// The n/events column, e.g. "45/120"; may be empty.
    pub detail: String,
    /// A heading (e.g. "Age") printed bold, without estimate; the rows after
    /// the first heading are indented.
    pub heading: bool,
}

/// The data of a forest plot.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestData {
    /// The rows, top to bottom.
    pub rows: Vec<ForestRow>,
    /// The estimate's short name for the text column title, e.g. "HR".
    pub estimate_name: String,
    /// The title of the detail column, e.g. "Events/N".
    pub detail_title: String,
    /// The x-axis title, e.g. "Hazard ratio (log scale)".
    pub axis_title: String,
    /// The visible range (both > 0); None to cover every interval and 1.
    pub x_range: Option<(f64, f64)>,
    /// Decimals of the estimates in the text column.
    pub decimals: usize,
}

/// One drawn row.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRowSpan {
    /// The row's label.
    pub label: String,
    /// First pixel row.
    pub pixel_top: f64,
    /// Last pixel row.
    pub pixel_bottom: f64,
}

/// Where the forest plot was drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestLayout {
    /// The plot area (x on a log scale, y in row units from the bottom), or
    /// None when a message was drawn instead.
    pub frame: Option<PlotFrame>,
    /// The rows, top to bottom.
    pub rows: Vec<ForestRowSpan>,
}

impl ForestLayout {
    /// The row whose band contains the pixel row `y`.
    pub fn row_at(&self, y: f64) -> Option<&ForestRowSpan> {
        self.rows
            .iter()
            .find(|r| y >= r.pixel_top && y <= r.pixel_bottom)
    }
}

/// The 1–2–5 series from 0.001 to 1000.
fn one_two_five() -> Vec<f64> {
    (-3..3)
        .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)))
        .chain([1000.0])
        .collect()
}

/// The default range: the 1–2–5 values around every interval and 1.
fn default_range(rows: &[ForestRow]) -> (f64, f64) {
    let drawable = rows
        .iter()
        .filter_map(|r| r.interval)
        .filter(Interval::is_drawable);
    let (lo, hi) = drawable.fold((1.0f64, 1.0f64), |(lo, hi), i| {
        (lo.min(i.lower), hi.max(i.upper))
    });
    let series = one_two_five();
    let from = series
        .iter()
        .rev()
        .find(|v| **v <= lo * 0.999)
        .copied()
        .unwrap_or(series[0]);
    let to = series
        .iter()
        .find(|v| **v >= hi * 1.001)
        .copied()
        .unwrap_or(series[series.len() - 1]);
    (from.min(0.5), to.max(2.0))
}

/// Draw the forest plot of `data` on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ForestData,
    style: &ChartStyle,
) -> Result<ForestLayout, ChartError<DB::ErrorType>> {
    style.check()?;
    area.fill(&palette::PAPER)?;
    if let Some((from, to)) = data.x_range {
        if !(from.is_finite() && to.is_finite() && from > 0.0 && to > from) {
            return Err(ChartError::InvalidValue {
                what: "forest x range end".to_string(),
                value: to,
            });
        }
    }
    if data.rows.is_empty() {
        draw_message(area, style, &["No estimates to show"])?;
        return Ok(ForestLayout {
            frame: None,
            rows: Vec::new(),
        });
    }
    let (from, to) = data.x_range.unwrap_or_else(|| default_range(&data.rows));
    let tick_values: Vec<f64> = one_two_five()
        .into_iter()
        .filter(|v| *v >= from * 0.999 && *v <= to * 1.001)
        .collect();

    // Column widths from the text they hold.
    let text = style.text(size::LABEL, &palette::INK);
    let bold = TextStyle {
        font: text.font.clone().style(FontStyle::Bold),
        ..text.clone()
    };
    // Rows after a heading are indented; rows before the first are not.
    let first_heading = data
        .rows
        .iter()
        .position(|r| r.heading)
        .unwrap_or(data.rows.len());
    let indent_of = |i: usize| if i > first_heading { style.px(12.0) } else { 0 };
    let ci_text = |i: &Interval| format::estimate_ci(i.estimate, i.lower, i.upper, data.decimals);
    let row_ci = |r: &ForestRow| match r.interval {
        Some(i) if i.is_drawable() => ci_text(&i),
        Some(_) => "not estimable".to_string(),
        None => String::new(),
    };
    let ci_title = format!("{} (95% CI)", data.estimate_name);
    let mut label_width = 0;
    let mut detail_width = area.estimate_text_size(&data.detail_title, &bold)?.0 as i32;
    let mut ci_width = area.estimate_text_size(&ci_title, &bold)?.0 as i32;
    for (i, row) in data.rows.iter().enumerate() {
        let own = if row.heading { &bold } else { &text };
        label_width =
            label_width.max(area.estimate_text_size(&row.label, own)?.0 as i32 + indent_of(i));
        detail_width = detail_width.max(area.estimate_text_size(&row.detail, &text)?.0 as i32);
        ci_width = ci_width.max(area.estimate_text_size(&row_ci(row), &text)?.0 as i32);
    }
    let pad = style.px(16.0);
    let left_band = pad / 2 + label_width + pad + detail_width + pad;
    let right_band = pad + ci_width + pad / 2;

    let row_height = style.px(size::LABEL * 1.9);
    let header = row_height;
    let n = data.rows.len() as f64;
    let (_, height) = area.dim_in_pixel();
    let axis_height = style.px(44.0);
    let wanted = header + row_height * data.rows.len() as i32 + axis_height;
    let (plot_area, _) = area.split_vertically(wanted.min(height as i32));
    let (ln_from, ln_to) = (from.ln(), to.ln());
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(header)
        .margin_left(left_band)
        .margin_right(right_band)
        .x_label_area_size(axis_height)
        .build_cartesian_2d(
            FixedTicks::new(
                RangedCoordf64::from(ln_from..ln_to),
                tick_values.iter().map(|v| v.ln()).collect(),
            ),
            FixedTicks::new(RangedCoordf64::from(0.0..n), Vec::new()),
        )?;
    let x_label = |v: &f64| format::tick(v.exp());
    chart
        .configure_mesh()
        .disable_y_axis()
        .bold_line_style(palette::GRID.stroke_width(style.upx(1.0)))
        .axis_style(palette::INK.stroke_width(style.upx(1.0)))
        .label_style(text.clone())
        .axis_desc_style(style.text(size::AXIS_TITLE, &palette::INK))
        .x_desc(data.axis_title.as_str())
        .x_label_formatter(&x_label)
        .draw()?;

    let origin = area.get_base_pixel();
    let at = |(x, y): (i32, i32)| (x - origin.0, y - origin.1);
    let rect = PixelRect::from_ranges(chart.plotting_area().get_pixel_range());
    let frame = PlotFrame {
        rect,
        x: AxisMap::horizontal(rect, (from, to), AxisScale::Log),
        y: AxisMap::vertical(rect, (0.0, n), AxisScale::Linear),
    };
    chart.draw_series(LineSeries::new(
        [(0.0, 0.0), (0.0, n)],
        palette::INK.stroke_width(style.upx(1.0)),
    ))?;

    // Column titles.
    let (_, plot_top) = at((rect.left, rect.top));
    let (plot_right, _) = at((rect.right, rect.top));
    let title_y = plot_top - header / 2;
    let label_x = pad / 2;
    let detail_right = label_x + label_width + pad + detail_width;
    let ci_x = plot_right + pad;
    let (left, right) = (
        Pos::new(HPos::Left, VPos::Center),
        Pos::new(HPos::Right, VPos::Center),
    );
    let (text_left, text_right) = (text.pos(left), text.pos(right));
    let (bold_left, bold_right) = (bold.pos(left), bold.pos(right));
    area.draw_text(&data.detail_title, &bold_right, (detail_right, title_y))?;
    area.draw_text(&ci_title, &bold_left, (ci_x, title_y))?;

    let half_square = style.px(4.0);
    let whisker = palette::INK.stroke_width(style.upx(1.5));
    let mut spans = Vec::with_capacity(data.rows.len());
    for (i, row) in data.rows.iter().enumerate() {
        let centre = n - i as f64 - 0.5;
        let (_, y) = at(chart.backend_coord(&(ln_from, centre)));
        if row.heading {
            area.draw_text(&row.label, &bold_left, (label_x, y))?;
        } else {
            area.draw_text(&row.label, &text_left, (label_x + indent_of(i), y))?;
        }
        area.draw_text(&row.detail, &text_right, (detail_right, y))?;
        area.draw_text(&row_ci(row), &text_left, (ci_x, y))?;
        if let Some(interval) = row.interval.filter(Interval::is_drawable) {
            let clamp = |v: f64| v.ln().clamp(ln_from, ln_to);
            let (x_lo, _) = at(chart.backend_coord(&(clamp(interval.lower), centre)));
            let (x_hi, _) = at(chart.backend_coord(&(clamp(interval.upper), centre)));
            area.draw(&PathElement::new(vec![(x_lo, y), (x_hi, y)], whisker))?;
            for (cut, x, direction) in [
                (interval.lower < from, x_lo, -1),
                (interval.upper > to, x_hi, 1),
            ] {
                if cut {
                    let head = vec![
                        (x + direction * half_square, y),
                        (x, y - half_square),
                        (x, y + half_square),
                    ];
                    area.draw(&Polygon::new(head, palette::INK.filled()))?;
                }
            }
            if interval.estimate >= from && interval.estimate <= to {
                let (x, _) = at(chart.backend_coord(&(interval.estimate.ln(), centre)));
                let square = [
                    (x - half_square, y - half_square),
                    (x + half_square, y + half_square),
                ];
                area.draw(&Rectangle::new(square, palette::BLUE.filled()))?;
            }
        }
        spans.push(ForestRowSpan {
            label: row.label.clone(),
            pixel_top: frame.y.to_pixel(centre + 0.5),
            pixel_bottom: frame.y.to_pixel(centre - 0.5),
        });
    }
    Ok(ForestLayout {
        frame: Some(frame),
        rows: spans,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg_probe::{self, parse, texts};

    /// Plotters rounds pixels down.
    const ONE_PIXEL: f64 = 1.0;

    fn row(label: &str, estimate: f64, lower: f64, upper: f64, detail: &str) -> ForestRow {
        ForestRow {
            label: label.to_string(),
            interval: Some(Interval {
                estimate,
                lower,
                upper,
            }),
            detail: detail.to_string(),
            heading: false,
        }
    }

    fn heading(label: &str) -> ForestRow {
        ForestRow {
            label: label.to_string(),
            interval: None,
            detail: String::new(),
            heading: true,
        }
    }

    fn data(rows: Vec<ForestRow>) -> ForestData {
        ForestData {
            rows,
            estimate_name: "HR".to_string(),
            detail_title: "Events/N".to_string(),
            axis_title: "Hazard ratio (log scale)".to_string(),
            x_range: None,
            decimals: 2,
        }
    }

    fn example() -> ForestData {
        data(vec![
            row("Overall", 0.54, 0.31, 0.93, "48/120"),
            heading("Age"),
            row("< 65 years", 0.48, 0.22, 1.05, "22/64"),
            row("\u{2265} 65 years", 0.63, 0.29, 1.37, "26/56"),
            heading("ECOG"),
            row("0", 0.41, 0.18, 0.95, "18/58"),
            row("1", 0.75, 0.35, 6.2, "30/62"),
            row("Unknown", f64::NAN, f64::NAN, f64::NAN, "0/3"),
        ])
    }

    fn render(data: &ForestData) -> (String, ForestLayout) {
        let (svg, layout) =
            crate::charts::svg::render((760, 360), |root| draw(root, data, &ChartStyle::default()));
        (svg, layout.expect("draws"))
    }

    #[test]
    fn rows_squares_and_ci_text_on_a_log_axis() {
        let (svg, layout) = render(&example());
        svg_probe::save("forest", &svg);
        let elements = parse(&svg);
        let frame = layout.frame.unwrap();
        assert_eq!(frame.x.data_from, 0.1);
        assert_eq!(frame.x.data_to, 10.0);
        for (label, ci) in [
            ("Overall", "0.54 (0.31\u{2013}0.93)"),
            ("0", "0.41 (0.18\u{2013}0.95)"),
        ] {
            let label_y = texts(&elements, label)
                .iter()
                .map(|e| e.num("y"))
                .next()
                .unwrap();
            let ci_y = texts(&elements, ci)[0].num("y");
            assert_eq!(label_y, ci_y, "{label}");
        }
        assert_eq!(texts(&elements, "not estimable").len(), 1);
        assert_eq!(texts(&elements, "HR (95% CI)").len(), 1);
        assert_eq!(texts(&elements, "Events/N").len(), 1);
        let blue = palette::hex(palette::BLUE);
        let squares: Vec<_> = elements
            .iter()
            .filter(|e| e.tag == "rect" && e.attr("fill") == Some(blue.as_str()))
            .collect();
        assert_eq!(squares.len(), 5);
        // The overall square is centred on 0.54 on the log axis.
        let centre = squares[0].num("x") + squares[0].num("width") / 2.0;
        assert!((centre - frame.x.to_pixel(0.54)).abs() <= 2.0 * ONE_PIXEL);
        // Ticks of the 1–2–5 series, and the line of no effect at 1.
        for tick in ["0.1", "0.2", "0.5", "1", "2", "5", "10"] {
            assert!(!texts(&elements, tick).is_empty(), "{tick}");
        }
        let one = frame.x.to_pixel(1.0);
        let vertical_at_one = elements.iter().filter(|e| e.tag == "polyline").any(|e| {
            let p = e.points();
            p.len() == 2
                && (p[0].0 - one).abs() <= ONE_PIXEL
                && p[0].0 == p[1].0
                && (p[0].1 - p[1].1).abs() > 100.0
        });
        assert!(vertical_at_one);
        assert_eq!(layout.rows.len(), 8);
        let middle = (layout.rows[2].pixel_top + layout.rows[2].pixel_bottom) / 2.0;
        assert_eq!(
            layout.row_at(middle).map(|r| r.label.as_str()),
            Some("< 65 years")
        );
        assert!(layout
            .rows
            .windows(2)
            .all(|w| w[0].pixel_bottom <= w[1].pixel_top + ONE_PIXEL));
    }

    #[test]
    fn intervals_beyond_the_range_end_in_an_arrow() {
        let mut zoomed = example();
        zoomed.x_range = Some((0.2, 5.0));
        let (svg, _) = render(&zoomed);
        let arrows = parse(&svg)
            .into_iter()
            .filter(|e| e.tag == "polygon")
            .count();
        assert_eq!(arrows, 2); // 0.18 below 0.2, 6.2 above 5
    }

    #[test]
    fn empty_and_invalid_input() {
        let (svg, layout) = render(&data(Vec::new()));
        assert!(layout.frame.is_none());
        assert_eq!(texts(&parse(&svg), "No estimates to show").len(), 1);
        let mut bad = example();
        bad.x_range = Some((0.0, 2.0));
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (760, 360)).into_drawing_area();
        assert!(matches!(
            draw(&root, &bad, &ChartStyle::default()),
            Err(ChartError::InvalidValue { .. })
        ));
    }
}
