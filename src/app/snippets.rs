//! The export panel: the (filtered) cohort as canonical CSV, the analysis as
//! `cohortscope.analysis/1` JSON (the CLI's `analyze` output for the same
//! data), and an R snippet (survival, survminer) that reproduces the shown
//! numbers from that same CSV.

use yew::prelude::*;

use super::export;
use super::page::Computed;
use super::state::AppState;
use crate::report::analysis::{ANALYSIS_FORMAT, LANDMARK_MONTHS};
use crate::share::{Condition, Filter};
use crate::stats::conventions::{CiTransform, Conventions, Denominator, MedianRule};

/// File name of the cohort CSV the R snippet reads.
pub const COHORT_CSV: &str = "cohort.csv";

/// An R string literal.
fn r_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An R column reference: d[["name"]].
fn r_column(name: &str) -> String {
    format!("d[[{}]]", r_string(name))
}

/// The filters as R subsetting lines. The CSV the snippet reads is already
/// filtered; the lines document what was applied.
fn r_filter_comment(filters: &[Filter]) -> Vec<String> {
    filters
        .iter()
        .map(|f| match &f.condition {
            Condition::OneOf(values) => format!(
                "#   {} %in% c({})",
                r_column(&f.column),
                values
                    .iter()
                    .map(|v| r_string(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Condition::Range { min, max } => format!(
                "#   {} between {} and {}",
                r_column(&f.column),
                min.map_or("-Inf".to_string(), |m| m.to_string()),
                max.map_or("Inf".to_string(), |m| m.to_string())
            ),
        })
        .collect()
}

/// R code that reproduces the page's numbers from the exported CSV.
pub fn r_snippet(c: &Computed, state: &AppState, conventions: &Conventions) -> String {
    let conf_type = match conventions.ci_transform {
        CiTransform::LogLog => "log-log",
        CiTransform::Log => "log",
        CiTransform::Plain => "plain",
    };
    let level = conventions.conf_level;
    let mut lines = vec![
        "# Reproduces the numbers cohortscope shows, from the CSV it exported.".to_string(),
        "library(survival)   # survfit, survdiff, coxph".to_string(),
        format!(
            "d <- read.csv({}, check.names = FALSE, stringsAsFactors = FALSE)",
            r_string(COHORT_CSV)
        ),
    ];
    if !state.view.filters.is_empty() {
        lines.push("# Filters already applied to the exported rows:".to_string());
        lines.extend(r_filter_comment(&state.view.filters));
    }
    let grouped = state.view.group.as_deref().filter(|_| c.groups.len() >= 2);
    let rhs = match grouped {
        Some(g) => {
            let levels: Vec<String> = c.groups.iter().map(|s| r_string(&s.label)).collect();
            lines.push(format!("d$group <- factor({}, levels = c({}))   # the page's group order; first is the reference", r_column(g), levels.join(", ")));
            "group"
        }
        None => "1",
    };
    if c.cohort.best_response.is_some() {
        let evaluable = match conventions.denominator {
            Denominator::AllTreated => {
                "nrow(d[!is.na(d$best_response) & d$best_response != \"\", ])".to_string()
            }
            Denominator::Evaluable => {
                "sum(d$best_response %in% c(\"CR\", \"PR\", \"SD\", \"PD\"))".to_string()
            }
        };
        lines.push(
            "# Best overall response and ORR / DCR (exact Clopper-Pearson intervals):".to_string(),
        );
        lines.push(
            "table(factor(d$best_response, levels = c(\"CR\", \"PR\", \"SD\", \"PD\", \"NE\")))"
                .to_string(),
        );
        lines.push(format!("n <- {evaluable}"));
        lines.push(format!("binom.test(sum(d$best_response %in% c(\"CR\", \"PR\")), n, conf.level = {level})   # ORR"));
        lines.push(format!("binom.test(sum(d$best_response %in% c(\"CR\", \"PR\", \"SD\")), n, conf.level = {level})   # DCR"));
    }
    for e in &c.cohort.endpoints {
        let surv = format!("Surv({}_months, {}_event)", e.key, e.key);
        lines.push(format!("# {}:", e.label));
        lines.push(format!("fit_{k} <- survfit({surv} ~ {rhs}, data = d, conf.type = \"{conf_type}\", conf.int = {level})", k = e.key));
        lines.push(format!(
            "print(fit_{}, digits = 6)   # medians with Brookmeyer-Crowley limits",
            e.key
        ));
        let times: Vec<String> = LANDMARK_MONTHS.iter().map(f64::to_string).collect();
        lines.push(format!(
            "summary(fit_{}, times = c({}))   # milestone rates",
            e.key,
            times.join(", ")
        ));
        if rhs == "group" {
            lines.push(format!("survdiff({surv} ~ group, data = d)   # log-rank"));
            lines.push(format!(
                "summary(coxph({surv} ~ group, data = d, ties = \"{}\"), conf.int = {level})   # hazard ratios",
                conventions.ties
            ));
        }
    }
    if let Some(os) = c
        .cohort
        .endpoint("os")
        .or_else(|| c.cohort.endpoints.first())
    {
        lines.push(format!(
            "survfit(Surv({k}_months, 1 - {k}_event) ~ 1, data = d)   # median follow-up (reverse Kaplan-Meier)",
            k = os.key
        ));
    }
    if conventions.median_rule == MedianRule::FirstLeHalf {
        lines.push("# Note: R takes the midpoint where S(t) is exactly 0.5 on a flat stretch; the page uses the first time S(t) <= 0.5 (lifelines).".to_string());
    }
    if let Some(e) = c.survival.as_ref() {
        lines.push("# The figure (survminer):".to_string());
        lines.push(format!(
            "survminer::ggsurvplot(fit_{}, conf.int = TRUE, risk.table = TRUE, pval = {}, xlab = \"Time (months)\")",
            e.key,
            if rhs == "group" { "TRUE" } else { "FALSE" }
        ));
    }
    lines.join("\n") + "\n"
}

/// The export panel.
pub fn exports(state: &AppState, c: &Computed, conventions: &Conventions) -> Html {
    let snippet = r_snippet(c, state, conventions);
    let csv = {
        let cohort = c.cohort.clone();
        Callback::from(move |_: MouseEvent| {
            export::download_text(COHORT_CSV, "text/csv", &cohort.to_csv())
        })
    };
    let r = {
        let snippet = snippet.clone();
        Callback::from(move |_: MouseEvent| {
            export::download_text("cohortscope.R", "text/plain", &snippet)
        })
    };
    let json = {
        // The report table's first column: the page shows what it exports.
        let analysis = c.columns[0].analysis.clone();
        Callback::from(move |_: MouseEvent| {
            if let Ok(text) = serde_json::to_string_pretty(&*analysis) {
                export::download_text("cohortscope-analysis.json", "application/json", &text);
            }
        })
    };
    html! {
        <section class="exports-panel" aria-labelledby="exports-title">
            <h3 id="exports-title">{ "Reproduce elsewhere" }</h3>
            <p>
                <button type="button" onclick={csv}>{ format!("Cohort as CSV ({COHORT_CSV}, filters applied)") }</button>
                { " " }
                <button type="button" onclick={r}>{ "R snippet" }</button>
                { " " }
                <button type="button" onclick={json}>{ format!("Analysis as JSON ({ANALYSIS_FORMAT})") }</button>
            </p>
            <pre class="r-snippet" aria-label="R code reproducing these numbers"><code>{ snippet }</code></pre>
        </section>
    }
}
