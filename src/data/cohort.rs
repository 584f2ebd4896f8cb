//! The cohort: one entry per patient, stored column by column (a million
//! rows stay small: numbers are `f64`, categories are indices into levels).

use serde::{Deserialize, Serialize};

use super::adam::AdamSummary;
use super::columns::{endpoint_label, MappedTable};
use super::ids::PatientIds;
use super::message::Message;
use super::packed::{Numbers, TimeEvents};
use super::values::TimeUnit;
use crate::stats::response::BestResponse;

/// A time in months and whether it ended in the event (`false`: censored).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeEvent {
    pub months: f64,
    pub event: bool,
}

/// One time-to-event endpoint for all patients.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// "os", "pfs", "dor", or the prefix of another pair ("efs").
    pub key: String,
    /// "Overall survival", …
    pub label: String,
    /// The unit the times were given in (they are stored in months).
    pub unit: TimeUnit,
    /// Per patient; `None` when no time was recorded.
    pub values: TimeEvents,
}

/// Times without an event (time to response), stored in months.
#[derive(Debug, Clone, PartialEq)]
pub struct Times {
    pub unit: TimeUnit,
    pub months: Numbers,
}

/// The values of a covariate column.
#[derive(Debug, Clone, PartialEq)]
pub enum CovariateValues {
    /// Every non-missing cell is a number.
    Numeric(Numbers),
    /// Categories (subgroups): `codes[i]` indexes `levels`, in order of first appearance.
    Categorical {
        levels: Vec<String>,
        codes: Vec<Option<u32>>,
    },
}

/// Any other column: a subgroup or a numeric patient characteristic.
#[derive(Debug, Clone, PartialEq)]
pub struct Covariate {
    pub name: String,
    pub values: CovariateValues,
}

impl Covariate {
    /// True for a categorical column (usable for grouping).
    pub fn is_categorical(&self) -> bool {
        matches!(self.values, CovariateValues::Categorical { .. })
    }

    fn cell(&self, i: usize) -> Cell<'_> {
        match &self.values {
            CovariateValues::Numeric(v) => v.get(i).map_or(Cell::Missing, Cell::Number),
            CovariateValues::Categorical { levels, codes } => {
                codes[i].map_or(Cell::Missing, |c| Cell::Text(&levels[c as usize]))
            }
        }
    }

    fn select(&self, keep: &[usize]) -> Covariate {
        let values = match &self.values {
            CovariateValues::Numeric(v) => CovariateValues::Numeric(v.select(keep)),
            CovariateValues::Categorical { levels, codes } => CovariateValues::Categorical {
                levels: levels.clone(),
                codes: keep.iter().map(|&i| codes[i]).collect(),
            },
        };
        Covariate {
            name: self.name.clone(),
            values,
        }
    }
}

/// How often an original response spelling occurred and what it was read as.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseSpelling {
    pub original: String,
    pub code: BestResponse,
    pub count: usize,
}

/// One cell, for filters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Missing,
    Text(&'a str),
    Number(f64),
    Response(BestResponse),
    Event(TimeEvent),
}

/// A patient left out of one analysis, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exclusion {
    /// "best_response", "best_pct_change" or an endpoint key.
    pub analysis: String,
    pub row: usize,
    pub patient_id: String,
    pub reason: String,
}

/// A column name that the cohort does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownColumn(pub String);

/// An imported cohort: one entry per patient in every vector.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cohort {
    /// Spreadsheet row (header = 1) or observation the patient came from
    /// (32 bits: a file within the size limit has fewer rows).
    pub rows: Vec<u32>,
    pub ids: PatientIds,
    /// `None` when the input had no best-response column.
    pub best_response: Option<Vec<Option<BestResponse>>>,
    /// Best % change from baseline in the sum of target-lesion diameters;
    /// `None` for the column when absent, per patient when not measured.
    pub best_pct_change: Option<Numbers>,
    pub endpoints: Vec<Endpoint>,
    /// Time to response, when given.
    pub ttr: Option<Times>,
    pub covariates: Vec<Covariate>,
    /// Warnings and notes from the import (errors prevent a cohort).
    pub messages: Vec<Message>,
    /// Original response spellings and the codes they were read as.
    pub response_spellings: Vec<ResponseSpelling>,
    /// The column that groups the report unless the user chooses another
    /// (an ADaM import's arm variable).
    pub default_group: Option<String>,
    /// What an ADaM import found and chose.
    pub adam: Option<AdamSummary>,
    /// A one-table import: the column mapping used and the file's header,
    /// so that the page can offer to edit the mapping.
    pub mapping: Option<MappedTable>,
}

/// Canonical column names of the written CSV.
const ID: &str = "patient_id";
const RESPONSE: &str = "best_response";
const CHANGE: &str = "best_pct_change";

impl Cohort {
    /// Number of patients.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no patients.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The endpoint with this key ("os", "pfs", …).
    pub fn endpoint(&self, key: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.key == key)
    }

    /// Categorical covariates: the columns a page offers for grouping.
    pub fn grouping_columns(&self) -> impl Iterator<Item = &Covariate> {
        self.covariates.iter().filter(|c| c.is_categorical())
    }

    /// The covariate with this name.
    pub fn covariate(&self, name: &str) -> Option<&Covariate> {
        self.covariates.iter().find(|c| c.name == name)
    }

    /// Names accepted by [`Cohort::cell`] and [`Cohort::filter`]: the
    /// canonical CSV header.
    pub fn column_names(&self) -> Vec<String> {
        let mut names = vec![ID.to_string()];
        if self.best_response.is_some() {
            names.push(RESPONSE.into());
        }
        if self.best_pct_change.is_some() {
            names.push(CHANGE.into());
        }
        for e in &self.endpoints {
            names.push(format!("{}_months", e.key));
            names.push(format!("{}_event", e.key));
        }
        if self.ttr.is_some() {
            names.push("ttr_months".into());
        }
        names.extend(self.covariates.iter().map(|c| c.name.clone()));
        names
    }

    /// The cell of patient `i` in a column (canonical name). Endpoint
    /// columns (`os_months`, `os_event`) both give [`Cell::Event`].
    /// Panics if `i` is not below [`Cohort::len`] (a caller error, not bad input).
    pub fn cell(&self, column: &str, i: usize) -> Result<Cell<'_>, UnknownColumn> {
        let unknown = || UnknownColumn(column.to_string());
        if let Some(c) = self.covariate(column) {
            return Ok(c.cell(i));
        }
        match column {
            ID => Ok(Cell::Text(&self.ids[i])),
            RESPONSE => {
                let v = self.best_response.as_ref().ok_or_else(unknown)?;
                Ok(v[i].map_or(Cell::Missing, Cell::Response))
            }
            CHANGE => {
                let v = self.best_pct_change.as_ref().ok_or_else(unknown)?;
                Ok(v.get(i).map_or(Cell::Missing, Cell::Number))
            }
            "ttr_months" => {
                let t = self.ttr.as_ref().ok_or_else(unknown)?;
                Ok(t.months.get(i).map_or(Cell::Missing, Cell::Number))
            }
            _ => {
                let key = column
                    .strip_suffix("_months")
                    .or_else(|| column.strip_suffix("_event"))
                    .ok_or_else(unknown)?;
                let e = self.endpoint(key).ok_or_else(unknown)?;
                Ok(e.values.get(i).map_or(Cell::Missing, Cell::Event))
            }
        }
    }

    /// The patients whose cell in `column` satisfies `keep` (a page filter).
    /// Import messages and response spellings are carried over unchanged.
    pub fn filter(
        &self,
        column: &str,
        keep: impl Fn(Cell<'_>) -> bool,
    ) -> Result<Cohort, UnknownColumn> {
        if !self.column_names().iter().any(|n| n == column) {
            return Err(UnknownColumn(column.to_string()));
        }
        let mut kept = Vec::new();
        for i in 0..self.len() {
            if keep(self.cell(column, i)?) {
                kept.push(i);
            }
        }
        Ok(self.select(&kept))
    }

    /// The patients at the given indices, in that order.
    pub fn select(&self, keep: &[usize]) -> Cohort {
        Cohort {
            rows: keep.iter().map(|&i| self.rows[i]).collect(),
            ids: self.ids.select(keep),
            best_response: self
                .best_response
                .as_ref()
                .map(|v| keep.iter().map(|&i| v[i]).collect()),
            best_pct_change: self.best_pct_change.as_ref().map(|v| v.select(keep)),
            endpoints: self
                .endpoints
                .iter()
                .map(|e| Endpoint {
                    values: e.values.select(keep),
                    ..e.clone_empty()
                })
                .collect(),
            ttr: self.ttr.as_ref().map(|t| Times {
                unit: t.unit,
                months: t.months.select(keep),
            }),
            covariates: self.covariates.iter().map(|c| c.select(keep)).collect(),
            messages: self.messages.clone(),
            response_spellings: self.response_spellings.clone(),
            default_group: self.default_group.clone(),
            adam: self.adam.clone(),
            mapping: self.mapping.clone(),
        }
    }

    /// Patients left out of each analysis, with the reason: at most
    /// `limit` of them, and the count of all.
    pub fn exclusions(&self, limit: usize) -> (Vec<Exclusion>, usize) {
        let mut out = Vec::new();
        let mut total = 0;
        self.for_each_exclusion(|analysis, reason, i| {
            total += 1;
            if out.len() < limit {
                out.push(Exclusion {
                    analysis: analysis.to_string(),
                    row: self.rows[i] as usize,
                    patient_id: self.ids[i].to_string(),
                    reason: reason.to_string(),
                });
            }
        });
        (out, total)
    }

    /// Calls `f(analysis, reason, patient index)` for each patient left out
    /// of an analysis: analyses in the order of [`Cohort::exclusions`],
    /// patients in cohort order within each.
    pub fn for_each_exclusion(&self, mut f: impl FnMut(&str, &'static str, usize)) {
        let mut add = |analysis: &str, missing: &mut dyn Iterator<Item = bool>, reason| {
            for (i, m) in missing.enumerate() {
                if m {
                    f(analysis, reason, i);
                }
            }
        };
        if let Some(v) = &self.best_response {
            add(
                RESPONSE,
                &mut v.iter().map(Option::is_none),
                "no best response recorded",
            );
        }
        if let Some(v) = &self.best_pct_change {
            add(
                CHANGE,
                &mut v.iter().map(|v| v.is_none()),
                "no post-baseline measurement",
            );
        }
        for e in &self.endpoints {
            add(
                &e.key,
                &mut e.values.iter().map(|v| v.is_none()),
                "no time recorded",
            );
        }
    }

    /// The cohort as canonical CSV (comma, LF, times in months, events 1/0,
    /// responses as codes, numbers in shortest round-trip form): importing
    /// it gives the same values back.
    pub fn to_csv(&self) -> String {
        let names = self.column_names();
        // A header name holding a semicolon or tab is quoted, so that the
        // delimiter is sniffed as comma when the text is read back.
        let mut header = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .quote_style(if names.iter().any(|n| n.contains([';', '\t'])) {
                csv::QuoteStyle::Always
            } else {
                csv::QuoteStyle::Necessary
            })
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail, so the results are not inspected.
        let _ = header.write_record(&names);
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(header.into_inner().unwrap_or_default());
        for i in 0..self.len() {
            let record: Vec<String> = names
                .iter()
                .map(|name| match self.cell(name, i) {
                    Ok(Cell::Text(t)) => t.to_string(),
                    Ok(Cell::Number(x)) => x.to_string(),
                    Ok(Cell::Response(r)) => r.code().to_string(),
                    Ok(Cell::Event(te)) if name.ends_with("_event") => {
                        if te.event { "1" } else { "0" }.to_string()
                    }
                    Ok(Cell::Event(te)) => te.months.to_string(),
                    Ok(Cell::Missing) | Err(_) => String::new(),
                })
                .collect();
            let _ = writer.write_record(&record);
        }
        // The text is UTF-8 because every field is.
        let bytes = writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

impl Endpoint {
    /// A new endpoint with the standard label for its key.
    pub fn new(key: &str, unit: TimeUnit, values: impl Into<TimeEvents>) -> Endpoint {
        Endpoint {
            key: key.to_string(),
            label: endpoint_label(key),
            unit,
            values: values.into(),
        }
    }

    fn clone_empty(&self) -> Endpoint {
        Endpoint {
            key: self.key.clone(),
            label: self.label.clone(),
            unit: self.unit,
            values: TimeEvents::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Cohort {
        Cohort {
            rows: vec![2, 3, 4],
            ids: ["a", "b", "c, d"].into_iter().collect(),
            best_response: Some(vec![Some(BestResponse::Pr), None, Some(BestResponse::Pd)]),
            best_pct_change: Some(vec![Some(-45.2), None, Some(0.1)].into()),
            endpoints: vec![Endpoint::new(
                "os",
                TimeUnit::Days,
                vec![
                    Some(TimeEvent {
                        months: 1.5,
                        event: true,
                    }),
                    None,
                    Some(TimeEvent {
                        months: 0.0,
                        event: false,
                    }),
                ],
            )],
            ttr: None,
            covariates: vec![Covariate {
                name: "arm".into(),
                values: CovariateValues::Categorical {
                    levels: vec!["A".into(), "B".into()],
                    codes: vec![Some(0), Some(1), Some(0)],
                },
            }],
            ..Cohort::default()
        }
    }

    #[test]
    fn writes_canonical_csv() {
        assert_eq!(
            small().to_csv(),
            "patient_id,best_response,best_pct_change,os_months,os_event,arm\n\
             a,PR,-45.2,1.5,1,A\nb,,,,,B\n\"c, d\",PD,0.1,0,0,A\n"
        );
    }

    #[test]
    fn quotes_header_names_that_look_like_another_delimiter() {
        let mut c = small();
        c.covariates[0].name = "arm;dose".into();
        assert!(c.to_csv().starts_with("\"patient_id\",\"best_response\","));
    }

    #[test]
    fn filters_on_a_column() {
        let c = small();
        let a = c.filter("arm", |cell| cell == Cell::Text("A")).unwrap();
        assert_eq!(a.ids, ["a", "c, d"]);
        assert_eq!(a.rows, [2, 4]);
        let pr = c
            .filter("best_response", |cell| {
                cell == Cell::Response(BestResponse::Pr)
            })
            .unwrap();
        assert_eq!(pr.ids, ["a"]);
        let dead = c
            .filter("os_event", |cell| matches!(cell, Cell::Event(t) if t.event))
            .unwrap();
        assert_eq!(dead.ids, ["a"]);
        assert_eq!(
            c.filter("nope", |_| true),
            Err(UnknownColumn("nope".into()))
        );
        assert_eq!(c.grouping_columns().count(), 1);
    }

    #[test]
    fn lists_exclusions() {
        let (ex, _) = small().exclusions(usize::MAX);
        let listed: Vec<(&str, usize)> = ex.iter().map(|e| (e.analysis.as_str(), e.row)).collect();
        assert_eq!(
            listed,
            [("best_response", 3), ("best_pct_change", 3), ("os", 3)]
        );
    }
}
