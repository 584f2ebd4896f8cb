//! A message between the page and its worker: an array of `ArrayBuffer`s,
//! all transferred, never copied. The first holds the request or reply
//! ([`engine::protocol`](crate::engine::protocol)'s bytes); the others
//! travel beside it (a file's bytes to the worker, a view's curve tables
//! back).

use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Array, ArrayBuffer, Uint8Array};

/// The message of `bytes` with `beside` after it; post it with itself as
/// its transfer list.
pub fn wrap(bytes: &[u8], beside: impl IntoIterator<Item = ArrayBuffer>) -> Array {
    let message = Array::new();
    message.push(&Uint8Array::from(bytes).buffer());
    for buffer in beside {
        message.push(&buffer);
    }
    message
}

/// The bytes of a message and the buffers beside them (`what` names it in
/// the error: "a request", "a reply").
pub fn unwrap(data: &JsValue, what: &str) -> Result<(Vec<u8>, Vec<ArrayBuffer>), String> {
    let not_buffers = || format!("{what} that is not a list of ArrayBuffers");
    let mut buffers = data
        .dyn_ref::<Array>()
        .ok_or_else(not_buffers)?
        .iter()
        .map(|b| b.dyn_into::<ArrayBuffer>().map_err(|_| not_buffers()))
        .collect::<Result<Vec<_>, _>>()?;
    if buffers.is_empty() {
        return Err(format!("{what} without its message"));
    }
    let bytes = Uint8Array::new(&buffers.remove(0)).to_vec();
    Ok((bytes, buffers))
}
