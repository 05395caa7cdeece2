//! A bounded load test (correctness only, no timing assertions): 32 well-formed clients send
//! signed DescribeRestoreJobs2 calls for a few seconds while other connections misbehave
//! (stall mid-head, send garbage, send oversized bodies and heads, close early). Every
//! well-formed request must get exactly the page the query semantics give.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::field_reassign_with_default
)]

mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use hbr_emulator::{EmulatorConfig, Limits, Query, RunningEmulator};
use hbr_runtime::signing::SignatureVersion;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const JOBS: usize = 2_000;
const SEED: u64 = 5;
const CLIENTS: usize = 32;
const RUN_FOR: Duration = Duration::from_secs(3);

/// A query and the answer it must get.
struct Case {
    params: Vec<(String, String)>,
    total: u64,
    ids: Vec<String>,
}

fn cases() -> Vec<Case> {
    let jobs = hbr_emulator::generate_jobs(JOBS, SEED);
    let vault = jobs[7].vault_id.clone();
    let raw: Vec<Vec<(&str, String)>> = vec![
        vec![],
        vec![("PageSize", "99".into()), ("PageNumber", "3".into())],
        vec![("PageSize", "25".into()), ("RestoreType", "OSS".into())],
        vec![
            ("Filters.1.Key", "Status".into()),
            ("Filters.1.Values.1", "FAILED".into()),
            ("Filters.1.Values.2", "RUNNING".into()),
            ("PageSize", "50".into()),
        ],
        vec![
            ("Filters.1.Key", "VaultId".into()),
            ("Filters.1.Operator", "EQUAL".into()),
            ("Filters.1.Values.1", vault),
            ("PageNumber", "2".into()),
        ],
        vec![
            ("Filters.1.Key", "CompleteTime".into()),
            ("Filters.1.Operator", "GREATER_THAN".into()),
            ("Filters.1.Values.1", "1720000000".into()),
            ("PageSize", "99".into()),
        ],
        vec![("PageNumber", "1000".into())],
    ];
    raw.into_iter()
        .map(|items| {
            let params: Vec<(String, String)> =
                items.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            let query = Query::from_params(&params).expect("a valid query");
            let page = hbr_emulator::select(&jobs, &query).expect("selects");
            Case {
                params,
                total: page.total_count,
                ids: page.jobs.into_iter().map(|j| j.restore_id).collect(),
            }
        })
        .collect()
}

/// One misbehaving connection of kind `kind`; errors are expected and ignored.
async fn misbehave(addr: std::net::SocketAddr, kind: usize, n: usize) {
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return;
    };
    let mut sink = Vec::new();
    match kind % 5 {
        // Half a head, then silence until the server cuts it off.
        0 => {
            let _ = stream
                .write_all(b"POST /?PageSize=5 HTTP/1.1\r\nhost: x\r\nx-acs-")
                .await;
            let _ =
                tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut sink)).await;
        }
        // Garbage bytes.
        1 => {
            let mut state = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            let noise: Vec<u8> = (0..4096)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            let _ = stream.write_all(&noise).await;
            let _ =
                tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut sink)).await;
        }
        // An oversized body, declared and then partly sent.
        2 => {
            let _ = stream
                .write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 104857600\r\n\r\n")
                .await;
            let _ = stream.write_all(&[b'a'; 16 * 1024]).await;
            let _ =
                tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut sink)).await;
        }
        // An oversized head.
        3 => {
            let mut head = b"POST / HTTP/1.1\r\nhost: x\r\n".to_vec();
            for i in 0..1_200 {
                head.extend_from_slice(format!("x-f{i}: {}\r\n", "y".repeat(60)).as_bytes());
            }
            head.extend_from_slice(b"\r\n");
            let _ = stream.write_all(&head).await;
            let _ =
                tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut sink)).await;
        }
        // Close early, in the middle of a request.
        _ => {
            let _ = stream
                .write_all(
                    b"POST /?PageSize=5 HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nPage",
                )
                .await;
            drop(stream);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn well_formed_requests_are_all_answered_correctly_under_hostile_load() {
    let mut config = EmulatorConfig::default();
    config.jobs = JOBS;
    config.seed = SEED;
    // The header timeout also closes idle kept-alive connections; the well-formed clients
    // keep their pooled connections idle for at most a quarter of it, so they never race a
    // close (reusing a connection the server is closing at that instant).
    config.limits = Limits {
        header_read_timeout: Duration::from_secs(2),
        body_read_timeout: Duration::from_secs(2),
        max_body_bytes: 64 * 1024,
        max_header_bytes: 32 * 1024,
        max_connections: 128,
        ..Limits::default()
    };
    let emu = start_with(config).await;
    let cases = Arc::new(cases());
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicU64::new(0));
    let misbehaved = Arc::new(AtomicU64::new(0));

    let mut bad = Vec::new();
    for m in 0..10usize {
        let (addr, stop, misbehaved) = (emu.addr(), Arc::clone(&stop), Arc::clone(&misbehaved));
        bad.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                misbehave(addr, m + n, n).await;
                misbehaved.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
        }));
    }

    let mut good = Vec::new();
    for c in 0..CLIENTS {
        let (stop, served, cases) = (Arc::clone(&stop), Arc::clone(&served), Arc::clone(&cases));
        let (url, endpoint) = (emu.url(), emu.endpoint());
        good.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(20))
                .pool_idle_timeout(Duration::from_millis(500))
                .build()
                .unwrap();
            let mut failures = Vec::new();
            let mut i = c;
            while !stop.load(Ordering::Relaxed) {
                let case = &cases[i % cases.len()];
                let version = if i % 3 == 0 {
                    SignatureVersion::V1
                } else {
                    SignatureVersion::V3
                };
                let mut call = Call::new(version, &[]);
                call.query = case.params.clone();
                let signed = call.sign(&endpoint);
                let resp = send_url(&http, &url, reqwest::Method::POST, "/", &signed).await;
                let body: serde_json::Value =
                    serde_json::from_slice(&resp.body).unwrap_or_default();
                let ids: Vec<&str> = body["RestoreJobs"]["RestoreJob"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|j| j["RestoreId"].as_str()).collect())
                    .unwrap_or_default();
                if resp.status != 200
                    || body["TotalCount"].as_u64() != Some(case.total)
                    || ids != case.ids
                {
                    failures.push(format!(
                        "client {c} case {}: {} {}",
                        i % cases.len(),
                        resp.status,
                        String::from_utf8_lossy(&resp.body)
                            .chars()
                            .take(300)
                            .collect::<String>()
                    ));
                }
                served.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
            failures
        }));
    }

    tokio::time::sleep(RUN_FOR).await;
    stop.store(true, Ordering::Relaxed);
    let mut failures = Vec::new();
    for task in good {
        failures.extend(task.await.expect("client task"));
    }
    for task in bad {
        task.await.expect("misbehaving task");
    }
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        failures.first()
    );
    let served = served.load(Ordering::Relaxed);
    assert!(
        served >= CLIENTS as u64,
        "every client got answers ({served})"
    );
    assert!(
        misbehaved.load(Ordering::Relaxed) >= 10,
        "the misbehaving clients ran"
    );
    // The emulator still answers a fresh client afterwards.
    assert_eq!(
        describe(&client(), &emu, &[("PageSize", "3")]).await.status,
        200
    );
}

/// Sends one signed request and returns the status and JSON body.
async fn exchange(
    http: &reqwest::Client,
    emu: &hbr_emulator::RunningEmulator,
    action: &'static str,
    query: Vec<(String, String)>,
) -> (u16, serde_json::Value) {
    let call = Call::placed(SignatureVersion::V3, action, &query);
    let resp = send_url(
        http,
        &emu.url(),
        reqwest::Method::POST,
        "/",
        &call.sign(&emu.endpoint()),
    )
    .await;
    (
        resp.status,
        serde_json::from_slice(&resp.body).unwrap_or_default(),
    )
}

/// Reader `r`: pages of seeded jobs, each expected exactly, until `stop`; the failures.
async fn reader(r: usize, emu: &RunningEmulator, cases: &[Case], stop: &AtomicBool) -> Vec<String> {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut i = r;
    let mut failures = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let case = &cases[i % cases.len()];
        let (status, body) =
            exchange(&http, emu, "DescribeRestoreJobs2", case.params.clone()).await;
        let ids: Vec<String> = body["RestoreJobs"]["RestoreJob"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|j| j["RestoreId"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if status != 200 || body["TotalCount"].as_u64() != Some(case.total) || ids != case.ids {
            failures.push(format!("reader {r}: {status} {body}"));
        }
        i += 1;
    }
    failures
}

/// Writer `w`: creates jobs (and cancels every other one), checking each, until `stop`; how
/// many it created and the failures.
async fn writer(
    w: usize,
    emu: &RunningEmulator,
    origin: &hbr_emulator::Job,
    stop: &AtomicBool,
) -> (u64, Vec<String>) {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut created = 0u64;
    let mut failures = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let (status, body) = exchange(
            &http,
            emu,
            "CreateRestoreJob",
            pairs(&[
                ("RestoreType", "ECS_FILE"),
                ("SourceType", "ECS_FILE"),
                ("VaultId", &origin.vault_id),
                ("SnapshotId", &origin.snapshot_id),
                ("TargetInstanceId", "i-load"),
                ("TargetPath", "/restore"),
            ]),
        )
        .await;
        let Some(id) = body["RestoreId"].as_str().map(str::to_owned) else {
            failures.push(format!("writer {w}: create {status} {body}"));
            continue;
        };
        created += 1;
        let by_id = pairs(&[("Filters.1.Key", "JobId"), ("Filters.1.Values.1", &id)]);
        let (_, page) = exchange(&http, emu, "DescribeRestoreJobs2", by_id.clone()).await;
        let job = &page["RestoreJobs"]["RestoreJob"][0];
        if page["TotalCount"] != 1 || !matches!(job["Status"].as_str(), Some("CREATED" | "RUNNING"))
        {
            failures.push(format!("writer {w}: {id} after create: {page}"));
        }
        if created.is_multiple_of(2) {
            let (status, body) = exchange(
                &http,
                emu,
                "CancelRestoreJob",
                pairs(&[("RestoreId", &id), ("VaultId", &origin.vault_id)]),
            )
            .await;
            let (_, page) = exchange(&http, emu, "DescribeRestoreJobs2", by_id).await;
            let now = page["RestoreJobs"]["RestoreJob"][0]["Status"].clone();
            if status != 200 || !(now == "CANCELING" || now == "CANCELED") {
                failures.push(format!("writer {w}: cancel {status} {body}, then {now}"));
            }
        }
    }
    (created, failures)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_and_cancels_beside_readers_keep_every_answer_exact() {
    let mut config = EmulatorConfig::default();
    config.jobs = JOBS;
    config.seed = SEED;
    config.job_duration = Duration::from_secs(30);
    config.cancel_duration = Duration::from_millis(200);
    let emu = Arc::new(start_with(config).await);
    // Readers ask for seeded jobs only (created jobs are ECS_FILE restores in a vault the
    // readers do not ask for), so their expected pages do not move while jobs are created.
    let cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| {
            c.params
                .iter()
                .any(|(k, v)| (k == "RestoreType" && v == "OSS") || v.starts_with("v-"))
        })
        .collect();
    assert_eq!(cases.len(), 2);
    let seeded = hbr_emulator::generate_jobs(JOBS, SEED);
    let origin = Arc::new(
        seeded
            .iter()
            .find(|j| {
                j.restore_type == "ECS_FILE"
                    && !cases
                        .iter()
                        .any(|c| c.params.iter().any(|(_, v)| *v == j.vault_id))
            })
            .expect("an ECS_FILE job in a vault no reader asks for")
            .clone(),
    );
    let in_origin_vault = seeded
        .iter()
        .filter(|j| j.vault_id == origin.vault_id)
        .count() as u64;
    let cases = Arc::new(cases);
    let stop = Arc::new(AtomicBool::new(false));

    let mut readers = Vec::new();
    for r in 0..8usize {
        let (emu, cases, stop) = (Arc::clone(&emu), Arc::clone(&cases), Arc::clone(&stop));
        readers.push(tokio::spawn(
            async move { reader(r, &emu, &cases, &stop).await },
        ));
    }
    let mut writers = Vec::new();
    for w in 0..4usize {
        let (emu, stop, origin) = (Arc::clone(&emu), Arc::clone(&stop), Arc::clone(&origin));
        writers.push(tokio::spawn(async move {
            writer(w, &emu, &origin, &stop).await
        }));
    }

    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    let mut failures = Vec::new();
    for task in readers {
        failures.extend(task.await.unwrap());
    }
    let mut created = 0;
    for task in writers {
        let (n, f) = task.await.unwrap();
        created += n;
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        failures.first()
    );
    assert!(created > 0);
    // Every created job is in its vault, and the whole listing counts them.
    let http = client();
    let (_, in_vault) = exchange(
        &http,
        &emu,
        "DescribeRestoreJobs2",
        pairs(&[
            ("Filters.1.Key", "VaultId"),
            ("Filters.1.Values.1", &origin.vault_id),
        ]),
    )
    .await;
    assert_eq!(
        in_vault["TotalCount"].as_u64(),
        Some(in_origin_vault + created)
    );
    let (_, all) = exchange(&http, &emu, "DescribeRestoreJobs2", Vec::new()).await;
    assert_eq!(all["TotalCount"].as_u64(), Some(JOBS as u64 + created));
}
