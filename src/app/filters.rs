//! The form that adds a row filter (what a filter keeps is
//! [`report::filters`](crate::report::filters)).

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
