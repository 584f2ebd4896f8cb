//! The explorer page: a built-in study or the user's own CSV, the report
//! table, the waterfall, Kaplan–Meier, swimmer and forest plots, exports, and
//! a link that carries the whole view.

use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use super::adam_panel::AdamPanel;
use super::controls::{Controls, ControlsProps};
use super::drop_zone::DropZone;
use super::km_view::KmView;
use super::link;
use super::mapping::MappingStep;
use super::paged::Paged;
use super::patient_picker::PatientPicker;
use super::published::Published;
use super::report_table::ReportTable;
use super::session::SessionHandle;
use super::snippets;
use super::state::{message_cells, Action, AppState, ImportStatus, Notice, Shared};
use super::swimmer_view::{ForestView, SwimmerView};
use super::tables_view::TablesView;
use super::waterfall_view::WaterfallView;
use crate::data::{Exclusion, ImportFailure, InputFile, Message, Severity};
use crate::engine::{view_file, CohortSummary, PageModel, ViewOptions};
use crate::figures;
use crate::report::tables::TABLES_TAB;
use crate::report::view;
use crate::share::{CiBands, Source, TimeRange};
use crate::stats::conventions::Conventions;

/// Starts the import of the state's source (the files of a link that names
/// local files, once the user has opened them) in the page's session; the
/// bytes go to the session as they are, not copied here.
fn start_import(state: &AppState, session: &SessionHandle) {
    let revision = state.data_revision;
    let view = &state.view;
    match (state.source.as_deref(), &state.files, &state.packed) {
        (Some(Source::Study(id)), ..) => {
            session.import(revision, view, &[], Some(id.clone()), None, false)
        }
        // A link's data, unpacked by the session (and handed back packed).
        (_, None, Some(packed)) => {
            session.import(revision, view, &[], None, Some((*packed.0).clone()), true)
        }
        // Data a view file carries are packed for a link in the session.
        (Some(Source::Embedded(data)), ..) => session.import(
            revision,
            view,
            &[(data.name.as_str(), data.csv.as_bytes())],
            None,
            None,
            true,
        ),
        (Some(Source::LocalFiles(_)), Some(files), _) => {
            let files: Vec<(&str, &[u8])> = files
                .iter()
                .map(|f| (f.name.as_str(), f.bytes.as_slice()))
                .collect();
            session.import(revision, view, &files, None, None, state.carry_data)
        }
        _ => {}
    }
}

#[component]
pub fn Page() -> Html {
    // The fragment in the address bar: the one the page opened with, then
    // the last one it wrote, to tell its own changes from a pasted link (and
    // not to write a link again unchanged: the browser takes about 90 ms to
    // replace a URL of 2 MB).
    let written = use_mut_ref(link::current_fragment);
    let state = use_reducer(|| link::state_from_fragment(&written.borrow()));
    let dispatch = state.dispatcher();
    // The cohort of the last import, which computes every view's model.
    let session = {
        let dispatch = dispatch.clone();
        (*use_memo((), move |_| SessionHandle::new(dispatch))).clone()
    };

    {
        let state = state.clone();
        let session = session.clone();
        use_effect_with(state.data_revision, move |_| start_import(&state, &session));
    }
    // A refused link stays in the address bar, to be copied or inspected,
    // until the user changes the view.
    let keep_refused = use_mut_ref(|| {
        state
            .notices
            .iter()
            .any(|n| matches!(n, Notice::Refused(_)))
    });
    {
        let dispatch = dispatch.clone();
        let written = written.clone();
        // Data the link carries were packed once, by the session's import:
        // the link is written when they are there, never compressed here.
        let link_data = state
            .link_data
            .as_ref()
            .filter(|(revision, _)| *revision == state.data_revision)
            .map(|(_, data)| data.clone());
        use_effect_with(
            (
                state.view.clone(),
                state.source.clone(),
                state.carry_data,
                link_data,
            ),
            move |(view, source, carry_data, link_data)| {
                if keep_refused.replace(false) {
                    *written.borrow_mut() = link::current_fragment();
                    return;
                }
                let Some((fragment, too_large)) =
                    link::fragment_for(view, source.as_deref(), *carry_data, link_data.as_deref())
                else {
                    return;
                };
                if *written.borrow() != fragment {
                    link::replace_fragment(&fragment);
                    *written.borrow_mut() = fragment;
                }
                dispatch.dispatch(Action::DataTooLargeForLink(too_large));
            },
        );
    }
    {
        // A link pasted into the address bar of an open page.
        let dispatch = dispatch.clone();
        let written = written.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let fragment = link::current_fragment();
                if fragment != *written.borrow() {
                    dispatch.dispatch(Action::Restore(Box::new(link::state_from_fragment(
                        &fragment,
                    ))));
                }
            });
            move || drop(listener)
        });
    }
    {
        // Ctrl+V anywhere but in a text field: the clipboard as a table.
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::document(), "paste", move |event| {
                let Some(event) = wasm_bindgen::JsCast::dyn_ref::<web_sys::ClipboardEvent>(event)
                else {
                    return;
                };
                let in_field = event
                    .target()
                    .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                    .is_some_and(|e| {
                        matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    });
                if in_field {
                    return;
                }
                let text = event
                    .clipboard_data()
                    .and_then(|d| d.get_data("text/plain").ok())
                    .unwrap_or_default();
                if text.contains('\n') {
                    event.prevent_default();
                    let pasted = InputFile::new("pasted.tsv", text.into_bytes());
                    dispatch.dispatch(Action::OpenFiles(Shared(Rc::new(vec![pasted]))));
                }
            });
            move || drop(listener)
        });
    }

    let on_load = {
        let (dispatch, session) = (dispatch.clone(), session.clone());
        Callback::from(move |result: Result<Vec<InputFile>, String>| match result {
            // A view file is read by the session, which opens its view.
            Ok(files) => match files.as_slice() {
                [one] if view_file::looks_like_one(&one.bytes) => {
                    session.read_view_file(&one.bytes)
                }
                _ => dispatch.dispatch(Action::OpenFiles(Shared(Rc::new(files)))),
            },
            Err(message) => dispatch.dispatch(Action::Notify(Notice::Refused(message))),
        })
    };

    let conventions = effective_conventions(&state);
    let options = ViewOptions {
        colour_by_group: state.colour_by_group,
        swimmer_responders_only: state.swimmer_responders_only,
    };
    {
        // Each view asked for once, numbered, as soon as the cohort is there.
        let seq = use_mut_ref(|| 0u32);
        let (session, view, revision) = (session.clone(), state.view.clone(), state.data_revision);
        use_effect_with(
            (
                state.summary().cloned(),
                state.view.filters.clone(),
                state.view.group.clone(),
                state.view.endpoint.clone(),
                ConventionsKey(conventions),
                state.view.selected.clone(),
                state.view.tables.clone(),
                state.view.tab.clone(),
                options,
            ),
            move |(summary, ..)| {
                if summary.is_some() {
                    *seq.borrow_mut() += 1;
                    session.view(revision, *seq.borrow(), &view, options);
                }
            },
        );
    }
    {
        // The picker's matches, asked for as the user types.
        let (session, view, revision) = (session.clone(), state.view.clone(), state.data_revision);
        use_effect_with(state.picker.query.clone(), move |query| {
            if !query.trim().is_empty() {
                session.find_patients(revision, &view, query);
            }
        });
    }

    html! {
        <DropZone {on_load} top={html! {
            <>
            <header class="top">
                <h1>{ "cohortscope" }</h1>
                <p class="tagline">{ "Response and survival analysis of small oncology cohorts" }</p>
            </header>
            <p class="banner" role="note">
                { "Everything runs in this page: files you open are read on your computer and never uploaded." }
            </p>
            { notices(&state, &dispatch, &session) }
            </>
        }}>
            <main>
                { source_bar(&state, &dispatch, &session) }
                { study_info(&state) }
                { import_status(&state, &dispatch, &session) }
                { match (state.model(), state.summary()) {
                    (Some(model), Some(summary)) => analysis_view(&state, &dispatch, &session, model, summary),
                    _ => html! {},
                } }
            </main>
        </DropZone>
    }
}

/// The conventions in use ([`view::view_conventions`]).
pub fn effective_conventions(state: &AppState) -> Conventions {
    let study = state.study_info().map(|s| s.denominator);
    view::view_conventions(&state.view, study)
}

/// Conventions as a memo key (f64 level compared by bits).
#[derive(Clone, Copy)]
struct ConventionsKey(Conventions);

impl PartialEq for ConventionsKey {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0, other.0);
        a.ci_transform == b.ci_transform
            && a.conf_level.to_bits() == b.conf_level.to_bits()
            && a.median_rule == b.median_rule
            && a.ties == b.ties
            && a.denominator == b.denominator
            && a.binomial_ci == b.binomial_ci
    }
}

/// Saves the view file of the state at the time of the click (written by
/// the session, its data read only then, not on every render).
fn view_file_download(state: &AppState, session: &SessionHandle) -> Callback<MouseEvent> {
    let (state, session) = (state.clone(), session.clone());
    Callback::from(move |_: MouseEvent| session.view_file(&state))
}

fn notices(
    state: &AppState,
    dispatch: &UseReducerDispatcher<AppState>,
    session: &SessionHandle,
) -> Html {
    if state.notices.is_empty() {
        return html! {};
    }
    let dismiss = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::DismissNotices))
    };
    let view_file = view_file_download(state, session);
    // Data too large for a link do not travel in it: never both notices.
    let too_large = state.notices.contains(&Notice::TooLargeForLink);
    html! {
        <div class="notices">
            { for state.notices.iter().filter(|n| !(too_large && matches!(n, Notice::Embedded(_)))).map(|n| match n {
                Notice::Refused(m) => html! { <p class="error notice" role="alert" id="link-error">{ m }</p> },
                Notice::Issues(issues) => html! {
                    <div class="warning notice" role="status">
                        <p>{ "Parts of this link were ignored:" }</p>
                        <ul>{ for issues.iter().map(|i| html! { <li>{ i }</li> }) }</ul>
                    </div>
                },
                Notice::Embedded(m) => html! { <p class="embedded notice" role="note" id="embedded-banner">{ m }</p> },
                Notice::TooLargeForLink => html! {
                    <p class="warning notice" role="status" id="too-large">
                        { "These data are too large to travel in a link: the link names the file only, and whoever opens it must open the same file. To share the view with its data, " }
                        <button type="button" onclick={view_file.clone()}>{ "download the view file" }</button>
                        { " (drop it on this page to open it)." }
                    </p>
                },
                Notice::OpenFileAgain(names) => html! {
                    <p class="warning notice" role="status" id="open-again">{ match names.as_slice() {
                        [one] => format!("This link shows a view of the file {one:?}, which it does not contain: open that file to see it."),
                        many => format!("This link shows a view of the files {}, which it does not contain: open those files together (drop them on the page) to see it.",
                            many.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")),
                    } }</p>
                },
            }) }
            if state.notices.iter().any(|n| matches!(n, Notice::Refused(_) | Notice::Issues(_) | Notice::OpenFileAgain(_))) {
                <button type="button" class="dismiss" onclick={dismiss}>{ "Dismiss" }</button>
            }
        </div>
    }
}

fn source_bar(
    state: &AppState,
    dispatch: &UseReducerDispatcher<AppState>,
    session: &SessionHandle,
) -> Html {
    let current = match state.source.as_deref() {
        Some(Source::Study(id)) => id.clone(),
        _ => String::new(),
    };
    let on_study = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let id = select.value();
            if !id.is_empty() {
                dispatch.dispatch(Action::OpenStudy(id));
            }
        })
    };
    let copy = Callback::from(|_: MouseEvent| link::copy_to_clipboard(&link::current_url()));
    let view_file = view_file_download(state, session);
    html! {
        <div class="source-bar">
            <label class="field">{ "Study" }
                <select id="study" onchange={on_study}>
                    if current.is_empty() {
                        <option value="" selected=true>{ state.source_name().unwrap_or_else(|| "your file".to_string()) }</option>
                    } else if state.studies.0.is_empty() {
                        // Until the session has described the studies: the one open, by id.
                        <option value={current.clone()} selected=true>{ current.clone() }</option>
                    }
                    { for state.studies.0.iter().map(|s| html! {
                        <option value={s.id.clone()} selected={s.id == current}>{ s.short_title.clone() }</option>
                    }) }
                </select>
            </label>
            <span class="hint">{ "or open your own data: a cohort CSV or ADaM datasets (CSV or XPT), dropped anywhere on the page or chosen below, or a table pasted with Ctrl+V." }</span>
            <span class="link-buttons">
                <button type="button" id="copy-link" onclick={copy}>{ "Copy link" }</button>
                <button type="button" onclick={view_file}>{ "Download view file" }</button>
            </span>
        </div>
    }
}

fn study_info(state: &AppState) -> Html {
    let Some(info) = state.study_info() else {
        return html! {};
    };
    html! {
        <section class="study" aria-labelledby="study-title">
            <h2 id="study-title">{ info.title.clone() }</h2>
            if info.synthetic {
                <p class="synthetic" id="synthetic-label"><strong>{ "Synthetic, reconstructed from published summary figures" }</strong>
                    { format!(" — {}", info.synthetic_note) }</p>
            }
            <p class="citation">{ format!("Source: {} ({})", info.citation, info.nct) }</p>
            <p class="design">{ info.design.clone() }{ " " }{ info.endpoint_notes.clone() }</p>
        </section>
    }
}

fn import_status(
    state: &AppState,
    dispatch: &UseReducerDispatcher<AppState>,
    session: &SessionHandle,
) -> Html {
    let name = state.source_name();
    let on_map = {
        let dispatch = dispatch.clone();
        Callback::from(move |map| dispatch.dispatch(Action::MapColumns(map)))
    };
    match &state.import {
        ImportStatus::Idle => html! {},
        ImportStatus::Running { progress } => {
            let (done, total) = progress.map_or((0, 1), |p| (p.bytes_done, p.total_bytes.max(1)));
            let rows = progress.map_or(0, |p| p.rows_done);
            let cancel = {
                let (session, revision) = (session.clone(), state.data_revision);
                Callback::from(move |_: MouseEvent| session.cancel_import(revision))
            };
            html! {
                <div class="importing" role="status">
                    <label>{ format!("Reading {} … {rows} rows", name.as_deref().unwrap_or("the data")) }
                        <progress max={total.to_string()} value={done.to_string()} /></label>
                    <button type="button" id="cancel-import" onclick={cancel}>{ "Cancel" }</button>
                </div>
            }
        }
        ImportStatus::Failed(failure) => {
            // The mapping form only where the columns are the problem: an
            // error in a value is fixed in the file (its row is named).
            let mapping = match (&failure.columns, failure.needs_mapping) {
                (Some(columns), true) => html! {
                    <MappingStep columns={(**columns).clone()} on_apply={on_map.clone()}
                        title="Which column is which?"
                        intro="Some roles could not be recognised from the column names. Pick a column for each role (leave out what the file does not have), with the unit of each time and the coding of each event, and import again." />
                },
                (Some(columns), false) => html! {
                    <details class="edit-columns"><summary>{ "Edit columns" }</summary>
                        <MappingStep columns={(**columns).clone()} on_apply={on_map.clone()}
                            title="Columns and how they are read"
                            intro="Every role was recognised; the problems above are in values. Change a column only if it was recognised wrongly." />
                    </details>
                },
                (None, _) => html! {},
            };
            let reset_adam = (state.view.adam != Default::default()).then(|| {
                let dispatch = dispatch.clone();
                html! { <button type="button" id="adam-reset" onclick={Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetAdam(Default::default())))}>
                    { "Use the default ADaM choices" }</button> }
            });
            html! {
                <section class="import-failed">
                    <h2>{ format!("{} could not be analysed", name.as_deref().unwrap_or("The data")) }</h2>
                    { messages_table(failure.clone(), |f: &ImportFailure| &f.messages, "Problems found") }
                    { for reset_adam }
                    { mapping }
                </section>
            }
        }
        ImportStatus::Done(cohort) => {
            let exclusions = &cohort.exclusions;
            let adam = cohort.adam.clone().map(|summary| {
                let dispatch = dispatch.clone();
                html! { <AdamPanel {summary} view={state.view.adam.clone()}
                on_change={Callback::from(move |v| dispatch.dispatch(Action::SetAdam(v)))} /> }
            });
            let edit = cohort.mapping.clone().map(|columns| html! {
                <details class="edit-columns"><summary id="edit-columns">{ "Edit columns" }</summary>
                    <MappingStep {columns} on_apply={on_map.clone()} title="Columns and how they are read"
                        intro="The role of each column, the unit of each time and the coding of each event. The data are analysed again with what you choose, and the link keeps it." />
                </details>
            });
            html! {
                <>
                { for adam }
                <details class="import-report" open={cohort.messages.iter().any(|m| m.severity != Severity::Note)}>
                    <summary id="import-summary">{ format!(
                        "{}: {} patients read; {} import message(s); {} exclusion(s) from single analyses",
                        name.as_deref().unwrap_or("data"), cohort.patients, cohort.messages.len(), cohort.exclusions_total) }</summary>
                    { messages_table(cohort.clone(), |c: &CohortSummary| &c.messages, "Import messages") }
                    if !exclusions.is_empty() {
                        <details class="exclusions"><summary>{ match cohort.exclusions_total - exclusions.len() {
                            0 => format!("{} exclusion(s) from single analyses", exclusions.len()),
                            more => format!("{} exclusions from single analyses: the first {} listed, {more} more counted in the import notes", cohort.exclusions_total, exclusions.len()),
                        } }</summary>
                        { exclusions_table(cohort.clone()) }
                        </details>
                    }
                </details>
                { for edit }
                </>
            }
        }
    }
}

/// The messages `get` finds in `owner`, a page of rows at a time.
fn messages_table<T: 'static>(owner: Shared<T>, get: fn(&T) -> &[Message], caption: &str) -> Html {
    let total = get(&owner).len();
    if total == 0 {
        return html! {};
    }
    let caption = caption.to_string();
    let rows = Callback::from(move |(start, end): (usize, usize)| {
        html! {
            <table class="messages">
                <caption>{ caption.clone() }</caption>
                <thead><tr><th scope="col">{ "Severity" }</th><th scope="col">{ "File" }</th><th scope="col">{ "Row" }</th><th scope="col">{ "Patient" }</th><th scope="col">{ "Column" }</th><th scope="col">{ "Value" }</th><th scope="col">{ "Message" }</th></tr></thead>
                <tbody>{ for get(&owner)[start..end].iter().map(|m| {
                    let [file, row, patient, column, value, text] = message_cells(m);
                    html! { <tr class={if m.is_error() { "error-row" } else { "" }}>
                        <td>{ format!("{:?}", m.severity).to_lowercase() }</td><td>{ file }</td><td>{ row }</td><td>{ patient }</td><td>{ column }</td><td>{ value }</td><td>{ text }</td>
                    </tr> }
                }) }</tbody>
            </table>
        }
    });
    html! { <Paged {total} {rows} id="messages-pages" /> }
}

/// The patients left out of single analyses, a page of rows at a time.
fn exclusions_table(summary: Shared<CohortSummary>) -> Html {
    let total = summary.exclusions.len();
    let rows = Callback::from(move |(start, end): (usize, usize)| {
        html! {
            <table class="messages">
                <caption>{ "Patients left out of an analysis" }</caption>
                <thead><tr><th scope="col">{ "Row" }</th><th scope="col">{ "Patient" }</th><th scope="col">{ "Analysis" }</th><th scope="col">{ "Reason" }</th></tr></thead>
                <tbody>{ for summary.exclusions[start..end].iter().map(|x: &Exclusion| html! {
                    <tr><td>{ x.row }</td><td>{ &x.patient_id }</td><td>{ &x.analysis }</td><td>{ &x.reason }</td></tr>
                }) }</tbody>
            </table>
        }
    });
    html! { <Paged {total} {rows} id="exclusions-pages" /> }
}

fn analysis_view(
    state: &AppState,
    dispatch: &UseReducerDispatcher<AppState>,
    session: &SessionHandle,
    model: &Shared<PageModel>,
    summary: &Shared<CohortSummary>,
) -> Html {
    let send = |make: fn(String) -> Action| {
        let dispatch = dispatch.clone();
        Callback::from(move |v: String| dispatch.dispatch(make(v)))
    };
    let conventions = effective_conventions(state);
    let controls = ControlsProps {
        summary: summary.clone(),
        view: state.view.clone(),
        group: model.group.clone(),
        conventions,
        filter_problems: model.problems.clone(),
        dispatch: dispatch.clone(),
    };
    let revision = state.data_revision;
    let view = state.view.clone();
    let selected_rows = selected_table(state, model, session, dispatch);
    let study = state.study_info().cloned();
    let download = {
        let (session, view) = (session.clone(), view.clone());
        Callback::from(move |kind| session.export(revision, &view, kind))
    };
    let orr_text = model.orr_text.clone();
    html! {
        <>
        <Controls ..controls />
        <section class="report-section" aria-labelledby="report-title">
            <h2 id="report-title">{ "Report" }</h2>
            <p class="orr" id="orr">{ format!("Objective response rate: {orr_text}") }</p>
            <ReportTable header={model.header.clone()} rows={model.rows.clone()} caption={format!("Response and survival, {} patients", model.patients)} file="report.csv" />
            if !model.notes.is_empty() {
                <ul class="note" id="report-notes">{ for model.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            }
            <p class="conventions" id="conventions-text">{ model.conventions_text.clone() }</p>
            if let Some(study) = study {
                <Published study={Rc::new(study)} summary={summary.clone()} />
            }
        </section>
        if let Some(tables) = &model.tables {
            <TablesView model={Shared(tables.clone())} choice={state.view.tables.clone()}
                dispatch={dispatch.clone()} download={download.clone()} />
        } else if model.group.is_some() {
            <section class="report-section" aria-labelledby="tables-title" id="tables-section">
                <h2 id="tables-title">{ "Tables" }</h2>
                if state.view.tab.as_deref() == Some(TABLES_TAB) {
                    <p class="hint">{ "Computing the tables…" }</p>
                } else {
                    <button type="button" id="show-tables" onclick={{ let d = dispatch.clone(); Callback::from(move |_: MouseEvent| d.dispatch(Action::ShowTables(true))) }}>
                        { "Show the efficacy tables (response, time to event, duration of response; each arm against a reference)" }</button>
                }
            </section>
        }
        if let Some(waterfall) = &model.waterfall {
            <WaterfallView model={Shared(Rc::new(waterfall.clone()))} colour_by_group={state.colour_by_group}
                orr_text={orr_text.clone()} on_toggle={send(Action::ToggleSelected)}
                on_colour={{ let d = dispatch.clone(); Callback::from(move |on| d.dispatch(Action::SetColourByGroup(on))) }} />
        }
        { selected_rows }
        if let Some(survival) = &model.survival {
            <KmView analysis={Shared(survival.clone())} time_unit="months" zoom={state.view.zoom}
                ci_bands={state.view.ci_bands == CiBands::On} landmark={state.view.landmark}
                on_zoom={{
                    // Rounded to the precision of the times, so that the link stays short.
                    let d = dispatch.clone();
                    let decimals = figures::km::time_decimals(survival);
                    Callback::from(move |z: Option<TimeRange>| d.dispatch(Action::SetZoom(z.and_then(|z| figures::km::rounded_zoom(z, decimals)))))
                }}
                on_ci_bands={{ let d = dispatch.clone(); Callback::from(move |on| d.dispatch(Action::SetCiBands(on))) }}
                on_landmark={{ let d = dispatch.clone(); Callback::from(move |t| d.dispatch(Action::SetLandmark(t))) }} />
        }
        if let Some(swimmer) = &model.swimmer {
            <SwimmerView data={Shared(swimmer.data.clone())} note={swimmer.note.clone()} only_responders={state.swimmer_responders_only}
                selected={state.view.selected.clone()} on_toggle={send(Action::ToggleSelected)}
                on_only_responders={{ let d = dispatch.clone(); Callback::from(move |on| d.dispatch(Action::SetSwimmerRespondersOnly(on))) }} />
        }
        if let (Some(forest), Some(survival)) = (&model.forest, &model.survival) {
            <ForestView forest={Shared(forest.clone())} endpoint={survival.label.clone()} />
        }
        { snippets::exports(model, download) }
        </>
    }
}

fn selected_table(
    state: &AppState,
    model: &PageModel,
    session: &SessionHandle,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Html {
    let view = &state.view;
    let picker = {
        let d = dispatch.clone();
        let on_toggle = Callback::from(move |id| d.dispatch(Action::ToggleSelected(id)));
        let d = dispatch.clone();
        let on_query = Callback::from(move |q| d.dispatch(Action::SetPickQuery(q)));
        let on_pick = {
            let (session, view, revision) = (session.clone(), view.clone(), state.data_revision);
            Callback::from(move |typed: String| session.pick_patient(revision, &view, &typed))
        };
        html! { <PatientPicker picker={state.picker.clone()} {on_query} {on_pick} selected={view.selected.clone()} {on_toggle} /> }
    };
    if view.selected.is_empty() {
        return html! { <section class="selected" aria-label="Patient selection">{ picker }</section> };
    }
    html! {
        <section class="selected" aria-labelledby="selected-title">
            <h3 id="selected-title">{ "Selected patients" }</h3>
            { picker }
            <table id="selected-table">
                <thead><tr><th scope="col">{ "Patient" }</th><th scope="col">{ "Best response" }</th><th scope="col">{ "Best change" }</th>
                    <th scope="col">{ model.group.as_deref().unwrap_or("Group") }</th><th scope="col">{ "Times, months (+ censored)" }</th></tr></thead>
                <tbody>{ for model.selected.iter().map(|r| html! {
                    <tr class="selected-row"><th scope="row">{ &r.id }</th><td>{ &r.response }</td><td>{ &r.change }</td><td>{ &r.group_value }</td><td>{ &r.times }</td></tr>
                }) }</tbody>
            </table>
        </section>
    }
}
