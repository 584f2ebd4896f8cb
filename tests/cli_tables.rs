//! `cohortscope tables` run as a user runs it: the JSON format and the
//! methods it names, and bad choices refused with one line naming what is
//! wrong (the numbers themselves: tests/tables_reference.rs).
#![cfg(not(target_arch = "wasm32"))] // native only: runs the CLI

#[path = "support/run.rs"]
mod run;

use run::cohortscope;
use serde_json::Value;

const GENERATED: &str = "tests/fixtures/tables/generated_tte.csv";

fn refused(args: &[&str], message: &str) {
    let (code, out, err) = cohortscope(args);
    assert_ne!(code, 0, "{args:?}: {out}");
    assert!(out.is_empty(), "{args:?}: {out}");
    assert!(
        err.lines().any(|l| l == format!("cohortscope: {message}")),
        "{args:?}: {err}"
    );
}

#[test]
fn the_json_names_its_methods_and_puts_the_reference_first() {
    let (code, out, err) = cohortscope(&[
        "tables",
        GENERATED,
        "--arm",
        "arm",
        "--ref",
        "Experimental",
        "--strata",
        "stratum",
        "--timepoints",
        "3,9",
        "--diff-ci",
        "anderson-hauck",
        "--prop-ci",
        "wilson",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let t: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(t["format"], "cohortscope.tables/1");
    assert_eq!(t["arms"], serde_json::json!(["Experimental", "Control"]));
    assert_eq!(t["strata"], serde_json::json!(["stratum"]));
    assert_eq!(t["methods"]["diff_ci"], "anderson-hauck");
    assert_eq!(t["methods"]["prop_ci"], "wilson");
    let comparison = &t["response"]["comparisons"][0];
    assert_eq!(comparison["reference"], "Experimental");
    assert!(comparison["stratified"]["p_cmh"].is_number());
    let os = &t["time_to_event"][0];
    assert_eq!(os["endpoint"], "os");
    let times: Vec<f64> = os["arms"][0]["timepoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["time"].as_f64().unwrap())
        .collect();
    assert_eq!(times, [3.0, 9.0]);
    assert_eq!(
        t["duration_of_response"]["population"],
        "responders (CR or PR)"
    );
}

#[test]
fn bad_choices_are_refused_naming_what_is_wrong() {
    refused(
        &["tables", GENERATED, "--arm", "arm", "--ref", "Nope"],
        "no arm \"Nope\" in arm; its arms are \"Control\", \"Experimental\"",
    );
    refused(
        &["tables", GENERATED, "--arm", "arm", "--strata", "nope"],
        "no categorical column \"nope\" to stratify by; the categorical columns are \"arm\", \"stratum\"",
    );
    refused(
        &["tables", GENERATED],
        "no arms to compare: name the arm column with --arm COL (or --group COL)",
    );
    refused(
        &["tables", GENERATED, "--arm", "arm", "--timepoints", "0,6"],
        "--timepoints: time point 0 is not a finite time > 0",
    );
    refused(
        &[
            "tables",
            GENERATED,
            "--arm",
            "arm",
            "--timepoints",
            "1,2,3,4,5,6,7,8,9,10,11",
        ],
        "--timepoints: 11 time points; at most 10",
    );
}
