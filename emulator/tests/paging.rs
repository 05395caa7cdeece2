//! Paging, ordering, determinism and the consistency of the generated data set.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::field_reassign_with_default
)]

mod common;

use std::collections::HashSet;

use common::*;
use hbr_emulator::{generate_jobs, render_job, Job, DATASET_NOW};
use serde_json::Value;

async fn page(
    c: &reqwest::Client,
    emu: &hbr_emulator::RunningEmulator,
    number: u64,
    size: u32,
) -> Value {
    let (n, s) = (number.to_string(), size.to_string());
    let resp = describe(c, emu, &[("PageNumber", &n), ("PageSize", &s)]).await;
    assert_eq!(resp.status, 200);
    resp.json()
}

#[tokio::test]
async fn every_job_appears_exactly_once_in_api_order() {
    const N: usize = 1_000;
    let emu = start(N, 9).await;
    let c = client();
    for size in [99u32, 7, 1] {
        let mut ids: Vec<String> = Vec::new();
        let mut keys: Vec<(i64, String)> = Vec::new();
        let pages = N.div_ceil(size as usize) as u64;
        for number in 1..=pages.min(if size == 1 { 40 } else { pages }) {
            let body = page(&c, &emu, number, size).await;
            assert_eq!(body["TotalCount"], N as u64);
            assert_eq!(body["PageNumber"], number);
            assert_eq!(body["PageSize"], size);
            let jobs = body["RestoreJobs"]["RestoreJob"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let expected_len = (N - ((number - 1) * u64::from(size)) as usize).min(size as usize);
            assert_eq!(jobs.len(), expected_len);
            for j in jobs {
                ids.push(j["RestoreId"].as_str().unwrap_or_default().to_owned());
                keys.push((
                    j["CreatedTime"].as_i64().unwrap_or_default(),
                    ids.last().cloned().unwrap_or_default(),
                ));
            }
        }
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "no job twice (page size {size})");
        if size != 1 {
            assert_eq!(ids.len(), N, "every job once (page size {size})");
        }
        assert!(
            keys.windows(2)
                .all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1)),
            "CreatedTime descending, then RestoreId"
        );
        // Past the end: empty, same total.
        let body = page(&c, &emu, pages + 1, size).await;
        assert_eq!(body["TotalCount"], N as u64);
        assert_eq!(
            body["RestoreJobs"]["RestoreJob"].as_array().map(Vec::len),
            Some(0)
        );
    }
    let far = page(&c, &emu, i32::MAX as u64, 99).await;
    assert_eq!(
        far["RestoreJobs"]["RestoreJob"].as_array().map(Vec::len),
        Some(0)
    );
}

#[tokio::test]
async fn the_served_pages_are_generate_jobs() {
    let jobs = generate_jobs(250, 4);
    let emu = start(250, 4).await;
    let c = client();
    let body = page(&c, &emu, 2, 99).await;
    let served = body["RestoreJobs"]["RestoreJob"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (got, job) in served.iter().zip(&jobs[99..198]) {
        let expected: Value = serde_json::from_str(&render_job(job, false)).expect("JSON");
        assert_eq!(got, &expected);
        // The wire shape reads back into the same job (minus the unserialized attributes).
        let back: Job = serde_json::from_value(got.clone()).expect("Job deserializes");
        assert_eq!(back.restore_id, job.restore_id);
        assert_eq!(back.bytes_done, job.bytes_done);
    }
}

fn strip_request_id(body: &[u8]) -> Value {
    let mut v: Value = serde_json::from_slice(body).expect("JSON");
    v.as_object_mut().map(|o| o.remove("RequestId"));
    v
}

#[tokio::test]
async fn same_seed_same_bytes() {
    let a = generate_jobs(500, 42);
    let b = generate_jobs(500, 42);
    let bytes = |jobs: &[Job]| {
        jobs.iter()
            .map(|j| render_job(j, false))
            .collect::<Vec<_>>()
            .join(",")
    };
    assert_eq!(bytes(&a), bytes(&b));
    assert_ne!(bytes(&a), bytes(&generate_jobs(500, 43)));

    let e1 = start(500, 42).await;
    let e2 = start(500, 42).await;
    let c = client();
    for number in ["1", "3"] {
        let q = [
            ("PageNumber", number),
            ("PageSize", "99"),
            ("Filters.1.Key", "Status"),
            ("Filters.1.Values.1", "COMPLETE"),
        ];
        let r1 = describe(&c, &e1, &q).await;
        let r2 = describe(&c, &e2, &q).await;
        assert_eq!(strip_request_id(&r1.body), strip_request_id(&r2.body));
        // Byte-identical once the RequestId is blanked.
        let blank = |r: &Resp| {
            let id = r.header("x-acs-request-id").unwrap_or_default().to_owned();
            String::from_utf8_lossy(&r.body).replace(&id, "")
        };
        assert_eq!(blank(&r1), blank(&r2));
    }
}

#[test]
fn generated_jobs_are_consistent() {
    let jobs = generate_jobs(3_000, 77);
    assert_eq!(jobs.len(), 3_000);
    let ids: HashSet<&str> = jobs.iter().map(|j| j.restore_id.as_str()).collect();
    assert_eq!(ids.len(), jobs.len(), "RestoreIds are unique");
    let mut types = HashSet::new();
    let mut statuses = HashSet::new();
    let mut regions = HashSet::new();
    for j in &jobs {
        types.insert(j.restore_type.as_str());
        statuses.insert(j.status.as_str());
        regions.insert(j.region_id.as_str());
        assert!(j.bytes_done <= j.bytes_total && j.bytes_done >= 0, "{j:?}");
        assert!(j.actual_bytes <= j.bytes_done);
        assert!(j.items_done <= j.items_total && j.actual_items <= j.items_done);
        assert!(j.metering_bytes_done <= j.metering_bytes_total);
        assert!(j.metering_bytes_total % (1 << 20) == 0 && j.metering_bytes_total >= j.bytes_total);
        assert!((0..=10_000).contains(&j.progress));
        assert!(j.created_time <= DATASET_NOW && j.updated_time <= DATASET_NOW);
        assert!(j.updated_time >= j.created_time);
        assert!(j.expire_time >= j.created_time);
        assert!(!j.plan_id.is_empty() && !j.region_id.is_empty());
        match j.status.as_str() {
            "COMPLETE" => {
                assert_eq!(j.progress, 10_000);
                assert_eq!(j.bytes_done, j.bytes_total);
            }
            "PARTIAL_COMPLETE" => assert_eq!(j.progress, 10_000),
            "FAILED" => assert!(!j.error_message.is_empty()),
            "RUNNING" => {
                assert_eq!(j.complete_time, 0);
                assert!(j.start_time >= j.created_time && j.progress < 10_000);
            }
            "CREATED" => assert_eq!((j.start_time, j.complete_time, j.progress), (0, 0, 0)),
            other => panic!("unexpected status {other}"),
        }
        if matches!(
            j.status.as_str(),
            "COMPLETE" | "PARTIAL_COMPLETE" | "FAILED"
        ) {
            assert!(
                j.created_time <= j.start_time && j.start_time <= j.complete_time,
                "{j:?}"
            );
            assert!(j.complete_time <= j.updated_time);
        }
        assert_eq!(j.ots_detail.is_some(), j.restore_type == "OTS_TABLE");
        assert_eq!(
            j.report.is_some(),
            matches!(
                j.restore_type.as_str(),
                "ECS_FILE" | "NAS" | "COMMON_FILE_SYSTEM"
            )
        );
        match j.restore_type.as_str() {
            "OSS" => assert!(!j.target_bucket.is_empty()),
            "NAS" => assert!(!j.target_file_system_id.is_empty() && j.target_create_time > 0),
            "COMMON_FILE_SYSTEM" => assert!(j.target_file_system_id.starts_with("cpfs-")),
            "ECS_FILE" | "UDM_ECS_ROLLBACK" => assert!(j.target_instance_id.starts_with("i-")),
            "OTS_TABLE" => assert!(!j.target_table_name.is_empty() && j.target_time > 0),
            other => panic!("unexpected type {other}"),
        }
        if !j.parent_id.is_empty() {
            assert!(ids.contains(j.parent_id.as_str()));
        }
    }
    assert_eq!(types.len(), 6, "{types:?}");
    assert_eq!(statuses.len(), 5, "{statuses:?}");
    assert!(regions.len() >= 3, "{regions:?}");
    assert!(generate_jobs(0, 1).is_empty());
    assert_eq!(generate_jobs(1, 1).len(), 1);
}
