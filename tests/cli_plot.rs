//! `cohortscope plot`: the page's charts drawn to SVG for the view the
//! flags describe, from the same view report and view-models as the page.
#![cfg(not(target_arch = "wasm32"))] // native only: runs the CLI

#[path = "support/run.rs"]
mod run;

use cohortscope::charts::style::ChartStyle;
use cohortscope::charts::svg::render;
use cohortscope::data::{import_csv, studies};
use cohortscope::figures;
use cohortscope::report::view::{view_report, Grouping, ViewSpec};
use cohortscope::stats::conventions::Conventions;
use run::cohortscope;

fn svg(args: &[&str]) -> String {
    let mut all = vec!["plot"];
    all.extend_from_slice(args);
    all.extend(["--svg", "-"]);
    let (code, out, err) = cohortscope(&all);
    assert_eq!(code, 0, "cohortscope {all:?}: {err}");
    assert!(out.starts_with("<svg"), "{out}");
    out
}

#[test]
fn the_km_plot_is_the_pages_for_the_same_view() {
    let study = studies::by_id("lifileucel-melanoma").unwrap();
    let cohort = std::rc::Rc::new(import_csv(study.csv.as_bytes().to_vec(), None).unwrap());
    let conventions =
        cohortscope::report::analysis::study_conventions(Conventions::default(), &study.info);
    let report = view_report(
        &cohort,
        &ViewSpec {
            filters: &[],
            grouping: Grouping::Column("sex"),
            endpoint: Some("pfs"),
            conventions,
            study: Some(&study.info),
        },
    );
    let data = figures::km::km_data(
        report.survival.as_ref().unwrap(),
        "months",
        None,
        true,
        None,
    );
    let (expected, layout) = render((900, figures::km::HEIGHT), |area| {
        cohortscope::charts::km::draw(area, &data, &ChartStyle::default())
    });
    assert!(layout.is_ok());
    let cli = svg(&[
        "km",
        "--study",
        "lifileucel-melanoma",
        "--group",
        "sex",
        "--plot-endpoint",
        "pfs",
    ]);
    assert_eq!(cli, expected);
    assert!(
        cli.contains("HR male vs female"),
        "the legend names the groups"
    );
}

#[test]
fn every_chart_draws_and_a_file_is_written() {
    for args in [
        &["waterfall", "--study", "herlev-til"][..],
        &[
            "waterfall",
            "--study",
            "lifileucel-melanoma",
            "--group",
            "sex",
            "--colour-by-group",
        ],
        &["swimmer", "--study", "ln145-cervical", "--responders-only"],
        &["forest", "--study", "lifileucel-melanoma", "--group", "sex"],
        &[
            "km",
            "--study",
            "herlev-til",
            "--no-ci-bands",
            "--landmark",
            "12",
            "--width",
            "640",
        ],
    ] {
        let out = svg(args);
        assert!(out.len() > 1000, "{args:?}: {out}");
    }
    let path = std::env::temp_dir().join(format!("cohortscope-plot-{}.svg", std::process::id()));
    let (code, out, err) = cohortscope(&[
        "plot",
        "swimmer",
        "--study",
        "herlev-til",
        "--svg",
        path.to_str().unwrap(),
    ]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let written = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(written.starts_with("<svg") && written.contains("width=\"900\""));
}

#[test]
fn a_chart_that_cannot_be_drawn_says_why() {
    for (args, message) in [
        (
            &["forest", "--study", "herlev-til"][..],
            "cohortscope: no forest plot: it compares two groups (--group a column with at least two groups) on a time-to-event endpoint",
        ),
        (
            &["km", "--study", "herlev-til", "--plot-endpoint", "efs"],
            "cohortscope: --plot-endpoint \"efs\": the cohort's endpoints are os, pfs, dor",
        ),
        (
            &["km", "--study", "herlev-til", "--width", "5"],
            "cohortscope: --width 5 is outside 100..20000 pixels",
        ),
        (
            &["km", "--study", "herlev-til", "--group", "age"],
            "cohortscope: age holds numbers, not groups; group by one of blood_response_induced",
        ),
    ] {
        let mut all = vec!["plot"];
        all.extend_from_slice(args);
        all.extend(["--svg", "-"]);
        let (code, out, err) = cohortscope(&all);
        assert_eq!((code, out.as_str()), (1, ""), "{all:?}");
        assert_eq!(err.lines().last(), Some(message), "{all:?}: {err}");
    }
}
