//! CDISC ADaM datasets through the command line, as a trial statistician
//! runs it: `cohortscope analyze adsl adrs adtte --population … --group …
//! --json` against an independent implementation (pandas, lifelines,
//! statsmodels, scipy: tests/fixtures/adam/expected_*.csv, made by
//! scripts/reference/adam.py), and `cohortscope km --censor CNSR --param`
//! against R survival (scripts/reference/adam_km.R). The same files as SAS
//! transport (XPT, written by pyreadstat) give the same analyses.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI or a browser

use std::collections::BTreeMap;
use std::path::Path;

#[path = "support/csv_rows.rs"]
mod csv_rows;
#[path = "support/reference.rs"]
mod reference;
#[path = "support/run.rs"]
mod run;

use csv_rows::csv_rows;
use run::cohortscope;
use serde_json::Value;

/// Relative agreement of every reference value; counts agree exactly.
const REFERENCE_REL: f64 = 1e-9;

const DIR: &str = "tests/fixtures/adam";

/// A case of expected_analysis.csv: data set, population, response parameter, arm variable.
struct Case {
    id: &'static str,
    dataset: &'static str,
    population: &'static str,
    response: &'static str,
    arm: &'static str,
}

const CASES: [Case; 4] = [
    Case {
        id: "pharmaverse_saffl_cbor_arm",
        dataset: "pharmaverseadam",
        population: "SAFFL",
        response: "CBOR",
        arm: "ARM",
    },
    Case {
        id: "pharmaverse_saffl_bor_actarm",
        dataset: "pharmaverseadam",
        population: "SAFFL",
        response: "BOR",
        arm: "ACTARM",
    },
    Case {
        id: "random_ittfl_besrspi_arm",
        dataset: "random_cdisc_data",
        population: "ITTFL",
        response: "BESRSPI",
        arm: "ARM",
    },
    Case {
        id: "random_saffl_invet_actarm",
        dataset: "random_cdisc_data",
        population: "SAFFL",
        response: "INVET",
        arm: "ACTARM",
    },
];

fn files(dataset: &str, ext: &str) -> Vec<String> {
    // Given in an order other than ADSL, ADRS, ADTTE: the import recognises them by content.
    ["adtte", "adsl", "adrs"]
        .iter()
        .map(|n| format!("{DIR}/{dataset}/{n}.{ext}"))
        .collect()
}

fn analyze(case: &Case, ext: &str) -> Value {
    analyze_files(case, &files(case.dataset, ext))
}

/// `cohortscope analyze FILES --population … --response-param … --group … --json`.
fn analyze_files(case: &Case, files: &[String]) -> Value {
    let mut args: Vec<&str> = vec!["analyze"];
    args.extend(files.iter().map(String::as_str));
    args.extend([
        "--population",
        case.population,
        "--response-param",
        case.response,
        "--group",
        case.arm,
        "--json",
    ]);
    let (code, out, err) = cohortscope(&args);
    assert_eq!(code, 0, "{}: {err}", case.id);
    assert!(!out.contains("NaN") && !out.contains("Infinity"));
    serde_json::from_str(&out).expect("one JSON value")
}

/// The analysis of a block: everyone (`group` empty) or one arm.
fn block<'a>(report: &'a Value, group: &str) -> &'a Value {
    if group.is_empty() {
        return report;
    }
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["label"] == group)
        .unwrap_or_else(|| panic!("no group {group:?}"))
}

/// The JSON value a quantity of expected_analysis.csv names.
fn quantity<'a>(analysis: &'a Value, name: &str) -> &'a Value {
    let (head, tail) = name.split_once('.').unwrap_or((name, ""));
    let response = &analysis["response"];
    match head {
        "n" => &analysis["n"],
        "response" => &response["counts"][tail],
        "orr" | "dcr" => &response[head][tail],
        key => {
            let curve = if key == "dor" && !response.is_null() {
                &response["duration_of_response"]
            } else {
                &analysis["endpoints"][key]
            };
            match tail {
                "n" | "events" => &curve[tail],
                "median" => &curve["median"]["estimate"],
                "median_lower" => &curve["median"]["lower"],
                "median_upper" => &curve["median"]["upper"],
                milestone => {
                    let (time, field) =
                        milestone.split_once('_').unwrap_or((milestone, "survival"));
                    let t: f64 = time.trim_start_matches('s').parse().unwrap();
                    let landmark = curve["landmarks"]
                        .as_array()
                        .unwrap_or_else(|| panic!("{name}: no curve"))
                        .iter()
                        .find(|l| l["time"].as_f64() == Some(t))
                        .unwrap_or_else(|| panic!("{name}: no landmark at {t}"));
                    &landmark[field]
                }
            }
        }
    }
}

/// Compares every quantity of `case` and returns how many were compared.
fn check_case(case: &Case, report: &Value) -> usize {
    let rows = csv_rows(Path::new(&format!("{DIR}/expected_analysis.csv")));
    let mut close = Vec::new();
    let mut compared = 0;
    for row in rows.iter().filter(|r| r["case"] == case.id) {
        let what = format!("{} [{}] {}", case.id, row["group"], row["quantity"]);
        let ours = quantity(block(report, &row["group"]), &row["quantity"]);
        let expected = &row["value"];
        compared += 1;
        if expected.is_empty() {
            assert!(ours.is_null(), "{what}: expected null, got {ours}");
        } else if let Ok(count) = expected.parse::<u64>() {
            assert_eq!(ours.as_u64(), Some(count), "{what}: {ours}");
        } else {
            let e: f64 = expected.parse().unwrap();
            let o = ours
                .as_f64()
                .unwrap_or_else(|| panic!("{what}: expected {e}, got {ours}"));
            close.push((what, o, e));
        }
    }
    reference::check(case.id, &close, REFERENCE_REL);
    compared
}

#[test]
fn analyze_by_arm_matches_lifelines_statsmodels_and_scipy() {
    for case in &CASES {
        let report = analyze(case, "csv");
        assert_eq!(report["group"], case.arm);
        let compared = check_case(case, &report);
        assert!(
            compared > 100,
            "{}: only {compared} values compared",
            case.id
        );
    }
}

#[test]
fn xpt_copies_give_the_same_analyses_as_the_csv_files() {
    for case in &CASES {
        let csv = analyze(case, "csv");
        let mut xpt = analyze(case, "xpt");
        // Only the file names and formats in the ADaM summary differ.
        for (a, b) in xpt["adam"]["files"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .zip(csv["adam"]["files"].as_array().unwrap())
        {
            assert!(a["format"].as_str().unwrap().starts_with("XPT v5"), "{a}");
            a["name"] = b["name"].clone();
            a["format"] = b["format"].clone();
        }
        assert_eq!(xpt, csv, "{}", case.id);
    }
    // The version 8 copies (long variable names kept) too.
    let case = &CASES[2];
    let csv = analyze(case, "csv");
    let dir = format!("{DIR}/{}/v8", case.dataset);
    let v8 = analyze_files(
        case,
        &["adsl", "adrs", "adtte"].map(|n| format!("{dir}/{n}.xpt")),
    );
    assert_eq!(v8["groups"], csv["groups"]);
    assert_eq!(v8["response"], csv["response"]);
    assert_eq!(v8["endpoints"], csv["endpoints"]);
}

#[test]
fn the_adam_summary_counts_what_the_reference_counts() {
    let rows = csv_rows(Path::new(&format!("{DIR}/expected_counts.csv")));
    for case in &CASES {
        let report = analyze(case, "csv");
        let adam = &report["adam"];
        let expected: BTreeMap<&str, &str> = rows
            .iter()
            .filter(|r| r["case"] == case.id)
            .map(|r| (r["quantity"].as_str(), r["value"].as_str()))
            .collect();
        let file = |dataset: &str| {
            adam["files"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["dataset"] == dataset)
                .unwrap()
                .clone()
        };
        let count = |key: &str| expected[key].parse::<u64>().unwrap();
        assert_eq!(
            file("ADSL")["subjects"].as_u64(),
            Some(count("adsl.subjects")),
            "{}",
            case.id
        );
        assert_eq!(report["n"].as_u64(), Some(count("population.subjects")));
        assert_eq!(
            adam["excluded"].as_array().unwrap().len() as u64,
            count("population.excluded")
        );
        assert_eq!(file("ADRS")["rows"].as_u64(), Some(count("adrs.rows")));
        assert_eq!(file("ADTTE")["rows"].as_u64(), Some(count("adtte.rows")));
        for dataset in ["adrs", "adtte"] {
            let summary = file(&dataset.to_uppercase());
            let codes: Vec<&str> = summary["params"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["code"].as_str().unwrap())
                .collect();
            assert_eq!(
                codes.join(";"),
                expected[format!("{dataset}.paramcds").as_str()],
                "{}",
                case.id
            );
        }
        assert_eq!(adam["population"]["value"]["Flag"], case.population);
        assert_eq!(adam["response_param"]["value"], case.response);
        let arms: Vec<&str> = report["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["label"].as_str().unwrap())
            .collect();
        assert_eq!(arms.join(";"), expected["arms"], "{}", case.id);
    }
}

/// `km` on an ADTTE, one parameter, CNSR as the censoring indicator: R's
/// survfit (log-log), survdiff and coxph (Efron) on the same rows.
#[test]
fn km_on_adtte_with_censor_and_param_matches_r() {
    for (dataset, param, stem) in [
        ("random_cdisc_data", "OS", "os_by_arm"),
        ("pharmaverseadam", "PFS", "pfs_pharmaverse"),
    ] {
        let path = format!("{DIR}/{dataset}/adtte.csv");
        let (code, out, err) = cohortscope(&[
            "km", &path, "--time", "AVAL", "--censor", "CNSR", "--param", param, "--group", "ARM",
            "--json",
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains("note: CNSR: 0 = event, a positive integer = censored"),
            "{err}"
        );
        let r: Value = serde_json::from_str(&out).unwrap();
        let mut close = Vec::new();
        let km = csv_rows(Path::new(&format!("{DIR}/r_km_{stem}.csv")));
        let curve_of = |group: &str| -> &Value {
            if group.is_empty() {
                &r["overall"]
            } else {
                r["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|g| g["label"] == group)
                    .unwrap()
            }
        };
        let mut rows_compared = 0;
        for (group, rows) in group_by(&km, "group") {
            let table = curve_of(group)["table"].as_array().unwrap();
            assert_eq!(table.len(), rows.len(), "{stem} {group}");
            for (ours, e) in table.iter().zip(&rows) {
                let what = format!("{stem} [{group}] t = {}", e["time"]);
                for key in ["n_risk", "n_event", "n_censor"] {
                    assert_eq!(
                        ours[key].as_u64().unwrap().to_string(),
                        e[key],
                        "{what} {key}"
                    );
                }
                for key in ["time", "survival", "std_err", "lower", "upper"] {
                    if e[key] == "NA" {
                        // R's log-log limits are NA at S = 1, ours [1, 1] (README conventions).
                        let at_one = ours["survival"].as_f64() == Some(1.0);
                        assert!(
                            ours[key].is_null() || (at_one && ours[key].as_f64() == Some(1.0)),
                            "{what} {key}: {}",
                            ours[key]
                        );
                    } else {
                        close.push((
                            format!("{what} {key}"),
                            ours[key].as_f64().unwrap(),
                            e[key].parse().unwrap(),
                        ));
                    }
                }
                rows_compared += 1;
            }
        }
        assert!(rows_compared > 10);
        let lr = csv_rows(Path::new(&format!("{DIR}/r_logrank_{stem}.csv")));
        let e = lr.iter().find(|x| x["p"] == "0" && x["q"] == "0").unwrap();
        assert_eq!(r["logrank"]["df"].as_u64().unwrap().to_string(), e["df"]);
        close.push((
            format!("{stem} log-rank"),
            r["logrank"]["statistic"].as_f64().unwrap(),
            e["statistic"].parse().unwrap(),
        ));
        close.push((
            format!("{stem} log-rank p"),
            r["logrank"]["p_value"].as_f64().unwrap(),
            e["p_value"].parse().unwrap(),
        ));
        let cox = csv_rows(Path::new(&format!("{DIR}/r_cox_{stem}.csv")));
        for term in r["cox"]["terms"].as_array().unwrap() {
            let level = term["label"].as_str().unwrap().strip_prefix("ARM").unwrap();
            for (key, item) in [
                ("coef", "coef"),
                ("std_err", "se"),
                ("hazard_ratio", "hr"),
                ("lower", "lower"),
                ("upper", "upper"),
                ("p_value", "p"),
            ] {
                let e = cox
                    .iter()
                    .find(|x| x["item"] == item && x["term"] == format!("factor(group){level}"))
                    .unwrap_or_else(|| panic!("{stem} {item} {level}"));
                close.push((
                    format!("{stem} cox {level} {key}"),
                    term[key].as_f64().unwrap(),
                    e["value"].parse().unwrap(),
                ));
            }
        }
        reference::check(stem, &close, REFERENCE_REL);
    }
}

/// Rows grouped by a column, groups in order of first appearance.
fn group_by<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    key: &str,
) -> Vec<(&'a str, Vec<&'a std::collections::HashMap<String, String>>)> {
    let mut out: Vec<(&str, Vec<_>)> = Vec::new();
    for row in rows {
        let g = row[key].as_str();
        match out.iter_mut().find(|(k, _)| *k == g) {
            Some((_, v)) => v.push(row),
            None => out.push((g, vec![row])),
        }
    }
    out
}

#[test]
fn km_refuses_cnsr_as_an_event_and_a_mix_of_parameters() {
    let path = format!("{DIR}/random_cdisc_data/adtte.csv");
    let (code, out, err) = cohortscope(&[
        "km", &path, "--time", "AVAL", "--event", "CNSR", "--param", "OS",
    ]);
    assert_ne!(code, 0);
    assert!(out.is_empty());
    assert_eq!(err, format!("cohortscope: {path}: column CNSR: CNSR is a censoring indicator (ADaM CNSR: 1 = censored, 0 = event): give it as the censoring column (km --censor CNSR), never as the event column\n"));
    let (code, _, err) = cohortscope(&["km", &path, "--time", "AVAL", "--censor", "CNSR"]);
    assert_ne!(code, 0);
    assert_eq!(err, format!("cohortscope: {path}: the file holds 5 parameters (CRSD, EFS, OS, PFS, TNE): choose the one to analyse (km --param CRSD)\n"));
    let (code, _, err) = cohortscope(&["km", &path, "--time", "AVAL"]);
    assert_ne!(code, 0);
    assert!(err.contains("--event"), "{err}");
}

/// Each choice that the data cannot meet is one line naming what there is.
#[test]
fn analyze_choices_that_do_not_exist_are_refused_with_the_choices() {
    let trio = files("random_cdisc_data", "csv");
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = vec!["analyze"];
        args.extend(trio.iter().map(String::as_str));
        args.extend_from_slice(extra);
        cohortscope(&args)
    };
    for (extra, expected) in [
        (vec!["--population", "PPROTFL"], "cohortscope: population flag PPROTFL is not a Y/N variable of the data; the flags are ITTFL, SAFFL, AEWITHFL, BEP01FL, BMEASIFL\n".to_string()),
        (vec!["--response-param", "XYZ"], format!("cohortscope: file {}: response parameter XYZ is not in ADRS; its parameters are BESRSPI, INVET, OVRINV\n", trio[2])),
        (vec!["--arm", "TRT99P"], "cohortscope: arm variable TRT99P is not a subject-level variable of the data; the arm variables are ARM, TRT01P, ARMCD, ACTARM, TRT01A, ACTARMCD\n".to_string()),
        (vec!["--endpoint", "TNE"], format!("cohortscope: file {}: parameter TNE (Total Number of Exacerbations) is a count (AVALU = COUNT), not a time: it cannot be an endpoint\n", trio[0])),
        (vec!["--group", "AGE"], "cohortscope: AGE holds numbers, not groups; group by one of ".to_string()),
        (vec!["--filter", "NOPE=1"], "cohortscope: filter on \"NOPE\" ignored: the data have no such column\n".to_string()),
    ] {
        let (code, out, err) = run(&extra);
        assert_ne!(code, 0, "{extra:?}");
        assert!(out.is_empty());
        // The refusal is the last line (import warnings may come before it).
        let last = err.lines().last().unwrap_or_default();
        assert!(err.ends_with('\n') && last.starts_with(expected.trim_end()), "{extra:?}:\n{err}");
    }
    // A by-visit parameter as the best response: every repeated row is named.
    let (code, _, err) = run(&["--response-param", "OVRINV"]);
    assert_ne!(code, 0);
    let first = err.lines().next().unwrap();
    assert!(first.starts_with(&format!("cohortscope: file {}, row ", trio[2])) && first.ends_with("column PARAMCD, value \"OVRINV\": more than one OVRINV row for this subject (first in row 4): a by-visit parameter cannot be used here"), "{first}");
}

#[test]
fn analyze_filters_and_population_all() {
    let trio = files("pharmaverseadam", "csv");
    let mut args: Vec<&str> = vec!["analyze"];
    args.extend(trio.iter().map(String::as_str));
    args.extend([
        "--population",
        "all",
        "--group",
        "none",
        "--filter",
        "SEX=F",
        "--filter",
        "AGE=..70",
        "--json",
    ]);
    let (code, out, err) = cohortscope(&args);
    assert_eq!(code, 0, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert!(r.get("groups").is_none() && r.get("group").is_none());
    assert_eq!(r["filters"], serde_json::json!(["SEX is F", "AGE ≤ 70"]));
    // The count of women aged 70 or less among all 306 ADSL subjects, by hand from adsl.csv.
    let adsl = csv_rows(Path::new(&trio[1]));
    let expected = adsl
        .iter()
        .filter(|s| s["SEX"] == "F" && s["AGE"].parse::<f64>().unwrap() <= 70.0)
        .count();
    assert_eq!(r["n"].as_u64(), Some(expected as u64));
    assert_eq!(r["adam"]["population"]["value"], "All");
}

fn temp_file(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("cohortscope-cli-adam-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

/// Bad files through `analyze`, one line each naming what is wrong.
#[test]
fn bad_files_get_one_line_that_says_what_they_are() {
    // A transport file cut inside its variable descriptors.
    let xpt = std::fs::read(format!("{DIR}/pharmaverseadam/adsl.xpt")).unwrap();
    let cut = temp_file("cut.xpt", &xpt[..1000]);
    let (code, _, err) = cohortscope(&["analyze", &cut]);
    assert_ne!(code, 0);
    assert!(
        err.starts_with(&format!(
            "cohortscope: file {cut}: the SAS transport (XPT) file cannot be read: "
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let sheet = temp_file("cohort.xlsx", b"PK\x03\x04\x14\x00\x06\x00");
    let (code, _, err) = cohortscope(&["analyze", &sheet]);
    assert_ne!(code, 0);
    assert_eq!(err, format!("cohortscope: file {sheet}: the file is a ZIP archive or an Excel workbook (.xlsx): save the sheet as CSV; cohortscope reads delimited text (CSV, TSV) and SAS transport (XPT) files\n"));
    let huge = temp_file(
        "huge.csv",
        format!(
            "patient_id,os_months,os_event\nP1,{},1\nP2,3,0\n",
            "7".repeat(5_000_000) + "x"
        )
        .as_bytes(),
    );
    let (code, _, err) = cohortscope(&["analyze", &huge]);
    assert_ne!(code, 0);
    assert_eq!(err, format!("cohortscope: file {huge}, row 2 (patient P1), column os_months, value \"{}… (5000001 characters)\": time must be a number\n", "7".repeat(80)));
}

/// ADaM problems that still let the analysis run are warnings and notes on
/// stderr, each naming file, row, column and value.
#[test]
fn adam_warnings_are_named_on_stderr() {
    let adsl = temp_file("w_adsl.csv", b"USUBJID,ITTFL,ARM\nS1,Y,A\nS2,Y,B\n");
    let adtte = temp_file(
        "w_adtte.csv",
        b"USUBJID,PARAMCD,PARAM,AVAL,AVALU,CNSR\nS1,OS,Overall Survival,100,DAYS,0\nS2,OS,Overall Survival,200,DAYS,3\nS7,OS,Overall Survival,50,DAYS,0\n",
    );
    let (code, _, err) = cohortscope(&["analyze", &adsl, &adtte, "--json"]);
    assert_eq!(code, 0, "{err}");
    for expected in [
        format!("cohortscope: warning: file {adtte}, row 4, column USUBJID, value \"S7\": subject not in ADSL: its rows are left out"),
        format!("cohortscope: note: file {adtte}, row 3 (patient S2), column CNSR, value \"3\": CNSR above 1 read as censored (ADaM: positive integers code the censoring reason)"),
        "cohortscope: note: population ITTFL = \"Y\" (default: intent to treat): 2 of 2 subjects; 0 excluded".to_string(),
    ] {
        assert!(err.lines().any(|l| l == expected), "{expected}\n{err}");
    }
}
