//! The page's handle on its session ([`engine::Server`](crate::engine::Server)):
//! in a Web Worker started from `worker.js` (the `cohortscope-worker`
//! WebAssembly module), so that importing and analysing never run on the
//! page's thread. The page's own module holds no `Server` and no statistics:
//! where no worker starts, every request fails with the reason, except with
//! the feature `page-engine` (the browser tests' harness, which has no
//! `worker.js`), where the session runs on the page's thread, an import
//! stepped a few thousand rows at a time with yields between steps. Either
//! way the page sends [`Request`]s and the replies come back as [`Action`]s:
//! the components see the summary and the models, never the cohort.
//!
//! Views are asked for one at a time: while one is computed, only the
//! newest of the views asked for since waits (the ones it replaces are
//! never computed), and a reply to a view that a newer one replaced is not
//! shown. Cancelling an import ends the worker and starts another.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
#[cfg(feature = "page-engine")]
use std::time::Duration;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::js_sys::{Float64Array, Uint8Array};
use web_sys::{ErrorEvent, Event, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::prelude::*;

use super::envelope;
use super::export;
use super::link;
use super::state::{Action, AppState, Notice, Shared};
use crate::data::ImportFailure;
use crate::engine::protocol::{Reply, Request};
#[cfg(feature = "page-engine")]
use crate::engine::Server;
use crate::engine::{ExportKind, ViewOptions};
use crate::share::{LinkData, ViewState};

/// Rows read between two yields to the event loop, on the page's thread.
#[cfg(feature = "page-engine")]
pub const ROWS_PER_STEP: usize = 2_000;

/// Where the session runs.
enum Backend {
    /// A worker, until it said it is ready: the requests sent then.
    Worker {
        worker: Worker,
        ready: bool,
        waiting: Vec<(Request, Vec<Uint8Array>)>,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(Event)>,
    },
    /// The page's thread.
    #[cfg(feature = "page-engine")]
    Local(Rc<RefCell<Server>>),
    /// No worker could be started: why, the answer to every request.
    #[cfg(not(feature = "page-engine"))]
    Unavailable(String),
}

struct Inner {
    dispatch: UseReducerDispatcher<AppState>,
    backend: RefCell<Option<Backend>>,
    /// A view is being computed; the newest view asked for since.
    view_busy: Cell<bool>,
    view_next: RefCell<Option<Request>>,
    /// The import under way, for a worker that stops.
    importing: RefCell<Option<u32>>,
}

impl Backend {
    /// Where the session goes when no worker starts (`why`): the page's
    /// thread, with the feature `page-engine`.
    #[cfg(feature = "page-engine")]
    fn without_worker(_why: &str) -> Backend {
        Backend::Local(Rc::new(RefCell::new(Server::default())))
    }

    /// Where the session goes when no worker starts (`why`): nowhere; every
    /// request is answered with the reason.
    #[cfg(not(feature = "page-engine"))]
    fn without_worker(why: &str) -> Backend {
        Backend::Unavailable(format!(
            "cohortscope computes in a Web Worker, which could not be started ({why}); \
             it needs a browser that runs module workers (Chrome 80, Firefox 114, Safari 15 or later)"
        ))
    }
}

/// The page's session, shared by its callbacks.
#[derive(Clone)]
pub struct SessionHandle(Rc<Inner>);

impl PartialEq for SessionHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The URL of `worker.js` next to the page's loader, with the name of the
/// page's glue (a build's own, as Trunk hashes it) as `?v=`, which the
/// worker asks its module with; `None` where the page was not started by
/// `boot.js` (the browser tests).
fn worker_url() -> Option<String> {
    let document = gloo::utils::document();
    let tag = document.query_selector("script[data-js]").ok()??;
    let build = tag.get_attribute("data-js")?;
    let base = document.base_uri().ok()??;
    let url = web_sys::Url::new_with_base("worker.js", &base).ok()?;
    url.search_params().set("v", &build);
    Some(url.href())
}

fn failure(message: String) -> Shared<ImportFailure> {
    Shared(Rc::new(ImportFailure::error(message)))
}

impl SessionHandle {
    /// A session in a new worker, or on the page's thread if none starts.
    pub fn new(dispatch: UseReducerDispatcher<AppState>) -> SessionHandle {
        let handle = SessionHandle(Rc::new(Inner {
            dispatch,
            backend: RefCell::new(None),
            view_busy: Cell::new(false),
            view_next: RefCell::new(None),
            importing: RefCell::new(None),
        }));
        let backend = handle.spawn();
        *handle.0.backend.borrow_mut() = Some(backend);
        handle.announce_local();
        handle
    }

    /// A worker answering to this handle, or where the session goes without one.
    fn spawn(&self) -> Backend {
        let Some(url) = worker_url() else {
            return Backend::without_worker("the page was not started by its loader");
        };
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = match Worker::new_with_options(&url, &options) {
            Ok(worker) => worker,
            Err(e) => {
                let why = e
                    .as_string()
                    .unwrap_or_else(|| "the browser refused it".into());
                return Backend::without_worker(&why);
            }
        };
        let weak = Rc::downgrade(&self.0);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(inner) = weak.upgrade() else { return };
            let handle = SessionHandle(inner);
            handle.receive(read_reply(&event.data()));
        });
        let weak = Rc::downgrade(&self.0);
        // An `ErrorEvent` when the worker's code failed, a plain `Event` when
        // its script could not be loaded.
        let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            event.prevent_default();
            if let Some(inner) = weak.upgrade() {
                let why = event.dyn_ref::<ErrorEvent>().map_or_else(
                    || "its script could not be loaded".to_string(),
                    |e| e.message(),
                );
                let message = format!("the computation stopped ({why}); open the data again");
                // Not from within this handler: stopping drops it.
                wasm_bindgen_futures::spawn_local(async move {
                    let handle = SessionHandle(inner);
                    if handle.worker_started() {
                        handle.stopped(message);
                    } else {
                        handle.fall_back(&why);
                    }
                });
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Backend::Worker {
            worker,
            ready: false,
            waiting: Vec::new(),
            _on_message: on_message,
            _on_error: on_error,
        }
    }

    /// A session on the page's thread is ready at once: the page hears
    /// what a worker's first reply says.
    fn announce_local(&self) {
        #[cfg(feature = "page-engine")]
        if matches!(self.0.backend.borrow().as_ref(), Some(Backend::Local(_))) {
            self.receive(Reply::ready());
        }
    }

    /// Whether the session's worker started (said it is ready).
    fn worker_started(&self) -> bool {
        matches!(
            self.0.backend.borrow().as_ref(),
            Some(Backend::Worker { ready: true, .. })
        )
    }

    /// A worker that could not start (`why`: its script did not load): the
    /// requests it waited for go where the session goes without one.
    fn fall_back(&self, why: &str) {
        let waiting = match self.0.backend.borrow_mut().take() {
            Some(Backend::Worker {
                worker, waiting, ..
            }) => {
                worker.terminate();
                waiting
            }
            _ => Vec::new(),
        };
        *self.0.backend.borrow_mut() = Some(Backend::without_worker(why));
        self.announce_local();
        for (request, files) in waiting {
            self.send(request, files);
        }
    }

    /// The worker stopped (it ran out of memory, or was ended): the import
    /// under way fails with `message`, and a new worker takes the next requests.
    fn stopped(&self, message: String) {
        if let Some(Backend::Worker { worker, .. }) = self.0.backend.borrow_mut().take() {
            worker.terminate();
        }
        let backend = self.spawn();
        *self.0.backend.borrow_mut() = Some(backend);
        self.0.view_busy.set(false);
        self.0.view_next.take();
        match self.0.importing.take() {
            Some(revision) => self.0.dispatch.dispatch(Action::ImportDone {
                revision,
                result: Err(failure(message)),
                link: None,
            }),
            None => self.0.dispatch.dispatch(Action::SessionLost(message)),
        }
    }

    /// Sends `request` (with the bytes of its files) to the session.
    fn send(&self, request: Request, files: Vec<Uint8Array>) {
        let mut backend = self.0.backend.borrow_mut();
        match backend.as_mut() {
            Some(Backend::Worker {
                worker,
                ready,
                waiting,
                ..
            }) => {
                if !*ready {
                    waiting.push((request, files));
                    return;
                }
                post(worker, &request, files);
            }
            #[cfg(not(feature = "page-engine"))]
            Some(Backend::Unavailable(why)) => {
                let message = why.clone();
                drop(backend);
                self.refuse(&request, message);
            }
            #[cfg(feature = "page-engine")]
            Some(Backend::Local(server)) => {
                let (server, handle) = (server.clone(), self.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    // Let the page paint what it has first.
                    yew::platform::time::sleep(Duration::ZERO).await;
                    let files = files.iter().map(Uint8Array::to_vec).collect();
                    let reply = server.borrow_mut().handle(request, files);
                    if let Some(reply) = reply {
                        handle.receive(reply);
                    }
                    loop {
                        let reply = server.borrow_mut().step(ROWS_PER_STEP);
                        let Some(reply) = reply else { break };
                        handle.receive(reply);
                        yew::platform::time::sleep(Duration::ZERO).await;
                    }
                });
            }
            None => {}
        }
    }

    /// `request` cannot be answered (`message` says why).
    #[cfg(not(feature = "page-engine"))]
    fn refuse(&self, request: &Request, message: String) {
        self.0.view_busy.set(false);
        let dispatch = &self.0.dispatch;
        match request {
            Request::Import { revision, .. } => {
                self.0.importing.take();
                dispatch.dispatch(Action::ImportDone {
                    revision: *revision,
                    result: Err(failure(message)),
                    link: None,
                })
            }
            _ => dispatch.dispatch(Action::SessionLost(message)),
        }
    }

    /// A reply of the session, as actions of the page.
    fn receive(&self, reply: Reply) {
        let dispatch = &self.0.dispatch;
        match reply {
            Reply::Ready { studies } => {
                dispatch.dispatch(Action::Studies(studies));
                let waiting = match self.0.backend.borrow_mut().as_mut() {
                    Some(Backend::Worker { ready, waiting, .. }) => {
                        *ready = true;
                        std::mem::take(waiting)
                    }
                    _ => Vec::new(),
                };
                for (request, files) in waiting {
                    self.send(request, files);
                }
            }
            Reply::Progress { revision, progress } => {
                dispatch.dispatch(Action::ImportProgress { revision, progress })
            }
            Reply::Imported {
                revision,
                result,
                link,
            } => {
                if *self.0.importing.borrow() == Some(revision) {
                    self.0.importing.take();
                }
                dispatch.dispatch(Action::ImportDone {
                    revision,
                    result: result
                        .map(|s| Shared(Rc::new(*s)))
                        .map_err(|f| Shared(Rc::new(*f))),
                    link,
                })
            }
            Reply::View {
                revision,
                seq,
                model,
            } => {
                self.0.view_busy.set(false);
                let next = self.0.view_next.borrow_mut().take();
                match next {
                    // A newer view waits: this one is not shown.
                    Some(next) => self.send_view(next),
                    None => dispatch.dispatch(Action::ViewReady {
                        revision,
                        seq,
                        model: Shared(Rc::new(*model)),
                    }),
                }
            }
            Reply::Patients {
                revision,
                query,
                ids,
            } => dispatch.dispatch(Action::PatientMatches {
                revision,
                query,
                ids,
            }),
            Reply::Picked {
                revision,
                typed,
                id,
            } => dispatch.dispatch(Action::Picked {
                revision,
                typed,
                id,
            }),
            Reply::Exported { result, .. } | Reply::File { result } => match result {
                Ok(file) => export::download_text(&file.name, &file.mime, &file.text),
                Err(message) => dispatch.dispatch(Action::Notify(Notice::Refused(message))),
            },
            Reply::ViewFileRead { result } => {
                match result.and_then(|read| link::state_from_view_file(*read)) {
                    Ok(restored) => dispatch.dispatch(Action::Restore(Box::new(restored))),
                    Err(message) => dispatch.dispatch(Action::Notify(Notice::Refused(message))),
                }
            }
            Reply::Failed { message } => {
                dispatch.dispatch(Action::Notify(Notice::Refused(message)))
            }
        }
    }

    fn send_view(&self, request: Request) {
        self.0.view_busy.set(true);
        self.send(request, Vec::new());
    }

    /// Imports `files` (or the built-in `study`) with the column map and
    /// ADaM choices of `view` as the import of `revision`; `link`: the one
    /// file is data the link carries, to be packed for it.
    pub fn import(
        &self,
        revision: u32,
        view: &ViewState,
        files: &[(&str, &[u8])],
        study: Option<String>,
        packed: Option<LinkData>,
        link: bool,
    ) {
        let Some(fragment) = fragment(view) else {
            return;
        };
        *self.0.importing.borrow_mut() = Some(revision);
        self.0.view_next.take();
        // One copy, out of the module's memory, then transferred to the worker.
        let names = files.iter().map(|(name, _)| name.to_string()).collect();
        let bytes = files.iter().map(|(_, b)| Uint8Array::from(*b)).collect();
        self.send(
            Request::Import {
                revision,
                fragment,
                files: names,
                study,
                packed,
                link,
            },
            bytes,
        );
    }

    /// Ends the import of `revision`: the worker that reads it is ended.
    pub fn cancel_import(&self, revision: u32) {
        if *self.0.importing.borrow() != Some(revision) {
            return;
        }
        #[cfg(feature = "page-engine")]
        {
            let local = match self.0.backend.borrow().as_ref() {
                Some(Backend::Local(server)) => Some(server.clone()),
                _ => None,
            };
            if let Some(server) = local {
                *server.borrow_mut() = Server::default();
                self.0.importing.take();
                self.0.dispatch.dispatch(Action::ImportDone {
                    revision,
                    result: Err(failure("reading was cancelled".to_string())),
                    link: None,
                });
                return;
            }
        }
        self.stopped("reading was cancelled".to_string());
    }

    /// Asks for the model of `view` of the cohort of `revision` (the `seq`-th view asked for).
    pub fn view(&self, revision: u32, seq: u32, view: &ViewState, options: ViewOptions) {
        let Some(fragment) = fragment(view) else {
            return;
        };
        let request = Request::View {
            revision,
            seq,
            fragment,
            options,
        };
        if self.0.view_busy.get() {
            *self.0.view_next.borrow_mut() = Some(request);
        } else {
            self.send_view(request);
        }
    }

    /// Asks for the patients of `view` matching `query`.
    pub fn find_patients(&self, revision: u32, view: &ViewState, query: &str) {
        if let Some(fragment) = fragment(view) {
            let query = query.to_string();
            self.send(
                Request::FindPatients {
                    revision,
                    fragment,
                    query,
                },
                Vec::new(),
            );
        }
    }

    /// Asks for the one patient of `view` that `typed` names.
    pub fn pick_patient(&self, revision: u32, view: &ViewState, typed: &str) {
        if let Some(fragment) = fragment(view) {
            let typed = typed.to_string();
            self.send(
                Request::PickPatient {
                    revision,
                    fragment,
                    typed,
                },
                Vec::new(),
            );
        }
    }

    /// Asks for the view file of `state`; it is downloaded when it comes.
    pub fn view_file(&self, state: &AppState) {
        let Some(fragment) = fragment(&state.view) else {
            return;
        };
        let (source, carried, bytes) = state.view_file_parts();
        let request = Request::ViewFile {
            fragment,
            source,
            carried,
        };
        self.send(request, bytes.map(Uint8Array::from).into_iter().collect());
    }

    /// Asks for the view the view file `bytes` describes; the page opens it
    /// when it comes.
    pub fn read_view_file(&self, bytes: &[u8]) {
        self.send(Request::ReadViewFile, vec![Uint8Array::from(bytes)]);
    }

    /// Asks for the file `kind` of `view`; it is downloaded when it comes.
    pub fn export(&self, revision: u32, view: &ViewState, kind: ExportKind) {
        if let Some(fragment) = fragment(view) {
            self.send(
                Request::Export {
                    revision,
                    fragment,
                    kind,
                },
                Vec::new(),
            );
        }
    }
}

/// The link fragment of `view` without its source (the session has the data).
fn fragment(view: &ViewState) -> Option<String> {
    let view = ViewState {
        source: None,
        ..view.clone()
    };
    crate::share::encode(&view).ok()
}

/// A reply as the worker posts it, a view's with its curve tables beside
/// it ([`Reply::take_tables`]).
fn read_reply(data: &JsValue) -> Reply {
    let (bytes, buffers) = match envelope::unwrap(data, "a reply") {
        Ok(parts) => parts,
        Err(message) => return Reply::Failed { message },
    };
    let tables = buffers
        .iter()
        .map(|b| Float64Array::new(b).to_vec())
        .collect();
    let mut reply = Reply::from_bytes(&bytes);
    match reply.put_tables(tables) {
        Ok(()) => reply,
        Err(message) => Reply::Failed {
            message: format!("a reply could not be read: {message}"),
        },
    }
}

/// Posts `request` to `worker`, the files' bytes transferred.
fn post(worker: &Worker, request: &Request, files: Vec<Uint8Array>) {
    let message = envelope::wrap(&request.to_bytes(), files.iter().map(|f| f.buffer()));
    let _ = worker.post_message_with_transfer(&message, &message);
}
