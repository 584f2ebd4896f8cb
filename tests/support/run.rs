//! Runs the `cohortscope` binary as a user runs it.

use std::process::Command;

/// Exit code, standard output and standard error of `cohortscope ARGS`.
pub fn cohortscope(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cohortscope"))
        .args(args)
        .output()
        .expect("run cohortscope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}
