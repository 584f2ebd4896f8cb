//! The efficacy tables (`report::tables::tables`, `cohortscope tables` and
//! the page's Tables) of the import benchmark's cohort, three arms of
//! 10^3 to 10^5 patients each: the response table with its comparisons, a
//! time-to-event table per endpoint (OS, PFS) with log-rank, Cox, time
//! points and restricted means.

use std::hint::black_box;

use cohortscope::data::import_csv;
use cohortscope::report::tables::{tables, TableSpec, DEFAULT_TIMEPOINTS};
use cohortscope::stats::conventions::{Conventions, DifferenceCi};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

#[path = "support/cohort_csv.rs"]
mod cohort_csv;
use cohort_csv::cohort_csv;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("tables_3_arms");
    group.sample_size(10);
    for per_arm in [1_000, 10_000, 100_000] {
        let cohort = import_csv(cohort_csv(3 * per_arm), None).expect("a valid cohort");
        let spec = TableSpec {
            arm: "arm",
            reference: None,
            strata: &[],
            timepoints: &DEFAULT_TIMEPOINTS,
            diff_ci: DifferenceCi::MiettinenNurminen,
            conventions: Conventions::default(),
        };
        group.bench_with_input(
            BenchmarkId::from_parameter(per_arm),
            &cohort,
            |b, cohort| b.iter(|| black_box(tables(cohort, &spec).expect("the tables"))),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
