//! `hbr restore-jobs list`: every flag in table and JSON, paging and limits, the table's columns,
//! and the bounds and value lists that come from the generated client.

mod support;

use serde_json::Value;
use support::{
    check_list, expected_ids, hbr, ids_of, server, stderr, stdout, table_ids, BASE_TIME,
};

#[test]
fn list_each_flag_in_table_and_json() {
    check_list(
        &["--vault-id", "v-0002"],
        &expected_ids(|j| j["VaultId"] == "v-0002"),
    );
    check_list(
        &["--vault-id", "v-0002,v-0003"],
        &expected_ids(|j| j["VaultId"] == "v-0002" || j["VaultId"] == "v-0003"),
    );
    check_list(
        &["--status", "complete,FAILED"],
        &expected_ids(|j| j["Status"] == "COMPLETE" || j["Status"] == "FAILED"),
    );
    check_list(
        &["--status", "PARTIAL_COMPLETE"],
        &expected_ids(|j| j["Status"] == "PARTIAL_COMPLETE"),
    );
    check_list(
        &["--restore-type", "nas"],
        &expected_ids(|j| j["RestoreType"] == "NAS"),
    );
    check_list(
        &["--instance-id", "i-0001", "--instance-id", "i-0004"],
        &expected_ids(|j| j["TargetInstanceId"] == "i-0001" || j["TargetInstanceId"] == "i-0004"),
    );
    check_list(
        &["--bucket", "bucket-3"],
        &expected_ids(|j| j["TargetBucket"] == "bucket-3"),
    );
    check_list(
        &["--file-system-id", "fs-2"],
        &expected_ids(|j| j["TargetFileSystemId"] == "fs-2"),
    );

    let complete = |j: &Value| j["CompleteTime"].as_i64().unwrap_or_default();
    // 2024-01-03 is BASE_TIME + 2 days; unix seconds and RFC 3339 work too.
    let day3 = BASE_TIME + 2 * 86_400;
    let day5 = BASE_TIME + 4 * 86_400;
    check_list(
        &["--completed-after", "2024-01-03"],
        &expected_ids(|j| complete(j) >= day3),
    );
    check_list(
        &["--completed-before", &day3.to_string()],
        &expected_ids(|j| complete(j) < day3),
    );
    check_list(
        &[
            "--completed-after",
            "2024-01-03T00:00:00Z",
            "--completed-before",
            "2024-01-05",
        ],
        &expected_ids(|j| complete(j) >= day3 && complete(j) < day5),
    );
    check_list(
        &["--filter", "PlanId:IN:plan-1,plan-2"],
        &expected_ids(|j| j["PlanId"] == "plan-1" || j["PlanId"] == "plan-2"),
    );
    check_list(
        &[
            "--filter",
            "planid:not_equal:plan-3",
            "--status",
            "FAILED",
            "--restore-type",
            "OSS",
        ],
        &expected_ids(|j| {
            j["PlanId"] != "plan-3" && j["Status"] == "FAILED" && j["RestoreType"] == "OSS"
        }),
    );
    check_list(&["--vault-id", "v-9999"], &[]);
}

#[test]
fn one_page_all_pages_and_limit() {
    let url = &server().url;
    let all = expected_ids(|_| true);

    // No --all: one page of the service's default size (10).
    let out = hbr(
        &[
            "--endpoint",
            url,
            "restore-jobs",
            "list",
            "--output",
            "json",
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    assert_eq!(ids_of(&value), all[..10].to_vec());

    // --all with a small page size: every job once, in order.
    let out = hbr(
        &[
            "--endpoint",
            url,
            "restore-jobs",
            "list",
            "--all",
            "--page-size",
            "7",
            "--output",
            "json",
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    assert_eq!(ids_of(&value), all);

    // --limit across pages.
    let out = hbr(
        &[
            "--endpoint",
            url,
            "restore-jobs",
            "list",
            "--limit",
            "23",
            "--page-size",
            "10",
            "--output",
            "json",
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    assert_eq!(ids_of(&value), all[..23].to_vec());

    // --limit in a table: the footer gives the count and TotalCount.
    let out = hbr(
        &[
            "--endpoint",
            url,
            "restore-jobs",
            "list",
            "--all",
            "--limit",
            "7",
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(table_ids(&text), all[..7].to_vec());
    assert_eq!(
        text.lines().last(),
        Some(format!("7 restore jobs shown (TotalCount {})", all.len()).as_str())
    );
    // No progress indicator when stderr is not a terminal.
    assert!(out.stderr.is_empty());
}

#[test]
fn table_columns() {
    let url = &server().url;
    let out = hbr(
        &[
            "--endpoint",
            url,
            "restore-jobs",
            "list",
            "--page-size",
            "3",
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.first().copied().unwrap_or_default();
    let columns = [
        "RESTORE ID",
        "TYPE",
        "STATUS",
        "PROGRESS",
        "DONE/TOTAL",
        "CREATED",
        "COMPLETED",
        "VAULT",
    ];
    let mut at = 0;
    for c in columns {
        let pos = header[at..].find(c).map(|p| p + at);
        assert!(pos.is_some(), "{c} missing from {header:?}");
        at = pos.unwrap_or_default() + c.len();
    }
    // Row 2 is r-000001: OSS, FAILED, 0.37%, 2.0 KiB total, created 2024-01-01 01:00 UTC.
    let row = lines.get(2).copied().unwrap_or_default();
    for cell in [
        "r-000001",
        "OSS",
        "FAILED",
        "0.4%",
        "/ 2.0 KiB",
        "2024-01-01 01:00",
        "2024-01-01 01:10",
        "v-0001",
    ] {
        assert!(row.contains(cell), "{cell} missing from {row:?}");
    }
    // Columns are aligned: VAULT starts at the same offset on every row.
    let vault_at = header.find("VAULT").unwrap_or_default();
    for row in &lines[1..4] {
        assert_eq!(row.get(vault_at..vault_at + 2), Some("v-"), "{row:?}");
    }
    assert_eq!(
        lines.last().copied(),
        Some(format!("3 restore jobs shown (TotalCount {})", support::JOBS).as_str())
    );
}

/// `--page-size` is checked against the bound the generated code exposes: one past it is
/// refused before anything is sent (exit 2, naming the parameter and the bound), the bound
/// itself is accepted, and `--help` states it.
#[test]
fn the_page_size_bound_is_the_generated_one() {
    use hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Request;
    let size = DescribeRestoreJobs2Request::PAGE_SIZE;
    // The bound the DescribeRestoreJobs2 documentation gives.
    assert_eq!(size.maximum, Some(99));
    let max = size.maximum.unwrap_or_default();
    let url = &server().url;
    let too_big = (max + 1).to_string();
    let out = hbr(
        &[
            "--endpoint",
            url,
            "restore-jobs",
            "list",
            "--page-size",
            &too_big,
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("PageSize"), "{err}");
    assert!(err.contains(&format!("{max}, got {too_big}")), "{err}");

    let largest = max.to_string();
    let out = hbr(
        &[
            "--endpoint",
            url,
            "restore-jobs",
            "list",
            "--page-size",
            &largest,
            "--output",
            "json",
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    let all = expected_ids(|_| true);
    let shown = usize::try_from(max).unwrap_or_default().min(all.len());
    assert_eq!(ids_of(&value), all[..shown].to_vec());

    let out = hbr(&["restore-jobs", "list", "--help"], false);
    let help = stdout(&out);
    let min = size.minimum.unwrap_or_default();
    assert!(
        help.contains(&format!(
            "({min} to {max}; the service default is 10, {max} with --all)"
        )),
        "{help}"
    );
}

/// The value lists in `restore-jobs list --help` and the accepted restore types are the
/// generated enums' `VALUES`.
#[test]
fn restore_types_and_states_come_from_the_generated_enums() {
    use hbr_client::describe_restore_jobs2::RestoreJobStatus;
    use hbr_client::types::RestoreType;
    // The documented values.
    assert_eq!(
        RestoreType::VALUES,
        [
            "ECS_FILE",
            "OSS",
            "NAS",
            "COMMON_FILE_SYSTEM",
            "OTS_TABLE",
            "UDM_ECS_ROLLBACK"
        ]
    );
    assert_eq!(
        RestoreJobStatus::VALUES,
        ["COMPLETE", "PARTIAL_COMPLETE", "FAILED"]
    );
    let out = hbr(&["restore-jobs", "list", "--help"], false);
    let help = stdout(&out);
    assert!(
        help.contains("ECS_FILE, OSS, NAS, COMMON_FILE_SYSTEM, OTS_TABLE or UDM_ECS_ROLLBACK"),
        "{help}"
    );
    assert!(
        help.contains("e.g. COMPLETE, PARTIAL_COMPLETE, FAILED"),
        "{help}"
    );
    assert!(help.contains("At most 5 conditions"), "{help}");
    // A typo of a documented type is refused, naming it; any other value is sent (with a
    // warning, see tests/admin.rs).
    let out = hbr(
        &["restore-jobs", "list", "--restore-type", "ECS_FLIE"],
        false,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "did you mean ECS_FILE? (documented: {})",
            RestoreType::VALUES.join(", ")
        )),
        "{}",
        stderr(&out)
    );
}
