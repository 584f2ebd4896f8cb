//! The model of a view: every number, table row and chart view-model the
//! page shows, built from the view's [`ViewReport`] (the numbers of
//! `cohortscope analyze` for the same view).

use serde::{Deserialize, Serialize};

use std::collections::HashSet;
use std::rc::Rc;

use crate::charts::format::{fixed, percent, signed_percent};
use crate::charts::swimmer::SwimmerData;
use crate::charts::waterfall::WaterfallData;
use crate::data::{Cell, Cohort};
use crate::figures::swimmer::SwimmerFigure;
use crate::figures::table::{self, Row};
use crate::figures::waterfall::{readout, waterfall_data};
use crate::report::consistency::Consistency;
use crate::report::forest::Forest;
use crate::report::r_snippet::{r_snippet, Grouping, RView};
use crate::report::tables::text::{grids, Grid};
use crate::report::tables::{of_view, Tables};
use crate::report::view::{levels_of, Survival, ViewReport};
use crate::share::TablesChoice;
use crate::stats::conventions::Conventions;

/// How the page draws a view, besides what its link says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewOptions {
    /// Waterfall bars coloured by the grouping column.
    pub colour_by_group: bool,
    /// Swimmer lanes of responders only.
    pub swimmer_responders_only: bool,
}

/// The waterfall of a view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaterfallModel {
    pub data: Rc<WaterfallData>,
    /// The ORR the bars suggest against the recorded one.
    pub consistency: Option<Consistency>,
    /// The grouping column named by the readout.
    pub group: Option<String>,
}

impl WaterfallModel {
    /// What the hover and the keyboard show of the bar of patient `id`.
    pub fn readout(&self, id: &str) -> Option<String> {
        let patient = self.data.patients.iter().find(|p| p.id == id)?;
        Some(readout(patient, self.group.as_deref(), &self.data.selected))
    }

    /// Patients with a bar (in the whole view, when the bars drawn are a sample).
    pub fn shown(&self) -> usize {
        self.data.sample.map_or_else(
            || {
                self.data
                    .patients
                    .iter()
                    .filter(|p| p.best_change_pct.is_some())
                    .count()
            },
            |s| s.bars,
        )
    }

    /// Patients without a post-baseline measurement (no bar).
    pub fn not_shown(&self) -> usize {
        self.data
            .sample
            .map_or_else(|| self.data.patients.len() - self.shown(), |s| s.not_shown)
    }
}

/// The swimmer plot of a view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwimmerModel {
    pub data: Rc<SwimmerData>,
    /// What the page says under the plot when lanes were left out.
    pub note: Option<String>,
}

/// A selected patient, as the selected-patients table shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectedRow {
    pub id: String,
    pub response: String,
    pub change: String,
    /// The value of the grouping column.
    pub group_value: String,
    /// Each endpoint's time: "OS 12.3, PFS 4.1+" (+ censored).
    pub times: String,
}

/// The efficacy tables of a grouped view (`report::tables`), as the page
/// shows them: the grids of `cohortscope tables`, and what its controls offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TablesModel {
    /// The arms in report order: the reference's choices, the first the default.
    pub arms: Vec<String>,
    /// Categorical columns to stratify by (the arm column left out).
    pub strata_columns: Vec<String>,
    pub grids: Vec<Grid>,
    /// Why there are no tables (a reference arm or stratum the data lack).
    pub problem: Option<String>,
}

impl TablesModel {
    /// The tables of `report` under `choice` (with the [`Tables`] they show,
    /// for the exports); `None` when the view is not grouped.
    pub fn build(
        report: &ViewReport,
        choice: &TablesChoice,
    ) -> Option<(TablesModel, Option<Tables>)> {
        let arm = report.group.as_deref()?;
        let result = of_view(report, choice)?;
        let arms = levels_of(&report.cohort, arm).map_or_else(Vec::new, |(levels, _)| levels);
        let strata_columns = report
            .cohort
            .grouping_columns()
            .map(|c| c.name.clone())
            .filter(|c| c != arm)
            .collect();
        let (grids, problem, tables) = match result {
            Ok(t) => (grids(&t), None, Some(t)),
            Err(e) => (Vec::new(), Some(e), None),
        };
        Some((
            TablesModel {
                arms,
                strata_columns,
                grids,
                problem,
            },
            tables,
        ))
    }
}

/// Everything the page shows of a view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageModel {
    /// Patients after the filters.
    pub patients: usize,
    /// The column the report is grouped by.
    pub group: Option<String>,
    /// Filters not applied and a grouping ignored, one line each.
    pub problems: Vec<String>,
    /// The report table.
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
    /// The conventions in effect, as the page states them.
    pub conventions_text: String,
    /// "25/66 (37.9%)", or "—".
    pub orr_text: String,
    /// `None` without best responses and % changes.
    pub waterfall: Option<WaterfallModel>,
    /// The Kaplan–Meier plot of the view's endpoint.
    pub survival: Option<Rc<Survival>>,
    /// `None` without best responses or endpoints.
    pub swimmer: Option<SwimmerModel>,
    pub forest: Option<Rc<Forest>>,
    /// The selected patients among those after the filters, in selection order.
    pub selected: Vec<SelectedRow>,
    /// The R script that reproduces the numbers from the exported CSV.
    pub r_snippet: String,
    /// `None` when the view is not grouped or the page does not show its
    /// tables (its `tab` is not [`TABLES_TAB`](crate::report::tables::TABLES_TAB)).
    pub tables: Option<Rc<TablesModel>>,
}

impl PageModel {
    /// The model of `report`, drawn with `options`, `selected` patients
    /// highlighted.
    pub fn build(
        report: &ViewReport,
        conventions: &Conventions,
        selected: &[String],
        options: ViewOptions,
        tables: Option<Rc<TablesModel>>,
    ) -> PageModel {
        let cohort = &report.cohort;
        let group = report.group.as_deref();
        let (header, rows) = table::rows(&report.columns, conventions);
        let orr_text = match report.columns[0]
            .analysis
            .response
            .as_ref()
            .and_then(|r| r.orr)
        {
            Some(r) => format!("{}/{} ({})", r.k, r.n, percent(r.estimate, 1)),
            None => "—".to_string(),
        };
        let waterfall =
            (cohort.best_pct_change.is_some() && cohort.best_response.is_some()).then(|| {
                let flagged: HashSet<String> = report
                    .consistency
                    .as_ref()
                    .map(|c| c.flagged.iter().cloned().collect())
                    .unwrap_or_default();
                WaterfallModel {
                    data: Rc::new(waterfall_data(
                        cohort,
                        group,
                        options.colour_by_group,
                        selected,
                        &flagged,
                    )),
                    consistency: report.consistency.clone(),
                    group: report.group.clone(),
                }
            });
        let swimmer = (cohort.best_response.is_some() && !cohort.endpoints.is_empty()).then(|| {
            let figure = SwimmerFigure::new(cohort, options.swimmer_responders_only, selected);
            SwimmerModel {
                note: figure.note(),
                data: Rc::new(figure.data),
            }
        });
        PageModel {
            patients: cohort.len(),
            group: report.group.clone(),
            problems: report
                .filter_problems
                .iter()
                .cloned()
                .chain(
                    report
                        .group_problem
                        .iter()
                        .map(|p| format!("group ignored: {p}")),
                )
                .collect(),
            header,
            rows,
            notes: table::notes(&report.columns),
            conventions_text: table::conventions_text(conventions),
            orr_text,
            waterfall,
            survival: report.survival.clone(),
            swimmer,
            forest: report.forest.clone(),
            selected: selected_rows(cohort, selected, group),
            r_snippet: r_snippet(&RView {
                cohort,
                grouping: group.map(|column| Grouping {
                    column,
                    groups: &report.groups,
                }),
                filters: &report.filters,
                conventions,
                figure: report.survival.as_ref().map(|s| s.key.as_str()),
            }),
            tables,
        }
    }
}

/// The rows of the selected patients found in `cohort`, in selection order.
fn selected_rows(cohort: &Cohort, selected: &[String], group: Option<&str>) -> Vec<SelectedRow> {
    if selected.is_empty() {
        return Vec::new();
    }
    selected
        .iter()
        .filter_map(|id| cohort.ids.iter().position(|x| x == id))
        .map(|i| {
            let times: Vec<String> = cohort
                .endpoints
                .iter()
                .filter_map(|e| {
                    e.values.get(i).map(|t| {
                        format!(
                            "{} {}{}",
                            e.key.to_uppercase(),
                            fixed(t.months, 1),
                            if t.event { "" } else { "+" }
                        )
                    })
                })
                .collect();
            SelectedRow {
                id: cohort.ids[i].to_string(),
                response: cohort
                    .best_response
                    .as_ref()
                    .and_then(|v| v[i])
                    .map_or("", |r| r.code())
                    .to_string(),
                change: cohort
                    .best_pct_change
                    .as_ref()
                    .and_then(|v| v.get(i))
                    .map_or_else(String::new, |x| signed_percent(x, 1)),
                group_value: group
                    .and_then(|g| match cohort.cell(g, i) {
                        Ok(Cell::Text(t)) => Some(t.to_string()),
                        _ => None,
                    })
                    .unwrap_or_default(),
                times: times.join(", "),
            }
        })
        .collect()
}
