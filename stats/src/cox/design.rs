//! The design matrix of a Cox model: numeric columns and dummy-coded factors.

use std::fmt;

/// Covariate columns, each with the label its coefficient is reported under.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Design {
    labels: Vec<String>,
    columns: Vec<Vec<f64>>,
}

/// Why a column could not be added.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DesignError {
    /// A value of a factor is not among the levels given.
    UnknownLevel {
        factor: String,
        index: usize,
        value: String,
    },
    /// A factor has fewer than two levels: it adds no column.
    SingleLevel { factor: String },
    /// A level is listed twice.
    DuplicateLevel { factor: String, level: String },
}

impl fmt::Display for DesignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownLevel {
                factor,
                index,
                value,
            } => {
                write!(
                    f,
                    "{factor}: value {value:?} at index {index} is not one of the levels"
                )
            }
            Self::SingleLevel { factor } => write!(f, "{factor} has fewer than two levels"),
            Self::DuplicateLevel { factor, level } => {
                write!(f, "{factor}: level {level:?} is listed twice")
            }
        }
    }
}

impl std::error::Error for DesignError {}

impl Design {
    /// An empty design.
    pub fn new() -> Self {
        Design::default()
    }

    /// Adds a numeric column under `label` (lengths are checked by the fit).
    pub fn numeric(mut self, label: &str, values: &[f64]) -> Self {
        self.labels.push(label.to_string());
        self.columns.push(values.to_vec());
        self
    }

    /// Adds a factor as treatment (dummy) contrasts: one 0/1 column per level
    /// but the first, which is the reference, labelled `name` + level as R
    /// does (`celltypesmallcell`). `levels` gives the order; `None` takes the
    /// distinct values sorted by byte order (as R `factor()` in the C locale).
    pub fn factor(
        mut self,
        name: &str,
        values: &[&str],
        levels: Option<&[&str]>,
    ) -> Result<Self, DesignError> {
        let levels: Vec<&str> = match levels {
            Some(levels) => {
                for (i, level) in levels.iter().enumerate() {
                    if levels[..i].contains(level) {
                        return Err(DesignError::DuplicateLevel {
                            factor: name.into(),
                            level: level.to_string(),
                        });
                    }
                }
                levels.to_vec()
            }
            None => {
                let mut distinct = values.to_vec();
                distinct.sort_unstable();
                distinct.dedup();
                distinct
            }
        };
        if levels.len() < 2 {
            return Err(DesignError::SingleLevel {
                factor: name.into(),
            });
        }
        let mut codes = Vec::with_capacity(values.len());
        for (index, value) in values.iter().enumerate() {
            match levels.iter().position(|l| l == value) {
                Some(code) => codes.push(code),
                None => {
                    return Err(DesignError::UnknownLevel {
                        factor: name.into(),
                        index,
                        value: value.to_string(),
                    })
                }
            }
        }
        for (code, level) in levels.iter().enumerate().skip(1) {
            self.labels.push(format!("{name}{level}"));
            self.columns.push(
                codes
                    .iter()
                    .map(|&c| if c == code { 1.0 } else { 0.0 })
                    .collect(),
            );
        }
        Ok(self)
    }

    /// The coefficient labels, in column order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[Vec<f64>] {
        &self.columns
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.columns.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_level_is_the_reference() {
        let d = Design::new()
            .numeric("age", &[60.0, 70.0, 80.0])
            .factor("arm", &["B", "A", "C"], None)
            .unwrap();
        assert_eq!(d.labels(), ["age", "armB", "armC"]);
        assert_eq!(d.columns()[1], [1.0, 0.0, 0.0]);
        assert_eq!(d.columns()[2], [0.0, 0.0, 1.0]);
        let d = Design::new()
            .factor("arm", &["B", "A"], Some(&["B", "A"]))
            .unwrap();
        assert_eq!(d.labels(), ["armA"]);
        assert_eq!(d.columns()[0], [0.0, 1.0]);
    }

    #[test]
    fn bad_factors() {
        assert_eq!(
            Design::new().factor("arm", &["A", "A"], None),
            Err(DesignError::SingleLevel {
                factor: "arm".into()
            })
        );
        assert_eq!(
            Design::new().factor("arm", &["A", "X"], Some(&["A", "B"])),
            Err(DesignError::UnknownLevel {
                factor: "arm".into(),
                index: 1,
                value: "X".into()
            })
        );
        assert!(matches!(
            Design::new().factor("arm", &["A"], Some(&["A", "A"])),
            Err(DesignError::DuplicateLevel { .. })
        ));
    }
}
