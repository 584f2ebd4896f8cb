//! Turning per-subject labels (a group or stratum column) into ordered levels
//! and codes.

/// Distinct labels in report order, and each subject's index into them.
#[derive(Debug, Clone, PartialEq)]
pub struct Levels {
    pub levels: Vec<String>,
    pub codes: Vec<usize>,
}

/// The `distinct` labels in report order, with each label's position there
/// (its rank): numerically when every label reads as a number (`"2" <
/// "10"`; equal values such as `"1"` and `"1.0"` then by text), else by
/// text (byte order, as R `factor()` in the C locale). The first is the
/// reference of the comparisons (log-rank, Cox), in the page and the
/// command line alike.
pub fn report_order<S: AsRef<str>>(distinct: &[S]) -> (Vec<String>, Vec<usize>) {
    let text = |i: usize| distinct[i].as_ref();
    let mut order: Vec<usize> = (0..distinct.len()).collect();
    order.sort_unstable_by(|&a, &b| text(a).cmp(text(b)));
    let numbers: Option<Vec<f64>> = distinct
        .iter()
        .map(|s| {
            s.as_ref()
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
        })
        .collect();
    if let Some(numbers) = numbers {
        order.sort_by(|&a, &b| numbers[a].total_cmp(&numbers[b]).then(text(a).cmp(text(b))));
    }
    let mut rank = vec![0; distinct.len()];
    for (position, &i) in order.iter().enumerate() {
        rank[i] = position;
    }
    (order.iter().map(|&i| text(i).to_string()).collect(), rank)
}

/// The `distinct` labels in [`report_order`], with each subject's index
/// into `distinct` (`codes`) recoded as its label's position there.
pub fn levels(distinct: &[String], codes: &[usize]) -> Levels {
    let (levels, rank) = report_order(distinct);
    Levels {
        levels,
        codes: codes.iter().map(|&c| rank[c]).collect(),
    }
}

#[cfg(test)]
mod tests {
    fn check(labels: &[&str], levels: &[&str], codes: &[usize]) {
        let mut distinct: Vec<String> = Vec::new();
        let first_seen: Vec<usize> = labels
            .iter()
            .map(|l| {
                distinct.iter().position(|d| d == l).unwrap_or_else(|| {
                    distinct.push(l.to_string());
                    distinct.len() - 1
                })
            })
            .collect();
        let l = super::levels(&distinct, &first_seen);
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
