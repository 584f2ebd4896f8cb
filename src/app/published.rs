//! "Published vs reproduced": each published figure of a built-in study
//! recomputed from its synthetic cohort by `report::published` (the same
//! values the CLI's `studies` command prints), under the study's own stated
//! definitions.

use std::rc::Rc;

use yew::prelude::*;

use super::report_table::{ReportTable, Row};
use super::state::Shared;
use crate::data::studies::StudyCard;
use crate::engine::CohortSummary;

#[derive(Properties, PartialEq)]
pub struct PublishedProps {
    pub study: Rc<StudyCard>,
    /// The summary of the whole study cohort, with its published figures
    /// recomputed (filters do not apply to this comparison).
    pub summary: Shared<CohortSummary>,
}

#[component]
pub fn Published(props: &PublishedProps) -> Html {
    let info = &props.study;
    let results = &props.summary.published;
    let agreeing = results.iter().filter(|r| r.matches).count();
    let rows: Vec<Row> = results
        .iter()
        .map(|r| {
            (
                r.figure.clone(),
                vec![
                    r.published.clone(),
                    r.computed.clone(),
                    if r.matches { "yes" } else { "NO" }.to_string(),
                ],
            )
        })
        .collect();
    html! {
        <details class="published" open=true>
            <summary id="published-summary">{ format!("Published vs reproduced: {agreeing} of {} figures agree", results.len()) }</summary>
            <ReportTable header={vec!["Figure".to_string(), "Published".to_string(), "Reproduced".to_string(), "Agrees".to_string()]}
                rows={rows}
                caption={format!("Recomputed from the whole synthetic cohort with the study's definitions (response rates over {} patients; medians as the first time S(t) ≤ 0.5).", info.denominator)}
                file={format!("published-vs-reproduced-{}.csv", info.id)} />
            <p class="note">{ info.definitions.clone() }</p>
        </details>
    }
}
