//! The page's components in a real browser (headless Chromium via
//! wasm-bindgen-test): `make test-wasm`.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use cohortscope::app::Page;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{DataTransfer, DragEvent, DragEventInit, Element, File, FilePropertyBag};
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

/// A small cohort in the import schema: 4 responders of 8 (two per arm).
const COHORT: &str = "patient_id,best_response,best_pct_change,os_months,os_event,arm
P1,PR,-45,12.5,1,A
P2,CR,-100,20.1,0,B
P3,SD,-10,8.2,1,A
P4,PD,35,4.1,1,B
P5,PR,-60,15.0,0,A
P6,SD,5,9.9,1,B
P7,PD,50,3.0,1,A
P8,PR,-38,18.3,0,B
";

/// Mounts the page (reading the URL fragment `fragment`) in a fresh element.
fn mount(fragment: &str) -> (AppHandle<Page>, Element) {
    let window = gloo::utils::window();
    window
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!(
                "{}#{fragment}",
                window.location().pathname().unwrap()
            )),
        )
        .unwrap();
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<Page>::with_root(root.clone()).render();
    (handle, root)
}

fn unmount((handle, root): (AppHandle<Page>, Element)) {
    handle.destroy();
    root.remove();
}

/// Waits (up to ten seconds) until `ready` holds, letting Yew render.
async fn until(root: &Element, what: &str, ready: impl Fn(&Element) -> bool) {
    for _ in 0..1000 {
        if ready(root) {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "timed out waiting for {what}; the link is {}; the page shows: {}",
        gloo::utils::window().location().hash().unwrap_or_default(),
        root.text_content().unwrap_or_default()
    );
}

fn text(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
}

fn has_text(root: &Element, selector: &str, needle: &str) -> bool {
    text(root, selector).is_some_and(|t| t.contains(needle))
}

fn drop_file(root: &Element, name: &str, content: &str) {
    let parts = js_sys::Array::of1(&content.into());
    let options = FilePropertyBag::new();
    options.set_type("text/csv");
    let file = File::new_with_str_sequence_and_options(&parts, name, &options).unwrap();
    let transfer = DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    let init = DragEventInit::new();
    init.set_bubbles(true);
    init.set_data_transfer(Some(&transfer));
    let event = DragEvent::new_with_event_init_dict("drop", &init).unwrap();
    let zone = root.query_selector(".drop-zone").unwrap().unwrap();
    zone.dispatch_event(event.unchecked_ref()).unwrap();
}

/// Drops several files at once (bytes, so that SAS transport files can be dropped).
fn drop_files(target: &web_sys::EventTarget, files: &[(&str, &[u8])]) {
    let transfer = DataTransfer::new().unwrap();
    for (name, bytes) in files {
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(*bytes));
        let file = File::new_with_u8_array_sequence(&parts, name).unwrap();
        transfer.items().add_with_file(&file).unwrap();
    }
    let init = DragEventInit::new();
    init.set_bubbles(true);
    init.set_data_transfer(Some(&transfer));
    let event = DragEvent::new_with_event_init_dict("drop", &init).unwrap();
    target.dispatch_event(event.unchecked_ref()).unwrap();
}

fn zone(root: &Element) -> web_sys::EventTarget {
    root.query_selector(".drop-zone").unwrap().unwrap().into()
}

fn select_value(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap()
        .value()
}

/// The pharmaverseadam ADaM datasets (CDISC pilot study, admiral templates), whole.
const PHARMAVERSE: [(&str, &[u8]); 3] = [
    (
        "adtte.csv",
        include_bytes!("fixtures/adam/pharmaverseadam/adtte.csv"),
    ),
    (
        "adsl.csv",
        include_bytes!("fixtures/adam/pharmaverseadam/adsl.csv"),
    ),
    (
        "adrs.csv",
        include_bytes!("fixtures/adam/pharmaverseadam/adrs.csv"),
    ),
];

/// random.cdisc.data's ADaM datasets as SAS transport v5 files (pyreadstat).
const RANDOM_XPT: [(&str, &[u8]); 3] = [
    (
        "adsl.xpt",
        include_bytes!("fixtures/adam/random_cdisc_data/adsl.xpt"),
    ),
    (
        "adrs.xpt",
        include_bytes!("fixtures/adam/random_cdisc_data/adrs.xpt"),
    ),
    (
        "adtte.xpt",
        include_bytes!("fixtures/adam/random_cdisc_data/adtte.xpt"),
    ),
];

fn choose(root: &Element, select: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = root
        .query_selector(select)
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

/// Submits the form found by `selector`, as Enter or its submit button would.
fn submit(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into::<web_sys::HtmlFormElement>()
        .unwrap()
        .request_submit()
        .unwrap();
}

#[wasm_bindgen_test]
async fn opens_on_the_first_study_with_its_label_and_the_orr() {
    let page = mount("");
    let root = &page.1;
    until(root, "the header", |r| text(r, "h1").is_some()).await;
    assert_eq!(text(root, "h1").unwrap(), "cohortscope");
    assert!(text(root, ".banner").unwrap().contains("never uploaded"));
    assert!(root
        .query_selector(".drop-zone input[type=file]")
        .unwrap()
        .is_some());
    until(root, "the ORR", |r| has_text(r, "#orr", "/66")).await;
    // 2 CR + 23 PR of 66 treated patients.
    assert!(
        text(root, "#orr").unwrap().contains("25/66 (37.9%)"),
        "{:?}",
        text(root, "#orr")
    );
    assert!(has_text(
        root,
        "#synthetic-label",
        "Synthetic, reconstructed from published summary figures"
    ));
    assert!(has_text(
        root,
        "#published-summary",
        "Published vs reproduced"
    ));
    let canvases = root.query_selector_all("canvas.chart").unwrap().length();
    assert!(canvases >= 3, "{canvases} charts");
    unmount(page);
}

#[wasm_bindgen_test]
async fn a_dropped_csv_is_analysed_and_grouping_splits_every_table() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_file(root, "cohort.csv", COHORT);
    until(root, "the dropped cohort", |r| has_text(r, "#orr", "/8")).await;
    assert!(
        text(root, "#orr").unwrap().contains("4/8 (50.0%)"),
        "{:?}",
        text(root, "#orr")
    );
    assert!(has_text(root, "#import-summary", "8 patients read"));

    choose(root, "#group", "arm");
    until(root, "the grouped report", |r| {
        has_text(r, "table.report thead", "B (n = 4)")
    })
    .await;
    assert!(has_text(root, "table.report thead", "A (n = 4)"));
    assert!(
        has_text(root, "#km-tests", "Log-rank p"),
        "{:?}",
        text(root, "#km-tests")
    );
    assert!(has_text(root, "#km-tests", "HR"));

    // Selecting a patient (the keyboard's way; a click on a bar does the same):
    // typing part of an id lists the matches, Enter picks the only one.
    let field: web_sys::HtmlInputElement = root
        .query_selector("#pick-patient")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    field.set_value("p");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    field
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    until(root, "the matching patients", |r| {
        r.query_selector_all(".patient-match").unwrap().length() == 8
    })
    .await;
    field.set_value("p5");
    submit(root, "form.patient-picker");
    until(root, "the selected patient", |r| {
        has_text(r, "#selected-table", "P5")
    })
    .await;
    assert!(has_text(root, "#selected-table", "PR"));
    until(root, "the selection in the link", |_| {
        gloo::utils::window()
            .location()
            .hash()
            .unwrap()
            .contains("sel=P5")
    })
    .await;
    unmount(page);
}

#[wasm_bindgen_test]
async fn a_file_whose_roles_are_unknown_shows_the_mapping_step() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_file(
        root,
        "odd.csv",
        "subject,resp,surv_time,died\nS1,PR,3.5,1\nS2,PD,2.0,0\n",
    );
    // The failure's form (a loaded table has one too, under "Edit columns").
    until(root, "the mapping step", |r| {
        r.query_selector(".import-failed > form.mapping")
            .unwrap()
            .is_some()
    })
    .await;
    choose(root, "#map-id", "subject");
    choose(root, "#map-response", "resp");
    choose(root, "#map-os_time", "surv_time");
    choose(root, "#map-os_event", "died");
    submit(root, ".import-failed > form.mapping");
    until(root, "the mapped cohort", |r| has_text(r, "#orr", "1/2")).await;
    unmount(page);
}

#[wasm_bindgen_test]
async fn text_from_a_file_is_shown_as_text_not_html() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_file(
        root,
        "<img src=x onerror=alert(1)>.csv",
        "id,<b>bold</b>\n1,2\n",
    );
    until(root, "the failed import", |r| {
        r.query_selector(".import-failed").unwrap().is_some()
    })
    .await;
    assert!(
        root.query_selector("img, b").unwrap().is_none(),
        "file text became markup"
    );
    assert!(has_text(
        root,
        ".import-failed h2",
        "<img src=x onerror=alert(1)>.csv"
    ));
    unmount(page);
}

#[wasm_bindgen_test]
async fn a_link_restores_the_view() {
    let page = mount("v=1&study=ln145-cervical&group=prior_radiation&ci=log");
    let root = &page.1;
    until(root, "the linked study", |r| {
        has_text(r, "#study-title", "cervical") && r.query_selector("#orr").unwrap().is_some()
    })
    .await;
    let group: web_sys::HtmlSelectElement = root
        .query_selector("#group")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let transform: web_sys::HtmlSelectElement = root
        .query_selector("#ci-transform")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(group.value(), "prior_radiation");
    assert_eq!(transform.value(), "log");
    // The link wrote by the page names the same view.
    let fragment = gloo::utils::window().location().hash().unwrap();
    assert!(
        fragment.contains("study=ln145-cervical") && fragment.contains("ci=log"),
        "{fragment}"
    );
    unmount(page);
}

#[wasm_bindgen_test]
async fn a_link_with_embedded_data_shows_the_banner() {
    let state = cohortscope::share::ViewState {
        source: Some(cohortscope::share::Source::Embedded(
            cohortscope::share::EmbeddedData {
                name: "mine.csv".into(),
                csv: COHORT.into(),
            },
        )),
        group: Some("arm".into()),
        ..Default::default()
    };
    let fragment = cohortscope::share::encode(&state).unwrap();
    let page = mount(&fragment);
    let root = &page.1;
    until(root, "the embedded cohort", |r| has_text(r, "#orr", "4/8")).await;
    assert!(has_text(
        root,
        "#embedded-banner",
        "this view includes data embedded in the link (8 rows)"
    ));
    assert!(has_text(root, "table.report thead", "A (n = 4)"));
    unmount(page);
}

#[wasm_bindgen_test]
async fn newer_corrupt_and_hostile_links_are_refused_and_the_page_still_works() {
    // (A crc= that does not read refuses at once: the data cannot be checked.)
    for (fragment, message) in [
        ("v=2&study=herlev-til", "newer version"),
        (
            "v=1&name=x.csv&rows=3&crc=1&data=not-deflate",
            "could not be opened",
        ),
        (
            "v=1&name=x.csv&rows=3&crc=1&data=eJwLSS0uUUjLz1coSk0BACVtBPc",
            "could not be opened",
        ),
        (
            "v=1&name=x.csv&crc=00000001&data=eJwLSS0uUUjLz1coSk0BACVtBPc",
            "rows= key is missing",
        ),
    ] {
        let page = mount(fragment);
        let root = &page.1;
        until(root, "the refusal", |r| has_text(r, "#link-error", message)).await;
        // The page opened the first study instead, and the refused link
        // stays in the address bar to be copied or inspected.
        until(root, "the default study", |r| has_text(r, "#orr", "/66")).await;
        assert_eq!(link_fragment(), format!("#{fragment}"));
        unmount(page);
    }
}

/// Damaged data in a link are found by their import (in the worker): no
/// view of them, the reason where import problems show, the link kept.
#[wasm_bindgen_test]
async fn damaged_data_in_a_link_fail_their_import_and_the_link_stays() {
    let state = cohortscope::share::ViewState {
        source: Some(cohortscope::share::Source::Embedded(
            cohortscope::share::EmbeddedData {
                name: "x.csv".into(),
                csv: COHORT.into(),
            },
        )),
        ..Default::default()
    };
    let good = cohortscope::share::encode(&state).unwrap();
    let crc_at = good.find("crc=").unwrap() + 4;
    let data_at = good.find("data=").unwrap() + 5;
    // Keys that read, data that fail their checks: a row count, a checksum
    // and a deflate stream that are wrong.
    let mut other_crc = good.clone();
    other_crc.replace_range(crc_at..crc_at + 8, "00000001");
    let mut not_deflate = good.clone();
    not_deflate.replace_range(data_at.., "bm90LWRlZmxhdGU");
    for fragment in [good.replace("rows=8", "rows=9"), other_crc, not_deflate] {
        let page = mount(&fragment);
        let root = &page.1;
        until(root, "the failure", |r| {
            has_text(r, ".import-failed", "x.csv could not be analysed")
                && has_text(
                    r,
                    ".import-failed",
                    "the data embedded in the link cannot be used",
                )
                && has_text(r, ".import-failed", "damaged")
        })
        .await;
        assert!(root.query_selector("#embedded-banner").unwrap().is_none());
        assert!(root.query_selector("#orr").unwrap().is_none());
        assert_eq!(link_fragment(), format!("#{fragment}"));
        // The page still works: a study opens.
        choose(root, "#study", "herlev-til");
        until(root, "the study", |r| has_text(r, "#orr", "/24")).await;
        unmount(page);
    }
}

fn set_input(root: &Element, selector: &str, value: &str, event: &str) {
    let input: web_sys::HtmlInputElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict(event, &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn zoom_and_landmark_go_into_the_link_and_come_back() {
    let page = mount("v=1&study=lifileucel-melanoma&ep=pfs");
    let root = &page.1;
    until(root, "the PFS plot", |r| {
        has_text(r, "#km-title", "Progression-free survival")
    })
    .await;
    set_input(root, "#zoom-end", "12", "change");
    until(root, "the zoom in the link", |_| {
        gloo::utils::window()
            .location()
            .hash()
            .unwrap()
            .contains("zoom=0:12")
    })
    .await;
    set_input(root, "input[type=range]", "6", "input");
    until(root, "the landmark table", |r| {
        has_text(r, "#landmark caption", "Landmark at 6.0 months")
    })
    .await;
    until(root, "the landmark in the link", |_| {
        gloo::utils::window()
            .location()
            .hash()
            .unwrap()
            .contains("landmark=6")
    })
    .await;
    let fragment = gloo::utils::window().location().hash().unwrap();
    unmount(page);

    // The same link in a fresh page: the same zoom and landmark.
    let page = mount(fragment.trim_start_matches('#'));
    let root = &page.1;
    until(root, "the restored landmark", |r| {
        has_text(r, "#landmark caption", "Landmark at 6.0 months")
    })
    .await;
    let end: web_sys::HtmlInputElement = root
        .query_selector("#zoom-end")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(end.value(), "12.0");
    unmount(page);
}

#[wasm_bindgen_test]
async fn a_dropped_view_file_opens_its_view() {
    let state = cohortscope::share::ViewState {
        source: Some(cohortscope::share::Source::Embedded(
            cohortscope::share::EmbeddedData {
                name: "mine.csv".into(),
                csv: COHORT.into(),
            },
        )),
        group: Some("arm".into()),
        ..Default::default()
    };
    let view_file = cohortscope::share::encode_view_file(&state).unwrap();
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_file(root, "cohortscope-view.json", &view_file);
    until(root, "the view of the file", |r| {
        has_text(r, "#orr", "4/8") && has_text(r, "table.report thead", "B (n = 4)")
    })
    .await;
    unmount(page);
}

#[wasm_bindgen_test]
async fn a_dropped_file_travels_in_the_link_only_as_utf8_text() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    // Latin-1 (é as one byte): read, but not packed for a link.
    let latin1 = b"patient_id,best_response\nJos\xe9,PR\nB,PD\nC,SD\n";
    drop_files(&zone(root), &[("latin1.csv", latin1)]);
    until(root, "the Latin-1 cohort", |r| has_text(r, "#orr", "1/3")).await;
    let fragment = || gloo::utils::window().location().hash().unwrap();
    until(root, "a link naming the file", |_| {
        fragment().contains("file=latin1.csv")
    })
    .await;
    assert!(!fragment().contains("data="), "{}", fragment());
    // UTF-8 text: packed by the import, then carried in the link.
    let utf8 = "patient_id,best_response\nJosé,PR\nB,PD\n";
    drop_files(&zone(root), &[("utf8.csv", utf8.as_bytes())]);
    until(root, "the UTF-8 cohort", |r| has_text(r, "#orr", "1/2")).await;
    until(root, "a link carrying the data", |_| {
        fragment().contains("name=utf8.csv") && fragment().contains("data=")
    })
    .await;
    assert!(!fragment().contains("file="), "{}", fragment());
    unmount(page);
}

#[wasm_bindgen_test]
async fn data_too_large_for_a_link_name_the_file_and_offer_the_view_file() {
    // 6000 patients with many digits: far more than a link carries.
    let mut csv = String::from("patient_id,best_response,best_pct_change,os_months,os_event\n");
    let mut x: u64 = 12345;
    for i in 0..6000 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let change = (x >> 11) as f64 / (1u64 << 53) as f64 * 150.0 - 100.0;
        let months = (x >> 20) as f64 / (1u64 << 44) as f64 * 40.0;
        let response = ["CR", "PR", "SD", "PD"][(x >> 60) as usize % 4];
        csv.push_str(&format!(
            "Q{i:05},{response},{change:.6},{months:.6},{}\n",
            x >> 63
        ));
    }
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_file(root, "large.csv", &csv);
    until(root, "the large cohort", |r| has_text(r, "#orr", "/6000")).await;
    until(root, "the notice", |r| {
        has_text(r, "#too-large", "download the view file")
    })
    .await;
    let fragment = gloo::utils::window().location().hash().unwrap();
    assert!(
        fragment.contains("file=large.csv") && !fragment.contains("data="),
        "{}",
        &fragment[..fragment.len().min(200)]
    );
    // The view file carries the data; opened, its data are still too large
    // for a link, and the page says that only (no "embedded data" banner).
    let view = cohortscope::share::ViewState {
        source: Some(cohortscope::share::Source::Embedded(
            cohortscope::share::EmbeddedData {
                name: "large.csv".into(),
                csv: csv.clone(),
            },
        )),
        ..Default::default()
    };
    let file = cohortscope::share::encode_view_file(&view).unwrap();
    // (From another study first, so that the report of 6000 is the view file's.)
    choose(root, "#study", "herlev-til");
    until(root, "another study", |r| has_text(r, "#orr", "/24")).await;
    drop_file(root, "view.json", &file);
    until(root, "the notice for the view file's data", |r| {
        has_text(r, "#too-large", "download the view file") && has_text(r, "#orr", "/6000")
    })
    .await;
    assert!(
        root.query_selector("#embedded-banner").unwrap().is_none(),
        "{:?}",
        text(root, "#embedded-banner")
    );
    assert!(root.query_selector("#too-large").unwrap().is_some());
    unmount(page);
}

fn mouse(canvas: &Element, kind: &str, fx: f64, fy: f64) {
    let rect = canvas.get_bounding_client_rect();
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_client_x((rect.left() + rect.width() * fx) as i32);
    init.set_client_y((rect.top() + rect.height() * fy) as i32);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict(kind, &init).unwrap();
    canvas.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn hovering_a_waterfall_bar_names_the_patient_and_a_click_selects_them() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    let canvas = root
        .query_selector("section[aria-labelledby=waterfall-title] canvas")
        .unwrap()
        .unwrap();
    // Let the canvas draw (an effect after the render) before pointing at it.
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    // The right-hand bars are the largest decreases (CR/PR).
    mouse(&canvas, "mousemove", 0.85, 0.7);
    until(root, "the tooltip", |r| has_text(r, ".tooltip", "LIF-")).await;
    let tip = text(root, ".tooltip").unwrap();
    assert!(tip.contains("PR") || tip.contains("CR"), "{tip}");
    assert!(tip.contains('%'), "{tip}");
    mouse(&canvas, "click", 0.85, 0.7);
    let id = tip.split(" · ").next().unwrap().to_string();
    until(root, "the selected patient", |r| {
        has_text(r, "#selected-table", &id)
    })
    .await;
    mouse(&canvas, "mouseleave", 0.0, 0.0);
    until(root, "no tooltip", |r| {
        r.query_selector(".tooltip").unwrap().is_none()
    })
    .await;
    unmount(page);
}

#[wasm_bindgen_test]
async fn the_kaplan_meier_plot_reads_survival_on_hover_and_zooms_by_drag() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    let canvas = root
        .query_selector("section[aria-labelledby=km-title] canvas")
        .unwrap()
        .unwrap();
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    mouse(&canvas, "mousemove", 0.5, 0.3);
    until(root, "the survival tooltip", |r| {
        has_text(r, ".tooltip", "at risk")
    })
    .await;
    let tip = text(root, ".tooltip").unwrap();
    assert!(
        tip.contains("t = ") && tip.contains("All patients: S = "),
        "{tip}"
    );

    mouse(&canvas, "mousedown", 0.3, 0.3);
    mouse(&canvas, "mouseup", 0.6, 0.3);
    until(root, "the zoom in the link", |_| {
        gloo::utils::window()
            .location()
            .hash()
            .unwrap()
            .contains("zoom=")
    })
    .await;
    mouse(&canvas, "dblclick", 0.5, 0.3);
    until(root, "the zoom reset", |_| {
        !gloo::utils::window()
            .location()
            .hash()
            .unwrap()
            .contains("zoom=")
    })
    .await;
    unmount(page);
}

/// Ctrl+V anywhere on the page (outside a text field) opens the clipboard as a
/// table, as when a range is copied from a spreadsheet (tab-separated).
#[wasm_bindgen_test]
async fn a_table_pasted_from_a_spreadsheet_is_analysed() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    let clipboard = DataTransfer::new().unwrap();
    clipboard
        .set_data("text/plain", &COHORT.replace(',', "\t"))
        .unwrap();
    let init = web_sys::ClipboardEventInit::new();
    init.set_bubbles(true);
    init.set_clipboard_data(Some(&clipboard));
    let event = web_sys::ClipboardEvent::new_with_event_init_dict("paste", &init).unwrap();
    gloo::utils::document().dispatch_event(&event).unwrap();
    until(root, "the pasted cohort", |r| has_text(r, "#orr", "/8")).await;
    assert!(
        has_text(root, "#orr", "4/8 (50.0%)"),
        "{:?}",
        text(root, "#orr")
    );
    unmount(page);
}

/// Records every download the page starts: `URL.createObjectURL` keeps the
/// blob and an anchor's `click()` keeps the file name, instead of saving.
fn record_downloads() {
    js_sys::Function::new_no_args(
        "window.__blobs = []; window.__names = [];
         const create = URL.createObjectURL;
         URL.createObjectURL = (blob) => { window.__blobs.push(blob); return create(blob); };
         HTMLAnchorElement.prototype.click = function () { window.__names.push(this.download); };",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .unwrap();
}

/// The downloads so far: (file name, MIME type, text of the file).
async fn downloads() -> Vec<(String, String, String)> {
    let window = gloo::utils::window();
    let get = |key: &str| js_sys::Array::from(&js_sys::Reflect::get(&window, &key.into()).unwrap());
    let (blobs, names) = (get("__blobs"), get("__names"));
    let mut out = Vec::new();
    for (blob, name) in blobs.iter().zip(names.iter()) {
        let blob: web_sys::Blob = blob.dyn_into().unwrap();
        let text = wasm_bindgen_futures::JsFuture::from(blob.text())
            .await
            .unwrap();
        out.push((
            name.as_string().unwrap(),
            blob.type_(),
            text.as_string().unwrap(),
        ));
    }
    out
}

fn click(root: &Element, selector: &str, label: &str) {
    let buttons = root.query_selector_all(selector).unwrap();
    let button = (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .find(|b| b.text_content().unwrap_or_default().starts_with(label))
        .unwrap_or_else(|| panic!("no {selector} button {label:?}"));
    button.click();
}

/// Every export writes the file it names: the chart as SVG and PNG, a table as
/// CSV, the analysis as `cohortscope.analysis/1`, the R snippet.
#[wasm_bindgen_test]
async fn the_exports_write_svg_png_csv_json_and_r() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    record_downloads();
    click(root, "button.export", "SVG");
    click(root, "button.export", "Table as CSV");
    click(root, ".exports-panel button", "Analysis as JSON");
    click(root, ".exports-panel button", "R snippet");
    click(root, "button.export", "PNG");
    for _ in 0..200 {
        if downloads().await.len() == 5 {
            break;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    let files = downloads().await;
    assert_eq!(
        files.len(),
        5,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let find = |ending: &str| {
        files
            .iter()
            .find(|f| f.0.ends_with(ending))
            .unwrap_or_else(|| panic!("no {ending} download"))
    };
    let svg = find(".svg");
    assert!(
        svg.2.starts_with("<svg") && svg.2.contains("</svg>"),
        "{}",
        &svg.2[..80]
    );
    assert!(find(".csv").2.lines().count() > 2);
    assert!(find(".json")
        .2
        .contains("\"format\": \"cohortscope.analysis/1\""));
    let r = find(".R");
    assert!(
        r.2.contains("library(survival)") && r.2.contains("survfit("),
        "{}",
        r.2
    );
    let png = find(".png");
    assert_eq!(png.1, "image/png");
    assert!(png.2.len() > 1000);
    unmount(page);
}

/// The cells of the report table's row whose label starts with `label`, by
/// column header: (header, cell).
fn report_row(root: &Element, label: &str) -> Vec<(String, String)> {
    let cell_texts = |selector: &str| -> Vec<String> {
        let cells = root.query_selector_all(selector).unwrap();
        (0..cells.length())
            .filter_map(|i| cells.item(i)?.text_content())
            .collect()
    };
    let headers = cell_texts("table.report thead th");
    let rows = root.query_selector_all("table.report tbody tr").unwrap();
    let row = (0..rows.length())
        .filter_map(|i| rows.item(i)?.dyn_into::<Element>().ok())
        .find(|r| text(r, "th").is_some_and(|t| t.starts_with(label)))
        .unwrap_or_else(|| {
            let labels: Vec<String> = (0..rows.length())
                .filter_map(|i| rows.item(i)?.dyn_into::<Element>().ok())
                .filter_map(|r| text(&r, "th"))
                .collect();
            panic!("no report row {label:?}; the rows are {labels:?}")
        });
    let cells = row.query_selector_all("td").unwrap();
    let cells = (0..cells.length()).filter_map(|i| cells.item(i)?.text_content());
    headers.into_iter().skip(1).zip(cells).collect()
}

/// The built-in study `id` and its cohort, imported as the page imports it.
fn built_in(id: &str) -> (cohortscope::data::studies::Study, cohortscope::data::Cohort) {
    let study = cohortscope::data::studies::by_id(id).unwrap();
    let cohort = cohortscope::data::import_csv(study.csv.as_bytes().to_vec(), None).unwrap();
    (study, cohort)
}

/// A limit or median as the report prints it: one decimal, "NR" when not reached.
fn one_decimal(x: Option<f64>) -> String {
    x.map_or_else(|| "NR".to_string(), |x| format!("{x:.1}"))
}

/// The report table's numbers are those of `report::analysis::analyze` (the
/// CLI's and the JSON export's) for everyone and for each group's patients,
/// under the conventions the page uses (the study's denominator), milestone
/// rates at every one of `LANDMARK_MONTHS`.
#[wasm_bindgen_test]
async fn the_report_table_shows_the_analysis_of_each_column() {
    use cohortscope::data::Cell;
    use cohortscope::report::analysis::{analyze, study_conventions, Analysis, LANDMARK_MONTHS};
    use cohortscope::stats::conventions::Conventions;

    let page = mount("v=1&study=lifileucel-melanoma&group=sex");
    let root = &page.1;
    until(root, "the grouped report", |r| {
        has_text(r, "table.report thead", "female (n = ")
    })
    .await;
    let (study, cohort) = built_in("lifileucel-melanoma");
    let conventions = study_conventions(Conventions::default(), &study.info);
    let female = cohort.filter("sex", |c| c == Cell::Text("female")).unwrap();
    let columns: [(&str, Analysis); 2] = [
        (
            "All patients",
            analyze(&cohort, &conventions, Some(&study.info)),
        ),
        ("female", analyze(&female, &conventions, None)),
    ];
    let cell = |row: &[(String, String)], column: &str| {
        row.iter()
            .find(|(h, _)| h.starts_with(&format!("{column} (n = ")))
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| panic!("no column {column}: {row:?}"))
    };
    let orr = report_row(root, "Objective response rate");
    let os_median = report_row(root, "Overall survival: median");
    for (column, a) in &columns {
        let r = a.response.as_ref().unwrap().orr.unwrap();
        assert_eq!(
            cell(&orr, column),
            format!(
                "{}/{}, {:.1}% ({:.1}–{:.1})",
                r.k,
                r.n,
                r.estimate * 100.0,
                r.lower * 100.0,
                r.upper * 100.0
            )
        );
        let os = a.endpoints.get("os").unwrap();
        let m = os.median;
        assert_eq!(
            cell(&os_median, column),
            format!(
                "{} ({}–{})",
                one_decimal(m.estimate),
                one_decimal(m.lower),
                one_decimal(m.upper)
            )
        );
        for t in LANDMARK_MONTHS {
            let rate = report_row(root, &format!("Overall survival: {t}-month rate"));
            let l = os.landmarks.iter().find(|l| l.time == t).unwrap();
            let expected = match (l.survival, l.lower, l.upper) {
                (Some(s), Some(lo), Some(hi)) => {
                    format!("{:.1}% ({:.1}–{:.1})", s * 100.0, lo * 100.0, hi * 100.0)
                }
                (Some(s), _, _) => format!("{:.1}%", s * 100.0),
                (None, _, _) => "not estimable".to_string(),
            };
            assert_eq!(cell(&rate, column), expected, "{column}, {t} months");
        }
    }
    unmount(page);
}

/// A key pressed on a focused chart canvas.
fn key(canvas: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_key(key);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    canvas.dispatch_event(&event).unwrap();
}

/// The canvas of the chart section titled by `title`, in the tab order,
/// after it has drawn (an effect after the render).
async fn chart_canvas(root: &Element, title: &str) -> Element {
    let canvas = root
        .query_selector(&format!("section[aria-labelledby={title}] canvas"))
        .unwrap()
        .unwrap();
    assert_eq!(canvas.get_attribute("tabindex").as_deref(), Some("0"));
    let label = canvas.get_attribute("aria-label").unwrap();
    assert!(label.to_lowercase().contains("arrow"), "{label}");
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    canvas
}

/// Waits for the readout `selector` to change from `before`, and returns it.
async fn next_readout(root: &Element, selector: &str, before: &str) -> String {
    until(root, selector, |r| {
        text(r, selector).is_some_and(|t| !t.is_empty() && t != before)
    })
    .await;
    text(root, selector).unwrap()
}

fn link_fragment() -> String {
    gloo::utils::window().location().hash().unwrap()
}

#[wasm_bindgen_test]
async fn the_waterfall_and_the_swimmer_plot_are_read_and_selected_from_the_keyboard() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    let (_, cohort) = built_in("lifileucel-melanoma");
    let changes: Vec<f64> = cohort
        .best_pct_change
        .as_ref()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    let (largest, smallest) = changes
        .iter()
        .fold((f64::MIN, f64::MAX), |(hi, lo), &x| (hi.max(x), lo.min(x)));
    let signed = |x| cohortscope::charts::format::signed_percent(x, 1);

    let canvas = chart_canvas(root, "waterfall-title").await;
    // Bars run from the largest increase to the largest decrease.
    key(&canvas, "Home");
    let first = next_readout(root, "#waterfall-readout", "").await;
    assert!(first.contains(&signed(largest)), "{first}");
    key(&canvas, "ArrowRight");
    let second = next_readout(root, "#waterfall-readout", &first).await;
    assert!(
        second.starts_with("LIF-") && second.contains(" · "),
        "{second}"
    );
    key(&canvas, "End");
    let last = next_readout(root, "#waterfall-readout", &second).await;
    assert!(last.contains(&signed(smallest)), "{last}");
    // Enter selects the patient under the cursor, as a click does.
    let id = last.split(" · ").next().unwrap().to_string();
    key(&canvas, "Enter");
    until(root, "the selected patient", |r| {
        has_text(r, "#selected-table", &id)
    })
    .await;
    until(root, "the selection in the link", |_| {
        link_fragment().contains(&format!("sel={id}"))
    })
    .await;
    assert!(text(root, "#waterfall-readout")
        .unwrap()
        .ends_with(" · selected"));
    key(&canvas, " ");
    until(root, "the deselected patient", |r| {
        r.query_selector("#selected-table").unwrap().is_none()
    })
    .await;
    key(&canvas, "Escape");
    until(root, "no readout", |r| {
        text(r, "#waterfall-readout").is_some_and(|t| t.is_empty())
    })
    .await;
    assert!(root
        .query_selector("section[aria-labelledby=waterfall-title] .tooltip")
        .unwrap()
        .is_none());

    let canvas = chart_canvas(root, "swimmer-title").await;
    key(&canvas, "ArrowDown");
    let lane = next_readout(root, "#swimmer-readout", "").await;
    assert!(
        lane.contains("follow-up") && lane.contains("response"),
        "{lane}"
    );
    let id = lane.split(" · ").next().unwrap().to_string();
    key(&canvas, "Enter");
    until(root, "the patient selected on the swimmer plot", |r| {
        has_text(r, "#selected-table", &id)
    })
    .await;
    until(root, "the selection in the link", |_| {
        link_fragment().contains(&format!("sel={id}"))
    })
    .await;
    unmount(page);
}

#[wasm_bindgen_test]
async fn the_kaplan_meier_cursor_steps_through_the_times_from_the_keyboard() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    let (_, cohort) = built_in("lifileucel-melanoma");
    let os: Vec<f64> = cohort
        .endpoint("os")
        .unwrap()
        .values
        .iter()
        .flatten()
        .map(|t| t.months)
        .collect();
    let (first, last) = os
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &t| (lo.min(t), hi.max(t)));

    let canvas = chart_canvas(root, "km-title").await;
    key(&canvas, "ArrowRight");
    let at_first = next_readout(root, "#km-readout", "").await;
    assert!(
        at_first.starts_with(&format!("t = {first:.1} months: All patients: S = "))
            && at_first.contains("at risk"),
        "{at_first}"
    );
    key(&canvas, "ArrowRight");
    let at_second = next_readout(root, "#km-readout", &at_first).await;
    assert!(at_second.starts_with("t = "), "{at_second}");
    key(&canvas, "End");
    let at_last = next_readout(root, "#km-readout", &at_second).await;
    assert!(
        at_last.starts_with(&format!("t = {last:.1} months")),
        "{at_last}"
    );
    // The same readout as the hover's tooltip.
    let tip = text(root, "section[aria-labelledby=km-title] .tooltip").unwrap();
    assert!(
        tip.contains(&at_last[at_last.find("All patients").unwrap()..]),
        "{tip}"
    );
    key(&canvas, "+");
    until(root, "the zoom in the link", |_| {
        link_fragment().contains("zoom=")
    })
    .await;
    key(&canvas, "0");
    until(root, "the zoom reset", |_| {
        !link_fragment().contains("zoom=")
    })
    .await;
    key(&canvas, "Escape");
    until(root, "no readout", |r| {
        text(r, "#km-readout").is_some_and(|t| t.is_empty())
    })
    .await;
    unmount(page);
}

#[wasm_bindgen_test]
async fn the_adam_trio_dropped_together_shows_its_summary_the_report_by_arm_and_its_choices() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_files(&zone(root), &PHARMAVERSE);
    until(root, "the ADaM summary", |r| {
        has_text(
            r,
            "#adam-headline",
            "ADSL 306 subjects; ADRS 634 rows: BOR, CBOR, OVR; ADTTE 512 rows: OS, PFS, RSD",
        )
    })
    .await;
    until(root, "the report", |r| has_text(r, "#orr", "1/254")).await;
    // SAFFL, so the actual arm groups the report, and the page says why.
    assert_eq!(select_value(root, "#adam-population"), "SAFFL");
    assert_eq!(select_value(root, "#group"), "ACTARM");
    assert!(has_text(
        root,
        ".adam",
        "default: the actual treatment, for the safety population"
    ));
    assert!(has_text(
        root,
        "table.report thead",
        "Xanomeline Low Dose (n = 96)"
    ));
    assert!(has_text(
        root,
        "#adam-excluded",
        "52 of 306 subjects outside the population"
    ));
    // Every subject, and the randomised arm.
    choose(root, "#adam-population", "all");
    until(root, "all subjects", |r| has_text(r, "#orr", "/306")).await;
    // With every subject the default arm is the randomised one; chosen, it is in the link.
    assert_eq!(select_value(root, "#adam-arm"), "ARM");
    choose(root, "#adam-arm", "ARM");
    until(root, "the arm in the link", |_| {
        link_fragment().contains("arm=ARM")
    })
    .await;
    until(root, "by ARM", |r| {
        has_text(r, "table.report thead", "Xanomeline High Dose (n = 84)")
    })
    .await;
    let fragment = link_fragment();
    assert!(
        fragment.contains("file=adtte.csv,adsl.csv,adrs.csv"),
        "{fragment}"
    );
    assert!(
        fragment.contains("pop=all") && fragment.contains("arm=ARM"),
        "{fragment}"
    );
    assert!(
        !fragment.contains("data="),
        "ADaM files are named, never embedded: {fragment}"
    );
    // No grouping of ADaM data is no arm.
    choose(root, "#group", "(none)");
    until(root, "ungrouped", |r| {
        !has_text(r, "table.report thead", "Placebo")
    })
    .await;
    until(root, "no arm in the link", |_| {
        link_fragment().contains("arm=none")
    })
    .await;
    unmount(page);
}

#[wasm_bindgen_test]
async fn adam_xpt_files_give_the_numbers_of_the_native_import() {
    use cohortscope::data::{import_files, ImportOptions, InputFile};
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_files(&zone(root), &RANDOM_XPT);
    until(root, "the ADaM summary", |r| has_text(r, "#adam-headline", "ADSL 400 subjects; ADRS 3,200 rows: BESRSPI, INVET, OVRINV; ADTTE 2,000 rows: CRSD, EFS, OS, PFS, TNE")).await;
    let files = RANDOM_XPT
        .iter()
        .map(|(n, b)| InputFile::new(*n, b.to_vec()))
        .collect();
    let cohort = import_files(files, &ImportOptions::default()).unwrap();
    let known: Vec<_> = cohort
        .best_response
        .as_ref()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    let responders = known.iter().filter(|r| r.is_objective_response()).count();
    until(root, "the report", |r| {
        has_text(r, "#orr", &format!("{responders}/{}", known.len()))
    })
    .await;
    assert_eq!(select_value(root, "#group"), "ARM");
    assert!(has_text(
        root,
        ".adam-files",
        "adtte.xpt (ADTTE, XPT v5): 2000 rows"
    ));
    unmount(page);
}

#[wasm_bindgen_test]
async fn a_link_naming_the_adam_files_reopens_its_view_once_they_are_dropped() {
    let page = mount("v=1&file=adsl.csv,adrs.csv,adtte.csv&group=ARM&pop=all");
    let root = &page.1;
    until(root, "the notice", |r| {
        has_text(
            r,
            "#open-again",
            "\"adsl.csv\", \"adrs.csv\", \"adtte.csv\"",
        )
    })
    .await;
    // Dropped in another order: the same files.
    drop_files(&zone(root), &PHARMAVERSE);
    until(root, "the linked view", |r| has_text(r, "#orr", "/306")).await;
    assert_eq!(select_value(root, "#group"), "ARM");
    assert_eq!(select_value(root, "#adam-population"), "all");
    unmount(page);
}

#[wasm_bindgen_test]
async fn a_value_error_in_a_recognised_file_names_row_and_patient_and_offers_no_remap() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_file(
        root,
        "bad.csv",
        "patient_id,best_response,os_months,os_event\nP1,PR,3,1\nP2,SD,-4,0\n",
    );
    until(root, "the failure", |r| {
        has_text(r, ".import-failed", "time must be zero or positive")
    })
    .await;
    assert!(
        has_text(root, ".import-failed table.messages", "P2"),
        "the patient is named"
    );
    assert!(
        root.query_selector(".import-failed > form.mapping")
            .unwrap()
            .is_none(),
        "no mapping form for a value error"
    );
    assert!(root
        .query_selector(".import-failed details.edit-columns")
        .unwrap()
        .is_some());
    unmount(page);
}

#[wasm_bindgen_test]
async fn a_binary_file_and_a_huge_cell_get_messages_that_help() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_files(
        &zone(root),
        &[("sheet.xlsx", b"PK\x03\x04\x14\x00\x06\x00binary")],
    );
    until(root, "the refusal", |r| {
        has_text(
            r,
            ".import-failed",
            "ZIP archive or an Excel workbook (.xlsx): save the sheet as CSV",
        )
    })
    .await;
    let huge = format!(
        "patient_id,os_months,os_event\nP1,{},1\nP2,3,0\n",
        "9x".repeat(150_000)
    );
    drop_file(root, "huge.csv", &huge);
    until(root, "the cut cell", |r| {
        has_text(r, ".import-failed", "(300000 characters)")
    })
    .await;
    unmount(page);
}

#[wasm_bindgen_test]
async fn several_files_that_are_not_all_adam_are_refused_with_what_each_is() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_files(
        &zone(root),
        &[PHARMAVERSE[1], ("cohort.csv", COHORT.as_bytes())],
    );
    until(root, "the refusal", |r| {
        has_text(
            r,
            ".import-failed",
            "adsl.csv is ADaM ADSL, cohort.csv is not an ADaM dataset",
        )
    })
    .await;
    unmount(page);
}

/// The column mapping is at hand on any loaded table: reading the event
/// column as a censoring indicator re-analyses, and the link keeps it.
#[wasm_bindgen_test]
async fn edit_columns_changes_the_event_coding_and_the_link_keeps_it() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_file(root, "cohort.csv", COHORT);
    until(root, "the dropped cohort", |r| has_text(r, "#orr", "/8")).await;
    // None while the table is not shown (during the import).
    let events = |r: &Element| {
        has_text(r, "table.report tbody", "events/patients").then(|| {
            report_row(r, "Overall survival: events/patients")[0]
                .1
                .clone()
        })
    };
    until(root, "the report table", |r| events(r).is_some()).await;
    assert_eq!(events(root).as_deref(), Some("5/8"));
    assert!(root
        .query_selector("details.edit-columns form.mapping")
        .unwrap()
        .is_some());
    choose(root, "#map-os_event-how", "censor");
    submit(root, "details.edit-columns form.mapping");
    until(root, "the censoring coding", |r| {
        events(r).as_deref() == Some("3/8")
    })
    .await;
    until(root, "the coding in the link", |_| {
        link_fragment().contains("os_event:os_event:censor")
    })
    .await;
    unmount(page);
}

/// A drop on the header is read (the zone wraps the whole page); a drop
/// outside the zone, on the window, is cancelled, so that the browser does
/// not open the file in the tab.
#[wasm_bindgen_test]
async fn a_drop_anywhere_is_read_or_cancelled_never_opened_by_the_browser() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    let header: web_sys::EventTarget = root
        .query_selector("header.top h1")
        .unwrap()
        .unwrap()
        .into();
    drop_files(&header, &[("cohort.csv", COHORT.as_bytes())]);
    until(root, "the dropped cohort", |r| has_text(r, "#orr", "/8")).await;
    let init = DragEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    let outside = DragEvent::new_with_event_init_dict("drop", &init).unwrap();
    gloo::utils::document()
        .body()
        .unwrap()
        .dispatch_event(&outside)
        .unwrap();
    assert!(
        outside.default_prevented(),
        "the browser would open the file"
    );
    let input = root
        .query_selector(".drop-zone input[type=file]")
        .unwrap()
        .unwrap();
    assert!(input.has_attribute("multiple"));
    unmount(page);
}

/// ADaM problems that let the analysis run are listed with file, row,
/// patient, column and value.
#[wasm_bindgen_test]
async fn adam_warnings_are_listed_with_file_row_column_and_value() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_files(
        &zone(root),
        &[
            ("adsl.csv", b"USUBJID,ITTFL,ARM\nS1,Y,A\nS2,Y,B\n"),
            (
                "adtte.csv",
                b"USUBJID,PARAMCD,PARAM,AVAL,AVALU,CNSR\nS1,OS,Overall Survival,100,DAYS,0\nS2,OS,Overall Survival,200,DAYS,3\nS7,OS,Overall Survival,50,DAYS,0\n",
            ),
        ],
    );
    until(root, "the import messages", |r| {
        has_text(
            r,
            ".import-report table.messages",
            "subject not in ADSL: its rows are left out",
        )
    })
    .await;
    let rows = root
        .query_selector_all(".import-report table.messages tbody tr")
        .unwrap();
    let cells: Vec<String> = (0..rows.length())
        .filter_map(|i| rows.item(i)?.text_content())
        .collect();
    assert!(
        cells
            .iter()
            .any(|c| c == "warningadtte.csv4USUBJIDS7subject not in ADSL: its rows are left out"),
        "{cells:#?}"
    );
    assert!(
        cells
            .iter()
            .any(|c| c.starts_with("noteadtte.csv3S2CNSR3CNSR above 1 read as censored")),
        "{cells:#?}"
    );
    unmount(page);
}

/// The filter form applies exactly what it shows: the value select shows
/// the first level until another is picked, and that level is the filter.
#[wasm_bindgen_test]
async fn the_filter_form_applies_the_value_it_shows() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "25/66")).await;
    choose(root, "#filter-column", "best_response");
    until(root, "the response levels", |r| {
        r.query_selector("#filter-value").unwrap().is_some()
    })
    .await;
    let shown = select_value(root, "#filter-value");
    assert_eq!(shown, "CR");
    submit(root, "form.filter-form");
    until(root, "the CR filter", |r| {
        has_text(r, "ul.filters", "best_response is CR")
    })
    .await;
    until(root, "2 CR", |r| has_text(r, "#orr", "2/2")).await;
    choose(root, "#filter-value", "NE");
    assert_eq!(select_value(root, "#filter-value"), "NE");
    submit(root, "form.filter-form");
    until(root, "the NE filter", |r| {
        has_text(r, "ul.filters", "best_response is NE")
    })
    .await;
    unmount(page);
}

/// A number typed and submitted at once (Enter) is the range applied.
#[wasm_bindgen_test]
async fn a_range_typed_and_submitted_at_once_is_the_range_applied() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "25/66")).await;
    choose(root, "#filter-column", "age");
    until(root, "the range inputs", |r| {
        r.query_selector("form.filter-form input[name=min]")
            .unwrap()
            .is_some()
    })
    .await;
    set_input(root, "form.filter-form input[name=min]", "60", "change");
    submit(root, "form.filter-form");
    until(root, "the age filter", |r| {
        has_text(r, "ul.filters", "age ≥ 60")
    })
    .await;
    unmount(page);
}

/// A link grouping by a column the data do not have: Group by shows what is
/// in effect (no grouping) and the page says why.
#[wasm_bindgen_test]
async fn a_link_grouping_by_an_unknown_column_is_reported_and_not_shown_as_applied() {
    let page = mount("v=1&study=lifileucel-melanoma&group=nonexistent");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "25/66")).await;
    assert_eq!(select_value(root, "#group"), "(none)");
    assert!(
        has_text(root, ".controls-panel", "group ignored: there is no column \"nonexistent\" to group by; the grouping columns are sex, liver_or_brain_mets"),
        "{}",
        text(root, ".controls-panel").unwrap_or_default()
    );
    assert!(
        !has_text(root, "table.report thead", "male (n = "),
        "ungrouped: no column per group"
    );
    unmount(page);
}

#[wasm_bindgen_test]
async fn a_large_cohort_shows_bounded_lists_and_charts() {
    // 3,000 patients, 2,000 without a duration of response: exclusions,
    // swimmer lanes and matches are each a bounded page, not one per patient.
    let mut csv = String::from(
        "patient_id,best_response,best_pct_change,os_months,os_event,dor_months,dor_event,ttr_months,arm\n",
    );
    for i in 0..3000 {
        let (code, change) = [("PR", "-45"), ("SD", "-5"), ("PD", "30")][i % 3];
        let dor = if i % 3 == 0 { "0.5,1,0.5" } else { ",," };
        csv += &format!(
            "Q{i:04},{code},{change},{},{},{dor},{}\n",
            1.0 + (i % 97) as f64 / 3.0,
            i % 2,
            ["A", "B"][i % 2]
        );
    }
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/66")).await;
    drop_file(root, "large.csv", &csv);
    until(root, "the large cohort", |r| has_text(r, "#orr", "/3000")).await;
    until(root, "the swimmer note", |r| {
        has_text(r, "#swimmer-lanes", "200 lanes of 1000")
    })
    .await;
    let swimmer = root
        .query_selector("section[aria-labelledby=swimmer-title] canvas")
        .unwrap()
        .unwrap();
    let height = swimmer.get_bounding_client_rect().height();
    assert!(height <= 90.0 + 16.0 * 201.0, "swimmer {height} px high");
    let rows = root
        .query_selector_all("details.exclusions table tbody tr")
        .unwrap()
        .length();
    assert_eq!(rows, 100, "one page of exclusions");
    assert!(has_text(root, "#exclusions-pages", "rows 1–100 of 2,"));
    let nodes = root.query_selector_all("*").unwrap().length();
    assert!(nodes < 3000, "{nodes} elements for 3,000 patients");
    unmount(page);
}

#[wasm_bindgen_test]
async fn a_view_set_back_to_its_defaults_has_the_default_link() {
    let page = mount("v=1&study=herlev-til");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "/24")).await;
    let hash = || gloo::utils::window().location().hash().unwrap();
    let plain = hash();
    assert!(plain.ends_with("study=herlev-til"), "{plain}");
    // Ties set to Breslow and back, the first endpoint chosen, log-log chosen
    // (the default transform), the study's own denominator chosen.
    choose(root, "#ties", "breslow");
    // Default conventions with Breslow ties are SAS's: one key.
    until(root, "the SAS preset in the link", |_| {
        hash().ends_with("study=herlev-til&preset=sas")
    })
    .await;
    choose(root, "#ties", "efron");
    choose(root, "#endpoint", "os");
    choose(root, "#ci-transform", "log-log");
    choose(root, "#preset", "default");
    until(root, "the default link again", |_| hash() == plain).await;
    // A preset and an override equal to another preset are written as that preset.
    choose(root, "#preset", "r");
    until(root, "the R preset", |_| hash().contains("preset=r")).await;
    choose(root, "#ci-transform", "log-log");
    choose(root, "#median-rule", "first-le-half");
    until(root, "the lifelines preset", |_| {
        hash().contains("preset=lifelines")
    })
    .await;
    assert!(!hash().contains("ci="), "{}", hash());
    unmount(page);
}

/// Whether every control shows what is in effect: Group by the report's
/// columns, Endpoint the Kaplan–Meier plot's endpoint, and the conventions
/// selects (over their preset) the conventions the report states it used.
/// `None` when they agree, else what differs.
fn controls_disagree(root: &Element) -> Option<String> {
    use cohortscope::figures::table::conventions_text;
    use cohortscope::stats::conventions::{
        BinomialCi, CiTransform, Conventions, Denominator, MedianRule, Preset, Ties,
    };
    let value = |id: &str| select_value(root, id);
    let preset: Preset = value("#preset").parse().ok()?;
    let shown = Conventions {
        ci_transform: value("#ci-transform").parse::<CiTransform>().ok()?,
        median_rule: value("#median-rule").parse::<MedianRule>().ok()?,
        ties: value("#ties").parse::<Ties>().ok()?,
        denominator: value("#denominator").parse::<Denominator>().ok()?,
        binomial_ci: value("#binomial-ci").parse::<BinomialCi>().ok()?,
        ..Conventions::preset(preset)
    };
    let stated = text(root, "#conventions-text").unwrap_or_default();
    if stated != conventions_text(&shown) {
        return Some(format!(
            "the selects show {shown:?}, the report states {stated:?}"
        ));
    }
    let head = text(root, "table.report thead").unwrap_or_default();
    let columns = head.matches("(n = ").count();
    match value("#group").as_str() {
        "(none)" if columns != 1 => {
            return Some(format!("Group by (none), the report has {head:?}"))
        }
        "sex" if !(head.contains("female (n = ") && head.contains("male (n = ")) => {
            return Some(format!("Group by sex, the report has {head:?}"))
        }
        _ => {}
    }
    let endpoint = root
        .query_selector("#endpoint option:checked")
        .unwrap()?
        .text_content()?;
    let label = endpoint
        .rsplit_once(" (")
        .map_or(endpoint.as_str(), |(l, _)| l);
    let title = text(root, "#km-title").unwrap_or_default();
    (title != format!("Kaplan–Meier: {label}"))
        .then(|| format!("Endpoint shows {endpoint:?}, the plot is {title:?}"))
}

/// After every action the controls show exactly the view in effect.
#[wasm_bindgen_test]
async fn every_control_shows_the_view_in_effect_after_each_action() {
    let page = mount("");
    let root = &page.1;
    until(root, "the study", |r| has_text(r, "#orr", "25/66")).await;
    // Rendering is asynchronous: the controls get a few seconds to agree.
    let settle = |what: &'static str| async move {
        for _ in 0..300 {
            if controls_disagree(root).is_none() {
                return;
            }
            yew::platform::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(controls_disagree(root), None, "{what}");
    };
    settle("the first view").await;
    let steps: [(&str, &str, &str); 8] = [
        ("#group", "sex", "grouped by sex"),
        ("#endpoint", "pfs", "progression-free survival"),
        ("#preset", "r", "the R preset"),
        ("#ties", "breslow", "Breslow ties over the R preset"),
        ("#preset", "sas", "the SAS preset"),
        ("#ci-transform", "plain", "plain CIs over the SAS preset"),
        (
            "#binomial-ci",
            "jeffreys",
            "Jeffreys response-rate intervals",
        ),
        ("#group", "(none)", "ungrouped again"),
    ];
    for (select, value, what) in steps {
        choose(root, select, value);
        assert_eq!(
            select_value(root, select),
            value,
            "{what}: the select took the value"
        );
        settle(what).await;
    }
    // A filter: the list shows it and the report is of its patients.
    choose(root, "#filter-column", "best_response");
    until(root, "the response levels", |r| {
        r.query_selector("#filter-value").unwrap().is_some()
    })
    .await;
    choose(root, "#filter-value", "PR");
    submit(root, "form.filter-form");
    until(root, "the PR filter", |r| {
        has_text(r, "ul.filters", "best_response is PR")
            && has_text(r, "table.report caption", "23 patients")
    })
    .await;
    settle("filtered to PR").await;
    unmount(page);
}
