//! Every chart through the public API at the page's 1× and the export's 2×
//! scale: it draws, its text is real SVG text, and sizes follow the scale.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI or a browser

use std::collections::HashSet;

use cohortscope::charts::forest::{self, ForestData, ForestRow, Interval};
use cohortscope::charts::histogram::{self, BinRule, HistogramData};
use cohortscope::charts::km::{self, KmData, KmGroup, KmStep, SurvivalScale};
use cohortscope::charts::style::ChartStyle;
use cohortscope::charts::svg;
use cohortscope::charts::swimmer::{self, SwimmerData, SwimmerPatient};
use cohortscope::charts::waterfall::{self, WaterfallColouring, WaterfallData, WaterfallPatient};
use cohortscope::stats::response::BestResponse;
use plotters::prelude::SVGBackend;

/// Pixel positions scale with the style up to plotters' whole-pixel rounding.
const ROUNDING_PX: f64 = 2.0;

/// Render with `draw` at `scale` on a canvas `scale` times 640×420; return
/// the SVG and the plot area's left edge.
fn render(
    scale: f64,
    draw: &dyn Fn(
        &plotters::drawing::DrawingArea<SVGBackend, plotters::coord::Shift>,
        &ChartStyle,
    ) -> i32,
) -> (String, i32) {
    let size = ((640.0 * scale) as u32, (420.0 * scale) as u32);
    svg::render(size, |root| {
        draw(root, &ChartStyle::default().scaled(scale))
    })
}

fn font_sizes(svg: &str) -> Vec<f64> {
    svg.split("font-size=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

fn check_scales(
    name: &str,
    draw: &dyn Fn(
        &plotters::drawing::DrawingArea<SVGBackend, plotters::coord::Shift>,
        &ChartStyle,
    ) -> i32,
    expected_text: &str,
) {
    let (one, left_one) = render(1.0, draw);
    let (two, left_two) = render(2.0, draw);
    for svg in [&one, &two] {
        assert!(
            svg.contains(&format!("\n{expected_text}\n")),
            "{name}: no text {expected_text:?}"
        );
    }
    let (small, large) = (font_sizes(&one), font_sizes(&two));
    assert_eq!(
        small.len(),
        large.len(),
        "{name}: same texts at both scales"
    );
    for (a, b) in small.iter().zip(&large) {
        assert!((b - 2.0 * a).abs() < 1e-9, "{name}: font {a} -> {b}");
    }
    assert!(
        (f64::from(left_two) - 2.0 * f64::from(left_one)).abs() <= 2.0 * ROUNDING_PX,
        "{name}: {left_one} -> {left_two}"
    );
}

#[test]
fn histogram_scales() {
    let data = HistogramData {
        axis_title: "Age (years)".to_string(),
        values: vec![41.0, 52.0, 55.0, 67.0, 70.0],
        bins: BinRule::Sturges,
    };
    check_scales(
        "histogram",
        &|area, style| {
            histogram::draw(area, &data, style)
                .unwrap()
                .frame
                .unwrap()
                .rect
                .left
        },
        "Age (years)",
    );
}

#[test]
fn waterfall_scales() {
    let patients = (0..12)
        .map(|i| WaterfallPatient {
            id: format!("P{i}"),
            best_change_pct: Some(-90.0 + 25.0 * i as f64),
            response: BestResponse::ALL[i % 5],
            subgroup: None,
            inconsistent: false,
        })
        .collect();
    let data = WaterfallData {
        patients,
        colouring: WaterfallColouring::Response,
        selected: HashSet::new(),
        clip_pct: 100.0,
        sample: None,
    };
    check_scales(
        "waterfall",
        &|area, style| {
            waterfall::draw(area, &data, style)
                .unwrap()
                .frame
                .unwrap()
                .rect
                .left
        },
        "+185%",
    );
}

#[test]
fn km_scales() {
    let steps = vec![
        KmStep {
            time: 2.0,
            n_risk: 4,
            n_event: 1,
            n_censor: 0,
            survival: 0.75,
            lower: Some(0.4),
            upper: Some(1.0),
        },
        KmStep {
            time: 5.0,
            n_risk: 3,
            n_event: 0,
            n_censor: 1,
            survival: 0.75,
            lower: Some(0.4),
            upper: Some(1.0),
        },
        KmStep {
            time: 9.0,
            n_risk: 2,
            n_event: 1,
            n_censor: 1,
            survival: 0.375,
            lower: Some(0.1),
            upper: Some(0.9),
        },
    ];
    let data = KmData {
        groups: vec![KmGroup {
            label: "All patients".to_string(),
            steps,
            median: Some(9.0),
        }],
        endpoint: "Progression-free survival".to_string(),
        time_unit: "months".to_string(),
        x_range: None,
        x_tick_step: None,
        y_scale: SurvivalScale::Percent,
        show_ci: true,
        show_medians: true,
        show_cumulative_events: false,
        landmark: None,
        annotation: Vec::new(),
    };
    check_scales(
        "km",
        &|area, style| {
            km::draw(area, &data, style)
                .unwrap()
                .frame
                .unwrap()
                .rect
                .left
        },
        "Number at risk",
    );
}

#[test]
fn forest_scales() {
    let row = |label: &str, estimate: f64| ForestRow {
        label: label.to_string(),
        interval: Some(Interval {
            estimate,
            lower: estimate / 2.0,
            upper: estimate * 2.0,
        }),
        detail: "10/20".to_string(),
        heading: false,
    };
    let data = ForestData {
        rows: vec![row("Overall", 0.6), row("Female", 0.5), row("Male", 0.8)],
        estimate_name: "HR".to_string(),
        detail_title: "Events/N".to_string(),
        axis_title: "Hazard ratio".to_string(),
        x_range: None,
        decimals: 2,
    };
    check_scales(
        "forest",
        &|area, style| {
            forest::draw(area, &data, style)
                .unwrap()
                .frame
                .unwrap()
                .rect
                .left
        },
        "HR (95% CI)",
    );
}

#[test]
fn swimmer_scales() {
    let data = SwimmerData {
        patients: vec![SwimmerPatient {
            id: "101-001".to_string(),
            follow_up: 12.0,
            best_response: BestResponse::Pr,
            response_onset: Some(2.0),
            response_end: None,
            response_ongoing: true,
            progression: None,
            death: None,
        }],
        only_responders: true,
        time_unit: "months".to_string(),
        selected: Default::default(),
    };
    check_scales(
        "swimmer",
        &|area, style| {
            swimmer::draw(area, &data, style)
                .unwrap()
                .frame
                .unwrap()
                .rect
                .left
        },
        "101-001",
    );
}

/// A canvas too small for the chart must not panic (an error is fine).
#[test]
fn tiny_canvases_do_not_panic() {
    let histogram = HistogramData {
        axis_title: "x".to_string(),
        values: vec![1.0, 2.0, 3.0],
        bins: BinRule::Count(3),
    };
    let waterfall = WaterfallData {
        patients: vec![WaterfallPatient {
            id: "P".to_string(),
            best_change_pct: Some(300.0),
            response: BestResponse::Pd,
            subgroup: None,
            inconsistent: true,
        }],
        colouring: WaterfallColouring::Response,
        selected: HashSet::new(),
        clip_pct: 100.0,
        sample: None,
    };
    let km = KmData {
        groups: vec![KmGroup {
            label: "A".to_string(),
            steps: vec![KmStep {
                time: 1.0,
                n_risk: 1,
                n_event: 1,
                n_censor: 0,
                survival: 0.0,
                lower: None,
                upper: None,
            }],
            median: Some(1.0),
        }],
        endpoint: "OS".to_string(),
        time_unit: "months".to_string(),
        x_range: None,
        x_tick_step: None,
        y_scale: SurvivalScale::Proportion,
        show_ci: true,
        show_medians: true,
        show_cumulative_events: true,
        landmark: Some(0.5),
        annotation: vec!["p".to_string()],
    };
    let forest = ForestData {
        rows: vec![ForestRow {
            label: "All".to_string(),
            interval: Some(Interval {
                estimate: 0.5,
                lower: 0.2,
                upper: 1.4,
            }),
            detail: "3/9".to_string(),
            heading: false,
        }],
        estimate_name: "HR".to_string(),
        detail_title: "Events/N".to_string(),
        axis_title: "HR".to_string(),
        x_range: None,
        decimals: 2,
    };
    let swimmer = SwimmerData {
        patients: vec![SwimmerPatient {
            id: "P".to_string(),
            follow_up: 3.0,
            best_response: BestResponse::Cr,
            response_onset: Some(1.0),
            response_end: None,
            response_ongoing: true,
            progression: None,
            death: Some(3.0),
        }],
        only_responders: false,
        time_unit: "months".to_string(),
        selected: Default::default(),
    };
    for (w, h) in [(1, 1), (10, 10), (60, 40), (200, 30)] {
        svg::render((w, h), |root| {
            let style = ChartStyle::default();
            let _ = histogram::draw(root, &histogram, &style);
            let _ = waterfall::draw(root, &waterfall, &style);
            let _ = km::draw(root, &km, &style);
            let _ = forest::draw(root, &forest, &style);
            let _ = swimmer::draw(root, &swimmer, &style);
        });
    }
}
