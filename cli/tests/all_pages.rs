//! Every pageable operation of the registry, end to end over 127.0.0.1: the emulator serves
//! each one a fixed listing of more items than one page (`EmulatorConfig::listings`), and
//! both its typed paginator (`Paging::all`, the `into_paginator()` of its kind) and
//! `hbr call OP --all` must yield exactly the stored items, once each, in order, over more
//! than one request. A pageable operation added to the spec is covered without a change here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::process::Command;

use futures_util::TryStreamExt;
use hbr_client::registry::{OperationInfo, Paging};
use hbr_client::{Client, Config};
use hbr_emulator::{EmulatorConfig, RunningEmulator};
use hbr_runtime::credentials::Credentials;
use serde_json::{json, Map, Value};

/// The pageable operations.
fn pageable() -> Vec<(&'static OperationInfo, &'static Paging)> {
    hbr_client::OPERATIONS
        .iter()
        .filter_map(|op| op.paging.as_ref().map(|p| (op, p)))
        .collect()
}

/// The string field of an item that tells items apart: the spec's `item_key`, else the
/// identifier named after the list (`VaultId` of `Vaults`), else the first string field
/// named like an identifier, else the first string field.
fn key_field(op: &OperationInfo, p: &Paging) -> &'static str {
    let strings = || p.item_fields.iter().filter(|(_, ty)| *ty == "string");
    let own = |n: &&str| {
        n.strip_suffix("Id")
            .is_some_and(|s| !s.is_empty() && p.items.contains(s))
    };
    p.item_key
        .or_else(|| strings().map(|(n, _)| *n).find(own))
        .or_else(|| strings().map(|(n, _)| *n).find(|n| n.ends_with("Id")))
        .or_else(|| strings().map(|(n, _)| *n).next())
        .unwrap_or_else(|| panic!("{}: its items have no string field", op.name))
}

/// More items than one page, whatever page size the walk ends up asking for (the largest
/// the spec states, else the service's default, at most 100 when neither is stated).
fn item_count(p: &Paging) -> usize {
    let page = p.page_size.maximum.unwrap_or(100);
    usize::try_from(page).unwrap() * 2 + 3
}

fn ids(op: &OperationInfo, p: &Paging) -> Vec<String> {
    (0..item_count(p))
        .map(|i| format!("{}-{i:04}", op.name))
        .collect()
}

/// The request with its required top-level parameters set to some valid value.
fn input(op: &OperationInfo) -> Value {
    let mut input = Map::new();
    for param in op
        .parameters
        .iter()
        .filter(|p| p.required && !p.name.contains('.'))
    {
        let value = match (param.ty, param.values.first()) {
            (_, Some(v)) => json!(v),
            ("int32" | "int64", _) => json!(1),
            ("boolean", _) => json!(true),
            ("array", _) => json!(["x"]),
            _ => json!("x"),
        };
        input.insert(param.name.to_owned(), value);
    }
    Value::Object(input)
}

async fn emulator() -> RunningEmulator {
    let mut listings = BTreeMap::new();
    for (op, p) in pageable() {
        let key = key_field(op, p);
        let records = ids(op, p)
            .into_iter()
            .map(|id| {
                let mut record = Map::new();
                record.insert(key.to_owned(), json!(id));
                record
            })
            .collect();
        listings.insert(op.name.to_owned(), records);
    }
    hbr_emulator::start(EmulatorConfig {
        listings,
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator")
}

fn client(emu: &RunningEmulator) -> Client {
    let config = Config::builder()
        .endpoint(emu.url())
        .credentials(Credentials::new(
            emu.access_key_id(),
            emu.access_key_secret(),
        ))
        .build();
    Client::new(config).expect("client")
}

/// The key of each item listed, in order.
fn keys(items: &[Value], key: &str, what: &str) -> Vec<String> {
    items
        .iter()
        .map(|item| {
            item[key]
                .as_str()
                .unwrap_or_else(|| panic!("{what}: an item without {key}: {item}"))
                .to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pageable_operation_yields_its_stored_items_once_each() {
    let all = pageable();
    assert_eq!(
        all.len(),
        21,
        "the 14 page-number and 7 token operations at least"
    );
    let emu = emulator().await;
    let client = client(&emu);
    for (op, p) in all {
        let key = key_field(op, p);
        let before = emu.requests_total();
        let items: Vec<Value> = (p.all)(&client, input(op), None)
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", op.name));
        assert_eq!(keys(&items, key, op.name), ids(op, p), "{}", op.name);
        let requests = emu.requests_total() - before;
        assert!(requests >= 2, "{}: one request listed everything", op.name);
        // max_items stops early, exactly.
        let some: Vec<Value> = (p.all)(&client, input(op), Some(7))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(keys(&some, key, op.name), ids(op, p)[..7], "{}", op.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hbr_call_all_prints_every_stored_item_once() {
    let emu = emulator().await;
    for (op, p) in pageable() {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hbr"));
        command
            .args([
                "--endpoint",
                &emu.url(),
                "call",
                op.name,
                "--all",
                "--input",
            ])
            .arg(input(op).to_string())
            .env_clear()
            .env("HOME", std::env::temp_dir())
            .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
            .env("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", emu.access_key_id())
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", emu.access_key_secret());
        let out = tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", op.name);
        let printed: Vec<Value> = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: not one JSON array: {e}", op.name));
        assert_eq!(
            keys(&printed, key_field(op, p), op.name),
            ids(op, p),
            "{}",
            op.name
        );
    }
}

#[tokio::test]
async fn the_typed_paginators_of_both_kinds_yield_typed_items() {
    let emu = emulator().await;
    let client = client(&emu);
    let vaults: Vec<_> = client
        .describe_vaults()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    let p = hbr_client::registry::find("DescribeVaults")
        .unwrap()
        .paging
        .as_ref()
        .unwrap();
    let op = hbr_client::registry::find("DescribeVaults").unwrap();
    let got: Vec<String> = vaults
        .iter()
        .map(|v| v.vault_id().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(got, ids(op, p));
    let pages: Vec<_> = client
        .describe_policies_v2()
        .into_paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    // 203 policies at the largest page (MaxResults 100): 100, 100, 3; the last without a token.
    let sizes: Vec<usize> = pages.iter().map(|p| p.items().len()).collect();
    assert_eq!(sizes, [100, 100, 3]);
    assert!(pages[..2].iter().all(|p| p.next_token().is_some()));
    assert_eq!(pages[2].next_token(), None);
    assert!(pages.iter().all(|p| p.total_count() == Some(203)));
}

#[tokio::test]
async fn hbr_call_all_on_an_operation_that_does_not_page_names_it() {
    let out = Command::new(env!("CARGO_BIN_EXE_hbr"))
        .args(["--emulator", "call", "CreateVault", "--all"])
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("CreateVault does not page"), "{stderr}");
    assert!(stderr.contains("DescribePoliciesV2"), "{stderr}");
}

#[tokio::test]
async fn a_token_the_emulator_did_not_give_is_an_api_error_with_a_request_id() {
    let emu = emulator().await;
    // A token DescribePoliciesV2 gave is not one DescribeOtsTableSnapshots accepts.
    let client = client(&emu);
    let first = client.describe_policies_v2().send().await.unwrap();
    let token = first.next_token().expect("more than one page").to_owned();
    for bad in [token.as_str(), "not-a-token"] {
        let err = client
            .describe_ots_table_snapshots()
            .next_token(bad)
            .send()
            .await
            .expect_err("refused");
        let service = err.service_error().expect("an API error");
        assert_eq!(
            (service.http_status(), service.code()),
            (400, Some("InvalidParameter")),
            "{err}"
        );
        assert!(
            service.message().is_some_and(|m| m.contains("NextToken")),
            "{err}"
        );
        assert!(
            service.request_id().is_some_and(|id| !id.is_empty()),
            "{err}"
        );
    }
}
