//! The built-in reference studies: synthetic cohorts reconstructed from the
//! published summary figures of three TIL-therapy trials, embedded at compile
//! time.
//!
//! Each study is a CSV in the import schema (`assets/studies/<id>.csv`) and a
//! metadata file (`assets/studies/<id>.json`) holding the citation, the
//! generating method and every published figure with a machine-checkable
//! [`Check`]. Both are written by `scripts/studies/generate.py` (seeded) and
//! verified by the independent `scripts/studies/check.py` (pandas, lifelines,
//! scipy); the method is written down in `assets/studies/README.md`.
//!
//! **These are not patient data**: individual data of these trials are not
//! public. Every study carries `synthetic: true` and [`SYNTHETIC_NOTE`].

use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::stats::conventions::Denominator;
use crate::stats::response::BestResponse;

/// The label every built-in study carries, word for word.
pub const SYNTHETIC_NOTE: &str =
    "Synthetic cohort reconstructed from published summary figures; not patient data.";

/// (id, metadata JSON, CSV) of every built-in study, in display order.
const ASSETS: [(&str, &str, &str); 3] = [
    (
        "lifileucel-melanoma",
        include_str!("../../assets/studies/lifileucel-melanoma.json"),
        include_str!("../../assets/studies/lifileucel-melanoma.csv"),
    ),
    (
        "ln145-cervical",
        include_str!("../../assets/studies/ln145-cervical.json"),
        include_str!("../../assets/studies/ln145-cervical.csv"),
    ),
    (
        "herlev-til",
        include_str!("../../assets/studies/herlev-til.json"),
        include_str!("../../assets/studies/herlev-til.csv"),
    ),
];

/// A built-in study: its metadata and its patient table.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    pub info: StudyInfo,
    /// One row per (synthetic) patient, in the import schema.
    pub csv: &'static str,
}

/// The metadata of a built-in study (`assets/studies/<id>.json`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyInfo {
    /// Stable identifier, also the asset file stem.
    pub id: String,
    pub title: String,
    pub short_title: String,
    /// The publication whose summary figures the cohort reproduces.
    pub citation: String,
    /// ClinicalTrials.gov identifier.
    pub nct: String,
    pub design: String,
    pub endpoint_notes: String,
    /// Always `true` for the built-in studies.
    pub synthetic: bool,
    /// Always [`SYNTHETIC_NOTE`].
    pub synthetic_note: String,
    /// The generating method in one paragraph.
    pub method: String,
    /// The definitions under which the published figures are checked.
    pub definitions: String,
    /// Path of the generating script in the repository.
    pub generator: String,
    /// Seed of the accepted draw (numpy PCG64).
    pub seed: u64,
    /// The design constants of the accepted draw.
    pub model: SyntheticModel,
    /// Denominator of the published response rates.
    #[serde(deserialize_with = "by_name::deserialize")]
    pub denominator: Denominator,
    /// Covariate columns whose values are illustrative, not published.
    pub illustrative_columns: Vec<String>,
    /// Every published figure, with the check that reproduces it.
    pub published: Vec<PublishedFigure>,
}

/// What the page shows of a built-in study: its choice in the study select,
/// its heading and citation, the published figures' denominator and
/// definitions. The page's module has this, from its worker, and never the
/// metadata file (whose reading is the worker's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyCard {
    pub id: String,
    pub title: String,
    pub short_title: String,
    pub citation: String,
    pub nct: String,
    pub design: String,
    pub endpoint_notes: String,
    pub synthetic: bool,
    pub synthetic_note: String,
    pub definitions: String,
    #[serde(with = "by_name")]
    pub denominator: Denominator,
}

impl StudyInfo {
    /// What the page shows of this study.
    pub fn card(&self) -> StudyCard {
        StudyCard {
            id: self.id.clone(),
            title: self.title.clone(),
            short_title: self.short_title.clone(),
            citation: self.citation.clone(),
            nct: self.nct.clone(),
            design: self.design.clone(),
            endpoint_notes: self.endpoint_notes.clone(),
            synthetic: self.synthetic,
            synthetic_note: self.synthetic_note.clone(),
            definitions: self.definitions.clone(),
            denominator: self.denominator,
        }
    }
}

/// Accrual and cutoff of a synthetic cohort (months from the first infusion).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyntheticModel {
    /// Length of the accrual period.
    pub accrual_months: f64,
    /// From the end of accrual to the data cutoff.
    pub cutoff_after_accrual_months: f64,
    /// From the start of accrual to the data cutoff: the longest possible follow-up.
    pub data_cutoff_months: f64,
    /// Multiplier of the post-progression survival scale chosen by the fit.
    pub post_progression_scale_factor: f64,
}

/// A published figure and how the cohort reproduces it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedFigure {
    /// What is reported ("Objective response rate").
    pub figure: String,
    /// As published ("38% (25/66)").
    pub published: String,
    /// Why the check reads as it does, where that is not obvious.
    #[serde(default)]
    pub note: Option<String>,
    #[serde(deserialize_with = "by_kind")]
    pub check: Check,
}

/// A time-to-event endpoint of the import schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `os_months` / `os_event`.
    Os,
    /// `pfs_months` / `pfs_event`.
    Pfs,
    /// `dor_months` / `dor_event` (responders only).
    Dor,
}

/// The test behind an [`Check::Association`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssociationTest {
    /// Two-sided Mann–Whitney U test of a numeric covariate, responders vs the rest.
    MannWhitney,
    /// Two-sided Fisher exact test of a yes/no covariate, responders vs the rest.
    Fisher,
}

/// The reported direction of an [`Check::Association`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The median of the covariate is higher in responders (CR/PR).
    HigherInResponders,
    /// The level is more frequent in responders (CR/PR).
    MoreInResponders,
}

/// How a published figure is recomputed from the CSV.
///
/// Conventions: `percent` is 100·k/n rounded half up to a whole percent;
/// `value` with `decimals` d holds when the computed value rounded half up to
/// d decimals equals `value`; `within` is an absolute tolerance. Kaplan–Meier
/// medians are the first time S(t) ≤ 0.5 (no step of the built-in cohorts
/// equals 0.5, so the midpoint rule agrees); median follow-up is the reverse
/// Kaplan–Meier median (censoring as the event).
///
/// The metadata write a check as its `kind` beside its fields
/// (`{"kind": "orr", "k": 25, …}`), read by [`by_kind`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// Number of treated patients (rows).
    N { value: usize },
    /// Count of one best-response category; `percent` over all treated.
    ResponseCount {
        #[serde(deserialize_with = "best_response")]
        response: BestResponse,
        value: usize,
        #[serde(default)]
        percent: Option<u32>,
    },
    /// CR + PR over the study's denominator.
    Orr { k: usize, n: usize, percent: u32 },
    /// CR + PR + SD over the study's denominator.
    Dcr { k: usize, n: usize, percent: u32 },
    /// Patients with `best_pct_change` < 0 among those with a value.
    TumorReduction { k: usize, n: usize, percent: u32 },
    /// Sample median of `ttr_months` among responders, within `within` of `value`.
    TtrMedian { value: f64, within: f64 },
    /// Reverse Kaplan–Meier median follow-up of the endpoint.
    FollowUpMedian {
        endpoint: Endpoint,
        value: f64,
        decimals: u32,
    },
    /// Kaplan–Meier median of the endpoint.
    KmMedian {
        endpoint: Endpoint,
        value: f64,
        decimals: u32,
    },
    /// The Kaplan–Meier curve of the endpoint never falls to 0.5 or below.
    KmMedianNotReached { endpoint: Endpoint },
    /// Responders whose response is ongoing at the cutoff (`dor_event` = 0).
    DorOngoing { k: usize, n: usize, percent: u32 },
    /// The largest `dor_months`; `censored` when that response is ongoing.
    DorLongest {
        value: f64,
        decimals: u32,
        censored: bool,
    },
    /// Share of a level among non-blank values of a column; with `within`,
    /// |100·k/n − percent| ≤ within (for a percentage no k/n rounds to).
    CategoricalPercent {
        column: String,
        level: String,
        percent: u32,
        #[serde(default)]
        within: Option<f64>,
    },
    /// Sample median of a numeric column.
    NumericMedian {
        column: String,
        value: f64,
        decimals: u32,
    },
    /// Every value of a numeric column is below `value` (an inclusion bound).
    NumericBelow { column: String, value: f64 },
    /// A covariate is associated with response (CR/PR vs the rest) in the
    /// published direction, two-sided p < `alpha`.
    Association {
        covariate: String,
        #[serde(default)]
        level: Option<String>,
        test: AssociationTest,
        direction: Direction,
        alpha: f64,
    },
}

/// A [`Check`] as the metadata write it, `{"kind": "orr", "k": 25, …}`,
/// read as serde's external tagging of the same enum, `{"orr": {"k": 25,
/// …}}`: serde reads that form without buffering every field first, as
/// `#[serde(tag = "kind")]` does, in less code (the worker's WebAssembly
/// is smaller by 22 KB).
fn by_kind<'de, D: Deserializer<'de>>(d: D) -> Result<Check, D::Error> {
    let mut fields = Map::deserialize(d)?;
    let kind = match fields.remove("kind") {
        Some(Value::String(kind)) => kind,
        Some(other) => {
            return Err(D::Error::custom(format!(
                "a check's kind is a name, not {other}"
            )))
        }
        None => return Err(D::Error::missing_field("kind")),
    };
    let tagged = Map::from_iter([(kind, Value::Object(fields))]);
    Check::deserialize(Value::Object(tagged)).map_err(D::Error::custom)
}

/// A convention (such as the denominator) by its canonical name.
mod by_name {
    use serde::de::{Deserialize, Deserializer, Error};
    use serde::Serializer;
    use std::fmt::Display;
    use std::str::FromStr;

    pub fn serialize<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub fn deserialize<'de, T, D>(d: D) -> Result<T, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        String::deserialize(d)?.parse().map_err(D::Error::custom)
    }
}

fn best_response<'de, D: Deserializer<'de>>(d: D) -> Result<BestResponse, D::Error> {
    let code = String::deserialize(d)?;
    BestResponse::ALL
        .into_iter()
        .find(|r| r.code() == code)
        .ok_or_else(|| D::Error::unknown_variant(&code, &["CR", "PR", "SD", "PD", "NE"]))
}

fn parse(json: &'static str, csv: &'static str) -> Study {
    let info = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("embedded study metadata does not parse: {e}"));
    Study { info, csv }
}

/// Every built-in study, in display order.
///
/// # Panics
/// Never for the committed assets: they are embedded at compile time and
/// `every_asset_parses` below parses each one.
pub fn all() -> Vec<Study> {
    ASSETS
        .iter()
        .map(|&(_, json, csv)| parse(json, csv))
        .collect()
}

/// What the page shows of every built-in study, in display order.
pub fn cards() -> Vec<StudyCard> {
    all().iter().map(|s| s.info.card()).collect()
}

/// The built-in study with this id, if any.
pub fn by_id(id: &str) -> Option<Study> {
    ASSETS
        .iter()
        .find(|(asset_id, _, _)| *asset_id == id)
        .map(|&(_, json, csv)| parse(json, csv))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The import schema's leading columns, in order.
    const SCHEMA: [&str; 10] = [
        "patient_id",
        "best_response",
        "best_pct_change",
        "os_months",
        "os_event",
        "pfs_months",
        "pfs_event",
        "dor_months",
        "dor_event",
        "ttr_months",
    ];

    fn records(csv_text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .expect("rows");
        (header, rows)
    }

    fn parse_check(json: &str) -> Result<Check, serde_json::Error> {
        by_kind(&mut serde_json::Deserializer::from_str(json))
    }

    fn check(json: &str, expected: Check) {
        let parsed = parse_check(json).expect(json);
        assert_eq!(parsed, expected, "{json}");
    }

    #[test]
    fn every_asset_parses() {
        for &(id, json, _) in &ASSETS {
            let info: Result<StudyInfo, _> = serde_json::from_str(json);
            assert!(info.is_ok(), "{id}: {:?}", info.err());
        }
        assert_eq!(all().len(), ASSETS.len());
    }

    #[test]
    fn ids_are_unique_and_match_the_asset_names() {
        let studies = all();
        let ids: HashSet<_> = studies.iter().map(|s| s.info.id.as_str()).collect();
        assert_eq!(ids.len(), studies.len());
        for (study, &(id, _, _)) in studies.iter().zip(&ASSETS) {
            assert_eq!(study.info.id, id);
        }
    }

    #[test]
    fn n_matches_the_csv_row_count() {
        for study in all() {
            let (_, rows) = records(study.csv);
            let n = study.info.published.iter().find_map(|f| match f.check {
                Check::N { value } => Some(value),
                _ => None,
            });
            assert_eq!(n, Some(rows.len()), "{}", study.info.id);
        }
    }

    #[test]
    fn csv_follows_the_import_schema() {
        for study in all() {
            let (header, rows) = records(study.csv);
            assert_eq!(header[..SCHEMA.len()], SCHEMA, "{}", study.info.id);
            for row in &rows {
                assert_eq!(row.len(), header.len(), "{}", study.info.id);
            }
            for column in &study.info.illustrative_columns {
                assert!(header.contains(column), "{}: {column}", study.info.id);
            }
        }
    }

    #[test]
    fn every_study_is_labelled_synthetic_with_a_citation() {
        for study in all() {
            assert!(study.info.synthetic, "{}", study.info.id);
            assert_eq!(study.info.synthetic_note, SYNTHETIC_NOTE);
            assert!(study.info.citation.contains("20"), "{}", study.info.id);
            assert!(study.info.nct.starts_with("NCT"), "{}", study.info.id);
            assert!(study.info.generator.starts_with("scripts/studies/"));
        }
    }

    #[test]
    fn response_counts_match_the_csv() {
        for study in all() {
            let (_, rows) = records(study.csv);
            for figure in &study.info.published {
                if let Check::ResponseCount {
                    response, value, ..
                } = figure.check
                {
                    let k = rows.iter().filter(|r| &r[1] == response.code()).count();
                    assert_eq!(k, value, "{}: {response}", study.info.id);
                }
            }
        }
    }

    /// 100·k/n rounded half up to a whole percent, in integers.
    fn whole_percent(k: usize, n: usize) -> u32 {
        u32::try_from((200 * k + n) / (2 * n)).expect("a percentage")
    }

    /// The counting checks (no survival estimation) recomputed from the CSV
    /// with the csv crate; scripts/studies/check.py recomputes all of them.
    #[test]
    fn counting_checks_hold_in_the_csv() {
        for study in all() {
            let (header, rows) = records(study.csv);
            let col = |name: &str| header.iter().position(|h| h == name).expect(name);
            let response = |r: &csv::StringRecord| r[col("best_response")].to_owned();
            let is = |r: &csv::StringRecord, codes: &[&str]| {
                codes.contains(&r[col("best_response")].as_ref())
            };
            let count = |codes: &[&str]| rows.iter().filter(|r| is(r, codes)).count();
            let evaluable = match study.info.denominator {
                Denominator::AllTreated => rows.len(),
                Denominator::Evaluable => rows.iter().filter(|r| response(r) != "NE").count(),
            };
            let id = &study.info.id;
            for figure in &study.info.published {
                match &figure.check {
                    Check::Orr { k, n, percent } => {
                        assert_eq!((count(&["CR", "PR"]), evaluable), (*k, *n), "{id}");
                        assert_eq!(whole_percent(*k, *n), *percent, "{id}");
                    }
                    Check::Dcr { k, n, percent } => {
                        assert_eq!((count(&["CR", "PR", "SD"]), evaluable), (*k, *n), "{id}");
                        assert_eq!(whole_percent(*k, *n), *percent, "{id}");
                    }
                    Check::TumorReduction { k, n, percent } => {
                        let values: Vec<f64> = rows
                            .iter()
                            .filter(|r| !r[col("best_pct_change")].is_empty())
                            .map(|r| r[col("best_pct_change")].parse().expect("a number"))
                            .collect();
                        let reduced = values.iter().filter(|&&v| v < 0.0).count();
                        assert_eq!((reduced, values.len()), (*k, *n), "{id}");
                        assert_eq!(whole_percent(*k, *n), *percent, "{id}");
                    }
                    Check::DorOngoing { k, n, percent } => {
                        let responders: Vec<_> =
                            rows.iter().filter(|r| is(r, &["CR", "PR"])).collect();
                        let ongoing = responders
                            .iter()
                            .filter(|r| &r[col("dor_event")] == "0")
                            .count();
                        assert_eq!((ongoing, responders.len()), (*k, *n), "{id}");
                        assert_eq!(whole_percent(*k, *n), *percent, "{id}");
                    }
                    Check::CategoricalPercent {
                        column,
                        level,
                        percent,
                        within,
                    } => {
                        let c = col(column);
                        let n = rows.iter().filter(|r| !r[c].is_empty()).count();
                        let k = rows.iter().filter(|r| &r[c] == level.as_str()).count();
                        match within {
                            Some(tolerance) => {
                                let exact = 100.0 * k as f64 / n as f64;
                                assert!(
                                    (exact - f64::from(*percent)).abs() <= *tolerance,
                                    "{id}: {column}"
                                );
                            }
                            None => assert_eq!(whole_percent(k, n), *percent, "{id}: {column}"),
                        }
                    }
                    Check::NumericBelow { column, value } => {
                        let c = col(column);
                        for r in &rows {
                            let x: f64 = r[c].parse().expect("a number");
                            assert!(x < *value, "{id}: {column} {x}");
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn by_id_finds_each_study_and_nothing_else() {
        for study in all() {
            assert_eq!(by_id(&study.info.id), Some(study.clone()));
        }
        assert_eq!(by_id("no-such-study"), None);
    }

    #[test]
    fn denominators_are_typed() {
        let herlev = by_id("herlev-til").expect("herlev-til");
        assert_eq!(herlev.info.denominator, Denominator::Evaluable);
        let lif = by_id("lifileucel-melanoma").expect("lifileucel-melanoma");
        assert_eq!(lif.info.denominator, Denominator::AllTreated);
    }

    #[test]
    fn check_kinds_parse() {
        check(r#"{"kind":"n","value":66}"#, Check::N { value: 66 });
        check(
            r#"{"kind":"response_count","response":"CR","value":2,"percent":3}"#,
            Check::ResponseCount {
                response: BestResponse::Cr,
                value: 2,
                percent: Some(3),
            },
        );
        check(
            r#"{"kind":"response_count","response":"NE","value":1}"#,
            Check::ResponseCount {
                response: BestResponse::Ne,
                value: 1,
                percent: None,
            },
        );
        check(
            r#"{"kind":"orr","k":25,"n":66,"percent":38}"#,
            Check::Orr {
                k: 25,
                n: 66,
                percent: 38,
            },
        );
        check(
            r#"{"kind":"dcr","k":53,"n":66,"percent":80}"#,
            Check::Dcr {
                k: 53,
                n: 66,
                percent: 80,
            },
        );
        check(
            r#"{"kind":"tumor_reduction","k":50,"n":62,"percent":81}"#,
            Check::TumorReduction {
                k: 50,
                n: 62,
                percent: 81,
            },
        );
        check(
            r#"{"kind":"ttr_median","value":2.0,"within":0.25}"#,
            Check::TtrMedian {
                value: 2.0,
                within: 0.25,
            },
        );
        check(
            r#"{"kind":"follow_up_median","endpoint":"os","value":8.8,"decimals":1}"#,
            Check::FollowUpMedian {
                endpoint: Endpoint::Os,
                value: 8.8,
                decimals: 1,
            },
        );
        check(
            r#"{"kind":"km_median","endpoint":"pfs","value":21.8,"decimals":1}"#,
            Check::KmMedian {
                endpoint: Endpoint::Pfs,
                value: 21.8,
                decimals: 1,
            },
        );
        check(
            r#"{"kind":"km_median_not_reached","endpoint":"dor"}"#,
            Check::KmMedianNotReached {
                endpoint: Endpoint::Dor,
            },
        );
        check(
            r#"{"kind":"dor_ongoing","k":17,"n":25,"percent":68}"#,
            Check::DorOngoing {
                k: 17,
                n: 25,
                percent: 68,
            },
        );
        check(
            r#"{"kind":"dor_longest","value":19.8,"decimals":1,"censored":true}"#,
            Check::DorLongest {
                value: 19.8,
                decimals: 1,
                censored: true,
            },
        );
        check(
            r#"{"kind":"categorical_percent","column":"sex","level":"male","percent":60,"within":0.7}"#,
            Check::CategoricalPercent {
                column: "sex".into(),
                level: "male".into(),
                percent: 60,
                within: Some(0.7),
            },
        );
        check(
            r#"{"kind":"numeric_median","column":"age","value":55,"decimals":0}"#,
            Check::NumericMedian {
                column: "age".into(),
                value: 55.0,
                decimals: 0,
            },
        );
        check(
            r#"{"kind":"numeric_below","column":"age","value":70}"#,
            Check::NumericBelow {
                column: "age".into(),
                value: 70.0,
            },
        );
        check(
            r#"{"kind":"association","covariate":"blood_response_induced","level":"yes","test":"fisher","direction":"more_in_responders","alpha":0.05}"#,
            Check::Association {
                covariate: "blood_response_induced".into(),
                level: Some("yes".into()),
                test: AssociationTest::Fisher,
                direction: Direction::MoreInResponders,
                alpha: 0.05,
            },
        );
    }

    #[test]
    fn malformed_checks_are_rejected() {
        for json in [
            r#"{"kind":"median_of_everything","value":1}"#,
            r#"{"kind":"response_count","response":"XR","value":2}"#,
            r#"{"kind":"km_median","endpoint":"efs","value":1.0,"decimals":1}"#,
            r#"{"kind":"n","value":66,"extra":1}"#,
            r#"{"kind":"orr","k":25,"n":66}"#,
            r#"{"value":66}"#,
            r#"{"kind":3,"value":66}"#,
            r#"[]"#,
        ] {
            assert!(parse_check(json).is_err(), "{json}");
        }
    }
}
