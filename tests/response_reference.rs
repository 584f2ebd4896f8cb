//! Distributions, binomial intervals and association tests against scipy,
//! statsmodels and R. Fixtures: `tests/fixtures/cox_response/`, written by
//! `scripts/reference/cox_response.py` and `cox_response.R`; each row names
//! the library, version and call that produced it.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI or a browser

#[path = "support/csv_rows.rs"]
mod csv_rows;
#[path = "support/reference.rs"]
mod reference;

use csv_rows::csv_rows;
use reference::check;
use std::collections::HashMap;
use std::path::Path;

use cohortscope::stats::binomial::proportion;
use cohortscope::stats::conventions::BinomialCi;
use cohortscope::stats::dist;
use cohortscope::stats::fisher::fisher_exact;
use cohortscope::stats::mann_whitney::{mann_whitney, MannWhitneyMethod};
use cohortscope::stats::spearman::spearman;

/// Distribution functions: relative, against scipy (the requirement).
const DIST_TOL: f64 = dist::DIST_RELATIVE_TOLERANCE;
/// Interval limits: relative, against statsmodels `proportion_confint` and R
/// `binom.test`, `prop.test`.
const CI_TOL: f64 = 1e-12;
/// Jeffreys limits: relative. Their Beta(k + ½, n − k + ½) quantiles have
/// half-integer shapes, so they go through `statrs`' continued fraction,
/// whose ln B(a, b) loses digits for b ≈ 10⁴ (`stats::dist::beta_quantile`):
/// at n = 10⁴ they agree with scipy to about 1e-11.
const JEFFREYS_TOL: f64 = 1e-10;
/// Test p-values and statistics: relative, where the computation is exact
/// (sums of hypergeometric or permutation probabilities, closed forms).
const TEST_TOL: f64 = 1e-9;
/// R `fisher.test`'s odds-ratio estimate: `uniroot` at its default tolerance
/// (`.Machine$double.eps^0.25` on the odds ratio in (0, 1)), relative.
const R_UNIROOT_TOL: f64 = 1e-3;

fn rows(name: &str) -> Vec<HashMap<String, String>> {
    csv_rows(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/cox_response")
            .join(name),
    )
}

fn num(row: &HashMap<String, String>, key: &str) -> f64 {
    row[key]
        .parse()
        .unwrap_or_else(|_| panic!("{key} = {:?}", row[key]))
}

#[test]
fn distributions_match_scipy_in_the_tails() {
    let mut results = Vec::new();
    for row in rows("dist.csv") {
        let f = row["function"].as_str();
        let x = num(&row, "x");
        let actual = match f {
            "normal_sf" => dist::normal_sf(x),
            "normal_cdf" => dist::normal_cdf(x),
            "normal_quantile" => dist::normal_quantile(x),
            "chi_square_sf" => dist::chi_square_sf(x, num(&row, "a")),
            "t_two_sided_p" => dist::t_two_sided_p(x, num(&row, "a")),
            "beta_quantile" => dist::beta_quantile(x, num(&row, "a"), num(&row, "b")),
            other => panic!("unknown function {other}"),
        };
        let label = format!("{f}({x}, {}, {})", row["a"], row["b"]);
        results.push((label, actual, num(&row, "expected")));
    }
    check("dist", &results, DIST_TOL);
}

fn method(name: &str) -> BinomialCi {
    name.parse().unwrap()
}

#[test]
fn binomial_intervals_match_statsmodels() {
    let mut results = Vec::new();
    let mut jeffreys = Vec::new();
    for row in rows("binomial_statsmodels.csv") {
        let (k, n, level) = (
            num(&row, "k") as u64,
            num(&row, "n") as u64,
            num(&row, "level"),
        );
        let method = method(&row["method"]);
        let p = proportion(k, n, level, method).unwrap();
        let label = format!("{} {k}/{n} {level}", row["method"]);
        if method == BinomialCi::Jeffreys && (k == 0 || k == n) {
            // Brown, Cai & DasGupta's Jeffreys interval is closed at 0 (k = 0)
            // and 1 (k = n); statsmodels gives the plain Beta quantile there.
            let (edge, other) = if k == 0 {
                (p.lower, (p.upper, num(&row, "upper")))
            } else {
                (1.0 - p.upper, (p.lower, num(&row, "lower")))
            };
            assert_eq!(edge, 0.0, "{label}");
            jeffreys.push((format!("{label} other limit"), other.0, other.1));
            continue;
        }
        // statsmodels' Wilson limit at k = 0 is 0 up to rounding (~1e-17): compare absolutely there.
        let (lo, hi) = (num(&row, "lower"), num(&row, "upper"));
        let lo_actual = if lo.abs() < 1e-15 && p.lower == 0.0 {
            lo
        } else {
            p.lower
        };
        let hi_actual = if (1.0 - hi).abs() < 1e-15 && p.upper == 1.0 {
            hi
        } else {
            p.upper
        };
        let list = if method == BinomialCi::Jeffreys {
            &mut jeffreys
        } else {
            &mut results
        };
        list.push((format!("{label} lower"), lo_actual, lo));
        list.push((format!("{label} upper"), hi_actual, hi));
    }
    check("statsmodels proportion_confint", &results, CI_TOL);
    check(
        "statsmodels proportion_confint (Jeffreys)",
        &jeffreys,
        JEFFREYS_TOL,
    );
}

#[test]
fn intervals_match_r_binom_test_and_prop_test() {
    let mut results = Vec::new();
    for row in rows("binomial_r.csv") {
        let (k, n, level) = (
            num(&row, "k") as u64,
            num(&row, "n") as u64,
            num(&row, "level"),
        );
        let p = proportion(k, n, level, method(&row["method"])).unwrap();
        let label = format!("{} {k}/{n} {level}", row["method"]);
        results.push((format!("{label} lower"), p.lower, num(&row, "lower")));
        results.push((format!("{label} upper"), p.upper, num(&row, "upper")));
    }
    check("R binom.test, prop.test", &results, CI_TOL);
}

fn table(key: &str) -> [[u64; 2]; 2] {
    let v: Vec<u64> = key.split(' ').map(|s| s.parse().unwrap()).collect();
    [[v[0], v[1]], [v[2], v[3]]]
}

fn samples(key: &str) -> (Vec<f64>, Vec<f64>) {
    let (x, y) = key.split_once(" | ").unwrap();
    let parse = |s: &str| s.split(' ').map(|v| v.parse().unwrap()).collect();
    (parse(x), parse(y))
}

#[test]
fn association_tests_match_scipy() {
    let mut results = Vec::new();
    for row in rows("association_scipy.csv") {
        let key = row["input"].as_str();
        let label = format!("{} {}", row["test"], &key[..key.len().min(40)]);
        match row["test"].as_str() {
            "fisher_p" => results.push((
                label,
                fisher_exact(table(key)).p_value,
                num(&row, "p_value"),
            )),
            "fisher_or" => {
                let expected = num(&row, "p_value");
                if let Some(or) = fisher_exact(table(key)).odds_ratio {
                    results.push((label, or, expected));
                } else {
                    assert!(
                        expected.is_nan(),
                        "{label}: no estimate, scipy gives {expected}"
                    );
                }
            }
            test @ ("mw_exact_p" | "mw_normal_p") => {
                let (x, y) = samples(key);
                let m = if test == "mw_exact_p" {
                    MannWhitneyMethod::Exact
                } else {
                    MannWhitneyMethod::Normal
                };
                let r = mann_whitney(&x, &y, m).unwrap();
                results.push((format!("{label} U"), r.u, num(&row, "statistic")));
                results.push((format!("{label} p"), r.p_value, num(&row, "p_value")));
            }
            "spearman" => {
                let (x, y) = samples(key);
                let r = spearman(&x, &y).unwrap();
                results.push((format!("{label} rho"), r.rho, num(&row, "statistic")));
                results.push((format!("{label} p"), r.p_value, num(&row, "p_value")));
            }
            other => panic!("unknown test {other}"),
        }
    }
    check("scipy", &results, TEST_TOL);
}

#[test]
fn association_tests_match_r() {
    let scipy_samples: Vec<_> = rows("association_scipy.csv")
        .into_iter()
        .filter(|r| r["test"] == "mw_normal_p")
        .map(|r| samples(&r["input"]))
        .collect();
    let scipy_pairs: Vec<_> = rows("association_scipy.csv")
        .into_iter()
        .filter(|r| r["test"] == "spearman")
        .map(|r| samples(&r["input"]))
        .collect();
    let (mut wilcox, mut spearman_row) = (0, 0);
    let mut results = Vec::new();
    let mut r_or = Vec::new();
    for row in rows("association_r.csv") {
        let key = row["input"].as_str();
        match row["test"].as_str() {
            "fisher_p" => results.push((
                format!("p {key}"),
                fisher_exact(table(key)).p_value,
                num(&row, "p_value"),
            )),
            "fisher_or" => {
                // R's uniroot stops at tolerance 1.2e-4, so its estimate is only
                // that good; where only one table is possible R says 0, we say None.
                let expected = num(&row, "p_value");
                match fisher_exact(table(key)).odds_ratio {
                    None => assert_eq!(expected, 0.0, "OR {key}"),
                    Some(or) if expected == 0.0 || expected.is_infinite() => {
                        assert_eq!(or, expected, "OR {key}")
                    }
                    Some(or) => r_or.push((format!("OR {key}"), or, expected)),
                }
            }
            "wilcox" => {
                // The R rows are in the same order as the scipy samples; R chooses
                // the method itself (exact without ties and n < 50), as Auto does.
                let (x, y) = &scipy_samples[wilcox];
                wilcox += 1;
                let r = mann_whitney(x, y, MannWhitneyMethod::Auto).unwrap();
                results.push((format!("W {key}"), r.u, num(&row, "statistic")));
                results.push((format!("p {key}"), r.p_value, num(&row, "p_value")));
            }
            "spearman" => {
                // Same pairs, same order as in the scipy file.
                let (x, y) = &scipy_pairs[spearman_row];
                spearman_row += 1;
                let r = spearman(x, y).unwrap();
                results.push((format!("rho n={key}"), r.rho, num(&row, "statistic")));
                results.push((format!("p n={key}"), r.p_value, num(&row, "p_value")));
            }
            other => panic!("unknown test {other}"),
        }
    }
    assert_eq!(
        (wilcox, spearman_row),
        (scipy_samples.len(), scipy_pairs.len())
    );
    check("R", &results, TEST_TOL);
    check("R fisher.test estimate", &r_or, R_UNIROOT_TOL);
}
