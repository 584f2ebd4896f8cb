//! The response table (RSPT01): per arm the responders (CR or PR) and each
//! best-response category with their intervals; each arm against the
//! reference: the difference in response rates, Pearson's chi-square and
//! Fisher's exact p-values, the odds ratio; and with strata the
//! Cochran–Mantel–Haenszel test, the Mantel–Haenszel odds ratio and risk
//! difference. Patients without a best response are counted (`missing`)
//! and left out of every rate, as in the report; the denominator
//! convention decides whether NE patients are in it.

use serde::Serialize;

use super::{interval, Design, Interval, TableSpec};
use crate::stats::binomial::proportion;
use crate::stats::conventions::Denominator;
use crate::stats::fisher::fisher_exact;
use crate::stats::response::BestResponse;
use crate::stats::stratified::{cmh_test, mh_odds_ratio, mh_risk_difference};
use crate::stats::two_proportions::{odds_ratio, pearson_chi_square, proportion_difference};

/// One best-response category of an arm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    /// CR, PR, SD, PD, NE, or "missing" (no best response recorded).
    pub code: &'static str,
    pub n: u64,
    /// n / the arm's denominator; `None` for a category outside it (NE
    /// under the evaluable denominator, missing) or an empty denominator.
    pub rate: Option<f64>,
    pub ci: Interval,
}

/// One arm's responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmResponse {
    pub arm: String,
    /// The denominator of the rates.
    pub n: u64,
    /// CR or PR.
    pub responders: u64,
    pub rate: Option<f64>,
    pub ci: Interval,
    pub categories: Vec<Category>,
}

/// The stratified comparison of an arm with the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StratifiedComparison {
    /// Cochran–Mantel–Haenszel p-value.
    pub p_cmh: Option<f64>,
    /// Mantel–Haenszel common odds ratio.
    pub odds_ratio: Option<f64>,
    pub odds_ratio_ci: Interval,
    /// Mantel–Haenszel common risk difference, arm − reference.
    pub diff: Option<f64>,
    pub diff_ci: Interval,
}

/// An arm against the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseComparison {
    pub arm: String,
    pub reference: String,
    /// Response rate of the arm − that of the reference.
    pub diff: Option<f64>,
    pub diff_ci: Interval,
    pub p_chisq: Option<f64>,
    pub p_fisher: Option<f64>,
    pub odds_ratio: Option<f64>,
    pub odds_ratio_ci: Interval,
    /// `None` without strata.
    pub stratified: Option<StratifiedComparison>,
}

/// The response table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseTable {
    pub arms: Vec<ArmResponse>,
    pub comparisons: Vec<ResponseComparison>,
}

/// Counts of one arm (or one arm in one stratum).
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    by_category: [u64; 5],
    missing: u64,
}

impl Counts {
    fn add(&mut self, response: Option<BestResponse>) {
        match response {
            Some(r) => self.by_category[category_index(r)] += 1,
            None => self.missing += 1,
        }
    }

    fn denominator(&self, denominator: Denominator) -> u64 {
        let all: u64 = self.by_category.iter().sum();
        match denominator {
            Denominator::AllTreated => all,
            Denominator::Evaluable => all - self.by_category[category_index(BestResponse::Ne)],
        }
    }

    fn responders(&self) -> u64 {
        self.by_category[category_index(BestResponse::Cr)]
            + self.by_category[category_index(BestResponse::Pr)]
    }

    /// `[[responders, others], …]` row of a 2×2 table.
    fn row(&self, denominator: Denominator) -> [u64; 2] {
        let n = self.denominator(denominator);
        [self.responders(), n - self.responders()]
    }
}

fn category_index(r: BestResponse) -> usize {
    BestResponse::ALL
        .iter()
        .position(|&c| c == r)
        .unwrap_or_default()
}

/// The response table of `responses` (one per patient of the cohort).
pub(super) fn table(
    responses: &[Option<BestResponse>],
    design: &Design,
    spec: &TableSpec<'_>,
) -> Result<ResponseTable, String> {
    let c = &spec.conventions;
    let (level, denominator) = (c.conf_level, c.denominator);
    let k = design.arms.len();
    let strata = design
        .stratum_of
        .as_ref()
        .map_or(0, |s| s.iter().flatten().max().map_or(0, |m| m + 1));
    let mut counts = vec![Counts::default(); k];
    // Per arm and stratum, for the stratified comparisons.
    let mut by_stratum = vec![vec![Counts::default(); strata]; k];
    for (i, &response) in responses.iter().enumerate() {
        let Some(a) = design.arm_of[i] else { continue };
        counts[a].add(response);
        if let Some(Some(s)) = design.stratum_of.as_ref().map(|s| s[i]) {
            by_stratum[a][s].add(response);
        }
    }
    let rate = |x: u64, n: u64| -> Result<(Option<f64>, Interval), String> {
        if n == 0 {
            return Ok((None, [None, None]));
        }
        let p = proportion(x, n, level, c.binomial_ci).map_err(|e| e.to_string())?;
        Ok((Some(p.estimate), interval(Some(p.lower), Some(p.upper))))
    };
    let mut arms = Vec::with_capacity(k);
    for (a, arm) in design.arms.iter().enumerate() {
        let n = counts[a].denominator(denominator);
        let (r, ci) = rate(counts[a].responders(), n)?;
        let mut categories = Vec::with_capacity(6);
        for category in BestResponse::ALL {
            let x = counts[a].by_category[category_index(category)];
            let outside = category == BestResponse::Ne && denominator == Denominator::Evaluable;
            let (rate, ci) = if outside {
                (None, [None, None])
            } else {
                rate(x, n)?
            };
            categories.push(Category {
                code: category.code(),
                n: x,
                rate,
                ci,
            });
        }
        categories.push(Category {
            code: "missing",
            n: counts[a].missing,
            rate: None,
            ci: [None, None],
        });
        arms.push(ArmResponse {
            arm: arm.clone(),
            n,
            responders: counts[a].responders(),
            rate: r,
            ci,
            categories,
        });
    }
    let reference = &counts[0];
    let mut comparisons = Vec::with_capacity(k.saturating_sub(1));
    for (a, arm) in design.arms.iter().enumerate().skip(1) {
        let table = [counts[a].row(denominator), reference.row(denominator)];
        let (n1, n2) = (table[0][0] + table[0][1], table[1][0] + table[1][1]);
        let diff = (n1 > 0 && n2 > 0)
            .then(|| proportion_difference(table[0][0], n1, table[1][0], n2, level, spec.diff_ci))
            .transpose()
            .map_err(|e| e.to_string())?;
        let or = odds_ratio(table, level).map_err(|e| e.to_string())?;
        let stratified = design
            .stratum_of
            .as_ref()
            .map(|_| {
                let tables: Vec<[[u64; 2]; 2]> = (0..strata)
                    .map(|s| {
                        [
                            by_stratum[a][s].row(denominator),
                            by_stratum[0][s].row(denominator),
                        ]
                    })
                    .collect();
                let or = mh_odds_ratio(&tables, level)?;
                let rd = mh_risk_difference(&tables, level)?;
                Ok(StratifiedComparison {
                    p_cmh: cmh_test(&tables).map(|t| t.p_value),
                    odds_ratio: or.map(|o| o.estimate),
                    odds_ratio_ci: or
                        .map_or([None, None], |o| interval(Some(o.lower), Some(o.upper))),
                    diff: rd.map(|d| d.estimate),
                    diff_ci: rd.map_or([None, None], |d| interval(Some(d.lower), Some(d.upper))),
                })
            })
            .transpose()
            .map_err(|e: crate::stats::binomial::ProportionError| e.to_string())?;
        comparisons.push(ResponseComparison {
            arm: arm.clone(),
            reference: design.arms[0].clone(),
            diff: diff.map(|d| d.estimate),
            diff_ci: diff.map_or([None, None], |d| interval(d.lower, d.upper)),
            p_chisq: pearson_chi_square(table).map(|t| t.p_value),
            p_fisher: (n1 > 0 && n2 > 0).then(|| fisher_exact(table).p_value),
            odds_ratio: or.map(|o| o.estimate),
            odds_ratio_ci: or.map_or([None, None], |o| interval(Some(o.lower), Some(o.upper))),
            stratified,
        });
    }
    Ok(ResponseTable { arms, comparisons })
}
