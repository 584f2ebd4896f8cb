//! Cox regression, Efron ties, three groups (two dummy columns), on
//! synthetic cohorts of 10³ to 2·10⁵ rows with tied integer times.
//!
//! `cargo bench --bench cox -- --quick`

use std::hint::black_box;

use cohortscope::stats::conventions::Ties;
use cohortscope::stats::cox::{cox_fit, CoxOptions, Design};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// A deterministic cohort: group g has hazard e^{0.3g}; exponential event
/// times rounded up to whole days (many ties); uniform censoring.
fn cohort(n: usize) -> (Vec<f64>, Vec<bool>, Design) {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let groups = ["a", "b", "c"];
    let (mut times, mut events, mut labels) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for i in 0..n {
        let g = i % 3;
        let event_time = -uniform().ln() / (0.01 * (0.3 * g as f64).exp());
        let censor_time = 300.0 * uniform();
        times.push(event_time.min(censor_time).ceil());
        events.push(event_time <= censor_time);
        labels.push(groups[g]);
    }
    let design = Design::new()
        .factor("group", &labels, None)
        .expect("three groups");
    (times, events, design)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("cox_efron_3_groups");
    for n in [1_000, 10_000, 100_000, 200_000] {
        let (times, events, design) = cohort(n);
        let options = CoxOptions {
            ties: Ties::Efron,
            ..CoxOptions::default()
        };
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                cox_fit(
                    black_box(&times),
                    black_box(&events),
                    &design,
                    None,
                    &options,
                )
                .expect("fit")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
