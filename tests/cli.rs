//! The command-line tool, run as a user runs it.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI or a browser

#[path = "support/run.rs"]
mod run;

use run::cohortscope;

#[test]
fn version_and_help() {
    let (code, out, _) = cohortscope(&["--version"]);
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        format!("cohortscope {}", env!("CARGO_PKG_VERSION"))
    );
    let (code, out, _) = cohortscope(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("shape"), "{out}");
}

#[test]
fn shape_of_a_csv() {
    let (code, out, err) = cohortscope(&["shape", "tests/fixtures/shape.csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "2 rows, 3 columns\ncolumns: patient_id, age, best_response\nnumeric: age\n"
    );
}

#[test]
fn a_missing_file_is_one_line_and_a_failure() {
    let (code, out, err) = cohortscope(&["shape", "tests/fixtures/no-such-file.csv"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("cohortscope: tests/fixtures/no-such-file.csv: "),
        "{err}"
    );
}
