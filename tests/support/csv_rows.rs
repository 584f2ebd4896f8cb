//! Reading a CSV file (a fixture, or a table R wrote) as rows.

use std::collections::HashMap;
use std::path::Path;

/// The rows of the CSV file at `path` as column name → text; lines
/// starting with `#` are comments. A file without rows fails the test: an
/// emptied fixture must not let a reference test pass by comparing nothing.
pub fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<HashMap<String, String>> = reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    assert!(!rows.is_empty(), "{}: no rows", path.display());
    rows
}
