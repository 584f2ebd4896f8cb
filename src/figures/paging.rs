//! Pages of a long list: what the page's paged tables show.

use crate::charts::format::thousands;

/// Rows per page of a paged list.
pub const PAGE_ROWS: usize = 100;

/// The rows of one page of a list of `total` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRange {
    /// The page shown, from 0 (the last page when asked for one after it).
    pub page: usize,
    /// The number of pages, at least 1.
    pub pages: usize,
    pub start: usize,
    pub end: usize,
    pub total: usize,
}

impl PageRange {
    /// Page `page` of `total` rows of [`PAGE_ROWS`] each.
    pub fn new(page: usize, total: usize) -> PageRange {
        let pages = total.div_ceil(PAGE_ROWS).max(1);
        let page = page.min(pages - 1);
        let start = (page * PAGE_ROWS).min(total);
        PageRange {
            page,
            pages,
            start,
            end: (start + PAGE_ROWS).min(total),
            total,
        }
    }

    /// "rows 101–200 of 2,000".
    pub fn text(&self) -> String {
        format!(
            "rows {}–{} of {}",
            thousands(self.start + 1),
            thousands(self.end),
            thousands(self.total)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_list_once() {
        let first = PageRange::new(0, 250);
        assert_eq!((first.pages, first.start, first.end), (3, 0, 100));
        let last = PageRange::new(2, 250);
        assert_eq!((last.start, last.end), (200, 250));
        assert_eq!(PageRange::new(9, 250), last);
        assert_eq!(last.text(), "rows 201–250 of 250");
        assert_eq!(PageRange::new(1, 100_000).text(), "rows 101–200 of 100,000");
        let empty = PageRange::new(0, 0);
        assert_eq!((empty.pages, empty.start, empty.end), (1, 0, 0));
    }
}
