//! The `cohortscope` command line: the statistics core's numbers, as tables or JSON.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::data::preview::preview;

/// Response and survival analysis of small oncology cohorts.
#[derive(Debug, Parser)]
#[command(name = "cohortscope", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print a CSV file's shape: rows, columns and which columns are numeric.
    Shape {
        /// The CSV file (one row per patient, a header row first).
        file: PathBuf,
    },
}

/// Entry point of the native binary. Errors are one line on stderr and a
/// non-zero exit code, never a panic.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Shape { file } => shape(&file),
    };
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("cohortscope: {message}");
            ExitCode::FAILURE
        }
    }
}

fn read(file: &Path) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))
}

fn shape(file: &Path) -> Result<String, String> {
    let text = read(file)?;
    let p = preview(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let numeric: Vec<&str> = p.numeric.iter().map(|c| c.name.as_str()).collect();
    Ok(format!(
        "{} rows, {} columns\ncolumns: {}\nnumeric: {}\n",
        p.rows,
        p.columns.len(),
        p.columns.join(", "),
        if numeric.is_empty() { "none".to_string() } else { numeric.join(", ") }
    ))
}
