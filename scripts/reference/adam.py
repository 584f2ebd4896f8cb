"""Reference analyses of the ADaM fixtures in tests/fixtures/adam/ (pandas,
statsmodels, lifelines, scipy; not cohortscope).

Run from the repository root, in an environment made from
scripts/reference/requirements-adam.txt:

    .venv-adam/bin/python scripts/reference/adam.py

Reads the CSV copies tests/fixtures/adam/{pharmaverseadam,random_cdisc_data}/
{adsl,adrs,adtte}.csv (every cell as text) and writes

- tests/fixtures/adam/expected_analysis.csv  (case,group,quantity,value,source)
- tests/fixtures/adam/expected_counts.csv    (case,quantity,value)

Cases (CASES below): a dataset, a population flag of ADSL (subjects with the
flag = "Y"), a best-response PARAMCD of ADRS and an arm variable of ADSL.
Each case has one block for all population subjects (group empty) and one per
arm value, arms in byte order of the label's UTF-8 text.

Quantities of a block:

- n: subjects.
- response.CR/PR/SD/PD/NE: the AVALC of the subject's ADRS row with the
  case's PARAMCD; NON-CR/NON-PD counts as SD, MISSING as NE. A subject without
  such a row has no response and is not counted.
- orr.k/n/estimate/lower/upper: ORR = (CR + PR) / (subjects with a response,
  NE included), exact (Clopper-Pearson) 95% interval from statsmodels
  proportion_confint(k, n, alpha=0.05, method="beta"); dcr.* the same for
  CR + PR + SD. All five empty when n = 0.
- For every ADTTE parameter that is a time (AVALU absent or DAYS; a COUNT
  parameter such as TNE is skipped), endpoint key os (OS), pfs (PFS), efs
  (EFS) or dor (RSD, CRSD, DOR); time in months = AVAL (days) / 30.4375,
  event = (CNSR == 0); the block's subjects with a row for the parameter.
  <key>.n, <key>.events;
  <key>.median: the smallest event time t with S(t) <= 0.5, except where S is
  0.5 exactly (|S - 0.5| <= 1e-9) on the step starting at t: then the
  midpoint of t and the next event time, or of t and the largest observed
  time (event or censoring) when S never drops again, as R's
  quantile.survfit does (survival:::findq). Computed here from lifelines'
  survival_function_. Empty when not reached.
  <key>.median_lower/upper: Brookmeyer-Crowley, log-log transform, 95%:
  statsmodels SurvfuncRight(time, status).quantile_ci(0.5, alpha=0.05,
  method="cloglog"); inf and nan written as empty.
  <key>.s6/s12/s24 and _lower/_upper: Kaplan-Meier S(t) at 6, 12, 24 months
  and lifelines' confidence_interval_ (the log(-log), "exponential
  Greenwood", 95% interval), each as a step function at t (the value of the
  last step at or before t). Empty when t is after the largest observed time
  (event or censoring) of the block.

Conventions worth a test of their own:

- Flat 0.5 medians (S = 0.5 exactly on a step, so the midpoint rule applies):
  exactly the blocks in FLAT_HALF below; the script asserts that the list is
  complete.
  * pharmaverse_saffl_cbor_arm and pharmaverse_saffl_bor_actarm, group "",
    dor (RSD, 4 subjects): the one event, at 43 days, has 2 at risk, S = 0.5
    from there on and no later event, so the median is the midpoint of that
    event time and the largest observed time.
  * the same two cases, group "Xanomeline Low Dose", pfs: 81 of 84 subjects
    censored at day 1, then an event with 2 at risk (S = 0.5) and a later
    censoring only; the median is the midpoint of the event time (61 days)
    and that censoring (64 days).
  * random_ittfl_besrspi_arm and random_saffl_invet_actarm, group
    "C: Combination", os: no censoring before the median, so S = 66/132,
    computed as 0.49999999999999994; the median is the midpoint of the 66th
    and 67th event times.
- Where S(t) = 1 at a milestone (no event at or before t), lifelines gives
  lower = upper = 1.0 (R's log-log interval is NA there); that is what is
  written. The blocks where this happens are listed in the comment lines at
  the top of expected_analysis.csv.

Cross-checks (asserts): the median against lifelines' median_survival_time_
(equal off the flat-0.5 case) and against statsmodels' quantile(0.5); S at
the milestones against statsmodels' SurvfuncRight surv_prob; lifelines'
log(-log) limits against the formula from its own event table; the
Clopper-Pearson limits against scipy.stats.beta.ppf; the event and response
counts against each other.
"""

import csv
import math
import os
import platform

import lifelines
import numpy as np
import pandas as pd
import scipy
import statsmodels
from lifelines import KaplanMeierFitter
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight
from statsmodels.stats.proportion import proportion_confint

ROOT = "tests/fixtures/adam"
CASES = [
    # id, dataset, population flag, best-response PARAMCD, arm variable
    ("pharmaverse_saffl_cbor_arm", "pharmaverseadam", "SAFFL", "CBOR", "ARM"),
    ("pharmaverse_saffl_bor_actarm", "pharmaverseadam", "SAFFL", "BOR", "ACTARM"),
    ("random_ittfl_besrspi_arm", "random_cdisc_data", "ITTFL", "BESRSPI", "ARM"),
    ("random_saffl_invet_actarm", "random_cdisc_data", "SAFFL", "INVET", "ACTARM"),
]
RESPONSE = {"CR": "CR", "PR": "PR", "SD": "SD", "PD": "PD", "NE": "NE", "NON-CR/NON-PD": "SD", "MISSING": "NE"}
CATEGORIES = ["CR", "PR", "SD", "PD", "NE"]
ENDPOINT = {"OS": "os", "PFS": "pfs", "EFS": "efs", "RSD": "dor", "CRSD": "dor", "DOR": "dor"}
ENDPOINT_ORDER = ["os", "pfs", "efs", "dor"]
TIME_UNITS = {"": 1.0, "DAYS": 1.0}  # AVALU -> days per unit
DAYS_PER_MONTH = 30.4375
MILESTONES = [6, 12, 24]
HALF_TOL = 1e-9
# (case, group, endpoint) where S = 0.5 exactly on a step at the median.
FLAT_HALF = {
    ("pharmaverse_saffl_cbor_arm", "", "dor"),
    ("pharmaverse_saffl_bor_actarm", "", "dor"),
    ("pharmaverse_saffl_cbor_arm", "Xanomeline Low Dose", "pfs"),
    ("pharmaverse_saffl_bor_actarm", "Xanomeline Low Dose", "pfs"),
    ("random_ittfl_besrspi_arm", "C: Combination", "os"),
    ("random_saffl_invet_actarm", "C: Combination", "os"),
}

PD_ = f"pandas {pd.__version__}"
SM = f"statsmodels {statsmodels.__version__}"
LL = f"lifelines {lifelines.__version__}"
SP = f"scipy {scipy.__version__}"
VERSIONS = (f"# {LL}, {SM}, {SP}, numpy {np.__version__}, {PD_}, Python {platform.python_version()}")


def num(x):
    """repr(float) for a finite value, "" for None, nan and inf."""
    if x is None:
        return ""
    x = float(x)
    return repr(x) if math.isfinite(x) else ""


def read(study, name):
    return pd.read_csv(os.path.join(ROOT, study, name + ".csv"), dtype=str, keep_default_na=False,
                       na_filter=False, encoding="utf-8")


def byte_order(labels):
    return sorted(set(labels), key=lambda s: s.encode("utf-8"))


def first_appearance(values):
    return list(dict.fromkeys(values))


def time_parameters(adtte):
    """[(PARAMCD, key)] of the time-to-event parameters, in ENDPOINT_ORDER; skipped COUNT etc."""
    keys, skipped = {}, []
    for code in first_appearance(adtte["PARAMCD"]):
        units = set(adtte.loc[adtte["PARAMCD"] == code, "AVALU"]) if "AVALU" in adtte else {""}
        assert len(units) == 1, (code, units)
        unit = units.pop()
        if unit not in TIME_UNITS:
            assert unit == "COUNT", (code, unit)
            skipped.append(code)
            continue
        key = ENDPOINT[code]
        assert key not in keys, (key, code, keys)
        keys[key] = code
    return [(keys[k], k) for k in ENDPOINT_ORDER if k in keys], skipped


def one_row_per_subject(frame, what):
    dup = frame["USUBJID"].duplicated()
    assert not dup.any(), (what, list(frame.loc[dup, "USUBJID"]))
    return frame.set_index("USUBJID")


def binomial(rows, case, group, name, k, n):
    def add(q, v, s):
        rows.append([case, group, f"{name}.{q}", v, s])

    call = f"{SM} proportion_confint(k, n, alpha=0.05, method='beta')"
    if n == 0:
        for q in ["k", "n", "estimate", "lower", "upper"]:
            add(q, "", "n = 0: undefined")
        return
    lo, hi = proportion_confint(k, n, alpha=0.05, method="beta")
    # scipy: Clopper-Pearson limits are beta quantiles.
    lo_b = stats.beta.ppf(0.025, k, n - k + 1) if k > 0 else 0.0
    hi_b = stats.beta.ppf(0.975, k + 1, n - k) if k < n else 1.0
    assert math.isclose(lo, lo_b, rel_tol=1e-12, abs_tol=1e-15) and math.isclose(hi, hi_b, rel_tol=1e-12), (k, n, lo, lo_b, hi, hi_b)
    add("k", str(k), f"{PD_} count")
    add("n", str(n), f"{PD_} count")
    add("estimate", num(k / n), "k / n")
    add("lower", num(lo), call)
    add("upper", num(hi), call)


def median_from_km(sf, event_times, last_time):
    """The median by the rule in the module doc string, from lifelines' survival_function_."""
    s = sf.iloc[:, 0]
    for t in event_times:
        st = float(s.loc[t])
        if st <= 0.5 + HALF_TOL:
            if abs(st - 0.5) <= HALF_TOL:
                later = [u for u in event_times if u > t]
                return (t + (later[0] if later else last_time)) / 2, True
            return t, False
    return None, False


def step_at(series, t):
    return float(series.loc[series.index <= t].iloc[-1])


def survival(rows, notes, case, group, key, code, time, event):
    def add(q, v, s):
        rows.append([case, group, f"{key}.{q}", v, s])

    n = len(time)
    add("n", str(n), f"{PD_} ADTTE rows with PARAMCD == '{code}' of the block's subjects")
    add("events", str(int(event.sum())), f"{PD_} rows with CNSR == 0")
    km_call = f"{LL} KaplanMeierFitter(alpha=0.05).fit(AVAL / 30.4375, CNSR == 0)"
    if n == 0:
        for q in ["median", "median_lower", "median_upper"] + [f"s{t}{x}" for t in MILESTONES for x in ["", "_lower", "_upper"]]:
            add(q, "", "no subjects")
        return None
    kmf = KaplanMeierFitter(alpha=0.05).fit(time, event)
    sf, ci = kmf.survival_function_, kmf.confidence_interval_
    et = kmf.event_table
    assert int(et["observed"].sum()) == int(event.sum())
    event_times = [float(t) for t in et.index if et.loc[t, "observed"] > 0]

    med, flat = median_from_km(sf, event_times, float(time.max()))
    ll_med = float(kmf.median_survival_time_)
    if flat:
        assert (case, group, key) in FLAT_HALF, (case, group, key)
        assert ll_med == min(t for t in event_times if sf.iloc[:, 0].loc[t] <= 0.5 + HALF_TOL)
    else:
        assert (case, group, key) not in FLAT_HALF, (case, group, key)
        assert (med is None and ll_med == math.inf) or med == ll_med, (case, group, key, med, ll_med)
    sm = SurvfuncRight(time, event)
    with np.errstate(all="ignore"):
        sm_med = sm.quantile(0.5)
        lo, hi = sm.quantile_ci(0.5, alpha=0.05, method="cloglog")
    if not flat:
        # statsmodels' quantile takes the first time with S < 0.5 (strict); the
        # same time here, since S is never 0.5 within 1e-9 off FLAT_HALF.
        assert (med is None and not np.isfinite(sm_med)) or med == sm_med, (case, group, key, med, sm_med)
    rule = ("first event time with S <= 0.5 from survival_function_; midpoint with the next event time "
            "(or the largest observed time) where S == 0.5 (|S - 0.5| <= 1e-9)")
    add("median", num(med), f"{km_call}: {rule}" + (" [flat 0.5]" if flat else ""))
    ci_call = f"{SM} SurvfuncRight(time, status).quantile_ci(0.5, alpha=0.05, method='cloglog')"
    add("median_lower", num(lo), ci_call)
    add("median_upper", num(hi), ci_call)

    s, lower, upper = sf.iloc[:, 0], ci.iloc[:, 0], ci.iloc[:, 1]
    # lifelines' limits from its own event table: exp(-exp(log(-log S) -/+ z se)),
    # se^2 = sum d / (n (n - d)) / (log S)^2.
    z = stats.norm.ppf(0.975)
    cum = (et["observed"] / (et["at_risk"] * (et["at_risk"] - et["observed"]))).cumsum()
    largest = float(np.max(time))
    for t in MILESTONES:
        name = f"s{t}"
        if t > largest:
            for x in ["", "_lower", "_upper"]:
                add(name + x, "", f"{t} months is after the largest observed time ({largest!r} months)")
            continue
        st, lt, ut = step_at(s, t), step_at(lower, t), step_at(upper, t)
        # statsmodels' Kaplan-Meier at the same step.
        steps = sm.surv_times <= t
        st_sm = float(sm.surv_prob[steps][-1]) if steps.any() else 1.0
        assert math.isclose(st, st_sm, rel_tol=1e-12, abs_tol=1e-15), (case, group, key, t, st, st_sm)
        if 0 < st < 1:
            v = step_at(cum, t) / math.log(st) ** 2
            lo_f = math.exp(-math.exp(math.log(-math.log(st)) + z * math.sqrt(v)))
            hi_f = math.exp(-math.exp(math.log(-math.log(st)) - z * math.sqrt(v)))
            assert math.isclose(lt, lo_f, rel_tol=1e-9) and math.isclose(ut, hi_f, rel_tol=1e-9), (lt, lo_f, ut, hi_f)
        elif st == 1:
            notes.append(f"{case} group '{group}' {key}.{name}: S = 1 (no event by {t} months); "
                         f"lifelines gives lower = {lt!r}, upper = {ut!r}")
        add(name, num(st), f"{km_call}.survival_function_, last step at or before {t}")
        add(name + "_lower", num(lt), f"{km_call}.confidence_interval_ (log(-log)), last step at or before {t}")
        add(name + "_upper", num(ut), f"{km_call}.confidence_interval_ (log(-log)), last step at or before {t}")
    return flat


def main():
    rows, counts, notes, flats = [], [], [], set()
    for case, study, flag, resp_code, arm_var in CASES:
        adsl, adrs, adtte = read(study, "adsl"), read(study, "adrs"), read(study, "adtte")
        assert adsl["USUBJID"].is_unique
        subjects = set(adsl["USUBJID"])
        pop = adsl[adsl[flag] == "Y"]
        arms = byte_order(pop[arm_var])
        endpoints, skipped = time_parameters(adtte)
        assert set(adtte["CNSR"]) <= {"0", "1"}, set(adtte["CNSR"])

        resp = one_row_per_subject(adrs[adrs["PARAMCD"] == resp_code], (case, resp_code))
        unknown = set(resp["AVALC"]) - set(RESPONSE)
        assert not unknown, unknown
        tte = {code: one_row_per_subject(adtte[adtte["PARAMCD"] == code], (case, code)) for code, _ in endpoints}

        def count(q, v):
            counts.append([case, q, v])

        count("dataset", study)
        count("population_flag", flag)
        count("response_paramcd", resp_code)
        count("arm_variable", arm_var)
        count("arms", ";".join(arms))
        count("adsl.subjects", str(len(adsl)))
        count("population.subjects", str(len(pop)))
        count("population.excluded", str(len(adsl) - len(pop)))
        count("adrs.rows", str(len(adrs)))
        count("adtte.rows", str(len(adtte)))
        count("adrs.subjects_not_in_adsl", str(len(set(adrs["USUBJID"]) - subjects)))
        count("adtte.subjects_not_in_adsl", str(len(set(adtte["USUBJID"]) - subjects)))
        count("adrs.paramcds", ";".join(first_appearance(adrs["PARAMCD"])))
        count("adtte.paramcds", ";".join(first_appearance(adtte["PARAMCD"])))
        count("adtte.skipped_paramcds", ";".join(skipped))
        count("response.subjects", str(int(pop["USUBJID"].isin(resp.index).sum())))
        for code, key in endpoints:
            count(f"{key}.paramcd", code)
            count(f"{key}.subjects", str(int(pop["USUBJID"].isin(tte[code].index).sum())))

        for group in [""] + arms:
            block = pop if group == "" else pop[pop[arm_var] == group]
            ids = list(block["USUBJID"])
            rows.append([case, group, "n", str(len(ids)), f"{PD_} ADSL rows with {flag} == 'Y'"
                         + (f" and {arm_var} == '{group}'" if group else "")])
            with_resp = [i for i in ids if i in resp.index]
            cats = pd.Series([RESPONSE[resp.loc[i, "AVALC"]] for i in with_resp], dtype=object)
            tally = {c: int((cats == c).sum()) for c in CATEGORIES}
            assert sum(tally.values()) == len(with_resp)
            for c in CATEGORIES:
                rows.append([case, group, f"response.{c}", str(tally[c]),
                             f"{PD_} ADRS AVALC of PARAMCD == '{resp_code}' (NON-CR/NON-PD as SD, MISSING as NE)"])
            binomial(rows, case, group, "orr", tally["CR"] + tally["PR"], len(with_resp))
            binomial(rows, case, group, "dcr", tally["CR"] + tally["PR"] + tally["SD"], len(with_resp))
            for code, key in endpoints:
                d = tte[code]
                have = [i for i in ids if i in d.index]
                time = np.array([float(d.loc[i, "AVAL"]) / DAYS_PER_MONTH * TIME_UNITS[d.loc[i, "AVALU"] if "AVALU" in d else ""]
                                 for i in have], dtype=float)
                event = np.array([int(d.loc[i, "CNSR"] == "0") for i in have], dtype=int)
                if survival(rows, notes, case, group, key, code, time, event):
                    flats.add((case, group, key))
    assert flats == FLAT_HALF, flats

    header = [
        VERSIONS,
        "# Generated by scripts/reference/adam.py from tests/fixtures/adam/*/{adsl,adrs,adtte}.csv; never edited by hand.",
        "# Empty value: undefined, not reached, or infinite/nan. Times in months = AVAL (days) / 30.4375.",
        "# Flat 0.5 medians (midpoint rule applies): "
        + "; ".join(f"{c} group '{g}' {k}" for c, g, k in sorted(FLAT_HALF)),
        "# S(t) = 1 at a milestone, limits as lifelines gives them (R's log-log gives NA there):",
    ] + [f"#   {n}" for n in notes]
    with open(os.path.join(ROOT, "expected_analysis.csv"), "w", newline="") as f:
        f.write("\n".join(header) + "\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "group", "quantity", "value", "source"])
        w.writerows(rows)
    with open(os.path.join(ROOT, "expected_counts.csv"), "w", newline="") as f:
        f.write(VERSIONS + "\n")
        f.write("# Import bookkeeping per case (scripts/reference/adam.py, pandas); ';' joins lists in order of first appearance\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "quantity", "value"])
        w.writerows(counts)
    print(f"{len(rows)} analysis rows, {len(counts)} count rows; flat 0.5: {sorted(flats)}")
    for n in notes:
        print("S = 1:", n)


if __name__ == "__main__":
    main()
