//! The counters of requests, answers and injected faults.

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of the emulator's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Connections accepted.
    pub connections: u64,
    /// HTTP requests received (every request hyper parsed, whatever its fate).
    pub requests: u64,
    /// Faults injected: `throttled + server_errors + dropped + dropped_after_process +
    /// failed_after_process`.
    pub faults_injected: u64,
    /// Requests answered `Throttling.User` by fault injection.
    pub throttled: u64,
    /// Requests answered `Throttling.User` by the rate limit
    /// ([`FaultConfig::rate_limit_rps`](crate::FaultConfig::rate_limit_rps)).
    pub rate_limited: u64,
    /// Requests answered 500/503 by fault injection.
    pub server_errors: u64,
    /// Connections dropped without an answer by fault injection.
    pub dropped: u64,
    /// Requests processed, then their connection closed without the answer.
    pub dropped_after_process: u64,
    /// Requests processed, then answered `500 InternalError` instead.
    pub failed_after_process: u64,
    /// Requests delayed by the latency setting.
    pub delayed: u64,
    /// Requests answered with success (2xx).
    pub succeeded: u64,
    /// Requests answered with an error (4xx/5xx) that was not injected.
    pub rejected: u64,
}

/// The live counters behind [`Stats`].
#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) connections: AtomicU64,
    pub(crate) requests: AtomicU64,
    pub(crate) throttled: AtomicU64,
    pub(crate) rate_limited: AtomicU64,
    pub(crate) server_errors: AtomicU64,
    pub(crate) dropped: AtomicU64,
    pub(crate) dropped_after_process: AtomicU64,
    pub(crate) failed_after_process: AtomicU64,
    pub(crate) delayed: AtomicU64,
    pub(crate) succeeded: AtomicU64,
    pub(crate) rejected: AtomicU64,
}

/// Adds one to a counter.
pub(crate) fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

impl Counters {
    pub(crate) fn snapshot(&self) -> Stats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let (throttled, server_errors, dropped) = (
            get(&self.throttled),
            get(&self.server_errors),
            get(&self.dropped),
        );
        let (dropped_after_process, failed_after_process) = (
            get(&self.dropped_after_process),
            get(&self.failed_after_process),
        );
        Stats {
            connections: get(&self.connections),
            requests: get(&self.requests),
            faults_injected: throttled
                + server_errors
                + dropped
                + dropped_after_process
                + failed_after_process,
            throttled,
            rate_limited: get(&self.rate_limited),
            server_errors,
            dropped,
            dropped_after_process,
            failed_after_process,
            delayed: get(&self.delayed),
            succeeded: get(&self.succeeded),
            rejected: get(&self.rejected),
        }
    }
}
