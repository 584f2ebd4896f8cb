//! The Tables section: the efficacy tables of a grouped view (the arms are
//! the group column), with the reference arm, strata, time points and the
//! interval of differences to choose, and the tables' files. The grids come
//! from the worker ([`TablesModel`]), made by `cohortscope tables`' code.

use yew::prelude::*;

use super::state::{Action, AppState, Shared};
use crate::engine::{ExportKind, TablesModel};
use crate::report::tables::text::Grid;
use crate::report::tables::{parse_timepoints, DEFAULT_TIMEPOINTS};
use crate::share::TablesChoice;
use crate::stats::conventions::DifferenceCi;

#[derive(Properties, PartialEq, Clone)]
pub struct TablesViewProps {
    pub model: Shared<TablesModel>,
    pub choice: TablesChoice,
    pub dispatch: UseReducerDispatcher<AppState>,
    pub download: Callback<ExportKind>,
}

/// One grid as a table: the label column as row headers, indentation kept.
fn grid_table(grid: &Grid, index: usize) -> Html {
    html! {
        <div class="table-block">
            <table class="report efficacy" id={format!("efficacy-table-{index}")}>
                <caption>{ grid.title.clone() }</caption>
                <thead><tr>{ for grid.header.iter().map(|h| html! { <th scope="col">{ h }</th> }) }</tr></thead>
                <tbody>
                    { for grid.rows.iter().map(|row| {
                        let (label, cells) = row.split_first().map_or(("", &[][..]), |(l, c)| (l.as_str(), c));
                        // Two spaces a level (the grids' text layout); a class, as the
                        // page's policy allows no inline style.
                        let level = (label.len() - label.trim_start().len()) / 2;
                        html! {
                            <tr>
                                <th scope="row" class={format!("indent-{}", level.min(3))}>{ label.trim_start() }</th>
                                { for cells.iter().map(|c| html! { <td>{ c }</td> }) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <ul class="note">{ for grid.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
        </div>
    }
}

#[component]
pub fn TablesView(props: &TablesViewProps) -> Html {
    let m = &props.model.0;
    let d = props.dispatch.clone();
    let first = m.arms.first().cloned().unwrap_or_default();
    let reference = props
        .choice
        .reference
        .clone()
        .unwrap_or_else(|| first.clone());
    let on_reference = {
        let (d, first) = (d.clone(), first.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            d.dispatch(Action::SetTablesReference {
                arm: select.value(),
                first: first.clone(),
            });
        })
    };
    let diff_ci = props.choice.diff_ci.unwrap_or_default();
    let on_diff_ci = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(method) = select.value().parse::<DifferenceCi>() {
                d.dispatch(Action::SetDiffCi(method));
            }
        })
    };
    let times = if props.choice.timepoints.is_empty() {
        &DEFAULT_TIMEPOINTS[..]
    } else {
        &props.choice.timepoints[..]
    };
    let times_text = times
        .iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    // A typed list that does not read stays in the box, with the reason beside it.
    let times_problem = use_state(|| None::<String>);
    let on_times = {
        let (d, problem) = (d.clone(), times_problem.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            match parse_timepoints(&input.value()) {
                Ok(times) => {
                    problem.set(None);
                    d.dispatch(Action::SetTablesTimepoints(times));
                }
                Err(reason) => problem.set(Some(reason)),
            }
        })
    };
    let export = |kind: ExportKind| props.download.reform(move |_: MouseEvent| kind);
    html! {
        <section class="report-section" aria-labelledby="tables-title" id="tables-section">
            <h2 id="tables-title">{ "Tables" }
                <button type="button" id="hide-tables" class="export" onclick={{ let d = d.clone(); Callback::from(move |_: MouseEvent| d.dispatch(Action::ShowTables(false))) }}>{ "Hide" }</button>
            </h2>
            <div class="row conventions-controls">
                <label class="field" for="tables-reference">{ "Reference arm" }
                    <select id="tables-reference" onchange={on_reference}>
                        { for m.arms.iter().map(|a| html! { <option value={a.clone()} selected={*a == reference}>{ a }</option> }) }
                    </select>
                </label>
                <label class="field" for="tables-diff-ci">{ "Difference interval" }
                    <select id="tables-diff-ci" onchange={on_diff_ci}>
                        { for DifferenceCi::NAMES.iter().map(|n| html! { <option value={n.to_string()} selected={*n == diff_ci.as_str()}>{ *n }</option> }) }
                    </select>
                </label>
                <label class="field" for="tables-timepoints">{ "Time points (months)" }
                    <input id="tables-timepoints" type="text" value={times_text} onchange={on_times} />
                </label>
                if let Some(problem) = &*times_problem {
                    <p class="warning" id="tables-timepoints-problem">{ problem.clone() }</p>
                }
            </div>
            if !m.strata_columns.is_empty() {
                <fieldset class="row" id="tables-strata">
                    <legend>{ "Stratify by" }</legend>
                    { for m.strata_columns.iter().map(|c| {
                        let (d, column) = (d.clone(), c.clone());
                        let checked = props.choice.strata.contains(c);
                        html! {
                            <label class="check">
                                <input type="checkbox" {checked}
                                    onchange={Callback::from(move |_: Event| d.dispatch(Action::ToggleTablesStratum(column.clone())))} />
                                { c }
                            </label>
                        }
                    }) }
                </fieldset>
            }
            if let Some(problem) = &m.problem {
                <p class="warning" id="tables-problem">{ problem.clone() }</p>
            }
            { for m.grids.iter().enumerate().map(|(i, g)| grid_table(g, i)) }
            if !m.grids.is_empty() {
                <p class="exports">
                    <button type="button" class="export" onclick={export(ExportKind::TablesCsv)}>{ "Tables as CSV" }</button>
                    <button type="button" class="export" onclick={export(ExportKind::TablesHtml)}>{ "Tables as HTML (for Word)" }</button>
                    <button type="button" class="export" onclick={export(ExportKind::TablesRtf)}>{ "Tables as RTF" }</button>
                    <button type="button" class="export" onclick={export(ExportKind::TablesJson)}>{ "Tables as JSON (cohortscope.tables/1)" }</button>
                </p>
            }
        </section>
    }
}
