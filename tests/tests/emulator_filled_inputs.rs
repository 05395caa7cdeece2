//! Every operation with every parameter filled (the inputs recorded from the official SDK in
//! `tests/vectors/official_sdk_operations.json`), sent by the typed client to the emulator
//! under V3 and V1: the emulator reads every parameter of every shape the SDK sends (query,
//! form body, `repeatList`, `flat`, `json`) without refusing one as unknown, missing or
//! malformed, and answers each call with a success or a 4xx of its documented kind, never a
//! 5xx or a signature failure. The 4xx are the business refusals filled values earn: IDs that
//! name nothing (`InvalidVaultId.NotFound`, ...), tokens no listing gave, two values for an
//! `EQUAL` filter, a restore whose source type does not fit its restore type.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;

use hbr_runtime::signing::SignatureVersion;
use serde_json::Value;

/// The filled inputs: `(operation, case name, input)`, once each (the vectors hold every case
/// under both signatures).
fn filled_cases() -> Vec<(String, String, Value)> {
    let vectors: Value =
        serde_json::from_str(include_str!("../vectors/official_sdk_operations.json")).unwrap();
    vectors["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["signature"] == "v3")
        .filter(|c| c["name"].as_str().unwrap().starts_with("filled: "))
        .map(|c| {
            (
                c["operation"].as_str().unwrap().to_owned(),
                c["name"].as_str().unwrap().to_owned(),
                c["input"].clone(),
            )
        })
        .collect()
}

/// Codes that would mean the emulator misread what was sent.
const MISREAD: &[&str] = &[
    "MissingParameter",
    "InvalidAction.NotFound",
    "IncompleteSignature",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId.NotFound",
    "InternalError",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_reads_every_filled_input() {
    let emu = hbr_emulator::start(hbr_emulator::EmulatorConfig::default())
        .await
        .unwrap();
    let url = format!("http://{}", emu.addr());
    let cases = filled_cases();
    assert!(cases.len() >= hbr_client::OPERATIONS.len());
    let mut problems = Vec::new();
    let mut answered = BTreeSet::new();
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let client = support::client(&url, version);
        for (operation, name, input) in &cases {
            let info = hbr_client::registry::find(operation).unwrap();
            match (info.call)(&client, input.clone()).await {
                Ok(out) => {
                    answered.insert(operation.clone());
                    if !out["RequestId"].is_string() {
                        problems.push(format!("{operation} ({name}): no RequestId in {out}"));
                    }
                }
                Err(hbr_client::registry::CallError::Api(e)) => {
                    let status = e.http_status().unwrap_or_default();
                    let code = e.code().unwrap_or_default();
                    if !(400..500).contains(&status) || MISREAD.contains(&code) {
                        problems.push(format!("{operation} ({name}, {version:?}): {e}"));
                    } else {
                        answered.insert(operation.clone());
                    }
                }
                Err(e) => problems.push(format!("{operation} ({name}): not sent: {e}")),
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
    assert_eq!(answered.len(), hbr_client::OPERATIONS.len());
}
