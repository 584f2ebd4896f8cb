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
use crate::charts::forest::{self, ForestData, ForestRow, Interval};
use crate::charts::format::fixed;
use crate::charts::style::ChartStyle;
use crate::charts::swimmer::{self, SwimmerData, SwimmerLayout, SwimmerPatient};
use crate::data::Cohort;
use crate::report::view::ForestEntry;

/// Height of a swimmer lane in CSS pixels, and the plot's frame around them.
pub const LANE_PX: u32 = 16;
pub const FRAME_PX: u32 = 90;

/// The swimmer plot's patients: follow-up is the OS time (or the longest
/// time recorded), the response runs from the time to response for the
/// duration of response, progression is the PFS event, death the OS event.
/// Patients without a response or a follow-up time are left out.
pub fn swimmer_data(cohort: &Cohort, only_responders: bool, selected: &[String]) -> SwimmerData {
    let mut patients = Vec::new();
    let (os, pfs, dor) = (
        cohort.endpoint("os"),
        cohort.endpoint("pfs"),
        cohort.endpoint("dor"),
    );
    if let Some(responses) = &cohort.best_response {
        for i in 0..cohort.len() {
            let Some(best_response) = responses[i] else {
                continue;
            };
            let longest = cohort
                .endpoints
                .iter()
                .filter_map(|e| e.values[i])
                .map(|t| t.months)
                .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))));
            let follow_up = os.and_then(|e| e.values[i]).map(|t| t.months).or(longest);
            let Some(follow_up) = follow_up.filter(|t| t.is_finite() && *t >= 0.0) else {
                continue;
            };
            let within = |t: f64| (t.is_finite() && (0.0..=follow_up).contains(&t)).then_some(t);
            let onset = best_response
                .is_objective_response()
                .then(|| cohort.ttr.as_ref().and_then(|t| t.months[i]))
                .flatten()
                .and_then(within);
            let dor_i = dor.and_then(|e| e.values[i]);
            let response_end = match (onset, dor_i) {
                (Some(o), Some(d)) if d.event => within(o + d.months),
                _ => None,
            };
            let response_ongoing = onset.is_some() && dor_i.is_some_and(|d| !d.event);
            let progression = pfs
                .and_then(|e| e.values[i])
                .filter(|t| t.event)
                .map(|t| t.months)
                .and_then(within);
            let death = os
                .and_then(|e| e.values[i])
                .filter(|t| t.event)
                .map(|t| t.months)
                .and_then(within);
            if only_responders && onset.is_none() {
                continue;
            }
            patients.push(SwimmerPatient {
                id: cohort.ids[i].clone(),
                follow_up,
                best_response,
                response_onset: onset,
                response_end,
                response_ongoing,
                progression,
                death,
            });
        }
    }
    SwimmerData {
        patients,
        only_responders,
        time_unit: "months".to_string(),
        selected: selected.iter().cloned().collect(),
    }
}

/// What the hover and the keyboard show of a lane: "LIF-001 · PR ·
/// follow-up 21.5 months · response from 1.7, ongoing", with progression
/// and death, and "· selected" when selected.
pub fn lane_readout(p: &SwimmerPatient, unit: &str, selected: &[String]) -> String {
    let mut parts = vec![
        p.id.clone(),
        p.best_response.code().to_string(),
        format!("follow-up {} {unit}", fixed(p.follow_up, 1)),
    ];
    if let Some(onset) = p.response_onset {
        parts.push(match (p.response_end, p.response_ongoing) {
            (Some(end), _) => format!("response {} to {}", fixed(onset, 1), fixed(end, 1)),
            (None, true) => format!("response from {}, ongoing", fixed(onset, 1)),
            (None, false) => format!("response from {}", fixed(onset, 1)),
        });
    }
    for (what, time) in [("progression", p.progression), ("death", p.death)] {
        if let Some(t) = time {
            parts.push(format!("{what} at {}", fixed(t, 1)));
        }
    }
    if selected.contains(&p.id) {
        parts.push("selected".to_string());
    }
    parts.join(" · ")
}

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
    pub cohort: Shared<Cohort>,
    pub only_responders: bool,
    pub selected: Vec<String>,
    pub on_toggle: Callback<String>,
    pub on_only_responders: Callback<bool>,
}

#[component]
pub fn SwimmerView(props: &SwimmerViewProps) -> Html {
    let layout: Rc<RefCell<Option<SwimmerLayout>>> = use_mut_ref(|| None);
    let data = use_memo(
        (
            props.cohort.clone(),
            props.only_responders,
            props.selected.clone(),
        ),
        |(c, only, selected)| swimmer_data(c, *only, selected),
    );
    let height = FRAME_PX + LANE_PX * data.patients.len().max(3) as u32;
    let draw: DrawFn = {
        let layout = layout.clone();
        let data = data.clone();
        (*use_memo(data.clone(), move |_| {
            let f: DrawFn = Rc::new(move |area, scale| {
                *layout.borrow_mut() =
                    swimmer::draw(area, &data, &ChartStyle::default().scaled(scale)).ok();
            });
            f
        }))
        .clone()
    };
    let (svg, png) = (*use_memo(data.clone(), |data| chart_exports(data.clone()))).clone();
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
            <p class="note">{ "Follow-up is overall-survival time; a response runs from the time to response for the duration of response. Click a lane (or Enter on it, after the arrow keys) to select the patient." }
                if !selected_here.is_empty() {
                    { format!(" Selected here: {}.", selected_here.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")) }
                }
            </p>
        </section>
    }
}

/// The forest plot's rows.
pub fn forest_data(entries: &[ForestEntry], comparison: &str) -> ForestData {
    ForestData {
        rows: entries
            .iter()
            .map(|e| ForestRow {
                label: e.label.clone(),
                interval: e.hazard_ratio.map(|(estimate, lower, upper)| Interval {
                    estimate,
                    lower,
                    upper,
                }),
                detail: if e.heading {
                    String::new()
                } else {
                    format!("{}/{}", e.events, e.n)
                },
                heading: e.heading,
            })
            .collect(),
        estimate_name: "HR".to_string(),
        detail_title: "Events/N".to_string(),
        axis_title: format!("Hazard ratio, {comparison} (log scale)"),
        x_range: None,
        decimals: 2,
    }
}

#[derive(Properties, PartialEq)]
pub struct ForestViewProps {
    pub entries: Shared<Vec<ForestEntry>>,
    /// "B vs A".
    pub comparison: AttrValue,
    pub endpoint: AttrValue,
}

#[component]
pub fn ForestView(props: &ForestViewProps) -> Html {
    let data = use_memo(
        (props.entries.clone(), props.comparison.clone()),
        |(e, c)| forest_data(e, c),
    );
    let height = 80 + 24 * data.rows.len() as u32;
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
            <h3 id="forest-title">{ format!("Forest plot: {} hazard ratio by subgroup ({})", props.endpoint, props.comparison) }</h3>
            <div class="controls"><ExportButtons name="forest" {height} {svg} {png} /></div>
            <Canvas draw={draw} {height}
                label={format!("Forest plot of Cox hazard ratios, {}, overall and within each subgroup", props.comparison)} />
            <p class="note">{ "Cox model with the group as the only covariate, fitted within each subgroup; ties and interval level as in the conventions." }</p>
        </section>
    }
}
