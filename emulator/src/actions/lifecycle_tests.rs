//! The backup lifecycle through dispatch, each request encoded by the generated client from
//! an API-shaped input, each answer checked against the typed response of its operation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use serde_json::{json, Value};

use crate::config::EmulatorConfig;
use crate::dispatch::{dispatch, Request};
use crate::error::ApiError;
use crate::params::Params;
use crate::store::Store;

pub(super) const T0: i64 = 1_800_000_000_000;

fn config(jobs: usize) -> EmulatorConfig {
    EmulatorConfig {
        jobs,
        seed: 3,
        job_duration: Duration::from_secs(10),
        cancel_duration: Duration::from_secs(2),
        ..EmulatorConfig::default()
    }
}

pub(super) fn store(jobs: usize) -> Store {
    crate::running::new_store(&config(jobs)).unwrap()
}

/// The answer parsed, after checking that the operation's typed response reads every field
/// of it with its type: parsed and written back, it is the same JSON.
#[track_caller]
fn schema_exact(action: &str, body: &[u8]) -> Value {
    let op = hbr_client::registry::find(action).unwrap();
    let sent: Value = serde_json::from_slice(body).unwrap();
    let read = (op.decode)(body).unwrap();
    assert_eq!(
        read, sent,
        "{action}: the typed response reads the answer differently"
    );
    sent
}

/// Calls `action` with the API-shaped `input` at `now`, encoded as the client encodes it.
pub(super) fn call(store: &Store, action: &str, input: Value, now: i64) -> Result<Value, ApiError> {
    let op = hbr_client::registry::find(action).unwrap();
    let wire = (op.encode)(input).unwrap();
    let query_count = wire.query.len();
    let mut params = wire.query;
    params.extend(wire.body);
    let body = dispatch(
        store,
        &Request {
            action: Some(action),
            version: Some(crate::API_VERSION),
            params: Params(&params),
            query_count,
            check_places: true,
            request_id: "RID",
            now_ms: now,
        },
    )?;
    Ok(schema_exact(action, &body))
}

#[track_caller]
pub(super) fn ok(r: Result<Value, ApiError>) -> Value {
    r.unwrap_or_else(|e| panic!("{e}"))
}

#[track_caller]
pub(super) fn refused(r: Result<Value, ApiError>, status: u16, code: &str) -> ApiError {
    let e = r.unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (status, code), "{e}");
    e
}

#[test]
fn a_vault_is_created_listed_updated_and_deleted() {
    let s = store(40);
    let seeded = ok(call(&s, "DescribeVaults", json!({"PageSize": 100}), T0));
    let before = seeded["TotalCount"].as_u64().unwrap();
    assert!(before >= 3, "the world's vaults are listed: {seeded}");
    let created = ok(call(
        &s,
        "CreateVault",
        json!({"VaultRegionId": "cn-shanghai", "VaultName": "nightly", "VaultStorageClass": "ARCHIVE"}),
        T0,
    ));
    let id = created["VaultId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("v-000"), "{created}");
    let task = ok(call(
        &s,
        "DescribeTask",
        json!({"TaskId": created["TaskId"]}),
        T0,
    ));
    assert_eq!(
        (task["Progress"].as_i64(), task["Result"].as_str()),
        (Some(100), Some(id.as_str()))
    );
    let one = ok(call(
        &s,
        "DescribeVaults",
        json!({"VaultId": id}),
        T0 + 1_000,
    ));
    assert_eq!(one["TotalCount"], 1);
    let vault = &one["Vaults"]["Vault"][0];
    assert_eq!(
        (
            &vault["VaultName"],
            &vault["VaultRegionId"],
            &vault["VaultStorageClass"],
            &vault["VaultType"]
        ),
        (
            &json!("nightly"),
            &json!("cn-shanghai"),
            &json!("ARCHIVE"),
            &json!("STANDARD")
        )
    );
    // Filters and paging apply to created vaults too.
    let shanghai = ok(call(
        &s,
        "DescribeVaults",
        json!({"VaultRegionId": "cn-shanghai", "PageSize": 100}),
        T0,
    ));
    assert!(shanghai["Vaults"]["Vault"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["VaultRegionId"] == "cn-shanghai"));
    let first = ok(call(&s, "DescribeVaults", json!({"PageSize": 1}), T0));
    assert_eq!(
        first["Vaults"]["Vault"][0]["VaultId"],
        id.as_str(),
        "newest first"
    );
    assert_eq!(first["TotalCount"].as_u64(), Some(before + 1));
    ok(call(
        &s,
        "UpdateVault",
        json!({"VaultId": id, "VaultName": "weekly"}),
        T0 + 2_000,
    ));
    let one = ok(call(&s, "DescribeVaults", json!({"VaultId": id}), T0));
    assert_eq!(one["Vaults"]["Vault"][0]["VaultName"], "weekly");
    assert_eq!(
        one["Vaults"]["Vault"][0]["UpdatedTime"],
        (T0 + 2_000) / 1000
    );
    ok(call(&s, "DeleteVault", json!({"VaultId": id}), T0));
    assert_eq!(
        ok(call(&s, "DescribeVaults", json!({"VaultId": id}), T0))["TotalCount"],
        0
    );
    let e = refused(
        call(&s, "DeleteVault", json!({"VaultId": id}), T0),
        404,
        "InvalidVaultId.NotFound",
    );
    assert_eq!(e.parameter.as_deref(), Some("VaultId"));
    refused(
        call(&s, "UpdateVault", json!({"VaultId": "v-nope"}), T0),
        404,
        "InvalidVaultId.NotFound",
    );
    refused(
        call(&s, "DeleteVault", json!({}), T0),
        400,
        "MissingParameter",
    );
}

/// A vault, an ECS_FILE plan in it, and the plan's ID.
pub(super) fn vault_and_plan(s: &Store) -> (String, String) {
    let vault = ok(call(
        s,
        "CreateVault",
        json!({"VaultRegionId": "cn-hangzhou", "VaultName": "files"}),
        T0,
    ));
    let vault_id = vault["VaultId"].as_str().unwrap().to_owned();
    let plan = ok(call(
        s,
        "CreateBackupPlan",
        json!({
            "VaultId": vault_id, "SourceType": "ECS_FILE", "PlanName": "home", "BackupType": "COMPLETE",
            "Schedule": "I|1800000000|P1D", "Retention": 7, "InstanceId": "i-bp1src",
            "Path": ["/home", "/etc"], "Rule": [{"RuleName": "daily", "BackupType": "INCREMENTAL"}]
        }),
        T0,
    ));
    (vault_id, plan["PlanId"].as_str().unwrap().to_owned())
}

/// The job `job_id` of the plan `plan_id`, started at T0 by the plan's INCREMENTAL rule:
/// CREATED, then RUNNING with progress, then COMPLETE at 10 s.
fn job_runs_on_the_clock(s: &Store, job_id: &str, plan_id: &str) {
    let job_at = |ms: i64| {
        let page = ok(call(
            s,
            "DescribeBackupJobs2",
            json!({"SourceType": "ECS_FILE", "Filters": [{"Key": "JobId", "Operator": "EQUAL", "Values": [job_id]}]}),
            T0 + ms,
        ));
        assert_eq!(page["TotalCount"], 1, "{page}");
        page["BackupJobs"]["BackupJob"][0].clone()
    };
    assert_eq!(job_at(0)["Status"], "CREATED");
    assert_eq!(
        job_at(0)["BackupType"],
        "INCREMENTAL",
        "the rule's backup type"
    );
    let running = job_at(5_000);
    assert_eq!(running["Status"], "RUNNING");
    assert!(
        (1..10_000).contains(&running["Progress"].as_i64().unwrap()),
        "{running}"
    );
    let done = job_at(10_000);
    assert_eq!(
        (done["Status"].as_str(), done["Progress"].as_i64()),
        (Some("COMPLETE"), Some(10_000))
    );
    assert_eq!(done["PlanId"], plan_id);
}

#[test]
fn a_plan_runs_a_job_whose_snapshot_restores() {
    let s = store(40);
    let (vault_id, plan_id) = vault_and_plan(&s);
    let plans = ok(call(
        &s,
        "DescribeBackupPlans",
        json!({"Filters": [{"Key": "vaultId", "Values": [vault_id]}]}),
        T0,
    ));
    assert_eq!(plans["TotalCount"], 1);
    let plan = &plans["BackupPlans"]["BackupPlan"][0];
    assert_eq!(plan["Paths"]["Path"], json!(["/home", "/etc"]));
    let rule_id = plan["Rules"]["Rule"][0]["RuleId"]
        .as_str()
        .unwrap()
        .to_owned();
    // A disabled plan does not run.
    ok(call(
        &s,
        "DisableBackupPlan",
        json!({"PlanId": plan_id}),
        T0,
    ));
    refused(
        call(&s, "ExecuteBackupPlan", json!({"PlanId": plan_id}), T0),
        400,
        "IncorrectPlanStatus",
    );
    ok(call(&s, "EnableBackupPlan", json!({"PlanId": plan_id}), T0));
    let job_id = ok(call(
        &s,
        "ExecuteBackupPlan",
        json!({"PlanId": plan_id, "RuleId": rule_id}),
        T0,
    ))["JobId"]
        .as_str()
        .unwrap()
        .to_owned();
    job_runs_on_the_clock(&s, &job_id, &plan_id);
    // No snapshot before it completes; then one, which a restore reads.
    let search = |ms: i64| {
        ok(call(
            &s,
            "SearchHistoricalSnapshots",
            json!({"SourceType": "ECS_FILE", "Query": [{"field": "VaultId", "value": vault_id, "operation": "MATCH_TERM"}]}),
            T0 + ms,
        ))
    };
    assert_eq!(search(5_000)["TotalCount"], 0);
    let found = search(10_000);
    assert_eq!(found["TotalCount"], 1, "{found}");
    let snapshot = found["Snapshots"]["Snapshot"][0].clone();
    assert_eq!(
        (&snapshot["JobId"], &snapshot["InstanceId"]),
        (&json!(job_id), &json!("i-bp1src"))
    );
    assert_eq!(snapshot["Retention"], 7);
    let restore = json!({
        "RestoreType": "ECS_FILE", "SourceType": "ECS_FILE", "VaultId": vault_id,
        "SnapshotId": snapshot["SnapshotId"], "TargetInstanceId": "i-bp1dst", "TargetPath": "/restore"
    });
    let restore_id =
        ok(call(&s, "CreateRestoreJob", restore.clone(), T0 + 11_000))["RestoreId"].clone();
    let listed = ok(call(
        &s,
        "DescribeRestoreJobs2",
        json!({"Filters": [{"Key": "PlanId", "Values": [plan_id]}]}),
        T0 + 11_000,
    ));
    assert_eq!(
        listed["RestoreJobs"]["RestoreJob"][0]["RestoreId"],
        restore_id
    );
    // A deleted snapshot is gone, and cannot be restored.
    ok(call(
        &s,
        "DeleteSnapshot",
        json!({"SnapshotId": snapshot["SnapshotId"], "VaultId": vault_id}),
        T0 + 12_000,
    ));
    assert_eq!(search(13_000)["TotalCount"], 0);
    refused(
        call(&s, "CreateRestoreJob", restore, T0 + 13_000),
        404,
        "InvalidSnapshotId.NotFound",
    );
    // The vault holds the plan until the plan is deleted.
    refused(
        call(&s, "DeleteVault", json!({"VaultId": vault_id}), T0),
        400,
        "DependencyViolation.BackupPlan",
    );
    ok(call(
        &s,
        "DeleteBackupPlan",
        json!({"PlanId": plan_id, "RequireNoRunningJobs": true}),
        T0 + 20_000,
    ));
    ok(call(
        &s,
        "DeleteVault",
        json!({"VaultId": vault_id}),
        T0 + 20_000,
    ));
}

#[test]
fn plans_and_jobs_check_their_references_and_states() {
    let s = store(40);
    let plan = json!({"SourceType": "OSS", "PlanName": "b", "BackupType": "COMPLETE", "Schedule": "I|1|P1D", "Bucket": "bk"});
    let e = refused(
        call(&s, "CreateBackupPlan", plan.clone(), T0),
        400,
        "MissingParameter",
    );
    assert_eq!(e.parameter.as_deref(), Some("VaultId"));
    let mut elsewhere = plan.clone();
    elsewhere["VaultId"] = json!("v-nope");
    refused(
        call(&s, "CreateBackupPlan", elsewhere, T0),
        404,
        "InvalidVaultId.NotFound",
    );
    let (vault_id, plan_id) = vault_and_plan(&s);
    let mut same_name = json!({"VaultId": vault_id, "SourceType": "ECS_FILE", "PlanName": "home", "BackupType": "COMPLETE", "Schedule": "I|1|P1D", "InstanceId": "i-2"});
    let e = refused(
        call(&s, "CreateBackupPlan", same_name.clone(), T0),
        400,
        "InvalidParameter",
    );
    assert_eq!(e.parameter.as_deref(), Some("PlanName"));
    same_name["InstanceId"] = json!(null);
    same_name["PlanName"] = json!("other");
    let e = refused(
        call(&s, "CreateBackupPlan", same_name, T0),
        400,
        "MissingParameter",
    );
    assert_eq!(e.parameter.as_deref(), Some("InstanceId"));
    refused(
        call(&s, "ExecuteBackupPlan", json!({"PlanId": "po-nope"}), T0),
        404,
        "InvalidPlanId.NotFound",
    );
    refused(
        call(
            &s,
            "ExecuteBackupPlan",
            json!({"PlanId": plan_id, "RuleId": "rule-nope"}),
            T0,
        ),
        404,
        "InvalidRuleId.NotFound",
    );
    // A running job is cancelled; an ended one is not; a plan with a running job is kept
    // when asked.
    let job = ok(call(
        &s,
        "ExecuteBackupPlan",
        json!({"PlanId": plan_id}),
        T0,
    ))["JobId"]
        .clone();
    refused(
        call(
            &s,
            "DeleteBackupPlan",
            json!({"PlanId": plan_id, "RequireNoRunningJobs": true}),
            T0 + 1_000,
        ),
        400,
        "DependencyViolation.RunningBackupJob",
    );
    ok(call(
        &s,
        "CancelBackupJob",
        json!({"JobId": job}),
        T0 + 4_000,
    ));
    let listed = ok(call(
        &s,
        "DescribeBackupJobs2",
        json!({"Filters": [{"Key": "Status", "Values": ["CANCELED"]}]}),
        T0 + 7_000,
    ));
    assert_eq!(listed["BackupJobs"]["BackupJob"][0]["JobId"], job);
    refused(
        call(&s, "CancelBackupJob", json!({"JobId": job}), T0 + 7_000),
        400,
        "IncorrectBackupJobStatus",
    );
    refused(
        call(&s, "CancelBackupJob", json!({"JobId": "job-nope"}), T0),
        404,
        "InvalidJobId.NotFound",
    );
    // A cancelled job leaves no snapshot.
    let search = json!({"Query": [{"field": "VaultId", "value": vault_id}]});
    assert_eq!(
        ok(call(&s, "SearchHistoricalSnapshots", search, T0 + 60_000))["TotalCount"],
        0
    );
    // CreateBackupJob: a whole-instance job needs its instance, not a vault.
    refused(
        call(&s, "CreateBackupJob", json!({"SourceType": "UDM_ECS"}), T0),
        400,
        "MissingParameter",
    );
    ok(call(
        &s,
        "CreateBackupJob",
        json!({"SourceType": "UDM_ECS", "InstanceId": "i-1"}),
        T0,
    ));
    refused(
        call(
            &s,
            "CreateBackupJob",
            json!({"SourceType": "ECS_FILE", "VaultId": "v-nope", "InstanceId": "i-1"}),
            T0,
        ),
        404,
        "InvalidVaultId.NotFound",
    );
}

/// The policy `policy_id`, bound to `i-udm1` (UDM_ECS): its binding disabled, then the policy
/// refused deletion while bound, unbound and deleted.
fn disable_unbind_and_delete(s: &Store, policy_id: &Value) {
    ok(call(
        s,
        "UpdatePolicyBinding",
        json!({"PolicyId": policy_id, "DataSourceId": "i-udm1", "SourceType": "UDM_ECS", "Disabled": true}),
        T0,
    ));
    assert_eq!(
        ok(call(
            s,
            "DescribePolicyBindings",
            json!({"PolicyId": policy_id}),
            T0
        ))["PolicyBindings"][0]["Disabled"],
        true
    );
    refused(
        call(s, "DeletePolicyV2", json!({"PolicyId": policy_id}), T0),
        400,
        "DependencyViolation.PolicyBinding",
    );
    refused(
        call(
            s,
            "DeletePolicyBinding",
            json!({"PolicyId": policy_id, "DataSourceIds": ["i-other"]}),
            T0,
        ),
        404,
        "InvalidDataSourceId.NotFound",
    );
    ok(call(
        s,
        "DeletePolicyBinding",
        json!({"PolicyId": policy_id, "DataSourceIds": ["i-udm1"]}),
        T0,
    ));
    ok(call(
        s,
        "DeletePolicyV2",
        json!({"PolicyId": policy_id}),
        T0,
    ));
    assert_eq!(
        ok(call(s, "DescribePoliciesV2", json!({}), T0))["TotalCount"],
        0
    );
}

#[test]
fn policies_bind_data_sources_and_run_their_backup_rules() {
    let s = store(20);
    let rules = json!([
        {"RuleType": "BACKUP", "BackupType": "COMPLETE", "Schedule": "I|1800000000|P1D", "Retention": 3},
        {"RuleType": "TRANSITION", "Retention": 30}
    ]);
    let policy_id = ok(call(
        &s,
        "CreatePolicyV2",
        json!({"PolicyName": "gold", "Rules": rules}),
        T0,
    ))["PolicyId"]
        .clone();
    let policies = ok(call(
        &s,
        "DescribePoliciesV2",
        json!({"PolicyId": policy_id}),
        T0,
    ));
    let rules = policies["Policies"][0]["Rules"].as_array().unwrap().clone();
    let (backup, transition) = (rules[0]["RuleId"].clone(), rules[1]["RuleId"].clone());
    let bind = json!({"PolicyId": policy_id, "PolicyBindingList": [{"DataSourceId": "i-udm1", "SourceType": "UDM_ECS", "Disabled": "false"}]});
    ok(call(&s, "CreatePolicyBindings", bind.clone(), T0));
    refused(
        call(&s, "CreatePolicyBindings", bind, T0),
        400,
        "PolicyAlreadyBoundWithThisDataSource",
    );
    let bindings = ok(call(
        &s,
        "DescribePolicyBindings",
        json!({"PolicyId": policy_id}),
        T0,
    ));
    assert_eq!(bindings["TotalCount"], 1);
    assert_eq!(bindings["PolicyBindings"][0]["Disabled"], false);
    let by_filter = ok(call(
        &s,
        "DescribePolicyBindings",
        json!({"Filters": [{"Key": "DataSourceType", "Values": ["UDM_ECS"]}]}),
        T0,
    ));
    assert_eq!(by_filter["TotalCount"], 1);
    assert_eq!(
        ok(call(&s, "DescribePoliciesV2", json!({}), T0))["Policies"][0]["PolicyBindingCount"],
        1
    );
    refused(
        call(
            &s,
            "ExecutePolicyV2",
            json!({"PolicyId": policy_id, "RuleId": transition, "DataSourceId": "i-udm1"}),
            T0,
        ),
        400,
        "InvalidParameter",
    );
    let job = ok(call(
        &s,
        "ExecutePolicyV2",
        json!({"PolicyId": policy_id, "RuleId": backup, "DataSourceId": "i-udm1"}),
        T0,
    ))["JobId"]
        .clone();
    let udm = |ms: i64| {
        ok(call(
            &s,
            "DescribeUdmSnapshots",
            json!({"SourceType": "UDM_ECS", "UdmRegionId": "cn-hangzhou", "StartTime": 0, "EndTime": 4_000_000_000_i64, "JobId": job}),
            T0 + ms,
        ))
    };
    assert_eq!(udm(5_000)["TotalCount"], 0);
    let snaps = udm(10_000);
    assert_eq!(snaps["TotalCount"], 1, "{snaps}");
    assert_eq!(snaps["Snapshots"][0]["InstanceId"], "i-udm1");
    assert!(snaps["Snapshots"][0]["ActualBytes"].is_string());
    disable_unbind_and_delete(&s, &policy_id);
}

#[test]
fn token_pages_cover_every_item_once() {
    let s = store(20);
    let mut ids = Vec::new();
    for n in 0..23 {
        ids.push(
            ok(call(
                &s,
                "CreatePolicyV2",
                json!({"PolicyName": format!("p{n}")}),
                T0 + n * 1_000,
            ))["PolicyId"]
                .clone(),
        );
    }
    let mut seen = Vec::new();
    let mut token: Option<Value> = None;
    loop {
        let mut input = json!({"MaxResults": 10});
        if let Some(t) = &token {
            input["NextToken"] = t.clone();
        }
        let page = ok(call(&s, "DescribePoliciesV2", input, T0 + 100_000));
        assert_eq!(page["TotalCount"], 23);
        seen.extend(
            page["Policies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["PolicyId"].clone()),
        );
        match page.get("NextToken") {
            Some(t) => token = Some(t.clone()),
            None => break,
        }
    }
    ids.reverse();
    assert_eq!(seen, ids, "newest first, each once");
    refused(
        call(&s, "DescribePoliciesV2", json!({"NextToken": "bogus"}), T0),
        400,
        "InvalidParameter",
    );
}

#[test]
fn the_state_file_keeps_what_changed_across_restarts() {
    let dir = std::env::temp_dir().join(format!("hbr-emulator-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let _ = std::fs::remove_file(&path);
    let mut cfg = config(30);
    cfg.state_file = Some(path.clone());
    let s = crate::running::new_store(&cfg).unwrap();
    let (vault_id, plan_id) = vault_and_plan(&s);
    let job = ok(call(
        &s,
        "ExecuteBackupPlan",
        json!({"PlanId": plan_id}),
        T0,
    ))["JobId"]
        .clone();
    let seeded = s
        .restore_jobs
        .seeded()
        .iter()
        .find(|j| j.status == "RUNNING")
        .unwrap()
        .clone();
    ok(call(
        &s,
        "CancelRestoreJob",
        json!({"RestoreId": seeded.restore_id, "VaultId": seeded.vault_id}),
        T0,
    ));
    let next_vault = |s: &Store| {
        ok(call(
            s,
            "CreateVault",
            json!({"VaultRegionId": "r", "VaultName": "n"}),
            T0,
        ))["VaultId"]
            .clone()
    };
    drop(s);
    assert!(
        !dir.join(".state.json.tmp").exists(),
        "the temporary file was renamed"
    );
    let again = crate::running::new_store(&cfg).unwrap();
    assert_eq!(
        ok(call(
            &again,
            "DescribeVaults",
            json!({"VaultId": vault_id}),
            T0
        ))["TotalCount"],
        1
    );
    let jobs = ok(call(&again, "DescribeBackupJobs2", json!({}), T0 + 10_000));
    assert_eq!(
        (
            &jobs["BackupJobs"]["BackupJob"][0]["JobId"],
            &jobs["BackupJobs"]["BackupJob"][0]["Status"]
        ),
        (&job, &json!("COMPLETE"))
    );
    let restore = ok(call(
        &again,
        "DescribeRestoreJobs2",
        json!({"Filters": [{"Key": "JobId", "Values": [seeded.restore_id]}]}),
        T0 + 10_000,
    ));
    assert_eq!(
        restore["RestoreJobs"]["RestoreJob"][0]["Status"],
        "CANCELED"
    );
    // Identifiers continue where they stopped: the first vault was the first draw, which a
    // count started again would repeat.
    assert_ne!(next_vault(&again), json!(vault_id));
    // A file of another data set is refused.
    let mut wrong = cfg.clone();
    wrong.seed = 4;
    let e = crate::running::new_store(&wrong).err().unwrap();
    assert!(e.to_string().contains("--seed 3"), "{e}");
    // A file cut short (not one this emulator wrote whole) is refused, naming it.
    let text = std::fs::read(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    let e = crate::running::new_store(&cfg).err().unwrap();
    assert!(
        e.to_string()
            .contains(&format!("{} is not readable", path.display())),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
