//! The retry quota: a client's budget of retries, so that an outage costs a bounded number
//! of extra requests however many calls keep failing.

use std::sync::Mutex;

use crate::client::error::Error;

/// How a client's retry quota is sized (the numbers of the AWS SDKs' standard retry mode).
///
/// A client starts with [`capacity`](Self::capacity) tokens. Every retry takes
/// [`retry_cost`](Self::retry_cost) tokens, or [`timeout_retry_cost`](Self::timeout_retry_cost)
/// after a timeout; a retry that finds too few tokens is not made and the call fails at once
/// with its last error ([`Error::retry_quota_exhausted`]). A call that succeeds gives back
/// what its last retry took, or [`success_refund`](Self::success_refund) tokens when it
/// succeeded at the first attempt, up to the capacity. First attempts never take tokens,
/// so a healthy service is never refused; during a full outage a client sends its calls
/// plus at most `capacity / retry_cost` retries (100 by default), then one request per call.
///
/// ```
/// use hbr_runtime::client::{RetryConfig, RetryQuotaConfig};
///
/// let quota = RetryQuotaConfig::standard();
/// assert_eq!((quota.capacity(), quota.retry_cost(), quota.timeout_retry_cost()), (500, 5, 10));
/// assert_eq!(quota.success_refund(), 1);
/// // A bigger budget, or none at all (every failing call retried to its attempts).
/// let generous = RetryConfig::standard().with_retry_quota(quota.with_capacity(2_000));
/// assert_eq!(generous.retry_quota().map(|q| q.capacity()), Some(2_000));
/// assert!(RetryConfig::standard().without_retry_quota().retry_quota().is_none());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryQuotaConfig {
    capacity: u32,
    retry_cost: u32,
    timeout_retry_cost: u32,
    success_refund: u32,
}

impl Default for RetryQuotaConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryQuotaConfig {
    /// 500 tokens; a retry costs 5, a retry after a timeout 10; a first-try success gives
    /// back 1.
    pub const fn standard() -> Self {
        Self {
            capacity: 500,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }
    }

    /// Sets the number of tokens a client starts with and never exceeds.
    pub fn with_capacity(mut self, tokens: u32) -> Self {
        self.capacity = tokens;
        self
    }

    /// Sets what a retry costs (after anything but a timeout).
    pub fn with_retry_cost(mut self, tokens: u32) -> Self {
        self.retry_cost = tokens;
        self
    }

    /// Sets what a retry after a connect, read or attempt timeout costs.
    pub fn with_timeout_retry_cost(mut self, tokens: u32) -> Self {
        self.timeout_retry_cost = tokens;
        self
    }

    /// Sets what a call that succeeds at its first attempt gives back.
    pub fn with_success_refund(mut self, tokens: u32) -> Self {
        self.success_refund = tokens;
        self
    }

    /// The tokens a client starts with and never exceeds.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// What a retry costs (after anything but a timeout).
    pub fn retry_cost(&self) -> u32 {
        self.retry_cost
    }

    /// What a retry after a timeout costs.
    pub fn timeout_retry_cost(&self) -> u32 {
        self.timeout_retry_cost
    }

    /// What a call that succeeds at its first attempt gives back.
    pub fn success_refund(&self) -> u32 {
        self.success_refund
    }

    /// What a retry after `error` costs.
    pub fn cost_of(&self, error: &Error) -> u32 {
        if error.timeout().is_some() {
            self.timeout_retry_cost
        } else {
            self.retry_cost
        }
    }
}

/// One client's retry quota, shared by its clones, its paginators and its waiters
/// (see [`RetryQuotaConfig`]). [`Runtime::retry_quota`](super::super::Runtime::retry_quota)
/// gives it; code that retries on its own (a paginator sending a throttled page again) draws
/// from it with [`try_acquire`](Self::try_acquire).
///
/// ```
/// use std::time::Duration;
/// use hbr_runtime::client::{Error, RetryQuota, RetryQuotaConfig, TimeoutKind};
///
/// let quota = RetryQuota::new(Some(RetryQuotaConfig::standard().with_capacity(12)));
/// let timeout = Error::timeout_error(TimeoutKind::Read, Duration::from_secs(1));
/// assert_eq!(quota.try_acquire(&timeout), Some(10));
/// assert_eq!(quota.available(), Some(2));
/// assert_eq!(quota.try_acquire(&timeout), None); // empty: the retry is not made
/// quota.succeeded(Some(10)); // the retried call succeeded: its cost comes back
/// assert_eq!(quota.available(), Some(12));
/// assert_eq!(RetryQuota::new(None).try_acquire(&timeout), Some(0)); // no quota: always
/// ```
#[derive(Debug)]
pub struct RetryQuota {
    config: Option<RetryQuotaConfig>,
    available: Mutex<u32>,
}

impl RetryQuota {
    /// A full quota sized by `config`; `None` for no quota (every retry allowed).
    pub fn new(config: Option<RetryQuotaConfig>) -> Self {
        Self {
            available: Mutex::new(config.map_or(0, |c| c.capacity)),
            config,
        }
    }

    /// How the quota is sized, `None` when retries are not limited.
    pub fn config(&self) -> Option<&RetryQuotaConfig> {
        self.config.as_ref()
    }

    /// The tokens left now, `None` when retries are not limited.
    pub fn available(&self) -> Option<u32> {
        self.config.map(|_| *self.lock())
    }

    /// Takes the cost of a retry after `error`: `Some(cost)` when the retry may be made
    /// (`Some(0)` without a quota), `None` when too few tokens are left.
    pub fn try_acquire(&self, error: &Error) -> Option<u32> {
        let Some(config) = &self.config else {
            return Some(0);
        };
        let cost = config.cost_of(error);
        let mut available = self.lock();
        if *available < cost {
            return None;
        }
        *available -= cost;
        Some(cost)
    }

    /// A call succeeded: gives back `retry_cost`, what its last retry took, or the
    /// first-try refund when it was not retried (`None`), up to the capacity.
    pub fn succeeded(&self, retry_cost: Option<u32>) {
        let Some(config) = &self.config else {
            return;
        };
        let back = retry_cost.unwrap_or(config.success_refund);
        let mut available = self.lock();
        *available = available.saturating_add(back).min(config.capacity);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        self.available
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{ServiceError, TimeoutKind};
    use std::time::Duration;

    fn internal() -> Error {
        Error::service(ServiceError::new(500, Some("InternalError".into()), None))
    }

    #[test]
    fn an_outage_allows_capacity_over_cost_retries() {
        let quota = RetryQuota::new(Some(RetryQuotaConfig::standard()));
        let granted = std::iter::repeat_with(|| quota.try_acquire(&internal()))
            .take(1_000)
            .filter(Option::is_some)
            .count();
        assert_eq!(granted, 100);
        assert_eq!(quota.available(), Some(0));
    }

    #[test]
    fn timeouts_cost_more_and_successes_refill_up_to_capacity() {
        let quota = RetryQuota::new(Some(RetryQuotaConfig::standard()));
        let timeout = Error::timeout_error(TimeoutKind::Connect, Duration::from_secs(1));
        assert_eq!(quota.try_acquire(&timeout), Some(10));
        assert_eq!(quota.try_acquire(&internal()), Some(5));
        assert_eq!(quota.available(), Some(485));
        quota.succeeded(None);
        assert_eq!(quota.available(), Some(486));
        quota.succeeded(Some(10));
        assert_eq!(quota.available(), Some(496));
        for _ in 0..10 {
            quota.succeeded(None);
        }
        assert_eq!(quota.available(), Some(500));
    }

    #[test]
    fn without_a_quota_everything_is_allowed() {
        let quota = RetryQuota::new(None);
        assert!((0..10_000).all(|_| quota.try_acquire(&internal()) == Some(0)));
        assert_eq!(quota.available(), None);
    }
}
