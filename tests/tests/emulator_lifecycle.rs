//! The backup lifecycle end to end over 127.0.0.1 with the typed client, under both
//! signatures: a vault, a plan in it, the plan run, its job waited for with the generated
//! waiter, its snapshot found, restored, the restore waited for; a policy bound to a data
//! source and run; created backup jobs filtered and paged by the typed paginator. Values come
//! from what was sent, never from what the emulator printed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use hbr_client::describe_backup_jobs2::{
    DescribeBackupJobs2Request, Filter as BackupFilter, SortDirection,
};
use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, Filter};
use hbr_client::{Client, WaitError};
use hbr_runtime::signing::SignatureVersion;
use serde_json::json;

fn client(emu: &hbr_emulator::RunningEmulator, version: SignatureVersion) -> Client {
    support::client(&emu.url(), version)
}

async fn emulator() -> hbr_emulator::RunningEmulator {
    hbr_emulator::start(hbr_emulator::EmulatorConfig {
        jobs: 50,
        job_duration: Duration::from_secs(2),
        cancel_duration: Duration::from_millis(300),
        ..hbr_emulator::EmulatorConfig::default()
    })
    .await
    .unwrap()
}

/// An ECS_FILE restore of `snapshot_id` in `vault_id`.
async fn restore(
    c: &Client,
    vault_id: &str,
    snapshot_id: &str,
) -> Result<hbr_client::create_restore_job::CreateRestoreJobResponse, hbr_client::Error> {
    c.create_restore_job()
        .restore_type("ECS_FILE".into())
        .source_type("ECS_FILE".into())
        .vault_id(vault_id)
        .snapshot_id(snapshot_id)
        .target_instance_id("i-target")
        .target_path("/restore")
        .send()
        .await
}

fn backup_job_request(job_id: &str) -> DescribeBackupJobs2Request {
    let filter = BackupFilter::builder()
        .key("JobId".into())
        .operator("EQUAL".into())
        .values([job_id])
        .build()
        .unwrap();
    DescribeBackupJobs2Request::builder()
        .filter(filter)
        .build()
        .unwrap()
}

/// A vault and an ECS_FILE plan in it, listed, updated, disabled (which refuses to run) and
/// enabled again; their IDs.
async fn vault_and_plan(c: &Client, version: SignatureVersion) -> (String, String) {
    let vault = c
        .create_vault()
        .vault_region_id("cn-hangzhou")
        .vault_name(format!("lifecycle-{version:?}"))
        .send()
        .await
        .unwrap();
    let vault_id = vault.vault_id().unwrap().to_owned();
    // The vault's initialisation task, followed with DescribeTask's waiter, whose status is a
    // field of the response itself.
    let task = c
        .wait_until_task_finished(
            hbr_client::describe_task::DescribeTaskRequest::builder()
                .task_id(vault.task_id().unwrap())
                .build()
                .unwrap(),
        )
        .delay(Duration::from_millis(200))
        .wait()
        .await
        .unwrap();
    assert_eq!(task.description().map(|d| d.as_str()), Some("completed"));
    assert_eq!(task.result(), Some(vault_id.as_str()));
    let listed = c
        .describe_vaults()
        .vault_id(vault_id.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count(), Some(1));
    assert_eq!(
        listed.vaults()[0].vault_name(),
        Some(format!("lifecycle-{version:?}").as_str())
    );
    c.update_vault()
        .vault_id(vault_id.as_str())
        .description("nightly files")
        .send()
        .await
        .unwrap();
    let plan = c
        .create_backup_plan()
        .vault_id(vault_id.as_str())
        .source_type("ECS_FILE".into())
        .plan_name("home")
        .backup_type("COMPLETE".into())
        .schedule("I|1800000000|P1D")
        .retention(7)
        .instance_id("i-lifecycle")
        .path(["/home"])
        .send()
        .await
        .unwrap();
    let plan_id = plan.plan_id().unwrap().to_owned();
    c.disable_backup_plan()
        .plan_id(plan_id.as_str())
        .send()
        .await
        .unwrap();
    let refused = c
        .execute_backup_plan()
        .plan_id(plan_id.as_str())
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("IncorrectPlanStatus"));
    c.enable_backup_plan()
        .plan_id(plan_id.as_str())
        .send()
        .await
        .unwrap();
    (vault_id, plan_id)
}

/// The plan run, its job waited for with the generated waiter; the job's ID.
async fn backed_up(c: &Client, plan_id: &str) -> String {
    let job_id = c
        .execute_backup_plan()
        .plan_id(plan_id)
        .send()
        .await
        .unwrap()
        .job_id()
        .unwrap()
        .to_owned();
    // The generated waiter polls until the job completes, seeing it progress.
    let statuses = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&statuses);
    let job = c
        .wait_until_backup_job_finished(backup_job_request(&job_id))
        .delay(Duration::from_millis(200))
        .on_poll(move |j| {
            seen.lock().unwrap().push(
                j.status()
                    .map(|s| s.as_str())
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .wait()
        .await
        .unwrap();
    assert_eq!(
        (job.job_id(), job.status().map(|s| s.as_str())),
        (Some(job_id.as_str()), Some("COMPLETE"))
    );
    assert_eq!(job.plan_id(), Some(plan_id));
    let statuses = statuses.lock().unwrap().clone();
    assert_eq!(statuses.last().map(String::as_str), Some("COMPLETE"));
    assert!(
        statuses.iter().any(|s| s == "RUNNING" || s == "CREATED"),
        "{statuses:?}"
    );
    job_id
}

/// The job's snapshot found in the vault, restored and the restore waited for, then listed by
/// the snapshot's plan; the snapshot's ID.
async fn restored(c: &Client, vault_id: &str, plan_id: &str, job_id: &str) -> String {
    // Its snapshot, then a restore of it, waited for.
    let found = c
        .search_historical_snapshots()
        .source_type("ECS_FILE".into())
        .query(vec![
            json!({"field": "VaultId", "value": vault_id, "operation": "MATCH_TERM"}),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(found.total_count(), Some(1));
    let snapshot = &found.snapshots()[0];
    assert_eq!(
        (snapshot.job_id(), snapshot.instance_id()),
        (Some(job_id), Some("i-lifecycle"))
    );
    let snapshot_id = snapshot.snapshot_id().unwrap().to_owned();
    let restore_id = restore(c, vault_id, &snapshot_id)
        .await
        .unwrap()
        .restore_id()
        .unwrap()
        .to_owned();
    let request = DescribeRestoreJobs2Request::builder()
        .filter(Filter::job_id().equal(restore_id.as_str()))
        .build()
        .unwrap();
    let restored = c
        .wait_until_restore_job_finished(request)
        .delay(Duration::from_millis(200))
        .wait()
        .await
        .unwrap();
    assert_eq!(restored.restore_id(), Some(restore_id.as_str()));
    assert_eq!(restored.snapshot_id(), Some(snapshot_id.as_str()));
    assert_eq!(restored.progress_percent(), Some(100.0));
    // Listed beside the seeded data set, by the plan of its snapshot.
    let by_plan = c
        .describe_restore_jobs2()
        .filter(Filter::plan_id().equal(plan_id))
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_plan.restore_jobs()[0].restore_id(),
        Some(restore_id.as_str())
    );
    let all = c.describe_restore_jobs2().send().await.unwrap();
    assert!(all.total_count().unwrap() > 50);
    snapshot_id
}

/// The snapshot, the plan and the vault deleted; restores of them are not found.
async fn deleted(c: &Client, vault_id: &str, plan_id: &str, snapshot_id: &str) {
    // Deleting: the snapshot, then the plan, then the vault; a restore on a vault that
    // does not exist is not found.
    c.delete_snapshot()
        .snapshot_id(snapshot_id)
        .send()
        .await
        .unwrap();
    let gone = restore(c, vault_id, snapshot_id).await.unwrap_err();
    assert_eq!(
        (gone.code(), gone.http_status()),
        (Some("InvalidSnapshotId.NotFound"), Some(404))
    );
    let held = c
        .delete_vault()
        .vault_id(vault_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(held.code(), Some("DependencyViolation.BackupPlan"));
    c.delete_backup_plan()
        .plan_id(plan_id)
        .send()
        .await
        .unwrap();
    c.delete_vault().vault_id(vault_id).send().await.unwrap();
    let nowhere = restore(c, vault_id, snapshot_id).await.unwrap_err();
    assert_eq!(
        (nowhere.code(), nowhere.http_status()),
        (Some("InvalidVaultId.NotFound"), Some(404))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vault_plan_backup_snapshot_restore_with_either_signature() {
    let emu = emulator().await;
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let c = client(&emu, version);
        let (vault_id, plan_id) = vault_and_plan(&c, version).await;
        let job_id = backed_up(&c, &plan_id).await;
        let snapshot_id = restored(&c, &vault_id, &plan_id, &job_id).await;
        deleted(&c, &vault_id, &plan_id, &snapshot_id).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiters_report_failure_and_timeout() {
    let emu = hbr_emulator::start(hbr_emulator::EmulatorConfig {
        jobs: 50,
        job_duration: Duration::from_secs(60),
        cancel_duration: Duration::from_millis(300),
        ..hbr_emulator::EmulatorConfig::default()
    })
    .await
    .unwrap();
    let c = client(&emu, SignatureVersion::V3);
    let job_id = support::backup_job(&c, "i-slow").await;
    let err = c
        .wait_until_backup_job_finished(backup_job_request(&job_id))
        .delay(Duration::from_millis(100))
        .timeout(Duration::from_millis(500))
        .wait()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            WaitError::TimedOut {
                waiter: "BackupJobFinished",
                ..
            }
        ),
        "{err}"
    );
    c.cancel_backup_job()
        .job_id(job_id.as_str())
        .send()
        .await
        .unwrap();
    let err = c
        .wait_until_backup_job_finished(backup_job_request(&job_id))
        .delay(Duration::from_millis(100))
        .wait()
        .await
        .unwrap_err();
    match err {
        WaitError::Failed { status, item, .. } => {
            assert_eq!(status, "CANCELED");
            assert_eq!(item.job_id(), Some(job_id.as_str()));
        }
        other => panic!("{other}"),
    }
    let err = c
        .wait_until_backup_job_finished(backup_job_request("job-0000000000000000nope"))
        .wait()
        .await
        .unwrap_err();
    assert!(matches!(err, WaitError::NotFound { .. }), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_binds_a_data_source_and_backs_it_up() {
    let emu = emulator().await;
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let c = client(&emu, version);
        let policy_id = (hbr_client::registry::find("CreatePolicyV2").unwrap().call)(
            &c,
            json!({"PolicyName": "gold", "Rules": [{"RuleType": "BACKUP", "BackupType": "COMPLETE", "Schedule": "I|1800000000|P1D", "Retention": 3}]}),
        )
        .await
        .unwrap()["PolicyId"]
            .as_str()
            .unwrap()
            .to_owned();
        let policies = c
            .describe_policies_v2()
            .policy_id(policy_id.as_str())
            .send()
            .await
            .unwrap();
        let rule_id = policies.policies()[0].rules()[0]
            .rule_id()
            .unwrap()
            .to_owned();
        let data_source = format!("i-policy-{version:?}");
        (hbr_client::registry::find("CreatePolicyBindings").unwrap().call)(
            &c,
            json!({"PolicyId": policy_id, "PolicyBindingList": [{"DataSourceId": data_source, "SourceType": "UDM_ECS"}]}),
        )
        .await
        .unwrap();
        let bindings = c
            .describe_policy_bindings()
            .policy_id(policy_id.as_str())
            .send()
            .await
            .unwrap();
        assert_eq!(
            bindings.policy_bindings()[0].data_source_id(),
            Some(data_source.as_str())
        );
        let job_id = c
            .execute_policy_v2()
            .policy_id(policy_id.as_str())
            .rule_id(rule_id.as_str())
            .data_source_id(data_source.as_str())
            .send()
            .await
            .unwrap()
            .job_id()
            .unwrap()
            .to_owned();
        let job = c
            .wait_until_backup_job_finished(backup_job_request(&job_id))
            .delay(Duration::from_millis(200))
            .wait()
            .await
            .unwrap();
        assert_eq!(job.instance_id(), Some(data_source.as_str()));
        let snapshots = c
            .describe_udm_snapshots()
            .source_type("UDM_ECS".into())
            .udm_region_id("cn-hangzhou")
            .start_time(0)
            .end_time(4_000_000_000)
            .job_id(job_id.as_str())
            .send()
            .await
            .unwrap();
        assert_eq!(snapshots.total_count(), Some(1));
        c.delete_policy_binding()
            .policy_id(policy_id.as_str())
            .data_source_ids([data_source.as_str()])
            .send()
            .await
            .unwrap();
        c.delete_policy_v2()
            .policy_id(policy_id.as_str())
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn created_backup_jobs_are_filtered_and_paged_by_the_typed_paginator() {
    use futures_util::TryStreamExt;
    let emu = emulator().await;
    let c = client(&emu, SignatureVersion::V3);
    let mut created = Vec::new();
    for n in 0..9 {
        let instance = if n % 3 == 2 { "i-other" } else { "i-paged" };
        let id = support::backup_job(&c, instance).await;
        if instance == "i-paged" {
            created.push(id);
        }
    }
    let paged = |direction: SortDirection| {
        let filter = BackupFilter::builder()
            .key("InstanceId".into())
            .operator("EQUAL".into())
            .values(["i-paged"])
            .build()
            .unwrap();
        c.describe_backup_jobs2()
            .filter(filter)
            .sort_direction(direction)
            .page_size(4)
            .into_paginator()
            .items()
            .try_collect::<Vec<_>>()
    };
    let newest_first = paged(SortDirection::Descend).await.unwrap();
    let ids: Vec<String> = newest_first
        .iter()
        .map(|j| j.job_id().unwrap().to_owned())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    let mut expected = created.clone();
    expected.sort();
    assert_eq!(sorted, expected, "each created job of the instance once");
    let times: Vec<i64> = newest_first
        .iter()
        .map(|j| j.created_time_raw().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    let oldest_first: Vec<String> = paged(SortDirection::Ascend)
        .await
        .unwrap()
        .iter()
        .map(|j| j.job_id().unwrap().to_owned())
        .collect();
    let mut reversed = ids;
    reversed.reverse();
    assert_eq!(oldest_first, reversed);
}
