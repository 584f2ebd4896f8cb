"""Reference values for cohortscope's comparison of two response rates, plain
and stratified (stats/src/two_proportions.rs, stats/src/stratified.rs):
statsmodels and scipy where they implement a method, and independent
high-precision implementations (mpmath, 50 digits) of the methods no
installable library gets right or has.

Run from the repository root, before tables.R (which reads counts.csv):

    python3 -m venv /tmp/tvenv && /tmp/tvenv/bin/pip install -r scripts/reference/requirements-tables.txt
    /tmp/tvenv/bin/python scripts/reference/tables.py

Writes tests/fixtures/tables/:

- generated_patients.csv: a seeded two-arm stratified data set (id, arm,
  stratum, responder), one row per patient;
- counts.csv: responders and patients per arm and per arm x stratum of every
  stratified data set (the ADaM one derived here from the ADaM CSV files);
- two_sample_python.csv, stratified_python.csv: results, long format, one
  value per row, with the library, its version and the call in `source`;
  numbers printed with 17 significant digits, "nan" where the library gives
  no finite value.

Methods written here from their publications (no installable library has
them, or has them right), all with mpmath at 50 significant digits:

- Miettinen-Nurminen (1985) score interval for p1 - p2. statsmodels 0.15's
  confint_proportions_2indep(method="score", correction=True) is NOT used: its
  restricted MLE comes from a cubic with a wrong coefficient (statsmodels
  issue 10269) and is up to 3e-3 off. Here the restricted MLE is found
  without any cubic: the log-likelihood under p1 - p2 = delta is maximised in
  p2 directly (it is concave, so its derivative is bisected), and the limits
  are where the score statistic (d - delta) / sqrt(V(delta)) equals -+z,
  V = (p1~(1 - p1~)/n1 + p2~(1 - p2~)/n2) * N/(N - 1), found by bisection.
- Anderson-Hauck (Hauck & Anderson 1986, The American Statistician 40,
  318-322; SAS PROC FREQ RISKDIFF(CL=HA)):
  d -+ (1/(2 min(n1, n2)) + z sqrt(p1(1-p1)/(n1-1) + p2(1-p2)/(n2-1))),
  clipped to [-1, 1] as SAS does; not defined for n1 or n2 = 1.
- Mantel-Haenszel risk difference with Sato's (1989) variance, as the SAS
  PROC FREQ documentation (COMMONRISKDIFF, "Mantel-Haenszel") states it.
"""

import csv
import os

import mpmath as mp
import numpy as np
import pandas as pd
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.contingency_tables import StratifiedTable, Table2x2
from statsmodels.stats.proportion import confint_proportions_2indep

OUT = "tests/fixtures/tables"
ADAM = "tests/fixtures/adam/random_cdisc_data"
SCIPY = f"scipy {scipy.__version__}"
SM = f"statsmodels {statsmodels.__version__}"
PD = f"pandas {pd.__version__}"
MP = f"mpmath {mp.__version__} (50 digits)"
NP = f"numpy {np.__version__}"

mp.mp.dps = 50

LEVELS = [0.95, 0.9, 0.99]

# (x1, n1, x2, n2): arm, then reference.
GRID = [
    # n = 1 and 2, every outcome
    (0, 1, 0, 1), (1, 1, 0, 1), (0, 1, 1, 1), (1, 1, 1, 1),
    (0, 2, 1, 2), (2, 2, 0, 2), (1, 2, 1, 2), (2, 2, 2, 2), (1, 1, 1, 2),
    # Newcombe (1998) Table II, examples (a)-(h)
    (56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29),
    (0, 10, 0, 20), (0, 10, 0, 10), (10, 10, 0, 20), (10, 10, 0, 10),
    # all responders in both arms, the reverse of (g)
    (10, 10, 20, 20), (0, 20, 10, 10),
    # SAS values quoted in tern's tests; an HIV trial (WUSS 2016 paper 127)
    (3, 4, 1, 2), (84, 101, 89, 105),
    # x = n/2, where R's prop.test drops the Wilson continuity correction
    (5, 10, 3, 6), (4, 8, 4, 8),
    # unequal n
    (1, 3, 7, 50), (0, 5, 4, 200), (15, 17, 2, 90), (5, 10, 50, 100), (36, 154, 12, 77),
    # large n
    (50000, 100000, 49000, 100000), (1, 100000, 0, 100000),
    (99999, 100000, 100000, 100000), (30000, 100000, 3, 10), (41, 100000, 17, 50000),
]


def g(x):
    """17 significant digits; nan for a missing or non-finite value."""
    if x is None:
        return "nan"
    x = float(x)
    return f"{x:.17g}" if np.isfinite(x) else "nan"


def write(name, header, rows):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


# ---------------------------------------------------------------- data sets


def generated():
    """Two arms, four strata of unequal size and response rate, 1:1 simple
    randomisation; the smallest stratum is sparse on purpose."""
    rng = np.random.default_rng(20240611)
    strata = [("S1", 150, 0.20), ("S2", 110, 0.35), ("S3", 90, 0.55), ("S4", 14, 0.10)]
    rows = []
    for stratum, size, control_rate in strata:
        for _ in range(size):
            arm = "Experimental" if rng.random() < 0.5 else "Control"
            rate = control_rate + (0.15 if arm == "Experimental" else 0.0)
            rows.append((arm, stratum, int(rng.random() < rate)))
    order = rng.permutation(len(rows))
    patients = [(f"P{i + 1:03d}",) + rows[j] for i, j in enumerate(order)]
    write("generated_patients.csv", ["id", "arm", "stratum", "responder"], patients)
    return pd.DataFrame(patients, columns=["id", "arm", "stratum", "responder"])


def adam():
    """Best overall response per subject: ADRS PARAMCD == "BESRSPI" (best
    confirmed overall response by investigator; this ADRS has no "BOR"
    parameter), one row per subject; responder = AVALC in {CR, PR}; arm and
    stratum from ADSL (ARM, STRATA1); every subject with such a row in the
    denominator (all 400 ADSL subjects have one)."""
    adsl = pd.read_csv(os.path.join(ADAM, "adsl.csv"), dtype=str, keep_default_na=False)
    adrs = pd.read_csv(os.path.join(ADAM, "adrs.csv"), dtype=str, keep_default_na=False)
    bor = adrs[adrs["PARAMCD"] == "BESRSPI"]
    assert bor["USUBJID"].is_unique
    assert set(bor["AVALC"]) == {"CR", "PR", "SD"}, set(bor["AVALC"])
    d = bor[["USUBJID", "AVALC"]].merge(adsl[["USUBJID", "ARM", "STRATA1"]], on="USUBJID", validate="1:1")
    assert len(d) == len(adsl) == 400
    d["responder"] = d["AVALC"].isin(["CR", "PR"]).astype(int)
    return d.rename(columns={"ARM": "arm", "STRATA1": "stratum"})[["arm", "stratum", "responder"]]


# Stratified data sets given as counts: (stratum, arm x, arm n, reference x, reference n).
COUNT_SETS = {
    # SAS/STAT User's Guide, PROC FREQ, example "Cochran-Mantel-Haenszel
    # Statistics" (Migraine data): Active vs Placebo, Better = responder.
    "migraine": ("Active", "Placebo", "SAS/STAT PROC FREQ example 'Cochran-Mantel-Haenszel Statistics' (Migraine)",
                 [("female", 16, 27, 5, 25), ("male", 12, 28, 7, 26)]),
    # Agresti (2013), Categorical Data Analysis 3rd ed., p. 226: eight
    # centres, Drug vs Control (Beitler & Landis 1985), as transcribed in the
    # GSK-Biostatistics/cicalc tests.
    "agresti_centres": ("Drug", "Control", "Agresti (2013) Categorical Data Analysis, 3rd ed., p. 226",
                        [("1", 11, 36, 10, 37), ("2", 16, 20, 22, 32), ("3", 14, 19, 7, 19), ("4", 2, 16, 1, 17),
                         ("5", 6, 17, 0, 12), ("6", 1, 11, 0, 10), ("7", 1, 5, 1, 9), ("8", 4, 6, 6, 7)]),
    # Edges: a single-patient stratum (T2), a stratum without arm patients
    # (T3), one without responders (T4) and one of responders only (T5).
    "edge": ("Arm", "Reference", "hand-made edge cases",
             [("T1", 3, 10, 1, 9), ("T2", 1, 1, 0, 0), ("T3", 0, 0, 2, 5), ("T4", 0, 4, 0, 6), ("T5", 3, 3, 2, 2)]),
}

# (data set, arm, reference arm)
COMPARISONS = [
    ("random_cdisc_data", "A: Drug X", "B: Placebo"),
    ("random_cdisc_data", "C: Combination", "B: Placebo"),
    ("generated", "Experimental", "Control"),
    ("migraine", "Active", "Placebo"),
    ("agresti_centres", "Drug", "Control"),
    ("edge", "Arm", "Reference"),
]


def counts(patients, adam_d):
    """Rows (source, dataset, arm, stratum, responders, patients) and the
    same as a dict {(dataset, arm, stratum): (x, n)}; stratum "all" is the arm."""
    rows, table = [], {}

    def add(source, dataset, arm, stratum, x, n):
        rows.append([source, dataset, arm, stratum, int(x), int(n)])
        table[(dataset, arm, stratum)] = (int(x), int(n))

    for dataset, d, source in [
        ("random_cdisc_data", adam_d,
         f"{PD} adrs.csv PARAMCD == 'BESRSPI' x adsl.csv (ARM, STRATA1); responder = AVALC in (CR, PR)"),
        ("generated", patients, f"{PD} generated_patients.csv ({NP} default_rng(20240611))"),
    ]:
        for arm in sorted(d["arm"].unique()):
            a = d[d["arm"] == arm]
            add(source, dataset, arm, "all", a["responder"].sum(), len(a))
            for stratum in sorted(d["stratum"].unique()):
                s = a[a["stratum"] == stratum]
                add(source, dataset, arm, stratum, s["responder"].sum(), len(s))
    for dataset, (arm, ref, source, strata) in COUNT_SETS.items():
        for who, col in [(arm, 1), (ref, 3)]:
            add(source, dataset, who, "all", sum(s[col] for s in strata), sum(s[col + 1] for s in strata))
            for s in strata:
                add(source, dataset, who, s[0], s[col], s[col + 1])
    write("counts.csv", ["source", "dataset", "arm", "stratum", "responders", "patients"], rows)
    return table


def strata_of(table, dataset, arm, ref):
    names = sorted({k[2] for k in table if k[0] == dataset and k[2] != "all"})
    return [(s,) + table[(dataset, arm, s)] + table[(dataset, ref, s)] for s in names]


# ------------------------------------------------------- independent methods


def z_of(level):
    return mp.sqrt(2) * mp.erfinv(mp.mpf(level))


def restricted_mle(x1, n1, x2, n2, delta):
    """(p1~, p2~) maximising the binomial log-likelihood under p1 - p2 = delta,
    by bisection of the (decreasing) derivative of the log-likelihood in p2
    over max(0, -delta) <= p2 <= min(1, 1 - delta); no cubic."""
    lo, hi = max(mp.mpf(0), -delta), min(mp.mpf(1), 1 - delta)

    def slope(p2):
        p1 = p2 + delta
        s = mp.mpf(0)
        if x1:
            s += x1 / p1
        if n1 - x1:
            s -= (n1 - x1) / (1 - p1)
        if x2:
            s += x2 / p2
        if n2 - x2:
            s -= (n2 - x2) / (1 - p2)
        return s

    for _ in range(400):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if slope(mid) > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo < mp.mpf(10) ** (-mp.mp.dps + 2):
            break
    p2 = (lo + hi) / 2
    return p2 + delta, p2


def mn_score(x1, n1, x2, n2, delta):
    p1t, p2t = restricted_mle(x1, n1, x2, n2, delta)
    N = n1 + n2
    v = (p1t * (1 - p1t) / n1 + p2t * (1 - p2t) / n2) * mp.mpf(N) / (N - 1)
    d = mp.mpf(x1) / n1 - mp.mpf(x2) / n2
    if v <= 0:
        return mp.inf if d > delta else -mp.inf
    return (d - delta) / mp.sqrt(v)


def bisect(f, lo, hi):
    """Root of f on (lo, hi), f(lo) > 0 > f(hi), f evaluated inside only."""
    for _ in range(400):
        mid = (lo + hi) / 2
        if f(mid) > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo < mp.mpf(10) ** (-40):
            break
    return (lo + hi) / 2


def miettinen_nurminen(x1, n1, x2, n2, level):
    z = z_of(level)
    d = mp.mpf(x1) / n1 - mp.mpf(x2) / n2
    lower = mp.mpf(-1) if d == -1 else bisect(lambda t: mn_score(x1, n1, x2, n2, t) - z, mp.mpf(-1), d)
    upper = mp.mpf(1) if d == 1 else bisect(lambda t: mn_score(x1, n1, x2, n2, t) + z, d, mp.mpf(1))
    return lower, upper


def anderson_hauck(x1, n1, x2, n2, level):
    if n1 < 2 or n2 < 2:
        return None, None
    z = z_of(level)
    p1, p2 = mp.mpf(x1) / n1, mp.mpf(x2) / n2
    half = 1 / mp.mpf(2 * min(n1, n2)) + z * mp.sqrt(p1 * (1 - p1) / (n1 - 1) + p2 * (1 - p2) / (n2 - 1))
    return max(p1 - p2 - half, mp.mpf(-1)), min(p1 - p2 + half, mp.mpf(1))


def sato(strata, level):
    """Mantel-Haenszel risk difference, Sato's variance (SAS PROC FREQ
    COMMONRISKDIFF): strata of fewer than 2 patients contribute nothing."""
    sw = sd = sp = sq = mp.mpf(0)
    for _, x1, n1, x2, n2 in strata:
        n = n1 + n2
        if n < 2:
            continue
        x1, n1, x2, n2, n = map(mp.mpf, (x1, n1, x2, n2, n))
        sw += n1 * n2 / n
        sd += (x1 * n2 - x2 * n1) / n
        sp += (n1 ** 2 * x2 - n2 ** 2 * x1 + n1 * n2 * (n2 - n1) / 2) / n ** 2
        sq += (x1 * (n2 - x2) + x2 * (n1 - x1)) / (2 * n)
    if sw == 0:
        return None
    d = sd / sw
    var = (d * sp + sq) / sw ** 2
    se = mp.sqrt(var)
    z = z_of(level)
    return d, se, d - z * se, d + z * se


# ----------------------------------------------------------------- results


def two_sample(tables):
    rows = []
    call_w = f"{SM} confint_proportions_2indep(x1, n1, x2, n2, method='wald', compare='diff', alpha=1-level)"
    call_n = f"{SM} confint_proportions_2indep(x1, n1, x2, n2, method='newcomb', compare='diff', alpha=1-level)"
    call_mn = f"{MP} Miettinen-Nurminen score interval, restricted MLE by direct maximisation (tables.py)"
    call_ah = f"{MP} Anderson-Hauck, clipped to [-1, 1] (tables.py)"
    call_or = f"{SM} Table2x2([[x1, n1-x1], [x2, n2-x2]], shift_zeros=False).oddsratio, .oddsratio_confint(alpha=1-level)"
    call_chi = f"{SCIPY} chi2_contingency([[x1, n1-x1], [x2, n2-x2]], correction=False)"
    call_f = f"{SCIPY} fisher_exact([[x1, n1-x1], [x2, n2-x2]]).pvalue"
    for dataset, (x1, n1, x2, n2) in tables:
        key = [dataset, x1, n1, x2, n2]
        t = [[x1, n1 - x1], [x2, n2 - x2]]
        for level in LEVELS:
            lv = g(level)
            lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="wald", compare="diff", alpha=1 - level)
            rows += [[call_w] + key + [lv, "wald", "lower", g(lo)], [call_w] + key + [lv, "wald", "upper", g(hi)]]
            lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=1 - level)
            rows += [[call_n] + key + [lv, "newcombe", "lower", g(lo)], [call_n] + key + [lv, "newcombe", "upper", g(hi)]]
            lo, hi = miettinen_nurminen(x1, n1, x2, n2, level)
            rows += [[call_mn] + key + [lv, "miettinen-nurminen", "lower", g(lo)],
                     [call_mn] + key + [lv, "miettinen-nurminen", "upper", g(hi)]]
            lo, hi = anderson_hauck(x1, n1, x2, n2, level)
            rows += [[call_ah] + key + [lv, "anderson-hauck", "lower", g(lo)],
                     [call_ah] + key + [lv, "anderson-hauck", "upper", g(hi)]]
            if min(x1, n1 - x1, x2, n2 - x2) > 0:
                or_ = Table2x2(np.array(t, dtype=float), shift_zeros=False)
                lo, hi = or_.oddsratio_confint(alpha=1 - level)
                rows += [[call_or] + key + [lv, "odds-ratio", "estimate", g(or_.oddsratio)],
                         [call_or] + key + [lv, "odds-ratio", "lower", g(lo)],
                         [call_or] + key + [lv, "odds-ratio", "upper", g(hi)]]
            else:
                rows.append([call_or] + key + [lv, "odds-ratio", "estimate", "nan"])
        if min(n1, n2, x1 + x2, n1 + n2 - x1 - x2) > 0:
            chi = stats.chi2_contingency(t, correction=False)
            rows += [[call_chi] + key + ["", "pearson", "statistic", g(chi.statistic)],
                     [call_chi] + key + ["", "pearson", "p_value", g(chi.pvalue)]]
        else:
            rows.append([call_chi] + key + ["", "pearson", "statistic", "nan"])
        rows.append([call_f] + key + ["", "fisher", "p_value", g(stats.fisher_exact(t).pvalue)])
    write("two_sample_python.csv",
          ["source", "dataset", "x1", "n1", "x2", "n2", "level", "method", "item", "value"], rows)


def stratified(table):
    rows = []
    call_st = (f"{SM} StratifiedTable(tables of strata with >= 2 patients)"
               ".test_null_odds(correction=False), .oddsratio_pooled, .oddsratio_pooled_confint(alpha=1-level)")
    call_rd = f"{MP} Mantel-Haenszel risk difference, Sato variance (SAS COMMONRISKDIFF formula; tables.py)"
    for dataset, arm, ref in COMPARISONS:
        strata = strata_of(table, dataset, arm, ref)
        key = [dataset, arm, ref]
        used = [s for s in strata if s[2] + s[4] >= 2]
        st = StratifiedTable([np.array([[x1, n1 - x1], [x2, n2 - x2]], dtype=float) for _, x1, n1, x2, n2 in used])
        test = st.test_null_odds(correction=False)
        rows += [[call_st] + key + ["", "cmh", "statistic", g(test.statistic)],
                 [call_st] + key + ["", "cmh", "p_value", g(test.pvalue)]]
        for level in LEVELS:
            lv = g(level)
            lo, hi = st.oddsratio_pooled_confint(alpha=1 - level)
            rows += [[call_st] + key + [lv, "mh-odds-ratio", "estimate", g(st.oddsratio_pooled)],
                     [call_st] + key + [lv, "mh-odds-ratio", "lower", g(lo)],
                     [call_st] + key + [lv, "mh-odds-ratio", "upper", g(hi)]]
            d, se, lo, hi = sato(strata, level)
            rows += [[call_rd] + key + [lv, "mh-risk-difference", item, g(v)]
                     for item, v in [("estimate", d), ("std_err", se), ("lower", lo), ("upper", hi)]]
    write("stratified_python.csv", ["source", "dataset", "arm", "reference", "level", "method", "item", "value"], rows)


def main():
    os.makedirs(OUT, exist_ok=True)
    patients = generated()
    table = counts(patients, adam())
    tables = [("grid", t) for t in GRID]
    for dataset, arm, ref in COMPARISONS:
        tables.append((f"{dataset} {arm} vs {ref}", table[(dataset, arm, "all")] + table[(dataset, ref, "all")]))
    two_sample(tables)
    stratified(table)


if __name__ == "__main__":
    main()
