//! Swimmer plot: one horizontal bar per patient from the start of treatment
//! to the last follow-up, longest at the top, coloured lightly by best
//! response; the response duration (onset to end of response, or to the last
//! follow-up while ongoing) in the full response colour; markers for response
//! onset (open circle), progression (filled diamond), death (cross) and an
//! arrow after the bar of an ongoing response.
//!
//! Conventions: bars of equal length are ordered by id; times are in the
//! caller's unit from the start of treatment; every event time must lie in
//! [0, follow-up].

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
use super::waterfall::DIMMED_OPACITY;
use crate::stats::response::BestResponse;

/// Opacity of the bar outside the response duration.
const BAR_TINT: f64 = 0.3;
/// Above this many patients the ids are not printed on the y axis.
pub const MAX_LABELLED_PATIENTS: usize = 40;

/// One patient of the swimmer plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwimmerPatient {
    /// Patient id, printed on the y axis and returned by hit testing.
    pub id: String,
    /// Time of the last follow-up (bar length), ≥ 0.
    pub follow_up: f64,
    /// Best overall response (bar colour).
    #[serde(with = "super::response_code")]
    pub best_response: BestResponse,
    /// Onset of the first response (CR or PR), if any.
    pub response_onset: Option<f64>,
    /// End of the response (progression or loss), if it ended.
    pub response_end: Option<f64>,
    /// The response continues at the last follow-up.
    pub response_ongoing: bool,
    /// Time of progression, if any.
    pub progression: Option<f64>,
    /// Time of death, if any.
    pub death: Option<f64>,
}

/// The data of a swimmer plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwimmerData {
    /// The patients, in any order.
    pub patients: Vec<SwimmerPatient>,
    /// Only patients with a response onset.
    pub only_responders: bool,
    /// The time unit for the x-axis title, e.g. "months".
    pub time_unit: String,
    /// Ids of the selected patients; when not empty the other bars are dimmed
    /// (as in the waterfall).
    pub selected: HashSet<String>,
}

/// One drawn bar.
#[derive(Debug, Clone, PartialEq)]
pub struct SwimmerBar {
    /// The patient's id.
    pub patient_id: String,
    /// First pixel row of the bar's lane.
    pub pixel_top: f64,
    /// Last pixel row of the bar's lane.
    pub pixel_bottom: f64,
}

/// Where the swimmer plot was drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct SwimmerLayout {
    /// The plot area (x time, y lanes from the bottom), or None when a message
    /// was drawn instead.
    pub frame: Option<PlotFrame>,
    /// The bars, top to bottom.
    pub bars: Vec<SwimmerBar>,
}

impl SwimmerLayout {
    /// The bar whose lane contains the pixel row `y`.
    pub fn bar_at(&self, y: f64) -> Option<&SwimmerBar> {
        self.bars
            .iter()
            .find(|b| y >= b.pixel_top && y <= b.pixel_bottom)
    }
}

fn validate<E: std::error::Error + Send + Sync>(p: &SwimmerPatient) -> Result<(), ChartError<E>> {
    if !(p.follow_up.is_finite() && p.follow_up >= 0.0) {
        return Err(ChartError::InvalidValue {
            what: format!("follow-up of patient {}", p.id),
            value: p.follow_up,
        });
    }
    let times = [
        ("response onset", p.response_onset),
        ("response end", p.response_end),
        ("progression", p.progression),
        ("death", p.death),
    ];
    for (name, time) in times {
        if let Some(t) = time {
            if !(t.is_finite() && (0.0..=p.follow_up).contains(&t)) {
                return Err(ChartError::InvalidValue {
                    what: format!("{name} of patient {} (outside 0..follow-up)", p.id),
                    value: t,
                });
            }
        }
    }
    Ok(())
}

/// Draw the swimmer plot of `data` on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &SwimmerData,
    style: &ChartStyle,
) -> Result<SwimmerLayout, ChartError<DB::ErrorType>> {
    style.check()?;
    for p in &data.patients {
        validate(p)?;
    }
    area.fill(&palette::PAPER)?;
    let mut patients: Vec<&SwimmerPatient> = data
        .patients
        .iter()
        .filter(|p| !data.only_responders || p.response_onset.is_some())
        .collect();
    if patients.is_empty() {
        let message = if data.only_responders {
            "No responders to show"
        } else {
            "No patients to show"
        };
        draw_message(area, style, &[message])?;
        return Ok(SwimmerLayout {
            frame: None,
            bars: Vec::new(),
        });
    }
    patients.sort_by(|a, b| {
        b.follow_up
            .total_cmp(&a.follow_up)
            .then_with(|| a.id.cmp(&b.id))
    });
    let n = patients.len();
    let longest = patients[0].follow_up.max(f64::MIN_POSITIVE);
    let step = nice_step(longest, 6);
    let x_to = (longest / step).ceil() * step + step * 0.25; // room for the arrows
    let x_ticks = ticks(0.0, x_to, step);

    let labelled = n <= MAX_LABELLED_PATIENTS;
    let text = style.text(size::LABEL, &palette::INK);
    let small = style.text(size::NOTE, &palette::INK);
    let mut id_width = 0;
    if labelled {
        for p in &patients {
            id_width = id_width.max(area.estimate_text_size(&p.id, &small)?.0 as i32);
        }
    }
    let legend_height = style.px(size::LABEL * 2.2);
    let (legend_area, plot_area) = area.split_vertically(legend_height);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(style.px(8.0))
        .margin_right(style.px(16.0))
        .x_label_area_size(style.px(44.0))
        .y_label_area_size(id_width + style.px(if labelled { 34.0 } else { 28.0 }))
        .build_cartesian_2d(
            FixedTicks::new(RangedCoordf64::from(0.0..x_to), x_ticks),
            FixedTicks::new(RangedCoordf64::from(0.0..n as f64), Vec::new()),
        )?;
    let x_label = |v: &f64| format::tick(*v);
    let y_title = if data.only_responders {
        format!("Responders (n = {n})")
    } else {
        format!("Patients (n = {n})")
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .bold_line_style(palette::GRID.stroke_width(style.upx(1.0)))
        .axis_style(palette::INK.stroke_width(style.upx(1.0)))
        .label_style(text.clone())
        .axis_desc_style(style.text(size::AXIS_TITLE, &palette::INK))
        .x_desc(format!(
            "Time since start of treatment ({})",
            data.time_unit
        ))
        .y_desc(y_title)
        .x_label_formatter(&x_label)
        .draw()?;

    let origin = area.get_base_pixel();
    let at = |(x, y): (i32, i32)| (x - origin.0, y - origin.1);
    let rect = PixelRect::from_ranges(chart.plotting_area().get_pixel_range());
    let frame = PlotFrame {
        rect,
        x: AxisMap::horizontal(rect, (0.0, x_to), AxisScale::Linear),
        y: AxisMap::vertical(rect, (0.0, n as f64), AxisScale::Linear),
    };
    let lane = f64::from(rect.bottom - rect.top) / n as f64;
    let half_bar = 0.32;
    let marker = ((lane * 0.3) as i32).clamp(style.px(2.0), style.px(5.0));
    let id_style = small.pos(Pos::new(HPos::Right, VPos::Center));
    let mut bars = Vec::with_capacity(n);
    for (i, p) in patients.iter().enumerate() {
        let centre = n as f64 - i as f64 - 0.5;
        let colour = palette::response_colour(p.best_response);
        let opacity = if data.selected.is_empty() || data.selected.contains(&p.id) {
            1.0
        } else {
            DIMMED_OPACITY
        };
        chart.draw_series([Rectangle::new(
            [(0.0, centre - half_bar), (p.follow_up, centre + half_bar)],
            colour.mix(BAR_TINT * opacity).filled(),
        )])?;
        if let Some(onset) = p.response_onset {
            let end = p.response_end.unwrap_or(p.follow_up);
            chart.draw_series([Rectangle::new(
                [
                    (onset, centre - half_bar),
                    (end.max(onset), centre + half_bar),
                ],
                colour.mix(opacity).filled(),
            )])?;
        }
        let point = |t: f64| at(chart.backend_coord(&(t, centre)));
        if labelled {
            let (x, y) = point(0.0);
            area.draw_text(&p.id, &id_style, (x - style.px(6.0), y))?;
        }
        if p.response_ongoing {
            let (x, y) = point(p.follow_up);
            draw_marker(
                area,
                style,
                Marker::Ongoing,
                (x + style.px(3.0) + marker, y),
                marker,
            )?;
        }
        let events = [
            (Marker::Progression, p.progression),
            (Marker::Death, p.death),
            (Marker::Onset, p.response_onset),
        ];
        for (kind, time) in events {
            if let Some(t) = time {
                draw_marker(area, style, kind, point(t), marker)?;
            }
        }
        bars.push(SwimmerBar {
            patient_id: p.id.clone(),
            pixel_top: frame.y.to_pixel(centre + 0.5),
            pixel_bottom: frame.y.to_pixel(centre - 0.5),
        });
    }

    draw_legend(&legend_area, style, &patients, at((rect.left, 0)).0)?;
    Ok(SwimmerLayout {
        frame: Some(frame),
        bars,
    })
}

/// The event markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// Response onset: an open circle.
    Onset,
    /// Progression: a vermillion diamond.
    Progression,
    /// Death: a cross.
    Death,
    /// Response ongoing at the last follow-up: an arrowhead.
    Ongoing,
}

impl Marker {
    fn label(self) -> &'static str {
        match self {
            Self::Onset => "Response onset",
            Self::Progression => "Progression",
            Self::Death => "Death",
            Self::Ongoing => "Response ongoing",
        }
    }
}

/// Draw `marker` centred at `(x, y)` (area pixels) with half-size `m`.
fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    style: &ChartStyle,
    marker: Marker,
    (x, y): (i32, i32),
    m: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    match marker {
        Marker::Onset => {
            area.draw(&Circle::new((x, y), m as u32, palette::PAPER.filled()))?;
            area.draw(&Circle::new(
                (x, y),
                m as u32,
                palette::INK.stroke_width(style.upx(1.5)),
            ))
        }
        Marker::Progression => {
            let diamond = vec![
                (x, y - m - 1),
                (x + m + 1, y),
                (x, y + m + 1),
                (x - m - 1, y),
            ];
            area.draw(&Polygon::new(diamond, palette::VERMILLION.filled()))
        }
        Marker::Death => {
            let cross = palette::INK.stroke_width(style.upx(2.0));
            area.draw(&PathElement::new(
                vec![(x - m, y - m), (x + m, y + m)],
                cross,
            ))?;
            area.draw(&PathElement::new(
                vec![(x - m, y + m), (x + m, y - m)],
                cross,
            ))
        }
        Marker::Ongoing => area.draw(&Polygon::new(
            vec![(x - m, y - m), (x - m, y + m), (x + m, y)],
            palette::INK.filled(),
        )),
    }
}

/// The legend in one row above the plot: the best responses present, then
/// the markers in use.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    style: &ChartStyle,
    patients: &[&SwimmerPatient],
    left: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let text = style
        .text(size::LABEL, &palette::INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (_, height) = area.dim_in_pixel();
    let y = height as i32 / 2;
    let m = style.px(4.0);
    let gap = style.px(16.0);
    let mut x = left;
    let responses: BTreeSet<BestResponse> = patients.iter().map(|p| p.best_response).collect();
    for response in responses {
        let colour = palette::response_colour(response);
        area.draw(&Rectangle::new(
            [(x, y - m), (x + 2 * m + 4, y + m)],
            colour.filled(),
        ))?;
        x += 2 * m + 4 + style.px(5.0);
        area.draw_text(response.code(), &text, (x, y))?;
        x += area.estimate_text_size(response.code(), &text)?.0 as i32 + gap;
    }
    let used = [
        (
            Marker::Onset,
            patients.iter().any(|p| p.response_onset.is_some()),
        ),
        (
            Marker::Progression,
            patients.iter().any(|p| p.progression.is_some()),
        ),
        (Marker::Death, patients.iter().any(|p| p.death.is_some())),
        (Marker::Ongoing, patients.iter().any(|p| p.response_ongoing)),
    ];
    for (marker, _) in used.into_iter().filter(|(_, used)| *used) {
        draw_marker(area, style, marker, (x + m, y), m)?;
        x += 2 * m + style.px(5.0);
        area.draw_text(marker.label(), &text, (x, y))?;
        x += area.estimate_text_size(marker.label(), &text)?.0 as i32 + gap;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg_probe::{self, parse, texts};

    fn patient(id: &str, follow_up: f64, best: BestResponse) -> SwimmerPatient {
        SwimmerPatient {
            id: id.to_string(),
            follow_up,
            best_response: best,
            response_onset: None,
            response_end: None,
            response_ongoing: false,
            progression: None,
            death: None,
        }
    }

    fn example(only_responders: bool) -> SwimmerData {
        SwimmerData {
            patients: vec![
                SwimmerPatient {
                    response_onset: Some(2.0),
                    response_end: Some(9.0),
                    progression: Some(9.0),
                    death: Some(14.0),
                    ..patient("101-001", 14.0, BestResponse::Pr)
                },
                SwimmerPatient {
                    response_onset: Some(1.8),
                    response_ongoing: true,
                    ..patient("101-002", 22.5, BestResponse::Cr)
                },
                SwimmerPatient {
                    progression: Some(2.1),
                    ..patient("101-003", 6.0, BestResponse::Pd)
                },
                SwimmerPatient {
                    response_onset: Some(3.9),
                    response_ongoing: true,
                    ..patient("101-004", 11.0, BestResponse::Pr)
                },
                patient("101-005", 8.0, BestResponse::Sd),
            ],
            only_responders,
            time_unit: "months".to_string(),
            selected: HashSet::new(),
        }
    }

    #[test]
    fn a_selection_dims_the_other_bars() {
        let mut data = example(false);
        data.selected = ["101-002".to_string()].into_iter().collect();
        let (svg, _) = render(&data);
        let elements = parse(&svg);
        let cr = palette::hex(palette::response_colour(BestResponse::Cr));
        let pr = palette::hex(palette::response_colour(BestResponse::Pr));
        let opacities = |fill: &str| -> Vec<f64> {
            elements
                .iter()
                .filter(|e| e.tag == "rect" && e.attr("fill") == Some(fill))
                .map(|e| e.num("opacity"))
                .collect()
        };
        // The selected CR patient: tinted bar and full-colour response, undimmed.
        let selected = opacities(&cr);
        assert!(
            selected.contains(&BAR_TINT) && selected.contains(&1.0),
            "{selected:?}"
        );
        // The PR patients are dimmed, bar and response alike (the legend swatch keeps 1).
        let dimmed = opacities(&pr);
        assert!(dimmed.contains(&(BAR_TINT * DIMMED_OPACITY)), "{dimmed:?}");
        assert!(dimmed.contains(&DIMMED_OPACITY), "{dimmed:?}");
        assert!(!dimmed.contains(&BAR_TINT), "{dimmed:?}");
    }

    fn render(data: &SwimmerData) -> (String, SwimmerLayout) {
        let (svg, layout) =
            crate::charts::svg::render((720, 360), |root| draw(root, data, &ChartStyle::default()));
        (svg, layout.expect("draws"))
    }

    #[test]
    fn responders_sorted_by_length_with_their_markers() {
        let (svg, layout) = render(&example(true));
        svg_probe::save("swimmer", &svg);
        let ids: Vec<&str> = layout.bars.iter().map(|b| b.patient_id.as_str()).collect();
        assert_eq!(ids, ["101-002", "101-001", "101-004"]);
        let elements = parse(&svg);
        for id in &ids {
            assert_eq!(texts(&elements, id).len(), 1);
        }
        assert!(texts(&elements, "101-003").is_empty());
        // Onset rings: 3 in the plot + 1 in the legend (each drawn fill + ring).
        let rings = elements
            .iter()
            .filter(|e| e.tag == "circle" && e.attr("fill") == Some("none"))
            .count();
        assert_eq!(rings, 4);
        // Ongoing arrows: 2 + legend; progression diamonds: 1 + legend.
        let ink = palette::hex(palette::INK);
        let vermillion = palette::hex(palette::VERMILLION);
        let polygons = |fill: &str| {
            elements
                .iter()
                .filter(|e| e.tag == "polygon" && e.attr("fill") == Some(fill))
                .count()
        };
        assert_eq!(polygons(&ink), 3);
        assert_eq!(polygons(&vermillion), 2);
        for label in [
            "Response onset",
            "Progression",
            "Death",
            "Response ongoing",
            "CR",
            "PR",
        ] {
            assert_eq!(texts(&elements, label).len(), 1, "{label}");
        }
        // The response duration in full colour, the rest of the bar tinted.
        let pr = palette::hex(palette::response_colour(BestResponse::Pr));
        let pr_rects: Vec<_> = elements
            .iter()
            .filter(|e| e.tag == "rect" && e.attr("fill") == Some(pr.as_str()))
            .collect();
        assert!(pr_rects.iter().any(|e| e.num("opacity") == BAR_TINT));
        assert!(pr_rects.iter().filter(|e| e.num("opacity") == 1.0).count() >= 2);
    }

    #[test]
    fn all_patients_and_hit_testing() {
        let (svg, layout) = render(&example(false));
        svg_probe::save("swimmer_all", &svg);
        assert_eq!(layout.bars.len(), 5);
        assert_eq!(layout.bars[4].patient_id, "101-003");
        for bar in &layout.bars {
            let middle = (bar.pixel_top + bar.pixel_bottom) / 2.0;
            assert_eq!(
                layout.bar_at(middle).map(|b| b.patient_id.as_str()),
                Some(bar.patient_id.as_str())
            );
        }
        let frame = layout.frame.unwrap();
        assert_eq!(frame.x.data_from, 0.0);
        assert!(frame.x.data_to > 22.5);
    }

    #[test]
    fn no_responders_draws_a_message() {
        let mut none = example(true);
        none.patients.retain(|p| p.response_onset.is_none());
        let (svg, layout) = render(&none);
        assert!(layout.frame.is_none());
        assert_eq!(texts(&parse(&svg), "No responders to show").len(), 1);
    }

    #[test]
    fn events_after_follow_up_are_errors() {
        let mut bad = example(false);
        bad.patients[0].death = Some(15.0);
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (720, 360)).into_drawing_area();
        assert!(matches!(
            draw(&root, &bad, &ChartStyle::default()),
            Err(ChartError::InvalidValue { .. })
        ));
    }
}
