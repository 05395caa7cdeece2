//! Which windows of a listing to ask for.
//!
//! A page-number request for page `n` of `size` items returns the items at positions
//! `(n - 1) * size .. n * size` of the listing as it stands when the service answers. Pages
//! of one size tile the listing without overlapping, so two neighbouring pages never share
//! an item and nothing shows that the listing moved between them. Pages of *different*
//! sizes can overlap: the planner picks, for each next window, a page size and number whose
//! positions start at least `overlap` positions before the end of what is already covered
//! and reach as far beyond it as possible.

/// A window of the listing: `size` items from position `offset` (0-based), asked for as page
/// `offset / size + 1` of `size` items. `offset` is always a multiple of `size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Window {
    /// The position of the window's first item.
    pub(crate) offset: u64,
    /// The page size it is asked with (at least 1).
    pub(crate) size: u32,
}

impl Window {
    /// Page `number` (from 1) of `size` items.
    pub(crate) fn page(number: i32, size: u32) -> Self {
        let size = size.max(1);
        let index = u64::try_from(number.max(1) - 1).unwrap_or(0);
        Self {
            offset: index * u64::from(size),
            size,
        }
    }

    /// The page of `size` items that holds position `position`.
    pub(crate) fn holding(position: u64, size: u32) -> Self {
        let size = size.max(1);
        Self {
            offset: position - position % u64::from(size),
            size,
        }
    }

    /// The page number to ask for, `None` past the largest page number a request can carry.
    pub(crate) fn page_number(&self) -> Option<i32> {
        i32::try_from(self.offset / u64::from(self.size) + 1).ok()
    }

    /// The page size to ask for.
    pub(crate) fn page_size(&self) -> i32 {
        i32::try_from(self.size).unwrap_or(i32::MAX)
    }

    /// The position just past the window.
    pub(crate) fn end(&self) -> u64 {
        self.offset + u64::from(self.size)
    }
}

/// The window of `size` items that starts latest but at least `overlap` positions before
/// `end`, if it reaches past `end`.
fn latest(end: u64, overlap: u32, size: u32) -> Option<Window> {
    let latest_start = end.checked_sub(u64::from(overlap))?;
    let window = Window {
        offset: latest_start - latest_start % u64::from(size),
        size,
    };
    (window.end() > end).then_some(window)
}

/// The windows of at most `max` items that start at least `overlap` positions before `end`
/// and reach past it, one per size (the latest start of that size), furthest-reaching
/// first, the smaller of two reaching equally far first.
fn candidates(end: u64, overlap: u32, max: u32) -> Vec<Window> {
    let mut out: Vec<Window> = ((overlap + 1).max(1)..=max)
        .filter_map(|size| latest(end, overlap, size))
        .collect();
    out.sort_by_key(|w| (std::cmp::Reverse(w.end()), w.size));
    out
}

/// How many windows ahead the planner makes sure an overlapping successor exists.
const LOOKAHEAD: u32 = 3;

/// Whether `depth` overlapping windows can follow one another from `end`.
///
/// Only existence matters here, so the sizes are tried as they come, largest first (the
/// largest usually reaches furthest and goes on), without collecting or sorting them.
fn continues(end: u64, overlap: u32, max: u32, depth: u32) -> bool {
    depth == 0
        || ((overlap + 1).max(1)..=max)
            .rev()
            .filter_map(|size| latest(end, overlap, size))
            .any(|w| continues(w.end(), overlap, max, depth - 1))
}

/// The window to ask for after the positions before `end` are covered: a page of at most
/// `max` items starting at least `overlap` positions before `end`. Of the windows reaching
/// furthest, the first from which overlapping windows can go on is taken.
///
/// `None` where no window overlaps: with `overlap` 0 (then the caller tiles by pages of
/// `max` items), or at an `end` that is a multiple of every size from `overlap + 1` to `max`
/// (the planner steers clear of those, which exist only for `max` below about 20, the first
/// at 2,520 for 10 items and overlap 2).
pub(crate) fn next(end: u64, overlap: u32, max: u32) -> Option<Window> {
    let max = max.max(1);
    let overlap = overlap.min(max - 1);
    if overlap == 0 {
        return None;
    }
    if end < u64::from(overlap) {
        // Nothing to overlap yet.
        return Some(Window::holding(end, max));
    }
    let options = candidates(end, overlap, max);
    options
        .iter()
        .find(|w| continues(w.end(), overlap, max, LOOKAHEAD))
        .or(options.first())
        .copied()
}

/// [`next`], or the page of `max` items holding `end` where no window overlaps.
pub(crate) fn next_or_page(end: u64, overlap: u32, max: u32) -> (Window, bool) {
    match next(end, overlap, max) {
        Some(w) => (w, true),
        None => (Window::holding(end, max.max(1)), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every window from `start` to `total`, the way the walk plans them.
    fn windows(start: Window, total: u64, overlap: u32) -> Vec<Window> {
        let mut out = vec![start];
        let mut end = start.end();
        while end < total {
            let (w, _) = next_or_page(end, overlap, start.size);
            out.push(w);
            end = w.end();
        }
        out
    }

    #[test]
    fn pages_and_positions() {
        let w = Window::page(3, 99);
        assert_eq!((w.offset, w.end()), (198, 297));
        assert_eq!(w.page_number(), Some(3));
        assert_eq!(Window::holding(297, 99), Window::page(4, 99));
        assert_eq!(Window::holding(296, 99), Window::page(3, 99));
        assert_eq!(Window::page(0, 0), Window { offset: 0, size: 1 });
        let far = Window {
            offset: u64::from(u32::MAX) * 99,
            size: 99,
        };
        assert_eq!(far.page_number(), None);
    }

    #[test]
    fn overlap_zero_is_tiling() {
        let ws = windows(Window::page(1, 99), 10_000, 0);
        assert_eq!(ws.len(), 102);
        for (i, w) in ws.iter().enumerate() {
            assert_eq!(*w, Window::page(i as i32 + 1, 99));
        }
    }

    /// Checks every property the walk relies on, against a brute-force search for the
    /// furthest-reaching window.
    fn check(size: u32, overlap: u32, total: u64) {
        let ws = windows(Window::page(1, size), total, overlap);
        let mut covered = size as u64;
        for pair in ws.windows(2) {
            let (prev, w) = (pair[0], pair[1]);
            assert_eq!(w.offset % w.size as u64, 0, "{w:?} is a page");
            assert!(w.size >= 1 && w.size <= size, "{w:?} within the page size");
            assert!(
                w.end() > covered,
                "{w:?} covers something new after {covered}"
            );
            assert!(
                w.offset + overlap as u64 <= covered,
                "{w:?} overlaps {prev:?} by at least {overlap} (covered {covered})"
            );
            let brute = ((covered + 1).saturating_sub(overlap as u64 + size as u64)
                ..=covered - overlap as u64)
                .flat_map(|a| (1..=size).map(move |d| (a, d)))
                .filter(|(a, d)| a % *d as u64 == 0 && a + *d as u64 > covered)
                .map(|(a, d)| a + d as u64)
                .max();
            assert!(
                brute.is_some_and(|b| w.end() <= b),
                "{w:?} is a real option"
            );
            covered = w.end();
        }
        assert!(covered >= total);
    }

    #[test]
    fn windows_overlap_and_progress() {
        check(99, 2, 20_000);
        check(99, 1, 5_000);
        check(50, 3, 5_000);
        check(20, 2, 3_000);
    }

    #[test]
    fn the_overhead_is_small_at_the_default_size() {
        // 10,000 items at 99 per page: 102 pages without overlap; with the overlap of two
        // the walk asks for about 15 % more.
        let n = windows(Window::page(1, 99), 10_000, 2).len();
        assert!((103..=120).contains(&n), "{n} windows");
    }

    #[test]
    fn small_sizes_fall_back_to_pages() {
        // 2520 is a multiple of every size from 2 to 10: no window of at most 10 items can
        // start before it and reach past it.
        assert!(candidates(2520, 1, 10).is_empty());
        assert_eq!(next(2520, 1, 10), None);
        assert_eq!(
            next_or_page(2520, 1, 10),
            (Window::holding(2520, 10), false)
        );
        // The planner steers clear of such places where it can: at 10 per page a few remain
        // (an unchecked page each), from 20 per page on none within 100,000 items.
        let fallbacks = |size: u32, total: u64| {
            let (mut end, mut n, mut windows) = (u64::from(size), 0, 0);
            while end < total {
                let (w, overlaps) = next_or_page(end, 2, size);
                n += usize::from(!overlaps);
                windows += 1;
                end = w.end();
            }
            (n, windows)
        };
        let (n, windows) = fallbacks(10, 10_000);
        assert!(n * 100 < windows, "{n} of {windows}");
        for size in [20, 37, 50, 99] {
            assert_eq!(fallbacks(size, 100_000).0, 0, "{size} per page");
        }
    }
}
