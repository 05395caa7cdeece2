//! Every operation of the spec against the emulator, through the typed client's registry,
//! under both signatures: a request with the spec's required parameters gets an answer the
//! typed response reads (schema-only operations always succeed; stateful ones succeed or
//! name what is missing or not found), never a 5xx and never InvalidAction.NotFound. A
//! request missing a required parameter is refused by the client before it is sent, and the
//! emulator refuses the same request sent raw with MissingParameter naming it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::minimal_input;

use hbr_client::registry::CallError;
use hbr_client::Client;
use hbr_runtime::signing::SignatureVersion;

fn client(emu: &hbr_emulator::RunningEmulator, version: SignatureVersion) -> Client {
    support::client(&emu.url(), version)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_is_answered_with_either_signature() {
    let emu = hbr_emulator::start(hbr_emulator::EmulatorConfig::default())
        .await
        .unwrap();
    // The official SDK's 97 operations and AttachNasFileSystem, which only the metadata has.
    assert_eq!(hbr_client::OPERATIONS.len(), 98);
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let client = client(&emu, version);
        let mut refused = Vec::new();
        for op in hbr_client::OPERATIONS {
            let stateful = hbr_emulator::ACTIONS.contains(&op.name);
            let input = minimal_input(op);
            match (op.call)(&client, input.clone()).await {
                Ok(answer) => {
                    assert!(answer["RequestId"].is_string(), "{}: {answer}", op.name);
                    assert_ne!(answer["Success"], false, "{}: {answer}", op.name);
                }
                Err(CallError::Api(e)) => {
                    let (code, status) = (e.code().unwrap_or_default(), e.http_status());
                    assert!(
                        stateful && status.is_some_and(|s| (400..500).contains(&s)),
                        "{version:?} {}: {input} got {e}",
                        op.name
                    );
                    assert_ne!(code, "InvalidAction.NotFound", "{}", op.name);
                    refused.push(format!("{} {code}", op.name));
                }
                Err(other) => panic!("{version:?} {}: {input}: {other}", op.name),
            }
        }
        // Stateful operations on resources that do not exist say so.
        assert!(
            refused.iter().any(|r| r == "DeleteVault MissingParameter"),
            "{refused:?}"
        );
        assert!(
            refused.iter().any(|r| r.ends_with(".NotFound")),
            "{refused:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_required_parameter_is_refused_on_both_sides() {
    let emu = hbr_emulator::start(hbr_emulator::EmulatorConfig::default())
        .await
        .unwrap();
    let client = client(&emu, SignatureVersion::V3);
    let mut checked = 0;
    for op in hbr_client::OPERATIONS {
        let Some(first) = op
            .parameters
            .iter()
            .find(|p| p.required && !p.name.contains('.'))
        else {
            continue;
        };
        let mut input = minimal_input(op);
        input.as_object_mut().unwrap().remove(first.name);
        // The client refuses it before sending.
        let err = (op.call)(&client, input.clone()).await.unwrap_err();
        assert!(
            matches!(err, CallError::Input { .. } | CallError::Validation(_)),
            "{}: {err}",
            op.name
        );
        // Sent raw, the emulator refuses it and names the parameter.
        let mut params = hbr_client::transport::Params::default();
        let complete = (op.encode)(minimal_input(op)).unwrap();
        for (location, key, value) in complete.iter() {
            if key.split('.').next() != Some(first.name) {
                params.push(location, key.to_owned(), value.to_owned());
            }
        }
        let raw = client
            .runtime()
            .invoke_raw(
                op.name,
                hbr_client::API_VERSION,
                !complete.body.is_empty(),
                op.kind,
                params,
            )
            .await
            .unwrap_err();
        assert_eq!(
            (raw.code(), raw.http_status()),
            (Some("MissingParameter"), Some(400)),
            "{}: {raw}",
            op.name
        );
        assert!(raw.to_string().contains(first.name), "{}: {raw}", op.name);
        checked += 1;
    }
    assert!(checked > 20, "{checked}");
}
