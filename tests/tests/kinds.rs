//! Every generated operation's `Operation::KIND` follows Alibaba's metadata, and the kind
//! decides the retries of the real generated operations:
//!
//! - `fixtures/operation-types.txt` holds the operation types the metadata gives each
//!   operation (`systemTags.operationType` and the top-level `operationType`), extracted once;
//!   `get` and `list` must be reads, and where the system tag is missing a top-level `read`;
//!   anything else (or nothing) a write, for exactly the operations the client has; the
//!   operations only the official SDK has (top-level `sdk`) take the RAM access level of their
//!   reference page, or where it states none their verb (Describe, List, Get, Browse read);
//! - against the emulator, a read (`DescribeRestoreJobs2`, `DescribeVaults`) is sent again
//!   after a 500, a lost connection or a read timeout, and a write (`CreateRestoreJob`) is sent
//!   once and fails with `OutcomeUnknown`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use hbr_client::create_restore_job::CreateRestoreJobRequest;
use hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Request;
use hbr_client::describe_vaults::DescribeVaultsRequest;
use hbr_client::{Client, Config, ErrorKind, Operation, OperationKind, RetryConfig};
use hbr_emulator::{EmulatorConfig, FaultConfig, RunningEmulator};

const ATTEMPTS: u32 = 4;
const JOBS: usize = 20;
const SEED: u64 = 5;

/// The operation types of one operation in the metadata (`None` when it gives none).
#[derive(Debug)]
struct Types {
    tagged: Option<String>,
    top: Option<String>,
}

/// Operation name → the metadata's operation types.
fn metadata_operation_types() -> BTreeMap<String, Types> {
    let text = include_str!("../fixtures/operation-types.txt");
    let given = |t: &str| Some(t.to_owned()).filter(|t| t != "-");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut words = l.split_whitespace();
            let name = words.next().expect("a name").to_owned();
            let tagged = given(words.next().expect("the system tag"));
            let top = given(words.next().expect("the top-level type"));
            (name, Types { tagged, top })
        })
        .collect()
}

#[test]
fn every_operation_kind_follows_the_metadata_operation_type() {
    let types = metadata_operation_types();
    assert_eq!(types.len(), 98, "the fixture lists the 98 operations");
    let names: Vec<&str> = hbr_client::OPERATIONS.iter().map(|o| o.name).collect();
    assert_eq!(
        names,
        types.keys().map(String::as_str).collect::<Vec<_>>(),
        "the client has exactly the metadata's operations"
    );
    let mut reads = Vec::new();
    for op in hbr_client::OPERATIONS {
        let t = &types[op.name];
        let reads_by_verb = ["Describe", "List", "Get", "Browse"]
            .iter()
            .any(|v| op.name.starts_with(v));
        let expected = match (t.tagged.as_deref(), t.top.as_deref()) {
            (Some("get" | "list"), _) | (None, Some("read")) => OperationKind::Read,
            (None, Some("sdk")) if reads_by_verb => OperationKind::Read,
            _ => OperationKind::Write,
        };
        assert_eq!(op.kind, expected, "{}: {:?}", op.name, types[op.name]);
        if op.kind == OperationKind::Read {
            reads.push(op.name);
        }
    }
    assert_eq!(reads.len(), 32, "{reads:?}");
    assert!(reads.contains(&"CheckRole") && reads.contains(&"DescribeCrossAccounts"));
    // The registry's kind is the request type's own.
    assert_eq!(DescribeRestoreJobs2Request::KIND, OperationKind::Read);
    assert_eq!(DescribeVaultsRequest::KIND, OperationKind::Read);
    assert_eq!(CreateRestoreJobRequest::KIND, OperationKind::Write);
    assert_eq!(
        hbr_client::execute_backup_plan::ExecuteBackupPlanRequest::KIND,
        OperationKind::Write,
        "no operation type in the metadata: a write"
    );
}

async fn emulator(faults: FaultConfig) -> RunningEmulator {
    hbr_emulator::start(EmulatorConfig {
        jobs: JOBS,
        seed: SEED,
        faults,
        ..EmulatorConfig::default()
    })
    .await
    .expect("the emulator starts")
}

fn client(emu: &RunningEmulator, attempts: u32, read_timeout: Option<Duration>) -> Client {
    let mut config = Config::builder()
        .endpoint(emu.url())
        .static_credentials(emu.access_key_id(), emu.access_key_secret())
        .retry(
            RetryConfig::standard()
                .with_max_attempts(attempts)
                .with_base_delay(Duration::from_millis(1))
                .with_max_delay(Duration::from_millis(5)),
        );
    if let Some(timeout) = read_timeout {
        config = config.read_timeout(timeout);
    }
    Client::new(config.build()).expect("client")
}

/// An OSS restore from a seeded restore's vault and snapshot: a create the emulator does.
fn create() -> CreateRestoreJobRequest {
    let origin = support::oss_origin(JOBS, SEED);
    CreateRestoreJobRequest::builder()
        .restore_type("OSS".into())
        .source_type("OSS".into())
        .vault_id(origin.vault_id)
        .snapshot_id(origin.snapshot_id)
        .target_bucket("b-kinds")
        .target_prefix("kinds/")
        .build()
        .expect("a valid request")
}

/// Under `faults` (every request fails), a read is sent [`ATTEMPTS`] times and fails with
/// the last failure; a write is sent once and fails with `OutcomeUnknown`.
async fn reads_are_retried_and_writes_are_not(faults: FaultConfig, read_timeout: Option<Duration>) {
    let emu = emulator(faults).await;
    let client = client(&emu, ATTEMPTS, read_timeout);
    let reads = [
        client
            .execute(&DescribeRestoreJobs2Request::builder().build().unwrap())
            .await
            .map(drop),
        client
            .execute(&DescribeVaultsRequest::builder().build().unwrap())
            .await
            .map(drop),
    ];
    for read in reads {
        let err = read.expect_err("every answer is lost");
        assert_ne!(err.kind(), ErrorKind::OutcomeUnknown, "{err}");
        assert_eq!(err.attempts(), ATTEMPTS, "{err}");
    }
    let sent = emu.stats().requests;
    assert_eq!(sent, 2 * u64::from(ATTEMPTS), "{:?}", emu.stats());
    let err = client
        .execute(&create())
        .await
        .expect_err("the answer is lost");
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown, "{err}");
    assert_eq!(err.attempts(), 1, "{err}");
    assert_eq!(emu.stats().requests, sent + 1, "the write was sent once");
    let text = err.to_string();
    assert!(text.contains("CreateRestoreJob"), "{text}");
    assert!(text.contains("check whether it took effect"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_500_a_read_is_sent_again_and_a_write_is_not() {
    let faults = FaultConfig {
        fail_after_process_rate: 1.0,
        ..FaultConfig::default()
    };
    reads_are_retried_and_writes_are_not(faults, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_lost_connection_a_read_is_sent_again_and_a_write_is_not() {
    let faults = FaultConfig {
        drop_after_process_rate: 1.0,
        ..FaultConfig::default()
    };
    reads_are_retried_and_writes_are_not(faults, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_read_timeout_a_read_is_sent_again_and_a_write_is_not() {
    // Every answer comes after the client stopped waiting.
    let faults = FaultConfig {
        latency_ms: 2_000,
        ..FaultConfig::default()
    };
    reads_are_retried_and_writes_are_not(faults, Some(Duration::from_millis(100))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_retried_after_5xx_answers_in_the_end() {
    let emu = emulator(FaultConfig {
        error_rate: 0.5,
        seed: 3,
        ..FaultConfig::default()
    })
    .await;
    let client = client(&emu, 20, None);
    for _ in 0..10 {
        let page = client
            .execute(&DescribeRestoreJobs2Request::builder().build().unwrap())
            .await
            .expect("retried until answered");
        assert_eq!(page.total_count(), Some(JOBS as i32));
    }
    let stats = emu.stats();
    assert!(stats.server_errors > 0, "{stats:?}");
    assert_eq!(stats.succeeded, 10, "{stats:?}");
}
