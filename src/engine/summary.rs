//! The summary of an imported cohort: what the page shows of it whatever
//! the view (counts, import messages, exclusions, the columns offered by the
//! controls, a built-in study's published-vs-reproduced table).

use serde::{Deserialize, Serialize};

use crate::data::adam::AdamSummary;
use crate::data::columns::MappedTable;
use crate::data::studies::StudyInfo;
use crate::data::{Cohort, Exclusion, Message};
use crate::report::filters::filter_columns;
use crate::report::published::{evaluate_all, PublishedResult};

/// Exclusions listed by the page (the rest are counted): the summary stays
/// small whatever the size of the cohort.
pub const MAX_LISTED_EXCLUSIONS: usize = 10_000;

/// What the page shows of a cohort whatever the view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortSummary {
    /// Patients read.
    pub patients: usize,
    /// Warnings and notes of the import.
    pub messages: Vec<Message>,
    /// Patients left out of single analyses: the first [`MAX_LISTED_EXCLUSIONS`].
    pub exclusions: Vec<Exclusion>,
    /// How many exclusions there are in all.
    pub exclusions_total: usize,
    /// What an ADaM import found and chose.
    pub adam: Option<AdamSummary>,
    /// The column mapping of a one-table import, for the page to edit.
    pub mapping: Option<MappedTable>,
    /// The grouping used unless the user chooses another (an ADaM arm).
    pub default_group: Option<String>,
    /// The categorical columns offered for grouping.
    pub grouping_columns: Vec<String>,
    /// The endpoints, as (key, label), the first the default.
    pub endpoints: Vec<(String, String)>,
    /// The columns a filter can be set on, with their values (`None`: a range).
    pub filter_columns: Vec<(String, Option<Vec<String>>)>,
    /// A built-in study's published figures recomputed from the whole cohort.
    pub published: Vec<PublishedResult>,
}

impl CohortSummary {
    /// The summary of `cohort`, with the published figures of `study`.
    pub fn of(cohort: &Cohort, study: Option<&StudyInfo>) -> CohortSummary {
        let (exclusions, exclusions_total) = cohort.exclusions(MAX_LISTED_EXCLUSIONS);
        CohortSummary {
            patients: cohort.len(),
            messages: cohort.messages.clone(),
            exclusions,
            exclusions_total,
            adam: cohort.adam.clone(),
            mapping: cohort.mapping.clone(),
            default_group: cohort.default_group.clone(),
            grouping_columns: cohort.grouping_columns().map(|c| c.name.clone()).collect(),
            endpoints: cohort
                .endpoints
                .iter()
                .map(|e| (e.key.clone(), e.label.clone()))
                .collect(),
            filter_columns: filter_columns(cohort),
            published: study.map_or_else(Vec::new, |s| evaluate_all(cohort, s)),
        }
    }

    /// The key of the first endpoint (the default one), if any.
    pub fn first_endpoint(&self) -> Option<&str> {
        self.endpoints.first().map(|(k, _)| k.as_str())
    }
}
