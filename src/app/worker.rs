//! The page's Web Worker: the `cohortscope-worker` WebAssembly module
//! (`src/bin/cohortscope-worker.rs`), started by `worker.js` in a dedicated
//! worker, runs an [`engine::Server`] — the imports and every view's report
//! leave the page's thread, and the page's own module holds none of it. A
//! request arrives as a [`Request`] with the bytes of its files beside it,
//! each reply leaves as a [`Reply`], a view's with its Kaplan–Meier tables
//! beside it ([`Reply::take_tables`]); all as transferred `ArrayBuffer`s
//! ([`envelope`]).

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::js_sys::{Float64Array, Uint8Array};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::envelope;
use crate::engine::protocol::{Reply, Request};
use crate::engine::Server;

/// Rows read between two progress replies.
const ROWS_PER_STEP: usize = 20_000;

/// The worker's scope, when this module runs in a dedicated worker.
fn scope() -> Option<DedicatedWorkerGlobalScope> {
    web_sys::js_sys::global()
        .dyn_into::<DedicatedWorkerGlobalScope>()
        .ok()
}

fn post(scope: &DedicatedWorkerGlobalScope, mut reply: Reply) {
    let tables = reply.take_tables();
    let beside = tables
        .iter()
        .map(|table| Float64Array::from(table.as_slice()).buffer());
    let message = envelope::wrap(&reply.to_bytes(), beside);
    // Posting transferred buffers cannot fail: nothing to clone, nothing
    // transferred twice.
    let _ = scope.post_message_with_transfer(&message, &message);
}

/// The request of a message, and the bytes of its files.
fn read(data: &JsValue) -> Result<(Request, Vec<Vec<u8>>), String> {
    let (bytes, buffers) = envelope::unwrap(data, "a request")?;
    let request = Request::from_bytes(&bytes)?;
    let files = buffers
        .iter()
        .map(|b| Uint8Array::new(b).to_vec())
        .collect();
    Ok((request, files))
}

/// Answers the page's messages until the page ends the worker; nothing
/// outside a dedicated worker.
pub fn start() {
    let Some(scope) = scope() else { return };
    let server = RefCell::new(Server::default());
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let mut server = server.borrow_mut();
        match read(&event.data()) {
            Ok((request, files)) => {
                if let Some(reply) = server.handle(request, files) {
                    post(&reply_to, reply);
                }
                // An import runs to its end here: the page cancels it by
                // ending the worker.
                while let Some(reply) = server.step(ROWS_PER_STEP) {
                    post(&reply_to, reply);
                }
            }
            Err(message) => post(&reply_to, Reply::Failed { message }),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it: so does its handler.
    on_message.forget();
    post(&scope, Reply::ready());
}
