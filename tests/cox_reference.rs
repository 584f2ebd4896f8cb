//! Cox regression against R survival `coxph`, statsmodels `PHReg` and
//! lifelines `CoxPHFitter` on public data sets shipped in those packages
//! (survival's lung, veteran and ovarian; lifelines' rossi). Fixtures:
//! `tests/fixtures/cox_response/`, written by
//! `scripts/reference/cox_response.py` and `cox_response.R`; each results
//! row names the library, its version and the call.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI or a browser

#[path = "support/csv_rows.rs"]
mod csv_rows;
#[path = "support/reference.rs"]
mod reference;

use csv_rows::csv_rows;
use reference::check;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use cohortscope::stats::conventions::Ties;
use cohortscope::stats::cox::{cox_fit, CoxFit, CoxOptions, Design};

/// R `coxph` with `eps = 1e-12`: coefficients, standard errors, z, p, limits,
/// log-likelihoods and the three global tests, relative.
const R_TOL: f64 = 1e-9;
/// statsmodels `PHReg.fit(method="newton", tol=1e-14)`: relative.
const STATSMODELS_TOL: f64 = 1e-9;
/// lifelines `CoxPHFitter` with `precision=1e-14`: relative.
const LIFELINES_TOL: f64 = 1e-9;

type Row = HashMap<String, String>;

fn rows(name: &str) -> Vec<Row> {
    csv_rows(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/cox_response")
            .join(name),
    )
}

/// A data set: column name → values, "NA" as NaN; rossi's `week` and
/// `arrest` are read as `time` and `status` (as the R script does).
fn dataset(name: &str) -> HashMap<String, Vec<f64>> {
    let mut columns: HashMap<String, Vec<f64>> = HashMap::new();
    for row in rows(&format!("{name}.csv")) {
        for (k, v) in row {
            let k = match k.as_str() {
                "week" => "time".to_string(),
                "arrest" => "status".to_string(),
                _ => k,
            };
            columns.entry(k).or_default().push(if v == "NA" {
                f64::NAN
            } else {
                v.parse().unwrap()
            });
        }
    }
    columns
}

enum Term {
    Numeric(String),
    Factor(String),
    Strata(String),
}

fn parse_model(spec: &str) -> Vec<Term> {
    spec.split('+')
        .map(|t| {
            if let Some(name) = t.strip_prefix("f(").and_then(|r| r.strip_suffix(')')) {
                Term::Factor(name.into())
            } else if let Some(name) = t.strip_prefix("strata(").and_then(|r| r.strip_suffix(')')) {
                Term::Strata(name.into())
            } else {
                Term::Numeric(t.into())
            }
        })
        .collect()
}

/// Fits `spec` on `data`, dropping rows with a missing value in a used
/// column (R's `na.omit`). Factor levels are the sorted codes (R's order).
fn fit(data: &HashMap<String, Vec<f64>>, spec: &str, ties: Ties) -> CoxFit {
    let terms = parse_model(spec);
    let name = |t: &Term| match t {
        Term::Numeric(n) | Term::Factor(n) | Term::Strata(n) => n.clone(),
    };
    let mut used = vec!["time".to_string(), "status".to_string()];
    used.extend(terms.iter().map(name));
    let n = data["time"].len();
    let keep: Vec<usize> = (0..n)
        .filter(|&i| used.iter().all(|c| !data[c][i].is_nan()))
        .collect();
    let col = |c: &str| keep.iter().map(|&i| data[c][i]).collect::<Vec<f64>>();
    let mut design = Design::new();
    let mut strata = None;
    for term in &terms {
        match term {
            Term::Numeric(c) => design = design.numeric(c, &col(c)),
            Term::Factor(c) => {
                let values = col(c);
                let mut codes: Vec<f64> = values.clone();
                codes.sort_by(f64::total_cmp);
                codes.dedup();
                let levels: Vec<String> = codes.iter().map(|v| v.to_string()).collect();
                let levels: Vec<&str> = levels.iter().map(String::as_str).collect();
                let text: Vec<String> = values.iter().map(|v| v.to_string()).collect();
                let text: Vec<&str> = text.iter().map(String::as_str).collect();
                design = design.factor(c, &text, Some(&levels)).unwrap();
            }
            Term::Strata(c) => {
                let values = col(c);
                let mut codes = values.clone();
                codes.sort_by(f64::total_cmp);
                codes.dedup();
                strata = Some(
                    values
                        .iter()
                        .map(|v| codes.iter().position(|c| c == v).unwrap())
                        .collect::<Vec<_>>(),
                );
            }
        }
    }
    let times = col("time");
    let events: Vec<bool> = col("status").iter().map(|&s| s == 1.0).collect();
    let options = CoxOptions {
        ties,
        ..CoxOptions::default()
    };
    cox_fit(&times, &events, &design, strata.as_deref(), &options)
        .unwrap_or_else(|e| panic!("{spec}: {e}"))
}

/// The value of `item` for the term at position `index` (None for model-level items).
fn value(fit: &CoxFit, item: &str, index: Option<usize>) -> f64 {
    match (item, index) {
        ("coef", Some(i)) => fit.terms[i].coef,
        ("se", Some(i)) => fit.terms[i].std_err,
        ("z", Some(i)) => fit.terms[i].z,
        ("p", Some(i)) => fit.terms[i].p_value,
        ("lower", Some(i)) => fit.terms[i].lower,
        ("upper", Some(i)) => fit.terms[i].upper,
        ("loglik_null", None) => fit.loglik_null,
        ("loglik", None) => fit.loglik,
        ("n", None) => fit.n as f64,
        ("events", None) => fit.events as f64,
        ("lr", None) => fit.likelihood_ratio.statistic,
        ("lr_p", None) => fit.likelihood_ratio.p_value,
        ("score", None) => fit.score.statistic,
        ("score_p", None) => fit.score.p_value,
        ("wald", None) => fit.wald.statistic,
        ("wald_p", None) => fit.wald.p_value,
        ("df", None) => fit.likelihood_ratio.df as f64,
        other => panic!("unknown item {other:?}"),
    }
}

fn ties(name: &str) -> Ties {
    name.parse().unwrap()
}

#[test]
fn coxph_reference_models() {
    // (dataset, model, ties) → rows, in file order.
    let mut models: BTreeMap<(String, String, String), Vec<Row>> = BTreeMap::new();
    for row in rows("cox_r.csv") {
        let key = (
            row["dataset"].clone(),
            row["model"].clone(),
            row["ties"].clone(),
        );
        models.entry(key).or_default().push(row);
    }
    assert_eq!(models.len(), 18);
    let mut results = Vec::new();
    let mut data = HashMap::new();
    for ((set, model, tie), model_rows) in &models {
        let d = data.entry(set.clone()).or_insert_with(|| dataset(set));
        let fit = fit(d, model, ties(tie));
        let mut term_order: Vec<String> = Vec::new();
        for row in model_rows {
            let index = if row["term"].is_empty() {
                None
            } else {
                if !term_order.contains(&row["term"]) {
                    term_order.push(row["term"].clone());
                }
                term_order.iter().position(|t| *t == row["term"])
            };
            let label = format!("{set} {model} {tie} {} {}", row["item"], row["term"]);
            let expected: f64 = row["value"].parse().unwrap();
            results.push((label, value(&fit, &row["item"], index), expected));
        }
        assert_eq!(term_order.len(), fit.terms.len(), "{set} {model}");
    }
    check("R coxph", &results, R_TOL);
}

#[test]
fn statsmodels_and_lifelines_on_rossi() {
    let d = dataset("rossi");
    let model = "fin+age+race+wexp+mar+paro+prio";
    let terms: Vec<&str> = model.split('+').collect();
    let mut statsmodels = Vec::new();
    let mut lifelines = Vec::new();
    let efron = fit(&d, model, Ties::Efron);
    let breslow = fit(&d, model, Ties::Breslow);
    for row in rows("cox_python.csv") {
        let f = if row["ties"] == "efron" {
            &efron
        } else {
            &breslow
        };
        let index = terms.iter().position(|t| *t == row["term"]);
        let label = format!("{} {} {}", row["ties"], row["item"], row["term"]);
        let entry = (
            label,
            value(f, &row["item"], index),
            row["value"].parse::<f64>().unwrap(),
        );
        if row["source"].starts_with("statsmodels") {
            statsmodels.push(entry);
        } else {
            lifelines.push(entry);
        }
    }
    check("statsmodels PHReg", &statsmodels, STATSMODELS_TOL);
    check("lifelines CoxPHFitter", &lifelines, LIFELINES_TOL);
}
