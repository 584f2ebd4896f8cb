//! A view state as the ordered key/value pairs of a link.
//!
//! Keys come in one fixed order and defaults are left out, so equal states
//! give equal links (the page compares links as strings) and a plain view
//! gives a short one. Embedded data comes last: a link cut short loses its
//! data first, and the checksum says so.

use super::embedded::{format_crc, pack, unpack, Packed};
use super::error::{EncodeError, ShareError};
use super::escape::escape;
use super::view_state::{CiBands, Condition, EmbeddedData, Source, ViewState};
use super::MAX_LINK_DATA_BYTES;

/// Where embedded data goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DataPlace {
    /// In the `name`, `rows`, `crc`, `data` keys of the link.
    InKeys,
    /// Elsewhere (a view file's `data` member): no data keys are written.
    Separate,
}

/// The pairs of a state (without `v`), values already escaped.
pub(crate) fn to_pairs(
    state: &ViewState,
    place: DataPlace,
) -> Result<Vec<(&'static str, String)>, EncodeError> {
    state.validate()?;
    let mut pairs: Vec<(&'static str, String)> = Vec::new();
    let mut put = |key: &'static str, value: String| pairs.push((key, value));

    match &state.source {
        Some(Source::Study(id)) => put("study", escape(id)),
        Some(Source::LocalFiles(names)) => {
            let names: Vec<String> = names.iter().map(|n| escape(n)).collect();
            put("file", names.join(","));
        }
        Some(Source::Embedded(_)) | None => {}
    }
    if let Some(endpoint) = &state.endpoint {
        put("ep", escape(endpoint));
    }
    if let Some(group) = &state.group {
        put("group", escape(group));
    }
    if let Some(tab) = &state.tab {
        put("tab", escape(tab));
    }
    let conventions = &state.conventions;
    if let Some(preset) = conventions.preset {
        put("preset", preset.as_str().to_string());
    }
    if let Some(ci) = conventions.ci_transform {
        put("ci", ci.as_str().to_string());
    }
    if let Some(level) = conventions.conf_level {
        put("level", number(level));
    }
    if let Some(rule) = conventions.median_rule {
        put("median", rule.as_str().to_string());
    }
    if let Some(ties) = conventions.ties {
        put("ties", ties.as_str().to_string());
    }
    if let Some(denominator) = conventions.denominator {
        put("denom", denominator.as_str().to_string());
    }
    if let Some(method) = conventions.binomial_ci {
        put("binci", method.as_str().to_string());
    }
    if state.ci_bands == CiBands::Off {
        put("bands", "off".to_string());
    }
    if let Some(zoom) = state.zoom {
        put(
            "zoom",
            format!("{}:{}", number(zoom.start), number(zoom.end)),
        );
    }
    if let Some(time) = state.landmark {
        put("landmark", number(time));
    }
    let tables = &state.tables;
    if let Some(reference) = &tables.reference {
        put("ref", escape(reference));
    }
    if !tables.strata.is_empty() {
        let columns: Vec<String> = tables.strata.iter().map(|c| escape(c)).collect();
        put("strata", columns.join(","));
    }
    if !tables.timepoints.is_empty() {
        let times: Vec<String> = tables.timepoints.iter().map(|&t| number(t)).collect();
        put("tp", times.join(","));
    }
    if let Some(method) = tables.diff_ci {
        put("diffci", method.as_str().to_string());
    }
    if !state.column_map.is_empty() {
        let entries: Vec<String> = state
            .column_map
            .iter()
            .map(|(role, mapped)| match mapped.qualifier {
                Some(q) => format!("{}:{}:{}", escape(role), escape(&mapped.column), q.as_str()),
                None => format!("{}:{}", escape(role), escape(&mapped.column)),
            })
            .collect();
        put("map", entries.join(","));
    }
    let adam = &state.adam;
    for (key, value) in [
        ("pop", &adam.population),
        ("resp", &adam.response),
        ("arm", &adam.arm),
    ] {
        if let Some(value) = value {
            put(key, escape(value));
        }
    }
    if !adam.endpoints.is_empty() {
        let codes: Vec<String> = adam.endpoints.iter().map(|c| escape(c)).collect();
        put("params", codes.join(","));
    }
    for filter in &state.filters {
        let column = escape(&filter.column);
        let value = match &filter.condition {
            Condition::OneOf(values) if values.is_empty() => format!("{column}:in"),
            Condition::OneOf(values) => {
                let values: Vec<String> = values.iter().map(|value| escape(value)).collect();
                format!("{column}:in:{}", values.join(","))
            }
            Condition::Range { min, max } => format!(
                "{column}:range:{}:{}",
                min.map(number).unwrap_or_default(),
                max.map(number).unwrap_or_default()
            ),
        };
        put("filter", value);
    }
    if !state.selected.is_empty() {
        let ids: Vec<String> = state.selected.iter().map(|id| escape(id)).collect();
        put("sel", ids.join(","));
    }
    if let (Some(Source::Embedded(data)), DataPlace::InKeys) = (&state.source, place) {
        pairs.extend(data_pairs(&LinkData::pack(&data.name, &data.csv)?));
    }
    Ok(pairs)
}

/// A cohort's data packed for a link, once: whoever holds the CSV packs it
/// ([`LinkData::pack`]), and the page writes its links with it
/// ([`encode_with_data`](super::encode_with_data)) without compressing again.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkData {
    pub name: String,
    packed: Packed,
}

impl LinkData {
    /// The data records the packed text holds, as its `rows=` key says
    /// (checked when unpacked).
    pub fn rows(&self) -> u64 {
        self.packed.rows
    }

    /// The text, inflated and checked against the link's `rows=` and `crc=`
    /// ([`decode`](super::decode) does this for a link it reads whole).
    pub fn unpack(&self) -> Result<EmbeddedData, ShareError> {
        let p = &self.packed;
        let csv = unpack(&p.data, p.crc, p.rows).map_err(ShareError::Data)?;
        Ok(EmbeddedData {
            name: self.name.clone(),
            csv,
        })
    }

    /// Packed text as a link holds it.
    pub(crate) fn packed(name: String, packed: Packed) -> LinkData {
        LinkData { name, packed }
    }

    /// The CSV text `csv` of the file `name` packed for a link, or why it
    /// does not fit.
    pub fn pack(name: &str, csv: &str) -> Result<LinkData, EncodeError> {
        let packed =
            pack(csv, MAX_LINK_DATA_BYTES).map_err(|bytes| EncodeError::DataTooLarge { bytes })?;
        Ok(LinkData {
            name: name.to_string(),
            packed,
        })
    }
}

/// The keys of embedded data, last in a link.
pub(crate) fn data_pairs(data: &LinkData) -> Vec<(&'static str, String)> {
    vec![
        ("name", escape(&data.name)),
        ("rows", data.packed.rows.to_string()),
        ("crc", format_crc(data.packed.crc)),
        ("data", data.packed.data.clone()),
    ]
}

/// A finite number in the shortest decimal form that reads back to the
/// same `f64` (Rust's `Display`: no exponent, no `+`).
fn number(value: f64) -> String {
    value.to_string()
}
