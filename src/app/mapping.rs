//! The column mapping: one select per role, with the unit of each time and
//! the coding of each event, pre-filled with the mapping in use (or the
//! guess). Shown when the roles cannot all be matched from the header, and
//! on demand ("Edit columns") for any table that was read.

use std::collections::BTreeMap;

use yew::prelude::*;

use crate::data::columns::MappedTable;
use crate::report::view_input::{roles, to_map, RoleKind};
use crate::share::{MappedColumn, Qualifier};

#[derive(Properties, PartialEq)]
pub struct MappingStepProps {
    /// The header and the mapping used or guessed.
    pub columns: MappedTable,
    /// The heading's text.
    pub title: AttrValue,
    /// Why the form is shown.
    pub intro: AttrValue,
    pub on_apply: Callback<BTreeMap<String, MappedColumn>>,
}

const UNITS: [Qualifier; 4] = [
    Qualifier::Days,
    Qualifier::Weeks,
    Qualifier::Months,
    Qualifier::Years,
];

fn qualifier_label(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Days => "days",
        Qualifier::Weeks => "weeks",
        Qualifier::Months => "months",
        Qualifier::Years => "years",
        Qualifier::Event => "1 = event, 0 = censored",
        Qualifier::Censor => "1 = censored, 0 = event (CNSR)",
    }
}

#[component]
pub fn MappingStep(props: &MappingStepProps) -> Html {
    // The choices so far, always the latest (several changes may come
    // before the next render); a change re-renders.
    let map = use_mut_ref(|| to_map(&props.columns.mapping));
    let rerender = use_force_update();
    let roles = roles(&props.columns.mapping);
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
            <h3 id="mapping-title">{ props.title.clone() }</h3>
            <p>{ props.intro.clone() }</p>
            <div class="mapping-grid">
            { for roles.iter().map(|role| {
                let id = format!("map-{}", role.key);
                let current = map.borrow().get(&role.key).cloned();
                let column = current.as_ref().map(|m| m.column.clone()).unwrap_or_default();
                let on_column = {
                    let (map, rerender, key, kind) = (map.clone(), rerender.clone(), role.key.clone(), role.kind);
                    Callback::from(move |e: Event| {
                        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                        let value = select.value();
                        let mut map = map.borrow_mut();
                        if value.is_empty() {
                            map.remove(&key);
                        } else {
                            let qualifier = map.get(&key).and_then(|m| m.qualifier).or(match kind {
                                RoleKind::Time => Some(Qualifier::Months),
                                RoleKind::Event => Some(Qualifier::Event),
                                RoleKind::Plain => None,
                            });
                            map.insert(key.clone(), MappedColumn { column: value, qualifier });
                        }
                        drop(map);
                        rerender.force_update();
                    })
                };
                let choices: &[Qualifier] = match role.kind {
                    RoleKind::Time => &UNITS,
                    RoleKind::Event => &[Qualifier::Event, Qualifier::Censor],
                    RoleKind::Plain => &[],
                };
                let qualifier = (!choices.is_empty() && current.is_some()).then(|| {
                    let on_qualifier = {
                        let (map, rerender, key) = (map.clone(), rerender.clone(), role.key.clone());
                        Callback::from(move |e: Event| {
                            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                            if let Some(m) = map.borrow_mut().get_mut(&key) {
                                m.qualifier = Qualifier::parse(&select.value());
                            }
                            rerender.force_update();
                        })
                    };
                    let chosen = current.as_ref().and_then(|m| m.qualifier);
                    let label = if role.kind == RoleKind::Time { "unit" } else { "coding" };
                    html! {
                        <select id={format!("{id}-how")} aria-label={format!("{}: {label}", role.label)} onchange={on_qualifier}>
                            { for choices.iter().map(|q| html! {
                                <option value={q.as_str()} selected={chosen == Some(*q)}>{ qualifier_label(*q) }</option>
                            }) }
                        </select>
                    }
                });
                html! {
                    <label class="field" for={id.clone()}>{ role.label.clone() }
                        <select id={id} onchange={on_column}>
                            <option value="" selected={column.is_empty()}>{ "(none)" }</option>
                            { for props.columns.headers.iter().enumerate().map(|(i, h)| {
                                // A SAS variable's label beside its name: "AVAL: Analysis Value".
                                let text = match props.columns.labels.get(i).filter(|l| !l.is_empty()) {
                                    Some(label) => format!("{h}: {label}"),
                                    None => h.clone(),
                                };
                                html! { <option value={h.clone()} selected={*h == column}>{ text }</option> }
                            }) }
                        </select>
                        { for qualifier }
                    </label>
                }
            }) }
            </div>
            <button type="submit">{ "Import with these columns" }</button>
        </form>
    }
}
