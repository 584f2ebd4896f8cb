//! Importing whatever the user dropped: one wide file, or ADaM datasets.

use super::adam::{import_adam, AdamKind};
use super::cohort::Cohort;
use super::columns::ColumnMapping;
use super::import::{import_csv, ImportFailure};
use super::message::Message;
use super::table::Table;

/// Bytes of a file inspected to recognise an ADaM dataset by its header.
const HEADER_BYTES: usize = 64 * 1024;

/// The ADaM dataset a file holds, judged from its header row.
pub fn adam_kind(bytes: &[u8]) -> Option<AdamKind> {
    let mut prefix = bytes[..bytes.len().min(HEADER_BYTES)].to_vec();
    // A UTF-16 prefix must keep whole code units.
    if prefix.len() % 2 == 1
        && (bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]))
    {
        prefix.pop();
    }
    let table = Table::open(prefix).ok()?;
    AdamKind::detect(table.headers())
}

/// Imports the files given together: ADaM datasets (ADTTE, ADRS, ADSL,
/// recognised by their columns) are joined; otherwise exactly one
/// one-row-per-patient file is expected, read with `mapping` (or a guess).
pub fn import_files(
    files: Vec<(String, Vec<u8>)>,
    mapping: Option<ColumnMapping>,
) -> Result<Cohort, ImportFailure> {
    let fail = |text: String| ImportFailure {
        messages: vec![Message::error(text)],
        mapping: ColumnMapping::default(),
        headers: Vec::new(),
    };
    let adam = files.iter().filter(|(_, b)| adam_kind(b).is_some()).count();
    match (files.len(), adam) {
        (0, _) => Err(fail("no file given".into())),
        (n, a) if a == n => import_adam(files),
        (1, 0) => {
            let (name, bytes) = files.into_iter().next().unwrap_or_default();
            import_csv(bytes, mapping).map_err(|mut f| {
                for m in &mut f.messages {
                    m.file.get_or_insert(name.clone());
                }
                f
            })
        }
        _ => Err(fail(format!(
            "{} files given: give one file with one row per patient, or ADaM datasets (ADTTE, ADRS, ADSL) only",
            files.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_adam_headers() {
        assert_eq!(
            adam_kind(b"USUBJID,PARAMCD,AVAL,CNSR\n"),
            Some(AdamKind::Adtte)
        );
        assert_eq!(adam_kind(b"usubjid;paramcd;avalc\n"), Some(AdamKind::Adrs));
        assert_eq!(adam_kind(b"USUBJID,SAFFL,ARM\n"), Some(AdamKind::Adsl));
        assert_eq!(adam_kind(b"id,os_months,os_event\n"), None);
        assert_eq!(adam_kind(b""), None);
    }

    #[test]
    fn dispatches_by_content() {
        let wide = (
            "a.csv".to_string(),
            b"id,os_months,os_event\n1,2,1\n".to_vec(),
        );
        assert_eq!(
            import_files(vec![wide.clone()], None).map(|c| c.len()),
            Ok(1)
        );
        let adtte = (
            "t.csv".to_string(),
            b"USUBJID,PARAMCD,AVAL,AVALU,CNSR\nS1,OS,30,DAYS,0\n".to_vec(),
        );
        assert_eq!(
            import_files(vec![adtte.clone()], None).map(|c| c.len()),
            Ok(1)
        );
        let both = import_files(vec![wide, adtte], None).unwrap_err();
        assert_eq!(
            both.to_string(),
            "2 files given: give one file with one row per patient, or ADaM datasets (ADTTE, ADRS, ADSL) only"
        );
        let bad = (
            "b.csv".to_string(),
            b"id,os_months,os_event\n1,-2,1\n".to_vec(),
        );
        assert_eq!(
            import_files(vec![bad], None).unwrap_err().to_string(),
            "file b.csv, row 2, column os_months, value \"-2\": time must be zero or positive"
        );
    }
}
