//! A backup's snapshot listed and browsed with `hbr call` alone: a vault, a plan and its run
//! created, the job waited for, the plan's data source found with ListProtectedResources, its
//! snapshot with ListSnapshots, and a folder of it with BrowseFiles, page by page and with
//! `--all`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use hbr_emulator::EmulatorConfig;
use serde_json::{json, Value};
use support::{emulator_thread, hbr_with, stderr, stdout, DEMO_KEY};

/// `hbr --endpoint URL ARGS...`, which must succeed; its output as JSON.
fn hbr_json(url: &str, args: &[&str]) -> Value {
    let mut all = vec!["--endpoint", url];
    all.extend_from_slice(args);
    let out = hbr_with(&all, false, &DEMO_KEY);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null)
}

fn call(url: &str, op: &str, input: Value) -> Value {
    hbr_json(url, &["call", op, "--input", &input.to_string()])
}

#[test]
fn a_snapshot_is_listed_and_browsed_with_hbr_call() {
    let emu = emulator_thread(EmulatorConfig {
        jobs: 10,
        job_duration: Duration::from_millis(800),
        ..EmulatorConfig::default()
    });
    let url = emu.emulator.url();
    let vault = call(
        &url,
        "CreateVault",
        json!({"VaultRegionId": "cn-hangzhou", "VaultName": "cli-files"}),
    );
    let vault_id = vault["VaultId"].as_str().unwrap().to_owned();
    let plan = call(
        &url,
        "CreateBackupPlan",
        json!({
            "VaultId": vault_id, "SourceType": "ECS_FILE", "PlanName": "data", "BackupType": "COMPLETE",
            "Schedule": "I|1800000000|P1D", "InstanceId": "i-cli-files", "Path": ["/data", "/var/log"]
        }),
    );
    let plan_id = plan["PlanId"].as_str().unwrap().to_owned();
    let job = call(&url, "ExecuteBackupPlan", json!({"PlanId": plan_id}));
    let job_id = job["JobId"].as_str().unwrap().to_owned();
    let out = hbr_with(
        &[
            "--endpoint",
            &url,
            "backup-jobs",
            "wait",
            &job_id,
            "--timeout",
            "60",
        ],
        false,
        &DEMO_KEY,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let resources = call(
        &url,
        "ListProtectedResources",
        json!({"SourceType": "ECS_FILE", "ResourceId": "i-cli-files"}),
    );
    let resource_id = resources["ProtectedResources"][0]["ProtectedResourceId"].clone();
    let snapshots = call(
        &url,
        "ListSnapshots",
        json!({"SourceType": "ECS_FILE", "ProtectedResourceId": resource_id}),
    );
    let snapshot = &snapshots["Snapshots"][0];
    assert_eq!(
        (&snapshot["JobId"], &snapshot["PlanId"]),
        (&json!(job_id), &json!(plan_id))
    );
    assert_eq!(snapshot["Paths"], json!(["/data", "/var/log"]));

    let folder = |path: &str| json!({"VaultId": vault_id, "SnapshotHash": snapshot["SnapshotHash"], "AbsolutePath": path});
    let top = call(&url, "BrowseFiles", folder("/"));
    let names: Vec<&str> = top["Nodes"]["Node"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["Name"].as_str())
        .collect();
    assert_eq!(names, ["data", "var"]);
    // One page, then every page with --all: the same entries, each once.
    let first = call(&url, "BrowseFiles", folder("/data"));
    let total = first["TotalCount"].as_u64().unwrap();
    let all = hbr_json(
        &url,
        &[
            "call",
            "BrowseFiles",
            "--input",
            &folder("/data").to_string(),
            "--all",
        ],
    );
    let entries = all.as_array().unwrap();
    assert_eq!(entries.len() as u64, total);
    assert_eq!(entries[0], first["Nodes"]["Node"][0]);
    let mut seen: Vec<&str> = entries.iter().filter_map(|n| n["Name"].as_str()).collect();
    seen.dedup();
    assert_eq!(seen.len() as u64, total);
}
