//! The key/value pairs of a link read back into a view state.
//!
//! Reading rules (also in docs/share-links.md):
//! - A version other than 1 (`v=2`, `v=10`) refuses the whole link
//!   ([`ShareError::NewerVersion`]): later formats may give keys new meanings.
//!   No `v=` is a warning and the link is read as v1; an unreadable `v=` is
//!   an error for that key and the link is read as v1.
//! - Unknown keys are warnings, listed once each, and ignored.
//! - A value that cannot be read (`ep=` empty, `zoom=abc`, `level=1.5`,
//!   `ci=loglog`) is an error for that key only: the key is ignored and the
//!   view uses its default there. One bad `filter=` drops only that filter.
//! - Every key but `filter` may appear once; a repeated key is an error and
//!   all its occurrences are ignored (the link is ambiguous there).
//! - Two sources at once (`study=` with `file=` or `data=`) is an error: the
//!   view opens without a source.
//! - Embedded data that cannot be checked or fails its checks refuses the
//!   whole link ([`ShareError::Data`]): a view of damaged data would mislead.
//!   Read with [`decode_deferring_data`](super::decode_deferring_data), only
//!   missing or unreadable `rows=`/`crc=` refuse it here: the checks of the
//!   data themselves are [`LinkData::unpack`]'s.
//!   `name=`, `rows=`, `crc=` without `data=` are warnings and ignored.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use crate::stats::conventions::UnknownConvention;

use super::embedded::{parse_crc, Packed};
use super::error::{DataError, ShareError};
use super::escape::unescape;
use super::issue::{quote, Issue, Issues};
use super::view_state::{
    check_conf_level, check_key, check_landmark, check_time_range, check_timepoints, CiBands,
    Condition, EmbeddedData, Filter, MappedColumn, Qualifier, Source, TimeRange, ViewState,
};
use super::write::LinkData;

/// Every key of format v1, in the order links write them.
const KEYS: [&str; 31] = [
    "v", "study", "file", "ep", "group", "tab", "preset", "ci", "level", "median", "ties", "denom",
    "binci", "bands", "zoom", "landmark", "ref", "strata", "tp", "diffci", "map", "pop", "resp",
    "arm", "params", "filter", "sel", "name", "rows", "crc", "data",
];

/// Name given to embedded data that arrives without one.
const UNNAMED_DATA: &str = "embedded.csv";

/// A view state read from a link or file, with what was ignored on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub state: ViewState,
    /// A link's embedded data left packed ([`decode_deferring_data`](super::decode_deferring_data)):
    /// its source, unpacked and checked where its import runs.
    pub packed: Option<LinkData>,
    /// Warnings and per-key errors, in reading order; at most
    /// [`super::MAX_ISSUES`] and a final [`Issue::More`].
    pub issues: Vec<Issue>,
}

impl Decoded {
    /// The issues as the page lists them, one sentence each.
    pub fn messages(&self) -> Vec<String> {
        self.issues.iter().map(ToString::to_string).collect()
    }

    /// The banner the page shows for a view with embedded data:
    /// "this view includes data embedded in the link (66 rows)".
    pub fn embedded_banner(&self) -> Option<String> {
        let rows = match (&self.state.source, &self.packed) {
            (Some(Source::Embedded(data)), _) => data.rows(),
            (_, Some(packed)) => packed.rows(),
            _ => return None,
        };
        Some(format!(
            "this view includes data embedded in the link ({rows} rows)"
        ))
    }
}

/// Where the pairs come from.
#[derive(Debug)]
pub(crate) enum Origin {
    /// A link: data travels in its `data=` key; `v=` is expected. With
    /// `defer`, the data are checked for their keys but left packed.
    Link { defer: bool },
    /// A view file: the version is the file's, the data (if any) is its
    /// `data` member, already read.
    File { data: Option<EmbeddedData> },
}

/// Reads the pairs (raw key, raw value) of a link or view-file state,
/// adding to the issues already found.
pub(crate) fn from_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    origin: Origin,
    issues: Issues,
) -> Result<Decoded, ShareError> {
    let mut values = Values {
        found: BTreeMap::new(),
        issues,
        packed: None,
    };
    let mut unknown: BTreeSet<&str> = BTreeSet::new();
    for (key, value) in pairs {
        match KEYS.iter().find(|known| **known == key) {
            Some(known) => values.found.entry(known).or_default().push(value),
            None => {
                if unknown.insert(key) {
                    values.issues.push(Issue::UnknownKey { key: quote(key) });
                }
            }
        }
    }
    values.version(matches!(origin, Origin::Link { .. }))?;

    let mut state = ViewState {
        source: values.source(origin)?,
        ..ViewState::default()
    };
    state.endpoint = values.read("ep", key);
    state.group = values.read("group", name);
    state.tab = values.read("tab", key);
    let conventions = &mut state.conventions;
    conventions.preset = values.read("preset", convention);
    conventions.ci_transform = values.read("ci", convention);
    conventions.conf_level = values.read("level", |raw| {
        let level = number(raw)?;
        check_conf_level(level).map(|()| level)
    });
    conventions.median_rule = values.read("median", convention);
    conventions.ties = values.read("ties", convention);
    conventions.denominator = values.read("denom", convention);
    conventions.binomial_ci = values.read("binci", convention);
    state.ci_bands = values.read("bands", bands).unwrap_or_default();
    state.zoom = values.read("zoom", zoom);
    state.landmark = values.read("landmark", |raw| {
        let time = number(raw)?;
        check_landmark(time).map(|()| time)
    });
    state.tables.reference = values.read("ref", name);
    state.tables.strata = values.read("strata", names).unwrap_or_default();
    state.tables.timepoints = values
        .read("tp", |raw| {
            let times = raw
                .split(',')
                .map(number)
                .collect::<Result<Vec<f64>, _>>()?;
            check_timepoints(&times).map(|()| times)
        })
        .unwrap_or_default();
    state.tables.diff_ci = values.read("diffci", convention);
    state.column_map = values.read("map", column_map).unwrap_or_default();
    state.adam.population = values.read("pop", name);
    state.adam.response = values.read("resp", name);
    state.adam.arm = values.read("arm", name);
    state.adam.endpoints = values.read("params", names).unwrap_or_default();
    for raw in values.found.remove("filter").unwrap_or_default() {
        match filter(raw) {
            Ok(filter) => state.filters.push(filter),
            Err(reason) => values.issues.invalid("filter", raw, reason),
        }
    }
    state.selected = values
        .read("sel", |raw| raw.split(',').map(name).collect())
        .unwrap_or_default();
    Ok(Decoded {
        state,
        packed: values.packed,
        issues: values.issues.into_vec(),
    })
}

/// Known keys found, with their raw values, and the issues so far.
#[derive(Debug)]
struct Values<'a> {
    found: BTreeMap<&'static str, Vec<&'a str>>,
    issues: Issues,
    /// Embedded data read but left packed.
    packed: Option<LinkData>,
}

impl<'a> Values<'a> {
    /// The value of a key that may appear once; `None` if absent or repeated.
    fn single(&mut self, key: &'static str) -> Option<&'a str> {
        let values = self.found.remove(key)?;
        match values.as_slice() {
            [value] => Some(value),
            _ => {
                self.issues.push(Issue::Repeated {
                    key,
                    count: values.len(),
                });
                None
            }
        }
    }

    /// Reads a single-valued key; an unreadable value becomes an issue.
    fn read<T>(
        &mut self,
        key: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let raw = self.single(key)?;
        match parse(raw) {
            Ok(value) => Some(value),
            Err(reason) => {
                self.issues.invalid(key, raw, reason);
                None
            }
        }
    }

    /// Checks `v=`: refuses newer versions, reads anything else as v1.
    fn version(&mut self, expected: bool) -> Result<(), ShareError> {
        if let Some(newer) = self
            .found
            .get("v")
            .into_iter()
            .flatten()
            .find_map(|raw| newer_version(raw))
        {
            return Err(ShareError::NewerVersion { found: newer });
        }
        let present = self.found.contains_key("v");
        match self.single("v") {
            Some(raw) if !is_version_one(raw) => {
                self.issues
                    .invalid("v", raw, "is not a format version; read as v1".to_string());
            }
            None if expected && !present => self.issues.push(Issue::MissingVersion),
            _ => {}
        }
        Ok(())
    }

    /// The data source: at most one of `study=`, `file=`, embedded data.
    fn source(&mut self, origin: Origin) -> Result<Option<Source>, ShareError> {
        let data_keys = ["name", "rows", "crc", "data"];
        let mut sources: Vec<Source> = Vec::new();
        let mut named: Vec<&'static str> = Vec::new();
        for key in ["study", "file"] {
            if self.found.contains_key(key) {
                named.push(key);
            }
            if key == "study" {
                if let Some(value) = self.read(key, name) {
                    sources.push(Source::Study(value));
                }
            } else if let Some(names) = self.read(key, names) {
                sources.push(Source::LocalFiles(names));
            }
        }
        match origin {
            Origin::File { data } => {
                for key in data_keys {
                    if self.found.remove(key).is_some() {
                        self.issues.push(Issue::Unused {
                            key,
                            reason: "a view file carries its data in its \"data\" member",
                        });
                    }
                }
                if let Some(data) = data {
                    named.push("data");
                    sources.push(Source::Embedded(data));
                }
            }
            Origin::Link { defer } => {
                if self.found.contains_key("data") {
                    named.push("data");
                }
                if named.len() > 1 {
                    for key in data_keys {
                        self.found.remove(key);
                    }
                } else if let Some(data) = self.single("data") {
                    let packed = self.packed(data)?;
                    if defer {
                        self.packed = Some(packed);
                    } else {
                        sources.push(Source::Embedded(packed.unpack()?));
                    }
                } else {
                    for key in data_keys {
                        if self.found.remove(key).is_some() {
                            self.issues.push(Issue::Unused {
                                key,
                                reason: "only used with data=",
                            });
                        }
                    }
                }
            }
        }
        if named.len() > 1 {
            self.issues.push(Issue::ConflictingSources { keys: named });
            return Ok(None);
        }
        Ok(sources.pop())
    }

    /// Embedded data of a link with its `rows=` and `crc=`, still packed.
    fn packed(&mut self, data: &str) -> Result<LinkData, ShareError> {
        let rows = self.single("rows").and_then(|raw| raw.parse::<u64>().ok());
        let rows = rows.ok_or(DataError::MissingCheck { key: "rows" })?;
        let crc = self.single("crc").and_then(parse_crc);
        let crc = crc.ok_or(DataError::MissingCheck { key: "crc" })?;
        let file_name = if self.found.contains_key("name") {
            self.read("name", name)
        } else {
            self.issues.push(Issue::UnnamedData { name: UNNAMED_DATA });
            None
        };
        Ok(LinkData::packed(
            file_name.unwrap_or_else(|| UNNAMED_DATA.to_string()),
            Packed {
                data: data.to_string(),
                crc,
                rows,
            },
        ))
    }
}

/// `Some(version)` if `raw` is a version number above 1.
fn newer_version(raw: &str) -> Option<String> {
    let digits = raw.trim_start_matches('0');
    let is_number = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit());
    (is_number && !digits.is_empty() && digits != "1").then(|| quote(digits))
}

fn is_version_one(raw: &str) -> bool {
    !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) && raw.trim_start_matches('0') == "1"
}

/// A non-empty name.
fn name(raw: &str) -> Result<String, String> {
    let text = unescape(raw)?;
    if text.is_empty() {
        Err("is empty".to_string())
    } else {
        Ok(text)
    }
}

/// Non-empty names joined by `,`, each once.
fn names(raw: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for piece in raw.split(',') {
        let value = name(piece)?;
        if out.contains(&value) {
            return Err(format!("\"{}\" is named twice", quote(&value)));
        }
        out.push(value);
    }
    Ok(out)
}

/// An endpoint or tab key ([`check_key`]).
fn key(raw: &str) -> Result<String, String> {
    let text = unescape(raw)?;
    check_key(&text).map(|()| text)
}

/// A convention by its canonical name (`CiTransform::as_str` and friends).
fn convention<T: FromStr<Err = UnknownConvention>>(raw: &str) -> Result<T, String> {
    unescape(raw)?
        .parse()
        .map_err(|error: UnknownConvention| error.to_string())
}

/// A finite decimal number.
fn number(raw: &str) -> Result<f64, String> {
    let text = unescape(raw)?;
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err("is not a finite number".to_string()),
    }
}

fn bands(raw: &str) -> Result<CiBands, String> {
    match raw {
        "on" => Ok(CiBands::On),
        "off" => Ok(CiBands::Off),
        _ => Err("expected on or off".to_string()),
    }
}

/// `start:end`.
fn zoom(raw: &str) -> Result<TimeRange, String> {
    let (start, end) = raw.split_once(':').ok_or("expected start:end")?;
    let range = TimeRange {
        start: number(start)?,
        end: number(end)?,
    };
    check_time_range(range).map(|()| range)
}

/// `role:column[:qualifier],…`, each role once; the qualifier is a time
/// unit (`days`, `weeks`, `months`, `years`) or an event coding (`event`,
/// `censor`).
fn column_map(raw: &str) -> Result<BTreeMap<String, MappedColumn>, String> {
    let mut map = BTreeMap::new();
    for entry in raw.split(',') {
        let mut parts = entry.splitn(3, ':');
        let (role, column) = match (parts.next(), parts.next()) {
            (Some(role), Some(column)) => (name(role)?, name(column)?),
            _ => return Err("expected role:column pairs".to_string()),
        };
        let qualifier = match parts.next() {
            None => None,
            Some(raw) => Some(Qualifier::parse(raw).ok_or_else(|| {
                format!(
                    "\"{}\" is not one of days, weeks, months, years, event, censor",
                    quote(raw)
                )
            })?),
        };
        if map
            .insert(role.clone(), MappedColumn { column, qualifier })
            .is_some()
        {
            return Err(format!("role \"{}\" is mapped twice", quote(&role)));
        }
    }
    Ok(map)
}

/// `column:in[:v1,v2,…]` or `column:range:[min]:[max]`.
fn filter(raw: &str) -> Result<Filter, String> {
    let mut parts = raw.splitn(3, ':');
    let column = name(parts.next().unwrap_or_default())?;
    let condition = match (parts.next(), parts.next()) {
        (Some("in"), None) => Condition::OneOf(Vec::new()),
        (Some("in"), Some(values)) => {
            Condition::OneOf(values.split(',').map(unescape).collect::<Result<_, _>>()?)
        }
        (Some("range"), Some(bounds)) => {
            let (min, max) = bounds
                .split_once(':')
                .ok_or("expected column:range:min:max")?;
            let bound = |raw: &str| {
                if raw.is_empty() {
                    Ok(None)
                } else {
                    number(raw).map(Some)
                }
            };
            let (min, max) = (bound(min)?, bound(max)?);
            if let (Some(min), Some(max)) = (min, max) {
                if min > max {
                    return Err(format!("range {min} to {max} is empty (min > max)"));
                }
            }
            Condition::Range { min, max }
        }
        _ => return Err("expected column:in:values or column:range:min:max".to_string()),
    };
    Ok(Filter { column, condition })
}
