//! Rendering time of the charts to an SVG string: the waterfall with 66,
//! 1000 and 100,000 patients (one bar per pixel column), the Kaplan–Meier plot with 3 groups of 1000 subjects.

use std::collections::HashSet;
use std::hint::black_box;

use cohortscope::charts::km::{self, KmData, KmGroup, KmStep, SurvivalScale};
use cohortscope::charts::style::ChartStyle;
use cohortscope::charts::svg;
use cohortscope::charts::waterfall::{self, WaterfallColouring, WaterfallData, WaterfallPatient};
use cohortscope::stats::response::BestResponse;
use criterion::{criterion_group, criterion_main, Criterion};

fn waterfall_data(n: usize) -> WaterfallData {
    let responses = [
        BestResponse::Cr,
        BestResponse::Pr,
        BestResponse::Sd,
        BestResponse::Pd,
    ];
    let patients = (0..n)
        .map(|i| WaterfallPatient {
            id: format!("P{i:04}"),
            best_change_pct: (i % 20 != 7).then(|| -100.0 + (i * 37 % 360) as f64),
            response: responses[i % responses.len()],
            subgroup: None,
            inconsistent: i % 50 == 3,
        })
        .collect();
    WaterfallData {
        patients,
        colouring: WaterfallColouring::Response,
        selected: HashSet::new(),
        clip_pct: 100.0,
        sample: None,
    }
}

/// A product-limit table of `n` synthetic subjects, every third censored.
fn km_steps(n: usize, scale: f64) -> Vec<KmStep> {
    let mut survival = 1.0;
    (0..n)
        .map(|i| {
            let event = i % 3 != 2;
            if event {
                survival *= 1.0 - 1.0 / (n - i) as f64;
            }
            let half_width = 0.1 * (1.0 - survival).sqrt();
            KmStep {
                time: scale * 36.0 * (1.0 + i as f64) / n as f64,
                n_risk: n - i,
                n_event: usize::from(event),
                n_censor: usize::from(!event),
                survival,
                lower: Some((survival - half_width).max(0.0)),
                upper: Some((survival + half_width).min(1.0)),
            }
        })
        .collect()
}

fn km_data() -> KmData {
    let groups = [("Arm A", 1.0), ("Arm B", 0.8), ("Arm C", 0.6)]
        .into_iter()
        .map(|(label, scale)| KmGroup {
            label: label.to_string(),
            steps: km_steps(1000, scale),
            median: Some(12.0 * scale),
        })
        .collect();
    KmData {
        groups,
        endpoint: "Overall survival".to_string(),
        time_unit: "months".to_string(),
        x_range: None,
        x_tick_step: Some(6.0),
        y_scale: SurvivalScale::Proportion,
        show_ci: true,
        show_medians: true,
        show_cumulative_events: true,
        landmark: Some(12.0),
        annotation: vec!["Log-rank p < 0.001".to_string()],
    }
}

fn bench(c: &mut Criterion) {
    let style = ChartStyle::default();
    for n in [66, 1000, 100_000] {
        let data = waterfall_data(n);
        c.bench_function(&format!("waterfall_svg_{n}_patients"), |b| {
            b.iter(|| {
                svg::render((900, 480), |root| {
                    black_box(waterfall::draw(root, &data, &style).expect("draws"))
                })
                .0
                .len()
            })
        });
    }
    let data = km_data();
    c.bench_function("km_svg_3_groups_x_1000", |b| {
        b.iter(|| {
            svg::render((900, 600), |root| {
                black_box(km::draw(root, &data, &style).expect("draws"))
            })
            .0
            .len()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
