//! The Kaplan–Meier report as text.

use super::{curve_header, curve_row, landmark_rows, num, p_value, table};
use crate::report::km::KmReport;
use crate::report::view::EndpointComparison;

/// The report as R would print it: curves (`print(survfit)` with the
/// restricted mean and the reverse-KM median follow-up), landmark survival,
/// the log-rank test (`survdiff`) and the Cox model (`summary(coxph)`).
/// `group` names the group column in the row labels (`arm=A`, as R).
pub fn km_text(r: &KmReport, group: Option<&str>) -> String {
    let level = num(Some(r.conf_level));
    let mut out = format!(
        "Kaplan-Meier: {level} limits by conf.type {}, median rule {}, rmean to tau = {}\n\n",
        r.conf_type,
        r.median_rule,
        num(r.overall.rmst.map(|m| m.tau)),
    );
    let label = |l: &str| match group {
        Some(g) => format!("{g}={l}"),
        None => l.to_string(),
    };
    let header = curve_header(r.conf_level);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut rows = vec![curve_row(r.overall.label.clone(), &r.overall)];
    rows.extend(r.groups.iter().map(|g| curve_row(label(&g.label), g)));
    out.push_str(&table(&header, &rows));
    if !r.overall.landmarks.is_empty() {
        out.push_str("\nSurvival at landmark times\n");
        let mut rows = landmark_rows(&r.overall.label, &r.overall);
        for g in &r.groups {
            rows.extend(landmark_rows(&label(&g.label), g));
        }
        let (lower, upper) = (format!("lower {level}"), format!("upper {level}"));
        out.push_str(&table(
            &["", "time", "survival", "std.err", &lower, &upper],
            &rows,
        ));
    }
    if let Some(lr) = &r.logrank {
        let strata = r
            .strata
            .as_ref()
            .map_or(String::new(), |s| format!(", stratified by {s}"));
        out.push_str(&format!("\nLog-rank test{strata}\n"));
        let rows: Vec<Vec<String>> = r
            .groups
            .iter()
            .zip(lr.observed.iter().zip(&lr.expected))
            .map(|(g, (&o, &e))| {
                let contribution = (e > 0.0).then(|| (o - e).powi(2) / e);
                vec![
                    label(&g.label),
                    g.n.to_string(),
                    num(Some(o)),
                    num(Some(e)),
                    num(contribution),
                ]
            })
            .collect();
        out.push_str(&table(
            &["", "N", "Observed", "Expected", "(O-E)^2/E"],
            &rows,
        ));
        out.push_str(&format!(
            "\n Chisq= {}  on {} degrees of freedom, p= {}\n",
            num(Some(lr.statistic)),
            lr.df,
            p_value(lr.p_value)
        ));
    }
    if let Some(cox) = &r.cox {
        let strata = r
            .strata
            .as_ref()
            .map_or(String::new(), |s| format!(", stratified by {s}"));
        out.push_str(&format!(
            "\nCox model (ties {}{strata}), reference {}\n",
            cox.ties,
            label(&cox.reference)
        ));
        let coef_rows: Vec<Vec<String>> = cox
            .terms
            .iter()
            .map(|t| {
                vec![
                    t.label.clone(),
                    num(t.coef),
                    num(t.hazard_ratio),
                    num(t.std_err),
                    num(t.z),
                    p_value(t.p_value),
                ]
            })
            .collect();
        out.push_str(&table(
            &["", "coef", "exp(coef)", "se(coef)", "z", "Pr(>|z|)"],
            &coef_rows,
        ));
        out.push('\n');
        let hr_rows: Vec<Vec<String>> = cox
            .terms
            .iter()
            .map(|t| {
                vec![
                    t.label.clone(),
                    num(t.hazard_ratio),
                    num(t.lower),
                    num(t.upper),
                ]
            })
            .collect();
        let (lower, upper) = (format!("lower {level}"), format!("upper {level}"));
        out.push_str(&table(&["", "exp(coef)", &lower, &upper], &hr_rows));
        out.push('\n');
        for (name, t) in [
            ("Likelihood ratio test", cox.lr_test),
            ("Wald test", cox.wald_test),
            ("Score (logrank) test", cox.score_test),
        ] {
            out.push_str(&format!(
                "{name:<20} = {}  on {} df,   p={}\n",
                num(t.statistic),
                t.df,
                p_value(t.p_value)
            ));
        }
    }
    for note in &r.notes {
        out.push_str(&format!("\nNote: {note}\n"));
    }
    out
}

/// The groups of `group` compared on each endpoint, one line per Cox term:
/// the log-rank test (`survdiff`) and the hazard ratio against the
/// reference with its limits (`summary(coxph)`), at `level`.
pub fn comparisons_text(comparisons: &[EndpointComparison], group: &str, level: f64) -> String {
    let Some(reference) = comparisons.iter().find_map(|c| {
        c.cox
            .as_ref()
            .map(|cox| (cox.reference.clone(), cox.ties.clone()))
    }) else {
        let mut out = format!("\nGroups by {group} compared\n");
        for c in comparisons {
            for note in &c.notes {
                out.push_str(&format!("{}: {note}\n", c.label));
            }
        }
        return out;
    };
    let level = num(Some(level));
    let mut out = format!(
        "\nGroups by {group} compared: log-rank test; Cox model (ties {}), reference {group}={}\n",
        reference.1, reference.0
    );
    let mut rows = Vec::new();
    for c in comparisons {
        let test = |lr: Option<&crate::report::km::LogRankSummary>| match lr {
            Some(lr) => vec![
                num(Some(lr.statistic)),
                lr.df.to_string(),
                p_value(lr.p_value),
            ],
            None => vec![String::new(); 3],
        };
        let terms = c.cox.as_ref().map_or(&[][..], |cox| cox.terms.as_slice());
        if terms.is_empty() {
            let mut row = vec![c.label.clone()];
            row.extend(test(c.logrank.as_ref()));
            row.extend(vec![String::new(); 5]);
            rows.push(row);
        }
        for (i, t) in terms.iter().enumerate() {
            let mut row = vec![if i == 0 {
                c.label.clone()
            } else {
                String::new()
            }];
            row.extend(if i == 0 {
                test(c.logrank.as_ref())
            } else {
                vec![String::new(); 3]
            });
            row.extend([
                t.label.clone(),
                num(t.hazard_ratio),
                num(t.lower),
                num(t.upper),
                p_value(t.p_value),
            ]);
            rows.push(row);
        }
    }
    let (lower, upper) = (format!("lower {level}"), format!("upper {level}"));
    out.push_str(&table(
        &[
            "",
            "Chisq",
            "df",
            "p",
            "term",
            "exp(coef)",
            &lower,
            &upper,
            "Pr(>|z|)",
        ],
        &rows,
    ));
    for c in comparisons {
        for note in &c.notes {
            out.push_str(&format!("Note: {}: {note}\n", c.label));
        }
    }
    out
}
