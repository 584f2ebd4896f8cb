//! Where a user's CSV comes in: dropped anywhere on the zone (which wraps
//! the whole page), or picked with the file chooser. The file is read in the
//! page; nothing is uploaded.

use gloo::file::futures::read_as_text;
use gloo::file::File;
use yew::prelude::*;

use crate::data::table::check_size;

/// A file read in the page.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedFile {
    pub name: String,
    pub text: String,
}

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// Called with the file's text once it is read, or with a message.
    pub on_load: Callback<Result<LoadedFile, String>>,
    /// What the zone covers (the page).
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn DropZone(props: &DropZoneProps) -> Html {
    let hovering = use_state(|| false);

    let load = {
        let on_load = props.on_load.clone();
        move |files: Option<web_sys::FileList>| {
            let Some(file) = files.and_then(|list| list.get(0)) else {
                return;
            };
            let file = File::from(file);
            // A file over the import's limit is refused before it is read.
            if let Err(message) = check_size(file.size()) {
                on_load.emit(Err(format!("{}: {message}", file.name())));
                return;
            }
            let on_load = on_load.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let result = read_as_text(&file)
                    .await
                    .map(|text| LoadedFile {
                        name: name.clone(),
                        text,
                    })
                    .map_err(|e| format!("{name}: could not be read ({e})"));
                on_load.emit(result);
            });
        }
    };

    let ondragover = {
        let hovering = hovering.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            hovering.set(true);
        })
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
    let ondrop = {
        let hovering = hovering.clone();
        let load = load.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            hovering.set(false);
            load(e.data_transfer().and_then(|dt| dt.files()));
        })
    };
    let onchange = Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        load(input.files());
    });

    html! {
        <div class={classes!("drop-zone", hovering.then_some("hovering"))}
            {ondragover} {ondragleave} {ondrop}>
            <div class="drop-prompt">
                <p>{ "Drop a cohort CSV anywhere on this page (one row per patient), or " }
                    <label class="file-pick">{ "choose a file" }
                        <input type="file" accept=".csv,.tsv,.txt,.json,text/csv" {onchange} />
                    </label>
                    { ", or paste a table with Ctrl+V. A view file (.json) opens the view it holds." }
                </p>
                <p class="privacy">{ "The file is read by this page on your computer. It is never uploaded." }</p>
            </div>
            { props.children.clone() }
        </div>
    }
}
