//! What an ADaM import lets the user choose, and what it found: the
//! population flag, the best-response parameter, the arm variable and the
//! time-to-event parameters that are endpoints. Every choice has a default
//! (`None`), which the import states in [`AdamSummary`].

use serde::{Deserialize, Serialize};

/// The analysis population.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Population {
    /// Every subject.
    All,
    /// The subjects whose flag (ITTFL, SAFFL, FASFL, …) is "Y".
    Flag(String),
}

impl Population {
    /// As links and the command line write it: `all` or the flag's name.
    pub fn as_str(&self) -> &str {
        match self {
            Population::All => "all",
            Population::Flag(flag) => flag,
        }
    }

    /// Reads `all` (any case) or a flag name (upper-cased, as ADaM names are).
    pub fn parse(text: &str) -> Population {
        if text.eq_ignore_ascii_case("all") {
            Population::All
        } else {
            Population::Flag(text.trim().to_ascii_uppercase())
        }
    }
}

/// The variable whose values are the treatment arms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arm {
    /// One cohort: no arms compared.
    None,
    /// ARM, ACTARM, TRT01P, …
    Variable(String),
}

impl Arm {
    /// As links and the command line write it: `none` or the variable's name.
    pub fn as_str(&self) -> &str {
        match self {
            Arm::None => "none",
            Arm::Variable(name) => name,
        }
    }

    /// Reads `none` (any case) or a variable name (upper-cased).
    pub fn parse(text: &str) -> Arm {
        if text.eq_ignore_ascii_case("none") {
            Arm::None
        } else {
            Arm::Variable(text.trim().to_ascii_uppercase())
        }
    }
}

/// The user's choices; `None` takes the default the summary states.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AdamChoices {
    pub population: Option<Population>,
    /// PARAMCD of the best overall response in ADRS.
    pub response_param: Option<String>,
    pub arm: Option<Arm>,
    /// PARAMCDs of ADTTE that are endpoints (duration of response among
    /// them); `None`: every time parameter.
    pub endpoints: Option<Vec<String>>,
}

impl AdamChoices {
    /// True when every choice is the default.
    pub fn is_default(&self) -> bool {
        *self == AdamChoices::default()
    }
}

/// One file as the import read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdamFile {
    pub name: String,
    /// "ADSL", "ADRS" or "ADTTE".
    pub dataset: String,
    /// "CSV" (any delimited text) or "XPT v5" / "XPT v8".
    pub format: String,
    pub rows: usize,
    /// Distinct USUBJID values.
    pub subjects: usize,
    /// PARAMCD values in order of first appearance (ADRS, ADTTE).
    pub params: Vec<Parameter>,
}

/// A parameter of ADRS or ADTTE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub code: String,
    /// PARAM, when the file has it.
    pub label: String,
    pub rows: usize,
    /// More than one row for some subject (a by-visit parameter).
    pub repeated: bool,
    /// ADTTE: what the parameter is: "os", "pfs", "dor", "ttr", another
    /// endpoint key, or "count" (not a time).
    pub role: String,
}

/// A choice as made: its value and why ("default: …" or "chosen").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chosen<T> {
    pub value: T,
    pub reason: String,
}

/// What an ADaM import found and chose, for the page's summary and selects
/// and the command line's notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdamSummary {
    pub files: Vec<AdamFile>,
    /// Y/N flags that can define the population, known population flags first.
    pub population_flags: Vec<String>,
    pub population: Chosen<Population>,
    /// Subjects before the population flag was applied.
    pub subjects: usize,
    /// Subjects left out by the population flag, by USUBJID.
    pub excluded: Vec<String>,
    /// ADRS parameters with at most one row per subject.
    pub response_params: Vec<String>,
    pub response_param: Option<Chosen<String>>,
    /// Variables that can hold the treatment arm.
    pub arm_variables: Vec<String>,
    pub arm: Chosen<Arm>,
    /// ADTTE parameters that are times.
    pub time_params: Vec<String>,
    pub endpoints: Vec<String>,
}

impl AdamSummary {
    /// "ADSL 400 subjects; ADRS 3,200 rows: BESRSPI, INVET, OVRINV; ADTTE 2,000 rows: OS, PFS, EFS, CRSD, TNE".
    pub fn headline(&self) -> String {
        self.files
            .iter()
            .map(|f| {
                if f.dataset == "ADSL" {
                    format!("{} {} subjects", f.dataset, thousands(f.subjects))
                } else {
                    let codes: Vec<&str> = f.params.iter().map(|p| p.code.as_str()).collect();
                    format!(
                        "{} {} rows: {}",
                        f.dataset,
                        thousands(f.rows),
                        codes.join(", ")
                    )
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// 3200 → "3,200".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_choices() {
        assert_eq!(Population::parse("ALL"), Population::All);
        assert_eq!(Population::parse("saffl"), Population::Flag("SAFFL".into()));
        assert_eq!(Population::Flag("ITTFL".into()).as_str(), "ITTFL");
        assert_eq!(Arm::parse("None"), Arm::None);
        assert_eq!(Arm::parse("actarm").as_str(), "ACTARM");
        assert!(AdamChoices::default().is_default());
    }

    #[test]
    fn separates_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3200), "3,200");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
