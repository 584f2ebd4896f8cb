//! The Kaplan–Meier plot: one curve per group with censor ticks, optional
//! confidence bands and median lines, log-rank p and Cox hazard ratios in
//! the legend, the number-at-risk table under the plot. Hovering reads
//! S(t) with its limits and the number at risk per group; dragging zooms
//! the time axis and a double click resets it; the landmark slider gives
//! S(t) with limits per group at a chosen time. From the keyboard,
//! Left/Right (Home/End) move the hover's time cursor along the event and
//! censoring times, Escape hides it, + and − zoom around it and 0 resets.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::canvas::{pixel_ratio, place, Canvas, DrawFn, Pointer, PointerKind};
use super::chart_keys::ChartKey;
use super::export::{chart_exports, slug};
use super::export_buttons::ExportButtons;
use super::report_table::{ReportTable, Row};
use super::state::Shared;
use crate::charts::format::fixed;
use crate::charts::km::{self, KmLayout};
use crate::charts::style::ChartStyle;
use crate::figures::km::{
    annotation, cursor_times, km_data, max_time, median_rows, readout_lines, rows_at, zoomed,
    HEIGHT,
};
use crate::report::view::Survival;
use crate::share::TimeRange;

/// A drag shorter than this (CSS pixels) is a click, not a zoom.
pub const MIN_DRAG_CSS_PX: f64 = 6.0;

#[derive(Properties, PartialEq)]
pub struct KmViewProps {
    pub analysis: Shared<Survival>,
    pub time_unit: AttrValue,
    pub zoom: Option<TimeRange>,
    pub ci_bands: bool,
    pub landmark: Option<f64>,
    pub on_zoom: Callback<Option<TimeRange>>,
    pub on_ci_bands: Callback<bool>,
    pub on_landmark: Callback<Option<f64>>,
}

#[component]
pub fn KmView(props: &KmViewProps) -> Html {
    let layout: Rc<RefCell<Option<KmLayout>>> = use_mut_ref(|| None);
    let drag_start = use_mut_ref(|| None::<(f64, f64)>);
    let hover = use_state(|| None::<(f64, f64, f64)>);
    let tooltip = use_node_ref();

    let data = use_memo(
        (
            props.analysis.clone(),
            props.time_unit.clone(),
            props.zoom,
            props.ci_bands,
            props.landmark.map(f64::to_bits),
        ),
        |(a, unit, zoom, ci, landmark)| km_data(a, unit, *zoom, *ci, landmark.map(f64::from_bits)),
    );
    // The keyboard's stops: every distinct time, sorted once per curve set
    // (not on every render: a hover re-renders, and a curve may have
    // 100,000 steps).
    let times = use_memo(props.analysis.clone(), |a| cursor_times(a));
    let draw: DrawFn = {
        let layout = layout.clone();
        let data = data.clone();
        (*use_memo(data.clone(), move |_| {
            let f: DrawFn = Rc::new(move |area, scale| {
                *layout.borrow_mut() =
                    km::draw(area, &data, &ChartStyle::default().scaled(scale)).ok();
            });
            f
        }))
        .clone()
    };
    let (svg, png) = (*use_memo(data.clone(), |data| chart_exports(data.clone()))).clone();
    let cursor = use_node_ref();
    {
        let (tooltip, cursor, layout) = (tooltip.clone(), cursor.clone(), layout.clone());
        use_effect_with(*hover, move |hover| {
            let Some((t, x, y)) = *hover else { return };
            place(&tooltip, x + 14.0, y + 14.0, None);
            if let Some(frame) = layout.borrow().as_ref().and_then(|l| l.frame) {
                let ratio = pixel_ratio();
                let (top, bottom) = (f64::from(frame.rect.top), f64::from(frame.rect.bottom));
                place(
                    &cursor,
                    frame.x.to_pixel(t) / ratio,
                    top / ratio,
                    Some((0.0, (bottom - top) / ratio)),
                );
            }
        });
    }
    let on_pointer = {
        let layout = layout.clone();
        let hover = hover.clone();
        let drag_start = drag_start.clone();
        let on_zoom = props.on_zoom.clone();
        Callback::from(move |p: Pointer| {
            let frame = layout.borrow().as_ref().and_then(|l| l.frame);
            let time_at = |x: f64| {
                frame
                    .filter(|f| f.rect.contains(x, f64::from(f.rect.top)))
                    .map(|f| f.x.to_data(x))
            };
            match p.kind {
                PointerKind::Move => match time_at(p.x) {
                    Some(t) if frame.is_some_and(|f| f.rect.contains(p.x, p.y)) => {
                        hover.set(Some((t.max(0.0), p.css_x, p.css_y)))
                    }
                    _ => hover.set(None),
                },
                PointerKind::Leave => {
                    hover.set(None);
                    *drag_start.borrow_mut() = None;
                }
                PointerKind::Down => *drag_start.borrow_mut() = Some((p.x, p.css_x)),
                PointerKind::Up => {
                    if let Some((x0, css_x0)) = drag_start.borrow_mut().take() {
                        if (p.css_x - css_x0).abs() >= MIN_DRAG_CSS_PX {
                            if let (Some(a), Some(b)) = (time_at(x0), time_at(p.x)) {
                                let (start, end) = (a.min(b).max(0.0), a.max(b));
                                if end > start {
                                    on_zoom.emit(Some(TimeRange { start, end }));
                                }
                            }
                        }
                    }
                }
                PointerKind::DoubleClick => on_zoom.emit(None),
                PointerKind::Click => {}
            }
        })
    };
    let max_time = max_time(&props.analysis);
    // The keys move the hover's time along the times in view, as the pointer
    // would; the tooltip follows the cursor line.
    let on_key = {
        let layout = layout.clone();
        let hover = hover.clone();
        let on_zoom = props.on_zoom.clone();
        let zoom = props.zoom;
        let times = times.clone();
        Callback::from(move |key: ChartKey| {
            let Some(frame) = layout.borrow().as_ref().and_then(|l| l.frame) else {
                return;
            };
            let (from, to) = (frame.x.data_from, frame.x.data_to);
            let shown: Vec<f64> = times
                .iter()
                .copied()
                .filter(|t| (from..=to).contains(t))
                .collect();
            let t = hover.map(|(t, _, _)| t);
            let axis_end = max_time.max(0.1);
            let shown_range = zoom.unwrap_or(TimeRange {
                start: 0.0,
                end: axis_end,
            });
            let centre = t.unwrap_or((shown_range.start + shown_range.end) / 2.0);
            match key {
                ChartKey::Clear => hover.set(None),
                ChartKey::ZoomIn => on_zoom.emit(zoomed(shown_range, centre, 0.5, axis_end)),
                ChartKey::ZoomOut => on_zoom.emit(zoomed(shown_range, centre, 2.0, axis_end)),
                ChartKey::ZoomReset => on_zoom.emit(None),
                _ => {
                    // From between two times (the pointer's), Previous goes to the earlier one.
                    let below = t.map(|t| shown.partition_point(|&s| s < t));
                    let current = match (below, t) {
                        (Some(i), Some(t)) if shown.get(i) == Some(&t) => Some(i),
                        (Some(i), _) if key == ChartKey::Previous => Some(i),
                        (Some(i), _) => i.checked_sub(1),
                        _ => None,
                    };
                    if let Some(i) = key.step(current, shown.len()) {
                        let ratio = pixel_ratio();
                        hover.set(Some((
                            shown[i],
                            frame.x.to_pixel(shown[i]) / ratio,
                            f64::from(frame.rect.top) / ratio,
                        )));
                    }
                }
            }
        })
    };
    let on_ci = {
        let cb = props.on_ci_bands.clone();
        Callback::from(move |e: Event| {
            cb.emit(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .checked(),
            )
        })
    };
    let on_landmark = {
        let cb = props.on_landmark.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value_as_number();
            cb.emit(value.is_finite().then_some(value));
        })
    };
    let clear_landmark = {
        let cb = props.on_landmark.clone();
        Callback::from(move |_: MouseEvent| cb.emit(None))
    };
    // The keyboard's way to zoom: the two ends of the time axis.
    let zoom_end = |is_start: bool| {
        let cb = props.on_zoom.clone();
        let zoom = props.zoom;
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value_as_number();
            let current = zoom.unwrap_or(TimeRange {
                start: 0.0,
                end: max_time.max(0.1),
            });
            let next = if is_start {
                TimeRange {
                    start: value,
                    ..current
                }
            } else {
                TimeRange {
                    end: value,
                    ..current
                }
            };
            if next.start.is_finite()
                && next.end.is_finite()
                && next.start >= 0.0
                && next.start < next.end
            {
                cb.emit(Some(next));
            }
        })
    };
    let reset_zoom = {
        let cb = props.on_zoom.clone();
        Callback::from(move |_: MouseEvent| cb.emit(None))
    };
    let a = &props.analysis;
    let unit = props.time_unit.to_string();
    let legend_rows: Vec<Row> = median_rows(a);
    let pct = fixed(a.conf_level * 100.0, 0);
    let label = format!(
        "Kaplan–Meier plot of {} by group ({}), with the number at risk under it; the tables below give the medians and hazard ratios. Left and Right arrows (Home, End) read survival at each time, Escape stops, plus and minus zoom, 0 resets the zoom",
        a.label,
        a.curves.iter().map(|c| c.label.as_str()).collect::<Vec<_>>().join(", ")
    );
    let tip = hover.map(|(t, _, _)| (format!("t = {} {unit}", fixed(t, 1)), readout_lines(a, t)));
    let landmark_table = props.landmark.map(|t| {
        let rows = rows_at(a, t);
        html! {
            <div id="landmark">
            <ReportTable header={vec![String::new(), format!("S({} {unit}) ({pct}% CI)", fixed(t, 1)), "At risk".to_string()]}
                rows={rows} caption={format!("Landmark at {} {unit}", fixed(t, 1))}
                file={format!("landmark-{}.csv", slug(&a.label))} />
            </div>
        }
    });
    html! {
        <section class="chart-block" aria-labelledby="km-title">
            <h3 id="km-title">{ format!("Kaplan–Meier: {}", a.label) }</h3>
            <div class="controls">
                <label class="field"><input type="checkbox" checked={props.ci_bands} onchange={on_ci} />{ format!("{pct}% confidence bands") }</label>
                <label class="field">{ "Time axis from" }
                    <input id="zoom-start" type="number" min="0" step="any" aria-label={format!("Time axis start in {unit}")}
                        value={fixed(props.zoom.map_or(0.0, |z| z.start), 1)} onchange={zoom_end(true)} />
                    { "to" }
                    <input id="zoom-end" type="number" min="0" step="any" aria-label={format!("Time axis end in {unit}")}
                        value={fixed(props.zoom.map_or(max_time, |z| z.end), 1)} onchange={zoom_end(false)} />
                </label>
                if props.zoom.is_some() {
                    <button type="button" onclick={reset_zoom}>{ "Reset zoom" }</button>
                }
                <label class="field">{ "Landmark time" }
                    <input type="range" min="0" max={fixed(max_time.max(0.1), 1)} step="0.1"
                        value={props.landmark.unwrap_or(0.0).to_string()}
                        aria-label={format!("Landmark time in {unit}")} oninput={on_landmark} />
                </label>
                if props.landmark.is_some() {
                    <button type="button" onclick={clear_landmark}>{ "Clear landmark" }</button>
                }
                <ExportButtons name={format!("km-{}", slug(&a.label))} height={HEIGHT} {svg} {png} />
            </div>
            <div class="chart-holder">
                <Canvas draw={draw} height={HEIGHT} label={label} on_pointer={Some(on_pointer)} on_key={Some(on_key)} />
                if let Some((time, lines)) = &tip {
                    <div class="chart-cursor" ref={cursor}></div>
                    <div class="tooltip" ref={tooltip.clone()} aria-hidden="true">
                        <strong>{ time }</strong>
                        { for lines.iter().map(|l| html! { <div>{ l }</div> }) }
                    </div>
                }
                <p class="sr-only" id="km-readout" aria-live="polite">
                    { tip.map(|(time, lines)| format!("{time}: {}", lines.join("; "))).unwrap_or_default() }
                </p>
            </div>
            <p class="note">{ format!("Drag across the plot to zoom the time axis; double-click to reset. With the plot focused, the arrow keys read survival at each time; + and − zoom, 0 resets. Times in {unit}.") }</p>
            <ReportTable header={vec![String::new(), "Events/N".to_string(), format!("Median, {unit} ({pct}% CI)")]}
                rows={legend_rows} caption={format!("{}: medians by group", a.label)}
                file={format!("medians-{}.csv", slug(&a.label))} />
            <ul class="legend-tests" id="km-tests">
                { for annotation(a).into_iter().map(|l| html! { <li>{ l }</li> }) }
            </ul>
            { for landmark_table }
        </section>
    }
}
