//! The view in the URL fragment: read on open, written with
//! `history.replaceState` (one history entry, not one per click), and the
//! view file for data too large for a link.

use wasm_bindgen::JsValue;

use super::state::AppState;
use crate::engine::protocol::{LinkPack, ViewFileView};
use crate::share::{self, ShareError, Source, ViewState};

/// The state a fragment ("#v=1&…", or empty) describes: the landing state
/// for an empty fragment, the restored view, or the landing state with the
/// reason a link was refused.
pub fn state_from_fragment(fragment: &str) -> AppState {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.is_empty() {
        return AppState::initial();
    }
    // Embedded data stay packed: the import unpacks them, off this thread.
    match share::decode_deferring_data(fragment) {
        Ok(decoded) => AppState::restored(decoded),
        Err(error) => AppState::refused(refusal(&error)),
    }
}

/// The message for a link that cannot be opened.
pub fn refusal(error: &ShareError) -> String {
    format!(
        "This link could not be opened: {error}. The page shows the first built-in study instead."
    )
}

/// The state of a view file the session read.
pub fn state_from_view_file(read: ViewFileView) -> Result<AppState, String> {
    let mut view = share::decode(&read.fragment)
        .map_err(|e| format!("This view file could not be opened: {e}."))?
        .state;
    view.source = read.source;
    Ok(AppState::restored_from(
        view,
        None,
        read.banner,
        read.issues,
    ))
}

/// The fragment for `view` of `source` (without '#'), and whether its data
/// had to be left out for size (the link then names the file only). Data a
/// link carries (a link's embedded data, or the one file opened here when
/// `carry_data`) come packed by the session's import (`link_data`); until
/// then there is no fragment.
pub fn fragment_for(
    view: &ViewState,
    source: Option<&Source>,
    carry_data: bool,
    link_data: Option<&LinkPack>,
) -> Option<(String, bool)> {
    let with = |source: Option<Source>| {
        share::encode(&ViewState {
            source,
            ..view.clone()
        })
        .ok()
    };
    let carried = carry_data || matches!(source, Some(Source::Embedded(_)));
    match (source, link_data) {
        (_, Some(LinkPack::Packed(data))) if carried => {
            share::encode_with_data(view, data).ok().map(|f| (f, false))
        }
        (Some(Source::Embedded(data)), Some(LinkPack::TooLarge(_))) => {
            with(Some(Source::LocalFiles(vec![data.name.clone()]))).map(|f| (f, true))
        }
        (source, Some(LinkPack::TooLarge(_))) if carried => {
            with(source.cloned()).map(|f| (f, true))
        }
        // Not packed yet: the link waits for the import.
        (_, None) if carried => None,
        (source, _) => with(source.cloned()).map(|f| (f, false)),
    }
}

/// The page's fragment, without '#'.
pub fn current_fragment() -> String {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_string()
}

/// Replaces the URL's fragment without a new history entry.
pub fn replace_fragment(fragment: &str) {
    let window = gloo::utils::window();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// The page's full URL (for the Copy-link button).
pub fn current_url() -> String {
    gloo::utils::window().location().href().unwrap_or_default()
}

/// Copies `text` to the clipboard (the Clipboard API; a page served from
/// file:// or plain http on another host may not allow it).
pub fn copy_to_clipboard(text: &str) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let _ = clipboard.write_text(text);
}
