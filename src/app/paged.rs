//! A long list shown a page of rows at a time, so that nothing on the page
//! grows with the number of patients: Previous and Next buttons and "rows
//! 101–200 of 100,000" between them.

use yew::prelude::*;

use crate::figures::paging::PageRange;

#[derive(Properties, PartialEq)]
pub struct PagedProps {
    /// The number of rows in all.
    pub total: usize,
    /// Draws the rows `start..end` (a whole table).
    pub rows: Callback<(usize, usize), Html>,
    /// The id of the pager's text ("rows 1–100 of 2,000").
    pub id: AttrValue,
}

/// The rows of the current page and the pager under them.
#[component]
pub fn Paged(props: &PagedProps) -> Html {
    let page = use_state(|| 0_usize);
    {
        // A new list starts at its first page.
        let page = page.clone();
        use_effect_with(props.total, move |_| page.set(0));
    }
    let range = PageRange::new(*page, props.total);
    let go = |to: usize| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(to))
    };
    html! {
        <>
        { props.rows.emit((range.start, range.end)) }
        if range.pages > 1 {
            <nav class="pager" aria-label="Pages">
                <button type="button" disabled={range.page == 0} onclick={go(range.page.saturating_sub(1))}>{ "Previous" }</button>
                <span id={props.id.clone()} aria-live="polite">{ range.text() }</span>
                <button type="button" disabled={range.page + 1 >= range.pages} onclick={go(range.page + 1)}>{ "Next" }</button>
            </nav>
        }
        </>
    }
}
