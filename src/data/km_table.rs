//! The input of a Kaplan–Meier report read from one table by column names
//! (the `km` command): times, events or censoring indicators, and group and
//! stratum labels, validated at the edge into [`KmInput`]. An ADaM ADTTE is
//! read for one parameter (PARAMCD). Every rejection is one [`Message`]
//! naming the row, the column and the value.

use std::collections::{BTreeSet, HashMap};

use csv::StringRecord;

use super::columns::{names_censoring, normalize};
use super::input::InputFile;
use super::message::Message;
use super::table::Table;
use super::values::{is_missing, parse_event, parse_number};

/// A per-subject label column (group or stratum) and its name, kept as the
/// distinct labels (in order of first appearance) and each subject's index
/// into them, so that a large file costs one string per distinct label.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Labels {
    /// The column name: the Cox terms are named after it (`arm` + level, as R).
    pub name: String,
    distinct: Vec<String>,
    codes: Vec<usize>,
    index: HashMap<String, usize>,
}

impl Labels {
    /// An empty column named `name`.
    pub fn new(name: &str) -> Labels {
        Labels {
            name: name.to_string(),
            ..Labels::default()
        }
    }

    /// The column `name` holding `values`, one per subject.
    pub fn with_values<S: AsRef<str>>(name: &str, values: &[S]) -> Labels {
        let mut labels = Labels::new(name);
        for v in values {
            labels.push(v.as_ref());
        }
        labels
    }

    /// Appends the next subject's label; returns its code (its index into
    /// [`Labels::distinct`]), to be repeated with [`Labels::push_code`].
    pub fn push(&mut self, label: &str) -> usize {
        let code = match self.index.get(label) {
            Some(&code) => code,
            None => {
                self.distinct.push(label.to_string());
                self.index
                    .insert(label.to_string(), self.distinct.len() - 1);
                self.distinct.len() - 1
            }
        };
        self.codes.push(code);
        code
    }

    /// Appends the next subject with the label of `code`, a code
    /// [`Labels::push`] returned.
    pub fn push_code(&mut self, code: usize) {
        assert!(code < self.distinct.len(), "unknown label code {code}");
        self.codes.push(code);
    }

    /// Number of subjects.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// True when no subject has been added.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The distinct labels in order of first appearance.
    pub fn distinct(&self) -> &[String] {
        &self.distinct
    }

    /// Each subject's index into [`Labels::distinct`].
    pub fn codes(&self) -> &[usize] {
        &self.codes
    }
}

/// Validated-at-the-edge input of a Kaplan–Meier report.
#[derive(Debug, Clone, PartialEq)]
pub struct KmInput {
    pub times: Vec<f64>,
    /// true: event; false: censored.
    pub events: Vec<bool>,
    pub groups: Option<Labels>,
    pub strata: Option<Labels>,
}

/// The column that says whether a time ended in the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status<'a> {
    /// 1 (yes, true, event, dead) = event, 0 = censored.
    Event(&'a str),
    /// 1 (or any positive integer: ADaM CNSR codes the reason) = censored, 0 = event.
    Censor(&'a str),
}

/// The columns to read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmColumns<'a> {
    pub time: &'a str,
    pub status: Status<'a>,
    pub group: Option<&'a str>,
    pub strata: Option<&'a str>,
    /// The PARAMCD whose rows are read (an ADaM ADTTE holds several).
    pub param: Option<&'a str>,
}

/// Fewest data rows of a Kaplan–Meier report.
pub const MIN_ROWS: usize = 2;

/// A Kaplan–Meier input and what the reader noted (the unit of the times).
#[derive(Debug, Clone, PartialEq)]
pub struct KmTable {
    pub input: KmInput,
    pub notes: Vec<String>,
}

/// Reads `file` (any format and encoding [`Table`] reads) into times,
/// events and labels. Times must be numbers ≥ 0; no cell may be missing.
/// A censoring column given as the event (CNSR as `Status::Event`) is
/// refused, never inverted; so is a table of several PARAMCDs without
/// `param`.
pub fn read_km_table(file: InputFile, columns: &KmColumns<'_>) -> Result<KmTable, Message> {
    let mut table = Table::open(file.bytes)?;
    let headers = table.headers().to_vec();
    let find = |name: &str| -> Result<usize, Message> {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            Message::error(format!(
                "no such column; the columns are {}",
                headers.join(", ")
            ))
            .at_row(1)
            .in_column(name)
        })
    };
    let (status_name, censor) = match columns.status {
        Status::Event(name) => (name, false),
        Status::Censor(name) => (name, true),
    };
    let time_at = find(columns.time)?;
    let status_at = find(status_name)?;
    if !censor && names_censoring(status_name) {
        return Err(Message::error(format!(
            "{status_name} is a censoring indicator (ADaM CNSR: 1 = censored, 0 = event): give it as the censoring column (km --censor {status_name}), never as the event column"
        ))
        .in_column(status_name));
    }
    let group_at = columns.group.map(find).transpose()?;
    let strata_at = columns.strata.map(find).transpose()?;
    let paramcd_at = headers.iter().position(|h| normalize(h) == "paramcd");
    let unit_at = headers.iter().position(|h| normalize(h) == "avalu");
    if columns.param.is_some() && paramcd_at.is_none() {
        return Err(Message::error(
            "the file has no PARAMCD column: a parameter can be chosen only in an ADaM ADTTE",
        ));
    }
    let decimal_comma = table.decimal_comma();
    let mut input = KmInput {
        times: Vec::new(),
        events: Vec::new(),
        groups: columns.group.map(Labels::new),
        strata: columns.strata.map(Labels::new),
    };
    let mut params: Vec<String> = Vec::new();
    let mut units: BTreeSet<String> = BTreeSet::new();
    let mut reason_codes = 0usize;
    let mut first_row = None;
    let mut record = StringRecord::new();
    while let Some(row) = table.next_row(&mut record)? {
        let cell = |at: usize| record.get(at).unwrap_or("");
        if let Some(at) = paramcd_at {
            let code = cell(at).trim();
            if !params.iter().any(|p| p == code) {
                params.push(code.to_string());
            }
            if columns.param.is_some_and(|p| p != code) {
                continue;
            }
        }
        first_row.get_or_insert(row);
        let bad = |at: usize, text: &str| {
            Message::error(text.to_string())
                .at_row(row)
                .in_column(headers[at].clone())
                .with_value(cell(at))
        };
        let time = match parse_number(cell(time_at), decimal_comma) {
            Ok(Some(t)) if t >= 0.0 => t,
            Ok(Some(_)) => return Err(bad(time_at, "time must be zero or positive")),
            Ok(None) => return Err(bad(time_at, "time is missing")),
            Err(_) => return Err(bad(time_at, "time is not a number")),
        };
        // "1" and "0" read as parse_event reads them, without its allocation.
        let status = match (cell(status_at), censor) {
            ("1", false) | ("0", true) => Ok(Some(true)),
            ("0", false) | ("1", true) => Ok(Some(false)),
            (other, true) => match parse_number(other, false) {
                // ADaM: a positive integer codes the reason for censoring.
                Ok(Some(c)) if c > 1.0 && c.fract() == 0.0 => {
                    reason_codes += 1;
                    Ok(Some(false))
                }
                _ => parse_event(other, true),
            },
            (other, false) => parse_event(other, false),
        };
        let event = match status {
            Ok(Some(e)) => e,
            Ok(None) => return Err(bad(status_at, if censor { "censoring indicator is missing" } else { "event is missing" })),
            Err(_) if censor => return Err(bad(status_at, "censoring indicator must be 0 (event) or 1 (censored; ADaM also uses 2, 3, … for the reason)")),
            Err(_) => return Err(bad(status_at, "event must be 1 (event) or 0 (censored)")),
        };
        for (at, labels) in [
            (group_at, &mut input.groups),
            (strata_at, &mut input.strata),
        ] {
            if let (Some(at), Some(labels)) = (at, labels) {
                let text = cell(at).trim();
                if is_missing(text) {
                    return Err(bad(at, "the label is missing"));
                }
                labels.push(text);
            }
        }
        if let Some(at) = unit_at {
            units.insert(cell(at).trim().to_string());
        }
        input.times.push(time);
        input.events.push(event);
    }
    if paramcd_at.is_some() && columns.param.is_none() && params.len() > 1 {
        return Err(Message::error(format!(
            "the file holds {} parameters ({}): choose the one to analyse (km --param {})",
            params.len(),
            params.join(", "),
            params[0]
        )));
    }
    if let Some(p) = columns.param {
        if !params.iter().any(|x| x == p) {
            return Err(Message::error(format!(
                "no rows with PARAMCD {p}; the parameters are {}",
                params.join(", ")
            )));
        }
    }
    match input.times.len() {
        0 => return Err(Message::error("the file has no data rows")),
        1 => {
            return Err(Message::error(format!(
                "the file has one data row; at least {MIN_ROWS} are needed"
            ))
            .at_row(first_row.unwrap_or(2)))
        }
        _ => {}
    }
    let mut notes = Vec::new();
    if let Some(p) = columns.param {
        notes.push(format!("rows with PARAMCD = {p}: {}", input.times.len()));
    }
    if censor {
        notes.push(format!(
            "{status_name}: 0 = event, a positive integer = censored"
        ));
    }
    if reason_codes > 0 {
        notes.push(format!(
            "{reason_codes} rows with {status_name} above 1 read as censored (ADaM codes the reason)"
        ));
    }
    units.remove("");
    if !units.is_empty() {
        let list: Vec<&str> = units.iter().map(String::as_str).collect();
        notes.push(format!(
            "times as in the file, in {} (AVALU)",
            list.join(", ")
        ));
    }
    Ok(KmTable { input, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: KmColumns<'static> = KmColumns {
        time: "t",
        status: Status::Event("e"),
        group: Some("g"),
        strata: None,
        param: None,
    };

    fn read(text: &str, columns: &KmColumns<'_>) -> Result<KmTable, Message> {
        read_km_table(InputFile::new("x.csv", text.as_bytes().to_vec()), columns)
    }

    fn error(text: &str) -> String {
        read(text, &COLUMNS).unwrap_err().to_string()
    }

    #[test]
    fn reads_times_events_and_labels() {
        let input = read("t,e,g\n1.5,1,a\n2,censored,b\n", &COLUMNS)
            .unwrap()
            .input;
        assert_eq!(input.times, [1.5, 2.0]);
        assert_eq!(input.events, [true, false]);
        assert_eq!(input.groups, Some(Labels::with_values("g", &["a", "b"])));
        let input = read("t;e;g\n1,5;1;a\n2;0;b\n", &COLUMNS).unwrap().input;
        assert_eq!(input.times, [1.5, 2.0]);
    }

    #[test]
    fn every_rejection_names_row_column_and_value() {
        assert_eq!(error(""), "the file is empty: no header row");
        assert_eq!(error("t,e,g\n"), "the file has no data rows");
        assert_eq!(
            error("t,e,g\n1,1,a\n"),
            "row 2: the file has one data row; at least 2 are needed"
        );
        assert_eq!(
            error("t,e\n1,1\n2,0\n"),
            "row 1, column g: no such column; the columns are t, e"
        );
        assert_eq!(
            error("t,e,g\n1,1,a\n-3,0,a\n"),
            "row 3, column t, value \"-3\": time must be zero or positive"
        );
        assert_eq!(
            error("t,e,g\n1,1,a\nx,0,a\n"),
            "row 3, column t, value \"x\": time is not a number"
        );
        assert_eq!(
            error("t,e,g\n1,1,a\n,0,a\n"),
            "row 3, column t, value \"\": time is missing"
        );
        assert_eq!(
            error("t,e,g\n1,2,a\n1,0,a\n"),
            "row 2, column e, value \"2\": event must be 1 (event) or 0 (censored)"
        );
        assert_eq!(
            error("t,e,g\n1,1,a\n1,0\n"),
            "row 3, column g, value \"\": the label is missing"
        );
    }

    const ADTTE: &str = "USUBJID,PARAMCD,AVAL,AVALU,CNSR,ARM\nS1,OS,10,DAYS,0,A\nS1,PFS,5,DAYS,0,A\nS2,OS,20,DAYS,1,B\nS3,OS,30,DAYS,2,B\n";

    #[test]
    fn reads_one_adtte_parameter_with_cnsr_as_censoring() {
        let columns = KmColumns {
            time: "AVAL",
            status: Status::Censor("CNSR"),
            group: Some("ARM"),
            strata: None,
            param: Some("OS"),
        };
        let table = read(ADTTE, &columns).unwrap();
        assert_eq!(table.input.times, [10.0, 20.0, 30.0]);
        assert_eq!(table.input.events, [true, false, false]);
        assert_eq!(
            table.notes,
            [
                "rows with PARAMCD = OS: 3",
                "CNSR: 0 = event, a positive integer = censored",
                "1 rows with CNSR above 1 read as censored (ADaM codes the reason)",
                "times as in the file, in DAYS (AVALU)",
            ]
        );
    }

    #[test]
    fn refuses_cnsr_as_an_event_and_a_mix_of_parameters() {
        let as_event = KmColumns {
            time: "AVAL",
            status: Status::Event("CNSR"),
            group: None,
            strata: None,
            param: Some("OS"),
        };
        assert_eq!(
            read(ADTTE, &as_event).unwrap_err().to_string(),
            "column CNSR: CNSR is a censoring indicator (ADaM CNSR: 1 = censored, 0 = event): give it as the censoring column (km --censor CNSR), never as the event column"
        );
        let no_param = KmColumns {
            status: Status::Censor("CNSR"),
            param: None,
            ..as_event
        };
        assert_eq!(
            read(ADTTE, &no_param).unwrap_err().to_string(),
            "the file holds 2 parameters (OS, PFS): choose the one to analyse (km --param OS)"
        );
        let unknown = KmColumns {
            param: Some("EFS"),
            ..no_param
        };
        assert_eq!(
            read(ADTTE, &unknown).unwrap_err().to_string(),
            "no rows with PARAMCD EFS; the parameters are OS, PFS"
        );
        assert_eq!(
            read(
                "t,e\n1,1\n2,0\n",
                &KmColumns {
                    time: "t",
                    status: Status::Event("e"),
                    group: None,
                    strata: None,
                    param: Some("OS")
                }
            )
            .unwrap_err()
            .to_string(),
            "the file has no PARAMCD column: a parameter can be chosen only in an ADaM ADTTE"
        );
        let bad = KmColumns {
            status: Status::Censor("CNSR"),
            ..unknown
        };
        assert_eq!(
            read("USUBJID,PARAMCD,AVAL,CNSR\nS1,EFS,3,x\nS2,EFS,4,0\n", &bad).unwrap_err().to_string(),
            "row 2, column CNSR, value \"x\": censoring indicator must be 0 (event) or 1 (censored; ADaM also uses 2, 3, … for the reason)"
        );
    }
}
