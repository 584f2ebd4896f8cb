//! `cohortscope studies`: the built-in studies.

use serde::Serialize;

use super::json;
use crate::data::import_csv;
use crate::data::studies::all;

/// The format tag of the JSON list.
const STUDIES_FORMAT: &str = "cohortscope.studies/1";

#[derive(Serialize)]
struct Listing {
    format: &'static str,
    studies: Vec<Entry>,
}

#[derive(Serialize)]
struct Entry {
    id: String,
    n: usize,
    title: String,
    citation: String,
    synthetic: bool,
}

pub(super) fn run(as_json: bool) -> Result<String, String> {
    let mut studies = Vec::new();
    for s in all() {
        let cohort = import_csv(s.csv.as_bytes().to_vec(), None)
            .map_err(|e| format!("study {}: {e}", s.info.id))?;
        studies.push(Entry {
            id: s.info.id,
            n: cohort.len(),
            title: s.info.title,
            citation: s.info.citation,
            synthetic: s.info.synthetic,
        });
    }
    if as_json {
        return json(&Listing {
            format: STUDIES_FORMAT,
            studies,
        });
    }
    let mut out = String::new();
    for s in &studies {
        out.push_str(&format!(
            "{}  (n = {})\n  {}\n  {}\n\n",
            s.id, s.n, s.title, s.citation
        ));
    }
    Ok(out + "Synthetic cohorts reconstructed from published summary figures; not patient data.\n")
}
