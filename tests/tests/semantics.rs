//! Typed meaning on imported operations: conditional parameters refused before sending
//! (`only_when`, `when` + `required`), times from unix integers (responses and request
//! setters), JSON shapes decoded on demand. Expected values come from the documentation's
//! examples, worked out independently (dates by `python3 -c 'datetime.fromtimestamp(..)'`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use hbr_client::create_restore_job::{CreateRestoreJobRequest, RestoreType, SourceType};
use hbr_client::create_vault::{CreateVaultRequest, EncryptType};
use hbr_client::describe_vaults::DescribeVaultsResponse;
use hbr_client::generate_ram_policy::GenerateRamPolicyResponse;
use hbr_client::search_historical_snapshots::SearchHistoricalSnapshotsResponse;
use hbr_client::Operation;
use serde_json::json;
use time::macros::datetime;

fn restore(restore_type: RestoreType) -> CreateRestoreJobRequest {
    CreateRestoreJobRequest::builder()
        .restore_type(restore_type)
        .source_type(SourceType::Oss)
        .target_bucket("hbr-backup-oss")
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_parameter_set_outside_its_condition_is_refused_naming_both() {
    let err = CreateRestoreJobRequest::builder()
        .restore_type(RestoreType::EcsFile)
        .source_type(SourceType::EcsFile)
        .target_bucket("hbr-backup-oss")
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid parameter TargetBucket: applies only when `RestoreType` is `OSS`"
    );
    // Where the documentation allows it, it goes out.
    let ok = restore(RestoreType::Oss);
    assert!(ok
        .encode()
        .query
        .contains(&("TargetBucket".to_owned(), "hbr-backup-oss".to_owned())));
}

#[test]
fn a_value_the_documentation_does_not_know_refuses_nothing() {
    // `UDM_ECS_DISK` is not a documented RestoreType of CreateRestoreJob: the documentation
    // says nothing about it, so the rule stays silent (the recorded SDK vector sends it).
    let r = CreateRestoreJobRequest::builder()
        .restore_type(RestoreType::Unknown("UDM_ECS_DISK".into()))
        .source_type(SourceType::UdmEcs)
        .target_path("/restore")
        .build();
    assert!(r.is_ok(), "{r:?}");
}

#[test]
fn a_kms_vault_without_its_key_is_refused() {
    let err = CreateVaultRequest::builder()
        .vault_region_id("cn-hangzhou")
        .vault_name("v")
        .encrypt_type(EncryptType::Kms)
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid parameter KmsKeyId: required when `EncryptType` is `KMS`"
    );
    for ok in [
        CreateVaultRequest::builder()
            .vault_region_id("cn-hangzhou")
            .vault_name("v")
            .encrypt_type(EncryptType::Kms)
            .kms_key_id("key-1")
            .build(),
        CreateVaultRequest::builder()
            .vault_region_id("cn-hangzhou")
            .vault_name("v")
            .encrypt_type(EncryptType::HbrPrivate)
            .build(),
    ] {
        assert!(ok.is_ok(), "{ok:?}");
    }
}

#[test]
fn rules_inside_request_arrays_and_objects_are_checked_with_their_path() {
    let check = hbr_client::registry::find("CreatePolicyBindings")
        .unwrap()
        .check;
    let binding = |udm: serde_json::Value| {
        json!({"PolicyId": "po-1", "PolicyBindingList": [
            {"SourceType": "UDM_ECS", "DataSourceId": "i-1"},
            {"SourceType": "UDM_ECS", "DataSourceId": "i-2", "AdvancedOptions": {"UdmDetail": udm}},
        ]})
    };
    let err = check(binding(json!({"AppConsistent": false, "RamRoleName": "r"}))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid parameter PolicyBindingList.2.AdvancedOptions.UdmDetail.RamRoleName: applies only when `AppConsistent` is `true`"
    );
    assert!(check(binding(json!({"AppConsistent": true, "RamRoleName": "r"}))).is_ok());
    // AppConsistent absent (no documented default): nothing contradicts the condition.
    assert!(check(binding(json!({"RamRoleName": "r"}))).is_ok());
    // A condition on a field with a default uses the default: Mode is RECOVERY_TO_MOST_RECENT.
    let hana = hbr_client::registry::find("DescribeHanaBackupsAsync")
        .unwrap()
        .check;
    let err = hana(json!({"ClusterId": "cl-1", "RecoveryPointInTime": 1635315505})).unwrap_err();
    assert!(
        err.to_string().contains(
            "RecoveryPointInTime: applies only when `Mode` is `RECOVERY_TO_POINT_IN_TIME`"
        ),
        "{err}"
    );
    assert!(hana(json!({"ClusterId": "cl-1", "Mode": "RECOVERY_TO_POINT_IN_TIME", "RecoveryPointInTime": 1635315505})).is_ok());
}

#[test]
fn imported_times_read_as_the_documented_instants() {
    // DescribeVaults' example creation time, 1554347313 unix seconds.
    let page: DescribeVaultsResponse = serde_json::from_value(json!({
        "Vaults": {"Vault": [{"CreatedTime": 1554347313, "StorageSize": 10}]}
    }))
    .unwrap();
    let vault = &page.vaults()[0];
    assert_eq!(
        vault.created_time(),
        Some(datetime!(2019-04-04 03:08:33 UTC))
    );
    assert_eq!(vault.created_time_raw(), Some(1554347313));
    // SearchHistoricalSnapshots' example range start, 1642492553038 unix milliseconds.
    let found: SearchHistoricalSnapshotsResponse = serde_json::from_value(json!({
        "Snapshots": {"Snapshot": [{"RangeStart": 1642492553038_i64}]}
    }))
    .unwrap();
    assert_eq!(
        found.snapshots()[0].range_start(),
        Some(datetime!(2022-01-18 07:55:53.038 UTC))
    );
}

#[test]
fn request_times_take_a_point_in_time_or_the_integer() {
    let at = |t: CreateRestoreJobRequest| {
        t.encode()
            .query
            .into_iter()
            .find(|(k, _)| k == "TargetCreateTime")
            .map(|(_, v)| v)
    };
    let build = |b: hbr_client::create_restore_job::CreateRestoreJobRequestBuilder<
        (),
        hbr_client::__private::Set,
        hbr_client::__private::Set,
    >| b.build().unwrap();
    let base = || {
        CreateRestoreJobRequest::builder()
            .restore_type(RestoreType::Nas)
            .source_type(SourceType::Nas)
    };
    let by_time = build(base().target_create_time(datetime!(2019-04-04 03:08:33 UTC)));
    let by_int = build(base().target_create_time(1554347313));
    assert_eq!(at(by_time).as_deref(), Some("1554347313"));
    assert_eq!(at(by_int).as_deref(), Some("1554347313"));
    // DescribeOtsTableSnapshots takes unix milliseconds, in the form body.
    let ots = hbr_client::describe_ots_table_snapshots::DescribeOtsTableSnapshotsRequest::builder()
        .start_time(datetime!(2021-01-20 02:21:11.630 UTC))
        .build()
        .unwrap();
    assert!(ots
        .encode()
        .body
        .contains(&("StartTime".to_owned(), "1611109271630".to_owned())));
}

#[test]
fn an_imported_json_string_decodes_to_its_documented_shape() {
    // GenerateRamPolicy's example policy document, shortened.
    let out: GenerateRamPolicyResponse = serde_json::from_value(json!({
        "PolicyDocument": "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"hbr:CreateRestoreJob\"],\"Resource\":[\"acs:hbr:*:1178531:vault/v-1\"]}]}"
    }))
    .unwrap();
    let doc = out.policy_document_parsed().unwrap().unwrap();
    assert_eq!(doc.version(), Some("1"));
    let statement = &doc.statement()[0];
    assert_eq!(statement.effect(), Some("Deny"));
    assert_eq!(statement.action(), ["hbr:CreateRestoreJob"]);
    assert_eq!(statement.resource(), ["acs:hbr:*:1178531:vault/v-1"]);
    // Text that is not the documented JSON is an error naming the field, not a panic.
    let bad: GenerateRamPolicyResponse =
        serde_json::from_value(json!({"PolicyDocument": "{\"Version\": 1"})).unwrap();
    let err = bad.policy_document_parsed().unwrap_err();
    assert!(err.to_string().contains("PolicyDocument"), "{err}");
}

#[test]
fn a_request_json_string_takes_its_documented_shape() {
    use hbr_client::create_backup_plan::{BackupOptions, CreateBackupPlanRequest};
    use hbr_client::create_restore_job::RestoreOptions;
    let options = |params: hbr_client::__private::Params| {
        params
            .query
            .into_iter()
            .chain(params.body)
            .find(|(k, _)| k == "Options")
            .map(|(_, v)| v)
    };
    // CreateRestoreJob's documented example, built from the typed shape.
    let typed = RestoreOptions::builder()
        .includes(Vec::<String>::new())
        .excludes(Vec::<String>::new())
        .conflict_policy("OVERWRITE_EXISTING")
        .build()
        .unwrap();
    let request = CreateRestoreJobRequest::builder()
        .restore_type(RestoreType::EcsFile)
        .source_type(SourceType::EcsFile)
        .options(typed)
        .build()
        .unwrap();
    assert_eq!(
        options(request.encode()).as_deref(),
        Some(r#"{"includes":[],"excludes":[],"conflictPolicy":"OVERWRITE_EXISTING"}"#)
    );
    // CreateBackupPlan's: the official SDK sent exactly this text (tests/vectors).
    let plan = CreateBackupPlanRequest::builder()
        .source_type("ECS_FILE".into())
        .plan_name("nightly")
        .backup_type("COMPLETE".into())
        .schedule("I|1602673264|P1D")
        .options(BackupOptions::builder().use_vss(false).build().unwrap())
        .build()
        .unwrap();
    assert_eq!(
        options(plan.encode()).as_deref(),
        Some(r#"{"UseVSS":false}"#)
    );
    // The text form stays: what a caller sent before is sent unchanged.
    let text = CreateRestoreJobRequest::builder()
        .restore_type(RestoreType::EcsFile)
        .source_type(SourceType::EcsFile)
        .options(r#"{"includes":["/data"]}"#)
        .build()
        .unwrap();
    assert_eq!(
        options(text.encode()).as_deref(),
        Some(r#"{"includes":["/data"]}"#)
    );
}
