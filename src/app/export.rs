//! Downloads made in the page: a chart as SVG (the same drawing function on
//! plotters' SVG backend, through [`PageBackend`]) or as PNG at twice the
//! size (an offscreen canvas),
//! a table as CSV, the analysis as JSON, the R snippet. Every download is a
//! Blob URL: nothing leaves the page.

use std::rc::Rc;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, Url};

use super::backend::PageBackend;
use crate::charts::forest::{self, ForestData};
use crate::charts::km::{self, KmData};
use crate::charts::style::ChartStyle;
use crate::charts::swimmer::{self, SwimmerData};
use crate::charts::waterfall::{self, WaterfallData};

/// Scale of a PNG export (2× the CSS size).
pub const PNG_SCALE: f64 = 2.0;

/// Renders a chart as SVG text of the given CSS size (scale 1), for the SVG
/// export: a view builds it with [`svg_text`] and its chart's draw function.
pub type SvgDrawFn = Rc<dyn Fn(u32, u32) -> String>;
/// Draws a chart on a canvas area at a scale, for the PNG export.
pub type PngDrawFn = Rc<dyn Fn(&DrawingArea<PageBackend<'_>, Shift>, f64)>;

/// Saves `text` as a file named `name` of type `mime`.
pub fn download_text(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    if let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &options) {
        download_blob(name, &blob);
    }
}

fn download_blob(name: &str, blob: &Blob) {
    let Ok(url) = Url::create_object_url_with_blob(blob) else {
        return;
    };
    let document = gloo::utils::document();
    if let Some(anchor) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    // Revoke once the click has been handled.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    let _ = gloo::utils::window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 1_000);
}

/// The chart `draw` draws, as SVG text of `width` × `height` CSS pixels
/// (what `charts::svg::render` writes, on the page's backend).
pub fn svg_text(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<PageBackend<'_>, Shift>),
) -> String {
    let mut text = String::new();
    {
        let svg = SVGBackend::with_string(&mut text, (width, height));
        let area = PageBackend::Svg(svg).into_drawing_area();
        draw(&area);
        // Presenting into a String cannot fail.
        let _ = area.present();
    }
    text
}

/// A chart's data, drawn by its one `charts` function on any backend.
pub trait Chart: 'static {
    fn draw_on<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, style: &ChartStyle);
}

macro_rules! chart {
    ($data:ty, $draw:path) => {
        impl Chart for $data {
            fn draw_on<DB: DrawingBackend>(
                &self,
                area: &DrawingArea<DB, Shift>,
                style: &ChartStyle,
            ) {
                let _ = $draw(area, self, style);
            }
        }
    };
}

chart!(KmData, km::draw);
chart!(WaterfallData, waterfall::draw);
chart!(SwimmerData, swimmer::draw);
chart!(ForestData, forest::draw);

/// The SVG and PNG export functions of a chart: the same drawing function
/// rendered to SVG text, and on a canvas at the PNG's scale.
pub fn chart_exports<C: Chart>(data: Rc<C>) -> (SvgDrawFn, PngDrawFn) {
    let for_svg = data.clone();
    let svg: SvgDrawFn =
        Rc::new(move |w, h| svg_text(w, h, |area| for_svg.draw_on(area, &ChartStyle::default())));
    let png: PngDrawFn =
        Rc::new(move |area, scale| data.draw_on(area, &ChartStyle::default().scaled(scale)));
    (svg, png)
}

/// Saves the chart as an SVG file.
pub fn download_svg(name: &str, width: u32, height: u32, draw: &SvgDrawFn) {
    download_text(name, "image/svg+xml", &draw(width, height));
}

/// Saves the chart as a PNG at [`PNG_SCALE`] times `width` × `height`.
pub fn download_png(name: &str, width: u32, height: u32, draw: &PngDrawFn) {
    let document = gloo::utils::document();
    let Some(canvas) = document
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
    else {
        return;
    };
    canvas.set_width((f64::from(width) * PNG_SCALE).round() as u32);
    canvas.set_height((f64::from(height) * PNG_SCALE).round() as u32);
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let area = PageBackend::Canvas(backend).into_drawing_area();
    draw(&area, PNG_SCALE);
    let _ = area.present();
    let name = name.to_string();
    let done = Closure::once_into_js(move |blob: Option<Blob>| {
        if let Some(blob) = blob {
            download_blob(&name, &blob);
        }
    });
    let _ = canvas.to_blob(done.unchecked_ref());
}

/// A table as CSV (RFC 4180 quoting), header first.
pub fn csv_text(header: &[String], rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row);
    }
    writer
        .into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// A file-name-safe version of `text` ("Overall survival" → "overall-survival").
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}
