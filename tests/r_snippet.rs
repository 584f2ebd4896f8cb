//! The page's R snippet, run in R, reproduces the page's numbers.
//!
//! For each built-in study and several views of it (ungrouped and grouped by
//! a categorical column; every convention preset with both denominators; a
//! plain-scale view at 90% with Wilson intervals; blank responses, changes
//! and group values; a filter), the test writes the cohort CSV
//! (`Cohort::to_csv`) and the snippet (`report::r_snippet`) into a folder,
//! appends lines that write the snippet's tables as CSV (15 significant
//! digits), runs them with `Rscript`, and compares every number with the
//! page's: the report table's columns (`report::view::columns`, one
//! `report::analysis::analyze` per column, milestones at `LANDMARK_MONTHS`,
//! "not estimable" past the last time where R writes NA) and the log-rank
//! tests and hazard ratios of the Kaplan–Meier view (`report::view::survival`):
//! counts exactly, the rest to [`R_REL`].
//!
//! R's own defaults that the snippet's comments say differ from the page's
//! are checked to differ by exactly that, and counted: `quantile(fit)`
//! reads the median limits off the pointwise interval curves (replayed on
//! cohortscope's curves with `r_findq`), takes the midpoint of a flat
//! stretch at S = 0.5 where the lifelines rule does not, and `survfit`
//! gives NA log-log limits where S(t) = 1.
//!
//! Needs R with the survival package (`scripts/setup.sh test` installs
//! them); without `Rscript` the test fails, unless `COHORTSCOPE_SKIP_R=1`.
#![cfg(not(target_arch = "wasm32"))] // native only: runs Rscript

#[path = "support/csv_rows.rs"]
mod csv_rows;
#[path = "support/r_findq.rs"]
mod r_findq;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cohortscope::data::studies::by_id;
use cohortscope::data::{import_csv, Cohort, CovariateValues, Endpoint};
use cohortscope::report::analysis::{Count, Rate, DOR};
use cohortscope::report::curve::{Curve, Estimate};
use cohortscope::report::r_snippet::{r_snippet, Grouping, RView, COHORT_CSV};
use cohortscope::report::view::{columns, comparison, subsets, Column, Subset};
use cohortscope::stats::conventions::{
    BinomialCi, CiTransform, Conventions, Denominator, MedianRule, Preset,
};
use cohortscope::stats::km::{kaplan_meier, KaplanMeier};
use cohortscope::stats::prec::{close, SURVIVAL_EQ};
use csv_rows::csv_rows;
use r_findq::r_findq;

type Row = HashMap<String, String>;

/// Relative agreement required of every non-count value: R writes 15
/// significant digits, and its arithmetic (qnorm, Greenwood sums, the Cox
/// iterations) is not ours operation for operation.
const R_REL: f64 = 1e-6;

/// Lines appended to the snippet: its tables as `out_NAME.csv`, and what R
/// itself gives where the snippet's comments say it differs from the page
/// (`quantile(fit)` medians, `summary(fit)` limits, for the endpoints and
/// the reverse curves of the median follow-up).
const APPENDED: &str = r#"
for (name in c("patients", "responses", "medians", "rates", "follow_up", "logrank", "hazard_ratios"))
  if (!is.null(get0(name))) write.csv(get(name), paste0("out_", name, ".csv"), row.names = FALSE)
own_median <- function(endpoint, column, fit) {
  q <- quantile(fit, 0.5)
  p <- summary(fit)$table   # what print(fit) shows
  data.frame(endpoint, column, median = q$quantile, lower = q$lower, upper = q$upper,
    print_lower = p[[paste0(level, "LCL")]], print_upper = p[[paste0(level, "UCL")]])
}
native <- NULL
native_rates <- NULL
for (key in get0("endpoints")) for (column in names(columns)) {
  x <- columns[[column]]
  if (all(is.na(x[[paste0(key, "_months")]]))) next
  fit <- km(x[[paste0(key, "_months")]], x[[paste0(key, "_event")]])
  native <- rbind(native, own_median(key, column, fit))
  s <- summary(fit, times = milestones, extend = TRUE)
  native_rates <- rbind(native_rates, data.frame(endpoint = key, column, time = s$time, lower = s$lower, upper = s$upper))
}
for (i in seq_len(NROW(get0("follow_up")))) {
  x <- columns[[follow_up$column[i]]]
  key <- follow_up$endpoint[i]
  fit <- km(x[[paste0(key, "_months")]], 1 - x[[paste0(key, "_event")]])
  native <- rbind(native, own_median("follow-up", follow_up$column[i], fit))
}
if (!is.null(native)) write.csv(native, "out_native.csv", row.names = FALSE)
if (!is.null(native_rates)) write.csv(native_rates, "out_native_rates.csv", row.names = FALSE)
"#;

/// One view of the page: the exported cohort, its grouping, filters and conventions.
struct View {
    name: String,
    cohort: Cohort,
    group: Option<String>,
    filters: Vec<String>,
    conventions: Conventions,
}

/// The views of a built-in study.
fn views(id: &str) -> Vec<View> {
    let study = by_id(id).unwrap();
    let cohort = import_csv(study.csv.as_bytes().to_vec(), None).unwrap();
    let grouping: Vec<String> = cohort
        .grouping_columns()
        .filter(|c| subsets(&cohort, Some(&c.name)).len() >= 2)
        .map(|c| c.name.clone())
        .collect();
    assert!(
        !grouping.is_empty(),
        "{id} has no column of two groups or more"
    );
    let view = |name: String, cohort: &Cohort, group: Option<&String>, conventions| View {
        name,
        cohort: cohort.clone(),
        group: group.cloned(),
        filters: Vec::new(),
        conventions,
    };
    let mut out = Vec::new();
    let presets = [Preset::Default, Preset::Sas, Preset::R, Preset::Lifelines];
    for (i, preset) in presets.into_iter().enumerate() {
        for (j, denominator) in [Denominator::AllTreated, Denominator::Evaluable]
            .into_iter()
            .enumerate()
        {
            let conventions = Conventions {
                denominator,
                ..Conventions::preset(preset)
            };
            let name = format!("{preset}-{denominator}");
            out.push(view(name.clone(), &cohort, None, conventions));
            let group = &grouping[(2 * i + j) % grouping.len()];
            out.push(view(
                format!("{name}-by-{group}"),
                &cohort,
                Some(group),
                conventions,
            ));
        }
    }
    let plain = Conventions {
        ci_transform: CiTransform::Plain,
        conf_level: 0.9,
        binomial_ci: BinomialCi::Wilson,
        ..Conventions::default()
    };
    out.push(view(
        "plain-90-wilson".into(),
        &cohort,
        Some(&grouping[0]),
        plain,
    ));
    // Every other binomial interval, grouped (small groups reach the clipped edges).
    for binomial_ci in [
        BinomialCi::WilsonCc,
        BinomialCi::Wald,
        BinomialCi::WaldCc,
        BinomialCi::Jeffreys,
        BinomialCi::AgrestiCoull,
    ] {
        let conventions = Conventions {
            binomial_ci,
            ..Conventions::default()
        };
        out.push(view(
            format!("binomial-{binomial_ci}"),
            &cohort,
            Some(&grouping[0]),
            conventions,
        ));
    }
    // Blank responses, changes and group values: left out of the counts and groups.
    let mut blanks = cohort.clone();
    if let Some(r) = blanks.best_response.as_mut() {
        r[0] = None;
        r[5] = None;
    }
    if let Some(c) = blanks.best_pct_change.as_mut() {
        *c = c
            .iter()
            .enumerate()
            .map(|(i, v)| v.filter(|_| i != 1))
            .collect();
    }
    let column = blanks
        .covariates
        .iter_mut()
        .find(|c| c.name == grouping[0])
        .unwrap();
    if let CovariateValues::Categorical { codes, .. } = &mut column.values {
        codes[2] = None;
        codes[3] = None;
    }
    out.push(view(
        "blanks".into(),
        &blanks,
        Some(&grouping[0]),
        Conventions::default(),
    ));
    // A filter: the CSV holds the rows kept, the snippet names the filter.
    let filtered = cohort
        .filter(
            "age",
            |cell| matches!(cell, cohortscope::data::Cell::Number(x) if (40.0..=65.0).contains(&x)),
        )
        .unwrap();
    assert!(filtered.len() < cohort.len());
    let mut v = view(
        "filtered".into(),
        &filtered,
        Some(&grouping[0]),
        Conventions::preset(Preset::R),
    );
    v.filters = vec!["age from 40 to 65".into()];
    out.push(v);
    out
}

/// The page's report table of a view: its groups and its columns (all
/// patients, then each group when grouped), as the page computes them.
fn page_columns(v: &View) -> (Vec<Subset>, Vec<Column>) {
    let groups = subsets(&v.cohort, v.group.as_deref());
    let grouped = v.group.as_deref().map(|_| groups.as_slice());
    let columns = columns(&v.cohort, grouped, &v.conventions, None);
    (groups, columns)
}

/// Writes each view's CSV and snippet into a folder of `root`.
fn write_views(root: &Path, views: &[View]) -> Vec<PathBuf> {
    views
        .iter()
        .map(|v| {
            let dir = root.join(&v.name);
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join(COHORT_CSV), v.cohort.to_csv()).unwrap();
            let groups = subsets(&v.cohort, v.group.as_deref());
            let snippet = r_snippet(&RView {
                cohort: &v.cohort,
                grouping: v.group.as_deref().map(|column| Grouping {
                    column,
                    groups: &groups,
                }),
                filters: &v.filters,
                conventions: &v.conventions,
                figure: v.cohort.endpoints.first().map(|e| e.key.as_str()),
            });
            fs::write(dir.join("snippet.R"), snippet + APPENDED).unwrap();
            dir
        })
        .collect()
}

/// Whether R is to be run: fails the test when `Rscript` is missing, unless
/// `COHORTSCOPE_SKIP_R=1`.
fn r_available() -> bool {
    if std::env::var("COHORTSCOPE_SKIP_R").as_deref() == Ok("1") {
        eprintln!("COHORTSCOPE_SKIP_R=1: the R snippet is not run in R (skipped)");
        return false;
    }
    match Command::new("Rscript").arg("--version").output() {
        Ok(out) if out.status.success() => true,
        _ => panic!(
            "Rscript was not found: run `scripts/setup.sh test` (it installs r-base-core and \
             r-cran-survival), or set COHORTSCOPE_SKIP_R=1 to skip this test"
        ),
    }
}

/// Runs `snippet.R` in each folder, in one R process, as `Rscript` runs it
/// there; an error is written to the folder's `error.txt`.
fn run_r(dirs: &[PathBuf]) {
    let driver = "for (dir in commandArgs(TRUE)) {\n\
         \x20 setwd(dir)\n\
         \x20 tryCatch(sys.source(\"snippet.R\", envir = new.env()),\n\
         \x20   error = function(e) writeLines(conditionMessage(e), \"error.txt\"))\n\
         }\n";
    let out = Command::new("Rscript")
        .args(["--vanilla", "-e", driver])
        .args(dirs)
        .output()
        .expect("run Rscript");
    assert!(
        out.status.success(),
        "Rscript failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The rows of `out_NAME.csv` keyed by the values of `keys`; none when R
/// wrote no such table.
fn table(dir: &Path, name: &str, keys: &[&str]) -> HashMap<Vec<String>, Row> {
    let path = dir.join(format!("out_{name}.csv"));
    if !path.exists() {
        return HashMap::new();
    }
    let rows = csv_rows(&path);
    let n = rows.len();
    let by: HashMap<_, _> = rows
        .into_iter()
        .map(|r| (keys.iter().map(|k| r[*k].clone()).collect(), r))
        .collect();
    assert_eq!(by.len(), n, "{name}: duplicate keys {keys:?}");
    by
}

fn num(row: &Row, column: &str) -> Option<f64> {
    let text = row
        .get(column)
        .unwrap_or_else(|| panic!("no column {column} in {row:?}"));
    if text == "NA" {
        None
    } else {
        Some(
            text.parse()
                .unwrap_or_else(|e| panic!("{column} = {text:?}: {e}")),
        )
    }
}

/// Failures and known differences of one study.
#[derive(Default)]
struct Report {
    checked: usize,
    failures: Vec<String>,
    known: HashMap<&'static str, usize>,
}

impl Report {
    /// `ours` and R's value agree: both undefined, or both within [`R_REL`].
    fn same(&mut self, what: &str, ours: Option<f64>, r: Option<f64>) {
        if !agree(ours, r) {
            self.failures
                .push(format!("{what}: page {ours:?}, R {r:?}"));
        }
        self.checked += 1;
    }

    /// A count: exactly equal.
    fn count(&mut self, what: &str, ours: usize, r: Option<f64>) {
        if r != Some(ours as f64) {
            self.failures.push(format!("{what}: page {ours}, R {r:?}"));
        }
        self.checked += 1;
    }

    /// R's own `theirs` equals the page's `ours`, or differs as `convention`
    /// says (`explained`: the difference is exactly that).
    fn r_default(
        &mut self,
        what: &str,
        ours: Option<f64>,
        theirs: Option<f64>,
        convention: &'static str,
        explained: bool,
    ) {
        if agree(ours, theirs) {
            self.checked += 1;
        } else {
            self.differs(
                &format!("{what}: page {ours:?}, R's own {theirs:?}"),
                convention,
                explained,
            );
        }
    }

    /// A difference from R's own value: counted when `convention` explains it.
    fn differs(&mut self, what: &str, convention: &'static str, explained: bool) {
        self.checked += 1;
        if explained {
            *self.known.entry(convention).or_default() += 1;
        } else {
            self.failures
                .push(format!("{what}; not explained by: {convention}"));
        }
    }

    fn finish(self, name: &str) {
        eprintln!("{name}: {} values checked", self.checked);
        for (convention, n) in &self.known {
            eprintln!("  R's own value differs ({n} cases): {convention}");
        }
        assert!(
            self.failures.is_empty(),
            "{name}: {} failures:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

fn agree(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => close(a, b, R_REL),
        (None, None) => true,
        _ => false,
    }
}

/// The Kaplan–Meier fit of `endpoint` among `indices` (events swapped for the
/// reverse curve), as the page fits it.
fn fit(e: &Endpoint, indices: &[usize], reverse: bool, c: &Conventions) -> KaplanMeier {
    let (times, events): (Vec<f64>, Vec<bool>) = indices
        .iter()
        .filter_map(|&i| e.values.get(i))
        .map(|te| (te.months, te.event != reverse))
        .unzip();
    kaplan_meier(&times, &events, c.ci_transform, c.conf_level).unwrap()
}

/// The median and limits against the snippet's row, and R's own
/// `quantile(fit)` against both.
fn check_median(
    report: &mut Report,
    what: &str,
    q: &Estimate,
    km: &KaplanMeier,
    row: &Row,
    native: Option<&Row>,
    c: &Conventions,
) {
    report.same(&format!("{what} median"), q.estimate, num(row, "median"));
    report.same(&format!("{what} lower"), q.lower, num(row, "lower"));
    report.same(&format!("{what} upper"), q.upper, num(row, "upper"));
    let Some(native) = native else {
        report
            .failures
            .push(format!("{what}: no quantile(fit) row"));
        return;
    };
    // quantile(fit) takes the midpoint of a flat stretch at S = 0.5; the
    // lifelines rule takes its start.
    let at_half = q
        .estimate
        .and_then(|t| km.survival_at(t))
        .is_some_and(|p| (p.survival - 0.5).abs() <= SURVIVAL_EQ);
    let midpoint = km.median(MedianRule::Midpoint).estimate;
    report.r_default(
        &format!("{what} quantile(fit) median"),
        q.estimate,
        num(native, "median"),
        "quantile(fit) takes the midpoint of a flat stretch at S = 0.5; the lifelines rule its first time",
        c.median_rule == MedianRule::FirstLeHalf && at_half && agree(midpoint, num(native, "median")),
    );
    // quantile(fit) reads the limits off the pointwise interval curves.
    let times: Vec<f64> = km.rows.iter().map(|r| r.time).collect();
    let lower_curve: Vec<Option<f64>> = km.rows.iter().map(|r| r.lower).collect();
    let upper_curve: Vec<Option<f64>> = km.rows.iter().map(|r| r.upper).collect();
    for (side, ours, curve) in [
        ("lower", q.lower, &lower_curve),
        ("upper", q.upper, &upper_curve),
        ("print_lower", q.lower, &lower_curve),
        ("print_upper", q.upper, &upper_curve),
    ] {
        let theirs = num(native, side);
        report.r_default(
            &format!("{what} quantile(fit)/print(fit) {side}"),
            ours,
            theirs,
            "quantile(fit) and print(fit) read the median limits off the pointwise interval curves; the page's are Brookmeyer-Crowley",
            agree(r_findq(&times, curve, 0.5), theirs),
        );
    }
}

fn rate(
    report: &mut Report,
    what: &str,
    page: Option<(u64, u64, f64, f64, f64)>,
    row: &Row,
    name: &str,
) {
    let col = |suffix: &str| num(row, &format!("{name}{suffix}"));
    match page {
        Some((k, n, estimate, lower, upper)) => {
            report.count(&format!("{what} {name} k"), k as usize, col("_k"));
            report.count(&format!("{what} {name} n"), n as usize, col("_n"));
            report.same(&format!("{what} {name}"), Some(estimate), col(""));
            report.same(&format!("{what} {name} lower"), Some(lower), col("_lower"));
            report.same(&format!("{what} {name} upper"), Some(upper), col("_upper"));
        }
        // No rate: the denominator is 0.
        None => report.count(&format!("{what} {name} n"), 0, col("_n")),
    }
}

fn check_view(report: &mut Report, v: &View, dir: &Path) {
    if let Ok(error) = fs::read_to_string(dir.join("error.txt")) {
        report
            .failures
            .push(format!("{}: R stopped: {error}", v.name));
        return;
    }
    let c = &v.conventions;
    let (groups, columns) = page_columns(v);
    let patients = table(dir, "patients", &["column"]);
    let responses = table(dir, "responses", &["column"]);
    let medians = table(dir, "medians", &["endpoint", "column"]);
    let rates = table(dir, "rates", &["endpoint", "column", "time"]);
    let follow = table(dir, "follow_up", &["column"]);
    let native = table(dir, "native", &["endpoint", "column"]);
    let native_rates = table(dir, "native_rates", &["endpoint", "column", "time"]);
    let all: Vec<usize> = (0..v.cohort.len()).collect();
    let indices =
        std::iter::once(all.as_slice()).chain(groups.iter().map(|g| g.indices.as_slice()));
    let (mut page_curves, mut page_rates, mut page_follow_ups) = (0, 0, 0);
    for (column, idx) in columns.iter().zip(indices) {
        let a = &column.analysis;
        let what = format!("{} [{}]", v.name, column.label);
        let key = vec![column.label.clone()];
        let Some(row) = patients.get(&key) else {
            report.failures.push(format!("{what}: no patients row"));
            continue;
        };
        report.count(&format!("{what} patients"), a.n, num(row, "n"));
        if let Some(r) = &a.response {
            let Some(row) = responses.get(&key) else {
                report.failures.push(format!("{what}: no responses row"));
                continue;
            };
            let counts = r.counts;
            for (code, n) in [
                ("CR", counts.CR),
                ("PR", counts.PR),
                ("SD", counts.SD),
                ("PD", counts.PD),
                ("NE", counts.NE),
            ] {
                report.count(&format!("{what} {code}"), n as usize, num(row, code));
            }
            let t = |r: &Option<Rate>| r.map(|r| (r.k, r.n, r.estimate, r.lower, r.upper));
            rate(report, &what, t(&r.orr), row, "orr");
            rate(report, &what, t(&r.dcr), row, "dcr");
            if v.cohort.best_pct_change.is_some() {
                let (k, n) = r.tumor_reduction.map_or((0, 0), |t| (t.k, t.n));
                report.count(
                    &format!("{what} reduction k"),
                    k as usize,
                    num(row, "reduction_k"),
                );
                report.count(
                    &format!("{what} reduction n"),
                    n as usize,
                    num(row, "reduction_n"),
                );
            }
            if v.cohort.ttr.is_some() {
                let ttr = r.time_to_response;
                report.count(
                    &format!("{what} ttr n"),
                    ttr.map_or(0, |t| t.n as usize),
                    num(row, "ttr_n"),
                );
                report.same(
                    &format!("{what} ttr median"),
                    ttr.map(|t| t.median),
                    num(row, "ttr_median"),
                );
                report.same(
                    &format!("{what} ttr min"),
                    ttr.map(|t| t.min),
                    num(row, "ttr_min"),
                );
                report.same(
                    &format!("{what} ttr max"),
                    ttr.map(|t| t.max),
                    num(row, "ttr_max"),
                );
            }
        }
        // The table's curves: the duration of response (under the response,
        // with the ongoing responses), then every other endpoint.
        let dor = a
            .response
            .as_ref()
            .and_then(|r| r.duration_of_response.as_ref())
            .map(|d| (DOR, &d.curve, Some(d.ongoing)));
        let curves: Vec<(&str, &Curve, Option<Count>)> = dor
            .into_iter()
            .chain(
                a.endpoints
                    .0
                    .iter()
                    .map(|(k, curve)| (k.as_str(), curve, None)),
            )
            .collect();
        for (endpoint, curve, ongoing) in curves {
            page_curves += 1;
            page_rates += curve.landmarks.len();
            let what = format!("{what} {endpoint}");
            let key = vec![endpoint.to_string(), column.label.clone()];
            let Some(row) = medians.get(&key) else {
                report.failures.push(format!("{what}: no medians row"));
                continue;
            };
            report.count(&format!("{what} n"), curve.n, num(row, "n"));
            report.count(&format!("{what} events"), curve.events, num(row, "events"));
            report.count(
                &format!("{what} censored"),
                curve.censored,
                num(row, "censored"),
            );
            if let Some(ongoing) = ongoing {
                report.count(&format!("{what} ongoing"), ongoing.k, num(row, "censored"));
                report.count(&format!("{what} with a duration"), ongoing.n, num(row, "n"));
            }
            let km = fit(v.cohort.endpoint(endpoint).unwrap(), idx, false, c);
            check_median(report, &what, &curve.median, &km, row, native.get(&key), c);
            for l in &curve.landmarks {
                let what = format!("{what} S({})", l.time);
                let key = vec![
                    endpoint.to_string(),
                    column.label.clone(),
                    l.time.to_string(),
                ];
                let (Some(row), Some(native)) = (rates.get(&key), native_rates.get(&key)) else {
                    report.failures.push(format!("{what}: no rates row"));
                    continue;
                };
                // Past the last time both are undefined: "not estimable", NA.
                report.same(&what, l.survival, num(row, "surv"));
                report.same(&format!("{what} lower"), l.lower, num(row, "lower"));
                report.same(&format!("{what} upper"), l.upper, num(row, "upper"));
                let Some(survival) = l.survival else { continue };
                for (side, ours) in [("lower", l.lower), ("upper", l.upper)] {
                    report.r_default(
                        &format!("{what} summary(fit) {side}"),
                        ours,
                        num(native, side),
                        "survfit gives NA log-log limits where S(t) = 1; the page gives 1",
                        c.ci_transform == CiTransform::LogLog
                            && survival == 1.0
                            && ours == Some(1.0)
                            && num(native, side).is_none(),
                    );
                }
            }
        }
        if let Some(curve) = a.follow_up_curve() {
            page_follow_ups += 1;
            let what = format!("{what} follow-up");
            let Some(row) = follow.get(&key) else {
                report.failures.push(format!("{what}: no follow_up row"));
                continue;
            };
            let (endpoint, _) = a
                .endpoints
                .0
                .iter()
                .find(|(_, c)| std::ptr::eq(c, curve))
                .unwrap();
            if row["endpoint"] != *endpoint {
                report.failures.push(format!(
                    "{what}: page of {endpoint}, R of {}",
                    row["endpoint"]
                ));
                continue;
            }
            let km = fit(v.cohort.endpoint(endpoint).unwrap(), idx, true, c);
            check_median(
                report,
                &what,
                &curve.follow_up,
                &km,
                row,
                native.get(&vec!["follow-up".to_string(), column.label.clone()]),
                c,
            );
        }
    }
    if patients.len() != columns.len()
        || medians.len() != page_curves
        || rates.len() != page_rates
        || follow.len() != page_follow_ups
    {
        report.failures.push(format!(
            "{}: R has columns, curves or milestones the page does not show",
            v.name
        ));
    }
    check_comparisons(report, v, dir);
}

/// Log-rank tests and hazard ratios per endpoint, as the page's
/// Kaplan–Meier view computes them for the endpoint it shows.
fn check_comparisons(report: &mut Report, v: &View, dir: &Path) {
    let logrank = table(dir, "logrank", &["endpoint"]);
    let hazard_ratios = table(dir, "hazard_ratios", &["endpoint", "group"]);
    let (mut tests, mut terms) = (0, 0);
    if let Some(group) = v.group.as_deref() {
        for e in &v.cohort.endpoints {
            let what = format!("{} {}", v.name, e.key);
            let a = comparison(&v.cohort, e, group, &v.conventions);
            if let Some(test) = &a.logrank {
                tests += 1;
                let Some(row) = logrank.get(&vec![e.key.clone()]) else {
                    report.failures.push(format!("{what}: no logrank row"));
                    continue;
                };
                report.same(
                    &format!("{what} log-rank chi-square"),
                    Some(test.statistic),
                    num(row, "chisq"),
                );
                report.count(&format!("{what} log-rank df"), test.df, num(row, "df"));
                report.same(&format!("{what} log-rank p"), test.p_value, num(row, "p"));
            }
            let cox = match &a.cox {
                Some(cox) => cox,
                // The page fits no model where R's coxph warns that it did not
                // converge or that a coefficient may be infinite.
                None if a
                    .notes
                    .iter()
                    .any(|n| n.starts_with("Cox model not fitted")) =>
                {
                    let rows: Vec<_> = hazard_ratios
                        .iter()
                        .filter(|(k, _)| k[0] == e.key)
                        .collect();
                    terms += rows.len();
                    let warned =
                        !rows.is_empty() && rows.iter().all(|(_, r)| !r["cox_warning"].is_empty());
                    report.differs(
                        &format!("{what}: the page fits no Cox model, R's warnings {rows:?}"),
                        "coxph warns and prints a hazard ratio where the likelihood has no maximum; the page fits no model",
                        warned,
                    );
                    continue;
                }
                None => continue,
            };
            for term in &cox.terms {
                terms += 1;
                // Terms are named as R names them: the column, then the level.
                let level = term.label.strip_prefix(group).unwrap_or(&term.label);
                let what = format!("{what} HR {level}");
                let Some(row) = hazard_ratios.get(&vec![e.key.clone(), level.to_string()]) else {
                    report
                        .failures
                        .push(format!("{what}: no hazard_ratios row"));
                    continue;
                };
                if !row["cox_warning"].is_empty() {
                    report.failures.push(format!(
                        "{what}: coxph warned {:?}; the page fits the model",
                        row["cox_warning"]
                    ));
                }
                report.same(&what, term.hazard_ratio, num(row, "hr"));
                report.same(&format!("{what} lower"), term.lower, num(row, "lower"));
                report.same(&format!("{what} upper"), term.upper, num(row, "upper"));
            }
        }
    }
    if logrank.len() != tests || hazard_ratios.len() != terms {
        report
            .failures
            .push(format!("{}: R has tests the page does not show", v.name));
    }
}

fn check_study(id: &str) {
    if !r_available() {
        return;
    }
    let views = views(id);
    let root =
        std::env::temp_dir().join(format!("cohortscope-r-snippet-{}-{id}", std::process::id()));
    let dirs = write_views(&root, &views);
    run_r(&dirs);
    let mut report = Report::default();
    for (v, dir) in views.iter().zip(&dirs) {
        check_view(&mut report, v, dir);
    }
    let failed = !report.failures.is_empty();
    report.finish(id);
    if !failed {
        let _ = fs::remove_dir_all(&root);
    }
}

#[test]
fn lifileucel_melanoma() {
    check_study("lifileucel-melanoma");
}

#[test]
fn ln145_cervical() {
    check_study("ln145-cervical");
}

#[test]
fn herlev_til() {
    check_study("herlev-til");
}
