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

/// Which environment a case runs in.
#[derive(Clone, Copy, Debug)]
enum Env {
    /// The test server's key, with a security token.
    Good,
    /// A wrong secret: the service refuses the signature.
    Wrong,
    /// No variables; a home whose profile files hold other secrets.
    Profiles,
}

/// The command paths: the arguments after the global flags (split on spaces; `URL` is the test
/// server, `UNREACHABLE` a closed port), the environment, the expected exit code (`None`:
/// any failure).
const CASES: &[(&str, Env, Option<i32>)] = &[
    ("--endpoint URL restore-jobs list --all", Env::Good, Some(0)),
    (
        "--endpoint URL --output json restore-jobs list --limit 5",
        Env::Good,
        Some(0),
    ),
    (
        r#"--endpoint URL call DescribeRestoreJobs2 --input {"PageSize":3}"#,
        Env::Good,
        Some(0),
    ),
    (
        "--endpoint URL call DescribeRestoreJobs2 --input {} --dry-run",
        Env::Good,
        Some(0),
    ),
    (
        r#"--endpoint URL call DescribeRestoreJobs2 --input {"PageSize":0}"#,
        Env::Good,
        None,
    ),
    (
        "--endpoint URL call DescribeRestoreJobs2 --input {not-json",
        Env::Good,
        None,
    ),
    (
        "--endpoint URL call DescribeRestoreJob2 --input {}",
        Env::Good,
        None,
    ),
    ("--endpoint URL call --list", Env::Good, Some(0)),
    (
        "--endpoint URL call DescribeRestoreJobs2 --help",
        Env::Good,
        Some(0),
    ),
    (
        "--endpoint URL restore-jobs list --limit lots",
        Env::Good,
        None,
    ),
    ("--endpoint URL restore-jobs list", Env::Wrong, Some(1)),
    (
        "--endpoint URL call DescribeRestoreJobs2 --input {}",
        Env::Wrong,
        Some(1),
    ),
    ("--endpoint UNREACHABLE restore-jobs list", Env::Good, None),
    ("--endpoint URL restore-jobs list", Env::Profiles, Some(1)),
    (
        "--profile broken --endpoint URL restore-jobs list",
        Env::Profiles,
        None,
    ),
    ("--emulator restore-jobs list --limit 3", Env::Good, Some(0)),
    (
        r#"--emulator call DescribeRestoreJobs2 --input {"PageSize":2}"#,
        Env::Good,
        Some(0),
    ),
    ("completions bash", Env::Good, Some(0)),
    ("--help", Env::Good, Some(0)),
    ("--version", Env::Good, Some(0)),
    ("--no-such-flag", Env::Good, None),
];

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
    let mut ran = 0;
    for (line, env, expected) in CASES {
        let vars = match env {
            Env::Good => &good,
            Env::Wrong => &wrong,
            Env::Profiles => &profiles,
        };
        let args: Vec<&str> = line
            .split(' ')
            .map(|a| match a {
                "URL" => url,
                "UNREACHABLE" => "http://127.0.0.1:9",
                other => other,
            })
            .collect();
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
    assert_eq!(ran, CASES.len() * 4);
}
