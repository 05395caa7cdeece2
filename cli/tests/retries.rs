//! The retry and timeout flags: `--max-attempts`, `--connect-timeout`, `--read-timeout`,
//! `--retry-mode`, against emulators that fail, stall or limit the rate; their errors; and
//! `hbr --help` documenting them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use hbr_emulator::{EmulatorConfig, FaultConfig};
use support::{emulator_thread, hbr, hbr_with, stderr, stdout, DEMO_KEY};

fn with_faults(faults: FaultConfig) -> EmulatorConfig {
    EmulatorConfig {
        jobs: 40,
        faults,
        ..EmulatorConfig::default()
    }
}

fn describe_vaults(url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--endpoint", url];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["call", "DescribeVaults"]);
    hbr_with(&args, false, &DEMO_KEY)
}

#[test]
fn max_attempts_sets_how_many_requests_a_failing_call_sends() {
    let outage = emulator_thread(with_faults(FaultConfig {
        error_rate: 1.0,
        ..FaultConfig::default()
    }));
    let url = outage.emulator.url();
    let mut sent = 0;
    for (flag, expected) in [(None, 3), (Some("1"), 1), (Some("5"), 5)] {
        let extra: Vec<&str> = flag.map_or_else(Vec::new, |n| vec!["--max-attempts", n]);
        let out = describe_vaults(&url, &extra);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let requests = outage.emulator.stats().requests - sent;
        sent += requests;
        assert_eq!(requests, expected, "{flag:?}: {}", stderr(&out));
    }
}

#[test]
fn read_timeout_ends_an_attempt_the_server_does_not_answer() {
    let slow = emulator_thread(with_faults(FaultConfig {
        latency_ms: 3_000,
        ..FaultConfig::default()
    }));
    let url = slow.emulator.url();
    let out = describe_vaults(&url, &["--read-timeout", "0.3", "--max-attempts", "1"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("the server sent nothing for 300ms"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn timeouts_and_the_mode_reach_the_client() {
    let out = hbr(
        &[
            "--emulator",
            "--debug",
            "--connect-timeout",
            "1.5",
            "--read-timeout",
            "7",
            "--retry-mode",
            "adaptive",
            "--max-attempts",
            "4",
            "call",
            "DescribeVaults",
        ],
        false,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("* retry mode adaptive, 4 attempts, connect timeout 1.5s, read timeout 7s"),
        "{err}"
    );
    // The defaults, when no flag is given.
    let out = hbr(&["--emulator", "--debug", "call", "DescribeVaults"], false);
    let err = stderr(&out);
    assert!(
        err.contains("* retry mode standard, 3 attempts, connect timeout 5s, read timeout 10s"),
        "{err}"
    );
}

#[test]
fn adaptive_mode_lists_through_a_rate_limit() {
    // 400 restore jobs at 10 a page: 40 pages, 16 in flight, against 20 requests a second.
    let limited = emulator_thread(EmulatorConfig {
        jobs: 400,
        faults: FaultConfig {
            rate_limit_rps: 20.0,
            ..FaultConfig::default()
        },
        ..EmulatorConfig::default()
    });
    let url = limited.emulator.url();
    let out = hbr_with(
        &[
            "--endpoint",
            &url,
            "--retry-mode",
            "adaptive",
            "--output",
            "json",
            "restore-jobs",
            "list",
            "--all",
            "--page-size",
            "10",
        ],
        false,
        &DEMO_KEY,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let jobs: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(jobs.as_array().map(Vec::len), Some(400));
    let stats = limited.emulator.stats();
    assert!(stats.rate_limited > 0, "the rate limit was reached");
    // Paced after the first throttled answers: fewer throttled answers than pages (the
    // burst of 16 in flight past the first 20 is throttled together; then the pace holds).
    assert!(
        stats.rate_limited < 40,
        "{} throttled answers for 40 pages",
        stats.rate_limited
    );
}

#[test]
fn bad_values_are_usage_errors_naming_the_flag() {
    for (flag, value, says) in [
        ("--max-attempts", "0", "from 1 to 100"),
        ("--max-attempts", "many", "from 1 to 100"),
        ("--connect-timeout", "0", "out of range"),
        ("--read-timeout", "-0.5", "out of range"),
        ("--read-timeout", "soon", "not a number of seconds"),
        (
            "--retry-mode",
            "eager",
            "possible values: standard, adaptive",
        ),
    ] {
        let arg = format!("{flag}={value}");
        let out = hbr(&["--emulator", &arg, "call", "DescribeVaults"], false);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let err = stderr(&out);
        assert!(err.contains(flag), "{flag} {value}: {err}");
        assert!(err.contains(says), "{flag} {value}: {err}");
    }
}

#[test]
fn help_documents_the_flags() {
    let out = hbr(&["--help"], false);
    let help = stdout(&out);
    for flag in [
        "--max-attempts <N>",
        "--connect-timeout <SECS>",
        "--read-timeout <SECS>",
        "--retry-mode <RETRY_MODE>",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    assert!(help.contains("default 5"), "{help}");
    assert!(help.contains("retry quota"), "{help}");
}
