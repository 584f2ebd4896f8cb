//! The analysis as text.

use super::{curve_header, curve_row, landmark_rows, num, table, table_with};
use crate::report::analysis::{Analysis, Rate};

fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn rate_row(name: &str, r: Option<Rate>) -> Vec<String> {
    match r {
        Some(r) => vec![
            name.into(),
            format!("{}/{}", r.k, r.n),
            percent(r.estimate),
            format!("{} – {}", percent(r.lower), percent(r.upper)),
            r.method.into(),
        ],
        None => vec![
            name.into(),
            "NA".into(),
            "NA".into(),
            "NA".into(),
            String::new(),
        ],
    }
}

/// The analysis as readable sections: study, conventions, response,
/// duration of response, endpoints and the published figures.
pub fn analysis_text(a: &Analysis) -> String {
    let mut out = String::new();
    if let Some(s) = &a.study {
        out.push_str(&format!(
            "{} ({})\n{}\n{}\n\n",
            s.title, s.id, s.citation, s.synthetic_note
        ));
    }
    let c = &a.conventions;
    out.push_str(&format!(
        "n = {}\nConventions: CI {} at {}, median rule {}, ties {}, denominator {}, binomial CI {}\n",
        a.n,
        c.ci_transform,
        num(Some(c.conf_level)),
        c.median_rule,
        c.ties,
        c.denominator,
        c.binomial_ci
    ));
    let level = num(Some(c.conf_level));
    if let Some(r) = &a.response {
        out.push_str("\nBest overall response\n");
        let k = r.counts;
        let total = (k.CR + k.PR + k.SD + k.PD + k.NE).max(1) as f64;
        let rows: Vec<Vec<String>> = [
            ("CR", k.CR),
            ("PR", k.PR),
            ("SD", k.SD),
            ("PD", k.PD),
            ("NE", k.NE),
        ]
        .iter()
        .map(|(name, n)| vec![name.to_string(), n.to_string(), percent(*n as f64 / total)])
        .collect();
        out.push_str(&table(&["", "n", "%"], &rows));
        out.push_str(&format!(
            "\nResponse rates (denominator {})\n",
            r.denominator
        ));
        let ci = format!("{level} CI");
        out.push_str(&table(
            &["", "k/n", "rate", &ci, "method"],
            &[rate_row("ORR", r.orr), rate_row("DCR", r.dcr)],
        ));
        if let Some(t) = r.tumor_reduction {
            out.push_str(&format!(
                "\nAny tumour reduction: {}/{} ({})\n",
                t.k,
                t.n,
                percent(t.estimate)
            ));
        }
        if let Some(t) = r.time_to_response {
            out.push_str(&format!(
                "Time to response (months, {} responders): median {}, range {} – {}\n",
                t.n,
                num(Some(t.median)),
                num(Some(t.min)),
                num(Some(t.max))
            ));
        }
        if let Some(d) = &r.duration_of_response {
            out.push_str(&format!(
                "Duration of response: {} of {} ongoing, longest {}{} months\n",
                d.ongoing.k,
                d.ongoing.n,
                num(Some(d.longest.value)),
                if d.longest.censored { "+" } else { "" }
            ));
        }
    }
    let mut curves: Vec<(&str, &crate::report::curve::Curve)> =
        a.endpoints.0.iter().map(|(k, c)| (k.as_str(), c)).collect();
    if let Some(d) = a
        .response
        .as_ref()
        .and_then(|r| r.duration_of_response.as_ref())
    {
        curves.push(("dor", &d.curve));
    }
    if !curves.is_empty() {
        out.push_str("\nTime-to-event endpoints (months; Kaplan-Meier, rmean to the last time)\n");
        let header = curve_header(c.conf_level);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = curves
            .iter()
            .map(|(k, c)| curve_row(k.to_string(), c))
            .collect();
        out.push_str(&table(&header, &rows));
        out.push_str("\nSurvival at landmark times\n");
        let rows: Vec<Vec<String>> = curves
            .iter()
            .flat_map(|(k, c)| landmark_rows(k, c))
            .collect();
        let (lower, upper) = (format!("lower {level}"), format!("upper {level}"));
        out.push_str(&table(
            &["", "time", "survival", "std.err", &lower, &upper],
            &rows,
        ));
    }
    if !a.published.is_empty() {
        out.push_str("\nPublished figures\n");
        let rows: Vec<Vec<String>> = a
            .published
            .iter()
            .map(|p| {
                vec![
                    p.figure.clone(),
                    p.published.clone(),
                    p.computed.clone(),
                    if p.matches { "yes" } else { "NO" }.into(),
                ]
            })
            .collect();
        out.push_str(&table_with(
            &["figure", "published", "computed", "matches"],
            &rows,
            4,
        ));
    }
    for note in &a.notes {
        out.push_str(&format!("\nNote: {note}\n"));
    }
    out
}
