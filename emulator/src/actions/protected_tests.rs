//! A plan's backup seen through the newer listings: the protected resource it makes,
//! `ListSnapshots` of that resource, `BrowseFiles` of the snapshot (one folder at a time,
//! token-paged) and `GetBasicStatistics`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};

use super::lifecycle_tests::{call, ok, refused, store, vault_and_plan, T0};
use crate::store::Store;

/// A completed backup of the plan `plan_id` (the plan protects `i-bp1src`, paths `/home` and
/// `/etc`): its job id; the snapshot exists from T0 + 10 s.
fn backed_up(s: &Store, plan_id: &str) -> String {
    let plan = ok(call(
        s,
        "DescribeBackupPlans",
        json!({"Filters": [{"Key": "planId", "Values": [plan_id]}]}),
        T0,
    ));
    let rule_id = plan["BackupPlans"]["BackupPlan"][0]["Rules"]["Rule"][0]["RuleId"].clone();
    ok(call(
        s,
        "ExecuteBackupPlan",
        json!({"PlanId": plan_id, "RuleId": rule_id}),
        T0,
    ))["JobId"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn protected_resource(s: &Store, now: i64) -> Value {
    let listed = ok(call(
        s,
        "ListProtectedResources",
        json!({"SourceType": "ECS_FILE", "ResourceId": "i-bp1src"}),
        now,
    ));
    assert_eq!(listed["TotalCount"], 1, "{listed}");
    listed["ProtectedResources"][0].clone()
}

#[test]
fn a_backup_is_listed_by_its_protected_resource_and_browsed() {
    let s = store(40);
    let (vault_id, plan_id) = vault_and_plan(&s);
    let job_id = backed_up(&s, &plan_id);
    // Before the job completes the resource is protected but holds no snapshot.
    let before = protected_resource(&s, T0 + 1_000);
    assert_eq!(
        (&before["SnapshotCount"], &before["BackupPlanCount"]),
        (&json!(0), &json!(1))
    );
    assert_eq!(before["ResourceRegionId"], "cn-hangzhou");
    let empty = ok(call(
        &s,
        "ListProtectedResources",
        json!({"SourceType": "ECS_FILE", "ResourceId": "i-bp1src", "HasSnapshot": true}),
        T0 + 1_000,
    ));
    assert_eq!(empty["TotalCount"], 0);
    let after = protected_resource(&s, T0 + 10_000);
    assert_eq!(after["SnapshotCount"], 1);
    let id = after["ProtectedResourceId"].as_str().unwrap().to_owned();
    assert_eq!(id, before["ProtectedResourceId"]);

    let snapshots = ok(call(
        &s,
        "ListSnapshots",
        json!({"SourceType": "ECS_FILE", "ProtectedResourceId": id}),
        T0 + 10_000,
    ));
    let snapshot = snapshots["Snapshots"][0].clone();
    assert_eq!(
        (
            &snapshot["JobId"],
            &snapshot["VaultId"],
            &snapshot["PlanId"],
            &snapshot["InstanceId"]
        ),
        (
            &json!(job_id),
            &json!(vault_id),
            &json!(plan_id),
            &json!("i-bp1src")
        )
    );
    assert_eq!(snapshot["Paths"], json!(["/home", "/etc"]));
    // Filters that exclude it, and a resource that does not exist.
    let other_vault = ok(call(
        &s,
        "ListSnapshots",
        json!({"SourceType": "ECS_FILE", "ProtectedResourceId": id, "VaultId": "v-other"}),
        T0 + 10_000,
    ));
    assert_eq!(other_vault["Snapshots"], json!([]));
    refused(
        call(
            &s,
            "ListSnapshots",
            json!({"SourceType": "ECS_FILE", "ProtectedResourceId": "pr-none"}),
            T0,
        ),
        404,
        "InvalidProtectedResourceId.NotFound",
    );

    browsed(&s, &vault_id, &snapshot);
}

/// The snapshot browsed: the folders on the way to its covered paths, a covered folder by
/// path and by `Subtree`, every entry of it once over token pages, and the refusals.
fn browsed(s: &Store, vault_id: &str, snapshot: &Value) {
    // The top of the snapshot leads to the two covered paths; /home holds generated entries.
    let hash = snapshot["SnapshotHash"].clone();
    let browse = |extra: Value| {
        let mut input = json!({"VaultId": vault_id, "SnapshotHash": hash});
        if let (Some(i), Some(e)) = (input.as_object_mut(), extra.as_object()) {
            i.extend(e.clone());
        }
        ok(call(s, "BrowseFiles", input, T0 + 11_000))
    };
    let top = browse(json!({}));
    let names: Vec<&str> = top["Nodes"]["Node"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["Name"].as_str())
        .collect();
    assert_eq!(names, ["etc", "home"]);
    let home_subtree = top["Nodes"]["Node"][1]["Subtree"].clone();
    let by_path = browse(json!({"AbsolutePath": "/home/"}));
    let by_subtree = browse(json!({"Path": home_subtree}));
    assert_eq!(by_path["Nodes"], by_subtree["Nodes"]);
    // Every entry of /home once, over token pages of 10.
    let total = by_path["TotalCount"].as_u64().unwrap();
    assert!(total >= 4, "{by_path}");
    let mut seen = Vec::new();
    let mut token = Value::Null;
    loop {
        let page = browse(json!({"AbsolutePath": "/home", "MaxResults": 10, "NextToken": token}));
        for node in page["Nodes"]["Node"].as_array().unwrap() {
            seen.push(node["Name"].as_str().unwrap().to_owned());
        }
        token = page["NextToken"].clone();
        if token.as_str().is_none_or(str::is_empty) {
            break;
        }
    }
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!((seen.len() as u64, unique.len()), (total, seen.len()));
    refused(
        call(
            s,
            "BrowseFiles",
            json!({"SnapshotHash": "no-such-hash"}),
            T0 + 11_000,
        ),
        404,
        "InvalidSnapshotHash.NotFound",
    );
    let outside = call(
        s,
        "BrowseFiles",
        json!({"VaultId": vault_id, "SnapshotHash": hash, "AbsolutePath": "/srv"}),
        T0 + 11_000,
    );
    refused(outside, 400, "InvalidParameter");
}

#[test]
fn basic_statistics_count_the_protected_resources() {
    let s = store(40);
    let count = |now: i64| {
        let stats = ok(call(
            &s,
            "GetBasicStatistics",
            json!({"SourceType": "ECS_FILE"}),
            now,
        ));
        (
            stats["GlobalStatistics"]["ProtectedResourceCount"]
                .as_i64()
                .unwrap(),
            stats["GlobalStatistics"]["ProtectedDataSize"]
                .as_i64()
                .unwrap(),
            stats,
        )
    };
    let (seeded, _, _) = count(T0);
    let (_vault_id, plan_id) = vault_and_plan(&s);
    backed_up(&s, &plan_id);
    let (resources, _, _) = count(T0 + 1_000);
    assert_eq!(resources, seeded + 1);
    let (_, size, stats) = count(T0 + 10_000);
    let snapshot_bytes = {
        let id = protected_resource(&s, T0 + 10_000)["ProtectedResourceId"].clone();
        let listed = ok(call(
            &s,
            "ListSnapshots",
            json!({"SourceType": "ECS_FILE", "ProtectedResourceId": id}),
            T0 + 10_000,
        ));
        listed["Snapshots"][0]["BytesTotal"].as_i64().unwrap()
    };
    assert!(size >= snapshot_bytes && snapshot_bytes > 0, "{stats}");
    let regions = stats["RegionStatistics"].as_array().unwrap();
    let summed: i64 = regions
        .iter()
        .filter_map(|r| r["ProtectedResourceCount"].as_i64())
        .sum();
    assert_eq!(summed, resources);
}

/// A run of a policy's backup rule makes a snapshot of the bound resource, named by the same
/// field a plan's snapshot of that kind uses (for Tablestore, `InstanceName`), so the
/// protected resource counts it.
#[test]
fn a_policy_run_is_a_snapshot_of_its_bound_resource() {
    let s = store(40);
    let rules = json!([{"RuleType": "BACKUP", "BackupType": "COMPLETE", "Schedule": "I|1800000000|P1D", "Retention": 3}]);
    let policy_id = ok(call(
        &s,
        "CreatePolicyV2",
        json!({"PolicyName": "tables", "Rules": rules}),
        T0,
    ))["PolicyId"]
        .clone();
    let policy = ok(call(
        &s,
        "DescribePoliciesV2",
        json!({"PolicyId": policy_id}),
        T0,
    ));
    let rule_id = policy["Policies"][0]["Rules"][0]["RuleId"].clone();
    for (source_type, id, field) in [
        ("OTS_TABLE", "ots-tables", Some("InstanceName")),
        ("OSS", "bucket-policy", None), // ListSnapshots shows no bucket
        ("ECS_FILE", "i-bp1policy", Some("InstanceId")),
    ] {
        let binding = json!([{"DataSourceId": id, "SourceType": source_type}]);
        ok(call(
            &s,
            "CreatePolicyBindings",
            json!({"PolicyId": policy_id, "PolicyBindingList": binding}),
            T0,
        ));
        let job = ok(call(
            &s,
            "ExecutePolicyV2",
            json!({"PolicyId": policy_id, "RuleId": rule_id, "DataSourceId": id}),
            T0,
        ))["JobId"]
            .clone();
        let listed = ok(call(
            &s,
            "ListProtectedResources",
            json!({"SourceType": source_type, "ResourceId": id}),
            T0 + 10_000,
        ));
        assert_eq!(listed["TotalCount"], 1, "{listed}");
        let resource = &listed["ProtectedResources"][0];
        assert_eq!(resource["SnapshotCount"], 1, "{source_type}: {listed}");
        let snapshots = ok(call(
            &s,
            "ListSnapshots",
            json!({"SourceType": source_type, "ProtectedResourceId": resource["ProtectedResourceId"]}),
            T0 + 10_000,
        ));
        let snapshot = &snapshots["Snapshots"][0];
        assert_eq!(snapshot["JobId"], job, "{snapshots}");
        if let Some(field) = field {
            assert_eq!(snapshot[field], id, "{snapshots}");
        }
    }
}
