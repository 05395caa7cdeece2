//! End to end over 127.0.0.1: the real client and paginator against the in-process emulator.
//!
//! Every job of a 10,000-job emulator is listed exactly once, in the service's order, with
//! each signature and under 20 % injected throttling and 5xx; every filter key × operator
//! pair the client offers returns exactly the jobs the same filter, applied independently
//! to the emulator's data set, selects; and the service's errors reach the caller as their
//! documented kinds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::time::Duration;

use futures_util::TryStreamExt;
use hbr_client::describe_restore_jobs2::{
    DescribeRestoreJobs2RequestBuilder, Filter, RestoreJobStatus,
};
use hbr_client::{Client, Config};
use hbr_emulator::{EmulatorConfig, Job};
use hbr_runtime::client::{ErrorKind, RetryConfig};
use hbr_runtime::credentials::Credentials;
use hbr_runtime::signing::SignatureVersion;

const JOBS: usize = 10_000;
const SEED: u64 = 7;

async fn emulator(jobs: usize, faults: hbr_emulator::FaultConfig) -> hbr_emulator::RunningEmulator {
    hbr_emulator::start(EmulatorConfig {
        jobs,
        seed: SEED,
        faults,
        ..EmulatorConfig::default()
    })
    .await
    .expect("the emulator starts")
}

fn client_for(url: &str, version: SignatureVersion, retry: RetryConfig) -> Client {
    let config = Config::builder()
        .endpoint(url)
        .signature_version(version)
        .credentials(Credentials::new(
            hbr_emulator::DEMO_ACCESS_KEY_ID,
            hbr_emulator::DEMO_ACCESS_KEY_SECRET,
        ))
        .retry(retry)
        .build();
    Client::new(config).expect("client")
}

async fn all_ids(builder: DescribeRestoreJobs2RequestBuilder<Client>) -> Vec<String> {
    builder
        .into_paginator()
        .items()
        .map_ok(|job| job.restore_id().unwrap_or_default().to_owned())
        .try_collect()
        .await
        .expect("every page")
}

fn expected_order(jobs: &[Job]) -> Vec<String> {
    jobs.iter().map(|j| j.restore_id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_paginator_lists_every_job_once_with_each_signature() {
    let emu = emulator(JOBS, hbr_emulator::FaultConfig::default()).await;
    let expected = expected_order(&hbr_emulator::generate_jobs(JOBS, SEED));
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let client = client_for(&emu.url(), version, RetryConfig::standard());
        let ids = all_ids(client.describe_restore_jobs2()).await;
        assert_eq!(ids.len(), JOBS, "{version:?}");
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            JOBS,
            "{version:?}: no job twice"
        );
        assert_eq!(ids, expected, "{version:?}: the service's order");
    }
    // 99 per page unless set: 102 pages per listing.
    assert!(
        emu.requests_total() >= 2 * 102,
        "{} requests",
        emu.requests_total()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_lost_or_doubled_under_throttling_and_5xx() {
    let faults = hbr_emulator::FaultConfig {
        throttle_rate: 0.1,
        error_rate: 0.1,
        seed: 42,
        ..Default::default()
    };
    let emu = emulator(JOBS, faults).await;
    let expected = expected_order(&hbr_emulator::generate_jobs(JOBS, SEED));
    // DescribeRestoreJobs2 is a read (`kind: read` in the spec): retried after a 5xx with
    // the standard policy, which never retries a write after one.
    let retry = RetryConfig::standard()
        .with_max_attempts(10)
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(20));
    let client = client_for(&emu.url(), SignatureVersion::V3, retry);
    let ids = all_ids(client.describe_restore_jobs2()).await;
    assert_eq!(ids, expected);
    assert!(emu.faults_injected() > 0, "faults were injected");
}

/// Whether a job has finished. The emulator documents that a job still running has no
/// completion time (sent as 0) and that no CompleteTime filter matches it.
fn done(j: &Job) -> bool {
    j.complete_time != 0
}

/// The filters the typed API offers, with an independent predicate over the data set.
#[allow(clippy::type_complexity)]
fn filter_cases(jobs: &[Job]) -> Vec<(String, Filter, Box<dyn Fn(&Job) -> bool>)> {
    let j = jobs
        .iter()
        .skip(jobs.len() / 3)
        .find(|j| done(j))
        .expect("a finished job");
    let k = jobs
        .iter()
        .skip(jobs.len() / 2)
        .find(|j| done(j))
        .expect("a finished job");
    let mut cases: Vec<(String, Filter, Box<dyn Fn(&Job) -> bool>)> = Vec::new();
    macro_rules! string_key {
        ($name:literal, $ctor:ident, $field:ident) => {{
            let a = j.$field.clone();
            let b = k.$field.clone();
            let (a1, a2, a3, b3) = (a.clone(), a.clone(), a.clone(), b.clone());
            cases.push((
                concat!($name, " EQUAL").into(),
                Filter::$ctor().equal(a.clone()),
                Box::new(move |x: &Job| x.$field == a1),
            ));
            cases.push((
                concat!($name, " NOT_EQUAL").into(),
                Filter::$ctor().not_equal(a.clone()),
                Box::new(move |x: &Job| x.$field != a2),
            ));
            cases.push((
                concat!($name, " IN").into(),
                Filter::$ctor().is_in([a.clone(), b.clone()]),
                Box::new(move |x: &Job| x.$field == a3 || x.$field == b3),
            ));
        }};
    }
    string_key!("RegionId", region_id, region_id);
    string_key!("PlanId", plan_id, plan_id);
    string_key!("JobId", job_id, restore_id);
    string_key!("VaultId", vault_id, vault_id);
    string_key!("InstanceId", instance_id, target_instance_id);
    string_key!("Bucket", bucket, target_bucket);
    string_key!("FileSystemId", file_system_id, target_file_system_id);
    cases.push((
        "Status EQUAL".into(),
        Filter::status().equal(RestoreJobStatus::Failed),
        Box::new(|x: &Job| x.status == "FAILED"),
    ));
    cases.push((
        "Status NOT_EQUAL".into(),
        Filter::status().not_equal(RestoreJobStatus::Complete),
        Box::new(|x: &Job| x.status != "COMPLETE"),
    ));
    cases.push((
        "Status IN".into(),
        Filter::status().is_in([RestoreJobStatus::Failed, RestoreJobStatus::PartialComplete]),
        Box::new(|x: &Job| x.status == "FAILED" || x.status == "PARTIAL_COMPLETE"),
    ));
    let t = j.complete_time;
    let u = k.complete_time.max(t);
    let lo = t.min(k.complete_time);
    cases.push((
        "CompleteTime EQUAL".into(),
        Filter::complete_time().equal(t),
        Box::new(move |x: &Job| done(x) && x.complete_time == t),
    ));
    cases.push((
        "CompleteTime NOT_EQUAL".into(),
        Filter::complete_time().not_equal(t),
        Box::new(move |x: &Job| done(x) && x.complete_time != t),
    ));
    cases.push((
        "CompleteTime GREATER_THAN".into(),
        Filter::complete_time().greater_than(t),
        Box::new(move |x: &Job| done(x) && x.complete_time > t),
    ));
    cases.push((
        "CompleteTime GREATER_THAN_OR_EQUAL".into(),
        Filter::complete_time().greater_than_or_equal(t),
        Box::new(move |x: &Job| done(x) && x.complete_time >= t),
    ));
    cases.push((
        "CompleteTime LESS_THAN".into(),
        Filter::complete_time().less_than(t),
        Box::new(move |x: &Job| done(x) && x.complete_time < t),
    ));
    cases.push((
        "CompleteTime LESS_THAN_OR_EQUAL".into(),
        Filter::complete_time().less_than_or_equal(t),
        Box::new(move |x: &Job| done(x) && x.complete_time <= t),
    ));
    cases.push((
        "CompleteTime BETWEEN".into(),
        Filter::complete_time().between(lo, u),
        Box::new(move |x: &Job| done(x) && lo <= x.complete_time && x.complete_time <= u),
    ));
    cases
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_filter_key_and_operator_matches_an_independent_filter() {
    let n = 2_000;
    let emu = emulator(n, hbr_emulator::FaultConfig::default()).await;
    let jobs = hbr_emulator::generate_jobs(n, SEED);
    let client = client_for(&emu.url(), SignatureVersion::V3, RetryConfig::standard());
    let cases = filter_cases(&jobs);
    assert_eq!(
        cases.len(),
        31,
        "7 string keys × 3 + Status × 3 + CompleteTime × 7"
    );
    for (name, filter, keep) in cases {
        let expected: Vec<String> = jobs
            .iter()
            .filter(|j| keep(j))
            .map(|j| j.restore_id.clone())
            .collect();
        let got = all_ids(client.describe_restore_jobs2().filter(filter)).await;
        assert_eq!(got, expected, "{name}");
    }
    // Several filters are ANDed, and RestoreType narrows further.
    let vault = jobs[10].vault_id.clone();
    let expected: Vec<String> = jobs
        .iter()
        .filter(|j| j.vault_id == vault && j.status == "COMPLETE" && j.restore_type == "ECS_FILE")
        .map(|j| j.restore_id.clone())
        .collect();
    let got = all_ids(
        client
            .describe_restore_jobs2()
            .restore_type(hbr_client::types::RestoreType::EcsFile)
            .filter(Filter::vault_id().equal(vault))
            .filter(Filter::status().equal(RestoreJobStatus::Complete)),
    )
    .await;
    assert_eq!(got, expected);
}

#[tokio::test]
async fn the_service_errors_reach_the_caller_as_their_kinds() {
    let emu = emulator(50, hbr_emulator::FaultConfig::default()).await;
    let url = emu.url();
    // A wrong secret: the signature does not match.
    let bad_secret = Client::new(
        Config::builder()
            .endpoint(url.as_str())
            .credentials(Credentials::new(
                hbr_emulator::DEMO_ACCESS_KEY_ID,
                "not-the-secret",
            ))
            .build(),
    )
    .unwrap();
    let err = bad_secret
        .describe_restore_jobs2()
        .send()
        .await
        .expect_err("refused");
    assert_eq!(
        (err.kind(), err.code(), err.http_status()),
        (ErrorKind::Service, Some("SignatureDoesNotMatch"), Some(400))
    );
    assert!(err.request_id().is_some_and(|id| !id.is_empty()), "{err}");
    assert!(!err.to_string().contains("not-the-secret"), "{err}");
    // An unknown key.
    let unknown = Client::new(
        Config::builder()
            .endpoint(url.as_str())
            .credentials(Credentials::new("LTAI-nobody", "x"))
            .signature_version(SignatureVersion::V1)
            .build(),
    )
    .unwrap();
    let err = unknown
        .describe_restore_jobs2()
        .send()
        .await
        .expect_err("refused");
    assert_eq!(
        (err.kind(), err.code(), err.http_status()),
        (
            ErrorKind::Service,
            Some("InvalidAccessKeyId.NotFound"),
            Some(404)
        )
    );
    // Throttling is its own kind, with the retry-after the service asked for.
    let emu_t = emulator(
        50,
        hbr_emulator::FaultConfig {
            throttle_rate: 1.0,
            ..Default::default()
        },
    )
    .await;
    let client = client_for(&emu_t.url(), SignatureVersion::V3, RetryConfig::disabled());
    let err = client
        .describe_restore_jobs2()
        .send()
        .await
        .expect_err("throttled");
    assert_eq!(
        (err.kind(), err.code()),
        (ErrorKind::Throttling, Some("Throttling.User"))
    );
    assert!(err.retry_after().is_some(), "{err:?}");
}
