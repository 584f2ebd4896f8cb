//! The column-mapping step: when the roles cannot all be matched from the
//! header, one select per role, pre-filled with the guess.

use std::collections::BTreeMap;

use yew::prelude::*;

use super::import_run::{roles, to_map};
use super::state::Shared;
use crate::data::ImportFailure;

#[derive(Properties, PartialEq)]
pub struct MappingStepProps {
    pub failure: Shared<ImportFailure>,
    pub on_apply: Callback<BTreeMap<String, String>>,
}

#[component]
pub fn MappingStep(props: &MappingStepProps) -> Html {
    // The choices so far, always the latest (several changes may come
    // before the next render); a change re-renders.
    let map = use_mut_ref(|| to_map(&props.failure.mapping));
    let rerender = use_force_update();
    let roles = roles(&props.failure.mapping);
    let apply = {
        let map = map.clone();
        let on_apply = props.on_apply.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_apply.emit(map.borrow().clone());
        })
    };
    html! {
        <form class="mapping" onsubmit={apply} aria-labelledby="mapping-title">
            <h3 id="mapping-title">{ "Which column is which?" }</h3>
            <p>{ "Some roles could not be recognised from the column names. Pick a column for each role (leave out what the file does not have) and import again." }</p>
            <div class="mapping-grid">
            { for roles.iter().map(|role| {
                let id = format!("map-{}", role.key);
                let current = map.borrow().get(&role.key).cloned().unwrap_or_default();
                let onchange = {
                    let map = map.clone();
                    let rerender = rerender.clone();
                    let key = role.key.clone();
                    Callback::from(move |e: Event| {
                        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                        let value = select.value();
                        if value.is_empty() {
                            map.borrow_mut().remove(&key);
                        } else {
                            map.borrow_mut().insert(key.clone(), value);
                        }
                        rerender.force_update();
                    })
                };
                html! {
                    <label class="field" for={id.clone()}>{ role.label.clone() }
                        <select id={id} {onchange}>
                            <option value="" selected={current.is_empty()}>{ "(none)" }</option>
                            { for props.failure.headers.iter().map(|h| html! {
                                <option value={h.clone()} selected={*h == current}>{ h }</option>
                            }) }
                        </select>
                    </label>
                }
            }) }
            </div>
            <button type="submit">{ "Import with these columns" }</button>
        </form>
    }
}
