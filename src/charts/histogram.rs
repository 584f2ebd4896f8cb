//! Histogram of one numeric column.
//!
//! Bins: `BinRule::Sturges` asks for ⌈log2 n⌉ + 1 bins (Sturges 1926, R
//! `nclass.Sturges`), with edges at Heckbert nice numbers (close to, not always
//! equal to, R's `pretty`). Bins are right-closed (a, b] and the first bin is
//! closed [a, b], as R `hist(right = TRUE, include.lowest = TRUE)`.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::ChartError;
use super::format;
use super::layout::{AxisMap, AxisScale, PixelRect, PlotFrame};
use super::message::draw_message;
use super::palette;
use super::style::{size, ChartStyle};
use super::ticks::{nice_step, ticks, FixedTicks};

/// How the bins are chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BinRule {
    /// About ⌈log2 n⌉ + 1 bins of a nice width (R's default rule).
    Sturges,
    /// About this many bins of a nice width.
    Count(usize),
    /// Bins of exactly this width, edges at its multiples; a width that is
    /// not > 0 or would give more than 200 bins falls back to `Sturges`.
    Width(f64),
}

/// The data of a histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramData {
    /// The column's name and unit, the x-axis title, e.g. "Age (years)".
    pub axis_title: String,
    /// The values; NaN and infinities are missing values (counted in a note).
    pub values: Vec<f64>,
    /// How the bins are chosen.
    pub bins: BinRule,
}

/// One drawn bin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinSpan {
    /// Lower edge (data units).
    pub from: f64,
    /// Upper edge (data units).
    pub to: f64,
    /// Number of values in the bin.
    pub count: usize,
    /// First pixel column of the bar.
    pub pixel_left: f64,
    /// Last pixel column of the bar (inclusive).
    pub pixel_right: f64,
}

/// Where the histogram was drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramLayout {
    /// The plot area, or None when a message was drawn instead.
    pub frame: Option<PlotFrame>,
    /// The bins, left to right.
    pub bins: Vec<BinSpan>,
}

impl HistogramLayout {
    /// The bin under the pixel column `x`, if any.
    pub fn bin_at(&self, x: f64) -> Option<&BinSpan> {
        self.bins
            .iter()
            .find(|b| x >= b.pixel_left && x <= b.pixel_right)
    }
}

/// Most bins a rule may produce (a guard against absurd widths).
const MAX_BINS: usize = 200;

/// Bin edges and counts of the finite `values` (ascending, non-empty).
fn bin(values: &[f64], rule: BinRule) -> (Vec<f64>, Vec<usize>) {
    let (min, max) = (values[0], values[values.len() - 1]);
    let span = max - min;
    let step = match rule {
        BinRule::Width(w) if w.is_finite() && w > 0.0 && span / w <= MAX_BINS as f64 => w,
        BinRule::Count(k) => nice_step(span, k.clamp(1, MAX_BINS)),
        _ => nice_step(span, (values.len() as f64).log2().ceil() as usize + 1),
    };
    let first = (min / step).floor() * step;
    let mut last = (max / step).ceil() * step;
    if last <= first {
        last = first + step;
    }
    let edges = ticks(first, last, step);
    let mut counts = vec![0usize; edges.len() - 1];
    for &v in values {
        // Right-closed: the bin whose upper edge is the first edge >= v.
        let upper = edges.partition_point(|&e| e < v).clamp(1, edges.len() - 1);
        counts[upper - 1] += 1;
    }
    (edges, counts)
}

/// Draw the histogram of `data` on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &HistogramData,
    style: &ChartStyle,
) -> Result<HistogramLayout, ChartError<DB::ErrorType>> {
    style.check()?;
    area.fill(&palette::PAPER)?;
    let mut values: Vec<f64> = data
        .values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let missing = data.values.len() - values.len();
    if values.is_empty() {
        let note = format!("No values of {} to show", data.axis_title);
        draw_message(area, style, &[note.as_str()])?;
        return Ok(HistogramLayout {
            frame: None,
            bins: Vec::new(),
        });
    }
    values.sort_by(f64::total_cmp);
    let (edges, counts) = bin(&values, data.bins);

    let (_, height) = area.dim_in_pixel();
    let note_height = if missing > 0 {
        style.px(size::NOTE * 2.0)
    } else {
        0
    };
    let (plot_area, note_area) = area.split_vertically(height as i32 - note_height);

    let x_range = (edges[0], edges[edges.len() - 1]);
    let max_count = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let y_step = nice_step(max_count, 5).max(1.0).round();
    let y_top = (max_count / y_step).ceil() * y_step;
    let x_ticks = ticks(x_range.0, x_range.1, nice_step(x_range.1 - x_range.0, 6));
    let y_ticks = ticks(0.0, y_top, y_step);

    let mut chart = ChartBuilder::on(&plot_area)
        .margin(style.px(12.0))
        .x_label_area_size(style.px(44.0))
        .y_label_area_size(style.px(52.0))
        .build_cartesian_2d(
            FixedTicks::new(RangedCoordf64::from(x_range.0..x_range.1), x_ticks),
            FixedTicks::new(RangedCoordf64::from(0.0..y_top), y_ticks),
        )?;
    let tick_label = |v: &f64| format::tick(*v);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(palette::GRID.stroke_width(style.upx(1.0)))
        .axis_style(palette::INK.stroke_width(style.upx(1.0)))
        .label_style(style.text(size::LABEL, &palette::INK))
        .axis_desc_style(style.text(size::AXIS_TITLE, &palette::INK))
        .x_desc(data.axis_title.as_str())
        .y_desc("Number of patients")
        .x_label_formatter(&tick_label)
        .y_label_formatter(&tick_label)
        .draw()?;

    let outline = palette::PAPER.stroke_width(style.upx(1.0));
    let mut spans = Vec::with_capacity(counts.len());
    for (i, &count) in counts.iter().enumerate() {
        let (from, to) = (edges[i], edges[i + 1]);
        let corners = [(from, 0.0), (to, count as f64)];
        if count > 0 {
            chart.draw_series([
                Rectangle::new(corners, palette::BLUE.filled()),
                Rectangle::new(corners, outline),
            ])?;
        }
        spans.push((from, to, count));
    }

    let rect = PixelRect::from_ranges(chart.plotting_area().get_pixel_range());
    let frame = PlotFrame {
        rect,
        x: AxisMap::horizontal(rect, x_range, AxisScale::Linear),
        y: AxisMap::vertical(rect, (0.0, y_top), AxisScale::Linear),
    };
    let bins = spans
        .into_iter()
        .map(|(from, to, count)| BinSpan {
            from,
            to,
            count,
            pixel_left: frame.x.to_pixel(from),
            pixel_right: frame.x.to_pixel(to),
        })
        .collect();

    if missing > 0 {
        let note = format!(
            "{} not shown",
            format::count(missing, "missing value", "missing values")
        );
        let text = style.text(size::NOTE, &palette::MUTED);
        let left = rect.left - area.get_base_pixel().0;
        note_area.draw_text(&note, &text, (left, style.px(size::NOTE * 0.3)))?;
    }
    Ok(HistogramLayout {
        frame: Some(frame),
        bins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg_probe::{self, parse, texts};

    fn render(data: &HistogramData) -> (String, HistogramLayout) {
        let (svg, layout) =
            crate::charts::svg::render((640, 400), |root| draw(root, data, &ChartStyle::default()));
        (svg, layout.expect("draws"))
    }

    fn data(values: Vec<f64>) -> HistogramData {
        HistogramData {
            axis_title: "Age (years)".to_string(),
            values,
            bins: BinRule::Sturges,
        }
    }

    #[test]
    fn bins_are_right_closed_with_the_first_closed() {
        let (edges, counts) = bin(&[0.0, 10.0, 10.0, 15.0, 20.0], BinRule::Width(10.0));
        assert_eq!(edges, vec![0.0, 10.0, 20.0]);
        assert_eq!(counts, vec![3, 2]);
    }

    #[test]
    fn sturges_bins_count_every_value() {
        let values: Vec<f64> = (0..66).map(|i| 40.0 + (i * 7 % 37) as f64).collect();
        let (edges, counts) = bin(
            &{
                let mut v = values.clone();
                v.sort_by(f64::total_cmp);
                v
            },
            BinRule::Sturges,
        );
        assert_eq!(counts.iter().sum::<usize>(), 66);
        assert!(edges.len() >= 5 && edges.len() <= 12, "{edges:?}");
    }

    #[test]
    fn draws_one_bar_per_non_empty_bin_and_notes_missing() {
        let (svg, layout) = render(&HistogramData {
            bins: BinRule::Width(10.0),
            ..data(vec![41.0, 45.0, 52.0, 58.0, 59.0, 77.0, f64::NAN])
        });
        svg_probe::save("histogram", &svg);
        let elements = parse(&svg);
        let blue = palette::hex(palette::BLUE);
        let bars: Vec<_> = elements
            .iter()
            .filter(|e| e.tag == "rect" && e.attr("fill") == Some(blue.as_str()))
            .collect();
        assert_eq!(bars.len(), 3); // 40-50, 50-60, 70-80
        assert_eq!(
            layout.bins.iter().map(|b| b.count).collect::<Vec<_>>(),
            vec![2, 3, 0, 1]
        );
        assert_eq!(texts(&elements, "1 missing value not shown").len(), 1);
        assert_eq!(texts(&elements, "Age (years)").len(), 1);
        let frame = layout.frame.expect("a plot");
        let bar = layout.bin_at(frame.x.to_pixel(55.0)).expect("a bin");
        assert_eq!((bar.from, bar.to, bar.count), (50.0, 60.0, 3));
    }

    #[test]
    fn frame_agrees_with_plotters_coordinates() {
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
        let layout = draw(
            &root,
            &data(vec![1.0, 2.0, 3.0, 9.0]),
            &ChartStyle::default(),
        )
        .unwrap();
        let frame = layout.frame.unwrap();
        // Rebuild the same chart to get plotters' own reverse map.
        let chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(52)
            .build_cartesian_2d(
                frame.x.data_from..frame.x.data_to,
                frame.y.data_from..frame.y.data_to,
            )
            .unwrap();
        let reverse = chart.into_coord_trans();
        const ONE_PIXEL_IN_DATA: f64 = 0.1;
        for px in [(100, 100), (300, 250), (500, 60)] {
            let (x, y) = reverse(px).expect("inside");
            let (fx, fy) = frame.to_data(px.0 as f64, px.1 as f64).expect("inside");
            assert!((x - fx).abs() < ONE_PIXEL_IN_DATA && (y - fy).abs() < ONE_PIXEL_IN_DATA);
        }
    }

    #[test]
    fn empty_input_draws_a_message() {
        let (svg, layout) = render(&data(vec![f64::NAN]));
        assert!(layout.frame.is_none());
        assert_eq!(
            texts(&parse(&svg), "No values of Age (years) to show").len(),
            1
        );
    }

    #[test]
    fn a_single_repeated_value_still_draws() {
        let (_, layout) = render(&data(vec![5.0, 5.0, 5.0]));
        assert_eq!(layout.bins.iter().map(|b| b.count).sum::<usize>(), 3);
    }

    #[test]
    fn a_bad_scale_is_an_error() {
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
        let style = ChartStyle::default().scaled(0.0);
        assert!(matches!(
            draw(&root, &data(vec![1.0]), &style),
            Err(ChartError::InvalidScale(_))
        ));
    }
}
