//! `cohortscope analyze`: import a cohort (or take a built-in study) and
//! print the full analysis.

use super::{json, read_bytes, AnalyzeArgs};
use crate::data::import::import_csv;
use crate::data::studies::by_id;
use crate::report::analysis::{analyze, study_conventions};
use crate::report::conventions::with_overrides;
use crate::report::text::analysis_text;

/// Runs the command; import errors come back as one line each.
pub(super) fn run(args: &AnalyzeArgs) -> Result<String, Vec<String>> {
    let mut conventions = with_overrides(args.preset, |_| {});
    let (bytes, source, study) = match (&args.study, &args.file) {
        (Some(id), _) => {
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
            (study.csv.as_bytes().to_vec(), id.clone(), Some(study.info))
        }
        (None, Some(file)) => (
            read_bytes(file).map_err(|e| vec![e])?,
            file.display().to_string(),
            None,
        ),
        (None, None) => return Err(vec!["give a cohort file or --study ID".into()]),
    };
    if let Some(d) = args.denominator {
        conventions.denominator = d;
    }
    let cohort = import_csv(bytes, None).map_err(|failure| {
        failure
            .messages
            .iter()
            .filter(|m| m.is_error())
            .map(|m| format!("{source}: {m}"))
            .collect::<Vec<_>>()
    })?;
    for m in cohort.messages.iter().filter(|m| !m.is_error()) {
        eprintln!("cohortscope: {source}: {}: {m}", severity(m));
    }
    let analysis = analyze(&cohort, &conventions, study.as_ref());
    if args.json {
        for note in &analysis.notes {
            eprintln!("cohortscope: note: {note}");
        }
        json(&analysis).map_err(|e| vec![e])
    } else {
        Ok(analysis_text(&analysis))
    }
}

fn severity(m: &crate::data::message::Message) -> &'static str {
    match m.severity {
        crate::data::message::Severity::Error => "error",
        crate::data::message::Severity::Warning => "warning",
        crate::data::message::Severity::Note => "note",
    }
}
