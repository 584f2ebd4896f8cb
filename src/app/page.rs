//! The page: header, the local-only promise, the drop zone and what the
//! dropped file holds.

use std::rc::Rc;

use yew::prelude::*;

use super::canvas::{Canvas, DrawFn};
use super::drop_zone::{DropZone, LoadedFile};
use crate::charts::histogram::{self, BinRule, HistogramData};
use crate::charts::style::ChartStyle;
use crate::data::preview::{preview, Preview};

/// What the page shows about the file that was opened.
#[derive(Debug, Clone, PartialEq)]
enum Opened {
    Nothing,
    Table { name: String, preview: Rc<Preview> },
    Failed(String),
}

#[component]
pub fn Page() -> Html {
    let opened = use_state(|| Opened::Nothing);
    let column = use_state(|| 0usize);

    let on_load = {
        let opened = opened.clone();
        let column = column.clone();
        Callback::from(move |result: Result<LoadedFile, String>| {
            column.set(0);
            opened.set(match result {
                Ok(file) => match preview(&file.text) {
                    Ok(p) => Opened::Table { name: file.name, preview: Rc::new(p) },
                    Err(e) => Opened::Failed(format!("{}: {e}", file.name)),
                },
                Err(message) => Opened::Failed(message),
            });
        })
    };

    html! {
        <>
        <header class="top">
            <h1>{ "cohortscope" }</h1>
            <p class="tagline">{ "Response and survival analysis of small oncology cohorts" }</p>
        </header>
        <p class="banner" role="note">
            { "Everything runs in this page: files you open are read on your computer and never uploaded." }
        </p>
        <main>
            <DropZone {on_load} />
            { match &*opened {
                Opened::Nothing => html! {
                    <section class="empty">
                        <p>{ "No cohort is open yet. Open a CSV file with one row per patient and a header row; \
                              the page shows its shape and the distribution of a numeric column." }</p>
                    </section>
                },
                Opened::Failed(message) => html! { <p class="error" role="alert">{ message }</p> },
                Opened::Table { name, preview } => table_view(name, preview, &column),
            } }
        </main>
        </>
    }
}

fn table_view(name: &str, preview: &Rc<Preview>, column: &UseStateHandle<usize>) -> Html {
    let shape = format!("{} rows, {} columns", preview.rows, preview.columns.len());
    let chart = preview.numeric.get(**column).map(|numeric| {
        let values = numeric.values.clone();
        let title = numeric.name.clone();
        let draw: DrawFn = Rc::new(move |area, scale| {
            let data = HistogramData { axis_title: title.clone(), values: values.clone(), bins: BinRule::Sturges };
            let _ = histogram::draw(area, &data, &ChartStyle::default().scaled(scale));
        });
        let onchange = {
            let column = column.clone();
            Callback::from(move |e: Event| {
                let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                column.set(select.selected_index().max(0) as usize);
            })
        };
        html! {
            <>
            <label class="field">{ "Distribution of " }
                <select {onchange}>
                    { for preview.numeric.iter().enumerate().map(|(i, c)| html! {
                        <option selected={i == **column}>{ &c.name }</option>
                    }) }
                </select>
            </label>
            <Canvas {draw} height={320} label={format!("Histogram of {}", numeric.name)} />
            </>
        }
    });
    html! {
        <section class="opened">
            <h2>{ name }</h2>
            <p class="shape" id="shape">{ shape }</p>
            <p class="columns">{ "Columns: " }{ preview.columns.join(", ") }</p>
            { chart.unwrap_or_else(|| html! { <p>{ "No numeric column to plot." }</p> }) }
        </section>
    }
}
