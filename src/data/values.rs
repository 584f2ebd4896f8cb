//! Cell values as users write them: numbers (decimal comma, percent sign,
//! Unicode minus), event codes, best-response spellings and time units.

use crate::stats::response::BestResponse;
use serde::{Deserialize, Serialize};

/// Days in one month: 365.25 / 12 = 30.4375 (the convention of R `survival`
/// users and of most oncology reports).
pub const DAYS_PER_MONTH: f64 = 30.4375;
/// Days in one week.
pub const DAYS_PER_WEEK: f64 = 7.0;

/// The unit a time column was given in; times are stored in months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimeUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl TimeUnit {
    /// Converts a time in this unit to months: days / 30.4375,
    /// weeks × 7 / 30.4375, years × 12.
    pub fn to_months(self, value: f64) -> f64 {
        match self {
            TimeUnit::Months => value,
            TimeUnit::Years => value * 12.0,
            TimeUnit::Days => value / DAYS_PER_MONTH,
            TimeUnit::Weeks => value * DAYS_PER_WEEK / DAYS_PER_MONTH,
        }
    }

    /// Lower-case plural name: "days", "weeks", "months", "years".
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
            TimeUnit::Months => "months",
            TimeUnit::Years => "years",
        }
    }

    /// Reads a unit name ("DAYS", "day", "d", "wk", "Months", "YEARS", …).
    pub fn parse(text: &str) -> Option<TimeUnit> {
        match text.trim().to_ascii_lowercase().as_str() {
            "d" | "day" | "days" => Some(TimeUnit::Days),
            "w" | "wk" | "wks" | "week" | "weeks" => Some(TimeUnit::Weeks),
            "m" | "mo" | "mon" | "month" | "months" => Some(TimeUnit::Months),
            "y" | "yr" | "yrs" | "year" | "years" => Some(TimeUnit::Years),
            _ => None,
        }
    }
}

/// A cell that should hold a number does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// A cell that should hold an event indicator holds something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownEventCode;

/// A cell without its surrounding white space (Unicode's, as [`str::trim`]:
/// a spreadsheet's no-break space too), with ASCII checked first: nearly
/// every cell is ASCII, and its trim then costs a few byte compares.
pub fn trim(text: &str) -> &str {
    let t = text.trim_ascii();
    // Left for `str::trim`: a non-ASCII byte, or a vertical tab (white space
    // to Unicode, not to `u8::is_ascii_whitespace`).
    let odd = |b: &u8| !b.is_ascii() || *b == 0x0B;
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(a), Some(z)) if odd(a) || odd(z) => t.trim(),
        _ => t,
    }
}

/// True for a cell that means "no value": empty, `NA`, `N/A`, `.` (SAS), `NaN`.
pub fn is_missing(text: &str) -> bool {
    is_missing_trimmed(trim(text))
}

/// [`is_missing`] of a cell already trimmed.
fn is_missing_trimmed(t: &str) -> bool {
    match t.as_bytes().first() {
        None => true,
        // Every missing marker starts with n, N or '.': a number is not one.
        Some(b'n' | b'N' | b'.') => ["na", "n/a", ".", "nan"]
            .iter()
            .any(|m| t.eq_ignore_ascii_case(m)),
        Some(_) => false,
    }
}

/// Parses a number as spreadsheets write it: optional `%` suffix, Unicode minus
/// (U+2212), and a decimal comma when `decimal_comma` is set (semicolon- or
/// tab-delimited files from European Excel). Missing cells give `Ok(None)`;
/// text, infinities and thousands separators give [`NotANumber`].
pub fn parse_number(text: &str, decimal_comma: bool) -> Result<Option<f64>, NotANumber> {
    let trimmed = trim(text);
    // Nearly every cell is a plain decimal number: Rust's reader takes it as
    // it is (it accepts nothing else but the infinities and NaN, refused below).
    if let Ok(v) = trimmed.parse::<f64>() {
        return if v.is_finite() {
            Ok(Some(v))
        } else if is_missing_trimmed(trimmed) {
            Ok(None)
        } else {
            Err(NotANumber)
        };
    }
    if is_missing_trimmed(trimmed) {
        return Ok(None);
    }
    let trimmed = trimmed
        .strip_suffix('%')
        .map(str::trim_end)
        .unwrap_or(trimmed);
    let mut ascii = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        match c {
            '\u{2212}' | '\u{2013}' => ascii.push('-'),
            ',' if decimal_comma => ascii.push('.'),
            '0'..='9' | '.' | '-' | '+' | 'e' | 'E' => ascii.push(c),
            _ => return Err(NotANumber),
        }
    }
    match ascii.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(NotANumber),
    }
}

/// Parses an event indicator: `1/0`, `true/false`, `yes/no`, `y/n`,
/// `event/censored`, `dead/alive` (case-insensitive). Returns `Some(true)` for
/// an event. When `censor_indicator` is set (a column named CNSR or censored),
/// the numeric and yes/no codes mean "censored" (CDISC ADaM: CNSR = 1 is
/// censored); the words event/censored and dead/alive keep their meaning.
pub fn parse_event(text: &str, censor_indicator: bool) -> Result<Option<bool>, UnknownEventCode> {
    if is_missing(text) {
        return Ok(None);
    }
    // Compared without case and without allocating a lower-case copy.
    let t = trim(text);
    let is = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    let flag = if is(&["1", "1.0", "true", "t", "yes", "y"]) {
        true
    } else if is(&["0", "0.0", "false", "f", "no", "n"]) {
        false
    } else if is(&["event", "dead", "died", "death", "progressed"]) {
        return Ok(Some(true));
    } else if is(&["censored", "censor", "alive"]) {
        return Ok(Some(false));
    } else {
        return Err(UnknownEventCode);
    };
    Ok(Some(flag != censor_indicator))
}

/// How a response spelling was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseReading {
    /// The spelling names the category directly.
    Direct(BestResponse),
    /// "non-CR/non-PD" (patients without measurable disease): counted as SD,
    /// as RECIST 1.1 counts it towards disease control.
    NonCrNonPd,
}

impl ResponseReading {
    /// The category the spelling is counted as.
    pub fn response(self) -> BestResponse {
        match self {
            ResponseReading::Direct(r) => r,
            ResponseReading::NonCrNonPd => BestResponse::Sd,
        }
    }
}

fn exact_response(key: &str) -> Option<ResponseReading> {
    use BestResponse::*;
    let direct = |r| Some(ResponseReading::Direct(r));
    match key {
        "cr" | "complete response" | "complete remission" | "complete" => direct(Cr),
        "pr" | "partial response" | "partial remission" | "partial" => direct(Pr),
        "sd" | "stable disease" | "stable" => direct(Sd),
        "pd" | "progressive disease" | "progression" | "progressive" => direct(Pd),
        "ne" | "not evaluable" | "non evaluable" | "nonevaluable" | "inevaluable"
        | "unevaluable" | "not evaluated" | "na" | "n/a" | "unk" | "unknown" | "missing" | "nd"
        | "not done" | "not assessed" => direct(Ne),
        "non cr/non pd" | "noncr/nonpd" | "non cr / non pd" | "non cr non pd" | "ncr/npd" => {
            Some(ResponseReading::NonCrNonPd)
        }
        _ => None,
    }
}

/// Reads a best-response spelling: the codes CR, PR, SD, PD, NE, the words
/// ("Complete Response"), the two together ("complete response (CR)"), a
/// trailing asterisk ("PR*", often marking an unconfirmed response), the
/// missing codes NA, UNK, "not evaluable" (all NE), and "non-CR/non-PD" (SD).
pub fn parse_response(text: &str) -> Option<ResponseReading> {
    let trimmed = trim(text);
    if let Some(r) = BestResponse::ALL.into_iter().find(|r| r.code() == trimmed) {
        return Some(ResponseReading::Direct(r));
    }
    let lower = trimmed.to_lowercase().replace(['_', '-'], " ");
    let key: String = lower
        .trim()
        .trim_end_matches('*')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(r) = exact_response(&key) {
        return Some(r);
    }
    // "complete response (cr)": the words, then the code in parentheses.
    let (outside, inside) = match (key.find('('), key.rfind(')')) {
        (Some(open), Some(close)) if open < close => {
            let outside = format!("{}{}", &key[..open], &key[close + 1..]);
            (
                outside.trim().to_string(),
                key[open + 1..close].trim().to_string(),
            )
        }
        _ => return None,
    };
    match (exact_response(&outside), exact_response(&inside)) {
        (Some(a), Some(b)) if a == b => Some(a),
        (Some(a), None) if inside.is_empty() => Some(a),
        (Some(_), Some(_)) => None,
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BestResponse::*;

    /// Tolerance for unit conversions: exact up to a few ulps.
    const CONVERSION_TOLERANCE: f64 = 1e-12;

    fn response(text: &str) -> Option<BestResponse> {
        parse_response(text).map(ResponseReading::response)
    }

    #[test]
    fn reads_response_spellings() {
        for (text, expected) in [
            ("CR", Some(Cr)),
            ("Complete Response", Some(Cr)),
            ("complete response (CR)", Some(Cr)),
            ("PR*", Some(Pr)),
            (" pr ", Some(Pr)),
            ("Partial_Response", Some(Pr)),
            ("stable disease", Some(Sd)),
            ("PD", Some(Pd)),
            ("not evaluable", Some(Ne)),
            ("Not Evaluable (NE)", Some(Ne)),
            ("NA", Some(Ne)),
            ("UNK", Some(Ne)),
            ("MISSING", Some(Ne)),
            ("non-CR/non-PD", Some(Sd)),
            ("NON-CR/NON-PD", Some(Sd)),
            ("complete response (PR)", None),
            ("responder", None),
            ("(", None),
            ("", None),
        ] {
            assert_eq!(response(text), expected, "{text:?}");
        }
        assert_eq!(
            parse_response("non-CR/non-PD"),
            Some(ResponseReading::NonCrNonPd)
        );
    }

    #[test]
    fn reads_numbers() {
        assert_eq!(parse_number("-45.2", false), Ok(Some(-45.2)));
        assert_eq!(parse_number("-45.2%", false), Ok(Some(-45.2)));
        assert_eq!(parse_number("\u{2212}45,2 %", true), Ok(Some(-45.2)));
        assert_eq!(parse_number("45,2", false), Err(NotANumber));
        assert_eq!(parse_number("1.234,5", true), Err(NotANumber));
        assert_eq!(parse_number("", false), Ok(None));
        assert_eq!(parse_number("NA", false), Ok(None));
        assert_eq!(parse_number("inf", false), Err(NotANumber));
        assert_eq!(parse_number("1e400", false), Err(NotANumber));
        assert_eq!(parse_number("abc", false), Err(NotANumber));
    }

    #[test]
    fn reads_events() {
        for yes in ["1", "TRUE", "yes", "Y", "event", "Dead"] {
            assert_eq!(parse_event(yes, false), Ok(Some(true)), "{yes}");
        }
        for no in ["0", "false", "No", "censored", "ALIVE"] {
            assert_eq!(parse_event(no, false), Ok(Some(false)), "{no}");
        }
        assert_eq!(parse_event("1", true), Ok(Some(false)));
        assert_eq!(parse_event("0", true), Ok(Some(true)));
        assert_eq!(parse_event("dead", true), Ok(Some(true)));
        assert_eq!(parse_event("2", false), Err(UnknownEventCode));
        assert_eq!(parse_event("", false), Ok(None));
    }

    #[test]
    fn converts_units() {
        assert!((TimeUnit::Days.to_months(30.4375) - 1.0).abs() < CONVERSION_TOLERANCE);
        assert!((TimeUnit::Weeks.to_months(30.4375 / 7.0) - 1.0).abs() < CONVERSION_TOLERANCE);
        assert_eq!(TimeUnit::Years.to_months(2.0), 24.0);
        assert_eq!(TimeUnit::parse("DAYS"), Some(TimeUnit::Days));
        assert_eq!(TimeUnit::parse("COUNT"), None);
    }

    #[test]
    fn trims_unicode_white_space_as_str_trim() {
        assert_eq!(trim("  12.5\t"), "12.5");
        assert_eq!(trim("\u{a0}PR\u{a0}"), "PR");
        assert_eq!(trim("\u{b}CR\u{b}"), "CR");
        assert_eq!(trim("\u{2003} \u{2003}"), "");
        assert_eq!(trim("é "), "é");
    }

    // proptest is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn trim_equals_str_trim(text in "[ \t\r\n\u{b}\u{c}\u{a0}\u{85}\u{2003}\u{3000}a-zé0-9.,-]{0,12}") {
                prop_assert_eq!(trim(&text), text.trim());
            }
        }
    }
}
