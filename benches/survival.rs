//! Kaplan–Meier fit and log-rank test at 10³ … 10⁶ subjects, and the work
//! lifelines is compared with (`scripts/bench/compare_lifelines.py`) at
//! 2·10⁵ subjects, in memory: "km_alone" (one Kaplan–Meier fit and its
//! median, as lifelines' `KaplanMeierFitter().fit(...).median_survival_time_`) and
//! "km_logrank_cox_3_groups" (Kaplan–Meier overall and per group, the
//! 3-group log-rank test and the Cox model of the group factor, Efron ties).
//!
//! Those two read their subjects from the CSV file named by
//! `COHORTSCOPE_BENCH_CSV` (columns time, event, group, as the comparison
//! script writes them) when it is set, so both sides time the same data;
//! otherwise they use the synthetic cohort below.
//!
//! `cargo bench --bench survival -- --quick`

use std::hint::black_box;

use cohortscope::stats::conventions::{CiTransform, MedianRule, Ties};
use cohortscope::stats::cox::{cox_fit, CoxOptions, Design};
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

/// The comparison's subjects: from `COHORTSCOPE_BENCH_CSV` (header
/// time,event,group; plain numbers and 0/1 codes) or the synthetic cohort.
fn comparison_cohort() -> (String, Vec<f64>, Vec<bool>, Vec<usize>) {
    let Ok(path) = std::env::var("COHORTSCOPE_BENCH_CSV") else {
        let (t, e, g) = cohort(200_000);
        return ("200000".into(), t, e, g);
    };
    let text = std::fs::read_to_string(&path).expect("COHORTSCOPE_BENCH_CSV is readable");
    let (mut t, mut e, mut g) = (Vec::new(), Vec::new(), Vec::new());
    let mut labels: Vec<String> = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let cells: Vec<&str> = line.split(',').collect();
        t.push(cells[0].parse::<f64>().expect("a time"));
        e.push(cells[1] == "1");
        let code = match labels.iter().position(|l| l == cells[2]) {
            Some(code) => code,
            None => {
                labels.push(cells[2].to_string());
                labels.len() - 1
            }
        };
        g.push(code);
    }
    (t.len().to_string(), t, e, g)
}

/// What lifelines' KaplanMeierFitter (overall and per group),
/// multivariate_logrank_test and CoxPHFitter compute.
fn km_logrank_cox(times: &[f64], events: &[bool], groups: &[usize]) {
    let k = groups.iter().max().map_or(0, |&m| m + 1);
    let overall = kaplan_meier(times, events, CiTransform::LogLog, 0.95).unwrap();
    black_box(overall.median(MedianRule::Midpoint));
    for j in 0..k {
        let (t, e): (Vec<f64>, Vec<bool>) = (0..times.len())
            .filter(|&i| groups[i] == j)
            .map(|i| (times[i], events[i]))
            .unzip();
        let fit = kaplan_meier(&t, &e, CiTransform::LogLog, 0.95).unwrap();
        black_box(fit.median(MedianRule::Midpoint));
    }
    black_box(logrank(times, events, groups, None, Weight::LogRank).unwrap());
    let names: Vec<String> = (0..k).map(|j| j.to_string()).collect();
    let values: Vec<&str> = groups.iter().map(|&j| names[j].as_str()).collect();
    let design = Design::new().factor("group", &values, None).unwrap();
    let options = CoxOptions {
        ties: Ties::Efron,
        ..CoxOptions::default()
    };
    black_box(cox_fit(times, events, &design, None, &options).unwrap());
}

fn comparison(c: &mut Criterion) {
    let (id, t, e, g) = comparison_cohort();
    c.benchmark_group("km_alone").bench_function(&id, |b| {
        b.iter(|| {
            kaplan_meier(black_box(&t), black_box(&e), CiTransform::LogLog, 0.95)
                .unwrap()
                .median(MedianRule::Midpoint)
        })
    });
    c.benchmark_group("km_logrank_cox_3_groups")
        .bench_function(&id, |b| {
            b.iter(|| km_logrank_cox(black_box(&t), black_box(&e), black_box(&g)))
        });
}

fn bench(c: &mut Criterion) {
    let mut km = c.benchmark_group("kaplan_meier");
    for n in [1_000, 10_000, 100_000, 1_000_000] {
        let (t, e, _) = cohort(n);
        km.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                kaplan_meier(black_box(&t), black_box(&e), CiTransform::LogLog, 0.95).unwrap()
            })
        });
    }
    km.finish();
    let mut lr = c.benchmark_group("logrank_3_groups");
    for n in [1_000, 10_000, 100_000, 1_000_000] {
        let (t, e, g) = cohort(n);
        lr.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                logrank(
                    black_box(&t),
                    black_box(&e),
                    black_box(&g),
                    None,
                    Weight::LogRank,
                )
                .unwrap()
            })
        });
    }
    lr.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench, comparison
}
criterion_main!(benches);
