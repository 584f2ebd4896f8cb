//! The `cohortscope` command line.

use std::process::ExitCode;

/// Entry point of the native binary.
pub fn main() -> ExitCode {
    ExitCode::SUCCESS
}
