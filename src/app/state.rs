//! All of the page's state in one value, changed only through [`Action`]s by
//! a pure reducer. Side effects (reading files, importing, the URL) live in
//! the page's effects, never here.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::data::import::{ImportFailure, Progress};
use crate::data::message::RowKind;
use crate::data::studies::StudyCard;
use crate::data::xpt::looks_like_xpt;
use crate::data::{InputFile, Message};
use crate::engine::protocol::{Carried, LinkPack};
use crate::engine::{CohortSummary, PageModel};
use crate::report::tables::{DEFAULT_TIMEPOINTS, TABLES_TAB};
use crate::report::view::minimal_conventions;
use crate::share::{
    check_timepoints, AdamView, CiBands, ConventionsChoice, Decoded, Filter, LinkData,
    MappedColumn, Source, TablesChoice, TimeRange, ViewState,
};
use crate::stats::conventions::{
    BinomialCi, CiTransform, Denominator, DifferenceCi, MedianRule, Preset, Ties,
};

/// The first built-in study, opened when no link says otherwise.
pub const DEFAULT_STUDY: &str = "lifileucel-melanoma";

/// An `Rc` compared by address: cheap equality for memo keys and props.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Where the import of the current source stands.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportStatus {
    /// Nothing to import (a link naming a local file that is not open).
    Idle,
    /// Rows are being read.
    Running { progress: Option<Progress> },
    /// The cohort is ready (in the page's session): what the page shows of it.
    Done(Shared<CohortSummary>),
    /// The roles could not all be matched, or the file has errors: the
    /// messages, and the guessed mapping for the mapping step.
    Failed(Shared<ImportFailure>),
}

/// A message for the user about the link or a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// A link or view file was refused: the page opened the default study.
    Refused(String),
    /// Keys of the link that were ignored.
    Issues(Vec<String>),
    /// The view carries data embedded in the link.
    Embedded(String),
    /// The data are too large for a link: offer the view file.
    TooLargeForLink,
    /// A link named local files that have to be opened again.
    OpenFileAgain(Vec<String>),
}

/// The patient picker: what is typed, the patients it matches, and why
/// the last id submitted picked no one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Picker {
    pub query: String,
    /// The matches of `query`, once the session answered.
    pub matches: Vec<String>,
    pub problem: Option<String>,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The view as a link encodes it, without its source (kept apart in
    /// `source` so that a large file is not copied on every action).
    pub view: ViewState,
    pub source: Option<Shared<Source>>,
    /// The files of a [`Source::LocalFiles`] source, once opened here.
    pub files: Option<Shared<Vec<InputFile>>>,
    /// The one text file opened here travels in the link (packed by its
    /// import, when it fits) and in the view file, as a link's embedded
    /// data do. The page never reads the file's text itself: its import
    /// (in the worker) checks and packs it.
    pub carry_data: bool,
    /// The data a link carries, still packed: its import unpacks and checks
    /// them, in the worker (a 500,000-row link is megabytes to inflate).
    pub packed: Option<Shared<LinkData>>,
    /// Bumped whenever the source or the column mapping changes: the page
    /// imports again when it changes.
    pub data_revision: u32,
    pub import: ImportStatus,
    pub notices: Vec<Notice>,
    /// Colour the waterfall bars by the grouping column.
    pub colour_by_group: bool,
    /// Swimmer plot of responders only.
    pub swimmer_responders_only: bool,
    /// The model of the newest view computed: its import's revision, its
    /// number among the views asked for, and the model.
    pub model: Option<(u32, u32, Shared<PageModel>)>,
    pub picker: Picker,
    /// The embedded data of the source packed for the link (or too large
    /// for one), by the import of this revision.
    pub link_data: Option<(u32, Shared<LinkPack>)>,
    /// What the page shows of each built-in study, from the session (empty
    /// until it is ready).
    pub studies: Shared<Vec<StudyCard>>,
}

impl AppState {
    /// The landing state: the first built-in study.
    pub fn initial() -> AppState {
        AppState {
            view: ViewState::default(),
            source: Some(Shared(Rc::new(Source::Study(DEFAULT_STUDY.to_string())))),
            files: None,
            carry_data: false,
            packed: None,
            data_revision: 1,
            import: ImportStatus::Running { progress: None },
            notices: Vec::new(),
            colour_by_group: false,
            swimmer_responders_only: true,
            model: None,
            picker: Picker::default(),
            link_data: None,
            studies: Shared(Rc::new(Vec::new())),
        }
    }

    /// The state a decoded link describes.
    pub fn restored(decoded: Decoded) -> AppState {
        let (banner, issues) = (decoded.embedded_banner(), decoded.messages());
        AppState::restored_from(decoded.state, decoded.packed, banner, issues)
    }

    /// The state of `view` (with the link's data still `packed`), with the
    /// banner of the data it carries and the issues of its link or file.
    pub fn restored_from(
        mut view: ViewState,
        packed: Option<LinkData>,
        banner: Option<String>,
        issues: Vec<String>,
    ) -> AppState {
        let mut state = AppState::initial();
        let mut notices = Vec::new();
        if let Some(banner) = banner {
            notices.push(Notice::Embedded(banner));
        }
        if !issues.is_empty() {
            notices.push(Notice::Issues(issues));
        }
        if let Some(packed) = packed {
            state.source = Some(Shared(Rc::new(Source::LocalFiles(vec![packed
                .name
                .clone()]))));
            state.carry_data = true;
            state.packed = Some(Shared(Rc::new(packed)));
        }
        match view.source.take() {
            Some(Source::LocalFiles(names)) => {
                notices.push(Notice::OpenFileAgain(names.clone()));
                state.source = Some(Shared(Rc::new(Source::LocalFiles(names))));
                state.import = ImportStatus::Idle;
            }
            Some(source) => state.source = Some(Shared(Rc::new(source))),
            None => {}
        }
        state.view = view;
        state.notices = notices;
        state
    }

    /// The state after a refused link: the default study, and why.
    pub fn refused(message: String) -> AppState {
        AppState {
            notices: vec![Notice::Refused(message)],
            ..AppState::initial()
        }
    }

    /// What the view file of this state is written from (by the session):
    /// the source, the data the view carries, and the bytes of the one file
    /// it carries, if that is where its data are.
    pub fn view_file_parts(&self) -> (Option<Source>, Carried, Option<&[u8]>) {
        let source = self.source.as_ref().map(|s| (*s.0).clone());
        let files = self.files.as_deref().map(Vec::as_slice);
        match (self.carry_data, files, &self.packed) {
            (true, Some([one]), _) => {
                let name = one.name.clone();
                (source, Carried::File { name }, Some(&one.bytes))
            }
            (true, None, Some(packed)) => (source, Carried::Packed((*packed.0).clone()), None),
            _ => (source, Carried::Nothing, None),
        }
    }

    /// The built-in study the view is of, if any.
    pub fn study_info(&self) -> Option<&StudyCard> {
        match self.source.as_deref() {
            Some(Source::Study(id)) => self.studies.0.iter().find(|s| s.id == *id),
            _ => None,
        }
    }

    /// The summary of the cohort, once imported.
    pub fn summary(&self) -> Option<&Shared<CohortSummary>> {
        match &self.import {
            ImportStatus::Done(summary) => Some(summary),
            _ => None,
        }
    }

    /// The model of the current import's newest view computed.
    pub fn model(&self) -> Option<&Shared<PageModel>> {
        match (&self.import, &self.model) {
            (ImportStatus::Done(_), Some((revision, _, model)))
                if *revision == self.data_revision =>
            {
                Some(model)
            }
            _ => None,
        }
    }

    /// The file names or study id of the source.
    pub fn source_name(&self) -> Option<String> {
        match self.source.as_deref()? {
            Source::Study(id) => Some(id.clone()),
            Source::Embedded(data) => Some(data.name.clone()),
            Source::LocalFiles(names) => Some(names.join(", ")),
        }
    }
}

/// A change to the page's state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The built-in studies, as the session describes them.
    Studies(Vec<StudyCard>),
    /// Open a built-in study by id.
    OpenStudy(String),
    /// Open files the user dropped, picked or pasted (one table, or ADaM datasets).
    OpenFiles(Shared<Vec<InputFile>>),
    /// Open a view read from a link or view file.
    Restore(Box<AppState>),
    /// Import with these roles (role → column and how to read it).
    MapColumns(BTreeMap<String, MappedColumn>),
    /// Import ADaM datasets with these choices.
    SetAdam(AdamView),
    /// Progress of the import of `revision`.
    ImportProgress {
        revision: u32,
        progress: Progress,
    },
    /// The import of `revision` ended (with its one file packed for a
    /// link, when the link carries the data).
    ImportDone {
        revision: u32,
        result: Result<Shared<CohortSummary>, Shared<ImportFailure>>,
        link: Option<LinkPack>,
    },
    /// The model of view `seq` of the import of `revision`.
    ViewReady {
        revision: u32,
        seq: u32,
        model: Shared<PageModel>,
    },
    /// The session ended (its worker stopped) after the import.
    SessionLost(String),
    /// The picker's text changed.
    SetPickQuery(String),
    /// The patients that `query` matches, among those of the import of `revision`.
    PatientMatches {
        revision: u32,
        query: String,
        ids: Vec<String>,
    },
    /// The patient of the import of `revision` an id submitted in the
    /// picker names (`None`: no single one).
    Picked {
        revision: u32,
        typed: String,
        id: Option<String>,
    },
    SetGroup(Option<String>),
    AddFilter(Filter),
    RemoveFilter(usize),
    SetEndpoint(String),
    /// Select or deselect a patient.
    ToggleSelected(String),
    ClearSelection,
    SetPreset(Preset),
    SetCiTransform(CiTransform),
    SetMedianRule(MedianRule),
    SetTies(Ties),
    SetDenominator(Denominator),
    SetBinomialCi(BinomialCi),
    SetZoom(Option<TimeRange>),
    SetCiBands(bool),
    SetLandmark(Option<f64>),
    SetColourByGroup(bool),
    SetSwimmerRespondersOnly(bool),
    /// The tables' reference arm; the first arm (`arms[0]`) is the default.
    SetTablesReference {
        arm: String,
        first: String,
    },
    /// Stratify the tables by a column, or stop.
    ToggleTablesStratum(String),
    /// The tables' time points (months), each positive.
    SetTablesTimepoints(Vec<f64>),
    SetDiffCi(DifferenceCi),
    /// Show the efficacy tables (computed only while shown), or hide them.
    ShowTables(bool),
    /// Tell the user something (a file that could not be read or opened).
    Notify(Notice),
    /// The data do not fit in a link (or fit again).
    DataTooLargeForLink(bool),
    DismissNotices,
}

/// The view of a freshly opened cohort: keeps the conventions, forgets the
/// rest (columns, patients and times belong to the old cohort).
fn fresh_view(view: &ViewState) -> ViewState {
    ViewState {
        conventions: view.conventions,
        ci_bands: view.ci_bands,
        ..ViewState::default()
    }
}

/// Changes the conventions, kept as the shortest choice with the same
/// effect (so that equal views give equal links).
fn conventions(state: &mut AppState, change: impl FnOnce(&mut ConventionsChoice)) {
    change(&mut state.view.conventions);
    let study = state.study_info().map(|s| s.denominator);
    state.view.conventions = minimal_conventions(&state.view, study);
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::OpenStudy(id) => {
                s.view = fresh_view(&s.view);
                s.source = Some(Shared(Rc::new(Source::Study(id))));
                s.files = None;
                s.carry_data = false;
                s.packed = None;
                s.data_revision += 1;
                s.import = ImportStatus::Running { progress: None };
                s.notices.clear();
            }
            Action::OpenFiles(files) => {
                let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
                // The files a link asked for, in any order: its view applies to them.
                let sorted = |names: &[String]| {
                    let mut names = names.to_vec();
                    names.sort();
                    names
                };
                // (A link's own data are not files it waits for.)
                let awaited = s.packed.is_none()
                    && matches!(s.source.as_deref(),
                        Some(Source::LocalFiles(wanted)) if sorted(wanted) == sorted(&names));
                if !awaited {
                    s.view = fresh_view(&s.view);
                }
                // One text file travels in a link when small (its import
                // says whether it is text and fits); anything else by name.
                s.carry_data =
                    !awaited && matches!(files.as_slice(), [one] if !looks_like_xpt(&one.bytes));
                s.source = Some(Shared(Rc::new(Source::LocalFiles(names))));
                s.files = Some(files);
                s.packed = None;
                s.data_revision += 1;
                s.import = ImportStatus::Running { progress: None };
                s.notices.clear();
            }
            Action::Studies(studies) => s.studies = Shared(Rc::new(studies)),
            Action::Restore(state) => {
                let revision = s.data_revision + 1;
                s = AppState {
                    studies: s.studies,
                    ..*state
                };
                s.data_revision = revision;
            }
            Action::MapColumns(map) => {
                s.view.column_map = map;
                s.data_revision += 1;
                s.import = ImportStatus::Running { progress: None };
            }
            Action::SetAdam(adam) => {
                s.view.adam = adam;
                s.data_revision += 1;
                s.import = ImportStatus::Running { progress: None };
            }
            Action::ImportProgress { revision, progress } => {
                if revision != s.data_revision {
                    return self;
                }
                s.import = ImportStatus::Running {
                    progress: Some(progress),
                };
            }
            Action::ImportDone {
                revision,
                result,
                link,
            } => {
                if revision != s.data_revision {
                    return self;
                }
                // A file that is not UTF-8 text is not packed: named only.
                // A link's own data that fail their checks leave the link
                // as it is in the address bar, and no "embedded data" banner.
                if s.packed.is_some() && result.is_err() {
                    s.notices.retain(|n| !matches!(n, Notice::Embedded(_)));
                } else {
                    s.carry_data &= link.is_some();
                }
                s.link_data = link.map(|l| (revision, Shared(Rc::new(l))));
                s.picker = Picker::default();
                s.import = match result {
                    Ok(summary) => ImportStatus::Done(summary),
                    Err(failure) => ImportStatus::Failed(failure),
                };
            }
            Action::ViewReady {
                revision,
                seq,
                model,
            } => {
                let newer = matches!(&s.model, Some((r, n, _)) if *r == revision && *n > seq);
                if revision != s.data_revision || newer {
                    return self;
                }
                s.model = Some((revision, seq, model));
            }
            Action::SessionLost(message) => {
                s.import = ImportStatus::Failed(Shared(Rc::new(ImportFailure::error(message))));
                s.model = None;
            }
            Action::SetPickQuery(query) => {
                s.picker = Picker {
                    query,
                    ..Picker::default()
                }
            }
            // Answers about another import's patients are not this cohort's.
            Action::PatientMatches {
                revision, query, ..
            } if revision != s.data_revision || query != s.picker.query => return self,
            Action::PatientMatches { ids, .. } => s.picker.matches = ids,
            Action::Picked { revision, .. } if revision != s.data_revision => return self,
            Action::Picked { typed, id, .. } => match id {
                Some(id) => {
                    s.picker = Picker::default();
                    toggle(&mut s.view.selected, id);
                }
                None => {
                    s.picker.problem = (!typed.trim().is_empty()).then(|| {
                        format!(
                            "No single patient matches {:?}: type more of the id.",
                            typed.trim()
                        )
                    })
                }
            },
            Action::SetGroup(group) => {
                // "No grouping" of ADaM data grouped by their arm: no arm.
                let by_arm = s.summary().is_some_and(|c| c.default_group.is_some());
                if group.is_none() && by_arm {
                    s.view.adam.arm = Some("none".to_string());
                    s.data_revision += 1;
                    s.import = ImportStatus::Running { progress: None };
                }
                // The default grouping is written as none.
                let default = s.summary().and_then(|c| c.default_group.clone());
                s.view.group = group.filter(|g| Some(g) != default.as_ref());
                // The reference and strata were the old arms'.
                s.view.tables = TablesChoice {
                    timepoints: s.view.tables.timepoints.clone(),
                    diff_ci: s.view.tables.diff_ci,
                    ..TablesChoice::default()
                };
            }
            Action::AddFilter(filter) => s.view.filters.push(filter),
            Action::RemoveFilter(index) => {
                if index < s.view.filters.len() {
                    s.view.filters.remove(index);
                }
            }
            Action::SetEndpoint(key) => {
                // The first endpoint is the default, written as none.
                let first = s
                    .summary()
                    .and_then(|c| c.first_endpoint().map(str::to_string));
                s.view.endpoint = Some(key).filter(|k| Some(k) != first.as_ref());
                s.view.zoom = None;
                s.view.landmark = None;
            }
            Action::ToggleSelected(id) => toggle(&mut s.view.selected, id),
            Action::ClearSelection => s.view.selected.clear(),
            Action::SetPreset(preset) => conventions(&mut s, |c| {
                *c = ConventionsChoice {
                    preset: Some(preset),
                    ..ConventionsChoice::default()
                }
            }),
            Action::SetCiTransform(t) => conventions(&mut s, |c| c.ci_transform = Some(t)),
            Action::SetMedianRule(r) => conventions(&mut s, |c| c.median_rule = Some(r)),
            Action::SetTies(t) => conventions(&mut s, |c| c.ties = Some(t)),
            Action::SetDenominator(d) => conventions(&mut s, |c| c.denominator = Some(d)),
            Action::SetBinomialCi(m) => conventions(&mut s, |c| c.binomial_ci = Some(m)),
            Action::SetZoom(zoom) => {
                s.view.zoom =
                    zoom.filter(|z| z.start.is_finite() && z.end.is_finite() && z.start < z.end)
            }
            Action::SetCiBands(on) => s.view.ci_bands = if on { CiBands::On } else { CiBands::Off },
            Action::SetLandmark(t) => s.view.landmark = t.filter(|t| t.is_finite() && *t >= 0.0),
            Action::SetColourByGroup(on) => s.colour_by_group = on,
            Action::SetSwimmerRespondersOnly(on) => s.swimmer_responders_only = on,
            // Defaults are not written: equal views give equal links.
            Action::SetTablesReference { arm, first } => {
                s.view.tables.reference = Some(arm).filter(|a| *a != first)
            }
            Action::ToggleTablesStratum(column) => toggle(&mut s.view.tables.strata, column),
            Action::SetTablesTimepoints(times) => {
                if check_timepoints(&times).is_ok() {
                    s.view.tables.timepoints = if times == DEFAULT_TIMEPOINTS {
                        Vec::new()
                    } else {
                        times
                    };
                }
            }
            Action::ShowTables(on) => s.view.tab = on.then(|| TABLES_TAB.to_string()),
            Action::SetDiffCi(method) => {
                s.view.tables.diff_ci = Some(method).filter(|m| *m != DifferenceCi::default())
            }
            Action::Notify(notice) => s.notices.push(notice),
            Action::DataTooLargeForLink(too_large) => {
                let before = s.notices.clone();
                if too_large {
                    // The data no longer travel in the link: no "embedded data" banner.
                    s.notices.retain(|n| !matches!(n, Notice::Embedded(_)));
                    if !s.notices.contains(&Notice::TooLargeForLink) {
                        s.notices.push(Notice::TooLargeForLink);
                    }
                } else {
                    s.notices.retain(|n| *n != Notice::TooLargeForLink);
                }
                if s.notices == before {
                    return self;
                }
            }
            Action::DismissNotices => s
                .notices
                .retain(|n| matches!(n, Notice::Embedded(_) | Notice::TooLargeForLink)),
        }
        Rc::new(s)
    }
}

/// Selects `id`, or deselects it when selected.
fn toggle(selected: &mut Vec<String>, id: String) {
    if let Some(at) = selected.iter().position(|x| *x == id) {
        selected.remove(at);
    } else {
        selected.push(id);
    }
}

/// Import messages as (file, row, patient, column, value, text) for the messages table.
pub fn message_cells(message: &Message) -> [String; 6] {
    let row = message
        .row
        .map_or_else(String::new, |r| match message.row_kind {
            RowKind::Spreadsheet => r.to_string(),
            RowKind::Observation => format!("obs. {r}"),
        });
    [
        message.file.as_deref().unwrap_or_default().to_string(),
        row,
        message.patient.as_deref().unwrap_or_default().to_string(),
        message.column.clone().unwrap_or_default(),
        message.value.clone().unwrap_or_default(),
        message.text.clone(),
    ]
}
