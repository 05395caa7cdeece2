//! `hbr call` of a write whose answer is lost (an emulator that does the work, then answers
//! 500 or closes the connection): exit status 8 and a message saying how to check, never a
//! second send; `--reconcile` finds the job instead; `--retry-writes` sends it again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;

use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, Filter};
use hbr_client::{Client, Config};
use hbr_emulator::{EmulatorConfig, FaultConfig};
use support::{emulator_thread, hbr_with, stderr, stdout, EmulatorThread, DEMO_KEY};

/// Seeded restore jobs of the emulator's data set (whose vaults and snapshots exist).
const JOBS: usize = 20;
const SEED: u64 = 4;

/// The vault and snapshot of the data set's first OSS restore: a create must name ones that
/// exist (the emulator checks the references).
fn origin() -> &'static (String, String) {
    static ORIGIN: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(|| {
        let job = hbr_emulator::seeded_restore(JOBS, SEED, "OSS")
            .expect("an OSS restore in the data set");
        (job.vault_id, job.snapshot_id)
    })
}

/// An emulator of the data set with these faults.
fn lossy_emulator(faults: FaultConfig) -> EmulatorThread {
    emulator_thread(EmulatorConfig {
        jobs: JOBS,
        seed: SEED,
        faults,
        ..EmulatorConfig::default()
    })
}

fn create_input(prefix: &str) -> String {
    serde_json::json!({
        "RestoreType": "OSS", "SourceType": "OSS", "VaultId": origin().0, "SnapshotId": origin().1,
        "TargetBucket": "b", "TargetPrefix": prefix,
    })
    .to_string()
}

/// Runs `hbr --endpoint URL call OPERATION --input INPUT EXTRA...` with the demo key.
fn call(url: &str, operation: &str, input: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--endpoint", url, "call", operation, "--input", input];
    args.extend_from_slice(extra);
    hbr_with(&args, false, &DEMO_KEY)
}

/// The jobs this test created in the vault (target prefixes `p-...`), prefix → count,
/// listed through the faults as a read.
fn jobs_by_prefix(url: &str) -> BTreeMap<String, usize> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let config = Config::builder()
            .endpoint(url)
            .static_credentials(
                hbr_emulator::DEMO_ACCESS_KEY_ID,
                hbr_emulator::DEMO_ACCESS_KEY_SECRET,
            )
            .retry(
                hbr_client::RetryConfig::standard()
                    .with_max_attempts(20)
                    .with_base_delay(std::time::Duration::from_millis(1)),
            )
            .build();
        let client = Client::new(config).unwrap();
        let request = DescribeRestoreJobs2Request::builder()
            .page_size(99)
            .filter(Filter::vault_id().equal(origin().0.as_str()))
            .build()
            .unwrap();
        let page = client.execute(&request).await.unwrap();
        let mut out = BTreeMap::new();
        for job in page.restore_jobs() {
            let prefix = job.target_prefix().unwrap_or_default();
            if prefix.starts_with("p-") {
                *out.entry(prefix.to_owned()).or_default() += 1;
            }
        }
        out
    })
}

#[test]
fn a_lost_answer_exits_8_and_is_not_sent_again() {
    let lossy = lossy_emulator(FaultConfig {
        fail_after_process_rate: 1.0,
        ..FaultConfig::default()
    });
    let url = lossy.emulator.url();
    let input = create_input("p-lost/");
    let out = call(&url, "CreateRestoreJob", &input, &[]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    let line = stderr(&out);
    assert!(
        line.starts_with(
            "error: outcome unknown: the request may have been processed: CreateRestoreJob"
        ),
        "{line}"
    );
    assert!(line.contains("InternalError (HTTP 500)"), "{line}");
    assert!(line.contains("check whether it took effect"), "{line}");
    assert!(
        line.trim_end().ends_with("; DescribeRestoreJobs2 lists the job if it was made; `hbr call CreateRestoreJob --reconcile` looks for it before sending again"),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1, "one line: {line}");
    // Sent once, processed once (then its answer replaced by the 500).
    let stats = lossy.emulator.stats();
    assert_eq!((stats.requests, stats.failed_after_process), (1, 1));

    // Opted in, the same write is sent again, and done again each time.
    let input = create_input("p-retried/");
    let out = call(&url, "CreateRestoreJob", &input, &["--retry-writes"]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("sent more than once"),
        "{}",
        stderr(&out)
    );
    let stats = lossy.emulator.stats();
    assert_eq!((stats.requests, stats.failed_after_process), (4, 4));
}

#[test]
fn reconcile_finds_the_job_a_lost_answer_made() {
    let lossy = lossy_emulator(FaultConfig {
        drop_after_process_rate: 0.2,
        fail_after_process_rate: 0.2,
        seed: 21,
        ..FaultConfig::default()
    });
    let url = lossy.emulator.url();
    let mut found = 0;
    for i in 0..8 {
        let prefix = format!("p-{i}/");
        let input = create_input(&prefix);
        let out = call(&url, "CreateRestoreJob", &input, &["--reconcile"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let answer: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert!(
            answer["RestoreId"].as_str().unwrap().starts_with("r-"),
            "{answer}"
        );
        if stderr(&out).contains("was lost") {
            found += 1;
        }
    }
    assert!(found > 0, "some answers were lost and their jobs found");
    let listed = jobs_by_prefix(&url);
    assert_eq!(listed.len(), 8, "{listed:?}");
    assert!(
        listed.values().all(|n| *n == 1),
        "no duplicates: {listed:?}"
    );

    let out = call(&url, "DescribeRestoreJobs2", "{}", &["--reconcile"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--reconcile applies to CreateRestoreJob"));
}
