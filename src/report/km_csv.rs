//! The input of the `km` command: a plain delimited file read by column
//! names, validated at the edge into [`KmInput`]. Every rejection is one
//! [`Message`] naming the spreadsheet row (header = row 1), the column and
//! the value.

use super::km::{KmInput, Labels};
use csv::StringRecord;

use crate::data::message::Message;
use crate::data::table::Table;
use crate::data::values::{is_missing, parse_event, parse_number};

/// The columns to read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmColumns<'a> {
    pub time: &'a str,
    /// Event indicator: 1/0, yes/no, true/false, event/censored, dead/alive.
    pub event: &'a str,
    pub group: Option<&'a str>,
    pub strata: Option<&'a str>,
}

/// Fewest data rows of a Kaplan–Meier report.
pub const MIN_ROWS: usize = 2;

/// Reads `bytes` (any encoding and delimiter the data module reads) into
/// times, events and labels. Times must be numbers ≥ 0; events one of the
/// data module's event spellings; no cell may be missing.
pub fn read_km_csv(bytes: Vec<u8>, columns: &KmColumns<'_>) -> Result<KmInput, Message> {
    let mut table = Table::open(bytes)?;
    let find = |name: &str| -> Result<usize, Message> {
        table
            .headers()
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| {
                Message::error(format!(
                    "no such column; the columns are {}",
                    table.headers().join(", ")
                ))
                .at_row(1)
                .in_column(name)
            })
    };
    let time_at = find(columns.time)?;
    let event_at = find(columns.event)?;
    let group_at = columns.group.map(find).transpose()?;
    let strata_at = columns.strata.map(find).transpose()?;
    let decimal_comma = table.decimal_comma();
    let mut input = KmInput {
        times: Vec::new(),
        events: Vec::new(),
        groups: columns.group.map(Labels::new),
        strata: columns.strata.map(Labels::new),
    };
    let mut first_row = None;
    let mut record = StringRecord::new();
    while let Some(row) = table.next_row(&mut record)? {
        first_row.get_or_insert(row);
        let cell = |at: usize| record.get(at).unwrap_or("");
        let bad = |at: usize, name: &str, text: &str| {
            Message::error(text.to_string())
                .at_row(row)
                .in_column(name)
                .with_value(cell(at))
        };
        let time = match parse_number(cell(time_at), decimal_comma) {
            Ok(Some(t)) if t >= 0.0 => t,
            Ok(Some(_)) => return Err(bad(time_at, columns.time, "time must be zero or positive")),
            Ok(None) => return Err(bad(time_at, columns.time, "time is missing")),
            Err(_) => return Err(bad(time_at, columns.time, "time is not a number")),
        };
        // "1" and "0" read as parse_event reads them, without its allocation.
        let event = match cell(event_at) {
            "1" => Ok(Some(true)),
            "0" => Ok(Some(false)),
            other => parse_event(other, false),
        };
        let event = match event {
            Ok(Some(e)) => e,
            Ok(None) => return Err(bad(event_at, columns.event, "event is missing")),
            Err(_) => {
                return Err(bad(
                    event_at,
                    columns.event,
                    "event must be 1 (event) or 0 (censored)",
                ))
            }
        };
        for (at, labels) in [
            (group_at, &mut input.groups),
            (strata_at, &mut input.strata),
        ] {
            if let (Some(at), Some(labels)) = (at, labels) {
                let text = cell(at).trim();
                if is_missing(text) {
                    return Err(bad(at, &labels.name, "the label is missing"));
                }
                labels.push(text);
            }
        }
        input.times.push(time);
        input.events.push(event);
    }
    match input.times.len() {
        0 => Err(Message::error("the file has no data rows")),
        1 => Err(Message::error(format!(
            "the file has one data row; at least {MIN_ROWS} are needed"
        ))
        .at_row(first_row.unwrap_or(2))),
        _ => Ok(input),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: KmColumns<'static> = KmColumns {
        time: "t",
        event: "e",
        group: Some("g"),
        strata: None,
    };

    fn error(text: &str) -> String {
        read_km_csv(text.as_bytes().to_vec(), &COLUMNS)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_times_events_and_labels() {
        let input = read_km_csv(b"t,e,g\n1.5,1,a\n2,censored,b\n".to_vec(), &COLUMNS).unwrap();
        assert_eq!(input.times, [1.5, 2.0]);
        assert_eq!(input.events, [true, false]);
        assert_eq!(input.groups, Some(Labels::with_values("g", &["a", "b"])));
        let input = read_km_csv(b"t;e;g\n1,5;1;a\n2;0;b\n".to_vec(), &COLUMNS).unwrap();
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
}
