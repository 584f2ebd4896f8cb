//! The input of a Kaplan–Meier report taken from an imported cohort: one
//! endpoint, optionally grouped and stratified by covariate columns (what
//! the page draws for any endpoint and grouping).

use std::fmt;

use super::km::{KmInput, Labels};
use crate::data::cohort::{Cohort, CovariateValues};

/// Why the input could not be taken from the cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KmCohortError {
    /// The cohort has no endpoint with this key.
    UnknownEndpoint(String),
    /// The cohort has no covariate with this name.
    UnknownColumn(String),
}

impl fmt::Display for KmCohortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownEndpoint(key) => write!(f, "the cohort has no endpoint {key:?}"),
            Self::UnknownColumn(name) => write!(f, "the cohort has no column {name:?}"),
        }
    }
}

impl std::error::Error for KmCohortError {}

/// A covariate read as labels: a categorical column's levels are looked up
/// once each, not once per patient.
struct LabelColumn<'a> {
    values: &'a CovariateValues,
    /// The [`Labels`] code of each level met so far.
    codes: Vec<Option<usize>>,
}

impl<'a> LabelColumn<'a> {
    fn new(values: &'a CovariateValues) -> LabelColumn<'a> {
        let levels = match values {
            CovariateValues::Categorical { levels, .. } => levels.len(),
            CovariateValues::Numeric(_) => 0,
        };
        LabelColumn {
            values,
            codes: vec![None; levels],
        }
    }

    /// Whether patient `i` has a label (numbers as written by `{}`).
    fn has(&self, i: usize) -> bool {
        match self.values {
            CovariateValues::Numeric(v) => v.get(i).is_some(),
            CovariateValues::Categorical { codes, .. } => codes[i].is_some(),
        }
    }

    /// Appends patient `i`'s label (which [`LabelColumn::has`]) to `labels`.
    fn push(&mut self, i: usize, labels: &mut Labels) {
        match self.values {
            CovariateValues::Numeric(v) => {
                if let Some(x) = v.get(i) {
                    labels.push(&x.to_string());
                }
            }
            CovariateValues::Categorical { levels, codes } => {
                let Some(level) = codes[i] else { return };
                match self.codes[level as usize] {
                    Some(code) => labels.push_code(code),
                    None => {
                        self.codes[level as usize] = Some(labels.push(&levels[level as usize]));
                    }
                }
            }
        }
    }
}

/// Times and events of `endpoint` ("os", "pfs", …) in months, with the
/// labels of the `group` and `strata` columns. Patients without a time, or
/// without a label in a column used, are left out (as R drops NA rows).
pub fn km_input(
    cohort: &Cohort,
    endpoint: &str,
    group: Option<&str>,
    strata: Option<&str>,
) -> Result<KmInput, KmCohortError> {
    let e = cohort
        .endpoint(endpoint)
        .ok_or_else(|| KmCohortError::UnknownEndpoint(endpoint.into()))?;
    let column = |name: &str| {
        cohort
            .covariate(name)
            .map(|c| &c.values)
            .ok_or_else(|| KmCohortError::UnknownColumn(name.into()))
    };
    let mut group_values = group.map(column).transpose()?.map(LabelColumn::new);
    let mut strata_values = strata.map(column).transpose()?.map(LabelColumn::new);
    let mut input = KmInput {
        times: Vec::new(),
        events: Vec::new(),
        groups: group.map(Labels::new),
        strata: strata.map(Labels::new),
    };
    for (i, value) in e.values.iter().enumerate() {
        let Some(te) = value else { continue };
        let labelled = |c: &Option<LabelColumn>| c.as_ref().is_none_or(|c| c.has(i));
        if !labelled(&group_values) || !labelled(&strata_values) {
            continue;
        }
        for (labels, column) in [
            (&mut input.groups, &mut group_values),
            (&mut input.strata, &mut strata_values),
        ] {
            if let (Some(labels), Some(column)) = (labels, column) {
                column.push(i, labels);
            }
        }
        input.times.push(te.months);
        input.events.push(te.event);
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::import_csv;

    #[test]
    fn patients_without_a_time_or_label_are_left_out() {
        let csv =
            "patient_id,os_months,os_event,arm,site\n1,3,1,a,x\n2,,,b,x\n3,5,0,,x\n4,7,1,b,y\n";
        let cohort = import_csv(csv.as_bytes().to_vec(), None).unwrap();
        let input = km_input(&cohort, "os", Some("arm"), Some("site")).unwrap();
        assert_eq!(input.times, [3.0, 7.0]);
        assert_eq!(input.events, [true, true]);
        assert_eq!(input.groups, Some(Labels::with_values("arm", &["a", "b"])));
        assert_eq!(input.strata, Some(Labels::with_values("site", &["x", "y"])));
        assert_eq!(
            km_input(&cohort, "pfs", None, None),
            Err(KmCohortError::UnknownEndpoint("pfs".into()))
        );
        assert_eq!(
            km_input(&cohort, "os", Some("nope"), None),
            Err(KmCohortError::UnknownColumn("nope".into()))
        );
        assert_eq!(
            km_input(&cohort, "os", None, None).unwrap().times,
            [3.0, 5.0, 7.0]
        );
    }
}
