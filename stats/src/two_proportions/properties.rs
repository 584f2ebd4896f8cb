//! Property tests of the two-sample comparisons.

use proptest::prelude::*;

use super::{odds_ratio, pearson_chi_square, proportion_difference};
use crate::conventions::DifferenceCi;

/// Absolute agreement of two computations of one limit that differ only in
/// the order of operations (the arms swapped); the Miettinen–Nurminen limits
/// are each found to adjacent doubles of their own score function.
const SAME: f64 = 1e-12;

/// Every method.
const METHODS: [DifferenceCi; 6] = [
    DifferenceCi::Wald,
    DifferenceCi::WaldCc,
    DifferenceCi::Newcombe,
    DifferenceCi::NewcombeCc,
    DifferenceCi::MiettinenNurminen,
    DifferenceCi::AndersonHauck,
];

/// (x₁, n₁, x₂, n₂), x ≤ n, n ≥ 1, with many edges (x = 0, x = n, n = 1).
fn arms() -> impl Strategy<Value = (u64, u64, u64, u64)> {
    let arm = (1u64..60).prop_flat_map(|n| (prop_oneof![Just(0), Just(n), 0..=n], Just(n)));
    (arm.clone(), arm).prop_map(|((x1, n1), (x2, n2))| (x1, n1, x2, n2))
}

proptest! {
    #[test]
    fn the_interval_holds_the_estimate_inside_minus_one_to_one(
        (x1, n1, x2, n2) in arms(), level in 0.5f64..0.999
    ) {
        for method in METHODS {
            let d = proportion_difference(x1, n1, x2, n2, level, method).unwrap();
            prop_assert_eq!(d.lower.is_some(), d.upper.is_some());
            prop_assert_eq!(d.lower.is_none(), method == DifferenceCi::AndersonHauck && n1.min(n2) == 1);
            if let (Some(lower), Some(upper)) = (d.lower, d.upper) {
                prop_assert!(
                    -1.0 <= lower && lower <= d.estimate && d.estimate <= upper && upper <= 1.0,
                    "{} {}/{} {}/{}: {} {} {}", method, x1, n1, x2, n2, lower, d.estimate, upper
                );
            }
        }
    }

    #[test]
    fn swapping_the_arms_mirrors_the_interval((x1, n1, x2, n2) in arms(), level in 0.5f64..0.999) {
        for method in METHODS {
            let d = proportion_difference(x1, n1, x2, n2, level, method).unwrap();
            let s = proportion_difference(x2, n2, x1, n1, level, method).unwrap();
            prop_assert_eq!(d.estimate, -s.estimate);
            if let (Some(lower), Some(upper)) = (d.lower, d.upper) {
                let (s_lower, s_upper) = (s.lower.unwrap(), s.upper.unwrap());
                prop_assert!((lower + s_upper).abs() <= SAME && (upper + s_lower).abs() <= SAME,
                    "{} {}/{} {}/{}: ({}, {}) vs ({}, {})", method, x1, n1, x2, n2, lower, upper, s_lower, s_upper);
            }
        }
    }

    #[test]
    fn a_higher_level_or_a_continuity_correction_widens((x1, n1, x2, n2) in arms()) {
        let limits = |method, level| {
            let d = proportion_difference(x1, n1, x2, n2, level, method).unwrap();
            (d.lower.unwrap_or(f64::NAN), d.upper.unwrap_or(f64::NAN))
        };
        for method in METHODS {
            if method == DifferenceCi::AndersonHauck && n1.min(n2) == 1 {
                continue;
            }
            let (narrow, wide) = (limits(method, 0.9), limits(method, 0.99));
            prop_assert!(wide.0 <= narrow.0 + SAME && narrow.1 <= wide.1 + SAME, "{}", method);
        }
        for (plain, corrected) in [
            (DifferenceCi::Wald, DifferenceCi::WaldCc),
            (DifferenceCi::Newcombe, DifferenceCi::NewcombeCc),
        ] {
            let (p, c) = (limits(plain, 0.95), limits(corrected, 0.95));
            prop_assert!(c.0 <= p.0 + SAME && p.1 <= c.1 + SAME, "{}", corrected);
        }
    }

    #[test]
    fn table_statistics_are_symmetric((x1, n1, x2, n2) in arms()) {
        let table = [[x1, n1 - x1], [x2, n2 - x2]];
        let swapped = [[x2, n2 - x2], [x1, n1 - x1]];
        let (t, s) = (pearson_chi_square(table), pearson_chi_square(swapped));
        prop_assert_eq!(t.is_some(), s.is_some());
        if let (Some(t), Some(s)) = (t, s) {
            prop_assert!((t.statistic - s.statistic).abs() <= SAME * t.statistic.max(1.0));
            prop_assert!(t.p_value > 0.0 && t.p_value <= 1.0);
        }
        let (o, s) = (odds_ratio(table, 0.95).unwrap(), odds_ratio(swapped, 0.95).unwrap());
        prop_assert_eq!(o.is_some(), x1.min(n1 - x1).min(x2).min(n2 - x2) > 0);
        if let (Some(o), Some(s)) = (o, s) {
            prop_assert!((o.estimate * s.estimate - 1.0).abs() <= SAME);
            prop_assert!((o.lower * s.upper - 1.0).abs() <= SAME && (o.upper * s.lower - 1.0).abs() <= SAME);
        }
    }
}
