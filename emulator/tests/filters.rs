//! Every allowed filter key × operator pair returns exactly what a simple filter, written
//! here independently of the emulator, picks from `generate_jobs`; disallowed pairs and
//! limits give InvalidParameter.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::field_reassign_with_default
)]

mod common;

use std::collections::HashSet;

use common::*;
use hbr_emulator::{generate_jobs, Job};
use serde_json::Value;

const JOBS: usize = 600;
const SEED: u64 = 5;

/// The documented mapping of filter keys onto job data (see the crate docs).
fn field(job: &Job, key: &str) -> String {
    match key {
        "RegionId" => job.region_id.clone(),
        "PlanId" => job.plan_id.clone(),
        "JobId" => job.restore_id.clone(),
        "VaultId" => job.vault_id.clone(),
        "InstanceId" => job.target_instance_id.clone(),
        "Bucket" => job.target_bucket.clone(),
        "FileSystemId" => job.target_file_system_id.clone(),
        "Status" => job.status.clone(),
        other => panic!("not a string key: {other}"),
    }
}

const STRING_KEYS: [&str; 8] = [
    "RegionId",
    "PlanId",
    "JobId",
    "VaultId",
    "InstanceId",
    "Bucket",
    "FileSystemId",
    "Status",
];

/// One filter as the test understands it.
#[derive(Clone, Debug)]
struct F {
    key: &'static str,
    op: Option<&'static str>,
    values: Vec<String>,
}

fn reference_match(job: &Job, f: &F) -> bool {
    if f.key == "CompleteTime" {
        let t = job.complete_time;
        if t == 0 {
            return false; // not finished: no completion time
        }
        let v: Vec<i64> = f
            .values
            .iter()
            .map(|v| v.parse().expect("number"))
            .collect();
        return match f.op.expect("operator") {
            "EQUAL" => t == v[0],
            "NOT_EQUAL" => t != v[0],
            "GREATER_THAN" => t > v[0],
            "GREATER_THAN_OR_EQUAL" => t >= v[0],
            "LESS_THAN" => t < v[0],
            "LESS_THAN_OR_EQUAL" => t <= v[0],
            "BETWEEN" => v[0] <= t && t <= v[1],
            other => panic!("{other}"),
        };
    }
    let value = field(job, f.key);
    match f.op.unwrap_or("IN") {
        "IN" => f.values.contains(&value),
        "EQUAL" => value == f.values[0],
        "NOT_EQUAL" => value != f.values[0],
        other => panic!("{other}"),
    }
}

/// The expected RestoreIds, in API order, computed from scratch.
fn reference(jobs: &[Job], restore_type: Option<&str>, filters: &[F]) -> Vec<String> {
    let mut hits: Vec<&Job> = jobs
        .iter()
        .filter(|j| restore_type.is_none_or(|t| j.restore_type == t))
        .filter(|j| filters.iter().all(|f| reference_match(j, f)))
        .collect();
    hits.sort_by(|a, b| {
        b.created_time
            .cmp(&a.created_time)
            .then(a.restore_id.cmp(&b.restore_id))
    });
    hits.iter().map(|j| j.restore_id.clone()).collect()
}

fn params(restore_type: Option<&str>, filters: &[F]) -> Vec<(String, String)> {
    let mut p = Vec::new();
    if let Some(t) = restore_type {
        p.push(("RestoreType".to_owned(), t.to_owned()));
    }
    for (i, f) in filters.iter().enumerate() {
        let n = i + 1;
        p.push((format!("Filters.{n}.Key"), f.key.to_owned()));
        if let Some(op) = f.op {
            p.push((format!("Filters.{n}.Operator"), op.to_owned()));
        }
        for (m, v) in f.values.iter().enumerate() {
            p.push((format!("Filters.{n}.Values.{}", m + 1), v.clone()));
        }
    }
    p
}

/// Every page at 99 per page; checks TotalCount and page sizes.
async fn fetch_all(
    c: &reqwest::Client,
    emu: &hbr_emulator::RunningEmulator,
    base: &[(String, String)],
) -> Vec<String> {
    let mut ids = Vec::new();
    let mut page = 1;
    loop {
        let mut q: Vec<(&str, String)> =
            base.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        q.push(("PageSize", "99".into()));
        q.push(("PageNumber", page.to_string()));
        let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let resp = describe(c, emu, &q).await;
        assert_eq!(
            resp.status,
            200,
            "{base:?}: {}",
            String::from_utf8_lossy(&resp.body)
        );
        let body = resp.json();
        let total = body["TotalCount"].as_u64().expect("TotalCount");
        let jobs = body["RestoreJobs"]["RestoreJob"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(jobs.len() <= 99);
        ids.extend(
            jobs.iter()
                .map(|j| j["RestoreId"].as_str().unwrap_or_default().to_owned()),
        );
        if jobs.is_empty() || ids.len() as u64 >= total {
            assert_eq!(ids.len() as u64, total, "{base:?}");
            return ids;
        }
        page += 1;
    }
}

fn library_select(jobs: &[Job], base: &[(String, String)]) -> Vec<String> {
    let mut all = Vec::new();
    let mut page = 1u64;
    loop {
        let mut p = base.to_vec();
        p.push(("PageSize".into(), "99".into()));
        p.push(("PageNumber".into(), page.to_string()));
        let q = hbr_emulator::Query::from_params(&p).expect("valid query");
        let got = hbr_emulator::select(jobs, &q).expect("select");
        if got.jobs.is_empty() {
            assert_eq!(all.len() as u64, got.total_count);
            return all;
        }
        all.extend(got.jobs.into_iter().map(|j| j.restore_id));
        page += 1;
    }
}

fn two_values(jobs: &[Job], key: &str) -> (String, String) {
    let mut seen: Vec<String> = Vec::new();
    for j in jobs {
        let v = field(j, key);
        if !v.is_empty() && !seen.contains(&v) {
            seen.push(v);
        }
    }
    assert!(seen.len() >= 2, "{key} has at least two distinct values");
    (seen[0].clone(), seen[seen.len() / 2].clone())
}

#[tokio::test]
async fn every_allowed_key_and_operator_matches_the_reference() {
    let jobs = generate_jobs(JOBS, SEED);
    let emu = start(JOBS, SEED).await;
    let c = client();
    let mut cases: Vec<F> = Vec::new();
    for key in STRING_KEYS {
        let (a, b) = two_values(&jobs, key);
        let missing = "no-such-value".to_owned();
        cases.push(F {
            key,
            op: Some("EQUAL"),
            values: vec![a.clone()],
        });
        cases.push(F {
            key,
            op: Some("NOT_EQUAL"),
            values: vec![a.clone()],
        });
        cases.push(F {
            key,
            op: Some("IN"),
            values: vec![a.clone(), b.clone(), missing.clone()],
        });
        cases.push(F {
            key,
            op: None,
            values: vec![b.clone()],
        });
        cases.push(F {
            key,
            op: Some("EQUAL"),
            values: vec![missing],
        });
    }
    let mut times: Vec<i64> = jobs
        .iter()
        .map(|j| j.complete_time)
        .filter(|t| *t != 0)
        .collect();
    times.sort_unstable();
    let (t1, t2) = (times[times.len() / 4], times[times.len() * 3 / 4]);
    for op in [
        "EQUAL",
        "NOT_EQUAL",
        "GREATER_THAN",
        "GREATER_THAN_OR_EQUAL",
        "LESS_THAN",
        "LESS_THAN_OR_EQUAL",
    ] {
        cases.push(F {
            key: "CompleteTime",
            op: Some(op),
            values: vec![t1.to_string()],
        });
    }
    cases.push(F {
        key: "CompleteTime",
        op: Some("BETWEEN"),
        values: vec![t1.to_string(), t2.to_string()],
    });
    cases.push(F {
        key: "CompleteTime",
        op: Some("BETWEEN"),
        values: vec![t2.to_string(), t1.to_string()],
    });

    let mut operators_seen = HashSet::new();
    for f in &cases {
        operators_seen.insert(f.op.unwrap_or("IN"));
        let expected = reference(&jobs, None, std::slice::from_ref(f));
        let p = params(None, std::slice::from_ref(f));
        let got = fetch_all(&c, &emu, &p).await;
        assert_eq!(got, expected, "filter {f:?}");
        assert_eq!(library_select(&jobs, &p), expected, "select() for {f:?}");
    }
    assert_eq!(operators_seen.len(), 8, "all eight operators exercised");
    // The cases are not vacuous.
    let non_empty = cases
        .iter()
        .filter(|f| !reference(&jobs, None, std::slice::from_ref(f)).is_empty())
        .count();
    assert!(
        non_empty >= cases.len() - 9,
        "{non_empty} of {} cases select something",
        cases.len()
    );
}

#[tokio::test]
async fn between_takes_exactly_the_two_values_the_spec_requires() {
    let jobs = generate_jobs(JOBS, SEED);
    let emu = start(JOBS, SEED).await;
    let c = client();
    let (lo, hi) = (
        hbr_emulator::DATASET_NOW - 200 * 86_400,
        hbr_emulator::DATASET_NOW - 100 * 86_400,
    );
    let f = F {
        key: "CompleteTime",
        op: Some("BETWEEN"),
        values: vec![lo.to_string(), hi.to_string()],
    };
    let expected = reference(&jobs, None, &[f]);
    assert!(!expected.is_empty());
    let pair = vec![
        ("Filters.1.Key".to_owned(), "CompleteTime".to_owned()),
        ("Filters.1.Operator".to_owned(), "BETWEEN".to_owned()),
        ("Filters.1.Values.1".to_owned(), lo.to_string()),
        ("Filters.1.Values.2".to_owned(), hi.to_string()),
    ];
    assert_eq!(fetch_all(&c, &emu, &pair).await, expected);
    // The spec's rule on BETWEEN is two values: one value holding a JSON pair is refused,
    // as the typed client refuses it before sending.
    let one = format!("[{lo},{hi}]");
    let resp = describe(
        &c,
        &emu,
        &[
            ("Filters.1.Key", "CompleteTime"),
            ("Filters.1.Operator", "BETWEEN"),
            ("Filters.1.Values.1", one.as_str()),
        ],
    )
    .await;
    assert_eq!(resp.status, 400);
    let body = resp.json();
    assert_eq!(body["Code"], "InvalidParameter");
    assert!(
        body["Message"]
            .as_str()
            .unwrap()
            .contains("\"Filters.1.Values\""),
        "{body}"
    );
}

#[tokio::test]
async fn filters_and_restore_type_are_anded() {
    let jobs = generate_jobs(JOBS, SEED);
    let emu = start(JOBS, SEED).await;
    let c = client();
    let region = jobs[0].region_id.clone();
    let combos: Vec<(Option<&str>, Vec<F>)> = vec![
        (Some("ECS_FILE"), vec![]),
        (
            Some("OTS_TABLE"),
            vec![F {
                key: "Status",
                op: None,
                values: vec!["COMPLETE".into(), "FAILED".into()],
            }],
        ),
        (
            None,
            vec![
                F {
                    key: "RegionId",
                    op: Some("EQUAL"),
                    values: vec![region.clone()],
                },
                F {
                    key: "Status",
                    op: Some("NOT_EQUAL"),
                    values: vec!["COMPLETE".into()],
                },
            ],
        ),
        (
            Some("NAS"),
            vec![
                F {
                    key: "RegionId",
                    op: Some("IN"),
                    values: vec![region.clone(), "cn-beijing".into()],
                },
                F {
                    key: "CompleteTime",
                    op: Some("GREATER_THAN"),
                    values: vec![(hbr_emulator::DATASET_NOW - 180 * 86_400).to_string()],
                },
                F {
                    key: "Status",
                    op: Some("IN"),
                    values: vec![
                        "COMPLETE".into(),
                        "PARTIAL_COMPLETE".into(),
                        "FAILED".into(),
                    ],
                },
                F {
                    key: "Bucket",
                    op: Some("EQUAL"),
                    values: vec![String::new()],
                },
                F {
                    key: "CompleteTime",
                    op: Some("LESS_THAN_OR_EQUAL"),
                    values: vec![hbr_emulator::DATASET_NOW.to_string()],
                },
            ],
        ),
    ];
    for (rt, filters) in &combos {
        let expected = reference(&jobs, *rt, filters);
        assert!(!expected.is_empty(), "{rt:?} {filters:?} selects something");
        let p = params(*rt, filters);
        assert_eq!(
            fetch_all(&c, &emu, &p).await,
            expected,
            "{rt:?} {filters:?}"
        );
        assert_eq!(library_select(&jobs, &p), expected);
    }
    for rt in [
        "ECS_FILE",
        "OSS",
        "NAS",
        "COMMON_FILE_SYSTEM",
        "OTS_TABLE",
        "UDM_ECS_ROLLBACK",
    ] {
        let expected = reference(&jobs, Some(rt), &[]);
        assert!(!expected.is_empty(), "{rt} present in the data set");
        assert_eq!(fetch_all(&c, &emu, &params(Some(rt), &[])).await, expected);
    }
}

async fn assert_invalid(
    c: &reqwest::Client,
    emu: &hbr_emulator::RunningEmulator,
    p: &[(String, String)],
    names: &str,
) {
    let q: Vec<(&str, &str)> = p.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let resp = describe(c, emu, &q).await;
    let body: Value = resp.assert_error(400, "InvalidParameter");
    assert!(
        body["Message"].as_str().unwrap_or_default().contains(names),
        "{p:?}: message names {names}: {body}"
    );
}

/// A filter of `key` with `op` over `values`.
fn f(key: &'static str, op: Option<&'static str>, values: &[&str]) -> F {
    F {
        key,
        op,
        values: values.iter().map(|v| (*v).to_owned()).collect(),
    }
}

#[tokio::test]
async fn disallowed_pairs_are_invalid_parameters() {
    let emu = start(50, 1).await;
    let c = client();
    // Comparisons and BETWEEN on string keys.
    for key in STRING_KEYS {
        for op in [
            "GREATER_THAN",
            "GREATER_THAN_OR_EQUAL",
            "LESS_THAN",
            "LESS_THAN_OR_EQUAL",
            "BETWEEN",
        ] {
            assert_invalid(
                &c,
                &emu,
                &params(
                    None,
                    &[f(
                        key,
                        Some(op),
                        &["a", "b"][..if op == "BETWEEN" { 2 } else { 1 }],
                    )],
                ),
                "Filters.1.Operator",
            )
            .await;
        }
    }
    // IN on CompleteTime, explicit or by default.
    assert_invalid(
        &c,
        &emu,
        &params(None, &[f("CompleteTime", Some("IN"), &["1700000000"])]),
        "Filters.1.Operator",
    )
    .await;
    assert_invalid(
        &c,
        &emu,
        &params(None, &[f("CompleteTime", None, &["1700000000"])]),
        "Filters.1.Operator",
    )
    .await;
    // BETWEEN takes exactly two values.
    assert_invalid(
        &c,
        &emu,
        &params(None, &[f("CompleteTime", Some("BETWEEN"), &["1700000000"])]),
        "Filters.1.Values",
    )
    .await;
    assert_invalid(
        &c,
        &emu,
        &params(
            None,
            &[f("CompleteTime", Some("BETWEEN"), &["1", "2", "3"])],
        ),
        "Filters.1.Values",
    )
    .await;
    // Single-value operators.
    assert_invalid(
        &c,
        &emu,
        &params(None, &[f("Status", Some("EQUAL"), &["COMPLETE", "FAILED"])]),
        "Filters.1.Values",
    )
    .await;
    assert_invalid(
        &c,
        &emu,
        &params(None, &[f("CompleteTime", Some("LESS_THAN"), &["1", "2"])]),
        "Filters.1.Values",
    )
    .await;
    // Times are unix seconds.
    assert_invalid(
        &c,
        &emu,
        &params(
            None,
            &[f("CompleteTime", Some("GREATER_THAN"), &["yesterday"])],
        ),
        "Filters.1.Values",
    )
    .await;
    assert_invalid(
        &c,
        &emu,
        &params(
            None,
            &[f(
                "CompleteTime",
                Some("GREATER_THAN"),
                &["99999999999999999999999"],
            )],
        ),
        "Filters.1.Values",
    )
    .await;
    // The filter is numbered in messages by its position.
    assert_invalid(
        &c,
        &emu,
        &params(
            None,
            &[
                f("Status", None, &["COMPLETE"]),
                f("CompleteTime", None, &["1"]),
            ],
        ),
        "Filters.2.Operator",
    )
    .await;
}

#[tokio::test]
async fn filter_and_value_limits_are_invalid_parameters() {
    let emu = start(50, 1).await;
    let c = client();
    // At most 5 filters.
    let five: Vec<F> = (0..5).map(|_| f("Status", None, &["COMPLETE"])).collect();
    let q = params(None, &five);
    let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(describe(&c, &emu, &q).await.status, 200);
    let six: Vec<F> = (0..6).map(|_| f("Status", None, &["COMPLETE"])).collect();
    assert_invalid(&c, &emu, &params(None, &six), "Filters").await;

    // At most 500 values per filter.
    let many: Vec<String> = (0..500).map(|i| format!("v-{i}")).collect();
    let ok = params(
        None,
        &[F {
            key: "VaultId",
            op: None,
            values: many.clone(),
        }],
    );
    let q: Vec<(&str, &str)> = ok.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(describe(&c, &emu, &q).await.status, 200);
    let mut too_many = many;
    too_many.push("v-500".into());
    assert_invalid(
        &c,
        &emu,
        &params(
            None,
            &[F {
                key: "VaultId",
                op: None,
                values: too_many,
            }],
        ),
        "Filters.1.Values",
    )
    .await;
}
