//! Importing a one-row-per-patient table, a few rows at a time (reached
//! through [`ImportJob`](super::input::ImportJob), the one way in).
//!
//! ```text
//! let mut job = TableImport::new(bytes, None)?;   // header read, mapping guessed
//! while !job.is_done() { let p = job.step(10_000); /* show p, yield */ }
//! let cohort = job.finish()?;
//! ```
//! Every problem becomes a [`Message`]; errors stop the analysis (the import
//! returns an [`ImportFailure`] with all of them and the column mapping the
//! user can correct), warnings name the rows and let it run.

use serde::{Deserialize, Serialize};

use super::cohort::{
    Cohort, Covariate, CovariateValues, Endpoint, ResponseSpelling, TimeEvent, Times,
};
use super::columns::{ColumnMapping, EventColumn, MappedTable, TimeColumn};
use super::ids::PatientIds;
use super::message::{Message, RowKind, Severity};
use super::packed::{Numbers, TimeEvents};
use super::table::{Table, MAX_ROWS};
use super::values::{
    is_missing, parse_event, parse_number, parse_response, trim, ResponseReading, TimeUnit,
};
use crate::stats::response::BestResponse;
use csv::StringRecord;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault, RandomState};

/// A PR needs a decrease of at least 30% (RECIST 1.1, section 4.3.1).
pub const PR_MAX_CHANGE: f64 = -30.0;
/// PD is an increase of at least 20%; a PD with a decrease below this is suspicious.
pub const PD_MIN_CHANGE: f64 = -20.0;
/// A CR leaves at most lymph nodes under 10 mm short axis, so the sum of
/// diameters falls close to −100%; a CR above this change is suspicious.
pub const CR_MAX_CHANGE: f64 = -80.0;
/// At most this many messages are listed; the rest are counted.
pub const MAX_LISTED_MESSAGES: usize = 1000;
/// Rows listed in one exclusion note.
const MAX_LISTED_ROWS: usize = 20;
/// Times compare equal within this many months (round-off of unit conversion).
const TIME_TOLERANCE_MONTHS: f64 = 1e-9;

/// How far an import has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub rows_done: usize,
    pub bytes_done: usize,
    pub total_bytes: usize,
}

/// Why an import produced no cohort: every message (errors first), the
/// mapping that was used or guessed, and the header, so that a page can
/// show one select per role and re-run the import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportFailure {
    pub messages: Vec<Message>,
    /// The header and the mapping used or guessed, once a header was read.
    pub columns: Option<Box<MappedTable>>,
    /// The roles could not be matched to columns: the mapping step helps.
    /// False for errors in the values of a file whose columns were all
    /// recognised (fix the file, not the mapping).
    pub needs_mapping: bool,
}

impl ImportFailure {
    /// A failure of one error that is no file's, row's or column's: no
    /// columns to map.
    pub fn error(text: impl Into<String>) -> ImportFailure {
        ImportFailure {
            messages: vec![Message::error(text)],
            columns: None,
            needs_mapping: false,
        }
    }
}

impl fmt::Display for ImportFailure {
    /// The error messages, one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self
            .messages
            .iter()
            .filter(|m| m.is_error())
            .map(Message::to_string)
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for ImportFailure {}

/// Collects messages, listing at most [`MAX_LISTED_MESSAGES`].
#[derive(Debug, Default)]
pub(crate) struct Messages {
    pub(crate) list: Vec<Message>,
    unlisted: usize,
    pub(crate) errors: usize,
    /// What the rows of these messages count (observations of an XPT file).
    pub(crate) row_kind: RowKind,
}

impl Messages {
    pub(crate) fn push(&mut self, mut message: Message) {
        if message.row.is_some() {
            message.row_kind = self.row_kind;
        }
        if message.is_error() {
            self.errors += 1;
        }
        if self.list.len() < MAX_LISTED_MESSAGES {
            self.list.push(message);
        } else {
            self.unlisted += 1;
        }
    }

    /// All messages, errors first, with a count of those not listed.
    pub(crate) fn into_sorted(mut self) -> Vec<Message> {
        if self.unlisted > 0 {
            self.list.push(Message::new(
                if self.errors > 0 {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!(
                    "{} more messages not listed (the first {MAX_LISTED_MESSAGES} are shown)",
                    self.unlisted
                ),
            ));
        }
        self.list.sort_by_key(|m| m.severity);
        self.list
    }
}

/// A covariate column being collected: numeric until a cell is not a number.
#[derive(Debug)]
pub(crate) enum CovariateBuilder {
    Numeric(Numbers),
    Categorical {
        levels: Vec<String>,
        index: HashMap<String, u32>,
        codes: Vec<Option<u32>>,
    },
}

impl CovariateBuilder {
    pub(crate) fn new() -> Self {
        CovariateBuilder::Numeric(Numbers::new())
    }

    fn level(levels: &mut Vec<String>, index: &mut HashMap<String, u32>, text: &str) -> u32 {
        // A few levels (an arm, a sex) are compared in turn: cheaper than hashing.
        let found = if levels.len() <= 8 {
            levels.iter().position(|l| l == text).map(|c| c as u32)
        } else {
            index.get(text).copied()
        };
        if let Some(c) = found {
            return c;
        }
        let c = levels.len() as u32;
        levels.push(text.to_string());
        index.insert(text.to_string(), c);
        c
    }

    /// Adds a cell. Missing cells (empty, NA, `.`) stay missing. A column
    /// that turns out not to be numeric keeps its earlier numbers as text
    /// in shortest form ("1.50" becomes the level "1.5").
    pub(crate) fn push(&mut self, text: &str, decimal_comma: bool) {
        let text = trim(text);
        if let CovariateBuilder::Numeric(values) = self {
            match parse_number(text, decimal_comma) {
                Ok(v) => {
                    values.push(v);
                    return;
                }
                Err(_) => {
                    let mut levels = Vec::new();
                    let mut index = HashMap::new();
                    let codes = values
                        .iter()
                        .map(|v| v.map(|x| Self::level(&mut levels, &mut index, &x.to_string())))
                        .collect();
                    *self = CovariateBuilder::Categorical {
                        levels,
                        index,
                        codes,
                    };
                }
            }
        }
        if let CovariateBuilder::Categorical {
            levels,
            index,
            codes,
        } = self
        {
            codes.push(if is_missing(text) {
                None
            } else {
                Some(Self::level(levels, index, text))
            });
        }
    }

    pub(crate) fn finish(self, name: String) -> Covariate {
        let values = match self {
            CovariateBuilder::Numeric(v) => CovariateValues::Numeric(v),
            CovariateBuilder::Categorical { levels, codes, .. } => {
                CovariateValues::Categorical { levels, codes }
            }
        };
        Covariate { name, values }
    }
}

/// Counts of original response spellings.
#[derive(Debug, Default)]
pub(crate) struct Spellings {
    /// Each spelling seen, its reading and count, in order of appearance.
    seen: Vec<(String, ResponseReading, usize)>,
    /// Where each spelling is in `seen`, once there are more than
    /// [`Spellings::COMPARED`] (a file of every upper/lower-case variant).
    index: HashMap<String, usize>,
}

impl Spellings {
    /// A file holds a handful of spellings: compared in turn, cheaper than hashing each cell.
    const COMPARED: usize = 16;

    /// Reads a response cell (not empty) and counts its spelling: `None` for
    /// a spelling that names no response. A spelling seen before (nearly every
    /// row) is counted without reading it again or copying it.
    pub(crate) fn read(&mut self, original: &str) -> Option<ResponseReading> {
        if let Some(i) = self.position(original) {
            self.seen[i].2 += 1;
            return Some(self.seen[i].1);
        }
        let reading = parse_response(original)?;
        self.record(original, reading);
        Some(reading)
    }

    fn position(&self, original: &str) -> Option<usize> {
        if self.seen.len() <= Self::COMPARED {
            self.seen.iter().position(|(s, _, _)| s == original)
        } else {
            self.index.get(original).copied()
        }
    }

    fn record(&mut self, original: &str, reading: ResponseReading) {
        match self.position(original) {
            Some(i) => self.seen[i].2 += 1,
            None => {
                self.seen.push((original.to_string(), reading, 1));
                if self.seen.len() > Self::COMPARED {
                    if self.index.is_empty() {
                        let all = self.seen.iter().enumerate();
                        self.index = all.map(|(i, (s, _, _))| (s.clone(), i)).collect();
                    } else {
                        self.index.insert(original.to_string(), self.seen.len() - 1);
                    }
                }
            }
        }
    }

    /// The mapping table (by code, then spelling) and a note per non-CR/non-PD spelling.
    pub(crate) fn finish(self, column: &str) -> (Vec<ResponseSpelling>, Vec<Message>) {
        let mut table: Vec<ResponseSpelling> = Vec::new();
        let mut notes = Vec::new();
        for (original, reading, count) in self.seen {
            if reading == ResponseReading::NonCrNonPd {
                notes.push(
                    Message::note(format!(
                        "{count} patients: non-CR/non-PD counted as SD (RECIST 1.1 counts it as disease control for patients without measurable disease)"
                    ))
                    .in_column(column)
                    .with_value(original.clone()),
                );
            }
            table.push(ResponseSpelling {
                original,
                code: reading.response(),
                count,
            });
        }
        table.sort_by(|a, b| (a.code, &a.original).cmp(&(b.code, &b.original)));
        notes.sort_by(|a, b| a.value.cmp(&b.value));
        (table, notes)
    }
}

/// How excluded patients are named in a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameBy {
    /// Spreadsheet rows (one text file).
    Row,
    /// Observations (one SAS transport file).
    Observation,
    /// Patient ids (several files, where a row number would be ambiguous).
    Id,
}

/// Notes listing the patients excluded from each analysis.
pub(crate) fn exclusion_notes(cohort: &Cohort, name_by: NameBy) -> Vec<Message> {
    // Per analysis: its reason, the first patients named and the count of all.
    let mut by_analysis: Vec<(String, &str, Vec<String>, usize)> = Vec::new();
    cohort.for_each_exclusion(|analysis, reason, i| {
        let group = match by_analysis.iter().position(|(a, ..)| a == analysis) {
            Some(g) => g,
            None => {
                by_analysis.push((analysis.to_string(), reason, Vec::new(), 0));
                by_analysis.len() - 1
            }
        };
        let (_, _, names, count) = &mut by_analysis[group];
        *count += 1;
        if names.len() < MAX_LISTED_ROWS {
            names.push(match name_by {
                NameBy::Row | NameBy::Observation => cohort.rows[i].to_string(),
                NameBy::Id => cohort.ids[i].to_string(),
            });
        }
    });
    by_analysis
        .into_iter()
        .map(|(analysis, reason, mut listed, count)| {
            let label = match cohort.endpoint(&analysis) {
                Some(e) => e.label.clone(),
                None if analysis == "best_response" => "response rates".to_string(),
                None => "waterfall (best % change)".to_string(),
            };
            if count > MAX_LISTED_ROWS {
                listed.push(format!("and {} more", count - MAX_LISTED_ROWS));
            }
            let what = match name_by {
                NameBy::Row => "rows",
                NameBy::Observation => "observations",
                NameBy::Id => "patients",
            };
            Message::note(format!(
                "{label}: {count} patients excluded ({reason}): {what} {}",
                listed.join(", ")
            ))
        })
        .collect()
}

/// Column indices of one endpoint.
#[derive(Debug)]
struct PlannedEndpoint {
    key: String,
    time: usize,
    unit: TimeUnit,
    event: usize,
    censor_indicator: bool,
}

/// Column indices of the mapped roles.
#[derive(Debug)]
struct Plan {
    id: usize,
    response: Option<usize>,
    change: Option<usize>,
    endpoints: Vec<PlannedEndpoint>,
    ttr: Option<(usize, TimeUnit)>,
    covariates: Vec<(usize, String)>,
}

fn resolve(mapping: &ColumnMapping, headers: &[String], messages: &mut Messages) -> Option<Plan> {
    let find = |name: &str, messages: &mut Messages| -> Option<usize> {
        let found = headers.iter().position(|h| h == name);
        if found.is_none() {
            messages.push(Message::error("the mapped column is not in the file").in_column(name));
        }
        found
    };
    let errors_before = messages.errors;
    let id = match &mapping.patient_id {
        Some(name) => find(name, messages),
        None => {
            messages.push(Message::error(
                "missing required column patient_id (also read as ID, SUBJID, USUBJID, subject): choose the column that identifies patients",
            ));
            None
        }
    };
    let response = mapping
        .best_response
        .as_deref()
        .and_then(|n| find(n, messages));
    let change = mapping
        .best_pct_change
        .as_deref()
        .and_then(|n| find(n, messages));
    let mut endpoints = Vec::new();
    for e in &mapping.endpoints {
        match (&e.time, &e.event) {
            (Some(TimeColumn { column, unit }), Some(EventColumn { column: event, censor_indicator })) => {
                if let (Some(t), Some(ev)) = (find(column, messages), find(event, messages)) {
                    endpoints.push(PlannedEndpoint {
                        key: e.key.clone(),
                        time: t,
                        unit: *unit,
                        event: ev,
                        censor_indicator: *censor_indicator,
                    });
                }
            }
            (Some(t), None) => messages.push(
                Message::error(format!("missing required column {}_event: the event indicator that goes with this time", e.key))
                    .in_column(t.column.clone()),
            ),
            (None, Some(ev)) => messages.push(
                Message::error(format!("missing required column {}_months (or _days, _weeks): the time that goes with this event", e.key))
                    .in_column(ev.column.clone()),
            ),
            (None, None) => {}
        }
    }
    let ttr = mapping
        .ttr
        .as_ref()
        .and_then(|t| find(&t.column, messages).map(|i| (i, t.unit)));
    let mut used: Vec<&str> = mapping.used_columns();
    used.sort_unstable();
    for pair in used.windows(2) {
        if pair[0] == pair[1] {
            messages
                .push(Message::error("the same column is mapped to two roles").in_column(pair[0]));
        }
    }
    if response.is_none() && change.is_none() && endpoints.is_empty() && ttr.is_none() {
        messages.push(Message::error(
            "nothing to analyse: no best_response, best_pct_change or time/event columns (e.g. os_months with os_event) were found",
        ));
    }
    if messages.errors > errors_before {
        return None;
    }
    // Covariate names must differ from each other, from the mapped columns
    // and from the canonical names of the roles (see `Cohort::to_csv`).
    let mut names_taken: Vec<String> = mapping
        .used_columns()
        .iter()
        .map(|c| c.to_string())
        .collect();
    names_taken.extend(
        [
            "patient_id",
            "best_response",
            "best_pct_change",
            "ttr_months",
        ]
        .map(String::from),
    );
    for e in &endpoints {
        names_taken.push(format!("{}_months", e.key));
        names_taken.push(format!("{}_event", e.key));
    }
    let mut covariates = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if mapping.used_columns().contains(&h.as_str())
            && headers.iter().position(|x| x == h) == Some(i)
        {
            continue;
        }
        let original = if h.is_empty() {
            format!("column_{}", i + 1)
        } else {
            h.clone()
        };
        let mut name = original.clone();
        while names_taken.contains(&name) {
            name = format!("{name}_{}", i + 1);
        }
        if name != original {
            messages.push(
                Message::warning(format!("column name already in use: read as {name}"))
                    .in_column(original),
            );
        }
        names_taken.push(name.clone());
        covariates.push((i, name));
    }
    Some(Plan {
        id: id?,
        response,
        change,
        endpoints,
        ttr,
        covariates,
    })
}

/// Rows read before the columns reserve room for the rest of the file.
const PROBE_ROWS: usize = 1_000;

/// An import in progress.
pub struct TableImport {
    table: Table,
    mapping: ColumnMapping,
    plan: Option<Plan>,
    messages: Messages,
    rows_done: usize,
    done: bool,
    seen_ids: SeenIds,
    cohort: Cohort,
    spellings: Spellings,
    covariates: Vec<CovariateBuilder>,
}

impl TableImport {
    /// Reads the header and checks the mapping (`None`: guess it from the
    /// header). Fails with the guessed mapping when a required role has no
    /// column, when the file is larger than 200 MB, or when it has no header.
    pub fn new(
        bytes: Vec<u8>,
        mapping: Option<ColumnMapping>,
    ) -> Result<TableImport, ImportFailure> {
        let table = Table::open(bytes).map_err(|m| ImportFailure {
            messages: vec![m],
            columns: None,
            needs_mapping: false,
        })?;
        let headers = table.headers().to_vec();
        let mut messages = Messages {
            row_kind: table.row_kind(),
            ..Messages::default()
        };
        let mapping = match mapping {
            Some(m) => m,
            None => {
                let (m, assumed) = ColumnMapping::guess(&headers);
                for a in assumed {
                    messages.push(
                        Message::note("no unit in the column name: times read as months")
                            .in_column(a.column),
                    );
                }
                m
            }
        };
        match table.delimiter() {
            b';' => messages.push(Message::note(
                "semicolon-delimited: a decimal comma is accepted in numbers",
            )),
            b'\t' => messages.push(Message::note(
                "tab-delimited: a decimal comma is accepted in numbers",
            )),
            _ => {}
        }
        if table.encoding() == super::table::Encoding::Latin1 {
            messages.push(Message::warning(
                "the file is not UTF-8: read as Windows-1252/Latin-1",
            ));
        }
        let plan = resolve(&mapping, &headers, &mut messages);
        let Some(plan) = plan else {
            return Err(ImportFailure {
                messages: messages.into_sorted(),
                columns: Some(Box::new(MappedTable {
                    mapping,
                    headers,
                    labels: table.labels().to_vec(),
                })),
                needs_mapping: true,
            });
        };
        let cohort = Cohort {
            best_response: plan.response.map(|_| Vec::new()),
            best_pct_change: plan.change.map(|_| Numbers::new()),
            endpoints: plan
                .endpoints
                .iter()
                .map(|p| Endpoint::new(&p.key, p.unit, TimeEvents::new()))
                .collect(),
            ttr: plan.ttr.map(|(_, unit)| Times {
                unit,
                months: Numbers::new(),
            }),
            ..Cohort::default()
        };
        let covariates = plan
            .covariates
            .iter()
            .map(|_| CovariateBuilder::new())
            .collect();
        Ok(TableImport {
            table,
            mapping,
            plan: Some(plan),
            messages,
            rows_done: 0,
            done: false,
            seen_ids: SeenIds::default(),
            cohort,
            spellings: Spellings::default(),
            covariates,
        })
    }

    /// The column mapping in use.
    pub fn mapping(&self) -> &ColumnMapping {
        &self.mapping
    }

    /// True when every row has been read.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Reads at most `max_rows` more rows.
    pub fn step(&mut self, max_rows: usize) -> Progress {
        let mut read = 0;
        let mut record = StringRecord::new();
        while !self.done && read < max_rows {
            match self.table.next_row(&mut record) {
                Ok(Some(row)) => {
                    self.add_row(row, &record);
                    read += 1;
                    if self.rows_done + read == PROBE_ROWS {
                        self.reserve_for_the_rest();
                    }
                }
                Ok(None) => self.done = true,
                Err(message) => {
                    self.messages.push(message);
                    self.done = true;
                }
            }
        }
        self.rows_done += read;
        let (bytes_done, total_bytes) = self.table.progress_bytes();
        Progress {
            rows_done: self.rows_done,
            bytes_done,
            total_bytes,
        }
    }

    /// Room in every column for the rows left, estimated from the bytes the
    /// rows read so far took: reserved at once rather than doubling each
    /// column's vector as it grows.
    fn reserve_for_the_rest(&mut self) {
        let (done, total) = self.table.progress_bytes();
        if done == 0 {
            return;
        }
        let read = self.cohort.ids.len();
        let estimate = (total as f64 / done as f64 * read as f64).ceil() as usize;
        let rows = estimate.min(MAX_ROWS).saturating_sub(read);
        let c = &mut self.cohort;
        let id_bytes = c.ids.iter().map(str::len).sum::<usize>();
        c.ids.reserve(rows, id_bytes / read.max(1) * rows);
        c.rows.reserve(rows);
        if let Some(v) = c.best_response.as_mut() {
            v.reserve(rows);
        }
        if let Some(v) = c.best_pct_change.as_mut() {
            v.reserve(rows);
        }
        for e in &mut c.endpoints {
            e.values.reserve(rows);
        }
        if let Some(t) = c.ttr.as_mut() {
            t.months.reserve(rows);
        }
        for b in &mut self.covariates {
            match b {
                CovariateBuilder::Numeric(v) => v.reserve(rows),
                CovariateBuilder::Categorical { codes, .. } => codes.reserve(rows),
            }
        }
    }

    /// Reads what is left and returns the cohort, or every error found.
    pub fn finish(mut self) -> Result<Cohort, ImportFailure> {
        while !self.done {
            self.step(usize::MAX);
        }
        let headers = self.table.headers().to_vec();
        let Some(plan) = self.plan.take() else {
            return Err(ImportFailure {
                messages: self.messages.into_sorted(),
                columns: Some(Box::new(MappedTable {
                    mapping: self.mapping,
                    headers,
                    labels: self.table.labels().to_vec(),
                })),
                needs_mapping: true,
            });
        };
        if self.cohort.ids.is_empty() {
            self.messages
                .push(Message::error("the file has a header but no data rows"));
        }
        if self.messages.errors > 0 {
            return Err(ImportFailure {
                messages: self.messages.into_sorted(),
                columns: Some(Box::new(MappedTable {
                    mapping: self.mapping,
                    headers,
                    labels: self.table.labels().to_vec(),
                })),
                needs_mapping: false,
            });
        }
        let mut cohort = self.cohort;
        cohort.covariates = self
            .covariates
            .into_iter()
            .zip(plan.covariates)
            .map(|(b, (_, name))| b.finish(name))
            .collect();
        let response_column = self.mapping.best_response.clone().unwrap_or_default();
        let (table, notes) = self.spellings.finish(&response_column);
        cohort.response_spellings = table;
        let mut messages = self.messages.into_sorted();
        messages.extend(notes);
        let name_by = match self.table.row_kind() {
            RowKind::Spreadsheet => NameBy::Row,
            RowKind::Observation => NameBy::Observation,
        };
        messages.extend(exclusion_notes(&cohort, name_by));
        cohort.messages = messages;
        cohort.mapping = Some(MappedTable {
            mapping: self.mapping,
            headers,
            labels: self.table.labels().to_vec(),
        });
        Ok(cohort)
    }

    fn add_row(&mut self, row: usize, record: &StringRecord) {
        let Some(plan) = &self.plan else { return };
        let headers = self.table.headers();
        let decimal_comma = self.table.decimal_comma();
        let cell = |i: usize| trim(record.get(i).unwrap_or(""));
        let at = |i: usize, text: &str| -> Message {
            Message::error(text)
                .at_row(row)
                .in_column(headers[i].clone())
                .with_value(cell(i))
        };
        let mut new_messages: Vec<Message> = Vec::new();

        if record.len() > headers.len()
            && record
                .iter()
                .skip(headers.len())
                .any(|f| !trim(f).is_empty())
        {
            new_messages.push(
                Message::warning(format!(
                    "the row has {} cells but the header only {}: extra cells ignored",
                    record.len(),
                    headers.len()
                ))
                .at_row(row),
            );
        }

        let id = cell(plan.id);
        if id.is_empty() {
            new_messages.push(at(plan.id, "patient id is empty"));
        } else if let Some(first) = self.seen_ids.first(&self.cohort.ids, id) {
            new_messages.push(at(
                plan.id,
                &format!(
                    "duplicate patient id (first in row {})",
                    self.cohort.rows[first]
                ),
            ));
        }
        self.cohort.ids.push(id);
        // A row number is below the byte count, itself below 2³²: no truncation.
        self.cohort.rows.push(row as u32);

        let mut response = None;
        if let (Some(i), Some(values)) = (plan.response, self.cohort.best_response.as_mut()) {
            let text = cell(i);
            if !text.is_empty() {
                match self.spellings.read(text) {
                    Some(reading) => {
                        response = Some(reading.response());
                    }
                    None => new_messages.push(at(
                        i,
                        "unknown response code: expected CR, PR, SD, PD or NE (or a spelling such as \"Partial Response\")",
                    )),
                }
            }
            values.push(response);
        }

        if let (Some(i), Some(values)) = (plan.change, self.cohort.best_pct_change.as_mut()) {
            let mut change = None;
            match parse_number(cell(i), decimal_comma) {
                Ok(Some(v)) if v < -100.0 => new_messages.push(at(
                    i,
                    "best % change below -100% is impossible (diameters cannot be negative)",
                )),
                Ok(v) => change = v,
                Err(_) => new_messages.push(at(i, "best % change must be a number")),
            }
            let warn = |text: String| {
                Message::warning(text)
                    .at_row(row)
                    .in_column(headers[i].clone())
                    .with_value(cell(i))
            };
            match (response, change) {
                (Some(BestResponse::Pr), Some(c)) if c > PR_MAX_CHANGE => new_messages.push(warn(format!(
                    "PR with best change above {PR_MAX_CHANGE}% (RECIST 1.1 PR needs a decrease of at least 30%)"
                ))),
                (Some(BestResponse::Pd), Some(c)) if c < PD_MIN_CHANGE => new_messages.push(warn(format!(
                    "PD with best change below {PD_MIN_CHANGE}% (check the response or the change)"
                ))),
                (Some(BestResponse::Cr), Some(c)) if c > CR_MAX_CHANGE => new_messages.push(warn(format!(
                    "CR with best change above {CR_MAX_CHANGE}% (a CR is expected near -100%; threshold {CR_MAX_CHANGE}%)"
                ))),
                _ => {}
            }
            values.push(change);
        }

        let time = |i: usize, unit: TimeUnit, messages: &mut Vec<Message>| -> Option<f64> {
            match parse_number(cell(i), decimal_comma) {
                Ok(Some(v)) if v < 0.0 => {
                    messages.push(at(i, "time must be zero or positive"));
                    None
                }
                Ok(v) => v.map(|v| unit.to_months(v)),
                Err(_) => {
                    messages.push(at(i, "time must be a number"));
                    None
                }
            }
        };
        let mut os_months = None;
        for (p, endpoint) in plan.endpoints.iter().zip(self.cohort.endpoints.iter_mut()) {
            let (t, e) = (p.time, p.event);
            let months = time(t, p.unit, &mut new_messages);
            let event = match parse_event(cell(e), p.censor_indicator) {
                Ok(v) => v,
                Err(_) => {
                    new_messages.push(at(
                        e,
                        "unknown event code: expected 1/0, true/false, yes/no, event/censored or dead/alive",
                    ));
                    None
                }
            };
            if months.is_some() && is_missing(cell(e)) {
                new_messages.push(at(e, "event is missing for a recorded time"));
            }
            if p.key == "os" {
                os_months = months;
            }
            if p.key == "dor" && months.is_some() {
                if let Some(r) = response.filter(|r| !r.is_objective_response()) {
                    new_messages.push(
                        Message::warning(format!(
                            "duration of response given for a non-responder (best response {r})"
                        ))
                        .at_row(row)
                        .in_column(headers[t].clone())
                        .with_value(cell(t)),
                    );
                }
            }
            endpoint.values.push(
                months
                    .zip(event)
                    .map(|(months, event)| TimeEvent { months, event }),
            );
        }

        if let (Some((i, unit)), Some(ttr)) = (plan.ttr, self.cohort.ttr.as_mut()) {
            let months = time(i, unit, &mut new_messages);
            let warn = |text: String| {
                Message::warning(text)
                    .at_row(row)
                    .in_column(headers[i].clone())
                    .with_value(cell(i))
            };
            if months.is_some() {
                if let Some(r) = response.filter(|r| !r.is_objective_response()) {
                    new_messages.push(warn(format!(
                        "time to response given for a non-responder (best response {r})"
                    )));
                }
                if let (Some(t), Some(os)) = (months, os_months) {
                    if t > os + TIME_TOLERANCE_MONTHS {
                        new_messages.push(warn(format!(
                            "time to response ({t:.2} months) is later than the overall survival time ({os:.2} months)"
                        )));
                    }
                }
            }
            ttr.months.push(months);
        }

        for ((i, _), builder) in plan.covariates.iter().zip(self.covariates.iter_mut()) {
            builder.push(record.get(*i).unwrap_or(""), decimal_comma);
        }
        // Every message about a value names the row's patient.
        for mut m in new_messages {
            if !id.is_empty() && m.column.as_deref() != Some(headers[plan.id].as_str()) {
                m.patient = Some(id.into());
            }
            self.messages.push(m);
        }
    }
}

/// The hasher of a map whose keys are 64-bit hashes already: the key is
/// its own hash.
#[derive(Default)]
struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    /// Not reached for `u64` keys; folds any other input all the same.
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
}

/// The patient ids seen so far, for the check that none repeats (the ids
/// themselves are stored once, in the cohort).
#[derive(Debug)]
struct SeenIds {
    /// Hash of each patient id → index of the first patient with that hash.
    /// The keys are hashes already: the map does not hash them again. Empty
    /// while the ids come in ascending order.
    hashes: HashMap<u64, usize, BuildHasherDefault<PreHashed>>,
    /// Hashes the ids with keys of this import's own (a file cannot be made
    /// of ids whose hashes collide).
    hasher: RandomState,
    order: IdOrder,
}

impl Default for SeenIds {
    fn default() -> Self {
        SeenIds {
            hashes: HashMap::default(),
            hasher: RandomState::new(),
            order: IdOrder::Ascending { last: None },
        }
    }
}

impl SeenIds {
    /// Index of the earlier patient with this (non-empty) id, and notes it
    /// as the next patient's. A hash shared by two different ids (vanishingly
    /// rare) falls back to a full scan.
    fn first(&mut self, ids: &PatientIds, id: &str) -> Option<usize> {
        let next = ids.len();
        if let IdOrder::Ascending { last } = self.order {
            if last.is_none_or(|l| &ids[l] < id) {
                self.order = IdOrder::Ascending { last: Some(next) };
                return None;
            }
            // Out of order: every id so far is unique; hash them all, once.
            self.hashes.reserve(2 * next + 1);
            for (i, earlier) in ids.iter().enumerate() {
                if !earlier.is_empty() {
                    let hash = self.hasher.hash_one(earlier);
                    self.hashes.entry(hash).or_insert(i);
                }
            }
            self.order = IdOrder::Any;
        }
        let hash = self.hasher.hash_one(id);
        match self.hashes.get(&hash) {
            None => {
                self.hashes.insert(hash, next);
                None
            }
            Some(&candidate) if &ids[candidate] == id => Some(candidate),
            Some(_) => ids.position(id),
        }
    }
}

/// How the patient ids have come so far. Exports sorted by patient (most
/// registries' and every ADaM dataset's) are checked for duplicates by one
/// compare per row with the id before; the first id out of order switches
/// to a hash of every id.
#[derive(Debug, Clone, Copy)]
enum IdOrder {
    /// Each non-empty id greater than the one before: none repeats. `last`
    /// indexes the latest non-empty one.
    Ascending { last: Option<usize> },
    /// Not in order: ids are looked up by hash.
    Any,
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::data::import_csv;

    fn errors(text: &str) -> Vec<String> {
        match import_csv(text.as_bytes().to_vec(), None) {
            Ok(c) => panic!("expected errors, got {} patients", c.len()),
            Err(f) => f
                .messages
                .iter()
                .filter(|m| m.is_error())
                .map(Message::to_string)
                .collect(),
        }
    }

    #[test]
    fn steps_report_progress() {
        let text = "id,os_months,os_event\n1,2,1\n2,3,0\n3,4,1\n";
        let mut job = TableImport::new(text.as_bytes().to_vec(), None).unwrap();
        let p = job.step(2);
        assert_eq!((p.rows_done, p.total_bytes), (2, text.len()));
        assert!(p.bytes_done < text.len());
        assert!(!job.is_done());
        let p = job.step(5);
        assert_eq!((p.rows_done, p.bytes_done), (3, text.len()));
        assert!(job.is_done());
        assert_eq!(job.finish().unwrap().len(), 3);
    }

    #[test]
    fn reports_every_error() {
        assert_eq!(
            errors("id,os_months,os_event\n1,-3,1\n1,x,2\n"),
            [
                "row 2 (patient 1), column os_months, value \"-3\": time must be zero or positive",
                "row 3, column id, value \"1\": duplicate patient id (first in row 2)",
                "row 3 (patient 1), column os_months, value \"x\": time must be a number",
                "row 3 (patient 1), column os_event, value \"2\": unknown event code: expected 1/0, true/false, yes/no, event/censored or dead/alive",
            ]
        );
    }

    /// The duplicate-id errors of a file of these ids.
    fn duplicates(ids: &[&str]) -> Vec<String> {
        let mut text = String::from("id,os_months,os_event\n");
        for id in ids {
            text += &format!("{id},1,1\n");
        }
        errors(&text)
            .into_iter()
            .filter(|e| !e.contains("patient id is empty"))
            .collect()
    }

    #[test]
    fn finds_repeated_ids_in_order_and_out_of_order() {
        let dup = |row: usize, id: &str, first: usize| {
            format!(
                "row {row}, column id, value \"{id}\": duplicate patient id (first in row {first})"
            )
        };
        // Ascending with a repeat next to its first; an empty id between.
        assert_eq!(duplicates(&["a", "b", "", "b", "c"]), [dup(5, "b", 3)]);
        // Out of order, then a repeat of an id seen while still in order.
        assert_eq!(
            duplicates(&["a", "c", "b", "a", "d", "c", "b"]),
            [dup(5, "a", 2), dup(7, "c", 3), dup(8, "b", 4)]
        );
        // Descending: every id is hashed from the second row on.
        assert_eq!(duplicates(&["z", "y", "x", "y"]), [dup(5, "y", 3)]);
        // Several repeats of one id all name the first.
        assert_eq!(
            duplicates(&["1", "2", "1", "1"]),
            [dup(4, "1", 2), dup(5, "1", 2)]
        );
    }

    #[test]
    fn counts_each_response_spelling_past_the_compared_few() {
        let mut spellings = Spellings::default();
        let words: Vec<String> = (0..40)
            .map(|i| {
                // Upper/lower-case variants of "partial response": each its own spelling.
                "partial"
                    .chars()
                    .enumerate()
                    .map(|(k, c)| {
                        if i >> k & 1 == 1 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        }
                    })
                    .collect()
            })
            .collect();
        for round in 0..3 {
            for w in &words[..words.len() - round] {
                spellings.record(w, ResponseReading::Direct(BestResponse::Pr));
            }
        }
        let (table, _) = spellings.finish("best_response");
        assert_eq!(table.len(), 40);
        let count = |w: &str| table.iter().find(|s| s.original == w).unwrap().count;
        assert_eq!(count(&words[0]), 3);
        assert_eq!(count(&words[38]), 2);
        assert_eq!(count(&words[39]), 1);
    }

    #[test]
    fn numeric_covariate_becomes_categorical_on_text() {
        let mut b = CovariateBuilder::new();
        for t in ["1.50", "", "high", "1.5"] {
            b.push(t, false);
        }
        assert_eq!(
            b.finish("x".into()).values,
            CovariateValues::Categorical {
                levels: vec!["1.5".into(), "high".into()],
                codes: vec![Some(0), None, Some(1), Some(0)]
            }
        );
    }

    #[test]
    fn covariates_never_take_a_canonical_name() {
        let c = import_csv(b"id,ttr_mo,ttr_months,x,x\n1,2,3,a,b\n".to_vec(), None).unwrap();
        let names: Vec<&str> = c.covariates.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["ttr_months_3", "x", "x_5"]);
        assert_eq!(c.ttr.as_ref().unwrap().months, vec![Some(2.0)].into());
        let again = import_csv(c.to_csv().into_bytes(), None).unwrap();
        assert_eq!(again.ttr, c.ttr);
        assert_eq!(again.covariates, c.covariates);
        let warnings: Vec<String> = c
            .messages
            .iter()
            .filter(|m| m.severity == Severity::Warning)
            .map(Message::to_string)
            .collect();
        assert_eq!(
            warnings,
            [
                "column ttr_months: column name already in use: read as ttr_months_3",
                "column x: column name already in use: read as x_5",
            ]
        );
    }

    #[test]
    fn caps_listed_messages() {
        let mut text = String::from("id,os_months,os_event\n");
        for i in 0..(MAX_LISTED_MESSAGES + 5) {
            text.push_str(&format!("{i},-1,1\n"));
        }
        let e = errors(&text);
        assert_eq!(e.len(), MAX_LISTED_MESSAGES + 1);
        assert_eq!(
            e.last().unwrap(),
            "5 more messages not listed (the first 1000 are shown)"
        );
    }
}
