//! The actions' behaviour over time, called through the table as dispatch does: jobs
//! created, listed in their place, running on the clock, cancelled.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::field_reassign_with_default
)]

use std::time::Duration;

use serde_json::Value;

use crate::config::EmulatorConfig;
use crate::data::{generate_jobs, Job};
use crate::dispatch::{dispatch, Request};
use crate::error::ApiError;
use crate::params::Params;
use crate::query::{Filter, FilterKey, Operator, Query};
use crate::store::Store;

const T0: i64 = 1_800_000_000_000;

/// A store of `jobs` seeded jobs (seed 1); created jobs take `job`, cancels `cancel`.
fn store_with(jobs: usize, job: Duration, cancel: Duration, max_created: usize) -> Store {
    let mut config = EmulatorConfig::default();
    config.jobs = jobs;
    config.seed = 1;
    config.job_duration = job;
    config.cancel_duration = cancel;
    config.limits.max_created_jobs = max_created;
    crate::running::new_store(&config).unwrap()
}

/// A store of `jobs` seeded jobs; created jobs take 10 s, cancels 2 s.
fn store(jobs: usize) -> Store {
    store_with(jobs, Duration::from_secs(10), Duration::from_secs(2), 100)
}

/// The first seeded ECS_FILE job of `store`: its vault and snapshot are what created
/// restores read.
fn origin(store: &Store) -> Job {
    store
        .restore_jobs
        .seeded()
        .iter()
        .find(|j| j.restore_type == "ECS_FILE")
        .unwrap()
        .clone()
}

fn p(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Calls `action` through dispatch at `now`, each parameter in the place (URL query or form
/// body) the spec gives its top-level name; the success body parsed.
fn call(
    store: &Store,
    action: &str,
    params: &[(String, String)],
    now: i64,
) -> Result<Value, ApiError> {
    let op = hbr_client::registry::find(action).unwrap();
    let in_body = |key: &str| {
        let top = key.split('.').next().unwrap_or_default();
        op.parameters
            .iter()
            .any(|p| p.name == top && p.location == "body")
    };
    let (mut wire, body): (Vec<_>, Vec<_>) = params.iter().cloned().partition(|(k, _)| !in_body(k));
    let query_count = wire.len();
    wire.extend(body);
    let request = Request {
        action: Some(action),
        version: Some(crate::API_VERSION),
        params: Params(&wire),
        query_count,
        check_places: true,
        request_id: "RID",
        now_ms: now,
    };
    let body = dispatch(store, &request)?;
    Ok(serde_json::from_slice(&body).unwrap())
}

fn create(store: &Store, params: &[(String, String)], now: i64) -> Result<String, ApiError> {
    let body = call(store, "CreateRestoreJob", params, now)?;
    assert_eq!(
        (&body["Success"], &body["RequestId"]),
        (&Value::Bool(true), &Value::from("RID"))
    );
    Ok(body["RestoreId"].as_str().unwrap().to_owned())
}

fn cancel(store: &Store, params: &[(String, String)], now: i64) -> Result<(), ApiError> {
    let body = call(store, "CancelRestoreJob", params, now)?;
    assert_eq!(body["Success"], true);
    Ok(())
}

/// An ECS_FILE restore of the snapshot of [`origin`].
fn ecs_file(store: &Store) -> Vec<(String, String)> {
    let o = origin(store);
    p(&[
        ("RestoreType", "ECS_FILE"),
        ("SourceType", "ECS_FILE"),
        ("VaultId", &o.vault_id),
        ("SnapshotId", &o.snapshot_id),
        ("TargetInstanceId", "i-target"),
        ("TargetPath", "/restore"),
        ("Include", "[\"/home\"]"),
    ])
}

fn page(store: &Store, query: &Query, now: i64) -> Value {
    let body = super::describe_restore_jobs2::page_body(store, query, "RID", now).unwrap();
    serde_json::from_slice(&body).unwrap()
}

fn by_id(store: &Store, id: &str, now: i64) -> Value {
    let mut q = Query::default();
    q.filters.push(Filter {
        key: FilterKey::JobId,
        operator: Some(Operator::Equal),
        values: vec![id.to_owned()],
    });
    let body = page(store, &q, now);
    assert_eq!(body["TotalCount"], 1, "{body}");
    body["RestoreJobs"]["RestoreJob"][0].clone()
}

#[test]
fn a_created_job_runs_then_completes_on_the_clock() {
    let s = store(50);
    let id = create(&s, &ecs_file(&s), T0).unwrap();
    assert!(id.starts_with("r-000") && id.len() == 22, "{id}");
    let at = |ms: i64| by_id(&s, &id, T0 + ms);
    let j = at(0);
    assert_eq!(j["Status"], "CREATED");
    assert_eq!(j["CreatedTime"], T0 / 1000);
    assert_eq!(
        (j["StartTime"].as_i64(), j["Progress"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(j["Include"], "[\"/home\"]");
    assert_eq!(j["TargetInstanceId"], "i-target");
    let mut last = (0, 0, 0);
    for ms in [1_000, 3_000, 5_500, 8_000, 9_999] {
        let j = at(ms);
        assert_eq!(j["Status"], "RUNNING", "{ms}: {j}");
        let now = (
            j["Progress"].as_i64().unwrap(),
            j["BytesDone"].as_i64().unwrap(),
            j["ActualBytes"].as_i64().unwrap(),
        );
        assert!(now >= last, "{ms}: {now:?} after {last:?}");
        assert!(now.0 < 10_000 && now.2 <= now.1);
        assert!(j["BytesDone"].as_i64() <= j["BytesTotal"].as_i64());
        assert_eq!(j["CompleteTime"], 0);
        last = now;
    }
    assert!(last.0 > 9_000, "{last:?}");
    let j = at(10_000);
    assert_eq!(j["Status"], "COMPLETE");
    assert_eq!(j["Progress"], 10_000);
    assert_eq!(j["BytesDone"], j["BytesTotal"]);
    assert_eq!(j["CompleteTime"], (T0 + 10_000) / 1000);
    assert_eq!(j["UpdatedTime"], j["CompleteTime"]);
    assert_eq!(j["Report"]["ReportTaskStatus"], "COMPLETE");
    assert_eq!(at(99_000), j, "nothing changes once complete");
}

#[test]
fn created_jobs_take_their_place_in_the_order_and_the_count() {
    let s = store(50);
    let before = page(&s, &Query::default(), T0);
    assert_eq!(before["TotalCount"], 50);
    let a = create(&s, &ecs_file(&s), T0).unwrap();
    let b = create(&s, &ecs_file(&s), T0 + 2_000).unwrap();
    let c = create(&s, &ecs_file(&s), T0 + 2_000).unwrap();
    let mut q = Query::default();
    q.page_size = 99;
    let all = page(&s, &q, T0 + 3_000);
    assert_eq!(all["TotalCount"], 53);
    let ids: Vec<&str> = all["RestoreJobs"]["RestoreJob"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["RestoreId"].as_str().unwrap())
        .collect();
    let (first, second) = if b < c { (&b, &c) } else { (&c, &b) };
    assert_eq!(&ids[..3], [first.as_str(), second.as_str(), a.as_str()]);
    // The seeded jobs follow, in their own order.
    let seeded = page(&s, &q, T0)["RestoreJobs"]["RestoreJob"].clone();
    assert_eq!(all["RestoreJobs"]["RestoreJob"][3], seeded[3]);
    // Filters apply to created jobs.
    q.filters.push(Filter {
        key: FilterKey::VaultId,
        operator: None,
        values: vec![origin(&s).vault_id],
    });
    let in_vault = s
        .restore_jobs
        .seeded()
        .iter()
        .filter(|j| j.vault_id == origin(&s).vault_id)
        .count();
    assert_eq!(page(&s, &q, T0 + 3_000)["TotalCount"], in_vault + 3);
    q.filters.push(Filter {
        key: FilterKey::Status,
        operator: None,
        values: vec!["CREATED".into()],
    });
    // At T0+2.5s, a is RUNNING; b and c were created 0.5 s ago (CREATED for 1 s).
    let seeded_created = s
        .restore_jobs
        .seeded()
        .iter()
        .filter(|j| j.vault_id == origin(&s).vault_id && j.status == "CREATED")
        .count();
    assert_eq!(page(&s, &q, T0 + 2_500)["TotalCount"], seeded_created + 2);
}

#[test]
fn ids_are_deterministic_per_seed() {
    let (a, b) = (store(20), store(20));
    let ids_a: Vec<String> = (0..3)
        .map(|i| create(&a, &ecs_file(&a), T0 + i).unwrap())
        .collect();
    let ids_b: Vec<String> = (0..3)
        .map(|i| create(&b, &ecs_file(&b), T0 + i).unwrap())
        .collect();
    assert_eq!(ids_a, ids_b);
    assert_eq!(
        by_id(&a, &ids_a[0], T0 + 5_000)["BytesTotal"],
        by_id(&b, &ids_b[0], T0 + 5_000)["BytesTotal"]
    );
}

#[test]
fn create_checks_its_parameters() {
    let s = store(10);
    let without = |name: &str| {
        let mut params = ecs_file(&s);
        params.retain(|(k, _)| k != name);
        params
    };
    let with = |name: &str, value: &str| {
        let mut params = ecs_file(&s);
        params.retain(|(k, _)| k != name);
        params.push((name.to_owned(), value.to_owned()));
        params
    };
    for name in [
        "RestoreType",
        "SourceType",
        "VaultId",
        "SnapshotId",
        "TargetInstanceId",
        "TargetPath",
    ] {
        let e = create(&s, &without(name), T0).unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str()),
            (400, "MissingParameter"),
            "{name}"
        );
        assert_eq!(e.parameter.as_deref(), Some(name));
        assert!(e.message.contains(name));
    }
    for (name, value) in [
        ("RestoreType", "TAPE"),
        ("SourceType", "FLOPPY"),
        ("SourceType", "OSS"),
        ("Options", "{not json"),
        ("Options", "[1]"),
        ("Include", "/home"),
        ("Exclude", "[1,2]"),
        ("UdmDetail", "{\"a\":"),
        ("FailbackDetail", "\"x\""),
        ("OtsDetail", "{\"BatchChannelCount\":\"x\"}"),
        ("TargetContainer", "nope"),
        ("TargetCreateTime", "yesterday"),
        ("TargetTime", "1.5"),
        ("InitiatedByAck", "maybe"),
        ("CrossAccountType", "OTHER"),
    ] {
        let e = create(&s, &with(name, value), T0).unwrap_err();
        // A JSON member is named by its path (OtsDetail.BatchChannelCount).
        let named = e.parameter.as_deref().unwrap_or_default();
        assert_eq!(
            (e.status, e.code.as_str()),
            (400, "InvalidParameter"),
            "{name}={value}: {e}"
        );
        assert!(
            named == name || named.starts_with(&format!("{name}.")),
            "{name}={value}: {e}"
        );
    }
    let e = create(&s, &with("CrossAccountType", "CROSS_ACCOUNT"), T0).unwrap_err();
    assert_eq!(e.parameter.as_deref(), Some("CrossAccountUserId"));
    let oss = p(&[
        ("RestoreType", "OSS"),
        ("SourceType", "OSS"),
        ("VaultId", "v-1"),
        ("SnapshotId", "s-1"),
    ]);
    let e = create(&s, &oss, T0).unwrap_err();
    assert_eq!(e.parameter.as_deref(), Some("TargetBucket"));
    // Nothing was created by the failures.
    assert_eq!(page(&s, &Query::default(), T0)["TotalCount"], 10);
    // Booleans are case-insensitive, as the Python SDK sends True.
    assert!(create(&s, &with("InitiatedByAck", "True"), T0).is_ok());
}

#[test]
fn the_number_of_created_jobs_is_bounded() {
    let s = store_with(20, Duration::from_secs(1), Duration::ZERO, 2);
    create(&s, &ecs_file(&s), T0).unwrap();
    create(&s, &ecs_file(&s), T0).unwrap();
    let e = create(&s, &ecs_file(&s), T0).unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (400, "QuotaExceeded.RestoreJob")
    );
}

#[test]
fn cancel_goes_through_canceling_to_canceled() {
    let s = store(10);
    let id = create(&s, &ecs_file(&s), T0).unwrap();
    let target = p(&[("RestoreId", &id), ("VaultId", &origin(&s).vault_id)]);
    let running = by_id(&s, &id, T0 + 4_000);
    cancel(&s, &target, T0 + 4_000).unwrap();
    let j = by_id(&s, &id, T0 + 5_000);
    assert_eq!(j["Status"], "CANCELING");
    assert_eq!(j["Progress"], running["Progress"], "progress frozen");
    assert_eq!(j["CompleteTime"], 0);
    // Cancelling again while CANCELING is accepted and changes nothing.
    cancel(&s, &target, T0 + 5_000).unwrap();
    let j = by_id(&s, &id, T0 + 6_000);
    assert_eq!(j["Status"], "CANCELED");
    assert_eq!(j["CompleteTime"], (T0 + 6_000) / 1000);
    assert_eq!(j["BytesDone"], running["BytesDone"]);
    assert_eq!(by_id(&s, &id, T0 + 60_000), j, "it stays CANCELED");
    let e = cancel(&s, &target, T0 + 7_000).unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (400, "IncorrectRestoreJobStatus")
    );
    assert!(e.message.contains("CANCELED"), "{e}");
}

#[test]
fn cancel_errors() {
    let s = store(200);
    let id = create(&s, &ecs_file(&s), T0).unwrap();
    for (params, name) in [
        (p(&[("VaultId", &origin(&s).vault_id)]), "RestoreId"),
        (p(&[("RestoreId", &id)]), "VaultId"),
        (
            p(&[("RestoreId", ""), ("VaultId", &origin(&s).vault_id)]),
            "RestoreId",
        ),
    ] {
        let e = cancel(&s, &params, T0).unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str(), e.parameter.as_deref()),
            (400, "MissingParameter", Some(name))
        );
    }
    for params in [
        p(&[("RestoreId", "r-nope"), ("VaultId", &origin(&s).vault_id)]),
        p(&[("RestoreId", &id), ("VaultId", "v-other")]),
    ] {
        let e = cancel(&s, &params, T0).unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str()),
            (404, "InvalidRestoreId.NotFound")
        );
    }
    // A job that completed cannot be cancelled.
    let e = cancel(
        &s,
        &p(&[("RestoreId", &id), ("VaultId", &origin(&s).vault_id)]),
        T0 + 10_000,
    )
    .unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (400, "IncorrectRestoreJobStatus")
    );
    assert!(e.message.contains("COMPLETE"));
}

#[test]
fn seeded_jobs_cancel_only_while_unfinished() {
    let s = store(200);
    let jobs = generate_jobs(200, 1);
    let running = jobs.iter().find(|j| j.status == "RUNNING").unwrap();
    let done = jobs.iter().find(|j| j.status == "FAILED").unwrap();
    let e = cancel(
        &s,
        &p(&[("RestoreId", &done.restore_id), ("VaultId", &done.vault_id)]),
        T0,
    )
    .unwrap_err();
    assert_eq!(e.code, "IncorrectRestoreJobStatus");
    let target = p(&[
        ("RestoreId", &running.restore_id),
        ("VaultId", &running.vault_id),
    ]);
    cancel(&s, &target, T0).unwrap();
    assert_eq!(
        by_id(&s, &running.restore_id, T0 + 1_000)["Status"],
        "CANCELING"
    );
    let j = by_id(&s, &running.restore_id, T0 + 2_000);
    assert_eq!(j["Status"], "CANCELED");
    assert_eq!(j["CreatedTime"], running.created_time);
    assert_eq!(j["Progress"], running.progress);
    // Its place in the order is unchanged, and the rest of the data set too.
    let mut q = Query::default();
    q.page_size = 99;
    for n in 1..=3 {
        q.page_number = n;
        let after = page(&s, &q, T0 + 2_000)["RestoreJobs"]["RestoreJob"].clone();
        let before = page(&store(200), &q, T0)["RestoreJobs"]["RestoreJob"].clone();
        let (after, before) = (after.as_array().unwrap(), before.as_array().unwrap());
        assert_eq!(after.len(), before.len());
        for (a, b) in after.iter().zip(before) {
            assert_eq!(a["RestoreId"], b["RestoreId"]);
            if a["RestoreId"] != running.restore_id.as_str() {
                assert!(a == b, "page {n}: {} changed", a["RestoreId"]);
            }
        }
    }
    assert!(cancel(&s, &target, T0 + 3_000).is_err(), "already CANCELED");
}

#[test]
fn a_restore_reads_a_vault_and_a_snapshot_that_exist() {
    let s = store(200);
    let o = origin(&s);
    let with = |name: &str, value: &str| {
        let mut params = ecs_file(&s);
        params.retain(|(k, _)| k != name);
        params.push((name.to_owned(), value.to_owned()));
        params
    };
    let e = create(&s, &with("VaultId", "v-0000000000000000nope"), T0).unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str(), e.parameter.as_deref()),
        (404, "InvalidVaultId.NotFound", Some("VaultId"))
    );
    let e = create(&s, &with("SnapshotId", "s-0000000000000000nope"), T0).unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (404, "InvalidSnapshotId.NotFound")
    );
    // A snapshot of another vault is not found in this one.
    let elsewhere = s
        .restore_jobs
        .seeded()
        .iter()
        .find(|j| j.vault_id != o.vault_id && j.source_type == o.source_type)
        .unwrap();
    let e = create(&s, &with("SnapshotId", &elsewhere.snapshot_id), T0).unwrap_err();
    assert_eq!(e.code, "InvalidSnapshotId.NotFound");
    // A snapshot of other data cannot be restored as ECS files.
    let oss = s
        .restore_jobs
        .seeded()
        .iter()
        .find(|j| j.vault_id == o.vault_id && j.source_type == "OSS")
        .unwrap();
    let e = create(&s, &with("SnapshotId", &oss.snapshot_id), T0).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.parameter.as_deref()),
        ("InvalidParameter", Some("SourceType"))
    );
    // The created job takes its region and storage class from the vault, its plan from the
    // snapshot.
    let id = create(&s, &ecs_file(&s), T0).unwrap();
    let mut q = Query::default();
    q.filters.push(Filter {
        key: FilterKey::PlanId,
        operator: None,
        values: vec![o.plan_id.clone()],
    });
    q.filters.push(Filter {
        key: FilterKey::RegionId,
        operator: None,
        values: vec![o.region_id.clone()],
    });
    q.page_size = 99;
    let listed = page(&s, &q, T0);
    assert!(
        listed["RestoreJobs"]["RestoreJob"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["RestoreId"] == id.as_str()),
        "{listed}"
    );
    assert_eq!(by_id(&s, &id, T0)["StorageClass"], o.storage_class.as_str());
    assert_eq!(by_id(&s, &id, T0)["SnapshotHash"], o.snapshot_hash.as_str());
}
