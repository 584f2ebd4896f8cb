//! The swimmer plot (responders or everyone) and the forest plot of Cox
//! hazard ratios by subgroup. A swimmer lane reads out its patient under the
//! pointer and selects them on a click; from the keyboard the arrow keys
//! (Home/End) move along the lanes and Enter/Space selects.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::canvas::{Canvas, DrawFn};
use super::export::chart_exports;
use super::export_buttons::ExportButtons;
use super::patient_cursor::{use_patient_cursor, PatientMarks};
use super::state::Shared;
use crate::charts::forest;
use crate::charts::style::ChartStyle;
use crate::charts::swimmer::{self, SwimmerData, SwimmerLayout};
use crate::figures::forest::{forest_data, forest_height};
use crate::figures::swimmer::{lane_readout, swimmer_height};
use crate::report::forest::Forest;

/// The lanes, top to bottom.
impl PatientMarks for SwimmerLayout {
    fn ids(&self) -> Vec<&str> {
        self.bars.iter().map(|b| b.patient_id.as_str()).collect()
    }

    fn id_at(&self, _x: f64, y: f64) -> Option<&str> {
        self.bar_at(y).map(|b| b.patient_id.as_str())
    }

    /// The lane across the whole width of the plot.
    fn rect(&self, i: usize) -> Option<[f64; 4]> {
        let (frame, bar) = (self.frame?, self.bars.get(i)?);
        let (left, right) = (f64::from(frame.rect.left), f64::from(frame.rect.right));
        let height = bar.pixel_bottom - bar.pixel_top + 1.0;
        Some([left, bar.pixel_top, right - left, height])
    }
}

#[derive(Properties, PartialEq)]
pub struct SwimmerViewProps {
    /// The lanes drawn (built by the page's session).
    pub data: Shared<SwimmerData>,
    /// Why lanes were left out, if any were.
    pub note: Option<String>,
    pub only_responders: bool,
    pub selected: Vec<String>,
    pub on_toggle: Callback<String>,
    pub on_only_responders: Callback<bool>,
}

#[component]
pub fn SwimmerView(props: &SwimmerViewProps) -> Html {
    let layout: Rc<RefCell<Option<SwimmerLayout>>> = use_mut_ref(|| None);
    let (note, data) = (props.note.clone(), props.data.0.clone());
    let height = swimmer_height(&data);
    let draw: DrawFn = {
        let layout = layout.clone();
        let data = data.clone();
        (*use_memo(props.data.clone(), move |_| {
            let f: DrawFn = Rc::new(move |area, scale| {
                *layout.borrow_mut() =
                    swimmer::draw(area, &data, &ChartStyle::default().scaled(scale)).ok();
            });
            f
        }))
        .clone()
    };
    let (svg, png) = (*use_memo(props.data.clone(), |d| chart_exports(d.0.clone()))).clone();
    let cursor = use_patient_cursor(&layout, &props.on_toggle);
    let text = cursor.hover.as_ref().and_then(|(id, _, _)| {
        let patient = data.patients.iter().find(|p| p.id == *id)?;
        Some(lane_readout(patient, &data.time_unit, &props.selected))
    });
    let on_only = {
        let cb = props.on_only_responders.clone();
        Callback::from(move |e: Event| {
            cb.emit(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .checked(),
            )
        })
    };
    let selected_here: Vec<&String> = props
        .selected
        .iter()
        .filter(|id| data.patients.iter().any(|p| p.id == **id))
        .collect();
    html! {
        <section class="chart-block" aria-labelledby="swimmer-title">
            <h3 id="swimmer-title">{ "Swimmer plot" }</h3>
            <div class="controls">
                <label class="field"><input type="checkbox" checked={props.only_responders} onchange={on_only} />
                    { "Responders only" }</label>
                <ExportButtons name="swimmer" {height} {svg} {png} />
            </div>
            <div class="chart-holder">
                <Canvas draw={draw} {height} on_pointer={Some(cursor.on_pointer.clone())} on_key={Some(cursor.on_key.clone())}
                    label={format!("Swimmer plot of {} patients: follow-up bars coloured by best response, with response onset, end, progression and death marked. Arrow keys (Home, End) move along the lanes, Enter or Space selects the patient, Escape leaves", data.patients.len())} />
                { cursor.readout(text, "swimmer-readout") }
            </div>
            if let Some(note) = note {
                <p class="note" id="swimmer-lanes">{ note }</p>
            }
            <p class="note">{ "Follow-up is overall-survival time; a response runs from the time to response for the duration of response. Click a lane (or Enter on it, after the arrow keys) to select the patient." }
                if !selected_here.is_empty() {
                    { format!(" Selected here: {}.", selected_here.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")) }
                }
            </p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ForestViewProps {
    pub forest: Shared<Forest>,
    pub endpoint: AttrValue,
}

#[component]
pub fn ForestView(props: &ForestViewProps) -> Html {
    let data = use_memo(props.forest.clone(), |f| forest_data(f));
    let comparison = &props.forest.comparison;
    let height = forest_height(&data);
    let draw: DrawFn = {
        let data = data.clone();
        (*use_memo(data.clone(), move |_| {
            let f: DrawFn = Rc::new(move |area, scale| {
                let _ = forest::draw(area, &data, &ChartStyle::default().scaled(scale));
            });
            f
        }))
        .clone()
    };
    let (svg, png) = (*use_memo(data.clone(), |data| chart_exports(data.clone()))).clone();
    html! {
        <section class="chart-block" aria-labelledby="forest-title">
            <h3 id="forest-title">{ format!("Forest plot: {} hazard ratio by subgroup ({comparison})", props.endpoint) }</h3>
            <div class="controls"><ExportButtons name="forest" {height} {svg} {png} /></div>
            <Canvas draw={draw} {height}
                label={format!("Forest plot of Cox hazard ratios, {comparison}, overall and within each subgroup")} />
            <p class="note">{ "Cox model with the group as the only covariate, fitted within each subgroup; ties and interval level as in the conventions." }</p>
        </section>
    }
}
