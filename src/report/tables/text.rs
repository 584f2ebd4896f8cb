//! The tables as grids of text cells, laid out as the TLG catalog lays out
//! RSPT01, TTET01 and DORT01: one column per arm (the reference first), one
//! row per statistic; comparisons in the arms' columns, blank under the
//! reference. The command line prints them aligned; the page shows them and
//! exports them as CSV, HTML and RTF (`super::export`).

use serde::{Deserialize, Serialize};

use super::response::ResponseTable;
use super::time_to_event::TimeToEventTable;
use super::{Interval, Tables};
use crate::report::text::{num, p_value, table};

/// One table as text cells: a title, a header row (the arms), the rows
/// (a label, then a cell per arm) and notes under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

/// The grids of `tables`: the response table, one per time-to-event
/// endpoint, then duration of response.
pub fn grids(tables: &Tables) -> Vec<Grid> {
    let m = &tables.methods;
    let level = format!("{}%", num(Some(m.level * 100.0)));
    let mut common = vec![format!(
        "Arms: {} (reference {}){}.",
        tables.arm,
        tables.reference,
        if tables.strata.is_empty() {
            String::new()
        } else {
            format!("; strata: {}", tables.strata.join(" × "))
        }
    )];
    common.extend(tables.notes.iter().cloned());
    let mut out = Vec::new();
    if let Some(r) = &tables.response {
        let mut grid = response_grid(r, &level);
        grid.title = "Response".to_string();
        grid.notes = common.clone();
        grid.notes.push(format!(
            "Denominator {}; rates with {level} CI ({}); difference arm − reference with {level} CI ({}); chi-square without continuity correction; odds ratio with Wald (logit) CI; stratified: Mantel–Haenszel difference (Sato variance), CMH test, Mantel–Haenszel odds ratio (Robins–Breslow–Greenland).",
            m.denominator, m.prop_ci, m.diff_ci
        ));
        out.push(grid);
    }
    for t in tables
        .time_to_event
        .iter()
        .chain(&tables.duration_of_response)
    {
        let mut grid = time_to_event_grid(t, &level);
        grid.title = format!("{} ({})", t.label, t.population);
        let mut notes = common.clone();
        notes.extend(grid.notes);
        notes.push(format!(
            "Times in months; Kaplan–Meier {level} CI ({}), quartile CI Brookmeyer–Crowley, median rule {}; Cox ties {}, Wald CI; differences in event-free rates with Greenwood SEs (z-test); restricted means to τ, the shortest of the arms' longest times (survRM2); + marks a censored extreme.",
            m.km_ci, m.median_rule, m.ties
        ));
        grid.notes = notes;
        out.push(grid);
    }
    out
}

/// Every table of `tables`, aligned, one after the other.
pub fn tables_text(tables: &Tables) -> String {
    let mut out = String::new();
    for (k, grid) in grids(tables).iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        out.push_str(&grid.title);
        out.push('\n');
        let header: Vec<&str> = grid.header.iter().map(String::as_str).collect();
        out.push_str(&table(&header, &grid.rows));
        for note in &grid.notes {
            out.push_str(&format!("  {note}\n"));
        }
    }
    out
}

fn header(arms: impl Iterator<Item = String>) -> Vec<String> {
    std::iter::once(String::new()).chain(arms).collect()
}

fn percent(x: Option<f64>) -> String {
    x.map_or("NA".into(), |x| format!("{:.1}", x * 100.0))
}

fn percent_ci(ci: Interval) -> String {
    format!("({}, {})", percent(ci[0]), percent(ci[1]))
}

fn ci(ci: Interval) -> String {
    format!("({}, {})", num(ci[0]), num(ci[1]))
}

/// A row: the label, then one cell per arm.
fn row(label: &str, cells: impl IntoIterator<Item = String>) -> Vec<String> {
    std::iter::once(label.to_string()).chain(cells).collect()
}

/// A comparison row: blank under the reference.
fn compared(label: &str, cells: impl IntoIterator<Item = String>) -> Vec<String> {
    row(label, std::iter::once(String::new()).chain(cells))
}

fn response_grid(t: &ResponseTable, level: &str) -> Grid {
    let mut rows = vec![
        row(
            "Responders (CR or PR), n (%)",
            t.arms
                .iter()
                .map(|a| format!("{} ({})", a.responders, percent(a.rate))),
        ),
        row(
            &format!("  {level} CI"),
            t.arms.iter().map(|a| percent_ci(a.ci)),
        ),
        compared(
            "Difference in rates (%)",
            t.comparisons.iter().map(|c| percent(c.diff)),
        ),
        compared(
            &format!("  {level} CI"),
            t.comparisons.iter().map(|c| percent_ci(c.diff_ci)),
        ),
        compared(
            "  p (chi-square)",
            t.comparisons.iter().map(|c| p_value(c.p_chisq)),
        ),
        compared(
            "  p (Fisher's exact)",
            t.comparisons.iter().map(|c| p_value(c.p_fisher)),
        ),
        compared(
            "Odds ratio",
            t.comparisons.iter().map(|c| num(c.odds_ratio)),
        ),
        compared(
            &format!("  {level} CI"),
            t.comparisons.iter().map(|c| ci(c.odds_ratio_ci)),
        ),
    ];
    if t.comparisons.iter().any(|c| c.stratified.is_some()) {
        let s = |f: &dyn Fn(&super::response::StratifiedComparison) -> String| {
            t.comparisons
                .iter()
                .map(|c| c.stratified.as_ref().map_or("NA".into(), f))
                .collect::<Vec<_>>()
        };
        rows.push(compared(
            "Stratified difference (%, MH)",
            s(&|x| percent(x.diff)),
        ));
        rows.push(compared(
            &format!("  {level} CI (Sato)"),
            s(&|x| percent_ci(x.diff_ci)),
        ));
        rows.push(compared("  p (CMH)", s(&|x| p_value(x.p_cmh))));
        rows.push(compared(
            "Stratified odds ratio (MH)",
            s(&|x| num(x.odds_ratio)),
        ));
        rows.push(compared(
            &format!("  {level} CI"),
            s(&|x| ci(x.odds_ratio_ci)),
        ));
    }
    rows.push(row(
        "Best overall response, n (%)",
        t.arms.iter().map(|_| String::new()),
    ));
    let codes: Vec<&str> = t.arms[0].categories.iter().map(|c| c.code).collect();
    for (k, code) in codes.iter().enumerate() {
        rows.push(row(
            &format!("  {code}"),
            t.arms.iter().map(|a| {
                let c = &a.categories[k];
                match c.rate {
                    Some(r) => format!("{} ({})", c.n, percent(Some(r))),
                    None => c.n.to_string(),
                }
            }),
        ));
        if t.arms.iter().any(|a| a.categories[k].rate.is_some()) {
            rows.push(row(
                &format!("    {level} CI"),
                t.arms.iter().map(|a| percent_ci(a.categories[k].ci)),
            ));
        }
    }
    Grid {
        title: String::new(),
        header: header(t.arms.iter().map(|a| format!("{} (N={})", a.arm, a.n))),
        rows,
        notes: Vec::new(),
    }
}

fn time_to_event_grid(t: &TimeToEventTable, level: &str) -> Grid {
    let arms = &t.arms;
    let count = |x: usize, n: usize| {
        if n == 0 {
            x.to_string()
        } else {
            format!("{x} ({:.1})", 100.0 * x as f64 / n as f64)
        }
    };
    let extreme = |x: Option<f64>, censored: bool| {
        format!(
            "{}{}",
            num(x),
            if censored && x.is_some() { "+" } else { "" }
        )
    };
    let mut rows = vec![
        row(
            "Patients with event, n (%)",
            arms.iter().map(|a| count(a.events, a.n)),
        ),
        row(
            "Patients without event, n (%)",
            arms.iter().map(|a| count(a.n - a.events, a.n)),
        ),
        row("Median", arms.iter().map(|a| num(a.median))),
        row(
            &format!("  {level} CI"),
            arms.iter().map(|a| ci(a.median_ci)),
        ),
        row(
            "25% and 75% percentiles",
            arms.iter()
                .map(|a| format!("{}, {}", num(a.q25), num(a.q75))),
        ),
        row(
            "Range",
            arms.iter().map(|a| {
                format!(
                    "{} to {}",
                    extreme(a.range[0], a.range_censored[0]),
                    extreme(a.range[1], a.range_censored[1])
                )
            }),
        ),
    ];
    let cs = &t.comparisons;
    rows.push(compared(
        "Log-rank p",
        cs.iter().map(|c| p_value(c.logrank_p)),
    ));
    rows.push(compared("Hazard ratio", cs.iter().map(|c| num(c.hr))));
    rows.push(compared(
        &format!("  {level} CI"),
        cs.iter().map(|c| ci(c.hr_ci)),
    ));
    if cs.iter().any(|c| c.stratified.is_some()) {
        let s = |f: &dyn Fn(&super::time_to_event::StratifiedHazards) -> String| {
            cs.iter()
                .map(|c| c.stratified.as_ref().map_or("NA".into(), f))
                .collect::<Vec<_>>()
        };
        rows.push(compared(
            "Stratified log-rank p",
            s(&|x| p_value(x.logrank_p)),
        ));
        rows.push(compared("Stratified hazard ratio", s(&|x| num(x.hr))));
        rows.push(compared(&format!("  {level} CI"), s(&|x| ci(x.hr_ci))));
    }
    for (k, point) in arms
        .first()
        .map_or(&[][..], |a| &a.timepoints[..])
        .iter()
        .enumerate()
    {
        let time = num(Some(point.time));
        rows.push(row(
            &format!("{time} months: at risk"),
            arms.iter().map(|a| a.timepoints[k].n_risk.to_string()),
        ));
        rows.push(row(
            "  Event-free rate (%)",
            arms.iter().map(|a| percent(a.timepoints[k].rate)),
        ));
        rows.push(row(
            &format!("  {level} CI"),
            arms.iter().map(|a| percent_ci(a.timepoints[k].ci)),
        ));
        rows.push(compared(
            "  Difference (%)",
            cs.iter().map(|c| percent(c.timepoints[k].diff)),
        ));
        rows.push(compared(
            &format!("    {level} CI"),
            cs.iter().map(|c| percent_ci(c.timepoints[k].diff_ci)),
        ));
        rows.push(compared(
            "    p (z-test)",
            cs.iter().map(|c| p_value(c.timepoints[k].p)),
        ));
    }
    if let Some(tau) = t.tau {
        rows.push(row(
            &format!("Restricted mean to {}", num(Some(tau))),
            arms.iter()
                .map(|a| num(a.rmst.as_ref().and_then(|r| r.estimate))),
        ));
        rows.push(row(
            &format!("  {level} CI"),
            arms.iter()
                .map(|a| a.rmst.as_ref().map_or("NA".into(), |r| ci(r.ci))),
        ));
        rows.push(compared(
            "  Difference",
            cs.iter().map(|c| num(c.rmst.as_ref().and_then(|r| r.diff))),
        ));
        rows.push(compared(
            &format!("    {level} CI"),
            cs.iter()
                .map(|c| c.rmst.as_ref().map_or("NA".into(), |r| ci(r.diff_ci))),
        ));
        rows.push(compared(
            "    p (z-test)",
            cs.iter()
                .map(|c| p_value(c.rmst.as_ref().and_then(|r| r.p))),
        ));
    }
    Grid {
        title: String::new(),
        header: header(arms.iter().map(|a| format!("{} (N={})", a.arm, a.n))),
        rows,
        notes: cs
            .iter()
            .flat_map(|c| {
                c.notes
                    .iter()
                    .map(move |n| format!("{} vs {}: {n}", c.arm, c.reference))
            })
            .collect(),
    }
}
