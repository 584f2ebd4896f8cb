//! A first look at a delimited text file: its shape and its numeric columns.

/// The shape of a table and the columns whose every non-blank value is a number.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// Column names from the header row.
    pub columns: Vec<String>,
    /// Number of data rows (the header excluded; fully blank rows excluded).
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

/// Reads `text` as comma-separated values with a header row.
pub fn preview(text: &str) -> Result<Preview, csv::Error> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let columns: Vec<String> = reader.headers()?.iter().map(|h| h.trim().to_string()).collect();
    let mut values: Vec<Option<Vec<f64>>> = vec![Some(Vec::new()); columns.len()];
    let mut rows = 0;
    for record in reader.records() {
        let record = record?;
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        rows += 1;
        for (column, field) in values.iter_mut().zip(record.iter()) {
            let field = field.trim();
            if field.is_empty() {
                continue;
            }
            match (column.as_mut(), field.parse::<f64>()) {
                (Some(list), Ok(x)) if x.is_finite() => list.push(x),
                _ => *column = None,
            }
        }
    }
    let numeric = columns
        .iter()
        .zip(values)
        .filter_map(|(name, values)| {
            values.filter(|v| !v.is_empty()).map(|values| NumericColumn { name: name.clone(), values })
        })
        .collect();
    Ok(Preview { columns, rows, numeric })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_rows_and_finds_numeric_columns() {
        let p = preview("\u{feff}id,age,arm\r\nA,61,x\r\nB,,y\r\n,,\r\nC,47.5,x\r\n").unwrap();
        assert_eq!(p.columns, ["id", "age", "arm"]);
        assert_eq!(p.rows, 3);
        assert_eq!(p.numeric, [NumericColumn { name: "age".into(), values: vec![61.0, 47.5] }]);
    }

    #[test]
    fn a_text_value_makes_a_column_non_numeric() {
        let p = preview("x,y\n1,2\nthree,4\n").unwrap();
        assert_eq!(p.numeric.len(), 1);
        assert_eq!(p.numeric[0].name, "y");
    }
}
