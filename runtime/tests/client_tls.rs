//! TLS in enterprise networks: a server whose certificate a private CA signed is trusted
//! when that CA is in the configured bundle, and only then.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client_support;
mod tls_support;

use std::sync::atomic::Ordering;

use client_support::*;
use hbr_runtime::client::{ErrorKind, RetryConfig, Runtime};
use tls_support::{https_server, TestCa};

fn runtime(
    endpoint: &str,
    configure: impl FnOnce(hbr_runtime::client::ConfigBuilder) -> hbr_runtime::client::ConfigBuilder,
) -> Result<Runtime, hbr_runtime::client::Error> {
    Runtime::new(configure(config_for_endpoint(endpoint).retry(RetryConfig::disabled())).build())
}

#[tokio::test]
async fn a_server_signed_by_a_ca_in_the_bundle_is_trusted_and_only_then() {
    let ca = TestCa::new("hbr-test-corporate-ca");
    let (chain, key) = ca.issue();
    let (addr, served) = https_server(chain, key).await;
    let endpoint = format!("https://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let bundle = ca.write_pem(dir.path(), "corp-ca.pem");

    let trusting = runtime(&endpoint, |c| c.ca_bundle(&bundle)).unwrap();
    let out = trusting
        .execute(&ListThings::<false>::default())
        .await
        .unwrap();
    assert_eq!(out.request_id.as_deref(), Some("TLS-1"));
    assert_eq!(served.load(Ordering::SeqCst), 1);

    // The bundle adds to the other roots: without the system store it still works.
    let only_bundle = runtime(&endpoint, |c| c.ca_bundle(&bundle).tls_native_roots(false)).unwrap();
    only_bundle
        .execute(&ListThings::<false>::default())
        .await
        .unwrap();
    assert_eq!(served.load(Ordering::SeqCst), 2);

    // Without it, the private CA is unknown: the handshake fails and nothing is served.
    let strict = runtime(&endpoint, |c| c).unwrap();
    let err = strict
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    tls_support::assert_untrusted_certificate(&err);
    // Another CA's bundle does not help either.
    let other = TestCa::new("hbr-test-other-ca").write_pem(dir.path(), "other.pem");
    let wrong = runtime(&endpoint, |c| c.ca_bundle(&other)).unwrap();
    let err = wrong
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    tls_support::assert_untrusted_certificate(&err);
    assert_eq!(served.load(Ordering::SeqCst), 2);
}

#[test]
fn a_bundle_that_cannot_be_used_is_a_configuration_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pem");
    let err = runtime("https://127.0.0.1:1", |c| c.ca_bundle(&missing)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(
        err.to_string().contains("cannot read the CA bundle"),
        "{err}"
    );
    assert!(err.to_string().contains("missing.pem"), "{err}");

    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "no certificate here\n").unwrap();
    let err = runtime("https://127.0.0.1:1", |c| c.ca_bundle(&empty)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(err.to_string().contains("empty.pem"), "{err}");
}
