//! Secrets never leave: every command path of `hbr` (success, API error, validation error,
//! transport error, dry run, help, completions, the emulator, profile files), with and
//! without `--debug`, under each signature and with tracing turned all the way up, is run
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
    let (code, text) = run(args, vars);
    assert_clean(args, &text, CANARIES);
    code
}

/// Runs hbr; the exit code and everything it printed.
fn run(args: &[&str], vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let out = hbr_with(args, false, vars);
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

/// Checks that `text`, printed by `hbr args`, holds none of `canaries`, nor half of one.
fn assert_clean<S: AsRef<str>>(args: &[&str], text: &str, canaries: &[S]) {
    for canary in canaries {
        let canary = canary.as_ref();
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
            for signature in ["v3", "sm3", "v1"] {
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
    assert_eq!(ran, CASES.len() * 6);
}

const SOURCE_SECRET: &str = "role-source-secret-canary-9d3e";
const BAD_SOURCE_SECRET: &str = "bad-source-secret-canary-2a7f";

/// Role profiles whose source key is the emulator's: RamRoleArn, ChainableRamRoleArn on
/// top of it, one whose source secret is wrong, and an INI `ram_role_arn` section.
fn write_role_profiles(home: &Path, source_id: &str) {
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    std::fs::create_dir_all(home.join(".alibabacloud")).unwrap();
    let role = "acs:ram::1234567890:role/operator";
    let config = serde_json::json!({
        "current": "role",
        "profiles": [
            {"name": "role", "mode": "RamRoleArn", "access_key_id": source_id,
             "access_key_secret": SOURCE_SECRET, "ram_role_arn": role},
            {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "role",
             "ram_role_arn": role},
            {"name": "bad", "mode": "RamRoleArn", "access_key_id": source_id,
             "access_key_secret": BAD_SOURCE_SECRET, "ram_role_arn": role}
        ]
    });
    std::fs::write(home.join(".aliyun/config.json"), config.to_string()).unwrap();
    let ini = format!(
        "[ini-role]\ntype = ram_role_arn\naccess_key_id = {source_id}\n\
         access_key_secret = {SOURCE_SECRET}\nrole_arn = {role}\nrole_session_name = ini\n"
    );
    std::fs::write(home.join(".alibabacloud/credentials"), ini).unwrap();
}

#[test]
fn role_credentials_never_print_the_source_secret_the_temporary_secret_or_the_token() {
    // An emulator that serves AssumeRole and accepts HBR calls only with what it issued.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let config = hbr_emulator::EmulatorConfig {
        access_key_id: "LTAI-role-source".into(),
        access_key_secret: SOURCE_SECRET.into(),
        require_sts: true,
        jobs: 20,
        ..hbr_emulator::EmulatorConfig::default()
    };
    let emulator = runtime.block_on(hbr_emulator::start(config)).unwrap();
    let url = emulator.url();
    let home = tempfile::tempdir().unwrap();
    write_role_profiles(home.path(), emulator.access_key_id());
    let home_str = home.path().to_string_lossy().into_owned();
    let base = [
        ("HOME", home_str.as_str()),
        ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "false"),
        ("ALIBABA_CLOUD_STS_ENDPOINT", url.as_str()),
        ("RUST_LOG", "trace"),
    ];
    let cases: &[(&[&str], Option<&str>, i32)] = &[
        (
            &["--profile", "role", "restore-jobs", "list", "--limit", "2"],
            None,
            0,
        ),
        (
            &[
                "--profile",
                "chain",
                "call",
                "DescribeRestoreJobs2",
                "--input",
                "{}",
            ],
            None,
            0,
        ),
        (
            &["restore-jobs", "list", "--limit", "1"],
            Some("ini-role"),
            0,
        ),
        (&["restore-jobs", "list"], Some("bad"), 4),
        (
            &["--profile", "bad", "call", "DescribeRestoreJobs2"],
            None,
            4,
        ),
    ];
    let mut printed = Vec::new();
    for (args, profile_var, expected) in cases {
        let mut vars = base.to_vec();
        if let Some(profile) = profile_var {
            vars.push(("ALIBABA_CLOUD_PROFILE", profile));
        }
        for debug in [false, true] {
            for signature in ["v3", "sm3", "v1"] {
                let mut full = vec!["--endpoint", url.as_str(), "--signature", signature];
                if debug {
                    full.insert(0, "--debug");
                }
                full.extend(args.iter().copied());
                let (code, text) = run(&full, &vars);
                assert_eq!(code, Some(*expected), "hbr {}:\n{text}", full.join(" "));
                printed.push((full.join(" "), text));
            }
        }
    }
    // What the emulator's STS issued is known only now.
    let issued = emulator.issued_credentials();
    assert!(issued.len() >= 12, "{} sets issued", issued.len());
    let mut canaries: Vec<String> = vec![SOURCE_SECRET.into(), BAD_SOURCE_SECRET.into()];
    for creds in &issued {
        canaries.push(creds.access_key_secret.clone());
        canaries.push(creds.security_token.clone());
    }
    for (command, text) in &printed {
        assert_clean(&[command.as_str()], text, &canaries);
    }
}
