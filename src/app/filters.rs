//! The form that adds a row filter (what a filter keeps is
//! [`report::filters`](crate::report::filters)).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::share::{Condition, Filter};

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
    // What the form shows is what "Add filter" applies: the column in range
    // (another cohort may have fewer), and a value that is one of its levels
    // (the first until one is picked).
    let Some(index) = props
        .columns
        .len()
        .checked_sub(1)
        .map(|last| (*column).min(last))
    else {
        return html! {};
    };
    let (name, values) = props.columns[index].clone();
    let chosen = values.as_ref().map(|levels| {
        if levels.contains(&*value) {
            (*value).clone()
        } else {
            levels.first().cloned().unwrap_or_default()
        }
    });
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
    // "Add filter" applies what the form shows at that moment: read from the
    // form itself, not from the last render (a change and a submit can come
    // together, as Enter in a number field does).
    let add = {
        let (name, chosen) = (name.clone(), chosen.clone());
        let on_add = props.on_add.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: web_sys::Element = e.target_unchecked_into();
            let shown = |field: &str| -> Option<String> {
                let element = form
                    .query_selector(&format!("[name={field}]"))
                    .ok()
                    .flatten()?;
                if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
                    return Some(select.value());
                }
                element
                    .dyn_ref::<web_sys::HtmlInputElement>()
                    .map(|i| i.value())
            };
            let condition = match &chosen {
                Some(first) => {
                    Condition::OneOf(vec![shown("value").unwrap_or_else(|| first.clone())])
                }
                None => {
                    let parse = |field: &str| {
                        shown(field)
                            .and_then(|s| s.trim().parse::<f64>().ok())
                            .filter(|x| x.is_finite())
                    };
                    let (a, b) = (parse("min"), parse("max"));
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
                <select id="filter-column" onchange={on_column}>
                    { for props.columns.iter().enumerate().map(|(i, (c, _))| html! {
                        <option selected={i == index}>{ c }</option>
                    }) }
                </select>
            </label>
            { match (&values, &chosen) {
                (Some(levels), Some(chosen)) => html! {
                    <label class="field">{ "is" }
                        <select id="filter-value" name="value" onchange={on_value}>
                            { for levels.iter().map(|l| html! { <option value={l.clone()} selected={l == chosen}>{ l }</option> }) }
                        </select>
                    </label>
                },
                _ => html! {
                    <>
                    <label class="field">{ "from" }<input type="number" step="any" name="min" value={(*min).clone()} onchange={text_input(&min)} /></label>
                    <label class="field">{ "to" }<input type="number" step="any" name="max" value={(*max).clone()} onchange={text_input(&max)} /></label>
                    </>
                },
            } }
            <button type="submit">{ "Add filter" }</button>
        </form>
    }
}
