//! The link itself: `v=1&key=value&…` in the URL fragment.

use super::error::{EncodeError, ShareError};
use super::issue::Issues;
use super::read::{from_pairs, Decoded, Origin};
use super::view_state::ViewState;
use super::write::{data_pairs, to_pairs, DataPlace, LinkData};
use super::Source;
use super::{FORMAT_VERSION, MAX_FRAGMENT_BYTES};

/// The fragment for a state, without the leading `#`: `v=1` then the other
/// keys in a fixed order, defaults left out; embedded data last.
///
/// Errors: the state breaks [`ViewState::validate`], or its embedded data
/// needs more than [`super::MAX_LINK_DATA_BYTES`] characters (then offer a
/// view file: [`super::encode_view_file`]).
pub fn encode(state: &ViewState) -> Result<String, EncodeError> {
    let mut link = format!("v={FORMAT_VERSION}");
    for (key, value) in to_pairs(state, DataPlace::InKeys)? {
        link.push('&');
        link.push_str(key);
        link.push('=');
        link.push_str(&value);
    }
    Ok(link)
}

/// The fragment of `state` carrying `data` (packed once by
/// [`LinkData::pack`]) as its embedded data: the same text as [`encode`] of
/// the state with that data as its source, with no compression done here.
pub fn encode_with_data(state: &ViewState, data: &LinkData) -> Result<String, EncodeError> {
    let without = ViewState {
        source: None::<Source>,
        ..state.clone()
    };
    let mut link = encode(&without)?;
    for (key, value) in data_pairs(data) {
        link.push('&');
        link.push_str(key);
        link.push('=');
        link.push_str(&value);
    }
    Ok(link)
}

/// Reads a fragment (with or without its leading `#`).
///
/// A fragment longer than [`MAX_FRAGMENT_BYTES`] is refused before any
/// other work. Empty segments (`&&`) are skipped; a segment without `=` is
/// a key with an empty value. Per-key problems are returned as issues
/// beside the state (see the reading rules in `share/read.rs`); only a newer
/// format version or damaged embedded data refuse the whole link.
pub fn decode(fragment: &str) -> Result<Decoded, ShareError> {
    read_fragment(fragment, false)
}

/// [`decode`], with embedded data checked for their keys but left packed
/// ([`Decoded::packed`]; the state then has no source): the page reads a
/// link so, and its import unpacks the data off the page's thread
/// ([`LinkData::unpack`](super::LinkData::unpack)), where damaged data fail
/// the import.
pub fn decode_deferring_data(fragment: &str) -> Result<Decoded, ShareError> {
    read_fragment(fragment, true)
}

fn read_fragment(fragment: &str, defer: bool) -> Result<Decoded, ShareError> {
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return Err(ShareError::LinkTooLong {
            bytes: fragment.len(),
        });
    }
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let pairs = fragment
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.split_once('=').unwrap_or((segment, "")));
    from_pairs(pairs, Origin::Link { defer }, Issues::default())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::share::{
        AdamView, CiBands, Condition, ConventionsChoice, DataError, EmbeddedData, Filter, Issue,
        MappedColumn, Qualifier, Source, TablesChoice, TimeRange,
    };
    use crate::stats::conventions::{CiTransform, DifferenceCi, Preset, Ties};

    #[test]
    fn data_packed_once_give_the_link_of_the_state_with_that_data() {
        let data = EmbeddedData {
            name: "my cohort.csv".to_string(),
            csv: "id,os_months,os_event\nP1,3.5,1\nP2,7,0\n".to_string(),
        };
        let state = ViewState {
            group: Some("arm".to_string()),
            selected: vec!["P2".to_string()],
            ..ViewState::default()
        };
        let with_source = ViewState {
            source: Some(Source::Embedded(data.clone())),
            ..state.clone()
        };
        let packed = LinkData::pack(&data.name, &data.csv).unwrap();
        assert_eq!(
            encode_with_data(&state, &packed).unwrap(),
            encode(&with_source).unwrap()
        );
        // A source in the state gives way to the data.
        let named = ViewState {
            source: Some(Source::LocalFiles(vec!["other.csv".into()])),
            ..state
        };
        assert_eq!(
            encode_with_data(&named, &packed).unwrap(),
            encode(&with_source).unwrap()
        );
        let big = EmbeddedData {
            name: "big.csv".to_string(),
            csv: (0..40_000)
                .map(|i| format!("P{i},{}.{},{}\n", i * 7919 % 97, i % 10, i % 2))
                .collect(),
        };
        assert!(matches!(
            LinkData::pack(&big.name, &big.csv),
            Err(EncodeError::DataTooLarge { .. })
        ));
    }

    /// Encodes, checks the link text, and checks that it reads back equal
    /// and without issues.
    fn check(state: &ViewState, expected: &str) {
        let link = encode(state).unwrap();
        assert_eq!(link, expected);
        let decoded = decode(&format!("#{link}")).unwrap();
        assert_eq!(&decoded.state, state);
        assert_eq!(decoded.issues, []);
    }

    fn study(id: &str) -> Option<Source> {
        Some(Source::Study(id.to_string()))
    }

    #[test]
    fn plain_views_give_short_links() {
        check(&ViewState::default(), "v=1");
        let state = ViewState {
            source: study("lifileucel-melanoma"),
            endpoint: Some("os".into()),
            group: Some("sex".into()),
            conventions: ConventionsChoice {
                ci_transform: Some(CiTransform::LogLog),
                ..ConventionsChoice::default()
            },
            ..ViewState::default()
        };
        check(
            &state,
            "v=1&study=lifileucel-melanoma&ep=os&group=sex&ci=log-log",
        );
    }

    #[test]
    fn every_field_in_its_place() {
        let state = ViewState {
            source: Some(Source::LocalFiles(vec![
                "my cohort.csv".into(),
                "adrs.xpt".into(),
            ])),
            column_map: BTreeMap::from([
                (
                    "time".to_string(),
                    MappedColumn {
                        column: "OS (days)".into(),
                        qualifier: Some(Qualifier::Days),
                    },
                ),
                ("event".to_string(), MappedColumn::plain("died?")),
            ]),
            adam: AdamView {
                population: Some("SAFFL".into()),
                response: Some("CBOR".into()),
                arm: Some("none".into()),
                endpoints: vec!["OS".into(), "PFS".into()],
            },
            group: Some("arm".into()),
            filters: vec![
                Filter {
                    column: "ecog".into(),
                    condition: Condition::OneOf(vec!["0".into(), "1".into()]),
                },
                Filter {
                    column: "age".into(),
                    condition: Condition::Range {
                        min: Some(18.0),
                        max: None,
                    },
                },
                Filter {
                    column: "stage".into(),
                    condition: Condition::OneOf(vec![]),
                },
                Filter {
                    column: "site".into(),
                    condition: Condition::OneOf(vec![String::new()]),
                },
            ],
            endpoint: Some("pfs".into()),
            selected: vec!["P-01".into(), "P,02".into()],
            conventions: ConventionsChoice {
                preset: Some(Preset::Sas),
                conf_level: Some(0.9),
                ties: Some(Ties::Efron),
                ..ConventionsChoice::default()
            },
            zoom: Some(TimeRange {
                start: 0.0,
                end: 24.5,
            }),
            ci_bands: CiBands::Off,
            landmark: Some(6.0),
            tab: Some("km".into()),
            tables: TablesChoice {
                reference: Some("B: Placebo".into()),
                strata: vec!["STRATA1".into(), "SEX".into()],
                timepoints: vec![3.0, 24.5],
                diff_ci: Some(DifferenceCi::MiettinenNurminen),
            },
        };
        check(
            &state,
            "v=1&file=my%20cohort.csv,adrs.xpt&ep=pfs&group=arm&tab=km&preset=sas&level=0.9&ties=efron\
             &bands=off&zoom=0:24.5&landmark=6&ref=B%3A%20Placebo&strata=STRATA1,SEX&tp=3,24.5\
             &diffci=miettinen-nurminen&map=event:died%3F,time:OS%20%28days%29:days\
             &pop=SAFFL&resp=CBOR&arm=none&params=OS,PFS\
             &filter=ecog:in:0,1&filter=age:range:18:&filter=stage:in&filter=site:in:\
             &sel=P-01,P%2C02",
        );
    }

    #[test]
    fn unusable_table_choices_are_reported_and_left_at_their_defaults() {
        let decoded = decode("v=1&tp=0,5&diffci=nope&strata=a,a&ref=").unwrap();
        assert_eq!(decoded.state.tables, TablesChoice::default());
        let keys: Vec<String> = decoded.issues.iter().map(|i| i.to_string()).collect();
        assert_eq!(keys.len(), 4, "{keys:?}");
        for key in ["tp", "diffci", "strata", "ref"] {
            assert!(keys.iter().any(|k| k.contains(key)), "{key} in {keys:?}");
        }
    }

    #[test]
    fn file_lists_and_mapping_qualifiers_are_checked() {
        let decoded = decode("v=1&file=a.csv,a.csv&map=t:x:hours&params=OS,OS").unwrap();
        assert_eq!(decoded.state.source, None);
        assert!(decoded.state.column_map.is_empty());
        assert!(decoded.state.adam.endpoints.is_empty());
        assert_eq!(
            decoded.messages(),
            [
                "file=a.csv,a.csv ignored: \"a.csv\" is named twice",
                "map=t:x:hours ignored: \"hours\" is not one of days, weeks, months, years, event, censor",
                "params=OS,OS ignored: \"OS\" is named twice",
            ]
        );
    }

    #[test]
    fn newer_versions_are_refused() {
        for link in ["v=2&study=x", "#v=10", "v=002&ep=os", "v=1&v=3"] {
            let error = decode(link).unwrap_err();
            assert!(
                matches!(error, ShareError::NewerVersion { .. }),
                "{link}: {error}"
            );
        }
        assert_eq!(
            decode("v=2").unwrap_err().to_string(),
            "this link was made by a newer version of cohortscope (format v2); this version reads v1"
        );
    }

    #[test]
    fn missing_or_odd_version_is_read_as_v1() {
        let decoded = decode("study=x&ep=os").unwrap();
        assert_eq!(decoded.state.source, study("x"));
        assert_eq!(decoded.issues, [Issue::MissingVersion]);
        let decoded = decode("v=one&ep=os").unwrap();
        assert_eq!(decoded.state.endpoint.as_deref(), Some("os"));
        assert!(decoded.issues[0].is_error());
        assert_eq!(
            decoded.issues[0].to_string(),
            "v=one ignored: is not a format version; read as v1"
        );
        assert_eq!(decode("v=0").unwrap().issues.len(), 1);
        assert_eq!(decode("v=01").unwrap().issues, []);
    }

    #[test]
    fn unknown_keys_are_warnings_listed_once() {
        let decoded = decode("v=1&study=x&theme=dark&theme=light&x&&ep=os").unwrap();
        assert_eq!(decoded.state.source, study("x"));
        assert_eq!(decoded.state.endpoint.as_deref(), Some("os"));
        assert_eq!(
            decoded.messages(),
            ["unknown key \"theme\" ignored", "unknown key \"x\" ignored"]
        );
        assert!(decoded.issues.iter().all(|issue| !issue.is_error()));
    }

    #[test]
    fn bad_values_are_errors_for_their_key_only() {
        let decoded = decode(
            "v=1&study=x&ep=&group=sex&zoom=abc&level=1.5&ci=loglog&landmark=-2&bands=maybe\
             &filter=age:range:70:18&filter=arm:in:A&filter=x:between:1:2&sel=P1,,P2\
             &map=time:t,time:u&tab=km&landmark=3",
        )
        .unwrap();
        let state = &decoded.state;
        assert_eq!(state.source, study("x"));
        assert_eq!(state.group.as_deref(), Some("sex"));
        assert_eq!(state.tab.as_deref(), Some("km"));
        assert_eq!(state.endpoint, None);
        assert_eq!(state.zoom, None);
        assert_eq!(state.conventions, ConventionsChoice::default());
        assert_eq!(state.landmark, None);
        assert_eq!(state.ci_bands, CiBands::On);
        assert_eq!(state.selected, Vec::<String>::new());
        assert!(state.column_map.is_empty());
        assert_eq!(
            state.filters,
            [Filter {
                column: "arm".into(),
                condition: Condition::OneOf(vec!["A".into()])
            }]
        );
        assert_eq!(
            decoded.messages(),
            [
                "ep= ignored: expected a letter, then letters, digits, _ or -",
                "ci=loglog ignored: unknown CI transform \"loglog\": expected one of log-log, log, plain",
                "level=1.5 ignored: confidence level 1.5 is not strictly between 0 and 1",
                "bands=maybe ignored: expected on or off",
                "zoom=abc ignored: expected start:end",
                "landmark= appears 2 times; all are ignored",
                "map=time:t,time:u ignored: role \"time\" is mapped twice",
                "filter=age:range:70:18 ignored: range 70 to 18 is empty (min > max)",
                "filter=x:between:1:2 ignored: expected column:in:values or column:range:min:max",
                "sel=P1,,P2 ignored: is empty",
            ]
        );
        assert!(decoded.issues.iter().all(Issue::is_error));
        assert_eq!(state.validate(), Ok(()));
    }

    #[test]
    fn wrong_number_types_are_refused() {
        let decoded = decode("v=1&zoom=0:24x&landmark=inf&level=NaN&ep=42x&tab=km").unwrap();
        assert_eq!(decoded.state.endpoint, None);
        assert_eq!(decoded.state.zoom, None);
        assert_eq!(decoded.state.tab.as_deref(), Some("km"));
        assert_eq!(
            decoded.messages(),
            [
                "ep=42x ignored: expected a letter, then letters, digits, _ or -",
                "level=NaN ignored: is not a finite number",
                "zoom=0:24x ignored: is not a finite number",
                "landmark=inf ignored: is not a finite number",
            ]
        );
    }

    #[test]
    fn several_sources_open_none() {
        let decoded = decode("v=1&study=x&file=y.csv&ep=os").unwrap();
        assert_eq!(decoded.state.source, None);
        assert_eq!(decoded.state.endpoint.as_deref(), Some("os"));
        assert_eq!(
            decoded.issues,
            [Issue::ConflictingSources {
                keys: vec!["study", "file"]
            }]
        );
        // The data of a conflicting link is not even decoded.
        let decoded = decode("v=1&study=x&data=!!!&crc=0&rows=0").unwrap();
        assert_eq!(decoded.state.source, None);
    }

    #[test]
    fn data_keys_without_data_are_ignored() {
        let decoded = decode("v=1&study=x&rows=3&crc=00000000").unwrap();
        assert_eq!(decoded.state.source, study("x"));
        assert_eq!(
            decoded.messages(),
            [
                "rows= ignored: only used with data=",
                "crc= ignored: only used with data="
            ]
        );
    }

    fn embedded(csv: &str) -> ViewState {
        ViewState {
            source: Some(Source::Embedded(EmbeddedData {
                name: "trial.csv".into(),
                csv: csv.into(),
            })),
            endpoint: Some("os".into()),
            ..ViewState::default()
        }
    }

    const CSV: &str = "id,os_months,os_event\nP01,12.5,1\nP02,30.1,0\nP03,7.2,1\n";

    #[test]
    fn embedded_data_round_trips_with_its_banner() {
        let state = embedded(CSV);
        let link = encode(&state).unwrap();
        assert!(
            link.starts_with("v=1&ep=os&name=trial.csv&rows=3&crc="),
            "{link}"
        );
        let decoded = decode(&link).unwrap();
        assert_eq!(decoded.state, state);
        assert_eq!(
            decoded.embedded_banner().as_deref(),
            Some("this view includes data embedded in the link (3 rows)")
        );
    }

    #[test]
    fn damaged_data_refuses_the_link() {
        let link = encode(&embedded(CSV)).unwrap();
        let check = |link: &str, expected: &dyn Fn(&ShareError) -> bool| {
            let error = decode(link).unwrap_err();
            assert!(expected(&error), "{link}: {error:?}");
            assert!(error.to_string().contains("damaged"), "{error}");
        };
        for cut in 1..12 {
            check(&link[..link.len() - cut], &|error| {
                matches!(error, ShareError::Data(_))
            });
        }
        check(&link.replace("rows=3", "rows=4"), &|error| {
            *error
                == ShareError::Data(DataError::RowCount {
                    expected: 4,
                    found: 3,
                })
        });
        check(&link.replace("&rows=3", ""), &|error| {
            *error == ShareError::Data(DataError::MissingCheck { key: "rows" })
        });
        let crc_at = link.find("crc=").unwrap() + 4;
        let mut edited = link.clone();
        edited.replace_range(crc_at..crc_at + 8, "00000000");
        check(&edited, &|error| {
            matches!(error, ShareError::Data(DataError::Checksum { .. }))
        });
    }

    #[test]
    fn deferred_data_are_the_links_once_unpacked_and_damage_fails_the_unpacking() {
        let state = embedded(CSV);
        let link = encode(&state).unwrap();
        let deferred = decode_deferring_data(&link).unwrap();
        assert_eq!(deferred.state.source, None);
        let packed = deferred.packed.as_ref().unwrap();
        assert_eq!((packed.name.as_str(), packed.rows()), ("trial.csv", 3));
        assert_eq!(
            deferred.embedded_banner(),
            decode(&link).unwrap().embedded_banner()
        );
        assert_eq!(
            Some(Source::Embedded(packed.unpack().unwrap())),
            state.source
        );
        // The view is the same, and the link written with the packed data is the link.
        let whole = decode(&link).unwrap();
        let view = ViewState {
            source: None,
            ..whole.state
        };
        assert_eq!(deferred.state, view);
        assert_eq!(encode_with_data(&view, packed).unwrap(), link);
        // Damage found by unpacking: the error decode gives, later.
        let damaged = link.replace("rows=3", "rows=4");
        let later = decode_deferring_data(&damaged).unwrap().packed.unwrap();
        assert_eq!(later.unpack().unwrap_err(), decode(&damaged).unwrap_err());
        // Damage found by reading the keys refuses the link at once.
        assert_eq!(
            decode_deferring_data(&link.replace("&rows=3", "")).unwrap_err(),
            ShareError::Data(DataError::MissingCheck { key: "rows" })
        );
        // A link without data has nothing packed.
        assert_eq!(decode_deferring_data("v=1&study=x").unwrap().packed, None);
    }

    /// Data written by another deflate implementation reads: zlib 1.2.13
    /// through Python 3.11.7,
    /// `c = zlib.compressobj(9, zlib.DEFLATED, -15); raw = c.compress(csv) + c.flush()`,
    /// `base64.urlsafe_b64encode(raw).rstrip(b"=")`, `"%08x" % zlib.crc32(csv)`.
    #[test]
    fn data_from_zlib_reads() {
        let link = "v=1&ep=os&name=trial.csv&rows=3&crc=184199f1&data=y0zRyS-Oz83PK8koBrFSy1LzSnQ\
                    Si3K5AgwMdQyN9Ex1DHUcgRwjHWMDPUMdAx0nLqUAHQNjJR1zPSOgnFKFklKlEhcA";
        let decoded = decode(link).unwrap();
        let csv =
            "id,os_months,os_event,arm\nP01,12.5,1,A\nP02,30.1,0,B\n\"P,03\",7.2,1,\"x\"\"y\"\n";
        assert_eq!(decoded.state, embedded(csv));
        assert_eq!(decoded.issues, []);
    }

    #[test]
    fn unnamed_data_gets_a_name() {
        let link = encode(&embedded(CSV))
            .unwrap()
            .replace("name=trial.csv&", "");
        let decoded = decode(&link).unwrap();
        assert_eq!(
            decoded.issues,
            [Issue::UnnamedData {
                name: "embedded.csv"
            }]
        );
        assert!(matches!(
            decoded.state.source,
            Some(Source::Embedded(EmbeddedData { ref name, .. })) if name == "embedded.csv"
        ));
    }

    #[test]
    fn oversized_links_are_refused_unread() {
        let huge = "a".repeat(10 * 1024 * 1024);
        let started = std::time::Instant::now();
        assert_eq!(
            decode(&huge),
            Err(ShareError::LinkTooLong { bytes: huge.len() })
        );
        assert!(started.elapsed().as_millis() < 100);
        let limit = "a".repeat(MAX_FRAGMENT_BYTES);
        assert!(decode(&limit).is_ok());
    }

    #[test]
    fn many_problems_are_counted_not_listed() {
        let link: String = (0..1000).map(|i| format!("k{i}=1&")).collect();
        let decoded = decode(&link).unwrap();
        assert_eq!(decoded.issues.len(), crate::share::MAX_ISSUES + 1);
        assert_eq!(
            decoded.issues.last(),
            Some(&Issue::More {
                count: 1001 - crate::share::MAX_ISSUES
            })
        );
    }

    #[test]
    fn invalid_states_are_not_encoded() {
        let state = ViewState {
            zoom: Some(TimeRange {
                start: 3.0,
                end: 1.0,
            }),
            ..ViewState::default()
        };
        assert!(matches!(encode(&state), Err(EncodeError::Invalid(_))));
    }
}
