//! The page's components in a real browser (headless Chromium via
//! wasm-bindgen-test): `make test-wasm`.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use cohortscope::app::Page;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{DataTransfer, DragEvent, DragEventInit, Element, File, FilePropertyBag};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the page in a fresh element and returns that element.
fn mount() -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Page>::with_root(root.clone()).render();
    root
}

/// Waits (up to two seconds) until `ready` holds, letting Yew render.
async fn until(root: &Element, ready: impl Fn(&Element) -> bool) {
    for _ in 0..200 {
        if ready(root) {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out; the page shows: {}", root.text_content().unwrap_or_default());
}

fn text(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(selector).unwrap().and_then(|e| e.text_content())
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

#[wasm_bindgen_test]
async fn opens_with_the_privacy_promise_and_a_drop_zone() {
    let root = mount();
    until(&root, |r| text(r, "h1").is_some()).await;
    assert_eq!(text(&root, "h1").unwrap(), "cohortscope");
    assert!(text(&root, ".banner").unwrap().contains("never uploaded"));
    assert!(root.query_selector(".drop-zone input[type=file]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn a_dropped_csv_shows_its_shape_and_a_histogram() {
    let root = mount();
    until(&root, |r| r.query_selector(".drop-zone").unwrap().is_some()).await;
    drop_file(&root, "cohort.csv", "patient_id,age,arm\nP1,61,A\nP2,55,B\nP3,47,A\n");
    until(&root, |r| text(r, "#shape").is_some()).await;
    assert_eq!(text(&root, "#shape").unwrap(), "3 rows, 3 columns");
    assert_eq!(text(&root, "h2").unwrap(), "cohort.csv");
    let canvas: web_sys::HtmlCanvasElement =
        root.query_selector("canvas.chart").unwrap().unwrap().dyn_into().unwrap();
    assert_eq!(canvas.get_attribute("aria-label").unwrap(), "Histogram of age");
    assert!(canvas.width() > 0 && canvas.height() > 0);
}

#[wasm_bindgen_test]
async fn text_from_a_file_is_shown_as_text_not_html() {
    let root = mount();
    until(&root, |r| r.query_selector(".drop-zone").unwrap().is_some()).await;
    drop_file(&root, "<img src=x onerror=alert(1)>.csv", "id,<b>bold</b>\n1,2\n");
    until(&root, |r| text(r, "#shape").is_some()).await;
    assert!(root.query_selector("img, b").unwrap().is_none(), "file text became markup");
    assert_eq!(text(&root, "h2").unwrap(), "<img src=x onerror=alert(1)>.csv");
}
