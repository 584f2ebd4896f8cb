//! `cohortscope tables`: the efficacy tables of the view the flags describe
//! (the data options of `analyze`), per arm with each arm against the
//! reference, as text laid out as the TLG catalog's or as
//! `cohortscope.tables/1` JSON: the page's Tables for the same view.

use super::analyze::view;
use super::{json, TablesArgs};
use crate::report::tables::of_view;
use crate::report::tables::text::tables_text;
use crate::share::{check_timepoints, TablesChoice};

/// Runs the command; problems come back as one line each.
pub(super) fn run(mut args: TablesArgs) -> Result<String, Vec<String>> {
    check_timepoints(&args.timepoints).map_err(|reason| vec![format!("--timepoints: {reason}")])?;
    if args.prop_ci.is_some() {
        args.view.binomial_ci = args.prop_ci;
    }
    // The arms: --group, else --arm (a column, or for ADaM the arm variable,
    // which names its column).
    if args.view.group.is_none() {
        args.view.group = args.view.arm.clone();
    }
    let (_, report) = view(&args.view, None)?;
    let choice = TablesChoice {
        reference: args.reference,
        strata: args.strata,
        timepoints: args.timepoints,
        diff_ci: args.diff_ci,
    };
    let tables = of_view(&report, &choice)
        .ok_or_else(|| {
            vec![
                "no arms to compare: name the arm column with --arm COL (or --group COL)"
                    .to_string(),
            ]
        })?
        .map_err(|e| vec![e])?;
    if args.json {
        for note in &tables.notes {
            eprintln!("cohortscope: note: {note}");
        }
        json(&tables).map_err(|e| vec![e])
    } else {
        Ok(tables_text(&tables))
    }
}
