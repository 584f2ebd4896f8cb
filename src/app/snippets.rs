//! The export panel: the (filtered) cohort as canonical CSV, the analysis as
//! `cohortscope.analysis/1` JSON (the CLI's `analyze --group … --filter …`
//! output for the same view), and the R snippet ([`crate::report::r_snippet`]) that reproduces
//! the shown numbers from that same CSV.

use std::rc::Rc;

use yew::prelude::*;

use super::export;
use crate::report::analysis::ANALYSIS_FORMAT;
use crate::report::r_snippet::{r_snippet, Grouping, RView, COHORT_CSV};
use crate::report::view::ViewReport;
use crate::stats::conventions::Conventions;

/// The export panel.
pub fn exports(c: &Rc<ViewReport>, conventions: &Conventions) -> Html {
    let snippet = r_snippet(&RView {
        cohort: &c.cohort,
        grouping: c.group.as_deref().map(|column| Grouping {
            column,
            groups: &c.groups,
        }),
        filters: &c.filters,
        conventions,
        figure: c.survival.as_ref().map(|s| s.key.as_str()),
    });
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
        // The report table's columns, as `cohortscope analyze --group … --json`
        // writes them: the page shows what it exports.
        let report = c.clone();
        Callback::from(move |_: MouseEvent| {
            if let Ok(text) = serde_json::to_string_pretty(&report.export()) {
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
