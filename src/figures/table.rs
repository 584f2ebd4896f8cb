//! The report table, laid out like a trial publication's: one column per
//! group, rows for best overall response, ORR, DCR, tumour reduction, time
//! to and duration of response, medians and milestone rates of every
//! endpoint and median follow-up. Every cell is a number of the column's
//! `cohortscope.analysis/1` analysis (what the CLI prints and the JSON
//! export writes), only formatted here. The same rows give the page's HTML
//! table and its CSV export.

use crate::charts::format::{fixed, percent, EN_DASH};
use crate::report::analysis::{Analysis, DurationOfResponse, Rate, LANDMARK_MONTHS};
use crate::report::curve::{Curve, Estimate, Landmark};
use crate::report::view::Column;
use crate::stats::conventions::Conventions;
use crate::stats::response::{BestResponse, ResponseCounts};

/// Row label and one cell per column.
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
pub fn estimate_text(e: &Estimate) -> String {
    format!(
        "{} ({}{EN_DASH}{})",
        opt_time(e.estimate),
        opt_time(e.lower),
        opt_time(e.upper)
    )
}

fn count_percent(k: u64, n: u64) -> String {
    if n == 0 {
        return format!("{k}/0");
    }
    format!("{k} ({})", percent(k as f64 / n as f64, 1))
}

/// "25/66, 37.9% (26.2–50.7)".
fn rate_text(r: &Rate) -> String {
    format!(
        "{}/{}, {} ({}{EN_DASH}{})",
        r.k,
        r.n,
        percent(r.estimate, 1),
        fixed(r.lower * 100.0, 1),
        fixed(r.upper * 100.0, 1)
    )
}

/// "52.1% (39.0–63.7)", or "not estimable" after the curve's last time.
fn milestone_text(l: &Landmark) -> String {
    match (l.survival, l.lower, l.upper) {
        (Some(s), Some(lo), Some(hi)) => format!(
            "{} ({}{EN_DASH}{})",
            percent(s, 1),
            fixed(lo * 100.0, 1),
            fixed(hi * 100.0, 1)
        ),
        (Some(s), _, _) => percent(s, 1),
        (None, _, _) => "not estimable".to_string(),
    }
}

/// A row whose cell is `cell` of what `get` finds in a column, a dash where it finds nothing.
fn row<'a, T: 'a>(
    label: String,
    columns: &'a [Column],
    get: impl Fn(&'a Analysis) -> Option<T>,
    cell: impl Fn(T) -> String,
) -> Row {
    let cells = columns
        .iter()
        .map(|c| get(&c.analysis).map_or_else(|| EN_DASH.to_string(), &cell))
        .collect();
    (label, cells)
}

/// Events, median and the milestone rates ([`LANDMARK_MONTHS`]) of the
/// curve `get` finds in each column.
fn endpoint_rows(
    rows: &mut Vec<Row>,
    name: &str,
    columns: &[Column],
    get: impl Fn(&Analysis) -> Option<&Curve> + Copy,
    pct: &str,
) {
    rows.push(row(format!("{name}: events/patients"), columns, get, |c| {
        format!("{}/{}", c.events, c.n)
    }));
    rows.push(row(
        format!("{name}: median, months ({pct}% CI)"),
        columns,
        get,
        |c| estimate_text(&c.median),
    ));
    for t in LANDMARK_MONTHS {
        rows.push(row(
            format!("{name}: {}-month rate, % ({pct}% CI)", fixed(t, 0)),
            columns,
            move |a| get(a)?.landmarks.iter().find(|l| l.time == t),
            milestone_text,
        ));
    }
}

fn dor(a: &Analysis) -> Option<&DurationOfResponse> {
    a.response.as_ref()?.duration_of_response.as_ref()
}

/// The table's header (first cell empty) and rows.
pub fn rows(columns: &[Column], conventions: &Conventions) -> (Vec<String>, Vec<Row>) {
    let header = std::iter::once(String::new())
        .chain(
            columns
                .iter()
                .map(|c| format!("{} (n = {})", c.label, c.analysis.n)),
        )
        .collect();
    let pct = fixed(conventions.conf_level * 100.0, 0);
    let any = |has: &dyn Fn(&Analysis) -> bool| columns.iter().any(|c| has(&c.analysis));
    let mut rows: Vec<Row> = Vec::new();
    if any(&|a| a.response.is_some()) {
        for r in BestResponse::ALL {
            rows.push(row(
                response_name(r).to_string(),
                columns,
                |a| a.response.as_ref().map(|s| ResponseCounts::from(s.counts)),
                |c| count_percent(c.get(r), c.total()),
            ));
        }
        rows.push(row(
            format!("Objective response rate, CR + PR ({pct}% CI)"),
            columns,
            |a| a.response.as_ref()?.orr,
            |r| rate_text(&r),
        ));
        rows.push(row(
            format!("Disease control rate, CR + PR + SD ({pct}% CI)"),
            columns,
            |a| a.response.as_ref()?.dcr,
            |r| rate_text(&r),
        ));
    }
    if any(&|a| {
        a.response
            .as_ref()
            .is_some_and(|r| r.tumor_reduction.is_some())
    }) {
        rows.push(row(
            "Any tumour reduction (best change < 0)".to_string(),
            columns,
            |a| a.response.as_ref()?.tumor_reduction,
            |r| format!("{}/{} ({})", r.k, r.n, percent(r.estimate, 1)),
        ));
    }
    if any(&|a| {
        a.response
            .as_ref()
            .is_some_and(|r| r.time_to_response.is_some())
    }) {
        rows.push(row(
            "Time to response, median (range), months".to_string(),
            columns,
            |a| a.response.as_ref()?.time_to_response,
            |t| {
                format!(
                    "{} ({}{EN_DASH}{})",
                    fixed(t.median, 1),
                    fixed(t.min, 1),
                    fixed(t.max, 1)
                )
            },
        ));
    }
    if any(&|a| dor(a).is_some()) {
        rows.push(row(
            "Duration of response: ongoing at cutoff".to_string(),
            columns,
            dor,
            |d| {
                let o = d.ongoing;
                format!("{}/{} ({})", o.k, o.n, percent(o.k as f64 / o.n as f64, 1))
            },
        ));
        endpoint_rows(
            &mut rows,
            "Duration of response",
            columns,
            |a| dor(a).map(|d| &d.curve),
            &pct,
        );
    }
    let mut keys: Vec<(&str, &str)> = Vec::new();
    for c in columns {
        for (key, curve) in &c.analysis.endpoints.0 {
            if !keys.iter().any(|(k, _)| k == key) {
                keys.push((key, &curve.label));
            }
        }
    }
    for (key, label) in keys {
        endpoint_rows(&mut rows, label, columns, |a| a.endpoints.get(key), &pct);
    }
    if any(&|a| a.follow_up_curve().is_some()) {
        let of = columns
            .iter()
            .find_map(|c| c.analysis.follow_up_curve())
            .map_or("", |c| c.label.as_str());
        rows.push(row(
            format!("Median follow-up, months ({pct}% CI; reverse Kaplan–Meier of {of})"),
            columns,
            Analysis::follow_up_curve,
            |c| estimate_text(&c.follow_up),
        ));
    }
    (header, rows)
}

/// Why a cell holds a dash where a reader would expect a number (an empty
/// denominator, an endpoint without a time), each prefixed by its column.
pub fn notes(columns: &[Column]) -> Vec<String> {
    columns
        .iter()
        .flat_map(|c| {
            c.analysis
                .notes
                .iter()
                .map(move |n| format!("{}: {n}", c.label))
        })
        .collect()
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
