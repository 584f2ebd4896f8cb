//! Arbitrary bytes as a link fragment and as a view file: reading never
//! panics, returns only valid states, and every state it returns that can be
//! written again reads back equal.
#![no_main]

use cohortscope::share::{decode, decode_view_file, encode, encode_view_file, Decoded};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(decoded) = decode(&text) {
        check(&decoded);
        if let Ok(link) = encode(&decoded.state) {
            let again = decode(&link).expect("a link this version wrote reads back");
            assert_eq!(again.state, decoded.state);
            assert!(again.issues.is_empty(), "{:?}", again.issues);
        }
    }
    if let Ok(decoded) = decode_view_file(&text) {
        check(&decoded);
        if let Ok(file) = encode_view_file(&decoded.state) {
            let again = decode_view_file(&file).expect("a file this version wrote reads back");
            assert_eq!(again.state, decoded.state);
        }
    }
});

fn check(decoded: &Decoded) {
    assert_eq!(decoded.state.validate(), Ok(()));
    for issue in &decoded.issues {
        let _ = issue.to_string();
    }
}
