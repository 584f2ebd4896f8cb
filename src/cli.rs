//! The `cohortscope` command line: the statistics core's numbers, as tables or JSON.

mod analyze;
mod km;
mod plot;
mod studies;
mod tables;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::data::preview::preview;
use crate::stats::conventions::{
    BinomialCi, CiTransform, Denominator, DifferenceCi, MedianRule, Preset, Ties,
};

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
    /// Kaplan–Meier curves of a CSV file's time/event columns, per group,
    /// with the log-rank test and the Cox hazard ratios against the first group.
    Km(KmArgs),
    /// The full analysis of a cohort file (import schema) or a built-in study.
    Analyze(AnalyzeArgs),
    /// Draw a chart of the page to SVG, for the same view as `analyze`.
    Plot(PlotArgs),
    /// The efficacy tables of a trial: response, time-to-event and duration of
    /// response per arm, each arm against the reference (plain and stratified).
    Tables(TablesArgs),
    /// List the built-in studies.
    Studies {
        /// Print JSON (`cohortscope.studies/1`) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Arguments of `cohortscope km`. A preset sets defaults; explicit flags override it.
#[derive(Debug, clap::Args)]
struct KmArgs {
    /// The CSV file: one row per subject, a header row first.
    file: PathBuf,
    /// Column of times (numbers ≥ 0).
    #[arg(long)]
    time: String,
    /// Column of event indicators (1 event, 0 censored; yes/no, true/false also read).
    #[arg(long, required_unless_present = "censor", conflicts_with = "censor")]
    event: Option<String>,
    /// Column of censoring indicators (1 censored, 0 event): ADaM's CNSR.
    #[arg(long)]
    censor: Option<String>,
    /// Read the rows of this PARAMCD only (an ADaM ADTTE holds one row per parameter).
    #[arg(long)]
    param: Option<String>,
    /// Column of group labels: one curve per group, log-rank test, Cox model.
    #[arg(long)]
    group: Option<String>,
    /// Column of strata: stratified log-rank test and Cox model.
    #[arg(long)]
    strata: Option<String>,
    /// Transform of the pointwise confidence limits: log-log, log or plain.
    #[arg(long)]
    conf_type: Option<CiTransform>,
    /// Confidence level, strictly between 0 and 1.
    #[arg(long)]
    conf_level: Option<f64>,
    /// Ties of the Cox partial likelihood: efron or breslow.
    #[arg(long)]
    ties: Option<Ties>,
    /// How the median is read off the curve: first-le-half or midpoint.
    #[arg(long)]
    median_rule: Option<MedianRule>,
    /// Times at which survival is reported, comma-separated (6,12,24).
    #[arg(long, value_delimiter = ',')]
    landmarks: Vec<f64>,
    /// Restriction time of the restricted mean (default: the largest observed time).
    #[arg(long)]
    tau: Option<f64>,
    /// Conventions of a package: sas, r, lifelines (or default).
    #[arg(long)]
    preset: Option<Preset>,
    /// Print JSON (`cohortscope.km/1`) instead of tables.
    #[arg(long)]
    json: bool,
}

/// Arguments of `cohortscope analyze`.
#[derive(Debug, clap::Args)]
struct AnalyzeArgs {
    #[command(flatten)]
    view: ViewArgs,
    /// Print JSON (`cohortscope.analysis/1`) instead of tables.
    #[arg(long)]
    json: bool,
}

/// Arguments of `cohortscope tables`. The arms are the `--group` column, or
/// the `--arm` column (for ADaM, the arm variable), or the ADaM arm.
#[derive(Debug, clap::Args)]
struct TablesArgs {
    #[command(flatten)]
    view: ViewArgs,
    /// The reference arm (default the first arm in report order).
    #[arg(long = "ref", value_name = "LEVEL")]
    reference: Option<String>,
    /// A stratification column; repeatable (the strata are the combinations).
    #[arg(long, value_name = "COL")]
    strata: Vec<String>,
    /// Times (months) of the event-free rates, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = crate::report::tables::DEFAULT_TIMEPOINTS)]
    timepoints: Vec<f64>,
    /// Interval of each arm's rates (as --binomial-ci): clopper-pearson, wilson,
    /// wilson-cc, wald, wald-cc, jeffreys or agresti-coull.
    #[arg(long, conflicts_with = "binomial_ci")]
    prop_ci: Option<BinomialCi>,
    /// Interval of the difference in response rates: wald, wald-cc, newcombe,
    /// newcombe-cc, miettinen-nurminen or anderson-hauck (default newcombe).
    #[arg(long)]
    diff_ci: Option<DifferenceCi>,
    /// Print JSON (`cohortscope.tables/1`) instead of tables.
    #[arg(long)]
    json: bool,
}

/// The chart `cohortscope plot` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Chart {
    /// Kaplan–Meier curves of one endpoint per group, with the number at risk.
    Km,
    /// Best % change per patient, coloured by best response.
    Waterfall,
    /// Follow-up lanes with response onset and end, progression and death.
    Swimmer,
    /// Hazard ratios of the second group against the first, by subgroup.
    Forest,
}

/// Arguments of `cohortscope plot`.
#[derive(Debug, clap::Args)]
struct PlotArgs {
    /// The chart to draw.
    #[arg(value_enum)]
    chart: Chart,
    #[command(flatten)]
    view: ViewArgs,
    /// The SVG file to write (`-`: standard output).
    #[arg(long, value_name = "FILE")]
    svg: PathBuf,
    /// The endpoint of the Kaplan–Meier and forest plots (os, pfs, dor, …; default the first).
    #[arg(long, value_name = "KEY")]
    plot_endpoint: Option<String>,
    /// Width in pixels (the height is the page's for the chart).
    #[arg(long, default_value_t = 900)]
    width: u32,
    /// Kaplan–Meier: leave out the confidence bands.
    #[arg(long)]
    no_ci_bands: bool,
    /// Kaplan–Meier: a time at which to mark S(t) per group.
    #[arg(long)]
    landmark: Option<f64>,
    /// Swimmer: responders only.
    #[arg(long)]
    responders_only: bool,
    /// Waterfall: colour the bars by group instead of by response.
    #[arg(long)]
    colour_by_group: bool,
}

/// The page's view, as flags: the cohort, its filters, grouping, ADaM
/// choices and conventions (`analyze` and `plot`).
#[derive(Debug, clap::Args)]
struct ViewArgs {
    /// The cohort: one file with a row per patient, or ADaM datasets (ADSL,
    /// ADRS, ADTTE; CSV or SAS XPT) given together in any order.
    #[arg(required_unless_present = "study", conflicts_with = "study")]
    files: Vec<PathBuf>,
    /// A built-in study (see `cohortscope studies`).
    #[arg(long)]
    study: Option<String>,
    /// ADaM: the population flag (ITTFL, SAFFL, FASFL, …) or `all` (default ITTFL, FASFL, SAFFL, in that order).
    #[arg(long)]
    population: Option<String>,
    /// ADaM: the ADRS PARAMCD of the best overall response (default CBOR, BESRSPI, BOR).
    #[arg(long)]
    response_param: Option<String>,
    /// ADaM: the arm variable (ARM, ACTARM, TRT01P, …) or `none` (default ARM; ACTARM with SAFFL).
    #[arg(long)]
    arm: Option<String>,
    /// ADaM: the ADTTE PARAMCDs that are endpoints, comma-separated (default every time parameter).
    #[arg(long, value_delimiter = ',')]
    endpoint: Vec<String>,
    /// Column that groups the report (one analysis per group, under `groups`), or `none`;
    /// default the ADaM arm variable.
    #[arg(long)]
    group: Option<String>,
    /// Keep the patients whose COL is VALUE (or, for a numeric column, in MIN..MAX; either bound may be empty). Repeatable: every filter must pass.
    #[arg(long, value_name = "COL=VALUE")]
    filter: Vec<String>,
    /// Denominator of ORR and DCR: all-treated or evaluable (a study's default is its own).
    #[arg(long)]
    denominator: Option<Denominator>,
    /// Confidence level of every interval, strictly between 0 and 1.
    #[arg(long)]
    level: Option<f64>,
    /// Interval of ORR and DCR: clopper-pearson, wilson, wilson-cc, wald,
    /// wald-cc, jeffreys or agresti-coull.
    #[arg(long)]
    binomial_ci: Option<BinomialCi>,
    /// Transform of the Kaplan–Meier limits: log-log, log or plain.
    #[arg(long)]
    ci_transform: Option<CiTransform>,
    /// How the median is read off the curve: first-le-half or midpoint.
    #[arg(long)]
    median_rule: Option<MedianRule>,
    /// Ties of the Cox partial likelihood: efron or breslow.
    #[arg(long)]
    ties: Option<Ties>,
    /// Conventions of a package: sas, r, lifelines (or default).
    #[arg(long)]
    preset: Option<Preset>,
}

/// Entry point of the native binary. Errors are one line each on stderr
/// (`cohortscope: ` first) and a non-zero exit code, never a panic.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Shape { file } => shape(&file).map_err(|e| vec![e]),
        Command::Km(args) => km::run(&args).map_err(|e| vec![e]),
        Command::Analyze(args) => analyze::run(&args),
        Command::Plot(args) => plot::run(&args),
        Command::Tables(args) => tables::run(args),
        Command::Studies { json } => studies::run(json).map_err(|e| vec![e]),
    };
    match result {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("cohortscope: writing the output: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(lines) => {
            for line in lines {
                eprintln!("cohortscope: {line}");
            }
            ExitCode::FAILURE
        }
    }
}

/// A confidence level given as `flag`: strictly between 0 and 1.
fn check_level(flag: &str, level: f64) -> Result<(), String> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(format!("{flag} {level} is not strictly between 0 and 1"))
    }
}

fn read_bytes(file: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))
}

/// Serialises a report as one line of JSON and a line end.
fn json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value)
        .map(|s| s + "\n")
        .map_err(|e| format!("writing JSON: {e}"))
}

fn shape(file: &Path) -> Result<String, String> {
    let p = preview(read_bytes(file)?).map_err(|e| format!("{}: {e}", file.display()))?;
    let numeric: Vec<&str> = p.numeric.iter().map(|c| c.name.as_str()).collect();
    Ok(format!(
        "{} rows, {} columns\ncolumns: {}\nnumeric: {}\n",
        p.rows,
        p.columns.len(),
        p.columns.join(", "),
        if numeric.is_empty() {
            "none".to_string()
        } else {
            numeric.join(", ")
        }
    ))
}
