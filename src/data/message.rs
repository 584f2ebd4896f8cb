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

/// A problem or remark about the input, located as precisely as possible.
///
/// `row` counts as a spreadsheet does: the header is row 1, the first data
/// row is row 2, and a quoted field spanning several lines stays one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub severity: Severity,
    /// File name, when several files were imported together (ADaM).
    pub file: Option<String>,
    pub row: Option<usize>,
    pub column: Option<String>,
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
        self.row = Some(row);
        self
    }

    /// Locates the message in a column.
    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// Quotes the offending value.
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Names the file the message is about.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
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
            parts.push(format!("row {row}"));
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
    }
}
