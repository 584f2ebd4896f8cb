//! Fuzzes the cohort reader: any bytes must give a cohort or messages, never a
//! panic; a cohort written as canonical CSV must import again to the same values.
#![no_main]

use cohortscope::data::adam::{import_adam, AdamChoices, Arm, Population};
use cohortscope::data::{import_csv, import_files, ImportJob, ImportOptions, InputFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Whole-file import, and the same file read in small steps.
    let whole = import_csv(data.to_vec(), None);
    let one = || vec![InputFile::new("f.csv", data.to_vec())];
    if let Ok(mut job) = ImportJob::new(one(), &ImportOptions::default()) {
        while !job.is_done() {
            let progress = job.step(3);
            assert!(progress.bytes_done <= progress.total_bytes);
        }
        // Compared with the same named file read at once: messages name it.
        let at_once = import_files(one(), &ImportOptions::default());
        assert_eq!(job.finish().map(|c| c.ids), at_once.map(|c| c.ids));
    }
    if let Ok(cohort) = &whole {
        for m in &cohort.messages {
            let _ = m.to_string();
        }
        let (listed, total) = cohort.exclusions(3);
        assert!(
            listed.len() == total.min(3),
            "{} of {total} listed",
            listed.len()
        );
        let again = import_csv(cohort.to_csv().into_bytes(), None)
            .unwrap_or_else(|f| panic!("canonical CSV does not import:\n{f}\n{}", cohort.to_csv()));
        assert_eq!(again.ids, cohort.ids);
        assert_eq!(again.best_response, cohort.best_response);
        assert_eq!(again.best_pct_change, cohort.best_pct_change);
        let values = |c: &cohortscope::data::Cohort| {
            c.endpoints
                .iter()
                .map(|e| e.values.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(values(&again), values(&cohort));
        assert_eq!(
            again.ttr.map(|t| t.months),
            cohort.ttr.clone().map(|t| t.months)
        );
    }
    // The same bytes as two ADaM files, with default and with odd choices.
    let mid = data.len() / 2;
    let halves = || {
        vec![
            InputFile::new("a.csv", data[..mid].to_vec()),
            InputFile::new("b.csv", data[mid..].to_vec()),
        ]
    };
    let _ = import_files(halves(), &ImportOptions::default());
    let odd = AdamChoices {
        population: Some(Population::All),
        response_param: Some("OVR".into()),
        arm: Some(Arm::None),
        endpoints: Some(vec!["OS".into(), "TNE".into()]),
    };
    let _ = import_adam(halves(), &odd);
    if let Ok(cohort) = import_adam(halves(), &AdamChoices::default()) {
        assert!(cohort.adam.is_some());
        for m in &cohort.messages {
            let _ = m.to_string();
        }
    }
});
