"""Reference values for cohortscope's distributions, binomial intervals,
association tests and Cox regression (scipy, statsmodels, lifelines).

Run from the repository root, before cox_response.R (which reads rossi.csv):

    python -m venv venv && venv/bin/pip install -r scripts/reference/requirements-cox-response.txt
    venv/bin/python scripts/reference/cox_response.py

Writes tests/fixtures/cox_response/*.csv. Every results file is long format,
one value per row, with the library, its version and the call in the
`source` column; numbers are printed with 17 significant digits.
"""

import csv
import os
import warnings

import lifelines
import numpy as np
import pandas as pd
import scipy
import statsmodels
from lifelines import CoxPHFitter
from lifelines.datasets import load_rossi
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.stats.proportion import proportion_confint

OUT = "tests/fixtures/cox_response"
SCIPY = f"scipy {scipy.__version__}"
SM = f"statsmodels {statsmodels.__version__}"
LL = f"lifelines {lifelines.__version__}"


def g(x):
    return repr(float(x)) if np.isfinite(x) else str(x)


def write(name, header, rows):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def dist():
    rows = []
    for z in [-8, -5, -1.5, 0, 0.5, 1, 1.959963984540054, 3, 5, 8, 10, 15, 20, 25, 30, 35, 37]:
        rows.append([f"{SCIPY} norm.sf(z)", "normal_sf", g(z), "", "", g(stats.norm.sf(z))])
        rows.append([f"{SCIPY} norm.cdf(z)", "normal_cdf", g(z), "", "", g(stats.norm.cdf(z))])
    for p in [1e-300, 1e-100, 1e-20, 1e-10, 1e-4, 0.005, 0.025, 0.05, 0.3, 0.5, 0.8, 0.95, 0.975, 0.995, 1 - 1e-10]:
        rows.append([f"{SCIPY} norm.ppf(p)", "normal_quantile", g(p), "", "", g(stats.norm.ppf(p))])
    for df in [1, 2, 3, 4, 5, 7, 10, 30]:
        for x in [0.01, 0.5, 1, 3.841458820694124, 10, 30, 100, 300, 600, 1000, 1300, 1400]:
            p = stats.chi2.sf(x, df)
            if p > 1e-305:
                rows.append([f"{SCIPY} chi2.sf(x, df)", "chi_square_sf", g(x), g(df), "", g(p)])
    for df in [2, 3, 10, 50, 200, 1000]:
        for t in [0.1, 0.5, 1, 2, 5, 10, 30, 100]:
            p = 2 * stats.t.sf(t, df)
            if p > 1e-305:
                rows.append([f"{SCIPY} 2*t.sf(t, df)", "t_two_sided_p", g(t), g(df), "", g(p)])
    # Beta quantiles of Clopper-Pearson limits.
    for n in [1, 2, 3, 5, 10, 29, 100, 1000, 10000]:
        for k in sorted({0, 1, n // 2, n - 1, n}):
            for level in [0.9, 0.95, 0.99]:
                alpha = 1 - level
                if k > 0:
                    a, b, p = k, n - k + 1, alpha / 2
                    rows.append([f"{SCIPY} beta.ppf(p, a, b)", "beta_quantile", g(p), g(a), g(b), g(stats.beta.ppf(p, a, b))])
                if k < n:
                    a, b, p = k + 1, n - k, 1 - alpha / 2
                    rows.append([f"{SCIPY} beta.ppf(p, a, b)", "beta_quantile", g(p), g(a), g(b), g(stats.beta.ppf(p, a, b))])
    # Far tails of beta quantiles, integer and non-integer shapes; points
    # where scipy's own root finder gives up (it warns) or the quantile
    # under/overflows to 0 or 1 are left out.
    for a, b in [(2, 9999), (3, 998), (5, 96), (30, 70), (0.5, 0.5), (2.5, 40.0)]:
        for p in [1e-300, 1e-100, 1e-30, 1e-10, 0.3, 0.7, 1 - 1e-10]:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                q = stats.beta.ppf(p, a, b)
            if not caught and 0 < q < 1:
                rows.append([f"{SCIPY} beta.ppf(p, a, b)", "beta_quantile", g(p), g(a), g(b), g(q)])
    write("dist.csv", ["source", "function", "x", "a", "b", "expected"], rows)


def binomial():
    rows = []
    for n in [1, 2, 5, 10, 17, 40, 100, 1000, 10000]:
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            for level in [0.9, 0.95]:
                for method, name in [
                    ("beta", "clopper-pearson"),
                    ("wilson", "wilson"),
                    ("normal", "wald"),
                    ("agresti_coull", "agresti-coull"),
                    ("jeffreys", "jeffreys"),
                ]:
                    lo, hi = proportion_confint(k, n, alpha=1 - level, method=method)
                    call = f"{SM} proportion_confint(k, n, alpha=1-level, method='{method}')"
                    rows.append([call, name, k, n, g(level), g(lo), g(hi)])
    write("binomial_statsmodels.csv", ["source", "method", "k", "n", "level", "lower", "upper"], rows)


def association(rossi):
    rows = []
    tables = [
        [[3, 1], [1, 3]], [[1, 9], [11, 3]], [[0, 5], [5, 0]], [[10, 2], [3, 15]], [[2, 7], [8, 2]],
        [[0, 0], [3, 4]], [[5, 0], [0, 0]], [[7, 12], [9, 11]], [[20, 15], [30, 40]], [[1, 2], [100, 50]],
    ]
    fin_arrest = pd.crosstab(rossi["fin"], rossi["arrest"]).to_numpy().tolist()
    tables.append(fin_arrest)
    for t in tables:
        res = stats.fisher_exact(t, alternative="two-sided")
        cond = stats.contingency.odds_ratio(t, kind="conditional").statistic if min(sum(t[0]), sum(t[1]), t[0][0] + t[1][0], t[0][1] + t[1][1]) > 0 else float("nan")
        key = f"{t[0][0]} {t[0][1]} {t[1][0]} {t[1][1]}"
        rows.append([f"{SCIPY} fisher_exact(table).pvalue", "fisher_p", key, "", g(res.pvalue)])
        rows.append([f"{SCIPY} contingency.odds_ratio(table, kind='conditional')", "fisher_or", key, "", g(cond)])
    samples = [
        ([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30], [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]),
        ([0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46], [1.15, 0.88, 0.90, 0.74, 1.21]),
        ([12.0, 7.5, 3.1, 8.8], [1.0, 2.2, 4.4, 0.3, 5.5, 6.1]),
        ([1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11, 12]),
        (list(rossi.loc[rossi.arrest == 1, "age"]), list(rossi.loc[rossi.arrest == 0, "age"])),
        (list(rossi.loc[rossi.fin == 1, "prio"]), list(rossi.loc[rossi.fin == 0, "prio"])),
    ]
    for i, (x, y) in enumerate(samples):
        key = " ".join(map(str, x)) + " | " + " ".join(map(str, y))
        ties = len(set(x) | set(y)) < len(x) + len(y)
        if not ties:
            r = stats.mannwhitneyu(x, y, alternative="two-sided", method="exact")
            rows.append([f"{SCIPY} mannwhitneyu(x, y, method='exact')", "mw_exact_p", key, g(r.statistic), g(r.pvalue)])
        r = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)
        rows.append([f"{SCIPY} mannwhitneyu(x, y, method='asymptotic', use_continuity=True)", "mw_normal_p", key, g(r.statistic), g(r.pvalue)])
    pairs = [
        ([1, 2, 3, 4, 5, 6, 7], [2, 1, 4, 3, 7, 5, 6]),
        ([10.1, 3.2, 5.5, 7.7, 1.0, 2.2, 9.9, 4.4], [0.5, 0.1, 0.9, 0.3, 0.2, 0.4, 0.8, 0.6]),
        ([1, 2, 2, 3, 4, 4, 4, 5, 6, 7], [3, 1, 2, 2, 5, 6, 4, 7, 7, 9]),
        (list(rossi["age"]), list(rossi["prio"])),
    ]
    for x, y in pairs:
        key = " ".join(map(str, x)) + " | " + " ".join(map(str, y))
        r = stats.spearmanr(x, y)
        rows.append([f"{SCIPY} spearmanr(x, y)", "spearman", key, g(r.statistic), g(r.pvalue)])
    write("association_scipy.csv", ["source", "test", "input", "statistic", "p_value"], rows)


ROSSI_TERMS = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]


def cox(rossi):
    rows = []
    X = rossi[ROSSI_TERMS].to_numpy(dtype=float)
    for ties in ["efron", "breslow"]:
        m = PHReg(rossi["week"].to_numpy(float), X, status=rossi["arrest"].to_numpy(float), ties=ties)
        r = m.fit(method="newton", maxiter=100, tol=1e-14)
        call = f"{SM} PHReg(week, X, status=arrest, ties='{ties}').fit(method='newton', tol=1e-14)"
        for term, b, se in zip(ROSSI_TERMS, r.params, r.bse):
            rows.append([call, "rossi", ties, "coef", term, g(b)])
            rows.append([call, "rossi", ties, "se", term, g(se)])
        rows.append([call, "rossi", ties, "loglik", "", g(r.llf)])
    cph = CoxPHFitter()
    cph.fit(rossi[["week", "arrest"] + ROSSI_TERMS], "week", "arrest",
            fit_options={"precision": 1e-14, "r_precision": 1e-16, "max_steps": 200})
    call = (f"{LL} CoxPHFitter().fit(rossi, 'week', 'arrest', "
            "fit_options={'precision': 1e-14, 'r_precision': 1e-16, 'max_steps': 200})")
    s = cph.summary
    for term in ROSSI_TERMS:
        rows.append([call, "rossi", "efron", "coef", term, g(s.loc[term, "coef"])])
        rows.append([call, "rossi", "efron", "se", term, g(s.loc[term, "se(coef)"])])
        rows.append([call, "rossi", "efron", "p", term, g(s.loc[term, "p"])])
    rows.append([call, "rossi", "efron", "loglik", "", g(cph.log_likelihood_)])
    lr = cph.log_likelihood_ratio_test()
    rows.append([call, "rossi", "efron", "lr", "", g(lr.test_statistic)])
    write("cox_python.csv", ["source", "dataset", "ties", "item", "term", "value"], rows)


def main():
    os.makedirs(OUT, exist_ok=True)
    rossi = load_rossi()
    rossi.to_csv(os.path.join(OUT, "rossi.csv"), index=False, columns=["week", "arrest"] + ROSSI_TERMS)
    dist()
    binomial()
    association(rossi)
    cox(rossi)


if __name__ == "__main__":
    main()
