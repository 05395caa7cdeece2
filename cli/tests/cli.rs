//! The `hbr` binary end to end, against a local HBR endpoint started in-process.

mod support;

use serde_json::Value;
use support::{hbr, hbr_with, server, stderr, stdout, ACCESS_KEY_SECRET, BASE_TIME};

/// The data set's restore ids, in order, of the jobs `keep` accepts.
fn expected_ids(keep: impl Fn(&Value) -> bool) -> Vec<String> {
    support::jobs()
        .iter()
        .filter(|j| keep(j))
        .filter_map(|j| j["RestoreId"].as_str().map(str::to_owned))
        .collect()
}

/// The restore ids of a JSON array of jobs.
fn ids_of(array: &Value) -> Vec<String> {
    array
        .as_array()
        .map(|jobs| {
            jobs.iter()
                .filter_map(|j| j["RestoreId"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The restore ids of a table (first column of each row between header and footer).
fn table_ids(text: &str) -> Vec<String> {
    text.lines()
        .skip(1)
        .filter(|l| l.starts_with("r-"))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

/// `hbr --endpoint URL restore-jobs list ARGS --all` in JSON and as a table; checks both give
/// `expected`, in order.
fn check_list(args: &[&str], expected: &[String]) {
    let url = &server().url;
    let mut json_args = vec![
        "--endpoint",
        url,
        "restore-jobs",
        "list",
        "--all",
        "--output",
        "json",
    ];
    json_args.extend_from_slice(args);
    let out = hbr(&json_args, true);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    assert_eq!(ids_of(&value), expected, "json {args:?}");

    let mut table_args = vec!["--endpoint", url, "restore-jobs", "list", "--all"];
    table_args.extend_from_slice(args);
    let out = hbr(&table_args, true);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(table_ids(&text), expected, "table {args:?}");
    let footer = text.lines().last().unwrap_or_default().to_owned();
    if expected.is_empty() {
        assert_eq!(footer, "no restore jobs (TotalCount 0)");
    } else {
        assert_eq!(
            footer,
            format!(
                "{} restore job{} shown (TotalCount {})",
                expected.len(),
                if expected.len() == 1 { "" } else { "s" },
                expected.len()
            )
        );
    }
}

#[test]
fn call_with_each_signature() {
    let url = &server().url;
    let data = support::jobs();
    for signature in ["v3", "v1"] {
        let out = hbr(
            &[
                "--endpoint",
                url,
                "--signature",
                signature,
                "call",
                "DescribeRestoreJobs2",
                "--input",
                r#"{"PageSize":5,"PageNumber":2,"Filters":[{"Key":"VaultId","Values":["v-0001"]}]}"#,
            ],
            true,
        );
        assert!(out.status.success(), "{signature}: {}", stderr(&out));
        assert!(out.stderr.is_empty());
        let body: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
        let expected: Vec<&Value> = data.iter().filter(|j| j["VaultId"] == "v-0001").collect();
        assert_eq!(body["TotalCount"], expected.len());
        assert_eq!(body["PageNumber"], 2);
        let page = &body["RestoreJobs"]["RestoreJob"];
        let want: Vec<String> = expected[5..10]
            .iter()
            .filter_map(|j| j["RestoreId"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(ids_of(page), want, "{signature}");
        // Fields come back in the API's shape and types.
        assert_eq!(page[0]["VaultId"], "v-0001");
        assert_eq!(page[0]["CompleteTime"], expected[5]["CompleteTime"]);
        assert_eq!(page[0]["Progress"], expected[5]["Progress"]);
    }
}

#[test]
fn call_input_from_a_file() {
    let url = &server().url;
    let dir = tempfile::tempdir().ok();
    let path = dir
        .as_ref()
        .map(|d| d.path().join("in.json"))
        .unwrap_or_default();
    std::fs::write(&path, r#"{"PageSize":3,"RestoreType":"OSS"}"#).ok();
    let arg = format!("@{}", path.display());
    let out = hbr(
        &[
            "--endpoint",
            url,
            "call",
            "DescribeRestoreJobs2",
            "--input",
            &arg,
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    let want = expected_ids(|j| j["RestoreType"] == "OSS");
    assert_eq!(body["TotalCount"], want.len());
    assert_eq!(
        ids_of(&body["RestoreJobs"]["RestoreJob"]),
        want[..3].to_vec()
    );
}

#[test]
fn call_list_and_describe() {
    let out = hbr(&["call", "--list"], false);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text
        .lines()
        .any(|l| l.starts_with("DescribeRestoreJobs2 ") && l.contains("restore jobs")));

    for args in [
        &["call", "DescribeRestoreJobs2", "--help"][..],
        &["call", "DescribeRestoreJobs2", "--describe"][..],
    ] {
        let out = hbr(args, false);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        for needle in [
            "Kind: a read: sent again after any transient failure.",
            "PageSize",
            "int32",
            "1..=99",
            "Filters.N.Operator",
            "BETWEEN",
            "ECS_FILE",
        ] {
            assert!(text.contains(needle), "{needle} missing from:\n{text}");
        }
    }
    let out = hbr(&["call", "CreateRestoreJob", "--describe"], false);
    assert!(
        stdout(&out).contains("Kind: a write: not sent again when its outcome is unknown (exit 6)"),
        "{}",
        stdout(&out)
    );
    let out = hbr(&["call", "--help"], false);
    assert!(out.status.success());
    assert!(stdout(&out).contains("--input"));
}

#[test]
fn misspelled_parameter_is_named_with_a_suggestion() {
    let url = &server().url;
    let out = hbr(
        &[
            "--endpoint",
            url,
            "call",
            "DescribeRestoreJobs2",
            "--input",
            r#"{"PageSise":3}"#,
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        err.contains("`PageSise`") && err.contains("did you mean `PageSize`?"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_operation_suggests_the_closest() {
    let out = hbr(&["call", "DescribeRestoreJob2", "--input", "{}"], true);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("unknown operation `DescribeRestoreJob2`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `DescribeRestoreJobs2`?"),
        "{err}"
    );
}

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

#[test]
fn bad_credentials_are_an_api_error_with_request_id() {
    let url = &server().url;
    let out = hbr_with(
        &["--endpoint", url, "restore-jobs", "list"],
        false,
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "nobody"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "whatever"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: InvalidAccessKeyId.NotFound (HTTP 404): Specified access key is not found. [request id TEST-"),
        "{err}"
    );
    assert!(err.trim_end().ends_with(']'), "{err}");
}

#[test]
fn validation_errors_send_nothing() {
    let server = server();
    let before = server.requests.load(std::sync::atomic::Ordering::SeqCst);
    let out = hbr(
        &[
            "--endpoint",
            &server.url,
            "call",
            "DescribeRestoreJobs2",
            "--input",
            r#"{"PageSize":100}"#,
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: invalid parameter PageSize"),
        "{err}"
    );

    let out = hbr(
        &[
            "--endpoint",
            &server.url,
            "restore-jobs",
            "list",
            "--page-size",
            "100",
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("PageSize"), "{}", stderr(&out));

    // CompleteTime with IN breaks a documented rule.
    let out = hbr(
        &[
            "--endpoint",
            &server.url,
            "restore-jobs",
            "list",
            "--filter",
            "CompleteTime:IN:1,2",
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Operator"), "{}", stderr(&out));
    // Other tests may send meanwhile; these three sent nothing of their own, which the
    // unreachable-endpoint variant below proves independently of the counter.
    let out = hbr(
        &[
            "--endpoint",
            "http://127.0.0.1:9",
            "call",
            "DescribeRestoreJobs2",
            "--input",
            r#"{"PageSize":100}"#,
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let _ = before;
}

#[test]
fn unreachable_endpoint_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9);
    let url = format!("http://127.0.0.1:{port}");
    let out = hbr(&["--endpoint", &url, "restore-jobs", "list"], true);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: transport error:"), "{err}");
}

#[test]
fn missing_credentials() {
    let url = &server().url;
    let out = hbr(&["--endpoint", url, "restore-jobs", "list"], false);
    assert_eq!(out.status.code(), Some(4));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: credentials:"), "{err}");
}

#[test]
fn usage_errors() {
    for args in [
        &["restore-jobs", "list", "--completed-after", "someday"][..],
        &["restore-jobs", "list", "--filter", "Vault:IN:v-1"][..],
        &["--signature", "v2", "call", "--list"][..],
        &["--endpoint", "ftp://x", "call", "--list"][..],
        &["restore-jobs", "frobnicate"][..],
    ] {
        let out = hbr(args, true);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with("error:"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = hbr(&["restore-jobs", "list"], true);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--region"), "{}", stderr(&out));
}

#[test]
fn debug_prints_requests_but_no_secret() {
    let url = &server().url;
    for signature in ["v3", "v1"] {
        let out = hbr_with(
            &[
                "--debug",
                "--signature",
                signature,
                "--endpoint",
                url,
                "restore-jobs",
                "list",
                "--all",
                "--status",
                "FAILED",
            ],
            true,
            &[],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("Action=DescribeRestoreJobs2"), "{err}");
        assert!(err.contains("Filters.1.Key=Status"), "{err}");
        assert!(err.contains("RequestId=TEST-"), "{err}");
        assert!(!err.contains(ACCESS_KEY_SECRET), "{err}");
        assert!(!err.contains("Signature="), "{err}");
        assert!(!err.to_ascii_lowercase().contains("authorization"), "{err}");

        let out = hbr(
            &[
                "--debug",
                "--signature",
                signature,
                "--endpoint",
                url,
                "call",
                "DescribeRestoreJobs2",
                "--input",
                r#"{"PageSize":2}"#,
            ],
            true,
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("DescribeRestoreJobs2"), "{err}");
        assert!(!err.contains(ACCESS_KEY_SECRET), "{err}");
    }
}

#[test]
fn dry_run_sends_nothing() {
    let out = hbr(
        &[
            "--endpoint",
            "http://127.0.0.1:9",
            "call",
            "DescribeRestoreJobs2",
            "--dry-run",
            "--input",
            r#"{"PageSize":4}"#,
        ],
        false,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    assert_eq!(value["PageSize"], 4);
}

#[test]
fn completions_generate() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = hbr(&["completions", shell], false);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("hbr"), "{shell}");
        assert!(
            text.contains("restore-jobs") || text.contains("restore\\-jobs"),
            "{shell}"
        );
    }
}

#[test]
fn profile_selects_cli_profile_credentials() {
    let url = &server().url;
    let home = tempfile::tempdir().ok();
    let home_path = home
        .as_ref()
        .map(|d| d.path().to_path_buf())
        .unwrap_or_default();
    std::fs::create_dir_all(home_path.join(".aliyun")).ok();
    let config = serde_json::json!({
        "current": "broken",
        "profiles": [
            {"name": "broken", "mode": "AK", "access_key_id": "nobody", "access_key_secret": "x"},
            {"name": "dev", "mode": "AK", "access_key_id": support::ACCESS_KEY_ID,
             "access_key_secret": ACCESS_KEY_SECRET, "region_id": "cn-hangzhou"}
        ]
    });
    std::fs::write(home_path.join(".aliyun/config.json"), config.to_string()).ok();
    let home_str = home_path.to_string_lossy().into_owned();
    let vars = [("HOME", home_str.as_str())];

    let out = hbr_with(
        &[
            "--profile",
            "dev",
            "--endpoint",
            url,
            "restore-jobs",
            "list",
        ],
        false,
        &vars,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // The file's `current` profile holds an unknown key: without --profile (and with the
    // profile provider enabled) the service refuses it.
    let out = hbr_with(
        &["--endpoint", url, "restore-jobs", "list"],
        false,
        &[
            ("HOME", home_str.as_str()),
            ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "false"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = hbr_with(
        &[
            "--profile",
            "missing",
            "--endpoint",
            url,
            "restore-jobs",
            "list",
        ],
        false,
        &vars,
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

/// `--emulator` starts the embedded emulator in-process; no credentials in the environment.
#[test]
fn emulator_needs_no_credentials() {
    let out = hbr(
        &[
            "--emulator",
            "restore-jobs",
            "list",
            "--all",
            "--output",
            "json",
        ],
        false,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    assert!(!ids_of(&value).is_empty());
    let out = hbr(
        &[
            "--emulator",
            "--signature",
            "v1",
            "call",
            "DescribeRestoreJobs2",
        ],
        false,
    );
    assert!(out.status.success(), "{}", stderr(&out));
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
    let out = hbr(&["restore-jobs", "list", "--restore-type", "disk"], false);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "expected one of {}",
            RestoreType::VALUES.join(", ")
        )),
        "{}",
        stderr(&out)
    );
}
