//! Comparing two response rates, plain and stratified, against R, statsmodels,
//! scipy and 50-digit mpmath implementations. Fixtures:
//! `tests/fixtures/tables/`, written by `scripts/reference/tables.py` and
//! `tables.R` (see the README there); each row names the library, version
//! and call that produced it. A reference value "nan"/"NaN" is one the
//! library leaves undefined: ours must be `None` there.
//!
//! Run with `--nocapture` to see the largest relative error of each group.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files

#[path = "support/csv_rows.rs"]
mod csv_rows;
#[path = "../../tests/support/reference.rs"]
mod reference;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use cohortscope_stats::fisher::fisher_exact;
use cohortscope_stats::prec::REFERENCE_REL;
use cohortscope_stats::stratified::{cmh_test, mh_odds_ratio, mh_risk_difference};
use cohortscope_stats::two_proportions::{odds_ratio, pearson_chi_square, proportion_difference};
use csv_rows::csv_rows;
use reference::{check, rel_err};

/// Every value but the counts (which are exact): relative, against the reference.
const TOL: f64 = REFERENCE_REL;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/tables/");
const ADAM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/adam/random_cdisc_data/"
);

type Row = HashMap<String, String>;
type Table = [[u64; 2]; 2];
/// counts.csv: (dataset, arm, stratum) → (responders, patients).
type Counts = BTreeMap<(String, String, String), (u64, u64)>;

fn rows(name: &str) -> Vec<Row> {
    csv_rows(&Path::new(FIXTURES).join(name))
}

fn num(row: &Row, key: &str) -> f64 {
    row[key]
        .parse()
        .unwrap_or_else(|_| panic!("{key} = {:?}", row[key]))
}

fn count(row: &Row, key: &str) -> u64 {
    row[key]
        .parse()
        .unwrap_or_else(|_| panic!("{key} = {:?}", row[key]))
}

/// One group's (label, actual, expected) values, and how many undefined
/// reference values found ours `None`.
type Group = (Vec<(String, f64, f64)>, usize);

/// The comparisons by group (method); an undefined expected value checks
/// that ours is `None`.
#[derive(Default)]
struct Comparisons {
    groups: BTreeMap<String, Group>,
}

impl Comparisons {
    fn add(&mut self, group: &str, label: String, actual: Option<f64>, expected: f64) {
        let (values, undefined) = self.groups.entry(group.to_string()).or_default();
        if expected.is_nan() {
            assert_eq!(actual, None, "{group} {label}: the reference is undefined");
            *undefined += 1;
        } else {
            let actual =
                actual.unwrap_or_else(|| panic!("{group} {label}: None, reference {expected}"));
            values.push((label, actual, expected));
        }
    }

    /// Checks every group at `TOL` and prints its largest relative error.
    fn check(self, what: &str) {
        assert!(!self.groups.is_empty(), "{what}: nothing was compared");
        for (group, (values, undefined)) in self.groups {
            let worst = values
                .iter()
                .map(|(label, a, e)| (rel_err(*a, *e), label.as_str()))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .unwrap_or((0.0, "-"));
            println!(
                "{what} | {group}: {} values, max rel err {:.1e} ({}), {undefined} undefined (None)",
                values.len(),
                worst.0,
                worst.1
            );
            check(&format!("{what} {group}"), &values, TOL);
        }
    }
}

fn arms(row: &Row) -> (u64, u64, u64, u64) {
    (
        count(row, "x1"),
        count(row, "n1"),
        count(row, "x2"),
        count(row, "n2"),
    )
}

fn table((x1, n1, x2, n2): (u64, u64, u64, u64)) -> Table {
    [[x1, n1 - x1], [x2, n2 - x2]]
}

/// One two-sample reference row against ours.
fn two_sample(cmp: &mut Comparisons, source: &str, row: &Row) {
    let t = arms(row);
    let (method, item) = (row["method"].as_str(), row["item"].as_str());
    let label = format!(
        "{} {}/{} vs {}/{} {} {item}",
        row["dataset"], t.0, t.1, t.2, t.3, row["level"]
    );
    let mut expected = num(row, "value");
    let actual = match method {
        "pearson" => pearson_chi_square(table(t)).map(|r| match item {
            "statistic" => r.statistic,
            _ => r.p_value,
        }),
        "fisher" => Some(fisher_exact(table(t)).p_value),
        "odds-ratio" => odds_ratio(table(t), num(row, "level"))
            .unwrap()
            .map(|r| match item {
                "estimate" => r.estimate,
                "lower" => r.lower,
                _ => r.upper,
            }),
        _ => {
            let d = proportion_difference(
                t.0,
                t.1,
                t.2,
                t.3,
                num(row, "level"),
                method.parse().unwrap(),
            )
            .unwrap();
            if source == "python" && method == "wald" {
                // statsmodels does not clip the Wald interval to [−1, 1]; R and we do.
                expected = expected.clamp(-1.0, 1.0);
            }
            if item == "lower" {
                d.lower
            } else {
                d.upper
            }
        }
    };
    cmp.add(method, label, actual, expected);
}

#[test]
fn two_sample_matches_r() {
    let mut cmp = Comparisons::default();
    for row in rows("two_sample_r.csv") {
        two_sample(&mut cmp, "r", &row);
    }
    cmp.check("R prop.test, fisher.test");
}

#[test]
fn two_sample_matches_statsmodels_scipy_and_mpmath() {
    let mut cmp = Comparisons::default();
    for row in rows("two_sample_python.csv") {
        two_sample(&mut cmp, "python", &row);
    }
    cmp.check("statsmodels, scipy, mpmath");
}

/// counts.csv.
fn counts() -> Counts {
    rows("counts.csv")
        .iter()
        .map(|r| {
            let key = (r["dataset"].clone(), r["arm"].clone(), r["stratum"].clone());
            (key, (count(r, "responders"), count(r, "patients")))
        })
        .collect()
}

/// The strata of `dataset` (all but "all", sorted) as arm-against-reference tables.
fn strata(counts: &Counts, dataset: &str, arm: &str, reference: &str) -> Vec<Table> {
    let get = |who: &str, stratum: &str| {
        counts[&(dataset.to_string(), who.to_string(), stratum.to_string())]
    };
    let mut names: Vec<&str> = counts
        .keys()
        .filter(|(d, _, s)| d == dataset && s != "all")
        .map(|(_, _, s)| s.as_str())
        .collect();
    names.sort();
    names.dedup();
    assert!(!names.is_empty(), "{dataset}: no strata");
    names
        .into_iter()
        .map(|s| {
            let ((x1, n1), (x2, n2)) = (get(arm, s), get(reference, s));
            table((x1, n1, x2, n2))
        })
        .collect()
}

#[test]
fn stratified_matches_r_statsmodels_and_mpmath() {
    let counts = counts();
    for (file, what) in [
        ("stratified_r.csv", "R mantelhaen.test"),
        (
            "stratified_python.csv",
            "statsmodels StratifiedTable, mpmath",
        ),
    ] {
        let mut cmp = Comparisons::default();
        for row in rows(file) {
            let (dataset, arm, reference) = (&row["dataset"], &row["arm"], &row["reference"]);
            let tables = strata(&counts, dataset, arm, reference);
            let (method, item) = (row["method"].as_str(), row["item"].as_str());
            let label = format!("{dataset} {arm} vs {reference} {} {item}", row["level"]);
            let actual = match method {
                "cmh" => cmh_test(&tables).map(|t| match item {
                    "statistic" => t.statistic,
                    _ => t.p_value,
                }),
                "mh-odds-ratio" => mh_odds_ratio(&tables, num(&row, "level"))
                    .unwrap()
                    .map(|o| match item {
                        "estimate" => o.estimate,
                        "lower" => o.lower,
                        _ => o.upper,
                    }),
                "mh-risk-difference" => mh_risk_difference(&tables, num(&row, "level"))
                    .unwrap()
                    .map(|d| match item {
                        "estimate" => d.estimate,
                        "std_err" => d.std_err,
                        "lower" => d.lower,
                        _ => d.upper,
                    }),
                other => panic!("unknown method {other}"),
            };
            cmp.add(method, label, actual, num(&row, "value"));
        }
        cmp.check(what);
    }
}

/// Responders and patients per (arm, stratum) and per arm ("all") of
/// (arm, stratum, responder) records.
fn tally<'a>(
    records: impl Iterator<Item = (&'a str, &'a str, bool)>,
) -> BTreeMap<(String, String), (u64, u64)> {
    let mut out: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for (arm, stratum, responder) in records {
        for key in [
            (arm.to_string(), stratum.to_string()),
            (arm.to_string(), "all".to_string()),
        ] {
            let cell = out.entry(key).or_default();
            cell.0 += u64::from(responder);
            cell.1 += 1;
        }
    }
    out
}

/// The counts written by tables.py, derived again here from the patient
/// records: the generated data set and the ADaM one (ADRS PARAMCD =
/// "BESRSPI", responder = AVALC in CR, PR; ARM and STRATA1 from ADSL; every
/// subject with such a record). Exact.
#[test]
fn counts_match_the_patient_records() {
    let counts = counts();
    let for_dataset = |dataset: &str| -> BTreeMap<(String, String), (u64, u64)> {
        counts
            .iter()
            .filter(|((d, _, _), _)| d == dataset)
            .map(|((_, a, s), v)| ((a.clone(), s.clone()), *v))
            .collect()
    };

    let patients = rows("generated_patients.csv");
    let generated = tally(patients.iter().map(|r| {
        (
            r["arm"].as_str(),
            r["stratum"].as_str(),
            r["responder"] == "1",
        )
    }));
    assert_eq!(generated, for_dataset("generated"));
    assert_eq!(
        patients.len() as u64,
        generated
            .iter()
            .filter(|((_, s), _)| s == "all")
            .map(|(_, v)| v.1)
            .sum()
    );

    let adsl = csv_rows(&Path::new(ADAM).join("adsl.csv"));
    let subjects: HashMap<&str, (&str, &str)> = adsl
        .iter()
        .map(|r| {
            (
                r["USUBJID"].as_str(),
                (r["ARM"].as_str(), r["STRATA1"].as_str()),
            )
        })
        .collect();
    let adrs = csv_rows(&Path::new(ADAM).join("adrs.csv"));
    let best: Vec<&Row> = adrs.iter().filter(|r| r["PARAMCD"] == "BESRSPI").collect();
    assert_eq!(
        best.len(),
        subjects.len(),
        "one BESRSPI record per ADSL subject"
    );
    let adam = tally(best.iter().map(|r| {
        let (arm, stratum) = subjects[r["USUBJID"].as_str()];
        (arm, stratum, matches!(r["AVALC"].as_str(), "CR" | "PR"))
    }));
    assert_eq!(adam, for_dataset("random_cdisc_data"));

    // Every data set's strata add up to its arms.
    let mut sums: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for ((dataset, arm, stratum), (x, n)) in &counts {
        if stratum != "all" {
            let cell = sums.entry((dataset.clone(), arm.clone())).or_default();
            cell.0 += x;
            cell.1 += n;
        }
    }
    assert!(!sums.is_empty());
    for ((dataset, arm), sum) in sums {
        assert_eq!(
            sum,
            counts[&(dataset.clone(), arm.clone(), "all".to_string())],
            "{dataset} {arm}"
        );
    }
}
