//! A first look at a delimited text file: its shape and its numeric columns,
//! read exactly as the import reads it ([`Table`]: encoding, delimiter and
//! decimal comma sniffed; blank rows skipped).

use super::message::Message;
use super::table::Table;
use super::values::parse_number;
use csv::StringRecord;

/// The shape of a table and the columns whose every non-blank value is a number.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// Column names from the header row.
    pub columns: Vec<String>,
    /// Number of data rows (the header excluded; blank rows excluded).
    pub rows: usize,
    /// Numeric columns, in file order, with their non-blank values.
    pub numeric: Vec<NumericColumn>,
}

/// A column whose non-blank values all parse as numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericColumn {
    pub name: String,
    pub values: Vec<f64>,
}

/// Reads `bytes` as a table with a header row.
pub fn preview(bytes: Vec<u8>) -> Result<Preview, Message> {
    let mut table = Table::open(bytes)?;
    let columns = table.headers().to_vec();
    let decimal_comma = table.decimal_comma();
    let mut values: Vec<Option<Vec<f64>>> = vec![Some(Vec::new()); columns.len()];
    let mut rows = 0;
    let mut record = StringRecord::new();
    while table.next_row(&mut record)?.is_some() {
        rows += 1;
        for (column, field) in values.iter_mut().zip(record.iter()) {
            match (column.as_mut(), parse_number(field, decimal_comma)) {
                (Some(_), Ok(None)) | (None, _) => {}
                (Some(list), Ok(Some(x))) => list.push(x),
                (Some(_), Err(_)) => *column = None,
            }
        }
    }
    let numeric = columns
        .iter()
        .zip(values)
        .filter_map(|(name, values)| {
            values
                .filter(|v| !v.is_empty())
                .map(|values| NumericColumn {
                    name: name.clone(),
                    values,
                })
        })
        .collect();
    Ok(Preview {
        columns,
        rows,
        numeric,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_rows_and_finds_numeric_columns() {
        let p = preview(b"\xef\xbb\xbfid,age,arm\r\nA,61,x\r\nB,,y\r\n,,\r\nC,47.5,x\r\n".to_vec())
            .unwrap();
        assert_eq!(p.columns, ["id", "age", "arm"]);
        assert_eq!(p.rows, 3);
        assert_eq!(
            p.numeric,
            [NumericColumn {
                name: "age".into(),
                values: vec![61.0, 47.5]
            }]
        );
    }

    #[test]
    fn a_text_value_makes_a_column_non_numeric() {
        let p = preview(b"x,y\n1,2\nthree,4\n".to_vec()).unwrap();
        assert_eq!(p.numeric.len(), 1);
        assert_eq!(p.numeric[0].name, "y");
    }

    #[test]
    fn a_european_file_is_read_as_the_import_reads_it() {
        let p = preview(b"id;change\nA;-45,2\nB;12,5\n".to_vec()).unwrap();
        assert_eq!(p.columns, ["id", "change"]);
        assert_eq!(p.numeric[0].values, [-45.2, 12.5]);
    }
}
