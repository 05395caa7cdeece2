//! The aliyun CLI's habits in `hbr call`: parameters as flags (scalars, nested, JSON values,
//! mixed with --input), `--output cols=A,B rows=PATH`, and the AWS CLI's `--query`, alone and
//! with --all; each flag's mistakes refused with one line and exit 2. The vaults expected
//! are read from the emulator with the typed client, not from `hbr`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use hbr_client::describe_vaults::DescribeVaultsRequest;
use hbr_client::{Client, Config};
use serde_json::Value;
use support::{
    emulator_thread, expected_ids, hbr, hbr_with, ids_of, server, stderr, stdout, DEMO_KEY,
};

/// An endpoint where nothing listens: a command that gets there would fail with exit 3, so
/// exit 2 shows it was refused before anything was sent.
const NOWHERE: &str = "http://127.0.0.1:1";

/// The emulator's first `size` vaults (ID, type), read with the typed client.
fn vaults(url: &str, size: i32) -> (Vec<(String, String)>, i64) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = Client::new(
            Config::builder()
                .endpoint(url)
                .static_credentials(
                    hbr_emulator::DEMO_ACCESS_KEY_ID,
                    hbr_emulator::DEMO_ACCESS_KEY_SECRET,
                )
                .build(),
        )
        .unwrap();
        let request = DescribeVaultsRequest::builder()
            .page_size(size)
            .build()
            .unwrap();
        let page = client.execute(&request).await.unwrap();
        let vaults = page
            .vaults()
            .iter()
            .map(|v| {
                (
                    v.vault_id().unwrap_or_default().to_owned(),
                    v.vault_type()
                        .map(|t| t.as_str().to_owned())
                        .unwrap_or_default(),
                )
            })
            .collect();
        (vaults, i64::from(page.total_count().unwrap_or_default()))
    })
}

fn call(url: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--endpoint", url, "call"];
    all.extend_from_slice(args);
    hbr_with(&all, false, &DEMO_KEY)
}

#[test]
fn page_size_as_a_flag_prints_two_vaults() {
    let emu = emulator_thread(hbr_emulator::EmulatorConfig::default());
    let url = emu.emulator.url();
    let (expected, _) = vaults(&url, 2);
    assert_eq!(expected.len(), 2);
    let out = call(&url, &["DescribeVaults", "--PageSize", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let ids: Vec<&str> = body["Vaults"]["Vault"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["VaultId"].as_str())
        .collect();
    let want: Vec<&str> = expected.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, want);
    // `--PageSize=2` is the same flag.
    let out = call(&url, &["DescribeVaults", "--PageSize=2"]);
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(body["Vaults"]["Vault"].as_array().map(Vec::len), Some(2));
}

#[test]
fn cols_and_rows_print_a_table() {
    let emu = emulator_thread(hbr_emulator::EmulatorConfig::default());
    let url = emu.emulator.url();
    let (expected, total) = vaults(&url, 3);
    let out = call(
        &url,
        &[
            "DescribeVaults",
            "--PageSize",
            "3",
            "--output",
            "cols=VaultId,VaultType",
            "rows=Vaults.Vault[]",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let width = expected.iter().map(|(id, _)| id.len()).max().unwrap();
    assert_eq!(lines[0], format!("{:width$} | VaultType", "VaultId"));
    assert_eq!(lines[1], format!("{:width$} | ---------", "-------"));
    let rows: Vec<String> = expected
        .iter()
        .map(|(id, t)| format!("{id:width$} | {t}"))
        .collect();
    assert_eq!(
        lines[2..],
        rows.iter().map(String::as_str).collect::<Vec<_>>()[..]
    );

    // With --all, the columns read the array of items; num=true numbers the rows.
    let out = call(
        &url,
        &[
            "DescribeVaults",
            "--all",
            "--output",
            "cols=VaultId",
            "num=true",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count() as i64, total + 2, "{text}");
    assert!(
        text.lines().nth(2).unwrap().starts_with("0   | v-"),
        "{text}"
    );
}

#[test]
fn query_applies_jmespath() {
    let emu = emulator_thread(hbr_emulator::EmulatorConfig::default());
    let url = emu.emulator.url();
    let (expected, total) = vaults(&url, 10);
    let out = call(
        &url,
        &["DescribeVaults", "--query", "Vaults.Vault[].VaultId"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ids: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let want: Vec<&str> = expected.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, serde_json::json!(want));
    // With --all, on the array of items.
    let out = call(&url, &["DescribeVaults", "--all", "--query", "length(@)"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), total.to_string());
    let out = call(
        &url,
        &[
            "DescribeVaults",
            "--all",
            "--max-items",
            "3",
            "--query",
            "[].VaultId",
        ],
    );
    let ids: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(ids, serde_json::json!(want[..3]));
}

#[test]
fn nested_flags_json_values_and_input_combine() {
    let url = &server().url;
    let failed = expected_ids(|j| j["Status"] == "FAILED");
    let nested = hbr(
        &[
            "--endpoint",
            url,
            "call",
            "DescribeRestoreJobs2",
            "--PageSize",
            "5",
            "--Filters.1.Key",
            "Status",
            "--Filters.1.Values.1",
            "FAILED",
        ],
        true,
    );
    let json = hbr(
        &[
            "--endpoint",
            url,
            "call",
            "DescribeRestoreJobs2",
            "--PageSize",
            "5",
            "--Filters",
            r#"[{"Key":"Status","Values":["FAILED"]}]"#,
        ],
        true,
    );
    for out in [nested, json] {
        assert!(out.status.success(), "{}", stderr(&out));
        let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(body["TotalCount"], failed.len());
        assert_eq!(
            ids_of(&body["RestoreJobs"]["RestoreJob"]),
            failed[..5].to_vec()
        );
    }
    // The flag wins over the same parameter in --input; the rest of --input stays.
    let out = hbr(
        &[
            "--endpoint",
            url,
            "call",
            "DescribeRestoreJobs2",
            "--input",
            r#"{"PageSize":3,"RestoreType":"OSS"}"#,
            "--PageSize",
            "4",
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let oss = expected_ids(|j| j["RestoreType"] == "OSS");
    assert_eq!(
        ids_of(&body["RestoreJobs"]["RestoreJob"]),
        oss[..4].to_vec()
    );
}

/// Runs `hbr ARGS` against nowhere and checks exit 2 with one `error:` line holding `needle`.
fn refused(args: &[&str], needle: &str) {
    let mut all = vec!["--endpoint", NOWHERE];
    all.extend_from_slice(args);
    let out = hbr(&all, true);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    assert!(
        err.starts_with("error: ") || err.starts_with("error:"),
        "{err}"
    );
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
}

#[test]
fn each_flag_mistake_is_one_line_and_exit_2() {
    let op = "DescribeBackupJobs2";
    refused(
        &["call", op, "--PageSiz", "2"],
        "unknown parameter --PageSiz for DescribeBackupJobs2; did you mean --PageSize?",
    );
    refused(
        &["call", op, "--Filters.2.Kee", "Status"],
        "did you mean --Filters.2.Key?",
    );
    refused(
        &["call", op, "--Filters.2.Key", "Status"],
        "item 1 is not given",
    );
    refused(
        &["call", op, "--Filters.0.Key", "Status"],
        "numbered from 1",
    );
    refused(
        &["call", op, "--Filters", "[oops"],
        "--Filters: Filters of DescribeBackupJobs2 takes a JSON array",
    );
    refused(
        &["call", op, "--PageSize", "2", "--PageSize", "3"],
        "--PageSize is given twice",
    );
    refused(&["call", op, "--PageSize"], "--PageSize needs a value");
    refused(&["call", op, "--PageSize", "many"], "PageSize");
    refused(&["call", op, "--PageSize", "1000"], "PageSize");
    refused(
        &["call", op, "--input", "[1]", "--PageSize", "2"],
        "must be a JSON object",
    );
    refused(
        &["restore-jobs", "list", "--PageSize", "2"],
        "go with `hbr call OPERATION`",
    );
    // --output and --query.
    refused(
        &["call", "DescribeVaults", "--output", "rows=Vaults.Vault[]"],
        "cols=A,B is required",
    );
    refused(
        &["call", "DescribeVaults", "--output", "cols=A", "roes=B"],
        "did you mean rows=?",
    );
    refused(
        &[
            "call",
            "DescribeVaults",
            "--output",
            "cols=A",
            "rows=Vaults.[",
        ],
        "is not a JMESPath expression",
    );
    refused(
        &["call", "DescribeVaults", "--output", "cols=A", "num=yes"],
        "num=true or num=false",
    );
    refused(
        &["call", "DescribeVaults", "--output", "yaml"],
        "expected json, table or cols=A,B rows=PATH",
    );
    refused(
        &["call", "DescribeVaults", "--output", "table"],
        "--output table does not apply to `call`",
    );
    refused(
        &["call", "DescribeVaults", "--query", "Vaults.Vault["],
        "--query \"Vaults.Vault[\" is not a JMESPath expression",
    );
    refused(
        &["restore-jobs", "wait", "r-1", "--output", "cols=A"],
        "does not apply to `restore-jobs wait`",
    );
}

#[test]
fn rows_must_select_an_array() {
    let emu = emulator_thread(hbr_emulator::EmulatorConfig::default());
    let url = emu.emulator.url();
    let out = call(
        &url,
        &["DescribeVaults", "--output", "cols=A", "rows=Vaults"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("rows=Vaults selects an object, not an array of rows"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_flag_value_outside_the_documented_list_is_sent_with_a_warning() {
    let out = hbr(
        &[
            "call",
            "DescribeBackupJobs2",
            "--SourceType",
            "NOT_A_SOURCE",
            "--dry-run",
        ],
        false,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(
            "warning: SourceType: \"NOT_A_SOURCE\" is not among the documented values (ECS_FILE, OSS, "
        ),
        "{err}"
    );
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(body["SourceType"], "NOT_A_SOURCE");
}

#[test]
fn call_help_shows_both_ways() {
    let out = hbr(&["call", "DescribeBackupJobs2", "--help"], false);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains(
            "call DescribeBackupJobs2 [--Name VALUE ...] [--input JSON|@FILE] [--query EXPR]"
        ),
        "{text}"
    );
    assert!(
        text.contains("as keys of the --input JSON or as flags --Name VALUE"),
        "{text}"
    );
    assert!(
        text.contains("hbr call DescribeBackupJobs2 --input '{"),
        "{text}"
    );
    // The flags line says what the --input line says.
    let input = text
        .split("hbr call DescribeBackupJobs2 --input '")
        .nth(1)
        .and_then(|rest| rest.split("'\n").next())
        .unwrap();
    let input: serde_json::Map<String, Value> = serde_json::from_str(input).unwrap();
    let flags: Vec<String> = input
        .iter()
        .map(|(k, v)| {
            format!(
                "--{k} {}",
                v.as_str().map_or_else(|| v.to_string(), str::to_owned)
            )
        })
        .collect();
    assert!(
        text.contains(&format!(
            "hbr call DescribeBackupJobs2 {}\n",
            flags.join(" ")
        )),
        "{text}"
    );
    let out = hbr(&["call", "--help"], false);
    let text = stdout(&out);
    assert!(text.contains("--Filters.1.Key Status"), "{text}");
    assert!(text.contains("--query <EXPR>"), "{text}");
}
