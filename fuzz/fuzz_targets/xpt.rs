//! Arbitrary bytes as a SAS transport file: opening and reading every
//! observation never panics, each call moves forward or ends, progress never
//! decreases and never exceeds the total, and every record has one field per
//! variable.
#![no_main]

use cohortscope::data::xpt::{looks_like_xpt, XptReader};
use csv::StringRecord;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let recognised = looks_like_xpt(data);
    let Ok(mut reader) = XptReader::open(data.to_vec()) else {
        return;
    };
    assert!(recognised);
    let variables = reader.variables().len();
    assert!(variables > 0);
    let mut record = StringRecord::new();
    let (mut done, total) = reader.progress();
    assert_eq!(total, data.len());
    assert!(done <= total);
    let mut observations = 0;
    loop {
        match reader.next_observation(&mut record) {
            Ok(Some(n)) => {
                observations += 1;
                assert_eq!(n, observations);
                assert_eq!(record.len(), variables);
                let (now, t) = reader.progress();
                assert!(done < now && now <= t, "{done} {now} {t}");
                done = now;
                // Each observation consumes at least one byte of the file.
                assert!(observations <= data.len());
            }
            Ok(None) => {
                assert_eq!(reader.progress(), (total, total));
                assert_eq!(reader.next_observation(&mut record), Ok(None));
                let _ = reader.other_datasets();
                break;
            }
            Err(e) => {
                let _ = e.to_string();
                // The error stays; nothing moves.
                assert_eq!(reader.progress().0, done);
                assert_eq!(reader.next_observation(&mut record), Err(e));
                break;
            }
        }
    }
});
