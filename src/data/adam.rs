//! CDISC ADaM input: ADSL (subject level), ADRS (responses) and ADTTE (time
//! to event) in their long "basic data structure", recognised by their
//! columns, given in any order and joined on USUBJID. ADSL is optional: its
//! variables then come from the first ADRS/ADTTE row of each subject.
//!
//! The user chooses ([`AdamChoices`], defaults stated in [`AdamSummary`]):
//! - the population: a Y/N flag of ADSL (default ITTFL, else FASFL, else
//!   SAFFL, else everyone); subjects outside it are counted and listed;
//! - the best overall response: an ADRS PARAMCD with one row per subject
//!   (default CBOR or BESRSPI, the confirmed ones, else BOR). `AVALC` is read
//!   as any response spelling; MISSING is NE, NON-CR/NON-PD is SD;
//! - the arm variable (default ARM, the randomised arm, with ITTFL/FASFL;
//!   ACTARM, the actual treatment, with SAFFL), which groups the report;
//! - the ADTTE parameters that are endpoints (default every time
//!   parameter). OS → `os`, PFS → `pfs`, DOR/DURRSP/RSD/CRSD → `dor`,
//!   TTR/TTRSP → time to response, any other by its PARAMCD in lower case.
//!
//! ADTTE times: `AVAL` in the unit of `AVALU` (days, weeks, months, years),
//! stored in months (days / 30.4375); without `AVALU`, the unit PARAM names
//! ("Overall Survival (Months)"), else days with a warning. `CNSR` = 0 is an
//! event and a positive integer is censored (ADaM IG: positive integers code
//! the censoring reason; values above 1 are named in a note). A parameter
//! with `AVALU` = COUNT is not a time. Every problem names file, row, column
//! and value.

mod choices;

pub use choices::{AdamChoices, AdamFile, AdamSummary, Arm, Chosen, Parameter, Population};

use super::cohort::{Cohort, Endpoint, TimeEvent, Times};
use super::columns::normalize;
use super::import::{
    exclusion_notes, CovariateBuilder, ImportFailure, Messages, NameBy, Spellings,
};
use super::input::InputFile;
use super::message::Message;
use super::table::Table;
use super::values::{parse_number, TimeUnit};
use crate::stats::response::BestResponse;
use csv::StringRecord;
use std::collections::{HashMap, HashSet};

/// Which ADaM dataset a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdamKind {
    /// Time-to-event analysis dataset.
    Adtte,
    /// Response analysis dataset.
    Adrs,
    /// Subject-level analysis dataset.
    Adsl,
}

impl AdamKind {
    /// Recognises a dataset from its header: USUBJID with PARAMCD and CNSR
    /// (ADTTE), USUBJID with PARAMCD and AVALC (ADRS), USUBJID with a
    /// population flag or ARM and no PARAMCD (ADSL).
    pub fn detect(headers: &[String]) -> Option<AdamKind> {
        let has = |name: &str| headers.iter().any(|h| normalize(h) == name);
        if !has("usubjid") {
            return None;
        }
        if has("paramcd") && has("cnsr") && has("aval") {
            Some(AdamKind::Adtte)
        } else if has("paramcd") && has("avalc") {
            Some(AdamKind::Adrs)
        } else if !has("paramcd") && (has("saffl") || has("ittfl") || has("fasfl") || has("arm")) {
            Some(AdamKind::Adsl)
        } else {
            None
        }
    }

    /// "ADSL", "ADRS", "ADTTE".
    pub fn name(self) -> &'static str {
        match self {
            AdamKind::Adtte => "ADTTE",
            AdamKind::Adrs => "ADRS",
            AdamKind::Adsl => "ADSL",
        }
    }
}

/// Population flags in order of preference as the default.
const DEFAULT_POPULATIONS: [(&str, &str); 3] = [
    ("ITTFL", "intent to treat"),
    ("FASFL", "full analysis set"),
    ("SAFFL", "safety population"),
];
/// Other known population flags, listed after the defaults.
const OTHER_POPULATIONS: [&str; 5] = ["PPROTFL", "EFFFL", "RANDFL", "ENRLFL", "COMPLFL"];
/// Best-response parameters in order of preference: confirmed first.
const BEST_RESPONSE_PARAMS: [(&str, &str); 3] = [
    ("CBOR", "confirmed"),
    ("BESRSPI", "confirmed"),
    ("BOR", "unconfirmed"),
];
/// Arm variables: randomised (planned) first, then actual.
const RANDOMISED_ARMS: [&str; 3] = ["ARM", "TRT01P", "ARMCD"];
const ACTUAL_ARMS: [&str; 3] = ["ACTARM", "TRT01A", "ACTARMCD"];
/// Variables of ADRS/ADTTE rows that are subject-level (read when there is no ADSL).
const SUBJECT_LEVEL: [&str; 16] = [
    "ITTFL", "FASFL", "SAFFL", "PPROTFL", "EFFFL", "ARM", "ACTARM", "TRT01P", "TRT01A", "ARMCD",
    "ACTARMCD", "SEX", "AGE", "AGEGR1", "RACE", "STRATA1",
];
/// A categorical ADSL variable with more levels than this is not offered
/// for grouping (investigator names, dates stored as text).
const MAX_GROUP_LEVELS: usize = 50;

/// One opened file.
struct Opened {
    name: String,
    kind: AdamKind,
    table: Table,
    columns: HashMap<String, usize>,
}

impl Opened {
    fn col(&self, name: &str) -> Option<usize> {
        self.columns.get(&normalize(name)).copied()
    }

    /// The next data row into `record`, `None` at the end; a file that
    /// cannot be read further ends there with a message.
    fn next_row(&mut self, record: &mut StringRecord, messages: &mut Messages) -> Option<usize> {
        match self.table.next_row(record) {
            Ok(row) => row,
            Err(m) => {
                messages.push(m.in_file(&self.name));
                None
            }
        }
    }
}

/// The subjects and their subject-level variables.
#[derive(Default)]
struct Subjects {
    /// Variable names (as in the file).
    names: Vec<String>,
    /// USUBJID in order of first appearance.
    order: Vec<String>,
    /// Row and variable values (one per name) of each subject.
    by_id: HashMap<String, (usize, Vec<String>)>,
}

/// One row of a parameter: its row number and the cells the import needs
/// (ADRS: AVALC; ADTTE: AVAL, CNSR, AVALU).
#[derive(Debug, Clone)]
struct ParamRow {
    row: usize,
    cells: [String; 3],
}

/// The rows of one PARAMCD.
#[derive(Debug, Default)]
struct ParamRows {
    code: String,
    label: String,
    rows: usize,
    first_row: usize,
    by_subject: HashMap<String, ParamRow>,
    /// Rows repeating a subject: (row, USUBJID, row of the first).
    duplicates: Vec<(usize, String, usize)>,
}

/// Everything read from one ADRS or ADTTE file.
#[derive(Default)]
struct ParamFile {
    name: String,
    params: Vec<ParamRows>,
    rows: usize,
    subjects: usize,
    /// Column names (as in the file) of PARAMCD and the three cells.
    columns: [String; 4],
    has_unit_column: bool,
    has_label_column: bool,
}

impl ParamFile {
    fn param(&self, code: &str) -> Option<&ParamRows> {
        self.params.iter().find(|p| p.code == code)
    }
}

/// What a parameter of ADTTE is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeRole {
    Endpoint,
    TimeToResponse,
    Count,
}

/// The endpoint key of an ADTTE parameter: os, pfs, dor, ttr, or its code in lower case.
fn standard_key(code: &str) -> Option<&'static str> {
    match code {
        "OS" => Some("os"),
        "PFS" => Some("pfs"),
        "DOR" | "DURRSP" | "RSD" | "CRSD" => Some("dor"),
        "TTR" | "TTRSP" => Some("ttr"),
        _ => None,
    }
}

/// The time unit a PARAM label names ("Overall Survival (Months)"), when it names exactly one.
fn unit_in_label(label: &str) -> Option<TimeUnit> {
    let lower = label.to_ascii_lowercase();
    let mut found: Vec<TimeUnit> = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter_map(|word| match word {
            "day" | "days" => Some(TimeUnit::Days),
            "week" | "weeks" => Some(TimeUnit::Weeks),
            "month" | "months" => Some(TimeUnit::Months),
            "year" | "years" => Some(TimeUnit::Years),
            _ => None,
        })
        .collect();
    found.dedup();
    (found.len() == 1).then(|| found[0])
}

/// A label that names a count ("Number of …", "… count").
fn label_is_count(label: &str) -> bool {
    let lower = label.to_lowercase();
    lower.starts_with("number of")
        || lower.starts_with("total number of")
        || lower.contains("count")
}

/// A date or time variable (ADaM suffixes DT, DTM, DTC, TM, DY, DTF, TMF), or an identifier.
fn not_a_covariate(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["STUDYID", "USUBJID", "SUBJID"].contains(&upper.as_str())
        || ["DT", "DTM", "DTC", "TM", "DY", "DTF", "TMF"]
            .iter()
            .any(|suffix| upper.ends_with(suffix))
}

/// Imports ADaM files given together, in any order, with the user's choices.
pub fn import_adam(files: Vec<InputFile>, choices: &AdamChoices) -> Result<Cohort, ImportFailure> {
    let mut messages = Messages::default();
    // Row numbers of an XPT file count observations.
    let mut xpt_files: Vec<String> = Vec::new();
    let sorted = |messages: Messages, xpt_files: &[String]| {
        let mut list = messages.into_sorted();
        for m in &mut list {
            if m.row.is_some()
                && m.file
                    .as_deref()
                    .is_some_and(|f| xpt_files.iter().any(|x| x == f))
            {
                m.row_kind = super::message::RowKind::Observation;
            }
        }
        list
    };
    let fail = |messages: Messages, xpt_files: &[String]| ImportFailure {
        messages: sorted(messages, xpt_files),
        columns: None,
        needs_mapping: false,
    };
    let mut opened: Vec<Opened> = Vec::new();
    for file in files {
        let name = file.name.clone();
        match Table::open(file.bytes) {
            Ok(table) => match AdamKind::detect(table.headers()) {
                Some(kind) => {
                    if table.row_kind() == super::message::RowKind::Observation {
                        xpt_files.push(name.clone());
                    }
                    let columns = table.headers().iter().enumerate().map(|(i, h)| (normalize(h), i)).collect();
                    opened.push(Opened { name, kind, table, columns });
                }
                None => messages.push(
                    Message::error("not an ADaM ADTTE, ADRS or ADSL dataset (USUBJID with PARAMCD and AVAL/CNSR or AVALC, or ADSL flags)")
                        .in_file(name),
                ),
            },
            Err(m) => messages.push(m.in_file(name)),
        }
    }
    for kind in [AdamKind::Adsl, AdamKind::Adrs, AdamKind::Adtte] {
        let names: Vec<&str> = opened
            .iter()
            .filter(|o| o.kind == kind)
            .map(|o| o.name.as_str())
            .collect();
        if names.len() > 1 {
            messages.push(Message::error(format!(
                "more than one {} file given: {}",
                kind.name(),
                names.join(", ")
            )));
        }
    }
    if !opened.iter().any(|o| o.kind != AdamKind::Adsl) {
        messages.push(Message::error(
            "an ADTTE or ADRS file is needed (ADSL alone has no outcomes)",
        ));
    }
    if messages.errors > 0 {
        return Err(fail(messages, &xpt_files));
    }
    opened.sort_by_key(|o| match o.kind {
        AdamKind::Adsl => 0,
        AdamKind::Adrs => 1,
        AdamKind::Adtte => 2,
    });

    let mut summary_files = Vec::new();
    let mut subjects = Subjects::default();
    let mut adrs: Option<ParamFile> = None;
    let mut adtte: Option<ParamFile> = None;
    let has_adsl = opened[0].kind == AdamKind::Adsl;
    for file in opened.iter_mut() {
        let format = file.table.format_name();
        let (rows, distinct) = match file.kind {
            AdamKind::Adsl => read_adsl(file, &mut subjects, &mut messages),
            AdamKind::Adrs | AdamKind::Adtte => {
                let read = read_params(file, &mut subjects, has_adsl, &mut messages);
                let counts = (read.rows, read.subjects);
                if file.kind == AdamKind::Adrs {
                    adrs = Some(read);
                } else {
                    adtte = Some(read);
                }
                counts
            }
        };
        let params = match file.kind {
            AdamKind::Adsl => Vec::new(),
            AdamKind::Adrs => parameters(adrs.as_ref(), |_, _| String::new()),
            AdamKind::Adtte => parameters(adtte.as_ref(), |p, f| match time_role(p, f) {
                TimeRole::Count => "count".to_string(),
                TimeRole::TimeToResponse => "ttr".to_string(),
                TimeRole::Endpoint => {
                    standard_key(&p.code).map_or_else(|| p.code.to_lowercase(), str::to_string)
                }
            }),
        };
        summary_files.push(AdamFile {
            name: file.name.clone(),
            dataset: file.kind.name().to_string(),
            format,
            rows,
            subjects: distinct,
            params,
        });
    }
    if messages.errors > 0 {
        return Err(fail(messages, &xpt_files));
    }

    // The population.
    let flags = population_flags(&subjects);
    let population = match &choices.population {
        Some(Population::Flag(flag)) if !flags.contains(flag) => {
            messages.push(Message::error(format!(
                "population flag {flag} is not a Y/N variable of the data; the flags are {}",
                list_or_none(&flags)
            )));
            return Err(fail(messages, &xpt_files));
        }
        Some(p) => Chosen {
            value: p.clone(),
            reason: "chosen".into(),
        },
        None => DEFAULT_POPULATIONS
            .iter()
            .find(|(flag, _)| flags.iter().any(|f| f == flag))
            .map(|(flag, what)| Chosen {
                value: Population::Flag(flag.to_string()),
                reason: format!("default: {what}"),
            })
            .unwrap_or(Chosen {
                value: Population::All,
                reason: "default: the data have no population flag".into(),
            }),
    };
    let total = subjects.order.len();
    let mut excluded = Vec::new();
    let mut order = Vec::with_capacity(total);
    if let Population::Flag(flag) = &population.value {
        let at = subjects
            .names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(flag));
        for id in &subjects.order {
            let value = at.map_or("", |i| subjects.by_id[id].1[i].as_str());
            if value == "Y" {
                order.push(id.clone());
            } else {
                excluded.push(id.clone());
            }
        }
        messages.push(Message::note(format!(
            "population {flag} = \"Y\" ({}): {} of {total} subjects; {} excluded{}",
            population.reason,
            order.len(),
            excluded.len(),
            listed(&excluded)
        )));
    } else {
        order = subjects.order.clone();
        messages.push(Message::note(format!(
            "population: all {total} subjects ({})",
            population.reason
        )));
    }

    // The best response.
    let mut spellings = Spellings::default();
    let mut response_params = Vec::new();
    let mut response_param = None;
    let mut best: Option<Vec<Option<BestResponse>>> = None;
    if let Some(file) = &adrs {
        response_params = file
            .params
            .iter()
            .filter(|p| p.duplicates.is_empty())
            .map(|p| p.code.clone())
            .collect();
        let chosen = match &choices.response_param {
            Some(code) => match file.param(code) {
                Some(_) => Some(Chosen {
                    value: code.clone(),
                    reason: "chosen".into(),
                }),
                None => {
                    messages.push(
                        Message::error(format!(
                            "response parameter {code} is not in ADRS; its parameters are {}",
                            list_or_none(
                                &file
                                    .params
                                    .iter()
                                    .map(|p| p.code.clone())
                                    .collect::<Vec<_>>()
                            )
                        ))
                        .in_file(&file.name),
                    );
                    return Err(fail(messages, &xpt_files));
                }
            },
            None => BEST_RESPONSE_PARAMS
                .iter()
                .find(|(code, _)| response_params.iter().any(|p| p == code))
                .map(|(code, what)| Chosen {
                    value: code.to_string(),
                    reason: format!("default: the {what} best overall response"),
                }),
        };
        match &chosen {
            None => messages.push(
                Message::warning(format!(
                    "ADRS has no best overall response parameter (CBOR, BESRSPI or BOR); choose one of {}",
                    list_or_none(&response_params)
                ))
                .in_file(&file.name),
            ),
            Some(c) => {
                let p = file.param(&c.value).expect("checked above");
                messages.push(
                    Message::note(format!("best response from PARAMCD = {} ({}; {})", p.code, p.label, c.reason))
                        .in_file(&file.name),
                );
                duplicate_errors(file, p, &mut messages);
                let avalc = file.columns[1].clone();
                best = Some(
                    order
                        .iter()
                        .map(|id| {
                            let r = p.by_subject.get(id)?;
                            let text = r.cells[0].as_str();
                            if text.is_empty() {
                                return None;
                            }
                            match spellings.read(text) {
                                Some(reading) => {
                                    Some(reading.response())
                                }
                                None => {
                                    messages.push(
                                        Message::error("unknown response code: expected CR, PR, SD, PD or NE (or a spelling such as \"Partial Response\")")
                                            .in_file(&file.name)
                                            .at_row(r.row)
                                            .of_patient(id.clone())
                                            .in_column(avalc.clone())
                                            .with_value(text),
                                    );
                                    None
                                }
                            }
                        })
                        .collect(),
                );
            }
        }
        response_param = chosen;
    }

    // The endpoints.
    let mut time_params = Vec::new();
    let mut endpoint_codes = Vec::new();
    let mut endpoints: Vec<Endpoint> = Vec::new();
    let mut ttr: Option<Times> = None;
    let mut ttr_rows: Vec<Option<usize>> = Vec::new();
    let mut dor_rows: Vec<Option<usize>> = Vec::new();
    let mut os_index = None;
    if let Some(file) = &adtte {
        for p in &file.params {
            let role = time_role(p, file);
            if role == TimeRole::Count {
                // Named by AVALU = COUNT, or (without AVALU) by PARAM.
                let (column, value) = if file.has_unit_column {
                    (file.columns[3].clone(), "COUNT".to_string())
                } else {
                    ("PARAM".to_string(), p.label.clone())
                };
                messages.push(
                    Message::note(format!(
                        "parameter {} ({}) is a count, not a time: not an endpoint",
                        p.code, p.label
                    ))
                    .in_file(&file.name)
                    .at_row(p.first_row)
                    .in_column(column)
                    .with_value(value),
                );
            } else {
                time_params.push(p.code.clone());
            }
        }
        endpoint_codes = match &choices.endpoints {
            None => time_params.clone(),
            Some(codes) => {
                for code in codes {
                    match file.param(code) {
                        None => messages.push(
                            Message::error(format!(
                                "endpoint parameter {code} is not in ADTTE; its time parameters are {}",
                                list_or_none(&time_params)
                            ))
                            .in_file(&file.name),
                        ),
                        Some(p) if time_role(p, file) == TimeRole::Count => messages.push(
                            Message::error(format!("parameter {code} ({}) is a count (AVALU = COUNT), not a time: it cannot be an endpoint", p.label))
                                .in_file(&file.name),
                        ),
                        Some(_) => {}
                    }
                }
                if messages.errors > 0 {
                    return Err(fail(messages, &xpt_files));
                }
                codes.clone()
            }
        };
        for code in &endpoint_codes {
            let p = file.param(code).expect("checked above");
            duplicate_errors(file, p, &mut messages);
            let unit = param_unit(file, p, &mut messages);
            let mut values = Vec::with_capacity(order.len());
            let mut rows = Vec::with_capacity(order.len());
            for id in &order {
                let value = p.by_subject.get(id).and_then(|r| {
                    time_event(file, r, id, unit, &mut messages).map(|te| (r.row, te))
                });
                rows.push(value.map(|(row, _)| row));
                values.push(value.map(|(_, te)| te));
            }
            if time_role(p, file) == TimeRole::TimeToResponse && ttr.is_none() {
                ttr = Some(Times {
                    unit: unit.unwrap_or(TimeUnit::Days),
                    months: values.iter().map(|v| v.map(|te| te.months)).collect(),
                });
                ttr_rows = rows;
                continue;
            }
            let taken = |key: &str| endpoints.iter().any(|e| e.key == key);
            let key = match standard_key(code) {
                Some(k) if k != "ttr" && !taken(k) => k.to_string(),
                _ => code.to_lowercase(),
            };
            let mut endpoint = Endpoint::new(&key, unit.unwrap_or(TimeUnit::Days), values);
            if standard_key(code) != Some(key.as_str()) && !p.label.is_empty() {
                endpoint.label = p.label.clone();
            }
            match key.as_str() {
                "dor" => dor_rows = rows,
                "os" => os_index = Some(endpoints.len()),
                _ => {}
            }
            endpoints.push(endpoint);
        }
    }

    // Plausibility warnings.
    let adtte_name = adtte.as_ref().map(|f| f.name.clone()).unwrap_or_default();
    let aval_column = adtte
        .as_ref()
        .map(|f| f.columns[1].clone())
        .unwrap_or_default();
    if let Some(best) = &best {
        for (what, rows) in [
            ("duration of response", &dor_rows),
            ("time to response", &ttr_rows),
        ] {
            for (i, row) in rows.iter().enumerate() {
                if let (Some(row), Some(r)) = (row, best[i].filter(|r| !r.is_objective_response()))
                {
                    messages.push(
                        Message::warning(format!(
                            "{what} given for a non-responder (best response {r})"
                        ))
                        .in_file(&adtte_name)
                        .at_row(*row)
                        .of_patient(order[i].clone())
                        .in_column(aval_column.clone()),
                    );
                }
            }
        }
    }
    if let (Some(t), Some(os)) = (&ttr, os_index.map(|i| &endpoints[i])) {
        for (i, (t, o)) in t.months.iter().zip(os.values.iter()).enumerate() {
            if let (Some(t), Some(o), Some(row)) = (t, o, ttr_rows[i]) {
                if t > o.months + 1e-9 {
                    messages.push(
                        Message::warning(format!(
                            "time to response ({t:.2} months) is later than the overall survival time ({:.2} months)",
                            o.months
                        ))
                        .in_file(&adtte_name)
                        .at_row(row)
                        .of_patient(order[i].clone())
                        .in_column(aval_column.clone()),
                    );
                }
            }
        }
    }

    // The arm, and the subject-level variables as covariates.
    let arm_variables: Vec<String> = {
        let (first, second) = if population.value == Population::Flag("SAFFL".into()) {
            (ACTUAL_ARMS, RANDOMISED_ARMS)
        } else {
            (RANDOMISED_ARMS, ACTUAL_ARMS)
        };
        first
            .iter()
            .chain(second.iter())
            .filter_map(|v| {
                subjects
                    .names
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(v))
                    .cloned()
            })
            .collect()
    };
    let arm = match &choices.arm {
        Some(Arm::Variable(name)) => {
            match subjects.names.iter().find(|n| n.eq_ignore_ascii_case(name)) {
                Some(found) => Chosen {
                    value: Arm::Variable(found.clone()),
                    reason: "chosen".into(),
                },
                None => {
                    messages.push(Message::error(format!(
                    "arm variable {name} is not a subject-level variable of the data; the arm variables are {}",
                    list_or_none(&arm_variables)
                )));
                    return Err(fail(messages, &xpt_files));
                }
            }
        }
        Some(Arm::None) => Chosen {
            value: Arm::None,
            reason: "chosen".into(),
        },
        None => match arm_variables.first() {
            Some(v) => {
                let what = if ACTUAL_ARMS.iter().any(|a| v.eq_ignore_ascii_case(a)) {
                    "the actual treatment, for the safety population"
                } else {
                    "the randomised treatment"
                };
                Chosen {
                    value: Arm::Variable(v.clone()),
                    reason: format!("default: {what}"),
                }
            }
            None => Chosen {
                value: Arm::None,
                reason: "default: the data have no arm variable".into(),
            },
        },
    };
    match &arm.value {
        Arm::Variable(v) => messages.push(Message::note(format!(
            "treatment arm: {v} ({})",
            arm.reason
        ))),
        Arm::None => messages.push(Message::note(format!(
            "treatment arm: none ({})",
            arm.reason
        ))),
    }
    let population_flag = match &population.value {
        Population::Flag(f) => Some(f.as_str()),
        Population::All => None,
    };
    let mut covariates = Vec::new();
    let mut left_out = Vec::new();
    for (v, name) in subjects.names.iter().enumerate() {
        if not_a_covariate(name) || population_flag.is_some_and(|f| name.eq_ignore_ascii_case(f)) {
            continue;
        }
        let mut b = CovariateBuilder::new();
        for id in &order {
            b.push(&subjects.by_id[id].1[v], false);
        }
        let c = b.finish(name.clone());
        match &c.values {
            super::cohort::CovariateValues::Categorical { levels, .. }
                if levels.len() > MAX_GROUP_LEVELS =>
            {
                left_out.push(name.clone())
            }
            super::cohort::CovariateValues::Numeric(values)
                if values.iter().all(|v| v.is_none()) => {}
            super::cohort::CovariateValues::Categorical { levels, .. } if levels.is_empty() => {}
            _ => covariates.push(c),
        }
    }
    if !left_out.is_empty() {
        messages.push(Message::note(format!(
            "not offered for grouping (more than {MAX_GROUP_LEVELS} distinct values): {}",
            left_out.join(", ")
        )));
    }
    let default_group = match &arm.value {
        Arm::Variable(v) => covariates
            .iter()
            .find(|c| c.name == *v && c.is_categorical())
            .map(|c| c.name.clone()),
        Arm::None => None,
    };

    if best.is_none() && endpoints.is_empty() && ttr.is_none() {
        messages.push(Message::error(
            "nothing to analyse: no best response and no time-to-event parameter",
        ));
    }
    if order.is_empty() {
        messages.push(Message::error(
            "no subjects left in the analysis population",
        ));
    }
    if messages.errors > 0 {
        return Err(fail(messages, &xpt_files));
    }
    let summary = AdamSummary {
        files: summary_files,
        population_flags: flags,
        population,
        subjects: total,
        excluded,
        response_params,
        response_param,
        arm_variables,
        arm,
        time_params,
        endpoints: endpoint_codes,
    };
    let mut cohort = Cohort {
        // An observation number is below the byte count, itself below 2³².
        rows: order.iter().map(|id| subjects.by_id[id].0 as u32).collect(),
        ids: order.into_iter().collect(),
        best_response: best,
        endpoints,
        ttr,
        covariates,
        default_group,
        adam: Some(summary),
        ..Cohort::default()
    };
    let avalc = adrs
        .as_ref()
        .map_or("AVALC".to_string(), |f| f.columns[1].clone());
    let (table, notes) = spellings.finish(&avalc);
    cohort.response_spellings = table;
    let mut all = sorted(messages, &xpt_files);
    all.extend(notes);
    all.extend(exclusion_notes(&cohort, NameBy::Id));
    cohort.messages = all;
    Ok(cohort)
}

/// "A, B" or "none".
fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// ": a, b, … and 12 more" for a note listing subjects (the first 20).
fn listed(ids: &[String]) -> String {
    const SHOWN: usize = 20;
    if ids.is_empty() {
        return String::new();
    }
    let mut text = format!(
        ": {}",
        ids.iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if ids.len() > SHOWN {
        text.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    text
}

/// Reads ADSL: one row per subject, every variable kept.
fn read_adsl(
    file: &mut Opened,
    subjects: &mut Subjects,
    messages: &mut Messages,
) -> (usize, usize) {
    let id_col = file.col("USUBJID").expect("detected by USUBJID");
    subjects.names = file.table.headers().to_vec();
    let mut record = StringRecord::new();
    let mut rows = 0;
    while let Some(row) = file.next_row(&mut record, messages) {
        rows += 1;
        let id = record.get(id_col).unwrap_or("").trim();
        let at = |text: &str| {
            Message::error(text)
                .in_file(&file.name)
                .at_row(row)
                .in_column(file.table.headers()[id_col].clone())
        };
        if id.is_empty() {
            messages.push(at("USUBJID is empty"));
            continue;
        }
        if let Some((first, _)) = subjects.by_id.get(id) {
            messages.push(
                at(&format!("duplicate USUBJID in ADSL (first in row {first})")).with_value(id),
            );
            continue;
        }
        let values = (0..subjects.names.len())
            .map(|i| record.get(i).unwrap_or("").trim().to_string())
            .collect();
        subjects.order.push(id.to_string());
        subjects.by_id.insert(id.to_string(), (row, values));
    }
    (rows, subjects.order.len())
}

/// Reads ADRS (AVALC) or ADTTE (AVAL, CNSR, AVALU) rows by parameter. Without
/// ADSL, subjects and their subject-level variables come from these rows;
/// with it, rows of subjects ADSL does not have are named and left out.
fn read_params(
    file: &mut Opened,
    subjects: &mut Subjects,
    has_adsl: bool,
    messages: &mut Messages,
) -> ParamFile {
    let headers = file.table.headers().to_vec();
    let id_col = file.col("USUBJID").expect("detected by USUBJID");
    let paramcd = file.col("PARAMCD").expect("detected by PARAMCD");
    let param = file.col("PARAM");
    let cells = match file.kind {
        AdamKind::Adrs => [file.col("AVALC"), None, None],
        _ => [file.col("AVAL"), file.col("CNSR"), file.col("AVALU")],
    };
    let name_of =
        |i: Option<usize>, default: &str| i.map_or(default.to_string(), |i| headers[i].clone());
    let mut out = ParamFile {
        name: file.name.clone(),
        columns: match file.kind {
            AdamKind::Adrs => [
                headers[paramcd].clone(),
                name_of(cells[0], "AVALC"),
                String::new(),
                String::new(),
            ],
            _ => [
                headers[paramcd].clone(),
                name_of(cells[0], "AVAL"),
                name_of(cells[1], "CNSR"),
                name_of(cells[2], "AVALU"),
            ],
        },
        has_unit_column: cells[2].is_some(),
        has_label_column: param.is_some(),
        ..ParamFile::default()
    };
    // Without ADSL, the subject-level variables these rows carry.
    let subject_cols: Vec<(String, usize)> = if has_adsl {
        Vec::new()
    } else {
        SUBJECT_LEVEL
            .iter()
            .filter_map(|v| file.col(v).map(|i| (headers[i].clone(), i)))
            .collect()
    };
    if !has_adsl {
        for (name, _) in &subject_cols {
            if !subjects.names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                subjects.names.push(name.clone());
                for (_, values) in subjects.by_id.values_mut() {
                    values.push(String::new());
                }
            }
        }
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut unknown: HashSet<String> = HashSet::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut record = StringRecord::new();
    while let Some(row) = file.next_row(&mut record, messages) {
        out.rows += 1;
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        let id = cell(Some(id_col));
        if id.is_empty() {
            messages.push(
                Message::error("USUBJID is empty")
                    .in_file(&file.name)
                    .at_row(row)
                    .in_column(headers[id_col].clone()),
            );
            continue;
        }
        if seen.insert(id.to_string()) {
            out.subjects += 1;
        }
        if has_adsl {
            if !subjects.by_id.contains_key(id) {
                if unknown.insert(id.to_string()) {
                    messages.push(
                        Message::warning("subject not in ADSL: its rows are left out")
                            .in_file(&file.name)
                            .at_row(row)
                            .in_column(headers[id_col].clone())
                            .with_value(id),
                    );
                }
                continue;
            }
        } else {
            let names = &subjects.names;
            let entry = subjects.by_id.entry(id.to_string()).or_insert_with(|| {
                subjects.order.push(id.to_string());
                (row, vec![String::new(); names.len()])
            });
            for (name, i) in &subject_cols {
                let at = names
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(name))
                    .expect("added above");
                if entry.1[at].is_empty() {
                    entry.1[at] = cell(Some(*i)).to_string();
                }
            }
        }
        let code = cell(Some(paramcd));
        let at = match index.get(code) {
            Some(&at) => at,
            None => {
                index.insert(code.to_string(), out.params.len());
                out.params.push(ParamRows {
                    code: code.to_string(),
                    label: cell(param).to_string(),
                    first_row: row,
                    ..ParamRows::default()
                });
                out.params.len() - 1
            }
        };
        let p = &mut out.params[at];
        p.rows += 1;
        match p.by_subject.get(id) {
            Some(first) => p.duplicates.push((row, id.to_string(), first.row)),
            None => {
                let values = [
                    cell(cells[0]).to_string(),
                    cell(cells[1]).to_string(),
                    cell(cells[2]).to_string(),
                ];
                p.by_subject
                    .insert(id.to_string(), ParamRow { row, cells: values });
            }
        }
    }
    out
}

/// The parameters of a file for the summary.
fn parameters(
    file: Option<&ParamFile>,
    role: impl Fn(&ParamRows, &ParamFile) -> String,
) -> Vec<Parameter> {
    let Some(file) = file else { return Vec::new() };
    file.params
        .iter()
        .map(|p| Parameter {
            code: p.code.clone(),
            label: p.label.clone(),
            rows: p.rows,
            repeated: !p.duplicates.is_empty(),
            role: role(p, file),
        })
        .collect()
}

/// Whether an ADTTE parameter is an endpoint, the time to response or a count.
fn time_role(p: &ParamRows, file: &ParamFile) -> TimeRole {
    let count_unit = p
        .by_subject
        .values()
        .any(|r| r.cells[2].eq_ignore_ascii_case("COUNT"));
    let unit_given = p.by_subject.values().any(|r| !r.cells[2].is_empty());
    if count_unit || (!unit_given && file.has_label_column && label_is_count(&p.label)) {
        TimeRole::Count
    } else if standard_key(&p.code) == Some("ttr") {
        TimeRole::TimeToResponse
    } else {
        TimeRole::Endpoint
    }
}

/// An error for each repeated row of a parameter that is used.
fn duplicate_errors(file: &ParamFile, p: &ParamRows, messages: &mut Messages) {
    for (row, id, first) in &p.duplicates {
        messages.push(
            Message::error(format!("more than one {} row for this subject (first in row {first}): a by-visit parameter cannot be used here", p.code))
                .in_file(&file.name)
                .at_row(*row)
                .of_patient(id.clone())
                .in_column(file.columns[0].clone())
                .with_value(p.code.clone()),
        );
    }
}

/// The unit of a parameter's AVAL when its rows give none (no AVALU
/// column, or AVALU empty): the unit its PARAM names, else days, each with a
/// message. `None` when every row gives its AVALU.
fn param_unit(file: &ParamFile, p: &ParamRows, messages: &mut Messages) -> Option<TimeUnit> {
    if p.by_subject.values().all(|r| !r.cells[2].is_empty()) {
        return None;
    }
    let why = if file.has_unit_column {
        "AVALU is empty"
    } else {
        "AVALU is absent"
    };
    match unit_in_label(&p.label) {
        Some(unit) => {
            messages.push(
                Message::note(format!(
                    "{why}: AVAL of {} read in {}, the unit PARAM names",
                    p.code,
                    unit.name()
                ))
                .in_file(&file.name)
                .at_row(p.first_row)
                .in_column("PARAM")
                .with_value(p.label.clone()),
            );
            Some(unit)
        }
        None => {
            messages.push(
                Message::warning(format!(
                    "{why}: AVAL of {} read as days (the usual ADaM unit); if it is in another unit, give AVALU",
                    p.code
                ))
                .in_file(&file.name)
                .at_row(p.first_row)
                .in_column(file.columns[1].clone()),
            );
            Some(TimeUnit::Days)
        }
    }
}

/// The time (months) and event of one ADTTE row, or `None` with a message.
fn time_event(
    file: &ParamFile,
    r: &ParamRow,
    id: &str,
    default_unit: Option<TimeUnit>,
    messages: &mut Messages,
) -> Option<TimeEvent> {
    let [aval, cnsr, avalu] = &r.cells;
    let at = |column: &String, value: &str, text: &str| {
        Message::error(text)
            .in_file(&file.name)
            .at_row(r.row)
            .of_patient(id)
            .in_column(column.clone())
            .with_value(value)
    };
    let unit = if avalu.is_empty() {
        default_unit.unwrap_or(TimeUnit::Days)
    } else {
        match TimeUnit::parse(avalu) {
            Some(unit) => unit,
            None => {
                messages.push(at(
                    &file.columns[3],
                    avalu,
                    "AVALU is not a time unit (days, weeks, months, years)",
                ));
                return None;
            }
        }
    };
    let months = match parse_number(aval, false) {
        Ok(Some(v)) if v < 0.0 => {
            messages.push(at(&file.columns[1], aval, "time must be zero or positive"));
            return None;
        }
        Ok(Some(v)) => unit.to_months(v),
        Ok(None) => {
            messages.push(
                Message::warning("AVAL is missing: the subject is left out of this endpoint")
                    .in_file(&file.name)
                    .at_row(r.row)
                    .of_patient(id)
                    .in_column(file.columns[1].clone()),
            );
            return None;
        }
        Err(_) => {
            messages.push(at(&file.columns[1], aval, "time must be a number"));
            return None;
        }
    };
    let event = match parse_number(cnsr, false) {
        Ok(Some(0.0)) => true,
        Ok(Some(1.0)) => false,
        Ok(Some(c)) if c > 1.0 && c.fract() == 0.0 => {
            messages.push(
                Message::note("CNSR above 1 read as censored (ADaM: positive integers code the censoring reason)")
                    .in_file(&file.name)
                    .at_row(r.row)
                    .of_patient(id)
                    .in_column(file.columns[2].clone())
                    .with_value(cnsr.clone()),
            );
            false
        }
        _ => {
            messages.push(at(
                &file.columns[2],
                cnsr,
                "CNSR must be 0 (event) or a positive integer (censored)",
            ));
            return None;
        }
    };
    Some(TimeEvent { months, event })
}

/// Y/N flags of the subjects that can define a population: the known
/// population flags first (defaults in order), then the other `…FL`
/// variables whose values are all Y, N or blank (death flags excluded).
fn population_flags(subjects: &Subjects) -> Vec<String> {
    let yes_no = |i: usize| {
        subjects
            .by_id
            .values()
            .all(|(_, v)| matches!(v[i].as_str(), "Y" | "N" | ""))
            && subjects.by_id.values().any(|(_, v)| v[i] == "Y")
    };
    let mut flags: Vec<(usize, String)> = subjects
        .names
        .iter()
        .enumerate()
        .filter(|(i, n)| {
            let upper = n.to_ascii_uppercase();
            upper.ends_with("FL") && !upper.starts_with("DTH") && yes_no(*i)
        })
        .map(|(_, n)| {
            let upper = n.to_ascii_uppercase();
            let rank = DEFAULT_POPULATIONS
                .iter()
                .map(|(f, _)| *f)
                .chain(OTHER_POPULATIONS)
                .position(|f| f == upper)
                .unwrap_or(usize::MAX);
            (rank, upper)
        })
        .collect();
    flags.sort();
    flags.into_iter().map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_unit_a_label_names() {
        assert_eq!(
            unit_in_label("Overall Survival (Months)"),
            Some(TimeUnit::Months)
        );
        assert_eq!(
            unit_in_label("Time to Response in weeks"),
            Some(TimeUnit::Weeks)
        );
        assert_eq!(unit_in_label("Progression Free Survival"), None);
        assert_eq!(unit_in_label("Days or months"), None);
        assert!(label_is_count("Total Number of Exacerbations"));
        assert!(!label_is_count("Overall Survival"));
    }

    #[test]
    fn dates_and_identifiers_are_not_covariates() {
        for name in [
            "USUBJID", "TRTSDT", "TRTSDTM", "RFSTDTC", "EOSDY", "TRTSTMF",
        ] {
            assert!(not_a_covariate(name), "{name}");
        }
        for name in ["ARM", "AGE", "STRATA1", "SAFFL"] {
            assert!(!not_a_covariate(name), "{name}");
        }
    }
}
