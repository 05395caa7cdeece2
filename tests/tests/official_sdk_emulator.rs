//! The official Alibaba Cloud Python SDK calls the emulator unchanged, with either signature.
//!
//! The test installs `alibabacloud-hbr20170908` from PyPI into a virtual environment of its
//! own under the target directory (once; later runs reuse it), starts the emulator in-process
//! and runs `tests/python/official_sdk_call.py` against it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

mod support;

use support::python;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_calls_the_emulator_with_either_signature() {
    let python = python();
    let emu = hbr_emulator::start(hbr_emulator::EmulatorConfig {
        jobs: 300,
        seed: 11,
        ..hbr_emulator::EmulatorConfig::default()
    })
    .await
    .unwrap();
    let jobs = hbr_emulator::generate_jobs(300, 11);
    let expected_ids: Vec<&str> = jobs
        .iter()
        .take(20)
        .map(|j| j.restore_id.as_str())
        .collect();
    let failed = jobs.iter().filter(|j| j.status == "FAILED").count();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python/official_sdk_call.py");
    let endpoint = emu.addr().to_string();
    for signature in ["v3", "v2"] {
        let python = python.clone();
        let script = script.clone();
        let endpoint = endpoint.clone();
        let out = tokio::task::spawn_blocking(move || {
            Command::new(python)
                .arg(script)
                .args([
                    endpoint.as_str(),
                    hbr_emulator::DEMO_ACCESS_KEY_ID,
                    hbr_emulator::DEMO_ACCESS_KEY_SECRET,
                    signature,
                ])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(
            out.status.success(),
            "{signature}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(result["total"], 300, "{signature}");
        let ids: Vec<&str> = result["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(ids, expected_ids, "{signature}");
        assert_eq!(result["failed_total"], failed, "{signature}");
        assert_eq!(
            result["failed_statuses"],
            serde_json::json!(["FAILED"]),
            "{signature}"
        );
    }
}
