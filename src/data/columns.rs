//! Matching column names to roles, and the [`ColumnMapping`] a user can correct.
//!
//! Names match case-, space-, hyphen-, dot-, percent-, parenthesis- and underscore-insensitively
//! ("Best Response" = "best_response" = "BESTRESPONSE"). Documented aliases:
//!
//! | role | names |
//! |---|---|
//! | patient id | patient_id, patient, id, subject, subject_id, subjid, usubjid, pt, ptid |
//! | best response | best_response, bor, bestresp, best_overall_response, response, recist |
//! | best % change | best_pct_change, best_change, pct_change, best_percent_change, percent_change, bestpct, tumor_change |
//! | OS time | os_months (or _days, _weeks, _years), os, os_time, ostime |
//! | OS event | os_event, os_status, status, os_cnsr / cnsr / os_censored (1 = censored) |
//! | PFS, DOR | the same with pfs / dor (also pfs_time, dor_time, duration_of_response) |
//! | TTR | ttr_months (or _days, _weeks), ttr, time_to_response |
//!
//! A time column named without a unit (os, os_time) is read in months, and
//! a note says so. Any other pair `<key>_<unit>` + `<key>_event` (or
//! `_status`, `_cnsr`) is an endpoint too; everything else is a covariate.

use super::values::TimeUnit;
use serde::{Deserialize, Serialize};

/// The standard endpoints: key and label.
pub const STANDARD_ENDPOINTS: [(&str, &str); 3] = [
    ("os", "Overall survival"),
    ("pfs", "Progression-free survival"),
    ("dor", "Duration of response"),
];

/// A time column and the unit its values are in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeColumn {
    pub column: String,
    pub unit: TimeUnit,
}

/// An event column; `censor_indicator` when 1 means censored (CNSR).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventColumn {
    pub column: String,
    pub censor_indicator: bool,
}

/// The columns of one time-to-event endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointColumns {
    /// "os", "pfs", "dor", or the prefix of another pair ("efs").
    pub key: String,
    pub time: Option<TimeColumn>,
    pub event: Option<EventColumn>,
}

/// Which column plays which role. Produced as a guess from the header,
/// shown to the user as one select per role, corrected, and passed back to
/// the import; part of the page's view state, hence (de)serialisable.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub patient_id: Option<String>,
    pub best_response: Option<String>,
    pub best_pct_change: Option<String>,
    pub endpoints: Vec<EndpointColumns>,
    pub ttr: Option<TimeColumn>,
}

/// A table's header and the mapping of its columns to roles (used, or
/// guessed), for a page that lets the user edit the mapping.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MappedTable {
    pub mapping: ColumnMapping,
    pub headers: Vec<String>,
    /// The columns' labels (a SAS transport file's variable labels), one
    /// per header; empty for text, which has none.
    pub labels: Vec<String>,
}

/// Lower case without spaces, underscores, hyphens and dots.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '%' | '(' | ')' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

const ID_ALIASES: [&str; 9] = [
    "patientid",
    "patient",
    "id",
    "subject",
    "subjectid",
    "subjid",
    "usubjid",
    "pt",
    "ptid",
];
const RESPONSE_ALIASES: [&str; 6] = [
    "bestresponse",
    "bor",
    "bestresp",
    "bestoverallresponse",
    "response",
    "recist",
];
const CHANGE_ALIASES: [&str; 7] = [
    "bestpctchange",
    "bestchange",
    "pctchange",
    "bestpercentchange",
    "percentchange",
    "bestpct",
    "tumorchange",
];
const UNIT_SUFFIXES: [(&str, TimeUnit); 9] = [
    ("months", TimeUnit::Months),
    ("month", TimeUnit::Months),
    ("mo", TimeUnit::Months),
    ("days", TimeUnit::Days),
    ("day", TimeUnit::Days),
    ("weeks", TimeUnit::Weeks),
    ("week", TimeUnit::Weeks),
    ("years", TimeUnit::Years),
    ("year", TimeUnit::Years),
];
const EVENT_SUFFIXES: [(&str, bool); 6] = [
    ("event", false),
    ("status", false),
    ("evt", false),
    ("cnsr", true),
    ("censored", true),
    ("censor", true),
];

/// Event columns named without an endpoint: read as the OS event.
/// Whether a normalized name ends as a censoring indicator's does (1 = censored).
fn censoring(normalized: &str) -> bool {
    EVENT_SUFFIXES
        .iter()
        .any(|(suffix, censor)| *censor && normalized.ends_with(suffix))
}

/// Whether a column's name says it holds a censoring indicator, 1 =
/// censored: CNSR (ADaM), OS_CNSR, censored.
pub fn names_censoring(name: &str) -> bool {
    censoring(&normalize(name))
}

const BARE_EVENT_NAMES: [&str; 5] = ["status", "event", "cnsr", "censored", "censor"];

/// What a normalized column name says about itself.
#[derive(Debug, Clone, PartialEq)]
enum NameRole {
    Id(usize),
    Response(usize),
    Change(usize),
    /// Time of an endpoint; `unit` None when the name states none.
    Time {
        key: String,
        unit: Option<TimeUnit>,
    },
    Event {
        key: String,
        censor_indicator: bool,
    },
    Other,
}

fn endpoint_key(prefix: &str) -> String {
    match prefix {
        "durationofresponse" | "responseduration" => "dor".to_string(),
        "overallsurvival" => "os".to_string(),
        "progressionfreesurvival" => "pfs".to_string(),
        "timetoresponse" => "ttr".to_string(),
        p => p.to_string(),
    }
}

fn classify(name: &str) -> NameRole {
    let n = normalize(name);
    if let Some(i) = ID_ALIASES.iter().position(|a| *a == n) {
        return NameRole::Id(i);
    }
    if let Some(i) = RESPONSE_ALIASES.iter().position(|a| *a == n) {
        return NameRole::Response(i);
    }
    if let Some(i) = CHANGE_ALIASES.iter().position(|a| *a == n) {
        return NameRole::Change(i);
    }
    if BARE_EVENT_NAMES.contains(&n.as_str()) {
        return NameRole::Event {
            key: "os".into(),
            censor_indicator: censoring(&n),
        };
    }
    for (suffix, unit) in UNIT_SUFFIXES {
        if let Some(prefix) = n.strip_suffix(suffix) {
            if !prefix.is_empty() {
                return NameRole::Time {
                    key: endpoint_key(prefix),
                    unit: Some(unit),
                };
            }
        }
    }
    for (suffix, censor_indicator) in EVENT_SUFFIXES {
        if let Some(prefix) = n.strip_suffix(suffix) {
            if !prefix.is_empty() {
                return NameRole::Event {
                    key: endpoint_key(prefix),
                    censor_indicator,
                };
            }
        }
    }
    if let Some(prefix) = n.strip_suffix("time") {
        if !prefix.is_empty() {
            return NameRole::Time {
                key: endpoint_key(prefix),
                unit: None,
            };
        }
    }
    let key = endpoint_key(&n);
    if matches!(key.as_str(), "os" | "pfs" | "dor" | "ttr") {
        return NameRole::Time { key, unit: None };
    }
    NameRole::Other
}

/// Whether a key is one of the standard endpoints (or TTR).
fn is_standard(key: &str) -> bool {
    STANDARD_ENDPOINTS.iter().any(|(k, _)| *k == key)
}

/// A time column whose unit was assumed (months) because its name states none.
#[derive(Debug, Clone, PartialEq)]
pub struct AssumedUnit {
    pub column: String,
}

impl ColumnMapping {
    /// Guesses the mapping from the header. Also returns the time columns
    /// whose unit was assumed to be months.
    pub fn guess(headers: &[String]) -> (ColumnMapping, Vec<AssumedUnit>) {
        let mut mapping = ColumnMapping::default();
        let roles: Vec<NameRole> = headers.iter().map(|h| classify(h)).collect();
        let best = |pick: fn(&NameRole) -> Option<usize>| -> Option<String> {
            roles
                .iter()
                .enumerate()
                .filter_map(|(i, r)| pick(r).map(|rank| (rank, i)))
                .min()
                .map(|(_, i)| headers[i].clone())
        };
        mapping.patient_id = best(|r| {
            if let NameRole::Id(k) = r {
                Some(*k)
            } else {
                None
            }
        });
        mapping.best_response = best(|r| {
            if let NameRole::Response(k) = r {
                Some(*k)
            } else {
                None
            }
        });
        mapping.best_pct_change = best(|r| {
            if let NameRole::Change(k) = r {
                Some(*k)
            } else {
                None
            }
        });

        let mut assumed = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        for r in &roles {
            if let NameRole::Time { key, .. } | NameRole::Event { key, .. } = r {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
        for key in keys {
            // Columns with a stated unit first, then the unit-less ones.
            let time = roles
                .iter()
                .enumerate()
                .filter_map(|(i, r)| match r {
                    NameRole::Time { key: k, unit } if *k == key => {
                        Some((unit.is_none(), i, *unit))
                    }
                    _ => None,
                })
                .min_by_key(|(unitless, i, _)| (*unitless, *i));
            // `<key>_event` before a bare STATUS / EVENT / CNSR column.
            let event = roles
                .iter()
                .enumerate()
                .filter_map(|(i, r)| match r {
                    NameRole::Event {
                        key: k,
                        censor_indicator,
                    } if *k == key => Some((
                        BARE_EVENT_NAMES.contains(&normalize(&headers[i]).as_str()),
                        i,
                        *censor_indicator,
                    )),
                    _ => None,
                })
                .min_by_key(|(bare, i, _)| (*bare, *i))
                .map(|(_, i, censor_indicator)| EventColumn {
                    column: headers[i].clone(),
                    censor_indicator,
                });
            let time = time.map(|(_, i, unit)| {
                if unit.is_none() {
                    assumed.push(AssumedUnit {
                        column: headers[i].clone(),
                    });
                }
                TimeColumn {
                    column: headers[i].clone(),
                    unit: unit.unwrap_or(TimeUnit::Months),
                }
            });
            if key == "ttr" {
                mapping.ttr = time;
                continue;
            }
            // A non-standard key is an endpoint only as a time + event pair.
            if is_standard(&key) || (time.is_some() && event.is_some()) {
                mapping.endpoints.push(EndpointColumns { key, time, event });
            } else if let Some(t) = &time {
                assumed.retain(|a| a.column != t.column);
            }
        }
        mapping.endpoints.sort_by_key(|e| {
            STANDARD_ENDPOINTS
                .iter()
                .position(|(k, _)| *k == e.key)
                .unwrap_or(STANDARD_ENDPOINTS.len())
        });
        (mapping, assumed)
    }

    /// Every column the mapping uses, in role order.
    pub fn used_columns(&self) -> Vec<&str> {
        let mut used: Vec<&str> = Vec::new();
        used.extend(self.patient_id.as_deref());
        used.extend(self.best_response.as_deref());
        used.extend(self.best_pct_change.as_deref());
        for e in &self.endpoints {
            used.extend(e.time.as_ref().map(|t| t.column.as_str()));
            used.extend(e.event.as_ref().map(|t| t.column.as_str()));
        }
        used.extend(self.ttr.as_ref().map(|t| t.column.as_str()));
        used
    }
}

/// The label of an endpoint key: "Overall survival" for "os", else the key in capitals.
pub fn endpoint_label(key: &str) -> String {
    STANDARD_ENDPOINTS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| key.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(headers: &[&str]) -> ColumnMapping {
        let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        ColumnMapping::guess(&headers).0
    }

    #[test]
    fn matches_aliases_insensitively() {
        let m = guess(&[
            "Subject ID",
            "BOR",
            "Best % change",
            "OS_TIME",
            "STATUS",
            "PFS_Days",
            "pfs_cnsr",
        ]);
        assert_eq!(m.patient_id.as_deref(), Some("Subject ID"));
        assert_eq!(m.best_response.as_deref(), Some("BOR"));
        assert_eq!(m.best_pct_change.as_deref(), Some("Best % change"));
        assert_eq!(m.endpoints.len(), 2);
        assert_eq!(m.endpoints[0].key, "os");
        assert_eq!(
            m.endpoints[0].time,
            Some(TimeColumn {
                column: "OS_TIME".into(),
                unit: TimeUnit::Months
            })
        );
        assert_eq!(
            m.endpoints[0].event,
            Some(EventColumn {
                column: "STATUS".into(),
                censor_indicator: false
            })
        );
        assert_eq!(m.endpoints[1].key, "pfs");
        assert_eq!(m.endpoints[1].time.as_ref().unwrap().unit, TimeUnit::Days);
        assert!(m.endpoints[1].event.as_ref().unwrap().censor_indicator);
    }

    #[test]
    fn other_pairs_are_endpoints_and_lone_times_are_covariates() {
        let m = guess(&[
            "USUBJID",
            "ID",
            "efs_weeks",
            "efs_event",
            "age_years",
            "ttr_days",
            "OSTIME",
            "os_months",
        ]);
        assert_eq!(m.patient_id.as_deref(), Some("ID"));
        assert!(m.endpoints.iter().any(|e| e.key == "efs"));
        assert!(!m.endpoints.iter().any(|e| e.key == "age"));
        assert_eq!(
            m.ttr,
            Some(TimeColumn {
                column: "ttr_days".into(),
                unit: TimeUnit::Days
            })
        );
        assert_eq!(m.endpoints[0].time.as_ref().unwrap().column, "os_months");
    }

    #[test]
    fn prefers_the_named_event_over_a_bare_status() {
        let m = guess(&["id", "status", "os_months", "os_event"]);
        assert_eq!(m.endpoints[0].event.as_ref().unwrap().column, "os_event");
        let m = guess(&["id", "os_months", "CNSR"]);
        assert!(m.endpoints[0].event.as_ref().unwrap().censor_indicator);
    }

    #[test]
    fn round_trips_through_json() {
        let m = guess(&["id", "os_months", "os_event"]);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<ColumnMapping>(&json).unwrap(), m);
    }
}
