"""Reference SAS transport files for cohortscope's XPT reader (src/data/xpt.rs),
written and read back by an independent implementation: pyreadstat (readstat).

Run from the repository root:

    python3 -m venv /tmp/xpt-venv && /tmp/xpt-venv/bin/pip install -r scripts/reference/requirements-xpt.txt
    /tmp/xpt-venv/bin/python scripts/reference/xpt_fixtures.py

Writes into tests/fixtures/xpt/, for each NAME listed in index.csv:

- NAME.xpt, the transport file (v5 or v8) as pyreadstat.write_xport writes it;
- NAME.csv, its observations as pyreadstat.read_xport reads them back: numbers
  with repr (so every double is exact), missing numbers as empty fields, text
  as read;
- NAME.variables.csv, each variable's name, label, type, length and format as
  pyreadstat's metadata gives them.

index.csv lists the files with their version, dataset name and label and the
encoding they were read back in. readstat stamps the files with the time they
were written, so regenerating changes those bytes and nothing else.
"""

import csv
import math
import os

import numpy as np
import pandas as pd
import pyreadstat

OUT = "tests/fixtures/xpt"
SOURCE = f"pyreadstat {pyreadstat.__version__}"


def basic_v5():
    """Numeric and character columns, labels, formats, missing numbers, an
    empty string, text beyond ASCII (UTF-8), and the edges of the IBM range:
    readstat writes 1e300, and already 7.2e75 (below the IBM maximum, about
    7.237e75), as the largest IBM magnitude, which it reads back as inf; it
    writes 1e-300 as zero, and 2^-260 (16^-65, the smallest normalised IBM
    number) exactly; -0.0 becomes 0. The last row is all zeros and empty text."""
    df = pd.DataFrame(
        {
            "USUBJID": ["01-001", "01-002", "01-003", "01-004", "01-005", ""],
            "AGE": [63.0, 48.0, np.nan, 71.0, 55.0, 0.0],
            "HEIGHT": [172.5, 0.1, -3.25, 1e-300, 1e300, 0.0],
            "TRTSDT": [22000.0, 22015.0, 22030.0, np.nan, 21999.0, 0.0],
            "SITE": ["Zürich", "Genève", "", "Köln", "Århus", ""],
            "WEIGHT": [80.125, -0.0, 1 / 3, 2.0**-260, 7.2e75, 0.0],
        }
    )
    labels = {
        "USUBJID": "Unique Subject Identifier",
        "AGE": "Age",
        "TRTSDT": "Date of First Exposure to Treatment",
    }
    formats = {"TRTSDT": "DATE9.", "WEIGHT": "8.2"}
    return dict(
        name="basic_v5",
        version=5,
        df=df,
        table="DM",
        label="Demographics",
        labels=labels,
        formats=formats,
    )


def long_v8():
    """Version 8: a 20-character variable name, a 100-character label (in the
    LABELV8 section), a long dataset name, missing numbers."""
    long_name = "TIME_TO_EVENT_MONTHS"
    long_label = (
        "Months from randomisation to progression or death, "
        "censored at the last adequate tumour assessments."
    )
    assert len(long_name) == 20 and len(long_label) == 100
    df = pd.DataFrame(
        {
            "USUBJID": ["A-1", "A-2", "A-3", "A-4"],
            long_name: [12.4, np.nan, 3.0333333333333332, 27.5],
            "CNSR": [0.0, 1.0, 0.0, 1.0],
            "PARAMCD": ["PFS", "PFS", "OS", "OS"],
        }
    )
    return dict(
        name="long_v8",
        version=8,
        df=df,
        table="ADTTE_PROGRESSION_FREE",
        label="Time-to-Event Analysis Dataset",
        labels={long_name: long_label, "CNSR": "Censor"},
        formats={long_name: "8.1"},
    )


def random_v8():
    """Three hundred rows of doubles drawn from 1e-70 to 1e70 (seeded), and a
    4-byte text column: 12-byte observations straddle the 80-byte records."""
    rng = np.random.default_rng(20240101)
    n = 300
    x = rng.standard_normal(n) * 10.0 ** rng.integers(-70, 70, n)
    x[rng.random(n) < 0.05] = np.nan
    df = pd.DataFrame(
        {
            "X": x,
            "C": [f"r{i:03d}" for i in range(n)],
        }
    )
    return dict(
        name="random_v8", version=8, df=df, table="RANDOM", label="", labels={}, formats={}
    )


def adtte_v5():
    """An ADaM-like time-to-event layout (one row per subject and parameter):
    identifiers and descriptions as text, times in months at full precision
    (days / 30.4375), censoring flags, dates as SAS day numbers. Forty rows,
    seeded; the timing test repeats them to 50 MB."""
    rng = np.random.default_rng(7)
    n = 40
    days = rng.integers(5, 900, n)
    cnsr = rng.integers(0, 2, n).astype(float)
    start = 22000 + rng.integers(0, 365, n)
    df = pd.DataFrame(
        {
            "STUDYID": ["CS-ONC-001"] * n,
            "USUBJID": [f"CS-ONC-001-{100 + i:04d}" for i in range(n)],
            "PARAMCD": ["PFS" if i % 2 else "OS" for i in range(n)],
            "PARAM": [
                "Progression-Free Survival (Months)" if i % 2 else "Overall Survival (Months)"
                for i in range(n)
            ],
            "AVAL": days / 30.4375,
            "CNSR": cnsr,
            "STARTDT": start.astype(float),
            "ADT": (start + days).astype(float),
            "EVNTDESC": ["Censored at last assessment" if c else "Death or progression" for c in cnsr],
            "TRTP": ["Arm A: 10 mg/kg" if i % 3 else "Arm B: placebo" for i in range(n)],
            "AGE": rng.integers(25, 85, n).astype(float),
            "SEX": ["F" if i % 2 else "M" for i in range(n)],
        }
    )
    return dict(
        name="adtte_v5",
        version=5,
        df=df,
        table="ADTTE",
        label="Time-to-Event Analysis Dataset",
        labels={"AVAL": "Analysis Value", "CNSR": "Censor", "ADT": "Analysis Date"},
        formats={"STARTDT": "DATE9.", "ADT": "DATE9."},
    )


def write(spec):
    path = os.path.join(OUT, spec["name"] + ".xpt")
    pyreadstat.write_xport(
        spec["df"],
        path,
        file_label=spec["label"],
        column_labels=spec["labels"],
        table_name=spec["table"],
        file_format_version=spec["version"],
        variable_format=spec["formats"],
    )
    return path


def latin1_v5():
    """Text in Latin-1 bytes, not UTF-8. pyreadstat writes text as UTF-8 only,
    so the script writes an ASCII stand-in of the same length and replaces its
    bytes in the file by the Latin-1 bytes; pyreadstat reads the file back with
    encoding="latin1"."""
    texts = ["café", "Müller", "niño"]
    stand_ins = ["caf#", "M#ller", "ni#o"]
    df = pd.DataFrame({"NAME": stand_ins, "N": [1.0, 2.0, 3.0]})
    spec = dict(
        name="latin1_v5",
        version=5,
        df=df,
        table="LATIN",
        label="Latin-1 text",
        labels={"NAME": "Name"},
        formats={},
    )
    path = write(spec)
    with open(path, "rb") as f:
        data = f.read()
    for stand_in, text in zip(stand_ins, texts):
        old, new = stand_in.encode("ascii"), text.encode("latin-1")
        assert len(old) == len(new) and data.count(old) == 1
        data = data.replace(old, new)
    with open(path, "wb") as f:
        f.write(data)
    return spec, path


def number(x):
    return "" if isinstance(x, float) and math.isnan(x) else repr(float(x))


def read_back(spec, path, encoding):
    df, meta = pyreadstat.read_xport(
        path, encoding=encoding, disable_datetime_conversion=True
    )
    types = meta.readstat_variable_types
    with open(path[: -len(".xpt")] + ".csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(meta.column_names)
        for row in df.itertuples(index=False):
            w.writerow(
                number(v) if types[c] == "double" else v
                for c, v in zip(meta.column_names, row)
            )
    with open(
        path[: -len(".xpt")] + ".variables.csv", "w", newline="", encoding="utf-8"
    ) as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "label", "type", "length", "format"])
        for c in meta.column_names:
            w.writerow(
                [
                    c,
                    meta.column_names_to_labels.get(c) or "",
                    "numeric" if types[c] == "double" else "character",
                    meta.variable_storage_width[c],
                    meta.original_variable_types.get(c) or "",
                ]
            )
    return [spec["name"], spec["version"], meta.table_name, meta.file_label or "", encoding, SOURCE]


def main():
    os.makedirs(OUT, exist_ok=True)
    index = []
    for spec in [basic_v5(), long_v8(), random_v8(), adtte_v5()]:
        index.append(read_back(spec, write(spec), "utf-8"))
    spec, path = latin1_v5()
    index.append(read_back(spec, path, "latin1"))
    with open(os.path.join(OUT, "index.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "version", "dataset_name", "dataset_label", "encoding", "source"])
        w.writerows(index)


if __name__ == "__main__":
    main()
