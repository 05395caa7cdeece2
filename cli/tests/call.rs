//! `hbr call`: any operation with API-shaped JSON, from flags or a file, under each signature;
//! misspelled parameters and operations named with a suggestion; `--dry-run` sends nothing.

mod support;

use serde_json::Value;
use support::{expected_ids, hbr, ids_of, server, stderr, stdout};

#[test]
fn call_with_each_signature() {
    let url = &server().url;
    let data = support::jobs();
    for signature in ["v3", "sm3", "v1"] {
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
        stdout(&out).contains("Kind: a write: not sent again when its outcome is unknown (exit 8)"),
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
fn a_conditional_parameter_outside_its_condition_is_refused_before_sending() {
    // Port 9 answers nothing: the refusal happens before any request is made.
    let out = hbr(
        &[
            "--endpoint",
            "http://127.0.0.1:9",
            "call",
            "CreateRestoreJob",
            "--input",
            r#"{"RestoreType":"ECS_FILE","SourceType":"ECS_FILE","TargetBucket":"hbr-backup-oss"}"#,
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim_end(),
        "error: invalid parameter TargetBucket: applies only when `RestoreType` is `OSS`"
    );
}
