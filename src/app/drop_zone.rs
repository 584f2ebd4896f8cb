//! Where files come in: dropped anywhere on the page (the zone wraps all of
//! it, header and banner included; a drop outside it, on the window's
//! margins, is cancelled, so that the browser never opens a file in the tab
//! and loses the view), or picked with the file chooser, one or several at
//! once. Each file is read in the page as bytes; nothing is uploaded.

use gloo::events::{EventListener, EventListenerOptions};
use gloo::file::futures::read_as_bytes;
use gloo::file::File;
use yew::prelude::*;

use crate::data::table::check_size;
use crate::data::InputFile;

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// Called with the files once all are read, or with a message.
    pub on_load: Callback<Result<Vec<InputFile>, String>>,
    /// The top of the page (header, banner, notices), before the prompt.
    #[prop_or_default]
    pub top: Html,
    /// The rest of the page.
    #[prop_or_default]
    pub children: Html,
}

/// Reads every file of `list` as bytes and emits them together; a file
/// over the import's limit is refused before it is read.
fn load(list: Option<web_sys::FileList>, on_load: Callback<Result<Vec<InputFile>, String>>) {
    let Some(list) = list else { return };
    let files: Vec<File> = (0..list.length())
        .filter_map(|i| list.get(i))
        .map(File::from)
        .collect();
    if files.is_empty() {
        return;
    }
    for file in &files {
        if let Err(message) = check_size(file.size()) {
            on_load.emit(Err(format!("{}: {message}", file.name())));
            return;
        }
    }
    wasm_bindgen_futures::spawn_local(async move {
        let mut read = Vec::with_capacity(files.len());
        for file in &files {
            let name = file.name();
            match read_as_bytes(file).await {
                Ok(bytes) => read.push(InputFile::new(name, bytes)),
                Err(e) => {
                    on_load.emit(Err(format!("{name}: could not be read ({e})")));
                    return;
                }
            }
        }
        on_load.emit(Ok(read));
    });
}

#[component]
pub fn DropZone(props: &DropZoneProps) -> Html {
    let hovering = use_state(|| false);
    // Outside the zone the browser would open a dropped file in the tab:
    // the window's dragover and drop are cancelled (a dragover cancelled
    // there, as it bubbles up from the zone, also lets the zone take drops).
    use_effect_with((), move |_| {
        let window = gloo::utils::window();
        let options = EventListenerOptions::enable_prevent_default();
        let cancel = |e: &web_sys::Event| e.prevent_default();
        let listeners = [
            EventListener::new_with_options(&window, "dragover", options, cancel),
            EventListener::new_with_options(&window, "drop", options, cancel),
        ];
        move || drop(listeners)
    });
    let ondrop = {
        let on_load = props.on_load.clone();
        let hovering = hovering.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            hovering.set(false);
            load(e.data_transfer().and_then(|dt| dt.files()), on_load.clone());
        })
    };
    let ondragenter = {
        let hovering = hovering.clone();
        Callback::from(move |_: DragEvent| hovering.set(true))
    };
    let ondragleave = {
        let hovering = hovering.clone();
        Callback::from(move |e: DragEvent| {
            // Leaving for a child element is not leaving the zone.
            if e.related_target().is_none() {
                hovering.set(false);
            }
        })
    };
    let onchange = {
        let on_load = props.on_load.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            load(input.files(), on_load.clone());
            // Picking the same files again is a new choice.
            input.set_value("");
        })
    };
    html! {
        <div class={classes!("drop-zone", hovering.then_some("hovering"))} {ondragenter} {ondragleave} {ondrop}>
            { props.top.clone() }
            <div class="drop-prompt">
                <p>{ "Drop files anywhere on this page: a cohort CSV (one row per patient), CDISC ADaM datasets (ADSL, ADRS, ADTTE as CSV or SAS XPT, several at once), or a view file; or " }
                    <label class="file-pick">{ "choose files" }
                        <input type="file" multiple=true accept=".csv,.tsv,.txt,.xpt,.json,text/csv" {onchange} />
                    </label>
                    { ", or paste a table with Ctrl+V." }
                </p>
                <p class="privacy">{ "Files are read by this page on your computer. They are never uploaded." }</p>
            </div>
            { props.children.clone() }
        </div>
    }
}
