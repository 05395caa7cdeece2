//! Writes are never done twice: CreateRestoreJob against the emulator when it does the work
//! and then loses the answer (`drop_after_process_rate`, `fail_after_process_rate`).
//!
//! - with the default policy, a create whose answer is lost is not sent again
//!   (`OutcomeUnknown`): no job twice, and every reported success is listed;
//! - `create_reconciled` finds the job a lost answer made: every create gives exactly one
//!   job, and every reported ID is listed with the create's parameters;
//! - the same creates retried blindly (`retry_writes`) do make duplicates, which is what the
//!   checks above would catch.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use hbr_client::create_restore_job::CreateRestoreJobRequest;
use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, Filter};
use hbr_client::reconcile::{CreateOutcome, ReconcileOptions};
use hbr_client::{Client, Config, ErrorKind, RetryConfig};
use hbr_emulator::{EmulatorConfig, FaultConfig, RunningEmulator};
use hbr_runtime::credentials::Credentials;

/// Seeded restore jobs of both emulators: their vaults and snapshots exist.
const JOBS: usize = 20;

/// The vault and snapshot of the data set's first OSS restore, which the creates restore
/// from (the emulator checks both exist).
fn origin() -> &'static (String, String) {
    static ORIGIN: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(|| {
        let job = support::oss_origin(JOBS, EmulatorConfig::default().seed);
        (job.vault_id, job.snapshot_id)
    })
}
const CREATES: usize = 40;

async fn lossy_emulator() -> RunningEmulator {
    hbr_emulator::start(EmulatorConfig {
        jobs: JOBS,
        faults: FaultConfig {
            drop_after_process_rate: 0.25,
            fail_after_process_rate: 0.25,
            seed: 11,
            ..FaultConfig::default()
        },
        ..EmulatorConfig::default()
    })
    .await
    .expect("the emulator starts")
}

fn client_for(emu: &RunningEmulator, retry: RetryConfig) -> Client {
    let config = Config::builder()
        .endpoint(emu.url())
        .credentials(Credentials::new(
            emu.access_key_id(),
            emu.access_key_secret(),
        ))
        .retry(
            retry
                .with_max_attempts(12)
                .with_base_delay(Duration::from_millis(1))
                .with_max_delay(Duration::from_millis(5)),
        )
        .build();
    Client::new(config).expect("client")
}

/// A restore of the vault's snapshot into its own prefix: the distinguishing parameter.
fn create(prefix: &str) -> CreateRestoreJobRequest {
    CreateRestoreJobRequest::builder()
        .restore_type("OSS".into())
        .source_type("OSS".into())
        .vault_id(origin().0.as_str())
        .snapshot_id(origin().1.as_str())
        .target_bucket("b-reconcile")
        .target_prefix(prefix)
        .build()
        .expect("a valid request")
}

/// The jobs the test created in the vault (prefixes `run/...`), prefix → restore IDs,
/// listed as a read (retried after any transient failure) through the faults.
async fn jobs_by_prefix(client: &Client) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen = 0;
    for page_number in 1.. {
        let request = DescribeRestoreJobs2Request::builder()
            .page_number(page_number)
            .page_size(99)
            .filter(Filter::vault_id().equal(origin().0.as_str()))
            .build()
            .unwrap();
        let page = client.execute(&request).await.expect("the listing");
        for job in page.restore_jobs() {
            let prefix = job.target_prefix().unwrap_or_default();
            if prefix.starts_with("run/") {
                out.entry(prefix.to_owned())
                    .or_default()
                    .push(job.restore_id().unwrap_or_default().to_owned());
            }
        }
        seen += page.restore_jobs().len();
        if page.restore_jobs().is_empty() || seen >= page.total_count().unwrap_or(0) as usize {
            break;
        }
    }
    out
}

fn prefix(i: usize) -> String {
    format!("run/{i:03}/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_is_not_sent_again_and_every_success_is_listed() {
    let emu = lossy_emulator().await;
    let client = client_for(&emu, RetryConfig::standard());
    let mut succeeded = BTreeMap::new();
    let mut unknown = 0;
    for i in 0..CREATES {
        match client.execute(&create(&prefix(i))).await {
            Ok(out) => {
                succeeded.insert(prefix(i), out.restore_id().unwrap().to_owned());
            }
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
                unknown += 1;
            }
        }
    }
    assert!(unknown > 0 && !succeeded.is_empty(), "{unknown} unknown");
    let listed = jobs_by_prefix(&client).await;
    for (prefix, ids) in &listed {
        assert_eq!(ids.len(), 1, "{prefix}: {ids:?}");
    }
    for (prefix, id) in &succeeded {
        assert_eq!(listed.get(prefix), Some(&vec![id.clone()]), "{prefix}");
    }
    // Every create was processed (the faults come after the work), each once.
    assert_eq!(listed.len(), CREATES);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconciled_creates_make_each_job_once_and_report_it() {
    let emu = lossy_emulator().await;
    let client = client_for(&emu, RetryConfig::standard());
    let options = ReconcileOptions::default()
        .with_lookups(2)
        .with_lookup_delay(Duration::from_millis(5));
    let mut reported = BTreeMap::new();
    let mut found = 0;
    for i in 0..CREATES {
        let created = client
            .create_reconciled(&create(&prefix(i)), &options)
            .await
            .unwrap_or_else(|e| panic!("create {i}: {e}"));
        assert_eq!(
            created.sends(),
            1,
            "the job was always found, never sent again"
        );
        if created.outcome() == CreateOutcome::Found {
            found += 1;
        }
        reported.insert(prefix(i), created.id().to_owned());
    }
    let stats = emu.stats();
    assert!(
        stats.dropped_after_process > 0 && stats.failed_after_process > 0 && found > 0,
        "faults exercised: {stats:?}, {found} found"
    );
    let listed = jobs_by_prefix(&client).await;
    assert_eq!(listed.len(), CREATES);
    for (prefix, id) in &reported {
        assert_eq!(listed.get(prefix), Some(&vec![id.clone()]), "{prefix}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_that_did_nothing_is_sent_again() {
    // Answers lost *before* processing (plain dropped connections): the lookup finds
    // nothing, so the create is sent again, and in the end exactly one job exists.
    let emu = hbr_emulator::start(EmulatorConfig {
        jobs: JOBS,
        faults: FaultConfig {
            drop_rate: 0.5,
            seed: 5,
            ..FaultConfig::default()
        },
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let client = client_for(&emu, RetryConfig::standard());
    let options = ReconcileOptions::default()
        .with_max_sends(20)
        .with_lookups(1);
    let mut resent = 0;
    for i in 0..10 {
        let created = client
            .create_reconciled(&create(&prefix(i)), &options)
            .await
            .unwrap_or_else(|e| panic!("create {i}: {e}"));
        resent += created.sends() - 1;
        assert_eq!(created.outcome(), CreateOutcome::Answered);
    }
    assert!(resent > 0, "some creates were sent again");
    let listed = jobs_by_prefix(&client).await;
    assert_eq!(listed.len(), 10);
    assert!(listed.values().all(|ids| ids.len() == 1), "{listed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retrying_writes_blindly_duplicates_them() {
    let emu = lossy_emulator().await;
    let client = client_for(&emu, RetryConfig::standard().with_retry_writes(true));
    for i in 0..CREATES {
        let _ = client.execute(&create(&prefix(i))).await;
    }
    let listed = jobs_by_prefix(&client).await;
    let jobs: usize = listed.values().map(Vec::len).sum();
    assert!(jobs > CREATES, "{jobs} jobs for {CREATES} creates");
}
