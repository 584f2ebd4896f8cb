//! Import of real-world cohort files: encodings, delimiters, spellings,
//! CDISC ADaM, and every validation error and warning with its exact text.
//! Fixtures are in tests/fixtures/data/ (the ADaM subsets are made by
//! make_adam_subsets.py from the pharmaverseadam and random.cdisc.data examples).
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI or a browser

use cohortscope::data::columns::{EventColumn, TimeColumn};
use cohortscope::data::values::TimeUnit;
use cohortscope::data::{
    import_csv, import_files, Cell, Cohort, ColumnMapping, CovariateValues, ImportFailure,
    ImportJob, ImportOptions, InputFile, Message, Severity,
};
use cohortscope::stats::response::BestResponse::{self, *};

/// Times converted from days or weeks agree with the hand computation to round-off.
const CONVERSION_TOLERANCE: f64 = 1e-12;

/// The best % changes, as plain options.
fn changes(c: &Cohort) -> Option<Vec<Option<f64>>> {
    c.best_pct_change.as_ref().map(|v| v.iter().collect())
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn import(name: &str) -> Cohort {
    import_csv(fixture(name), None).unwrap_or_else(|f| panic!("{name}:\n{f}"))
}

fn failure(name: &str) -> ImportFailure {
    match import_csv(fixture(name), None) {
        Ok(c) => panic!("{name}: expected a failure, got {} patients", c.len()),
        Err(f) => f,
    }
}

fn lines(messages: &[Message], severity: Severity) -> Vec<String> {
    messages
        .iter()
        .filter(|m| m.severity == severity)
        .map(Message::to_string)
        .collect()
}

fn months(cohort: &Cohort, key: &str) -> Vec<Option<(f64, bool)>> {
    cohort
        .endpoint(key)
        .unwrap()
        .values
        .iter()
        .map(|v| v.map(|t| (t.months, t.event)))
        .collect()
}

fn responses(cohort: &Cohort) -> Vec<Option<BestResponse>> {
    cohort.best_response.clone().unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= CONVERSION_TOLERANCE * b.abs().max(1.0)
}

#[test]
fn semicolon_decimal_comma_bom_crlf() {
    let c = import("european_bom_crlf.csv");
    assert_eq!(c.ids, ["P01", "P02", "P03"]);
    assert_eq!(c.rows, [2, 3, 4]);
    assert_eq!(responses(&c), [Some(Pr), Some(Sd), Some(Cr)]);
    assert_eq!(
        changes(&c),
        Some(vec![Some(-45.2), Some(-3.0), Some(-100.0)])
    );
    assert_eq!(
        months(&c, "os"),
        [Some((12.5, true)), Some((8.25, false)), Some((24.0, false))]
    );
    assert_eq!(c.endpoint("os").unwrap().label, "Overall survival");
    assert_eq!(c.endpoint("os").unwrap().unit, TimeUnit::Months);
    assert_eq!(
        c.grouping_columns()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>(),
        ["Arm"]
    );
    assert_eq!(
        lines(&c.messages, Severity::Note),
        ["semicolon-delimited: a decimal comma is accepted in numbers"]
    );
    assert!(lines(&c.messages, Severity::Warning).is_empty());
}

#[test]
fn pasted_tsv_with_empty_rows_and_columns() {
    let c = import("pasted.tsv");
    assert_eq!(c.ids, ["101", "102"]);
    assert_eq!(responses(&c), [Some(Pd), Some(Pr)]);
    let pfs = months(&c, "pfs");
    assert!(close(pfs[0].unwrap().0, 6.0 * 7.0 / 30.4375) && pfs[0].unwrap().1);
    assert!(close(pfs[1].unwrap().0, 30.5 * 7.0 / 30.4375) && !pfs[1].unwrap().1);
    assert_eq!(c.endpoint("pfs").unwrap().unit, TimeUnit::Weeks);
    assert!(
        c.covariates.is_empty(),
        "trailing empty columns are not covariates"
    );
}

#[test]
fn excel_unicode_text_utf16() {
    let c = import("excel_unicode.txt");
    assert_eq!(c.ids, ["Zoë", "José"]);
    assert_eq!(changes(&c), Some(vec![Some(-31.5), Some(22.0)]));
}

#[test]
fn quoted_fields_with_newlines() {
    let c = import("quoted_newlines.csv");
    assert_eq!(c.ids, ["1", "2", "3", "4"]);
    assert_eq!(
        c.rows,
        [2, 3, 4, 5],
        "a multi-line cell stays one spreadsheet row"
    );
    assert_eq!(months(&c, "os")[2], Some((7.0, true)));
    match &c.covariate("comment").unwrap().values {
        CovariateValues::Categorical { levels, .. } => {
            assert_eq!(levels[0], "responded, then \"stable\"\nover two lines");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_response_spelling_is_mapped_and_counted() {
    let c = import("spellings.csv");
    assert_eq!(
        responses(&c),
        [
            Some(Cr),
            Some(Cr),
            Some(Cr),
            Some(Pr),
            Some(Pr),
            Some(Sd),
            Some(Sd),
            Some(Sd),
            Some(Pd),
            Some(Pd),
            Some(Ne),
            Some(Ne),
            Some(Ne),
            Some(Ne),
            None,
            Some(Pr)
        ]
    );
    let table: Vec<(&str, BestResponse, usize)> = c
        .response_spellings
        .iter()
        .map(|s| (s.original.as_str(), s.code, s.count))
        .collect();
    assert_eq!(
        table,
        [
            ("CR", Cr, 1),
            ("Complete Response", Cr, 1),
            ("complete response (CR)", Cr, 1),
            ("PR*", Pr, 2),
            ("Partial Response", Pr, 1),
            ("SD", Sd, 1),
            ("non-CR/non-PD", Sd, 1),
            ("stable disease", Sd, 1),
            ("PD", Pd, 1),
            ("Progressive Disease", Pd, 1),
            ("NA", Ne, 1),
            ("NE", Ne, 1),
            ("UNK", Ne, 1),
            ("not evaluable", Ne, 1),
        ]
    );
    assert_eq!(
        lines(&c.messages, Severity::Note),
        [
            "column best_response, value \"non-CR/non-PD\": 1 patients: non-CR/non-PD counted as SD (RECIST 1.1 counts it as disease control for patients without measurable disease)",
            "response rates: 1 patients excluded (no best response recorded): rows 16",
        ]
    );
}

#[test]
fn days_weeks_event_codes_other_endpoints_and_covariates() {
    let c = import("units_events.csv");
    let os = months(&c, "os");
    let expected_os = [(1.0, true), (2.0, false), (3.0, true), (0.0, false)];
    for (got, want) in os.iter().zip(expected_os) {
        let got = got.unwrap();
        assert!(
            close(got.0, want.0) && got.1 == want.1,
            "{got:?} vs {want:?}"
        );
    }
    assert_eq!(c.endpoint("os").unwrap().unit, TimeUnit::Days);
    assert_eq!(
        months(&c, "pfs")
            .iter()
            .map(|v| v.map(|t| t.1))
            .collect::<Vec<_>>(),
        [Some(true), Some(false), None, Some(true)]
    );
    assert_eq!(
        months(&c, "efs"),
        [
            Some((1.0, true)),
            Some((2.0, false)),
            Some((4.0, true)),
            Some((3.0, false))
        ]
    );
    assert_eq!(c.endpoint("efs").unwrap().label, "EFS");
    assert_eq!(
        c.endpoints
            .iter()
            .map(|e| e.key.as_str())
            .collect::<Vec<_>>(),
        ["os", "pfs", "efs"]
    );
    assert_eq!(
        c.covariate("cells_infused").unwrap().values,
        CovariateValues::Numeric(vec![Some(2.5), Some(3.0), None, Some(100.0)].into())
    );
    assert!(c.covariate("sex").unwrap().is_categorical());
    assert_eq!(
        lines(&c.messages, Severity::Note),
        ["Progression-free survival: 1 patients excluded (no time recorded): rows 4"]
    );
}

#[test]
fn every_error_is_reported_with_row_column_and_value() {
    let f = failure("errors.csv");
    assert_eq!(
        lines(&f.messages, Severity::Error),
        [
            "row 3, column id, value \"1\": duplicate patient id (first in row 2)",
            "row 4 (patient 2), column os_months, value \"-3\": time must be zero or positive",
            "row 5 (patient 3), column os_months, value \"abc\": time must be a number",
            "row 6 (patient 4), column os_event, value \"2\": unknown event code: expected 1/0, true/false, yes/no, event/censored or dead/alive",
            "row 7 (patient 5), column best_response, value \"responder\": unknown response code: expected CR, PR, SD, PD or NE (or a spelling such as \"Partial Response\")",
            "row 8 (patient 6), column best_pct_change, value \"-120\": best % change below -100% is impossible (diameters cannot be negative)",
            "row 9 (patient 7), column best_pct_change, value \"big\": best % change must be a number",
            "row 10, column id, value \"\": patient id is empty",
            "row 11 (patient 8), column os_event, value \"\": event is missing for a recorded time",
        ]
    );
}

#[test]
fn every_warning_names_its_row() {
    let c = import("warnings.csv");
    assert_eq!(
        lines(&c.messages, Severity::Warning),
        [
            "row 2 (patient 1), column best_pct_change, value \"-10\": PR with best change above -30% (RECIST 1.1 PR needs a decrease of at least 30%)",
            "row 3 (patient 2), column best_pct_change, value \"-25\": PD with best change below -20% (check the response or the change)",
            "row 4 (patient 3), column best_pct_change, value \"-50\": CR with best change above -80% (a CR is expected near -100%; threshold -80%)",
            "row 5 (patient 4), column dor_months, value \"4\": duration of response given for a non-responder (best response SD)",
            "row 6 (patient 5), column ttr_months, value \"2\": time to response given for a non-responder (best response PD)",
            "row 7 (patient 6), column ttr_months, value \"5\": time to response (5.00 months) is later than the overall survival time (3.00 months)",
        ]
    );
    assert_eq!(
        lines(&c.messages, Severity::Note),
        [
            "waterfall (best % change): 1 patients excluded (no post-baseline measurement): rows 9",
            "Duration of response: 4 patients excluded (no time recorded): rows 2, 3, 6, 9",
        ]
    );
    assert_eq!(c.ttr.as_ref().unwrap().months.get(0), Some(2.0));
}

#[test]
fn unmatched_columns_give_a_mapping_to_correct() {
    let f = failure("needs_mapping.csv");
    assert_eq!(
        lines(&f.messages, Severity::Error),
        [
            "missing required column patient_id (also read as ID, SUBJID, USUBJID, subject): choose the column that identifies patients",
            "column OS: missing required column os_event: the event indicator that goes with this time",
        ]
    );
    assert!(f.needs_mapping);
    let columns = *f.columns.clone().unwrap();
    assert_eq!(columns.headers, ["Patient No", "BOR", "OS", "died"]);
    let mut mapping = columns.mapping.clone();
    assert_eq!(mapping.patient_id, None);
    assert_eq!(mapping.best_response.as_deref(), Some("BOR"));
    assert_eq!(
        mapping.endpoints[0].time,
        Some(TimeColumn {
            column: "OS".into(),
            unit: TimeUnit::Months
        })
    );
    assert_eq!(mapping.endpoints[0].event, None);

    // The page corrects the selects, keeps the mapping in its state, and re-runs.
    mapping.patient_id = Some("Patient No".into());
    mapping.endpoints[0].event = Some(EventColumn {
        column: "died".into(),
        censor_indicator: false,
    });
    let json = serde_json::to_string(&mapping).unwrap();
    let mapping: ColumnMapping = serde_json::from_str(&json).unwrap();
    let c = import_csv(fixture("needs_mapping.csv"), Some(mapping)).unwrap();
    assert_eq!(c.ids, ["A-1", "A-2"]);
    assert_eq!(months(&c, "os"), [Some((3.5, true)), Some((12.0, false))]);
    assert!(c.covariates.is_empty());

    let mut wrong = columns.mapping;
    wrong.patient_id = Some("Patient Nr".into());
    let e = import_csv(fixture("needs_mapping.csv"), Some(wrong)).unwrap_err();
    assert_eq!(
        e.messages[0].to_string(),
        "column Patient Nr: the mapped column is not in the file"
    );
}

#[test]
fn unit_less_time_column_is_read_as_months_with_a_note() {
    let c = import_csv(b"ID,OS,STATUS\n1,3,1\n".to_vec(), None).unwrap();
    assert_eq!(
        lines(&c.messages, Severity::Note),
        ["column OS: no unit in the column name: times read as months"]
    );
    let c = import_csv(b"SUBJID,OSTIME,CNSR\n1,3,1\n2,4,0\n".to_vec(), None).unwrap();
    assert_eq!(
        months(&c, "os"),
        [Some((3.0, false)), Some((4.0, true))],
        "CNSR = 1 means censored"
    );
}

#[test]
fn incremental_import_matches_whole_import() {
    let bytes = fixture("warnings.csv");
    let mut job = ImportJob::new(
        vec![InputFile::new("", bytes.clone())],
        &ImportOptions::default(),
    )
    .unwrap();
    let mut steps = 0;
    while !job.is_done() {
        let p = job.step(3);
        assert!(p.bytes_done <= p.total_bytes && p.total_bytes == bytes.len());
        steps += 1;
    }
    assert_eq!(steps, 3);
    assert_eq!(job.finish().unwrap(), import_csv(bytes, None).unwrap());
}

#[test]
fn too_large_input_is_refused_with_the_limit() {
    let f = import_csv(vec![b' '; 200_000_001], None).unwrap_err();
    assert_eq!(
        f.to_string(),
        "the file has 200000001 bytes; the limit is 200000000 bytes (200 MB)"
    );
}

#[test]
fn canonical_csv_imports_to_the_same_values() {
    for name in [
        "units_events.csv",
        "warnings.csv",
        "european_bom_crlf.csv",
        "quoted_newlines.csv",
    ] {
        let c = import(name);
        let again = import_csv(c.to_csv().into_bytes(), None).unwrap();
        assert_eq!(again.ids, c.ids, "{name}");
        assert_eq!(again.best_response, c.best_response, "{name}");
        assert_eq!(again.best_pct_change, c.best_pct_change, "{name}");
        assert_eq!(
            again
                .endpoints
                .iter()
                .map(|e| &e.values)
                .collect::<Vec<_>>(),
            c.endpoints.iter().map(|e| &e.values).collect::<Vec<_>>(),
            "{name}"
        );
        assert_eq!(again.covariates, c.covariates, "{name}");
        assert_eq!(
            again.ttr.map(|t| t.months),
            c.ttr.map(|t| t.months),
            "{name}"
        );
    }
}

#[test]
fn filters_by_a_column() {
    let c = import("european_bom_crlf.csv");
    let a = c.filter("Arm", |cell| cell == Cell::Text("A")).unwrap();
    assert_eq!(a.ids, ["P01", "P03"]);
    let shrunk = c
        .filter(
            "best_pct_change",
            |cell| matches!(cell, Cell::Number(x) if x <= -30.0),
        )
        .unwrap();
    assert_eq!(shrunk.ids, ["P01", "P03"]);
}

fn adam(dir: &str, names: &[&str]) -> Result<Cohort, ImportFailure> {
    import_files(
        names
            .iter()
            .map(|n| InputFile::new(*n, fixture(&format!("{dir}/{n}"))))
            .collect(),
        &ImportOptions::default(),
    )
}

fn files(named: &[(&str, &[u8])]) -> Vec<InputFile> {
    named
        .iter()
        .map(|(name, bytes)| InputFile::new(*name, bytes.to_vec()))
        .collect()
}

/// pharmaverseadam (admiral templates, CDISCPILOT01): ADSL with SAFFL and
/// ARM ≠ ACTARM for two subjects, ADRS with both BOR and CBOR, ADTTE without AVALU.
#[test]
fn adam_pharmaverse_adsl_adrs_adtte() {
    let c = adam("adam_pharmaverse", &["adtte.csv", "adrs.csv", "adsl.csv"]).unwrap();
    assert_eq!(c.len(), 10, "two screen failures (SAFFL = N) are excluded");
    assert_eq!(&c.ids[0], "01-701-1015");
    assert_eq!(c.ids.position("01-701-1057"), None);
    assert_eq!(
        responses(&c),
        [
            Some(Sd),
            Some(Pd),
            Some(Sd),
            Some(Ne),
            Some(Sd),
            Some(Pr),
            Some(Sd),
            Some(Sd),
            Some(Ne),
            Some(Ne)
        ],
        "CBOR (confirmed) is used: 1015, 1115 and 1133 have BOR = CR but CBOR = SD"
    );
    let os = months(&c, "os");
    assert!(
        close(os[0].unwrap().0, 182.0 / 30.4375) && !os[0].unwrap().1,
        "CNSR = 1 is censored; AVAL in days"
    );
    assert_eq!(c.endpoint("os").unwrap().unit, TimeUnit::Days);
    assert!(months(&c, "pfs")[1].unwrap().1, "PFS CNSR = 0 is an event");
    assert_eq!(
        c.endpoint("dor")
            .unwrap()
            .values
            .iter()
            .filter(|v| v.is_some())
            .count(),
        4,
        "RSD is the duration of response"
    );
    let arm = c.covariate("ACTARM").unwrap();
    assert_eq!(
        c.cell("ACTARM", 8).unwrap(),
        Cell::Text("Xanomeline Low Dose"),
        "1181: randomised High, actually Low"
    );
    assert!(arm.is_categorical());
    assert_eq!(c.covariate("AGE").map(|a| a.is_categorical()), Some(false));
    assert_eq!(
        lines(&c.messages, Severity::Warning),
        [
            "file adtte.csv, row 2, column AVAL: AVALU is absent: AVAL of OS read as days (the usual ADaM unit); if it is in another unit, give AVALU",
            "file adtte.csv, row 3, column AVAL: AVALU is absent: AVAL of PFS read as days (the usual ADaM unit); if it is in another unit, give AVALU",
            "file adtte.csv, row 4, column AVAL: AVALU is absent: AVAL of RSD read as days (the usual ADaM unit); if it is in another unit, give AVALU",
            "file adtte.csv, row 4 (patient 01-701-1015), column AVAL: duration of response given for a non-responder (best response SD)",
            "file adtte.csv, row 13 (patient 01-701-1115), column AVAL: duration of response given for a non-responder (best response SD)",
            "file adtte.csv, row 21 (patient 01-701-1133), column AVAL: duration of response given for a non-responder (best response SD)",
        ]
    );
    let notes = lines(&c.messages, Severity::Note);
    assert!(
        notes.contains(&"population SAFFL = \"Y\" (default: safety population): 10 of 12 subjects; 2 excluded: 01-701-1057, 01-701-1145".to_string()),
        "{notes:#?}"
    );
    assert!(notes.contains(
        &"file adrs.csv: best response from PARAMCD = CBOR (Best Confirmed Overall Response by Investigator; default: the confirmed best overall response)"
            .to_string()
    ));
    assert!(notes.contains(
        &"treatment arm: ACTARM (default: the actual treatment, for the safety population)"
            .to_string()
    ));
    assert_eq!(c.default_group.as_deref(), Some("ACTARM"));
    let summary = c.adam.as_ref().unwrap();
    assert_eq!(
        summary.headline(),
        "ADSL 12 subjects; ADRS 27 rows: BOR, CBOR, OVR; ADTTE 24 rows: OS, PFS, RSD"
    );
    assert_eq!(summary.response_params, ["BOR", "CBOR"], "OVR is by visit");
    assert_eq!(summary.excluded, ["01-701-1057", "01-701-1145"]);
    assert!(notes.iter().any(|n| n.starts_with(
        "column AVALC, value \"NON-CR/NON-PD\": 1 patients: non-CR/non-PD counted as SD"
    )));
    assert!(notes.contains(
        &"Duration of response: 6 patients excluded (no time recorded): patients 01-701-1028, 01-701-1034, 01-701-1097, 01-701-1130, 01-701-1181, 01-701-1360".to_string()
    ));
    assert!(c
        .response_spellings
        .iter()
        .any(|s| s.original == "MISSING" && s.code == Ne && s.count == 2));
}

/// Without ADSL, the population flag and arm come from the ADRS/ADTTE rows.
#[test]
fn adam_pharmaverse_without_adsl() {
    let c = adam("adam_pharmaverse", &["adrs.csv", "adtte.csv"]).unwrap();
    assert_eq!(c.len(), 10, "SAFFL in ADRS excludes the screen failures");
    let notes = lines(&c.messages, Severity::Note);
    assert!(
        notes.contains(&"population SAFFL = \"Y\" (default: safety population): 10 of 12 subjects; 2 excluded: 01-701-1057, 01-701-1145".to_string()),
        "{notes:#?}"
    );
    let only_tte = adam("adam_pharmaverse", &["adtte.csv"]).unwrap();
    assert_eq!(only_tte.best_response, None);
    assert_eq!(
        only_tte.len(),
        10,
        "ADTTE has no population flag: every subject in it"
    );
    let only_rs = adam("adam_pharmaverse", &["adrs.csv"]).unwrap();
    assert!(only_rs.endpoints.is_empty());
}

/// random.cdisc.data (synthetic, AB12345): AVALU present, a count parameter
/// (TNE, AVALU = COUNT), best confirmed response as BESRSPI, ITTFL.
#[test]
fn adam_random_cdisc_count_parameter_and_ittfl() {
    let c = adam("adam_random_cdisc", &["adtte.csv", "adrs.csv"]).unwrap();
    assert_eq!(c.len(), 4);
    assert_eq!(responses(&c), [Some(Cr), Some(Cr), Some(Pr), Some(Sd)]);
    assert_eq!(
        c.endpoints
            .iter()
            .map(|e| e.key.as_str())
            .collect::<Vec<_>>(),
        ["dor", "efs", "os", "pfs"]
    );
    assert_eq!(c.endpoint("efs").unwrap().label, "Event Free Survival");
    assert!(close(
        months(&c, "os")[0].unwrap().0,
        90.05472294404171 / 30.4375
    ));
    let notes = lines(&c.messages, Severity::Note);
    for expected in [
        "file adtte.csv, row 6, column AVALU, value \"COUNT\": parameter TNE (Total Number of Exacerbations) is a count, not a time: not an endpoint",
        "population ITTFL = \"Y\" (default: intent to treat): 4 of 4 subjects; 0 excluded",
        "file adrs.csv: best response from PARAMCD = BESRSPI (Best Confirmed Overall Response by Investigator; default: the confirmed best overall response)",
        "treatment arm: ARM (default: the randomised treatment)",
    ] {
        assert!(notes.contains(&expected.to_string()), "{expected}\n{notes:#?}");
    }
    assert_eq!(
        lines(&c.messages, Severity::Warning),
        ["file adtte.csv, row 17 (patient AB12345-CHN-2-id-149), column AVAL: duration of response given for a non-responder (best response SD)"]
    );
}

#[test]
fn adam_errors_name_file_row_and_value() {
    let adtte = b"USUBJID,PARAMCD,PARAM,AVAL,AVALU,CNSR\nS1,OS,Overall Survival,-5,DAYS,0\nS2,OS,Overall Survival,10,DAYS,X\nS2,OS,Overall Survival,10,DAYS,1\n".to_vec();
    let adrs = b"USUBJID,PARAMCD,AVALC\nS1,BOR,great\n".to_vec();
    let f = import_files(
        files(&[("adtte.csv", &adtte), ("adrs.csv", &adrs)]),
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        lines(&f.messages, Severity::Error),
        [
            "file adrs.csv, row 2 (patient S1), column AVALC, value \"great\": unknown response code: expected CR, PR, SD, PD or NE (or a spelling such as \"Partial Response\")",
            "file adtte.csv, row 4 (patient S2), column PARAMCD, value \"OS\": more than one OS row for this subject (first in row 3): a by-visit parameter cannot be used here",
            "file adtte.csv, row 2 (patient S1), column AVAL, value \"-5\": time must be zero or positive",
            "file adtte.csv, row 3 (patient S2), column CNSR, value \"X\": CNSR must be 0 (event) or a positive integer (censored)",
        ]
    );
    let f = cohortscope::data::adam::import_adam(
        files(&[("x.csv", b"a,b\n1,2\n")]),
        &Default::default(),
    )
    .unwrap_err();
    assert_eq!(f.to_string(), "file x.csv: not an ADaM ADTTE, ADRS or ADSL dataset (USUBJID with PARAMCD and AVAL/CNSR or AVALC, or ADSL flags)\nan ADTTE or ADRS file is needed (ADSL alone has no outcomes)");
}

#[test]
fn template_imports_without_warnings() {
    let bytes = std::fs::read(format!(
        "{}/assets/template.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let c = import_csv(bytes, None).unwrap();
    assert_eq!(c.len(), 5);
    assert_eq!(
        c.endpoints
            .iter()
            .map(|e| e.key.as_str())
            .collect::<Vec<_>>(),
        ["os", "pfs", "dor"]
    );
    assert!(c.ttr.is_some());
    assert!(
        lines(&c.messages, Severity::Warning).is_empty(),
        "{:#?}",
        c.messages
    );
    assert_eq!(
        c.covariate("cells_infused").map(|v| v.is_categorical()),
        Some(false)
    );
}

#[test]
fn documented_aliases_are_recognised() {
    let c = import_csv(
        b"USUBJID,BESTRESP,Best % Change,OS_TIME,OS_CNSR,PFS_days,PFS_STATUS,TTR\nS1,PR,-40,6,0,61,1,2\n".to_vec(),
        None,
    )
    .unwrap();
    assert_eq!(c.ids, ["S1"]);
    assert_eq!(responses(&c), [Some(Pr)]);
    assert_eq!(changes(&c), Some(vec![Some(-40.0)]));
    assert_eq!(
        months(&c, "os"),
        [Some((6.0, true))],
        "OS_CNSR = 0 is an event"
    );
    assert!(close(months(&c, "pfs")[0].unwrap().0, 61.0 / 30.4375));
    assert_eq!(
        c.ttr.as_ref().map(|t| t.months.iter().collect::<Vec<_>>()),
        Some(vec![Some(2.0)])
    );
    assert_eq!(
        lines(&c.messages, Severity::Note),
        [
            "column OS_TIME: no unit in the column name: times read as months",
            "column TTR: no unit in the column name: times read as months",
        ]
    );
}

/// Each ADaM problem the issue tracker named, with file, row, column and value.
#[test]
fn adam_messages_name_file_row_column_and_value() {
    let adsl = b"USUBJID,SAFFL,ARM\nS1,Y,A\nS2,Y,B\nS3,N,B\n";
    let adtte = b"USUBJID,PARAMCD,PARAM,AVAL,CNSR\n\
S1,OS,Overall Survival (Months),10,0\n\
S2,OS,Overall Survival (Months),12,2\n\
S9,OS,Overall Survival (Months),5,0\n\
S1,PFS,Progression Free Survival,100,0\n\
S2,PFS,Progression Free Survival,200,1\n\
S1,NEX,Number of Exacerbations,3,0\n";
    let c = import_files(
        files(&[("adtte.csv", adtte), ("adsl.csv", adsl)]),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(c.ids, ["S1", "S2"]);
    let all: Vec<String> = c.messages.iter().map(Message::to_string).collect();
    for expected in [
        "file adtte.csv, row 4, column USUBJID, value \"S9\": subject not in ADSL: its rows are left out",
        "file adtte.csv, row 5, column AVAL: AVALU is absent: AVAL of PFS read as days (the usual ADaM unit); if it is in another unit, give AVALU",
        "file adtte.csv, row 2, column PARAM, value \"Overall Survival (Months)\": AVALU is absent: AVAL of OS read in months, the unit PARAM names",
        "file adtte.csv, row 3 (patient S2), column CNSR, value \"2\": CNSR above 1 read as censored (ADaM: positive integers code the censoring reason)",
        "file adtte.csv, row 7, column PARAM, value \"Number of Exacerbations\": parameter NEX (Number of Exacerbations) is a count, not a time: not an endpoint",
        "population SAFFL = \"Y\" (default: safety population): 2 of 3 subjects; 1 excluded: S3",
        "treatment arm: ARM (default: the randomised treatment)",
    ] {
        assert!(all.iter().any(|m| m == expected), "{expected}\n{all:#?}");
    }
    assert_eq!(months(&c, "os"), [Some((10.0, true)), Some((12.0, false))]);
    assert!(close(months(&c, "pfs")[1].unwrap().0, 200.0 / 30.4375));
    assert!(c.endpoint("nex").is_none());
}

/// A SAS transport file is read by content as a table: its variable labels
/// reach the column mapping, and its rows are observations in messages.
#[test]
fn an_xpt_table_carries_its_labels_and_counts_observations() {
    let path = format!(
        "{}/tests/fixtures/xpt/basic_v5.xpt",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(path).unwrap();
    let f = import_files(
        vec![InputFile::new("basic_v5.xpt", bytes)],
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(
        f.needs_mapping,
        "no outcome columns: the mapping step helps"
    );
    let columns = f.columns.unwrap();
    assert_eq!(columns.headers[0], "USUBJID");
    assert_eq!(columns.labels[0], "Unique Subject Identifier");
    assert_eq!(columns.labels.len(), columns.headers.len());
    // Messages about an XPT file count observations, not spreadsheet rows.
    let adtte = format!(
        "{}/tests/fixtures/adam/random_cdisc_data/adtte.xpt",
        env!("CARGO_MANIFEST_DIR")
    );
    let c = import_files(
        vec![InputFile::new("adtte.xpt", std::fs::read(adtte).unwrap())],
        &ImportOptions::default(),
    )
    .unwrap();
    let notes = lines(&c.messages, Severity::Note);
    assert!(
        notes.iter().any(|n| n.starts_with(
            "file adtte.xpt, observation 5, column AVALU, value \"COUNT\": parameter TNE"
        )),
        "{notes:#?}"
    );
}
