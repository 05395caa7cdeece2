//! `hbr restore-jobs wait` and `hbr backup-jobs wait` against the in-process emulator with
//! short jobs: exit 0 and the job printed when it completes, exit 6 with one line when it
//! ends otherwise, exit 7 when the timeout passes, under both signatures; a progress bar on
//! a terminal only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};
use std::time::Duration;

use hbr_client::config::RetryConfig;
use hbr_client::credentials::Credentials;
use hbr_client::{Client, Config};
use hbr_emulator::{EmulatorConfig, RunningEmulator};

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
    let mut command = command(emu, signature, args);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// `hbr --endpoint URL --signature SIG ARGS...` with the emulator's key and no other
/// environment.
fn command(emu: &RunningEmulator, signature: &str, args: &[&str]) -> Command {
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
    command
}

/// Runs `hbr` as [`hbr`] does, with stderr on a pseudo-terminal: its output, and what it
/// wrote on the terminal.
#[cfg(unix)]
async fn hbr_on_terminal(emu: &RunningEmulator, args: &[&str]) -> (Output, String) {
    use rustix::fs::{open, Mode, OFlags};
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    use std::io::Read;

    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let terminal = open(
        name.as_c_str(),
        OFlags::RDWR | OFlags::NOCTTY,
        Mode::empty(),
    )
    .unwrap();
    let mut command = command(emu, "v3", args);
    command
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::from(terminal));
    let mut master = std::fs::File::from(master);
    tokio::task::spawn_blocking(move || {
        let reader = std::thread::spawn(move || {
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            // Ends with EIO once no process holds the terminal open.
            while let Ok(n @ 1..) = master.read(&mut buf) {
                seen.extend_from_slice(&buf[..n]);
            }
            seen
        });
        let out = command.output().unwrap();
        drop(command);
        (out, text(&reader.join().unwrap()))
    })
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
        .restore_type("ECS_FILE".into())
        .source_type("ECS_FILE".into())
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

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_shows_the_progress_bar() {
    let emu = emulator(Duration::from_secs(3)).await;
    let id = create_restore(&client(&emu)).await;
    let (out, terminal) = hbr_on_terminal(&emu, &["restore-jobs", "wait", &id]).await;
    assert!(out.status.success(), "{terminal}");
    assert_eq!(text(&out.stdout), format!("{id} COMPLETE\n"));
    // The bar names the job and its status, with the progress in percent.
    assert!(
        terminal.contains(&format!("restore job {id} ")),
        "{terminal:?}"
    );
    assert!(
        terminal.contains("CREATED") || terminal.contains("RUNNING"),
        "{terminal:?}"
    );
    assert!(terminal.contains('%'), "{terminal:?}");
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
    let fast = client(&emu);
    for signature in ["v3", "v1"] {
        let job = backup_job(&fast, "i-wait").await;
        let out = hbr(&emu, signature, &["backup-jobs", "wait", &job]).await;
        assert!(out.status.success(), "{signature}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), format!("{job} COMPLETE\n"));
    }
    let slow = emulator(Duration::from_secs(120)).await;
    let job = backup_job(&client(&slow), "i-slow").await;
    let out = hbr(
        &slow,
        "v3",
        &["backup-jobs", "wait", &job, "--timeout", "1"],
    )
    .await;
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
}

/// A UDM_ECS backup job of `instance`; its JobId.
async fn backup_job(client: &Client, instance: &str) -> String {
    client
        .create_backup_job()
        .source_type("UDM_ECS".into())
        .instance_id(instance)
        .send()
        .await
        .unwrap()
        .job_id()
        .unwrap()
        .to_owned()
}

#[test]
fn the_help_gives_the_waiters_timing_and_statuses() {
    use hbr_client::describe_restore_jobs2::RestoreJobFinished;
    use hbr_client::WaitFor;
    let out = Command::new(env!("CARGO_BIN_EXE_hbr"))
        .args(["restore-jobs", "wait", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // The help wraps lines; compare its words.
    let help = text(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for part in [
        format!(
            "pausing {} s, then twice as long each time up to {} s",
            RestoreJobFinished::DELAY.as_secs(),
            RestoreJobFinished::MAX_DELAY.as_secs()
        ),
        format!(
            "when it ends otherwise ({})",
            RestoreJobFinished::FAILURE.join(", ")
        ),
        format!(
            "default: the waiter's, {} s",
            RestoreJobFinished::TIMEOUT.as_secs()
        ),
        "RestoreJobFinished".to_owned(),
    ] {
        assert!(help.contains(&part), "{part:?} not in {help}");
    }
}
