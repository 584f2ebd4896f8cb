//! A `<canvas>` that a plotters chart draws on, sharp on HiDPI screens.
//!
//! plotters-canvas draws in the canvas's attribute size and ignores
//! `devicePixelRatio`, so the attribute size is set to the CSS size times the
//! ratio and the chart is told to draw at that scale. It redraws, in a task
//! of its own, when the window is resized or the draw function changes. An
//! interactive chart takes the pointer and, focusable in the tab order, the
//! keys of [`ChartKey`].

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::backend::PageBackend;
use super::chart_keys::ChartKey;

/// Draws a chart on `area` (a canvas here, SVG text for an export);
/// `scale` is the device pixel ratio, by which every size in pixels (fonts,
/// line widths, margins) must be multiplied.
pub type DrawFn = Rc<dyn Fn(&DrawingArea<PageBackend<'_>, Shift>, f64)>;

/// What the pointer did over the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointerKind {
    Move,
    Leave,
    Down,
    Up,
    Click,
    DoubleClick,
}

/// A pointer event in the canvas's drawing pixels (CSS pixels times the
/// pixel ratio: the units of the layouts the charts return) and in CSS
/// pixels from the canvas's top-left corner (for placing a tooltip).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pointer {
    pub kind: PointerKind,
    pub x: f64,
    pub y: f64,
    pub css_x: f64,
    pub css_y: f64,
}

#[derive(Properties, Clone)]
pub struct CanvasProps {
    /// What to draw. A new value redraws.
    pub draw: DrawFn,
    /// Height in CSS pixels; the width follows the container.
    pub height: u32,
    /// A text alternative for screen readers.
    pub label: AttrValue,
    #[prop_or_default]
    pub class: Classes,
    /// Pointer events over the canvas, if the chart is interactive.
    #[prop_or_default]
    pub on_pointer: Option<Callback<Pointer>>,
    /// Chart keys pressed while the canvas has focus; with it the canvas is
    /// in the tab order (its label should name the keys).
    #[prop_or_default]
    pub on_key: Option<Callback<ChartKey>>,
}

impl PartialEq for CanvasProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.draw, &other.draw)
            && self.height == other.height
            && self.label == other.label
            && self.class == other.class
            && self.on_pointer == other.on_pointer
            && self.on_key == other.on_key
    }
}

#[component]
pub fn Canvas(props: &CanvasProps) -> Html {
    let node = use_node_ref();
    let resized = use_state(|| 0u32);

    {
        let resized = resized.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "resize", move |_| {
                resized.set(resized.wrapping_add(1));
            });
            move || drop(listener)
        });
    }

    {
        let node = node.clone();
        let draw = props.draw.clone();
        let height = props.height;
        use_effect_with(
            (Rc::as_ptr(&draw) as *const () as usize, height, *resized),
            move |_| {
                // Each canvas paints in a task of its own, after the page's
                // render: no task holds a render and every chart's drawing.
                let pending = Timeout::new(0, move || {
                    if let Some(canvas) = node.cast::<HtmlCanvasElement>() {
                        paint(&canvas, height, &draw);
                    }
                });
                move || drop(pending)
            },
        );
    }

    let handler = |kind: PointerKind| {
        props.on_pointer.clone().map(|on_pointer| {
            Callback::from(move |e: MouseEvent| {
                let ratio = pixel_ratio();
                let (css_x, css_y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
                on_pointer.emit(Pointer {
                    kind,
                    x: css_x * ratio,
                    y: css_y * ratio,
                    css_x,
                    css_y,
                });
            })
        })
    };
    // A modified key belongs to the browser (Ctrl+0, Ctrl+plus zoom the page).
    let onkeydown = props.on_key.clone().map(|on_key| {
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            if let Some(key) = ChartKey::from_key(&e.key()) {
                e.prevent_default();
                on_key.emit(key);
            }
        })
    });
    // Keys pass through a screen reader to an "application", not to an "img".
    let (role, tabindex) = match props.on_key {
        Some(_) => ("application", Some("0")),
        None => ("img", None),
    };
    html! {
        <canvas ref={node} class={classes!("chart", props.class.clone())} {role} {tabindex}
            aria-label={props.label.clone()} {onkeydown}
            onmousemove={handler(PointerKind::Move)} onmouseleave={handler(PointerKind::Leave)}
            onmousedown={handler(PointerKind::Down)} onmouseup={handler(PointerKind::Up)}
            onclick={handler(PointerKind::Click)} ondblclick={handler(PointerKind::DoubleClick)} />
    }
}

/// Drawing pixels per CSS pixel: the layouts the charts return are in
/// drawing pixels, the page places elements in CSS pixels.
pub fn pixel_ratio() -> f64 {
    gloo::utils::window().device_pixel_ratio().max(1.0)
}

/// Places an absolutely positioned element over a canvas (a tooltip, or with
/// a size a cursor) at CSS pixels from the canvas's top-left corner.
pub fn place(node: &NodeRef, left: f64, top: f64, size: Option<(f64, f64)>) {
    let Some(element) = node.cast::<web_sys::HtmlElement>() else {
        return;
    };
    // CSSOM, not a style attribute: allowed by the page's Content-Security-Policy.
    let style = element.style();
    let _ = style.set_property("left", &format!("{left}px"));
    let _ = style.set_property("top", &format!("{top}px"));
    if let Some((width, height)) = size {
        let _ = style.set_property("width", &format!("{width}px"));
        let _ = style.set_property("height", &format!("{height}px"));
    }
}

/// Sizes the canvas for the screen's pixel ratio and draws on it.
fn paint(canvas: &HtmlCanvasElement, height: u32, draw: &DrawFn) {
    let ratio = pixel_ratio();
    let css_width = canvas
        .parent_element()
        .map(|p| p.client_width())
        .filter(|w| *w > 0)
        .unwrap_or(800) as f64;
    canvas.set_width((css_width * ratio).round() as u32);
    canvas.set_height((height as f64 * ratio).round() as u32);
    // CSSOM, not a style attribute: allowed by the page's Content-Security-Policy.
    if let Some(element) = canvas.dyn_ref::<web_sys::HtmlElement>() {
        let style = element.style();
        let _ = style.set_property("width", &format!("{css_width}px"));
        let _ = style.set_property("height", &format!("{height}px"));
    }
    if let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) {
        let area = PageBackend::Canvas(backend).into_drawing_area();
        draw(&area, ratio);
        let _ = area.present();
    }
}
