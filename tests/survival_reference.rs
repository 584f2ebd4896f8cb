//! Kaplan–Meier and log-rank results against R survival, lifelines and
//! statsmodels on real data sets shipped with those packages and on edge cases.
//!
//! Every expected value comes from `tests/fixtures/survival/*.csv`, written by
//! `scripts/reference/survival.R` and `scripts/reference/survival.py` (each
//! file's header names the library, its version and the call). Counts, times
//! and quantiles must agree exactly; every other value to
//! [`REFERENCE_REL`] (1e-9, relative). A disagreement that a named convention
//! explains is a *known difference*: it is checked to be exactly that
//! convention, counted and printed, never silently accepted.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI or a browser

#[path = "support/csv_rows.rs"]
mod csv_rows;
#[path = "support/r_findq.rs"]
mod r_findq;

use std::collections::HashMap;
use std::path::Path;

use cohortscope::stats::conventions::{CiTransform, MedianRule};
use cohortscope::stats::km::{kaplan_meier, median_follow_up, KaplanMeier};
use cohortscope::stats::logrank::{logrank, logrank_trend, logrank_two_sample, Weight};
use cohortscope::stats::prec::{close, REFERENCE_REL, SURVIVAL_EQ, TIME_TIE};
use csv_rows::csv_rows;
use r_findq::r_findq;

const FIXTURES: &str = "tests/fixtures/survival";

/// A chi-square statistic below this, where the reference has exactly 0, is
/// round-off of a zero (sums of O − E over identical groups).
const ROUND_OFF_ZERO: f64 = 1e-20;

/// One data set: time, status, group, stratum per subject.
struct Data {
    times: Vec<f64>,
    events: Vec<bool>,
    groups: Vec<usize>,
    strata: Vec<usize>,
}

fn data(name: &str) -> Data {
    let path = Path::new(FIXTURES).join("data").join(format!("{name}.csv"));
    let mut d = Data {
        times: vec![],
        events: vec![],
        groups: vec![],
        strata: vec![],
    };
    for r in csv_rows(&path) {
        d.times.push(r["time"].parse().unwrap());
        d.events.push(&r["status"] == "1");
        d.groups.push(r["group"].parse().unwrap());
        d.strata.push(r["stratum"].parse().unwrap());
    }
    d
}

fn fixture(file: &str) -> Vec<HashMap<String, String>> {
    csv_rows(&Path::new(FIXTURES).join(file))
}

fn opt(text: &str) -> Option<f64> {
    if text == "NA" || text.is_empty() {
        None
    } else {
        Some(text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}")))
    }
}

fn transform(name: &str) -> CiTransform {
    name.parse().unwrap()
}

/// Failures and known differences found while comparing.
#[derive(Default)]
struct Report {
    checked: usize,
    failures: Vec<String>,
    known: HashMap<&'static str, Vec<String>>,
}

impl Report {
    fn exact(&mut self, what: &str, ours: Option<f64>, expected: Option<f64>) {
        self.checked += 1;
        if ours != expected {
            self.failures
                .push(format!("{what}: ours {ours:?}, expected {expected:?}"));
        }
    }

    fn rel(&mut self, what: &str, ours: Option<f64>, expected: Option<f64>) {
        self.checked += 1;
        let ok = match (ours, expected) {
            (Some(a), Some(b)) => close(a, b, REFERENCE_REL),
            (None, None) => true,
            _ => false,
        };
        if !ok {
            self.failures
                .push(format!("{what}: ours {ours:?}, expected {expected:?}"));
        }
    }

    fn known(&mut self, convention: &'static str, what: String) {
        self.checked += 1;
        self.known.entry(convention).or_default().push(what);
    }

    fn finish(self, name: &str) {
        eprintln!("{name}: {} values checked", self.checked);
        for (convention, cases) in &self.known {
            eprintln!("  known difference ({} cases): {convention}", cases.len());
            for case in cases.iter().take(5) {
                eprintln!("    {case}");
            }
        }
        assert!(
            self.failures.is_empty(),
            "{name}: {} failures:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

fn fit(d: &Data, t: CiTransform, level: f64) -> KaplanMeier {
    kaplan_meier(&d.times, &d.events, t, level).unwrap()
}

/// Fits per (data set, transform, level), built once.
#[derive(Default)]
struct Fits(HashMap<(String, String, String), KaplanMeier>);

impl Fits {
    fn get(&mut self, dataset: &str, t: &str, level: &str) -> &KaplanMeier {
        self.0
            .entry((dataset.into(), t.into(), level.into()))
            .or_insert_with(|| fit(&data(dataset), transform(t), level.parse().unwrap()))
    }
}

#[test]
fn kaplan_meier_table_matches_r_survfit() {
    let mut report = Report::default();
    let mut fits = Fits::default();
    let mut next_row: HashMap<(String, String, String), usize> = HashMap::new();
    for r in fixture("r_km.csv") {
        let key = (
            r["dataset"].clone(),
            r["transform"].clone(),
            r["level"].clone(),
        );
        let i = *next_row
            .entry(key.clone())
            .and_modify(|i| *i += 1)
            .or_insert(0);
        let f = fits.get(&key.0, &key.1, &key.2);
        let what = format!("{} {} {} row {i}", key.0, key.1, key.2);
        let Some(row) = f.rows.get(i) else {
            report.failures.push(format!("{what}: missing"));
            continue;
        };
        let row = row.clone();
        report.exact(&format!("{what} time"), Some(row.time), opt(&r["time"]));
        report.exact(
            &format!("{what} n_risk"),
            Some(row.n_risk as f64),
            opt(&r["n_risk"]),
        );
        report.exact(
            &format!("{what} n_event"),
            Some(row.n_event as f64),
            opt(&r["n_event"]),
        );
        report.exact(
            &format!("{what} n_censor"),
            Some(row.n_censor as f64),
            opt(&r["n_censor"]),
        );
        report.rel(
            &format!("{what} survival"),
            Some(row.survival),
            opt(&r["survival"]),
        );
        report.rel(&format!("{what} std_err"), row.std_err, opt(&r["std_err"]));
        let (lower, upper) = (opt(&r["lower"]), opt(&r["upper"]));
        if key.1 == "log-log" && row.survival == 1.0 && lower.is_none() {
            // R's survfit_confint sets log-log limits to NA where S = 1; we
            // report [1, 1] (SAS, lifelines).
            if (row.lower, row.upper) == (Some(1.0), Some(1.0)) {
                report.known(
                    "R gives NA log-log limits where S = 1; ours are [1, 1]",
                    what,
                );
            } else {
                report.failures.push(format!(
                    "{what}: S = 1 but limits {:?}",
                    (row.lower, row.upper)
                ));
            }
            continue;
        }
        report.rel(&format!("{what} lower"), row.lower, lower);
        report.rel(&format!("{what} upper"), row.upper, upper);
    }
    for ((dataset, t, level), k) in &next_row {
        let f = fits.get(dataset, t, level);
        if f.rows.len() != k + 1 {
            report.failures.push(format!(
                "{dataset} {t} {level}: {} rows, R has {}",
                f.rows.len(),
                k + 1
            ));
        }
    }
    report.finish("R survfit");
}

#[test]
fn kaplan_meier_table_matches_lifelines_and_statsmodels() {
    let mut report = Report::default();
    let mut fits = Fits::default();
    let mut by_time: HashMap<String, HashMap<u64, usize>> = HashMap::new();
    let mut index = |f: &KaplanMeier, dataset: &str, t: f64| -> Option<usize> {
        let map = by_time.entry(dataset.to_string()).or_insert_with(|| {
            f.rows
                .iter()
                .enumerate()
                .map(|(i, r)| (r.time.to_bits(), i))
                .collect()
        });
        map.get(&t.to_bits()).copied()
    };
    for r in fixture("lifelines_km.csv") {
        let f = fits.get(&r["dataset"], "log-log", "0.95").clone();
        let t: f64 = r["time"].parse().unwrap();
        let what = format!("lifelines {} t={t}", r["dataset"]);
        let i = match index(&f, &r["dataset"], t) {
            Some(i) => i,
            None => match f.rows.iter().position(|row| close(row.time, t, TIME_TIE)) {
                // lifelines' event table can carry a time a few ulps away from
                // the input time (0.7 read back as 0.6999999999999998).
                Some(i) => {
                    report.known(
                        "lifelines reports a time a few ulps from the input time",
                        what.clone(),
                    );
                    i
                }
                None => {
                    report.failures.push(format!("{what}: no such row"));
                    continue;
                }
            },
        };
        let row = &f.rows[i];
        report.exact(
            &format!("{what} n_risk"),
            Some(row.n_risk as f64),
            opt(&r["n_risk"]),
        );
        report.exact(
            &format!("{what} n_event"),
            Some(row.n_event as f64),
            opt(&r["n_event"]),
        );
        report.exact(
            &format!("{what} n_censor"),
            Some(row.n_censor as f64),
            opt(&r["n_censor"]),
        );
        report.rel(
            &format!("{what} survival"),
            Some(row.survival),
            opt(&r["survival"]),
        );
        let (lower, upper) = (opt(&r["lower"]), opt(&r["upper"]));
        if row.survival == 0.0 && row.lower.is_none() {
            // lifelines reports limits (NaN or 0) where S = 0; we report none.
            report.known(
                "lifelines gives limits where S = 0; ours are None",
                format!("{what} {lower:?} {upper:?}"),
            );
            continue;
        }
        report.rel(&format!("{what} lower"), row.lower, lower);
        report.rel(&format!("{what} upper"), row.upper, upper);
    }
    for r in fixture("statsmodels_km.csv") {
        let f = fits.get(&r["dataset"], "log-log", "0.95").clone();
        let t: f64 = r["time"].parse().unwrap();
        let what = format!("statsmodels {} t={t}", r["dataset"]);
        let Some(i) = f.rows.iter().position(|row| row.time == t) else {
            report.failures.push(format!("{what}: no such row"));
            continue;
        };
        let row = &f.rows[i];
        report.exact(
            &format!("{what} n_risk"),
            Some(row.n_risk as f64),
            opt(&r["n_risk"]),
        );
        report.exact(
            &format!("{what} n_event"),
            Some(row.n_event as f64),
            opt(&r["n_event"]),
        );
        report.rel(
            &format!("{what} survival"),
            Some(row.survival),
            opt(&r["survival"]),
        );
        report.rel(&format!("{what} std_err"), row.std_err, opt(&r["std_err"]));
    }
    report.finish("lifelines + statsmodels KM");
}

#[test]
fn quantiles_match_r_estimates_and_statsmodels_brookmeyer_crowley_limits() {
    let mut report = Report::default();
    let mut fits = Fits::default();
    for r in fixture("r_quantile.csv") {
        let (dataset, t, level) = (&r["dataset"], &r["transform"], &r["level"]);
        let p: f64 = r["p"].parse().unwrap();
        let what = format!("R {dataset} {} {t} {level} p={p}", r["direction"]);
        let q = if r["direction"] == "reverse" {
            let d = data(dataset);
            median_follow_up(
                &d.times,
                &d.events,
                transform(t),
                level.parse().unwrap(),
                MedianRule::Midpoint,
            )
            .unwrap()
        } else {
            fits.get(dataset, t, level)
                .quantile(p, MedianRule::Midpoint)
                .unwrap()
        };
        report.exact(&format!("{what} estimate"), q.estimate, opt(&r["estimate"]));
        // R reads its limits off the pointwise CI curves (quantile.survfit);
        // ours are Brookmeyer–Crowley as SAS. The curve reading, replayed on
        // our own curves, must give R's limits exactly; where Brookmeyer–
        // Crowley differs from it, that is the known difference.
        let f = if r["direction"] == "reverse" {
            let d = data(dataset);
            let rev: Vec<bool> = d.events.iter().map(|e| !e).collect();
            kaplan_meier(&d.times, &rev, transform(t), level.parse().unwrap()).unwrap()
        } else {
            fits.get(dataset, t, level).clone()
        };
        let (lo, hi) = (opt(&r["lower"]), opt(&r["upper"]));
        let times: Vec<f64> = f.rows.iter().map(|row| row.time).collect();
        let lower_curve: Vec<Option<f64>> = f.rows.iter().map(|row| row.lower).collect();
        let upper_curve: Vec<Option<f64>> = f.rows.iter().map(|row| row.upper).collect();
        report.exact(
            &format!("{what} lower (R curve reading)"),
            r_findq(&times, &lower_curve, p),
            lo,
        );
        report.exact(
            &format!("{what} upper (R curve reading)"),
            r_findq(&times, &upper_curve, p),
            hi,
        );
        for (side, ours, theirs) in [("lower", q.lower, lo), ("upper", q.upper, hi)] {
            if ours == theirs {
                report.checked += 1;
            } else {
                report.known(
                    "R quantile.survfit limits are read off the CI curves (R's findq); ours are Brookmeyer–Crowley as SAS/statsmodels",
                    format!("{what} {side}: ours {ours:?}, R {theirs:?}"),
                );
            }
        }
    }
    for r in fixture("statsmodels_quantile.csv") {
        let (dataset, t) = (&r["dataset"], &r["transform"]);
        let p: f64 = r["p"].parse().unwrap();
        let what = format!("statsmodels {dataset} {t} p={p}");
        let f = fits.get(dataset, t, "0.95");
        let q = f.quantile(p, MedianRule::FirstLeHalf).unwrap();
        report.exact(&format!("{what} lower"), q.lower, opt(&r["lower"]));
        report.exact(&format!("{what} upper"), q.upper, opt(&r["upper"]));
        let expected = opt(&r["estimate"]);
        if q.estimate != expected {
            // statsmodels (and SAS, per its comment) take the first time with
            // S < 1 − p strictly; FirstLeHalf takes S ≤ 1 − p. They differ
            // exactly where S equals 1 − p.
            let at = q
                .estimate
                .and_then(|e| f.survival_at(e))
                .map(|s| s.survival);
            if at.is_some_and(|s| (s - (1.0 - p)).abs() <= SURVIVAL_EQ) {
                report.known(
                    "statsmodels quantile uses S < 1 − p (strict); FirstLeHalf uses S ≤ 1 − p",
                    what,
                );
            } else {
                report.failures.push(format!(
                    "{what} estimate: ours {:?}, expected {expected:?}",
                    q.estimate
                ));
            }
        } else {
            report.checked += 1;
        }
    }
    // lifelines' own Ŝ per (data set, time), to show where its comparison slips.
    let lifelines_s: HashMap<(String, u64), f64> = fixture("lifelines_km.csv")
        .into_iter()
        .map(|r| {
            (
                (
                    r["dataset"].clone(),
                    r["time"].parse::<f64>().unwrap().to_bits(),
                ),
                r["survival"].parse().unwrap(),
            )
        })
        .collect();
    for r in fixture("lifelines_quantile.csv") {
        let dataset = &r["dataset"];
        let p: f64 = r["p"].parse().unwrap();
        let f = fits.get(dataset, "log-log", "0.95");
        let q = f.quantile(p, MedianRule::FirstLeHalf).unwrap();
        let expected = opt(&r["estimate"]);
        let what = format!("lifelines {dataset} p={p}");
        if q.estimate != expected {
            // lifelines compares the floating-point product with 1 − p
            // exactly, so an S equal to 1 − p that rounds up moves its
            // quantile one event time later.
            let theirs = q
                .estimate
                .and_then(|e| lifelines_s.get(&(dataset.clone(), e.to_bits())).copied());
            if theirs.is_some_and(|s| s > 1.0 - p && (s - (1.0 - p)).abs() <= SURVIVAL_EQ) {
                report.known(
                    "lifelines misses S = 1 − p when the product rounds above it",
                    what.clone(),
                );
            } else {
                report.failures.push(format!(
                    "{what} estimate: ours {:?}, expected {expected:?}",
                    q.estimate
                ));
            }
        } else {
            report.checked += 1;
        }
        let (lo, hi) = (opt(&r["lower"]), opt(&r["upper"]));
        // lifelines reads its limits off the CI curves: the first time each
        // curve is ≤ 1 − p (its limits are 0 where S = 0). Replayed on our
        // curves this must give lifelines' limits; Brookmeyer–Crowley may differ.
        let first_le = |curve: fn(&cohortscope::stats::km::KmRow) -> Option<f64>| {
            f.rows
                .iter()
                .find(|row| curve(row).unwrap_or(0.0) <= 1.0 - p)
                .map(|row| row.time)
        };
        report.exact(
            &format!("{what} lower (curve reading)"),
            first_le(|row| row.lower),
            lo,
        );
        report.exact(
            &format!("{what} upper (curve reading)"),
            first_le(|row| row.upper),
            hi,
        );
        for (side, ours, theirs) in [("lower", q.lower, lo), ("upper", q.upper, hi)] {
            if ours == theirs {
                report.checked += 1;
            } else {
                report.known(
                    "lifelines quantile limits are the first times the CI curves are ≤ 1 − p; ours are Brookmeyer–Crowley",
                    format!("{what} {side}: ours {ours:?}, lifelines {theirs:?}"),
                );
            }
        }
    }
    report.finish("quantiles");
}

#[test]
fn restricted_mean_matches_r_print_rmean() {
    let mut report = Report::default();
    for r in fixture("r_rmst.csv") {
        let d = data(&r["dataset"]);
        let tau: f64 = r["tau"].parse().unwrap();
        let what = format!("{} tau={tau}", r["dataset"]);
        let m = fit(&d, CiTransform::Log, 0.95).rmst(tau).unwrap();
        report.rel(&format!("{what} rmean"), Some(m.estimate), opt(&r["rmean"]));
        report.rel(&format!("{what} se"), Some(m.std_err), opt(&r["se_rmean"]));
    }
    report.finish("R rmean");
}

fn weight_of(r: &HashMap<String, String>) -> Weight {
    match r["weight"].as_str() {
        "logrank" => Weight::LogRank,
        "gehan-breslow" => Weight::GehanBreslow,
        "tarone-ware" => Weight::TaroneWare,
        "fh" => Weight::FlemingHarrington {
            p: r["p"].parse().unwrap(),
            q: r["q"].parse().unwrap(),
        },
        other => panic!("unknown weight {other}"),
    }
}

fn list(text: &str) -> Option<Vec<f64>> {
    (!text.is_empty()).then(|| text.split(';').map(|x| x.parse().unwrap()).collect())
}

#[test]
fn log_rank_tests_match_r_lifelines_and_statsmodels() {
    let mut report = Report::default();
    for file in ["r_logrank.csv", "py_logrank.csv"] {
        for r in fixture(file) {
            let d = data(&r["dataset"]);
            let strata = (r["stratified"] == "TRUE").then_some(d.strata.as_slice());
            let weight = weight_of(&r);
            let what = format!("{} {} {}", r["dataset"], r["library"], r["call"]);
            let t = logrank(&d.times, &d.events, &d.groups, strata, weight).unwrap();
            let (statistic, p_value) = (opt(&r["statistic"]), opt(&r["p_value"]));
            if statistic == Some(0.0) && t.statistic.abs() < ROUND_OFF_ZERO {
                // Identical groups: the statistic is zero, ours up to round-off.
                report.known(
                    "statistic exactly 0 in the reference, round-off in ours",
                    what.clone(),
                );
            } else {
                report.rel(&format!("{what} statistic"), Some(t.statistic), statistic);
            }
            report.exact(&format!("{what} df"), Some(t.df as f64), opt(&r["df"]));
            if p_value == Some(0.0)
                && r["library"] == "statsmodels"
                && t.p_value > 0.0
                && t.p_value < 1e-15
            {
                // statsmodels returns 1 − cdf, which underflows to 0.
                report.known(
                    "statsmodels p-value underflows to 0 (1 − cdf); ours is the upper tail",
                    what.clone(),
                );
            } else {
                report.rel(&format!("{what} p"), Some(t.p_value), p_value);
            }
            if let (Some(o), Some(e)) = (list(&r["observed"]), list(&r["expected"])) {
                for j in 0..o.len() {
                    report.rel(
                        &format!("{what} O[{j}]"),
                        t.observed.get(j).copied(),
                        Some(o[j]),
                    );
                    report.rel(
                        &format!("{what} E[{j}]"),
                        t.expected.get(j).copied(),
                        Some(e[j]),
                    );
                }
            }
            if r["call"] == "logrank_test" {
                let second: Vec<bool> = d.groups.iter().map(|&g| g == 1).collect();
                let two = logrank_two_sample(&d.times, &d.events, &second, None, weight).unwrap();
                report.rel(
                    &format!("{what} two-sample"),
                    Some(two.statistic),
                    opt(&r["statistic"]),
                );
            }
        }
    }
    report.finish("log-rank");
}

#[test]
fn landmark_survival_matches_r_summary_times() {
    let mut report = Report::default();
    let mut fits = Fits::default();
    for r in fixture("r_landmark.csv") {
        let (dataset, t, level) = (&r["dataset"], &r["transform"], &r["level"]);
        let time: f64 = r["time"].parse().unwrap();
        let what = format!("{dataset} {t} {level} t={time}");
        let Some(s) = fits.get(dataset, t, level).survival_at(time) else {
            report.failures.push(format!("{what}: no estimate"));
            continue;
        };
        report.rel(
            &format!("{what} survival"),
            Some(s.survival),
            opt(&r["survival"]),
        );
        report.rel(&format!("{what} std_err"), s.std_err, opt(&r["std_err"]));
        let (lower, upper) = (opt(&r["lower"]), opt(&r["upper"]));
        if t == "log-log" && s.survival == 1.0 && lower.is_none() {
            report.known(
                "R gives NA log-log limits where S = 1; ours are [1, 1]",
                what,
            );
            continue;
        }
        report.rel(&format!("{what} lower"), s.lower, lower);
        report.rel(&format!("{what} upper"), s.upper, upper);
    }
    report.finish("R landmarks");
}

#[test]
fn trend_test_matches_r_survdiff_matrices() {
    let mut report = Report::default();
    for r in fixture("r_trend.csv") {
        let d = data(&r["dataset"]);
        let stratified = r["stratified"] == "TRUE";
        let strata = stratified.then_some(d.strata.as_slice());
        let k = d.groups.iter().max().unwrap() + 1;
        let scores: Vec<f64> = (0..k).map(|j| j as f64).collect();
        let t = logrank_trend(
            &d.times,
            &d.events,
            &d.groups,
            strata,
            Weight::LogRank,
            &scores,
        )
        .unwrap();
        let what = format!("{} stratified={stratified}", r["dataset"]);
        if opt(&r["statistic"]) == Some(0.0) && t.statistic < ROUND_OFF_ZERO {
            report.known(
                "statistic exactly 0 in the reference, round-off in ours",
                what,
            );
            continue;
        }
        report.rel(&format!("{what} z"), Some(t.z), opt(&r["z"]));
        report.rel(
            &format!("{what} statistic"),
            Some(t.statistic),
            opt(&r["statistic"]),
        );
        report.rel(&format!("{what} p"), Some(t.p_value), opt(&r["p_value"]));
    }
    report.finish("R trend");
}
