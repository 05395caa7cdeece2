//! Throttling by rate, as the service does: a token bucket per AccessKey ID holding one
//! second of requests at the configured rate. A request that finds it empty is answered
//! `400 Throttling.User` with `x-acs-retry-after`: the milliseconds until a token is back.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::time::Instant;

use crate::error::ApiError;
use crate::stats::{bump, Counters};

/// How many AccessKey IDs get a bucket of their own; past that, the least recently seen is
/// forgotten (a client inventing keys cannot grow the memory).
const MAX_KEYS: usize = 10_000;

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The buckets, by AccessKey ID; off when the rate is 0.
pub(crate) struct RateLimit {
    rps: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimit {
    /// Requests per second allowed per AccessKey ID (0: unlimited).
    pub(crate) fn new(rps: f64) -> Self {
        Self {
            rps,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for a request signed by `access_key_id`, or the throttling answer.
    pub(crate) fn admit(&self, access_key_id: &str, counters: &Counters) -> Result<(), ApiError> {
        if self.rps <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let burst = self.rps.max(1.0);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !buckets.contains_key(access_key_id) && buckets.len() >= MAX_KEYS {
            if let Some(oldest) = buckets
                .iter()
                .min_by_key(|(_, b)| b.last)
                .map(|(k, _)| k.clone())
            {
                buckets.remove(&oldest);
            }
        }
        let bucket = buckets.entry(access_key_id.to_owned()).or_insert(Bucket {
            tokens: burst,
            last: now,
        });
        let refill = now.saturating_duration_since(bucket.last).as_secs_f64() * self.rps;
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.last = now;
        // (A token refilled in steps may add up to a hair under 1.)
        if bucket.tokens >= 1.0 - 1e-9 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait_ms = ((1.0 - bucket.tokens) / self.rps * 1000.0).ceil().max(1.0);
        drop(buckets);
        bump(&counters.rate_limited);
        let mut e = ApiError::new(
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        );
        // At most a day (a rate of at least 1e-5 per second is enforced by the config).
        e.retry_after_ms = Some(wait_ms.min(86_400_000.0) as u64);
        Err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn a_second_of_burst_then_the_rate() {
        let limit = RateLimit::new(10.0);
        let counters = Counters::default();
        let admitted = (0..50)
            .filter(|_| limit.admit("ak", &counters).is_ok())
            .count();
        assert_eq!(admitted, 10);
        let refused = limit.admit("ak", &counters).err();
        assert_eq!(
            refused.as_ref().map(|e| e.code.as_str()),
            Some("Throttling.User")
        );
        assert_eq!(refused.and_then(|e| e.retry_after_ms), Some(100));
        // Another key has its own bucket.
        assert!(limit.admit("other", &counters).is_ok());
        // Over two seconds, 20 more.
        let mut later = 0;
        for _ in 0..200 {
            tokio::time::advance(Duration::from_millis(10)).await;
            later += usize::from(limit.admit("ak", &counters).is_ok());
        }
        assert_eq!(later, 20);
        assert_eq!(
            counters.snapshot().rate_limited,
            (50 - 10 + 1 + 200 - 20) as u64
        );
    }

    #[test]
    fn zero_is_off() {
        let limit = RateLimit::new(0.0);
        let counters = Counters::default();
        assert!((0..1000).all(|_| limit.admit("ak", &counters).is_ok()));
    }
}
