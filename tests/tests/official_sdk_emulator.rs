//! The official Alibaba Cloud Python SDK calls the emulator unchanged, with each of its
//! signatures (ACS3-HMAC-SHA256, the legacy HMAC-SHA1 and ACS3-HMAC-SM3); a wrong secret is
//! refused under each.
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
async fn the_official_python_sdk_calls_the_emulator_with_each_signature() {
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
    let run = |secret: &'static str, signature: &'static str| {
        let (python, script, endpoint) = (python.clone(), script.clone(), endpoint.clone());
        tokio::task::spawn_blocking(move || {
            Command::new(python)
                .arg(script)
                .args([
                    endpoint.as_str(),
                    hbr_emulator::DEMO_ACCESS_KEY_ID,
                    secret,
                    signature,
                ])
                .output()
                .unwrap()
        })
    };
    for signature in ["v3", "v2", "sm3"] {
        // A wrong secret: the SDK's ClientException with the service's code.
        let refused = run("not-the-secret", signature).await.unwrap();
        assert!(!refused.status.success(), "{signature}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            stderr.contains("SignatureDoesNotMatch"),
            "{signature}: {stderr}"
        );

        let out = run(hbr_emulator::DEMO_ACCESS_KEY_SECRET, signature)
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
