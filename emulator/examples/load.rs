//! Load generator: N well-formed clients send signed `DescribeRestoreJobs2` calls to an
//! in-process emulator for a while, beside M misbehaving connections (stalled heads,
//! garbage, oversized bodies and heads, early closes), then prints requests per second and
//! latency percentiles of the well-formed requests.
//!
//! ```text
//! cargo run --release -p hbr-emulator --example load -- --clients 32 --misbehavers 8 --secs 10
//! ```
//!
//! Flags (all optional): `--clients N` (32), `--misbehavers M` (8), `--secs S` (10),
//! `--jobs J` (10000), `--page-size P` (10), `--signature v3|v1` (v3), `--threads T`
//! (the runtime's worker threads; default: one per core), `--created N` (0: jobs created
//! with `CreateRestoreJob` before the run, so that listing takes the merge path).
#![forbid(unsafe_code)]
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hbr_emulator::{EmulatorConfig, Limits};
use hbr_runtime::signing::{
    format_timestamp, new_nonce, sign, RequestToSign, SignatureVersion, SigningKey,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Args {
    clients: usize,
    misbehavers: usize,
    secs: u64,
    jobs: usize,
    page_size: u32,
    signature: SignatureVersion,
    threads: Option<usize>,
    created: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        clients: 32,
        misbehavers: 8,
        secs: 10,
        jobs: 10_000,
        page_size: 10,
        signature: SignatureVersion::V3,
        threads: None,
        created: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let num = |v: &str| v.parse::<u64>().map_err(|e| format!("{flag} {v}: {e}"));
        match flag.as_str() {
            "--clients" => args.clients = num(&value)? as usize,
            "--misbehavers" => args.misbehavers = num(&value)? as usize,
            "--secs" => args.secs = num(&value)?,
            "--jobs" => args.jobs = num(&value)? as usize,
            "--page-size" => {
                args.page_size = u32::try_from(num(&value)?).map_err(|e| e.to_string())?
            }
            "--signature" => args.signature = value.parse().map_err(|e| format!("{e}"))?,
            "--threads" => args.threads = Some(num(&value)? as usize),
            "--created" => args.created = num(&value)? as usize,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(args)
}

/// One misbehaving connection; `kind` picks the misbehaviour.
async fn misbehave(addr: SocketAddr, kind: usize) {
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        tokio::time::sleep(Duration::from_millis(10)).await;
        return;
    };
    let mut sink = Vec::new();
    let wait = Duration::from_secs(30);
    match kind % 5 {
        0 => {
            let _ = stream
                .write_all(b"POST /?PageSize=5 HTTP/1.1\r\nhost: x\r\nx-acs-")
                .await;
        }
        1 => {
            let noise: Vec<u8> = (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect();
            let _ = stream.write_all(&noise).await;
        }
        2 => {
            let _ = stream
                .write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 104857600\r\n\r\n")
                .await;
            let _ = stream.write_all(&[b'a'; 16 * 1024]).await;
        }
        3 => {
            let mut head = b"POST / HTTP/1.1\r\nhost: x\r\n".to_vec();
            for i in 0..1_200 {
                head.extend_from_slice(format!("x-f{i}: {}\r\n", "y".repeat(60)).as_bytes());
            }
            head.extend_from_slice(b"\r\n");
            let _ = stream.write_all(&head).await;
        }
        _ => {
            let _ = stream
                .write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nPage")
                .await;
            return;
        }
    }
    let _ = tokio::time::timeout(wait, stream.read_to_end(&mut sink)).await;
}

async fn client_loop(
    url: String,
    endpoint: String,
    page_size: u32,
    version: SignatureVersion,
    stop: Arc<AtomicBool>,
    errors: Arc<AtomicU64>,
) -> Vec<Duration> {
    let Ok(http) = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        // Below the emulator's idle close (the 2 s header timeout), so that a pooled
        // connection is never reused just as the server closes it.
        .pool_idle_timeout(Duration::from_secs(1))
        .build()
    else {
        return Vec::new();
    };
    let key = SigningKey {
        access_key_id: hbr_emulator::DEMO_ACCESS_KEY_ID,
        access_key_secret: hbr_emulator::DEMO_ACCESS_KEY_SECRET,
        security_token: None,
        provider_name: "static_ak",
    };
    let query = vec![("PageSize".to_owned(), page_size.to_string())];
    let mut latencies = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let started = Instant::now();
        let timestamp = format_timestamp(time::OffsetDateTime::now_utc());
        let nonce = new_nonce();
        let req = RequestToSign {
            host: &endpoint,
            action: "DescribeRestoreJobs2",
            version: "2017-09-08",
            user_agent: "hbr-emulator-load",
            query: &query,
            form: None,
            timestamp: &timestamp,
            nonce: &nonce,
            retry: None,
        };
        let signed = sign(version, &key, &req);
        let mut builder = http
            .post(format!("{url}/?{}", signed.query))
            .body(signed.body.clone());
        for (name, value) in &signed.headers {
            if *name != "host" {
                builder = builder.header(*name, value);
            }
        }
        let ok = match builder.send().await {
            Ok(resp) => resp.status().as_u16() == 200 && resp.bytes().await.is_ok(),
            Err(_) => false,
        };
        if ok {
            latencies.push(started.elapsed());
        } else {
            errors.fetch_add(1, Ordering::Relaxed);
        }
    }
    latencies
}

/// Creates `n` restore jobs through the API (signed v3 requests).
async fn create_jobs(
    emu: &hbr_emulator::RunningEmulator,
    n: usize,
    origin: &hbr_emulator::Job,
) -> Result<(), Box<dyn std::error::Error>> {
    let http = reqwest::Client::builder().no_proxy().build()?;
    let key = SigningKey {
        access_key_id: hbr_emulator::DEMO_ACCESS_KEY_ID,
        access_key_secret: hbr_emulator::DEMO_ACCESS_KEY_SECRET,
        security_token: None,
        provider_name: "static_ak",
    };
    let endpoint = emu.endpoint();
    let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let query = pairs(&[
        ("RestoreType", "ECS_FILE"),
        ("SourceType", "ECS_FILE"),
        ("VaultId", origin.vault_id.as_str()),
        ("SnapshotId", origin.snapshot_id.as_str()),
    ]);
    let form = pairs(&[("TargetInstanceId", "i-load"), ("TargetPath", "/restore")]);
    for _ in 0..n {
        let timestamp = format_timestamp(time::OffsetDateTime::now_utc());
        let nonce = new_nonce();
        let req = RequestToSign {
            host: &endpoint,
            action: "CreateRestoreJob",
            version: "2017-09-08",
            user_agent: "hbr-emulator-load",
            query: &query,
            form: Some(&form),
            timestamp: &timestamp,
            nonce: &nonce,
            retry: None,
        };
        let signed = sign(SignatureVersion::V3, &key, &req);
        let mut builder = http
            .post(format!("{}/?{}", emu.url(), signed.query))
            .body(signed.body.clone());
        for (name, value) in &signed.headers {
            if *name != "host" {
                builder = builder.header(*name, value);
            }
        }
        let resp = builder.send().await?;
        if resp.status().as_u16() != 200 {
            return Err(format!("CreateRestoreJob: {}", resp.text().await?).into());
        }
    }
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let config = EmulatorConfig {
        jobs: args.jobs,
        seed: 7,
        limits: Limits {
            header_read_timeout: Duration::from_secs(2),
            body_read_timeout: Duration::from_secs(2),
            ..Limits::default()
        },
        ..EmulatorConfig::default()
    };
    let emu = hbr_emulator::start(config).await?;
    if args.created > 0 {
        // Restores of the snapshot behind a seeded ECS_FILE job (the vault and the snapshot
        // must exist).
        let origin = hbr_emulator::generate_jobs(args.jobs, 7)
            .into_iter()
            .find(|j| j.restore_type == "ECS_FILE")
            .ok_or("the data set has no ECS_FILE job to restore from")?;
        create_jobs(&emu, args.created, &origin).await?;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(AtomicU64::new(0));
    let misbehaved = Arc::new(AtomicU64::new(0));

    let mut bad = Vec::new();
    for m in 0..args.misbehavers {
        let (addr, stop, misbehaved) = (emu.addr(), Arc::clone(&stop), Arc::clone(&misbehaved));
        bad.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                misbehave(addr, m + n).await;
                misbehaved.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
        }));
    }
    let started = Instant::now();
    let mut good = Vec::new();
    for _ in 0..args.clients {
        good.push(tokio::spawn(client_loop(
            emu.url(),
            emu.endpoint(),
            args.page_size,
            args.signature,
            Arc::clone(&stop),
            Arc::clone(&errors),
        )));
    }
    tokio::time::sleep(Duration::from_secs(args.secs)).await;
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    for task in good {
        latencies.extend(task.await?);
    }
    let elapsed = started.elapsed();
    for task in bad {
        task.abort();
    }
    latencies.sort_unstable();
    let n = latencies.len();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "clients {} ({}), misbehaving tasks {}, jobs {} (+{} created), page size {}, {:.1} s",
        args.clients,
        args.signature,
        args.misbehavers,
        args.jobs,
        args.created,
        args.page_size,
        elapsed.as_secs_f64()
    );
    println!(
        "well-formed requests: {n} ok, {} failed; {:.0} requests/s",
        errors.load(Ordering::Relaxed),
        n as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  p99.9 {:.2}  max {:.2}",
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 90.0)),
        ms(percentile(&latencies, 99.0)),
        ms(percentile(&latencies, 99.9)),
        ms(latencies.last().copied().unwrap_or_default()),
    );
    let stats = emu.stats();
    println!(
        "misbehaving connections: {}; emulator: {} connections, {} requests, {} ok, {} rejected",
        misbehaved.load(Ordering::Relaxed),
        stats.connections,
        stats.requests,
        stats.succeeded,
        stats.rejected
    );
    emu.shutdown().await;
    Ok(())
}

fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("load: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.enable_all();
    if let Some(t) = args.threads {
        builder.worker_threads(t.max(1));
    }
    let runtime = match builder.build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("load: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
