//! Row filters: which patients a [`Filter`] keeps (the page's filters and
//! the command line's `--filter`), and how a filter reads.

use crate::data::{Cell, Cohort, CovariateValues};
use crate::share::{Condition, Filter};
use crate::stats::response::BestResponse;
use std::rc::Rc;

/// Whether a cell meets a condition. A category matches by its text (a
/// response by its code, a blank cell by ""); a range holds numbers and
/// times (in months) within its bounds, and no blank cell.
pub fn passes(cell: Cell<'_>, condition: &Condition) -> bool {
    match condition {
        Condition::OneOf(values) => {
            let text = match cell {
                Cell::Missing => String::new(),
                Cell::Text(t) => t.to_string(),
                Cell::Number(x) => x.to_string(),
                Cell::Response(r) => r.code().to_string(),
                Cell::Event(te) => te.months.to_string(),
            };
            values.contains(&text)
        }
        Condition::Range { min, max } => {
            let x = match cell {
                Cell::Number(x) => x,
                Cell::Event(te) => te.months,
                _ => return false,
            };
            min.is_none_or(|m| x >= m) && max.is_none_or(|m| x <= m)
        }
    }
}

/// The patients who pass every filter; a filter on a column the cohort
/// does not have is reported and skipped.
/// Without a filter that applies, the cohort is shared, not copied.
pub fn apply(cohort: &Rc<Cohort>, filters: &[Filter]) -> (Rc<Cohort>, Vec<String>) {
    let mut out = cohort.clone();
    let mut problems = Vec::new();
    for f in filters {
        match out.filter(&f.column, |cell| passes(cell, &f.condition)) {
            Ok(kept) => out = Rc::new(kept),
            Err(_) => problems.push(format!(
                "filter on {:?} ignored: the data have no such column",
                f.column
            )),
        }
    }
    (out, problems)
}

/// How a filter reads: "sex is female", "age 40 to 65".
pub fn describe(filter: &Filter) -> String {
    match &filter.condition {
        Condition::OneOf(values) => format!("{} is {}", filter.column, values.join(" or ")),
        Condition::Range { min, max } => match (min, max) {
            (Some(a), Some(b)) => format!("{} from {a} to {b}", filter.column),
            (Some(a), None) => format!("{} ≥ {a}", filter.column),
            (None, Some(b)) => format!("{} ≤ {b}", filter.column),
            (None, None) => format!("{} (any)", filter.column),
        },
    }
}

/// The columns a filter can be set on, and the values to pick from (None: a numeric range).
pub fn filter_columns(cohort: &Cohort) -> Vec<(String, Option<Vec<String>>)> {
    let mut out = Vec::new();
    if cohort.best_response.is_some() {
        out.push((
            "best_response".to_string(),
            Some(
                BestResponse::ALL
                    .iter()
                    .map(|r| r.code().to_string())
                    .collect(),
            ),
        ));
    }
    if cohort.best_pct_change.is_some() {
        out.push(("best_pct_change".to_string(), None));
    }
    for e in &cohort.endpoints {
        out.push((format!("{}_months", e.key), None));
    }
    for c in &cohort.covariates {
        match &c.values {
            CovariateValues::Categorical { levels, .. } => {
                out.push((c.name.clone(), Some(levels.clone())))
            }
            CovariateValues::Numeric(_) => out.push((c.name.clone(), None)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::import_csv;

    #[test]
    fn keeps_the_patients_every_filter_passes() {
        let cohort = Rc::new(
            import_csv(
                b"id,arm,age,best_response\n1,A,40,PR\n2,B,70,SD\n3,A,,CR\n4,A,65,PD\n".to_vec(),
                None,
            )
            .unwrap(),
        );
        let filters = [
            Filter {
                column: "arm".into(),
                condition: Condition::OneOf(vec!["A".into()]),
            },
            Filter {
                column: "age".into(),
                condition: Condition::Range {
                    min: None,
                    max: Some(65.0),
                },
            },
            Filter {
                column: "nope".into(),
                condition: Condition::OneOf(vec![]),
            },
        ];
        let (kept, problems) = apply(&cohort, &filters);
        assert_eq!(kept.ids, ["1", "4"], "a blank age is outside every range");
        assert_eq!(
            problems,
            ["filter on \"nope\" ignored: the data have no such column"]
        );
        let (cr, _) = apply(
            &cohort,
            &[Filter {
                column: "best_response".into(),
                condition: Condition::OneOf(vec!["CR".into()]),
            }],
        );
        assert_eq!(cr.ids, ["3"]);
        assert_eq!(describe(&filters[0]), "arm is A");
        assert_eq!(describe(&filters[1]), "age ≤ 65");
    }
}
