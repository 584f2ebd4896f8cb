//! `cohortscope analyze`: import a cohort (files or a built-in study) and
//! print the analysis of the view the flags describe, as the page computes
//! it: filters, grouping, ADaM choices and conventions.

use super::{check_level, json, read_bytes, AnalyzeArgs, ViewArgs};
use crate::data::adam::{AdamChoices, Arm, Population};
use crate::data::message::Severity;
use crate::data::studies::by_id;
use crate::data::{import_files, Cohort, ImportOptions, InputFile};
use crate::report::analysis::study_conventions;
use crate::report::conventions::with_overrides;
use crate::report::filters;
use crate::report::text::{analysis_text, comparisons_text};
use crate::report::view::{view_report, Grouping, ViewReport, ViewSpec};
use crate::share::{Condition, Filter};
use std::rc::Rc;

/// Runs the command; problems come back as one line each.
pub(super) fn run(args: &AnalyzeArgs) -> Result<String, Vec<String>> {
    let (cohort, report) = view(&args.view, None)?;
    let level = report.columns[0].analysis.conventions.conf_level;
    let (columns, group, described) = (&report.columns, &report.group, &report.filters);
    let export = report.export();
    if args.json {
        for note in columns.iter().flat_map(|c| &c.analysis.notes) {
            eprintln!("cohortscope: note: {note}");
        }
        return json(&export).map_err(|e| vec![e]);
    }
    let mut out = String::new();
    if let Some(adam) = &cohort.adam {
        out.push_str(&format!("ADaM: {}\n\n", adam.headline()));
    }
    if !described.is_empty() {
        out.push_str(&format!("Filters: {}\n\n", described.join("; ")));
    }
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            out.push_str(&format!(
                "\n== {} = {} ({} patients) ==\n\n",
                group.as_deref().unwrap_or(""),
                column.label,
                column.analysis.n
            ));
        }
        out.push_str(&analysis_text(&column.analysis));
    }
    if let (Some(group), false) = (group, report.comparisons.is_empty()) {
        out.push_str(&comparisons_text(&report.comparisons, group, level));
    }
    Ok(out)
}

/// Imports the cohort the flags name and computes the report of the view
/// they describe (`endpoint`: the one the figures show), with the page's
/// [`view_report`]; import warnings go to stderr.
pub(super) fn view(
    args: &ViewArgs,
    endpoint: Option<&str>,
) -> Result<(Rc<Cohort>, ViewReport), Vec<String>> {
    let mut conventions = with_overrides(args.preset, |c| {
        if let Some(v) = args.ci_transform {
            c.ci_transform = v;
        }
        if let Some(v) = args.level {
            c.conf_level = v;
        }
        if let Some(v) = args.median_rule {
            c.median_rule = v;
        }
        if let Some(v) = args.ties {
            c.ties = v;
        }
        if let Some(v) = args.binomial_ci {
            c.binomial_ci = v;
        }
    });
    check_level("--level", conventions.conf_level).map_err(|e| vec![e])?;
    let (files, study) = match &args.study {
        Some(id) => {
            let study = by_id(id).ok_or_else(|| {
                let ids: Vec<String> = crate::data::studies::all()
                    .into_iter()
                    .map(|s| s.info.id)
                    .collect();
                vec![format!(
                    "no built-in study {id:?}; the studies are {}",
                    ids.join(", ")
                )]
            })?;
            conventions = study_conventions(conventions, &study.info);
            // Unnamed: messages about a study's data are prefixed with its id.
            (
                vec![InputFile::new("", study.csv.as_bytes().to_vec())],
                Some(study.info),
            )
        }
        None => {
            let mut files = Vec::new();
            for path in &args.files {
                files.push(InputFile::new(
                    path.display().to_string(),
                    read_bytes(path).map_err(|e| vec![e])?,
                ));
            }
            (files, None)
        }
    };
    if let Some(d) = args.denominator {
        conventions.denominator = d;
    }
    let options = ImportOptions {
        mapping: None,
        adam: AdamChoices {
            population: args.population.as_deref().map(Population::parse),
            response_param: args
                .response_param
                .as_ref()
                .map(|p| p.trim().to_ascii_uppercase()),
            arm: args.arm.as_deref().map(Arm::parse),
            endpoints: (!args.endpoint.is_empty()).then(|| {
                args.endpoint
                    .iter()
                    .map(|e| e.trim().to_ascii_uppercase())
                    .collect()
            }),
        },
    };
    let prefix = args
        .study
        .as_ref()
        .map_or(String::new(), |id| format!("{id}: "));
    let cohort = import_files(files, &options).map_err(|failure| {
        failure
            .messages
            .iter()
            .filter(|m| m.is_error())
            .map(|m| format!("{prefix}{m}"))
            .collect::<Vec<_>>()
    })?;
    for m in cohort.messages.iter().filter(|m| !m.is_error()) {
        eprintln!("cohortscope: {prefix}{}: {m}", severity(m.severity));
    }
    if cohort
        .endpoints
        .iter()
        .any(|e| e.unit != crate::data::values::TimeUnit::Months)
    {
        eprintln!("cohortscope: note: times are reported in months (days / 30.4375, weeks × 7 / 30.4375, years × 12)");
    }
    let parsed: Vec<Filter> = args
        .filter
        .iter()
        .map(|f| parse_filter(f, &cohort))
        .collect::<Result<_, _>>()
        .map_err(|e| vec![e])?;
    let grouping = match args.group.as_deref() {
        None => Grouping::Default,
        Some(g) if g.eq_ignore_ascii_case("none") => Grouping::None,
        Some(g) => Grouping::Column(g),
    };
    let cohort = Rc::new(cohort);
    let report = view_report(
        &cohort,
        &ViewSpec {
            filters: &parsed,
            grouping,
            endpoint,
            conventions,
            study: study.as_ref(),
        },
    );
    if !report.filter_problems.is_empty() {
        return Err(report.filter_problems);
    }
    if let Some(problem) = &report.group_problem {
        return Err(vec![problem.clone()]);
    }
    Ok((cohort, report))
}

/// `COL=VALUE`, or `COL=MIN..MAX` for a numeric column (either bound may be empty).
fn parse_filter(text: &str, cohort: &Cohort) -> Result<Filter, String> {
    let Some((column, value)) = text.split_once('=') else {
        return Err(format!("--filter {text:?}: expected COL=VALUE"));
    };
    let column = column.trim().to_string();
    let numeric = filters::filter_columns(cohort)
        .into_iter()
        .any(|(name, levels)| name == column && levels.is_none());
    if let (true, Some((min, max))) = (numeric, value.split_once("..")) {
        let bound = |b: &str| -> Result<Option<f64>, String> {
            let b = b.trim();
            if b.is_empty() {
                return Ok(None);
            }
            b.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| format!("--filter {text:?}: {b:?} is not a number"))
        };
        let (min, max) = (bound(min)?, bound(max)?);
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                return Err(format!("--filter {text:?}: the range is empty ({a} > {b})"));
            }
        }
        return Ok(Filter {
            column,
            condition: Condition::Range { min, max },
        });
    }
    Ok(Filter {
        column,
        condition: Condition::OneOf(vec![value.to_string()]),
    })
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}
