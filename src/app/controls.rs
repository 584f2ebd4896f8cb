//! The view's controls: grouping, filters, endpoint and the conventions
//! (a preset and each convention on its own).

use yew::prelude::*;

use super::filters::FilterForm;
use super::state::{Action, AppState, Shared};
use crate::engine::CohortSummary;
use crate::report::filters::describe;
use crate::share::ViewState;
use crate::stats::conventions::{
    BinomialCi, CiTransform, Conventions, Denominator, MedianRule, Preset, Ties,
};

#[derive(Properties, PartialEq, Clone)]
pub struct ControlsProps {
    /// The whole (unfiltered) cohort's summary: the columns and endpoints offered.
    pub summary: Shared<CohortSummary>,
    pub view: ViewState,
    /// The column that groups the report (the view's choice, or an ADaM arm).
    pub group: Option<String>,
    /// The conventions in use (the view's choice with a study's denominator).
    pub conventions: Conventions,
    pub filter_problems: Vec<String>,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// A labelled select of named options; `on` receives the chosen name.
fn select(id: &str, label: &str, names: &[&str], current: &str, on: Callback<String>) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        on.emit(select.value());
    });
    html! {
        <label class="field" for={id.to_string()}>{ label }
            <select id={id.to_string()} {onchange}>
                { for names.iter().map(|n| html! { <option value={n.to_string()} selected={*n == current}>{ *n }</option> }) }
            </select>
        </label>
    }
}

#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let d = props.dispatch.clone();
    let on = |make: fn(String) -> Option<Action>| {
        let d = d.clone();
        Callback::from(move |v: String| {
            if let Some(action) = make(v) {
                d.dispatch(action);
            }
        })
    };
    let mut group_names: Vec<&str> = vec!["(none)"];
    group_names.extend(props.summary.grouping_columns.iter().map(String::as_str));
    let group = props.group.clone().unwrap_or_else(|| "(none)".to_string());
    let endpoints = &props.summary.endpoints;
    let endpoint = props
        .view
        .endpoint
        .clone()
        .or_else(|| endpoints.first().map(|e| e.0.clone()))
        .unwrap_or_default();
    let on_endpoint = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            d.dispatch(Action::SetEndpoint(select.value()));
        })
    };
    let c = props.conventions;
    let preset = props.view.conventions.preset.unwrap_or(Preset::Default);
    let on_add = {
        let d = d.clone();
        Callback::from(move |f| d.dispatch(Action::AddFilter(f)))
    };
    html! {
        <section class="controls-panel" aria-label="View controls">
            <div class="row">
                { select("group", "Group by", &group_names, &group, on(|v| Some(Action::SetGroup((v != "(none)").then_some(v))))) }
                <label class="field" for="endpoint">{ "Endpoint" }
                    <select id="endpoint" onchange={on_endpoint}>
                        { for endpoints.iter().map(|(k, l)| html! { <option value={k.clone()} selected={*k == endpoint}>{ format!("{l} ({k})") }</option> }) }
                    </select>
                </label>
                if !props.view.selected.is_empty() {
                    <button type="button" onclick={{ let d = d.clone(); Callback::from(move |_: MouseEvent| d.dispatch(Action::ClearSelection)) }}>
                        { format!("Clear selection ({})", props.view.selected.len()) }</button>
                }
            </div>
            <div class="row">
                <FilterForm columns={props.summary.filter_columns.clone()} {on_add} />
                <ul class="filters" aria-label="Active filters">
                    { for props.view.filters.iter().enumerate().map(|(i, f)| {
                        let d = d.clone();
                        html! { <li>{ describe(f) }{ " " }
                            <button type="button" aria-label={format!("Remove filter {}", describe(f))}
                                onclick={Callback::from(move |_: MouseEvent| d.dispatch(Action::RemoveFilter(i)))}>{ "×" }</button></li> }
                    }) }
                </ul>
                { for props.filter_problems.iter().map(|p| html! { <p class="warning">{ p }</p> }) }
            </div>
            <div class="row conventions-controls">
                { select("preset", "Conventions preset", Preset::NAMES, preset.as_str(), on(|v| v.parse().ok().map(Action::SetPreset))) }
                { select("ci-transform", "KM CI transform", CiTransform::NAMES, c.ci_transform.as_str(), on(|v| v.parse().ok().map(Action::SetCiTransform))) }
                { select("median-rule", "Median rule", MedianRule::NAMES, c.median_rule.as_str(), on(|v| v.parse().ok().map(Action::SetMedianRule))) }
                { select("ties", "Cox ties", Ties::NAMES, c.ties.as_str(), on(|v| v.parse().ok().map(Action::SetTies))) }
                { select("denominator", "ORR denominator", Denominator::NAMES, c.denominator.as_str(), on(|v| v.parse().ok().map(Action::SetDenominator))) }
                { select("binomial-ci", "ORR/DCR interval", BinomialCi::NAMES, c.binomial_ci.as_str(), on(|v| v.parse().ok().map(Action::SetBinomialCi))) }
            </div>
        </section>
    }
}
