//! Readable tables of the reports, laid out as R prints its survival results
//! (`print(survfit)`, `survdiff`, `summary(coxph)`): a label column, then
//! right-aligned numbers with four significant digits and `NA` where a value
//! is undefined.

mod analysis;
mod km;

pub use analysis::analysis_text;
pub use km::{comparisons_text, km_text};

use super::curve::Curve;

/// Significant digits of printed numbers (R prints survival tables with 4 or fewer).
const DIGITS: usize = 4;

/// `x` with [`DIGITS`] significant digits, trailing zeros dropped; large
/// numbers keep their integer digits; `NA` for `None`.
pub(crate) fn num(x: Option<f64>) -> String {
    let Some(x) = x.filter(|x| x.is_finite()) else {
        return "NA".into();
    };
    if x == 0.0 {
        return "0".into();
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-5..15).contains(&magnitude) {
        return format!("{x:.3e}");
    }
    let decimals = (DIGITS as i32 - 1 - magnitude).max(0) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A p-value as R's `format.pval`: below 2e-16 as `<2e-16`.
pub(crate) fn p_value(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 2e-16 => "<2e-16".into(),
        other => num(other),
    }
}

/// Rows laid out under `header`: the first column left-aligned, the others
/// right-aligned, two spaces between columns, one line each.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    table_with(header, rows, 1)
}

/// As [`table`], with the first `left` columns (text) left-aligned.
pub(crate) fn table_with(header: &[&str], rows: &[Vec<String>], left: usize) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = w - cell.chars().count();
            if i > 0 {
                out.push_str("  ");
            }
            if i < left {
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// The columns of a curve's summary line (see [`curve_header`]).
pub(crate) fn curve_row(label: String, c: &Curve) -> Vec<String> {
    vec![
        label,
        c.n.to_string(),
        c.events.to_string(),
        num(c.median.estimate),
        num(c.median.lower),
        num(c.median.upper),
        num(c.rmst.and_then(|r| r.estimate)),
        num(c.rmst.and_then(|r| r.std_err)),
        num(c.follow_up.estimate),
    ]
}

/// Header of [`curve_row`] at confidence level `level`.
pub(crate) fn curve_header(level: f64) -> [String; 9] {
    let l = num(Some(level));
    [
        String::new(),
        "n".into(),
        "events".into(),
        "median".into(),
        format!("{l}LCL"),
        format!("{l}UCL"),
        "rmean".into(),
        "se(rmean)".into(),
        "follow-up".into(),
    ]
}

/// Landmark rows of a curve: label, time, survival, std.err, limits.
pub(crate) fn landmark_rows(label: &str, c: &Curve) -> Vec<Vec<String>> {
    c.landmarks
        .iter()
        .map(|l| {
            vec![
                label.to_string(),
                num(Some(l.time)),
                num(l.survival),
                num(l.std_err),
                num(l.lower),
                num(l.upper),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_r_prints_them() {
        assert_eq!(num(Some(0.833333)), "0.8333");
        assert_eq!(num(Some(24.0)), "24");
        assert_eq!(num(Some(123.456)), "123.5");
        assert_eq!(num(Some(12345.6)), "12346");
        assert_eq!(num(Some(-0.5)), "-0.5");
        assert_eq!(num(Some(1.2e-7)), "1.200e-7");
        assert_eq!(num(None), "NA");
        assert_eq!(p_value(Some(1e-20)), "<2e-16");
    }

    #[test]
    fn tables_align() {
        let t = table(
            &["", "n"],
            &[
                vec!["all".into(), "10".into()],
                vec!["arm=A".into(), "5".into()],
            ],
        );
        assert_eq!(t, "        n\nall    10\narm=A   5\n");
    }
}
