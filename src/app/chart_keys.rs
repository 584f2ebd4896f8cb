//! The keys an interactive chart answers to while its canvas has focus, and
//! how they move a cursor along the chart's marks (bars, lanes, event times).
//! Each chart reads its marks the way the mouse does and does with them what
//! a hover or a click does.

/// What a key asks of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKey {
    /// ArrowLeft or ArrowUp: the previous mark.
    Previous,
    /// ArrowRight or ArrowDown: the next mark.
    Next,
    /// Home: the first mark.
    First,
    /// End: the last mark.
    Last,
    /// Enter or Space: what a click on the mark does.
    Activate,
    /// Escape: no mark, no readout.
    Clear,
    /// `+` (or `=`, the same key unshifted): zoom in.
    ZoomIn,
    /// `-`: zoom out.
    ZoomOut,
    /// `0`: the whole axis again.
    ZoomReset,
}

impl ChartKey {
    /// The chart key of a `KeyboardEvent.key` value, if it is one.
    pub fn from_key(key: &str) -> Option<ChartKey> {
        Some(match key {
            "ArrowLeft" | "ArrowUp" => ChartKey::Previous,
            "ArrowRight" | "ArrowDown" => ChartKey::Next,
            "Home" => ChartKey::First,
            "End" => ChartKey::Last,
            "Enter" | " " => ChartKey::Activate,
            "Escape" => ChartKey::Clear,
            "+" | "=" => ChartKey::ZoomIn,
            "-" => ChartKey::ZoomOut,
            "0" => ChartKey::ZoomReset,
            _ => return None,
        })
    }

    /// The mark this key moves to among `len` marks from `current` (none
    /// yet: Next starts at the first, Previous at the last); `None` for a
    /// key that does not move, or without marks. Stops at either end.
    pub fn step(self, current: Option<usize>, len: usize) -> Option<usize> {
        let last = len.checked_sub(1)?;
        match self {
            ChartKey::Previous => Some(current.map_or(last, |i| i.saturating_sub(1).min(last))),
            ChartKey::Next => Some(current.map_or(0, |i| (i + 1).min(last))),
            ChartKey::First => Some(0),
            ChartKey::Last => Some(last),
            _ => None,
        }
    }
}
