//! The keyboard's way to select a patient (the charts take clicks): type an
//! id (or part of one) and press Enter, or pick one of the few matches
//! listed. Nothing here grows with the number of patients.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PatientPickerProps {
    /// The ids of a few patients matching a query.
    pub find: Callback<String, Vec<String>>,
    /// The one patient a typed id names, if exactly one.
    pub pick: Callback<String, Option<String>>,
    pub selected: Vec<String>,
    pub on_toggle: Callback<String>,
}

#[component]
pub fn PatientPicker(props: &PatientPickerProps) -> Html {
    let query = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let field = use_node_ref();
    let on_input = {
        let (query, problem) = (query.clone(), problem.clone());
        Callback::from(move |e: InputEvent| {
            query.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            );
            problem.set(None);
        })
    };
    let on_submit = {
        let (query, problem, field) = (query.clone(), problem.clone(), field.clone());
        let pick = props.pick.clone();
        let on_toggle = props.on_toggle.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // The field as it reads now (typed or set by a script).
            let typed = field
                .cast::<web_sys::HtmlInputElement>()
                .map_or_else(|| (*query).clone(), |input| input.value());
            match pick.emit(typed.clone()) {
                Some(id) => {
                    on_toggle.emit(id);
                    query.set(String::new());
                    problem.set(None);
                }
                None if typed.trim().is_empty() => {}
                None => problem.set(Some(format!(
                    "No single patient matches {:?}: type more of the id.",
                    typed.trim()
                ))),
            }
        })
    };
    let found = props.find.emit((*query).clone());
    html! {
        <form class="patient-picker" onsubmit={on_submit}>
            <label class="field" for="pick-patient">{ "Select or deselect a patient" }
                <input id="pick-patient" ref={field} type="search" autocomplete="off" placeholder="patient id"
                    value={(*query).clone()} oninput={on_input} />
            </label>
            <button type="submit">{ "Select or deselect" }</button>
            if !found.is_empty() {
                <ul class="patient-matches" aria-label="Matching patients">
                    { for found.iter().map(|id| {
                        let on_toggle = props.on_toggle.clone();
                        let query = query.clone();
                        let id = id.to_string();
                        let mark = if props.selected.contains(&id) { " (selected)" } else { "" };
                        html! { <li><button type="button" class="patient-match"
                            onclick={Callback::from({ let id = id.clone(); move |_: MouseEvent| { on_toggle.emit(id.clone()); query.set(String::new()); } })}>
                            { format!("{id}{mark}") }</button></li> }
                    }) }
                </ul>
            }
            if let Some(p) = &*problem {
                <p class="warning" role="status" id="pick-problem">{ p }</p>
            }
        </form>
    }
}
