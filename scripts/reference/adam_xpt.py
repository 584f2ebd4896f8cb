"""SAS XPORT copies of the ADaM CSV fixtures in tests/fixtures/adam/.

Run from the repository root, in an environment made from
scripts/reference/requirements-adam.txt:

    python3 -m venv .venv-adam && .venv-adam/bin/pip install -r scripts/reference/requirements-adam.txt
    .venv-adam/bin/python scripts/reference/adam_xpt.py

Writes, with pyreadstat.write_xport:

- version 5 transport files next to every CSV:
  tests/fixtures/adam/{pharmaverseadam,random_cdisc_data}/{adsl,adrs,adtte}.xpt
- version 8 transport files of the random_cdisc_data trio:
  tests/fixtures/adam/random_cdisc_data/v8/{adsl,adrs,adtte}.xpt

How a CSV becomes a SAS dataset:

- Every row and the column order are kept.
- A column whose non-empty cells are all numbers (optional sign, digits,
  optional fraction, optional exponent) becomes a SAS numeric variable; an
  empty cell becomes the SAS missing value `.`. Every other column is a
  character variable, an empty cell a blank value. A column with no
  non-empty cell at all (DTHA30FL, RFICDTC and DTHDTF in pharmaverseadam's
  ADSL) has no number in it and is written as character. Dates and datetimes
  stay ISO 8601 text (no SAS date values, no formats).
- Version 5 allows variable names of at most 8 characters. A longer name is
  dropped from the v5 copy, with its values, and kept in the v8 copy. In
  random_cdisc_data these are ADTTE's `lgTMATRSK` and, in ADSL and ADTTE,
  `TRT01SDTM`, `TRT01EDTM`, `TRT02SDTM`, `TRT02EDTM` (9 characters each; the
  ADaM IG spells these TRxxSDTM/TRxxEDTM, 8 characters). pharmaverseadam has
  no longer name. The script prints what it dropped and asserts that it is
  exactly this list (DROPPED_V5).
- Variable labels: the CDISC ADaM IG wording for the standard ADaM variables
  present, and the SDTM IG wording for the SDTM variables ADaM copies
  unchanged (DM's in ADSL; VISIT, VISITNUM, RSEVAL, RSSEQ in ADRS). STRATA1 and
  STRATA2 are not ADaM IG names; they get random.cdisc.data's own labels
  ("Stratification Factor 1/2"). Study-specific variables (biomarkers,
  admiral's death groupings, ...) get no label. Every label is at most 40
  characters, the v5 limit.
- Dataset names ADSL, ADRS, ADTTE, dataset labels "Subject-Level Analysis
  Dataset", "Response Analysis Dataset", "Time-to-Event Analysis Dataset".

ReadStat stamps the time of writing into the library and member headers
(created and modified, `ddMMMyy:hh:mm:ss`, at bytes 144, 160, 464 and 480);
the script overwrites these four stamps with STAMP so that a rerun
reproduces the files byte for byte.

Every file is then read back with pyreadstat.read_xport and compared with the
CSV cell by cell: numbers equal exactly as float, text equal exactly, missing
as missing (NaN for numeric, "" for character), column names and order, the
variable labels and the dataset label. The version 5 files are read a second
time with pandas' own XPORT reader (pandas.read_sas(format="xport"), not
ReadStat) and compared the same way, except that pandas decodes the IBM
zero (eight zero bytes, as ReadStat writes 0) as 16**-65 = 5.4e-79, an open
pandas bug (pandas-dev/pandas#50670); the check accepts exactly that value
where the CSV has 0 and counts how often. Sizes are printed at the end.
"""

import hashlib
import math
import os
import re

import pandas as pd
import pyreadstat

ROOT = "tests/fixtures/adam"
STUDIES = ["pharmaverseadam", "random_cdisc_data"]
DATASETS = {
    "adsl": ("ADSL", "Subject-Level Analysis Dataset"),
    "adrs": ("ADRS", "Response Analysis Dataset"),
    "adtte": ("ADTTE", "Time-to-Event Analysis Dataset"),
}
LONG_TRT = ["TRT01SDTM", "TRT01EDTM", "TRT02SDTM", "TRT02EDTM"]
DROPPED_V5 = {
    ("random_cdisc_data", "adsl"): LONG_TRT,
    ("random_cdisc_data", "adtte"): LONG_TRT + ["lgTMATRSK"],
}
STAMP = b"01JAN24:00:00:00"
STAMP_OFFSETS = [144, 160, 464, 480]
STAMP_PATTERN = re.compile(rb"^\d\d[A-Z]{3}\d\d:\d\d:\d\d:\d\d$")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

# ADaM IG (ADSL, BDS and TTE variables) and, for the variables ADaM copies from
# SDTM, the SDTM IG labels.
LABELS = {
    # identifiers
    "STUDYID": "Study Identifier",
    "USUBJID": "Unique Subject Identifier",
    "SUBJID": "Subject Identifier for the Study",
    "SITEID": "Study Site Identifier",
    "INVID": "Investigator Identifier",
    "INVNAM": "Investigator Name",
    "REGION1": "Geographic Region 1",
    "COUNTRY": "Country",
    # demographics
    "AGE": "Age",
    "AGEU": "Age Units",
    "AGEGR1": "Pooled Age Group 1",
    "SEX": "Sex",
    "RACE": "Race",
    "RACEGR1": "Pooled Race Group 1",
    "ETHNIC": "Ethnicity",
    "BRTHDTC": "Date/Time of Birth",
    # SDTM DM dates
    "RFSTDTC": "Subject Reference Start Date/Time",
    "RFENDTC": "Subject Reference End Date/Time",
    "RFXSTDTC": "Date/Time of First Study Treatment",
    "RFXENDTC": "Date/Time of Last Study Treatment",
    "RFICDTC": "Date/Time of Informed Consent",
    "RFPENDTC": "Date/Time of End of Participation",
    "DTHDTC": "Date/Time of Death",
    "DTHFL": "Subject Death Flag",
    "DMDTC": "Date/Time of Collection",
    "DMDY": "Study Day of Collection",
    # populations
    "SAFFL": "Safety Population Flag",
    "ITTFL": "Intent-To-Treat Population Flag",
    # treatment
    "ARM": "Description of Planned Arm",
    "ARMCD": "Planned Arm Code",
    "ACTARM": "Description of Actual Arm",
    "ACTARMCD": "Actual Arm Code",
    "TRT01P": "Planned Treatment for Period 01",
    "TRT01A": "Actual Treatment for Period 01",
    "TRT02P": "Planned Treatment for Period 02",
    "TRT02A": "Actual Treatment for Period 02",
    "TRTSDT": "Date of First Exposure to Treatment",
    "TRTSDTM": "Datetime of First Exposure to Treatment",
    "TRTSTMF": "Time of First Exposure Imput. Flag",
    "TRTEDT": "Date of Last Exposure to Treatment",
    "TRTEDTM": "Datetime of Last Exposure to Treatment",
    "TRTETMF": "Time of Last Exposure Imput. Flag",
    "TRTDURD": "Total Treatment Duration (Days)",
    # ADaM IG names TRxxSDTM/TRxxEDTM; random.cdisc.data spells them TRTxx...
    "TRT01SDTM": "Datetime of First Exposure in Period 01",
    "TRT01EDTM": "Datetime of Last Exposure in Period 01",
    "TRT02SDTM": "Datetime of First Exposure in Period 02",
    "TRT02EDTM": "Datetime of Last Exposure in Period 02",
    "AP01SDTM": "Period 01 Start Datetime",
    "AP01EDTM": "Period 01 End Datetime",
    "AP02SDTM": "Period 02 Start Datetime",
    "AP02EDTM": "Period 02 End Datetime",
    # trial experience
    "RANDDT": "Date of Randomization",
    "EOSSTT": "End of Study Status",
    "EOSDT": "End of Study Date",
    "EOTSTT": "End of Treatment Status",
    "DCSREAS": "Reason for Discontinuation from Study",
    "DTHDT": "Date of Death",
    "DTHDTF": "Date of Death Imputation Flag",
    "DTHCAUS": "Cause of Death",
    "DTHADY": "Relative Day of Death",
    "LDDTHELD": "Elapsed Days from Last Dose to Death",
    "LSTALVDT": "Date Last Known Alive",
    # not ADaM IG names: random.cdisc.data's own labels
    "STRATA1": "Stratification Factor 1",
    "STRATA2": "Stratification Factor 2",
    # BDS / TTE
    "ASEQ": "Analysis Sequence Number",
    "PARAM": "Parameter",
    "PARAMCD": "Parameter Code",
    "PARCAT1": "Parameter Category 1",
    "PARCAT2": "Parameter Category 2",
    "PARCAT3": "Parameter Category 3",
    "AVAL": "Analysis Value",
    "AVALC": "Analysis Value (C)",
    "AVALU": "Analysis Value Unit",
    "ADT": "Analysis Date",
    "ADTF": "Analysis Date Imputation Flag",
    "ADTM": "Analysis Datetime",
    "ADY": "Analysis Relative Day",
    "AVISIT": "Analysis Visit",
    "AVISITN": "Analysis Visit (N)",
    "ANL01FL": "Analysis Flag 01",
    "ANL02FL": "Analysis Flag 02",
    "STARTDT": "Time-to-Event Origin Date for Subject",
    "CNSR": "Censor",
    "EVNTDESC": "Event or Censoring Description",
    "CNSDTDSC": "Censor Date Description",
    "SRCDOM": "Source Data",
    "SRCVAR": "Source Variable",
    "SRCSEQ": "Source Sequence Number",
    # SDTM variables carried into ADRS
    "VISIT": "Visit Name",
    "VISITNUM": "Visit Number",
    "RSEVAL": "Evaluator",
    "RSSEQ": "Sequence Number",
}
assert all(len(v) <= 40 for v in LABELS.values())


def read_csv(path):
    """Every cell as the text in the file ("" for an empty field)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")


def is_numeric(cells):
    filled = [c for c in cells if c != ""]
    return bool(filled) and all(NUMBER.match(c) for c in filled)


def to_frame(text):
    """CSV text cells -> the frame written to XPT (float64 with NaN, or str)."""
    out = {}
    for col in text.columns:
        cells = text[col].tolist()
        if is_numeric(cells):
            out[col] = pd.Series([float(c) if c != "" else math.nan for c in cells], dtype="float64")
        else:
            out[col] = pd.Series(cells, dtype=object)
    return pd.DataFrame(out, columns=list(text.columns))


def write(frame, path, name, label, version):
    columns = list(frame.columns)
    dropped = [c for c in columns if version == 5 and len(c) > 8]
    frame = frame[[c for c in columns if c not in dropped]]
    labels = {c: LABELS[c] for c in frame.columns if c in LABELS}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pyreadstat.write_xport(frame, path, file_label=label, column_labels=labels, table_name=name,
                           file_format_version=version)
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        for at in STAMP_OFFSETS:
            assert STAMP_PATTERN.match(bytes(data[at:at + 16])), (path, at, bytes(data[at:at + 16]))
            data[at:at + 16] = STAMP
        f.seek(0)
        f.write(data)
    return frame, labels, dropped


def check(frame, labels, path, name, label):
    back, meta = pyreadstat.read_xport(path)
    assert list(back.columns) == list(frame.columns), (path, list(back.columns))
    assert len(back) == len(frame), path
    assert meta.file_label == label, (path, meta.file_label)
    assert meta.table_name == name, (path, meta.table_name)
    for col in frame.columns:
        got_label = meta.column_names_to_labels.get(col)
        assert (got_label or None) == labels.get(col), (path, col, got_label)
        want, got = frame[col], back[col]
        if want.dtype == "float64":
            assert got.dtype == "float64", (path, col, got.dtype)
            for w, g in zip(want, got):
                assert (math.isnan(w) and math.isnan(g)) or w == g, (path, col, w, g)
        else:
            assert got.dtype == object, (path, col, got.dtype)
            for w, g in zip(want, got):
                assert isinstance(g, str) and w == g, (path, col, w, g)


IBM_ZERO_AS_READ_BY_PANDAS = 16.0 ** -65


def check_pandas(frame, path):
    """Second reader for v5: pandas' SAS XPORT parser (independent of ReadStat).

    Returns how many zeros pandas read as 16**-65 (pandas-dev/pandas#50670)."""
    back = pd.read_sas(path, format="xport", encoding="utf-8")
    zeros = 0
    assert list(back.columns) == list(frame.columns), path
    for col in frame.columns:
        want, got = frame[col], back[col]
        if want.dtype == "float64":
            assert got.dtype == "float64", (path, col)
            for w, g in zip(want, got):
                if w == 0 and g == IBM_ZERO_AS_READ_BY_PANDAS:
                    zeros += 1
                    continue
                assert (math.isnan(w) and math.isnan(g)) or w == g, (path, col, w, g)
        else:
            for w, g in zip(want, got):
                assert w == g, (path, col, w, g)
    return zeros


def main():
    written = []
    for study in STUDIES:
        for stem, (name, label) in DATASETS.items():
            frame = to_frame(read_csv(os.path.join(ROOT, study, stem + ".csv")))
            versions = [(5, os.path.join(ROOT, study, stem + ".xpt"))]
            if study == "random_cdisc_data":
                versions.append((8, os.path.join(ROOT, study, "v8", stem + ".xpt")))
            for version, path in versions:
                kept, labels, dropped = write(frame, path, name, label, version)
                assert dropped == (DROPPED_V5.get((study, stem), []) if version == 5 else []), dropped
                check(kept, labels, path, name, label)
                zeros = check_pandas(kept, path) if version == 5 else None
                numeric = sum(kept[c].dtype == "float64" for c in kept.columns)
                print(f"{path}: v{version}, {len(kept)} rows, {len(kept.columns)} columns "
                      f"({numeric} numeric, {len(labels)} labelled)"
                      + (f", dropped {', '.join(dropped)} (name longer than 8)" if dropped else "")
                      + (f"; pandas read_sas agrees ({zeros} zeros read as 16**-65)" if zeros is not None else ""))
                written.append(path)
    total = 0
    for path in written:
        size = os.path.getsize(path)
        total += size
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        print(f"{size:>9} {digest} {path}")
    print(f"{total:>9} total ({total / 2**20:.2f} MiB)")


if __name__ == "__main__":
    main()
