//! The `{ json, buffers }` message between the page and its worker: the
//! JSON of a request or a reply, and `ArrayBuffer`s transferred beside it
//! (a file's bytes to the worker, a view's curve tables back).

use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Array, ArrayBuffer, Object, Reflect};

/// The message of `json` with `buffers` beside it; post it with `buffers`
/// as its transfer list.
pub fn wrap(json: &str, buffers: &Array) -> Object {
    let message = Object::new();
    // Setting a member of a fresh plain object cannot fail.
    let _ = Reflect::set(&message, &"json".into(), &JsValue::from_str(json));
    let _ = Reflect::set(&message, &"buffers".into(), buffers);
    message
}

/// The JSON and the buffers of a message (`what` names it in the error:
/// "a request", "a reply"); a message without `buffers` has none.
pub fn unwrap(data: &JsValue, what: &str) -> Result<(String, Vec<ArrayBuffer>), String> {
    let json = Reflect::get(data, &"json".into())
        .ok()
        .and_then(|j| j.as_string())
        .ok_or_else(|| format!("{what} without its JSON"))?;
    let buffers = Reflect::get(data, &"buffers".into()).unwrap_or(JsValue::UNDEFINED);
    if buffers.is_undefined() {
        return Ok((json, Vec::new()));
    }
    let not_buffers = || format!("{what} with buffers that are not ArrayBuffers");
    let buffers = buffers.dyn_into::<Array>().map_err(|_| not_buffers())?;
    let buffers = buffers
        .iter()
        .map(|b| b.dyn_into::<ArrayBuffer>().map_err(|_| not_buffers()))
        .collect::<Result<_, _>>()?;
    Ok((json, buffers))
}
