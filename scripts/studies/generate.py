#!/usr/bin/env python3
"""Generate cohortscope's built-in reference studies: synthetic cohorts that
reproduce every published summary figure of three TIL-therapy trials.

Writes assets/studies/<id>.csv (one row per patient, the import schema) and
assets/studies/<id>.json (citation, method, and the published figures with a
machine-checkable CHECK each).  The method is written down in
assets/studies/README.md; in short, per study:

1. Latent patient histories are drawn from stated parametric models
   (numpy Generator PCG64, seed recorded in the JSON):
   enrolment over an accrual period of A months with density proportional to
   t^(p-1) (p = 1 uniform, p = 2 linear ramp-up); the best-response category
   counts are the published ones, assigned in random order; best % change from
   category-specific beta/gamma shapes; tumour assessments every 6 weeks
   (first one at day 42 plus a gamma-distributed delay); responders respond at
   the 1st/2nd/3rd assessment with stated probabilities; duration of response,
   progression after stable disease and survival after progression are
   Weibull; patients who are not evaluable die before their first assessment.
2. The free design constants (accrual length A, gap m from the end of accrual
   to the data cutoff, and a multiplier g of the post-progression survival
   scale) are chosen from a stated grid, nearest to the nominal values first,
   so that the continuous published figures (median follow-up, median OS,
   longest response) come out; every time is censored at the single cutoff.
3. A draw is accepted only if every published figure holds exactly; otherwise
   the next seed is drawn (rejection sampling, i.e. sampling from the model
   conditional on the published figures).  The accepted seed is recorded.

Run:  python3 scripts/studies/generate.py          (writes the assets)
      python3 scripts/studies/generate.py --check  (regenerates in memory and
                                                    fails if the assets differ)
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Callable

import numpy as np
from scipy import stats

DAYS_PER_MONTH = 30.4375
REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "assets" / "studies"
GENERATOR = "scripts/studies/generate.py"
SYNTHETIC_NOTE = "Synthetic cohort reconstructed from published summary figures; not patient data."
MAX_ATTEMPTS = 4000
# A computed value must lie this far inside its rounding interval (in units of
# the last published decimal), so that every rounding implementation agrees.
ROUNDING_MARGIN = 0.45
# No Kaplan–Meier step may come this close to S = 0.5 (every median rule agrees).
HALF_CLEARANCE = 1e-9
CATEGORIES = ("CR", "PR", "SD", "PD", "NE")
# The generator aims closer to the published "about 2 months" than the
# check's +/-0.25 (months), so the median reads as 2 by any rounding.
TTR_AIM_WITHIN = 0.15
# A response is only on record if confirmed at least this long before the cutoff (months).
MIN_RESPONSE_FOLLOW_UP = 0.25


# ----------------------------------------------------------------------------
# Study specifications
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """Everything that defines one synthetic study."""

    id: str
    prefix: str
    n: int
    counts: dict[str, int]
    sd_reduced: int  # SD patients whose best change is < 0
    base_seed: int
    accrual_power: float  # enrolment density proportional to t^(p-1)
    accrual_nominal: float  # A, months
    gap_nominal: float  # m, months from end of accrual to cutoff
    accrual_grid: tuple[float, ...]
    gap_grid: tuple[float, ...]
    post_scale_grid: tuple[float, ...]  # g
    first_scan_delay: tuple[float, float]  # gamma (shape, scale) in days after day 42
    response_scan_probs: tuple[float, float, float]
    dor_weibull: tuple[float, float, float]  # shape, scale for PR, scale for CR (months)
    sd_weibull: tuple[float, float]  # shape, scale: first scan -> progression (months)
    post_weibull: tuple[float, float]  # shape, scale: progression -> death (months)
    ne_death: tuple[float, float]  # uniform range of death time for NE (months)
    longest_dor: float | None  # anchor: longest (ongoing) response, months
    covariates: Callable[[np.random.Generator, "Latent"], dict[str, list[str]]] = field(repr=False)
    figs: list[dict] = field(repr=False)
    meta: dict = field(repr=False)


@dataclass
class Latent:
    """Latent histories, in enrolment order; times in months from infusion."""

    u: np.ndarray  # enrolment quantile in (0, 1), increasing
    response: np.ndarray  # category code per patient
    pct: np.ndarray  # best % change (NaN for NE)
    s1: np.ndarray  # first assessment time
    ttr: np.ndarray  # time to response (NaN for non-responders)
    prog: np.ndarray  # progression time (death time for NE)
    post: np.ndarray  # survival after progression before scaling by g (0 for NE)
    post_mult: np.ndarray  # covariate multiplier of the post-progression scale
    cov: dict[str, list[str]] = field(default_factory=dict)


def round_half_up(value: float, decimals: int) -> Decimal:
    q = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP)


def percent(k: int, n: int) -> int:
    """Whole-percent rounding half up of 100 k / n, in integers."""
    return (200 * k + n) // (2 * n)


def exact_count(rng: np.random.Generator, n: int, k: int, yes: str = "yes", no: str = "no") -> list[str]:
    values = [yes] * k + [no] * (n - k)
    return [values[i] for i in rng.permutation(n)]


def truncated_normal_int(rng: np.random.Generator, n: int, mean: float, sd: float, lo: int, hi: int) -> np.ndarray:
    """Integers from a normal truncated to [lo, hi]: out-of-range values are redrawn."""
    x = np.rint(rng.normal(mean, sd, n))
    while np.any(bad := (x < lo) | (x > hi)):
        x[bad] = np.rint(rng.normal(mean, sd, int(bad.sum())))
    return x


def ages_with_median(rng: np.random.Generator, n: int, mean: float, sd: float, lo: int, hi: int, median: int) -> list[str]:
    """Integer ages from a truncated normal, shifted by a whole number of years
    so that the sample median equals the published median exactly; the sample
    is redrawn when no shift does that within [lo, hi]."""
    while True:
        age = truncated_normal_int(rng, n, mean, sd, lo, hi)
        age += median - np.floor(np.median(age))
        if np.median(age) == median and age.min() >= lo and age.max() <= hi:
            return [str(int(a)) for a in age]


# ----------------------------------------------------------------------------
# Covariates per study
# ----------------------------------------------------------------------------


def lifileucel_covariates(rng: np.random.Generator, lat: Latent) -> dict[str, list[str]]:
    n = len(lat.u)
    sex = exact_count(rng, n, 40, "male", "female")
    age = ages_with_median(rng, n, 55, 13, 22, 80, 55)
    mets = exact_count(rng, n, 29)
    lat.post_mult = np.where(np.array(mets) == "yes", 0.65, 1.0)
    return {"sex": sex, "age": age, "liver_or_brain_mets": mets}


def cervical_covariates(rng: np.random.Generator, lat: Latent) -> dict[str, list[str]]:
    n = len(lat.u)
    return {
        "age": ages_with_median(rng, n, 45, 10, 25, 72, 45),
        "prior_chemotherapy": ["yes"] * n,
        "prior_targeted": exact_count(rng, n, 22),
        "prior_radiation": exact_count(rng, n, 20),
        "prior_checkpoint_inhibitor": exact_count(rng, n, 4),
    }


def herlev_covariates(rng: np.random.Generator, lat: Latent) -> dict[str, list[str]]:
    """Illustrative values: the abstract reports the associations, not numbers.
    Infused tumour-reactive T cells (x10^9) are log-normal, higher in
    responders; a blood anti-melanoma T-cell response is induced with
    probability 0.75 in responders and 0.25 otherwise."""
    n = len(lat.u)
    responder = np.isin(lat.response, ["CR", "PR"])
    log10_cells = np.where(responder, rng.normal(0.35, 0.40, n), rng.normal(-0.15, 0.45, n))
    cells = [f"{v:.2f}" for v in np.maximum(np.round(10.0 ** log10_cells, 2), 0.02)]
    blood = np.where(rng.uniform(size=n) < np.where(responder, 0.75, 0.25), "yes", "no")
    age = truncated_normal_int(rng, n, 49, 11, 23, 69)
    return {
        "age": [str(int(a)) for a in age],
        "reactive_t_cells_infused": cells,
        "blood_response_induced": [str(b) for b in blood],
    }


# ----------------------------------------------------------------------------
# Published figures (the checks), written from the publications
# ----------------------------------------------------------------------------


def fig(figure: str, published: str, check: dict, note: str | None = None) -> dict:
    entry = {"figure": figure, "published": published, "check": check}
    if note:
        entry["note"] = note
    return entry


def response_figs(counts: dict[str, int], n: int, with_percent: tuple[str, ...]) -> list[dict]:
    out = []
    names = {"CR": "Complete response", "PR": "Partial response", "SD": "Stable disease",
             "PD": "Progressive disease", "NE": "Not evaluable"}
    for cat in CATEGORIES:
        k = counts[cat]
        if k == 0 and cat == "NE":
            continue
        check = {"kind": "response_count", "response": cat, "value": k}
        shown = f"{k}"
        if cat in with_percent:
            check["percent"] = percent(k, n)
            shown = f"{k} ({percent(k, n)}%)"
        out.append(fig(names[cat], shown, check))
    return out


LIFILEUCEL_FIGS = [
    fig("Patients treated", "66", {"kind": "n", "value": 66}),
    *response_figs({"CR": 2, "PR": 23, "SD": 28, "PD": 9, "NE": 4}, 66, ("CR", "PR", "SD", "PD")),
    fig("Objective response rate", "38% (25/66)", {"kind": "orr", "k": 25, "n": 66, "percent": 38}),
    fig("Any reduction in tumour burden", "81%",
        {"kind": "tumor_reduction", "k": 50, "n": 62, "percent": 81},
        "Among the 62 patients with a post-baseline assessment: 50/62 = 80.6%."),
    fig("Median time to response", "about 2 months", {"kind": "ttr_median", "value": 2.0, "within": 0.25}),
    fig("Median follow-up", "8.8 months",
        {"kind": "follow_up_median", "endpoint": "os", "value": 8.8, "decimals": 1}),
    fig("Median duration of response", "not reached", {"kind": "km_median_not_reached", "endpoint": "dor"}),
    fig("Responders still responding", "68% (17/25)", {"kind": "dor_ongoing", "k": 17, "n": 25, "percent": 68}),
    fig("Longest response", "19.8+ months",
        {"kind": "dor_longest", "value": 19.8, "decimals": 1, "censored": True}),
    fig("Men", "60%", {"kind": "categorical_percent", "column": "sex", "level": "male", "percent": 60, "within": 0.7},
        "No count k/66 rounds half up to 60% (39/66 = 59.1%, 40/66 = 60.6%); the nearest, 40/66, is used "
        "and checked as |100 k/n - 60| <= 0.7 percentage points."),
    fig("Median age", "55 years", {"kind": "numeric_median", "column": "age", "value": 55, "decimals": 0}),
    fig("Liver or brain metastases", "44%",
        {"kind": "categorical_percent", "column": "liver_or_brain_mets", "level": "yes", "percent": 44}),
]

CERVICAL_FIGS = [
    fig("Patients treated", "27", {"kind": "n", "value": 27}),
    *response_figs({"CR": 3, "PR": 9, "SD": 11, "PD": 4, "NE": 0}, 27, ("CR", "PR", "SD", "PD")),
    fig("Objective response rate", "44% (12/27)", {"kind": "orr", "k": 12, "n": 27, "percent": 44}),
    fig("Any reduction in tumour burden", "78%",
        {"kind": "tumor_reduction", "k": 21, "n": 27, "percent": 78}, "21/27 = 77.8%."),
    fig("Median time to response", "about 2 months", {"kind": "ttr_median", "value": 2.0, "within": 0.25}),
    fig("Median duration of response", "not reached", {"kind": "km_median_not_reached", "endpoint": "dor"}),
    fig("Median follow-up", "7.4 months",
        {"kind": "follow_up_median", "endpoint": "os", "value": 7.4, "decimals": 1}),
    fig("Median age", "45 years", {"kind": "numeric_median", "column": "age", "value": 45, "decimals": 0}),
    fig("Prior chemotherapy", "100%",
        {"kind": "categorical_percent", "column": "prior_chemotherapy", "level": "yes", "percent": 100}),
    fig("Prior targeted therapy", "82%",
        {"kind": "categorical_percent", "column": "prior_targeted", "level": "yes", "percent": 82, "within": 0.6},
        "No count k/27 rounds to 82% (22/27 = 81.5%, 23/27 = 85.2%); the nearest, 22/27, is used "
        "and checked as |100 k/n - 82| <= 0.6 percentage points."),
    fig("Prior radiation", "74%",
        {"kind": "categorical_percent", "column": "prior_radiation", "level": "yes", "percent": 74}),
    fig("Prior checkpoint inhibitor", "15%",
        {"kind": "categorical_percent", "column": "prior_checkpoint_inhibitor", "level": "yes", "percent": 15}),
]

HERLEV_FIGS = [
    fig("Patients treated", "25", {"kind": "n", "value": 25}),
    fig("Complete response", "3", {"kind": "response_count", "response": "CR", "value": 3}),
    fig("Partial response", "7", {"kind": "response_count", "response": "PR", "value": 7}),
    fig("Not evaluable", "1 (24 evaluable)", {"kind": "response_count", "response": "NE", "value": 1}),
    fig("Objective response rate", "42% (10/24 evaluable)", {"kind": "orr", "k": 10, "n": 24, "percent": 42}),
    fig("Median overall survival", "21.8 months",
        {"kind": "km_median", "endpoint": "os", "value": 21.8, "decimals": 1}),
    fig("Age", "< 70 years (inclusion criterion)", {"kind": "numeric_below", "column": "age", "value": 70}),
    fig("Tumour regression and infused tumour-reactive T cells",
        "higher number of infused tumour-reactive T cells in responders",
        {"kind": "association", "covariate": "reactive_t_cells_infused", "test": "mann_whitney",
         "direction": "higher_in_responders", "alpha": 0.05},
        "Illustrative values; the abstract gives the direction only."),
    fig("Induced anti-melanoma T-cell response in blood and clinical response",
        "correlated with clinical response",
        {"kind": "association", "covariate": "blood_response_induced", "level": "yes", "test": "fisher",
         "direction": "more_in_responders", "alpha": 0.05},
        "Illustrative values; the abstract gives the direction only."),
]

COMMON_NOTES = (
    "Percentages are 100 k/n rounded half up to a whole percent, as published. "
    "Median follow-up is the reverse Kaplan-Meier median of OS follow-up (death censors, censoring is the event). "
    "Medians of time to event are Kaplan-Meier medians (first time S(t) <= 0.5; no step of the OS, PFS, DOR or "
    "follow-up curve equals 0.5, so the midpoint rule of R and SAS gives the same value); 'not reached' means the Kaplan-Meier curve never falls to 0.5 or below. "
    "Median time to response is the sample median of ttr_months among responders, checked within +/-0.25 of 2.0. "
    "'Still responding' counts responders with dor_event = 0 (ongoing at the cutoff); the longest response is the "
    "largest dor_months (shown with + when censored). Tumour reduction counts best_pct_change < 0 among patients "
    "with a post-baseline measurement (best_pct_change not blank). Associations compare responders (CR/PR) with "
    "all other patients (two-sided test, p < alpha, effect in the published direction). "
    "Times are months from cell infusion; DOR runs from the first documented response (ttr_months) to progression "
    "or death; PFS of a responder equals ttr_months + dor_months."
)


def fine_grid(lo: float, hi: float, step: float) -> tuple[float, ...]:
    k = int(round((hi - lo) / step))
    return tuple(round(lo + i * step, 4) for i in range(k + 1))


SPECS = [
    Spec(
        id="lifileucel-melanoma", prefix="LIF", n=66,
        counts={"CR": 2, "PR": 23, "SD": 28, "PD": 9, "NE": 4}, sd_reduced=25, base_seed=144_000,
        accrual_power=2.0, accrual_nominal=20.0, gap_nominal=2.9,
        accrual_grid=(), gap_grid=fine_grid(1.6, 4.6, 0.05), post_scale_grid=(1.0,),
        first_scan_delay=(2.0, 6.0), response_scan_probs=(0.6, 0.3, 0.1),
        dor_weibull=(1.1, 20.0, 60.0), sd_weibull=(1.3, 3.5), post_weibull=(1.2, 9.0),
        ne_death=(0.25, 1.3), longest_dor=19.8, covariates=lifileucel_covariates,
        figs=LIFILEUCEL_FIGS,
        meta={
            "title": "Lifileucel (LN-144) in advanced melanoma after prior systemic therapy: "
                     "C-144-01 cohort 2 (synthetic)",
            "short_title": "Lifileucel melanoma (C-144-01 cohort 2)",
            "citation": "Sarnaik A, Khushalani NI, Chesney JA, et al. Safety and efficacy of cryopreserved "
                        "autologous tumor infiltrating lymphocyte therapy (LN-144, lifileucel) in advanced "
                        "metastatic melanoma patients previously treated with at least one prior systemic "
                        "therapy. J Clin Oncol 2019;37(15_suppl):2518 (ASCO 2019 Annual Meeting).",
            "nct": "NCT02360579",
            "design": "Phase 2, single arm, multicentre; cohort 2: cryopreserved autologous tumour-infiltrating "
                      "lymphocytes (lifileucel) after non-myeloablative lymphodepletion, followed by high-dose IL-2.",
            "endpoint_notes": "Best overall response by RECIST 1.1; response rates over all 66 treated patients "
                              "(4 not evaluable). Times in months from infusion.",
            "denominator": "all-treated",
            "illustrative_columns": [],
        },
    ),
    Spec(
        id="ln145-cervical", prefix="CVX", n=27,
        counts={"CR": 3, "PR": 9, "SD": 11, "PD": 4, "NE": 0}, sd_reduced=9, base_seed=145_000,
        accrual_power=2.0, accrual_nominal=15.0, gap_nominal=3.0,
        accrual_grid=(13.0, 15.0, 17.0), gap_grid=fine_grid(1.8, 4.8, 0.02), post_scale_grid=(1.0,),
        first_scan_delay=(2.0, 6.0), response_scan_probs=(0.6, 0.3, 0.1),
        dor_weibull=(1.1, 16.0, 60.0), sd_weibull=(1.3, 3.0), post_weibull=(1.2, 7.0),
        ne_death=(0.25, 1.3), longest_dor=None, covariates=cervical_covariates,
        figs=CERVICAL_FIGS,
        meta={
            "title": "LN-145 tumour-infiltrating lymphocytes in recurrent, metastatic or persistent cervical "
                     "carcinoma (synthetic)",
            "short_title": "LN-145 cervical (C-145-04)",
            "citation": "Jazaeri AA, Zsiros E, Amaria RN, et al. Safety and efficacy of adoptive cell transfer "
                        "using autologous tumor infiltrating lymphocytes (LN-145) for treatment of recurrent, "
                        "metastatic, or persistent cervical carcinoma. J Clin Oncol 2019;37(15_suppl):2538 "
                        "(ASCO 2019 Annual Meeting).",
            "nct": "NCT03108495",
            "design": "Phase 2, single arm, multicentre: autologous tumour-infiltrating lymphocytes (LN-145) "
                      "after non-myeloablative lymphodepletion, followed by IL-2.",
            "endpoint_notes": "Best overall response by RECIST 1.1; response rates over all 27 treated patients "
                              "(all evaluable). Times in months from infusion.",
            "denominator": "all-treated",
            "illustrative_columns": [],
        },
    ),
    Spec(
        id="herlev-til", prefix="HRL", n=25,
        counts={"CR": 3, "PR": 7, "SD": 8, "PD": 6, "NE": 1}, sd_reduced=5, base_seed=937_625,
        accrual_power=1.0, accrual_nominal=54.0, gap_nominal=10.0,
        accrual_grid=(), gap_grid=(), post_scale_grid=fine_grid(0.4, 3.0, 0.002),
        first_scan_delay=(2.0, 5.0), response_scan_probs=(0.55, 0.3, 0.15),
        dor_weibull=(1.0, 14.0, 120.0), sd_weibull=(1.2, 4.0), post_weibull=(1.2, 10.0),
        ne_death=(0.4, 1.3), longest_dor=None, covariates=herlev_covariates,
        figs=HERLEV_FIGS,
        meta={
            "title": "Tumour-infiltrating lymphocytes with an attenuated decrescendo IL-2 regimen in metastatic "
                     "melanoma, Herlev phase 1/2 (synthetic)",
            "short_title": "Herlev TIL, attenuated IL-2",
            "citation": "Andersen R, Donia M, Ellebaek E, et al. Long-lasting complete responses in patients "
                        "with metastatic melanoma after adoptive cell therapy with tumor-infiltrating "
                        "lymphocytes and an attenuated IL2 regimen. Clin Cancer Res 2016;22(15):3734-45.",
            "nct": "NCT00937625",
            "design": "Phase 1/2, single centre (Herlev, Denmark): lymphodepleting chemotherapy, TIL infusion "
                      "and an attenuated decrescendo IL-2 regimen; patients younger than 70.",
            "endpoint_notes": "Best overall response by RECIST 1.0; the response rate is over the 24 evaluable "
                              "patients (1 not evaluable). The split of non-responders into SD 8 and PD 6 is not "
                              "published and is illustrative. Times in months from infusion.",
            "denominator": "evaluable",
            "illustrative_columns": ["age", "reactive_t_cells_infused", "blood_response_induced"],
        },
    ),
]


# ----------------------------------------------------------------------------
# Latent draw
# ----------------------------------------------------------------------------


def draw_pct(rng: np.random.Generator, cats: np.ndarray, sd_reduced: int) -> np.ndarray:
    """Best % change in the sum of target-lesion diameters, one decimal."""
    n = len(cats)
    pct = np.full(n, np.nan)
    sd_idx = np.flatnonzero(cats == "SD")
    reduced = set(rng.permutation(sd_idx)[:sd_reduced].tolist())
    for i in range(n):
        c = cats[i]
        if c == "CR":
            v = -100.0
        elif c == "PR":
            v = -(30.0 + 65.0 * rng.beta(1.6, 2.2))
        elif c == "SD" and i in reduced:
            v = -(0.5 + 29.4 * rng.beta(1.3, 1.6))
        elif c == "SD":
            v = 19.9 * rng.beta(1.0, 2.5)
        elif c == "PD":
            v = 20.0 + rng.gamma(1.5, 20.0)
        else:
            continue
        pct[i] = round(v, 1)
    # Keep each value inside its category after rounding.
    pct[(cats == "PR") & (pct > -30.0)] = -30.0
    sd_neg = (cats == "SD") & (pct < 0)
    pct[sd_neg] = np.clip(pct[sd_neg], -29.9, -0.1)
    return pct


def draw_latent(spec: Spec, rng: np.random.Generator) -> Latent:
    n = spec.n
    u = np.sort(rng.uniform(size=n))
    cats = np.array([c for c in CATEGORIES for _ in range(spec.counts[c])])
    cats = cats[rng.permutation(n)]
    pct = draw_pct(rng, cats, spec.sd_reduced)
    shape, scale = spec.first_scan_delay
    s1 = (42.0 + rng.gamma(shape, scale, n)) / DAYS_PER_MONTH
    interval = (42.0 + rng.normal(0.0, 4.0, (n, 2))) / DAYS_PER_MONTH
    scans = np.column_stack([s1, s1 + interval[:, 0], s1 + interval[:, 0] + interval[:, 1]])
    k = rng.choice(3, size=n, p=spec.response_scan_probs)
    responder = np.isin(cats, ["CR", "PR"])
    ttr = np.where(responder, scans[np.arange(n), k], np.nan)
    dshape, dscale_pr, dscale_cr = spec.dor_weibull
    dor = rng.weibull(dshape, n) * np.where(cats == "CR", dscale_cr, dscale_pr)
    sshape, sscale = spec.sd_weibull
    # Stable disease progresses at a later 6-weekly assessment.
    sd_visits = np.maximum(1, np.ceil(rng.weibull(sshape, n) * sscale / (42.0 / DAYS_PER_MONTH)))
    sd_extra = sd_visits * (42.0 + rng.normal(0.0, 3.0, n)) / DAYS_PER_MONTH
    ne_death = rng.uniform(*spec.ne_death, n)
    prog = np.select(
        [responder, cats == "SD", cats == "PD"],
        [ttr + dor, s1 + sd_extra, s1],
        default=ne_death,
    )
    pshape, pscale = spec.post_weibull
    post = np.where(cats == "NE", 0.0, rng.weibull(pshape, n) * pscale)
    lat = Latent(u=u, response=cats, pct=pct, s1=s1, ttr=ttr, prog=prog, post=post, post_mult=np.ones(n))
    lat.cov = spec.covariates(rng, lat)
    return lat


# ----------------------------------------------------------------------------
# Observation at the data cutoff
# ----------------------------------------------------------------------------


def potential_follow_up(spec: Spec, lat: Latent, accrual: float, gap: float) -> np.ndarray:
    """Months from infusion to the cutoff: cutoff = accrual + gap, enrolment
    = accrual * u^(1/p) (density proportional to t^(p-1))."""
    return gap + accrual * (1.0 - lat.u ** (1.0 / spec.accrual_power))


def observe(spec: Spec, lat: Latent, accrual: float, gap: float, g: float) -> dict | None:
    """The table observed at the cutoff, or None if a patient's recorded best
    response could not have been assessed before it."""
    f = potential_follow_up(spec, lat, accrual, gap)
    ne = lat.response == "NE"
    responder = np.isin(lat.response, ["CR", "PR"])
    if np.any(f[~ne] < lat.s1[~ne] + 0.02) or np.any(f[responder] < lat.ttr[responder] + MIN_RESPONSE_FOLLOW_UP):
        return None
    death = np.where(ne, lat.prog, lat.prog + g * lat.post * lat.post_mult)
    os_m = np.round(np.minimum(death, f), 2)
    pfs_m = np.round(np.minimum(lat.prog, f), 2)
    ttr = np.round(lat.ttr, 2)
    dor = np.round(pfs_m - ttr, 2)
    if np.any(dor[responder] <= 0) or np.any(pfs_m > os_m) or np.any(os_m <= 0):
        return None
    table = {
        "best_response": lat.response,
        "best_pct_change": lat.pct,
        "os_months": os_m,
        "os_event": (death <= f).astype(int),
        "pfs_months": pfs_m,
        "pfs_event": (lat.prog <= f).astype(int),
        "dor_months": np.where(responder, dor, np.nan),
        "dor_event": np.where(responder, (lat.prog <= f).astype(float), np.nan),
        "ttr_months": np.where(responder, ttr, np.nan),
    }
    for name, values in lat.cov.items():
        table[name] = np.array(values, dtype=object)
    return table


# ----------------------------------------------------------------------------
# The generator's own evaluation of the checks (numpy; check.py re-does it
# independently with pandas + lifelines + scipy)
# ----------------------------------------------------------------------------


def km_steps(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    times = np.unique(t[e == 1])
    s, out = 1.0, []
    for x in times:
        at_risk = np.sum(t >= x)
        deaths = np.sum((t == x) & (e == 1))
        s *= 1.0 - deaths / at_risk
        out.append(s)
    return times, np.array(out)


def km_median(t: np.ndarray, e: np.ndarray) -> float | None:
    """First time S(t) <= 0.5; None if not reached or if a step comes within
    HALF_CLEARANCE of 0.5 (then median rules could disagree)."""
    times, s = km_steps(t, e)
    if np.any(np.abs(s - 0.5) < HALF_CLEARANCE):
        return None
    below = np.flatnonzero(s <= 0.5)
    return float(times[below[0]]) if len(below) else None


def mixed_ties(t: np.ndarray, e: np.ndarray) -> bool:
    return bool(set(t[e == 1].tolist()) & set(t[e == 0].tolist()))


def near(value: float, target: float, decimals: int) -> bool:
    return abs(value - target) <= ROUNDING_MARGIN * 10.0 ** (-decimals)


def endpoint(table: dict, name: str) -> tuple[np.ndarray, np.ndarray]:
    t = table[f"{name}_months"]
    e = table[f"{name}_event"]
    keep = ~np.isnan(t.astype(float))
    return t[keep].astype(float), e[keep].astype(int)


def holds(check: dict, table: dict, denominator: str) -> bool:
    resp = table["best_response"]
    n_all = len(resp)
    responder = np.isin(resp, ["CR", "PR"])
    kind = check["kind"]
    if kind == "n":
        return n_all == check["value"]
    if kind == "response_count":
        k = int(np.sum(resp == check["response"]))
        return k == check["value"] and ("percent" not in check or percent(k, n_all) == check["percent"])
    if kind in ("orr", "dcr"):
        good = ["CR", "PR"] if kind == "orr" else ["CR", "PR", "SD"]
        k = int(np.sum(np.isin(resp, good)))
        n = n_all if denominator == "all-treated" else int(np.sum(resp != "NE"))
        return (k, n, percent(k, n)) == (check["k"], check["n"], check["percent"])
    if kind == "tumor_reduction":
        pct = table["best_pct_change"]
        measured = ~np.isnan(pct)
        k, n = int(np.sum(pct[measured] < 0)), int(np.sum(measured))
        return (k, n, percent(k, n)) == (check["k"], check["n"], check["percent"])
    if kind == "ttr_median":
        return abs(float(np.median(table["ttr_months"][responder])) - check["value"]) <= check["within"]
    if kind == "follow_up_median":
        t, e = endpoint(table, check["endpoint"])
        m = km_median(t, 1 - e)
        return m is not None and near(m, check["value"], check["decimals"]) and not mixed_ties(t, e)
    if kind == "km_median":
        t, e = endpoint(table, check["endpoint"])
        m = km_median(t, e)
        return m is not None and near(m, check["value"], check["decimals"]) and not mixed_ties(t, e)
    if kind == "km_median_not_reached":
        t, e = endpoint(table, check["endpoint"])
        _, s = km_steps(t, e)
        return len(s) == 0 or s.min() > 0.5 + HALF_CLEARANCE
    if kind == "dor_ongoing":
        ongoing = table["dor_event"][responder] == 0
        k, n = int(np.sum(ongoing)), int(np.sum(responder))
        return (k, n, percent(k, n)) == (check["k"], check["n"], check["percent"])
    if kind == "dor_longest":
        dor = table["dor_months"][responder]
        ev = table["dor_event"][responder]
        top = np.flatnonzero(dor == dor.max())
        return (len(top) == 1 and near(float(dor.max()), check["value"], check["decimals"])
                and bool(ev[top[0]] == 0) == check["censored"])
    if kind == "categorical_percent":
        col = table[check["column"]]
        k, n = int(np.sum(col == check["level"])), int(np.sum(col != ""))
        if "within" in check:
            return abs(100.0 * k / n - check["percent"]) <= check["within"]
        return percent(k, n) == check["percent"]
    if kind == "numeric_median":
        x = table[check["column"]].astype(float)
        return near(float(np.median(x)), check["value"], check["decimals"])
    if kind == "numeric_below":
        return bool(np.all(table[check["column"]].astype(float) < check["value"]))
    if kind == "association":
        col = table[check["covariate"]]
        if check["test"] == "mann_whitney":
            x = col.astype(float)
            a, b = x[responder], x[~responder]
            p = stats.mannwhitneyu(a, b, alternative="two-sided").pvalue
            return np.median(a) > np.median(b) and p < check["alpha"]
        yes = col == check["level"]
        tab = [[int(np.sum(yes & responder)), int(np.sum(~yes & responder))],
               [int(np.sum(yes & ~responder)), int(np.sum(~yes & ~responder))]]
        p = stats.fisher_exact(tab).pvalue
        return yes[responder].mean() > yes[~responder].mean() and p < check["alpha"]
    raise ValueError(f"unknown check kind {kind!r}")


def failures(spec: Spec, table: dict):
    """Yields every published figure that does not hold, then every breach of
    the robustness rules (lazily: the search stops at the first)."""
    for f in spec.figs:
        if not holds(f["check"], table, spec.meta["denominator"]):
            yield f["figure"]
    for name in ("os", "pfs", "dor"):
        t, e = endpoint(table, name)
        if mixed_ties(t, e):
            yield f"{name}: a time is both an event and a censoring"
        # Every median the page may show (OS, PFS, DOR, follow-up) agrees
        # between median rules only if no step sits at S = 0.5.
        for events in ((e, 1 - e) if name == "os" else (e,)):
            if np.any(np.abs(km_steps(t, events)[1] - 0.5) < HALF_CLEARANCE):
                yield f"{name}: a Kaplan-Meier step equals 0.5"


STATIC_KINDS = {"n", "response_count", "orr", "dcr", "tumor_reduction", "ttr_median", "categorical_percent",
                "numeric_median", "numeric_below", "association"}


def failures_static(spec: Spec, lat: Latent) -> list[str]:
    """The checks that do not depend on the design constants (a cheap screen)."""
    responder = np.isin(lat.response, ["CR", "PR"])
    table = {"best_response": lat.response, "best_pct_change": lat.pct,
             "ttr_months": np.where(responder, np.round(lat.ttr, 2), np.nan)}
    table.update({k: np.array(v, dtype=object) for k, v in lat.cov.items()})
    checks = [dict(f["check"], within=TTR_AIM_WITHIN) if f["check"]["kind"] == "ttr_median" else f["check"]
              for f in spec.figs]
    return [c["kind"] for c in checks
            if c["kind"] in STATIC_KINDS and not holds(c, table, spec.meta["denominator"])]


def candidates(spec: Spec, lat: Latent) -> list[tuple[float, float, float]]:
    """Design constants (A, m, g) to try, nearest to the nominal ones first.
    With a longest-response anchor, A is solved for each gap m so that one
    responder, ongoing at the cutoff, has exactly that duration."""
    a0, m0 = spec.accrual_nominal, spec.gap_nominal
    out = []
    for g in spec.post_scale_grid:
        for m in spec.gap_grid or (m0,):
            if spec.longest_dor is None:
                out.extend((a, m, g) for a in (spec.accrual_grid or (a0,)))
                continue
            q = 1.0 - lat.u ** (1.0 / spec.accrual_power)
            for j in np.flatnonzero(np.isin(lat.response, ["CR", "PR"])):
                a = (spec.longest_dor + round(float(lat.ttr[j]), 2) - m) / q[j]
                if 0.6 * a0 <= a <= 1.5 * a0:
                    out.append((round(a, 4), m, g))
    return sorted(out, key=lambda c: (abs(c[0] - a0) / a0 + abs(c[1] - m0) / m0 + abs(c[2] - 1.0), c))


def fit(spec: Spec) -> tuple[int, tuple[float, float, float], dict]:
    for attempt in range(MAX_ATTEMPTS):
        seed = spec.base_seed + attempt
        lat = draw_latent(spec, np.random.default_rng(seed))
        if failures_static(spec, lat):
            continue
        for a, m, g in candidates(spec, lat):
            table = observe(spec, lat, a, m, g)
            if table is not None and next(failures(spec, table), None) is None:
                return seed, (a, m, g), table
    raise RuntimeError(f"{spec.id}: no accepted draw in {MAX_ATTEMPTS} attempts")


# ----------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------

TIME_COLUMNS = ("os_months", "pfs_months", "dor_months", "ttr_months")
EVENT_COLUMNS = ("os_event", "pfs_event", "dor_event")


def csv_text(spec: Spec, table: dict) -> str:
    fixed = ("best_response", "best_pct_change", *TIME_COLUMNS, *EVENT_COLUMNS)
    columns = ["patient_id", "best_response", "best_pct_change", "os_months", "os_event", "pfs_months",
               "pfs_event", "dor_months", "dor_event", "ttr_months", *[c for c in table if c not in fixed]]
    out = io.StringIO()
    out.write(",".join(columns) + "\n")
    for i in range(spec.n):
        row = []
        for c in columns:
            if c == "patient_id":
                row.append(f"{spec.prefix}-{i + 1:03d}")
                continue
            v = table[c][i]
            if c in TIME_COLUMNS or c in EVENT_COLUMNS or c == "best_pct_change":
                if np.isnan(float(v)):
                    row.append("")
                elif c in TIME_COLUMNS:
                    row.append(f"{float(v):.2f}")
                elif c == "best_pct_change":
                    row.append(f"{float(v):.1f}")
                else:
                    row.append(str(int(v)))
            else:
                row.append(str(v))
        out.write(",".join(row) + "\n")
    return out.getvalue()


def method_text(spec: Spec, seed: int, design: tuple[float, float, float]) -> str:
    a, m, g = design
    accrual = "uniformly" if spec.accrual_power == 1.0 else "with a linearly increasing rate (density proportional to t)"
    pd = spec.dor_weibull
    return (
        f"Seeded draw (numpy PCG64, seed {seed}) from a stated parametric model, accepted only when every published "
        f"figure holds. Patients are enrolled {accrual} over {a:.2f} months and the data cutoff is {m:.2f} months "
        f"after the end of accrual; every time is censored at that single cutoff. The published best-response "
        f"counts are assigned in random order; best % change is drawn per category (CR -100; PR -30 to -95, beta; "
        f"SD between -30 and +20 with the published share of reductions; PD from +20, gamma). Tumour assessments "
        f"are every 6 weeks, the first at day 42 plus a gamma({spec.first_scan_delay[0]:g}, "
        f"{spec.first_scan_delay[1]:g} days) delay; responders respond at the 1st/2nd/3rd assessment with "
        f"probabilities {'/'.join(f'{p:g}' for p in spec.response_scan_probs)}. Duration of response is Weibull "
        f"(shape {pd[0]:g}, scale {pd[1]:g} months for PR, {pd[2]:g} for CR); stable disease progresses at the first 6-weekly "
        f"assessment after a Weibull(shape {spec.sd_weibull[0]:g}, scale {spec.sd_weibull[1]:g} months) time "
        f"from the first assessment; progressive disease is recorded at the first assessment; survival after progression is "
        f"Weibull(shape {spec.post_weibull[0]:g}, scale {spec.post_weibull[1] * g:.3g} months"
        f"{', x0.65 with liver or brain metastases' if spec.id == 'lifileucel-melanoma' else ''}); "
        f"not-evaluable patients die {spec.ne_death[0]:g}-{spec.ne_death[1]:g} months after infusion, before "
        f"their first assessment. Responders' PFS is ttr + DOR. Accrual length, cutoff gap and survival scale were "
        f"chosen from a stated grid, nearest to the nominal values first, so that the continuous figures come out. "
        f"Details: assets/studies/README.md."
    )


def metadata(spec: Spec, seed: int, design: tuple[float, float, float]) -> dict:
    a, m, g = design
    return {
        "id": spec.id,
        "title": spec.meta["title"],
        "short_title": spec.meta["short_title"],
        "citation": spec.meta["citation"],
        "nct": spec.meta["nct"],
        "design": spec.meta["design"],
        "endpoint_notes": spec.meta["endpoint_notes"],
        "synthetic": True,
        "synthetic_note": SYNTHETIC_NOTE,
        "method": method_text(spec, seed, design),
        "definitions": COMMON_NOTES,
        "generator": GENERATOR,
        "seed": seed,
        "model": {"accrual_months": a, "cutoff_after_accrual_months": m, "data_cutoff_months": round(a + m, 4),
                  "post_progression_scale_factor": g},
        "denominator": spec.meta["denominator"],
        "illustrative_columns": spec.meta["illustrative_columns"],
        "published": spec.figs,
    }


def render(spec: Spec) -> tuple[str, str]:
    seed, design, table = fit(spec)
    return csv_text(spec, table), json.dumps(metadata(spec, seed, design), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed assets differ")
    parser.add_argument("--only", help="one study id")
    args = parser.parse_args()
    stale = []
    for spec in SPECS:
        if args.only and spec.id != args.only:
            continue
        csv_out, json_out = render(spec)
        for path, text in ((ASSETS / f"{spec.id}.csv", csv_out), (ASSETS / f"{spec.id}.json", json_out)):
            if args.check:
                if not path.exists() or path.read_text() != text:
                    stale.append(str(path.relative_to(REPO)))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
                print(f"wrote {path.relative_to(REPO)}")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
