//! The bounded, expiring set of signature nonces already used.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

/// Remembers nonces for `ttl`, at most `capacity` of them (the oldest are forgotten first
/// when full).
pub(crate) struct NonceCache {
    ttl: Duration,
    capacity: usize,
    seen: HashSet<String>,
    order: VecDeque<(Instant, String)>,
}

impl NonceCache {
    pub(crate) fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity: capacity.max(1),
            seen: HashSet::new(),
            order: VecDeque::new(),
        }
    }

    fn expire(&mut self, now: Instant) {
        while let Some((at, _)) = self.order.front() {
            let expired = now.saturating_duration_since(*at) >= self.ttl;
            if !expired && self.order.len() < self.capacity {
                break;
            }
            if let Some((_, key)) = self.order.pop_front() {
                self.seen.remove(&key);
            }
        }
    }

    /// Records `key` as used at `now`; `false` if it was already used within the TTL.
    pub(crate) fn insert(&mut self, key: String, now: Instant) -> bool {
        self.expire(now);
        if self.seen.contains(&key) {
            return false;
        }
        self.seen.insert(key.clone());
        self.order.push_back((now, key));
        true
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_reuse_and_forgets_after_ttl() {
        let t0 = Instant::now();
        let mut c = NonceCache::new(Duration::from_secs(10), 100);
        assert!(c.insert("a".into(), t0));
        assert!(!c.insert("a".into(), t0 + Duration::from_secs(9)));
        assert!(c.insert("a".into(), t0 + Duration::from_secs(11)));
    }

    #[test]
    fn stays_bounded() {
        let t0 = Instant::now();
        let mut c = NonceCache::new(Duration::from_secs(1000), 3);
        for i in 0..10 {
            assert!(c.insert(format!("n{i}"), t0));
        }
        assert!(c.len() <= 3);
        assert!(!c.insert("n9".into(), t0));
    }
}
