//! How many requests a walk keeps in flight: the configured concurrency, halved when the
//! service throttles, grown back by one after each run of successes as long as the limit.

use std::time::Duration;

/// The first wait after a throttled answer that names no delay; it doubles with each
/// throttled answer in a row, up to [`MAX_WAIT`].
const BASE_WAIT: Duration = Duration::from_millis(100);
/// The longest wait between throttled answers, the server's `x-acs-retry-after` included.
const MAX_WAIT: Duration = Duration::from_secs(20);

/// An additive-increase, multiplicative-decrease limit on requests in flight.
#[derive(Debug)]
pub(crate) struct Limiter {
    max: usize,
    current: usize,
    successes: usize,
    /// Bumped at each decrease; a throttled answer to a request sent before the last
    /// decrease does not decrease again (it belongs to the burst already answered for).
    epoch: u64,
    /// Throttled answers since the last success.
    throttled_in_row: u32,
}

impl Limiter {
    /// A limit of `max` requests (at least 1).
    pub(crate) fn new(max: usize) -> Self {
        let max = max.max(1);
        Self {
            max,
            current: max,
            successes: 0,
            epoch: 0,
            throttled_in_row: 0,
        }
    }

    /// How many requests may be in flight now.
    pub(crate) fn current(&self) -> usize {
        self.current
    }

    /// The epoch to record with a request sent now.
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch
    }

    /// A request succeeded: after as many successes in a row as the current limit, the
    /// limit grows by one (up to the configured concurrency).
    pub(crate) fn success(&mut self) {
        self.throttled_in_row = 0;
        self.successes += 1;
        if self.successes >= self.current && self.current < self.max {
            self.current += 1;
            self.successes = 0;
        }
    }

    /// A request sent in `epoch` was throttled: halves the limit (once per burst) and says
    /// how long to wait before sending anything: the server's delay when it gave one, else
    /// a backoff doubling with each throttled answer in a row.
    pub(crate) fn throttled(&mut self, epoch: u64, retry_after: Option<Duration>) -> Duration {
        self.throttled_in_row = self.throttled_in_row.saturating_add(1);
        self.successes = 0;
        if epoch == self.epoch {
            self.current = (self.current / 2).max(1);
            self.epoch += 1;
        }
        let backoff = BASE_WAIT
            .checked_mul(1 << self.throttled_in_row.saturating_sub(1).min(16))
            .unwrap_or(MAX_WAIT);
        retry_after.unwrap_or(backoff).min(MAX_WAIT)
    }

    /// Throttled answers since the last success.
    pub(crate) fn throttled_in_row(&self) -> u32 {
        self.throttled_in_row
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_once_per_burst_then_grows_back() {
        let mut l = Limiter::new(16);
        let burst = l.epoch();
        assert_eq!(
            l.throttled(burst, Some(Duration::from_millis(30))),
            Duration::from_millis(30)
        );
        assert_eq!(l.current(), 8);
        // The rest of the same burst does not halve again.
        l.throttled(burst, None);
        l.throttled(burst, None);
        assert_eq!(l.current(), 8);
        // A request sent after the decrease that is throttled again halves once more.
        l.throttled(l.epoch(), None);
        assert_eq!(l.current(), 4);
        l.throttled(l.epoch(), None);
        l.throttled(l.epoch(), None);
        l.throttled(l.epoch(), None);
        assert_eq!(l.current(), 1, "never below one");
        assert_eq!(l.throttled_in_row(), 7);
        // Growth: one more after each run of `current` successes.
        for expected in [2, 2, 3, 3, 3, 4] {
            l.success();
            assert_eq!(l.current(), expected);
        }
        assert_eq!(l.throttled_in_row(), 0);
        for _ in 0..200 {
            l.success();
        }
        assert_eq!(l.current(), 16, "never above the configured concurrency");
    }

    #[test]
    fn waits_back_off_and_are_capped() {
        let mut l = Limiter::new(1);
        assert_eq!(l.throttled(0, None), Duration::from_millis(100));
        assert_eq!(l.throttled(0, None), Duration::from_millis(200));
        assert_eq!(l.throttled(0, None), Duration::from_millis(400));
        for _ in 0..20 {
            l.throttled(0, None);
        }
        assert_eq!(l.throttled(0, None), MAX_WAIT);
        assert_eq!(l.throttled(0, Some(Duration::from_secs(600))), MAX_WAIT);
        assert_eq!(Limiter::new(0).current(), 1);
    }
}
