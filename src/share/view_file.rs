//! The self-contained view file, for data too large for a link:
//! `{"format": "cohortscope.view/1", "state": {…}, "data": {"name", "csv"}}`.
//!
//! `state` holds the link's keys (without `v`, `name`, `rows`, `crc`,
//! `data`) as a JSON object, each value written exactly as in a link
//! (percent-encoded pieces); `filter` is an array of such values. `data` is
//! present when the source is embedded data, its CSV as plain text. The file
//! is read by the same rules as a link.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::{DataError, EncodeError, ShareError};
use super::issue::{quote, Issue, Issues};
use super::read::{from_pairs, Decoded, Origin};
use super::view_state::{EmbeddedData, Source, ViewState};
use super::write::{to_pairs, DataPlace};
use super::{MAX_CSV_BYTES, MAX_VIEW_FILE_BYTES};

/// The `format` of a view file this version writes and reads.
pub const VIEW_FILE_FORMAT: &str = "cohortscope.view/1";

/// The `format` prefix shared by every version of the view file.
const FORMAT_PREFIX: &str = "cohortscope.view/";

#[derive(Debug, Serialize, Deserialize)]
struct ViewFile {
    format: String,
    state: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data: Option<DataMember>,
}

#[derive(Debug, Serialize, Deserialize)]
struct DataMember {
    name: String,
    csv: String,
}

/// The view file for a state, as pretty-printed JSON (keys of `state` in
/// alphabetical order, so equal states give equal files).
pub fn encode_view_file(state: &ViewState) -> Result<String, EncodeError> {
    let mut object = Map::new();
    for (key, value) in to_pairs(state, DataPlace::Separate)? {
        match object.get_mut(key) {
            Some(Value::Array(values)) => values.push(Value::String(value)),
            _ if key == "filter" => {
                object.insert(key.to_string(), Value::Array(vec![Value::String(value)]));
            }
            _ => {
                object.insert(key.to_string(), Value::String(value));
            }
        }
    }
    let data = match &state.source {
        Some(Source::Embedded(data)) => Some(DataMember {
            name: data.name.clone(),
            csv: data.csv.clone(),
        }),
        _ => None,
    };
    let file = ViewFile {
        format: VIEW_FILE_FORMAT.to_string(),
        state: object,
        data,
    };
    // Serialising strings and maps of strings cannot fail.
    Ok(serde_json::to_string_pretty(&file).unwrap_or_default())
}

/// Reads a view file. A file over [`MAX_VIEW_FILE_BYTES`] is refused unread;
/// a CSV over [`MAX_CSV_BYTES`] or with an empty name is refused; a `state`
/// value that is not a string (or, for `filter`, an array of strings) is an
/// error for that key.
pub fn decode_view_file(text: &str) -> Result<Decoded, ShareError> {
    if text.len() > MAX_VIEW_FILE_BYTES {
        return Err(ShareError::FileTooLarge { bytes: text.len() });
    }
    let file: ViewFile = serde_json::from_str(text).map_err(|error| ShareError::NotAViewFile {
        reason: error.to_string(),
    })?;
    if file.format != VIEW_FILE_FORMAT {
        return Err(match file.format.strip_prefix(FORMAT_PREFIX) {
            Some(version) if version.bytes().all(|b| b.is_ascii_digit()) && !version.is_empty() => {
                ShareError::NewerVersion {
                    found: quote(version),
                }
            }
            _ => ShareError::NotAViewFile {
                reason: format!(
                    "its format is \"{}\", not \"{VIEW_FILE_FORMAT}\"",
                    quote(&file.format)
                ),
            },
        });
    }
    let data = match file.data {
        Some(data) if data.csv.len() > MAX_CSV_BYTES => return Err(DataError::TooLarge.into()),
        Some(data) if data.name.is_empty() => {
            return Err(ShareError::NotAViewFile {
                reason: "its data has an empty name".to_string(),
            })
        }
        Some(data) => Some(EmbeddedData {
            name: data.name,
            csv: data.csv,
        }),
        None => None,
    };
    let mut problems = Issues::default();
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for (key, value) in &file.state {
        match value {
            Value::String(text) => pairs.push((key, text)),
            Value::Array(items) if items.iter().all(Value::is_string) => {
                pairs.extend(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|text| (key.as_str(), text)),
                );
            }
            other => problems.push(Issue::NotText {
                key: quote(key),
                kind: json_kind(other),
            }),
        }
    }
    from_pairs(pairs, Origin::File { data }, problems)
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::{Condition, Filter, ViewState};

    fn embedded_state() -> ViewState {
        ViewState {
            source: Some(Source::Embedded(EmbeddedData {
                name: "big.csv".into(),
                csv: "id,arm\n\"P,1\",A\nP2,\"B \"\"x\"\"\"\n".into(),
            })),
            filters: vec![
                Filter {
                    column: "arm".into(),
                    condition: Condition::OneOf(vec!["A".into()]),
                },
                Filter {
                    column: "age".into(),
                    condition: Condition::Range {
                        min: None,
                        max: Some(80.0),
                    },
                },
            ],
            endpoint: Some("os".into()),
            ..ViewState::default()
        }
    }

    #[test]
    fn round_trip_and_layout() {
        let state = embedded_state();
        let text = encode_view_file(&state).unwrap();
        let json: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "format": "cohortscope.view/1",
                "state": {"ep": "os", "filter": ["arm:in:A", "age:range::80"]},
                "data": {"name": "big.csv", "csv": "id,arm\n\"P,1\",A\nP2,\"B \"\"x\"\"\"\n"}
            })
        );
        let decoded = decode_view_file(&text).unwrap();
        assert_eq!(decoded.state, state);
        assert_eq!(decoded.issues, []);
        let plain = ViewState::default();
        assert_eq!(
            decode_view_file(&encode_view_file(&plain).unwrap())
                .unwrap()
                .state,
            plain
        );
    }

    #[test]
    fn other_formats_are_refused() {
        let check = |text: &str, expected: &str| {
            assert_eq!(decode_view_file(text).unwrap_err().to_string(), expected);
        };
        check(
            r#"{"format": "cohortscope.view/2", "state": {}}"#,
            "this link was made by a newer version of cohortscope (format v2); this version reads v1",
        );
        check(
            r#"{"format": "something.else", "state": {}}"#,
            "this is not a cohortscope view file: its format is \"something.else\", not \"cohortscope.view/1\"",
        );
        check(
            "null",
            "this is not a cohortscope view file: invalid type: null, expected struct ViewFile at line 1 column 4",
        );
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(
            decode_view_file(&deep),
            Err(ShareError::NotAViewFile { .. })
        ));
        let unnamed =
            r#"{"format": "cohortscope.view/1", "state": {}, "data": {"name": "", "csv": "id\n"}}"#;
        assert!(matches!(
            decode_view_file(unnamed),
            Err(ShareError::NotAViewFile { .. })
        ));
    }

    #[test]
    fn state_members_follow_the_link_rules() {
        let text = r#"{"format": "cohortscope.view/1",
            "state": {"study": "x", "ep": 42, "group": "sex", "zoom": "abc", "colour": "red",
                      "data": "AAAA", "filter": "arm:in:A"},
            "data": null}"#;
        let decoded = decode_view_file(text).unwrap();
        assert_eq!(decoded.state.source, Some(Source::Study("x".into())));
        assert_eq!(decoded.state.group.as_deref(), Some("sex"));
        assert_eq!(decoded.state.filters.len(), 1);
        assert_eq!(
            decoded.messages(),
            [
                "\"ep\" ignored: its value is a number, not text",
                "unknown key \"colour\" ignored",
                "data= ignored: a view file carries its data in its \"data\" member",
                "zoom=abc ignored: expected start:end",
            ]
        );
    }

    #[test]
    fn data_and_study_conflict() {
        let text = r#"{"format": "cohortscope.view/1", "state": {"study": "x"},
            "data": {"name": "a.csv", "csv": "id\n1\n"}}"#;
        let decoded = decode_view_file(text).unwrap();
        assert_eq!(decoded.state.source, None);
        assert_eq!(
            decoded.issues,
            [Issue::ConflictingSources {
                keys: vec!["study", "data"]
            }]
        );
    }

    #[test]
    fn oversized_files_are_refused_unread() {
        let huge = " ".repeat(MAX_VIEW_FILE_BYTES + 1);
        assert_eq!(
            decode_view_file(&huge),
            Err(ShareError::FileTooLarge { bytes: huge.len() })
        );
    }
}
