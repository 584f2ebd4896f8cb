//! The keyboard's way to select a patient (the charts take clicks): type an
//! id (or part of one) and press Enter, or pick one of the few matches
//! listed. The page's session finds the matches; nothing here grows with
//! the number of patients.

use yew::prelude::*;

use super::state::Picker;

#[derive(Properties, PartialEq)]
pub struct PatientPickerProps {
    /// What is typed, its matches and the last problem.
    pub picker: Picker,
    pub selected: Vec<String>,
    /// The text typed changed.
    pub on_query: Callback<String>,
    /// An id was submitted: select the one patient it names.
    pub on_pick: Callback<String>,
    pub on_toggle: Callback<String>,
}

#[component]
pub fn PatientPicker(props: &PatientPickerProps) -> Html {
    let field = use_node_ref();
    let on_input = {
        let on_query = props.on_query.clone();
        Callback::from(move |e: InputEvent| {
            on_query.emit(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let on_submit = {
        let field = field.clone();
        let (on_pick, query) = (props.on_pick.clone(), props.picker.query.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // The field as it reads now (typed or set by a script).
            let typed = field
                .cast::<web_sys::HtmlInputElement>()
                .map_or_else(|| query.clone(), |input| input.value());
            if !typed.trim().is_empty() {
                on_pick.emit(typed);
            }
        })
    };
    let picker = &props.picker;
    html! {
        <form class="patient-picker" onsubmit={on_submit}>
            <label class="field" for="pick-patient">{ "Select or deselect a patient" }
                <input id="pick-patient" ref={field} type="search" autocomplete="off" placeholder="patient id"
                    value={picker.query.clone()} oninput={on_input} />
            </label>
            <button type="submit">{ "Select or deselect" }</button>
            if !picker.matches.is_empty() {
                <ul class="patient-matches" aria-label="Matching patients">
                    { for picker.matches.iter().map(|id| {
                        let on_toggle = props.on_toggle.clone();
                        let on_query = props.on_query.clone();
                        let mark = if props.selected.contains(id) { " (selected)" } else { "" };
                        html! { <li><button type="button" class="patient-match"
                            onclick={Callback::from({ let id = id.clone(); move |_: MouseEvent| { on_toggle.emit(id.clone()); on_query.emit(String::new()); } })}>
                            { format!("{id}{mark}") }</button></li> }
                    }) }
                </ul>
            }
            if let Some(p) = &picker.problem {
                <p class="warning" role="status" id="pick-problem">{ p }</p>
            }
        </form>
    }
}
