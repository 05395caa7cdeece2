//! Secrets never leave: every command path of `hbr` (success, API error, validation error,
//! transport error, dry run, help, completions, the emulator, profile files), with and
//! without `--debug`, under both signatures and with tracing turned all the way up, is run
//! with known secrets, and everything it prints is searched for them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use support::{hbr_with, server, ACCESS_KEY_ID, ACCESS_KEY_SECRET};

const TOKEN: &str = "STS-token-canary-7f3a9c";
const WRONG_SECRET: &str = "wrong-secret-canary-51d2";
const PROFILE_SECRET: &str = "profile-secret-canary-0b8e";
const PROFILE_TOKEN: &str = "profile-token-canary-c4d1";
const CANARIES: &[&str] = &[
    ACCESS_KEY_SECRET,
    TOKEN,
    WRONG_SECRET,
    PROFILE_SECRET,
    PROFILE_TOKEN,
];

/// Arguments after the global flags, environment, expected exit code (`None`: any failure).
type Case<'a> = (Vec<&'a str>, &'a Vec<(&'a str, &'a str)>, Option<i32>);

/// Runs hbr and checks that nothing it printed holds a secret; returns the exit code.
fn run_clean(args: &[&str], vars: &[(&str, &str)]) -> Option<i32> {
    let out = hbr_with(args, false, vars);
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for canary in CANARIES {
        assert!(
            !text.contains(canary),
            "`hbr {}` printed a secret ({canary}):\n{text}",
            args.join(" ")
        );
        // Nor a recognisable piece of one.
        let piece = &canary[..canary.len() / 2];
        assert!(
            !text.contains(piece),
            "`hbr {}` printed part of a secret:\n{text}",
            args.join(" ")
        );
    }
    out.status.code()
}

/// The profile file's secrets are not the test server's: calls with them are refused
/// (SignatureDoesNotMatch, whose v1 message echoes the string to sign with the token).
fn write_profiles(home: &Path) {
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    let config = serde_json::json!({
        "current": "sts",
        "profiles": [
            {"name": "sts", "mode": "StsToken", "access_key_id": ACCESS_KEY_ID,
             "access_key_secret": PROFILE_SECRET, "sts_token": PROFILE_TOKEN, "region_id": "cn-hangzhou"},
            {"name": "broken", "mode": "StsToken", "access_key_id": ACCESS_KEY_ID,
             "access_key_secret": PROFILE_SECRET}
        ]
    });
    std::fs::write(home.join(".aliyun/config.json"), config.to_string()).unwrap();
}

#[test]
fn no_command_path_prints_a_secret() {
    let url = server().url.as_str();
    let good: Vec<(&str, &str)> = vec![
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
        ("RUST_LOG", "trace"),
        ("RUST_BACKTRACE", "1"),
    ];
    let wrong: Vec<(&str, &str)> = vec![
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", WRONG_SECRET),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
        ("RUST_LOG", "trace"),
    ];
    let home = tempfile::tempdir().unwrap();
    write_profiles(home.path());
    let home_str = home.path().to_string_lossy().into_owned();
    let profiles: Vec<(&str, &str)> = vec![
        ("HOME", home_str.as_str()),
        ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "false"),
        ("RUST_LOG", "trace"),
    ];
    let unreachable = "http://127.0.0.1:9";

    // (arguments after the global flags, environment, expected exit code)
    let cases: Vec<Case> = vec![
        (
            vec!["--endpoint", url, "restore-jobs", "list", "--all"],
            &good,
            Some(0),
        ),
        (
            vec![
                "--endpoint",
                url,
                "--output",
                "json",
                "restore-jobs",
                "list",
                "--limit",
                "5",
            ],
            &good,
            Some(0),
        ),
        (
            vec![
                "--endpoint",
                url,
                "call",
                "DescribeRestoreJobs2",
                "--input",
                r#"{"PageSize":3}"#,
            ],
            &good,
            Some(0),
        ),
        (
            vec![
                "--endpoint",
                url,
                "call",
                "DescribeRestoreJobs2",
                "--input",
                "{}",
                "--dry-run",
            ],
            &good,
            Some(0),
        ),
        (
            vec![
                "--endpoint",
                url,
                "call",
                "DescribeRestoreJobs2",
                "--input",
                r#"{"PageSize":0}"#,
            ],
            &good,
            None,
        ),
        (
            vec![
                "--endpoint",
                url,
                "call",
                "DescribeRestoreJobs2",
                "--input",
                "{not json",
            ],
            &good,
            None,
        ),
        (
            vec![
                "--endpoint",
                url,
                "call",
                "DescribeRestoreJob2",
                "--input",
                "{}",
            ],
            &good,
            None,
        ),
        (vec!["--endpoint", url, "call", "--list"], &good, Some(0)),
        (
            vec!["--endpoint", url, "call", "DescribeRestoreJobs2", "--help"],
            &good,
            Some(0),
        ),
        (
            vec!["--endpoint", url, "restore-jobs", "list", "--limit", "lots"],
            &good,
            None,
        ),
        (
            vec!["--endpoint", url, "restore-jobs", "list"],
            &wrong,
            Some(1),
        ),
        (
            vec![
                "--endpoint",
                url,
                "call",
                "DescribeRestoreJobs2",
                "--input",
                "{}",
            ],
            &wrong,
            Some(1),
        ),
        (
            vec!["--endpoint", unreachable, "restore-jobs", "list"],
            &good,
            None,
        ),
        (
            vec!["--endpoint", url, "restore-jobs", "list"],
            &profiles,
            Some(1),
        ),
        (
            vec![
                "--profile",
                "broken",
                "--endpoint",
                url,
                "restore-jobs",
                "list",
            ],
            &profiles,
            None,
        ),
        (
            vec!["--emulator", "restore-jobs", "list", "--limit", "3"],
            &good,
            Some(0),
        ),
        (
            vec![
                "--emulator",
                "call",
                "DescribeRestoreJobs2",
                "--input",
                r#"{"PageSize":2}"#,
            ],
            &good,
            Some(0),
        ),
        (vec!["completions", "bash"], &good, Some(0)),
        (vec!["--help"], &good, Some(0)),
        (vec!["--version"], &good, Some(0)),
        (vec!["--no-such-flag"], &good, None),
    ];
    let mut ran = 0;
    for (args, vars, expected) in &cases {
        for debug in [false, true] {
            for signature in ["v3", "v1"] {
                let mut full: Vec<&str> = Vec::new();
                if debug {
                    full.push("--debug");
                }
                full.extend(["--signature", signature]);
                full.extend(args.iter().copied());
                let code = run_clean(&full, vars);
                if let Some(expected) = expected {
                    assert_eq!(code, Some(*expected), "hbr {}", full.join(" "));
                } else {
                    assert_ne!(code, Some(0), "hbr {} should fail", full.join(" "));
                }
                ran += 1;
            }
        }
    }
    assert_eq!(ran, cases.len() * 4);
}
