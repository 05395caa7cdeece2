//! Open value sets, closed bounds: `hbr call` sends a value outside its parameter's documented
//! values as given, after one warning line on stderr naming the parameter, the value and the
//! documented values; bounds and rules still refuse before anything is sent.
//!
//! The documented values below are written out from the spec files (the documentation's
//! lists), not read from the registry the warning is printed from.

mod support;

use serde_json::Value;
use support::{hbr, received_with, server, stderr, stdout};

/// `RestoreType` of DescribeRestoreJobs2, as `api-spec/.../service.yaml` lists it.
const RESTORE_TYPES: &str = "ECS_FILE, OSS, NAS, COMMON_FILE_SYSTEM, OTS_TABLE, UDM_ECS_ROLLBACK";

/// `SourceType` of DescribeBackupJobs2, as its spec file lists it (`values:`).
const BACKUP_JOB_SOURCES: &str =
    "ECS_FILE, OSS, NAS, UDM_ECS, OTS, COMMON_NAS, File, UDM_ECS_DISK, SYNC";

fn warning(parameter: &str, value: &str, documented: &str) -> String {
    format!(
        "warning: {parameter}: \"{value}\" is not among the documented values ({documented}); it is sent as given"
    )
}

/// A value no list knows, top-level and nested, reaches the server exactly as given; one
/// warning line each, nothing else on stderr.
#[test]
fn an_undocumented_value_is_sent_as_given_with_one_warning_line() {
    let url = &server().url;
    let out = hbr(
        &[
            "--endpoint",
            url,
            "call",
            "DescribeRestoreJobs2",
            "--input",
            r#"{"RestoreType":"ARCHIVE_TIER","PageSize":3,"Filters":[{"Key":"DataSourceId","Values":["ds-7"]}]}"#,
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert_eq!(
        lines[0],
        warning("RestoreType", "ARCHIVE_TIER", RESTORE_TYPES)
    );
    assert!(
        lines[1].starts_with("warning: Filters.1.Key: \"DataSourceId\" is not among the documented values (RegionId, PlanId, JobId, VaultId, "),
        "{err}"
    );
    assert!(lines[1].ends_with("); it is sent as given"), "{err}");
    assert!(received_with(&[
        ("RestoreType", "ARCHIVE_TIER"),
        ("Filters.1.Key", "DataSourceId"),
        ("Filters.1.Values.1", "ds-7"),
        ("PageSize", "3"),
    ]));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    assert_eq!(body["TotalCount"], 0, "the test server has no such job");
}

/// A documented value sends without a word.
#[test]
fn a_documented_value_is_sent_quietly() {
    let url = &server().url;
    let out = hbr(
        &[
            "--endpoint",
            url,
            "call",
            "DescribeRestoreJobs2",
            "--input",
            r#"{"RestoreType":"OSS","PageSize":1}"#,
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

/// The issue's example against the embedded emulator. `CONTAINER` is a source type of the
/// spec that DescribeBackupJobs2's documentation does not list: sent with a warning, and the
/// emulator (which judges by the whole enum) answers. `NEW_SOURCE`, which the spec knows nowhere,
/// is sent with a warning too; the emulator answers it with the `InvalidParameter` its README
/// documents, quoting the value it received.
#[test]
fn describe_backup_jobs2_with_an_undocumented_source_type_is_sent() {
    let out = hbr(
        &[
            "--emulator",
            "call",
            "DescribeBackupJobs2",
            "--input",
            r#"{"SourceType":"CONTAINER"}"#,
        ],
        false,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim_end(),
        warning("SourceType", "CONTAINER", BACKUP_JOB_SOURCES)
    );
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    assert!(body["TotalCount"].is_number(), "{body}");

    let out = hbr(
        &[
            "--emulator",
            "call",
            "DescribeBackupJobs2",
            "--input",
            r#"{"SourceType":"NEW_SOURCE"}"#,
        ],
        false,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert_eq!(
        lines[0],
        warning("SourceType", "NEW_SOURCE", BACKUP_JOB_SOURCES)
    );
    assert!(
        lines[1].starts_with("error: InvalidParameter (HTTP 400)")
            && lines[1].contains("\"NEW_SOURCE\""),
        "{err}"
    );
}

/// Bounds still refuse before sending (port 9 answers nothing; exit 2 is a refusal, a send
/// would be a transport error): one error line, no warning for a request that is not sent.
#[test]
fn bounds_still_refuse_before_sending() {
    let out = hbr(
        &[
            "--endpoint",
            "http://127.0.0.1:9",
            "call",
            "DescribeBackupJobs2",
            "--input",
            r#"{"SourceType":"CONTAINER","PageSize":101}"#,
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim_end(),
        "error: invalid parameter PageSize: must be between 1 and 100, got 101"
    );
    assert!(out.stdout.is_empty());
}

/// `--dry-run` shows the request as it would be sent, the value as given, with the warning.
#[test]
fn dry_run_shows_the_value_as_given() {
    let out = hbr(
        &[
            "--endpoint",
            "http://127.0.0.1:9",
            "call",
            "DescribeBackupJobs2",
            "--dry-run",
            "--input",
            r#"{"SourceType":"CONTAINER"}"#,
        ],
        false,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim_end(),
        warning("SourceType", "CONTAINER", BACKUP_JOB_SOURCES)
    );
    let request: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    assert_eq!(request["SourceType"], "CONTAINER");
}
