//! Alibaba's other clients drive the emulator unchanged, over GET and over POST: the legacy
//! Python SDK (`aliyun-python-sdk-core` + `aliyun-python-sdk-hbr`, HMAC-SHA1, driven by
//! `tests/python/legacy_sdk.py`) and the Node.js RPC client (`@alicloud/pop-core` 1.8.0, which
//! posts every parameter, `Signature` included, in the form body; `tests/node/pop_core.js`).
//! Each pages, filters, creates a vault and lists it, and gets the service's errors; the legacy
//! SDK also reads a page and an error in XML.
//!
//! The packages are installed from their registries under the target directory (once; later
//! runs reuse them). Where a package cannot be installed (no python3/node, or no registry) the
//! test says so on stderr and passes without running that client.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

const LEGACY_SDK: [&str; 2] = [
    "aliyun-python-sdk-core==2.16.1",
    "aliyun-python-sdk-hbr==1.2.10",
];
const POP_CORE: &str = "@alicloud/pop-core@1.8.0";
const JOBS: usize = 50;
const SEED: u64 = 3;

fn tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// Why a command could not be run or failed, for the skip message.
fn failed(what: &str, out: std::io::Result<Output>) -> Option<String> {
    match out {
        Err(e) => Some(format!("{what}: {e}")),
        Ok(o) if !o.status.success() => Some(format!(
            "{what}: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Ok(_) => None,
    }
}

/// The venv's python with the legacy SDK installed, or why it could not be installed.
fn legacy_python() -> Result<PathBuf, String> {
    support::try_venv("legacy-sdk-venv", &LEGACY_SDK)
}

/// The folder whose `node_modules` holds pop-core, or why it could not be installed.
fn pop_core() -> Result<PathBuf, String> {
    let prefix = tmp().join("pop-core");
    let marker = prefix.join(".installed");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(POP_CORE) {
        return Ok(prefix);
    }
    std::fs::create_dir_all(&prefix).unwrap();
    let npm = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--no-save",
            "--prefix",
        ])
        .arg(&prefix)
        .arg(POP_CORE)
        .output();
    if let Some(why) = failed(&format!("npm install {POP_CORE}"), npm) {
        return Err(why);
    }
    std::fs::write(&marker, POP_CORE).unwrap();
    Ok(prefix)
}

async fn emulator() -> hbr_emulator::RunningEmulator {
    hbr_emulator::start(hbr_emulator::EmulatorConfig {
        jobs: JOBS,
        seed: SEED,
        ..hbr_emulator::EmulatorConfig::default()
    })
    .await
    .unwrap()
}

async fn run(mut command: Command) -> Value {
    let out = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// What both clients must have seen over `method`: pages and a filter as the data set says,
/// the vault they created listed under its name, the service's error.
fn check_common(client: &str, method: &str, seen: &Value) {
    let jobs = hbr_emulator::generate_jobs(JOBS, SEED);
    let ids: Vec<&str> = jobs.iter().map(|j| j.restore_id.as_str()).collect();
    let what = format!("{client} over {method}");
    assert_eq!(seen["pages"], json!([ids[0..5], ids[5..10]]), "{what}");
    assert_eq!(seen["total"], JOBS, "{what}");
    let failed = jobs.iter().filter(|j| j.status == "FAILED").count();
    assert!(failed > 0);
    assert_eq!(seen["failed_total"], failed, "{what}");
    assert_eq!(seen["failed_statuses"], json!(["FAILED"]), "{what}");
    let vault_id = seen["vault_id"].as_str().unwrap();
    assert!(vault_id.starts_with("v-"), "{what}: {vault_id}");
    assert_eq!(
        seen["vaults"],
        json!([{"VaultId": vault_id, "VaultName": format!("{client} {method} ü/*")}]),
        "{what}"
    );
    assert_eq!(seen["error"]["code"], "InvalidParameter", "{what}");
    assert_eq!(seen["error"]["status"], 400, "{what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_legacy_python_sdk_drives_the_emulator_over_get_and_post() {
    let python = match legacy_python() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("SKIPPED: the legacy Python SDK could not be installed ({why})");
            return;
        }
    };
    let emu = emulator().await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/legacy_sdk.py");
    let port = emu.addr().port().to_string();
    for method in ["GET", "POST"] {
        let mut command = Command::new(&python);
        command.arg(&script).args([
            "127.0.0.1",
            port.as_str(),
            hbr_emulator::DEMO_ACCESS_KEY_ID,
            hbr_emulator::DEMO_ACCESS_KEY_SECRET,
            method,
        ]);
        let seen = run(command).await;
        check_common("legacy", method, &seen);
        assert!(seen["error"]["request_id"].is_string(), "{seen}");
        // XML, read with Python's own parser.
        let jobs = hbr_emulator::generate_jobs(JOBS, SEED);
        let first: Vec<&str> = jobs.iter().take(3).map(|j| j.restore_id.as_str()).collect();
        assert_eq!(seen["xml_root"], "DescribeRestoreJobs2Response", "{method}");
        assert_eq!(seen["xml_total"], JOBS.to_string(), "{method}");
        assert_eq!(seen["xml_ids"], json!(first), "{method}");
        assert_eq!(
            seen["xml_error"],
            json!(["Error", "InvalidParameter"]),
            "{method}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_rpc_client_drives_the_emulator_over_get_and_post() {
    let prefix = match pop_core() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("SKIPPED: {POP_CORE} could not be installed ({why})");
            return;
        }
    };
    let emu = emulator().await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("node/pop_core.js");
    for method in ["GET", "POST"] {
        let mut command = Command::new("node");
        command
            .env("NODE_PATH", prefix.join("node_modules"))
            .arg(&script)
            .args([
                emu.url().as_str(),
                hbr_emulator::DEMO_ACCESS_KEY_ID,
                hbr_emulator::DEMO_ACCESS_KEY_SECRET,
                method,
            ]);
        let seen = run(command).await;
        check_common("node", method, &seen);
        // A wrong secret is refused wherever the signature travels.
        assert_eq!(
            seen["wrong_secret"],
            json!({"code": "SignatureDoesNotMatch", "status": 400}),
            "{method}"
        );
    }
}
