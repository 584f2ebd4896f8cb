//! Waterfall plot: one bar per patient, the best percentage change from
//! baseline in the sum of target-lesion diameters (RECIST 1.1), sorted from the
//! largest increase (left) to the largest decrease (right).
//!
//! Conventions: dashed reference lines at +20% (the RECIST progression
//! threshold) and −30% (the partial-response threshold); bars above the clip
//! (`clip_pct`, e.g. +100%) are cut at the clip, marked with a triangle and
//! labelled with their true value; patients with equal changes are ordered by
//! id so the figure is reproducible; patients without a post-baseline
//! measurement are left out and counted in a note under the plot. With more
//! patients than pixel columns, each column draws its patients as one bar
//! (their extent, in the colour most of them have, one clip marker and one
//! ring at most), while the layout keeps every patient for hit testing.

use serde::{Deserialize, Serialize};

use std::collections::{BTreeSet, HashSet};

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
use super::ticks::{nice_step, ticks, FixedTicks};
use crate::stats::response::BestResponse;

/// The RECIST progression threshold drawn as a dashed line (+20%).
pub const PROGRESSION_LINE_PCT: f64 = 20.0;
/// The RECIST partial-response threshold drawn as a dashed line (−30%).
pub const RESPONSE_LINE_PCT: f64 = -30.0;
/// The lowest possible change: the lesions have disappeared.
const FLOOR_PCT: f64 = -100.0;
/// Opacity of bars outside the selection when a selection exists.
pub const DIMMED_OPACITY: f64 = 0.25;

/// One patient of the waterfall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaterfallPatient {
    /// Patient id, returned by hit testing.
    pub id: String,
    /// Best % change from baseline; None without a post-baseline measurement.
    pub best_change_pct: Option<f64>,
    /// The recorded best overall response.
    #[serde(with = "super::response_code")]
    pub response: BestResponse,
    /// The patient's value of the colouring subgroup, if any.
    pub subgroup: Option<String>,
    /// The change contradicts the recorded response (e.g. PR with −10%):
    /// the bar gets a ring above it (above the zero line for a decrease).
    pub inconsistent: bool,
}

/// What the bar colours show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WaterfallColouring {
    /// The best overall response (CR/PR/SD/PD/NE).
    Response,
    /// Each patient's `subgroup` value, under this legend title.
    Subgroup(String),
}

/// The data of a waterfall plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaterfallData {
    /// The patients, in any order.
    pub patients: Vec<WaterfallPatient>,
    /// What the bar colours show.
    pub colouring: WaterfallColouring,
    /// Ids of the selected patients; when not empty the others are dimmed.
    pub selected: HashSet<String>,
    /// Bars above this % change are cut here; must be above +20%.
    pub clip_pct: f64,
    /// When `patients` are a sample of a larger cohort's bars: what the
    /// whole cohort has (the notes count it, not the sample).
    #[serde(default)]
    pub sample: Option<WaterfallSample>,
}

/// The whole of a cohort whose waterfall is drawn from a sample of its bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaterfallSample {
    /// Patients with a bar.
    pub bars: usize,
    /// Patients without a post-baseline measurement.
    pub not_shown: usize,
    /// Bars above the clip.
    pub clipped: usize,
    /// Bars whose change contradicts the recorded response.
    pub inconsistent: usize,
}

/// One drawn bar.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallBar {
    /// The patient's id.
    pub patient_id: String,
    /// The true best % change (also when the bar is clipped).
    pub change_pct: f64,
    /// First pixel column of the bar.
    pub pixel_left: f64,
    /// Last pixel column of the bar.
    pub pixel_right: f64,
}

/// Where the waterfall was drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallLayout {
    /// The plot area, or None when a message was drawn instead.
    pub frame: Option<PlotFrame>,
    /// The bars, left to right.
    pub bars: Vec<WaterfallBar>,
    /// Patients left out for lack of a post-baseline measurement.
    pub not_shown: usize,
}

impl WaterfallLayout {
    /// The bar under the pixel column `x` (gaps between bars belong to the
    /// nearer bar), if `x` is inside the plot.
    pub fn bar_at(&self, x: f64) -> Option<&WaterfallBar> {
        let frame = self.frame?;
        if x < f64::from(frame.rect.left) || x >= f64::from(frame.rect.right) {
            return None;
        }
        let slot = frame.x.to_data(x).floor();
        (slot >= 0.0)
            .then(|| self.bars.get(slot as usize))
            .flatten()
    }
}

/// A patient with a measurement, ready to draw.
struct Bar<'a> {
    patient: &'a WaterfallPatient,
    change: f64,
}

fn validate<E: std::error::Error + Send + Sync>(data: &WaterfallData) -> Result<(), ChartError<E>> {
    if !(data.clip_pct.is_finite() && data.clip_pct > PROGRESSION_LINE_PCT) {
        return Err(ChartError::InvalidValue {
            what: "waterfall clip (%)".to_string(),
            value: data.clip_pct,
        });
    }
    for p in &data.patients {
        if let Some(change) = p.best_change_pct {
            if !(change.is_finite() && change >= FLOOR_PCT) {
                return Err(ChartError::InvalidValue {
                    what: format!("best % change of patient {}", p.id),
                    value: change,
                });
            }
        }
    }
    Ok(())
}

/// The colour of a patient's bar and the legend entries, in legend order.
fn colours(data: &WaterfallData, bars: &[Bar]) -> (Vec<RGBColor>, Vec<(String, RGBColor)>) {
    match &data.colouring {
        WaterfallColouring::Response => {
            let present: BTreeSet<BestResponse> = bars.iter().map(|b| b.patient.response).collect();
            let legend = present
                .iter()
                .map(|r| (r.code().to_string(), palette::response_colour(*r)))
                .collect();
            (
                bars.iter()
                    .map(|b| palette::response_colour(b.patient.response))
                    .collect(),
                legend,
            )
        }
        WaterfallColouring::Subgroup(_) => {
            let values: BTreeSet<&str> = bars
                .iter()
                .filter_map(|b| b.patient.subgroup.as_deref())
                .collect();
            let values: Vec<&str> = values.into_iter().collect();
            let colour_of =
                |v: Option<&str>| match v.and_then(|v| values.iter().position(|x| *x == v)) {
                    Some(i) => palette::group_colour(i),
                    None => palette::NEUTRAL,
                };
            let mut legend: Vec<(String, RGBColor)> = values
                .iter()
                .map(|v| (v.to_string(), colour_of(Some(v))))
                .collect();
            if bars.iter().any(|b| b.patient.subgroup.is_none()) {
                legend.push(("Missing".to_string(), palette::NEUTRAL));
            }
            (
                bars.iter()
                    .map(|b| colour_of(b.patient.subgroup.as_deref()))
                    .collect(),
                legend,
            )
        }
    }
}

/// Draw the waterfall of `data` on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &WaterfallData,
    style: &ChartStyle,
) -> Result<WaterfallLayout, ChartError<DB::ErrorType>> {
    style.check()?;
    validate(data)?;
    area.fill(&palette::PAPER)?;
    let mut bars: Vec<Bar> = data
        .patients
        .iter()
        .filter_map(|p| p.best_change_pct.map(|change| Bar { patient: p, change }))
        .collect();
    // Largest increase first, ties by id: the numbers sorted first, the ids
    // compared only within a run of equal changes (both sorts stable, so the
    // order is that of one sort by both keys).
    bars.sort_by(|a, b| b.change.total_cmp(&a.change));
    for run in bars.chunk_by_mut(|a, b| a.change.total_cmp(&b.change).is_eq()) {
        run.sort_by(|a, b| a.patient.id.cmp(&b.patient.id));
    }
    let not_shown = data
        .sample
        .map_or(data.patients.len() - bars.len(), |s| s.not_shown);
    let missing_note = (not_shown > 0).then(|| {
        format!(
            "{} without a post-baseline measurement not shown",
            format::count(not_shown, "patient", "patients")
        )
    });
    if bars.is_empty() {
        let mut lines = vec!["No patient has a post-baseline tumour measurement"];
        if let Some(note) = &missing_note {
            lines.push(note);
        }
        draw_message(area, style, &lines)?;
        return Ok(WaterfallLayout {
            frame: None,
            bars: Vec::new(),
            not_shown,
        });
    }

    let clip = data.clip_pct;
    let clipped = data.sample.map_or_else(
        || bars.iter().filter(|b| b.change > clip).count(),
        |s| s.clipped,
    );
    let mut notes: Vec<String> = missing_note.into_iter().collect();
    if let Some(sample) = data.sample {
        notes.push(format!(
            "{} of {} bars drawn, evenly spaced in order of change",
            format::thousands(bars.len()),
            format::thousands(sample.bars)
        ));
    }
    if clipped > 0 {
        notes.push(format!(
            "\u{25B2} {} above {} cut at {}",
            format::count(clipped, "bar", "bars"),
            format::signed_percent(clip, 0),
            format::signed_percent(clip, 0)
        ));
    }
    let inconsistent = data.sample.map_or_else(
        || bars.iter().any(|b| b.patient.inconsistent),
        |s| s.inconsistent > 0,
    );
    if inconsistent {
        notes.push("\u{25CB} change inconsistent with the recorded best response".to_string());
    }

    let (_, height) = area.dim_in_pixel();
    let note_line = style.px(size::NOTE * 1.6);
    let (plot_area, note_area) =
        area.split_vertically(height as i32 - note_line * notes.len() as i32);

    // y: from −100% to the tallest drawn bar (at least +40%), head room for
    // the clip markers and labels above.
    let tallest = bars[0].change.min(clip).max(PROGRESSION_LINE_PCT * 2.0);
    let step = nice_step(tallest - FLOOR_PCT, 6);
    let top_tick = (tallest / step).ceil() * step;
    let headroom = if clipped > 0 { 0.2 } else { 0.04 } * (top_tick - FLOOR_PCT);
    let y_range = (FLOOR_PCT, top_tick + headroom);
    let n = bars.len();
    let x_range = (0.0, n as f64);

    let mut chart = ChartBuilder::on(&plot_area)
        .margin(style.px(12.0))
        .margin_right(style.px(44.0))
        .x_label_area_size(style.px(24.0))
        .y_label_area_size(style.px(56.0))
        .build_cartesian_2d(
            FixedTicks::new(RangedCoordf64::from(x_range.0..x_range.1), Vec::new()),
            FixedTicks::new(
                RangedCoordf64::from(y_range.0..y_range.1),
                ticks(FLOOR_PCT, top_tick, step),
            ),
        )?;
    let tick_label = |v: &f64| format::tick(*v);
    let x_title = format!("Patients with a post-baseline measurement (n = {n})");
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(palette::GRID.stroke_width(style.upx(1.0)))
        .axis_style(palette::INK.stroke_width(style.upx(1.0)))
        .label_style(style.text(size::LABEL, &palette::INK))
        .axis_desc_style(style.text(size::AXIS_TITLE, &palette::INK))
        .x_desc(x_title)
        .y_desc("Best change from baseline (%)")
        .y_label_formatter(&tick_label)
        .draw()?;

    let rect = PixelRect::from_ranges(chart.plotting_area().get_pixel_range());
    let frame = PlotFrame {
        rect,
        x: AxisMap::horizontal(rect, x_range, AxisScale::Linear),
        y: AxisMap::vertical(rect, y_range, AxisScale::Linear),
    };
    // Backend pixels (chart coordinates, the layout) to `area` pixels.
    let origin = area.get_base_pixel();
    let at = |(x, y): (i32, i32)| (x - origin.0, y - origin.1);
    let pitch = f64::from(rect.right - rect.left) / n as f64;
    let gap = if pitch >= 4.0 { 0.12 } else { 0.0 };

    let (bar_colours, legend) = colours(data, &bars);
    let selected = |b: &Bar| data.selected.contains(&b.patient.id);
    let slots = slots(n, (rect.right - rect.left).max(1) as usize);
    for &(a, b) in &slots {
        let run = &bars[a..b];
        let dimmed = !data.selected.is_empty() && !run.iter().any(selected);
        let opacity = if dimmed { DIMMED_OPACITY } else { 1.0 };
        let (left, right) = (a as f64 + gap, b as f64 - gap);
        // Sorted from the largest increase: the run spans its first and last change.
        let top = run[0].change.min(clip).max(0.0);
        let bottom = run[run.len() - 1].change.min(0.0);
        chart.draw_series([Rectangle::new(
            [(left, bottom), (right, top)],
            most_common(&bar_colours[a..b]).mix(opacity).filled(),
        )])?;
    }

    // Reference lines, the zero line and their labels (right of the plot).
    let ink = palette::INK.stroke_width(style.upx(1.0));
    chart.draw_series(LineSeries::new([(0.0, 0.0), (n as f64, 0.0)], ink))?;
    let dash = palette::MUTED.stroke_width(style.upx(1.0));
    let label_style = style
        .text(size::NOTE, &palette::MUTED)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for line in [PROGRESSION_LINE_PCT, RESPONSE_LINE_PCT] {
        chart.draw_series(DashedLineSeries::new(
            [(0.0, line), (n as f64, line)],
            style.px(5.0),
            style.px(4.0),
            dash,
        ))?;
        let (x, y) = at(chart.backend_coord(&(n as f64, line)));
        area.draw_text(
            &format::signed_percent(line, 0),
            &label_style,
            (x + style.px(4.0), y),
        )?;
    }

    // Clip markers with the true value, and markers of inconsistent bars.
    let half_base = ((pitch * 0.35) as i32).clamp(style.px(1.5), style.px(5.0));
    let label_width = style.px(size::NOTE * 0.6 * 5.0) as f64; // "+250%"
    let label_height = style.px(size::NOTE * 1.2) as f64;
    let value_style = if pitch >= label_width {
        Some(
            style
                .text(size::NOTE, &palette::INK)
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        )
    } else if pitch >= label_height {
        Some(
            style
                .text(size::NOTE, &palette::INK)
                .pos(Pos::new(HPos::Left, VPos::Center))
                .transform(FontTransform::Rotate270),
        )
    } else {
        None
    };
    let ring = palette::INK.stroke_width(style.upx(1.5));
    let (_, zero_y) = at(chart.backend_coord(&(0.0, 0.0)));
    for &(a, b) in &slots {
        // One mark per slot: its tallest bar's clip marker, its first
        // inconsistent bar's ring.
        let bar = &bars[a];
        let centre = (a + b) as f64 / 2.0;
        let (cx, tip) = at(chart.backend_coord(&(centre, bar.change.min(clip))));
        let mut beyond = tip;
        if bar.change > clip {
            let base = tip - style.px(2.0);
            let apex = base - half_base * 2;
            area.draw(&Polygon::new(
                vec![(cx - half_base, base), (cx + half_base, base), (cx, apex)],
                palette::INK.filled(),
            ))?;
            beyond = apex;
            if let Some(value_style) = &value_style {
                area.draw_text(
                    &format::signed_percent(bar.change, 0),
                    value_style,
                    (cx, apex - style.px(3.0)),
                )?;
            }
        }
        if let Some(bar) = bars[a..b].iter().find(|b| b.patient.inconsistent) {
            let radius = style.upx(3.0);
            let offset = style.px(3.0) + radius as i32;
            // Above the bar: over its tip (or clip marker) when it rises,
            // over the zero line when it falls, never below the plot.
            let y = if bar.change >= 0.0 {
                beyond - offset
            } else {
                zero_y - offset
            };
            area.draw(&Circle::new((cx, y), radius, ring))?;
        }
    }

    draw_legend(
        area,
        style,
        &data.colouring,
        &legend,
        (at((rect.left, rect.top)), at((rect.right, rect.bottom))),
    )?;

    let note_style = style.text(size::NOTE, &palette::MUTED);
    for (i, note) in notes.iter().enumerate() {
        note_area.draw_text(
            note,
            &note_style,
            (at((rect.left, 0)).0, note_line * i as i32),
        )?;
    }

    let layout_bars = bars
        .iter()
        .enumerate()
        .map(|(i, b)| WaterfallBar {
            patient_id: b.patient.id.clone(),
            change_pct: b.change,
            pixel_left: frame.x.to_pixel(i as f64 + gap),
            pixel_right: frame.x.to_pixel(i as f64 + 1.0 - gap),
        })
        .collect();
    Ok(WaterfallLayout {
        frame: Some(frame),
        bars: layout_bars,
        not_shown,
    })
}

/// The runs of sorted bars drawn as one: each bar alone when there are no
/// more bars than pixel columns, else the bars of each pixel column.
fn slots(n: usize, columns: usize) -> Vec<(usize, usize)> {
    if n <= columns {
        return (0..n).map(|i| (i, i + 1)).collect();
    }
    (0..columns)
        .map(|c| (c * n / columns, (c + 1) * n / columns))
        .filter(|(a, b)| a < b)
        .collect()
}

/// The colour most of `colours` have (the first such in order).
fn most_common(colours: &[RGBColor]) -> RGBColor {
    let mut counts: Vec<(RGBColor, usize)> = Vec::new();
    for &c in colours {
        match counts.iter_mut().find(|(x, _)| *x == c) {
            Some((_, k)) => *k += 1,
            None => counts.push((c, 1)),
        }
    }
    counts
        .iter()
        .fold(None::<(RGBColor, usize)>, |best, &(c, k)| match best {
            Some((_, b)) if b >= k => best,
            _ => Some((c, k)),
        })
        .map_or(palette::NEUTRAL, |(c, _)| c)
}

/// The legend, top right inside the plot (corners in `area` pixels) (where the bars of the best
/// responders point down, so the corner is empty).
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    style: &ChartStyle,
    colouring: &WaterfallColouring,
    entries: &[(String, RGBColor)],
    ((_, top), (right, _)): ((i32, i32), (i32, i32)),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let line = style.px(size::LABEL * 1.5);
    let swatch = style.px(10.0);
    let text = style
        .text(size::LABEL, &palette::INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let title = match colouring {
        WaterfallColouring::Response => "Best response",
        WaterfallColouring::Subgroup(title) => title.as_str(),
    };
    let longest = entries
        .iter()
        .map(|(l, _)| l.chars().count())
        .chain([title.chars().count()])
        .max()
        .unwrap_or(0);
    let width = swatch + style.px(6.0) + style.px(size::LABEL * 0.6) * longest as i32;
    let x = right - width - style.px(8.0);
    let mut y = top + style.px(10.0);
    area.draw_text(title, &text.clone().color(&palette::MUTED), (x, y))?;
    for (label, colour) in entries {
        y += line;
        area.draw(&Rectangle::new(
            [(x, y - swatch / 2), (x + swatch, y + swatch / 2)],
            colour.filled(),
        ))?;
        area.draw_text(label, &text, (x + swatch + style.px(6.0), y))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg_probe::{self, parse, texts, Element};

    /// Bars may differ from the continuous map by plotters' rounding down.
    const ONE_PIXEL: f64 = 1.0;

    fn patient(id: &str, change: Option<f64>, response: BestResponse) -> WaterfallPatient {
        WaterfallPatient {
            id: id.to_string(),
            best_change_pct: change,
            response,
            subgroup: None,
            inconsistent: false,
        }
    }

    fn data(patients: Vec<WaterfallPatient>) -> WaterfallData {
        WaterfallData {
            patients,
            colouring: WaterfallColouring::Response,
            selected: HashSet::new(),
            clip_pct: 100.0,
            sample: None,
        }
    }

    fn render(data: &WaterfallData, size: (u32, u32)) -> (String, WaterfallLayout) {
        let (svg, layout) =
            crate::charts::svg::render(size, |root| draw(root, data, &ChartStyle::default()));
        (svg, layout.expect("draws"))
    }

    /// Rects drawn in one of the response colours, in document order.
    fn bar_rects(elements: &[Element]) -> Vec<&Element> {
        let fills: Vec<String> = BestResponse::ALL
            .iter()
            .map(|r| palette::hex(palette::response_colour(*r)))
            .collect();
        // Legend swatches are 10 px squares drawn after the bars.
        let legend_start = elements
            .iter()
            .position(|e| e.tag == "text" && e.text == "Best response")
            .unwrap();
        elements[..legend_start]
            .iter()
            .filter(|e| e.tag == "rect" && fills.iter().any(|f| Some(f.as_str()) == e.attr("fill")))
            .collect()
    }

    fn example() -> WaterfallData {
        data(vec![
            patient("P1", Some(-45.0), BestResponse::Pr),
            patient("P2", Some(35.0), BestResponse::Pd),
            patient("P3", None, BestResponse::Ne),
            patient("P4", Some(-100.0), BestResponse::Cr),
            patient("P5", Some(250.0), BestResponse::Pd),
            patient("P6", Some(-10.0), BestResponse::Sd),
            patient("P7", None, BestResponse::Pd),
            patient("P8", Some(-10.0), BestResponse::Sd),
            WaterfallPatient {
                inconsistent: true,
                ..patient("P9", Some(-12.0), BestResponse::Pr)
            },
            patient("P10", None, BestResponse::Ne),
        ])
    }

    #[test]
    fn one_bar_per_measured_patient_sorted_worst_to_best_in_response_colours() {
        let (svg, layout) = render(&example(), (720, 420));
        svg_probe::save("waterfall", &svg);
        let elements = parse(&svg);
        let rects = bar_rects(&elements);
        let order = ["P5", "P2", "P6", "P8", "P9", "P1", "P4"];
        assert_eq!(
            layout
                .bars
                .iter()
                .map(|b| b.patient_id.as_str())
                .collect::<Vec<_>>(),
            order
        );
        assert_eq!(rects.len(), order.len());
        let expected_fills = [
            BestResponse::Pd,
            BestResponse::Pd,
            BestResponse::Sd,
            BestResponse::Sd,
            BestResponse::Pr,
            BestResponse::Pr,
            BestResponse::Cr,
        ];
        for ((rect, bar), response) in rects.iter().zip(&layout.bars).zip(expected_fills) {
            assert_eq!(
                rect.attr("fill"),
                Some(palette::hex(palette::response_colour(response)).as_str())
            );
            assert!(
                (rect.num("x") - bar.pixel_left).abs() <= ONE_PIXEL,
                "{rect:?} vs {bar:?}"
            );
        }
        let xs: Vec<f64> = rects.iter().map(|r| r.num("x")).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn reference_lines_at_plus_20_and_minus_30() {
        let (svg, layout) = render(&example(), (720, 420));
        let elements = parse(&svg);
        let frame = layout.frame.unwrap();
        for line in [PROGRESSION_LINE_PCT, RESPONSE_LINE_PCT] {
            let y = frame.y.to_pixel(line);
            let dashes = elements
                .iter()
                .filter(|e| e.tag == "polyline")
                .filter(|e| e.points().iter().all(|p| (p.1 - y).abs() <= ONE_PIXEL))
                .count();
            assert!(dashes > 10, "dashed line at {line}%: {dashes} dashes");
            assert_eq!(texts(&elements, &format::signed_percent(line, 0)).len(), 1);
        }
    }

    #[test]
    fn caption_counts_the_patients_without_a_measurement() {
        let (svg, layout) = render(&example(), (720, 420));
        assert_eq!(layout.not_shown, 3);
        let elements = parse(&svg);
        assert_eq!(
            texts(
                &elements,
                "3 patients without a post-baseline measurement not shown"
            )
            .len(),
            1
        );
    }

    #[test]
    fn a_bar_above_the_clip_is_cut_marked_and_labelled() {
        let (svg, layout) = render(&example(), (720, 420));
        let elements = parse(&svg);
        let frame = layout.frame.unwrap();
        let first = &bar_rects(&elements)[0];
        assert!((first.num("y") - frame.y.to_pixel(100.0)).abs() <= ONE_PIXEL);
        let triangles: Vec<_> = elements.iter().filter(|e| e.tag == "polygon").collect();
        assert_eq!(triangles.len(), 1);
        let apex_x = triangles[0].points()[2].0;
        assert!(apex_x > layout.bars[0].pixel_left && apex_x < layout.bars[0].pixel_right);
        assert_eq!(texts(&elements, "+250%").len(), 1);
        assert_eq!(
            texts(&elements, "\u{25B2} 1 bar above +100% cut at +100%").len(),
            1
        );
    }

    #[test]
    fn inconsistent_bars_get_a_ring() {
        let (svg, layout) = render(&example(), (720, 420));
        let elements = parse(&svg);
        let rings: Vec<_> = elements.iter().filter(|e| e.tag == "circle").collect();
        assert_eq!(rings.len(), 1);
        let p9 = layout.bars.iter().find(|b| b.patient_id == "P9").unwrap();
        assert!(rings[0].num("cx") >= p9.pixel_left && rings[0].num("cx") <= p9.pixel_right);
        assert!(rings[0].num("cy") < layout.frame.unwrap().y.to_pixel(0.0));
    }

    #[test]
    fn a_selection_dims_the_other_bars() {
        let mut selected = example();
        selected.selected = ["P1".to_string(), "P5".to_string()].into_iter().collect();
        let (svg, layout) = render(&selected, (720, 420));
        let elements = parse(&svg);
        for (rect, bar) in bar_rects(&elements).iter().zip(&layout.bars) {
            let expected = if selected.selected.contains(&bar.patient_id) {
                1.0
            } else {
                DIMMED_OPACITY
            };
            assert_eq!(rect.num("opacity"), expected, "{}", bar.patient_id);
        }
    }

    #[test]
    fn hit_testing_finds_the_bar_under_the_mouse() {
        let (_, layout) = render(&example(), (720, 420));
        for bar in &layout.bars {
            let middle = (bar.pixel_left + bar.pixel_right) / 2.0;
            assert_eq!(
                layout.bar_at(middle).map(|b| b.patient_id.as_str()),
                Some(bar.patient_id.as_str())
            );
        }
        assert!(layout.bar_at(0.0).is_none());
    }

    #[test]
    fn subgroup_colouring_has_its_own_legend() {
        let mut by_arm = example();
        by_arm.colouring = WaterfallColouring::Subgroup("Arm".to_string());
        for (i, p) in by_arm.patients.iter_mut().enumerate() {
            p.subgroup = (i != 0).then(|| if i % 2 == 0 { "A" } else { "B" }.to_string());
        }
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (720, 420)).into_drawing_area();
            draw(&root, &by_arm, &ChartStyle::default()).unwrap();
        }
        let elements = parse(&svg);
        for label in ["Arm", "A", "B", "Missing"] {
            assert_eq!(texts(&elements, label).len(), 1, "{label}");
        }
        let fill = palette::hex(palette::group_colour(0));
        assert!(elements
            .iter()
            .any(|e| e.tag == "rect" && e.attr("fill") == Some(fill.as_str())));
    }

    #[test]
    fn no_measured_patient_draws_a_message() {
        let (svg, layout) = render(
            &data(vec![patient("P1", None, BestResponse::Ne)]),
            (720, 420),
        );
        assert!(layout.frame.is_none() && layout.bars.is_empty());
        let elements = parse(&svg);
        assert_eq!(
            texts(
                &elements,
                "No patient has a post-baseline tumour measurement"
            )
            .len(),
            1
        );
        assert_eq!(
            texts(
                &elements,
                "1 patient without a post-baseline measurement not shown"
            )
            .len(),
            1
        );
        let (svg, _) = render(&data(Vec::new()), (720, 420));
        assert_eq!(
            texts(
                &parse(&svg),
                "No patient has a post-baseline tumour measurement"
            )
            .len(),
            1
        );
    }

    #[test]
    fn impossible_changes_are_errors_not_panics() {
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (720, 420)).into_drawing_area();
        for bad in [f64::NAN, -120.0, f64::INFINITY] {
            let result = draw(
                &root,
                &data(vec![patient("P1", Some(bad), BestResponse::Pd)]),
                &ChartStyle::default(),
            );
            assert!(
                matches!(result, Err(ChartError::InvalidValue { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn many_patients_draw_without_labels_overlapping() {
        let patients = (0..1000)
            .map(|i| {
                patient(
                    &format!("P{i}"),
                    Some(-100.0 + (i * 37 % 400) as f64),
                    BestResponse::Sd,
                )
            })
            .collect();
        let (svg, layout) = render(&data(patients), (900, 420));
        svg_probe::save("waterfall_1000", &svg);
        assert_eq!(layout.bars.len(), 1000);
        // Bars are too narrow for value labels: the note explains the clip.
        assert!(texts(&parse(&svg), "+299%").is_empty());
    }

    #[test]
    fn more_patients_than_pixels_draw_one_bar_per_pixel_column_and_hover_stays_exact() {
        let n = 100_000;
        let codes = [BestResponse::Pd, BestResponse::Sd, BestResponse::Pr];
        let patients: Vec<WaterfallPatient> = (0..n)
            .map(|i| {
                let change = -100.0 + (i * 7919 % 2500) as f64 / 10.0;
                let mut p = patient(&format!("P{i:06}"), Some(change), codes[i % 3]);
                p.inconsistent = i % 1000 == 0;
                p
            })
            .collect();
        let (svg, layout) = render(&data(patients.clone()), (900, 420));
        let frame = layout.frame.unwrap();
        let columns = (frame.rect.right - frame.rect.left) as usize;
        let elements = parse(&svg);
        let bars = bar_rects(&elements);
        assert!(
            bars.len() <= columns,
            "{} bars for {columns} columns",
            bars.len()
        );
        assert!(bars.len() > columns / 2);
        // Every patient is still in the layout, in order; the pointer reads
        // the patient at its exact position.
        assert_eq!(layout.bars.len(), n);
        let x = f64::from(frame.rect.left) + 100.5;
        let under = layout.bar_at(x).unwrap();
        let slot = frame.x.to_data(x).floor() as usize;
        assert_eq!(under.patient_id, layout.bars[slot].patient_id);
        let tallest = layout.bars[0].change_pct;
        assert_eq!(
            tallest,
            patients
                .iter()
                .filter_map(|p| p.best_change_pct)
                .fold(f64::MIN, f64::max)
        );
        // Rings: at most one per pixel column.
        let rings = elements.iter().filter(|e| e.tag == "circle").count();
        assert!(rings <= columns && rings > 0, "{rings}");
    }
}
