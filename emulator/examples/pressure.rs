//! What one `hbr_client::Client` costs the service when the service is in trouble: N
//! `DescribeVaults` calls, C of them in flight at once, against an in-process emulator that
//! fails, throttles or limits the rate; prints, per retry configuration, the requests the
//! emulator received per call, the calls that succeeded and the wall time.
//!
//! ```text
//! cargo run --release -p hbr-emulator --example pressure -- outage      # error_rate 1.0, 300 calls, 16 in flight
//! cargo run --release -p hbr-emulator --example pressure -- throttling  # 90 % Throttling.User, 300 calls, 16 in flight
//! cargo run --release -p hbr-emulator --example pressure -- rate        # --rate-limit-rps 100, 1000 calls, 32 in flight
//! cargo run --release -p hbr-emulator --example pressure -- sweep       # rate, adaptive with other constants
//! ```
//!
//! Each scenario runs its configurations one after the other in the same process, each
//! against a fresh emulator, so that they see the same machine. `--calls N`, `--in-flight C`
//! and `--rps R` override the scenario's numbers.
#![forbid(unsafe_code)]
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use hbr_client::config::{AdaptiveConfig, RetryConfig};
use hbr_client::{Client, Config};
use hbr_emulator::{EmulatorConfig, FaultConfig};

/// One line of the report.
struct Outcome {
    requests: u64,
    succeeded: usize,
    quota_refusals: usize,
    wall: Duration,
}

async fn run(
    faults: FaultConfig,
    retry: RetryConfig,
    calls: usize,
    in_flight: usize,
) -> Result<Outcome, String> {
    let config = EmulatorConfig {
        jobs: 10,
        faults,
        ..EmulatorConfig::default()
    };
    let emu = hbr_emulator::start(config)
        .await
        .map_err(|e| format!("emulator: {e}"))?;
    let client = Client::new(
        Config::builder()
            .endpoint(emu.url())
            .static_credentials(
                hbr_emulator::DEMO_ACCESS_KEY_ID,
                hbr_emulator::DEMO_ACCESS_KEY_SECRET,
            )
            .retry(retry)
            .build(),
    )
    .map_err(|e| format!("client: {e}"))?;
    let client = Arc::new(client);
    let started = Instant::now();
    let results: Vec<Result<(), hbr_client::Error>> = stream::iter(0..calls)
        .map(|_| {
            let client = Arc::clone(&client);
            async move { client.describe_vaults().send().await.map(|_| ()) }
        })
        .buffer_unordered(in_flight)
        .collect()
        .await;
    let wall = started.elapsed();
    let requests = emu.stats().requests;
    emu.shutdown().await;
    Ok(Outcome {
        requests,
        succeeded: results.iter().filter(|r| r.is_ok()).count(),
        quota_refusals: results
            .iter()
            .filter(|r| {
                r.as_ref()
                    .is_err_and(hbr_client::Error::retry_quota_exhausted)
            })
            .count(),
        wall,
    })
}

fn print_row(label: &str, calls: usize, o: &Outcome) {
    println!(
        "| {label} | {:.2} ({} requests) | {} of {calls} | {} | {:.2} s |",
        o.requests as f64 / calls as f64,
        o.requests,
        o.succeeded,
        o.quota_refusals,
        o.wall.as_secs_f64()
    );
}

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scenario = args.first().map_or("outage", String::as_str).to_owned();
    let (faults, calls, in_flight) = match scenario.as_str() {
        "outage" => (
            FaultConfig {
                error_rate: 1.0,
                ..FaultConfig::default()
            },
            300,
            16,
        ),
        "throttling" => (
            FaultConfig {
                throttle_rate: 0.9,
                ..FaultConfig::default()
            },
            300,
            16,
        ),
        "rate" | "sweep" => (
            FaultConfig {
                rate_limit_rps: arg(&args, "--rps").unwrap_or(100.0),
                ..FaultConfig::default()
            },
            1000,
            32,
        ),
        other => {
            return Err(format!(
                "unknown scenario {other}: outage, throttling, rate, sweep"
            ))
        }
    };
    let calls = arg(&args, "--calls").unwrap_or(calls);
    let in_flight = arg(&args, "--in-flight").unwrap_or(in_flight);
    let configs: Vec<(String, RetryConfig)> = match scenario.as_str() {
        "sweep" => {
            let mut v = Vec::new();
            for beta in [0.5, 0.7, 0.85] {
                for scale in [0.1, 0.4, 1.6] {
                    let constants = AdaptiveConfig::standard().with_beta(beta).with_scale(scale);
                    v.push((
                        format!("adaptive, beta {beta}, scale {scale}"),
                        RetryConfig::adaptive().with_adaptive(constants),
                    ));
                }
            }
            v
        }
        _ => vec![
            (
                "standard, no retry quota (before)".to_owned(),
                RetryConfig::standard().without_retry_quota(),
            ),
            ("standard (default)".to_owned(), RetryConfig::standard()),
            ("adaptive".to_owned(), RetryConfig::adaptive()),
        ],
    };
    println!("scenario {scenario}: {calls} calls, {in_flight} in flight, {faults:?}");
    println!("| configuration | requests per call | calls succeeded | refused by the quota | wall time |");
    println!("|---|---|---|---|---|");
    for (label, retry) in configs {
        let outcome = run(faults.clone(), retry, calls, in_flight).await?;
        print_row(&label, calls, &outcome);
    }
    Ok(())
}
