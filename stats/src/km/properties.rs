//! Property tests of the Kaplan–Meier fit.

use proptest::prelude::*;

use super::{kaplan_meier, SurvivalData, Tally};
use crate::conventions::CiTransform;

/// Subjects with integer times 0..15 (many ties) and random event flags.
fn subjects() -> impl Strategy<Value = Vec<(f64, bool)>> {
    prop::collection::vec((0u8..15, any::<bool>()), 1..60)
        .prop_map(|v| v.into_iter().map(|(t, e)| (f64::from(t), e)).collect())
}

/// The tally read along `SurvivalData`'s processing order, for comparison.
fn tally_of(data: &SurvivalData) -> Tally {
    let (times, events) = (data.times(), data.events());
    let mut tally = Tally {
        times: Vec::new(),
        events: Vec::new(),
        censored: Vec::new(),
    };
    for &i in data.order() {
        // SurvivalData has tied up its times already; `==` makes −0 and +0 one.
        if tally.times.last() != Some(&times[i]) {
            tally.times.push(times[i] + 0.0);
            tally.events.push(0);
            tally.censored.push(0);
        }
        let last = tally.times.len() - 1;
        if events[i] {
            tally.events[last] += 1;
        } else {
            tally.censored[last] += 1;
        }
    }
    tally
}

/// Up to 600 subjects (enough for the radix sort and the hash table) whose
/// times include −0, round-off ties (0.1 + 0.2 against 0.3) and `spread`
/// other values: few distinct times (hashed) or many (sorted).
fn awkward_subjects(spread: u32) -> impl Strategy<Value = Vec<(f64, bool)>> {
    let time = prop_oneof![
        Just(-0.0),
        Just(0.0),
        Just(0.1 + 0.2),
        Just(0.3),
        (0..spread).prop_map(|x| f64::from(x) / 100.0),
    ];
    prop::collection::vec((time, any::<bool>()), 1..600)
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
    fn one_sort_orders_as_a_stable_sort(v in subjects()) {
        let (t, e): (Vec<f64>, Vec<bool>) = v.iter().copied().unzip();
        let stable = |events: &[bool]| {
            let mut order: Vec<usize> = (0..t.len()).collect();
            order.sort_by(|&a, &b| t[a].total_cmp(&t[b]).then(events[b].cmp(&events[a])));
            order
        };
        let data = SurvivalData::new(&t, &e).unwrap();
        prop_assert_eq!(data.order().to_vec(), stable(&e));
    }

    #[test]
    fn tallying_counts_as_walking_the_processing_order(v in prop_oneof![awkward_subjects(20), awkward_subjects(50_000)]) {
        let (t, e): (Vec<f64>, Vec<bool>) = v.iter().copied().unzip();
        prop_assert_eq!(Tally::new(&t, &e).unwrap(), tally_of(&SurvivalData::new(&t, &e).unwrap()));
    }
}
