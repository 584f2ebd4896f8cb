//! CDISC ADaM input: ADTTE and/or ADRS in long format (one row per subject
//! and parameter), joined on USUBJID, with ADSL optional for covariates and
//! the analysis population.
//!
//! - ADTTE: `PARAMCD`, `AVAL`, `CNSR` (0 = event, 1 or any positive code =
//!   censored), `AVALU` for the unit. Without `AVALU`, AVAL is read as days
//!   (the usual ADaM unit) and a warning says so. Parameters whose unit is
//!   not a time (`AVALU` = COUNT, or a label "Number of …" / "… count") are
//!   skipped with a note. OS → `os`, PFS → `pfs`, DOR/DURRSP/RSD/CRSD →
//!   `dor`, TTR/TTRSP → time to response; any other parameter becomes an
//!   endpoint keyed by its PARAMCD in lower case.
//! - ADRS: best overall response from `PARAMCD` = CBOR (confirmed) or
//!   BESRSPI ("Best Confirmed Overall Response by Investigator"), else BOR;
//!   the confirmed one is preferred when both exist and a note names the
//!   parameter used. `AVALC` is read as any response spelling (MISSING → NE).
//! - Population: ITTFL = "Y" when an ITTFL column exists, else SAFFL = "Y";
//!   a note names the flag and the number excluded. Treatment arm: ARM
//!   (randomised) with ITTFL, ACTARM (actual) with SAFFL. Subject-level
//!   variables come from ADSL, or from the first ADRS/ADTTE row of each
//!   subject when no ADSL is given. Covariates: the arm, SEX and AGE.

use super::cohort::{Cohort, Endpoint, TimeEvent, Times};
use super::columns::{normalize, ColumnMapping};
use super::import::{
    exclusion_notes, CovariateBuilder, ImportFailure, Messages, NameBy, Spellings,
};
use super::message::Message;
use super::table::Table;
use super::values::{parse_number, parse_response, TimeUnit};
use csv::StringRecord;
use crate::stats::response::BestResponse;
use std::collections::HashMap;

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
        } else if !has("paramcd") && (has("saffl") || has("ittfl") || has("arm")) {
            Some(AdamKind::Adsl)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            AdamKind::Adtte => "ADTTE",
            AdamKind::Adrs => "ADRS",
            AdamKind::Adsl => "ADSL",
        }
    }
}

/// Confirmed best-response parameters, in order of preference.
const CONFIRMED_BOR: [&str; 2] = ["CBOR", "BESRSPI"];
/// The unconfirmed best overall response parameter.
const UNCONFIRMED_BOR: &str = "BOR";
/// Subject-level variables read as covariates besides the arm.
const SUBJECT_COVARIATES: [&str; 2] = ["SEX", "AGE"];

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
}

/// Subject-level values, from ADSL or the first data row of the subject.
#[derive(Debug, Default, Clone)]
struct Subject {
    row: usize,
    values: HashMap<&'static str, String>,
}

const SUBJECT_VARIABLES: [&str; 6] = ["SAFFL", "ITTFL", "ARM", "ACTARM", "SEX", "AGE"];

struct TteParam {
    paramcd: String,
    /// Not a time (a count): its rows are skipped.
    skipped: bool,
    label: String,
    unit: TimeUnit,
    values: HashMap<String, (usize, f64, bool)>,
}

/// Imports ADaM files given together (`(file name, bytes)`), in any order.
pub fn import_adam(files: Vec<(String, Vec<u8>)>) -> Result<Cohort, ImportFailure> {
    let mut messages = Messages::default();
    let fail = |messages: Messages| ImportFailure {
        messages: messages.into_sorted(),
        mapping: ColumnMapping::default(),
        headers: Vec::new(),
    };
    let mut opened: Vec<Opened> = Vec::new();
    for (name, bytes) in files {
        match Table::open(bytes) {
            Ok(table) => match AdamKind::detect(table.headers()) {
                Some(kind) => {
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
        return Err(fail(messages));
    }
    opened.sort_by_key(|o| match o.kind {
        AdamKind::Adsl => 0,
        AdamKind::Adrs => 1,
        AdamKind::Adtte => 2,
    });
    let has_adsl = opened[0].kind == AdamKind::Adsl;

    let mut order: Vec<String> = Vec::new();
    let mut subjects: HashMap<String, Subject> = HashMap::new();
    let mut not_in_adsl: Vec<String> = Vec::new();
    let mut params: Vec<TteParam> = Vec::new();
    let mut bor: HashMap<String, HashMap<String, (usize, String)>> = HashMap::new();
    let mut spellings = Spellings::default();

    for file in opened.iter_mut() {
        let (Some(id_col), file_name) = (file.col("USUBJID"), file.name.clone()) else {
            continue;
        };
        let subject_cols: Vec<(&'static str, Option<usize>)> = SUBJECT_VARIABLES
            .iter()
            .map(|v| (*v, file.col(v)))
            .collect();
        let paramcd = file.col("PARAMCD");
        let param = file.col("PARAM");
        let aval = file.col("AVAL");
        let avalc = file.col("AVALC");
        let cnsr = file.col("CNSR");
        let avalu = file.col("AVALU");
        let headers = file.table.headers().to_vec();
        let decimal_comma = file.table.decimal_comma();
        let kind = file.kind;
        if kind == AdamKind::Adtte && avalu.is_none() {
            messages.push(
                Message::warning(
                    "AVALU is absent: AVAL read as days (the usual ADaM unit for time-to-event)",
                )
                .in_file(&file_name),
            );
        }
        let mut record = StringRecord::new();
        loop {
            let row = match file.table.next_row(&mut record) {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err(m) => {
                    messages.push(m.in_file(&file_name));
                    break;
                }
            };
            let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
            let at = |i: Option<usize>, text: &str| {
                let mut m = Message::error(text).in_file(&file_name).at_row(row);
                if let Some(i) = i {
                    m = m.in_column(headers[i].clone()).with_value(cell(Some(i)));
                }
                m
            };
            let id = cell(Some(id_col)).to_string();
            if id.is_empty() {
                messages.push(at(Some(id_col), "USUBJID is empty"));
                continue;
            }
            if let Some(s) = subjects.get_mut(&id) {
                // Variables missing so far are taken from later rows and files.
                if kind != AdamKind::Adsl {
                    for (name, col) in &subject_cols {
                        if col.is_some() {
                            s.values
                                .entry(name)
                                .or_insert_with(|| cell(*col).to_string());
                        }
                    }
                }
            }
            if !subjects.contains_key(&id) {
                if has_adsl && kind != AdamKind::Adsl {
                    if !not_in_adsl.contains(&id) {
                        not_in_adsl.push(id.clone());
                    }
                } else {
                    let mut s = Subject {
                        row,
                        values: HashMap::new(),
                    };
                    for (name, col) in &subject_cols {
                        if col.is_some() {
                            s.values.insert(name, cell(*col).to_string());
                        }
                    }
                    order.push(id.clone());
                    subjects.insert(id.clone(), s);
                }
            } else if kind == AdamKind::Adsl {
                messages.push(at(Some(id_col), "duplicate USUBJID in ADSL"));
            }
            let code = cell(paramcd).to_string();
            match kind {
                AdamKind::Adsl => {}
                AdamKind::Adrs => {
                    if code == UNCONFIRMED_BOR || CONFIRMED_BOR.contains(&code.as_str()) {
                        let per = bor.entry(code.clone()).or_default();
                        if per.contains_key(&id) {
                            messages.push(at(
                                paramcd,
                                &format!("more than one {code} record for subject {id}"),
                            ));
                        } else {
                            per.insert(id.clone(), (row, cell(avalc).to_string()));
                        }
                    }
                }
                AdamKind::Adtte => {
                    let label = cell(param).to_string();
                    let unit_text = cell(avalu);
                    let unit = if avalu.is_none() || unit_text.is_empty() {
                        let lower = label.to_lowercase();
                        if lower.starts_with("number of")
                            || lower.starts_with("total number of")
                            || lower.contains("count")
                        {
                            None
                        } else {
                            Some(TimeUnit::Days)
                        }
                    } else {
                        TimeUnit::parse(unit_text)
                    };
                    let Some(unit) = unit else {
                        match params.iter_mut().find(|p| p.paramcd == code) {
                            Some(p) => p.skipped = true,
                            None => {
                                params.push(TteParam {
                                    paramcd: code.clone(),
                                    skipped: true,
                                    label: label.clone(),
                                    unit: TimeUnit::Days,
                                    values: HashMap::new(),
                                });
                                let why = if unit_text.is_empty() {
                                    "its label names a count".to_string()
                                } else {
                                    format!("AVALU = {unit_text}")
                                };
                                messages.push(
                                    Message::note(format!(
                                        "parameter {code} ({label}) is not a time ({why}): skipped"
                                    ))
                                    .in_file(&file_name),
                                );
                            }
                        }
                        continue;
                    };
                    let time = match parse_number(cell(aval), decimal_comma) {
                        Ok(Some(v)) if v < 0.0 => {
                            messages.push(at(aval, "time must be zero or positive"));
                            continue;
                        }
                        Ok(Some(v)) => unit.to_months(v),
                        Ok(None) => continue,
                        Err(_) => {
                            messages.push(at(aval, "time must be a number"));
                            continue;
                        }
                    };
                    let censored = match parse_number(cell(cnsr), false) {
                        Ok(Some(c)) if c >= 0.0 && c.fract() == 0.0 => c > 0.0,
                        _ => {
                            messages.push(at(
                                cnsr,
                                "CNSR must be 0 (event) or a positive integer (censored)",
                            ));
                            continue;
                        }
                    };
                    let p = match params.iter().position(|p| p.paramcd == code) {
                        Some(i) => &mut params[i],
                        None => {
                            params.push(TteParam {
                                paramcd: code.clone(),
                                skipped: false,
                                label,
                                unit,
                                values: HashMap::new(),
                            });
                            params.last_mut().expect("just pushed")
                        }
                    };
                    if p.skipped {
                        continue;
                    }
                    if p.values.contains_key(&id) {
                        messages.push(at(
                            paramcd,
                            &format!("more than one {code} record for subject {id}"),
                        ));
                    } else {
                        p.values.insert(id.clone(), (row, time, !censored));
                    }
                }
            }
        }
    }
    let file_of = |kind: AdamKind| {
        opened
            .iter()
            .find(|o| o.kind == kind)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };

    if !not_in_adsl.is_empty() {
        messages.push(Message::warning(format!(
            "{} subjects in ADRS/ADTTE are not in ADSL and are excluded: {}",
            not_in_adsl.len(),
            not_in_adsl
                .iter()
                .take(20)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }

    // Analysis population.
    let flag = ["ITTFL", "SAFFL"]
        .into_iter()
        .find(|f| order.iter().any(|id| subjects[id].values.contains_key(f)));
    if let Some(flag) = flag {
        let before = order.len();
        order.retain(|id| subjects[id].values.get(flag).map(String::as_str) == Some("Y"));
        messages.push(Message::note(format!(
            "population: {flag} = \"Y\" applied; {} of {before} subjects excluded",
            before - order.len()
        )));
    } else {
        messages.push(Message::note(
            "population: no ITTFL or SAFFL column; all subjects included",
        ));
    }

    // Best response.
    let adrs_file = file_of(AdamKind::Adrs);
    let mut best: Option<Vec<Option<BestResponse>>> = None;
    if opened.iter().any(|o| o.kind == AdamKind::Adrs) {
        let chosen = CONFIRMED_BOR
            .iter()
            .chain([UNCONFIRMED_BOR].iter())
            .find(|c| bor.contains_key(**c));
        match chosen {
            None => messages.push(
                Message::warning(
                    "ADRS has no best overall response parameter (PARAMCD = CBOR, BESRSPI or BOR)",
                )
                .in_file(&adrs_file),
            ),
            Some(code) => {
                let others: Vec<&str> = bor
                    .keys()
                    .filter(|k| *k != code)
                    .map(String::as_str)
                    .collect();
                let kind = if *code == UNCONFIRMED_BOR {
                    "unconfirmed"
                } else {
                    "confirmed"
                };
                let mut text = format!("best response from PARAMCD = {code} ({kind})");
                if !others.is_empty() {
                    text.push_str(&format!("; {} also present, not used", others.join(", ")));
                }
                messages.push(Message::note(text).in_file(&adrs_file));
                let per = &bor[*code];
                let mut values = Vec::with_capacity(order.len());
                for id in &order {
                    let value = per.get(id).and_then(|(row, text)| {
                        if text.is_empty() {
                            return None;
                        }
                        match parse_response(text) {
                            Some(reading) => {
                                spellings.record(text, reading);
                                Some(reading.response())
                            }
                            None => {
                                messages.push(
                                    Message::error("unknown response code: expected CR, PR, SD, PD or NE (or a spelling such as \"Partial Response\")")
                                        .in_file(&adrs_file)
                                        .at_row(*row)
                                        .in_column("AVALC")
                                        .with_value(text.clone()),
                                );
                                None
                            }
                        }
                    });
                    values.push(value);
                }
                best = Some(values);
            }
        }
    }

    // Endpoints.
    let adtte_file = file_of(AdamKind::Adtte);
    let mut endpoints: Vec<Endpoint> = Vec::new();
    let mut ttr: Option<Times> = None;
    let mut ttr_rows: Vec<Option<usize>> = Vec::new();
    let mut dor_rows: Vec<Option<usize>> = Vec::new();
    for p in params.iter().filter(|p| !p.skipped) {
        let standard = match p.paramcd.as_str() {
            "OS" => "os",
            "PFS" => "pfs",
            "DOR" | "DURRSP" | "RSD" | "CRSD" => "dor",
            "TTR" | "TTRSP" => "ttr",
            _ => "",
        };
        let taken =
            |key: &str| endpoints.iter().any(|e| e.key == key) || (key == "ttr" && ttr.is_some());
        let key = if !standard.is_empty() && !taken(standard) {
            standard.to_string()
        } else {
            p.paramcd.to_lowercase()
        };
        if key == "ttr" {
            ttr = Some(Times {
                unit: p.unit,
                months: order
                    .iter()
                    .map(|id| p.values.get(id).map(|v| v.1))
                    .collect(),
            });
            ttr_rows = order
                .iter()
                .map(|id| p.values.get(id).map(|v| v.0))
                .collect();
            continue;
        }
        let values = order
            .iter()
            .map(|id| {
                p.values
                    .get(id)
                    .map(|&(_, months, event)| TimeEvent { months, event })
            })
            .collect();
        let mut endpoint = Endpoint::new(&key, p.unit, values);
        if standard.is_empty() || key != standard {
            endpoint.label = p.label.clone();
        }
        if key == "dor" {
            dor_rows = order
                .iter()
                .map(|id| p.values.get(id).map(|v| v.0))
                .collect();
        }
        endpoints.push(endpoint);
    }

    // Plausibility warnings.
    if let Some(best) = &best {
        for (name, rows) in [
            ("duration of response", &dor_rows),
            ("time to response", &ttr_rows),
        ] {
            for (i, row) in rows.iter().enumerate() {
                if let (Some(row), Some(r)) = (row, best[i].filter(|r| !r.is_objective_response()))
                {
                    messages.push(
                        Message::warning(format!(
                            "{name} given for a non-responder (best response {r})"
                        ))
                        .in_file(&adtte_file)
                        .at_row(*row)
                        .in_column("AVAL"),
                    );
                }
            }
        }
    }
    if let (Some(t), Some(os)) = (&ttr, endpoints.iter().find(|e| e.key == "os")) {
        for (i, (t, o)) in t.months.iter().zip(&os.values).enumerate() {
            if let (Some(t), Some(o), Some(row)) = (t, o, ttr_rows[i]) {
                if *t > o.months + 1e-9 {
                    messages.push(
                        Message::warning(format!(
                            "time to response ({t:.2} months) is later than the overall survival time ({:.2} months)",
                            o.months
                        ))
                        .in_file(&adtte_file)
                        .at_row(row)
                        .in_column("AVAL"),
                    );
                }
            }
        }
    }

    // Covariates: the arm that matches the population, SEX, AGE.
    let arm = match flag {
        Some("SAFFL") => ["ACTARM", "ARM"],
        _ => ["ARM", "ACTARM"],
    }
    .into_iter()
    .find(|v| order.iter().any(|id| subjects[id].values.contains_key(v)));
    let mut covariate_names: Vec<&str> = Vec::new();
    if let Some(arm) = arm {
        let why = if arm == "ACTARM" {
            "actual treatment"
        } else {
            "randomised treatment"
        };
        messages.push(Message::note(format!("treatment arm from {arm} ({why})")));
        covariate_names.push(arm);
    }
    covariate_names.extend(
        SUBJECT_COVARIATES
            .iter()
            .filter(|v| order.iter().any(|id| subjects[id].values.contains_key(*v))),
    );
    let covariates = covariate_names
        .iter()
        .map(|name| {
            let mut b = CovariateBuilder::new();
            for id in &order {
                b.push(
                    subjects[id]
                        .values
                        .get(name)
                        .map(String::as_str)
                        .unwrap_or(""),
                    false,
                );
            }
            b.finish(name.to_string())
        })
        .collect();

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
        return Err(fail(messages));
    }
    let mut cohort = Cohort {
        rows: order.iter().map(|id| subjects[id].row).collect(),
        ids: order,
        best_response: best,
        best_pct_change: None,
        endpoints,
        ttr,
        covariates,
        messages: Vec::new(),
        response_spellings: Vec::new(),
    };
    let (table, notes) = spellings.finish("AVALC");
    cohort.response_spellings = table;
    let mut all = messages.into_sorted();
    all.extend(notes);
    all.extend(exclusion_notes(&cohort, NameBy::Id));
    cohort.messages = all;
    Ok(cohort)
}
