//! The page's handle on its [`engine::Session`](crate::engine::Session):
//! importing a cohort without freezing the page (the data module's
//! [`ImportJob`], the one way in, stepped a few thousand rows at a time,
//! yielding to the event loop in between and reporting progress), then
//! asking the session for each view's model, patient matches and exports.
//! The components see the summary and the models, never the cohort.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use yew::prelude::*;

use super::state::{Action, AppState, Shared};
use crate::data::studies::StudyInfo;
use crate::data::{ImportJob, ImportOptions, InputFile};
use crate::engine::{Export, ExportKind, PageModel, Session, ViewOptions};
use crate::share::ViewState;

/// Rows read between two yields to the event loop.
pub const ROWS_PER_STEP: usize = 2_000;

/// The session of the last import, shared by the page's callbacks.
#[derive(Clone, Default)]
pub struct SessionHandle(Rc<RefCell<Option<(u32, Session)>>>);

impl PartialEq for SessionHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl SessionHandle {
    /// Imports `files` with `options` as the import of `revision` (of the
    /// built-in `study`, if any), dispatching progress and the result; the
    /// cohort stays in the session.
    pub fn import(
        &self,
        dispatch: UseReducerDispatcher<AppState>,
        revision: u32,
        files: Vec<InputFile>,
        options: ImportOptions,
        study: Option<StudyInfo>,
    ) {
        let handle = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // Let the page paint "importing…" first.
            yew::platform::time::sleep(Duration::ZERO).await;
            let mut job = match ImportJob::new(files, &options) {
                Ok(job) => job,
                Err(failure) => {
                    dispatch.dispatch(Action::ImportDone {
                        revision,
                        result: Err(Shared(failure.into())),
                    });
                    return;
                }
            };
            while !job.is_done() {
                let progress = job.step(ROWS_PER_STEP);
                dispatch.dispatch(Action::ImportProgress { revision, progress });
                yew::platform::time::sleep(Duration::ZERO).await;
            }
            let result = match job.finish() {
                Ok(cohort) => {
                    let (session, summary) = Session::new(cohort, study);
                    *handle.0.borrow_mut() = Some((revision, session));
                    Ok(Shared(summary.into()))
                }
                Err(failure) => Err(Shared(failure.into())),
            };
            dispatch.dispatch(Action::ImportDone { revision, result });
        });
    }

    /// Runs `f` on the session of the import of `revision`, if it is the last.
    fn with<T>(&self, revision: u32, f: impl FnOnce(&mut Session) -> T) -> Option<T> {
        match &mut *self.0.borrow_mut() {
            Some((r, session)) if *r == revision => Some(f(session)),
            _ => None,
        }
    }

    /// The model of `view` of the cohort of `revision`.
    pub fn view(&self, revision: u32, view: &ViewState, options: ViewOptions) -> Option<PageModel> {
        self.with(revision, |s| s.view(view, options))
    }

    /// Patients of `view` matching `query` (a few).
    pub fn find_patients(&self, revision: u32, view: &ViewState, query: &str) -> Vec<String> {
        self.with(revision, |s| s.find_patients(view, query))
            .unwrap_or_default()
    }

    /// The one patient of `view` that `typed` names.
    pub fn pick_patient(&self, revision: u32, view: &ViewState, typed: &str) -> Option<String> {
        self.with(revision, |s| s.pick_patient(view, typed))
            .flatten()
    }

    /// The export `kind` of `view`.
    pub fn export(
        &self,
        revision: u32,
        view: &ViewState,
        kind: ExportKind,
    ) -> Result<Export, String> {
        self.with(revision, |s| s.export(view, kind))
            .unwrap_or_else(|| Err("the data of this view are no longer open".to_string()))
    }
}
