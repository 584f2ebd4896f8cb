//! The patients' ids, in cohort order, stored as one text and where each id
//! ends: a million ids cost their bytes and 4 bytes each, not a `String`
//! (24 bytes and an allocation) each.

use std::fmt;
use std::ops::Index;

/// Patient ids in cohort order.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PatientIds {
    text: String,
    /// `ends[i]`: the byte where id `i` ends in `text` (it starts where
    /// id `i − 1` ends). `u32`: no file read is over 200 MB (`table::MAX_BYTES`).
    ends: Vec<u32>,
}

impl PatientIds {
    /// Number of ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`-th id, if any.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }

    /// The ids in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        (0..self.len()).map(|i| &self[i])
    }

    /// Index of the first patient with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.iter().position(|x| x == id)
    }

    /// Appends an id.
    ///
    /// # Panics
    /// When the ids reach 4 GiB of text: no input is that large
    /// (`table::MAX_BYTES`).
    pub fn push(&mut self, id: &str) {
        self.text.push_str(id);
        let end = u32::try_from(self.text.len()).expect("ids of an input under 200 MB");
        self.ends.push(end);
    }

    /// Room for `ids` more ids of `bytes` bytes in all.
    pub fn reserve(&mut self, ids: usize, bytes: usize) {
        self.ends.reserve(ids);
        self.text.reserve(bytes);
    }

    /// The ids at `keep`, in that order.
    pub fn select(&self, keep: &[usize]) -> PatientIds {
        keep.iter().map(|&i| &self[i]).collect()
    }
}

impl Index<usize> for PatientIds {
    type Output = str;

    /// The `i`-th id; panics when `i` is out of range, as a slice does.
    fn index(&self, i: usize) -> &str {
        self.get(i)
            .unwrap_or_else(|| panic!("id {i} of {} ids", self.len()))
    }
}

impl<'a> FromIterator<&'a str> for PatientIds {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut ids = PatientIds::default();
        for id in iter {
            ids.push(id);
        }
        ids
    }
}

impl FromIterator<String> for PatientIds {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        let mut ids = PatientIds::default();
        for id in iter {
            ids.push(&id);
        }
        ids
    }
}

impl fmt::Debug for PatientIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<const N: usize> PartialEq<[&str; N]> for PatientIds {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.len() == N && self.iter().zip(other).all(|(a, b)| a == *b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back_as_pushed_and_select_keeps_order() {
        let ids: PatientIds = ["P1", "", "Zoë", "P1", "a, b"].into_iter().collect();
        assert_eq!(ids.len(), 5);
        assert_eq!(ids, ["P1", "", "Zoë", "P1", "a, b"]);
        assert_eq!(
            (&ids[2], ids.get(4), ids.get(5)),
            ("Zoë", Some("a, b"), None)
        );
        assert_eq!(ids.position("P1"), Some(0));
        assert_eq!((ids.position(""), ids.position("P2")), (Some(1), None));
        assert_eq!(ids.select(&[4, 0, 2]), ["a, b", "P1", "Zoë"]);
        assert_eq!(format!("{ids:?}"), r#"["P1", "", "Zoë", "P1", "a, b"]"#);
        assert!(PatientIds::default().is_empty());
        assert_ne!(ids, ["P1", "", "Zoë", "P1"]);
    }
}
