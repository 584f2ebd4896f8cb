#!/usr/bin/env python3
"""Time cohortscope against lifelines on the same data, two ways.

For each size n a seeded CSV is written with n rows and three groups
(columns time, event, group): exponential event times with hazards 0.05, 0.08
and 0.12 per month, uniform administrative censoring on (0, 60) months, times
rounded to 2 decimals (so there are ties, as in real data).

(a) In memory, the estimators alone: lifelines' fit calls on the
already-loaded DataFrame (median of --repeat runs) against cohortscope's
criterion benches "km_alone" and "km_logrank_cox_3_groups" in
benches/survival.rs (their median), run with COHORTSCOPE_BENCH_CSV set to the
same file so that both sides fit the same subjects. The combined workload is
KaplanMeierFitter overall and per group, multivariate_logrank_test and
CoxPHFitter (Efron) on the group dummies; cohortscope's bench calls
kaplan_meier (overall and per group), logrank and cox_fit (Efron).

(b) End to end, file to result, two workloads:

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

Usage (after `cargo build --release --bin cohortscope`; the script runs
`cargo bench --bench survival` itself for table (a), skip it with --no-criterion):
    python3 -m venv .venv-bench && .venv-bench/bin/pip install -r scripts/bench/requirements.txt
    .venv-bench/bin/python scripts/bench/compare_lifelines.py
"""

from __future__ import annotations

import argparse
import json
import os
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


def median_of(repeat: int, run) -> float:
    """Median wall-clock time of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def lifelines_fits_full(df: pd.DataFrame) -> None:
    """The fit calls of lifelines_full on an already-loaded DataFrame."""
    from lifelines import CoxPHFitter, KaplanMeierFitter
    from lifelines.statistics import multivariate_logrank_test

    KaplanMeierFitter().fit(df["time"], df["event"]).median_survival_time_
    for _, g in df.groupby("group"):
        KaplanMeierFitter().fit(g["time"], g["event"]).median_survival_time_
    multivariate_logrank_test(df["time"], df["group"], df["event"])
    design = pd.get_dummies(df["group"], prefix="group", drop_first=True, dtype=float)
    design["time"], design["event"] = df["time"], df["event"]
    CoxPHFitter().fit(design, duration_col="time", event_col="event")


def lifelines_fits_km(df: pd.DataFrame) -> None:
    from lifelines import KaplanMeierFitter

    KaplanMeierFitter().fit(df["time"], df["event"]).median_survival_time_


def criterion_medians(path: Path, n: int) -> tuple[float, float]:
    """Median times (s) of the km_alone and km_logrank_cox_3_groups benches on `path`."""
    env = dict(os.environ, COHORTSCOPE_BENCH_CSV=str(path))
    # Not --quick: its few samples put a warm-up iteration's page faults in the median.
    subprocess.run(["cargo", "bench", "--bench", "survival", "--", "--warm-up-time", "1", "--measurement-time", "3",
                    "^(km_alone|km_logrank_cox_3_groups)/"],
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = []
    for group in ("km_alone", "km_logrank_cox_3_groups"):
        estimates = Path("target/criterion") / group / str(n) / "new" / "estimates.json"
        out.append(json.loads(estimates.read_text())["median"]["point_estimate"] * 1e-9)
    return out[0], out[1]


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; {rustc}; "
            f"load average at the end {load}")


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
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
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
    parser.add_argument("--no-criterion", action="store_true", help="skip table (a)")
    parser.add_argument("--shared", action="store_true",
                        help="note that the machine is shared with other builds")
    args = parser.parse_args()
    import lifelines

    sizes = [int(s) for s in args.sizes.split(",")]
    extra = [int(s) for s in args.cohortscope_only.split(",") if s]
    rows = []
    memory = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes + extra:
            path = Path(tmp) / f"bench_{n}.csv"
            write_csv(n, path)
            with_lifelines = n in sizes
            if with_lifelines:
                df = pd.read_csv(path)
                ll_mem = (median_of(args.repeat, lambda: lifelines_fits_full(df)),
                          median_of(args.repeat, lambda: lifelines_fits_km(df)))
                cs_mem = None if args.no_criterion else criterion_medians(path, n)
                memory.append((n, ll_mem, cs_mem))
            ll_full = best_of(args.repeat, lambda: lifelines_full(path)) if with_lifelines else None
            ll_km = best_of(args.repeat, lambda: lifelines_km(path)) if with_lifelines else None
            cs_full = best_of(args.repeat, lambda: cohortscope(args.binary, path, True))
            cs_km = best_of(args.repeat, lambda: cohortscope(args.binary, path, False))
            rows.append((n, ll_full, cs_full, ll_km, cs_km))
    print(f"lifelines {lifelines.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"Python {platform.python_version()}, {platform.machine()}")
    print(f"\nMachine: {machine()}" + (" (shared with other builds while measuring)." if args.shared else "."))
    print("\n(a) In memory: the estimators alone on already-loaded data. lifelines: median of "
          f"{args.repeat} runs of its fit calls on the DataFrame; cohortscope: criterion median "
          "(benches/survival.rs, same subjects).\n")
    print("| rows | lifelines KM + log-rank + Cox | cohortscope | speed-up | "
          "lifelines KM | cohortscope | speed-up |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, (ll_f, ll_k), cs in memory:
        cs_k, cs_f = cs if cs else (None, None)
        print(f"| {n:,} | {fmt(ll_f)} | {fmt(cs_f)} | {ratio(ll_f, cs_f)} | "
              f"{fmt(ll_k)} | {fmt(cs_k)} | {ratio(ll_k, cs_k)} |")
    print(f"\n(b) End to end, from the CSV file to the result: pd.read_csv + fits against the "
          f"cohortscope process (start to JSON written); best of {args.repeat}.")
    for title, k in (("Wall-clock time", 0), ("CPU time (user + system)", 1)):
        print(f"\n{title} (b)\n")
        print("| rows | lifelines KM + log-rank + Cox | cohortscope km --group | speed-up | "
              "lifelines KM | cohortscope km | speed-up |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for n, ll_full, cs_full, ll_km, cs_km in rows:
            ll_f, cs_f, ll_k, cs_k = (None if t is None else t[k] for t in (ll_full, cs_full, ll_km, cs_km))
            print(f"| {n:,} | {fmt(ll_f)} | {fmt(cs_f)} | {ratio(ll_f, cs_f)} | "
                  f"{fmt(ll_k)} | {fmt(cs_k)} | {ratio(ll_k, cs_k)} |")


if __name__ == "__main__":
    main()
