//! `hbr-emulator`: runs the local HBR endpoint until interrupted.
//!
//! ```text
//! hbr-emulator --listen 127.0.0.1:0 --jobs 10000 --seed 7
//! ```
//!
//! The first line on stdout is `listening on http://HOST:PORT`.
#![forbid(unsafe_code)]

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use hbr_emulator::{EmulatorConfig, FaultConfig, Limits};

/// A local endpoint of Alibaba Cloud HBR (2017-09-08): verifies v3 and v1 signatures,
/// checks every request against its operation's spec, and serves all 98 operations (30 of
/// them with state: vaults, plans, backup and restore jobs, snapshots, policies) over a
/// deterministic data set, and STS AssumeRole (2015-04-01).
#[derive(Debug, Parser)]
#[command(name = "hbr-emulator", version, about)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// AccessKey ID requests must be signed with.
    #[arg(long, default_value = hbr_emulator::DEMO_ACCESS_KEY_ID)]
    access_key_id: String,
    /// AccessKey secret requests must be signed with.
    #[arg(long, default_value = hbr_emulator::DEMO_ACCESS_KEY_SECRET, hide_default_value = true)]
    access_key_secret: String,
    /// An accepted STS security token (repeatable); without any, every token is accepted.
    #[arg(long = "security-token", value_name = "TOKEN")]
    security_tokens: Vec<String>,
    /// Number of restore jobs to serve.
    #[arg(long, default_value_t = hbr_emulator::DEFAULT_JOBS)]
    jobs: usize,
    /// Seed of the generated jobs.
    #[arg(long, default_value_t = hbr_emulator::DEFAULT_SEED)]
    seed: u64,
    /// Share of requests answered 400 Throttling.User (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    throttle_rate: f64,
    /// x-acs-retry-after sent with throttling, in milliseconds.
    #[arg(long, default_value_t = 100)]
    retry_after_ms: u64,
    /// Share of requests answered 503 ServiceUnavailable or 500 InternalError (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Delay added before every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Share of requests whose connection is closed without an answer (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// Share of requests processed fully (a job created, ...) whose connection is then
    /// closed without the answer (0 to 1).
    #[arg(long, default_value_t = 0.0, value_name = "R")]
    drop_after_process_rate: f64,
    /// Share of requests processed fully that are then answered 500 InternalError (0 to 1).
    #[arg(long, default_value_t = 0.0, value_name = "R")]
    fail_after_process_rate: f64,
    /// Send the integers of success bodies as JSON strings.
    #[arg(long)]
    ints_as_strings: bool,
    /// Seed of the fault decisions.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Throttle by rate as the service does: requests per second per AccessKey ID (a token
    /// bucket holding one second of them); above it 400 Throttling.User with
    /// x-acs-retry-after. 0 is off.
    #[arg(long, default_value_t = 0.0, value_name = "N")]
    rate_limit_rps: f64,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    max_body_bytes: usize,
    /// Most connections served at once.
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// Seconds a client may take to send a request head.
    #[arg(long, default_value_t = 10)]
    header_timeout_secs: u64,
    /// Largest request head (request line and headers), in bytes.
    #[arg(long, default_value_t = 64 << 10)]
    max_header_bytes: usize,
    /// Seconds a client may take to send a request body.
    #[arg(long, default_value_t = 30)]
    body_timeout_secs: u64,
    /// Seconds a created job (restore or backup) takes to reach COMPLETE.
    #[arg(long, default_value_t = 60)]
    job_duration_secs: u64,
    /// Keep the resource state in FILE across restarts (read at start, written after every
    /// change).
    #[arg(long = "state", value_name = "FILE")]
    state_file: Option<std::path::PathBuf>,
    /// Seconds a cancelled job stays CANCELING before it is CANCELED.
    #[arg(long, default_value_t = 2)]
    cancel_duration_secs: u64,
    /// Accept HBR calls only when signed with temporary credentials issued by this
    /// emulator's STS AssumeRole (with their security token).
    #[arg(long)]
    require_sts: bool,
}

impl Args {
    fn into_config(self) -> EmulatorConfig {
        EmulatorConfig {
            listen: self.listen,
            access_key_id: self.access_key_id,
            access_key_secret: self.access_key_secret,
            security_tokens: self.security_tokens,
            jobs: self.jobs,
            seed: self.seed,
            job_duration: Duration::from_secs(self.job_duration_secs),
            state_file: self.state_file,
            cancel_duration: Duration::from_secs(self.cancel_duration_secs),
            require_sts: self.require_sts,
            faults: FaultConfig {
                throttle_rate: self.throttle_rate,
                retry_after_ms: self.retry_after_ms,
                error_rate: self.error_rate,
                drop_rate: self.drop_rate,
                drop_after_process_rate: self.drop_after_process_rate,
                fail_after_process_rate: self.fail_after_process_rate,
                latency_ms: self.latency_ms,
                ints_as_strings: self.ints_as_strings,
                seed: self.fault_seed,
                rate_limit_rps: self.rate_limit_rps,
            },
            limits: Limits {
                max_body_bytes: self.max_body_bytes,
                max_connections: self.max_connections,
                header_read_timeout: Duration::from_secs(self.header_timeout_secs),
                max_header_bytes: self.max_header_bytes,
                body_read_timeout: Duration::from_secs(self.body_timeout_secs),
                ..Limits::default()
            },
            // Fixed listings are for tests that start the emulator in-process.
            listings: std::collections::BTreeMap::new(),
        }
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

async fn run(config: EmulatorConfig) -> Result<(), hbr_emulator::Error> {
    let emulator = hbr_emulator::start(config).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", emulator.url())?;
        out.flush()?;
    }
    wait_for_signal().await;
    emulator.shutdown().await;
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    if std::env::var_os("RUST_LOG").is_some() {
        // Logs go to stderr so that stdout keeps its one `listening on` line.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .try_init();
    }
    let config = args.into_config();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("hbr-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hbr-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
