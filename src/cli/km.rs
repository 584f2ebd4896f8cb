//! `cohortscope km`: read a CSV by column names, print the Kaplan–Meier report.

use super::{check_level, json, read_bytes, KmArgs};
use crate::data::km_table::{read_km_table, KmColumns, Status};
use crate::data::InputFile;
use crate::report::conventions::with_overrides;
use crate::report::km::{km_report, KmSettings};
use crate::report::text::km_text;

pub(super) fn run(args: &KmArgs) -> Result<String, String> {
    let conventions = with_overrides(args.preset, |c| {
        if let Some(t) = args.conf_type {
            c.ci_transform = t;
        }
        if let Some(l) = args.conf_level {
            c.conf_level = l;
        }
        if let Some(t) = args.ties {
            c.ties = t;
        }
        if let Some(m) = args.median_rule {
            c.median_rule = m;
        }
    });
    check_level("--conf-level", conventions.conf_level)?;
    if let Some(tau) = args.tau.filter(|t| !(t.is_finite() && *t > 0.0)) {
        return Err(format!("--tau {tau} is not a positive time"));
    }
    if let Some(l) = args
        .landmarks
        .iter()
        .find(|l| !(l.is_finite() && **l >= 0.0))
    {
        return Err(format!("--landmarks: {l} is not a time ≥ 0"));
    }
    let status = match (&args.event, &args.censor) {
        (Some(event), None) => Status::Event(event),
        (None, Some(censor)) => Status::Censor(censor),
        _ => return Err("give the event column (--event, 1 = event) or the censoring column (--censor, 1 = censored, as ADaM's CNSR)".into()),
    };
    let columns = KmColumns {
        time: &args.time,
        status,
        group: args.group.as_deref(),
        strata: args.strata.as_deref(),
        param: args.param.as_deref(),
    };
    let file = args.file.display();
    let read = read_km_table(
        InputFile::new(file.to_string(), read_bytes(&args.file)?),
        &columns,
    )
    .map_err(|m| format!("{file}: {m}"))?;
    for note in &read.notes {
        eprintln!("cohortscope: note: {note}");
    }
    let input = read.input;
    let settings = KmSettings {
        transform: conventions.ci_transform,
        level: conventions.conf_level,
        ties: conventions.ties,
        median_rule: conventions.median_rule,
        landmarks: args.landmarks.clone(),
        tau: args.tau,
    };
    let report = km_report(&input, &settings).map_err(|e| format!("{file}: {e}"))?;
    if args.json {
        for note in &report.notes {
            eprintln!("cohortscope: note: {note}");
        }
        json(&report)
    } else {
        Ok(km_text(&report, args.group.as_deref()))
    }
}
