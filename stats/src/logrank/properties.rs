//! Property tests of the log-rank family.

use proptest::prelude::*;

use super::{logrank, logrank_trend, logrank_two_sample, Weight};
use crate::prec::close;

/// Relative agreement of two computations of one statistic in a different
/// order of summation.
const SAME: f64 = 1e-9;

fn weights() -> impl Strategy<Value = Weight> {
    prop_oneof![
        Just(Weight::LogRank),
        Just(Weight::GehanBreslow),
        Just(Weight::TaroneWare),
        (0.0..2.0, 0.0..2.0).prop_map(|(p, q)| Weight::FlemingHarrington { p, q }),
    ]
}

/// (time, event, group in 0..k, stratum in 0..2) with many tied times.
fn subjects(k: usize) -> impl Strategy<Value = Vec<(f64, bool, usize, usize)>> {
    prop::collection::vec((0u8..12, any::<bool>(), 0..k, 0usize..2), 2..50).prop_map(|v| {
        v.into_iter()
            .map(|(t, e, g, s)| (f64::from(t), e, g, s))
            .collect()
    })
}

fn columns(v: &[(f64, bool, usize, usize)]) -> (Vec<f64>, Vec<bool>, Vec<usize>, Vec<usize>) {
    (
        v.iter().map(|x| x.0).collect(),
        v.iter().map(|x| x.1).collect(),
        v.iter().map(|x| x.2).collect(),
        v.iter().map(|x| x.3).collect(),
    )
}

fn near(a: f64, b: f64) -> bool {
    close(a, b, SAME) || (a.abs() < 1e-12 && b.abs() < 1e-12)
}

proptest! {
    #[test]
    fn symmetric_in_group_order(v in subjects(3), w in weights(), stratified in any::<bool>()) {
        let (t, e, g, s) = columns(&v);
        let strata = stratified.then_some(s.as_slice());
        // Relabel 0 → 2, 1 → 0, 2 → 1.
        let relabelled: Vec<usize> = g.iter().map(|&x| (x + 2) % 3).collect();
        let a = logrank(&t, &e, &g, strata, w).unwrap();
        let b = logrank(&t, &e, &relabelled, strata, w).unwrap();
        prop_assert!(near(a.statistic, b.statistic), "{} vs {}", a.statistic, b.statistic);
        // k is 1 + the largest label, so a group may be absent from one side.
        let at = |x: &[f64], j: usize| x.get(j).copied().unwrap_or(0.0);
        for j in 0..3 {
            let r = (j + 2) % 3;
            prop_assert!(near(at(&a.observed, j), at(&b.observed, r)) && near(at(&a.expected, j), at(&b.expected, r)));
        }
    }

    #[test]
    fn row_order_changes_nothing(v in subjects(3).prop_shuffle().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())), w in weights()) {
        let (a, b) = v;
        let (t, e, g, s) = columns(&a);
        let x = logrank(&t, &e, &g, Some(&s), w).unwrap();
        let (t, e, g, s) = columns(&b);
        let y = logrank(&t, &e, &g, Some(&s), w).unwrap();
        prop_assert!(near(x.statistic, y.statistic));
        prop_assert_eq!(x.df, y.df);
    }

    #[test]
    fn two_groups_equal_the_two_sample_test_and_the_trend_test(v in subjects(2), w in weights(), stratified in any::<bool>()) {
        let (t, e, g, s) = columns(&v);
        let strata = stratified.then_some(s.as_slice());
        let k = logrank(&t, &e, &g, strata, w).unwrap();
        let second: Vec<bool> = g.iter().map(|&x| x == 1).collect();
        let two = logrank_two_sample(&t, &e, &second, strata, w).unwrap();
        let trend = logrank_trend(&t, &e, &g, strata, w, &[0.0, 1.0]).unwrap();
        if k.df == 1 {
            prop_assert!(near(k.statistic, two.statistic), "{} vs {}", k.statistic, two.statistic);
            prop_assert!(near(k.statistic, trend.statistic), "{} vs {}", k.statistic, trend.statistic);
        }
    }
}
