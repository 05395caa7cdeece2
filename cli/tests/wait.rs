//! `hbr restore-jobs wait` and `hbr backup-jobs wait` against the in-process emulator with
//! short jobs: exit 0 and the job printed when it completes, exit 6 with one line when it
//! ends otherwise, exit 7 when the timeout passes, under both signatures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};
use std::time::Duration;

use hbr_client::{Client, Config};
use hbr_emulator::{EmulatorConfig, RunningEmulator};
use hbr_runtime::client::RetryConfig;
use hbr_runtime::credentials::Credentials;

async fn emulator(job: Duration) -> RunningEmulator {
    hbr_emulator::start(EmulatorConfig {
        jobs: 60,
        seed: 4,
        job_duration: job,
        cancel_duration: Duration::from_millis(300),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap()
}

fn client(emu: &RunningEmulator) -> Client {
    Client::new(
        Config::builder()
            .endpoint(emu.url())
            .credentials(Credentials::new(
                hbr_emulator::DEMO_ACCESS_KEY_ID,
                hbr_emulator::DEMO_ACCESS_KEY_SECRET,
            ))
            .retry(RetryConfig::disabled())
            .build(),
    )
    .unwrap()
}

/// Runs `hbr --endpoint URL --signature SIG ARGS...` with the emulator's key.
async fn hbr(emu: &RunningEmulator, signature: &str, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hbr"));
    command
        .args(["--endpoint", &emu.url(), "--signature", signature])
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
            hbr_emulator::DEMO_ACCESS_KEY_ID,
        )
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            hbr_emulator::DEMO_ACCESS_KEY_SECRET,
        );
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A restore of the snapshot behind the first seeded ECS_FILE job; its RestoreId.
async fn create_restore(client: &Client) -> String {
    let origin = hbr_emulator::generate_jobs(60, 4)
        .into_iter()
        .find(|j| j.restore_type == "ECS_FILE")
        .unwrap();
    client
        .create_restore_job()
        .restore_type("ECS_FILE")
        .source_type("ECS_FILE")
        .vault_id(origin.vault_id.as_str())
        .snapshot_id(origin.snapshot_id.as_str())
        .target_instance_id("i-wait")
        .target_path("/wait")
        .send()
        .await
        .unwrap()
        .restore_id()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_job_that_completes_exits_0_with_the_job() {
    let emu = emulator(Duration::from_secs(2)).await;
    let client = client(&emu);
    for signature in ["v3", "v1"] {
        let id = create_restore(&client).await;
        let out = hbr(
            &emu,
            signature,
            &["restore-jobs", "wait", &id, "--timeout", "60"],
        )
        .await;
        assert!(out.status.success(), "{signature}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), format!("{id} COMPLETE\n"), "{signature}");
        // Not a terminal: no progress bar on stderr.
        assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    }
    // --output json prints the job in the API's shape.
    let id = create_restore(&client).await;
    let out = hbr(
        &emu,
        "v3",
        &["--output", "json", "restore-jobs", "wait", &id],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let job: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&job["RestoreId"], &job["Status"], &job["Progress"]),
        (&id.clone().into(), &"COMPLETE".into(), &10_000.into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_job_exits_6_and_a_slow_one_7_each_with_one_line() {
    let emu = emulator(Duration::from_secs(120)).await;
    let client = client(&emu);
    let id = create_restore(&client).await;
    let origin_vault = hbr_emulator::generate_jobs(60, 4)
        .into_iter()
        .find(|j| j.restore_type == "ECS_FILE")
        .unwrap()
        .vault_id;
    // Still running after a second: timed out.
    let out = hbr(
        &emu,
        "v3",
        &[
            "restore-jobs",
            "wait",
            &id,
            "--vault-id",
            &origin_vault,
            "--timeout",
            "1",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "error: restore job {id} has not ended after 1s (last status "
        )),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // Cancelled: it ends CANCELED, which is a failure.
    client
        .cancel_restore_job()
        .restore_id(id.as_str())
        .vault_id(origin_vault.as_str())
        .send()
        .await
        .unwrap();
    let out = hbr(&emu, "v1", &["restore-jobs", "wait", &id]).await;
    assert_eq!(out.status.code(), Some(6), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        format!("error: restore job {id} ended CANCELED\n")
    );
    // No such job.
    let out = hbr(
        &emu,
        "v3",
        &["restore-jobs", "wait", "r-0000000000000000nope"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("does not exist"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_job_is_waited_for_too() {
    let emu = emulator(Duration::from_secs(2)).await;
    let client = client(&emu);
    for signature in ["v3", "v1"] {
        let job = client
            .create_backup_job()
            .source_type("UDM_ECS")
            .instance_id("i-wait")
            .send()
            .await
            .unwrap()
            .job_id()
            .unwrap()
            .to_owned();
        let out = hbr(&emu, signature, &["backup-jobs", "wait", &job]).await;
        assert!(out.status.success(), "{signature}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), format!("{job} COMPLETE\n"));
    }
    let slow = emulator(Duration::from_secs(120)).await;
    let job = client_for_slow(&slow).await;
    let out = hbr(
        &slow,
        "v3",
        &["backup-jobs", "wait", &job, "--timeout", "1"],
    )
    .await;
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
}

async fn client_for_slow(emu: &RunningEmulator) -> String {
    client(emu)
        .create_backup_job()
        .source_type("UDM_ECS")
        .instance_id("i-slow")
        .send()
        .await
        .unwrap()
        .job_id()
        .unwrap()
        .to_owned()
}
