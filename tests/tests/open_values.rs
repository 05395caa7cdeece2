//! Open value sets, closed bounds, end to end over 127.0.0.1: the typed client sends a value
//! outside an operation's documented values as given, and the emulator, judging by the
//! spec's whole enum, accepts one the spec knows (a `CONTAINER` backup job is created and
//! then listed by DescribeBackupJobs2, whose documentation lists no `CONTAINER`) and answers
//! `InvalidParameter` for one it knows nowhere, quoting the value it received.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use hbr_client::error::ErrorKind;
use hbr_client::types::SourceType;
use hbr_runtime::signing::SignatureVersion;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_outside_the_documented_lists_reach_the_emulator_as_given() {
    let emu = hbr_emulator::start(hbr_emulator::EmulatorConfig {
        jobs: 10,
        ..hbr_emulator::EmulatorConfig::default()
    })
    .await
    .unwrap();
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let c = support::client(&emu.url(), version);
        let vault_id = c
            .create_vault()
            .vault_region_id("cn-hangzhou")
            .vault_name(format!("open-values-{version:?}"))
            .send()
            .await
            .unwrap()
            .vault_id()
            .unwrap()
            .to_owned();
        let job_id = c
            .create_backup_job()
            .source_type(SourceType::Container)
            .vault_id(vault_id.as_str())
            .container_cluster_id("cc-0001")
            .send()
            .await
            .unwrap()
            .job_id()
            .unwrap()
            .to_owned();
        // Not among DescribeBackupJobs2's documented source types, sent all the same.
        let listed = c
            .describe_backup_jobs2()
            .source_type(SourceType::Container)
            .send()
            .await
            .unwrap();
        assert!(
            listed
                .backup_jobs()
                .iter()
                .any(|j| j.job_id() == Some(job_id.as_str())),
            "{version:?}: the CONTAINER job is listed"
        );
        assert!(listed
            .backup_jobs()
            .iter()
            .all(|j| j.source_type() == Some(&SourceType::Container)));
        // A value the spec knows nowhere goes out as given; the emulator names it.
        let err = c
            .describe_backup_jobs2()
            .source_type(SourceType::from("NEW_SOURCE"))
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Service, "{err}");
        assert_eq!(err.code(), Some("InvalidParameter"));
        assert!(
            err.message().unwrap_or_default().contains("\"NEW_SOURCE\""),
            "{err}"
        );
        // A bound refuses before sending, whatever the value.
        let requests = emu.requests_total();
        let err = c
            .describe_backup_jobs2()
            .source_type(SourceType::from("NEW_SOURCE"))
            .page_size(0)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
        assert_eq!(emu.requests_total(), requests, "nothing was sent");
    }
}
