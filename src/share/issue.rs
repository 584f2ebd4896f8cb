//! Problems with single keys of a link: the view still opens, without them.
//!
//! Warnings ([`Issue::is_error`] false) say what was ignored; errors say
//! which key had a value that could not be read, and that the view uses the
//! default for it instead.

use std::fmt;

use super::MAX_ISSUES;

/// Longest key or value quoted in a message, in characters.
const QUOTE_CHARS: usize = 40;

/// One problem found while reading a link or view file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Issue {
    /// Warning: no `v=` key; the link is read as format v1.
    MissingVersion,
    /// Warning: a key this version does not know; ignored.
    UnknownKey { key: String },
    /// Warning: a known key that has no effect here; ignored.
    Unused {
        key: &'static str,
        reason: &'static str,
    },
    /// Warning: `data=` came without `name=`; the data is given this name.
    UnnamedData { name: &'static str },
    /// Error: a value that cannot be read; the key is ignored.
    Invalid {
        key: &'static str,
        value: String,
        reason: String,
    },
    /// Error: a key that may appear once appears several times; ignored.
    Repeated { key: &'static str, count: usize },
    /// Error: a view-file state member whose value is not text; ignored.
    NotText { key: String, kind: &'static str },
    /// Error: several data sources are named; none is opened.
    ConflictingSources { keys: Vec<&'static str> },
    /// Warning: more problems than are listed.
    More { count: usize },
}

impl Issue {
    /// Whether a value was refused (as opposed to something ignored).
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            Issue::Invalid { .. }
                | Issue::Repeated { .. }
                | Issue::NotText { .. }
                | Issue::ConflictingSources { .. }
        )
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Issue::MissingVersion => write!(f, "the link has no version (v=); read as v1"),
            Issue::UnknownKey { key } => write!(f, "unknown key \"{key}\" ignored"),
            Issue::Unused { key, reason } => write!(f, "{key}= ignored: {reason}"),
            Issue::UnnamedData { name } => {
                write!(f, "the embedded data has no name=; it is called \"{name}\"")
            }
            Issue::Invalid { key, value, reason } => {
                write!(f, "{key}={value} ignored: {reason}")
            }
            Issue::Repeated { key, count } => {
                write!(f, "{key}= appears {count} times; all are ignored")
            }
            Issue::NotText { key, kind } => {
                write!(f, "\"{key}\" ignored: its value is {kind}, not text")
            }
            Issue::ConflictingSources { keys } => write!(
                f,
                "the link names several data sources ({}); none is opened",
                keys.iter()
                    .map(|key| format!("{key}="))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Issue::More { count } => write!(f, "and {count} more problems"),
        }
    }
}

/// Quotes at most [`QUOTE_CHARS`] characters of hostile text.
pub(crate) fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The issues of one reading, at most [`MAX_ISSUES`] listed.
#[derive(Debug, Default)]
pub(crate) struct Issues {
    listed: Vec<Issue>,
    more: usize,
}

impl Issues {
    pub(crate) fn push(&mut self, issue: Issue) {
        if self.listed.len() < MAX_ISSUES {
            self.listed.push(issue);
        } else {
            self.more += 1;
        }
    }

    pub(crate) fn invalid(&mut self, key: &'static str, raw: &str, reason: String) {
        self.push(Issue::Invalid {
            key,
            value: quote(raw),
            reason,
        });
    }

    pub(crate) fn into_vec(mut self) -> Vec<Issue> {
        if self.more > 0 {
            self.listed.push(Issue::More { count: self.more });
        }
        self.listed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_on_a_character_boundary() {
        let long = "é".repeat(100);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), QUOTE_CHARS + 1);
        assert!(quoted.ends_with('…'));
        assert_eq!(quote("short"), "short");
    }

    #[test]
    fn issues_are_capped() {
        let mut issues = Issues::default();
        for i in 0..MAX_ISSUES + 7 {
            issues.push(Issue::UnknownKey { key: i.to_string() });
        }
        let listed = issues.into_vec();
        assert_eq!(listed.len(), MAX_ISSUES + 1);
        assert_eq!(listed.last(), Some(&Issue::More { count: 7 }));
        assert_eq!(listed[MAX_ISSUES].to_string(), "and 7 more problems");
    }

    #[test]
    fn errors_and_warnings() {
        assert!(!Issue::MissingVersion.is_error());
        assert!(Issue::Repeated {
            key: "ep",
            count: 2
        }
        .is_error());
        let conflict = Issue::ConflictingSources {
            keys: vec!["study", "data"],
        };
        assert_eq!(
            conflict.to_string(),
            "the link names several data sources (study=, data=); none is opened"
        );
    }
}
