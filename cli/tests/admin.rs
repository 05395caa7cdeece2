//! The backup admin's commands against the emulator: a whole day from `hbr` alone (a vault,
//! a plan, a backup, waiting for it, its snapshot, a restore with --wait), `vaults list`,
//! `backup-jobs list`, `snapshots list`, `restore-jobs create|cancel`, and the friendly
//! flags' values: a typo of a documented value refused (exit 2, nothing sent), any other
//! value sent with one warning. What is expected is read with the typed client.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, Filter};
use hbr_client::describe_vaults::DescribeVaultsRequest;
use hbr_client::search_historical_snapshots::SearchHistoricalSnapshotsRequest;
use hbr_client::{Client, Config};
use serde_json::Value;
use support::{emulator_thread, hbr, hbr_with, received_with, server, stderr, stdout, DEMO_KEY};

/// Nothing listens here: exit 2 rather than 3 shows a command was refused before sending.
const NOWHERE: &str = "http://127.0.0.1:1";

fn client(url: &str) -> Client {
    Client::new(
        Config::builder()
            .endpoint(url)
            .static_credentials(
                hbr_emulator::DEMO_ACCESS_KEY_ID,
                hbr_emulator::DEMO_ACCESS_KEY_SECRET,
            )
            .build(),
    )
    .unwrap()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Runtime::new().unwrap().block_on(f)
}

/// `hbr --endpoint URL ARGS` with the emulator's demo key.
fn run(url: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--endpoint", url];
    all.extend_from_slice(args);
    hbr_with(&all, false, &DEMO_KEY)
}

/// stdout of a command that must succeed, trimmed; a JSON string's quotes removed.
fn ok(url: &str, args: &[&str]) -> String {
    let out = run(url, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out).trim().trim_matches('"').to_owned()
}

fn short_jobs() -> support::EmulatorThread {
    emulator_thread(hbr_emulator::EmulatorConfig {
        job_duration: Duration::from_millis(300),
        cancel_duration: Duration::from_secs(30),
        ..hbr_emulator::EmulatorConfig::default()
    })
}

/// A vault, a plan and a completed backup made with `hbr call` flags: (vault, job).
fn backed_up(url: &str) -> (String, String) {
    let vault = ok(
        url,
        &[
            "call",
            "CreateVault",
            "--VaultRegionId",
            "cn-hangzhou",
            "--VaultName",
            "daily",
            "--query",
            "VaultId",
        ],
    );
    assert!(vault.starts_with("v-"), "{vault}");
    let plan = ok(
        url,
        &[
            "call",
            "CreateBackupPlan",
            "--VaultId",
            &vault,
            "--SourceType",
            "ECS_FILE",
            "--PlanName",
            "nightly",
            "--BackupType",
            "COMPLETE",
            "--Schedule",
            "I|1602673264|P1D",
            "--InstanceId",
            "i-0001",
            "--Path.1",
            "/home",
            "--query",
            "PlanId",
        ],
    );
    let job = ok(
        url,
        &[
            "call",
            "ExecuteBackupPlan",
            "--PlanId",
            &plan,
            "--VaultId",
            &vault,
            "--SourceType",
            "ECS_FILE",
            "--query",
            "JobId",
        ],
    );
    assert!(!job.is_empty() && job != "null", "{job}");
    let waited = ok(url, &["backup-jobs", "wait", &job, "--timeout", "60"]);
    assert_eq!(waited, format!("{job} COMPLETE"));
    (vault, job)
}

/// `backup-jobs list` shows the day's job, in JSON and as a table with restore-jobs' columns.
fn listed_backup(url: &str, vault: &str, job: &str) {
    let url = url.to_owned();
    let (vault, job) = (vault.to_owned(), job.to_owned());
    // Its backup job is listed, in the vault and as complete.
    let jobs = ok(
        &url,
        &[
            "backup-jobs",
            "list",
            "--vault-id",
            &vault,
            "--output",
            "json",
        ],
    );
    let jobs: Value = serde_json::from_str(&jobs).unwrap();
    assert_eq!(jobs.as_array().map(Vec::len), Some(1), "{jobs}");
    assert_eq!(jobs[0]["JobId"], job.as_str());
    assert_eq!(jobs[0]["Status"], "COMPLETE");
    let table = ok(
        &url,
        &[
            "backup-jobs",
            "list",
            "--vault-id",
            &vault,
            "--status",
            "complete",
        ],
    );
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("JOB ID"), "{table}");
    for column in [
        "STATUS",
        "PROGRESS",
        "DONE/TOTAL",
        "CREATED",
        "COMPLETED",
        "VAULT",
    ] {
        assert!(lines[0].contains(column), "{table}");
    }
    assert!(
        lines[1].starts_with(&job) && lines[1].contains("COMPLETE") && lines[1].contains(&vault),
        "{table}"
    );
    assert_eq!(lines[2], "1 backup job shown (TotalCount 1)");
    let failed = ok(
        &url,
        &[
            "backup-jobs",
            "list",
            "--vault-id",
            &vault,
            "--status",
            "FAILED",
        ],
    );
    assert_eq!(failed, "no backup jobs (TotalCount 0)");
}

/// `snapshots list` shows the snapshot the day's job left; its ID.
fn listed_snapshot(url: &str, vault: &str, job: &str) -> String {
    let url = url.to_owned();
    let (vault, job) = (vault.to_owned(), job.to_owned());
    // The snapshot it left.
    let snapshots = ok(
        &url,
        &[
            "snapshots",
            "list",
            "--vault-id",
            &vault,
            "--output",
            "json",
        ],
    );
    let snapshots: Value = serde_json::from_str(&snapshots).unwrap();
    assert_eq!(snapshots.as_array().map(Vec::len), Some(1), "{snapshots}");
    assert_eq!(snapshots[0]["JobId"], job.as_str());
    let snapshot = snapshots[0]["SnapshotId"].as_str().unwrap().to_owned();
    let table = ok(
        &url,
        &[
            "snapshots",
            "list",
            "--vault-id",
            &vault,
            "--source-type",
            "ecs_file",
        ],
    );
    assert!(
        table.lines().nth(1).unwrap().starts_with(&snapshot),
        "{table}"
    );
    assert!(table.contains("i-0001") && table.contains(&job), "{table}");

    snapshot
}

#[test]
fn a_whole_day_from_hbr_alone() {
    let emu = short_jobs();
    let url = emu.emulator.url();
    let (vault, job) = backed_up(&url);

    listed_backup(&url, &vault, &job);
    let snapshot = listed_snapshot(&url, &vault, &job);

    // What it holds: found by its ID alone.
    let out = run(&url, &["snapshots", "browse", &snapshot]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Restore from it, waiting until the job is complete.
    let out = run(
        &url,
        &[
            "restore-jobs",
            "create",
            "--snapshot-id",
            &snapshot,
            "--vault-id",
            &vault,
            "--type",
            "ECS_FILE",
            "--target-instance-id",
            "i-0002",
            "--target-path",
            "/restore",
            "--wait",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let restore_id = lines[0];
    assert!(restore_id.starts_with("r-"), "{text}");
    assert_eq!(lines[1], format!("{restore_id} COMPLETE"));
    // The service has it, from the snapshot, complete.
    let request = DescribeRestoreJobs2Request::builder()
        .filter(Filter::job_id().equal(restore_id))
        .filter(Filter::vault_id().equal(vault.as_str()))
        .build()
        .unwrap();
    let page = block_on(client(&url).execute(&request)).unwrap();
    let made = &page.restore_jobs()[0];
    assert_eq!(made.snapshot_id(), Some(snapshot.as_str()));
    assert_eq!(made.status().map(|s| s.as_str()), Some("COMPLETE"));
    assert_eq!(made.target_instance_id(), Some("i-0002"));
}

#[test]
fn restore_create_json_cancel_and_refusals() {
    let emu = emulator_thread(hbr_emulator::EmulatorConfig {
        job_duration: Duration::from_millis(200),
        cancel_duration: Duration::from_secs(60),
        ..hbr_emulator::EmulatorConfig::default()
    });
    let url = emu.emulator.url();
    let (vault, _) = backed_up(&url);
    let snapshot = ok(
        &url,
        &[
            "snapshots",
            "list",
            "--vault-id",
            &vault,
            "--output",
            "cols=SnapshotId",
        ],
    );
    let snapshot = snapshot.lines().nth(2).unwrap().trim().to_owned();
    // JSON output gives the answer, RestoreId included.
    let out = run(
        &url,
        &[
            "--output",
            "json",
            "restore-jobs",
            "create",
            "--snapshot-id",
            &snapshot,
            "--vault-id",
            &vault,
            "--type",
            "ecs_file",
            "--target-instance-id",
            "i-0001",
            "--target-path",
            "/r",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        body["RestoreId"]
            .as_str()
            .is_some_and(|id| id.starts_with("r-")),
        "{body}"
    );

    // Refused before anything is sent.
    let refusals: [(&[&str], &str); 4] = [
        (&["--type", "ECS_FILE", "--target-bucket", "b"], "--target-bucket: invalid parameter TargetBucket: applies only when `RestoreType` is `OSS`"),
        (&["--type", "OSS", "--target-path", "/x"], "--target-path: invalid parameter TargetPath: applies only when `RestoreType` is `ECS_FILE`"),
        (&["--type", "ECS_FLIE"], "--type: \"ECS_FLIE\" is not a documented value; did you mean ECS_FILE?"),
        (&["--type", "OSS", "--target-instance-id", "i-1"], "--target-instance-id: invalid parameter TargetInstanceId"),
    ];
    for (extra, needle) in refusals {
        let mut args = vec![
            "restore-jobs",
            "create",
            "--snapshot-id",
            "s-1",
            "--vault-id",
            "v-1",
        ];
        args.extend_from_slice(extra);
        let out = run(NOWHERE, &args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{extra:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1);
    }
    // A snapshot that is not in the vault.
    let out = run(
        &url,
        &[
            "restore-jobs",
            "create",
            "--snapshot-id",
            "s-nope",
            "--vault-id",
            &vault,
            "--type",
            "ECS_FILE",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("snapshot s-nope not found in vault {vault}")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn cancel_a_running_restore() {
    // Seeded vaults and snapshots; jobs that run long enough to be cancelled.
    let emu = emulator_thread(hbr_emulator::EmulatorConfig {
        jobs: 20,
        seed: 4,
        job_duration: Duration::from_secs(600),
        cancel_duration: Duration::from_secs(600),
        ..hbr_emulator::EmulatorConfig::default()
    });
    let url = emu.emulator.url();
    let origin = hbr_emulator::seeded_restore(20, 4, "OSS").unwrap();
    let restore_id = ok(
        &url,
        &[
            "restore-jobs",
            "create",
            "--snapshot-id",
            &origin.snapshot_id,
            "--vault-id",
            &origin.vault_id,
            "--type",
            "OSS",
            "--target-bucket",
            "b",
            "--target-prefix",
            "p/",
        ],
    );
    assert!(restore_id.starts_with("r-"), "{restore_id}");
    let out = run(
        &url,
        &[
            "restore-jobs",
            "cancel",
            &restore_id,
            "--vault-id",
            &origin.vault_id,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{restore_id} cancel requested\n"));
    let request = DescribeRestoreJobs2Request::builder()
        .filter(Filter::job_id().equal(restore_id.as_str()))
        .build()
        .unwrap();
    let page = block_on(client(&url).execute(&request)).unwrap();
    let status = page.restore_jobs()[0]
        .status()
        .map(|s| s.as_str().to_owned());
    assert!(
        matches!(status.as_deref(), Some("CANCELING" | "CANCELED")),
        "{status:?}"
    );
    // An unknown job is the service's error: exit 1, one line.
    let out = run(
        &url,
        &[
            "restore-jobs",
            "cancel",
            "r-nope",
            "--vault-id",
            &origin.vault_id,
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("error: InvalidRestoreId.NotFound"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn vaults_list_as_table_json_and_every_page() {
    let emu = emulator_thread(hbr_emulator::EmulatorConfig {
        jobs: 1_000,
        ..hbr_emulator::EmulatorConfig::default()
    });
    let url = emu.emulator.url();
    let request = DescribeVaultsRequest::builder()
        .page_size(100)
        .build()
        .unwrap();
    let page = block_on(client(&url).execute(&request)).unwrap();
    let all: Vec<String> = page
        .vaults()
        .iter()
        .filter_map(|v| v.vault_id())
        .map(str::to_owned)
        .collect();
    let total = page.total_count().unwrap();
    assert!(all.len() > 10, "a data set of several pages");

    let table = ok(&url, &["vaults", "list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("VAULT ID")
            && lines[0].contains("TYPE")
            && lines[0].contains("STATUS"),
        "{table}"
    );
    let shown: Vec<&str> = lines[1..lines.len() - 1]
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        shown,
        all[..10].iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(
        lines[lines.len() - 1],
        format!("10 vaults shown (TotalCount {total})")
    );

    let json = ok(&url, &["vaults", "list", "--all", "--output", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let ids: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["VaultId"].as_str())
        .collect();
    assert_eq!(ids, all.iter().map(String::as_str).collect::<Vec<_>>());

    let cols = ok(
        &url,
        &["vaults", "list", "--output", "cols=VaultId,VaultType"],
    );
    assert!(cols.starts_with("VaultId"), "{cols}");
    assert_eq!(cols.lines().count(), 12, "{cols}");
}

#[test]
fn friendly_typos_are_refused_before_sending() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["restore-jobs", "list", "--status", "FAILD"],
            "--status: \"FAILD\" is not a documented value; did you mean FAILED?",
        ),
        (
            &["restore-jobs", "list", "--restore-type", "OSX"],
            "--restore-type: \"OSX\" is not a documented value; did you mean OSS?",
        ),
        (
            &["backup-jobs", "list", "--status", "COMPLETD"],
            "did you mean COMPLETE?",
        ),
        (
            &["backup-jobs", "list", "--source-type", "ECS_FLIE"],
            "--source-type: \"ECS_FLIE\" is not a documented value; did you mean ECS_FILE?",
        ),
        (
            &[
                "snapshots",
                "list",
                "--vault-id",
                "v-1",
                "--source-type",
                "NAAS",
            ],
            "did you mean NAS?",
        ),
        (
            &[
                "restore-jobs",
                "create",
                "--snapshot-id",
                "s",
                "--vault-id",
                "v",
                "--type",
                "ECS_FLIE",
            ],
            "did you mean ECS_FILE?",
        ),
    ];
    for (args, needle) in cases {
        let mut all = vec!["--endpoint", NOWHERE];
        all.extend_from_slice(args);
        let out = hbr(&all, true);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("error: ") && err.contains(needle),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn other_values_are_sent_with_one_warning() {
    let url = &server().url;
    let out = hbr(
        &[
            "--endpoint",
            url,
            "restore-jobs",
            "list",
            "--status",
            "ARCHIVED",
            "--restore-type",
            "disk",
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with("warning: --status: \"ARCHIVED\" is not among the documented values (COMPLETE, PARTIAL_COMPLETE, FAILED); it is sent as given"), "{err}");
    assert!(
        lines[1].starts_with(
            "warning: --restore-type: \"disk\" is not among the documented values (ECS_FILE, "
        ),
        "{err}"
    );
    assert!(received_with(&[
        ("Filters.1.Key", "Status"),
        ("Filters.1.Values.1", "ARCHIVED"),
        ("RestoreType", "disk")
    ]));
    assert_eq!(stdout(&out), "no restore jobs (TotalCount 0)\n");
}

#[test]
fn browse_finds_the_snapshot_and_lists_one_folder() {
    let emu = short_jobs();
    let url = emu.emulator.url();
    let (vault, job) = backed_up(&url);
    // The snapshot's facts, read with the typed client.
    let request = SearchHistoricalSnapshotsRequest::builder()
        .query(vec![
            serde_json::json!({"field": "VaultId", "value": vault, "operation": "MATCH_TERM"}),
        ])
        .build()
        .unwrap();
    let page = block_on(client(&url).execute(&request)).unwrap();
    let snapshot = page
        .snapshots()
        .iter()
        .find(|s| s.job_id() == Some(job.as_str()))
        .unwrap();
    let id = snapshot.snapshot_id().unwrap().to_owned();
    let hash = snapshot.snapshot_hash().unwrap().to_owned();
    assert!(!hash.is_empty());

    let recorder = support::proxy::proxy(emu.emulator.addr(), "");
    // Without --vault-id, every vault is looked in.
    for args in [
        vec!["snapshots", "browse", id.as_str(), "/home"],
        vec![
            "snapshots",
            "browse",
            id.as_str(),
            "/home",
            "--vault-id",
            vault.as_str(),
            "--all",
        ],
    ] {
        let out = run(&recorder.url, &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(
            text.starts_with("NAME") || text.starts_with("no entries"),
            "{text}"
        );
        let seen = recorder.seen.lock().unwrap().clone();
        let browse = seen
            .iter()
            .rev()
            .find(|r| r.contains("BrowseFiles"))
            .unwrap();
        for (name, value) in [
            ("VaultId", vault.as_str()),
            ("SnapshotHash", hash.as_str()),
            ("AbsolutePath", "%2Fhome"),
        ] {
            assert!(
                browse.contains(&format!("{name}={value}")),
                "{name}: {browse}"
            );
        }
    }
    let out = run(
        &url,
        &[
            "snapshots",
            "browse",
            &id,
            "--output",
            "json",
            "--vault-id",
            &vault,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(serde_json::from_str::<Value>(&stdout(&out))
        .unwrap()
        .is_array());
    // Mistakes: a relative path (nothing sent), a snapshot that is not there.
    let out = run(NOWHERE, &["snapshots", "browse", &id, "home"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("PATH \"home\" must be an absolute path"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &url,
        &["snapshots", "browse", "s-nope", "--vault-id", &vault],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("snapshot s-nope not found in vault {vault}")),
        "{}",
        stderr(&out)
    );
}
