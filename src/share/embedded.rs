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
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Packed {
    /// base64url (no padding) of the raw deflate stream.
    pub data: String,
    /// CRC-32 of the CSV bytes.
    pub crc: u32,
    /// Data records in the CSV (header excluded).
    pub rows: u64,
}

/// Compresses and encodes CSV text.
pub(crate) fn pack(csv: &str) -> Packed {
    let compressed = miniz_oxide::deflate::compress_to_vec(csv.as_bytes(), DEFLATE_LEVEL);
    Packed {
        data: URL_SAFE_NO_PAD.encode(compressed),
        crc: crc32fast::hash(csv.as_bytes()),
        rows: count_csv_records(csv.as_bytes()),
    }
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
        let packed = pack(CSV);
        assert_eq!(packed.rows, 2);
        assert_eq!(
            unpack(&packed.data, packed.crc, packed.rows).as_deref(),
            Ok(CSV)
        );
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
        let packed = pack(CSV);
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
