//! The export panel: the (filtered) cohort as canonical CSV, the analysis as
//! `cohortscope.analysis/1` JSON (the CLI's `analyze --group … --filter …`
//! output for the same view), and the R snippet ([`crate::report::r_snippet`]) that reproduces
//! the shown numbers from that same CSV. The files are written by the
//! page's session when asked for.

use yew::prelude::*;

use super::export;
use crate::engine::{ExportKind, PageModel};
use crate::report::analysis::ANALYSIS_FORMAT;
use crate::report::r_snippet::COHORT_CSV;

/// The export panel of `model`; `download` writes and downloads a file of the view.
pub fn exports(model: &PageModel, download: Callback<ExportKind>) -> Html {
    let download = |kind: ExportKind| download.reform(move |_: MouseEvent| kind);
    let r = {
        let snippet = model.r_snippet.clone();
        Callback::from(move |_: MouseEvent| {
            export::download_text("cohortscope.R", "text/plain", &snippet)
        })
    };
    html! {
        <section class="exports-panel" aria-labelledby="exports-title">
            <h3 id="exports-title">{ "Reproduce elsewhere" }</h3>
            <p>
                <button type="button" onclick={download(ExportKind::CohortCsv)}>{ format!("Cohort as CSV ({COHORT_CSV}, filters applied)") }</button>
                { " " }
                <button type="button" onclick={r}>{ "R snippet" }</button>
                { " " }
                <button type="button" onclick={download(ExportKind::AnalysisJson)}>{ format!("Analysis as JSON ({ANALYSIS_FORMAT})") }</button>
            </p>
            <pre class="r-snippet" aria-label="R code reproducing these numbers"><code>{ model.r_snippet.clone() }</code></pre>
        </section>
    }
}
