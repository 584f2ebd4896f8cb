//! Percent-encoding of the pieces of a link value.
//!
//! A value such as `filter=arm:in:A,B` is structured by the raw separators
//! `:` and `,`; each piece between them is percent-encoded on its own
//! (everything but ASCII letters, digits and `-._~`, as UTF-8 bytes,
//! RFC 3986 §2.1), so a separator inside a name never splits it and the
//! whole link is encoded exactly once. `+` is a literal plus, not a space.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Bytes that are escaped: all but RFC 3986's unreserved characters.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one piece of a value.
pub(crate) fn escape(piece: &str) -> String {
    utf8_percent_encode(piece, ESCAPED).to_string()
}

/// Decodes one piece. A `%` not followed by two hex digits is kept as is;
/// bytes that are not UTF-8 once decoded are an error.
pub(crate) fn unescape(raw: &str) -> Result<String, String> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| "is not UTF-8 text once percent-decoded".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_unicode_are_escaped_once() {
        let check = |text: &str, expected: &str| {
            assert_eq!(escape(text), expected);
            assert_eq!(unescape(expected).as_deref(), Ok(text));
        };
        check("lifileucel-melanoma", "lifileucel-melanoma");
        check("a:b,c&d=e", "a%3Ab%2Cc%26d%3De");
        check("100% + 1", "100%25%20%2B%201");
        check("Größe #1", "Gr%C3%B6%C3%9Fe%20%231");
    }

    #[test]
    fn bad_input_is_kept_or_refused() {
        assert_eq!(unescape("50%zz").as_deref(), Ok("50%zz"));
        assert!(unescape("%ff%fe").is_err());
    }
}
