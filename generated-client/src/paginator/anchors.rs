//! The keys of the items a walk yielded, as far as they are needed, and the rule that
//! decides which items of a newly received window continue the walk.
//!
//! The listing keeps one order. The walk keeps the most recently yielded keys (*recent*,
//! a couple of windows' worth), in the order it yielded them, which is also their order in
//! the listing: a window is continued after the most recently yielded of its items (its
//! *anchor*), so every item it yields lies after every recent key, and the oldest recent
//! key, when it is forgotten, lies before all the others. Any recent key is therefore a
//! safe anchor: nothing forgotten can come after it.
//!
//! A window may end before keys yielded after its anchor (it landed behind the walk), or
//! those items were removed. Those keys can no longer be kept in order, so they leave the
//! recent keys and are kept apart (*pinned*) only so that the walk never yields them
//! again; they never serve as anchors. Their number is bounded: when the listing keeps
//! moving so much that more would be needed, the walk ends with an error instead.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

/// The remembered keys of yielded items.
#[derive(Debug)]
pub(crate) struct Anchors {
    /// Recent keys and when each was yielded (a count).
    seq: HashMap<Arc<str>, u64>,
    /// Recent keys in the order they were yielded (and so in the listing's order), each
    /// sharing its allocation with its entry in `seq`.
    recent: VecDeque<Arc<str>>,
    pinned: HashSet<Arc<str>>,
    capacity: usize,
    pinned_capacity: usize,
    yielded: u64,
}

/// Where a window continues the walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Resume {
    /// The index of the first item after the anchor.
    pub(crate) at: usize,
    anchor_seq: u64,
}

impl Anchors {
    /// Remembers `capacity` recent keys (at least 1) and up to `pinned_capacity` pinned ones.
    pub(crate) fn new(capacity: usize, pinned_capacity: usize) -> Self {
        Self {
            seq: HashMap::with_capacity(capacity + 1),
            recent: VecDeque::with_capacity(capacity + 1),
            pinned: HashSet::new(),
            capacity: capacity.max(1),
            pinned_capacity,
            yielded: 0,
        }
    }

    /// How many keys are remembered.
    pub(crate) fn len(&self) -> usize {
        self.recent.len() + self.pinned.len()
    }

    /// Whether `key` was yielded and is remembered.
    pub(crate) fn contains(&self, key: &str) -> bool {
        self.seq.contains_key(key) || self.pinned.contains(key)
    }

    /// Remembers the key of an item just yielded.
    pub(crate) fn push(&mut self, key: &str) {
        if self.pinned.contains(key) {
            return;
        }
        // One allocation and one lookup for a new key (the usual case); a key met again
        // costs an allocation it did not need.
        let Entry::Vacant(slot) = self.seq.entry(Arc::from(key)) else {
            return;
        };
        self.yielded += 1;
        let key = Arc::clone(slot.key());
        slot.insert(self.yielded);
        self.recent.push_back(key);
        if self.recent.len() > self.capacity {
            if let Some(old) = self.recent.pop_front() {
                self.seq.remove(&old);
            }
        }
    }

    /// Where a window continues the walk: just after the most recently yielded of its items,
    /// `None` when it holds no recent key.
    ///
    /// A window is a contiguous run of the listing at one moment, so every item still
    /// present between the anchor and the end of the window is in the window after the
    /// anchor, and every item before the anchor was yielded already or appeared since.
    pub(crate) fn resume_at<'a>(
        &self,
        keys: impl Iterator<Item = Option<&'a str>>,
    ) -> Option<Resume> {
        keys.enumerate()
            .filter_map(|(i, k)| Some((i, *self.seq.get(k?)?)))
            .max_by_key(|(_, seq)| *seq)
            .map(|(i, anchor_seq)| Resume {
                at: i + 1,
                anchor_seq,
            })
    }

    /// Records that a window was continued at `resume`: the recent keys yielded after its
    /// anchor (the window does not hold them) are pinned. `false` when that makes more pinned
    /// keys than there is room for (then the walk cannot promise to yield no key twice).
    #[must_use]
    pub(crate) fn settle(&mut self, resume: Resume) -> bool {
        while self
            .recent
            .back()
            .and_then(|k| self.seq.get(k))
            .is_some_and(|seq| *seq > resume.anchor_seq)
        {
            let Some(key) = self.recent.pop_back() else {
                break;
            };
            self.seq.remove(&key);
            self.pinned.insert(key);
        }
        self.pinned.len() <= self.pinned_capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<'a>(items: &'a [&'a str]) -> impl Iterator<Item = Option<&'a str>> + 'a {
        items.iter().map(|k| (!k.is_empty()).then_some(*k))
    }

    fn at(a: &Anchors, items: &[&str]) -> Option<usize> {
        a.resume_at(keys(items)).map(|r| r.at)
    }

    #[test]
    fn resumes_after_the_most_recent_known_key() {
        let mut a = Anchors::new(4, 4);
        for k in ["a", "b", "c"] {
            a.push(k);
        }
        assert_eq!(at(&a, &["b", "c", "d", "e"]), Some(2));
        // A new item between known ones is skipped with them.
        assert_eq!(at(&a, &["b", "x", "c", "d"]), Some(3));
        // The last known one gone: resume after the one before it.
        assert_eq!(at(&a, &["a", "b", "d"]), Some(2));
        // Items without a key are never anchors.
        assert_eq!(at(&a, &["c", "", "d"]), Some(1));
        assert_eq!(at(&a, &["d", "e"]), None);
        assert_eq!(at(&a, &[]), None);
    }

    #[test]
    fn forgets_the_oldest() {
        let mut a = Anchors::new(2, 2);
        a.push("a");
        a.push("b");
        a.push("b");
        assert_eq!(a.len(), 2);
        a.push("c");
        assert!(!a.contains("a"));
        assert!(a.contains("b") && a.contains("c"));
        assert_eq!(a.len(), 2);
        assert_eq!(Anchors::new(0, 0).len(), 0);
    }

    #[test]
    fn keys_yielded_after_the_anchor_are_kept_but_never_anchor() {
        let mut a = Anchors::new(3, 8);
        for k in ["a", "b", "c", "d"] {
            a.push(k);
        }
        // A window that ends before "c" and "d" (or after they were removed), anchored at "b".
        let window = ["a", "b", "x", "y"];
        let resume = a.resume_at(keys(&window)).expect("anchored");
        assert_eq!(resume.at, 2);
        assert!(a.settle(resume));
        for k in ["x", "y", "z", "w"] {
            a.push(k);
        }
        assert!(a.contains("c") && a.contains("d"), "still known as yielded");
        assert!(!a.contains("b"), "old: forgotten");
        // A window holding only pinned keys has no anchor.
        assert_eq!(at(&a, &["c", "d", "e"]), None);
        // One holding a recent key and, after it, a pinned one: the pinned one is skipped
        // (`contains`), the anchor is the recent one.
        assert_eq!(at(&a, &["w", "c", "e"]), Some(1));
    }

    #[test]
    fn pins_are_bounded() {
        let mut a = Anchors::new(4, 1);
        for k in ["a", "b", "c"] {
            a.push(k);
        }
        let r = a.resume_at(keys(&["a", "x"])).expect("anchored");
        assert!(!a.settle(r), "two pinned, room for one");
    }
}
