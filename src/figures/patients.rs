//! Finding patients by id: the page's patient picker, which lists a few
//! matches instead of every id of the cohort.

use crate::data::PatientIds;

/// Most matches the picker lists.
pub const MAX_MATCHES: usize = 8;

/// The ids that start with `query` (ignoring case), then those that contain
/// it, in cohort order, at most `limit`; none for an empty query.
pub fn matches<'a>(ids: &'a PatientIds, query: &str, limit: usize) -> Vec<&'a str> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    let lower = |id: &str| id.to_lowercase();
    let mut out: Vec<&str> = ids
        .iter()
        .filter(|id| lower(id).starts_with(&query))
        .take(limit)
        .collect();
    if out.len() < limit {
        let more: Vec<&str> = ids
            .iter()
            .filter(|id| {
                let id = lower(id);
                !id.starts_with(&query) && id.contains(&query)
            })
            .take(limit - out.len())
            .collect();
        out.extend(more);
    }
    out
}

/// The patient a typed id names: the id itself (ignoring case and spaces
/// around it), or the only match.
pub fn pick<'a>(ids: &'a PatientIds, typed: &str) -> Option<&'a str> {
    let typed = typed.trim();
    if let Some(id) = ids.iter().find(|id| id.eq_ignore_ascii_case(typed)) {
        return Some(id);
    }
    match matches(ids, typed, 2).as_slice() {
        [only] => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_come_first_and_the_list_stays_short() {
        let ids: PatientIds = (0..100_000).map(|i| format!("P{i:05}")).collect();
        assert_eq!(
            matches(&ids, "p0000", 8),
            ["P00000", "P00001", "P00002", "P00003", "P00004", "P00005", "P00006", "P00007"]
        );
        assert_eq!(matches(&ids, "99999", 8), ["P99999"]);
        assert!(matches(&ids, "  ", 8).is_empty());
        assert_eq!(pick(&ids, " p00012 "), Some("P00012"));
        assert_eq!(pick(&ids, "9999"), None, "ten ids contain 9999");
        assert_eq!(pick(&ids, "99999"), Some("P99999"));
        assert_eq!(pick(&ids, "X"), None);
    }
}
