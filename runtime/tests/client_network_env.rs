//! What the process environment says about the network: `SSL_CERT_FILE` replaces the
//! system's certificate store, `HTTPS_PROXY` tunnels requests, `NO_PROXY` exempts hosts.
//!
//! The variables are process-wide, so this file holds one test, which sets them in turn.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client_support;
mod tls_support;

use std::sync::atomic::Ordering;

use client_support::*;
use hbr_runtime::client::{ErrorKind, RetryConfig, Runtime};
use tls_support::{connect_proxy, https_server, TestCa};

fn runtime(endpoint: &str, native_roots: bool, env_proxy: bool) -> Runtime {
    let config = config_for_endpoint(endpoint)
        .retry(RetryConfig::disabled())
        .tls_native_roots(native_roots)
        .use_env_proxy(env_proxy)
        .build();
    Runtime::new(config).unwrap()
}

#[tokio::test]
async fn the_system_store_and_the_proxy_variables_are_honoured() {
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "SSL_CERT_DIR",
    ] {
        std::env::remove_var(var);
    }
    let ca = TestCa::new("hbr-test-system-ca");
    let (chain, key) = ca.issue();
    let (addr, served) = https_server(chain, key).await;
    let endpoint = format!("https://{addr}");
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("SSL_CERT_FILE", ca.write_pem(dir.path(), "system.pem"));

    // The "system store" (SSL_CERT_FILE) holds the CA: trusted, unless the store is off.
    let list = ListThings::<false>::default();
    runtime(&endpoint, true, false)
        .execute(&list)
        .await
        .unwrap();
    assert_eq!(served.load(Ordering::SeqCst), 1);
    let err = runtime(&endpoint, false, false)
        .execute(&list)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");

    // HTTPS_PROXY: the request goes through a CONNECT tunnel (TLS end to end).
    let (proxy, seen) = connect_proxy().await;
    std::env::set_var("HTTPS_PROXY", format!("http://{proxy}"));
    runtime(&endpoint, true, true).execute(&list).await.unwrap();
    assert_eq!(served.load(Ordering::SeqCst), 2);
    assert_eq!(
        seen.lock().unwrap().clone(),
        vec![format!("CONNECT {addr} HTTP/1.1")]
    );
    // Not when the client is told to ignore the variables...
    runtime(&endpoint, true, false)
        .execute(&list)
        .await
        .unwrap();
    // ...nor for a host NO_PROXY names.
    std::env::set_var("NO_PROXY", "localhost,127.0.0.1");
    runtime(&endpoint, true, true).execute(&list).await.unwrap();
    assert_eq!(served.load(Ordering::SeqCst), 4);
    assert_eq!(seen.lock().unwrap().len(), 1, "{:?}", seen.lock().unwrap());

    for var in ["HTTPS_PROXY", "NO_PROXY", "SSL_CERT_FILE"] {
        std::env::remove_var(var);
    }
}
