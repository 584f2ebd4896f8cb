//! Row filters: which patients a [`Filter`] keeps, and the form that adds one.

use yew::prelude::*;

use crate::data::{Cell, Cohort, CovariateValues};
use crate::share::{Condition, Filter};
use crate::stats::response::BestResponse;

/// Whether a cell meets a condition. A category matches by its text (a
/// response by its code, a blank cell by ""); a range holds numbers and
/// times (in months) within its bounds, and no blank cell.
pub fn passes(cell: Cell<'_>, condition: &Condition) -> bool {
    match condition {
        Condition::OneOf(values) => {
            let text = match cell {
                Cell::Missing => String::new(),
                Cell::Text(t) => t.to_string(),
                Cell::Number(x) => x.to_string(),
                Cell::Response(r) => r.code().to_string(),
                Cell::Event(te) => te.months.to_string(),
            };
            values.iter().any(|v| *v == text)
        }
        Condition::Range { min, max } => {
            let x = match cell {
                Cell::Number(x) => x,
                Cell::Event(te) => te.months,
                _ => return false,
            };
            min.is_none_or(|m| x >= m) && max.is_none_or(|m| x <= m)
        }
    }
}

/// The patients who pass every filter; a filter on a column the cohort
/// does not have is reported and skipped.
pub fn apply(cohort: &Cohort, filters: &[Filter]) -> (Cohort, Vec<String>) {
    let mut out = cohort.clone();
    let mut problems = Vec::new();
    for f in filters {
        match out.filter(&f.column, |cell| passes(cell, &f.condition)) {
            Ok(kept) => out = kept,
            Err(_) => problems.push(format!(
                "filter on {:?} ignored: the data have no such column",
                f.column
            )),
        }
    }
    (out, problems)
}

/// How a filter reads: "sex is female", "age 40 to 65".
pub fn describe(filter: &Filter) -> String {
    match &filter.condition {
        Condition::OneOf(values) => format!("{} is {}", filter.column, values.join(" or ")),
        Condition::Range { min, max } => match (min, max) {
            (Some(a), Some(b)) => format!("{} from {a} to {b}", filter.column),
            (Some(a), None) => format!("{} ≥ {a}", filter.column),
            (None, Some(b)) => format!("{} ≤ {b}", filter.column),
            (None, None) => format!("{} (any)", filter.column),
        },
    }
}

/// The columns a filter can be set on, and the values to pick from (None: a numeric range).
pub fn filter_columns(cohort: &Cohort) -> Vec<(String, Option<Vec<String>>)> {
    let mut out = Vec::new();
    if cohort.best_response.is_some() {
        out.push((
            "best_response".to_string(),
            Some(
                BestResponse::ALL
                    .iter()
                    .map(|r| r.code().to_string())
                    .collect(),
            ),
        ));
    }
    if cohort.best_pct_change.is_some() {
        out.push(("best_pct_change".to_string(), None));
    }
    for e in &cohort.endpoints {
        out.push((format!("{}_months", e.key), None));
    }
    for c in &cohort.covariates {
        match &c.values {
            CovariateValues::Categorical { levels, .. } => {
                out.push((c.name.clone(), Some(levels.clone())))
            }
            CovariateValues::Numeric(_) => out.push((c.name.clone(), None)),
        }
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct FilterFormProps {
    /// The whole (unfiltered) cohort: the columns and values offered.
    pub columns: Vec<(String, Option<Vec<String>>)>,
    pub on_add: Callback<Filter>,
}

#[component]
pub fn FilterForm(props: &FilterFormProps) -> Html {
    let column = use_state(|| 0usize);
    let value = use_state(String::new);
    let min = use_state(String::new);
    let max = use_state(String::new);
    let Some((name, values)) = props.columns.get(*column).cloned() else {
        return html! {};
    };
    let on_column = {
        let (column, value) = (column.clone(), value.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            column.set(select.selected_index().max(0) as usize);
            value.set(String::new());
        })
    };
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            state.set(input.value());
        })
    };
    let on_value = {
        let value = value.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            value.set(select.value());
        })
    };
    let add = {
        let (name, values) = (name.clone(), values.clone());
        let (value, min, max) = (value.clone(), min.clone(), max.clone());
        let on_add = props.on_add.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let condition = match &values {
                Some(levels) => {
                    let v = if value.is_empty() {
                        levels.first().cloned().unwrap_or_default()
                    } else {
                        (*value).clone()
                    };
                    Condition::OneOf(vec![v])
                }
                None => {
                    let parse = |s: &str| s.trim().parse::<f64>().ok().filter(|x| x.is_finite());
                    let (a, b) = (parse(&min), parse(&max));
                    if let (Some(a), Some(b)) = (a, b) {
                        if a > b {
                            return;
                        }
                    }
                    Condition::Range { min: a, max: b }
                }
            };
            on_add.emit(Filter {
                column: name.clone(),
                condition,
            });
        })
    };
    html! {
        <form class="filter-form" onsubmit={add}>
            <label class="field">{ "Filter on" }
                <select onchange={on_column}>
                    { for props.columns.iter().enumerate().map(|(i, (c, _))| html! {
                        <option selected={i == *column}>{ c }</option>
                    }) }
                </select>
            </label>
            { match values {
                Some(levels) => html! {
                    <label class="field">{ "is" }
                        <select onchange={on_value}>
                            { for levels.iter().map(|l| html! { <option value={l.clone()} selected={*l == *value}>{ l }</option> }) }
                        </select>
                    </label>
                },
                None => html! {
                    <>
                    <label class="field">{ "from" }<input type="number" step="any" value={(*min).clone()} onchange={text_input(&min)} /></label>
                    <label class="field">{ "to" }<input type="number" step="any" value={(*max).clone()} onchange={text_input(&max)} /></label>
                    </>
                },
            } }
            <button type="submit">{ "Add filter" }</button>
        </form>
    }
}
