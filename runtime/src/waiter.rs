//! Waiting for a resource to reach a final state: a [`Waiter`] polls an operation with
//! backoff until the resource it selects reaches one of the spec's success or failure
//! statuses, or a timeout passes.
//!
//! What to poll and what the statuses mean is a [`WaitFor`], which the generator emits from
//! an operation's `waiters:` block; the generated client has one `wait_until_*` method per
//! waiter returning a [`Waiter`].

use std::fmt;
use std::time::{Duration, Instant};

use crate::client::{Error, Runtime};
use crate::operation::Operation;

/// A waiter of the spec: the operation it polls, where the status is, which statuses end
/// the wait, and its default timing. Implemented by generated marker types.
pub trait WaitFor: Send + Sync + 'static {
    /// The request polled.
    type Request: Operation + Clone;
    /// The resource waited for (one item of the response).
    type Item: Send + 'static;
    /// The waiter's name in the spec, e.g. `RestoreJobFinished`.
    const NAME: &'static str;
    /// Statuses that end the wait successfully.
    const SUCCESS: &'static [&'static str];
    /// Statuses that end it with [`WaitError::Failed`].
    const FAILURE: &'static [&'static str];
    /// The pause after the first poll; it doubles after each poll, up to [`Self::MAX_DELAY`].
    const DELAY: Duration;
    /// The longest pause between two polls.
    const MAX_DELAY: Duration;
    /// How long to wait at most, by default.
    const TIMEOUT: Duration;
    /// The resources of one response; the first is the one waited for.
    fn items(output: <Self::Request as Operation>::Output) -> Vec<Self::Item>;
    /// The status of a resource.
    fn status(item: &Self::Item) -> Option<&str>;
}

/// Why a wait did not end in success.
#[derive(Debug, thiserror::Error)]
pub enum WaitError<T: fmt::Debug> {
    /// The resource reached a failure status.
    #[error("{waiter}: the resource ended {status}")]
    Failed {
        /// The waiter's name.
        waiter: &'static str,
        /// The status it ended with.
        status: String,
        /// The resource as last read.
        item: Box<T>,
    },
    /// The timeout passed first.
    #[error("{waiter}: timed out after {}s{}", after.as_secs(), last_status.as_deref().map(|s| format!(" (last status {s})")).unwrap_or_default())]
    TimedOut {
        /// The waiter's name.
        waiter: &'static str,
        /// How long it waited.
        after: Duration,
        /// The last status read, if any.
        last_status: Option<String>,
    },
    /// The request selects no resource.
    #[error("{waiter}: the request selects no resource")]
    NotFound {
        /// The waiter's name.
        waiter: &'static str,
    },
    /// A poll failed (after the client's own retries).
    #[error("{0}")]
    Api(#[source] Error),
}

/// A callback seeing each polled resource.
type OnPoll<T> = Box<dyn FnMut(&T) + Send>;

/// Polls `W::Request` until its resource reaches a final status. Build it with the
/// generated `wait_until_*` method, adjust it, then `.wait().await`.
#[must_use = "a waiter does nothing until `.wait().await`"]
pub struct Waiter<W: WaitFor> {
    runtime: Runtime,
    request: W::Request,
    delay: Duration,
    max_delay: Duration,
    timeout: Duration,
    on_poll: Option<OnPoll<W::Item>>,
}

impl<W: WaitFor> fmt::Debug for Waiter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("waiter", &W::NAME)
            .field("delay", &self.delay)
            .field("max_delay", &self.max_delay)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<W: WaitFor> Waiter<W>
where
    W::Item: fmt::Debug,
{
    /// A waiter polling `request` through `runtime`, with the spec's timing.
    pub fn new(runtime: Runtime, request: W::Request) -> Self {
        Self {
            runtime,
            request,
            delay: W::DELAY,
            max_delay: W::MAX_DELAY,
            timeout: W::TIMEOUT,
            on_poll: None,
        }
    }

    /// The pause after the first poll (it doubles after each poll).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The longest pause between two polls.
    pub fn max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// How long to wait at most.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Calls `f` with the resource after each poll (to show progress).
    pub fn on_poll(mut self, f: impl FnMut(&W::Item) + Send + 'static) -> Self {
        self.on_poll = Some(Box::new(f));
        self
    }

    /// Polls until the resource reaches a success status (returned), a failure status
    /// ([`WaitError::Failed`]) or the timeout ([`WaitError::TimedOut`]). A request that
    /// selects no resource is [`WaitError::NotFound`]; a failed poll is [`WaitError::Api`].
    pub async fn wait(mut self) -> Result<W::Item, WaitError<W::Item>> {
        let started = Instant::now();
        let mut delay = self.delay;
        loop {
            let output = self
                .runtime
                .execute(&self.request)
                .await
                .map_err(WaitError::Api)?;
            let Some(item) = W::items(output).into_iter().next() else {
                return Err(WaitError::NotFound { waiter: W::NAME });
            };
            let status = W::status(&item).unwrap_or_default().to_owned();
            tracing::debug!(waiter = W::NAME, %status, "polled");
            if let Some(f) = &mut self.on_poll {
                f(&item);
            }
            if W::SUCCESS.contains(&status.as_str()) {
                return Ok(item);
            }
            if W::FAILURE.contains(&status.as_str()) {
                return Err(WaitError::Failed {
                    waiter: W::NAME,
                    status,
                    item: Box::new(item),
                });
            }
            let elapsed = started.elapsed();
            if elapsed >= self.timeout {
                return Err(WaitError::TimedOut {
                    waiter: W::NAME,
                    after: elapsed,
                    last_status: Some(status),
                });
            }
            tokio::time::sleep(pause(delay, self.timeout - elapsed)).await;
            delay = next_delay(delay, self.delay, self.max_delay);
        }
    }
}

/// The pause before the next poll: `delay`, but no longer than the time `left`.
fn pause(delay: Duration, left: Duration) -> Duration {
    delay.min(left)
}

/// The pause after `delay`: twice as long, at most `max_delay` (or the first pause, `first`,
/// when that is longer).
fn next_delay(delay: Duration, first: Duration, max_delay: Duration) -> Duration {
    delay.saturating_mul(2).min(max_delay.max(first))
}

#[cfg(test)]
mod tests {
    use super::{next_delay, pause};
    use std::time::Duration;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn pauses_double_up_to_the_longest() {
        let mut delay = secs(2);
        let mut seen = vec![delay];
        for _ in 0..6 {
            delay = next_delay(delay, secs(2), secs(30));
            seen.push(delay);
        }
        assert_eq!(seen, [2, 4, 8, 16, 30, 30, 30].map(secs));
    }

    #[test]
    fn a_longest_pause_below_the_first_keeps_the_first() {
        assert_eq!(next_delay(secs(10), secs(10), secs(3)), secs(10));
        assert_eq!(
            next_delay(Duration::MAX, secs(1), Duration::MAX),
            Duration::MAX
        );
    }

    #[test]
    fn the_last_pause_ends_at_the_timeout() {
        assert_eq!(pause(secs(16), secs(5)), secs(5));
        assert_eq!(pause(secs(2), secs(5)), secs(2));
    }
}
