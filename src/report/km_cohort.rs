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

/// The label of patient `i` in a covariate (numbers as written by `{}`).
fn label(values: &CovariateValues, i: usize) -> Option<String> {
    match values {
        CovariateValues::Numeric(v) => v[i].map(|x| x.to_string()),
        CovariateValues::Categorical { levels, codes } => {
            codes[i].map(|c| levels[c as usize].clone())
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
    let group_values = group.map(column).transpose()?;
    let strata_values = strata.map(column).transpose()?;
    let mut input = KmInput {
        times: Vec::new(),
        events: Vec::new(),
        groups: group.map(Labels::new),
        strata: strata.map(Labels::new),
    };
    for (i, value) in e.values.iter().enumerate() {
        let Some(te) = value else { continue };
        let g = group_values.map(|v| label(v, i));
        let s = strata_values.map(|v| label(v, i));
        if matches!(g, Some(None)) || matches!(s, Some(None)) {
            continue;
        }
        for (labels, l) in [(&mut input.groups, g), (&mut input.strata, s)] {
            if let (Some(labels), Some(Some(l))) = (labels, l) {
                labels.push(&l);
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
