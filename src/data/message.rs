//! One import message: an error (the analysis cannot run) or a warning or note
//! (the analysis runs; the rows concerned are named).

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious an import message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// The analysis cannot run until this is fixed.
    Error,
    /// The analysis runs, but the named rows deserve a look.
    Warning,
    /// Information: a mapping, an assumption or a list of excluded rows.
    Note,
}

/// What a message's row number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RowKind {
    /// A row of a text table as a spreadsheet numbers it: the header is row
    /// 1, the first data row is row 2, and a quoted field spanning several
    /// lines stays one row.
    #[default]
    Spreadsheet,
    /// An observation of a SAS dataset: the first is observation 1.
    Observation,
}

/// Longest value quoted in a message, in characters; a longer cell is shown
/// cut, with its size.
pub const MAX_QUOTED_CHARS: usize = 80;

/// A problem or remark about the input, located as precisely as possible:
/// file, row (counted as [`RowKind`] says), the patient of that row, column
/// and value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub severity: Severity,
    /// File name, when the input came as files.
    pub file: Option<Box<str>>,
    /// Rows are counted in `u32` (a 200 MB file has fewer lines), which
    /// keeps a message small enough to return by value.
    pub row: Option<u32>,
    #[serde(default)]
    pub row_kind: RowKind,
    /// The patient id of the row, when the row has one.
    #[serde(default)]
    pub patient: Option<Box<str>>,
    pub column: Option<String>,
    /// The cell, at most [`MAX_QUOTED_CHARS`] characters of it.
    pub value: Option<String>,
    pub text: String,
}

impl Message {
    /// A message about the input as a whole.
    pub fn new(severity: Severity, text: impl Into<String>) -> Self {
        Message {
            severity,
            file: None,
            row: None,
            row_kind: RowKind::Spreadsheet,
            patient: None,
            column: None,
            value: None,
            text: text.into(),
        }
    }

    /// An error about the input as a whole.
    pub fn error(text: impl Into<String>) -> Self {
        Self::new(Severity::Error, text)
    }

    /// A warning about the input as a whole.
    pub fn warning(text: impl Into<String>) -> Self {
        Self::new(Severity::Warning, text)
    }

    /// A note about the input as a whole.
    pub fn note(text: impl Into<String>) -> Self {
        Self::new(Severity::Note, text)
    }

    /// Locates the message in a row.
    pub fn at_row(mut self, row: usize) -> Self {
        self.row = Some(u32::try_from(row).unwrap_or(u32::MAX));
        self
    }

    /// Locates the message in a column.
    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// Locates the message in an observation of a SAS dataset.
    pub fn at_observation(mut self, observation: usize) -> Self {
        self.row = Some(u32::try_from(observation).unwrap_or(u32::MAX));
        self.row_kind = RowKind::Observation;
        self
    }

    /// Names the patient of the row.
    pub fn of_patient(mut self, id: impl Into<String>) -> Self {
        self.patient = Some(id.into().into_boxed_str());
        self
    }

    /// Quotes the offending value: a cell longer than [`MAX_QUOTED_CHARS`]
    /// is cut there and its length given ("AAAA… (31457280 characters)").
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(quoted(value.into()));
        self
    }

    /// Names the file the message is about.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into().into_boxed_str());
        self
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// One line: `row 14, column os_months, value "-3": time must be zero or positive`.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(file) = &self.file {
            parts.push(format!("file {file}"));
        }
        if let Some(row) = self.row {
            let noun = match self.row_kind {
                RowKind::Spreadsheet => "row",
                RowKind::Observation => "observation",
            };
            match &self.patient {
                Some(id) => parts.push(format!("{noun} {row} (patient {id})")),
                None => parts.push(format!("{noun} {row}")),
            }
        } else if let Some(id) = &self.patient {
            parts.push(format!("patient {id}"));
        }
        if let Some(column) = &self.column {
            parts.push(format!("column {column}"));
        }
        if let Some(value) = &self.value {
            parts.push(format!("value {value:?}"));
        }
        let text = self.text.replace(['\r', '\n'], " ");
        if parts.is_empty() {
            f.write_str(&text)
        } else {
            write!(f, "{}: {}", parts.join(", "), text)
        }
    }
}

/// `value`, or its first [`MAX_QUOTED_CHARS`] characters and its length.
fn quoted(value: String) -> String {
    match value.char_indices().nth(MAX_QUOTED_CHARS) {
        None => value,
        Some((end, _)) => format!("{}… ({} characters)", &value[..end], value.chars().count()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(message: Message, expected: &str) {
        assert_eq!(message.to_string(), expected);
    }

    #[test]
    fn displays_as_one_line() {
        check(
            Message::error("time must be zero or positive")
                .at_row(14)
                .in_column("os_months")
                .with_value("-3"),
            "row 14, column os_months, value \"-3\": time must be zero or positive",
        );
        check(Message::note("a\nb"), "a b");
        check(
            Message::warning("x").in_file("adtte.csv").at_row(2),
            "file adtte.csv, row 2: x",
        );
        check(
            Message::error("bad").with_value("two\nlines"),
            "value \"two\\nlines\": bad",
        );
        check(
            Message::error("time must be a number")
                .in_file("adtte.xpt")
                .at_observation(3)
                .of_patient("S-1")
                .in_column("AVAL"),
            "file adtte.xpt, observation 3 (patient S-1), column AVAL: time must be a number",
        );
    }

    #[test]
    fn cuts_a_huge_cell() {
        let m = Message::error("x").with_value("é".repeat(30_000_000));
        let value = m.value.unwrap();
        assert_eq!(value, format!("{}… (30000000 characters)", "é".repeat(80)));
        let exact = "a".repeat(MAX_QUOTED_CHARS);
        assert_eq!(
            Message::error("x").with_value(exact.clone()).value,
            Some(exact)
        );
    }
}
