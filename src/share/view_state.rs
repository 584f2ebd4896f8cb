//! What the page shows, as plain data: the value a link encodes.
//!
//! Every field has a default that a plain view uses and that the link omits,
//! so that "the built-in study, overall survival, default conventions" is a
//! short link. [`ViewState::validate`] states the invariants every encodable
//! state meets; `decode` only ever returns states that meet them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::stats::conventions::{
    BinomialCi, CiTransform, Conventions, Denominator, DifferenceCi, MedianRule, Preset, Ties,
};

/// The page's view state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewState {
    /// Where the cohort comes from; `None` is the landing page.
    pub source: Option<Source>,
    /// Column roles mapped by hand (role → column, with its unit or event
    /// coding), for files whose roles could not be recognised from their
    /// headers or were recognised wrongly. Sorted by role.
    pub column_map: BTreeMap<String, MappedColumn>,
    /// The choices of an ADaM import (population, response parameter, arm,
    /// endpoints); each `None` is the import's stated default.
    pub adam: AdamView,
    /// Column that splits the cohort into groups, if any.
    pub group: Option<String>,
    /// Row filters, all of which a patient must pass, in the order given.
    pub filters: Vec<Filter>,
    /// Selected endpoint key ("os", "pfs", "dor" or any other); `None` is
    /// the page's first endpoint.
    pub endpoint: Option<String>,
    /// Selected (highlighted) patient ids, in selection order.
    pub selected: Vec<String>,
    /// Statistical conventions: a preset and individual overrides.
    pub conventions: ConventionsChoice,
    /// Time range shown on the Kaplan–Meier chart; `None` is the full range.
    pub zoom: Option<TimeRange>,
    /// Whether confidence bands are drawn (default on).
    pub ci_bands: CiBands,
    /// Landmark time, if one is set.
    pub landmark: Option<f64>,
    /// Active tab or chart ("km", "waterfall", …); `None` is the first tab.
    pub tab: Option<String>,
    /// The efficacy tables' choices (the arms are the `group` column).
    pub tables: TablesChoice,
}

/// What the efficacy tables compare and how; each empty or `None` is the
/// default (the first arm, no strata, 6 and 12 months, Newcombe).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TablesChoice {
    /// The reference arm.
    pub reference: Option<String>,
    /// Stratification columns, each once.
    pub strata: Vec<String>,
    /// Times (months) of the event-free rates, each positive, at most
    /// [`MAX_TIMEPOINTS`]; empty: the default times.
    pub timepoints: Vec<f64>,
    /// The interval of a difference in response rates.
    pub diff_ci: Option<DifferenceCi>,
}

/// Most time points a view asks the tables for.
pub const MAX_TIMEPOINTS: usize = 10;

/// Where the cohort comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Source {
    /// A built-in study, by id ("lifileucel-melanoma").
    Study(String),
    /// The cohort itself, carried in the link or in a view file.
    Embedded(EmbeddedData),
    /// Local files that are not embedded (too large, several ADaM datasets,
    /// SAS transport): only their names travel, and the recipient is asked
    /// to open the same files. At least one name, each once.
    LocalFiles(Vec<String>),
}

/// A column mapped to a role, and how to read it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MappedColumn {
    pub column: String,
    /// The unit of a time column, or the coding of an event column;
    /// `None`: as the import guesses from the column name.
    pub qualifier: Option<Qualifier>,
}

impl MappedColumn {
    /// A column read as guessed.
    pub fn plain(column: impl Into<String>) -> MappedColumn {
        MappedColumn {
            column: column.into(),
            qualifier: None,
        }
    }
}

/// How a mapped column is read: a time unit, or which value is the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Qualifier {
    Days,
    Weeks,
    Months,
    Years,
    /// 1 = event, 0 = censored.
    Event,
    /// 1 = censored, 0 = event (ADaM CNSR).
    Censor,
}

impl Qualifier {
    pub const ALL: [Qualifier; 6] = [
        Qualifier::Days,
        Qualifier::Weeks,
        Qualifier::Months,
        Qualifier::Years,
        Qualifier::Event,
        Qualifier::Censor,
    ];

    /// The name a link writes: `days`, `weeks`, `months`, `years`, `event`, `censor`.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Days => "days",
            Qualifier::Weeks => "weeks",
            Qualifier::Months => "months",
            Qualifier::Years => "years",
            Qualifier::Event => "event",
            Qualifier::Censor => "censor",
        }
    }

    /// Reads a name [`Qualifier::as_str`] writes.
    pub fn parse(text: &str) -> Option<Qualifier> {
        Qualifier::ALL.into_iter().find(|q| q.as_str() == text)
    }
}

/// The ADaM choices of a view, as names (validated by the import, which
/// says what the data have when a name does not fit).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AdamView {
    /// A population flag (ITTFL, SAFFL, …) or `all`.
    pub population: Option<String>,
    /// The ADRS PARAMCD of the best overall response.
    pub response: Option<String>,
    /// The arm variable or `none`.
    pub arm: Option<String>,
    /// The ADTTE PARAMCDs that are endpoints; empty: every time parameter.
    pub endpoints: Vec<String>,
}

/// A cohort carried with the view: its canonical CSV text and file name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedData {
    /// File name shown to the user ("cohort.csv").
    pub name: String,
    /// The cohort as canonical CSV text, header line first.
    pub csv: String,
}

impl EmbeddedData {
    /// Number of data records (the header line excluded), as the CSV
    /// reader counts them: quoted line breaks stay inside their record and
    /// blank lines are not records. This is the `rows=` of a link.
    pub fn rows(&self) -> u64 {
        count_csv_records(self.csv.as_bytes())
    }
}

/// Counts the data records of CSV text (header excluded), never failing:
/// a malformed record still counts as one record.
pub(crate) fn count_csv_records(csv: &[u8]) -> u64 {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(csv);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => rows += 1,
            Ok(false) => return rows,
            // The byte reader only fails on I/O, which a slice never does.
            Err(_) => return rows,
        }
    }
}

/// One row filter: a column and the condition its value must meet.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub column: String,
    pub condition: Condition,
}

/// The condition of a [`Filter`].
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The value equals one of these (an empty list passes no row; an empty
    /// string matches an empty cell).
    OneOf(Vec<String>),
    /// The value is a number in `min ≤ x ≤ max`; a missing bound is open.
    Range { min: Option<f64>, max: Option<f64> },
}

/// A time range `start < end`, both finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeRange {
    pub start: f64,
    pub end: f64,
}

/// Whether confidence bands are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CiBands {
    #[default]
    On,
    Off,
}

/// The conventions as the user chose them: a preset (default: cohortscope's)
/// and the conventions set individually on top of it. Keeping the choice,
/// not only its result, keeps links short and says what the user meant.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ConventionsChoice {
    pub preset: Option<Preset>,
    pub ci_transform: Option<CiTransform>,
    /// Confidence level, 0 < level < 1.
    pub conf_level: Option<f64>,
    pub median_rule: Option<MedianRule>,
    pub ties: Option<Ties>,
    pub denominator: Option<Denominator>,
    pub binomial_ci: Option<BinomialCi>,
}

impl ConventionsChoice {
    /// The conventions in force: the preset's, with each override applied.
    pub fn resolve(&self) -> Conventions {
        let base = Conventions::preset(self.preset.unwrap_or(Preset::Default));
        Conventions {
            ci_transform: self.ci_transform.unwrap_or(base.ci_transform),
            conf_level: self.conf_level.unwrap_or(base.conf_level),
            median_rule: self.median_rule.unwrap_or(base.median_rule),
            ties: self.ties.unwrap_or(base.ties),
            denominator: self.denominator.unwrap_or(base.denominator),
            binomial_ci: self.binomial_ci.unwrap_or(base.binomial_ci),
        }
    }

    /// The shortest choice that resolves to `conventions`: fewest keys in
    /// the link, then fewest overrides (a named preset reads better than
    /// the same conventions set one by one), then the first preset in
    /// [`Preset::NAMES`] order; the default preset is written as no preset.
    pub fn minimal(conventions: &Conventions) -> Self {
        const PRESETS: [Preset; 4] = [Preset::Default, Preset::Sas, Preset::R, Preset::Lifelines];
        let mut best: Option<((usize, usize), ConventionsChoice)> = None;
        for preset in PRESETS {
            let base = Conventions::preset(preset);
            let choice = ConventionsChoice {
                preset: (preset != Preset::Default).then_some(preset),
                ci_transform: differs(conventions.ci_transform, base.ci_transform),
                conf_level: differs(conventions.conf_level, base.conf_level),
                median_rule: differs(conventions.median_rule, base.median_rule),
                ties: differs(conventions.ties, base.ties),
                denominator: differs(conventions.denominator, base.denominator),
                binomial_ci: differs(conventions.binomial_ci, base.binomial_ci),
            };
            let overrides = choice.size() - usize::from(choice.preset.is_some());
            let size = (choice.size(), overrides);
            if best.as_ref().is_none_or(|(best_size, _)| size < *best_size) {
                best = Some((size, choice));
            }
        }
        best.map(|(_, choice)| choice).unwrap_or_default()
    }

    /// How many keys this choice writes into a link.
    fn size(&self) -> usize {
        [
            self.preset.is_some(),
            self.ci_transform.is_some(),
            self.conf_level.is_some(),
            self.median_rule.is_some(),
            self.ties.is_some(),
            self.denominator.is_some(),
            self.binomial_ci.is_some(),
        ]
        .iter()
        .filter(|set| **set)
        .count()
    }
}

fn differs<T: PartialEq>(wanted: T, base: T) -> Option<T> {
    (wanted != base).then_some(wanted)
}

/// Why a state cannot be encoded: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError {
    /// The field, as its link key names it ("zoom", "filter").
    pub key: &'static str,
    pub reason: String,
}

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.reason)
    }
}

impl std::error::Error for StateError {}

impl ViewState {
    /// Checks the invariants every encodable state meets:
    /// names (study, file name, columns, roles, patient ids) are non-empty;
    /// endpoint and tab are keys (an ASCII letter, then letters, digits,
    /// `_` or `-`); numbers are finite; `0 < conf_level < 1`;
    /// `zoom.start < zoom.end`; `landmark ≥ 0`; a range filter has
    /// `min ≤ max` when both are set. Filter values may be empty strings.
    pub fn validate(&self) -> Result<(), StateError> {
        match &self.source {
            Some(Source::Study(id)) => non_empty("study", id)?,
            Some(Source::LocalFiles(names)) => {
                if names.is_empty() {
                    return Err(StateError {
                        key: "file",
                        reason: "must name at least one file".to_string(),
                    });
                }
                for (i, name) in names.iter().enumerate() {
                    non_empty("file", name)?;
                    if names[..i].contains(name) {
                        return Err(StateError {
                            key: "file",
                            reason: format!("{name:?} is named twice"),
                        });
                    }
                }
            }
            Some(Source::Embedded(data)) => non_empty("name", &data.name)?,
            None => {}
        }
        for (role, mapped) in &self.column_map {
            non_empty("map", role)?;
            non_empty("map", &mapped.column)?;
        }
        for (key, value) in [
            ("pop", &self.adam.population),
            ("resp", &self.adam.response),
            ("arm", &self.adam.arm),
        ] {
            if let Some(value) = value {
                non_empty(key, value)?;
            }
        }
        for (i, code) in self.adam.endpoints.iter().enumerate() {
            non_empty("params", code)?;
            if self.adam.endpoints[..i].contains(code) {
                return Err(StateError {
                    key: "params",
                    reason: format!("{code:?} is named twice"),
                });
            }
        }
        if let Some(group) = &self.group {
            non_empty("group", group)?;
        }
        for filter in &self.filters {
            non_empty("filter", &filter.column)?;
            if let Condition::Range { min, max } = filter.condition {
                for bound in [min, max].into_iter().flatten() {
                    finite("filter", bound)?;
                }
                if let (Some(min), Some(max)) = (min, max) {
                    if min > max {
                        return Err(StateError {
                            key: "filter",
                            reason: format!("range {min} to {max} is empty (min > max)"),
                        });
                    }
                }
            }
        }
        if let Some(endpoint) = &self.endpoint {
            check_key(endpoint).map_err(|reason| StateError { key: "ep", reason })?;
        }
        for id in &self.selected {
            non_empty("sel", id)?;
        }
        if let Some(level) = self.conventions.conf_level {
            check_conf_level(level).map_err(|reason| StateError {
                key: "level",
                reason,
            })?;
        }
        if let Some(zoom) = self.zoom {
            check_time_range(zoom).map_err(|reason| StateError {
                key: "zoom",
                reason,
            })?;
        }
        if let Some(landmark) = self.landmark {
            check_landmark(landmark).map_err(|reason| StateError {
                key: "landmark",
                reason,
            })?;
        }
        if let Some(tab) = &self.tab {
            check_key(tab).map_err(|reason| StateError { key: "tab", reason })?;
        }
        if let Some(reference) = &self.tables.reference {
            non_empty("ref", reference)?;
        }
        for (i, column) in self.tables.strata.iter().enumerate() {
            non_empty("strata", column)?;
            if self.tables.strata[..i].contains(column) {
                return Err(StateError {
                    key: "strata",
                    reason: format!("{column:?} is named twice"),
                });
            }
        }
        check_timepoints(&self.tables.timepoints)
            .map_err(|reason| StateError { key: "tp", reason })?;
        Ok(())
    }
}

/// An endpoint or tab key: an ASCII letter, then ASCII letters, digits,
/// `_` or `-` ("os", "pfs", "dor", "os_central", "km").
pub(crate) fn check_key(key: &str) -> Result<(), String> {
    let mut bytes = key.bytes();
    let starts_with_letter = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    if starts_with_letter && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        Ok(())
    } else {
        Err("expected a letter, then letters, digits, _ or -".to_string())
    }
}

fn non_empty(key: &'static str, value: &str) -> Result<(), StateError> {
    if value.is_empty() {
        Err(StateError {
            key,
            reason: "must not be empty".to_string(),
        })
    } else {
        Ok(())
    }
}

fn finite(key: &'static str, value: f64) -> Result<(), StateError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(StateError {
            key,
            reason: format!("{value} is not a finite number"),
        })
    }
}

/// `0 < level < 1`.
pub(crate) fn check_conf_level(level: f64) -> Result<(), String> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(format!(
            "confidence level {level} is not strictly between 0 and 1"
        ))
    }
}

/// Both ends finite, `start < end`.
pub(crate) fn check_time_range(range: TimeRange) -> Result<(), String> {
    if !range.start.is_finite() || !range.end.is_finite() {
        Err("both ends must be finite numbers".to_string())
    } else if range.start >= range.end {
        Err(format!(
            "start {} is not before end {}",
            range.start, range.end
        ))
    } else {
        Ok(())
    }
}

/// Finite and `≥ 0`.
/// Time points of the tables: each finite and positive, at most [`MAX_TIMEPOINTS`].
pub fn check_timepoints(times: &[f64]) -> Result<(), String> {
    if times.len() > MAX_TIMEPOINTS {
        return Err(format!(
            "{} time points; at most {MAX_TIMEPOINTS}",
            times.len()
        ));
    }
    match times.iter().find(|t| !(t.is_finite() && **t > 0.0)) {
        Some(t) => Err(format!("time point {t} is not a finite time > 0")),
        None => Ok(()),
    }
}

pub(crate) fn check_landmark(time: f64) -> Result<(), String> {
    if time.is_finite() && time >= 0.0 {
        Ok(())
    } else {
        Err(format!("landmark time {time} is not a finite time ≥ 0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_state_is_valid_and_resolves_to_default_conventions() {
        let state = ViewState::default();
        assert_eq!(state.validate(), Ok(()));
        assert_eq!(state.conventions.resolve(), Conventions::default());
        assert_eq!(state.ci_bands, CiBands::On);
    }

    #[test]
    fn overrides_apply_on_top_of_the_preset() {
        let choice = ConventionsChoice {
            preset: Some(Preset::Sas),
            conf_level: Some(0.9),
            ..ConventionsChoice::default()
        };
        let resolved = choice.resolve();
        assert_eq!(resolved.ties, Ties::Breslow);
        assert_eq!(resolved.conf_level, 0.9);
    }

    #[test]
    fn minimal_choice_names_a_preset_when_one_matches() {
        let check = |conventions: Conventions, expected: ConventionsChoice| {
            let choice = ConventionsChoice::minimal(&conventions);
            assert_eq!(choice, expected);
            assert_eq!(choice.resolve(), conventions);
        };
        check(Conventions::default(), ConventionsChoice::default());
        check(
            Conventions::preset(Preset::R),
            ConventionsChoice {
                preset: Some(Preset::R),
                ..ConventionsChoice::default()
            },
        );
        let mut sas_with_wilson = Conventions::preset(Preset::Sas);
        sas_with_wilson.binomial_ci = BinomialCi::Wilson;
        check(
            sas_with_wilson,
            ConventionsChoice {
                preset: Some(Preset::Sas),
                binomial_ci: Some(BinomialCi::Wilson),
                ..ConventionsChoice::default()
            },
        );
        let plain = Conventions {
            ci_transform: CiTransform::Plain,
            ..Conventions::default()
        };
        check(
            plain,
            ConventionsChoice {
                ci_transform: Some(CiTransform::Plain),
                ..ConventionsChoice::default()
            },
        );
    }

    #[test]
    fn rows_count_records_not_lines() {
        let data = |csv: &str| EmbeddedData {
            name: "c.csv".into(),
            csv: csv.into(),
        };
        assert_eq!(data("id,arm\n").rows(), 0);
        assert_eq!(data("id,arm\n1,A\n2,B").rows(), 2);
        assert_eq!(data("id,note\n1,\"two\nlines\"\n2,x\n").rows(), 2);
        assert_eq!(data("").rows(), 0);
    }

    #[test]
    fn invalid_states_name_their_key() {
        let check = |state: ViewState, key: &str| {
            assert_eq!(state.validate().map_err(|e| e.key), Err(key), "{state:?}");
        };
        check(
            ViewState {
                zoom: Some(TimeRange {
                    start: 5.0,
                    end: 5.0,
                }),
                ..Default::default()
            },
            "zoom",
        );
        check(
            ViewState {
                landmark: Some(f64::NAN),
                ..Default::default()
            },
            "landmark",
        );
        check(
            ViewState {
                landmark: Some(-1.0),
                ..Default::default()
            },
            "landmark",
        );
        check(
            ViewState {
                group: Some(String::new()),
                ..Default::default()
            },
            "group",
        );
        check(
            ViewState {
                selected: vec![String::new()],
                ..Default::default()
            },
            "sel",
        );
        let choice = ConventionsChoice {
            conf_level: Some(1.0),
            ..Default::default()
        };
        check(
            ViewState {
                conventions: choice,
                ..Default::default()
            },
            "level",
        );
        let filter = Filter {
            column: "age".into(),
            condition: Condition::Range {
                min: Some(70.0),
                max: Some(18.0),
            },
        };
        check(
            ViewState {
                filters: vec![filter],
                ..Default::default()
            },
            "filter",
        );
    }
}
