//! Why a link or view file cannot be opened at all, or a state cannot be
//! written as a link. Problems with a single key are [`Issue`]s instead:
//! the rest of the view still opens.
//!
//! [`Issue`]: super::Issue

use std::fmt;

use super::view_state::StateError;
use super::{FORMAT_VERSION, MAX_CSV_BYTES, MAX_FRAGMENT_BYTES, MAX_VIEW_FILE_BYTES};

/// A link or view file that cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShareError {
    /// The fragment is longer than [`MAX_FRAGMENT_BYTES`]; refused unread.
    LinkTooLong { bytes: usize },
    /// The view file is larger than [`MAX_VIEW_FILE_BYTES`]; refused unread.
    FileTooLarge { bytes: usize },
    /// The link or file declares a format version this build does not read.
    NewerVersion { found: String },
    /// The file is not JSON of the view-file shape.
    NotAViewFile { reason: String },
    /// The data embedded in the link or file cannot be used.
    Data(DataError),
}

/// What is wrong with embedded data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DataError {
    /// `data=` is present but `crc=` or `rows=` is not (or is unreadable).
    MissingCheck { key: &'static str },
    /// `data=` is not base64url without padding.
    Base64,
    /// The decoded bytes are not a complete deflate stream.
    Deflate,
    /// The data inflates to more than [`MAX_CSV_BYTES`].
    TooLarge,
    /// The CRC-32 of the inflated CSV differs from `crc=`.
    Checksum { expected: u32, found: u32 },
    /// The CSV has a different number of records than `rows=` says.
    RowCount { expected: u64, found: u64 },
    /// The CSV is not UTF-8 text.
    NotUtf8,
}

/// A state that cannot be written as a link.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// The state breaks an invariant of [`super::ViewState::validate`].
    Invalid(StateError),
    /// The compressed data need at least `bytes` characters, more than
    /// [`super::MAX_LINK_DATA_BYTES`]: offer a view file instead. (The data
    /// are compressed only until the limit is passed.)
    DataTooLarge { bytes: usize },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::LinkTooLong { bytes } => write!(
                f,
                "this link is too long to open ({bytes} bytes; the limit is {MAX_FRAGMENT_BYTES})"
            ),
            ShareError::FileTooLarge { bytes } => write!(
                f,
                "this view file is too large to open ({bytes} bytes; the limit is {MAX_VIEW_FILE_BYTES})"
            ),
            ShareError::NewerVersion { found } => write!(
                f,
                "this link was made by a newer version of cohortscope (format v{found}); \
                 this version reads v{FORMAT_VERSION}"
            ),
            ShareError::NotAViewFile { reason } => {
                write!(f, "this is not a cohortscope view file: {reason}")
            }
            ShareError::Data(error) => write!(f, "{error}"),
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DAMAGED: &str = "the data embedded in this link is damaged";
        match self {
            DataError::MissingCheck { key } => write!(
                f,
                "{DAMAGED}: its {key}= key is missing or unreadable, so it cannot be checked"
            ),
            DataError::Base64 => write!(
                f,
                "{DAMAGED}: it is not valid base64url (the link was probably cut or edited)"
            ),
            DataError::Deflate => write!(
                f,
                "{DAMAGED}: it does not decompress (the link was probably cut or edited)"
            ),
            DataError::TooLarge => write!(
                f,
                "the data embedded in this link is larger than {} MB once decompressed; refused",
                MAX_CSV_BYTES / (1024 * 1024)
            ),
            DataError::Checksum { expected, found } => write!(
                f,
                "{DAMAGED}: its checksum is {found:08x}, the link says {expected:08x} \
                 (the link was probably cut or edited)"
            ),
            DataError::RowCount { expected, found } => write!(
                f,
                "{DAMAGED}: it has {found} rows, the link says {expected}"
            ),
            DataError::NotUtf8 => write!(f, "{DAMAGED}: it is not UTF-8 text"),
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::Invalid(error) => write!(f, "this view cannot be shared: {error}"),
            EncodeError::DataTooLarge { bytes } => write!(
                f,
                "the data is too large for a link (at least {bytes} characters compressed; the limit is {}): \
                 save a view file instead",
                super::MAX_LINK_DATA_BYTES
            ),
        }
    }
}

impl std::error::Error for ShareError {}
impl std::error::Error for DataError {}
impl std::error::Error for EncodeError {}

impl From<DataError> for ShareError {
    fn from(error: DataError) -> Self {
        ShareError::Data(error)
    }
}

impl From<StateError> for EncodeError {
    fn from(error: StateError) -> Self {
        EncodeError::Invalid(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_version_message() {
        let error = ShareError::NewerVersion { found: "2".into() };
        assert_eq!(
            error.to_string(),
            "this link was made by a newer version of cohortscope (format v2); this version reads v1"
        );
    }

    #[test]
    fn checksum_message_shows_both_values() {
        let error = ShareError::from(DataError::Checksum {
            expected: 0xdeadbeef,
            found: 0x1,
        });
        assert_eq!(
            error.to_string(),
            "the data embedded in this link is damaged: its checksum is 00000001, \
             the link says deadbeef (the link was probably cut or edited)"
        );
    }
}
