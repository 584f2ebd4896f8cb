//! One view's report (`report::view::view_report`: the page's and
//! `cohortscope analyze`'s numbers) of the import benchmark's cohort grouped
//! by its three-level arm: the report table's four analyses, log-rank and
//! Cox per endpoint, the forest plot and the waterfall check, at 10^3 to
//! 10^5 patients.

use std::hint::black_box;

use cohortscope::data::import_csv;
use cohortscope::report::view::{view_report, Grouping, ViewSpec};
use cohortscope::stats::conventions::Conventions;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

#[path = "support/cohort_csv.rs"]
mod cohort_csv;
use cohort_csv::cohort_csv;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("view_report");
    group.sample_size(10);
    for n in [1_000, 10_000, 100_000] {
        let cohort = std::rc::Rc::new(import_csv(cohort_csv(n), None).expect("a valid cohort"));
        let spec = ViewSpec {
            filters: &[],
            grouping: Grouping::Column("arm"),
            endpoint: None,
            conventions: Conventions::default(),
            study: None,
        };
        group.bench_with_input(BenchmarkId::from_parameter(n), &cohort, |b, cohort| {
            b.iter(|| black_box(view_report(cohort, &spec)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
