//! Embedded data in a link: CSV text → raw deflate (RFC 1951) → base64url
//! without padding (RFC 4648 §5), checked on the way back by its CRC-32
//! (IEEE 802.3 polynomial, as zlib's `crc32`) and its record count.
//!
//! Inflating is bounded: output beyond [`MAX_CSV_BYTES`] stops the inflater
//! and refuses the data, so a decompression bomb costs at most that much
//! memory.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::error::DataError;
use super::view_state::count_csv_records;
use super::MAX_CSV_BYTES;

/// Deflate level used for links (miniz_oxide: 0–10; 9 is zlib's best).
const DEFLATE_LEVEL: u8 = 9;

/// CSV text as it travels in a link.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Packed {
    /// base64url (no padding) of the raw deflate stream.
    pub data: String,
    /// CRC-32 of the CSV bytes.
    pub crc: u32,
    /// Data records in the CSV (header excluded).
    pub rows: u64,
}

/// Compresses and encodes CSV text, unless its encoding needs more than
/// `max_chars` characters: then `Err` with a lower bound of what it needs.
///
/// The deflate stream is written into a buffer of the largest size allowed,
/// so a file far too large for a link costs only the input that fills it
/// (a few hundred kilobytes of CSV), not a compression of the whole file;
/// the output is the same stream [`miniz_oxide::deflate::compress_to_vec`]
/// writes. Checksum and record count are computed only for data that fit.
pub(crate) fn pack(csv: &str, max_chars: usize) -> Result<Packed, usize> {
    use miniz_oxide::deflate::core::{
        compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
    };
    // base64 without padding: n bytes take ceil(4n / 3) characters.
    let chars = |bytes: usize| bytes.div_ceil(3) * 4 - (3 - bytes % 3) % 3;
    let max_bytes = max_chars.saturating_mul(3) / 4 + 1;
    let flags = create_comp_flags_from_zip_params(DEFLATE_LEVEL.into(), 0, 0);
    let mut compressor = CompressorOxide::new(flags);
    let mut output = vec![0; max_bytes.min(csv.len() / 2 + 64)];
    let mut input = csv.as_bytes();
    let mut written = 0;
    loop {
        let (status, read, wrote) = compress(
            &mut compressor,
            input,
            &mut output[written..],
            TDEFLFlush::Finish,
        );
        input = &input[read..];
        written += wrote;
        match status {
            TDEFLStatus::Done => break,
            TDEFLStatus::Okay if written < output.len() && (read > 0 || wrote > 0) => {}
            TDEFLStatus::Okay if output.len() < max_bytes => {
                let grown = (output.len() * 2).min(max_bytes);
                output.resize(grown, 0);
            }
            _ => return Err(chars(written).max(max_chars + 1)),
        }
    }
    output.truncate(written);
    if chars(written) > max_chars {
        return Err(chars(written));
    }
    Ok(Packed {
        data: URL_SAFE_NO_PAD.encode(output),
        crc: crc32fast::hash(csv.as_bytes()),
        rows: count_csv_records(csv.as_bytes()),
    })
}

/// Decodes, inflates (at most [`MAX_CSV_BYTES`]) and checks packed CSV text.
pub(crate) fn unpack(data: &str, crc: u32, rows: u64) -> Result<String, DataError> {
    let compressed = URL_SAFE_NO_PAD
        .decode(data)
        .map_err(|_| DataError::Base64)?;
    let csv = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_CSV_BYTES)
        .map_err(|error| match error.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => DataError::TooLarge,
            _ => DataError::Deflate,
        })?;
    let found = crc32fast::hash(&csv);
    if found != crc {
        return Err(DataError::Checksum {
            expected: crc,
            found,
        });
    }
    let csv = String::from_utf8(csv).map_err(|_| DataError::NotUtf8)?;
    let found = count_csv_records(csv.as_bytes());
    if found != rows {
        return Err(DataError::RowCount {
            expected: rows,
            found,
        });
    }
    Ok(csv)
}

/// A checksum as written in a link: 8 hex digits.
pub(crate) fn format_crc(crc: u32) -> String {
    format!("{crc:08x}")
}

/// Reads 8 hex digits (either case).
pub(crate) fn parse_crc(text: &str) -> Option<u32> {
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        u32::from_str_radix(text, 16).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "id,os_months,os_event\nP01,12.5,1\nP02,30.1,0\n";

    #[test]
    fn round_trip() {
        let packed = pack(CSV, usize::MAX).unwrap();
        assert_eq!(packed.rows, 2);
        assert_eq!(
            unpack(&packed.data, packed.crc, packed.rows).as_deref(),
            Ok(CSV)
        );
    }

    /// The bounded stream is the whole-file stream; data whose encoding
    /// needs one character more than allowed are refused, the exact fit is not.
    #[test]
    fn the_bound_is_exact_and_the_stream_unchanged() {
        let mut csv = String::from("id,os_months,os_event\n");
        let mut x: u64 = 12345;
        for i in 0..20_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            csv.push_str(&format!(
                "P{i},{}.{},{}\n",
                x >> 58,
                (x >> 40) % 100,
                x >> 63
            ));
        }
        let whole = miniz_oxide::deflate::compress_to_vec(csv.as_bytes(), DEFLATE_LEVEL);
        let encoded = URL_SAFE_NO_PAD.encode(&whole);
        let packed = pack(&csv, encoded.len()).unwrap();
        assert_eq!(packed.data, encoded);
        assert_eq!(packed.rows, 20_000);
        assert_eq!(packed.crc, crc32fast::hash(csv.as_bytes()));
        assert_eq!(pack(&csv, usize::MAX).unwrap(), packed);
        let short = pack(&csv, encoded.len() - 1).unwrap_err();
        assert!(short >= encoded.len(), "{short}");
        let far = pack(&csv, 1000).unwrap_err();
        assert!(far > 1000, "{far}");
    }

    /// zlib.crc32(b"123456789") == 0xcbf43926, the CRC-32 check value.
    #[test]
    fn crc_is_zlibs() {
        assert_eq!(crc32fast::hash(b"123456789"), 0xcbf4_3926);
        assert_eq!(format_crc(0xcbf4_3926), "cbf43926");
        assert_eq!(parse_crc("CBF43926"), Some(0xcbf4_3926));
        assert_eq!(parse_crc("+bf43926"), None);
        assert_eq!(parse_crc("cbf4392"), None);
    }

    #[test]
    fn damage_is_named() {
        let packed = pack(CSV, usize::MAX).unwrap();
        let check = |data: &str, crc: u32, rows: u64, expected: DataError| {
            assert_eq!(unpack(data, crc, rows), Err(expected));
        };
        let cut = &packed.data[..(packed.data.len() - 8) / 4 * 4];
        check(cut, packed.crc, 2, DataError::Deflate);
        check(
            &format!("{}=", packed.data),
            packed.crc,
            2,
            DataError::Base64,
        );
        check("a", packed.crc, 2, DataError::Base64);
        check(
            &packed.data,
            packed.crc ^ 1,
            2,
            DataError::Checksum {
                expected: packed.crc ^ 1,
                found: packed.crc,
            },
        );
        check(
            &packed.data,
            packed.crc,
            3,
            DataError::RowCount {
                expected: 3,
                found: 2,
            },
        );
        let latin1 =
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"id\n\xe9\n", 6));
        check(
            &latin1,
            crc32fast::hash(b"id\n\xe9\n"),
            1,
            DataError::NotUtf8,
        );
    }

    #[test]
    fn decompression_bomb_is_refused() {
        let bomb = vec![b'0'; MAX_CSV_BYTES + 1];
        let data = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bomb, 9));
        assert!(data.len() < 64 * 1024, "the bomb is small: {}", data.len());
        assert_eq!(
            unpack(&data, crc32fast::hash(&bomb), 0),
            Err(DataError::TooLarge)
        );
        let exactly = &bomb[..MAX_CSV_BYTES];
        let data = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(exactly, 9));
        // One header line and no records: exactly at the limit is accepted.
        assert_eq!(
            unpack(&data, crc32fast::hash(exactly), 0).map(|csv| csv.len()),
            Ok(MAX_CSV_BYTES)
        );
    }
}
