//! The emulator's settings.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::data::MAX_JOBS;
use crate::error::Error;

/// The demo AccessKey ID the emulator accepts when none is configured.
pub const DEMO_ACCESS_KEY_ID: &str = "LTAI-emulator-demo";
/// The demo AccessKey secret the emulator accepts when none is configured.
pub const DEMO_ACCESS_KEY_SECRET: &str = "emulator-demo-secret";
/// How many restore jobs the emulator serves by default.
pub const DEFAULT_JOBS: usize = 200;
/// The default data-set seed.
pub const DEFAULT_SEED: u64 = 1;
/// How long a job created with `CreateRestoreJob` takes from creation to COMPLETE by
/// default.
pub const DEFAULT_JOB_DURATION: Duration = Duration::from_secs(60);
/// How long a cancelled job stays CANCELING before it is CANCELED, by default.
pub const DEFAULT_CANCEL_DURATION: Duration = Duration::from_secs(2);

/// Everything [`crate::start`] needs. `Default` gives a demo emulator on `127.0.0.1:0` with
/// the demo key, 200 jobs from seed 1, no faults and the default [`Limits`].
///
/// `Debug` does not show the secret.
///
/// ```
/// let mut config = hbr_emulator::EmulatorConfig::default();
/// config.jobs = 10_000;
/// config.seed = 7;
/// config.faults.throttle_rate = 0.2;
/// assert_eq!(config.access_key_id, hbr_emulator::DEMO_ACCESS_KEY_ID);
/// assert!(!format!("{config:?}").contains(hbr_emulator::DEMO_ACCESS_KEY_SECRET));
/// ```
#[derive(Clone)]
pub struct EmulatorConfig {
    /// The address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// The AccessKey ID requests must be signed with.
    pub access_key_id: String,
    /// Its secret.
    pub access_key_secret: String,
    /// STS security tokens accepted with the key (`x-acs-security-token` under v3,
    /// `SecurityToken` under v1). Empty: any token is accepted. Requests without a token are
    /// always accepted.
    pub security_tokens: Vec<String>,
    /// How many restore jobs to serve (at most [`MAX_JOBS`]).
    pub jobs: usize,
    /// The seed the jobs are generated from.
    pub seed: u64,
    /// How long a created job (restore or backup) takes from creation to COMPLETE: it is
    /// CREATED for the first tenth of it, then RUNNING with its progress growing linearly.
    /// Default [`DEFAULT_JOB_DURATION`] (60 s); tests make it short.
    pub job_duration: Duration,
    /// Where the resource state is kept across restarts (`--state FILE`): read at start if
    /// it exists, written atomically after every change. `None` (the default): in memory
    /// only.
    pub state_file: Option<PathBuf>,
    /// How long a job cancelled with `CancelRestoreJob` stays CANCELING before it is
    /// CANCELED. Default [`DEFAULT_CANCEL_DURATION`] (2 s).
    pub cancel_duration: Duration,
    /// Accept HBR calls only when signed with temporary credentials this emulator issued
    /// through STS `AssumeRole`, sent with their token (`--require-sts`); others get
    /// `403 Forbidden.RAM`. `AssumeRole` itself is always served, to the long-term key.
    pub require_sts: bool,
    /// Fault injection, off by default.
    pub faults: FaultConfig,
    /// Protocol and resource limits.
    pub limits: Limits,
    /// Fixed listings, for tests of paging: the records (API-shaped JSON objects, in order)
    /// a pageable operation, named by its action, answers with, paged the way its spec's
    /// `pagination:` says, in place of what the emulator otherwise lists for it (its store,
    /// or nothing for an operation it keeps no state for). Empty by default. A name that is
    /// not a pageable operation is refused at start.
    pub listings: BTreeMap<String, Vec<serde_json::Map<String, serde_json::Value>>>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            access_key_id: DEMO_ACCESS_KEY_ID.to_owned(),
            access_key_secret: DEMO_ACCESS_KEY_SECRET.to_owned(),
            security_tokens: Vec::new(),
            jobs: DEFAULT_JOBS,
            seed: DEFAULT_SEED,
            job_duration: DEFAULT_JOB_DURATION,
            state_file: None,
            cancel_duration: DEFAULT_CANCEL_DURATION,
            require_sts: false,
            faults: FaultConfig::default(),
            limits: Limits::default(),
            listings: BTreeMap::new(),
        }
    }
}

impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("listen", &self.listen)
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field("security_tokens", &self.security_tokens.len())
            .field("jobs", &self.jobs)
            .field("seed", &self.seed)
            .field("job_duration", &self.job_duration)
            .field("state_file", &self.state_file)
            .field("cancel_duration", &self.cancel_duration)
            .field("require_sts", &self.require_sts)
            .field("faults", &self.faults)
            .field("limits", &self.limits)
            .field("listings", &self.listings.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Fault injection. Every rate is a probability from 0 to 1, drawn per request from one
/// random sequence seeded by `seed`, so a given sequence of requests meets the same faults
/// on every run. All off by default.
///
/// For each request that reached a valid path, the emulator first waits `latency_ms`, then
/// draws, in this order: a dropped connection (`drop_rate`), throttling (`throttle_rate`),
/// a server error (`error_rate`, half `503 ServiceUnavailable`, half `500 InternalError`).
/// The first that hits wins; otherwise the request is served normally. Those faults hit
/// before any processing. Once a request has been processed (a job created, ...), it draws
/// again: its connection closed without the answer (`drop_after_process_rate`), or
/// `500 InternalError` in place of the answer (`fail_after_process_rate`); the work stays
/// done. These are what a client must not answer by sending a write again.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultConfig {
    /// The share of requests answered `400 Throttling.User` with an `x-acs-retry-after`
    /// header.
    pub throttle_rate: f64,
    /// The value of `x-acs-retry-after` on throttled answers, in milliseconds (at least 1).
    pub retry_after_ms: u64,
    /// The share of requests answered with a 5xx error.
    pub error_rate: f64,
    /// The share of connections closed without any answer.
    pub drop_rate: f64,
    /// The share of requests processed fully whose connection is then closed without the
    /// answer.
    pub drop_after_process_rate: f64,
    /// The share of requests processed fully that are then answered `500 InternalError`.
    pub fail_after_process_rate: f64,
    /// A delay added before every answer, in milliseconds.
    pub latency_ms: u64,
    /// Send every integer of a success body as a JSON string (`"PageSize":"10"`).
    pub ints_as_strings: bool,
    /// The seed of the fault decisions.
    pub seed: u64,
    /// Throttling by rate, as the service does (`--rate-limit-rps`): requests per second
    /// allowed per AccessKey ID, a token bucket holding one second of them (at least one).
    /// A request that finds it empty, after its signature was verified, is answered
    /// `400 Throttling.User` with `x-acs-retry-after` (the milliseconds until a token is
    /// back) and counted in [`Stats::rate_limited`](crate::Stats::rate_limited). 0 (the
    /// default) is off.
    pub rate_limit_rps: f64,
}

impl Default for FaultConfig {
    fn default() -> Self {
        Self {
            throttle_rate: 0.0,
            retry_after_ms: 100,
            error_rate: 0.0,
            drop_rate: 0.0,
            drop_after_process_rate: 0.0,
            fail_after_process_rate: 0.0,
            latency_ms: 0,
            ints_as_strings: false,
            seed: 0,
            rate_limit_rps: 0.0,
        }
    }
}

impl FaultConfig {
    /// Whether any fault that needs a random draw is on.
    pub(crate) fn draws(&self) -> bool {
        self.throttle_rate > 0.0 || self.error_rate > 0.0 || self.drop_rate > 0.0
    }
}

/// Limits that keep a misbehaving client from hurting the emulator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body; a larger one gets `413` with a JSON error. Default 1 MiB.
    pub max_body_bytes: usize,
    /// The largest request head (request line and headers); larger gets `431`. Default
    /// 64 KiB (at least 8 KiB is used).
    pub max_header_bytes: usize,
    /// How long a client may take to send a request head, including while a kept-alive
    /// connection is idle; the connection is closed after that. Default 10 s.
    pub header_read_timeout: Duration,
    /// How long a client may take to send the body; `408` after that. Default 30 s.
    pub body_read_timeout: Duration,
    /// How many connections are served at once; more wait to be accepted. Default 1024.
    pub max_connections: usize,
    /// The clock skew allowed between the request time and the server's clock. Default
    /// 15 minutes.
    pub max_clock_skew: Duration,
    /// How long a used nonce is remembered. Default 15 minutes.
    pub nonce_ttl: Duration,
    /// How many nonces are remembered at most; the oldest are forgotten first. Default
    /// 100 000.
    pub nonce_capacity: usize,
    /// How long [`crate::RunningEmulator::shutdown`] waits for open connections. Default 5 s.
    pub shutdown_grace: Duration,
    /// How many jobs `CreateRestoreJob` may create over the emulator's life; beyond that it
    /// answers `400 QuotaExceeded.RestoreJob`. Keeps a client from growing the memory
    /// without bound. Default 10 000.
    pub max_created_jobs: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1 << 20,
            max_header_bytes: 64 << 10,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_clock_skew: Duration::from_secs(15 * 60),
            nonce_ttl: Duration::from_secs(15 * 60),
            nonce_capacity: 100_000,
            shutdown_grace: Duration::from_secs(5),
            max_created_jobs: 10_000,
        }
    }
}

fn check_rate(name: &str, rate: f64) -> Result<(), Error> {
    if rate.is_finite() && (0.0..=1.0).contains(&rate) {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "{name} must be between 0 and 1, got {rate}"
        )))
    }
}

impl EmulatorConfig {
    /// Checks the settings; [`crate::start`] calls it.
    pub fn validate(&self) -> Result<(), Error> {
        if self.access_key_id.is_empty() || self.access_key_secret.is_empty() {
            return Err(Error::Config(
                "the AccessKey ID and secret must not be empty".into(),
            ));
        }
        if self.jobs > MAX_JOBS {
            return Err(Error::Config(format!(
                "at most {MAX_JOBS} jobs can be served, {} asked",
                self.jobs
            )));
        }
        check_rate("throttle rate", self.faults.throttle_rate)?;
        check_rate("error rate", self.faults.error_rate)?;
        check_rate("drop rate", self.faults.drop_rate)?;
        check_rate(
            "drop-after-process rate",
            self.faults.drop_after_process_rate,
        )?;
        check_rate(
            "fail-after-process rate",
            self.faults.fail_after_process_rate,
        )?;
        let rps = self.faults.rate_limit_rps;
        if !(rps == 0.0 || (rps.is_finite() && (0.001..=1e9).contains(&rps))) {
            return Err(Error::Config(format!(
                "rate_limit_rps must be 0 (off) or between 0.001 and 1e9, got {rps}"
            )));
        }
        if self.faults.retry_after_ms == 0 {
            return Err(Error::Config("retry-after must be at least 1 ms".into()));
        }
        let l = &self.limits;
        if l.max_connections == 0 || l.nonce_capacity == 0 || l.max_body_bytes == 0 {
            return Err(Error::Config(
                "max_connections, nonce_capacity and max_body_bytes must be positive".into(),
            ));
        }
        if l.max_connections > tokio::sync::Semaphore::MAX_PERMITS {
            return Err(Error::Config(format!(
                "max_connections must be at most {}",
                tokio::sync::Semaphore::MAX_PERMITS
            )));
        }
        let day = Duration::from_secs(86_400);
        for (name, d) in [
            ("header_read_timeout", l.header_read_timeout),
            ("body_read_timeout", l.body_read_timeout),
        ] {
            if d.is_zero() || d > day {
                return Err(Error::Config(format!(
                    "{name} must be positive and at most one day"
                )));
            }
        }
        if self.job_duration.is_zero() || self.job_duration > day {
            return Err(Error::Config(
                "job_duration must be positive and at most one day".into(),
            ));
        }
        for (name, d) in [
            ("cancel_duration", self.cancel_duration),
            ("max_clock_skew", l.max_clock_skew),
            ("nonce_ttl", l.nonce_ttl),
            ("shutdown_grace", l.shutdown_grace),
        ] {
            if d > day {
                return Err(Error::Config(format!("{name} must be at most one day")));
            }
        }
        if self.faults.latency_ms > 600_000 || self.faults.retry_after_ms > 86_400_000 {
            return Err(Error::Config(
                "latency must be at most 600000 ms and retry-after at most one day".into(),
            ));
        }
        Ok(())
    }
}
