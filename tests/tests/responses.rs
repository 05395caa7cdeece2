//! The documented example response parses with every field as the documentation gives it,
//! re-serializes to the same API-shaped JSON, and unknown values survive.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use hbr_client::describe_restore_jobs2::{
    DescribeRestoreJobs2Response, ReportTaskStatus, RestoreJobStatus,
};
use hbr_client::types::{CrossAccountType, RestoreType, SourceType, StorageClass};
use hbr_client::OperationOutput;
use hbr_tests::documented_example_response;

fn example() -> (String, DescribeRestoreJobs2Response) {
    let text = documented_example_response();
    let parsed = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the documented example must parse: {e}"));
    (text, parsed)
}

#[test]
fn the_envelope_matches_the_documentation() {
    let (_, r) = example();
    assert_eq!(r.request_id(), Some("473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E"));
    assert_eq!(r.success(), Some(true));
    assert_eq!(r.code(), Some("200"));
    assert_eq!(r.message(), Some("successful"));
    assert_eq!(r.page_number(), Some(1));
    assert_eq!(r.page_size(), Some(1));
    assert_eq!(r.total_count(), Some(1));
    assert_eq!(
        OperationOutput::request_id(&r),
        Some("473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E")
    );
    assert_eq!(r.restore_jobs().len(), 1);
}

#[test]
fn every_job_field_matches_the_documentation() {
    let (_, r) = example();
    let j = &r.restore_jobs()[0];
    assert_eq!(j.snapshot_hash(), Some("f2fe..."));
    assert_eq!(j.status(), Some(&RestoreJobStatus::Complete));
    assert_eq!(j.error_message(), Some("PARTIAL_COMPLETE"));
    assert_eq!(j.actual_items(), Some(6));
    assert_eq!(j.vault_id(), Some("v-0006******q"));
    assert_eq!(j.actual_bytes(), Some(600));
    assert_eq!(j.source_type(), Some(&SourceType::EcsFile));
    assert_eq!(j.options(), Some(r#"{"UseVSS":false}"#));
    assert_eq!(j.source_instance_id(), Some("i-2ze3m7ktcgw******cs"));
    assert_eq!(j.restore_type(), Some(&RestoreType::EcsFile));
    assert_eq!(j.target_create_time_raw(), Some(1634714531));
    assert_eq!(j.items_done(), Some(8));
    assert_eq!(j.bytes_total(), Some(1000));
    assert_eq!(j.exclude(), Some(r#"["/var", "/proc"]"#));
    assert_eq!(j.parent_id(), Some("r-0003hd2an3x4dyv0l18b"));
    assert_eq!(j.complete_time_raw(), Some(1554347313));
    assert_eq!(j.created_time_raw(), Some(1554347313));
    assert_eq!(j.target_bucket(), Some("target-bucket"));
    assert_eq!(j.cluster_id(), Some("cl-000******hp6"));
    assert_eq!(j.target_file_system_id(), Some("0be9****9c9"));
    assert_eq!(j.progress(), Some(10000));
    assert_eq!(j.expire_time_raw(), Some(1634714531));
    assert_eq!(j.target_data_source_id(), Some("ds-000*****997"));
    assert_eq!(j.target_prefix(), Some("\"/target\""));
    assert_eq!(j.target_path(), Some("\"D:\\\\rebk\""));
    assert_eq!(j.error_file(), Some("\"test.csv\""));
    assert_eq!(j.start_time_raw(), Some(1554347313));
    assert_eq!(j.updated_time_raw(), Some(1554347313));
    assert_eq!(j.snapshot_id(), Some("s-0002******ga88"));
    assert_eq!(j.restore_id(), Some("r-0003*****8a"));
    assert_eq!(j.target_client_id(), Some("c-000e*****397"));
    assert_eq!(j.items_total(), Some(10));
    assert_eq!(
        j.include(),
        Some(r#"["/home/alice/*.pdf", "/home/bob/*.txt"]"#)
    );
    assert_eq!(j.bytes_done(), Some(800));
    assert_eq!(j.target_instance_name(), Some("instancename"));
    assert_eq!(j.target_table_name(), Some("tablename"));
    assert_eq!(j.speed(), Some(500));
    assert_eq!(j.target_time_raw(), Some(1642560261));
    let ots = j.ots_detail().expect("OtsDetail");
    assert_eq!(ots.batch_channel_count(), Some(2));
    assert_eq!(ots.overwrite_existing(), Some(false));
    assert_eq!(j.cross_account_type(), Some(&CrossAccountType::SelfAccount));
    assert_eq!(j.cross_account_user_id(), Some(0));
    assert_eq!(j.cross_account_role_name(), Some("BackupRole"));
    let report = j.report().expect("Report");
    assert_eq!(
        report.total_files(),
        Some("/temp/report/158975xxxxxx4625/job-0001hfxxxxxymsspjjtl/job-0001hfxxxxxymsspjjtl_total.csv")
    );
    assert_eq!(
        report.success_files(),
        Some("/temp/report/158975xxxxxx4625/r-0001hfxxxxxymsspjjtl/job-0001hfxxxxxymsspjjtl_success.zip\n")
    );
    assert_eq!(
        report.failed_files(),
        Some("/temp/report/158975xxxxxx4625/r-0001hfxxxxxymsspjjtl/job-0001hfxxxxxymsspjjtl_failed.zip")
    );
    assert_eq!(
        report.skipped_files(),
        Some("/temp/report/158975xxxxxx4625/r-0001hfxxxxxymsspjjtl/job-0001hfxxxxxymsspjjtl_skipped.zip")
    );
    assert_eq!(
        report.report_task_status(),
        Some(&ReportTaskStatus::Complete)
    );
    assert_eq!(j.metering_bytes_done(), Some(1048576));
    assert_eq!(j.metering_bytes_total(), Some(1048576));
    assert_eq!(j.storage_class(), Some(&StorageClass::Standard));
    assert_eq!(j.target_instance_id(), Some("i-2ze3m7ktcgw******cs"));
    assert_eq!(j.source_resource_id(), Some("i-123***7890"));
    assert!(j.udm_detail().is_some_and(|s| s.contains("doCopy")));
    assert!(j
        .failback_detail()
        .is_some_and(|s| s.contains("restoreVMNamePrefix")));
}

#[test]
fn derived_values_follow_the_documented_units() {
    let (_, r) = example();
    let j = &r.restore_jobs()[0];
    assert_eq!(j.progress_percent(), Some(100.0));
    // 1554347313 is 2019-04-04T03:08:33Z.
    let t = j.complete_time().expect("a time value");
    assert_eq!(
        (
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        (2019, 4, 4, 3, 8, 33)
    );
    assert_eq!(j.created_time(), j.complete_time());
}

#[test]
fn the_json_carrying_strings_decode_on_demand() {
    let (_, r) = example();
    let j = &r.restore_jobs()[0];
    let options = j
        .options_parsed()
        .expect("Options is JSON")
        .expect("present");
    assert_eq!(options.use_vss(), Some(false));
    assert_eq!(
        j.include_parsed().expect("Include").expect("present"),
        ["/home/alice/*.pdf", "/home/bob/*.txt"]
    );
    assert_eq!(
        j.exclude_parsed().expect("Exclude").expect("present"),
        ["/var", "/proc"]
    );
    let udm = j
        .udm_detail_parsed()
        .expect("UdmDetail, escaped once more as documented")
        .expect("present");
    assert_eq!(udm.do_copy(), Some(true));
    assert_eq!(udm.destination_region_id(), Some("cn-shanghai"));
    assert_eq!(udm.destination_retention(), Some(35));
    assert_eq!(udm.disk_id_list(), [] as [String; 0]);
    let fb = j
        .failback_detail_parsed()
        .expect("FailbackDetail")
        .expect("present");
    assert_eq!(fb.cpu(), Some(4));
    assert_eq!(fb.memory_in_mb(), Some(8192));
    assert_eq!(fb.instance_id(), Some("i-2vc357i2eannmmotcagz"));
    assert_eq!(fb.uefi_boot(), Some(false));
    let extra = fb
        .extra_parsed()
        .expect("extra is JSON inside JSON")
        .expect("present");
    assert_eq!(extra.restore_vm_name_prefix(), Some("627-"));
    assert_eq!(extra.data_store_id(), Some("datastore-50"));
    assert_eq!(extra.use_hot_add(), Some(false));
}

#[test]
fn re_serialized_it_equals_the_original() {
    let (text, r) = example();
    let original: serde_json::Value = serde_json::from_str(&text).expect("json");
    let back = serde_json::to_value(&r).expect("serializes");
    assert_eq!(back, original);
}

#[test]
fn it_reads_the_example_as_the_official_sdk_does() {
    // The official Python SDK's model of the same body (recorded with the wire vectors):
    // every field it reads, with the value it reads, is what the typed response holds.
    let (_, r) = example();
    let ours = serde_json::to_value(&r).expect("serializes");
    let theirs = hbr_tests::official_sdk_parsed_example();
    assert!(theirs.as_object().is_some_and(|o| o.len() > 5), "{theirs}");
    assert_eq!(ours, theirs);
}

#[test]
fn an_undocumented_status_is_kept() {
    let body = r#"{"RestoreJobs":{"RestoreJob":[{"RestoreId":"r-1","Status":"RUNNING","RestoreType":"VMWARE"}]}}"#;
    let r: DescribeRestoreJobs2Response = serde_json::from_str(body).expect("parses");
    let j = &r.restore_jobs()[0];
    assert_eq!(
        j.status(),
        Some(&RestoreJobStatus::Unknown("RUNNING".to_owned()))
    );
    assert!(j.status().is_some_and(RestoreJobStatus::is_unknown));
    assert_eq!(j.status().map(RestoreJobStatus::as_str), Some("RUNNING"));
    assert_eq!(
        j.restore_type(),
        Some(&RestoreType::Unknown("VMWARE".to_owned()))
    );
    let back = serde_json::to_value(&r).expect("serializes");
    assert_eq!(back["RestoreJobs"]["RestoreJob"][0]["Status"], "RUNNING");
    assert_eq!(
        back["RestoreJobs"]["RestoreJob"][0]["RestoreType"],
        "VMWARE"
    );
}

#[test]
fn integers_may_arrive_as_strings_and_unknown_fields_are_ignored() {
    let body = r#"{"TotalCount":"3","PageSize":"10","Brand":"new","RestoreJobs":{"RestoreJob":[{"Progress":"5000","BytesDone":"9007199254740993","Future":{"a":1}}]}}"#;
    let r: DescribeRestoreJobs2Response = serde_json::from_str(body).expect("parses");
    assert_eq!(r.total_count(), Some(3));
    let j = &r.restore_jobs()[0];
    assert_eq!(j.progress_percent(), Some(50.0));
    assert_eq!(j.bytes_done(), Some(9_007_199_254_740_993));
    let err = serde_json::from_str::<DescribeRestoreJobs2Response>(r#"{"TotalCount":"many"}"#)
        .expect_err("not an integer");
    assert!(err.to_string().contains("TotalCount"), "{err}");
    // The path to the bad value, each step named once.
    assert!(
        err.to_string()
            .starts_with("field `TotalCount`: \"many\" is not an integer")
            && err.to_string().matches("TotalCount").count() == 1,
        "{err}"
    );
    let err = serde_json::from_str::<DescribeRestoreJobs2Response>(
        r#"{"RestoreJobs":{"RestoreJob":[{"Progress":"half"}]}}"#,
    )
    .expect_err("not an integer");
    assert!(
        err.to_string()
            .starts_with("field `RestoreJobs`: field `Progress`: \"half\""),
        "{err}"
    );
    let err = serde_json::from_str::<DescribeRestoreJobs2Response>(r#"{"PageSize":3000000000}"#)
        .expect_err("overflows int32");
    assert!(err.to_string().contains("PageSize"), "{err}");
}
