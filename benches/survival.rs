//! Kaplan–Meier fit and log-rank test at 10³ … 10⁶ subjects.
//!
//! `cargo bench --bench survival -- --quick`

use std::hint::black_box;

use cohortscope::stats::conventions::CiTransform;
use cohortscope::stats::km::kaplan_meier;
use cohortscope::stats::logrank::{logrank, Weight};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// Deterministic cohort: exponential-like times on a 0.1 grid (ties),
/// about 30% censored, three groups.
fn cohort(n: usize) -> (Vec<f64>, Vec<bool>, Vec<usize>) {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut times = Vec::with_capacity(n);
    let mut events = Vec::with_capacity(n);
    let mut groups = Vec::with_capacity(n);
    for i in 0..n {
        let g = i % 3;
        let rate = 1.0 + 0.2 * g as f64;
        times.push((-(1.0 - next()).ln() / rate * 100.0).round() / 10.0);
        events.push(next() > 0.3);
        groups.push(g);
    }
    (times, events, groups)
}

fn bench(c: &mut Criterion) {
    let mut km = c.benchmark_group("kaplan_meier");
    for n in [1_000, 10_000, 100_000, 1_000_000] {
        let (t, e, _) = cohort(n);
        km.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| kaplan_meier(black_box(&t), black_box(&e), CiTransform::LogLog, 0.95).unwrap())
        });
    }
    km.finish();
    let mut lr = c.benchmark_group("logrank_3_groups");
    for n in [1_000, 10_000, 100_000, 1_000_000] {
        let (t, e, g) = cohort(n);
        lr.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| logrank(black_box(&t), black_box(&e), black_box(&g), None, Weight::LogRank).unwrap())
        });
    }
    lr.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
