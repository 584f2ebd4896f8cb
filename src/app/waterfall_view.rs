//! The waterfall of best % change: hover names the patient, click selects
//! them (highlighted in every chart and the selected-patients table), bars
//! that contradict the recorded response are ringed, and the ORR the bars
//! suggest is printed beside the real one. From the keyboard, Left/Right
//! (Home/End) move along the bars as the hover does and Enter/Space clicks.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::canvas::{Canvas, DrawFn};
use super::export::chart_exports;
use super::export_buttons::ExportButtons;
use super::patient_cursor::{use_patient_cursor, PatientMarks};
use super::state::Shared;
use crate::charts::format::{fixed, percent};
use crate::charts::style::ChartStyle;
use crate::charts::waterfall::{self, WaterfallLayout};
use crate::engine::WaterfallModel;
use crate::figures::waterfall::{CLIP_PCT, HEIGHT};

#[derive(Properties, PartialEq)]
pub struct WaterfallViewProps {
    /// The bars and the ORR check (built by the page's session).
    pub model: Shared<WaterfallModel>,
    pub colour_by_group: bool,
    /// The real ORR text, printed next to the one the bars suggest.
    pub orr_text: AttrValue,
    pub on_toggle: Callback<String>,
    pub on_colour: Callback<bool>,
}

/// The bars, left to right.
impl PatientMarks for WaterfallLayout {
    fn ids(&self) -> Vec<&str> {
        self.bars.iter().map(|b| b.patient_id.as_str()).collect()
    }

    fn id_at(&self, x: f64, _y: f64) -> Option<&str> {
        self.bar_at(x).map(|b| b.patient_id.as_str())
    }

    /// The bar's column over the whole height of the plot.
    fn rect(&self, i: usize) -> Option<[f64; 4]> {
        let (frame, bar) = (self.frame?, self.bars.get(i)?);
        let (top, bottom) = (f64::from(frame.rect.top), f64::from(frame.rect.bottom));
        let width = bar.pixel_right - bar.pixel_left + 1.0;
        Some([bar.pixel_left, top, width, bottom - top])
    }
}

#[component]
pub fn WaterfallView(props: &WaterfallViewProps) -> Html {
    let layout: Rc<RefCell<Option<WaterfallLayout>>> = use_mut_ref(|| None);

    let model = &props.model;
    let data = model.data.clone();
    let draw: DrawFn = {
        let layout = layout.clone();
        let data = data.clone();
        (*use_memo(Shared(data.clone()), move |_| {
            let f: DrawFn = Rc::new(move |area, scale| {
                *layout.borrow_mut() =
                    waterfall::draw(area, &data, &ChartStyle::default().scaled(scale)).ok();
            });
            f
        }))
        .clone()
    };
    let (svg, png) = (*use_memo(Shared(data.clone()), |d| chart_exports(d.0.clone()))).clone();

    let cursor = use_patient_cursor(&layout, &props.on_toggle);
    let on_colour = {
        let cb = props.on_colour.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.checked());
        })
    };
    let not_shown = model.not_shown();
    let label = format!(
        "Waterfall plot of best percent change from baseline for {} patients; bars ringed where the change contradicts the recorded response. Left and Right arrows (Home, End) move along the bars, Enter or Space selects the patient, Escape leaves",
        model.shown()
    );
    // The hovered patient's readout: one scan when the hovered bar changes.
    let text = (*use_memo(
        (
            props.model.clone(),
            cursor.hover.as_ref().map(|(id, _, _)| id.clone()),
        ),
        |(model, id)| id.as_ref().and_then(|id| model.readout(id)),
    ))
    .clone();
    let check = model.consistency.as_ref().map(|c| {
        let suggested = if c.denominator > 0 {
            format!("{}/{} ({})", c.suggested_responders, c.denominator, percent(c.suggested_responders as f64 / c.denominator as f64, 1))
        } else {
            "—".to_string()
        };
        html! {
            <div class="consistency" id="consistency">
                <p>{ "ORR as the waterfall suggests (best change ≤ −30%): " }<strong>{ suggested }</strong></p>
                <p>{ "ORR as recorded: " }<strong>{ props.orr_text.clone() }</strong></p>
                if c.flagged.is_empty() {
                    <p>{ "Every bar agrees with its recorded response." }</p>
                } else {
                    <p class="warning">{ format!("{} bar(s) contradict the recorded response (ringed): ", c.flagged.len()) }
                        { c.flagged.join(", ") }</p>
                }
            </div>
        }
    });
    html! {
        <section class="chart-block" aria-labelledby="waterfall-title">
            <h3 id="waterfall-title">{ "Waterfall: best change in target lesions" }</h3>
            <div class="controls">
                if model.group.is_some() {
                    <label class="field"><input type="checkbox" checked={props.colour_by_group} onchange={on_colour} />
                        { "Colour by group" }</label>
                }
                <ExportButtons name="waterfall" height={HEIGHT} {svg} {png} />
            </div>
            <div class="chart-with-side">
                <div class="chart-holder">
                    <Canvas draw={draw} height={HEIGHT} label={label}
                        on_pointer={Some(cursor.on_pointer.clone())} on_key={Some(cursor.on_key.clone())} />
                    { cursor.readout(text, "waterfall-readout") }
                </div>
                { for check }
            </div>
            <p class="note">{ format!("Click a bar (or Enter on it, after the arrow keys) to select the patient; {} without a post-baseline measurement not shown. Reference lines at +20% and −30% (RECIST 1.1).", not_shown) }</p>
            <p class="note">{ format!("Bars above +{}% are cut at the top.", fixed(CLIP_PCT, 0)) }</p>
        </section>
    }
}
