//! The `hbr-emulator` binary: its first stdout line, its flags, and a signed request to it.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::field_reassign_with_default
)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use hbr_runtime::signing::SignatureVersion;

const BIN: &str = env!("CARGO_BIN_EXE_hbr-emulator");

/// Kills the child on drop (by its own handle), so a failing test leaves nothing behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Child(
        Command::new(BIN)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn hbr-emulator"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, url)
}

#[tokio::test]
async fn prints_its_address_and_serves_signed_requests() {
    let (_child, url) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--jobs",
        "42",
        "--seed",
        "3",
        "--access-key-id",
        "LTAI-bin",
        "--access-key-secret",
        "bin-secret",
    ]);
    let endpoint = url.strip_prefix("http://").expect("http URL");
    let port: u16 = endpoint
        .strip_prefix("127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .expect("HOST:PORT");
    assert_ne!(port, 0);
    let c = client();
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let mut call_ = Call::new(version, &[("PageSize", "99")]);
        call_.key = Key {
            id: "LTAI-bin",
            secret: "bin-secret",
            token: None,
        };
        let signed = call_.sign(endpoint);
        let resp = send_url(&c, &url, reqwest::Method::POST, "/", &signed).await;
        assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
        let body = resp.json();
        assert_eq!(body["TotalCount"], 42);
        // The same jobs as the library generates.
        let expected: Vec<String> = hbr_emulator::generate_jobs(42, 3)
            .into_iter()
            .map(|j| j.restore_id)
            .collect();
        let got: Vec<String> = body["RestoreJobs"]["RestoreJob"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|j| j["RestoreId"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(got, expected);
    }
}

#[tokio::test]
async fn fault_flags_reach_the_server() {
    let (_child, url) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--throttle-rate",
        "1",
        "--retry-after-ms",
        "77",
    ]);
    let endpoint = url.strip_prefix("http://").expect("http URL");
    let signed = Call::new(SignatureVersion::V3, &[]).sign(endpoint);
    let resp = send_url(&client(), &url, reqwest::Method::POST, "/", &signed).await;
    resp.assert_error(400, "Throttling.User");
    assert_eq!(resp.header("x-acs-retry-after"), Some("77"));

    let (_child, url) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--ints-as-strings",
        "--jobs",
        "5",
    ]);
    let endpoint = url.strip_prefix("http://").expect("http URL");
    let signed = Call::new(SignatureVersion::V3, &[]).sign(endpoint);
    let resp = send_url(&client(), &url, reqwest::Method::POST, "/", &signed).await;
    assert_eq!(resp.json()["TotalCount"], "5");
}

#[test]
fn bad_flags_fail() {
    for args in [
        &["--throttle-rate", "2"][..],
        &["--listen", "nowhere"],
        &["--jobs", "-1"],
        &["--job-duration-secs", "0"],
        &["--body-timeout-secs", "0"],
        &["--no-such-flag"],
    ] {
        let status = Command::new(BIN)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run");
        assert!(!status.success(), "{args:?} must fail");
    }
}

#[tokio::test]
async fn job_duration_flag_sets_how_long_a_created_job_runs() {
    let (_child, url) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--jobs",
        "50",
        "--job-duration-secs",
        "1",
        "--max-header-bytes",
        "16384",
        "--body-timeout-secs",
        "5",
    ]);
    let endpoint = url.strip_prefix("http://").expect("http URL");
    // A restore of the snapshot behind a seeded OSS restore (the vault and the snapshot must
    // exist).
    let origin = hbr_emulator::generate_jobs(50, 1)
        .into_iter()
        .find(|j| j.restore_type == "OSS")
        .expect("an OSS job");
    let create = Call::placed(
        SignatureVersion::V3,
        "CreateRestoreJob",
        &pairs(&[
            ("RestoreType", "OSS"),
            ("SourceType", "OSS"),
            ("VaultId", &origin.vault_id),
            ("SnapshotId", &origin.snapshot_id),
            ("TargetBucket", "b"),
        ]),
    );
    let signed = create.sign(endpoint);
    let resp = send_url(&client(), &url, reqwest::Method::POST, "/", &signed).await;
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    let id = resp.json()["RestoreId"]
        .as_str()
        .expect("RestoreId")
        .to_owned();
    let status = |resp: &Resp| resp.json()["RestoreJobs"]["RestoreJob"][0]["Status"].clone();
    let query = [
        ("Filters.1.Key", "JobId"),
        ("Filters.1.Values.1", id.as_str()),
    ];
    let started = std::time::Instant::now();
    loop {
        let signed = Call::new(SignatureVersion::V3, &query).sign(endpoint);
        let resp = send_url(&client(), &url, reqwest::Method::POST, "/", &signed).await;
        assert_eq!(resp.json()["TotalCount"], 1);
        if status(&resp) == "COMPLETE" {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "not COMPLETE after 20 s: {}",
            status(&resp)
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn the_state_flag_keeps_created_resources_across_restarts() {
    let dir = tempfile_dir();
    let state = dir.join("emulator-state.json");
    let state_arg = state.to_str().expect("a UTF-8 path").to_owned();
    let args = [
        "--listen",
        "127.0.0.1:0",
        "--jobs",
        "20",
        "--state",
        state_arg.as_str(),
    ];
    let (child, url) = spawn(&args);
    let endpoint = url.strip_prefix("http://").expect("http URL").to_owned();
    let create = Call::placed(
        SignatureVersion::V3,
        "CreateVault",
        &pairs(&[("VaultRegionId", "cn-hangzhou"), ("VaultName", "kept")]),
    );
    let resp = send_url(
        &client(),
        &url,
        reqwest::Method::POST,
        "/",
        &create.sign(&endpoint),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    let vault = resp.json()["VaultId"].as_str().expect("VaultId").to_owned();
    assert!(state.exists(), "written after the change");
    drop(child);
    let (_child, url) = spawn(&args);
    let endpoint = url.strip_prefix("http://").expect("http URL").to_owned();
    let describe = Call::placed(
        SignatureVersion::V3,
        "DescribeVaults",
        &pairs(&[("VaultId", &vault)]),
    );
    let resp = send_url(
        &client(),
        &url,
        reqwest::Method::POST,
        "/",
        &describe.sign(&endpoint),
    )
    .await;
    let body = resp.json();
    assert_eq!(body["TotalCount"], 1, "{body}");
    assert_eq!(body["Vaults"]["Vault"][0]["VaultName"], "kept");
    std::fs::remove_dir_all(&dir).expect("clean up");
}

/// A fresh folder for this test run.
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hbr-emulator-binary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}
