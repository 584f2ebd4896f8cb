//! One view's report (`report::view::view_report`: the page's and
//! `cohortscope analyze`'s numbers) of a cohort grouped by a three-level
//! arm: the report table's four analyses, log-rank and Cox per endpoint, the
//! forest plot's subgroup models and the waterfall check, at 10^3 to 10^5
//! patients.

use std::hint::black_box;

use cohortscope::data::import_csv;
use cohortscope::report::view::{view_report, Grouping, ViewSpec};
use cohortscope::stats::conventions::Conventions;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// A cohort of `n` patients: response, change, OS, PFS, arm, sex and age.
fn cohort_csv(n: usize) -> Vec<u8> {
    let codes = ["CR", "PR", "SD", "PD", "NE"];
    let mut text = String::from(
        "patient_id,best_response,best_pct_change,os_months,os_event,pfs_months,pfs_event,arm,sex,age\n",
    );
    for i in 0..n {
        let code = codes[i % codes.len()];
        let change = match code {
            "CR" => "-100".to_string(),
            "PR" => format!("{:.1}", -30.0 - (i % 60) as f64),
            "SD" => format!("{:.1}", -29.0 + (i % 45) as f64),
            "PD" => format!("{:.1}", 20.0 + (i % 80) as f64),
            _ => String::new(),
        };
        let os = 0.5 + (i * 7919 % 3000) as f64 / 100.0;
        text.push_str(&format!(
            "P{i:07},{code},{change},{os:.2},{},{:.2},{},{},{},{}\n",
            u8::from(i % 3 != 0),
            os * 0.6,
            u8::from(i % 4 != 0),
            ["A", "B", "C"][i % 3],
            ["F", "M"][i % 2],
            30 + i % 50
        ));
    }
    text.into_bytes()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("view_report");
    group.sample_size(10);
    for n in [1_000, 10_000, 100_000] {
        let cohort = import_csv(cohort_csv(n), None).expect("a valid cohort");
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
