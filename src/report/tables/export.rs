//! The tables' grids as files for a manuscript or a submission: CSV (one
//! block per table), an HTML document whose tables paste into Word with
//! their layout, and RTF (the format of submitted TLGs). Every cell is text
//! from the grid, escaped for the format: an arm named `<b>` stays text.

use super::text::Grid;

/// CSV: per table its title, the header and the rows, then its notes, a
/// blank line between tables (RFC 4180 quoting).
pub fn csv(grids: &[Grid]) -> String {
    let mut out = String::new();
    for (k, g) in grids.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        csv_line(&mut out, std::iter::once(g.title.as_str()));
        csv_line(&mut out, g.header.iter().map(String::as_str));
        for row in &g.rows {
            csv_line(&mut out, row.iter().map(|c| c.trim_start()));
        }
        for note in &g.notes {
            csv_line(&mut out, std::iter::once(note.as_str()));
        }
    }
    out
}

fn csv_line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    let cells: Vec<String> = cells
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.to_string()
            }
        })
        .collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// An HTML document of the tables: bordered, the label column left, the
/// numbers right, indentation kept; notes in small type under each.
pub fn html(grids: &[Grid]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>cohortscope tables</title></head><body>\n",
    );
    for g in grids {
        out.push_str(&format!(
            "<table style=\"border-collapse:collapse;font-family:Arial,sans-serif;font-size:10pt\">\n<caption style=\"text-align:left;font-weight:bold\">{}</caption>\n<tr>",
            escape_html(&g.title)
        ));
        for h in &g.header {
            out.push_str(&format!(
                "<th style=\"border-bottom:1px solid #000;padding:2px 8px\">{}</th>",
                escape_html(h)
            ));
        }
        out.push_str("</tr>\n");
        for row in &g.rows {
            out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let indent = cell.len() - cell.trim_start().len();
                let align = if i == 0 { "left" } else { "right" };
                out.push_str(&format!(
                    "<td style=\"padding:1px 8px 1px {}px;text-align:{align}\">{}</td>",
                    8 + 6 * indent,
                    escape_html(cell.trim_start())
                ));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
        for note in &g.notes {
            out.push_str(&format!(
                "<p style=\"font-family:Arial,sans-serif;font-size:8pt\">{}</p>\n",
                escape_html(note)
            ));
        }
    }
    out.push_str("</body></html>\n");
    out
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An RTF document: each table a run of rows with the label cell wide and
/// the arms' cells right-aligned, the title bold above and notes below.
pub fn rtf(grids: &[Grid]) -> String {
    let mut out = String::from("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\fs18\n");
    for g in grids {
        out.push_str(&format!("\\pard\\b {}\\b0\\par\n", escape_rtf(&g.title)));
        let columns = g.header.len().max(1);
        // Twips: 3600 for the labels, 2200 per arm.
        let edges: Vec<usize> = (0..columns).map(|i| 3600 + 2200 * i).collect();
        let mut row = |cells: &[String], header: bool| {
            out.push_str("\\trowd\\trgaph60");
            for edge in &edges {
                if header {
                    out.push_str("\\clbrdrb\\brdrs");
                }
                out.push_str(&format!("\\cellx{edge}"));
            }
            out.push('\n');
            for (i, cell) in cells.iter().enumerate().take(columns) {
                let indent = cell.len() - cell.trim_start().len();
                let align = if i == 0 { "\\ql" } else { "\\qr" };
                out.push_str(&format!(
                    "\\pard\\intbl{align}\\li{} {}\\cell",
                    120 * indent,
                    escape_rtf(cell.trim_start())
                ));
            }
            out.push_str("\\row\n");
        };
        row(&g.header, true);
        for r in &g.rows {
            row(r, false);
        }
        for note in &g.notes {
            out.push_str(&format!("\\pard\\fs14 {}\\fs18\\par\n", escape_rtf(note)));
        }
        out.push_str("\\pard\\par\n");
    }
    out.push('}');
    out.push('\n');
    out
}

/// RTF text: `\`, `{`, `}` escaped; anything beyond ASCII as `\uN?`
/// (signed 16-bit code units, as RTF 1.5 reads them).
fn escape_rtf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{}?", *unit as i16));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Grid {
        Grid {
            title: "Response".into(),
            header: vec![
                String::new(),
                "<b>A</b> (N=2)".into(),
                "B, \"x\" (N=3)".into(),
            ],
            rows: vec![
                vec!["Responders".into(), "1 (50.0)".into(), "2 (66.7)".into()],
                vec![
                    "  95% CI".into(),
                    "(1.3, 98.7)".into(),
                    "(9.4, 99.2)".into(),
                ],
            ],
            notes: vec!["Denominator all-treated; Kaplan–Meier {x}".into()],
        }
    }

    #[test]
    fn html_keeps_file_text_as_text() {
        let h = html(&[grid()]);
        assert!(h.contains("&lt;b&gt;A&lt;/b&gt; (N=2)"));
        assert!(!h.contains("<b>A"));
        assert!(h.contains("padding:1px 8px 1px 20px;text-align:left\">95% CI"));
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        let c = csv(&[grid()]);
        let lines: Vec<&str> = c.lines().collect();
        assert_eq!(lines[1], ",<b>A</b> (N=2),\"B, \"\"x\"\" (N=3)\"");
        assert_eq!(lines[3], "95% CI,\"(1.3, 98.7)\",\"(9.4, 99.2)\"");
    }

    #[test]
    fn rtf_escapes_braces_and_non_ascii() {
        let r = rtf(&[grid()]);
        assert!(r.contains("Kaplan\\u8211?Meier \\{x\\}"));
        assert_eq!(r.matches("\\row").count(), 3);
        assert!(r.starts_with("{\\rtf1") && r.trim_end().ends_with('}'));
    }
}
