//! The distinct times of right-censored data with the events and censorings
//! at each: everything the Kaplan–Meier estimate (and its reverse, for the
//! follow-up) needs, and far less than the subjects themselves.
//!
//! From unsorted subjects the tally is built without an index sort, two
//! ways:
//!
//! * few distinct times (the rule in trial data: days, or months to one or
//!   two decimals): counted in a hash table keyed by the time's bits, and only
//!   the distinct times sorted (as pandas' `groupby` or `value_counts` do);
//! * many: each subject becomes one 64-bit key, the bits of its time shifted
//!   left by one with the censoring flag in the last bit, so that ordering the
//!   keys as integers orders by time and, at a tied time, events before
//!   censorings (times are ≥ 0, whose bit patterns order as the numbers do);
//!   the keys are sorted ([`sort_keys`], a radix sort) and read off in runs.
//!
//! Either way −0 counts as +0, and times equal up to round-off are then
//! merged as R's `aeqSurv` merges them.

use super::input::{tie_groups, validate};
use super::order::{sort_keys, RADIX_FROM};
use super::SurvivalError;

/// The distinct times, ascending (times equal up to round-off already made
/// one time, as R's `aeqSurv`), with the number of events and of censorings
/// at each.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// Distinct times, ascending.
    pub times: Vec<f64>,
    /// Events at each time.
    pub events: Vec<usize>,
    /// Censorings at each time.
    pub censored: Vec<usize>,
}

impl Tally {
    /// Validates `times` and `events` as [`SurvivalData::new`] does (same
    /// errors, naming the same subject) and tallies them.
    pub fn new(times: &[f64], events: &[bool]) -> Result<Tally, SurvivalError> {
        validate(times, events)?;
        let key = |i: usize| time_key(times[i]) << 1 | u64::from(!events[i]);
        let sorted = (1..times.len()).all(|i| key(i - 1) <= key(i));
        let hashed = if sorted || times.len() < RADIX_FROM {
            None
        } else {
            hashed(times, events, times.len() / MAX_DISTINCT_SHARE)
        };
        let tally = hashed.unwrap_or_else(|| {
            let keys: Vec<u64> = (0..times.len()).map(key).collect();
            runs(&if sorted { keys } else { sort_keys(keys) })
        });
        Ok(tally.tied_up())
    }

    /// Events and censorings swapped: the data of the reverse Kaplan–Meier
    /// estimate, where the end of follow-up is the "event" (no sort: the
    /// times stay the same).
    pub fn reversed(&self) -> Tally {
        Tally {
            times: self.times.clone(),
            events: self.censored.clone(),
            censored: self.events.clone(),
        }
    }

    /// Number of subjects.
    pub fn subjects(&self) -> usize {
        self.events.iter().sum::<usize>() + self.censored.iter().sum::<usize>()
    }

    /// Number of events.
    pub fn total_events(&self) -> usize {
        self.events.iter().sum()
    }

    fn with_capacity(capacity: usize) -> Tally {
        Tally {
            times: Vec::with_capacity(capacity),
            events: Vec::with_capacity(capacity),
            censored: Vec::with_capacity(capacity),
        }
    }

    /// Merges the distinct times equal up to round-off into the first of
    /// each group ([`tie_groups`]).
    fn tied_up(self) -> Tally {
        let Some(groups) = tie_groups(&self.times) else {
            return self;
        };
        let mut tally = Tally {
            times: Vec::new(),
            events: Vec::new(),
            censored: Vec::new(),
        };
        for (i, &first) in groups.iter().enumerate() {
            if first == i {
                tally.times.push(self.times[i]);
                tally.events.push(0);
                tally.censored.push(0);
            }
            let last = tally.times.len() - 1;
            tally.events[last] += self.events[i];
            tally.censored[last] += self.censored[i];
        }
        tally
    }
}

/// The hash table gives up when more than one subject in this many has a
/// time of its own: sorting the subjects is then faster than hashing them.
const MAX_DISTINCT_SHARE: usize = 8;

/// The bits of a time ≥ 0, −0 counted as +0: ordered as the times are.
fn time_key(time: f64) -> u64 {
    (time + 0.0).to_bits()
}

/// The tally of keys sorted as [`Tally::new`] describes them (time bits,
/// then the censoring flag), read off in runs.
fn runs(keys: &[u64]) -> Tally {
    let mut tally = Tally::with_capacity(0);
    let mut start = 0;
    while start < keys.len() {
        let time = keys[start] >> 1;
        let run =
            |from: usize, key: u64| from + keys[from..].iter().take_while(|&&k| k == key).count();
        let censored_from = run(start, time << 1);
        let end = run(censored_from, time << 1 | 1);
        tally.times.push(f64::from_bits(time));
        tally.events.push(censored_from - start);
        tally.censored.push(end - censored_from);
        start = end;
    }
    tally
}

/// Slots a lookup may probe, on average over the subjects, before the hash
/// table gives up. A half-full table with well-spread keys needs about 1.5;
/// times crafted to collide would otherwise make counting quadratic.
const MAX_MEAN_PROBES: usize = 8;

/// Events and censorings per distinct time counted in an open-addressing
/// hash table (linear probing, Fibonacci hashing of the time's bits: Knuth,
/// TAOCP vol. 3, §6.4), kept at most half full; then the distinct times are
/// sorted. `None` as soon as there are more than `limit` distinct times or
/// the probes exceed [`MAX_MEAN_PROBES`] per subject.
fn hashed(times: &[f64], events: &[bool], limit: usize) -> Option<Tally> {
    // Counts are 32-bit, to keep a slot in 16 bytes.
    u32::try_from(times.len()).ok()?;
    let mut table = HashTable {
        bits: 10,
        slots: vec![Slot::EMPTY; 1 << 10],
    };
    let mut budget = Budget(MAX_MEAN_PROBES * times.len());
    let mut distinct = 0;
    for (&time, &event) in times.iter().zip(events) {
        let key = time_key(time);
        let i = table.find(key, &mut budget)?;
        let slot = &mut table.slots[i];
        if slot.key == EMPTY {
            slot.key = key;
            distinct += 1;
        }
        slot.counts[usize::from(!event)] += 1;
        if 2 * distinct > table.slots.len() {
            if distinct > limit {
                return None;
            }
            table = table.doubled(&mut budget)?;
        }
    }
    let mut entries: Vec<Slot> = table.slots.into_iter().filter(|s| s.key != EMPTY).collect();
    entries.sort_unstable_by_key(|s| s.key);
    let mut tally = Tally::with_capacity(entries.len());
    for Slot {
        key,
        counts: [events, censored],
    } in entries
    {
        tally.times.push(f64::from_bits(key));
        tally.events.push(events as usize);
        tally.censored.push(censored as usize);
    }
    Some(tally)
}

/// Marks an empty slot of a [`HashTable`]: no time ≥ 0 has these bits.
const EMPTY: u64 = u64::MAX;

/// A time's bits and its [events, censorings], side by side so that a
/// lookup touches one cache line.
#[derive(Clone, Copy)]
struct Slot {
    key: u64,
    counts: [u32; 2],
}

impl Slot {
    const EMPTY: Slot = Slot {
        key: EMPTY,
        counts: [0; 2],
    };
}

/// The table of [`hashed`]: 2^`bits` slots.
struct HashTable {
    bits: u32,
    slots: Vec<Slot>,
}

/// Probes the hash table may still make.
struct Budget(usize);

/// Fibonacci hashing's multiplier: 2⁶⁴ divided by the golden ratio, odd.
const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

impl HashTable {
    /// The index of the slot holding `key`, or of the empty slot where it
    /// goes; `None` when the probe budget runs out.
    fn find(&self, key: u64, budget: &mut Budget) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = (key.wrapping_mul(GOLDEN) >> (64 - self.bits)) as usize;
        while self.slots[i].key != key && self.slots[i].key != EMPTY {
            budget.0 = budget.0.checked_sub(1)?;
            i = (i + 1) & mask;
        }
        Some(i)
    }

    /// The same entries in a table twice the size.
    fn doubled(self, budget: &mut Budget) -> Option<HashTable> {
        let bits = self.bits + 1;
        let mut table = HashTable {
            bits,
            slots: vec![Slot::EMPTY; 1 << bits],
        };
        for slot in self.slots.into_iter().filter(|s| s.key != EMPTY) {
            let i = table.find(slot.key, budget)?;
            table.slots[i] = slot;
        }
        Some(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::km::SurvivalData;

    #[test]
    fn counts_events_and_censorings_per_distinct_time() {
        let tally = Tally::new(
            &[6.0, 3.0, 1.0, 6.0, 8.0, 3.0, -0.0, 0.0],
            &[true, false, true, true, false, true, false, true],
        )
        .unwrap();
        assert_eq!(tally.times, [0.0, 1.0, 3.0, 6.0, 8.0]);
        assert!(tally.times[0].is_sign_positive());
        assert_eq!(tally.events, [1, 1, 1, 2, 0]);
        assert_eq!(tally.censored, [1, 0, 1, 0, 1]);
        assert_eq!((tally.subjects(), tally.total_events()), (8, 5));
        let reversed = tally.reversed();
        assert_eq!(
            (reversed.events, reversed.censored),
            (tally.censored.clone(), tally.events.clone())
        );
    }

    #[test]
    fn ties_up_round_off_as_the_subject_order_does() {
        let times = [0.1 + 0.2, 0.3, 1.0, 0.3, 2.0, 1.0 + 1e-6];
        let events = [false, true, true, false, true, false];
        let tally = Tally::new(&times, &events).unwrap();
        assert_eq!(tally.times, [0.3, 1.0, 1.0 + 1e-6, 2.0]);
        assert_eq!(
            (&tally.events[..], &tally.censored[..]),
            (&[1, 1, 0, 1][..], &[2, 0, 1, 0][..])
        );
        let data = SurvivalData::new(&times, &events).unwrap();
        assert_eq!(data.times(), [0.3, 0.3, 1.0, 0.3, 2.0, 1.0 + 1e-6]);
    }

    #[test]
    fn colliding_times_make_the_hash_table_give_up_not_crawl() {
        // Times between 1 and 10⁶ whose hashes share their top 24 bits:
        // every one lands in the same slot of any table up to 2²⁴ slots.
        let inverse = (0..6).fold(GOLDEN, |x, _| {
            x.wrapping_mul(2u64.wrapping_sub(GOLDEN.wrapping_mul(x)))
        });
        assert_eq!(GOLDEN.wrapping_mul(inverse), 1);
        let colliding: Vec<f64> = (0u64..)
            .map(|j| f64::from_bits((0x5a5a5a << 40 | j).wrapping_mul(inverse)))
            .filter(|t| (1.0..1e6).contains(t))
            .take(400)
            .collect();
        // Each time 16 times over: few enough distinct times for hashing.
        let times: Vec<f64> = colliding.iter().flat_map(|&t| [t; 16]).collect();
        let events = vec![true; times.len()];
        assert_eq!(
            hashed(&times, &events, times.len() / MAX_DISTINCT_SHARE),
            None
        );
        // The tally is still right: the keys are sorted instead.
        let tally = Tally::new(&times, &events).unwrap();
        assert_eq!((tally.times.len(), tally.subjects()), (400, 6400));
        // Well-spread times of the same shape are hashed.
        let spread: Vec<f64> = (0..400).flat_map(|j| [f64::from(j) / 100.0; 16]).collect();
        assert!(hashed(&spread, &events, spread.len() / MAX_DISTINCT_SHARE).is_some());
    }

    #[test]
    fn rejects_what_survival_data_rejects() {
        for (t, e) in [
            (&[1.0, -2.0][..], &[true, false][..]),
            (&[f64::INFINITY][..], &[true][..]),
            (&[][..], &[][..]),
            (&[1.0][..], &[][..]),
        ] {
            assert_eq!(Tally::new(t, e), Err(SurvivalData::new(t, e).unwrap_err()));
        }
    }
}
