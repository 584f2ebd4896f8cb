"""Reference values for stats/src/km.rs and stats/src/logrank.rs from
lifelines and statsmodels.

Run from the repository root, in an environment made from
scripts/reference/requirements.txt, in this order:

    python scripts/reference/survival.py      # writes the lifelines data sets
    Rscript scripts/reference/survival.R      # writes R's data sets and the R references
    python scripts/reference/survival.py      # references on every data set

It writes lifelines' data sets to tests/fixtures/survival/data/<name>.csv
(time,status,group,stratum; 0-based group and stratum indices, labels in the
comment header) and computes, on every data set there, the lifelines and
statsmodels references written to tests/fixtures/survival/{lifelines,statsmodels}_*.csv.
`edge_roundoff` is skipped: neither library ties up times equal up to
round-off (R's aeqSurv), so they answer another question there.
Expected values are never edited by hand.
"""

import glob
import math
import os
import platform

import lifelines
import numpy as np
import pandas as pd
import statsmodels
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_gbsg2, load_lymphoma, load_rossi, load_waltons
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import median_survival_times, qth_survival_times
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

OUT = "tests/fixtures/survival"
DATA = os.path.join(OUT, "data")
VERSIONS = (
    f"# lifelines {lifelines.__version__}, statsmodels {statsmodels.__version__}, "
    f"numpy {np.__version__}, pandas {pd.__version__}, Python {platform.python_version()}"
)
PROBS = [0.25, 0.5, 0.75]


def num(x):
    if x is None:
        return "NA"
    x = float(x)
    return "NA" if not math.isfinite(x) else repr(x)


def write_data(name, source, time, status, group, stratum):
    g = pd.Categorical(group)
    s = pd.Categorical(stratum)
    lines = [
        f"# data set {name}: {source}",
        VERSIONS,
        "# group labels (0..): " + " | ".join(str(c) for c in g.categories),
        "# stratum labels (0..): " + " | ".join(str(c) for c in s.categories),
        "time,status,group,stratum",
    ]
    for t, e, gi, si in zip(time, status, g.codes, s.codes):
        lines.append(f"{num(t)},{int(e)},{gi},{si}")
    with open(os.path.join(DATA, name + ".csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


def export():
    os.makedirs(DATA, exist_ok=True)
    w = load_waltons()
    write_data("waltons", "lifelines.datasets.load_waltons(): T, E, group", w["T"], w["E"], w["group"], [1] * len(w))
    r = load_rossi()
    write_data("rossi", "lifelines.datasets.load_rossi(): week, arrest, group fin, strata race",
               r["week"], r["arrest"], r["fin"], r["race"])
    b = load_gbsg2()
    write_data("gbsg2", "lifelines.datasets.load_gbsg2(): time, cens, group tgrade, strata horTh",
               b["time"], b["cens"], b["tgrade"], b["horTh"])
    ly = load_lymphoma()
    write_data("lymphoma", "lifelines.datasets.load_lymphoma(): Time, Censor, group Stage_group",
               ly["Time"], ly["Censor"], ly["Stage_group"], [1] * len(ly))


def read(path):
    d = pd.read_csv(path, comment="#")
    return d["time"].to_numpy(float), d["status"].to_numpy(int), d["group"].to_numpy(int), d["stratum"].to_numpy(int)


def lifelines_refs(name, time, status, group, km, qu, lr):
    kmf = KaplanMeierFitter(alpha=0.05).fit(time, status)
    et = kmf.event_table
    sf = kmf.survival_function_.iloc[:, 0]
    ci = kmf.confidence_interval_
    for t, row in et.iterrows():
        if row["removed"] == 0:
            continue
        km.append(",".join([name, num(t), str(int(row["at_risk"])), str(int(row["observed"])),
                            str(int(row["censored"])), num(sf.loc[t]), num(ci.iloc[:, 0].loc[t]),
                            num(ci.iloc[:, 1].loc[t])]))
    for p in PROBS:
        est = qth_survival_times(1 - p, kmf.survival_function_)
        est = est.iloc[0, 0] if isinstance(est, pd.DataFrame) else est
        lims = qth_survival_times(1 - p, ci)
        # lims columns: [lower-bound curve, upper-bound curve]; the lower curve
        # reaches 1-p first, so it gives the lower limit of the quantile.
        lo, hi = lims.iloc[0, 0], lims.iloc[0, 1]
        qu.append(",".join([name, str(p), num(est), num(lo), num(hi),
                            "\"qth_survival_times(1 - p, survival_function_ / confidence_interval_)\""]))
    k = len(set(group))
    if k < 2 or status.sum() == 0:
        return
    if k == 2:
        a, b = group == 0, group == 1
        res = logrank_test(time[a], time[b], status[a], status[b])
        lr.append(",".join([name, "lifelines", "logrank_test", "logrank", "0", "0", "FALSE",
                            num(res.test_statistic), "1", num(res.p_value), "", ""]))
    for weight, p, q, kw in [
        ("logrank", 0, 0, {}),
        ("gehan-breslow", 0, 0, {"weightings": "wilcoxon"}),
        ("tarone-ware", 0, 0, {"weightings": "tarone-ware"}),
        ("fh", 1, 0, {"weightings": "fleming-harrington", "p": 1, "q": 0}),
        ("fh", 0, 1, {"weightings": "fleming-harrington", "p": 0, "q": 1}),
        ("fh", 1, 1, {"weightings": "fleming-harrington", "p": 1, "q": 1}),
        ("fh", 0.5, 0.5, {"weightings": "fleming-harrington", "p": 0.5, "q": 0.5}),
    ]:
        res = multivariate_logrank_test(time, group, status, **kw)
        call = "multivariate_logrank_test(" + ", ".join(f"{a}={b!r}" for a, b in kw.items()) + ")"
        lr.append(",".join([name, "lifelines", f'"{call}"', weight, str(p), str(q), "FALSE",
                            num(res.test_statistic), str(res.degrees_of_freedom), num(res.p_value), "", ""]))


def statsmodels_refs(name, time, status, group, stratum, km, qu, lr):
    if status.sum() > 0:
        sf = SurvfuncRight(time, status)
        for t, n, d, s, se in zip(sf.surv_times, sf.n_risk, sf.n_events, sf.surv_prob, sf.surv_prob_se):
            km.append(",".join([name, num(t), str(int(n)), str(int(d)), num(s), num(se) if s > 0 else "NA"]))
        for method, transform in [("cloglog", "log-log"), ("log", "log"), ("linear", "plain")]:
            for p in PROBS:
                est = sf.quantile(p)
                with np.errstate(all="ignore"):
                    lo, hi = sf.quantile_ci(p, alpha=0.05, method=method)
                qu.append(",".join([name, transform, str(p), num(est), num(lo), num(hi),
                                    f"\"quantile(p), quantile_ci(p, alpha=0.05, method='{method}')\""]))
    k = len(set(group))
    if k < 2 or status.sum() == 0:
        return
    strata_options = [False, True] if len(set(stratum)) > 1 else [False]
    for weight, p, kw in [("logrank", 0, {}), ("gehan-breslow", 0, {"weight_type": "gb"}),
                          ("tarone-ware", 0, {"weight_type": "tw"}), ("fh", 1, {"weight_type": "fh", "fh_p": 1}),
                          ("fh", 0.5, {"weight_type": "fh", "fh_p": 0.5})]:
        for stratified in strata_options:
            args = dict(kw)
            if stratified:
                args["strata"] = stratum
            with np.errstate(all="ignore"):
                chisq, pvalue = survdiff(time, status, group, **args)
            shown = ", ".join(f"{a}={b!r}" for a, b in kw.items()) + (", strata=stratum" if stratified else "")
            lr.append(",".join([name, "statsmodels", f'"survdiff(time, status, group{", " if shown else ""}{shown})"',
                                weight, str(p), "0", "TRUE" if stratified else "FALSE", num(chisq), str(k - 1),
                                num(pvalue), "", ""]))


def main():
    export()
    km_l, qu_l, km_s, qu_s, lr = [], [], [], [], []
    for path in sorted(glob.glob(os.path.join(DATA, "*.csv"))):
        name = os.path.basename(path)[:-4]
        if name == "edge_roundoff":
            continue
        time, status, group, stratum = read(path)
        lifelines_refs(name, time, status, group, km_l, qu_l, lr)
        statsmodels_refs(name, time, status, group, stratum, km_s, qu_s, lr)

    def write(file, note, header, rows):
        with open(os.path.join(OUT, file), "w") as f:
            f.write("\n".join([VERSIONS, note, header] + rows) + "\n")

    write("lifelines_km.csv",
          "# KaplanMeierFitter(alpha=0.05).fit(time, status): event_table rows with removed > 0, survival_function_, confidence_interval_ (log-log)",
          "dataset,time,n_risk,n_event,n_censor,survival,lower,upper", km_l)
    write("lifelines_quantile.csv",
          "# estimate: first time with S <= 1 - p; limits: the same rule applied to the confidence-interval curves",
          "dataset,p,estimate,lower,upper,call", qu_l)
    write("statsmodels_km.csv",
          "# SurvfuncRight(time, status): event times only; surv_prob_se is the Greenwood SE of S",
          "dataset,time,n_risk,n_event,survival,std_err", km_s)
    write("statsmodels_quantile.csv",
          "# SurvfuncRight.quantile (first event time with S < 1 - p, strict) and quantile_ci (Brookmeyer-Crowley as SAS)",
          "dataset,transform,p,estimate,lower,upper,call", qu_s)
    write("py_logrank.csv",
          "# lifelines logrank_test / multivariate_logrank_test and statsmodels survdiff; observed/expected not reported by these calls",
          "dataset,library,call,weight,p,q,stratified,statistic,df,p_value,observed,expected", lr)


if __name__ == "__main__":
    main()
