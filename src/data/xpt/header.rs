//! The header records of a transport file, up to the first member's
//! observations: TS-140 for version 5, "Record Layout of a SAS Version 8 or 9
//! Data Set in SAS Transport Format" for version 8.
//!
//! Every record is 80 bytes and starts at a multiple of 80 in the file:
//!
//! 1. the library header (`LIBRARY` or `LIBV8`), then two "real header" records
//!    (`SAS     SAS     SASLIB  `, version, system, dates);
//! 2. per member: the member header (`MEMBER`/`MEMBV8`, with the descriptor
//!    length 140, or 136 under VAX/VMS), the descriptor header
//!    (`DSCRPTR`/`DSCPTV8`), two member data records (`SAS`, the dataset name
//!    in 8 bytes, 32 in v8, `SASDATA`, …; then the dataset label in bytes 32 to
//!    72), the namestr header (`NAMESTR`/`NAMSTV8`, variable count in bytes 53
//!    to 58), one descriptor per variable packed across records and padded with
//!    blanks to a whole record, in v8 optionally a `LABELV8`/`LABELV9` section
//!    of long names, labels and formats (also padded), and the observation
//!    header (`OBS`/`OBSV8`).
//!
//! Integers are big-endian. Every header string is checked; every count is
//! bounded by the bytes actually present before anything is allocated by it.

use super::{Variable, VariableType, XptError, XptVersion};
use std::collections::HashMap;
use std::fmt::Write;

/// Length of every record.
pub(super) const RECORD: usize = 80;

/// The longest character variable SAS allows (32,767 bytes, SAS 9
/// documentation, "Length of character variables").
const MAX_CHARACTER_LENGTH: u16 = 32_767;

/// The digits after a member header's name, before its descriptor length.
const MEMBER_DIGITS: &[u8] = b"00000000000000000160000000";
/// The digits and blanks that end most header records.
const ZEROS: &[u8] = b"000000000000000000000000000000  ";

/// The record names (bytes 20 to 28 of a header record) of one version.
struct Names {
    library: &'static str,
    member: &'static str,
    descriptor: &'static str,
    namestr: &'static str,
    observations: &'static str,
}

fn names(version: XptVersion) -> Names {
    match version {
        XptVersion::V5 => Names {
            library: "LIBRARY ",
            member: "MEMBER  ",
            descriptor: "DSCRPTR ",
            namestr: "NAMESTR ",
            observations: "OBS     ",
        },
        XptVersion::V8 => Names {
            library: "LIBV8   ",
            member: "MEMBV8  ",
            descriptor: "DSCPTV8 ",
            namestr: "NAMSTV8 ",
            observations: "OBSV8   ",
        },
    }
}

/// True when `record` is a header record named `name` (8 bytes, blank-padded):
/// `HEADER RECORD*******` + name + `HEADER RECORD!!!!!!!`, then 32 bytes of fields.
fn is_header(record: &[u8], name: &str) -> bool {
    record.len() == RECORD
        && &record[..20] == b"HEADER RECORD*******"
        && &record[20..28] == name.as_bytes()
        && &record[28..48] == b"HEADER RECORD!!!!!!!"
}

/// The version whose library header the bytes start with.
pub(super) fn library_version(bytes: &[u8]) -> Option<XptVersion> {
    let record = bytes.get(..RECORD)?;
    [XptVersion::V5, XptVersion::V8]
        .into_iter()
        .find(|&v| is_header(record, names(v).library) && &record[48..] == ZEROS)
}

/// The descriptor length a member header record gives (140 or 136), or
/// `None` if the record is not a member header of this version.
pub(super) fn member_header(record: &[u8], version: XptVersion) -> Option<usize> {
    if !is_header(record, names(version).member)
        || &record[48..74] != MEMBER_DIGITS
        || &record[78..] != b"  "
    {
        return None;
    }
    match &record[74..78] {
        b"0140" => Some(140),
        b"0136" => Some(136),
        _ => None,
    }
}

/// The dataset name of the member whose header record starts at `at`, if the
/// member data record that holds it is there and well formed.
pub(super) fn member_name(bytes: &[u8], at: usize, version: XptVersion) -> Option<String> {
    let record = bytes.get(at + 2 * RECORD..at + 3 * RECORD)?;
    member_data_name(record, version)
}

/// The dataset name from the first member data record.
fn member_data_name(record: &[u8], version: XptVersion) -> Option<String> {
    let width = match version {
        XptVersion::V5 => 8,
        XptVersion::V8 => 32,
    };
    let sasdata = 8 + width;
    (&record[..8] == b"SAS     " && &record[sasdata..sasdata + 8] == b"SASDATA ")
        .then(|| text(&record[8..8 + width]))
}

/// Removes the trailing blanks and NUL bytes that pad a text field (readstat
/// and sas_xport also strip both).
pub(super) fn trim_padding(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ' && b != 0)
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

/// A text field without its padding, as UTF-8 when valid, else as Latin-1.
pub(super) fn text(bytes: &[u8]) -> String {
    let bytes = trim_padding(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([bytes[at], bytes[at + 1]])
}

/// A format as SAS writes it: name, width, `.`, decimals (`DATE9.`, `8.2`,
/// `$CHAR20.`, `BEST.`); empty when there is no format.
fn format_text(name: &str, width: u16, decimals: u16) -> String {
    if name.is_empty() && width == 0 && decimals == 0 {
        return String::new();
    }
    let mut format = name.to_owned();
    if width > 0 {
        let _ = write!(format, "{width}");
    }
    format.push('.');
    if decimals > 0 {
        let _ = write!(format, "{decimals}");
    }
    format
}

/// Where a variable's value lies in an observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Field {
    pub(super) offset: usize,
    pub(super) length: usize,
    pub(super) numeric: bool,
}

/// The first member's description, and where its observations start.
#[derive(Debug)]
pub(super) struct Member {
    pub(super) version: XptVersion,
    pub(super) name: String,
    pub(super) label: String,
    pub(super) variables: Vec<Variable>,
    pub(super) fields: Vec<Field>,
    pub(super) observation_length: usize,
    pub(super) data_start: usize,
}

/// A variable as its descriptor gives it, before the long names and labels.
struct Descriptor {
    at: usize,
    variable: Variable,
    format_width: u16,
    format_decimals: u16,
    position: u32,
}

/// Reads the file's records one after the other.
struct Records<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Records<'a> {
    /// The next record and its offset.
    fn next(&mut self, what: &str) -> Result<(usize, &'a [u8]), XptError> {
        let at = self.at;
        let record = self
            .bytes
            .get(at..at + RECORD)
            .ok_or_else(|| XptError::at(at, format!("the file ends inside the {what} record")))?;
        self.at += RECORD;
        Ok((at, record))
    }

    /// Skips the blank padding to the next record boundary.
    fn align(&mut self) {
        self.at = self
            .at
            .div_ceil(RECORD)
            .saturating_mul(RECORD)
            .min(self.bytes.len());
    }
}

/// Parses the library header and the first member's headers and descriptors.
pub(super) fn parse(bytes: &[u8]) -> Result<Member, XptError> {
    let version = library_version(bytes).ok_or_else(|| {
        XptError::whole("not a SAS transport file: the first record is not a library header")
    })?;
    let names = names(version);
    let mut records = Records { bytes, at: RECORD };
    let (at, real) = records.next("first real header")?;
    if !real.starts_with(b"SAS     SAS     SASLIB  ") {
        return Err(XptError::at(
            at,
            "the first real header record does not start with \"SAS     SAS     SASLIB  \"",
        ));
    }
    records.next("second real header")?;

    let member = names.member.trim_end();
    let (at, record) = records.next(&format!("{member} header"))?;
    let descriptor_length = member_header(record, version).ok_or_else(|| {
        XptError::at(
            at,
            if is_header(record, names.member) {
                format!(
                    "the {member} header record is malformed or gives a descriptor length of {:?} (only 0140 and 0136 are defined)",
                    String::from_utf8_lossy(&record[74..78])
                )
            } else {
                format!("expected the {member} header record")
            },
        )
    })?;
    let descriptor_name = names.descriptor.trim_end();
    let (at, record) = records.next(&format!("{descriptor_name} header"))?;
    if !is_header(record, names.descriptor) || &record[48..] != ZEROS {
        return Err(XptError::at(
            at,
            format!("expected the {descriptor_name} header record"),
        ));
    }
    let (at, record) = records.next("first member data")?;
    let name = member_data_name(record, version).ok_or_else(|| {
        XptError::at(
            at,
            "the first member data record does not hold \"SAS\" and \"SASDATA\" where the layout puts them",
        )
    })?;
    let (_, record) = records.next("second member data")?;
    let label = text(&record[32..72]);

    let (at, record) = records.next(&format!("{} header", names.namestr.trim_end()))?;
    let count = namestr_count(record, names.namestr).map_err(|text| XptError::at(at, text))?;
    if count == 0 {
        return Err(XptError::at(at, "the member has no variables"));
    }
    let available = (bytes.len() - records.at) / descriptor_length;
    if available < count {
        return Err(XptError::at(
            records.at + available * descriptor_length,
            format!("the file ends inside the variable descriptors ({available} of {count} read)"),
        ));
    }
    let mut descriptors = Vec::with_capacity(count);
    for index in 0..count {
        let at = records.at + index * descriptor_length;
        let raw = &bytes[at..at + descriptor_length];
        descriptors.push(descriptor(raw, at, index, version)?);
    }
    records.at += count * descriptor_length;
    records.align();

    if version == XptVersion::V8 {
        let (at, record) = records.next("LABELV8, LABELV9 or OBSV8 header")?;
        let long = if is_header(record, "LABELV8 ") {
            Some(false)
        } else if is_header(record, "LABELV9 ") {
            Some(true)
        } else {
            None
        };
        match long {
            Some(with_formats) => {
                long_labels(&mut records, at, record, with_formats, &mut descriptors)?;
                let (at, record) = records.next("OBSV8 header")?;
                check_observation_header(at, record, version)?;
            }
            None if is_header(record, names.observations) => {
                check_observation_header(at, record, version)?;
            }
            None => {
                return Err(XptError::at(
                    at,
                    "expected the LABELV8, LABELV9 or OBSV8 header record",
                ))
            }
        }
    } else {
        let (at, record) = records.next("OBS header")?;
        check_observation_header(at, record, version)?;
    }

    let observation_length = descriptors
        .iter()
        .map(|d| d.variable.length as u64)
        .sum::<u64>();
    let observation_length = usize::try_from(observation_length).map_err(|_| {
        XptError::whole(format!(
            "an observation of {observation_length} bytes is too long to read"
        ))
    })?;
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(descriptors.len());
    let mut variables = Vec::with_capacity(descriptors.len());
    let mut fields = Vec::with_capacity(descriptors.len());
    for (index, d) in descriptors.into_iter().enumerate() {
        let v = d.variable;
        let end = d.position as u64 + v.length as u64;
        if end > observation_length as u64 {
            return Err(XptError::at(
                d.at,
                format!(
                    "variable {}: bytes {} to {end} are outside the {observation_length}-byte observation",
                    v.name, d.position
                ),
            ));
        }
        if let Some(first) = seen.insert(v.name.to_ascii_uppercase(), index + 1) {
            return Err(XptError::at(
                d.at,
                format!(
                    "variable {}: the name is used twice (variables {first} and {}; SAS names ignore case)",
                    v.name,
                    index + 1
                ),
            ));
        }
        fields.push(Field {
            offset: d.position as usize,
            length: v.length,
            numeric: v.kind == VariableType::Numeric,
        });
        variables.push(v);
    }
    Ok(Member {
        version,
        name,
        label,
        variables,
        fields,
        observation_length,
        data_start: records.at,
    })
}

/// The variable count of a namestr header record (bytes 53 to 58; the
/// other fields are zeros).
fn namestr_count(record: &[u8], name: &str) -> Result<usize, String> {
    let short = name.trim_end();
    if !is_header(record, name) {
        return Err(format!("expected the {short} header record"));
    }
    let digits = &record[53..58];
    if &record[48..53] != b"00000"
        || record[58..] != ZEROS[10..]
        || !digits.iter().all(u8::is_ascii_digit)
    {
        return Err(format!(
            "the {short} header record is malformed: the variable count must be 5 digits in bytes 53 to 58, between zeros"
        ));
    }
    Ok(digits
        .iter()
        .fold(0, |n, &d| n * 10 + usize::from(d - b'0')))
}

/// The observation header: `OBS` with zeros, or `OBSV8` with an observation
/// count of digits and blanks (SAS writes it right-aligned in bytes 48 to 63,
/// older readstat zeros). The count is not used: the observations are counted
/// as they are read, so a count that disagrees with the data changes nothing.
fn check_observation_header(at: usize, record: &[u8], version: XptVersion) -> Result<(), XptError> {
    let name = names(version).observations;
    let short = name.trim_end();
    if !is_header(record, name) {
        return Err(XptError::at(
            at,
            format!("expected the {short} header record"),
        ));
    }
    let fields = &record[48..];
    let valid = match version {
        XptVersion::V5 => fields == ZEROS,
        XptVersion::V8 => number_field(fields).is_some(),
    };
    if valid {
        Ok(())
    } else {
        Err(XptError::at(
            at,
            format!(
                "the {short} header record's count {:?} is not a number",
                String::from_utf8_lossy(fields).trim()
            ),
        ))
    }
}

/// A number written in a blank-padded field (blanks, digits, blanks), or
/// `Some(None)` for an all-blank field; `None` if it is not one.
fn number_field(field: &[u8]) -> Option<Option<u64>> {
    let digits = std::str::from_utf8(field).ok()?.trim_matches(' ');
    if digits.is_empty() {
        return Some(None);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().map(Some)
}

/// One variable descriptor (namestr):
///
/// | bytes | field |
/// |---|---|
/// | 0–2 | type: 1 numeric, 2 character |
/// | 4–6 | length in the observation |
/// | 8–16 | name |
/// | 16–56 | label |
/// | 56–64, 64–66, 66–68 | format name, width, decimals |
/// | 84–88 | position in the observation |
/// | 88–120 | v8: the name in up to 32 bytes |
fn descriptor(
    raw: &[u8],
    at: usize,
    index: usize,
    version: XptVersion,
) -> Result<Descriptor, XptError> {
    let long_name = match version {
        XptVersion::V8 => text(&raw[88..120]),
        XptVersion::V5 => String::new(),
    };
    let name = if long_name.is_empty() {
        text(&raw[8..16])
    } else {
        long_name
    };
    if name.is_empty() {
        return Err(XptError::at(
            at,
            format!("variable {} has no name", index + 1),
        ));
    }
    let fail = |what: String| XptError::at(at, format!("variable {name}: {what}"));
    let length = u16_at(raw, 4);
    let kind = match u16_at(raw, 0) {
        1 if (2..=8).contains(&length) => VariableType::Numeric,
        1 => return Err(fail(format!("numeric length {length} is outside 2 to 8"))),
        2 if length == 0 => return Err(fail("character length 0".into())),
        2 if length > MAX_CHARACTER_LENGTH => {
            return Err(fail(format!(
                "character length {length} is over {MAX_CHARACTER_LENGTH}, the SAS maximum"
            )))
        }
        2 => VariableType::Character,
        code => {
            return Err(fail(format!(
                "type code {code} is neither 1 (numeric) nor 2 (character)"
            )))
        }
    };
    let format_name = text(&raw[56..64]);
    let format_width = u16_at(raw, 64);
    let format_decimals = u16_at(raw, 66);
    Ok(Descriptor {
        at,
        variable: Variable {
            label: text(&raw[16..56]),
            kind,
            length: usize::from(length),
            format: format_text(&format_name, format_width, format_decimals),
            name,
        },
        format_width,
        format_decimals,
        position: u32::from_be_bytes([raw[84], raw[85], raw[86], raw[87]]),
    })
}

/// A v8 `LABELV8` or `LABELV9` section: the count in the header record (bytes
/// 48 to 80), then per variable its number (1-based), the lengths of its name
/// and label (`LABELV9`: and of its format and informat) and those texts,
/// packed and padded with blanks to a whole record. A non-empty text replaces
/// the descriptor's; a `LABELV9` format without a `.` is a format name, given
/// the descriptor's width and decimals.
fn long_labels(
    records: &mut Records,
    at: usize,
    header: &[u8],
    with_formats: bool,
    descriptors: &mut [Descriptor],
) -> Result<(), XptError> {
    let section = if with_formats { "LABELV9" } else { "LABELV8" };
    let count = match number_field(&header[48..]) {
        Some(Some(n)) => n,
        _ => {
            return Err(XptError::at(
                at,
                format!(
                    "the {section} header record's count {:?} is not a number",
                    String::from_utf8_lossy(&header[48..]).trim()
                ),
            ))
        }
    };
    let variables = descriptors.len();
    if count > variables as u64 {
        return Err(XptError::at(
            at,
            format!("the {section} header announces {count} long labels for {variables} variables"),
        ));
    }
    let head = if with_formats { 10 } else { 6 };
    let bytes = records.bytes;
    for read in 0..count {
        let truncated = || {
            XptError::at(
                records.at,
                format!("the file ends inside the long names and labels ({read} of {count} read)"),
            )
        };
        let entry = bytes
            .get(records.at..records.at + head)
            .ok_or_else(truncated)?;
        let number = usize::from(u16_at(entry, 0));
        let name_length = usize::from(u16_at(entry, 2));
        let label_length = usize::from(u16_at(entry, 4));
        let (format_length, informat_length) = if with_formats {
            (usize::from(u16_at(entry, 6)), usize::from(u16_at(entry, 8)))
        } else {
            (0, 0)
        };
        let start = records.at + head;
        let end = start + name_length + label_length + format_length + informat_length;
        let texts = bytes.get(start..end).ok_or_else(truncated)?;
        if number == 0 || number > variables {
            return Err(XptError::at(
                records.at,
                format!("a long label refers to variable {number}; the member has {variables}"),
            ));
        }
        let d = &mut descriptors[number - 1];
        let (name, rest) = texts.split_at(name_length);
        let (label, rest) = rest.split_at(label_length);
        let name = text(name);
        if !name.is_empty() {
            d.variable.name = name;
        }
        let label = text(label);
        if !label.is_empty() {
            d.variable.label = label;
        }
        let format = text(&rest[..format_length]);
        if format.contains('.') {
            d.variable.format = format;
        } else if !format.is_empty() {
            d.variable.format = format_text(&format, d.format_width, d.format_decimals);
        }
        records.at = end;
    }
    records.align();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_file::{
        chr, file, find, member, num, patch, Cell, Member, Var, FIRST_DESCRIPTOR,
    };
    use super::super::{XptReader, XptVersion};
    use Cell::N;

    fn check(bytes: &[u8], expected: &str) {
        match XptReader::open(bytes.to_vec()) {
            Err(e) => assert_eq!(e.to_string(), expected),
            Ok(_) => panic!("opened; expected {expected:?}"),
        }
    }

    fn one(vars: Vec<Var>) -> Member {
        let row = vars.iter().map(|_| N(1.0)).collect();
        member("M", vars, vec![row])
    }

    fn v5(vars: Vec<Var>) -> Vec<u8> {
        file(XptVersion::V5, &[one(vars)])
    }

    fn v8(vars: Vec<Var>) -> Vec<u8> {
        file(XptVersion::V8, &[one(vars)])
    }

    fn patched(mut bytes: Vec<u8>, at: usize, with: &[u8]) -> Vec<u8> {
        patch(&mut bytes, at, with);
        bytes
    }

    const NOT_XPT: &str = "not a SAS transport file: the first record is not a library header";

    #[test]
    fn the_library_and_real_headers() {
        let good = v5(vec![num("X", 8)]);
        check(b"", NOT_XPT);
        check(b"id,x\n1,2\n", NOT_XPT);
        check(&good[..79], NOT_XPT);
        check(&patched(good.clone(), 20, b"LIBV9"), NOT_XPT);
        check(&patched(good.clone(), 70, b"1"), NOT_XPT);
        check(
            &good[..80],
            "byte 80: the file ends inside the first real header record",
        );
        check(
            &patched(good.clone(), 80, b"XAS"),
            "byte 80: the first real header record does not start with \"SAS     SAS     SASLIB  \"",
        );
        check(
            &good[..200],
            "byte 160: the file ends inside the second real header record",
        );
        check(
            &good[..240],
            "byte 240: the file ends inside the MEMBER header record",
        );
    }

    #[test]
    fn the_member_headers() {
        let good = v5(vec![num("X", 8)]);
        check(
            &patched(good.clone(), 260, b"MEMBV8"),
            "byte 240: expected the MEMBER header record",
        );
        check(
            &patched(good.clone(), 314, b"0150"),
            "byte 240: the MEMBER header record is malformed or gives a descriptor length of \"0150\" (only 0140 and 0136 are defined)",
        );
        check(
            &patched(good.clone(), 300, b"9"),
            "byte 240: the MEMBER header record is malformed or gives a descriptor length of \"0140\" (only 0140 and 0136 are defined)",
        );
        check(
            &patched(good.clone(), 340, b"DSCPTV8"),
            "byte 320: expected the DSCRPTR header record",
        );
        check(
            &good[..450],
            "byte 400: the file ends inside the first member data record",
        );
        for at in [400, 416] {
            check(
                &patched(good.clone(), at, b"X"),
                "byte 400: the first member data record does not hold \"SAS\" and \"SASDATA\" where the layout puts them",
            );
        }
        check(
            &good[..500],
            "byte 480: the file ends inside the second member data record",
        );
        let good = v8(vec![num("X", 8)]);
        check(
            &patched(good.clone(), 260, b"MEMBER"),
            "byte 240: expected the MEMBV8 header record",
        );
        // The v8 dataset name takes 32 bytes: SASDATA is at byte 40.
        check(
            &patched(good, 440, b"X"),
            "byte 400: the first member data record does not hold \"SAS\" and \"SASDATA\" where the layout puts them",
        );
    }

    #[test]
    fn the_namestr_header() {
        let good = v5(vec![num("X", 8)]);
        check(
            &good[..600],
            "byte 560: the file ends inside the NAMESTR header record",
        );
        check(
            &patched(good.clone(), 580, b"NAMSTV8"),
            "byte 560: expected the NAMESTR header record",
        );
        let malformed = "byte 560: the NAMESTR header record is malformed: the variable count must be 5 digits in bytes 53 to 58, between zeros";
        check(&patched(good.clone(), 615, b"a"), malformed);
        check(&patched(good.clone(), 608, b"1"), malformed);
        check(&patched(good.clone(), 620, b"1"), malformed);
        check(
            &file(XptVersion::V5, &[member("E", vec![], vec![])]),
            "byte 560: the member has no variables",
        );
        check(
            &file(XptVersion::V8, &[member("E", vec![], vec![])]),
            "byte 560: the member has no variables",
        );
    }

    #[test]
    fn the_variable_count_is_bounded_by_the_bytes() {
        let vars: Vec<Var> = (0..12).map(|_| num("X", 8)).collect();
        let good = v5(vars);
        check(
            &good[..FIRST_DESCRIPTOR + 3 * 140 + 50],
            "byte 1060: the file ends inside the variable descriptors (3 of 12 read)",
        );
        // 99,999 descriptors claimed in a small file: refused before any is read.
        check(
            &patched(v5(vec![num("X", 8)]), 613, b"99999"),
            "byte 920: the file ends inside the variable descriptors (2 of 99999 read)",
        );
    }

    #[test]
    fn each_descriptor() {
        let at = FIRST_DESCRIPTOR;
        let good = v5(vec![num("AVAL", 8)]);
        check(
            &patched(good.clone(), at, &[0, 3]),
            "byte 640: variable AVAL: type code 3 is neither 1 (numeric) nor 2 (character)",
        );
        for (length, text) in [(9u16, "9"), (1, "1"), (0, "0"), (65535, "65535")] {
            check(
                &patched(good.clone(), at + 4, &length.to_be_bytes()),
                &format!("byte 640: variable AVAL: numeric length {text} is outside 2 to 8"),
            );
        }
        let good = v5(vec![chr("USUBJID", 8)]);
        check(
            &patched(good.clone(), at + 4, &[0, 0]),
            "byte 640: variable USUBJID: character length 0",
        );
        check(
            &patched(good.clone(), at + 4, &40000u16.to_be_bytes()),
            "byte 640: variable USUBJID: character length 40000 is over 32767, the SAS maximum",
        );
        check(
            &patched(good, at + 8, b"        "),
            "byte 640: variable 1 has no name",
        );
    }

    #[test]
    fn positions_inside_the_observation() {
        let mut b = num("B", 8);
        b.position = Some(100);
        check(
            &v5(vec![num("A", 8), b]),
            "byte 780: variable B: bytes 100 to 108 are outside the 16-byte observation",
        );
        let mut b = chr("B", 4);
        b.position = Some(u32::MAX);
        check(
            &v5(vec![num("A", 8), b]),
            "byte 780: variable B: bytes 4294967295 to 4294967299 are outside the 12-byte observation",
        );
        let mut b = chr("B", 4);
        b.position = Some(9);
        check(
            &v5(vec![num("A", 8), b]),
            "byte 780: variable B: bytes 9 to 13 are outside the 12-byte observation",
        );
    }

    #[test]
    fn names_are_unique() {
        check(
            &v5(vec![num("AVAL", 8), num("X", 8), num("aval", 8)]),
            "byte 920: variable aval: the name is used twice (variables 1 and 3; SAS names ignore case)",
        );
        // In v8 the long names decide.
        check(
            &v8(vec![num("LONG_NAME_ONE", 8), num("LONG_NAME_ONE", 8)]),
            "byte 780: variable LONG_NAME_ONE: the name is used twice (variables 1 and 2; SAS names ignore case)",
        );
        let reader =
            XptReader::open(v8(vec![num("LONG_NAME_ONE", 8), num("LONG_NAME_TWO", 8)])).unwrap();
        assert_eq!(reader.variables()[1].name, "LONG_NAME_TWO");
    }

    #[test]
    fn the_observation_header() {
        let good = v5(vec![num("X", 8)]);
        let obs = find(&good, b"HEADER RECORD*******OBS");
        check(
            &good[..obs + 10],
            &format!("byte {obs}: the file ends inside the OBS header record"),
        );
        check(
            &patched(good.clone(), obs + 20, b"OBSV8"),
            &format!("byte {obs}: expected the OBS header record"),
        );
        check(
            &patched(good, obs + 60, b"7"),
            &format!("byte {obs}: the OBS header record's count \"000000000000700000000000000000\" is not a number"),
        );
        let good = v8(vec![num("X", 8)]);
        let obs = find(&good, b"HEADER RECORD*******OBSV8");
        check(
            &patched(good.clone(), obs + 20, b"OBS  "),
            &format!("byte {obs}: expected the LABELV8, LABELV9 or OBSV8 header record"),
        );
        check(
            &patched(good, obs + 60, b"12x"),
            &format!("byte {obs}: the OBSV8 header record's count \"12x\" is not a number"),
        );
    }

    #[test]
    fn the_long_label_section() {
        let long = "A label of 41 bytes, one over v5's forty.";
        assert_eq!(long.len(), 41);
        let good = v8(vec![num("X", 8).label(long), num("Y", 8)]);
        let header = find(&good, b"HEADER RECORD*******LABELV8");
        let entry = header + 80;
        check(
            &patched(good.clone(), header + 48, b"x"),
            &format!("byte {header}: the LABELV8 header record's count \"x\" is not a number"),
        );
        check(
            &patched(good.clone(), header + 48, b" "),
            &format!("byte {header}: the LABELV8 header record's count \"\" is not a number"),
        );
        check(
            &patched(good.clone(), header + 48, b"3"),
            &format!("byte {header}: the LABELV8 header announces 3 long labels for 2 variables"),
        );
        let truncated =
            format!("byte {entry}: the file ends inside the long names and labels (0 of 1 read)");
        check(&good[..entry + 4], &truncated);
        check(&good[..entry + 20], &truncated);
        check(&patched(good.clone(), entry + 2, &[0xFF, 0xFF]), &truncated);
        for number in [0u16, 3] {
            check(
                &patched(good.clone(), entry, &number.to_be_bytes()),
                &format!(
                    "byte {entry}: a long label refers to variable {number}; the member has 2"
                ),
            );
        }
        let obs = find(&good, b"HEADER RECORD*******OBSV8");
        check(
            &patched(good.clone(), obs + 20, b"OBS  "),
            &format!("byte {obs}: expected the OBSV8 header record"),
        );
        check(
            &good[..obs],
            &format!("byte {obs}: the file ends inside the OBSV8 header record"),
        );
        // The entry may rename the variable.
        let renamed = patched(good, entry + 6, b"Z");
        let reader = XptReader::open(renamed).unwrap();
        assert_eq!(reader.variables()[0].name, "Z");
        assert_eq!(reader.variables()[0].label, long);
    }
}
