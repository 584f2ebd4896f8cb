//! Turning per-subject labels (a group or stratum column) into ordered levels
//! and codes.

use std::collections::{HashMap, HashSet};

/// Distinct labels in report order, and each subject's index into them.
#[derive(Debug, Clone, PartialEq)]
pub struct Levels {
    pub levels: Vec<String>,
    pub codes: Vec<usize>,
}

/// Orders the distinct labels numerically when every one reads as a number
/// (`"2" < "10"`; equal values such as `"1"` and `"1.0"` then by text), else
/// by text (byte order, as R `factor()` in the C locale), and codes each
/// subject by its label's position.
pub fn levels<S: AsRef<str>>(labels: &[S]) -> Levels {
    let unique: HashSet<&str> = labels.iter().map(AsRef::as_ref).collect();
    let mut distinct: Vec<&str> = unique.into_iter().collect();
    distinct.sort_unstable();
    let numbers: Option<Vec<f64>> = distinct
        .iter()
        .map(|s| s.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect();
    if let Some(numbers) = numbers {
        let mut paired: Vec<(f64, &str)> = numbers.into_iter().zip(distinct).collect();
        paired.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        distinct = paired.into_iter().map(|(_, s)| s).collect();
    }
    let index: HashMap<&str, usize> = distinct.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let codes = labels.iter().map(|l| index[l.as_ref()]).collect();
    Levels {
        levels: distinct.iter().map(|s| s.to_string()).collect(),
        codes,
    }
}

#[cfg(test)]
mod tests {
    fn check(labels: &[&str], levels: &[&str], codes: &[usize]) {
        let l = super::levels(labels);
        assert_eq!(l.levels, levels);
        assert_eq!(l.codes, codes);
    }

    #[test]
    fn numeric_when_every_label_is_a_number() {
        check(&["10", "2", "2", "1"], &["1", "2", "10"], &[2, 1, 1, 0]);
        check(&["-1.5", "0"], &["-1.5", "0"], &[0, 1]);
    }

    #[test]
    fn text_otherwise() {
        check(
            &["b", "10", "a", "2"],
            &["10", "2", "a", "b"],
            &[3, 0, 2, 1],
        );
        check(&["NA", "1"], &["1", "NA"], &[1, 0]);
    }
}
