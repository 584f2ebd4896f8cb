//! End to end: the release site in dist/ served on 127.0.0.1 under a sub-path,
//! driven in headless Chromium through ChromeDriver. Run by `make test-e2e`
//! (which builds dist/ first and sets COHORTSCOPE_DIST); ignored by a plain
//! `cargo test`, which has no browser. Screenshots go to target/e2e/.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI or a browser

mod support;

use std::path::PathBuf;

use fantoccini::Locator;
use support::browser::{
    browser, choose, dist, element_screenshot, pick, screenshot, text_of, wait_text, SUB_PATH,
};
use support::static_server::StaticServer;

#[tokio::test]
#[ignore = "needs the built site and Chromium: run `make test-e2e`"]
async fn a_picked_csv_is_analysed_and_its_link_reopens_the_same_view_fetching_nothing_else() {
    let server = StaticServer::start(&dist(), SUB_PATH);
    let (_driver, client) = browser().await;

    client.goto(&server.url).await.unwrap();
    assert_eq!(text_of(&client, "h1").await, "cohortscope");
    assert!(text_of(&client, ".banner").await.contains("never uploaded"));
    // The first built-in study: 2 CR + 23 PR of 66.
    wait_text(&client, "#orr", "25/66 (37.9%)").await;
    wait_text(
        &client,
        "#synthetic-label",
        "Synthetic, reconstructed from published summary figures",
    )
    .await;
    screenshot(&client, "01-study.png").await;
    element_screenshot(&client, ".report-section", "02-report.png").await;

    let csv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/cohort.csv");
    let input = client
        .find(Locator::Css(".drop-zone input[type=file]"))
        .await
        .unwrap();
    input.send_keys(csv.to_str().unwrap()).await.unwrap();
    wait_text(&client, "#orr", "4/8 (50.0%)").await;
    choose(&client, "#group", "arm").await;
    wait_text(&client, "table.report thead", "A (n = 4)").await;
    wait_text(&client, "#km-tests", "Log-rank p").await;
    screenshot(&client, "03-own-csv.png").await;

    // Copy link: the fragment carries the view and the data.
    client
        .find(Locator::Css("#copy-link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let url = client.current_url().await.unwrap().to_string();
    assert!(
        url.contains("#v=1&") && url.contains("group=arm") && url.contains("data="),
        "{url}"
    );

    // Every resource the page loaded came from the site itself.
    let loaded = client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name)",
            vec![],
        )
        .await
        .unwrap();
    for resource in loaded.as_array().unwrap() {
        assert!(
            resource.as_str().unwrap().starts_with(&server.url),
            "the page fetched {resource}"
        );
    }
    client.close().await.unwrap();

    // A reviewer opens the link in a new session and sees the same view.
    let (_driver2, reviewer) = browser().await;
    reviewer.goto(&url).await.unwrap();
    wait_text(
        &reviewer,
        "#embedded-banner",
        "this view includes data embedded in the link (8 rows)",
    )
    .await;
    wait_text(&reviewer, "#orr", "4/8 (50.0%)").await;
    wait_text(&reviewer, "table.report thead", "B (n = 4)").await;
    let group = reviewer
        .execute("return document.querySelector('#group').value", vec![])
        .await
        .unwrap();
    assert_eq!(group.as_str(), Some("arm"));
    screenshot(&reviewer, "04-link-reopened.png").await;
    element_screenshot(
        &reviewer,
        "section[aria-labelledby=waterfall-title]",
        "05-waterfall.png",
    )
    .await;
    element_screenshot(
        &reviewer,
        "section[aria-labelledby=km-title]",
        "06-kaplan-meier.png",
    )
    .await;
    element_screenshot(
        &reviewer,
        "section[aria-labelledby=swimmer-title]",
        "07-swimmer.png",
    )
    .await;
    element_screenshot(
        &reviewer,
        "section[aria-labelledby=forest-title]",
        "08-forest.png",
    )
    .await;

    let served = server.log.lock().unwrap().clone();
    assert!(
        served
            .iter()
            .all(|s| s.status == 200 && s.path.starts_with(SUB_PATH)),
        "{served:?}"
    );
    assert!(
        served.iter().any(|s| s.path.ends_with(".wasm")),
        "{served:?}"
    );
    reviewer.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the built site and Chromium: run `make test-e2e`"]
async fn a_link_from_a_newer_version_is_refused_and_the_page_still_works() {
    let server = StaticServer::start(&dist(), SUB_PATH);
    let (_driver, client) = browser().await;
    client
        .goto(&format!("{}#v=9&study=herlev-til", server.url))
        .await
        .unwrap();
    wait_text(&client, "#link-error", "newer version").await;
    wait_text(&client, "#orr", "/66").await;
    client.close().await.unwrap();
}

/// A view file is read and written by the page's worker: a picked one opens
/// its view with the data it carries, a damaged one is refused with why.
#[tokio::test]
#[ignore = "needs the built site and Chromium: run `make test-e2e`"]
async fn a_picked_view_file_opens_its_view_and_a_damaged_one_is_refused() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let csv = "patient_id,best_response,os_months,os_event,arm\n\
               P1,PR,12.5,1,A\nP2,CR,20.1,0,B\nP3,SD,8.2,1,A\nP4,PD,4.1,1,B\n";
    let state = cohortscope::share::ViewState {
        source: Some(cohortscope::share::Source::Embedded(
            cohortscope::share::EmbeddedData {
                name: "mine.csv".into(),
                csv: csv.into(),
            },
        )),
        group: Some("arm".into()),
        ..Default::default()
    };
    let good = dir.join("cohortscope-view.json");
    std::fs::write(&good, cohortscope::share::encode_view_file(&state).unwrap()).unwrap();
    let damaged = dir.join("damaged-view.json");
    std::fs::write(&damaged, r#"{"format": "cohortscope.view/1", "state": "#).unwrap();

    let server = StaticServer::start(&dist(), SUB_PATH);
    let (_driver, client) = browser().await;
    client.goto(&server.url).await.unwrap();
    wait_text(&client, "#orr", "25/66").await;
    pick(&client, &[good]).await;
    wait_text(&client, "#orr", "2/4 (50.0%)").await;
    wait_text(&client, "table.report thead", "B (n = 2)").await;
    pick(&client, &[damaged]).await;
    wait_text(&client, ".notices", "This view file could not be opened").await;
    // The view it replaced stays.
    wait_text(&client, "#orr", "2/4 (50.0%)").await;
    client.close().await.unwrap();
}

fn adam_files(dataset: &str, ext: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/adam")
        .join(dataset);
    ["adsl", "adrs", "adtte"]
        .iter()
        .map(|n| dir.join(format!("{n}.{ext}")))
        .collect()
}

#[tokio::test]
#[ignore = "needs the built site and Chromium: run `make test-e2e`"]
async fn adam_datasets_picked_together_are_analysed_by_arm_and_their_link_reopens_the_view() {
    let server = StaticServer::start(&dist(), SUB_PATH);
    let (_driver, client) = browser().await;
    client.goto(&server.url).await.unwrap();
    wait_text(&client, "#orr", "25/66").await;

    // The CDISC pilot study's ADSL, ADRS and ADTTE as CSV.
    pick(&client, &adam_files("pharmaverseadam", "csv")).await;
    wait_text(
        &client,
        "#adam-headline",
        "ADSL 306 subjects; ADRS 634 rows: BOR, CBOR, OVR; ADTTE 512 rows: OS, PFS, RSD",
    )
    .await;
    wait_text(&client, "#orr", "1/254").await;
    wait_text(
        &client,
        "table.report thead",
        "Xanomeline High Dose (n = 72)",
    )
    .await;
    wait_text(&client, "#km-tests", "Log-rank p").await;
    client
        .find(Locator::Css("section[aria-labelledby=km-title] canvas"))
        .await
        .unwrap();
    screenshot(&client, "09-adam.png").await;
    let url = client.current_url().await.unwrap().to_string();
    assert!(
        url.contains("file=adsl.csv,adrs.csv,adtte.csv") && !url.contains("data="),
        "{url}"
    );

    // A synthetic three-arm study as SAS transport files.
    pick(&client, &adam_files("random_cdisc_data", "xpt")).await;
    wait_text(
        &client,
        "#adam-headline",
        "ADSL 400 subjects; ADRS 3,200 rows: BESRSPI, INVET, OVRINV",
    )
    .await;
    wait_text(&client, "table.report thead", "C: Combination (n = 132)").await;
    wait_text(&client, ".adam-files", "XPT v5").await;
    client.close().await.unwrap();

    // A reviewer opens the first link: the page asks for the files, and
    // once they are picked shows the same view.
    let (_driver2, reviewer) = browser().await;
    reviewer.goto(&url).await.unwrap();
    wait_text(&reviewer, "#open-again", "open those files together").await;
    pick(&reviewer, &adam_files("pharmaverseadam", "csv")).await;
    wait_text(&reviewer, "#orr", "1/254").await;
    wait_text(
        &reviewer,
        "table.report thead",
        "Xanomeline Low Dose (n = 96)",
    )
    .await;
    reviewer.close().await.unwrap();
}

/// The Tables section of a three-arm ADaM study: the reference, strata,
/// interval and time points chosen on the page give `cohortscope tables`'
/// numbers for the same choices, and the link carries them.
#[tokio::test]
#[ignore = "needs the built site and Chromium: run `make test-e2e`"]
async fn the_efficacy_tables_follow_their_choices_and_the_link_carries_them() {
    let server = StaticServer::start(&dist(), SUB_PATH);
    let (_driver, client) = browser().await;
    client.goto(&server.url).await.unwrap();
    wait_text(&client, "#orr", "25/66").await;
    pick(&client, &adam_files("random_cdisc_data", "xpt")).await;
    // Computed when shown.
    client
        .wait()
        .for_element(Locator::Css("#show-tables"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // By default the first arm is the reference.
    wait_text(
        &client,
        "#efficacy-table-0 thead th:nth-child(2)",
        "A: Drug X (N=134)",
    )
    .await;
    wait_text(&client, "#efficacy-table-0", "Responders (CR or PR), n (%)").await;

    choose(&client, "#tables-reference", "B: Placebo").await;
    wait_text(
        &client,
        "#efficacy-table-0 thead th:nth-child(2)",
        "B: Placebo (N=134)",
    )
    .await;
    choose(&client, "#tables-diff-ci", "wald").await;
    client
        .find(Locator::XPath(
            "//fieldset[@id='tables-strata']//label[contains(., 'STRATA1')]/input",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // cohortscope tables adsl.xpt adrs.xpt adtte.xpt --ref "B: Placebo"
    //   --strata STRATA1 --diff-ci wald: 4.5 (0.4, 8.5); MH 4.5 (0.5, 8.5), CMH p 0.0309.
    let response = wait_text(
        &client,
        "#efficacy-table-0",
        "Stratified difference (%, MH)",
    )
    .await;
    assert!(
        response.contains("(0.4, 8.5)") && response.contains("0.0309"),
        "{response}"
    );

    let times = client
        .find(Locator::Css("#tables-timepoints"))
        .await
        .unwrap();
    // Select all (Ctrl+A; NULL releases Ctrl), type over it and leave the box (Tab).
    times
        .send_keys("\u{E009}a\u{E000}3, x\u{E004}")
        .await
        .unwrap();
    wait_text(
        &client,
        "#tables-timepoints-problem",
        "\"x\" is not a number of months",
    )
    .await;
    times
        .send_keys("\u{E009}a\u{E000}3, 9\u{E004}")
        .await
        .unwrap();
    wait_text(&client, "#tables-section", "9 months: at risk").await;
    element_screenshot(&client, "#tables-section", "12-tables.png").await;
    let url = client.current_url().await.unwrap().to_string();
    for part in [
        "ref=B%3A%20Placebo",
        "strata=STRATA1",
        "tp=3,9",
        "diffci=wald",
    ] {
        assert!(url.contains(part), "{part} in {url}");
    }
    client.close().await.unwrap();
}

#[path = "../benches/support/cohort_csv.rs"]
mod cohort_csv;

/// A 100,000-row cohort: the page shows the report of every row with the
/// native numbers, the document stays a page of rows in size, and the page
/// keeps working (another study opens). The timings are printed (the
/// figures are `make bench`'s), not asserted: the machine's speed drifts.
#[tokio::test]
#[ignore = "needs the built site and Chromium: run `make test-e2e`"]
async fn a_100000_row_cohort_gets_the_native_report_in_a_bounded_page() {
    use cohortscope::data::import_csv;
    use cohortscope::report::view::{view_report, Grouping, ViewSpec};
    use cohortscope::stats::conventions::Conventions;

    let rows = 100_000;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cohort-100000.csv");
    let csv = cohort_csv::cohort_csv(rows);
    std::fs::write(&path, &csv).unwrap();
    let cohort = import_csv(csv, None).unwrap();
    let spec = ViewSpec {
        filters: &[],
        grouping: Grouping::None,
        endpoint: None,
        conventions: Conventions::default(),
        study: None,
    };
    let report = view_report(&std::rc::Rc::new(cohort), &spec);
    let orr = report.columns[0]
        .analysis
        .response
        .as_ref()
        .unwrap()
        .orr
        .unwrap();
    let expected = format!(
        "{}/{} ({})",
        orr.k,
        orr.n,
        cohortscope::charts::format::percent(orr.estimate, 1)
    );

    let server = StaticServer::start(&dist(), SUB_PATH);
    let (_driver, client) = browser().await;
    client.goto(&server.url).await.unwrap();
    wait_text(&client, "#orr", "25/66").await;
    let timing = support::page_timing::open_and_group(&client, &path, rows).await;
    println!("100,000 rows in the page: {timing:?}");
    // Reading and analysing run in the page's worker: the tab never freezes.
    assert!(
        timing.longest_import < 100.0 && timing.longest_grouping < 100.0,
        "a main-thread task over 100 ms: {timing:?}"
    );
    let worker = client
        .execute(
            "return performance.getEntriesByType('resource').some(e => new URL(e.name).pathname.endsWith('/worker.js') && e.responseStatus === 200)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        worker,
        serde_json::Value::Bool(true),
        "the worker was started"
    );
    choose(&client, "#group", "(none)").await;
    wait_text(&client, "#orr", &expected).await;
    let elements = client
        .execute("return document.getElementsByTagName('*').length", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap();
    assert!(elements < 3_000, "{elements} elements for {rows} patients");
    screenshot(&client, "10-100000-rows.png").await;
    choose(&client, "#study", "herlev-til").await;
    wait_text(&client, "#orr", "/24").await;
    client.close().await.unwrap();
}
