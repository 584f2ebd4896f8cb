//! Reading a table as it really is, recognised by content: a SAS transport
//! file (XPT v5 or v8, [`xpt`](super::xpt)), or delimited text in any of
//! UTF-8 (with or without BOM), UTF-16 LE/BE with BOM (Excel "Unicode
//! text") or, failing those, Windows-1252/Latin-1; CRLF or LF; comma,
//! semicolon or tab (sniffed); quoted fields with embedded delimiters and
//! newlines. Rows are handed out a few at a time so that a page can yield
//! between steps; every cell is text (an XPT number in shortest round-trip
//! form, a missing one empty), so both formats are read by the same code.

use super::message::{Message, RowKind};
use super::values::trim;
use super::xpt::{looks_like_xpt, XptReader, XptVersion};
use csv::StringRecord;
use std::io::Cursor;

/// Largest accepted input: 200 MB.
pub const MAX_BYTES: usize = 200_000_000;
/// Largest accepted number of data rows.
pub const MAX_ROWS: usize = 1_000_000;
/// How much of the text is inspected to choose the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

/// The character encoding the input was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8: read byte by byte as Windows-1252/Latin-1.
    Latin1,
}

/// Converts the input to UTF-8; returns the text and where it starts (after a BOM).
fn decode(bytes: Vec<u8>) -> Result<(Vec<u8>, usize, Encoding), Message> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(&bytes[3..]) {
            Ok(_) => Ok((bytes, 3, Encoding::Utf8Bom)),
            Err(_) => Ok((latin1(&bytes[3..]), 0, Encoding::Latin1)),
        };
    }
    let utf16 = |little: bool| -> Result<(Vec<u8>, usize, Encoding), Message> {
        let units = bytes[2..].chunks(2).map(|c| {
            let pair = [c[0], *c.get(1).unwrap_or(&0)];
            if little {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        let text: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect();
        Ok((
            text.into_bytes(),
            0,
            if little {
                Encoding::Utf16Le
            } else {
                Encoding::Utf16Be
            },
        ))
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return utf16(true);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return utf16(false);
    }
    if std::str::from_utf8(&bytes).is_ok() {
        Ok((bytes, 0, Encoding::Utf8))
    } else {
        Ok((latin1(&bytes), 0, Encoding::Latin1))
    }
}

/// Counts the line breaks that start in `bytes[from..to]`: LF, CRLF (counted
/// once, at its LF, wherever the range starts), or a lone CR (old Mac files).
///
/// `has_cr`: whether `bytes` hold a CR at all (found once per file): without
/// one, counting is a single vectorised pass for LF.
fn line_breaks(bytes: &[u8], from: usize, to: usize, has_cr: bool) -> usize {
    let range = bytes.get(from..to.min(bytes.len())).unwrap_or(&[]);
    // Every LF counts; a CR counts unless an LF follows it (in the whole text).
    let lf = memchr::memchr_iter(b'\n', range).count();
    if !has_cr || memchr::memchr(b'\r', range).is_none() {
        return lf;
    }
    let lone_cr = (from..from + range.len())
        .filter(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    lf + lone_cr
}

/// Windows-1252 agrees with Latin-1 except in 0x80–0x9F; those few are read as Latin-1.
fn latin1(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .map(|&b| b as char)
        .collect::<String>()
        .into_bytes()
}

/// Chooses the delimiter: the most frequent of comma, semicolon and tab
/// outside quotes on the header line (a tie goes to comma, then semicolon).
fn sniff_delimiter(text: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in text.iter().take(SNIFF_BYTES) {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                for (d, n) in counts.iter_mut() {
                    if *d == b {
                        *n += 1;
                    }
                }
            }
            _ => {}
        }
    }
    let best = counts.iter().fold(
        (b',', 0),
        |best, &(d, n)| if n > best.1 { (d, n) } else { best },
    );
    best.0
}

/// A table being read row by row.
pub struct Table {
    source: Source,
    headers: Vec<String>,
    /// Variable labels (XPT), one per column; empty for text.
    labels: Vec<String>,
    data_rows: usize,
}

enum Source {
    Text(Box<Text>),
    Xpt(Box<XptReader>),
}

/// A delimited text and where its reader stands.
struct Text {
    reader: csv::Reader<Cursor<Vec<u8>>>,
    delimiter: u8,
    encoding: Encoding,
    total_bytes: usize,
    start: usize,
    /// Spreadsheet row of the last row read (header = 1).
    row: usize,
    /// Absolute byte offset where the last record started.
    prev_start: usize,
    /// Line breaks inside the quoted fields of the last record.
    prev_embedded: usize,
    /// The text holds a CR somewhere (else rows are counted by LF alone).
    has_cr: bool,
    /// Line breaks inside the quoted fields of every record so far.
    embedded_total: usize,
}

/// Refuses a file over [`MAX_BYTES`] before anything is read: the page calls
/// this with a dropped file's size, so that a huge file is never loaded.
pub fn check_size(bytes: u64) -> Result<(), Message> {
    if bytes > MAX_BYTES as u64 {
        return Err(Message::error(format!(
            "the file has {bytes} bytes; the limit is {MAX_BYTES} bytes (200 MB)"
        )));
    }
    Ok(())
}

/// Bytes inspected to tell a binary file from text.
const BINARY_SNIFF_BYTES: usize = 64 * 1024;

/// Why bytes are not a text table, when they are not: the format they look
/// like, recognised by its signature, or the first byte no text holds.
fn not_text(bytes: &[u8]) -> Option<String> {
    const SIGNATURES: [(&[u8], &str); 7] = [
        (
            b"PK\x03\x04",
            "a ZIP archive or an Excel workbook (.xlsx): save the sheet as CSV",
        ),
        (
            b"\xD0\xCF\x11\xE0",
            "an old Excel workbook (.xls): save the sheet as CSV",
        ),
        (b"%PDF", "a PDF document"),
        (b"\x1F\x8B", "a gzip-compressed file: decompress it first"),
        (b"PAR1", "a Parquet file: export it as CSV"),
        (
            b"SQLite format 3\0",
            "an SQLite database: export a table as CSV",
        ),
        (b"\x89PNG", "a PNG image"),
    ];
    // SAS7BDAT files start with a 32-byte magic number.
    const SAS7BDAT: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(format!("the file is {what}"));
    }
    if bytes.len() >= 32 && bytes[..12] == SAS7BDAT && bytes[12..16] == [0xC2, 0xEA, 0x81, 0x60] {
        return Some(
            "the file is a SAS dataset (.sas7bdat): export it as SAS transport (XPT) or CSV".into(),
        );
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return None; // UTF-16 text holds zero bytes
    }
    let head = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
    let control = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C);
    let at = head.iter().position(|&b| b == 0).or_else(|| {
        // A few stray control characters occur in real exports; more than
        // 1% of the bytes (and more than a handful) do not.
        let count = head.iter().filter(|&&b| control(b)).count();
        (count > 4 && count * 100 > head.len())
            .then(|| head.iter().position(|&b| control(b)).unwrap_or(0))
    })?;
    Some(format!(
        "the file is not a text table: byte {} is 0x{:02X}, a control character no CSV holds",
        at + 1,
        head[at]
    ))
}

/// Bytes of a text file read to recognise it by its header row.
const HEADER_BYTES: usize = 64 * 1024;

impl Table {
    /// The table's header only, read from the start of `bytes` (to
    /// recognise a dataset by its columns without decoding all of it).
    pub fn open_header(bytes: &[u8]) -> Result<Table, Message> {
        if looks_like_xpt(bytes) {
            // The descriptors come first; a long list of them, whole.
            let prefix = bytes[..bytes.len().min(HEADER_BYTES)].to_vec();
            return Table::open(prefix).or_else(|_| Table::open(bytes.to_vec()));
        }
        let mut prefix = bytes[..bytes.len().min(HEADER_BYTES)].to_vec();
        // A UTF-16 prefix must keep whole code units.
        if prefix.len() % 2 == 1
            && (bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]))
        {
            prefix.pop();
        }
        Table::open(prefix)
    }

    /// Decodes the bytes, sniffs the delimiter and reads the header row.
    /// Binary files (a spreadsheet workbook, a SAS7BDAT dataset, an image…)
    /// are refused with what they look like.
    pub fn open(bytes: Vec<u8>) -> Result<Table, Message> {
        check_size(bytes.len() as u64)?;
        if looks_like_xpt(&bytes) {
            let reader = XptReader::open(bytes).map_err(|e| {
                Message::error(format!("the SAS transport (XPT) file cannot be read: {e}"))
            })?;
            let variables = reader.variables();
            return Ok(Table {
                headers: variables.iter().map(|v| v.name.clone()).collect(),
                labels: variables.iter().map(|v| v.label.clone()).collect(),
                source: Source::Xpt(Box::new(reader)),
                data_rows: 0,
            });
        }
        if let Some(why) = not_text(&bytes) {
            return Err(Message::error(format!(
                "{why}; cohortscope reads delimited text (CSV, TSV) and SAS transport (XPT) files"
            )));
        }
        let total_bytes = bytes.len();
        let (text, start, encoding) = decode(bytes)?;
        let delimiter = sniff_delimiter(&text[start..]);
        let has_cr = memchr::memchr(b'\r', &text).is_some();
        let mut cursor = Cursor::new(text);
        cursor.set_position(start as u64);
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(cursor);
        let mut text = Text {
            reader,
            delimiter,
            encoding,
            total_bytes,
            start,
            row: 0,
            prev_start: start,
            prev_embedded: 0,
            has_cr,
            embedded_total: 0,
        };
        let mut header = StringRecord::new();
        if !text.next_record(&mut header)? {
            return Err(Message::error("the file is empty: no header row"));
        }
        let mut headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        // Trailing empty header cells (spreadsheet's empty columns) are dropped.
        while headers.last().is_some_and(|h| h.is_empty()) {
            headers.pop();
        }
        if headers.is_empty() {
            return Err(Message::error("the header row is empty").at_row(text.row));
        }
        Ok(Table {
            source: Source::Text(Box::new(text)),
            headers,
            labels: Vec::new(),
            data_rows: 0,
        })
    }

    /// Reads the next data row that has at least one non-empty cell into
    /// `record` (one buffer serves every row) and returns its row number
    /// (counted as [`Table::row_kind`] says); `None` at the end. Empty rows
    /// are skipped.
    pub fn next_row(&mut self, record: &mut StringRecord) -> Result<Option<usize>, Message> {
        loop {
            let row = match &mut self.source {
                Source::Text(text) => {
                    if !text.next_record(record)? {
                        return Ok(None);
                    }
                    text.row
                }
                Source::Xpt(xpt) => match xpt.next_observation(record) {
                    Ok(Some(observation)) => observation,
                    Ok(None) => return Ok(None),
                    Err(e) => {
                        return Err(Message::error(format!(
                            "the SAS transport (XPT) file cannot be read: {e}"
                        )))
                    }
                },
            };
            if record.iter().all(|f| trim(f).is_empty()) {
                continue;
            }
            self.data_rows += 1;
            if self.data_rows > MAX_ROWS {
                let m = Message::error(format!(
                    "the file has more than {MAX_ROWS} data rows; the limit is {MAX_ROWS}"
                ));
                return Err(match self.row_kind() {
                    RowKind::Spreadsheet => m.at_row(row),
                    RowKind::Observation => m.at_observation(row),
                });
            }
            return Ok(Some(row));
        }
    }

    /// What the row numbers count: spreadsheet rows of a text, observations of an XPT file.
    pub fn row_kind(&self) -> RowKind {
        match self.source {
            Source::Text(_) => RowKind::Spreadsheet,
            Source::Xpt(_) => RowKind::Observation,
        }
    }

    /// Variable labels of an XPT file, one per column (empty for text).
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Column names from the header row, trimmed, without trailing empty ones.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The delimiter found: b',', b';' or b'\t' (b',' for XPT, which has none).
    pub fn delimiter(&self) -> u8 {
        match &self.source {
            Source::Text(text) => text.delimiter,
            Source::Xpt(_) => b',',
        }
    }

    /// The file format as a summary names it: "CSV" for any delimited
    /// text, "XPT v5" or "XPT v8" for SAS transport.
    pub fn format_name(&self) -> String {
        match &self.source {
            Source::Text(_) => "CSV".to_string(),
            Source::Xpt(xpt) => match xpt.version() {
                XptVersion::V5 => "XPT v5".to_string(),
                XptVersion::V8 => "XPT v8".to_string(),
            },
        }
    }

    /// The encoding the input was read in (XPT text is read as UTF-8 or Latin-1 per value).
    pub fn encoding(&self) -> Encoding {
        match &self.source {
            Source::Text(text) => text.encoding,
            Source::Xpt(_) => Encoding::Utf8,
        }
    }

    /// European Excel writes a decimal comma when the delimiter is not a
    /// comma; XPT numbers are never written with one.
    pub fn decimal_comma(&self) -> bool {
        self.delimiter() != b','
    }

    /// Bytes of the input consumed so far, and the total.
    pub fn progress_bytes(&self) -> (usize, usize) {
        match &self.source {
            Source::Text(text) => text.progress_bytes(),
            Source::Xpt(xpt) => xpt.progress(),
        }
    }
}

impl Text {
    /// Reads one record and updates the spreadsheet row number from the
    /// record's byte position: blank lines count as rows (a spreadsheet shows
    /// them), line breaks inside quoted fields do not.
    fn next_record(&mut self, record: &mut StringRecord) -> Result<bool, Message> {
        match self.reader.read_record(record) {
            Ok(false) => Ok(false),
            Ok(true) => {
                let text = self.reader.get_ref().get_ref();
                // csv's position is where reading resumed (it may include the
                // rest of the previous line end and blank lines); the record
                // itself starts at the first byte that is not a line break.
                let resumed = record
                    .position()
                    .map_or(self.prev_start, |p| self.start + p.byte() as usize);
                let here = resumed
                    + text
                        .get(resumed..)
                        .unwrap_or(&[])
                        .iter()
                        .take_while(|b| matches!(b, b'\r' | b'\n'))
                        .count();
                self.row = if self.has_cr {
                    let between = line_breaks(text, self.prev_start, here, true);
                    if self.row == 0 {
                        1 + between
                    } else {
                        (self.row + between)
                            .saturating_sub(self.prev_embedded)
                            .max(self.row + 1)
                    }
                } else {
                    // LF only: csv counts the lines before `resumed` as it
                    // reads, those in quoted fields too (taken off again).
                    let line = record.position().map_or(1, |p| p.line() as usize);
                    let skipped = line_breaks(text, resumed, here, false);
                    (line + skipped).saturating_sub(self.embedded_total)
                };
                self.prev_start = here;
                // Only a quoted field holds a line break: most records have none.
                let fields = record.as_slice().as_bytes();
                self.prev_embedded = if memchr::memchr2(b'\n', b'\r', fields).is_some() {
                    record
                        .iter()
                        .map(|f| line_breaks(f.as_bytes(), 0, f.len(), self.has_cr))
                        .sum()
                } else {
                    0
                };
                self.embedded_total += self.prev_embedded;
                Ok(true)
            }
            Err(e) => Err(Message::error(format!(
                "the file cannot be read as delimited text: {e}"
            ))
            .at_row(self.row + 1)),
        }
    }

    /// Bytes of the (decoded) input consumed so far, and the total.
    fn progress_bytes(&self) -> (usize, usize) {
        let consumed = self.reader.position().byte() as usize + self.start;
        let decoded_total = self.reader.get_ref().get_ref().len();
        // Report in input bytes: scale when decoding changed the length (UTF-16, Latin-1).
        let done = if decoded_total == 0 {
            self.total_bytes
        } else {
            ((consumed.min(decoded_total) as f64 / decoded_total as f64) * self.total_bytes as f64)
                .round() as usize
        };
        (done, self.total_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[u8]) -> (Vec<String>, Vec<(usize, Vec<String>)>) {
        let mut table = Table::open(text.to_vec()).unwrap();
        let mut out = Vec::new();
        let mut record = StringRecord::new();
        while let Some(row) = table.next_row(&mut record).unwrap() {
            out.push((row, record.iter().map(str::to_string).collect()));
        }
        (table.headers().to_vec(), out)
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter(b"a,b;c;d\n"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n1,5\t2\t3"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(sniff_delimiter(b"a;b,c\n"), b',', "a tie goes to comma");
        assert_eq!(sniff_delimiter(b"single"), b',');
    }

    #[test]
    fn numbers_rows_as_a_spreadsheet() {
        let (headers, data) =
            rows(b"id,note,\r\n1,\"two\r\nlines\",\r\n\r\n2,x,\r\n,,\r\n3,\"a\nb\nc\"\r\n4,z");
        assert_eq!(headers, ["id", "note"]);
        let numbers: Vec<usize> = data.iter().map(|d| d.0).collect();
        assert_eq!(
            numbers,
            [2, 4, 6, 7],
            "blank line is row 3, empty cells row 5"
        );
        assert_eq!(
            rows(b"\n\nid\n1\n").1[0].0,
            4,
            "leading blank lines are rows 1 and 2"
        );
        assert_eq!(rows(b"id\r1\r2").1[1].0, 3, "CR line ends");
    }

    #[test]
    fn numbers_rows_of_lf_text_as_of_crlf_text() {
        // Without a CR the rows come from csv's line count: the same numbers.
        let crlf: &[u8] =
            b"id,note,\r\n1,\"two\r\nlines\",\r\n\r\n2,x,\r\n,,\r\n3,\"a\r\nb\r\nc\"\r\n4,z";
        let lf: Vec<u8> = crlf.iter().copied().filter(|&b| b != b'\r').collect();
        let numbers = |text: &[u8]| -> Vec<usize> { rows(text).1.iter().map(|d| d.0).collect() };
        assert_eq!(numbers(&lf), [2, 4, 6, 7]);
        assert_eq!(numbers(&lf), numbers(crlf));
        assert_eq!(numbers(b"\xEF\xBB\xBF\n\nid\n\"1\n\"\n\n\n2\n3"), [4, 7, 8]);
        assert_eq!(numbers(b"id\n1\n\n\n"), [2], "trailing blank lines");
    }

    #[test]
    fn a_size_over_the_limit_is_refused_before_reading() {
        assert!(check_size(MAX_BYTES as u64).is_ok());
        assert_eq!(
            check_size(3_000_000_000).unwrap_err().to_string(),
            "the file has 3000000000 bytes; the limit is 200000000 bytes (200 MB)"
        );
    }

    #[test]
    fn decodes_bom_and_utf16() {
        let (headers, _) = rows(b"\xEF\xBB\xBFid;x\n1;2\n");
        assert_eq!(headers, ["id", "x"]);
        let mut le = vec![0xFF, 0xFE];
        le.extend("id\tx\n1\t2\n".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let (headers, data) = rows(&le);
        assert_eq!(headers, ["id", "x"]);
        assert_eq!(data[0].1, ["1", "2"]);
        let mut be = vec![0xFE, 0xFF];
        be.extend("id,x\n".encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(rows(&be).0, ["id", "x"]);
        assert_eq!(rows(b"id,caf\xE9\n").0, ["id", "caf\u{e9}"]);
    }

    #[test]
    fn refuses_more_rows_than_the_limit() {
        let mut text = Vec::with_capacity(2 * MAX_ROWS + 10);
        text.extend_from_slice(b"id\n");
        for _ in 0..=MAX_ROWS {
            text.extend_from_slice(b"1\n");
        }
        let mut table = Table::open(text).unwrap();
        let mut read = 0;
        let mut record = StringRecord::new();
        let error = loop {
            match table.next_row(&mut record) {
                Ok(Some(_)) => read += 1,
                Ok(None) => panic!("no limit"),
                Err(e) => break e,
            }
        };
        assert_eq!(read, MAX_ROWS);
        assert_eq!(
            error.to_string(),
            "row 1000002: the file has more than 1000000 data rows; the limit is 1000000"
        );
    }

    #[test]
    fn refuses_binary_files_by_what_they_are() {
        let error = |bytes: &[u8]| Table::open(bytes.to_vec()).err().unwrap().to_string();
        assert_eq!(
            error(b"PK\x03\x04\x14\0\0\0"),
            "the file is a ZIP archive or an Excel workbook (.xlsx): save the sheet as CSV; cohortscope reads delimited text (CSV, TSV) and SAS transport (XPT) files"
        );
        assert_eq!(
            error(b"id,os\n1,\x002\n"),
            "the file is not a text table: byte 9 is 0x00, a control character no CSV holds; cohortscope reads delimited text (CSV, TSV) and SAS transport (XPT) files"
        );
        let mut sas = vec![0u8; 12];
        sas.extend([0xC2, 0xEA, 0x81, 0x60]);
        sas.extend([7u8; 40]);
        assert!(error(&sas).starts_with("the file is a SAS dataset (.sas7bdat)"));
        let mut noise: Vec<u8> = b"a,b\n".to_vec();
        noise.extend((0..200u8).map(|i| i % 31 + 1));
        assert!(error(&noise).starts_with("the file is not a text table: byte 5 is 0x01"));
        // A stray control character in a real export is still text.
        assert!(Table::open(b"id,note\n1,a\x0Bb\n".to_vec()).is_ok());
    }

    #[test]
    fn refuses_empty_input() {
        assert!(Table::open(Vec::new()).is_err());
        assert!(Table::open(b",,\n".to_vec()).is_err());
    }
}
