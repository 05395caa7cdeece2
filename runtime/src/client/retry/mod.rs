//! When to retry, how long to wait, how many retries a client may make (the retry quota)
//! and how fast it may send (adaptive mode).

mod adaptive;
mod quota;

use std::time::Duration;

use rand::Rng;

use super::error::{Delivery, Error, DEFAULT_RETRYABLE_CODES};
use crate::operation::OperationKind;

pub use adaptive::{AdaptiveConfig, ClientRateLimiter};
pub use quota::{RetryQuota, RetryQuotaConfig};

/// How a client paces its requests (see [`RetryConfig::adaptive`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RetryMode {
    /// Retries with backoff and the retry quota; no pacing of first attempts.
    #[default]
    Standard,
    /// As standard, and after throttling every request of the client waits for a
    /// client-side token bucket whose rate follows the service's limit ([`AdaptiveConfig`]).
    Adaptive,
}

impl std::fmt::Display for RetryMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Standard => "standard",
            Self::Adaptive => "adaptive",
        })
    }
}

/// The retry policy: how many attempts, how long to wait between them, which errors.
///
/// An error is retried when attempts remain and it is
/// - a service answer whose `Code` is in [`retryable_codes`](RetryConfig::retryable_codes)
///   (by default the throttling codes, `ServiceUnavailable` and `InternalError`), whose
///   HTTP status is 5xx, or that carries `x-acs-retry-after`;
/// - a transport failure (the connection could not be made, or was reset or closed before
///   the whole answer arrived), or a connect, read or per-attempt timeout;
/// - an unreadable response with an HTTP 5xx status (an HTML page from a gateway).
///
/// Everything else (`InvalidParameter` and every other 4xx code, validation and
/// credentials errors, the whole-operation timeout) is returned at once.
///
/// That is for reads ([`OperationKind::Read`]). A write is retried only when the request
/// certainly did not reach the service or was refused before any processing: a connect
/// failure or connect timeout, throttling, a 4xx answer with a retryable code. It is never
/// sent again after a read timeout, a connection lost once the request was sent, or a 5xx
/// answer, whose effect is unknown: the call fails with
/// [`ErrorKind::OutcomeUnknown`](super::ErrorKind::OutcomeUnknown) instead. HBR has no
/// idempotency token, so a write sent twice may be done twice.
/// [`with_retry_writes(true)`](RetryConfig::with_retry_writes) (per client) or
/// [`CallOptions::retry_writes`](super::CallOptions::retry_writes) (per call) opts in to
/// retrying writes like reads.
///
/// Before retry *n* (1 for the first retry) the client waits a random time between zero and
/// `min(max_delay, base_delay * 2^(n-1))` ("full jitter"), or the server's
/// `x-acs-retry-after` (capped at `max_delay`) when it sent one.
///
/// Retries draw from the client's **retry quota** ([`RetryQuotaConfig`]: 500 tokens, 5 a
/// retry, 10 a retry after a timeout, given back on success), shared by the client's clones,
/// its paginators and its waiters: when a bad minute makes every call fail, the client
/// stops retrying after about 100 retries instead of tripling its traffic, and each call
/// fails at once with its last error ([`Error::retry_quota_exhausted`]). The quota can be
/// resized or turned off ([`with_retry_quota`](Self::with_retry_quota),
/// [`without_retry_quota`](Self::without_retry_quota)).
///
/// [`RetryConfig::adaptive`] also paces the client's requests after throttling
/// ([`RetryMode::Adaptive`]).
///
/// ```
/// use std::time::Duration;
/// use hbr_runtime::client::RetryConfig;
///
/// let retry = RetryConfig::standard()
///     .with_max_attempts(5)
///     .with_base_delay(Duration::from_millis(50))
///     .with_max_delay(Duration::from_secs(2))
///     .with_retryable_code("QuotaExceeded.Temporary");
/// assert_eq!(retry.max_attempts(), 5);
/// assert!(retry.retryable_codes().iter().any(|c| c == "Throttling.User"));
/// assert!(retry.backoff(10) <= Duration::from_secs(2));
/// assert_eq!(RetryConfig::disabled().max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryConfig {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    retryable_codes: Vec<String>,
    retry_writes: bool,
    mode: RetryMode,
    quota: Option<RetryQuotaConfig>,
    adaptive: AdaptiveConfig,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// The default policy: 3 attempts in all, base delay 100 ms, delays capped at 20 s,
    /// [`DEFAULT_RETRYABLE_CODES`], the standard retry quota, no pacing.
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(20),
            retryable_codes: DEFAULT_RETRYABLE_CODES
                .iter()
                .map(|c| (*c).to_owned())
                .collect(),
            retry_writes: false,
            mode: RetryMode::Standard,
            quota: Some(RetryQuotaConfig::standard()),
            adaptive: AdaptiveConfig::standard(),
        }
    }

    /// [`standard`](Self::standard), and every request of the client paced after the
    /// service throttles: a client-side token bucket cuts the send rate to 0.7 × the rate
    /// that was throttled and grows it back along a cubic curve ([`AdaptiveConfig`]), so
    /// that a client under the service's rate limit settles at that limit instead of
    /// retrying into it. The concurrent paginator's pacing is the same bucket.
    ///
    /// ```
    /// use hbr_runtime::client::{RetryConfig, RetryMode};
    /// let retry = RetryConfig::adaptive();
    /// assert_eq!(retry.mode(), RetryMode::Adaptive);
    /// assert_eq!(retry.max_attempts(), RetryConfig::standard().max_attempts());
    /// ```
    pub fn adaptive() -> Self {
        Self::standard().with_mode(RetryMode::Adaptive)
    }

    /// Sets the mode (standard or adaptive).
    pub fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// The mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// Sets the retry quota's size and costs (see [`RetryQuotaConfig`]).
    pub fn with_retry_quota(mut self, quota: RetryQuotaConfig) -> Self {
        self.quota = Some(quota);
        self
    }

    /// No retry quota: every failing call is retried to its attempts, however many fail.
    pub fn without_retry_quota(mut self) -> Self {
        self.quota = None;
        self
    }

    /// The retry quota's size and costs, `None` when retries are not limited.
    pub fn retry_quota(&self) -> Option<&RetryQuotaConfig> {
        self.quota.as_ref()
    }

    /// Sets the constants of adaptive pacing.
    pub fn with_adaptive(mut self, adaptive: AdaptiveConfig) -> Self {
        self.adaptive = adaptive;
        self
    }

    /// The constants of adaptive pacing.
    pub fn adaptive_config(&self) -> &AdaptiveConfig {
        &self.adaptive
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self::standard().with_max_attempts(1)
    }

    /// Sets the number of attempts in all, the first included (0 counts as 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the base of the exponential backoff.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the longest wait between two attempts (also caps `x-acs-retry-after`).
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Replaces the set of retried service codes.
    pub fn with_retryable_codes<I, S>(mut self, codes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.retryable_codes = codes.into_iter().map(Into::into).collect();
        self
    }

    /// Adds one retried service code.
    pub fn with_retryable_code(mut self, code: impl Into<String>) -> Self {
        let code = code.into();
        if !self.retryable_codes.contains(&code) {
            self.retryable_codes.push(code);
        }
        self
    }

    /// Retry writes like reads, after failures that leave their outcome unknown too (off by
    /// default). Only for writes that are harmless when done twice: HBR has no idempotency
    /// token. See also [`CallOptions::retry_writes`](super::CallOptions::retry_writes).
    ///
    /// ```
    /// use hbr_runtime::client::RetryConfig;
    /// assert!(!RetryConfig::standard().retry_writes());
    /// assert!(RetryConfig::standard().with_retry_writes(true).retry_writes());
    /// ```
    pub fn with_retry_writes(mut self, retry_writes: bool) -> Self {
        self.retry_writes = retry_writes;
        self
    }

    /// Whether writes are retried like reads.
    pub fn retry_writes(&self) -> bool {
        self.retry_writes
    }

    /// The number of attempts in all.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The base of the exponential backoff.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The longest wait between two attempts.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The retried service codes.
    pub fn retryable_codes(&self) -> &[String] {
        &self.retryable_codes
    }

    /// Whether `error` is worth another attempt under this policy (attempts left aside).
    ///
    /// ```
    /// use hbr_runtime::client::{Error, RetryConfig, ServiceError};
    /// let throttled = Error::service(ServiceError::new(400, Some("Throttling.User".into()), None));
    /// let invalid = Error::service(ServiceError::new(400, Some("InvalidParameter".into()), None));
    /// let unavailable = Error::service(ServiceError::new(503, Some("ServiceUnavailable".into()), None));
    /// let retry = RetryConfig::standard();
    /// assert!(retry.should_retry(&throttled));
    /// assert!(!retry.should_retry(&invalid));
    /// assert!(retry.should_retry(&unavailable));
    /// ```
    pub fn should_retry(&self, error: &Error) -> bool {
        error.is_transient(&self.retryable_codes)
    }

    /// Whether `error` is worth another attempt of an operation of this `kind` (attempts
    /// left aside): for a read, [`should_retry`](Self::should_retry); for a write, only when
    /// the request certainly had no effect, unless [`retry_writes`](Self::retry_writes).
    ///
    /// ```
    /// use std::time::Duration;
    /// use hbr_runtime::client::{Error, RetryConfig, ServiceError, TimeoutKind};
    /// use hbr_runtime::operation::OperationKind::{Read, Write};
    ///
    /// let retry = RetryConfig::standard();
    /// let internal = Error::service(ServiceError::new(500, Some("InternalError".into()), None));
    /// let throttled = Error::service(ServiceError::new(400, Some("Throttling.User".into()), None));
    /// let read_timeout = Error::timeout_error(TimeoutKind::Read, Duration::from_secs(10));
    /// let connect_timeout = Error::timeout_error(TimeoutKind::Connect, Duration::from_secs(5));
    /// assert!(retry.should_retry_for(&internal, Read));
    /// assert!(!retry.should_retry_for(&internal, Write));
    /// assert!(!retry.should_retry_for(&read_timeout, Write));
    /// assert!(retry.should_retry_for(&throttled, Write));
    /// assert!(retry.should_retry_for(&connect_timeout, Write));
    /// assert!(retry.with_retry_writes(true).should_retry_for(&internal, Write));
    /// ```
    pub fn should_retry_for(&self, error: &Error, kind: OperationKind) -> bool {
        self.allows(error, error.delivery(), kind, self.retry_writes)
    }

    /// Whether `error`, which says `delivery` about the request's effect, is worth another
    /// attempt of an operation of this `kind`, writes retried like reads or not.
    pub(crate) fn allows(
        &self,
        error: &Error,
        delivery: Delivery,
        kind: OperationKind,
        retry_writes: bool,
    ) -> bool {
        self.should_retry(error)
            && (kind.is_read() || retry_writes || delivery != Delivery::Ambiguous)
    }

    /// The ceiling of the wait before retry `retry` (1 for the first retry):
    /// `min(max_delay, base_delay * 2^(retry-1))`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(32);
        let factor = 1u32.checked_shl(exponent).unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// A random wait before retry `retry`, between zero and [`backoff_ceiling`](Self::backoff_ceiling).
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = u64::try_from(self.backoff_ceiling(retry).as_micros()).unwrap_or(u64::MAX);
        if ceiling == 0 {
            return Duration::ZERO;
        }
        Duration::from_micros(rand::thread_rng().gen_range(0..=ceiling))
    }

    /// The wait before retry `retry` after `error`: the server's retry delay (capped at
    /// `max_delay`) when it sent one, else [`backoff`](Self::backoff).
    pub fn delay_for(&self, retry: u32, error: &Error) -> Duration {
        match error.retry_after() {
            Some(after) => after.min(self.max_delay),
            None => self.backoff(retry),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::error::TimeoutKind;
    use crate::client::{MalformedResponse, ServiceError};

    #[test]
    fn ceiling_grows_then_caps() {
        let r = RetryConfig::standard();
        assert_eq!(r.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(r.backoff_ceiling(2), Duration::from_millis(200));
        assert_eq!(r.backoff_ceiling(3), Duration::from_millis(400));
        assert_eq!(r.backoff_ceiling(20), Duration::from_secs(20));
        assert_eq!(r.backoff_ceiling(u32::MAX), Duration::from_secs(20));
        for n in 0..100 {
            assert!(r.backoff(n) <= Duration::from_secs(20));
        }
    }

    #[test]
    fn zero_base_never_waits() {
        let r = RetryConfig::standard().with_base_delay(Duration::ZERO);
        assert_eq!(r.backoff(5), Duration::ZERO);
    }

    #[test]
    fn retry_after_is_capped() {
        let r = RetryConfig::standard().with_max_delay(Duration::from_secs(1));
        let e = Error::service(
            ServiceError::new(400, Some("Throttling.User".into()), None)
                .with_retry_after(Some(Duration::from_secs(60))),
        );
        assert_eq!(r.delay_for(1, &e), Duration::from_secs(1));
    }

    #[test]
    fn classification() {
        let r = RetryConfig::standard();
        assert!(r.should_retry(&Error::timeout_error(
            TimeoutKind::Read,
            Duration::from_secs(1)
        )));
        assert!(!r.should_retry(&Error::timeout_error(
            TimeoutKind::Operation,
            Duration::from_secs(1)
        )));
        assert!(r.should_retry(&Error::from(MalformedResponse::new(
            502, None, b"<html>", "not JSON"
        ))));
        assert!(!r.should_retry(&Error::from(MalformedResponse::new(
            200, None, b"<html>", "not JSON"
        ))));
        assert!(!r.should_retry(&Error::configuration("x")));
        let custom = RetryConfig::standard().with_retryable_codes(["Busy"]);
        let throttled =
            Error::service(ServiceError::new(400, Some("Throttling.User".into()), None));
        assert!(!custom.should_retry(&throttled));
        assert!(custom.should_retry(&Error::service(ServiceError::new(
            400,
            Some("Busy".into()),
            None
        ))));
    }
}
