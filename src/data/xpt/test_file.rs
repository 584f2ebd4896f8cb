//! Transport files built byte by byte for the tests, from the published
//! record layouts (see [`super::header`]), so that each test states its input.
//!
//! The first member's records start at fixed offsets: member header 240,
//! descriptor header 320, member data 400 and 480, namestr header 560, first
//! descriptor 640.

use super::ibm::f64_to_ibm;
use super::XptVersion;

/// Offset of the first variable descriptor of the first member.
pub(super) const FIRST_DESCRIPTOR: usize = 640;

/// One variable to write.
#[derive(Clone)]
pub(super) struct Var {
    pub(super) name: &'static str,
    pub(super) label: &'static str,
    pub(super) type_code: u16,
    pub(super) length: u16,
    pub(super) format: (&'static str, u16, u16),
    /// The position written in the descriptor (otherwise the running sum).
    pub(super) position: Option<u32>,
}

pub(super) fn num(name: &'static str, length: u16) -> Var {
    Var {
        name,
        label: "",
        type_code: 1,
        length,
        format: ("", 0, 0),
        position: None,
    }
}

pub(super) fn chr(name: &'static str, length: u16) -> Var {
    Var {
        type_code: 2,
        ..num(name, length)
    }
}

impl Var {
    pub(super) fn label(self, label: &'static str) -> Var {
        Var { label, ..self }
    }

    pub(super) fn format(self, name: &'static str, width: u16, decimals: u16) -> Var {
        Var {
            format: (name, width, decimals),
            ..self
        }
    }
}

/// One value of an observation.
pub(super) enum Cell {
    /// A number, written in the variable's length (truncated IBM).
    N(f64),
    /// A missing value: `.`, `A`–`Z` or `_`.
    Missing(u8),
    /// Text, blank-padded to the variable's length.
    S(&'static str),
    /// Bytes as they are, exactly the variable's length.
    Raw(Vec<u8>),
}

/// One member to write.
pub(super) struct Member {
    pub(super) name: &'static str,
    pub(super) label: &'static str,
    pub(super) vars: Vec<Var>,
    pub(super) rows: Vec<Vec<Cell>>,
    /// 140, or 136 (VAX/VMS).
    pub(super) descriptor: usize,
    /// The v8 observation count field (otherwise the number of rows).
    pub(super) count: Option<&'static str>,
}

pub(super) fn member(name: &'static str, vars: Vec<Var>, rows: Vec<Vec<Cell>>) -> Member {
    Member {
        name,
        label: "",
        vars,
        rows,
        descriptor: 140,
        count: None,
    }
}

/// `text` blank-padded (or cut) to `width` bytes.
fn pad(text: &str, width: usize) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    bytes.resize(width, b' ');
    bytes
}

/// A header record named `name`, followed by `fields` (32 bytes).
fn header(name: &str, fields: &str) -> Vec<u8> {
    let record = format!("HEADER RECORD*******{name:<8}HEADER RECORD!!!!!!!{fields}");
    assert_eq!(record.len(), 80, "{record}");
    record.into_bytes()
}

const ZEROS: &str = "000000000000000000000000000000  ";
const DATE: &str = "01JAN24:00:00:00";

/// Pads `bytes` with blanks to a whole number of records.
fn pad_record(bytes: &mut Vec<u8>) {
    let padded = bytes.len().div_ceil(80) * 80;
    bytes.resize(padded, b' ');
}

/// The bytes of a transport file of `members`.
pub(super) fn file(version: XptVersion, members: &[Member]) -> Vec<u8> {
    let v8 = version == XptVersion::V8;
    let mut out = header(if v8 { "LIBV8" } else { "LIBRARY" }, ZEROS);
    out.extend(pad("SAS     SAS     SASLIB  9.4     X64_10PR", 64));
    out.extend(DATE.as_bytes());
    out.extend(pad(DATE, 80));
    for m in members {
        write_member(&mut out, version, m);
    }
    out
}

fn write_member(out: &mut Vec<u8>, version: XptVersion, m: &Member) {
    let v8 = version == XptVersion::V8;
    out.extend(header(
        if v8 { "MEMBV8" } else { "MEMBER" },
        &format!("00000000000000000160000000{:04}  ", m.descriptor),
    ));
    out.extend(header(if v8 { "DSCPTV8" } else { "DSCRPTR" }, ZEROS));
    let mut record = pad("SAS", 8);
    record.extend(pad(m.name, if v8 { 32 } else { 8 }));
    record.extend(pad("SASDATA", 8));
    record.extend(pad("9.4", 8));
    record.extend(pad("X64_10PR", 8));
    if !v8 {
        record.extend(pad("", 24));
    }
    record.extend(DATE.as_bytes());
    out.extend(record);
    let mut record = pad(DATE, 32);
    record.extend(pad(m.label, 40));
    record.extend(pad("DATA", 8));
    out.extend(record);
    out.extend(header(
        if v8 { "NAMSTV8" } else { "NAMESTR" },
        &format!("00000{:05}00000000000000000000  ", m.vars.len()),
    ));

    let mut descriptors = Vec::new();
    let mut position = 0u32;
    for (i, v) in m.vars.iter().enumerate() {
        let mut d = Vec::with_capacity(140);
        d.extend(v.type_code.to_be_bytes());
        d.extend(0u16.to_be_bytes());
        d.extend(v.length.to_be_bytes());
        d.extend((i as u16 + 1).to_be_bytes());
        d.extend(pad(v.name, 8));
        d.extend(pad(v.label, 40));
        d.extend(pad(v.format.0, 8));
        d.extend(v.format.1.to_be_bytes());
        d.extend(v.format.2.to_be_bytes());
        d.extend([0u8; 4]); // justification, fill
        d.extend(pad("", 8)); // informat
        d.extend([0u8; 4]);
        d.extend(v.position.unwrap_or(position).to_be_bytes());
        if v8 {
            d.extend(pad(v.name, 32));
            d.extend((v.label.len() as u16).to_be_bytes());
        }
        d.resize(140, 0);
        d.truncate(m.descriptor);
        descriptors.extend(d);
        position += u32::from(v.length);
    }
    pad_record(&mut descriptors);
    out.extend(descriptors);

    if v8 {
        let with_formats = m.vars.iter().any(|v| v.format.0.len() > 8);
        let long: Vec<(usize, &Var)> = m
            .vars
            .iter()
            .enumerate()
            .filter(|(_, v)| v.label.len() > 40 || v.format.0.len() > 8)
            .collect();
        if !long.is_empty() {
            let name = if with_formats { "LABELV9" } else { "LABELV8" };
            out.extend(header(name, &format!("{:<32}", long.len())));
            let mut section = Vec::new();
            for (i, v) in long {
                section.extend((i as u16 + 1).to_be_bytes());
                section.extend((v.name.len() as u16).to_be_bytes());
                section.extend((v.label.len() as u16).to_be_bytes());
                if with_formats {
                    section.extend((v.format.0.len() as u16).to_be_bytes());
                    section.extend((v.format.0.len() as u16).to_be_bytes());
                }
                section.extend(v.name.as_bytes());
                section.extend(v.label.as_bytes());
                if with_formats {
                    section.extend(v.format.0.as_bytes());
                    section.extend(v.format.0.as_bytes());
                }
            }
            pad_record(&mut section);
            out.extend(section);
        }
        let count = m.count.map_or(m.rows.len().to_string(), str::to_owned);
        out.extend(header("OBSV8", &format!("{count:>15}{:17}", "")));
    } else {
        out.extend(header("OBS", ZEROS));
    }

    let mut data = Vec::new();
    for row in &m.rows {
        assert_eq!(row.len(), m.vars.len());
        for (cell, v) in row.iter().zip(&m.vars) {
            let length = usize::from(v.length);
            match cell {
                Cell::N(x) => data.extend(&f64_to_ibm(*x).to_be_bytes()[..length]),
                Cell::Missing(c) => {
                    data.push(*c);
                    data.extend(vec![0; length - 1]);
                }
                Cell::S(s) => {
                    assert!(s.len() <= length);
                    data.extend(pad(s, length));
                }
                Cell::Raw(bytes) => {
                    assert_eq!(bytes.len(), length);
                    data.extend(bytes);
                }
            }
        }
    }
    pad_record(&mut data);
    out.extend(data);
}

/// Overwrites `bytes` at `at` with `with`.
pub(super) fn patch(bytes: &mut [u8], at: usize, with: &[u8]) {
    bytes[at..at + with.len()].copy_from_slice(with);
}

/// The offset of the first occurrence of `needle`.
pub(super) fn find(bytes: &[u8], needle: &[u8]) -> usize {
    bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the needle is in the file")
}
