//! `hbr restore-jobs create` and `cancel` when the answer to the write is lost: a proxy in
//! front of the emulator lets the write through (so it is done) and then closes the
//! connection without the answer. The command exits 8 with one line saying where to check,
//! and the write was sent once: reads around it still go through.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, Filter};
use hbr_client::{Client, Config};
use support::proxy::proxy;
use support::{emulator_thread, hbr_with, stderr, DEMO_KEY};

fn jobs_with_prefix(url: &str, vault: &str, prefix: &str) -> Vec<(String, String)> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let client = Client::new(
            Config::builder()
                .endpoint(url)
                .static_credentials(
                    hbr_emulator::DEMO_ACCESS_KEY_ID,
                    hbr_emulator::DEMO_ACCESS_KEY_SECRET,
                )
                .build(),
        )
        .unwrap();
        let request = DescribeRestoreJobs2Request::builder()
            .page_size(99)
            .filter(Filter::vault_id().equal(vault))
            .build()
            .unwrap();
        let page = client.execute(&request).await.unwrap();
        page.restore_jobs()
            .iter()
            .filter(|j| j.target_prefix() == Some(prefix))
            .map(|j| {
                (
                    j.restore_id().unwrap_or_default().to_owned(),
                    j.status()
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                )
            })
            .collect()
    })
}

fn emulator() -> support::EmulatorThread {
    emulator_thread(hbr_emulator::EmulatorConfig {
        jobs: 20,
        seed: 4,
        job_duration: Duration::from_secs(600),
        cancel_duration: Duration::from_secs(600),
        ..hbr_emulator::EmulatorConfig::default()
    })
}

#[test]
fn a_create_whose_answer_is_lost_exits_8_and_is_sent_once() {
    let emu = emulator();
    let origin = hbr_emulator::seeded_restore(20, 4, "OSS").unwrap();
    let lossy = proxy(emu.emulator.addr(), "CreateRestoreJob");
    let out = hbr_with(
        &[
            "--endpoint",
            &lossy.url,
            "restore-jobs",
            "create",
            "--snapshot-id",
            &origin.snapshot_id,
            "--vault-id",
            &origin.vault_id,
            "--type",
            "OSS",
            "--target-bucket",
            "b",
            "--target-prefix",
            "p-lost/",
            "--wait",
        ],
        false,
        &DEMO_KEY,
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(8), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: outcome unknown"), "{err}");
    assert!(
        err.contains(&format!(
            "`hbr restore-jobs list --vault-id {}` shows whether it was done",
            origin.vault_id
        )),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    assert_eq!(lossy.lost.load(Ordering::SeqCst), 1, "sent once");
    // It was done, once.
    let made = jobs_with_prefix(&emu.emulator.url(), &origin.vault_id, "p-lost/");
    assert_eq!(made.len(), 1, "{made:?}");
}

#[test]
fn a_cancel_whose_answer_is_lost_exits_8_and_is_sent_once() {
    let emu = emulator();
    let url = emu.emulator.url();
    let origin = hbr_emulator::seeded_restore(20, 4, "OSS").unwrap();
    let out = hbr_with(
        &[
            "--endpoint",
            &url,
            "restore-jobs",
            "create",
            "--snapshot-id",
            &origin.snapshot_id,
            "--vault-id",
            &origin.vault_id,
            "--type",
            "OSS",
            "--target-bucket",
            "b",
            "--target-prefix",
            "p-cancel/",
        ],
        false,
        &DEMO_KEY,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let restore_id = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let lossy = proxy(emu.emulator.addr(), "CancelRestoreJob");
    let out = hbr_with(
        &[
            "--endpoint",
            &lossy.url,
            "restore-jobs",
            "cancel",
            &restore_id,
            "--vault-id",
            &origin.vault_id,
        ],
        false,
        &DEMO_KEY,
    );
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert_eq!(lossy.lost.load(Ordering::SeqCst), 1, "sent once");
    let made = jobs_with_prefix(&url, &origin.vault_id, "p-cancel/");
    assert_eq!(made.len(), 1);
    assert!(
        matches!(made[0].1.as_str(), "CANCELING" | "CANCELED"),
        "{made:?}"
    );
}
