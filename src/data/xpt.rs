//! Reading a SAS transport (XPORT, `.xpt`) file held in memory, version 5
//! (SAS technical note TS-140, "The record layout of a data set in SAS
//! transport (XPORT) format") and version 8/9 ("Record Layout of a SAS Version
//! 8 or 9 Data Set in SAS Transport Format"): the first member (dataset), one
//! observation at a time, as text fields.
//!
//! Hand-written rather than a crate: the page needs an in-memory reader
//! without `encoding_rs`'s tables. Numbers are converted from IBM hexadecimal
//! floating point ([`ibm`]); the header records are checked in [`header`].
//!
//! Hostile input gives an [`XptError`], never a panic: every count is bounded
//! by the bytes present, nothing is allocated by a count the file claims, and
//! every step consumes bytes.

mod header;
mod ibm;
#[cfg(test)]
mod test_file;

use csv::StringRecord;
use std::fmt::{self, Write};

/// True when the bytes start like an XPORT file (v5 or v8 library header record).
pub fn looks_like_xpt(bytes: &[u8]) -> bool {
    header::library_version(bytes).is_some()
}

/// The layout version, from the library header (`LIBRARY` or `LIBV8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XptVersion {
    /// TS-140: 8-byte names, 40-byte labels.
    V5,
    /// SAS 8 and 9: 32-byte names, long labels and formats.
    V8,
}

/// A variable's type, from its descriptor (1 numeric, 2 character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableType {
    Numeric,
    Character,
}

/// A variable as the member's descriptors (and, in v8, its `LABELV8` or
/// `LABELV9` section) describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// Trailing blanks removed.
    pub name: String,
    /// v8 long labels from the LABELV8/LABELV9 records.
    pub label: String,
    pub kind: VariableType,
    /// Bytes in an observation.
    pub length: usize,
    /// For example `DATE9.`, or empty: name + length + decimals as SAS writes it.
    pub format: String,
}

/// Why a file cannot be read: where (byte offset, when known) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XptError {
    pub offset: Option<usize>,
    pub text: String,
}

impl XptError {
    fn at(offset: usize, text: impl Into<String>) -> Self {
        XptError {
            offset: Some(offset),
            text: text.into(),
        }
    }

    fn whole(text: impl Into<String>) -> Self {
        XptError {
            offset: None,
            text: text.into(),
        }
    }
}

/// `byte 240: <text>`, or the text alone when the offset is not known.
impl fmt::Display for XptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(offset) => write!(f, "byte {offset}: {}", self.text),
            None => f.write_str(&self.text),
        }
    }
}

impl std::error::Error for XptError {}

/// An XPORT file held in memory, read one observation at a time (the first dataset/member).
pub struct XptReader {
    bytes: Vec<u8>,
    member: header::Member,
    /// Where the first member's observations end: the next member header or
    /// the end of the file.
    data_end: usize,
    /// One past the last byte of the observations that is not an ASCII blank.
    content_end: usize,
    /// Where the next observation starts.
    at: usize,
    observations: usize,
    finished: bool,
    /// Reused for each number and each Latin-1 text, so that reading an
    /// observation allocates nothing once the record has grown.
    scratch: String,
}

impl XptReader {
    /// Parses the library header and the first member's header and variable
    /// descriptors, and finds where its observations end.
    pub fn open(bytes: Vec<u8>) -> Result<XptReader, XptError> {
        let member = header::parse(&bytes)?;
        let data_end =
            next_member(&bytes, member.data_start, member.version).unwrap_or(bytes.len());
        let content_end = bytes[member.data_start..data_end]
            .iter()
            .rposition(|&b| b != b' ')
            .map_or(member.data_start, |i| member.data_start + i + 1);
        Ok(XptReader {
            at: member.data_start,
            bytes,
            member,
            data_end,
            content_end,
            observations: 0,
            finished: false,
            scratch: String::new(),
        })
    }

    pub fn version(&self) -> XptVersion {
        self.member.version
    }

    pub fn dataset_name(&self) -> &str {
        &self.member.name
    }

    pub fn dataset_label(&self) -> &str {
        &self.member.label
    }

    pub fn variables(&self) -> &[Variable] {
        &self.member.variables
    }

    /// The next observation, one field per variable, into `record` (cleared first):
    /// numbers in Rust's shortest round-trip decimal (`format!("{}", x)` of the f64),
    /// missing numerics (SAS `.`, `.A`–`.Z`, `._`) as the empty string, character values
    /// with trailing blanks (and NUL bytes) removed, decoded as UTF-8 when valid, else
    /// as Latin-1. Returns the 1-based observation number, or None after the last one
    /// of the first member.
    ///
    /// Observations are packed across 80-byte records and the member is padded
    /// with ASCII blanks to a multiple of 80, so the end is not marked (and a
    /// v8 observation count is not trusted): as SAS and readstat do, reading
    /// stops at the next member header, or where what is left of the member is
    /// only blanks (nothing at all included). What is left being shorter than
    /// an observation but not blank means the file was cut: an error. An
    /// all-blank observation followed only by blanks is therefore not read; an
    /// all-blank observation followed by data is.
    pub fn next_observation(
        &mut self,
        record: &mut StringRecord,
    ) -> Result<Option<usize>, XptError> {
        record.clear();
        if self.finished || self.at >= self.content_end {
            self.finished = true;
            return Ok(None);
        }
        let length = self.member.observation_length;
        let end = self.at + length;
        if end > self.data_end {
            let have = self.data_end - self.at;
            let observation = self.observations + 1;
            let text = if self.data_end == self.bytes.len() {
                format!("the file ends inside observation {observation} ({have} of {length} bytes)")
            } else {
                format!("the next member header cuts observation {observation} short ({have} of {length} bytes)")
            };
            return Err(XptError::at(self.at, text));
        }
        let observation = &self.bytes[self.at..end];
        for field in &self.member.fields {
            let value = &observation[field.offset..field.offset + field.length];
            if field.numeric {
                match ibm::decode(value) {
                    None => record.push_field(""),
                    Some(x) => {
                        write_number(&mut self.scratch, x);
                        record.push_field(&self.scratch);
                    }
                }
            } else {
                let value = header::trim_padding(value);
                match std::str::from_utf8(value) {
                    Ok(text) => record.push_field(text),
                    Err(_) => {
                        self.scratch.clear();
                        self.scratch.extend(value.iter().map(|&b| char::from(b)));
                        record.push_field(&self.scratch);
                    }
                }
            }
        }
        self.at = end;
        self.observations += 1;
        Ok(Some(self.observations))
    }

    /// Bytes consumed so far and the total size, for a progress bar: the
    /// headers count as consumed once the file is open, and the whole file
    /// once the last observation has been read.
    pub fn progress(&self) -> (usize, usize) {
        let total = self.bytes.len();
        (if self.finished { total } else { self.at }, total)
    }

    /// After the last observation: the names of further members (datasets) in the file, which are not read.
    pub fn other_datasets(&self) -> Vec<String> {
        let version = self.member.version;
        let mut names = Vec::new();
        let mut at = self.data_end;
        while let Some(found) = next_member(&self.bytes, at, version) {
            names.extend(header::member_name(&self.bytes, found, version));
            at = found + header::RECORD;
        }
        names
    }
}

/// Writes `x` into `out` (cleared first) exactly as `format!("{x}")` does:
/// an integer below 2^53 digit by digit (counts, flags and dates held as day
/// numbers, most numbers in SAS data, five to ten times faster), anything else
/// through `Display`.
fn write_number(out: &mut String, x: f64) {
    out.clear();
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        if x.is_sign_negative() {
            out.push('-');
        }
        let mut n = x.abs() as u64;
        let mut digits = [0u8; 16];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        out.extend(digits[start..].iter().map(|&d| char::from(d)));
    } else {
        let _ = write!(out, "{x}");
    }
}

/// The offset of the first member header record at or after `from` (a record
/// boundary), looking at record boundaries only.
fn next_member(bytes: &[u8], from: usize, version: XptVersion) -> Option<usize> {
    (from..bytes.len()).step_by(header::RECORD).find(|&at| {
        bytes
            .get(at..at + header::RECORD)
            .is_some_and(|record| header::member_header(record, version).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::test_file::{chr, file, member, num, patch, Cell, Member};
    use super::*;
    use Cell::{Missing, Raw, N, S};

    type Rows = Vec<Vec<String>>;

    /// Every observation of the first member, checking the numbering and
    /// that progress only moves forward, ending at the total.
    fn read(bytes: Vec<u8>) -> Result<Rows, XptError> {
        let mut reader = XptReader::open(bytes)?;
        let mut record = StringRecord::new();
        let mut rows = Vec::new();
        let mut done = reader.progress().0;
        while let Some(n) = reader.next_observation(&mut record)? {
            assert_eq!(n, rows.len() + 1);
            assert_eq!(record.len(), reader.variables().len());
            rows.push(record.iter().map(String::from).collect());
            let (now, total) = reader.progress();
            assert!(done <= now && now <= total);
            done = now;
        }
        assert_eq!(reader.progress().0, reader.progress().1);
        assert_eq!(reader.next_observation(&mut record), Ok(None));
        Ok(rows)
    }

    fn check(bytes: Vec<u8>, expected: &[&[&str]]) {
        let expected: Rows = expected
            .iter()
            .map(|row| row.iter().map(|s| s.to_string()).collect())
            .collect();
        assert_eq!(read(bytes), Ok(expected));
    }

    fn check_error(bytes: Vec<u8>, expected: &str) {
        match read(bytes) {
            Err(e) => assert_eq!(e.to_string(), expected),
            Ok(rows) => panic!("read {} rows, expected {expected:?}", rows.len()),
        }
    }

    fn v5(members: &[Member]) -> Vec<u8> {
        file(XptVersion::V5, members)
    }

    fn v8(members: &[Member]) -> Vec<u8> {
        file(XptVersion::V8, members)
    }

    #[test]
    fn numbers_and_missing_values() {
        let vars = vec![num("X", 8), num("SHORT", 3)];
        let rows = vec![
            vec![N(1.0), N(1.0)],
            vec![N(-118.625), N(-118.625)],
            vec![N(0.1), N(0.1)],
            vec![N(0.0), N(-2.5)],
            vec![Missing(b'.'), Missing(b'.')],
            vec![Missing(b'A'), Missing(b'Z')],
            vec![Missing(b'_'), N(1e6)],
            // As pyreadstat writes 1e300 (the largest magnitude) and 1e-300 (zero).
            vec![
                Raw(vec![0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
                N(3.0),
            ],
            vec![Raw(vec![0; 8]), N(3.0)],
            vec![N(-1e75), N(3.0)],
            vec![N(5.397605346934028e-79), N(3.0)],
        ];
        let tiny = format!("0.{}5397605346934028", "0".repeat(78));
        let big = format!("-1{}", "0".repeat(75));
        check(
            v5(&[member("DM", vars, rows)]),
            &[
                &["1", "1"],
                &["-118.625", "-118.625"],
                // 0.1 in 3 bytes keeps 16 bits of its fraction: 0x1999 / 2^16.
                &["0.1", "0.0999908447265625"],
                &["0", "-2.5"],
                &["", ""],
                &["", ""],
                &["", "1000000"],
                &["inf", "3"],
                &["0", "3"],
                &[&big, "3"],
                &[&tiny, "3"],
            ],
        );
        assert_eq!(format!("{}", -1e75), big);
        assert_eq!(format!("{}", 5.397605346934028e-79), tiny);
    }

    #[test]
    fn character_values() {
        let vars = vec![chr("T", 6)];
        let rows = vec![
            vec![S("abc")],
            vec![S("")],
            vec![S("  x")],
            vec![S("café")],
            vec![Raw(b"caf\xe9  ".to_vec())],
            vec![Raw(b"ab\0\0  ".to_vec())],
            vec![Raw(b"\xff\xfe\xa0x  ".to_vec())],
        ];
        check(
            v5(&[member("T", vars, rows)]),
            &[
                &["abc"],
                &[""],
                &["  x"],
                &["café"],
                &["café"],
                &["ab"],
                &["ÿþ\u{a0}x"],
            ],
        );
    }

    #[test]
    fn variables_and_dataset_of_a_v5_file() {
        let mut m = member(
            "ADSL",
            vec![
                chr("USUBJID", 12).label("Unique Subject Identifier"),
                num("AVAL", 8).format("", 8, 2),
                num("ADT", 8).format("DATE", 9, 0),
                num("N", 4).format("BEST", 0, 0),
            ],
            vec![vec![S("01-001"), N(2.25), N(22000.0), N(7.0)]],
        );
        m.label = "Subject-Level Analysis Dataset";
        let reader = XptReader::open(v5(&[m])).unwrap();
        assert_eq!(reader.version(), XptVersion::V5);
        assert_eq!(reader.dataset_name(), "ADSL");
        assert_eq!(reader.dataset_label(), "Subject-Level Analysis Dataset");
        let variable = |name: &str, label: &str, kind, length, format: &str| Variable {
            name: name.into(),
            label: label.into(),
            kind,
            length,
            format: format.into(),
        };
        use VariableType::{Character, Numeric};
        assert_eq!(
            reader.variables(),
            [
                variable("USUBJID", "Unique Subject Identifier", Character, 12, ""),
                variable("AVAL", "", Numeric, 8, "8.2"),
                variable("ADT", "", Numeric, 8, "DATE9."),
                variable("N", "", Numeric, 4, "BEST."),
            ]
        );
        assert!(reader.other_datasets().is_empty());
    }

    const LONG_LABEL: &str = "A label of exactly one hundred characters, longer than the forty bytes a version 5 descriptor holds.";

    #[test]
    fn v8_long_names_labels_and_formats() {
        assert_eq!(LONG_LABEL.len(), 100);
        let name = "A_TWENTY_CHAR_NAME_X";
        let m = member(
            "ADAM_DATASET_WITH_A_LONG_NAME",
            vec![
                num(name, 8).label(LONG_LABEL),
                chr("SHORT", 2).label("Short label"),
            ],
            vec![vec![N(1.5), S("é")], vec![Missing(b'.'), S("")]],
        );
        let bytes = v8(&[m]);
        assert!(bytes.windows(7).any(|w| w == b"LABELV8"));
        let reader = XptReader::open(bytes.clone()).unwrap();
        assert_eq!(reader.version(), XptVersion::V8);
        assert_eq!(reader.dataset_name(), "ADAM_DATASET_WITH_A_LONG_NAME");
        let v = reader.variables();
        assert_eq!(
            (v[0].name.as_str(), v[0].label.as_str()),
            (name, LONG_LABEL)
        );
        assert_eq!(
            (v[1].name.as_str(), v[1].label.as_str()),
            ("SHORT", "Short label")
        );
        check(bytes, &[&["1.5", "é"], &["", ""]]);

        // A format name over 8 bytes needs a LABELV9 section.
        let m = member(
            "F",
            vec![
                num("X", 8).format("LONGFORMATNAME", 12, 3),
                num("Y", 8).format("DATE", 9, 0),
            ],
            vec![vec![N(1.0), N(2.0)]],
        );
        let bytes = v8(&[m]);
        assert!(bytes.windows(7).any(|w| w == b"LABELV9"));
        let reader = XptReader::open(bytes).unwrap();
        let formats: Vec<&str> = reader
            .variables()
            .iter()
            .map(|v| v.format.as_str())
            .collect();
        assert_eq!(formats, ["LONGFORMATNAME12.3", "DATE9."]);
    }

    #[test]
    fn v8_observation_count_is_not_trusted() {
        for count in ["2000000000", "0", "", "000000000000000"] {
            let mut m = member("C", vec![num("X", 8)], vec![vec![N(1.0)], vec![N(2.0)]]);
            m.count = Some(count);
            check(v8(&[m]), &[&["1"], &["2"]]);
        }
    }

    #[test]
    fn padding_ends_the_member() {
        // Three-byte observations: 26 of them fit in one record, the rest is blank padding.
        let rows: Vec<Vec<Cell>> = ["a", "b", "c"].iter().map(|s| vec![S(s)]).collect();
        check(
            v5(&[member("P", vec![chr("C", 3)], rows)]),
            &[&["a"], &["b"], &["c"]],
        );
        // A blank observation followed by data is read; a blank last one is padding.
        let rows = vec![vec![S("a")], vec![S("")], vec![S("b")], vec![S("")]];
        check(
            v5(&[member("P", vec![chr("C", 3)], rows)]),
            &[&["a"], &[""], &["b"]],
        );
        // Exactly one record of observations: no padding.
        let rows = (0..10).map(|_| vec![N(4.0)]).collect();
        let bytes = v5(&[member("P", vec![num("X", 8)], rows)]);
        assert_eq!(bytes.len() % 80, 0);
        assert_eq!(read(bytes).unwrap().len(), 10);
        // No observations at all.
        check(v5(&[member("E", vec![num("X", 8)], vec![])]), &[]);
        check(v8(&[member("E", vec![num("X", 8)], vec![])]), &[]);
    }

    #[test]
    fn a_zero_row_is_not_padding() {
        // Eight zero bytes are the number 0, not blanks.
        let rows = vec![vec![N(1.0), S("")], vec![N(0.0), S("")]];
        check(
            v5(&[member("Z", vec![num("X", 8), chr("C", 2)], rows)]),
            &[&["1", ""], &["0", ""]],
        );
    }

    #[test]
    fn further_members_are_named_not_read() {
        let first = member("FIRST", vec![chr("C", 3)], vec![vec![S("a")], vec![S("b")]]);
        let second = member("SECOND", vec![num("X", 8)], vec![vec![N(1.0)]]);
        let third = member("THIRD_WITH_A_LONGER_NAME", vec![num("Y", 8)], vec![]);
        let bytes = v8(&[first, second, third]);
        let mut reader = XptReader::open(bytes.clone()).unwrap();
        let mut record = StringRecord::new();
        while reader.next_observation(&mut record).unwrap().is_some() {}
        assert_eq!(
            reader.other_datasets(),
            ["SECOND", "THIRD_WITH_A_LONGER_NAME"]
        );
        check(bytes, &[&["a"], &["b"]]);

        let first = member(
            "FIRST",
            vec![num("X", 8)],
            (0..10).map(|_| vec![N(2.0)]).collect(),
        );
        let second = member("SECOND", vec![num("X", 8)], vec![vec![N(1.0)]]);
        let bytes = v5(&[first, second]);
        let reader = XptReader::open(bytes.clone()).unwrap();
        assert_eq!(reader.other_datasets(), ["SECOND"]);
        assert_eq!(read(bytes).unwrap().len(), 10);
    }

    #[test]
    fn positions_come_from_the_descriptors() {
        // The descriptor puts B (4 bytes) before A (8 bytes).
        let mut a = num("A", 8);
        a.position = Some(4);
        let mut b = chr("B", 4);
        b.position = Some(0);
        let one = super::ibm::f64_to_ibm(1.0).to_be_bytes();
        let mut first = b"abcd".to_vec();
        first.extend(&one[..4]);
        let rows = vec![vec![Raw(first), Raw(one[4..].to_vec())]];
        check(v5(&[member("P", vec![a, b], rows)]), &[&["1", "abcd"]]);
    }

    #[test]
    fn vax_vms_descriptors_of_136_bytes() {
        let mut m = member(
            "VMS",
            vec![num("X", 8), chr("C", 1)],
            vec![vec![N(9.0), S("z")]],
        );
        m.descriptor = 136;
        check(v5(&[m]), &[&["9", "z"]]);
    }

    #[test]
    fn a_cut_file_is_an_error() {
        let rows = (1..=3)
            .map(|i| vec![N(f64::from(i)), S("abcdefgh")])
            .collect();
        let bytes = v5(&[member("CUT", vec![num("X", 8), chr("C", 8)], rows)]);
        let data = bytes.len() - 80;
        check_error(
            bytes[..data + 16 + 5].to_vec(),
            &format!(
                "byte {}: the file ends inside observation 2 (5 of 16 bytes)",
                data + 16
            ),
        );
        // Cut exactly between observations: nothing shows it.
        assert_eq!(read(bytes[..data + 16].to_vec()).unwrap().len(), 1);

        // An observation of 100 bytes whose second record is missing.
        let first = member("A", vec![chr("C", 100)], vec![vec![S("x")]]);
        let second = member("B", vec![num("X", 8)], vec![]);
        let mut bytes = v5(&[first, second]);
        let data = bytes.len() - 80 * 8 - 160;
        bytes.drain(data + 80..data + 160);
        check_error(
            bytes,
            &format!(
                "byte {data}: the next member header cuts observation 1 short (80 of 100 bytes)"
            ),
        );
    }

    #[test]
    fn every_prefix_and_damaged_byte_is_read_or_rejected() {
        let m = member(
            "ALL",
            vec![
                num("X", 3),
                chr("C", 5).label(LONG_LABEL),
                num("LONG_NAME_OF_A_VARIABLE", 8),
            ],
            vec![
                vec![N(1.0), S("a"), Missing(b'.')],
                vec![N(2.0), S(""), N(0.5)],
            ],
        );
        for bytes in [
            v5(&[member("A", vec![num("X", 8)], vec![vec![N(1.0)]])]),
            v8(&[m]),
        ] {
            for end in 0..bytes.len() {
                let _ = read(bytes[..end].to_vec());
            }
            for at in 0..bytes.len() {
                for value in [0u8, b' ', 0xFF, b'9'] {
                    let mut damaged = bytes.clone();
                    patch(&mut damaged, at, &[value]);
                    let _ = read(damaged);
                }
            }
        }
    }

    #[test]
    fn recognises_the_library_header() {
        assert!(looks_like_xpt(&v5(&[member(
            "A",
            vec![num("X", 8)],
            vec![]
        )])));
        assert!(looks_like_xpt(&v8(&[member(
            "A",
            vec![num("X", 8)],
            vec![]
        )])));
        assert!(!looks_like_xpt(b"id,x\n1,2\n"));
        assert!(!looks_like_xpt(b""));
        assert!(!looks_like_xpt(
            b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!"
        ));
    }

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        let mut out = String::new();
        let mut check = |x: f64| {
            write_number(&mut out, x);
            assert_eq!(out, format!("{x}"), "{:016X}", x.to_bits());
        };
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            9.0,
            10.0,
            22000.0,
            -118.625,
            0.1,
            1e15,
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            -9_007_199_254_740_993.0,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            check(x);
        }
        // Integers and arbitrary doubles from a fixed generator (xorshift).
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = f64::from_bits(state);
            if !x.is_nan() {
                check(x);
            }
            check((state >> 11) as f64);
            check(-((state >> 40) as f64));
        }
    }

    #[test]
    fn errors_display_their_offset() {
        assert_eq!(XptError::at(240, "bad").to_string(), "byte 240: bad");
        assert_eq!(XptError::whole("bad").to_string(), "bad");
    }
}
