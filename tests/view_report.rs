//! The page and the command line give the same numbers for the same view.
//!
//! The page's path, natively: a view state travels through its link
//! (`share::encode` / `share::decode`), its files are the page's
//! ([`view_input::source_files`] for a built-in study, the user's files
//! otherwise) imported with the page's options ([`view_input::import_options`]),
//! and the page's session of the cohort ([`Session`]) gives the view's model
//! (what the page shows) and its JSON export. The command line's: `cohortscope analyze
//! … --json` with the flags that say the same. The two JSON values must be
//! equal in every field, over the three built-in studies and the ADaM
//! files, grouped and not, filtered and not, under several conventions.
#![cfg(not(target_arch = "wasm32"))] // native only: runs the CLI

#[path = "support/run.rs"]
mod run;

use cohortscope::data::studies;
use cohortscope::data::{import_files, InputFile};
use cohortscope::engine::{ExportKind, Session, ViewOptions};
use cohortscope::report::view_input;
use cohortscope::share::{
    self, AdamView, Condition, ConventionsChoice, Filter, Source, TablesChoice, ViewState,
};
use cohortscope::stats::conventions::{CiTransform, DifferenceCi, Preset, Ties};
use run::cohortscope;
use serde_json::Value;

/// The JSON export of the page for `view` (as the CLI writes JSON) (whose link is decoded first),
/// reading `local` for a view of the user's files.
fn page(view: &ViewState, local: &[(&str, Vec<u8>)]) -> String {
    page_export(view, local, ExportKind::AnalysisJson)
}

/// The page's file `kind` for `view`, as [`page`].
fn page_export(view: &ViewState, local: &[(&str, Vec<u8>)], kind: ExportKind) -> String {
    let link = share::encode(view).expect("the view has a link");
    let decoded = share::decode(&link).expect("the link opens");
    assert!(
        decoded.issues.is_empty(),
        "{link}: {:?}",
        decoded.messages()
    );
    let view = decoded.state;
    let source = view.source.as_ref().expect("a source");
    let files = view_input::source_files(source).unwrap_or_else(|| {
        Ok(local
            .iter()
            .map(|(name, bytes)| InputFile::new(*name, bytes.clone()))
            .collect())
    });
    let files = files.expect("the source's files");
    let options = view_input::import_options(&view, &files);
    let cohort = import_files(files, &options).expect("the files import");
    let study = match source {
        Source::Study(id) => studies::by_id(id).map(|s| s.info),
        _ => None,
    };
    let (mut session, _) = Session::new(cohort, study);
    let options = ViewOptions {
        colour_by_group: false,
        swimmer_responders_only: true,
    };
    let model = session.view(&view, options);
    assert!(model.problems.is_empty(), "{link}: {:?}", model.problems);
    session.export(&view, kind).expect("the export").text
}

fn cli(args: &[&str]) -> String {
    cli_command("analyze", args)
}

/// `cohortscope COMMAND ARGS --json`.
fn cli_command(command: &str, args: &[&str]) -> String {
    let mut all = vec![command];
    all.extend_from_slice(args);
    all.push("--json");
    let (code, out, err) = cohortscope(&all);
    assert_eq!(code, 0, "cohortscope {all:?}: {err}");
    out
}

/// The first difference between two JSON values, as a path.
fn difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(p), Some(q)) => difference(p, q, &format!("{path}.{k}")),
                (p, q) => Some(format!("{path}.{k}: page {p:?}, CLI {q:?}")),
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| difference(p, q, &format!("{path}[{i}]"))),
        _ => (a != b).then(|| format!("{path}: page {a}, CLI {b}")),
    }
}

/// The two JSON texts hold the same values in every field (the page's
/// export is indented, the CLI's not); else the first difference is named.
fn assert_same(what: &str, page: &str, cli: &str) {
    let (p, c): (Value, Value) = (json(page), json(cli));
    if let Some(at) = difference(&p, &c, "") {
        panic!("{what}: the page and the CLI differ at {at}");
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// How many numbers a JSON value holds (so that an empty comparison fails).
fn numbers(v: &Value) -> usize {
    match v {
        Value::Number(_) => 1,
        Value::Array(a) => a.iter().map(numbers).sum(),
        Value::Object(o) => o.values().map(numbers).sum(),
        _ => 0,
    }
}

fn study_view(id: &str) -> ViewState {
    ViewState {
        source: Some(Source::Study(id.to_string())),
        ..ViewState::default()
    }
}

#[test]
fn built_in_studies_agree_with_the_cli_grouped_filtered_and_under_presets() {
    for study in studies::all() {
        let id = study.info.id.clone();
        // Ungrouped, with the study's own denominator.
        let plain = page(&study_view(&id), &[]);
        assert!(numbers(&json(&plain)) > 100, "{id}: {plain}");
        assert_same(&id, &plain, &cli(&["--study", &id]));
        // Grouped by each categorical column, SAS conventions and Breslow ties.
        let cohort = cohortscope::data::import_csv(study.csv.as_bytes().to_vec(), None).unwrap();
        let columns: Vec<String> = cohort.grouping_columns().map(|c| c.name.clone()).collect();
        assert!(!columns.is_empty(), "{id} has a grouping column");
        for column in &columns {
            let view = ViewState {
                group: Some(column.clone()),
                conventions: ConventionsChoice {
                    preset: Some(Preset::Sas),
                    ci_transform: Some(CiTransform::Log),
                    conf_level: Some(0.9),
                    ..ConventionsChoice::default()
                },
                ..study_view(&id)
            };
            let page = page(&view, &[]);
            let what = format!("{id} by {column}");
            assert!(
                json(&page)["comparisons"]
                    .as_array()
                    .is_some_and(|c| !c.is_empty()),
                "{what}: no comparison of the groups"
            );
            let cli = cli(&[
                "--study",
                &id,
                "--group",
                column,
                "--preset",
                "sas",
                "--ci-transform",
                "log",
                "--level",
                "0.9",
            ]);
            assert_same(&what, &page, &cli);
        }
        // Filtered to patients of at least the median age, grouped by the first column.
        let view = ViewState {
            group: Some(columns[0].clone()),
            filters: vec![Filter {
                column: "age".into(),
                condition: Condition::Range {
                    min: Some(50.0),
                    max: None,
                },
            }],
            conventions: ConventionsChoice {
                ties: Some(Ties::Breslow),
                ..ConventionsChoice::default()
            },
            ..study_view(&id)
        };
        let what = format!("{id} age ≥ 50 by {}", columns[0]);
        let page = page(&view, &[]);
        assert!(
            json(&page)["n"].as_u64().unwrap() < cohort.len() as u64,
            "{what}"
        );
        let cli = cli(&[
            "--study",
            &id,
            "--group",
            &columns[0],
            "--filter",
            "age=50..",
            "--ties",
            "breslow",
        ]);
        assert_same(&what, &page, &cli);
    }
}

#[test]
fn adam_files_agree_with_the_cli_for_the_arms_and_the_choices() {
    for (dir, population, response, arm) in [
        ("pharmaverseadam", "SAFFL", "CBOR", "ACTARM"),
        ("random_cdisc_data", "ITTFL", "BESRSPI", "ARM"),
    ] {
        let paths: Vec<String> = ["adsl.csv", "adrs.xpt", "adtte.csv"]
            .iter()
            .map(|f| format!("tests/fixtures/adam/{dir}/{f}"))
            .collect();
        let local: Vec<(&str, Vec<u8>)> = paths
            .iter()
            .map(|p| (p.as_str(), std::fs::read(p).unwrap()))
            .collect();
        let view = |adam: AdamView| ViewState {
            source: Some(Source::LocalFiles(paths.clone())),
            adam,
            ..ViewState::default()
        };
        let mut args: Vec<&str> = paths.iter().map(String::as_str).collect();
        // The defaults: the arm variable groups the report.
        let defaults = page(&view(AdamView::default()), &local);
        assert!(
            json(&defaults)["comparisons"]
                .as_array()
                .is_some_and(|c| !c.is_empty()),
            "{dir}: the arms are compared by default"
        );
        assert_same(dir, &defaults, &cli(&args));
        // Chosen population, response parameter and arm variable.
        let chosen = page(
            &view(AdamView {
                population: Some(population.into()),
                response: Some(response.into()),
                arm: Some(arm.into()),
                endpoints: Vec::new(),
            }),
            &local,
        );
        args.extend([
            "--population",
            population,
            "--response-param",
            response,
            "--arm",
            arm,
        ]);
        assert!(numbers(&json(&chosen)) > 100, "{dir}: {chosen}");
        assert_same(
            &format!("{dir} {population} {response} {arm}"),
            &chosen,
            &cli(&args),
        );
    }
}

/// Files, the view's group, the files' bytes, the page's choice and the CLI's flags.
type TablesCase<'a> = (
    Vec<String>,
    Option<&'a str>,
    &'a [(&'a str, Vec<u8>)],
    TablesChoice,
    Vec<&'a str>,
);

#[test]
fn the_tables_of_the_page_are_those_of_cohortscope_tables() {
    let dir = "tests/fixtures/adam/random_cdisc_data";
    let paths: Vec<String> = ["adsl.csv", "adrs.xpt", "adtte.csv"]
        .iter()
        .map(|f| format!("{dir}/{f}"))
        .collect();
    let local: Vec<(&str, Vec<u8>)> = paths
        .iter()
        .map(|p| (p.as_str(), std::fs::read(p).unwrap()))
        .collect();
    let generated = "tests/fixtures/tables/generated_tte.csv";
    let generated_local = [(generated, std::fs::read(generated).unwrap())];
    let cases: [TablesCase; 3] = [
        // The ADaM arm by default, the first arm the reference.
        (paths.clone(), None, &local, TablesChoice::default(), vec![]),
        // Chosen reference, strata, time points and interval; SAS conventions.
        (
            paths.clone(),
            None,
            &local,
            TablesChoice {
                reference: Some("B: Placebo".into()),
                strata: vec!["STRATA1".into(), "SEX".into()],
                timepoints: vec![3.0, 9.5],
                diff_ci: Some(DifferenceCi::MiettinenNurminen),
            },
            vec![
                "--ref",
                "B: Placebo",
                "--strata",
                "STRATA1",
                "--strata",
                "SEX",
                "--timepoints",
                "3,9.5",
                "--diff-ci",
                "miettinen-nurminen",
                "--preset",
                "sas",
            ],
        ),
        // A one-row-per-patient file grouped by its arm column.
        (
            vec![generated.to_string()],
            Some("arm"),
            &generated_local,
            TablesChoice {
                reference: Some("Control".into()),
                strata: vec!["stratum".into()],
                ..TablesChoice::default()
            },
            vec!["--arm", "arm", "--ref", "Control", "--strata", "stratum"],
        ),
    ];
    for (files, group, local, tables, flags) in cases {
        let sas = flags.contains(&"sas");
        let view = ViewState {
            source: Some(Source::LocalFiles(files.clone())),
            group: group.map(str::to_string),
            tables,
            conventions: ConventionsChoice {
                preset: sas.then_some(Preset::Sas),
                ..ConventionsChoice::default()
            },
            ..ViewState::default()
        };
        let page = page_export(&view, local, ExportKind::TablesJson);
        let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
        args.extend(flags);
        let cli = cli_command("tables", &args);
        assert!(numbers(&json(&page)) > 200, "{page}");
        assert_same(&format!("tables {args:?}"), &page, &cli);
    }
}
