//! The report table, laid out like a trial publication's: one column per
//! group, rows for best overall response, ORR, DCR, tumour reduction, time
//! to and duration of response, medians and milestone rates of every
//! endpoint and median follow-up. The same rows give the HTML table and
//! its CSV export.

use yew::prelude::*;

use super::export;
use crate::charts::format::{fixed, percent, EN_DASH};
use crate::report::view::{EndpointSummary, Summary};
use crate::stats::conventions::Conventions;
use crate::stats::km::Quantile;
use crate::stats::response::BestResponse;

/// Row label and one cell per summary.
pub type Row = (String, Vec<String>);

/// "Not reached", printed for a median or limit the curve never reaches.
pub const NOT_REACHED: &str = "NR";

fn response_name(r: BestResponse) -> &'static str {
    match r {
        BestResponse::Cr => "Complete response (CR)",
        BestResponse::Pr => "Partial response (PR)",
        BestResponse::Sd => "Stable disease (SD)",
        BestResponse::Pd => "Progressive disease (PD)",
        BestResponse::Ne => "Not evaluable (NE)",
    }
}

fn opt_time(t: Option<f64>) -> String {
    t.map_or_else(|| NOT_REACHED.to_string(), |t| fixed(t, 1))
}

/// "12.3 (8.1–NR)": a median with its limits, NR where not reached.
pub fn quantile_text(q: &Quantile) -> String {
    format!(
        "{} ({}{EN_DASH}{})",
        opt_time(q.estimate),
        opt_time(q.lower),
        opt_time(q.upper)
    )
}

fn count_percent(k: u64, n: u64) -> String {
    if n == 0 {
        return format!("{k}/0");
    }
    format!("{k} ({})", percent(k as f64 / n as f64, 1))
}

fn milestone_text(point: &Option<crate::stats::km::SurvivalPoint>) -> String {
    match point {
        Some(p) => match (p.lower, p.upper) {
            (Some(lo), Some(hi)) => format!(
                "{} ({}{EN_DASH}{})",
                percent(p.survival, 1),
                fixed(lo * 100.0, 1),
                fixed(hi * 100.0, 1)
            ),
            _ => percent(p.survival, 1),
        },
        None => "not estimable".to_string(),
    }
}

fn endpoint_rows(
    rows: &mut Vec<Row>,
    name: &str,
    summaries: &[Summary],
    get: impl Fn(&Summary) -> Option<&EndpointSummary>,
    level: f64,
) {
    let pct = fixed(level * 100.0, 0);
    let cells = |f: &dyn Fn(&EndpointSummary) -> String| -> Vec<String> {
        summaries
            .iter()
            .map(|s| get(s).map_or_else(|| EN_DASH.to_string(), f))
            .collect()
    };
    rows.push((
        format!("{name}: events/patients"),
        cells(&|e| format!("{}/{}", e.events, e.n)),
    ));
    rows.push((
        format!("{name}: median, months ({pct}% CI)"),
        cells(&|e| quantile_text(&e.median)),
    ));
    for (i, (t, _)) in get_first_milestones(summaries, &get).iter().enumerate() {
        rows.push((
            format!("{name}: {}-month rate, % ({pct}% CI)", fixed(*t, 0)),
            cells(&|e| {
                e.milestones
                    .get(i)
                    .map_or_else(String::new, |(_, p)| milestone_text(p))
            }),
        ));
    }
}

fn get_first_milestones<'a>(
    summaries: &'a [Summary],
    get: &impl Fn(&Summary) -> Option<&EndpointSummary>,
) -> Vec<(f64, Option<crate::stats::km::SurvivalPoint>)> {
    summaries
        .iter()
        .find_map(|s| get(s).map(|e| e.milestones.clone()))
        .unwrap_or_default()
}

/// The table's header (first cell empty) and rows.
pub fn rows(summaries: &[Summary], conventions: &Conventions) -> (Vec<String>, Vec<Row>) {
    let header = std::iter::once(String::new())
        .chain(
            summaries
                .iter()
                .map(|s| format!("{} (n = {})", s.label, s.n)),
        )
        .collect();
    let level = conventions.conf_level;
    let pct = fixed(level * 100.0, 0);
    let mut rows: Vec<Row> = Vec::new();
    let dash = || EN_DASH.to_string();
    if summaries.iter().any(|s| s.counts.is_some()) {
        for r in BestResponse::ALL {
            rows.push((
                response_name(r).to_string(),
                summaries
                    .iter()
                    .map(|s| {
                        s.counts
                            .as_ref()
                            .map_or_else(dash, |c| count_percent(c.get(r), c.total()))
                    })
                    .collect(),
            ));
        }
        let rate = |s: &Summary, orr: bool| {
            let r = if orr { &s.orr } else { &s.dcr };
            match r {
                Some(Ok(rate)) => {
                    let p = &rate.proportion;
                    format!(
                        "{}/{}, {} ({}{EN_DASH}{})",
                        p.k,
                        p.n,
                        percent(p.estimate, 1),
                        fixed(p.lower * 100.0, 1),
                        fixed(p.upper * 100.0, 1)
                    )
                }
                Some(Err(e)) => e.to_string(),
                None => dash(),
            }
        };
        rows.push((
            format!("Objective response rate, CR + PR ({pct}% CI)"),
            summaries.iter().map(|s| rate(s, true)).collect(),
        ));
        rows.push((
            format!("Disease control rate, CR + PR + SD ({pct}% CI)"),
            summaries.iter().map(|s| rate(s, false)).collect(),
        ));
    }
    if summaries.iter().any(|s| s.reduction.is_some()) {
        rows.push((
            "Any tumour reduction (best change < 0)".to_string(),
            summaries
                .iter()
                .map(|s| {
                    s.reduction.map_or_else(dash, |r| {
                        format!("{}/{} ({})", r.k, r.n, percent(r.estimate, 1))
                    })
                })
                .collect(),
        ));
    }
    if summaries.iter().any(|s| s.ttr.is_some()) {
        rows.push((
            "Time to response, median (range), months".to_string(),
            summaries
                .iter()
                .map(|s| {
                    s.ttr.map_or_else(dash, |t| {
                        format!(
                            "{} ({}{EN_DASH}{})",
                            fixed(t.median, 1),
                            fixed(t.min, 1),
                            fixed(t.max, 1)
                        )
                    })
                })
                .collect(),
        ));
    }
    if summaries.iter().any(|s| s.dor.is_some()) {
        rows.push((
            "Duration of response: ongoing at cutoff".to_string(),
            summaries
                .iter()
                .map(|s| {
                    s.dor.as_ref().map_or_else(dash, |d| {
                        let ongoing = d.n - d.events;
                        format!(
                            "{ongoing}/{} ({})",
                            d.n,
                            percent(ongoing as f64 / d.n as f64, 1)
                        )
                    })
                })
                .collect(),
        ));
        endpoint_rows(
            &mut rows,
            "Duration of response",
            summaries,
            |s| s.dor.as_ref(),
            level,
        );
    }
    let mut keys: Vec<(String, String)> = Vec::new();
    for s in summaries {
        for e in &s.endpoints {
            if !keys.iter().any(|(k, _)| *k == e.key) {
                keys.push((e.key.clone(), e.label.clone()));
            }
        }
    }
    for (key, label) in &keys {
        endpoint_rows(
            &mut rows,
            label,
            summaries,
            |s| s.endpoints.iter().find(|e| e.key == *key),
            level,
        );
    }
    if summaries.iter().any(|s| s.follow_up.is_some()) {
        let of = summaries
            .iter()
            .find_map(|s| s.follow_up.as_ref().map(|(l, _)| l.clone()))
            .unwrap_or_default();
        rows.push((
            format!("Median follow-up, months ({pct}% CI; reverse Kaplan–Meier of {of})"),
            summaries
                .iter()
                .map(|s| {
                    s.follow_up
                        .as_ref()
                        .map_or_else(dash, |(_, q)| quantile_text(q))
                })
                .collect(),
        ));
    }
    (header, rows)
}

/// The conventions as a sentence, with the options of R, SAS and lifelines they match.
pub fn conventions_text(c: &Conventions) -> String {
    format!(
        "Conventions: {}% intervals; Kaplan–Meier CIs on the {} scale (R survfit conf.type, SAS CONFTYPE); \
         medians by the {} rule with Brookmeyer–Crowley limits; Cox ties: {}; response rates over {} patients \
         with {} intervals; median follow-up by reverse Kaplan–Meier.",
        fixed(c.conf_level * 100.0, 0),
        c.ci_transform,
        c.median_rule,
        c.ties,
        c.denominator,
        c.binomial_ci
    )
}

#[derive(Properties, PartialEq)]
pub struct ReportTableProps {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    pub caption: AttrValue,
    /// File name of the CSV export.
    pub file: AttrValue,
}

/// The table with its CSV download.
#[component]
pub fn ReportTable(props: &ReportTableProps) -> Html {
    let download = {
        let header = props.header.clone();
        let rows = props.rows.clone();
        let file = props.file.clone();
        Callback::from(move |_: MouseEvent| {
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|(label, cells)| {
                    std::iter::once(label.clone())
                        .chain(cells.iter().cloned())
                        .collect()
                })
                .collect();
            export::download_text(&file, "text/csv", &export::csv_text(&header, &body));
        })
    };
    html! {
        <div class="table-block">
            <table class="report">
                <caption>{ props.caption.clone() }</caption>
                <thead><tr>{ for props.header.iter().map(|h| html! { <th scope="col">{ h }</th> }) }</tr></thead>
                <tbody>
                    { for props.rows.iter().map(|(label, cells)| html! {
                        <tr><th scope="row">{ label }</th>{ for cells.iter().map(|c| html! { <td>{ c }</td> }) }</tr>
                    }) }
                </tbody>
            </table>
            <button type="button" class="export" onclick={download}>{ "Table as CSV" }</button>
        </div>
    }
}
