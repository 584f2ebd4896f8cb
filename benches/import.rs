//! Import time of a one-row-per-patient cohort CSV (the page's and the CLI's
//! `data::import_csv`: sniffing, parsing, validation) at 10^4 to 10^6 rows.

use std::hint::black_box;

use cohortscope::data::import_csv;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[path = "support/cohort_csv.rs"]
mod cohort_csv;
use cohort_csv::cohort_csv;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("import_csv");
    for n in [10_000, 100_000, 1_000_000] {
        let bytes = cohort_csv(n);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.sample_size(if n >= 1_000_000 { 10 } else { 50 });
        group.bench_with_input(BenchmarkId::from_parameter(n), &bytes, |b, bytes| {
            b.iter(|| black_box(import_csv(bytes.clone(), None).expect("a valid cohort")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
