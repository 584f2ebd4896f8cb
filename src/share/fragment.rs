//! The link itself: `v=1&key=value&…` in the URL fragment.

use super::error::{EncodeError, ShareError};
use super::issue::Issues;
use super::read::{from_pairs, Decoded, Origin};
use super::view_state::ViewState;
use super::write::{to_pairs, DataPlace};
use super::{FORMAT_VERSION, MAX_FRAGMENT_BYTES};

/// The fragment for a state, without the leading `#`: `v=1` then the other
/// keys in a fixed order, defaults left out; embedded data last.
///
/// Errors: the state breaks [`ViewState::validate`], or its embedded data
/// needs more than [`super::MAX_LINK_DATA_BYTES`] characters (then offer a
/// view file: [`super::encode_view_file`]).
pub fn encode(state: &ViewState) -> Result<String, EncodeError> {
    let mut link = format!("v={FORMAT_VERSION}");
    for (key, value) in to_pairs(state, DataPlace::InKeys)? {
        link.push('&');
        link.push_str(key);
        link.push('=');
        link.push_str(&value);
    }
    Ok(link)
}

/// Reads a fragment (with or without its leading `#`).
///
/// A fragment longer than [`MAX_FRAGMENT_BYTES`] is refused before any
/// other work. Empty segments (`&&`) are skipped; a segment without `=` is
/// a key with an empty value. Per-key problems are returned as issues
/// beside the state (see the reading rules in `share/read.rs`); only a newer
/// format version or damaged embedded data refuse the whole link.
pub fn decode(fragment: &str) -> Result<Decoded, ShareError> {
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return Err(ShareError::LinkTooLong { bytes: fragment.len() });
    }
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let pairs = fragment
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.split_once('=').unwrap_or((segment, "")));
    from_pairs(pairs, Origin::Link, Issues::default())
}
