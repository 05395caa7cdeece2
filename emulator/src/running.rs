//! Starting an emulator and the handle that stops it.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::clock::Timing;
use crate::config::EmulatorConfig;
use crate::data::{generate_jobs, seeded_vaults};
use crate::error::Error;
use crate::render::Dataset;
use crate::server;
use crate::stats::Stats;
use crate::store::{
    Ids, Resources, RestoreJobs, State, StateFile, Store, RESOURCE_IDS, RESTORE_IDS,
};

/// A running emulator. It stops when [`RunningEmulator::shutdown`] is awaited or when it is
/// dropped (then without waiting for open connections).
pub struct RunningEmulator {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    access_key_secret: String,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for RunningEmulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningEmulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// Starts an emulator: validates `config`, generates the data set, binds the listen address
/// and serves in the background on the current Tokio runtime.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hbr_emulator::Error> {
/// let emulator = hbr_emulator::start(hbr_emulator::EmulatorConfig::default()).await?;
/// assert!(emulator.url().starts_with("http://127.0.0.1:"));
/// assert_eq!(emulator.stats().requests, 0);
/// emulator.shutdown().await;
/// # Ok(()) }
/// ```
pub async fn start(config: EmulatorConfig) -> Result<RunningEmulator, Error> {
    config.validate()?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| Error::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr()?;
    let store = new_store(&config)?;
    let shared = Arc::new(server::Shared::new(&config, store, addr));
    let (tx, rx) = watch::channel(false);
    let task = tokio::spawn(server::accept_loop(listener, Arc::clone(&shared), rx));
    tracing::info!(%addr, jobs = config.jobs, seed = config.seed, "hbr emulator listening");
    Ok(RunningEmulator {
        addr,
        shared,
        access_key_secret: config.access_key_secret,
        shutdown: tx,
        task: Some(task),
    })
}

/// The store of `config`: the seeded data set and world, and the state file's changes.
pub(crate) fn new_store(config: &EmulatorConfig) -> Result<Store, Error> {
    let jobs = generate_jobs(config.jobs, config.seed);
    let world = State::seeded(&seeded_vaults(config.jobs, config.seed), &jobs);
    let dataset = Dataset::new(jobs, config.faults.ints_as_strings);
    let timing = Timing::new(config.job_duration, config.cancel_duration);
    let restore_jobs = RestoreJobs::new(
        dataset,
        Ids::new(config.seed, RESTORE_IDS),
        timing,
        config.limits.max_created_jobs,
    );
    let resources = Resources::new(world, timing, Ids::new(config.seed, RESOURCE_IDS));
    let state_file = config
        .state_file
        .clone()
        .map(|path| StateFile::new(path, config.seed, config.jobs));
    Store::new(restore_jobs, resources, state_file)?.with_listings(config.listings.clone())
}

impl RunningEmulator {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, `http://HOST:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The endpoint to configure in a client (`HOST:PORT`, no scheme).
    pub fn endpoint(&self) -> String {
        self.addr.to_string()
    }

    /// The AccessKey ID it accepts.
    pub fn access_key_id(&self) -> &str {
        self.shared.auth.access_key_id()
    }

    /// The AccessKey secret it accepts.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        self.shared.counters.snapshot()
    }

    /// The temporary credentials its STS `AssumeRole` issued and still remembers; for tests
    /// that check nothing prints them.
    pub fn issued_credentials(&self) -> Vec<crate::IssuedCredentials> {
        self.shared.auth.issuer.list()
    }

    /// How many HTTP requests arrived so far.
    pub fn requests_total(&self) -> u64 {
        self.stats().requests
    }

    /// How many faults were injected so far (throttled, 5xx and dropped).
    pub fn faults_injected(&self) -> u64 {
        self.stats().faults_injected
    }

    /// Stops accepting connections, lets open connections finish their current request
    /// (up to [`crate::Limits::shutdown_grace`]) and returns when everything has stopped.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
