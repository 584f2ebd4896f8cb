#!/usr/bin/env python3
"""Independent checker for assets/studies/<id>.csv against the published
figures listed in assets/studies/<id>.json.

Shares no code with generate.py: it reads the committed files with pandas,
computes Kaplan-Meier medians with lifelines' KaplanMeierFitter (median
follow-up with a reverse Kaplan-Meier fit: event = 1 - os_event), and the
association tests with scipy.stats.  It also checks the internal consistency
the importer requires.  Exits 1, listing every failure, if anything does not
hold.

With --with-r it also runs scripts/studies/survival_medians.R (R survival)
and requires the OS, follow-up, PFS and DOR medians to agree with lifelines.

Run:  python3 scripts/studies/check.py   [--only <id>] [--with-r]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import lifelines
import numpy as np
import pandas as pd
import scipy
from lifelines import KaplanMeierFitter
from scipy import stats

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "assets" / "studies"
R_SCRIPT = REPO / "scripts" / "studies" / "survival_medians.R"
# lifelines and R survival compute the same step function; medians are data times.
R_AGREEMENT = 1e-9
SCHEMA = ["patient_id", "best_response", "best_pct_change", "os_months", "os_event", "pfs_months", "pfs_event",
          "dor_months", "dor_event", "ttr_months"]
TIMES = ["os_months", "pfs_months", "dor_months", "ttr_months"]
RESPONSES = {"CR", "PR", "SD", "PD", "NE"}
# Two-decimal times: sums and differences may differ by float round-off.
TIME_EPS = 1e-9


def whole_percent(k: int, n: int) -> int:
    return int((Decimal(k) * 100 / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rounds_to(value: float, target: float, decimals: int) -> bool:
    q = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP) == Decimal(repr(float(target))).quantize(q)


def load(study_id: str) -> tuple[pd.DataFrame, dict]:
    meta = json.loads((ASSETS / f"{study_id}.json").read_text())
    df = pd.read_csv(ASSETS / f"{study_id}.csv", dtype=str, keep_default_na=False)
    for col in ["best_pct_change", *TIMES, "os_event", "pfs_event", "dor_event"]:
        df[col] = pd.to_numeric(df[col].replace("", np.nan))
    return df, meta


def kmf(df: pd.DataFrame, endpoint: str, reverse: bool = False) -> KaplanMeierFitter:
    sub = df[df[f"{endpoint}_months"].notna()]
    events = sub[f"{endpoint}_event"].astype(int)
    fitter = KaplanMeierFitter()
    fitter.fit(sub[f"{endpoint}_months"], event_observed=(1 - events) if reverse else events)
    return fitter


def km_median(fitter: KaplanMeierFitter) -> float:
    s = fitter.survival_function_.iloc[:, 0]
    if np.any(np.isclose(s.values, 0.5, rtol=0, atol=1e-12)):
        raise ValueError("S(t) equals 0.5 on a step: median rules disagree")
    return float(fitter.median_survival_time_)


def consistency(df: pd.DataFrame, meta: dict) -> list[str]:
    """The import schema's internal-consistency rules."""
    errs = []
    if list(df.columns[: len(SCHEMA)]) != SCHEMA:
        errs.append(f"columns start {list(df.columns[:len(SCHEMA)])}, expected {SCHEMA}")
    if df["patient_id"].duplicated().any():
        errs.append("duplicate patient_id")
    if not set(df["best_response"]) <= RESPONSES:
        errs.append(f"unknown responses {set(df['best_response']) - RESPONSES}")
    r, pct = df["best_response"], df["best_pct_change"]
    rules = {
        "CR change -100": (r == "CR") & (pct != -100.0),
        "PR change <= -30": (r == "PR") & ~(pct <= -30.0),
        "SD change in (-30, +20)": (r == "SD") & ~((pct > -30.0) & (pct < 20.0)),
        "PD change >= +20": (r == "PD") & ~(pct >= 20.0),
        "NE change blank": (r == "NE") & pct.notna(),
    }
    for name, bad in rules.items():
        if bad.any():
            errs.append(f"{name}: {list(df.loc[bad, 'patient_id'])}")
    responder = r.isin(["CR", "PR"])
    for col in ["dor_months", "dor_event", "ttr_months"]:
        if df.loc[responder, col].isna().any() or df.loc[~responder, col].notna().any():
            errs.append(f"{col} must be present exactly for CR/PR")
    for col in TIMES:
        x = df[col].dropna()
        if (x <= 0).any():
            errs.append(f"{col} not > 0")
        if not np.allclose(x, x.round(2), rtol=0, atol=TIME_EPS):
            errs.append(f"{col} has more than 2 decimals")
    for col in ["os_months", "os_event", "pfs_months", "pfs_event"]:
        if df[col].isna().any():
            errs.append(f"{col} blank")
    for col in ["os_event", "pfs_event", "dor_event"]:
        if not df[col].dropna().isin([0, 1]).all():
            errs.append(f"{col} not 0/1")
    if (df["pfs_months"] > df["os_months"] + TIME_EPS).any():
        errs.append("pfs > os")
    resp = df[responder]
    if (abs(resp["ttr_months"] + resp["dor_months"] - resp["pfs_months"]) > 1e-6).any():
        errs.append("responders: ttr + dor != pfs")
    if (resp["ttr_months"] + resp["dor_months"] > resp["os_months"] + TIME_EPS).any():
        errs.append("responders: ttr + dor > os")
    if (resp["dor_event"] != resp["pfs_event"]).any():
        errs.append("responders: dor_event != pfs_event")
    # One data cutoff: an open PFS is open at the cutoff, as is OS; every
    # censored time lies between the gap after accrual and the cutoff.
    open_pfs = df["pfs_event"] == 0
    if (df.loc[open_pfs, "os_event"] != 0).any() or (abs(df.loc[open_pfs, "pfs_months"] - df.loc[open_pfs, "os_months"]) > TIME_EPS).any():
        errs.append("censored PFS not censored at the cutoff with OS")
    model = meta["model"]
    cens = df.loc[df["os_event"] == 0, "os_months"]
    lo, hi = model["cutoff_after_accrual_months"], model["data_cutoff_months"]
    if ((cens < lo - 0.005) | (cens > hi + 0.005)).any():
        errs.append(f"censored OS outside [{lo}, {hi}] months, the follow-up window of the stated accrual")
    if (df.loc[df["os_event"] == 1, "os_months"] > hi + 0.005).any():
        errs.append("death after the data cutoff")
    for name, reverse in (("os", False), ("os", True), ("pfs", False), ("dor", False)):
        s = kmf(df, name, reverse).survival_function_.iloc[:, 0].values
        if np.any(np.isclose(s, 0.5, rtol=0, atol=1e-12)):
            errs.append(f"{name}{' (reverse)' if reverse else ''}: a Kaplan-Meier step equals 0.5")
    for col in meta["illustrative_columns"]:
        if col not in df.columns:
            errs.append(f"illustrative column {col} missing")
    return errs


def evaluate(check: dict, df: pd.DataFrame, meta: dict) -> tuple[bool, str]:
    """(holds, what was computed)."""
    kind = check["kind"]
    r = df["best_response"]
    responder = r.isin(["CR", "PR"])
    n_all = len(df)
    if kind == "n":
        return n_all == check["value"], f"n = {n_all}"
    if kind == "response_count":
        k = int((r == check["response"]).sum())
        ok = k == check["value"] and ("percent" not in check or whole_percent(k, n_all) == check["percent"])
        return ok, f"{k}/{n_all} = {whole_percent(k, n_all)}%"
    if kind in ("orr", "dcr"):
        k = int(r.isin(["CR", "PR"] if kind == "orr" else ["CR", "PR", "SD"]).sum())
        n = n_all if meta["denominator"] == "all-treated" else int((r != "NE").sum())
        return (k, n, whole_percent(k, n)) == (check["k"], check["n"], check["percent"]), f"{k}/{n} = {whole_percent(k, n)}%"
    if kind == "tumor_reduction":
        pct = df["best_pct_change"].dropna()
        k, n = int((pct < 0).sum()), len(pct)
        return (k, n, whole_percent(k, n)) == (check["k"], check["n"], check["percent"]), f"{k}/{n} = {whole_percent(k, n)}%"
    if kind == "ttr_median":
        m = float(df.loc[responder, "ttr_months"].median())
        return abs(m - check["value"]) <= check["within"], f"median {m:.3f}"
    if kind == "follow_up_median":
        m = km_median(kmf(df, check["endpoint"], reverse=True))
        return rounds_to(m, check["value"], check["decimals"]), f"reverse KM median {m:.2f}"
    if kind == "km_median":
        m = km_median(kmf(df, check["endpoint"]))
        return math.isfinite(m) and rounds_to(m, check["value"], check["decimals"]), f"KM median {m:.2f}"
    if kind == "km_median_not_reached":
        s = kmf(df, check["endpoint"]).survival_function_.iloc[:, 0]
        return float(s.min()) > 0.5, f"min S = {s.min():.4f}"
    if kind == "dor_ongoing":
        ev = df.loc[responder, "dor_event"]
        k, n = int((ev == 0).sum()), len(ev)
        return (k, n, whole_percent(k, n)) == (check["k"], check["n"], check["percent"]), f"{k}/{n} = {whole_percent(k, n)}%"
    if kind == "dor_longest":
        resp = df[responder]
        top = resp[resp["dor_months"] == resp["dor_months"].max()]
        censored = bool((top["dor_event"] == 0).all())
        ok = len(top) == 1 and rounds_to(top["dor_months"].iloc[0], check["value"], check["decimals"]) \
            and censored == check["censored"]
        return ok, f"{top['dor_months'].iloc[0]:.2f}{'+' if censored else ''}"
    if kind == "categorical_percent":
        col = df[check["column"]]
        k, n = int((col == check["level"]).sum()), int((col != "").sum())
        if "within" in check:
            return abs(100 * k / n - check["percent"]) <= check["within"], f"{k}/{n} = {100 * k / n:.2f}%"
        return whole_percent(k, n) == check["percent"], f"{k}/{n} = {whole_percent(k, n)}%"
    if kind == "numeric_median":
        m = float(pd.to_numeric(df[check["column"]]).median())
        return rounds_to(m, check["value"], check["decimals"]), f"median {m}"
    if kind == "numeric_below":
        mx = float(pd.to_numeric(df[check["column"]]).max())
        return mx < check["value"], f"max {mx}"
    if kind == "association":
        col = df[check["covariate"]]
        if check["test"] == "mann_whitney":
            x = pd.to_numeric(col)
            a, b = x[responder], x[~responder]
            res = stats.mannwhitneyu(a, b, alternative="two-sided")
            ok = a.median() > b.median() and res.pvalue < check["alpha"]
            return ok, f"medians {a.median():.2f} vs {b.median():.2f}, Mann-Whitney U = {res.statistic}, p = {res.pvalue:.4f}"
        yes = col == check["level"]
        table = pd.crosstab(responder, yes).reindex(index=[True, False], columns=[True, False], fill_value=0)
        res = stats.fisher_exact(table.values)
        pa, pb = yes[responder].mean(), yes[~responder].mean()
        return pa > pb and res.pvalue < check["alpha"], f"{pa:.0%} vs {pb:.0%}, Fisher p = {res.pvalue:.4f}"
    return False, f"unknown check kind {kind!r}"


REQUIRED_META = ["id", "title", "short_title", "citation", "nct", "design", "endpoint_notes", "synthetic",
                 "synthetic_note", "method", "generator", "seed", "denominator", "illustrative_columns", "published"]


def against_r(study_id: str, df: pd.DataFrame) -> list[str]:
    """Kaplan-Meier medians from lifelines against R survival's survfit."""
    out = subprocess.run(["Rscript", str(R_SCRIPT), str(ASSETS / f"{study_id}.csv")],
                         capture_output=True, text=True, check=True).stdout
    r = dict(line.split(" ", 1) for line in out.strip().splitlines())
    ours = {
        "os_median": km_median(kmf(df, "os")),
        "os_follow_up_median": km_median(kmf(df, "os", reverse=True)),
        "pfs_median": km_median(kmf(df, "pfs")),
        "dor_median": km_median(kmf(df, "dor")),
    }
    errs = []
    print(f"  R survival {r['survival']}:")
    for name, value in ours.items():
        theirs = math.inf if r[name] == "NA" else float(r[name])
        same = (math.isinf(value) and math.isinf(theirs)) or abs(value - theirs) <= R_AGREEMENT
        print(f"  {'ok  ' if same else 'FAIL'} {name}: lifelines {value}, R {r[name]}")
        if not same:
            errs.append(f"{name}: lifelines {value} but R survival {r[name]}")
    return errs


def check_study(study_id: str, with_r: bool) -> list[str]:
    df, meta = load(study_id)
    errs = [f"metadata lacks {k}" for k in REQUIRED_META if k not in meta]
    if meta.get("id") != study_id or meta.get("synthetic") is not True:
        errs.append("metadata id/synthetic flag wrong")
    errs += consistency(df, meta)
    print(f"{study_id}: n = {len(df)}")
    for fig in meta["published"]:
        try:
            ok, got = evaluate(fig["check"], df, meta)
        except ValueError as e:
            ok, got = False, str(e)
        print(f"  {'ok  ' if ok else 'FAIL'} {fig['figure']}: published {fig['published']}; computed {got}")
        if not ok:
            errs.append(f"{fig['figure']}: published {fig['published']}, computed {got}")
    if with_r:
        errs += against_r(study_id, df)
    return errs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="one study id")
    parser.add_argument("--with-r", action="store_true",
                        help="also compare the Kaplan-Meier medians with R survival (needs Rscript)")
    args = parser.parse_args()
    print(f"pandas {pd.__version__}, lifelines {lifelines.__version__}, scipy {scipy.__version__}")
    ids = [args.only] if args.only else sorted(p.stem for p in ASSETS.glob("*.json"))
    failed = {}
    for study_id in ids:
        errs = check_study(study_id, args.with_r)
        if errs:
            failed[study_id] = errs
    for study_id, errs in failed.items():
        for e in errs:
            print(f"FAILED {study_id}: {e}", file=sys.stderr)
    if not failed:
        print(f"all published figures reproduced in {len(ids)} studies")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
