//! What the tests of the `hbr` binary share: a local HBR endpoint started in-process on
//! 127.0.0.1 port 0, its data set, and a way to run the binary with a clean environment.
//!
//! The endpoint is a small test server: it verifies every request's signature (v3 and v1)
//! with the runtime's server-side verifier, answers `DescribeRestoreJobs2` from a data set
//! generated deterministically here, and counts (and keeps the parameters of) the requests it
//! receives.

#![allow(dead_code)]

pub mod proxy;

use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use hbr_runtime::signing::{verify, IncomingRequest};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The AccessKey the test server accepts.
pub const ACCESS_KEY_ID: &str = "test-ak-id";
/// Its secret.
pub const ACCESS_KEY_SECRET: &str = "test-ak-secret-do-not-print";
/// How many jobs the data set holds.
pub const JOBS: usize = 257;

/// A running test server.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// How many requests arrived.
    pub requests: Arc<AtomicUsize>,
}

/// The emulator's demo key, as environment variables for `hbr`.
pub const DEMO_KEY: [(&str, &str); 2] = [
    (
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        hbr_emulator::DEMO_ACCESS_KEY_ID,
    ),
    (
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        hbr_emulator::DEMO_ACCESS_KEY_SECRET,
    ),
];

/// An emulator served by a runtime's worker thread of its own while the test runs `hbr`.
pub struct EmulatorThread {
    /// The emulator.
    pub emulator: hbr_emulator::RunningEmulator,
    _runtime: tokio::runtime::Runtime,
}

/// Starts an emulator with `config` on a thread of its own.
pub fn emulator_thread(config: hbr_emulator::EmulatorConfig) -> EmulatorThread {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => panic!("cannot build a runtime: {e}"),
    };
    let emulator = match runtime.block_on(hbr_emulator::start(config)) {
        Ok(emulator) => emulator,
        Err(e) => panic!("cannot start the emulator: {e}"),
    };
    EmulatorThread {
        emulator,
        _runtime: runtime,
    }
}

/// The shared server, started on first use on its own thread and runtime.
pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| start(jobs()))
}

/// Starts a server over `jobs` on its own thread; it runs until the process exits.
pub fn start(jobs: Vec<Value>) -> Server {
    let (tx, rx) = std::sync::mpsc::channel();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async move {
            let Ok(listener) = TcpListener::bind("127.0.0.1:0").await else {
                return;
            };
            let Ok(addr) = listener.local_addr() else {
                return;
            };
            let _ = tx.send(format!("http://{addr}"));
            let jobs = Arc::new(jobs);
            while let Ok((stream, _)) = listener.accept().await {
                let jobs = Arc::clone(&jobs);
                let counter = Arc::clone(&counter);
                tokio::spawn(async move {
                    let _ = serve(stream, &jobs, &counter).await;
                });
            }
        });
    });
    let url = rx.recv().unwrap_or_default();
    assert!(!url.is_empty(), "the test server did not start");
    Server { url, requests }
}

/// Serves one connection (keep-alive) until it closes.
async fn serve(stream: TcpStream, jobs: &[Value], counter: &AtomicUsize) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).await? == 0 {
                return Ok(());
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((n, v)) = h.split_once(':') {
                headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        let len = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body).await?;
        counter.fetch_add(1, Ordering::SeqCst);
        let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
        let incoming = IncomingRequest {
            method: &method,
            path,
            raw_query: query,
            headers: &headers,
            body: &body,
        };
        let (status, answer) = handle(&incoming, jobs);
        let text = answer.to_string();
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: {}\r\nx-acs-request-id: {}\r\n\r\n",
            text.len(),
            answer["RequestId"].as_str().unwrap_or_default()
        );
        // One write: head and body in separate segments would meet Nagle and delayed ACKs.
        let mut response = head.into_bytes();
        response.extend_from_slice(text.as_bytes());
        write.write_all(&response).await?;
    }
}

/// The business parameters of every verified request, in arrival order, as decoded from the
/// wire (all servers of this process).
static RECEIVED: std::sync::Mutex<Vec<Vec<(String, String)>>> = std::sync::Mutex::new(Vec::new());

/// Whether a verified request arrived holding every one of `params`, exactly as on the wire.
pub fn received_with(params: &[(&str, &str)]) -> bool {
    RECEIVED.lock().is_ok_and(|all| {
        all.iter().any(|sent| {
            params
                .iter()
                .all(|(k, v)| sent.iter().any(|(sk, sv)| sk == k && sv == v))
        })
    })
}

fn request_id() -> String {
    static N: AtomicUsize = AtomicUsize::new(1);
    format!("TEST-{:08}", N.fetch_add(1, Ordering::SeqCst))
}

fn error(status: u16, code: &str, message: &str) -> (u16, Value) {
    (
        status,
        json!({"RequestId": request_id(), "Code": code, "Message": message, "HostId": "127.0.0.1"}),
    )
}

/// Verifies and answers one request.
fn handle(req: &IncomingRequest<'_>, jobs: &[Value]) -> (u16, Value) {
    let verified = match verify(req, &|ak| {
        (ak == ACCESS_KEY_ID).then(|| ACCESS_KEY_SECRET.to_owned())
    }) {
        Ok(v) => v,
        Err(hbr_runtime::signing::VerifyError::UnknownAccessKey { .. }) => {
            return error(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            )
        }
        Err(e) => return error(400, "SignatureDoesNotMatch", &e.to_string()),
    };
    if let Ok(mut all) = RECEIVED.lock() {
        all.push(verified.params.clone());
    }
    if verified.action.as_deref() != Some("DescribeRestoreJobs2") {
        return error(400, "InvalidAction.NotFound", "unknown action");
    }
    let param = |name: &str| {
        verified
            .params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let page_number: usize = param("PageNumber")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let page_size: usize = param("PageSize").and_then(|v| v.parse().ok()).unwrap_or(10);
    let restore_type = param("RestoreType");
    let mut filters = Vec::new();
    for n in 1..=5 {
        let Some(key) = param(&format!("Filters.{n}.Key")) else {
            continue;
        };
        let operator = param(&format!("Filters.{n}.Operator")).unwrap_or_else(|| "IN".into());
        let values: Vec<String> = (1..=500)
            .map_while(|m| param(&format!("Filters.{n}.Values.{m}")))
            .collect();
        filters.push((key, operator, values));
    }
    let matching: Vec<&Value> = jobs
        .iter()
        .filter(|job| {
            restore_type
                .as_deref()
                .is_none_or(|t| job["RestoreType"].as_str() == Some(t))
        })
        .filter(|job| filters.iter().all(|(k, o, v)| server_match(job, k, o, v)))
        .collect();
    let page: Vec<&Value> = matching
        .iter()
        .skip(page_number.saturating_sub(1) * page_size)
        .take(page_size)
        .copied()
        .collect();
    (
        200,
        json!({
            "RequestId": request_id(),
            "Success": true,
            "Code": "200",
            "Message": "successful",
            "PageNumber": page_number,
            "PageSize": page_size,
            "TotalCount": matching.len(),
            "RestoreJobs": {"RestoreJob": page},
        }),
    )
}

/// The job field a filter key looks at.
fn field(key: &str) -> &str {
    match key {
        "InstanceId" => "TargetInstanceId",
        "Bucket" => "TargetBucket",
        "FileSystemId" => "TargetFileSystemId",
        other => other,
    }
}

fn server_match(job: &Value, key: &str, operator: &str, values: &[String]) -> bool {
    let actual = match &job[field(key)] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return false,
    };
    let num = |s: &str| s.parse::<i64>().ok();
    let cmp = |v: &String| match (num(&actual), num(v)) {
        (Some(a), Some(b)) => a.cmp(&b),
        _ => actual.as_str().cmp(v.as_str()),
    };
    match operator {
        "IN" => values.contains(&actual),
        "EQUAL" => values.first().is_some_and(|v| *v == actual),
        "NOT_EQUAL" => values.first().is_some_and(|v| *v != actual),
        "GREATER_THAN" => values.first().is_some_and(|v| cmp(v).is_gt()),
        "GREATER_THAN_OR_EQUAL" => values.first().is_some_and(|v| cmp(v).is_ge()),
        "LESS_THAN" => values.first().is_some_and(|v| cmp(v).is_lt()),
        "LESS_THAN_OR_EQUAL" => values.first().is_some_and(|v| cmp(v).is_le()),
        "BETWEEN" => values.len() == 2 && cmp(&values[0]).is_ge() && cmp(&values[1]).is_le(),
        _ => false,
    }
}

/// Midnight UTC, 2024-01-01.
pub const BASE_TIME: i64 = 1_704_067_200;

/// The data set: `JOBS` restore jobs in the API's shape, deterministic.
pub fn jobs() -> Vec<Value> {
    const TYPES: [&str; 4] = ["ECS_FILE", "OSS", "NAS", "OTS_TABLE"];
    const STATUSES: [&str; 3] = ["COMPLETE", "FAILED", "PARTIAL_COMPLETE"];
    (0..JOBS)
        .map(|i| {
            let created = BASE_TIME + (i as i64) * 3_600;
            let total = 1_i64 << (10 + i % 25);
            let progress = if i % 3 == 1 {
                (i * 37 % 10_000) as i64
            } else {
                10_000
            };
            json!({
                "RestoreId": format!("r-{i:06}"),
                "RestoreType": TYPES[i % TYPES.len()],
                "Status": STATUSES[i % STATUSES.len()],
                "VaultId": format!("v-{:04}", i % 5),
                "PlanId": format!("plan-{}", i % 7),
                "TargetInstanceId": format!("i-{:04}", i % 6),
                "TargetBucket": format!("bucket-{}", i % 4),
                "TargetFileSystemId": format!("fs-{}", i % 3),
                "CreatedTime": created,
                "CompleteTime": created + 600,
                "Progress": progress,
                "BytesTotal": total,
                "BytesDone": total / 10_000 * progress,
                "Options": "{\"UseVSS\":false}",
            })
        })
        .collect()
}

/// Runs `hbr` with `args` and a clean environment: only `PATH`, an empty `HOME`, the test
/// AccessKey (unless `credentials` is false) and the ECS metadata lookup disabled.
pub fn hbr(args: &[&str], credentials: bool) -> Output {
    hbr_with(args, credentials, &[])
}

/// [`hbr`] with extra variables.
pub fn hbr_with(args: &[&str], credentials: bool, vars: &[(&str, &str)]) -> Output {
    let home = std::env::temp_dir().join("hbr-cli-tests-empty-home");
    let _ = std::fs::create_dir_all(&home);
    let mut command = Command::new(env!("CARGO_BIN_EXE_hbr"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true");
    if credentials {
        command
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET);
    }
    for (k, v) in vars {
        command.env(k, v);
    }
    match command.output() {
        Ok(output) => output,
        Err(e) => panic!("cannot run hbr: {e}"),
    }
}

/// stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The data set's restore ids, in order, of the jobs `keep` accepts.
pub fn expected_ids(keep: impl Fn(&Value) -> bool) -> Vec<String> {
    jobs()
        .iter()
        .filter(|j| keep(j))
        .filter_map(|j| j["RestoreId"].as_str().map(str::to_owned))
        .collect()
}

/// The restore ids of a JSON array of jobs.
pub fn ids_of(array: &Value) -> Vec<String> {
    array
        .as_array()
        .map(|jobs| {
            jobs.iter()
                .filter_map(|j| j["RestoreId"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The restore ids of a table (first column of each row between header and footer).
pub fn table_ids(text: &str) -> Vec<String> {
    text.lines()
        .skip(1)
        .filter(|l| l.starts_with("r-"))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

/// `hbr --endpoint URL restore-jobs list ARGS --all` in JSON and as a table; checks both give
/// `expected`, in order.
pub fn check_list(args: &[&str], expected: &[String]) {
    let url = &server().url;
    let mut json_args = vec![
        "--endpoint",
        url,
        "restore-jobs",
        "list",
        "--all",
        "--output",
        "json",
    ];
    json_args.extend_from_slice(args);
    let out = hbr(&json_args, true);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    assert_eq!(ids_of(&value), expected, "json {args:?}");

    let mut table_args = vec!["--endpoint", url, "restore-jobs", "list", "--all"];
    table_args.extend_from_slice(args);
    let out = hbr(&table_args, true);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(table_ids(&text), expected, "table {args:?}");
    let footer = text.lines().last().unwrap_or_default().to_owned();
    if expected.is_empty() {
        assert_eq!(footer, "no restore jobs (TotalCount 0)");
    } else {
        assert_eq!(
            footer,
            format!(
                "{} restore job{} shown (TotalCount {})",
                expected.len(),
                if expected.len() == 1 { "" } else { "s" },
                expected.len()
            )
        );
    }
}
