//! Comparing computed values with reference values at a relative tolerance.

/// |actual − expected| / |expected|, and 0 when the two are equal (also at 0).
pub fn rel_err(actual: f64, expected: f64) -> f64 {
    if actual == expected {
        0.0
    } else {
        (actual - expected).abs() / expected.abs()
    }
}

/// Asserts every (label, actual, expected) is within `tol` relative, listing
/// all failures; comparing nothing fails too.
pub fn check(what: &str, results: &[(String, f64, f64)], tol: f64) {
    assert!(!results.is_empty(), "{what}: nothing was compared");
    let bad: Vec<String> = results
        .iter()
        .filter(|(_, a, e)| rel_err(*a, *e).is_nan() || rel_err(*a, *e) > tol)
        .map(|(label, a, e)| format!("{label}: {a:e} vs {e:e} (rel {:.1e})", rel_err(*a, *e)))
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: {} of {} beyond {tol:e}:\n{}",
        bad.len(),
        results.len(),
        bad.join("\n")
    );
}
