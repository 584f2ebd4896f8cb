//! The time-to-event table's numbers (per arm, and each arm against the
//! reference arm) against R survival 3.5-3 and survRM2's definitions, on the
//! ADaM data set random_cdisc_data and a seeded generated one. Fixtures:
//! `tests/fixtures/tables/tte_r.csv` (references), `generated_tte.csv` and
//! `adam_tte_patients.csv` (per-patient times), all written by
//! `scripts/reference/tables_tte.R` (see the README there); each reference
//! row names the R version and the call that produced it.
//!
//! Every reference value is compared: counts exactly, everything else at
//! [`REFERENCE_REL`] (1e-9 relative); R's NA must be our `None`. A reference
//! field without a counterpart here fails the test. Three known differences
//! are each checked to be exactly what they say, counted and printed:
//!
//! * at a time point after an arm's last observed time, R's `summary(...,
//!   extend = TRUE)` carries the last Ŝ forward with n at risk 0, where we
//!   (as tern) have no estimate (`None`);
//! * a quartile's upper limit where Ŝ drops to 0 before the upper CI curve
//!   reaches 1 − p: R reads its limits off the CI curves, which are NA at
//!   Ŝ = 0 (NA, not reached); Brookmeyer–Crowley gives the time Ŝ reaches 0;
//! * a likelihood-ratio statistic near 0, known only to a few ulps of the
//!   log-likelihood ([`LR_ULPS`]).
//!
//! Run with `--nocapture` to see the largest relative error of each group.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files

#[path = "support/csv_rows.rs"]
mod csv_rows;
#[path = "../../tests/support/reference.rs"]
mod reference;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use cohortscope_stats::conventions::{CiTransform, MedianRule, Ties};
use cohortscope_stats::cox::{cox_fit, CoxFit, CoxOptions, Design};
use cohortscope_stats::km::{difference_at, kaplan_meier, rmst_difference, KaplanMeier};
use cohortscope_stats::logrank::{logrank, Weight};
use cohortscope_stats::prec::REFERENCE_REL;
use csv_rows::csv_rows;
use reference::{check, rel_err};

/// Every value but the counts (which are exact): relative, against R.
const TOL: f64 = REFERENCE_REL;
/// The confidence level of every interval in the fixture.
const LEVEL: f64 = 0.95;
/// The time points (months) of the fixture's `tp6_*`, `tp12_*` fields.
const TIME_POINTS: [f64; 2] = [6.0, 12.0];

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/tables/");

type Row = HashMap<String, String>;

fn rows(name: &str) -> Vec<Row> {
    csv_rows(&Path::new(FIXTURES).join(name))
}

fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|e| panic!("{text:?} is not a number: {e}"))
}

/// One patient's time for one endpoint.
struct Patient {
    arm: String,
    stratum: String,
    months: f64,
    event: bool,
}

/// (data set, endpoint) → patients, from the two per-patient files.
fn patients() -> BTreeMap<(String, String), Vec<Patient>> {
    let mut out: BTreeMap<(String, String), Vec<Patient>> = BTreeMap::new();
    for r in rows("generated_tte.csv") {
        for endpoint in ["os", "pfs", "dor"] {
            let months = &r[&format!("{endpoint}_months")];
            if months.is_empty() {
                continue;
            }
            out.entry(("generated".into(), endpoint.into()))
                .or_default()
                .push(Patient {
                    arm: r["arm"].clone(),
                    stratum: r["stratum"].clone(),
                    months: number(months),
                    event: r[&format!("{endpoint}_event")] == "1",
                });
        }
    }
    for r in rows("adam_tte_patients.csv") {
        out.entry(("random_cdisc_data".into(), r["endpoint"].clone()))
            .or_default()
            .push(Patient {
                arm: r["arm"].clone(),
                stratum: r["stratum"].clone(),
                months: number(&r["months"]),
                event: r["event"] == "1",
            });
    }
    out
}

/// (arm, reference, conf_type, field) → our value; `None` is undefined.
type Ours = HashMap<(String, String, String, String), Option<f64>>;

/// Subjects with time ≥ t (R `summary(fit, times = t)$n.risk`): `n_risk` of
/// the first row at or after t, 0 after the last row.
fn n_risk_at(fit: &KaplanMeier, t: f64) -> usize {
    fit.rows
        .iter()
        .find(|r| r.time >= t)
        .map_or(0, |r| r.n_risk)
}

/// One arm's times and events.
fn arm_data(patients: &[Patient], arm: &str) -> (Vec<f64>, Vec<bool>) {
    patients
        .iter()
        .filter(|p| p.arm == arm)
        .map(|p| (p.months, p.event))
        .unzip()
}

/// Every value of one (data set, endpoint), keyed as the fixture keys them,
/// and per arm the time at which Ŝ reaches 0 (if it does).
fn ours(patients: &[Patient], reference: &str) -> (Ours, HashMap<String, f64>) {
    let mut out = Ours::new();
    let mut zero_at = HashMap::new();
    let arms: BTreeSet<&str> = patients.iter().map(|p| p.arm.as_str()).collect();
    let tau = arms
        .iter()
        .map(|&a| arm_data(patients, a).0.into_iter().fold(0.0, f64::max))
        .fold(f64::INFINITY, f64::min);
    let mut fits: HashMap<&str, KaplanMeier> = HashMap::new();
    for &arm in &arms {
        let mut put = |conf_type: &str, field: &str, value: Option<f64>| {
            let key = (arm.into(), String::new(), conf_type.into(), field.into());
            assert!(out.insert(key, value).is_none(), "{arm} {field} twice");
        };
        let (times, events) = arm_data(patients, arm);
        for transform in [CiTransform::LogLog, CiTransform::Plain, CiTransform::Log] {
            let ct = transform.as_str();
            let fit = kaplan_meier(&times, &events, transform, LEVEL).unwrap();
            for (p, key) in [(0.25, "q25"), (0.5, "median"), (0.75, "q75")] {
                let q = fit.quantile(p, MedianRule::Midpoint).unwrap();
                put(ct, &format!("{key}_lower"), q.lower);
                put(ct, &format!("{key}_upper"), q.upper);
            }
            for t in TIME_POINTS {
                let s = fit.survival_at(t);
                put(ct, &format!("tp{t}_lower"), s.and_then(|s| s.lower));
                put(ct, &format!("tp{t}_upper"), s.and_then(|s| s.upper));
            }
        }
        // Everything else does not depend on the transform.
        let fit = kaplan_meier(&times, &events, CiTransform::LogLog, LEVEL).unwrap();
        let count = |n: usize| Some(n as f64);
        let flag = |b: bool| Some(f64::from(u8::from(b)));
        put("", "n", count(fit.n));
        put("", "events", count(fit.events));
        let range = fit.time_range().unwrap();
        put("", "min", Some(range.min));
        put("", "max", Some(range.max));
        put("", "min_censored", flag(range.min_censored));
        put("", "max_censored", flag(range.max_censored));
        for (p, key) in [(0.25, "q25"), (0.5, "median"), (0.75, "q75")] {
            put(
                "",
                key,
                fit.quantile(p, MedianRule::Midpoint).unwrap().estimate,
            );
        }
        for t in TIME_POINTS {
            let s = fit.survival_at(t);
            put("", &format!("tp{t}_n_risk"), count(n_risk_at(&fit, t)));
            put("", &format!("tp{t}_rate"), s.map(|s| s.survival));
            put("", &format!("tp{t}_se"), s.and_then(|s| s.std_err));
        }
        let rmst = fit.rmst(tau).unwrap();
        put("", "rmst_tau", Some(rmst.tau));
        put("", "rmst", Some(rmst.estimate));
        put("", "rmst_se", Some(rmst.std_err));
        put("", "rmst_lower", Some(rmst.lower));
        put("", "rmst_upper", Some(rmst.upper));
        if let Some(row) = fit.rows.iter().find(|r| r.survival == 0.0) {
            zero_at.insert(arm.to_string(), row.time);
        }
        fits.insert(arm, fit);
    }

    let strata_names: BTreeSet<&str> = patients.iter().map(|p| p.stratum.as_str()).collect();
    let stratum_index = |s: &str| strata_names.iter().position(|&n| n == s).unwrap();
    for &arm in arms.iter().filter(|&&a| a != reference) {
        let mut put = |field: &str, value: Option<f64>| {
            let key = (arm.into(), reference.into(), String::new(), field.into());
            assert!(out.insert(key, value).is_none(), "{arm} {field} twice");
        };
        let two: Vec<&Patient> = patients
            .iter()
            .filter(|p| p.arm == arm || p.arm == reference)
            .collect();
        let times: Vec<f64> = two.iter().map(|p| p.months).collect();
        let events: Vec<bool> = two.iter().map(|p| p.event).collect();
        // 0 = reference, 1 = arm: HR = hazard(arm) / hazard(reference).
        let groups: Vec<usize> = two.iter().map(|p| usize::from(p.arm == arm)).collect();
        let strata: Vec<usize> = two.iter().map(|p| stratum_index(&p.stratum)).collect();
        for (prefix, strata) in [("", None), ("strat_", Some(strata.as_slice()))] {
            let t = logrank(&times, &events, &groups, strata, Weight::LogRank).unwrap();
            assert_eq!(t.df, 1);
            put(&format!("{prefix}logrank_chisq"), Some(t.statistic));
            put(&format!("{prefix}logrank_p"), Some(t.p_value));
        }
        let indicator: Vec<f64> = groups.iter().map(|&g| g as f64).collect();
        let design = Design::new().numeric("arm", &indicator);
        let cox = |ties: Ties, strata: Option<&[usize]>| -> CoxFit {
            let options = CoxOptions {
                ties,
                conf_level: LEVEL,
                max_iterations: 100,
                ..CoxOptions::default()
            };
            cox_fit(&times, &events, &design, strata, &options).unwrap()
        };
        for (prefix, fit, global) in [
            ("", cox(Ties::Efron, None), true),
            ("breslow_", cox(Ties::Breslow, None), true),
            ("strat_", cox(Ties::Efron, Some(&strata)), false),
        ] {
            let term = &fit.terms[0];
            put(&format!("{prefix}hr"), Some(term.hazard_ratio));
            put(&format!("{prefix}hr_lower"), Some(term.lower));
            put(&format!("{prefix}hr_upper"), Some(term.upper));
            put(&format!("{prefix}p_wald"), Some(term.p_value));
            if global {
                put(&format!("{prefix}loglik"), Some(fit.loglik));
                put(
                    &format!("{prefix}lr_chisq"),
                    Some(fit.likelihood_ratio.statistic),
                );
                put(&format!("{prefix}p_lr"), Some(fit.likelihood_ratio.p_value));
                put(&format!("{prefix}p_score"), Some(fit.score.p_value));
            }
        }
        let (a, r) = (&fits[arm], &fits[reference]);
        for t in TIME_POINTS {
            let d = difference_at(a, r, t);
            put(&format!("tp{t}_diff"), d.map(|d| d.estimate));
            put(&format!("tp{t}_diff_lower"), d.and_then(|d| d.lower));
            put(&format!("tp{t}_diff_upper"), d.and_then(|d| d.upper));
            put(&format!("tp{t}_diff_p"), d.and_then(|d| d.p_value));
        }
        let d = rmst_difference(a, r, tau).unwrap();
        put("rmst_diff", Some(d.estimate));
        put("rmst_diff_lower", Some(d.lower));
        put("rmst_diff_upper", Some(d.upper));
        put("rmst_diff_p", d.p_value);
    }
    (out, zero_at)
}

/// Fields that are counts or 0/1 flags: compared exactly.
fn is_count(field: &str) -> bool {
    matches!(field, "n" | "events" | "min_censored" | "max_censored") || field.ends_with("_n_risk")
}

/// The group a field's agreement is reported under.
fn group(field: &str, conf_type: &str) -> String {
    let base = field.trim_end_matches("_lower").trim_end_matches("_upper");
    let name = match base.strip_prefix("tp") {
        Some(rest) => match rest.trim_start_matches(char::is_numeric) {
            "" | "_rate" => "rate at time point",
            "_se" => "rate SE at time point",
            "_diff" => "rate difference",
            "_diff_p" => "rate difference p",
            other => panic!("unknown time-point field {other}"),
        },
        None => match base {
            "min" | "max" => "range",
            "q25" | "median" | "q75" => base,
            "hr" | "p_wald" | "p_lr" | "p_score" | "loglik" | "lr_chisq" => "cox efron",
            b if b.starts_with("breslow_") => "cox breslow",
            b if b.starts_with("strat_logrank") || b.starts_with("logrank") => "log-rank",
            b if b.starts_with("strat_") => "cox stratified",
            b if b.starts_with("rmst_diff") => "rmst difference",
            b if b.starts_with("rmst") => "rmst",
            other => panic!("unknown field {other}"),
        },
    };
    let limits = if base == field { "" } else { " limits" };
    let transform = if conf_type.is_empty() {
        String::new()
    } else {
        format!(" [{conf_type}]")
    };
    format!("{name}{limits}{transform}")
}

/// The known differences, each checked to be exactly what it says.
const AFTER_LAST_TIME: &str = "time point after an arm's last time: R summary(extend = TRUE) carries S forward with n.risk 0; ours None (tern: NA)";
const UPPER_AT_ZERO: &str = "quantile upper limit where S drops to 0: R's limit curves are NA there and never reach 1 - p (NA); Brookmeyer-Crowley gives the time S reaches 0";
const LR_CANCELLATION: &str = "LR statistic near 0: 2(loglik - loglik0) agrees within LR_ULPS ulps of |loglik| (cancellation), the p-value not to 1e-9";

/// The likelihood-ratio statistic 2(ℓ(β̂) − ℓ(0)) is a difference of two
/// log-likelihoods of size |ℓ|, each a sum over the events computed in its
/// own order: it is known to a few ulps of |ℓ| only (ℓ is flat at β̂, so the
/// 1e-9 agreement of β̂ does not move it). Near 0 (no arm effect) that is
/// far from 1e-9 of the statistic: random_cdisc_data os, A vs B, has
/// ℓ ≈ −619 and a statistic of 3.8e-8 (6e-11 of |ℓ|), where 5 ulps of |ℓ|
/// are 1.8e-5 of it. Allowed there: this many ulps of |ℓ|.
const LR_ULPS: f64 = 64.0;

/// Failures and known differences found while comparing.
#[derive(Default)]
struct Report {
    /// group → (label, ours, R) of the non-count values.
    values: BTreeMap<String, Vec<(String, f64, f64)>>,
    counts: usize,
    undefined: usize,
    known: BTreeMap<&'static str, Vec<String>>,
    failures: Vec<String>,
}

/// (data set, endpoint, arm, reference, conf_type, field) of a fixture row.
type Key<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a str);

fn key(r: &Row) -> Key<'_> {
    (
        &r["dataset"],
        &r["endpoint"],
        &r["arm"],
        &r["reference"],
        &r["conf_type"],
        &r["field"],
    )
}

#[test]
fn time_to_event_table_matches_r_survival_and_survrm2() {
    let reference_rows = rows("tte_r.csv");
    let r_value: HashMap<Key, Option<f64>> = reference_rows
        .iter()
        .map(|r| (key(r), (r["value"] != "NA").then(|| number(&r["value"]))))
        .collect();
    assert_eq!(
        r_value.len(),
        reference_rows.len(),
        "a key twice in tte_r.csv"
    );
    let data = patients();
    let mut report = Report::default();
    let mut by_endpoint: BTreeMap<(&str, &str), Vec<&Row>> = BTreeMap::new();
    for r in &reference_rows {
        by_endpoint
            .entry((r["dataset"].as_str(), r["endpoint"].as_str()))
            .or_default()
            .push(r);
    }
    assert_eq!(
        by_endpoint.keys().count(),
        data.len(),
        "one reference set per (data set, endpoint) of the patient files"
    );
    for ((dataset, endpoint), refs) in by_endpoint {
        let references: BTreeSet<&str> = refs
            .iter()
            .map(|r| r["reference"].as_str())
            .filter(|r| !r.is_empty())
            .collect();
        assert_eq!(
            references.len(),
            1,
            "{dataset} {endpoint}: one reference arm"
        );
        let reference = references.into_iter().next().unwrap();
        let patients = &data[&(dataset.to_string(), endpoint.to_string())];
        let (ours, zero_at) = ours(patients, reference);
        assert_eq!(
            refs.len(),
            ours.len(),
            "{dataset} {endpoint}: as many values computed as reference rows"
        );
        for r in refs {
            let k = key(r);
            let (_, _, arm, vs, ct, field) = k;
            let label = format!("{dataset} {endpoint} {arm} {vs} {ct} {field}");
            let actual = *ours
                .get(&(arm.into(), vs.into(), ct.into(), field.into()))
                .unwrap_or_else(|| panic!("{label}: no counterpart computed"));
            let expected = r_value[&k];
            if is_count(field) {
                report.counts += 1;
                if actual != expected {
                    report
                        .failures
                        .push(format!("{label}: ours {actual:?}, R {expected:?}"));
                }
                continue;
            }
            // A time-point value of an arm whose n at risk there is 0 in R.
            if let Some(point) = field.strip_prefix("tp") {
                let t = point.split('_').next().unwrap();
                let n_risk = format!("tp{t}_n_risk");
                let beyond = [arm, vs].into_iter().filter(|a| !a.is_empty()).any(|a| {
                    r_value[&(dataset, endpoint, a, "", "", n_risk.as_str())] == Some(0.0)
                });
                if beyond {
                    match actual {
                        None => report.known.entry(AFTER_LAST_TIME).or_default().push(label),
                        Some(_) => report
                            .failures
                            .push(format!("{label}: after the last time ours is {actual:?}")),
                    }
                    continue;
                }
            }
            match (actual, expected) {
                (None, None) => report.undefined += 1,
                (Some(a), None)
                    if field.ends_with("_upper")
                        && field.starts_with('q')
                        && zero_at.get(arm) == Some(&a) =>
                {
                    report
                        .known
                        .entry(UPPER_AT_ZERO)
                        .or_default()
                        .push(format!("{label}: ours {a}, R NA"));
                }
                (Some(a), Some(e))
                    if (field.ends_with("lr_chisq") || field.ends_with("p_lr"))
                        && rel_err(a, e) > TOL =>
                {
                    let prefix = field.trim_end_matches("lr_chisq").trim_end_matches("p_lr");
                    let get = |f: &str| {
                        let r = r_value[&(
                            dataset,
                            endpoint,
                            arm,
                            vs,
                            ct,
                            format!("{prefix}{f}").as_str(),
                        )];
                        let o = ours[&(arm.into(), vs.into(), ct.into(), format!("{prefix}{f}"))];
                        (o.unwrap(), r.unwrap())
                    };
                    let ((lr, lr_r), (_, loglik_r)) = (get("lr_chisq"), get("loglik"));
                    let ulps = (lr - lr_r).abs() / (f64::EPSILON * loglik_r.abs());
                    let what = format!(
                        "{label}: ours {a:e}, R {e:e} (rel {:.1e}; LR {ulps:.1} ulps of |loglik|)",
                        rel_err(a, e)
                    );
                    if ulps <= LR_ULPS {
                        report.known.entry(LR_CANCELLATION).or_default().push(what);
                    } else {
                        report.failures.push(what);
                    }
                }
                (Some(a), Some(e)) => report
                    .values
                    .entry(group(field, ct))
                    .or_default()
                    .push((label, a, e)),
                _ => report
                    .failures
                    .push(format!("{label}: ours {actual:?}, R {expected:?}")),
            }
        }
    }
    println!(
        "{} counts exact, {} undefined (R NA = ours None)",
        report.counts, report.undefined
    );
    for (what, cases) in &report.known {
        println!("known difference ({} values): {what}", cases.len());
        for case in cases.iter().take(6) {
            println!("    {case}");
        }
    }
    assert!(!report.values.is_empty(), "nothing was compared");
    for (group, values) in &report.values {
        let worst = values
            .iter()
            .map(|(label, a, e)| (rel_err(*a, *e), label.as_str()))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap();
        println!(
            "{group}: {} values, max rel err {:.1e} ({})",
            values.len(),
            worst.0,
            worst.1
        );
    }
    assert!(
        report.failures.is_empty(),
        "{} failures:\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
    for (group, values) in report.values {
        check(&group, &values, TOL);
    }
}
