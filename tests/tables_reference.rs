//! The efficacy tables (`report::tables`, `cohortscope tables`) against R,
//! statsmodels, scipy and mpmath on the random_cdisc_data ADaM files (three
//! arms, STRATA1; reference "B: Placebo") and on two generated stratified
//! data sets. Fixtures: `tests/fixtures/tables/` (README there), written by
//! `scripts/reference/tables.py`, `tables.R` and `tables_tte.R`. Counts
//! exact, every other value at 1e-9 relative; NA in R is `None` here.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files

#[path = "support/csv_rows.rs"]
mod csv_rows;
#[path = "support/reference.rs"]
mod reference;

use std::collections::HashMap;
use std::path::Path;

use cohortscope::data::{import_files, Cohort, ImportOptions, InputFile};
use cohortscope::report::tables::{tables, TableSpec, Tables};
use cohortscope::stats::conventions::{CiTransform, Conventions, DifferenceCi, MedianRule, Ties};
use csv_rows::csv_rows;
use reference::check;

const TOL: f64 = 1e-9;
/// The likelihood-ratio p of a Cox model whose statistic is near 0: it is
/// the difference of two partial log-likelihoods (about −619 each for ADaM
/// OS, A against B, statistic 3.8e-8), so a few ulps of the log-likelihood
/// (ours and R's differ by 5) move p by about 1.4e-9 relative.
const LR_P_TOL: f64 = 1e-8;
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tables/");

fn rows(name: &str) -> Vec<HashMap<String, String>> {
    csv_rows(&Path::new(FIXTURES).join(name))
}

fn import(paths: &[String]) -> Cohort {
    let files = paths
        .iter()
        .map(|p| InputFile::new(p.clone(), std::fs::read(p).unwrap()))
        .collect();
    import_files(files, &ImportOptions::default()).unwrap_or_else(|f| panic!("{:?}", f.messages))
}

fn adam() -> Cohort {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/adam/random_cdisc_data/"
    );
    import(&["adsl", "adrs", "adtte"].map(|n| format!("{dir}{n}.csv")))
}

/// The generated response data set (`id, arm, stratum, responder`) as a
/// cohort: a responder's best response PR, anyone else's PD.
fn generated_responses() -> Cohort {
    let mut csv = String::from("patient_id,arm,stratum,best_response\n");
    for r in rows("generated_patients.csv") {
        let code = if r["responder"] == "1" { "PR" } else { "PD" };
        csv.push_str(&format!(
            "{},{},{},{code}\n",
            r["id"], r["arm"], r["stratum"]
        ));
    }
    import_files(
        vec![InputFile::new("generated", csv.into_bytes())],
        &ImportOptions::default(),
    )
    .unwrap()
}

fn spec<'a>(
    arm: &'a str,
    reference: &'a str,
    strata: &'a [String],
    conventions: Conventions,
    diff_ci: DifferenceCi,
) -> TableSpec<'a> {
    TableSpec {
        arm,
        reference: Some(reference),
        strata,
        timepoints: &[6.0, 12.0],
        diff_ci,
        conventions,
    }
}

fn conventions(level: f64) -> Conventions {
    Conventions {
        conf_level: level,
        median_rule: MedianRule::Midpoint,
        ..Conventions::default()
    }
}

fn num(text: &str) -> Option<f64> {
    match text {
        "NA" | "NaN" | "nan" | "" => None,
        t => Some(t.parse().unwrap_or_else(|_| panic!("{t:?}"))),
    }
}

/// Compares a value that may be undefined on both sides.
fn push(
    results: &mut Vec<(String, f64, f64)>,
    mismatched: &mut Vec<String>,
    label: String,
    actual: Option<f64>,
    expected: Option<f64>,
) {
    match (actual, expected) {
        (Some(a), Some(e)) => results.push((label, a, e)),
        (None, None) => results.push((label, 0.0, 0.0)),
        (a, e) => mismatched.push(format!("{label}: {a:?} vs {e:?}")),
    }
}

#[test]
fn response_comparisons_match_r_statsmodels_and_mpmath() {
    let cases: [(&str, Cohort, &str, &str); 2] = [
        ("random_cdisc_data", adam(), "ARM", "B: Placebo"),
        ("generated", generated_responses(), "arm", "Control"),
    ];
    let strata = |c: &str| vec![if c == "ARM" { "STRATA1" } else { "stratum" }.to_string()];
    let (mut results, mut mismatched) = (Vec::new(), Vec::new());
    for (dataset, cohort, arm_column, reference) in &cases {
        let strata = strata(arm_column);
        for file in [
            "two_sample_r.csv",
            "two_sample_python.csv",
            "stratified_r.csv",
            "stratified_python.csv",
        ] {
            for r in rows(file)
                .iter()
                .filter(|r| r["dataset"].starts_with(dataset))
            {
                let level = num(&r["level"]).unwrap_or(0.95);
                let method = r["method"].as_str();
                let diff_ci = method.parse().unwrap_or_default();
                let t: Tables = tables(
                    cohort,
                    &spec(arm_column, reference, &strata, conventions(level), diff_ci),
                )
                .unwrap();
                let response = t.response.as_ref().unwrap();
                let arm = r.get("arm").cloned().unwrap_or_else(|| {
                    r["dataset"]
                        .trim_start_matches(dataset)
                        .trim()
                        .split(" vs ")
                        .next()
                        .unwrap()
                        .to_string()
                });
                let c = response
                    .comparisons
                    .iter()
                    .find(|c| c.arm == arm)
                    .unwrap_or_else(|| panic!("{arm}"));
                let s = c.stratified.as_ref().unwrap();
                let item = r["item"].as_str();
                let actual = match (method, item) {
                    ("pearson", "p_value") => c.p_chisq,
                    ("fisher", "p_value") => c.p_fisher,
                    ("odds-ratio", "estimate") => c.odds_ratio,
                    ("odds-ratio", "lower") => c.odds_ratio_ci[0],
                    ("odds-ratio", "upper") => c.odds_ratio_ci[1],
                    ("cmh", "p_value") => s.p_cmh,
                    ("mh-odds-ratio", "estimate") => s.odds_ratio,
                    ("mh-odds-ratio", "lower") => s.odds_ratio_ci[0],
                    ("mh-odds-ratio", "upper") => s.odds_ratio_ci[1],
                    ("mh-risk-difference", "estimate") => s.diff,
                    ("mh-risk-difference", "lower") => s.diff_ci[0],
                    ("mh-risk-difference", "upper") => s.diff_ci[1],
                    (_, "lower") if DifferenceCi::NAMES.contains(&method) => c.diff_ci[0],
                    (_, "upper") if DifferenceCi::NAMES.contains(&method) => c.diff_ci[1],
                    // Statistics the tables do not show (checked in stats' own tests).
                    _ => continue,
                };
                // The arm's counts come from the import: they must be the fixture's.
                if let (Some(x1), Some(n1)) = (r.get("x1"), r.get("n1")) {
                    let a = response.arms.iter().find(|a| a.arm == arm).unwrap();
                    assert_eq!(
                        (a.responders.to_string(), a.n.to_string()),
                        (x1.clone(), n1.clone()),
                        "{dataset} {arm}"
                    );
                }
                let label = format!("{dataset} {arm} {method} {item} at {level} ({file})");
                push(
                    &mut results,
                    &mut mismatched,
                    label,
                    actual,
                    num(&r["value"]),
                );
            }
        }
    }
    assert!(
        mismatched.is_empty(),
        "defined on one side only:\n{}",
        mismatched.join("\n")
    );
    check("response comparisons", &results, TOL);
}

#[test]
fn arm_counts_match_the_fixture() {
    let t = tables(
        &adam(),
        &spec(
            "ARM",
            "B: Placebo",
            &[],
            conventions(0.95),
            DifferenceCi::default(),
        ),
    )
    .unwrap();
    let response = t.response.unwrap();
    let mut compared = 0;
    for r in rows("counts.csv")
        .iter()
        .filter(|r| r["dataset"] == "random_cdisc_data" && r["stratum"] == "all")
    {
        let a = response.arms.iter().find(|a| a.arm == r["arm"]).unwrap();
        assert_eq!(a.responders.to_string(), r["responders"]);
        assert_eq!(a.n.to_string(), r["patients"]);
        compared += 1;
    }
    assert_eq!(compared, 3);
    assert_eq!(t.arms, ["B: Placebo", "A: Drug X", "C: Combination"]);
}

#[test]
fn time_to_event_tables_match_r_survival() {
    let generated = import(&[format!("{FIXTURES}generated_tte.csv")]);
    let cases: [(&str, Cohort, &str, &str, &str); 2] = [
        ("random_cdisc_data", adam(), "ARM", "B: Placebo", "STRATA1"),
        ("generated", generated, "arm", "Control", "stratum"),
    ];
    let (mut results, mut mismatched, mut counts) = (Vec::new(), Vec::new(), 0);
    let (mut extended, mut at_zero) = (0, 0);
    let mut lr_results = Vec::new();
    let fixture = rows("tte_r.csv");
    for (dataset, cohort, arm_column, reference, stratum) in &cases {
        let strata = vec![stratum.to_string()];
        for transform in [CiTransform::LogLog, CiTransform::Plain, CiTransform::Log] {
            for ties in [Ties::Efron, Ties::Breslow] {
                let c = Conventions {
                    ci_transform: transform,
                    ties,
                    ..conventions(0.95)
                };
                let t = tables(
                    cohort,
                    &spec(arm_column, reference, &strata, c, DifferenceCi::default()),
                )
                .unwrap();
                let breslow = ties == Ties::Breslow;
                for r in fixture.iter().filter(|r| r["dataset"] == *dataset) {
                    let conf = r["conf_type"].as_str();
                    if !(conf.is_empty() || conf == transform.as_str()) {
                        continue;
                    }
                    let table = match r["endpoint"].as_str() {
                        "dor" => t.duration_of_response.as_ref(),
                        key => t.time_to_event.iter().find(|e| e.endpoint == key),
                    }
                    .unwrap_or_else(|| panic!("{dataset}: no table of {}", r["endpoint"]));
                    let field = r["field"].as_str();
                    if field.starts_with("breslow_") != breslow {
                        continue;
                    }
                    let field = field.trim_start_matches("breslow_");
                    let label = format!(
                        "{dataset} {} {} {} {field} ({conf}, {})",
                        r["endpoint"],
                        r["arm"],
                        r["reference"],
                        ties.as_str()
                    );
                    let expected = num(&r["value"]);
                    if r["reference"].is_empty() {
                        let a = table.arms.iter().find(|a| a.arm == r["arm"]).unwrap();
                        let tp = |t: &str| {
                            a.timepoints
                                .iter()
                                .find(|p| p.time == num(t).unwrap())
                                .unwrap()
                        };
                        // Beyond an arm's last time Ŝ is undefined unless the curve
                        // reached 0 (the tables say NA, as tern); R's
                        // summary(extend = TRUE) carries the last value forward.
                        if let Some(time) = field
                            .strip_prefix("tp")
                            .and_then(|f| f.split_once('_'))
                            .and_then(|(t, _)| num(t))
                        {
                            let p = tp(&time.to_string());
                            if p.rate.is_none()
                                && a.range[1].is_some_and(|m| time > m)
                                && !field.ends_with("n_risk")
                            {
                                extended += 1;
                                continue;
                            }
                        }
                        let actual = match field {
                            "n" => {
                                assert_eq!(Some(a.n as f64), expected, "{label}");
                                counts += 1;
                                continue;
                            }
                            "events" => {
                                assert_eq!(Some(a.events as f64), expected, "{label}");
                                counts += 1;
                                continue;
                            }
                            "median" => a.median,
                            "median_lower" => a.median_ci[0],
                            "median_upper" => a.median_ci[1],
                            "q25" => a.q25,
                            "q25_lower" => a.q25_ci[0],
                            "q25_upper" => a.q25_ci[1],
                            "q75" => a.q75,
                            "q75_lower" => a.q75_ci[0],
                            "q75_upper" => a.q75_ci[1],
                            "min" => a.range[0],
                            "max" => a.range[1],
                            "min_censored" => Some(a.range_censored[0] as u8 as f64),
                            "max_censored" => Some(a.range_censored[1] as u8 as f64),
                            "rmst_tau" => table.tau,
                            "rmst" => a.rmst.as_ref().and_then(|r| r.estimate),
                            "rmst_se" => a.rmst.as_ref().and_then(|r| r.std_err),
                            "rmst_lower" => a.rmst.as_ref().and_then(|r| r.ci[0]),
                            "rmst_upper" => a.rmst.as_ref().and_then(|r| r.ci[1]),
                            f => {
                                let (time, what) =
                                    f.trim_start_matches("tp").split_once('_').unwrap();
                                let p = tp(time);
                                match what {
                                    "n_risk" => {
                                        assert_eq!(Some(p.n_risk as f64), expected, "{label}");
                                        counts += 1;
                                        continue;
                                    }
                                    "rate" => p.rate,
                                    "se" => p.std_err,
                                    "lower" => p.ci[0],
                                    "upper" => p.ci[1],
                                    other => panic!("{label}: unknown field {other}"),
                                }
                            }
                        };
                        // R's quantile limit from the bands is NA where the band is
                        // undefined (Ŝ = 0); Brookmeyer–Crowley's upper limit is the
                        // event time at which Ŝ reached 0 (as SAS).
                        if expected.is_none()
                            && field.ends_with("_upper")
                            && actual.is_some()
                            && actual == a.range[1]
                            && !a.range_censored[1]
                        {
                            at_zero += 1;
                            continue;
                        }
                        push(&mut results, &mut mismatched, label, actual, expected);
                    } else {
                        let c = table
                            .comparisons
                            .iter()
                            .find(|c| c.arm == r["arm"])
                            .unwrap();
                        assert_eq!(c.reference, r["reference"]);
                        let s = c.stratified.as_ref().unwrap();
                        let actual = match field {
                            "logrank_p" => c.logrank_p,
                            "strat_logrank_p" => s.logrank_p,
                            "hr" => c.hr,
                            "hr_lower" => c.hr_ci[0],
                            "hr_upper" => c.hr_ci[1],
                            "p_wald" => c.hr_p.wald,
                            "p_lr" => c.hr_p.likelihood_ratio,
                            "p_score" => c.hr_p.score,
                            "strat_hr" => s.hr,
                            "strat_hr_lower" => s.hr_ci[0],
                            "strat_hr_upper" => s.hr_ci[1],
                            "rmst_diff" => c.rmst.as_ref().and_then(|r| r.diff),
                            "rmst_diff_lower" => c.rmst.as_ref().and_then(|r| r.diff_ci[0]),
                            "rmst_diff_upper" => c.rmst.as_ref().and_then(|r| r.diff_ci[1]),
                            "rmst_diff_p" => c.rmst.as_ref().and_then(|r| r.p),
                            // Chi-square statistics and the stratified model's own
                            // Wald p are not in the table (its p-values are).
                            "logrank_chisq"
                            | "strat_logrank_chisq"
                            | "strat_p_wald"
                            | "loglik"
                            | "lr_chisq" => continue,
                            f => {
                                let (time, what) =
                                    f.trim_start_matches("tp").split_once('_').unwrap();
                                let d = c
                                    .timepoints
                                    .iter()
                                    .find(|p| p.time == num(time).unwrap())
                                    .unwrap();
                                let beyond = table
                                    .arms
                                    .iter()
                                    .filter(|a| a.arm == c.arm || a.arm == c.reference)
                                    .any(|a| a.range[1].is_some_and(|m| d.time > m));
                                if d.diff.is_none() && beyond {
                                    extended += 1;
                                    continue;
                                }
                                match what {
                                    "diff" => d.diff,
                                    "diff_lower" => d.diff_ci[0],
                                    "diff_upper" => d.diff_ci[1],
                                    "diff_p" => d.p,
                                    other => panic!("{label}: unknown field {other}"),
                                }
                            }
                        };
                        let into = if field == "p_lr" {
                            &mut lr_results
                        } else {
                            &mut results
                        };
                        push(into, &mut mismatched, label, actual, expected);
                    }
                }
            }
        }
    }
    assert!(counts > 0, "no counts compared");
    println!("skipped: {extended} values R extends past the last time, {at_zero} quantile limits where Ŝ reached 0");
    assert!(
        mismatched.is_empty(),
        "defined on one side only:\n{}",
        mismatched.join("\n")
    );
    check("time-to-event tables", &results, TOL);
    check("likelihood-ratio p-values", &lr_results, LR_P_TOL);
}
