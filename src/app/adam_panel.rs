//! What an ADaM import found ("ADSL 400 subjects; ADRS 3,200 rows: …") and
//! its choices: population flag, best-response parameter, arm variable and
//! the ADTTE parameters that are endpoints, each with the default stated.
//! A change re-imports; the choices are part of the view and its link.

use yew::prelude::*;

use crate::data::adam::{AdamSummary, Arm, Population};
use crate::share::AdamView;

#[derive(Properties, PartialEq)]
pub struct AdamPanelProps {
    pub summary: AdamSummary,
    /// The choices as the view holds them.
    pub view: AdamView,
    pub on_change: Callback<AdamView>,
}

/// Subjects outside the population listed on the page (the rest counted).
const LISTED_EXCLUDED: usize = 100;

#[component]
pub fn AdamPanel(props: &AdamPanelProps) -> Html {
    let s = &props.summary;
    let change = |apply: fn(&mut AdamView, String)| {
        let (view, on_change) = (props.view.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let mut next = view.clone();
            apply(&mut next, select.value());
            on_change.emit(next);
        })
    };
    let population = s.population.value.as_str().to_string();
    let arm = s.arm.value.as_str().to_string();
    let response = s
        .response_param
        .as_ref()
        .map(|r| r.value.clone())
        .unwrap_or_default();
    let toggle_endpoint = |code: String| {
        let (view, on_change, current) = (
            props.view.clone(),
            props.on_change.clone(),
            s.endpoints.clone(),
        );
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let mut endpoints = current.clone();
            if input.checked() {
                endpoints.push(code.clone());
            } else {
                endpoints.retain(|c| *c != code);
            }
            let mut next = view.clone();
            next.endpoints = endpoints;
            on_change.emit(next);
        })
    };
    let excluded = s.excluded.len();
    html! {
        <section class="adam" aria-labelledby="adam-title">
            <h2 id="adam-title">{ "CDISC ADaM datasets" }</h2>
            <p id="adam-headline">{ s.headline() }</p>
            <ul class="adam-files">
                { for s.files.iter().map(|f| html! { <li>{ format!("{} ({}, {}): {} rows, {} subjects", f.name, f.dataset, f.format, f.rows, f.subjects) }</li> }) }
            </ul>
            <div class="row">
                <label class="field" for="adam-population">{ "Population" }
                    <select id="adam-population" onchange={change(|v, x| v.population = Some(x))}>
                        { for s.population_flags.iter().map(|f| html! { <option value={f.clone()} selected={*f == population}>{ format!("{f} = Y") }</option> }) }
                        <option value="all" selected={s.population.value == Population::All}>{ "all subjects" }</option>
                    </select>
                    <span class="hint">{ s.population.reason.clone() }</span>
                </label>
                if !s.response_params.is_empty() {
                    <label class="field" for="adam-response">{ "Best response (ADRS PARAMCD)" }
                        <select id="adam-response" onchange={change(|v, x| v.response = Some(x))}>
                            if response.is_empty() {
                                <option value="" selected=true>{ "(none chosen)" }</option>
                            }
                            { for s.response_params.iter().map(|p| html! { <option value={p.clone()} selected={*p == response}>{ p }</option> }) }
                        </select>
                        <span class="hint">{ s.response_param.as_ref().map(|r| r.reason.clone()).unwrap_or_default() }</span>
                    </label>
                }
                <label class="field" for="adam-arm">{ "Arm variable" }
                    <select id="adam-arm" onchange={change(|v, x| v.arm = Some(x))}>
                        { for s.arm_variables.iter().map(|a| html! { <option value={a.clone()} selected={*a == arm}>{ a }</option> }) }
                        <option value="none" selected={s.arm.value == Arm::None}>{ "none (one cohort)" }</option>
                    </select>
                    <span class="hint">{ s.arm.reason.clone() }</span>
                </label>
            </div>
            if !s.time_params.is_empty() {
                <fieldset class="adam-endpoints">
                    <legend>{ "ADTTE parameters analysed as endpoints (times in months: days / 30.4375)" }</legend>
                    { for s.time_params.iter().map(|code| {
                        let id = format!("adam-endpoint-{code}");
                        html! { <label for={id.clone()}><input type="checkbox" id={id} checked={s.endpoints.contains(code)} onchange={toggle_endpoint(code.clone())} />{ code }</label> }
                    }) }
                </fieldset>
            }
            if excluded > 0 {
                <details class="adam-excluded">
                    <summary id="adam-excluded">{ format!("{excluded} of {} subjects outside the population", s.subjects) }</summary>
                    <p>{ s.excluded.iter().take(LISTED_EXCLUDED).cloned().collect::<Vec<_>>().join(", ") }
                        if excluded > LISTED_EXCLUDED { { format!(" and {} more", excluded - LISTED_EXCLUDED) } }
                    </p>
                </details>
            }
        </section>
    }
}
