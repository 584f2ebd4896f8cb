//! The one way in: every file the page or the command line reads arrives
//! here as its name and bytes ([`InputFile`]), in any number and order, and
//! leaves as a [`Cohort`] with its messages, or as an [`ImportFailure`].
//! The format is recognised by content, never by the file name: SAS
//! transport (XPT) or delimited text (any encoding and delimiter
//! [`Table`] reads); ADaM datasets by their columns, anything else as one
//! table with a row per patient.

use super::adam::{import_adam, AdamChoices, AdamKind};
use super::cohort::Cohort;
use super::columns::ColumnMapping;
use super::import::{ImportFailure, Progress, TableImport};
use super::message::Message;
use super::table::Table;

/// A file as read from disk or dropped on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The file name ("adsl.xpt"); empty for text without one (a paste).
    pub name: String,
    pub bytes: Vec<u8>,
}

impl InputFile {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> InputFile {
        InputFile {
            name: name.into(),
            bytes,
        }
    }
}

/// How the files are read: the column mapping of a one-table file (`None`:
/// guessed from its header) and the choices of an ADaM import.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportOptions {
    pub mapping: Option<ColumnMapping>,
    pub adam: AdamChoices,
}

/// The ADaM dataset a file holds, judged from its header, if it is one.
pub fn adam_kind(bytes: &[u8]) -> Option<AdamKind> {
    let table = Table::open_header(bytes).ok()?;
    AdamKind::detect(table.headers())
}

/// An import in progress: a one-table file is read a few rows at a time
/// (so that a page can yield and show progress); ADaM datasets, joined
/// across files, are read at once.
pub struct ImportJob {
    file: String,
    state: State,
}

enum State {
    Table(Box<TableImport>),
    Finished(Box<Result<Cohort, ImportFailure>>),
}

impl ImportJob {
    /// Recognises the files and starts reading them.
    pub fn new(files: Vec<InputFile>, options: &ImportOptions) -> Result<ImportJob, ImportFailure> {
        let kinds: Vec<Option<AdamKind>> = files.iter().map(|f| adam_kind(&f.bytes)).collect();
        let adam = kinds.iter().filter(|k| k.is_some()).count();
        if files.is_empty() {
            return Err(ImportFailure::error("no file given"));
        }
        if adam == files.len() {
            return Ok(ImportJob {
                file: String::new(),
                state: State::Finished(Box::new(import_adam(files, &options.adam))),
            });
        }
        if files.len() == 1 {
            let InputFile { name, bytes } = files.into_iter().next().expect("one file");
            return match TableImport::new(bytes, options.mapping.clone()) {
                Ok(job) => Ok(ImportJob {
                    file: name,
                    state: State::Table(Box::new(job)),
                }),
                Err(failure) => Err(located(failure, &name)),
            };
        }
        let what: Vec<String> = files
            .iter()
            .zip(&kinds)
            .map(|(f, k)| match k {
                Some(kind) => format!("{} is ADaM {}", f.name, kind.name()),
                None => format!("{} is not an ADaM dataset", f.name),
            })
            .collect();
        Err(ImportFailure::error(format!(
            "{} files given ({}): give one file with one row per patient, or ADaM datasets (ADSL, ADRS, ADTTE) only",
            files.len(),
            what.join(", ")
        )))
    }

    /// The column mapping of a one-table import.
    pub fn mapping(&self) -> Option<&ColumnMapping> {
        match &self.state {
            State::Table(job) => Some(job.mapping()),
            State::Finished(_) => None,
        }
    }

    /// True when every row has been read.
    pub fn is_done(&self) -> bool {
        match &self.state {
            State::Table(job) => job.is_done(),
            State::Finished(_) => true,
        }
    }

    /// Reads at most `max_rows` more rows.
    pub fn step(&mut self, max_rows: usize) -> Progress {
        match &mut self.state {
            State::Table(job) => job.step(max_rows),
            State::Finished(result) => {
                let rows = result.as_ref().as_ref().map_or(0, Cohort::len);
                Progress {
                    rows_done: rows,
                    bytes_done: 0,
                    total_bytes: 0,
                }
            }
        }
    }

    /// Reads what is left and returns the cohort, or every error found.
    pub fn finish(self) -> Result<Cohort, ImportFailure> {
        match self.state {
            State::Finished(result) => *result,
            State::Table(job) => {
                let file = self.file;
                job.finish()
                    .map(|mut cohort| {
                        for m in &mut cohort.messages {
                            locate(m, &file);
                        }
                        cohort
                    })
                    .map_err(|failure| located(failure, &file))
            }
        }
    }
}

/// Names the file in a message about it (an unnamed input stays unnamed).
fn locate(message: &mut Message, file: &str) {
    if !file.is_empty() && message.file.is_none() {
        message.file = Some(file.into());
    }
}

fn located(mut failure: ImportFailure, file: &str) -> ImportFailure {
    for m in &mut failure.messages {
        locate(m, file);
    }
    failure
}

/// Imports the files given together: the one entry point from bytes to a cohort.
pub fn import_files(
    files: Vec<InputFile>,
    options: &ImportOptions,
) -> Result<Cohort, ImportFailure> {
    ImportJob::new(files, options)?.finish()
}

/// Imports one unnamed one-row-per-patient table ([`import_files`] with one file).
pub fn import_csv(bytes: Vec<u8>, mapping: Option<ColumnMapping>) -> Result<Cohort, ImportFailure> {
    import_files(
        vec![InputFile::new("", bytes)],
        &ImportOptions {
            mapping,
            ..ImportOptions::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &[u8]) -> InputFile {
        InputFile::new(name, text.to_vec())
    }

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
        let options = ImportOptions::default();
        let wide = file("a.csv", b"id,os_months,os_event\n1,2,1\n");
        assert_eq!(
            import_files(vec![wide.clone()], &options).map(|c| c.len()),
            Ok(1)
        );
        let adtte = file(
            "t.csv",
            b"USUBJID,PARAMCD,AVAL,AVALU,CNSR\nS1,OS,30,DAYS,0\n",
        );
        assert_eq!(
            import_files(vec![adtte.clone()], &options).map(|c| c.len()),
            Ok(1)
        );
        let both = import_files(vec![wide, adtte], &options).unwrap_err();
        assert_eq!(
            both.to_string(),
            "2 files given (a.csv is not an ADaM dataset, t.csv is ADaM ADTTE): give one file with one row per patient, or ADaM datasets (ADSL, ADRS, ADTTE) only"
        );
        let bad = file("b.csv", b"id,os_months,os_event\n1,-2,1\n");
        let failure = import_files(vec![bad], &options).unwrap_err();
        assert_eq!(
            failure.to_string(),
            "file b.csv, row 2 (patient 1), column os_months, value \"-2\": time must be zero or positive"
        );
        assert!(
            !failure.needs_mapping,
            "a value error is fixed in the file, not in the mapping"
        );
        let unmapped = import_files(vec![file("c.csv", b"a,b\n1,2\n")], &options).unwrap_err();
        assert!(unmapped.needs_mapping);
        assert_eq!(
            import_files(Vec::new(), &options).unwrap_err().to_string(),
            "no file given"
        );
    }
}
