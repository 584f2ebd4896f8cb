//! `cohortscope plot`: one of the page's charts for the view the flags
//! describe, drawn to SVG by the same view-model ([`crate::figures`]) and
//! drawing function ([`crate::charts`]) as the page's SVG export.

use std::collections::HashSet;

use super::analyze::view;
use super::{Chart, PlotArgs};
use crate::charts::style::ChartStyle;
use crate::charts::svg::render;
use crate::charts::{forest, km, swimmer, waterfall};
use crate::figures;

/// Runs the command: writes the SVG file (or prints it for `-`).
pub(super) fn run(args: &PlotArgs) -> Result<String, Vec<String>> {
    if !(100..=20_000).contains(&args.width) {
        return Err(vec![format!(
            "--width {} is outside 100..20000 pixels",
            args.width
        )]);
    }
    let (cohort_all, report) = view(&args.view, args.plot_endpoint.as_deref())?;
    if let Some(key) = &args.plot_endpoint {
        if cohort_all.endpoint(key).is_none() {
            let keys: Vec<&str> = cohort_all
                .endpoints
                .iter()
                .map(|e| e.key.as_str())
                .collect();
            return Err(vec![format!(
                "--plot-endpoint {key:?}: the cohort's endpoints are {}",
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                }
            )]);
        }
    }
    let style = ChartStyle::default();
    let cohort = &report.cohort;
    let width = args.width;
    let (svg, drawn) = match args.chart {
        Chart::Km => {
            let survival = report.survival.as_ref().ok_or_else(|| {
                vec!["no Kaplan–Meier plot: the cohort has no time-to-event endpoint".to_string()]
            })?;
            let data =
                figures::km::km_data(survival, "months", None, !args.no_ci_bands, args.landmark);
            let (svg, r) = render((width, figures::km::HEIGHT), |area| {
                km::draw(area, &data, &style)
            });
            (svg, r.map(drop).map_err(|e| e.to_string()))
        }
        Chart::Waterfall => {
            if cohort.best_response.is_none() || cohort.best_pct_change.is_none() {
                return Err(vec![
                    "no waterfall: the cohort has no best response and best % change".to_string(),
                ]);
            }
            let flagged: HashSet<String> = report
                .consistency
                .as_ref()
                .map(|c| c.flagged.iter().cloned().collect())
                .unwrap_or_default();
            let data = figures::waterfall::waterfall_data(
                cohort,
                report.group.as_deref(),
                args.colour_by_group,
                &[],
                &flagged,
            );
            let (svg, r) = render((width, figures::waterfall::HEIGHT), |area| {
                waterfall::draw(area, &data, &style)
            });
            (svg, r.map(drop).map_err(|e| e.to_string()))
        }
        Chart::Swimmer => {
            if cohort.best_response.is_none() || cohort.endpoints.is_empty() {
                return Err(vec![
                    "no swimmer plot: the cohort has no best response or no time-to-event endpoint"
                        .to_string(),
                ]);
            }
            let figure = figures::swimmer::SwimmerFigure::new(cohort, args.responders_only, &[]);
            if let Some(note) = figure.note() {
                eprintln!("cohortscope: note: {note}");
            }
            let data = figure.data;
            let height = figures::swimmer::swimmer_height(&data);
            let (svg, r) = render((width, height), |area| swimmer::draw(area, &data, &style));
            (svg, r.map(drop).map_err(|e| e.to_string()))
        }
        Chart::Forest => {
            let forest_numbers = report.forest.as_ref().ok_or_else(|| {
                vec![
                    "no forest plot: it compares two groups (--group a column with at least two groups) on a time-to-event endpoint"
                        .to_string(),
                ]
            })?;
            let data = figures::forest::forest_data(forest_numbers);
            let height = figures::forest::forest_height(&data);
            let (svg, r) = render((width, height), |area| forest::draw(area, &data, &style));
            (svg, r.map(drop).map_err(|e| e.to_string()))
        }
    };
    drawn.map_err(|e| vec![format!("drawing the chart: {e}")])?;
    if args.svg.as_os_str() == "-" {
        return Ok(svg);
    }
    std::fs::write(&args.svg, svg).map_err(|e| vec![format!("{}: {e}", args.svg.display())])?;
    Ok(String::new())
}
