//! Share links through the public API: round trips of arbitrary states
//! (proptest), hostile input, and the size of a realistic embedded cohort.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI or a browser

use std::collections::BTreeMap;

use cohortscope::share::{
    decode, decode_view_file, encode, encode_view_file, AdamView, CiBands, Condition,
    ConventionsChoice, EmbeddedData, EncodeError, Filter, MappedColumn, Qualifier, Source,
    TablesChoice, TimeRange, ViewState, MAX_LINK_DATA_BYTES,
};
use cohortscope::stats::conventions::{
    BinomialCi, CiTransform, Denominator, DifferenceCi, MedianRule, Preset, Ties,
};
use proptest::prelude::*;

/// A non-empty name: plain, printable ASCII with every separator, or any
/// Unicode text.
fn name() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z0-9_-]{1,8}", "[ -~]{1,8}", "\\PC{1,6}"]
}

/// An endpoint or tab key.
fn key() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9_-]{0,8}"
}

/// A filter value, possibly empty.
fn value() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z0-9]{0,4}", "[ -~]{0,6}", "\\PC{0,4}"]
}

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-4000i32..4000).prop_map(|quarters| f64::from(quarters) / 4.0),
        any::<f64>().prop_filter("finite", |x| x.is_finite()),
    ]
}

fn named<T: std::str::FromStr + std::fmt::Debug>(
    names: &'static [&'static str],
) -> impl Strategy<Value = Option<T>>
where
    T::Err: std::fmt::Debug,
{
    proptest::option::of(prop::sample::select(names).prop_map(|name| name.parse().unwrap()))
}

fn conventions() -> impl Strategy<Value = ConventionsChoice> {
    (
        named::<Preset>(Preset::NAMES),
        named::<CiTransform>(CiTransform::NAMES),
        proptest::option::of((1u32..1000).prop_map(|k| f64::from(k) / 1000.0)),
        named::<MedianRule>(MedianRule::NAMES),
        named::<Ties>(Ties::NAMES),
        named::<Denominator>(Denominator::NAMES),
        named::<BinomialCi>(BinomialCi::NAMES),
    )
        .prop_map(
            |(preset, ci_transform, conf_level, median_rule, ties, denominator, binomial_ci)| {
                ConventionsChoice {
                    preset,
                    ci_transform,
                    conf_level,
                    median_rule,
                    ties,
                    denominator,
                    binomial_ci,
                }
            },
        )
}

fn tables() -> impl Strategy<Value = TablesChoice> {
    (
        proptest::option::of(name()),
        proptest::collection::btree_set(name(), 0..3),
        proptest::collection::vec((1u32..600).prop_map(|k| f64::from(k) / 10.0), 0..4),
        named::<DifferenceCi>(DifferenceCi::NAMES),
    )
        .prop_map(|(reference, strata, timepoints, diff_ci)| TablesChoice {
            reference,
            strata: strata.into_iter().collect(),
            timepoints,
            diff_ci,
        })
}

fn source() -> impl Strategy<Value = Option<Source>> {
    proptest::option::of(prop_oneof![
        name().prop_map(Source::Study),
        proptest::collection::btree_set(name(), 1..4)
            .prop_map(|names| Source::LocalFiles(names.into_iter().collect())),
        (name(), "\\PC{0,300}")
            .prop_map(|(name, csv)| Source::Embedded(EmbeddedData { name, csv })),
    ])
}

fn filter() -> impl Strategy<Value = Filter> {
    let condition = prop_oneof![
        proptest::collection::vec(value(), 0..4).prop_map(Condition::OneOf),
        (
            proptest::option::of(finite()),
            proptest::option::of(finite())
        )
            .prop_map(|(a, b)| {
                match (a, b) {
                    (Some(a), Some(b)) => Condition::Range {
                        min: Some(a.min(b)),
                        max: Some(a.max(b)),
                    },
                    (min, max) => Condition::Range { min, max },
                }
            }),
    ];
    (name(), condition).prop_map(|(column, condition)| Filter { column, condition })
}

fn zoom() -> impl Strategy<Value = TimeRange> {
    (finite(), finite())
        .prop_filter("distinct ends", |(a, b)| a != b)
        .prop_map(|(a, b)| TimeRange {
            start: a.min(b),
            end: a.max(b),
        })
}

fn mapped_column() -> impl Strategy<Value = MappedColumn> {
    (
        name(),
        proptest::option::of(proptest::sample::select(Qualifier::ALL.to_vec())),
    )
        .prop_map(|(column, qualifier)| MappedColumn { column, qualifier })
}

fn adam_view() -> impl Strategy<Value = AdamView> {
    (
        proptest::option::of(name()),
        proptest::option::of(name()),
        proptest::option::of(name()),
        proptest::collection::btree_set(name(), 0..3),
    )
        .prop_map(|(population, response, arm, endpoints)| AdamView {
            population,
            response,
            arm,
            endpoints: endpoints.into_iter().collect(),
        })
}

fn view_state() -> impl Strategy<Value = ViewState> {
    (
        (source(), adam_view()),
        proptest::collection::btree_map(name(), mapped_column(), 0..4),
        proptest::option::of(name()),
        proptest::collection::vec(filter(), 0..4),
        proptest::option::of(key()),
        proptest::collection::vec(name(), 0..5),
        conventions(),
        proptest::option::of(zoom()),
        any::<bool>(),
        proptest::option::of(finite().prop_map(f64::abs)),
        (proptest::option::of(key()), tables()),
    )
        .prop_map(
            |(
                (source, adam),
                column_map,
                group,
                filters,
                endpoint,
                selected,
                conventions,
                zoom,
                bands,
                landmark,
                (tab, tables),
            )| {
                ViewState {
                    source,
                    column_map,
                    adam,
                    group,
                    filters,
                    endpoint,
                    selected,
                    conventions,
                    zoom,
                    ci_bands: if bands { CiBands::On } else { CiBands::Off },
                    landmark,
                    tab,
                    tables,
                }
            },
        )
}

/// Link-like text: known and unknown keys with values full of separators,
/// escapes and numbers.
fn link_like() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "v", "study", "file", "ep", "group", "tab", "preset", "ci", "level", "median", "ties",
            "denom", "binci", "bands", "zoom", "landmark", "ref", "strata", "tp", "diffci", "map",
            "filter", "sel", "name", "rows", "crc", "data",
        ])
        .prop_map(str::to_string),
        "[a-z]{1,4}",
    ];
    let value = prop_oneof!["[0-9.:,%a-fA-F-]{0,12}", "[ -~]{0,12}", "\\PC{0,6}"];
    proptest::collection::vec((key, value), 0..12).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn links_round_trip(state in view_state()) {
        prop_assert_eq!(state.validate(), Ok(()));
        let link = encode(&state).unwrap();
        let decoded = decode(&link).unwrap();
        prop_assert_eq!(&decoded.state, &state);
        prop_assert_eq!(decoded.issues, vec![]);
        prop_assert_eq!(encode(&decoded.state).unwrap(), link);
    }

    #[test]
    fn view_files_round_trip(state in view_state()) {
        let file = encode_view_file(&state).unwrap();
        let decoded = decode_view_file(&file).unwrap();
        prop_assert_eq!(&decoded.state, &state);
        prop_assert_eq!(decoded.issues, vec![]);
        prop_assert_eq!(encode_view_file(&decoded.state).unwrap(), file);
    }

    #[test]
    fn any_text_reads_to_a_valid_state_or_an_error(text in prop_oneof![link_like(), "\\PC{0,64}"]) {
        if let Ok(decoded) = decode(&text) {
            prop_assert_eq!(decoded.state.validate(), Ok(()));
            let again = decode(&encode(&decoded.state).unwrap()).unwrap();
            prop_assert_eq!(again.state, decoded.state);
        }
        if let Ok(decoded) = decode_view_file(&text) {
            prop_assert_eq!(decoded.state.validate(), Ok(()));
        }
    }
}

/// A deterministic pseudo-random stream (Knuth's MMIX LCG), so the cohort
/// below is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A time in months with one decimal, up to `max`.
    fn months(&mut self, max: u64) -> String {
        let tenths = self.below(max * 10);
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// A realistic cohort: 100 patients, 15 columns (identifiers, baseline
/// characteristics, best response, tumour change, OS/PFS/DOR with events).
fn realistic_cohort() -> String {
    let mut rng = Lcg(2026);
    let mut csv = String::from(
        "patient_id,arm,sex,age,ecog,stage,prior_lines,brain_mets,best_response,\
         best_pct_change,os_months,os_event,pfs_months,pfs_event,dor_months\n",
    );
    for i in 1..=100 {
        let response = ["CR", "PR", "SD", "PD", "NE"][rng.below(5) as usize];
        let change = match response {
            "CR" => "-100.0".to_string(),
            "NE" => String::new(),
            _ => format!("{:.1}", rng.below(1600) as f64 / 10.0 - 90.0),
        };
        let dor = if matches!(response, "CR" | "PR") {
            rng.months(40)
        } else {
            String::new()
        };
        csv.push_str(&format!(
            "MEL-{:03},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            i,
            ["lifileucel", "control"][rng.below(2) as usize],
            ["F", "M"][rng.below(2) as usize],
            25 + rng.below(60),
            rng.below(2),
            ["IIIC", "IV M1a", "IV M1b", "IV M1c"][rng.below(4) as usize],
            1 + rng.below(6),
            ["no", "yes"][rng.below(2) as usize],
            response,
            change,
            rng.months(60),
            rng.below(2),
            rng.months(40),
            rng.below(2),
            dor,
        ));
    }
    csv
}

#[test]
fn a_realistic_100_patient_cohort_fits_in_a_link() {
    let csv = realistic_cohort();
    let state = ViewState {
        source: Some(Source::Embedded(EmbeddedData {
            name: "melanoma.csv".into(),
            csv: csv.clone(),
        })),
        endpoint: Some("os".into()),
        group: Some("arm".into()),
        column_map: BTreeMap::from([
            ("time".into(), MappedColumn::plain("os_months")),
            ("event".into(), MappedColumn::plain("os_event")),
        ]),
        ..ViewState::default()
    };
    let link = encode(&state).unwrap();
    let data = link.split("&data=").nth(1).unwrap();
    // Recorded so that growth of the encoding is noticed: raw CSV size,
    // compressed link data, whole link.
    println!(
        "CSV {} bytes, data {} characters, link {} characters",
        csv.len(),
        data.len(),
        link.len()
    );
    assert!(
        data.len() <= MAX_LINK_DATA_BYTES / 4,
        "{} characters",
        data.len()
    );
    let decoded = decode(&link).unwrap();
    assert_eq!(decoded.state, state);
    assert_eq!(
        decoded.embedded_banner().as_deref(),
        Some("this view includes data embedded in the link (100 rows)")
    );
}

#[test]
fn data_too_large_for_a_link_goes_in_a_view_file() {
    // Incompressible text: each byte of the stream, as two hex digits.
    let mut rng = Lcg(7);
    let mut csv = String::from("id,noise\n");
    while csv.len() < 200_000 {
        csv.push_str(&format!(
            "{},{:016x}{:016x}\n",
            csv.len(),
            rng.next(),
            rng.next()
        ));
    }
    let state = ViewState {
        source: Some(Source::Embedded(EmbeddedData {
            name: "big.csv".into(),
            csv,
        })),
        ..ViewState::default()
    };
    match encode(&state) {
        Err(error @ EncodeError::DataTooLarge { bytes }) => {
            assert!(bytes > MAX_LINK_DATA_BYTES);
            assert!(
                error.to_string().ends_with("save a view file instead"),
                "{error}"
            );
        }
        other => panic!("expected DataTooLarge, got {other:?}"),
    }
    let file = encode_view_file(&state).unwrap();
    assert_eq!(decode_view_file(&file).unwrap().state, state);
}
