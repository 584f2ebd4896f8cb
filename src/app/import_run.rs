//! Importing a cohort without freezing the page: the data module's
//! [`ImportJob`] (the one way in) is stepped a few thousand rows at a time,
//! yielding to the event loop in between and reporting progress.

use std::time::Duration;

use yew::prelude::*;

use super::state::{Action, AppState, Shared};
use crate::data::{ImportJob, ImportOptions, InputFile};

/// Rows read between two yields to the event loop.
pub const ROWS_PER_STEP: usize = 2_000;

/// Imports `files` with `options` as the import of `revision`,
/// dispatching progress and the result.
pub fn run(
    dispatch: UseReducerDispatcher<AppState>,
    revision: u32,
    files: Vec<InputFile>,
    options: ImportOptions,
) {
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
        let result = job
            .finish()
            .map(|c| Shared(c.into()))
            .map_err(|f| Shared(f.into()));
        dispatch.dispatch(Action::ImportDone { revision, result });
    });
}
