//! Reading a reference CSV file as rows, without a CSV crate (the stats crate
//! depends on statrs only): RFC 4180 fields, quoted or not, `""` for a quote
//! inside quotes, one record per line (no line breaks inside fields).

use std::collections::HashMap;
use std::path::Path;

/// The rows of the CSV file at `path` as column name → text. A file without
/// rows fails the test: an emptied fixture must not let a reference test
/// pass by comparing nothing.
pub fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines().filter(|line| !line.is_empty());
    let header = fields(
        lines
            .next()
            .unwrap_or_else(|| panic!("{}: empty", path.display())),
    );
    let rows: Vec<HashMap<String, String>> = lines
        .enumerate()
        .map(|(i, line)| {
            let values = fields(line);
            assert_eq!(
                values.len(),
                header.len(),
                "{} record {}: {line}",
                path.display(),
                i + 1
            );
            header.iter().cloned().zip(values).collect()
        })
        .collect();
    assert!(!rows.is_empty(), "{}: no rows", path.display());
    rows
}

/// The fields of one record.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let field = out.last_mut().expect("a field");
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            _ => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quote: {line}");
    out
}
