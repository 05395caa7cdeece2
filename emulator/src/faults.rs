//! Fault injection: the configured latency, then a seeded draw of a dropped connection,
//! throttling or a server error (the first that hits wins), counted in [`Counters`]; and
//! after a request was processed, a seeded draw of a lost answer (the connection closed, or
//! `500 InternalError` in its place).

use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::config::FaultConfig;
use crate::error::ApiError;
use crate::stats::{bump, Counters};

/// A fault that hit a request.
pub(crate) enum Injected {
    /// Close the connection without an answer.
    Drop,
    /// Answer with this error.
    Error(ApiError),
}

/// What was drawn for one request.
enum Fault {
    Drop,
    Throttle,
    ServerError { unavailable: bool },
}

/// The fault settings and their random sequence.
pub(crate) struct Faults {
    config: FaultConfig,
    rng: Mutex<StdRng>,
}

impl Faults {
    pub(crate) fn new(config: &FaultConfig) -> Self {
        Self {
            config: config.clone(),
            rng: Mutex::new(StdRng::seed_from_u64(config.seed)),
        }
    }

    fn draw(&self) -> Option<Fault> {
        if !self.config.draws() {
            return None;
        }
        let (d, t, e, which): (f64, f64, f64, bool) = {
            let mut rng = self
                .rng
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            (rng.gen(), rng.gen(), rng.gen(), rng.gen())
        };
        if d < self.config.drop_rate {
            Some(Fault::Drop)
        } else if t < self.config.throttle_rate {
            Some(Fault::Throttle)
        } else if e < self.config.error_rate {
            Some(Fault::ServerError { unavailable: which })
        } else {
            None
        }
    }

    /// Waits the configured latency, then draws the faults of one request; `None` when the
    /// request is to be served normally.
    pub(crate) async fn inject(&self, counters: &Counters) -> Option<Injected> {
        if self.config.latency_ms > 0 {
            bump(&counters.delayed);
            tokio::time::sleep(Duration::from_millis(self.config.latency_ms)).await;
        }
        Some(match self.draw()? {
            Fault::Drop => {
                bump(&counters.dropped);
                Injected::Drop
            }
            Fault::Throttle => {
                bump(&counters.throttled);
                let mut e = ApiError::new(
                    400,
                    "Throttling.User",
                    "Request was denied due to user flow control.",
                );
                e.retry_after_ms = Some(self.config.retry_after_ms);
                Injected::Error(e)
            }
            Fault::ServerError { unavailable } => {
                bump(&counters.server_errors);
                Injected::Error(if unavailable {
                    ApiError::new(
                        503,
                        "ServiceUnavailable",
                        "The request has failed due to a temporary failure of the server.",
                    )
                } else {
                    internal_error()
                })
            }
        })
    }

    /// Draws the fault of a request that has been processed (its effect is done): the
    /// connection closed without the answer (`drop_after_process_rate`), or
    /// `500 InternalError` in its place (`fail_after_process_rate`); `None` to answer.
    pub(crate) fn after_process(&self, counters: &Counters) -> Option<Injected> {
        let (drop_rate, fail_rate) = (
            self.config.drop_after_process_rate,
            self.config.fail_after_process_rate,
        );
        if drop_rate <= 0.0 && fail_rate <= 0.0 {
            return None;
        }
        let (d, f): (f64, f64) = {
            let mut rng = self
                .rng
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            (rng.gen(), rng.gen())
        };
        if d < drop_rate {
            bump(&counters.dropped_after_process);
            Some(Injected::Drop)
        } else if f < fail_rate {
            bump(&counters.failed_after_process);
            Some(Injected::Error(internal_error()))
        } else {
            None
        }
    }
}

fn internal_error() -> ApiError {
    ApiError::new(
        500,
        "InternalError",
        "The request processing has failed due to some unknown error, exception or failure.",
    )
}
