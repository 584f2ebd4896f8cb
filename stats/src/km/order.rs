//! The processing order of survival data: ascending time, events before
//! censorings at a tied time, and input index last (so the order is the one a
//! stable sort by time and event would give, and never depends on the sort).
//!
//! Times are ordered as `f64::total_cmp` orders them. Above [`RADIX_FROM`]
//! subjects the order is found by a least-significant-digit radix sort on the
//! time's bits (6 stable counting passes of 11 bits, a pass skipped when
//! every key has the same digit there; Knuth, TAOCP vol. 3, §5.2.5), run over
//! the subjects laid out events first, each part by index; below, by a
//! comparison sort on the same key.

/// From this many subjects on, the radix sort beats the comparison sort.
pub(super) const RADIX_FROM: usize = 256;
/// Bits of a radix digit, and digits in a 64-bit key (the last one shorter).
const DIGIT_BITS: usize = 11;
const RADIX: usize = 1 << DIGIT_BITS;
const PASSES: usize = 64_usize.div_ceil(DIGIT_BITS);

/// Digit `pass` of `key`, from the least significant.
fn digit(key: u64, pass: usize) -> usize {
    ((key >> (pass * DIGIT_BITS)) & (RADIX as u64 - 1)) as usize
}

/// Subject indices by ascending time (`f64::total_cmp`), events (`true`)
/// before censorings at a tied time, then by index. `events` is as long as
/// `times`. Input already in that order is only checked, in one pass.
pub fn processing_order(times: &[f64], events: &[bool]) -> Vec<usize> {
    debug_assert_eq!(times.len(), events.len());
    let n = times.len();
    let before = |a: usize, b: usize| {
        times[a]
            .total_cmp(&times[b])
            .then(events[b].cmp(&events[a]))
            .is_le()
    };
    if (1..n).all(|i| before(i - 1, i)) {
        // Already in order (the report hands estimators sorted subjects).
        return (0..n).collect();
    }
    if n < RADIX_FROM {
        // A stable sort keeps ascending indices among ties: the index is
        // the last key without being compared (and the page's worker is
        // 12 KB smaller than with an unstable sort by three keys).
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            times[a]
                .total_cmp(&times[b])
                .then(events[b].cmp(&events[a]))
        });
        return order;
    }
    let keyed = |i: usize| (total_order_key(times[i]), i);
    let mut items: Vec<(u64, usize)> = (0..n).filter(|&i| events[i]).map(keyed).collect();
    items.extend((0..n).filter(|&i| !events[i]).map(keyed));
    radix_sort(items, |&(key, _)| key)
        .into_iter()
        .map(|(_, i)| i)
        .collect()
}

/// Sorts plain keys ascending: by [`radix_sort`] from [`RADIX_FROM`] keys on,
/// by a comparison sort below.
pub(super) fn sort_keys(mut keys: Vec<u64>) -> Vec<u64> {
    if keys.len() < RADIX_FROM {
        keys.sort_unstable();
        keys
    } else {
        radix_sort(keys, |&k| k)
    }
}

/// Sorts `items` by `key`, stably, with a least-significant-digit radix sort:
/// one pass over the keys builds every digit's histogram, then one stable
/// counting pass per digit, skipping a digit all keys share.
fn radix_sort<T: Copy + Default>(mut items: Vec<T>, key: impl Fn(&T) -> u64) -> Vec<T> {
    let n = items.len();
    let mut counts = vec![[0usize; RADIX]; PASSES];
    for item in &items {
        let k = key(item);
        for (pass, histogram) in counts.iter_mut().enumerate() {
            histogram[digit(k, pass)] += 1;
        }
    }
    let mut buffer = vec![T::default(); n];
    for (pass, histogram) in counts.iter_mut().enumerate() {
        if histogram.contains(&n) {
            continue;
        }
        let mut next = 0;
        for c in histogram.iter_mut() {
            let here = *c;
            *c = next;
            next += here;
        }
        for item in &items {
            let slot = &mut histogram[digit(key(item), pass)];
            buffer[*slot] = *item;
            *slot += 1;
        }
        std::mem::swap(&mut items, &mut buffer);
    }
    items
}

/// The bits of `x` as an unsigned key in `f64::total_cmp` order: negative
/// values have every bit flipped, others only the sign bit.
fn total_order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_as_total_cmp() {
        let xs = [
            f64::NEG_INFINITY,
            -2.5,
            -0.0,
            0.0,
            1e-300,
            0.3,
            1.0,
            7.25,
            f64::INFINITY,
        ];
        for w in xs.windows(2) {
            assert!(
                total_order_key(w[0]) < total_order_key(w[1]),
                "{} < {}",
                w[0],
                w[1]
            );
        }
    }

    #[test]
    fn radix_and_comparison_sorts_agree() {
        // Times on a coarse grid (ties, a shared high byte) and a −0.
        let n = 5 * RADIX_FROM;
        let times: Vec<f64> = (0..n)
            .map(|i| {
                if i == 7 {
                    -0.0
                } else {
                    ((i * 7919) % 97) as f64 / 4.0
                }
            })
            .collect();
        let events: Vec<bool> = (0..n).map(|i| (i * 31) % 3 != 0).collect();
        let mut expected: Vec<usize> = (0..n).collect();
        expected.sort_by(|&a, &b| {
            times[a]
                .total_cmp(&times[b])
                .then(events[b].cmp(&events[a]))
        });
        assert_eq!(processing_order(&times, &events), expected);
        // Times rounded to 2 decimals: every digit of the key varies.
        let times: Vec<f64> = (0..n)
            .map(|i| ((i * 7919 % 6007) as f64 * 0.0137).round() / 100.0 + 1e-3)
            .collect();
        let mut expected: Vec<usize> = (0..n).collect();
        expected.sort_by(|&a, &b| {
            times[a]
                .total_cmp(&times[b])
                .then(events[b].cmp(&events[a]))
        });
        assert_eq!(processing_order(&times, &events), expected);
        assert_eq!(processing_order(&times[..10], &events[..10]), {
            let mut e: Vec<usize> = (0..10).collect();
            e.sort_by(|&a, &b| {
                times[a]
                    .total_cmp(&times[b])
                    .then(events[b].cmp(&events[a]))
            });
            e
        });
    }
}
