#!/usr/bin/env python3
"""Time `cohortscope km` against lifelines on the same CSV files.

For each size n a seeded CSV is written with n rows and three groups
(columns time, event, group): exponential event times with hazards 0.05, 0.08
and 0.12 per month, uniform administrative censoring on (0, 60) months, times
rounded to 2 decimals (so there are ties, as in real data).

Two workloads, each timed from the CSV file on disk to the finished result:

* KM + log-rank + Cox: lifelines reads the CSV with pandas, fits
  KaplanMeierFitter overall and per group, runs multivariate_logrank_test and
  fits CoxPHFitter (Efron ties, lifelines' only method) on the group dummies;
  cohortscope runs `km FILE --time time --event event --group group --json`
  (which also computes Brookmeyer-Crowley limits, RMST and the reverse-KM
  follow-up of every curve, and writes the whole JSON report).
* KM alone: lifelines KaplanMeierFitter on the whole file; cohortscope
  `km FILE --time time --event event --json`.

Each timing is the best of --repeat runs, as wall-clock time and as CPU time
(user + system: of this process for lifelines, of the child process for
cohortscope), since wall-clock time on a shared machine includes waiting for
a core. Prints two Markdown tables.

Usage (after `cargo build --release --bin cohortscope`):
    python3 -m venv .venv-bench && .venv-bench/bin/pip install -r scripts/bench/requirements.txt
    .venv-bench/bin/python scripts/bench/compare_lifelines.py
"""

from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240601
HAZARDS = {"A": 0.05, "B": 0.08, "C": 0.12}


def write_csv(n: int, path: Path) -> None:
    rng = np.random.default_rng(SEED + n)
    groups = rng.choice(list(HAZARDS), size=n)
    rate = np.vectorize(HAZARDS.get)(groups)
    event_time = rng.exponential(1.0 / rate)
    censor_time = rng.uniform(0.0, 60.0, size=n)
    t = np.minimum(event_time, censor_time)
    t = np.maximum(np.round(t, 2), 0.01)
    event = (event_time <= censor_time).astype(int)
    pd.DataFrame({"time": t, "event": event, "group": groups}).to_csv(path, index=False)


def cpu_seconds() -> float:
    """User + system time of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_of(repeat: int, run) -> tuple[float, float]:
    """Best wall-clock and best CPU time of `repeat` runs."""
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), cpu_seconds()
        run()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, cpu_seconds() - cpu)
    return best_wall, best_cpu


def lifelines_full(path: Path) -> None:
    from lifelines import CoxPHFitter, KaplanMeierFitter
    from lifelines.statistics import multivariate_logrank_test

    df = pd.read_csv(path)
    KaplanMeierFitter().fit(df["time"], df["event"])
    for _, g in df.groupby("group"):
        kmf = KaplanMeierFitter().fit(g["time"], g["event"])
        kmf.median_survival_time_
    multivariate_logrank_test(df["time"], df["group"], df["event"])
    design = pd.get_dummies(df["group"], prefix="group", drop_first=True, dtype=float)
    design["time"], design["event"] = df["time"], df["event"]
    CoxPHFitter().fit(design, duration_col="time", event_col="event")


def lifelines_km(path: Path) -> None:
    from lifelines import KaplanMeierFitter

    df = pd.read_csv(path)
    KaplanMeierFitter().fit(df["time"], df["event"]).median_survival_time_


def cohortscope(binary: Path, path: Path, grouped: bool) -> None:
    args = [str(binary), "km", str(path), "--time", "time", "--event", "event", "--json"]
    if grouped:
        args += ["--group", "group"]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "–"
    r = a / b
    return f"{r:.0f}×" if r >= 10 else f"{r:.1f}×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", type=Path, default=Path("target/release/cohortscope"))
    parser.add_argument("--sizes", default="1000,10000,100000,200000")
    parser.add_argument("--cohortscope-only", default="1000000", help="sizes timed for cohortscope alone")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import lifelines

    sizes = [int(s) for s in args.sizes.split(",")]
    extra = [int(s) for s in args.cohortscope_only.split(",") if s]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes + extra:
            path = Path(tmp) / f"bench_{n}.csv"
            write_csv(n, path)
            with_lifelines = n in sizes
            ll_full = best_of(args.repeat, lambda: lifelines_full(path)) if with_lifelines else None
            ll_km = best_of(args.repeat, lambda: lifelines_km(path)) if with_lifelines else None
            cs_full = best_of(args.repeat, lambda: cohortscope(args.binary, path, True))
            cs_km = best_of(args.repeat, lambda: cohortscope(args.binary, path, False))
            rows.append((n, ll_full, cs_full, ll_km, cs_km))
    print(f"lifelines {lifelines.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"Python {platform.python_version()}, {platform.machine()}; best of {args.repeat}; "
          f"times from the CSV file to the result (cohortscope: process start to JSON written)")
    for title, k in (("Wall-clock time", 0), ("CPU time (user + system)", 1)):
        print(f"\n{title}\n")
        print("| rows | lifelines KM + log-rank + Cox | cohortscope km --group | speed-up | "
              "lifelines KM | cohortscope km | speed-up |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for n, ll_full, cs_full, ll_km, cs_km in rows:
            ll_f, cs_f, ll_k, cs_k = (None if t is None else t[k] for t in (ll_full, cs_full, ll_km, cs_km))
            print(f"| {n:,} | {fmt(ll_f)} | {fmt(cs_f)} | {ratio(ll_f, cs_f)} | "
                  f"{fmt(ll_k)} | {fmt(cs_k)} | {ratio(ll_k, cs_k)} |")


if __name__ == "__main__":
    main()
