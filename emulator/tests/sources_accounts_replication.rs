//! Data sources, cross accounts and vault replication over 127.0.0.1 with the typed client:
//! what is added is listed with what was sent, what is updated changes, what is removed is
//! gone, unknown ones are refused; a replication's setup task is followed with the
//! generated `TaskFinished` waiter and shows on both vaults; all of it survives a restart
//! from a state file. Expected values come from what was sent and the clock around the
//! calls, never from what the emulator printed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Duration;

use hbr_client::describe_task::DescribeTaskRequest;
use hbr_client::describe_vaults::VaultItem;
use hbr_client::{Client, WaitError};
use hbr_emulator::{EmulatorConfig, RunningEmulator};
use hbr_runtime::client::Config;
use hbr_runtime::signing::SignatureVersion;
use serde_json::Value;

fn config(job_duration: Duration) -> EmulatorConfig {
    EmulatorConfig {
        jobs: 20,
        job_duration,
        ..EmulatorConfig::default()
    }
}

async fn start(config: EmulatorConfig) -> RunningEmulator {
    hbr_emulator::start(config).await.unwrap()
}

fn client(emu: &RunningEmulator, version: SignatureVersion) -> Client {
    let config = Config::builder()
        .endpoint(emu.url())
        .signature_version(version)
        .static_credentials(emu.access_key_id(), emu.access_key_secret())
        .build();
    Client::new(config).unwrap()
}

/// The wall clock in unix seconds.
fn now_s() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The service error code and HTTP status of a failed call.
#[track_caller]
fn refused<T: std::fmt::Debug>(r: Result<T, hbr_client::Error>) -> (Option<u16>, String) {
    let e = r.unwrap_err();
    (e.http_status(), e.code().unwrap_or_default().to_owned())
}

fn code(status: u16, code: &str) -> (Option<u16>, String) {
    (Some(status), code.to_owned())
}

const NAS: &str = r#"{"dataServerAddresses":[{"host":"10.0.0.8","port":"2049"}],"sharePath":"/share","fileSystemType":"nfs"}"#;

/// The IDs of a `DescribeDataSources` page, in order.
async fn data_source_ids(
    c: &Client,
    only_type: Option<&str>,
    cluster: Option<&str>,
) -> Vec<String> {
    let mut request = c.describe_data_sources().page_size(99);
    if let Some(t) = only_type {
        request = request.data_source_type(t.into());
    }
    if let Some(cl) = cluster {
        request = request.cluster_id(cl);
    }
    let page = request.send().await.unwrap();
    let ids: Vec<String> = page
        .data_sources()
        .iter()
        .map(|d| d.data_source_id().unwrap().to_owned())
        .collect();
    assert_eq!(page.total_count(), Some(ids.len() as i64));
    ids
}

/// Adds a NAS and an HDFS data source and checks how they are listed; their IDs and the
/// NAS's `CreatedTime`.
async fn add_and_list(c: &Client) -> (String, String, i64) {
    let before = now_s();
    let nas = c
        .add_data_source()
        .data_source_name("office-nas")
        .data_source_type("COMMON_NAS".into())
        .cluster_id("cl-0001")
        .connection_info(NAS)
        .credential(r#"{"mountUsername":"backup","mountPassword":"s3cret"}"#)
        .path(["/share/a", "/share/b"])
        .index_level("META".into())
        .schedule("I|1800000000|P1D")
        .send()
        .await
        .unwrap();
    let nas_id = nas.data_source_id().unwrap().to_owned();
    assert!(
        nas_id.starts_with("ds-000") && nas_id.len() == 23,
        "{nas_id}"
    );
    let hdfs_id = c
        .add_data_source()
        .data_source_name("lake")
        .data_source_type("HDFS".into())
        .send()
        .await
        .unwrap()
        .data_source_id()
        .unwrap()
        .to_owned();
    let after = now_s();
    // Newest first; filters by type and client group.
    assert_eq!(
        data_source_ids(c, None, None).await,
        [hdfs_id.as_str(), nas_id.as_str()]
    );
    assert_eq!(
        data_source_ids(c, Some("HDFS"), None).await,
        [hdfs_id.as_str()]
    );
    assert_eq!(
        data_source_ids(c, None, Some("cl-0001")).await,
        [nas_id.as_str()]
    );
    assert!(data_source_ids(c, Some("S3"), None).await.is_empty());
    let by_name = c
        .describe_data_sources()
        .data_source_name("lake")
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_name.data_sources()[0].data_source_id(),
        Some(hdfs_id.as_str())
    );
    // Pages by number.
    let second = c
        .describe_data_sources()
        .page_size(1)
        .page_number(2)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (second.total_count(), second.page_number()),
        (Some(2), Some(2))
    );
    assert_eq!(
        second.data_sources()[0].data_source_id(),
        Some(nas_id.as_str())
    );

    let one = c
        .describe_data_sources()
        .data_source_id(nas_id.as_str())
        .send()
        .await
        .unwrap();
    let d = &one.data_sources()[0];
    assert_eq!(
        (
            d.data_source_name(),
            d.data_source_type().map(|t| t.as_str()),
            d.cluster_id()
        ),
        (Some("office-nas"), Some("COMMON_NAS"), Some("cl-0001"))
    );
    assert_eq!(
        (d.connection_info(), d.schedule()),
        (Some(NAS), Some("I|1800000000|P1D"))
    );
    assert_eq!(d.paths(), ["/share/a", "/share/b"]);
    assert_eq!(d.index_level().map(|l| l.as_str()), Some("META"));
    assert_eq!(
        (d.index_available(), d.indexing()),
        (Some(false), Some(false))
    );
    let created = d.created_time_raw().unwrap();
    assert!(
        (before..=after).contains(&created),
        "{created} not in {before}..={after}"
    );
    assert_eq!(d.updated_time_raw(), Some(created));

    (nas_id, hdfs_id, created)
}

/// Updates and removes the data sources [`add_and_list`] added, and checks what is refused.
async fn update_and_remove(c: &Client, (nas_id, hdfs_id, created): (String, String, i64)) {
    // An update changes what it sends and keeps the rest.
    c.update_data_source()
        .data_source_id(nas_id.as_str())
        .data_source_name("office-nas-2")
        .path(["/share/c"])
        .send()
        .await
        .unwrap();
    let one = c
        .describe_data_sources()
        .data_source_id(nas_id.as_str())
        .send()
        .await
        .unwrap();
    let d = &one.data_sources()[0];
    assert_eq!(
        (d.data_source_name(), d.paths()),
        (Some("office-nas-2"), &["/share/c".to_owned()][..])
    );
    assert_eq!(
        (d.connection_info(), d.cluster_id()),
        (Some(NAS), Some("cl-0001"))
    );
    assert!(d.updated_time_raw().unwrap() >= created);

    c.remove_data_source()
        .data_source_id(nas_id.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(data_source_ids(c, None, None).await, [hdfs_id.as_str()]);
    let not_found = code(404, "InvalidDataSourceId.NotFound");
    let again = c
        .remove_data_source()
        .data_source_id(nas_id.as_str())
        .send()
        .await;
    assert_eq!(refused(again), not_found);
    let update = c
        .update_data_source()
        .data_source_id(nas_id.as_str())
        .data_source_name("x")
        .send()
        .await;
    assert_eq!(refused(update), not_found);
    let bad = c
        .add_data_source()
        .data_source_name("bad")
        .data_source_type("COMMON_NAS".into())
        .connection_info("10.0.0.8:/share")
        .send()
        .await;
    assert_eq!(refused(bad), code(400, "InvalidParameter"));
    c.remove_data_source()
        .data_source_id(hdfs_id.as_str())
        .send()
        .await
        .unwrap();
    assert!(data_source_ids(c, None, None).await.is_empty());
}

#[tokio::test]
async fn data_sources_are_added_listed_updated_and_removed() {
    let emu = start(config(Duration::from_secs(60))).await;
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let c = client(&emu, version);
        let added = add_and_list(&c).await;
        update_and_remove(&c, added).await;
    }
}

/// The accounts `DescribeCrossAccounts` lists: (user, role, type, alias).
async fn accounts(c: &Client) -> Vec<(i64, String, String, String)> {
    let page = c
        .describe_cross_accounts()
        .page_size(100)
        .send()
        .await
        .unwrap();
    let listed: Vec<_> = page
        .cross_accounts()
        .iter()
        .map(|a| {
            (
                a.cross_account_user_id().unwrap(),
                a.cross_account_role_name().unwrap().to_owned(),
                a.cross_account_type().unwrap().as_str().to_owned(),
                a.alias().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(page.total_count(), Some(listed.len() as i64));
    listed
}

#[tokio::test]
async fn cross_accounts_are_added_listed_and_deleted() {
    let emu = start(config(Duration::from_secs(60))).await;
    let c = client(&emu, SignatureVersion::V3);
    assert!(accounts(&c).await.is_empty());
    let before = now_s();
    c.add_cross_account()
        .cross_account_user_id(1_589_753_000_000_625)
        .cross_account_role_name("hbrcrossrole")
        .alias("finance")
        .send()
        .await
        .unwrap();
    c.add_cross_account()
        .cross_account_user_id(42)
        .cross_account_role_name("rd-role")
        .cross_account_type("CROSS_ACCOUNT_BY_RD".into())
        .send()
        .await
        .unwrap();
    let after = now_s();
    let finance = (
        1_589_753_000_000_625,
        "hbrcrossrole".to_owned(),
        "CROSS_ACCOUNT".to_owned(),
        "finance".to_owned(),
    );
    let rd = (
        42,
        "rd-role".to_owned(),
        "CROSS_ACCOUNT_BY_RD".to_owned(),
        String::new(),
    );
    assert_eq!(accounts(&c).await, [rd.clone(), finance.clone()]);
    let page = c
        .describe_cross_accounts()
        .page_size(1)
        .page_number(2)
        .send()
        .await
        .unwrap();
    assert_eq!((page.total_count(), page.page_size()), (Some(2), Some(1)));
    let item = &page.cross_accounts()[0];
    assert_eq!(item.cross_account_user_id(), Some(finance.0));
    let created = item.created_time_raw().unwrap();
    assert!((before..=after).contains(&created), "{created}");
    let all = c.describe_cross_accounts().send().await.unwrap();
    let ids: Vec<_> = all.cross_accounts().iter().map(|a| a.id()).collect();
    assert!(
        ids.iter().all(Option::is_some) && ids[0] != ids[1],
        "{ids:?}"
    );

    let twice = c
        .add_cross_account()
        .cross_account_user_id(42)
        .cross_account_role_name("rd-role")
        .send()
        .await;
    assert_eq!(refused(twice), code(400, "CrossAccountAlreadyExists"));
    // A delete that names another type does not match.
    let other_type = c
        .delete_cross_account()
        .cross_account_user_id(42)
        .cross_account_role_name("rd-role")
        .cross_account_type("CROSS_ACCOUNT".into())
        .send()
        .await;
    assert_eq!(
        refused(other_type),
        code(404, "InvalidCrossAccountUserId.NotFound")
    );
    c.delete_cross_account()
        .cross_account_user_id(42)
        .cross_account_role_name("rd-role")
        .send()
        .await
        .unwrap();
    assert_eq!(accounts(&c).await, [finance]);
    let again = c
        .delete_cross_account()
        .cross_account_user_id(42)
        .cross_account_role_name("rd-role")
        .send()
        .await;
    assert_eq!(
        refused(again),
        code(404, "InvalidCrossAccountUserId.NotFound")
    );
}

/// A new vault in `region`; its ID.
async fn vault(c: &Client, region: &str, name: &str) -> String {
    let v = c
        .create_vault()
        .vault_region_id(region)
        .vault_name(name)
        .send()
        .await
        .unwrap();
    v.vault_id().unwrap().to_owned()
}

async fn shown(c: &Client, id: &str) -> VaultItem {
    let page = c.describe_vaults().vault_id(id).send().await.unwrap();
    assert_eq!(page.total_count(), Some(1));
    page.vaults()[0].clone()
}

fn task_request(id: &str) -> DescribeTaskRequest {
    DescribeTaskRequest::builder().task_id(id).build().unwrap()
}

async fn replicate(
    c: &Client,
    source: &str,
    target: &str,
    region: Option<&str>,
) -> Result<String, hbr_client::Error> {
    let mut request = c
        .create_vault_replication()
        .replication_source_vault_id(source)
        .replication_target_vault_id(target);
    if let Some(r) = region {
        request = request.replication_source_region_id(r);
    }
    Ok(request.send().await?.task_id().unwrap().to_owned())
}

/// Two vaults, the first replicated into the second, the setup task waited for, and what
/// both vaults show: (source, target, task).
async fn set_up(c: &Client) -> (String, String, String) {
    let src = vault(c, "cn-hangzhou", "source").await;
    let dst = vault(c, "cn-shanghai", "mirror").await;
    let task_id = replicate(c, &src, &dst, Some("cn-hangzhou")).await.unwrap();
    let task = c
        .wait_until_task_finished(task_request(&task_id))
        .delay(Duration::from_millis(200))
        .wait()
        .await
        .unwrap();
    assert_eq!(
        (task.description().map(|d| d.as_str()), task.progress()),
        (Some("completed"), Some(100))
    );
    let result: Value = serde_json::from_str(task.result().unwrap()).unwrap();
    assert_eq!(
        (
            &result["ReplicationSourceVaultId"],
            &result["ReplicationTargetVaultId"]
        ),
        (&Value::from(src.as_str()), &Value::from(dst.as_str()))
    );

    let target = shown(c, &dst).await;
    assert_eq!(
        (
            target.replication(),
            target.replication_source_vault_id(),
            target.replication_source_region_id()
        ),
        (Some(true), Some(src.as_str()), Some("cn-hangzhou"))
    );
    assert_eq!(target.replication_status(), Some("CREATED"));
    assert_eq!(
        target
            .replication_progress()
            .and_then(|p| p.historical_replication_progress()),
        Some(100)
    );
    assert!(target.latest_replication_time_raw().unwrap() >= task.completed_time_raw().unwrap());
    let source = shown(c, &src).await;
    assert_eq!(
        (
            source.replication_source_vault(),
            source.replication_target_vault_id(),
            source.replication_target_region_id()
        ),
        (Some(true), Some(dst.as_str()), Some("cn-shanghai"))
    );
    assert_eq!(source.replication(), None);
    // `Replication` lists the mirror vaults only.
    let mirrors = c
        .describe_vaults()
        .replication(true)
        .page_size(100)
        .send()
        .await
        .unwrap();
    let mirror_ids: Vec<_> = mirrors
        .vaults()
        .iter()
        .map(|v| v.vault_id().unwrap())
        .collect();
    assert_eq!(mirror_ids, [dst.as_str()]);
    (src, dst, task_id)
}

/// What a replication of `src` into `dst` refuses; a third vault, free.
async fn refusals(c: &Client, src: &str, dst: &str) -> String {
    // One replication per vault; a vault in one is not deleted; unknown vaults are refused.
    let third = vault(c, "cn-beijing", "third").await;
    let taken = code(400, "VaultReplicationAlreadyExists");
    assert_eq!(refused(replicate(c, src, &third, None).await), taken);
    assert_eq!(refused(replicate(c, &third, dst, None).await), taken);
    assert_eq!(
        refused(replicate(c, &third, &third, None).await),
        code(400, "InvalidParameter")
    );
    let unknown = code(404, "InvalidVaultId.NotFound");
    assert_eq!(
        refused(replicate(c, "v-0000000000000000nope", &third, None).await),
        unknown
    );
    assert_eq!(
        refused(replicate(c, &third, "v-0000000000000000nope", None).await),
        unknown
    );
    assert_eq!(
        refused(replicate(c, &third, src, Some("cn-hangzhou")).await),
        unknown,
        "not in that region"
    );
    let busy = c.delete_vault().vault_id(src).send().await;
    assert_eq!(
        refused(busy),
        code(400, "DependencyViolation.VaultReplication")
    );
    third
}

#[tokio::test]
async fn a_replication_is_set_up_shown_on_both_vaults_and_removed() {
    let emu = start(config(Duration::from_secs(1))).await;
    let c = client(&emu, SignatureVersion::V3);
    let (src, dst, task_id) = set_up(&c).await;
    let third = refusals(&c, &src, &dst).await;

    c.delete_vault_replication()
        .replication_source_vault_id(src.as_str())
        .replication_target_vault_id(dst.as_str())
        .send()
        .await
        .unwrap();
    let target = shown(&c, &dst).await;
    assert_eq!(
        (
            target.replication(),
            target.replication_source_vault_id(),
            target.replication_progress()
        ),
        (None, None, None)
    );
    let source = shown(&c, &src).await;
    assert_eq!(
        (
            source.replication_source_vault(),
            source.replication_target_vault_id()
        ),
        (None, None)
    );
    let again = c
        .delete_vault_replication()
        .replication_source_vault_id(src.as_str())
        .replication_target_vault_id(dst.as_str())
        .send()
        .await;
    assert_eq!(
        refused(again),
        code(404, "InvalidVaultReplication.NotFound")
    );
    // Its task stays completed; the vaults are free again.
    let task = c
        .describe_task()
        .task_id(task_id.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(task.description().map(|d| d.as_str()), Some("completed"));
    replicate(&c, &src, &third, None).await.unwrap();
    c.delete_vault()
        .vault_id(dst.as_str())
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_replication_removed_while_setting_up_cancels_its_task() {
    let emu = start(config(Duration::from_secs(600))).await;
    let c = client(&emu, SignatureVersion::V1);
    let src = vault(&c, "cn-hangzhou", "source").await;
    // A vault created as a replication vault stays one.
    let dst = c
        .create_vault()
        .vault_region_id("cn-shanghai")
        .vault_name("mirror")
        .replication(true)
        .send()
        .await
        .unwrap()
        .vault_id()
        .unwrap()
        .to_owned();
    let task_id = replicate(&c, &src, &dst, None).await.unwrap();
    let task = c
        .describe_task()
        .task_id(task_id.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(task.description().map(|d| d.as_str()), Some("created"));
    assert!(task.progress().is_some_and(|p| p < 100), "{task:?}");
    let target = shown(&c, &dst).await;
    assert_eq!(target.replication_status(), Some("INITIALIZING"));
    assert_eq!(target.latest_replication_time_raw(), Some(0));
    c.delete_vault_replication()
        .replication_source_vault_id(src.as_str())
        .replication_target_vault_id(dst.as_str())
        .send()
        .await
        .unwrap();
    let target = shown(&c, &dst).await;
    assert_eq!(
        (target.replication(), target.replication_source_vault_id()),
        (Some(true), None)
    );
    let local = c
        .describe_vaults()
        .replication(false)
        .page_size(100)
        .send()
        .await
        .unwrap();
    assert!(local
        .vaults()
        .iter()
        .any(|v| v.vault_id() == Some(src.as_str())));
    assert!(local
        .vaults()
        .iter()
        .all(|v| v.vault_id() != Some(dst.as_str())));
    let ended = c
        .wait_until_task_finished(task_request(&task_id))
        .delay(Duration::from_millis(100))
        .wait()
        .await;
    match ended {
        Err(WaitError::Failed { status, .. }) => assert_eq!(status, "cancelled"),
        other => panic!("{other:?}"),
    }
}

/// A fresh state file path in a folder of its own.
fn state_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hbr-emu-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("state.json")
}

#[tokio::test]
async fn the_state_file_keeps_data_sources_accounts_and_replications() {
    let path = state_path("sources");
    let mut cfg = config(Duration::from_secs(1));
    cfg.state_file = Some(path.clone());
    let emu = start(cfg.clone()).await;
    let c = client(&emu, SignatureVersion::V3);
    let kept = c
        .add_data_source()
        .data_source_name("kept")
        .data_source_type("S3".into())
        .path(["/bucket"])
        .send()
        .await
        .unwrap()
        .data_source_id()
        .unwrap()
        .to_owned();
    let gone = c
        .add_data_source()
        .data_source_name("gone")
        .data_source_type("HDFS".into())
        .send()
        .await
        .unwrap()
        .data_source_id()
        .unwrap()
        .to_owned();
    c.remove_data_source()
        .data_source_id(gone.as_str())
        .send()
        .await
        .unwrap();
    c.add_cross_account()
        .cross_account_user_id(7)
        .cross_account_role_name("role-7")
        .alias("seven")
        .send()
        .await
        .unwrap();
    let src = vault(&c, "cn-hangzhou", "source").await;
    let dst = vault(&c, "cn-shanghai", "mirror").await;
    let task_id = replicate(&c, &src, &dst, None).await.unwrap();
    emu.shutdown().await;

    let emu = start(cfg.clone()).await;
    let c = client(&emu, SignatureVersion::V3);
    assert_eq!(data_source_ids(&c, None, None).await, [kept.as_str()]);
    let one = c
        .describe_data_sources()
        .data_source_id(kept.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            one.data_sources()[0].data_source_name(),
            one.data_sources()[0].paths()
        ),
        (Some("kept"), &["/bucket".to_owned()][..])
    );
    assert_eq!(
        accounts(&c).await,
        [(
            7,
            "role-7".to_owned(),
            "CROSS_ACCOUNT".to_owned(),
            "seven".to_owned()
        )]
    );
    let task = c
        .wait_until_task_finished(task_request(&task_id))
        .delay(Duration::from_millis(200))
        .wait()
        .await
        .unwrap();
    assert_eq!(task.description().map(|d| d.as_str()), Some("completed"));
    assert_eq!(
        shown(&c, &dst).await.replication_source_vault_id(),
        Some(src.as_str())
    );
    emu.shutdown().await;

    // A state file written before these resources existed still loads, with none of them.
    let mut file: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let resources = file["resources"].as_object_mut().unwrap();
    for name in ["data_sources", "cross_accounts", "replications"] {
        assert!(
            resources.remove(name).is_some(),
            "{name} is kept in the file"
        );
    }
    std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
    let emu = start(cfg).await;
    let c = client(&emu, SignatureVersion::V3);
    assert!(data_source_ids(&c, None, None).await.is_empty());
    assert!(accounts(&c).await.is_empty());
    assert_eq!(shown(&c, &dst).await.replication(), None);
    assert_eq!(shown(&c, &src).await.vault_name(), Some("source"));
    emu.shutdown().await;
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
