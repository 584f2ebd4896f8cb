//! The hover of a chart whose marks are patients (the waterfall's bars, the
//! swimmer plot's lanes): the pointer and the keys move it the same way, a
//! click or Enter/Space toggles the patient's selection, and the readout
//! shows in a tooltip and in a polite live region for screen readers.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::canvas::{pixel_ratio, place, Pointer, PointerKind};
use super::chart_keys::ChartKey;

/// A chart layout whose marks are patients.
pub trait PatientMarks {
    /// The patients' ids in the order the keys move along them.
    fn ids(&self) -> Vec<&str>;
    /// The patient whose mark is under the drawing pixel `(x, y)`.
    fn id_at(&self, x: f64, y: f64) -> Option<&str>;
    /// The rectangle of mark `i` (left, top, width, height) in drawing pixels.
    fn rect(&self, i: usize) -> Option<[f64; 4]>;
}

/// The patient under the pointer or the keyboard's cursor, and where the
/// readout's tooltip goes (CSS pixels from the canvas's top-left corner).
pub type PatientHover = Option<(String, f64, f64)>;

/// The hover, and the handlers and elements that show it.
pub struct PatientCursor {
    pub hover: UseStateHandle<PatientHover>,
    pub on_pointer: Callback<Pointer>,
    pub on_key: Callback<ChartKey>,
    tooltip: NodeRef,
    cursor: NodeRef,
}

impl PatientCursor {
    /// The readout `text` of the hovered patient: the cursor over its mark
    /// and the tooltip, and the live region `live_id` (empty without one).
    pub fn readout(&self, text: Option<String>, live_id: &'static str) -> Html {
        html! {
            <>
            if let Some(text) = &text {
                <div class="chart-cursor" ref={self.cursor.clone()}></div>
                <div class="tooltip" ref={self.tooltip.clone()} aria-hidden="true">{ text }</div>
            }
            <p class="sr-only" id={live_id} aria-live="polite">{ text.unwrap_or_default() }</p>
            </>
        }
    }
}

/// The hover of the chart drawn into `layout`; `on_toggle` receives the
/// patient a click or Enter/Space selects or deselects.
#[hook]
pub fn use_patient_cursor<L: PatientMarks + 'static>(
    layout: &Rc<RefCell<Option<L>>>,
    on_toggle: &Callback<String>,
) -> PatientCursor {
    let hover = use_state(|| PatientHover::None);
    let (tooltip, cursor) = (use_node_ref(), use_node_ref());
    {
        let (tooltip, cursor, layout) = (tooltip.clone(), cursor.clone(), layout.clone());
        use_effect_with((*hover).clone(), move |hover| {
            let Some((id, x, y)) = hover else { return };
            place(&tooltip, x + 12.0, y + 12.0, None);
            let layout = layout.borrow();
            let rect = layout.as_ref().and_then(|l| {
                let i = l.ids().iter().position(|x| x == id)?;
                l.rect(i)
            });
            if let Some([left, top, width, height]) = rect {
                let ratio = pixel_ratio();
                let size = Some((width / ratio, height / ratio));
                place(&cursor, left / ratio, top / ratio, size);
            }
        });
    }
    let on_pointer = {
        let (layout, hover, on_toggle) = (layout.clone(), hover.clone(), on_toggle.clone());
        Callback::from(move |p: Pointer| {
            let id = layout
                .borrow()
                .as_ref()
                .and_then(|l| l.id_at(p.x, p.y).map(str::to_string));
            match p.kind {
                PointerKind::Leave => hover.set(None),
                PointerKind::Click => {
                    if let Some(id) = id {
                        on_toggle.emit(id);
                    }
                }
                PointerKind::Move => hover.set(id.map(|id| (id, p.css_x, p.css_y))),
                _ => {}
            }
        })
    };
    // The keys do what the pointer does; the tooltip goes to the top-left
    // corner of the mark they reach.
    let on_key = {
        let (layout, hover, on_toggle) = (layout.clone(), hover.clone(), on_toggle.clone());
        Callback::from(move |key: ChartKey| {
            let layout = layout.borrow();
            let Some(l) = layout.as_ref() else { return };
            let ids = l.ids();
            let current = hover
                .as_ref()
                .and_then(|(id, _, _)| ids.iter().position(|x| x == id));
            match (key, current) {
                (ChartKey::Activate, Some(i)) => on_toggle.emit(ids[i].to_string()),
                (ChartKey::Clear, _) => hover.set(None),
                _ => {
                    let reached = key.step(current, ids.len());
                    if let Some((i, [left, top, _, _])) =
                        reached.and_then(|i| Some((i, l.rect(i)?)))
                    {
                        let ratio = pixel_ratio();
                        hover.set(Some((ids[i].to_string(), left / ratio, top / ratio)));
                    }
                }
            }
        })
    };
    PatientCursor {
        hover,
        on_pointer,
        on_key,
        tooltip,
        cursor,
    }
}
