//! Fault injection: throttling, 5xx, dropped connections, latency and integers as strings,
//! all seeded.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::field_reassign_with_default
)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use hbr_emulator::{EmulatorConfig, FaultConfig};
use hbr_runtime::signing::SignatureVersion;
use serde_json::Value;

fn with_faults(faults: FaultConfig) -> EmulatorConfig {
    let mut config = EmulatorConfig::default();
    config.jobs = 50;
    config.faults = faults;
    config
}

#[tokio::test]
async fn faults_are_off_by_default() {
    let emu = start(50, 1).await;
    let c = client();
    for _ in 0..30 {
        assert_eq!(describe(&c, &emu, &[]).await.status, 200);
    }
    let stats = emu.stats();
    assert_eq!(
        (stats.requests, stats.faults_injected, stats.succeeded),
        (30, 0, 30)
    );
}

#[tokio::test]
async fn throttling_answers_with_retry_after() {
    let emu = start_with(with_faults(FaultConfig {
        throttle_rate: 1.0,
        retry_after_ms: 250,
        ..FaultConfig::default()
    }))
    .await;
    let c = client();
    for _ in 0..5 {
        let resp = describe(&c, &emu, &[]).await;
        resp.assert_error(400, "Throttling.User");
        assert_eq!(resp.header("x-acs-retry-after"), Some("250"));
    }
    assert_eq!(emu.stats().throttled, 5);
    assert_eq!(emu.faults_injected(), 5);
}

#[tokio::test]
async fn rate_limit_throttles_past_the_rate_with_the_time_to_wait() {
    // Half a request a second: one token, then one every two seconds.
    let emu = start_with(with_faults(FaultConfig {
        rate_limit_rps: 0.5,
        ..FaultConfig::default()
    }))
    .await;
    let c = client();
    assert_eq!(describe(&c, &emu, &[]).await.status, 200);
    let resp = describe(&c, &emu, &[]).await;
    resp.assert_error(400, "Throttling.User");
    let wait: u64 = resp
        .header("x-acs-retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((1..=2000).contains(&wait), "x-acs-retry-after {wait}");
    let stats = emu.stats();
    assert_eq!(
        (stats.rate_limited, stats.throttled, stats.succeeded),
        (1, 0, 1)
    );
    // A request with a bad signature is refused before the rate limit and costs no token.
    assert_eq!(stats.faults_injected, 0);
}

#[tokio::test]
async fn rate_limit_is_validated() {
    for rps in [-1.0, f64::NAN, f64::INFINITY, 0.0001] {
        let mut config = hbr_emulator::EmulatorConfig::default();
        config.faults.rate_limit_rps = rps;
        assert!(config.validate().is_err(), "{rps} accepted");
    }
}

#[tokio::test]
async fn server_errors_are_500_and_503() {
    let emu = start_with(with_faults(FaultConfig {
        error_rate: 1.0,
        seed: 3,
        ..FaultConfig::default()
    }))
    .await;
    let c = client();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..40 {
        let resp = describe(&c, &emu, &[]).await;
        let code = match resp.status {
            500 => "InternalError",
            503 => "ServiceUnavailable",
            other => panic!("unexpected status {other}"),
        };
        resp.assert_error(resp.status, code);
        assert!(resp.header("x-acs-retry-after").is_none());
        seen.insert(resp.status);
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), [500, 503]);
    assert_eq!(emu.stats().server_errors, 40);
}

#[tokio::test]
async fn dropped_connections_get_no_answer() {
    let emu = start_with(with_faults(FaultConfig {
        drop_rate: 1.0,
        ..FaultConfig::default()
    }))
    .await;
    for _ in 0..5 {
        let signed = Call::new(SignatureVersion::V3, &[]).sign(&emu.endpoint());
        let answer = raw_exchange(emu.addr(), &raw_request(&signed), Duration::from_secs(10)).await;
        assert!(
            answer.is_empty(),
            "no answer: {}",
            String::from_utf8_lossy(&answer)
        );
    }
    // A plain HTTP client sees a transport error.
    let signed = Call::new(SignatureVersion::V3, &[]).sign(&emu.endpoint());
    let err = client()
        .post(format!("{}/?{}", emu.url(), signed.query))
        .send()
        .await;
    assert!(err.is_err());
    assert!(emu.stats().dropped >= 6);
}

#[tokio::test]
async fn latency_is_added() {
    let emu = start_with(with_faults(FaultConfig {
        latency_ms: 150,
        ..FaultConfig::default()
    }))
    .await;
    let c = client();
    let t = Instant::now();
    assert_eq!(describe(&c, &emu, &[]).await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(150));
    assert_eq!(emu.stats().delayed, 1);
    assert_eq!(emu.faults_injected(), 0);
}

#[tokio::test]
async fn integers_can_arrive_as_strings() {
    let emu = start_with(with_faults(FaultConfig {
        ints_as_strings: true,
        ..FaultConfig::default()
    }))
    .await;
    let resp = describe(&client(), &emu, &[("PageSize", "20")]).await;
    assert_eq!(resp.status, 200);
    let body = resp.json();
    assert_eq!(body["PageSize"], "20");
    assert_eq!(body["PageNumber"], "1");
    assert_eq!(body["TotalCount"], "50");
    assert_eq!(body["Success"], Value::Bool(true));
    let jobs = body["RestoreJobs"]["RestoreJob"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(jobs.len(), 20);
    fn no_numbers(v: &Value) -> bool {
        match v {
            Value::Number(_) => false,
            Value::Array(a) => a.iter().all(no_numbers),
            Value::Object(o) => o.values().all(no_numbers),
            _ => true,
        }
    }
    assert!(jobs.iter().all(no_numbers));
    for j in &jobs {
        assert!(j["BytesTotal"]
            .as_str()
            .is_some_and(|s| s.parse::<i64>().is_ok()));
        if let Some(ots) = j.get("OtsDetail") {
            assert!(ots["BatchChannelCount"].is_string() && ots["OverwriteExisting"].is_boolean());
        }
    }
}

/// The outcome of each of `n` requests, as a status (0 for a dropped connection).
async fn outcomes(emu: &hbr_emulator::RunningEmulator, n: usize) -> Vec<u16> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let signed = Call::new(SignatureVersion::V3, &[]).sign(&emu.endpoint());
        let answer = raw_exchange(emu.addr(), &raw_request(&signed), Duration::from_secs(10)).await;
        let text = String::from_utf8_lossy(&answer);
        out.push(text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0));
    }
    out
}

#[tokio::test]
async fn mixed_rates_are_seeded_and_roughly_as_configured() {
    let faults = FaultConfig {
        throttle_rate: 0.3,
        error_rate: 0.2,
        drop_rate: 0.1,
        seed: 7,
        ..FaultConfig::default()
    };
    let e1 = start_with(with_faults(faults.clone())).await;
    let e2 = start_with(with_faults(faults)).await;
    const N: usize = 300;
    let a = outcomes(&e1, N).await;
    let b = outcomes(&e2, N).await;
    assert_eq!(a, b, "the same fault seed gives the same faults");
    let count = |s: u16| a.iter().filter(|x| **x == s).count();
    let (dropped, throttled, errors, ok) =
        (count(0), count(400), count(500) + count(503), count(200));
    assert_eq!(dropped + throttled + errors + ok, N);
    // Expected: 10 % dropped, 27 % throttled, 12.6 % errors, 50.4 % served.
    assert!((10..=60).contains(&dropped), "dropped {dropped}");
    assert!((45..=120).contains(&throttled), "throttled {throttled}");
    assert!((15..=75).contains(&errors), "errors {errors}");
    assert!((110..=200).contains(&ok), "ok {ok}");
    let stats = e1.stats();
    assert_eq!(stats.faults_injected as usize, dropped + throttled + errors);
    assert_eq!(stats.requests as usize, N);
}

#[tokio::test]
async fn invalid_fault_settings_are_refused() {
    for faults in [
        FaultConfig {
            throttle_rate: 1.5,
            ..FaultConfig::default()
        },
        FaultConfig {
            error_rate: -0.1,
            ..FaultConfig::default()
        },
        FaultConfig {
            drop_rate: f64::NAN,
            ..FaultConfig::default()
        },
        FaultConfig {
            retry_after_ms: 0,
            ..FaultConfig::default()
        },
    ] {
        let err = hbr_emulator::start(with_faults(faults))
            .await
            .expect_err("refused");
        assert!(matches!(err, hbr_emulator::Error::Config(_)), "{err}");
    }
    let mut too_many = EmulatorConfig::default();
    too_many.jobs = hbr_emulator::MAX_JOBS + 1;
    assert!(hbr_emulator::start(too_many).await.is_err());
}

/// The vault and snapshot of the first seeded OSS restore of [`with_faults`]'s data set: a
/// create must name ones that exist (the emulator checks the references).
fn oss_origin() -> &'static (String, String) {
    static ORIGIN: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(|| {
        let config = with_faults(FaultConfig::default());
        let job = hbr_emulator::seeded_restore(config.jobs, config.seed, "OSS")
            .expect("an OSS restore in the data set");
        (job.vault_id, job.snapshot_id)
    })
}

/// A signed CreateRestoreJob of an OSS restore into `bucket`.
fn create_in(bucket: &str) -> Call<'static> {
    let (vault, snapshot) = oss_origin();
    let mut create = Call::new(
        SignatureVersion::V3,
        &[
            ("RestoreType", "OSS"),
            ("SourceType", "OSS"),
            ("VaultId", vault.as_str()),
            ("SnapshotId", snapshot.as_str()),
        ],
    );
    create.query.push(("TargetBucket".into(), bucket.into()));
    create.action = "CreateRestoreJob";
    create
}

#[tokio::test]
async fn after_process_faults_do_the_work_and_lose_the_answer() {
    // Every request is processed, then its connection closed.
    let emu = start_with(with_faults(FaultConfig {
        drop_after_process_rate: 1.0,
        ..FaultConfig::default()
    }))
    .await;
    let signed = create_in("b-dropped").sign(&emu.endpoint());
    let answer = raw_exchange(emu.addr(), &raw_request(&signed), Duration::from_secs(10)).await;
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    assert_eq!(emu.stats().dropped_after_process, 1);
    emu.shutdown().await;

    // Every request is processed, then answered 500 InternalError; the job exists.
    let emu = start_with(with_faults(FaultConfig {
        fail_after_process_rate: 1.0,
        ..FaultConfig::default()
    }))
    .await;
    let c = client();
    let resp = call(&c, &emu, &create_in("b-failed")).await;
    resp.assert_error(500, "InternalError");
    let stats = emu.stats();
    assert_eq!((stats.failed_after_process, stats.faults_injected), (1, 1));
    emu.shutdown().await;

    // At a share of 0.5, seeded: some creates answered, some not, and every one done.
    let emu = start_with(with_faults(FaultConfig {
        fail_after_process_rate: 0.5,
        seed: 3,
        ..FaultConfig::default()
    }))
    .await;
    let mut answered = 0;
    for _ in 0..20 {
        if call(&c, &emu, &create_in("b-half")).await.status == 200 {
            answered += 1;
        }
    }
    assert!((1..20).contains(&answered), "{answered} of 20 answered");
    // The listing is faulted too: retry it until an answer arrives.
    let mut listed = None;
    for _ in 0..50 {
        let resp = describe(
            &c,
            &emu,
            &[
                ("Filters.1.Key", "Bucket"),
                ("Filters.1.Values.1", "b-half"),
            ],
        )
        .await;
        if resp.status == 200 {
            listed = resp.json()["TotalCount"].as_u64();
            break;
        }
    }
    assert_eq!(listed, Some(20), "every create was processed");
}

#[tokio::test]
async fn after_process_faults_spare_requests_refused_before_processing() {
    // A request refused before processing (bad signature) meets no after-process fault:
    // nothing was done, and the refusal is answered.
    let emu = start_with(with_faults(FaultConfig {
        drop_after_process_rate: 1.0,
        ..FaultConfig::default()
    }))
    .await;
    let mut bad = create_in("b-bad");
    bad.key.secret = "wrong-secret";
    call(&client(), &emu, &bad)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    assert_eq!(emu.stats().dropped_after_process, 0);
}
