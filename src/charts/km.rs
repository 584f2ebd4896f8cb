//! Kaplan–Meier plot: one step curve per group with censor ticks, optional
//! step-shaped confidence bands, median lines and a landmark line, a legend
//! and a text block, and under the plot a number-at-risk table whose columns
//! sit exactly under the x-axis ticks.
//!
//! The input rows mirror R `summary(survfit(...), censored = TRUE)`: one row
//! per distinct time with `n.risk`, `n.event`, `n.censor`, `surv`, `lower`,
//! `upper`. Conventions for the table (as R `summary(fit, times = t)` and
//! survminer's `risk.table`): the number at risk at a tick `t` is the number
//! of subjects with time ≥ t (`n.risk` of the first row at or after `t`, 0
//! after the last row); cumulative events count events at times ≤ t.

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

/// One row of a Kaplan–Meier table (R `summary.survfit` with censored rows).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmStep {
    /// The time (event or censoring), ≥ 0, strictly increasing within a group.
    pub time: f64,
    /// Number at risk just before `time` (`n.risk`).
    pub n_risk: usize,
    /// Events at `time` (`n.event`).
    pub n_event: usize,
    /// Censorings at `time` (`n.censor`).
    pub n_censor: usize,
    /// Survival just after `time` (`surv`), in [0, 1].
    pub survival: f64,
    /// Lower confidence limit, None where undefined (R's NA).
    pub lower: Option<f64>,
    /// Upper confidence limit, None where undefined.
    pub upper: Option<f64>,
}

/// One group (arm, subgroup) of the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct KmGroup {
    /// The group's label in the legend and the at-risk table.
    pub label: String,
    /// Its Kaplan–Meier table, by increasing time.
    pub steps: Vec<KmStep>,
    /// Its median survival time (under the caller's median convention), if
    /// reached: drawn as dashed lines when `show_medians` is set.
    pub median: Option<f64>,
}

/// How survival is labelled on the y axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurvivalScale {
    /// 0.00 to 1.00.
    Proportion,
    /// 0% to 100%.
    Percent,
}

/// The data and options of a Kaplan–Meier plot.
#[derive(Debug, Clone, PartialEq)]
pub struct KmData {
    /// The groups, in legend order; colours follow [`palette::group_colour`].
    pub groups: Vec<KmGroup>,
    /// The endpoint, the y-axis title, e.g. "Overall survival".
    pub endpoint: String,
    /// The time unit for the x-axis title, e.g. "months".
    pub time_unit: String,
    /// The visible time range (zoom); None for 0 to the last time.
    pub x_range: Option<(f64, f64)>,
    /// Distance between x ticks (e.g. 6 months); None for a nice step.
    pub x_tick_step: Option<f64>,
    /// Proportion or percent labels.
    pub y_scale: SurvivalScale,
    /// Draw the confidence bands.
    pub show_ci: bool,
    /// Draw dashed lines from survival 0.5 to each median and down to the axis.
    pub show_medians: bool,
    /// Add cumulative events in parentheses to the at-risk table.
    pub show_cumulative_events: bool,
    /// A vertical landmark line at this time.
    pub landmark: Option<f64>,
    /// Lines of text drawn bottom left in the plot, e.g.
    /// "Log-rank p = 0.012" and "HR 0.54 (95% CI 0.31–0.93)".
    pub annotation: Vec<String>,
}

/// One cell of the number-at-risk table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AtRiskCell {
    /// The tick time.
    pub time: f64,
    /// Subjects with time ≥ `time`.
    pub at_risk: usize,
    /// Events at times ≤ `time`.
    pub cumulative_events: usize,
}

/// One row of the number-at-risk table.
#[derive(Debug, Clone, PartialEq)]
pub struct AtRiskRow {
    /// The group's label.
    pub label: String,
    /// One cell per x tick.
    pub cells: Vec<AtRiskCell>,
}

/// Where the Kaplan–Meier plot was drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct KmLayout {
    /// The plot area (x in time units, y survival 0–1), or None when a
    /// message was drawn instead.
    pub frame: Option<PlotFrame>,
    /// The x ticks (time units), also the at-risk table's columns.
    pub x_ticks: Vec<f64>,
    /// The number-at-risk table, one row per group with data.
    pub at_risk: Vec<AtRiskRow>,
}

/// Survival at time `t` from a group's table: 1 before the first row, then
/// the survival of the last row at or before `t`.
pub fn survival_at(steps: &[KmStep], t: f64) -> f64 {
    match steps.partition_point(|s| s.time <= t) {
        0 => 1.0,
        i => steps[i - 1].survival,
    }
}

/// The at-risk cell of a group's table at time `t` (conventions above).
pub fn at_risk_at(steps: &[KmStep], t: f64) -> AtRiskCell {
    let next = steps.partition_point(|s| s.time < t);
    let at_risk = steps.get(next).map_or(0, |s| s.n_risk);
    let cumulative_events = steps
        .iter()
        .take_while(|s| s.time <= t)
        .map(|s| s.n_event)
        .sum();
    AtRiskCell {
        time: t,
        at_risk,
        cumulative_events,
    }
}

fn invalid<E: std::error::Error + Send + Sync>(what: String, value: f64) -> ChartError<E> {
    ChartError::InvalidValue { what, value }
}

fn validate<E: std::error::Error + Send + Sync>(data: &KmData) -> Result<(), ChartError<E>> {
    for group in &data.groups {
        let mut previous = f64::NEG_INFINITY;
        for step in &group.steps {
            if !(step.time.is_finite() && step.time >= 0.0 && step.time > previous) {
                return Err(invalid(
                    format!("time (not increasing, or < 0) in group {}", group.label),
                    step.time,
                ));
            }
            previous = step.time;
            for (name, value) in [
                ("survival", Some(step.survival)),
                ("lower limit", step.lower),
                ("upper limit", step.upper),
            ] {
                if let Some(v) = value {
                    if !(0.0..=1.0).contains(&v) {
                        return Err(invalid(
                            format!("{name} at time {} in group {}", step.time, group.label),
                            v,
                        ));
                    }
                }
            }
        }
    }
    if let Some((from, to)) = data.x_range {
        if !(from.is_finite() && to.is_finite() && to > from) {
            return Err(invalid(
                "x range end (must exceed its start)".to_string(),
                to,
            ));
        }
    }
    if let Some(step) = data.x_tick_step {
        if !(step.is_finite() && step > 0.0) {
            return Err(invalid("x tick step".to_string(), step));
        }
    }
    Ok(())
}

/// The step curve of `steps` restricted to `[from, to]`: (time, survival)
/// vertices, empty when the curve ends before `from`.
fn step_path(steps: &[KmStep], from: f64, to: f64) -> Vec<(f64, f64)> {
    let end = steps.last().map_or(0.0, |s| s.time).min(to);
    if end < from {
        return Vec::new();
    }
    let mut path = vec![(from, survival_at(steps, from))];
    for step in steps.iter().filter(|s| s.time > from && s.time <= end) {
        let before = path[path.len() - 1].1;
        path.push((step.time, before));
        path.push((step.time, step.survival));
    }
    let last = path[path.len() - 1];
    if last.0 < end {
        path.push((end, last.1));
    }
    path
}

/// The vertices of `path` that change a pixel: of each run of consecutive
/// vertices on one pixel column of `x`, the first, the lowest, the highest
/// and the last (each once, in path order). Drawn at that resolution the
/// thinned path covers the pixels of the whole one, so a curve of 60,000
/// steps costs at most four vertices per pixel column.
fn thin(path: Vec<(f64, f64)>, x: &AxisMap) -> Vec<(f64, f64)> {
    if path.len() <= 4 {
        return path;
    }
    let column = |p: &(f64, f64)| x.to_pixel(p.0).floor();
    let mut out = Vec::new();
    let mut start = 0;
    while start < path.len() {
        let c = column(&path[start]);
        let mut end = start + 1;
        while end < path.len() && column(&path[end]) == c {
            end += 1;
        }
        let run = &path[start..end];
        let (mut lo, mut hi) = (0, 0);
        for (i, p) in run.iter().enumerate() {
            if p.1 < run[lo].1 {
                lo = i;
            }
            if p.1 > run[hi].1 {
                hi = i;
            }
        }
        let mut keep = [0, lo, hi, run.len() - 1];
        keep.sort_unstable();
        let mut last = None;
        for k in keep {
            if last != Some(k) {
                out.push(run[k]);
                last = Some(k);
            }
        }
        start = end;
    }
    out
}

/// Step-shaped confidence bands within `[from, to]`, one polygon per run of
/// rows with both limits defined.
fn band_polygons(steps: &[KmStep], from: f64, to: f64) -> Vec<Vec<(f64, f64)>> {
    let end_of_curve = steps.last().map_or(0.0, |s| s.time);
    let mut polygons = Vec::new();
    let mut upper: Vec<(f64, f64)> = Vec::new();
    let mut lower: Vec<(f64, f64)> = Vec::new();
    let mut flush = |upper: &mut Vec<(f64, f64)>, lower: &mut Vec<(f64, f64)>| {
        if upper.len() >= 2 {
            let mut polygon = std::mem::take(upper);
            polygon.extend(lower.drain(..).rev());
            polygons.push(polygon);
        }
        upper.clear();
        lower.clear();
    };
    for (i, step) in steps.iter().enumerate() {
        let start = step.time.max(from);
        let stop = steps.get(i + 1).map_or(end_of_curve, |s| s.time).min(to);
        match (step.lower, step.upper) {
            (Some(lo), Some(hi)) if stop > start => {
                upper.extend([(start, hi), (stop, hi)]);
                lower.extend([(start, lo), (stop, lo)]);
            }
            (Some(_), Some(_)) => {}
            _ => flush(&mut upper, &mut lower),
        }
    }
    flush(&mut upper, &mut lower);
    polygons
}

/// Draw the Kaplan–Meier plot of `data` on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &KmData,
    style: &ChartStyle,
) -> Result<KmLayout, ChartError<DB::ErrorType>> {
    style.check()?;
    validate(data)?;
    area.fill(&palette::PAPER)?;
    let groups: Vec<(usize, &KmGroup)> = data
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.steps.is_empty())
        .collect();
    if groups.is_empty() {
        draw_message(area, style, &["No survival data to show"])?;
        return Ok(KmLayout {
            frame: None,
            x_ticks: Vec::new(),
            at_risk: Vec::new(),
        });
    }
    let last_time = groups
        .iter()
        .filter_map(|(_, g)| g.steps.last())
        .map(|s| s.time)
        .fold(0.0, f64::max);
    let (x_from, x_to) = data
        .x_range
        .unwrap_or((0.0, if last_time > 0.0 { last_time } else { 1.0 }));
    let x_step = data
        .x_tick_step
        .unwrap_or_else(|| nice_step(x_to - x_from, 6));
    let x_ticks = ticks(x_from, x_to, x_step);

    // Vertical bands: legend | plot | number-at-risk table.
    let (width, height) = area.dim_in_pixel();
    let row = style.px(size::LABEL * 1.5);
    let legend_height = row + style.px(8.0);
    let table_height = row * (groups.len() as i32 + 1) + style.px(8.0);
    let (legend_area, rest) = area.split_vertically(legend_height);
    let (plot_area, table_area) =
        rest.split_vertically(height as i32 - legend_height - table_height);

    // The left band holds the y labels and title, and the table's row labels
    // which must clear half of the widest first-column cell.
    let label_style = style.text(size::LABEL, &palette::INK);
    let widest_cell =
        groups
            .iter()
            .map(|(_, g)| g.steps[0].n_risk)
            .max()
            .map_or(String::new(), |n| {
                if data.show_cumulative_events {
                    format!("{n} ({n})")
                } else {
                    n.to_string()
                }
            });
    let row_label_gap =
        area.estimate_text_size(&widest_cell, &label_style)?.0 as i32 / 2 + style.px(10.0);
    let mut label_width = area.estimate_text_size("0.00", &label_style)?.0 as i32 + style.px(36.0);
    for (_, group) in &groups {
        let w = area.estimate_text_size(&group.label, &label_style)?.0 as i32
            + row_label_gap
            + style.px(8.0);
        label_width = label_width.max(w);
    }
    label_width = label_width.min(width as i32 / 3);

    let y_ticks = ticks(0.0, 1.0, 0.25);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_left(style.px(8.0))
        .margin_right(style.px(16.0))
        .margin_top(style.px(8.0))
        .x_label_area_size(style.px(44.0))
        .y_label_area_size(label_width)
        .build_cartesian_2d(
            FixedTicks::new(RangedCoordf64::from(x_from..x_to), x_ticks.clone()),
            FixedTicks::new(RangedCoordf64::from(0.0..1.0), y_ticks),
        )?;
    let x_label = |v: &f64| format::tick(*v);
    let y_label = |v: &f64| match data.y_scale {
        SurvivalScale::Proportion => format::fixed(*v, 2),
        SurvivalScale::Percent => format::percent(*v, 0),
    };
    let x_title = format!("Time ({})", data.time_unit);
    let y_title = match data.y_scale {
        SurvivalScale::Proportion => format!("{} probability", data.endpoint),
        SurvivalScale::Percent => format!("{} (%)", data.endpoint),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(palette::GRID.stroke_width(style.upx(1.0)))
        .axis_style(palette::INK.stroke_width(style.upx(1.0)))
        .label_style(label_style.clone())
        .axis_desc_style(style.text(size::AXIS_TITLE, &palette::INK))
        .x_desc(x_title)
        .y_desc(y_title)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .draw()?;

    let origin = area.get_base_pixel();
    let at = |(x, y): (i32, i32)| (x - origin.0, y - origin.1);
    let rect = PixelRect::from_ranges(chart.plotting_area().get_pixel_range());
    let frame = PlotFrame {
        rect,
        x: AxisMap::horizontal(rect, (x_from, x_to), AxisScale::Linear),
        y: AxisMap::vertical(rect, (0.0, 1.0), AxisScale::Linear),
    };

    if data.show_ci {
        for (index, group) in &groups {
            let fill = palette::group_colour(*index).mix(0.15).filled();
            for polygon in band_polygons(&group.steps, x_from, x_to) {
                chart.draw_series([Polygon::new(thin(polygon, &frame.x), fill)])?;
            }
        }
    }

    let guide = palette::MUTED.stroke_width(style.upx(1.0));
    if data.show_medians {
        for (_, group) in &groups {
            if let Some(median) = group.median.filter(|m| *m >= x_from && *m <= x_to) {
                let path = [(x_from, 0.5), (median, 0.5), (median, 0.0)];
                chart.draw_series(DashedLineSeries::new(
                    path,
                    style.px(4.0),
                    style.px(3.0),
                    guide,
                ))?;
            }
        }
    }
    if let Some(landmark) = data.landmark.filter(|t| *t >= x_from && *t <= x_to) {
        chart.draw_series(DashedLineSeries::new(
            [(landmark, 0.0), (landmark, 1.0)],
            style.px(1.5),
            style.px(3.0),
            guide,
        ))?;
        let (x, y) = at(chart.backend_coord(&(landmark, 1.0)));
        let text = style
            .text(size::NOTE, &palette::MUTED)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let label = format!("{} {}", format::tick(landmark), data.time_unit);
        area.draw_text(&label, &text, (x + style.px(3.0), y + style.px(2.0)))?;
    }

    let tick = style.px(4.0);
    for (index, group) in &groups {
        let colour = palette::group_colour(*index);
        let line = colour.stroke_width(style.upx(2.0));
        let path = thin(step_path(&group.steps, x_from, x_to), &frame.x);
        chart.draw_series(LineSeries::new(path, line))?;
        let mark = colour.stroke_width(style.upx(1.5));
        // One tick per pixel: censorings that land on the tick before it are not drawn again.
        let mut previous = None;
        for step in group
            .steps
            .iter()
            .filter(|s| s.n_censor > 0 && s.time >= x_from && s.time <= x_to)
        {
            let (x, y) = at(chart.backend_coord(&(step.time, step.survival)));
            if previous.replace((x, y)) == Some((x, y)) {
                continue;
            }
            area.draw(&PathElement::new(vec![(x, y - tick), (x, y + tick)], mark))?;
            area.draw(&PathElement::new(vec![(x - tick, y), (x + tick, y)], mark))?;
        }
    }

    // Legend: one entry per group in a row above the plot.
    let (legend_left, _) = at((rect.left, rect.top));
    let legend_text = label_style.clone().pos(Pos::new(HPos::Left, VPos::Center));
    let mut x = legend_left;
    let y = legend_height / 2;
    for (index, group) in &groups {
        let colour = palette::group_colour(*index).stroke_width(style.upx(2.0));
        legend_area.draw(&PathElement::new(
            vec![(x, y), (x + style.px(20.0), y)],
            colour,
        ))?;
        let text_x = x + style.px(26.0);
        legend_area.draw_text(&group.label, &legend_text, (text_x, y))?;
        x = text_x
            + legend_area
                .estimate_text_size(&group.label, &legend_text)?
                .0 as i32
            + style.px(20.0);
    }

    // Annotation: bottom left inside the plot.
    let annotation_style = label_style.clone().pos(Pos::new(HPos::Left, VPos::Bottom));
    let (left, bottom) = at((rect.left, rect.bottom));
    for (i, line) in data.annotation.iter().rev().enumerate() {
        area.draw_text(
            line,
            &annotation_style,
            (
                left + style.px(8.0),
                bottom - style.px(8.0) - row * i as i32,
            ),
        )?;
    }

    // Number-at-risk table, columns at the tick pixels.
    let table_origin = table_area.get_base_pixel();
    let title = if data.show_cumulative_events {
        "Number at risk (cumulative events)"
    } else {
        "Number at risk"
    };
    let title_style = label_style.clone().pos(Pos::new(HPos::Left, VPos::Center));
    table_area.draw_text(
        title,
        &title_style.clone().color(&palette::MUTED),
        (style.px(8.0), row / 2 + style.px(4.0)),
    )?;
    let cell_style = label_style
        .clone()
        .pos(Pos::new(HPos::Center, VPos::Center));
    let mut at_risk = Vec::with_capacity(groups.len());
    for (r, (index, group)) in groups.iter().enumerate() {
        let y = row * (r as i32 + 1) + row / 2 + style.px(4.0);
        let colour = palette::group_colour(*index);
        let row_label = label_style.clone().pos(Pos::new(HPos::Right, VPos::Center));
        let row_label = TextStyle {
            color: colour.to_backend_color(),
            ..row_label
        };
        table_area.draw_text(
            &group.label,
            &row_label,
            (rect.left - table_origin.0 - row_label_gap, y),
        )?;
        let mut cells = Vec::with_capacity(x_ticks.len());
        for &t in &x_ticks {
            let cell = at_risk_at(&group.steps, t);
            let text = if data.show_cumulative_events {
                format!("{} ({})", cell.at_risk, cell.cumulative_events)
            } else {
                cell.at_risk.to_string()
            };
            let x = chart.backend_coord(&(t, 0.0)).0 - table_origin.0;
            table_area.draw_text(&text, &cell_style, (x, y))?;
            cells.push(cell);
        }
        at_risk.push(AtRiskRow {
            label: group.label.clone(),
            cells,
        });
    }
    Ok(KmLayout {
        frame: Some(frame),
        x_ticks,
        at_risk,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg_probe::{self, parse, texts, Element};

    /// Plotters rounds pixels down; continuous maps may differ by this much.
    const ONE_PIXEL: f64 = 1.0;
    /// Survival values computed here by hand.
    const EXACT: f64 = 1e-12;

    fn step(time: f64, n_risk: usize, n_event: usize, n_censor: usize, survival: f64) -> KmStep {
        KmStep {
            time,
            n_risk,
            n_event,
            n_censor,
            survival,
            lower: None,
            upper: None,
        }
    }

    /// n = 5; times 1 (event), 2 (censored), 3 (two events), 5 (censored).
    /// S(1) = 4/5, S(3) = 4/5 · 1/3.
    fn tiny() -> Vec<KmStep> {
        vec![
            step(1.0, 5, 1, 0, 0.8),
            step(2.0, 4, 0, 1, 0.8),
            step(3.0, 3, 2, 0, 0.8 / 3.0),
            step(5.0, 1, 0, 1, 0.8 / 3.0),
        ]
    }

    /// A product-limit table of `n` synthetic subjects (every third censored),
    /// with log-log style limits clamped to [0, 1] standing in for a real fit.
    fn synthetic(n: usize, scale: f64) -> Vec<KmStep> {
        let mut steps = Vec::new();
        let mut survival = 1.0;
        for i in 0..n {
            let time = scale * (1.0 + i as f64) / n as f64 * 30.0;
            let event = i % 3 != 2;
            let n_risk = n - i;
            if event {
                survival *= 1.0 - 1.0 / n_risk as f64;
            }
            let half_width = 0.1 * (1.0 - survival).sqrt();
            steps.push(KmStep {
                time,
                n_risk,
                n_event: usize::from(event),
                n_censor: usize::from(!event),
                survival,
                lower: Some((survival - half_width).max(0.0)),
                upper: Some((survival + half_width).min(1.0)),
            });
        }
        steps
    }

    fn data(groups: Vec<KmGroup>) -> KmData {
        KmData {
            groups,
            endpoint: "Overall survival".to_string(),
            time_unit: "months".to_string(),
            x_range: None,
            x_tick_step: Some(6.0),
            y_scale: SurvivalScale::Proportion,
            show_ci: true,
            show_medians: true,
            show_cumulative_events: false,
            landmark: None,
            annotation: vec![
                "Log-rank p = 0.012".to_string(),
                "HR 0.54 (95% CI 0.31\u{2013}0.93)".to_string(),
            ],
        }
    }

    fn two_arms() -> KmData {
        data(vec![
            KmGroup {
                label: "Pembrolizumab".to_string(),
                steps: synthetic(40, 1.0),
                median: Some(14.0),
            },
            KmGroup {
                label: "Chemotherapy".to_string(),
                steps: synthetic(38, 0.7),
                median: Some(9.5),
            },
        ])
    }

    fn render(data: &KmData) -> (String, KmLayout) {
        let (svg, layout) =
            crate::charts::svg::render((720, 520), |root| draw(root, data, &ChartStyle::default()));
        (svg, layout.expect("draws"))
    }

    /// Expected values from R 4.2.2, survival 3.5.3:
    /// ```r
    /// f <- survfit(Surv(c(1, 2, 3, 3, 5), c(1, 0, 1, 1, 0)) ~ 1)
    /// s <- summary(f, times = c(0, 1, 1.5, 3, 4, 5, 6), extend = TRUE)
    /// data.frame(s$time, s$n.risk, cumsum(s$n.event), s$surv)
    /// #   0 5 0 1.0000000 | 1 5 1 0.8 | 1.5 4 1 0.8 | 3 3 3 0.2666667
    /// #   4 1 3 0.2666667 | 5 1 3 0.2666667 | 6 0 3 0.2666667
    /// ```
    #[test]
    fn survival_and_at_risk_follow_the_summary_survfit_conventions() {
        let steps = tiny();
        assert_eq!(survival_at(&steps, 0.5), 1.0);
        assert_eq!(survival_at(&steps, 1.0), 0.8);
        assert!((survival_at(&steps, 4.0) - 0.8 / 3.0).abs() < EXACT);
        let check = |t: f64, at_risk: usize, events: usize| {
            assert_eq!(
                at_risk_at(&steps, t),
                AtRiskCell {
                    time: t,
                    at_risk,
                    cumulative_events: events
                },
                "t = {t}"
            );
        };
        check(0.0, 5, 0);
        check(1.0, 5, 1);
        check(1.5, 4, 1);
        check(3.0, 3, 3);
        check(4.0, 1, 3);
        check(5.0, 1, 3);
        check(6.0, 0, 3);
    }

    #[test]
    fn step_paths_and_bands_are_clipped_to_the_range() {
        let steps = tiny();
        assert_eq!(
            step_path(&steps, 0.0, 10.0),
            vec![
                (0.0, 1.0),
                (1.0, 1.0),
                (1.0, 0.8),
                (2.0, 0.8),
                (2.0, 0.8),
                (3.0, 0.8),
                (3.0, 0.8 / 3.0),
                (5.0, 0.8 / 3.0),
                (5.0, 0.8 / 3.0)
            ]
        );
        assert_eq!(
            step_path(&steps, 1.5, 2.5),
            vec![(1.5, 0.8), (2.0, 0.8), (2.0, 0.8), (2.5, 0.8)]
        );
        assert!(step_path(&steps, 6.0, 8.0).is_empty());
        let mut with_limits = tiny();
        with_limits[0].lower = Some(0.5);
        with_limits[0].upper = Some(0.95);
        with_limits[1].lower = Some(0.45);
        with_limits[1].upper = Some(0.95);
        let bands = band_polygons(&with_limits, 0.0, 10.0);
        assert_eq!(
            bands,
            vec![vec![
                (1.0, 0.95),
                (2.0, 0.95),
                (2.0, 0.95),
                (3.0, 0.95),
                (3.0, 0.45),
                (2.0, 0.45),
                (2.0, 0.5),
                (1.0, 0.5)
            ]]
        );
    }

    /// Text elements below the plot, grouped into rows by their y.
    fn rows_below(elements: &[Element], bottom: f64) -> Vec<Vec<&Element>> {
        let mut rows: Vec<Vec<&Element>> = Vec::new();
        for e in elements
            .iter()
            .filter(|e| e.tag == "text" && e.num("y") > bottom)
        {
            match rows.iter_mut().find(|r| r[0].num("y") == e.num("y")) {
                Some(row) => row.push(e),
                None => rows.push(vec![e]),
            }
        }
        rows.sort_by(|a, b| a[0].num("y").total_cmp(&b[0].num("y")));
        rows
    }

    #[test]
    fn at_risk_numbers_sit_exactly_under_the_tick_labels() {
        let (svg, layout) = render(&two_arms());
        svg_probe::save("km", &svg);
        let elements = parse(&svg);
        let frame = layout.frame.unwrap();
        assert_eq!(layout.x_ticks, vec![0.0, 6.0, 12.0, 18.0, 24.0, 30.0]);
        let rows = rows_below(&elements, f64::from(frame.rect.bottom));
        let centred = |row: &Vec<&Element>| -> Vec<f64> {
            row.iter()
                .filter(|e| e.attr("text-anchor") == Some("middle"))
                .map(|e| e.num("x"))
                .collect()
        };
        // First row: the tick labels.
        let tick_row = &rows[0];
        let tick_labels: Vec<&str> = tick_row.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(tick_labels, ["0", "6", "12", "18", "24", "30"]);
        let tick_x = centred(tick_row);
        for (x, t) in tick_x.iter().zip(&layout.x_ticks) {
            assert!((x - frame.x.to_pixel(*t)).abs() <= ONE_PIXEL);
        }
        // The table rows: label + one number per tick, at the tick x.
        for (group, expected) in layout.at_risk.iter().zip(["Pembrolizumab", "Chemotherapy"]) {
            let row = rows
                .iter()
                .find(|r| {
                    r.iter()
                        .any(|e| e.text == expected && e.attr("text-anchor") == Some("end"))
                })
                .unwrap();
            assert_eq!(centred(row), tick_x, "{expected}");
            let numbers: Vec<String> = row
                .iter()
                .filter(|e| e.attr("text-anchor") == Some("middle"))
                .map(|e| e.text.clone())
                .collect();
            let cells: Vec<String> = group.cells.iter().map(|c| c.at_risk.to_string()).collect();
            assert_eq!(numbers, cells);
        }
        assert_eq!(layout.at_risk[0].cells[0].at_risk, 40);
        assert_eq!(layout.at_risk[1].cells[0].at_risk, 38);
        assert_eq!(layout.at_risk[1].cells[5].at_risk, 0);
        assert_eq!(texts(&elements, "Number at risk").len(), 1);
    }

    #[test]
    fn the_row_labels_are_in_the_group_colours() {
        let (svg, _) = render(&two_arms());
        let elements = parse(&svg);
        for (i, label) in ["Pembrolizumab", "Chemotherapy"].iter().enumerate() {
            let colour = palette::hex(palette::group_colour(i));
            let found = texts(&elements, label);
            assert_eq!(found.len(), 2, "legend and table"); // legend in ink, table in colour
            assert!(found
                .iter()
                .any(|e| e.attr("fill") == Some(colour.as_str())));
        }
    }

    #[test]
    fn a_curve_of_sixty_thousand_steps_draws_the_pixels_it_changes() {
        let steps = synthetic(60_000, 1.0);
        let group = KmGroup {
            label: "all".to_string(),
            steps: steps.clone(),
            median: None,
        };
        let (svg, layout) = render(&data(vec![group]));
        let frame = layout.frame.unwrap();
        let width = f64::from(frame.rect.right - frame.rect.left);
        let elements = parse(&svg);
        let colour = palette::hex(palette::group_colour(0));
        let curve = elements
            .iter()
            .filter(|e| e.tag == "polyline" && e.attr("stroke") == Some(colour.as_str()))
            .max_by_key(|e| e.points().len())
            .unwrap();
        let points = curve.points();
        assert!(
            points.len() <= 4 * width as usize + 8,
            "{} vertices",
            points.len()
        );
        // The same path: from S = 1 at the top left down to the last survival.
        assert_eq!(
            points[0],
            (f64::from(frame.rect.left), f64::from(frame.rect.top))
        );
        let last = steps.last().unwrap();
        let end = points[points.len() - 1];
        assert!((end.1 - frame.y.to_pixel(last.survival)).abs() <= ONE_PIXEL);
        // Every pixel column the curve crosses is still crossed, at the same heights.
        let whole = step_path(&steps, 0.0, last.time);
        let thinned = thin(whole.clone(), &frame.x);
        assert!(thinned.len() < whole.len() / 20);
        let extent = |path: &[(f64, f64)]| {
            let mut columns = std::collections::BTreeMap::new();
            for p in path {
                let c = frame.x.to_pixel(p.0).floor() as i64;
                let e = columns.entry(c).or_insert((f64::MAX, f64::MIN));
                *e = (e.0.min(p.1), e.1.max(p.1));
            }
            columns
        };
        assert_eq!(extent(&thinned), extent(&whole));
        // One censor tick per pixel, not 20,000.
        let ticks = elements
            .iter()
            .filter(|e| e.tag == "polyline" && e.attr("stroke") == Some(colour.as_str()))
            .filter(|e| e.points().len() == 2)
            .count();
        assert!(ticks < 4 * width as usize, "{ticks} tick strokes");
    }

    #[test]
    fn curves_bands_censor_ticks_medians_and_annotation_are_drawn() {
        let arms = two_arms();
        let (svg, layout) = render(&arms);
        let elements = parse(&svg);
        let frame = layout.frame.unwrap();
        for (i, group) in arms.groups.iter().enumerate() {
            let colour = palette::hex(palette::group_colour(i));
            let lines: Vec<_> = elements
                .iter()
                .filter(|e| e.tag == "polyline" && e.attr("stroke") == Some(colour.as_str()))
                .collect();
            let curve = lines
                .iter()
                .find(|e| e.points().len() > 10)
                .expect("a curve");
            assert_eq!(
                curve.points()[0],
                (f64::from(frame.rect.left), f64::from(frame.rect.top))
            );
            let censored = group.steps.iter().filter(|s| s.n_censor > 0).count();
            // Two strokes per censor tick, one legend swatch.
            assert_eq!(
                lines.iter().filter(|e| e.points().len() == 2).count(),
                2 * censored + 1
            );
            let bands = elements
                .iter()
                .filter(|e| e.tag == "polygon" && e.attr("fill") == Some(colour.as_str()));
            assert!(bands.count() >= 1);
        }
        // The median lines: dashes on y = 0.5 up to each median.
        let half = frame.y.to_pixel(0.5);
        let grey = palette::hex(palette::MUTED);
        let dashes_at_half = elements
            .iter()
            .filter(|e| e.tag == "polyline" && e.attr("stroke") == Some(grey.as_str()))
            .filter(|e| e.points().iter().all(|p| (p.1 - half).abs() <= ONE_PIXEL))
            .count();
        assert!(dashes_at_half > 10);
        assert_eq!(texts(&elements, "Log-rank p = 0.012").len(), 1);
        assert_eq!(
            texts(&elements, "HR 0.54 (95% CI 0.31\u{2013}0.93)").len(),
            1
        );
        assert_eq!(texts(&elements, "Time (months)").len(), 1);
    }

    #[test]
    fn zoom_keeps_everything_inside_the_plot_and_percent_labels() {
        let mut zoomed = two_arms();
        zoomed.x_range = Some((6.0, 18.0));
        zoomed.x_tick_step = None;
        zoomed.y_scale = SurvivalScale::Percent;
        zoomed.landmark = Some(12.0);
        zoomed.show_cumulative_events = true;
        let (svg, layout) = render(&zoomed);
        svg_probe::save("km_zoom", &svg);
        let elements = parse(&svg);
        let frame = layout.frame.unwrap();
        assert_eq!(layout.x_ticks, vec![6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0]);
        let ink = palette::hex(palette::INK);
        let drawn = elements
            .iter()
            .filter(|e| e.tag == "polyline" || e.tag == "polygon");
        // Everything but the axes' tick marks (ink), from the legend row down.
        for e in drawn.filter(|e| {
            e.attr("stroke") != Some(ink.as_str())
                && e.points()[0].1 > f64::from(frame.rect.top) - 5.0
        }) {
            for (x, _) in e.points() {
                assert!(
                    x >= f64::from(frame.rect.left) - 5.0 && x <= f64::from(frame.rect.right) + 5.0,
                    "{e:?}"
                );
            }
        }
        assert_eq!(texts(&elements, "50%").len(), 1);
        assert_eq!(texts(&elements, "12 months").len(), 1);
        assert_eq!(
            texts(&elements, "Number at risk (cumulative events)").len(),
            1
        );
        let cell = layout.at_risk[0].cells[0];
        assert!(!texts(
            &elements,
            &format!("{} ({})", cell.at_risk, cell.cumulative_events)
        )
        .is_empty());
        let (t, s) = frame
            .to_data(frame.x.to_pixel(12.0), frame.y.to_pixel(0.5))
            .unwrap();
        assert!((t - 12.0).abs() < 1e-9 && (s - 0.5).abs() < 1e-9);
    }

    #[test]
    fn empty_groups_draw_a_message() {
        let (svg, layout) = render(&data(vec![KmGroup {
            label: "A".to_string(),
            steps: Vec::new(),
            median: None,
        }]));
        assert!(layout.frame.is_none());
        assert_eq!(texts(&parse(&svg), "No survival data to show").len(), 1);
        let (svg, _) = render(&data(Vec::new()));
        assert_eq!(texts(&parse(&svg), "No survival data to show").len(), 1);
    }

    #[test]
    fn a_group_with_only_time_zero_still_draws() {
        let (_, layout) = render(&data(vec![KmGroup {
            label: "A".to_string(),
            steps: vec![step(0.0, 3, 0, 3, 1.0)],
            median: None,
        }]));
        assert!(layout.frame.is_some());
        assert_eq!(layout.at_risk[0].cells[0].at_risk, 3);
    }

    #[test]
    fn invalid_tables_are_errors() {
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (720, 520)).into_drawing_area();
        let bad_survival = vec![step(1.0, 5, 1, 0, 1.2)];
        let unsorted = vec![step(2.0, 5, 1, 0, 0.8), step(1.0, 4, 1, 0, 0.6)];
        for steps in [bad_survival, unsorted] {
            let bad = data(vec![KmGroup {
                label: "A".to_string(),
                steps,
                median: None,
            }]);
            assert!(matches!(
                draw(&root, &bad, &ChartStyle::default()),
                Err(ChartError::InvalidValue { .. })
            ));
        }
        let mut bad_range = two_arms();
        bad_range.x_range = Some((5.0, 5.0));
        assert!(matches!(
            draw(&root, &bad_range, &ChartStyle::default()),
            Err(ChartError::InvalidValue { .. })
        ));
    }
}
