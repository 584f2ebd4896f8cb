//! SAS transport numbers: IBM System/360 hexadecimal floating point, big-endian,
//! truncated on the right to the variable's length (TS-140, "Numeric Data Fields").
//!
//! A value is a sign bit, a 7-bit exponent of 16 biased by 64 and a 56-bit
//! fraction: `(-1)^s × 0.F × 16^(E − 64)`, that is `F × 2^(4E − 312)`.

/// The number stored in 2 to 8 bytes, or `None` for a SAS missing value.
///
/// Missing values (TS-140, "Missing Values"): the first byte is `.` (0x2E),
/// `A`–`Z` or `_` and every other byte is zero. Any other pattern is a number.
/// A shorter field is the leading bytes of the 8-byte value; the missing
/// bytes are zero.
pub(super) fn decode(field: &[u8]) -> Option<f64> {
    debug_assert!((2..=8).contains(&field.len()));
    let first = field[0];
    if (first == b'.' || first == b'_' || first.is_ascii_uppercase())
        && field[1..].iter().all(|&b| b == 0)
    {
        return None;
    }
    let mut full = [0u8; 8];
    full[..field.len()].copy_from_slice(field);
    Some(ibm_to_f64(u64::from_be_bytes(full)))
}

/// The largest IBM magnitude, `7F FF FF FF FF FF FF FF`: readstat (and so
/// pyreadstat and haven) writes it for an infinity or a number beyond the IBM
/// range, and readstat and sas_xport read it back as an infinity; so does this
/// reader.
const INFINITE_MAGNITUDE: u64 = 0x7FFF_FFFF_FFFF_FFFF;

/// Converts an 8-byte IBM double to the nearest IEEE double.
///
/// `F × 2^(4E − 312)` lies between 2^-312 and 2^252, well inside the normal
/// IEEE range, so the only rounding is of the 56-bit fraction to 53 bits (to
/// nearest, ties to even, by the integer conversion); the power of two is
/// exact. Every IEEE double in the IBM range (about 5.4e-79 to 7.2e75) has an
/// exact IBM form, so a number written from IEEE reads back bit for bit. A zero
/// fraction is 0 whatever the sign and exponent.
pub(super) fn ibm_to_f64(bits: u64) -> f64 {
    let negative = bits >> 63 == 1;
    if bits & INFINITE_MAGNITUDE == INFINITE_MAGNITUDE {
        return if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let fraction = bits & 0x00FF_FFFF_FFFF_FFFF;
    if fraction == 0 {
        return 0.0;
    }
    let exponent = ((bits >> 56) & 0x7F) as i32;
    let magnitude = fraction as f64 * power_of_two(4 * exponent - 312);
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// 2^e for a normal double exponent (here −312 to 196).
fn power_of_two(e: i32) -> f64 {
    f64::from_bits(((e + 1023) as u64) << 52)
}

/// The IBM form of an IEEE double in the IBM range (tests only: the fixtures
/// of the reader's tests are written with it).
#[cfg(test)]
pub(super) fn f64_to_ibm(x: f64) -> u64 {
    if x == 0.0 {
        return 0;
    }
    assert!(x.is_finite());
    let bits = x.to_bits();
    let sign = bits & (1 << 63);
    let biased = ((bits >> 52) & 0x7FF) as i32;
    assert!(biased != 0, "subnormal numbers are outside the IBM range");
    // |x| = m × 2^e with a 53-bit integer m.
    let m = (bits & ((1 << 52) - 1)) | (1 << 52);
    let e = biased - 1075;
    // F = m × 2^s and 4E − 312 = e − s, with s in 0..=3 so that F fits 56 bits
    // and its leading hexadecimal digit is not zero.
    let s = (e + 312).rem_euclid(4);
    let exponent = (e + 312 - s) / 4;
    assert!(
        (0..=127).contains(&exponent),
        "{x} is outside the IBM range"
    );
    sign | ((exponent as u64) << 56) | (m << s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], expected: Option<f64>) {
        let got = decode(bytes);
        assert_eq!(
            got.map(f64::to_bits),
            expected.map(f64::to_bits),
            "{bytes:02X?}: {got:?}"
        );
    }

    #[test]
    fn known_values() {
        // TS-140's examples and values written by pyreadstat 1.3.8.
        check(&[0x41, 0x10, 0, 0, 0, 0, 0, 0], Some(1.0));
        check(&[0xC1, 0x10, 0, 0, 0, 0, 0, 0], Some(-1.0));
        check(&[0xC2, 0x76, 0xA0, 0, 0, 0, 0, 0], Some(-118.625));
        check(&[0x40, 0x19, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A], Some(0.1));
        check(&[0x41, 0x50, 0, 0, 0, 0, 0, 0], Some(5.0));
        check(&[0x42, 0x64, 0, 0, 0, 0, 0, 0], Some(100.0));
        check(&[0; 8], Some(0.0));
        // The smallest normalised IBM number, 16^-65.
        check(&[0x00, 0x10, 0, 0, 0, 0, 0, 0], Some(2f64.powi(-260)));
    }

    #[test]
    fn out_of_range_numbers_as_readstat_writes_them() {
        // pyreadstat writes 1e300 and infinity as the largest magnitude, and
        // 1e-300 (below 16^-65) as zero.
        check(
            &[0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            Some(f64::INFINITY),
        );
        check(
            &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            Some(f64::NEG_INFINITY),
        );
        assert_eq!(f64_to_ibm(5.397605346934028e-79), 0x0010_0000_0000_0000);
    }

    #[test]
    fn zero_fractions_are_zero() {
        check(&[0x80, 0, 0, 0, 0, 0, 0, 0], Some(0.0));
        check(&[0x40, 0, 0, 0, 0, 0, 0, 0], Some(0.0));
        check(&[0x60, 0, 0], Some(0.0));
    }

    #[test]
    fn missing_values() {
        check(&[b'.', 0, 0, 0, 0, 0, 0, 0], None);
        check(&[b'A', 0, 0, 0, 0, 0, 0, 0], None);
        check(&[b'Z', 0, 0, 0, 0, 0, 0, 0], None);
        check(&[b'_', 0, 0, 0, 0, 0, 0, 0], None);
        check(&[b'.', 0, 0], None);
        check(&[b'.', 0], None);
        // Not missing: another first byte, or a non-zero byte after it.
        check(&[b'a', 0, 0, 0, 0, 0, 0, 0], Some(0.0));
        check(
            &[b'.', 0, 0, 0, 0, 0, 0, 1],
            Some(2f64.powi(4 * 0x2E - 312)),
        );
    }

    #[test]
    fn truncated_lengths_pad_with_zeros() {
        // 1.0 needs only its first two bytes; -118.625 its first three.
        check(&[0x41, 0x10], Some(1.0));
        check(&[0xC2, 0x76, 0xA0], Some(-118.625));
        // 0.1 truncated to 4 bytes keeps 24 bits of its fraction.
        check(
            &[0x40, 0x19, 0x99, 0x99],
            Some(0x19_9999 as f64 * 2f64.powi(-24)),
        );
    }

    #[test]
    fn rounds_a_full_56_bit_fraction_to_nearest() {
        // With exponent 78 the value is the fraction itself. Doubles near 2^55
        // are 8 apart: 2^55 + 4 is a tie (to the even 2^55), 2^55 + 5 is not.
        let bits = (78u64 << 56) | ((1u64 << 55) + 4);
        assert_eq!(ibm_to_f64(bits), (1u64 << 55) as f64);
        let bits = (78u64 << 56) | ((1u64 << 55) + 5);
        assert_eq!(ibm_to_f64(bits), ((1u64 << 55) + 8) as f64);
    }

    // proptest is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn every_double_in_the_ibm_range_round_trips(
                mantissa in 0u64..(1 << 52),
                exponent in -260i32..=251,
                negative in any::<bool>(),
            ) {
                let x = f64::from_bits(((exponent + 1023) as u64) << 52 | mantissa);
                let x = if negative { -x } else { x };
                let ibm = f64_to_ibm(x);
                prop_assert_eq!(ibm_to_f64(ibm).to_bits(), x.to_bits());
                // Shorter fields keep the leading bytes; the value read is the
                // truncated fraction, never more than the full value.
                for length in 2..=7usize {
                    let field = &ibm.to_be_bytes()[..length];
                    if let Some(y) = decode(field) {
                        prop_assert!(y.abs() <= x.abs());
                    }
                }
            }
        }
    }
}
