//! `cohortscope analyze` and `cohortscope studies` run as a user runs them:
//! the `cohortscope.analysis/1` format (exact key sets), every published
//! figure of the built-in studies reproduced, denominators, import errors.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI or a browser

use std::collections::BTreeSet;
#[path = "support/run.rs"]
mod run;

use run::cohortscope;

use serde_json::Value;

const STUDIES: [&str; 3] = ["lifileucel-melanoma", "ln145-cervical", "herlev-til"];

fn json(args: &[&str]) -> Value {
    let (code, out, err) = cohortscope(args);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("NaN") && !out.contains("Infinity"), "{out}");
    serde_json::from_str(&out).expect("one JSON value")
}

fn check_keys(what: &str, v: &Value, expected: &[&str]) {
    let keys: BTreeSet<&str> = v
        .as_object()
        .unwrap_or_else(|| panic!("{what}: {v}"))
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, expected.iter().copied().collect(), "{what}");
}

const CURVE: [&str; 9] = [
    "label",
    "n",
    "events",
    "censored",
    "table",
    "median",
    "landmarks",
    "rmst",
    "follow_up",
];

#[test]
fn every_study_reproduces_every_published_figure() {
    for id in STUDIES {
        let a = json(&["analyze", "--study", id, "--json"]);
        assert_eq!(a["study"]["id"], id);
        let published = a["published"].as_array().unwrap();
        assert!(!published.is_empty(), "{id}");
        for p in published {
            check_keys(
                "published",
                p,
                &["figure", "published", "computed", "matches"],
            );
            assert_eq!(p["matches"], true, "{id}: {p}");
        }
    }
}

#[test]
fn analysis_json_has_exactly_the_documented_keys() {
    let a = json(&["analyze", "--study", "lifileucel-melanoma", "--json"]);
    check_keys(
        "analysis",
        &a,
        &[
            "format",
            "study",
            "n",
            "conventions",
            "response",
            "endpoints",
            "published",
        ],
    );
    assert_eq!(a["format"], "cohortscope.analysis/1");
    assert_eq!(a["n"], 66);
    check_keys(
        "conventions",
        &a["conventions"],
        &[
            "ci_transform",
            "conf_level",
            "median_rule",
            "ties",
            "denominator",
            "binomial_ci",
        ],
    );
    let r = &a["response"];
    check_keys(
        "response",
        r,
        &[
            "counts",
            "denominator",
            "orr",
            "dcr",
            "tumor_reduction",
            "time_to_response",
            "duration_of_response",
        ],
    );
    check_keys("counts", &r["counts"], &["CR", "PR", "SD", "PD", "NE"]);
    for rate in ["orr", "dcr"] {
        check_keys(
            rate,
            &r[rate],
            &["k", "n", "estimate", "lower", "upper", "method"],
        );
    }
    check_keys(
        "tumor_reduction",
        &r["tumor_reduction"],
        &["k", "n", "estimate"],
    );
    check_keys(
        "time_to_response",
        &r["time_to_response"],
        &["n", "median", "min", "max"],
    );
    let mut dor: Vec<&str> = CURVE.to_vec();
    dor.extend(["ongoing", "longest"]);
    check_keys("duration_of_response", &r["duration_of_response"], &dor);
    check_keys(
        "ongoing",
        &r["duration_of_response"]["ongoing"],
        &["k", "n"],
    );
    check_keys(
        "longest",
        &r["duration_of_response"]["longest"],
        &["value", "censored"],
    );
    assert_eq!(r["duration_of_response"]["longest"]["censored"], true);
    assert!(
        r["duration_of_response"]["median"]["estimate"].is_null(),
        "median DOR not reached"
    );
    check_keys("endpoints", &a["endpoints"], &["os", "pfs"]);
    for e in ["os", "pfs"] {
        check_keys(e, &a["endpoints"][e], &CURVE);
    }
    assert_eq!(
        (r["orr"]["k"].as_u64(), r["orr"]["n"].as_u64()),
        (Some(25), Some(66))
    );
}

#[test]
fn the_denominator_comes_from_the_study_unless_given() {
    let orr_n = |args: &[&str]| json(args)["response"]["orr"]["n"].as_u64().unwrap();
    assert_eq!(orr_n(&["analyze", "--study", "herlev-til", "--json"]), 24);
    assert_eq!(
        orr_n(&[
            "analyze",
            "--study",
            "herlev-til",
            "--json",
            "--denominator",
            "all-treated"
        ]),
        25
    );
    assert_eq!(
        orr_n(&[
            "analyze",
            "--study",
            "lifileucel-melanoma",
            "--json",
            "--denominator",
            "evaluable"
        ]),
        62
    );
    // A file is not a study: the preset's denominator (all treated), no published figures.
    let a = json(&["analyze", "assets/studies/herlev-til.csv", "--json"]);
    assert!(a["study"].is_null());
    assert_eq!(a["published"], Value::Array(vec![]));
    assert_eq!(a["conventions"]["denominator"], "all-treated");
    assert_eq!(a["response"]["orr"]["n"], 25);
    // Published figures are checked under the study's rules whatever the conventions.
    let a = json(&[
        "analyze",
        "--study",
        "herlev-til",
        "--json",
        "--denominator",
        "all-treated",
        "--preset",
        "r",
    ]);
    assert_eq!(a["conventions"]["ci_transform"], "log");
    assert!(a["published"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["matches"] == true));
}

#[test]
fn import_errors_are_reported_one_per_line() {
    let dir = std::env::temp_dir().join(format!("cohortscope-cli-analyze-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.csv");
    std::fs::write(
        &path,
        "patient_id,best_response,os_months,os_event\n1,PR,-3,1\n2,XX,4,1\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let (code, out, err) = cohortscope(&["analyze", p, "--json"]);
    assert_ne!(code, 0);
    assert!(out.is_empty());
    assert_eq!(
        err,
        format!(
            "cohortscope: file {p}, row 2 (patient 1), column os_months, value \"-3\": time must be zero or positive\n\
             cohortscope: file {p}, row 3 (patient 2), column best_response, value \"XX\": unknown response code: expected CR, PR, SD, PD or NE (or a spelling such as \"Partial Response\")\n"
        )
    );
    let (code, _, err) = cohortscope(&["analyze", "--study", "nope"]);
    assert_ne!(code, 0);
    assert_eq!(err, "cohortscope: no built-in study \"nope\"; the studies are lifileucel-melanoma, ln145-cervical, herlev-til\n");
}

#[test]
fn readable_report_lists_the_published_figures() {
    let (code, out, err) = cohortscope(&["analyze", "--study", "ln145-cervical"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(
        "Synthetic cohort reconstructed from published summary figures; not patient data."
    ));
    assert!(out.contains("ORR  12/27  44.4%"), "{out}");
    assert!(out.contains("Published figures"), "{out}");
    assert!(!out.contains(" NO\n"), "{out}");
    // Import notes go to stderr, never errors.
    assert!(
        err.lines()
            .all(|l| l.starts_with("cohortscope: ln145-cervical: note: ")),
        "{err}"
    );
}

#[test]
fn studies_are_listed() {
    let s = json(&["studies", "--json"]);
    assert_eq!(s["format"], "cohortscope.studies/1");
    let list = s["studies"].as_array().unwrap();
    let ids: Vec<&str> = list.iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(ids, STUDIES);
    let n: Vec<u64> = list.iter().map(|x| x["n"].as_u64().unwrap()).collect();
    assert_eq!(n, [66, 27, 25]);
    for x in list {
        check_keys("study", x, &["id", "n", "title", "citation", "synthetic"]);
    }
    let (code, out, _) = cohortscope(&["studies"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("lifileucel-melanoma  (n = 66)\n"), "{out}");
}
