//! The page's view state, carried in a versioned URL fragment.
//!
//! A link is `#v=1&study=lifileucel-melanoma&ep=os&group=sex&ci=log-log…`:
//! key=value pairs in a fixed order, each value percent-encoded piece by
//! piece, defaults left out. A cohort that is not a built-in
//! study can travel in the link itself (`name=`, `rows=`, `crc=`, `data=`:
//! deflate + base64url, checked by CRC-32 and record count) when it fits in
//! [`MAX_LINK_DATA_BYTES`]; otherwise in a view file (JSON,
//! [`VIEW_FILE_FORMAT`]). The format is specified in docs/share-links.md.
//!
//! Reading is safe against hostile links: size caps are checked before any
//! work, inflating is bounded, and every problem is a value (an [`Issue`]
//! for one key, a [`ShareError`] for the whole link), never a panic.
//!
//! **Architecture invariant:** `share` knows nothing of the page or the web;
//! it turns a [`ViewState`] into text and back, and is tested natively.

mod embedded;
mod error;
mod escape;
mod fragment;
mod issue;
mod read;
mod view_file;
mod view_state;
mod write;

pub use error::{DataError, EncodeError, ShareError};
pub use fragment::{decode, decode_deferring_data, encode, encode_with_data};
pub use issue::Issue;
pub use read::Decoded;
pub use view_file::{decode_view_file, encode_view_file, VIEW_FILE_FORMAT};
pub use view_state::{
    check_timepoints, AdamView, CiBands, Condition, ConventionsChoice, EmbeddedData, Filter,
    MappedColumn, Qualifier, Source, StateError, TablesChoice, TimeRange, ViewState,
    MAX_TIMEPOINTS,
};
pub use write::LinkData;

/// The link format this version writes and reads (`v=1`).
pub const FORMAT_VERSION: u32 = 1;

/// Longest fragment read, in bytes; longer ones are refused unread.
/// Browsers keep far longer URLs, but no link this version writes comes near.
pub const MAX_FRAGMENT_BYTES: usize = 2 * 1024 * 1024;

/// Longest `data=` value [`encode`] writes, in characters (base64url):
/// links beyond this are unwieldy to paste and some chat tools cut them.
/// A 100-patient, 15-column cohort needs far less.
pub const MAX_LINK_DATA_BYTES: usize = 64 * 1024;

/// Largest CSV read from a link or view file, in bytes, once decompressed.
pub const MAX_CSV_BYTES: usize = 16 * 1024 * 1024;

/// Largest view file read, in bytes: twice [`MAX_CSV_BYTES`], room for the
/// JSON escaping of the CSV text.
pub const MAX_VIEW_FILE_BYTES: usize = 2 * MAX_CSV_BYTES;

/// Most issues listed for one link; the rest are counted in [`Issue::More`].
pub const MAX_ISSUES: usize = 50;
