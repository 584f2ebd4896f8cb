//! Property tests of the Kaplan–Meier fit.

use proptest::prelude::*;

use super::{kaplan_meier, SurvivalData};
use crate::stats::conventions::CiTransform;

/// Subjects with integer times 0..15 (many ties) and random event flags.
fn subjects() -> impl Strategy<Value = Vec<(f64, bool)>> {
    prop::collection::vec((0u8..15, any::<bool>()), 1..60)
        .prop_map(|v| v.into_iter().map(|(t, e)| (f64::from(t), e)).collect())
}

proptest! {
    #[test]
    fn row_order_changes_nothing(s in subjects().prop_shuffle().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))) {
        let (a, b) = s;
        let fit = |v: &[(f64, bool)]| {
            let (t, e): (Vec<f64>, Vec<bool>) = v.iter().copied().unzip();
            kaplan_meier(&t, &e, CiTransform::LogLog, 0.95).unwrap()
        };
        prop_assert_eq!(fit(&a), fit(&b));
    }

    #[test]
    fn without_censoring_it_is_the_empirical_survival_function(times in prop::collection::vec(0u8..15, 1..60)) {
        let t: Vec<f64> = times.iter().map(|&x| f64::from(x)).collect();
        let fit = kaplan_meier(&t, &vec![true; t.len()], CiTransform::Log, 0.95).unwrap();
        for row in &fit.rows {
            let above = t.iter().filter(|&&x| x > row.time).count() as f64 / t.len() as f64;
            prop_assert!((row.survival - above).abs() <= 1e-12, "S({}) = {} ≠ {}", row.time, row.survival, above);
        }
    }

    #[test]
    fn one_sort_orders_as_a_stable_sort_and_reversing_keeps_it(v in subjects()) {
        let (t, e): (Vec<f64>, Vec<bool>) = v.iter().copied().unzip();
        let stable = |events: &[bool]| {
            let mut order: Vec<usize> = (0..t.len()).collect();
            order.sort_by(|&a, &b| t[a].total_cmp(&t[b]).then(events[b].cmp(&events[a])));
            order
        };
        let data = SurvivalData::new(&t, &e).unwrap();
        prop_assert_eq!(data.order().to_vec(), stable(&e));
        let flipped: Vec<bool> = e.iter().map(|x| !x).collect();
        prop_assert_eq!(data.reversed().order().to_vec(), stable(&flipped));
    }
}
