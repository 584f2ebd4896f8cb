//! Number formatting shared by the charts, the page and the command line.
//!
//! Conventions (named so that a figure and a table always agree):
//! - rounding is that of Rust's `format!` on the binary value (correctly
//!   rounded, as C `printf` and R `sprintf` do); a value that rounds to zero
//!   never keeps a minus sign;
//! - negative numbers in chart labels use the minus sign U+2212 ("−30%"), as
//!   typeset journals do; ranges use the en dash U+2013 ("0.31–0.93");
//! - p-values: three decimals, "p < 0.001" below 0.001 and "p > 0.999" above
//!   0.999 (the NEJM / JAMA style guides).

/// The minus sign used in labels (U+2212).
pub const MINUS: char = '\u{2212}';
/// The range separator used in confidence intervals (U+2013, en dash).
pub const EN_DASH: char = '\u{2013}';

/// `value` with `decimals` decimals, the minus sign as U+2212 and no "−0.0".
///
/// ```
/// use cohortscope::charts::format::fixed;
/// assert_eq!(fixed(-0.04, 1), "0.0");
/// assert_eq!(fixed(-1.25, 1), "\u{2212}1.2");
/// ```
pub fn fixed(value: f64, decimals: usize) -> String {
    if value.is_nan() {
        return "NA".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 {
            "\u{221e}".to_string()
        } else {
            format!("{MINUS}\u{221e}")
        };
    }
    let text = format!("{:.*}", decimals, value.abs());
    let rounds_to_zero = text.chars().all(|c| c == '0' || c == '.');
    if value < 0.0 && !rounds_to_zero {
        format!("{MINUS}{text}")
    } else {
        text
    }
}

/// A proportion (0–1) as a percentage: `percent(0.125, 1)` is "12.5%".
pub fn percent(proportion: f64, decimals: usize) -> String {
    format!("{}%", fixed(proportion * 100.0, decimals))
}

/// A percentage change with an explicit sign: "+250%", "−30%", "0%".
pub fn signed_percent(change_pct: f64, decimals: usize) -> String {
    let text = fixed(change_pct, decimals);
    let is_zero = text.chars().all(|c| c == '0' || c == '.');
    if change_pct > 0.0 && !is_zero && change_pct.is_finite() {
        format!("+{text}%")
    } else {
        format!("{text}%")
    }
}

/// A p-value in journal style: "p < 0.001", "p = 0.012", "p > 0.999";
/// "p = NA" when it is not a number.
pub fn p_value(p: f64) -> String {
    if p.is_nan() {
        "p = NA".to_string()
    } else if p < 0.001 {
        "p < 0.001".to_string()
    } else if p > 0.999 {
        "p > 0.999".to_string()
    } else {
        format!("p = {p:.3}")
    }
}

/// A time in months with one decimal: "12.3".
pub fn months(value: f64) -> String {
    fixed(value, 1)
}

/// An estimate with its confidence interval: "0.54 (0.31–0.93)".
pub fn estimate_ci(estimate: f64, lower: f64, upper: f64, decimals: usize) -> String {
    format!(
        "{} ({}{EN_DASH}{})",
        fixed(estimate, decimals),
        fixed(lower, decimals),
        fixed(upper, decimals)
    )
}

/// A whole number with thousands separated by commas: "100,000".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with its noun in the right number: "1 patient", "3 patients".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{} {plural}", thousands(n))
    }
}

/// A tick label: the shortest of 0–3 decimals that shows `value` exactly up to
/// 1e-9 (so 0.25 prints "0.25", 12 prints "12", 2.5 prints "2.5").
pub fn tick(value: f64) -> String {
    const SAME_TICK: f64 = 1e-9;
    for decimals in 0..3 {
        let scale = 10f64.powi(decimals as i32);
        if ((value * scale).round() - value * scale).abs() < SAME_TICK * scale.max(1.0) {
            return fixed(value, decimals);
        }
    }
    fixed(value, 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (123_456, "123,456"),
            (1_000_000, "1,000,000"),
        ] {
            assert_eq!(thousands(n), text);
        }
    }

    fn check(got: String, expected: &str) {
        assert_eq!(got, expected);
    }

    #[test]
    fn fixed_rounds_and_never_shows_negative_zero() {
        check(fixed(1.25, 1), "1.2"); // binary 1.25 is exact: ties to even as printf
        check(fixed(1.35, 1), "1.4"); // binary 1.35000000000000008882
        check(fixed(-0.04, 1), "0.0");
        check(fixed(-0.06, 1), "\u{2212}0.1");
        check(fixed(f64::NAN, 2), "NA");
    }

    #[test]
    fn percents() {
        check(percent(0.125, 1), "12.5%");
        check(percent(1.0, 0), "100%");
        check(signed_percent(250.0, 0), "+250%");
        check(signed_percent(-30.0, 0), "\u{2212}30%");
        check(signed_percent(0.2, 0), "0%");
        check(signed_percent(-0.2, 0), "0%");
    }

    #[test]
    fn p_values_in_journal_style() {
        check(p_value(0.0123), "p = 0.012");
        check(p_value(0.0004), "p < 0.001");
        check(p_value(0.001), "p = 0.001");
        check(p_value(0.9996), "p > 0.999");
        check(p_value(f64::NAN), "p = NA");
    }

    #[test]
    fn estimates_counts_months_ticks() {
        check(
            estimate_ci(0.5412, 0.3149, 0.9301, 2),
            "0.54 (0.31\u{2013}0.93)",
        );
        check(months(12.34), "12.3");
        check(count(1, "patient", "patients"), "1 patient");
        check(count(3, "patient", "patients"), "3 patients");
        check(tick(12.0), "12");
        check(tick(0.25), "0.25");
        check(tick(2.5), "2.5");
        check(tick(-30.0), "\u{2212}30");
    }
}
