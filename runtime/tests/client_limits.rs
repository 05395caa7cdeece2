//! What the client refuses to do whatever the endpoint answers: read more than the body limit,
//! follow a redirect (to another host or at all), fall back from HTTPS to HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client_support;
mod tls_support;

use client_support::*;
use hbr_runtime::client::{Config, ErrorKind, RetryConfig, Runtime, MAX_RESPONSE_BYTES};

fn runtime_for(server: &TestServer, max: Option<usize>) -> Runtime {
    let mut builder = config_for(server).retry(RetryConfig::disabled());
    if let Some(max) = max {
        builder = builder.max_response_bytes(max);
    }
    Runtime::new(builder.build()).unwrap()
}

/// A client of `endpoint` without retries; `insecure` accepts any TLS certificate.
fn runtime_at(endpoint: &str, insecure: bool) -> Runtime {
    let config = config_for_endpoint(endpoint)
        .retry(RetryConfig::disabled())
        .danger_accept_invalid_certs(insecure)
        .build();
    Runtime::new(config).unwrap()
}

/// A valid response body of about `len` bytes.
fn big_ok_body(len: usize) -> Vec<u8> {
    let items: Vec<String> = (0..len / 12).map(|i| format!("item-{i:05}")).collect();
    serde_json::json!({"RequestId": "BIG", "Items": items, "TotalCount": items.len()})
        .to_string()
        .into_bytes()
}

#[test]
fn the_default_limit_is_64_mib() {
    assert_eq!(MAX_RESPONSE_BYTES, 64 * 1024 * 1024);
    assert_eq!(
        Config::builder().build().max_response_bytes(),
        MAX_RESPONSE_BYTES
    );
}

#[tokio::test]
async fn a_body_announced_over_the_limit_is_refused_without_reading_it() {
    let body = big_ok_body(200_000);
    let len = body.len();
    let server =
        TestServer::start(move |_, _| Reply::raw(200, "application/json", body.clone())).await;
    let err = runtime_for(&server, Some(100_000))
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MalformedResponse);
    let text = err.to_string();
    assert!(text.contains(&format!("{len} bytes")), "{text}");
    assert!(text.contains("100000-byte limit"), "{text}");
    assert!(text.contains("max_response_bytes"), "{text}");
    // The same body under a limit it fits in parses.
    let ok = runtime_for(&server, Some(len))
        .execute(&ListThings::<false>::default())
        .await
        .unwrap();
    assert_eq!(ok.request_id.as_deref(), Some("BIG"));
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_stops_at_the_limit() {
    // No Content-Length: the limit is found while reading.
    let server = TestServer::start(|_, _| Reply::Chunked {
        chunk: vec![b' '; 16 * 1024],
        count: 64,
    })
    .await;
    let err = runtime_for(&server, Some(100_000))
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MalformedResponse);
    assert!(
        err.to_string()
            .contains("larger than the 100000-byte limit"),
        "{err}"
    );
    assert_eq!(err.http_status(), Some(200));
    // Under the default limit the same (1 MiB of spaces) body is read whole: it is then
    // refused as not JSON, not for its size.
    let err = runtime_for(&server, None)
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert!(!err.to_string().contains("limit"), "{err}");
}

#[tokio::test]
async fn redirects_are_not_followed_to_another_host_nor_to_the_same_one() {
    let other = TestServer::start(|_, _| ok_reply("OTHER")).await;
    let target = format!("{}/?stolen=1", other.endpoint());
    for status in [301u16, 302, 303, 307, 308] {
        let target = target.clone();
        let server = TestServer::start(move |_, _| {
            Reply::raw(status, "text/plain", "moved").header("location", &target)
        })
        .await;
        let err = runtime_for(&server, None)
            .execute(&ListThings::<false>::default())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MalformedResponse, "{status}");
        assert_eq!(err.http_status(), Some(status));
        let text = err.to_string();
        assert!(text.contains("redirect to http://127.0.0.1:"), "{text}");
        assert!(text.contains("not followed"), "{text}");
        assert_eq!(
            server.count(),
            1,
            "{status}: one request, no retry of a redirect"
        );
    }
    assert_eq!(other.count(), 0, "the other host never saw a request");
}

#[tokio::test]
async fn http_is_used_only_when_the_endpoint_says_so() {
    // A regional endpoint is HTTPS; plain HTTP only for an endpoint given as http://.
    let regional = Config::builder().region("cn-hangzhou").build();
    assert_eq!(
        regional.endpoint().unwrap().base_url(),
        "https://hbr.cn-hangzhou.aliyuncs.com/"
    );
    let explicit = Config::builder().endpoint("http://127.0.0.1:9").build();
    assert_eq!(
        explicit.endpoint().unwrap().base_url(),
        "http://127.0.0.1:9/"
    );
    let bare = Config::builder().endpoint("127.0.0.1:9").build();
    assert!(bare.endpoint().unwrap().base_url().starts_with("https://"));
}

#[tokio::test]
async fn an_https_endpoint_does_not_talk_plain_http() {
    // A server that answers every connection at once with plain HTTP, behind an https://
    // endpoint: the TLS handshake fails on the first bytes, and the client does not fall
    // back to HTTP.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
    let record = std::sync::Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut first = [0u8; 64];
            let n = stream.read(&mut first).await.unwrap_or(0);
            record.lock().unwrap().extend_from_slice(&first[..n]);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
                .await;
        }
    });
    let runtime = runtime_at(&format!("https://{addr}"), false);
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    let seen = seen.lock().unwrap().clone();
    // What arrived was a TLS ClientHello (record type 22, version 3.x), not an HTTP request.
    assert_eq!(seen.first(), Some(&22u8), "{seen:?}");
    assert_eq!(seen.get(1), Some(&3u8));
}

/// An HTTPS server on 127.0.0.1 with a self-signed certificate (tests/fixtures, made with
/// `openssl req -x509 -newkey ec ... -subj /CN=hbr-test-self-signed
/// -addext subjectAltName=IP:127.0.0.1`) answering every request (request id `TLS-1`).
async fn self_signed_server() -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(dir.join("self-signed-cert.pem"))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let key = PrivateKeyDer::from_pem_file(dir.join("self-signed-key.pem")).unwrap();
    tls_support::https_server(certs, key).await
}

#[tokio::test]
async fn tls_certificates_are_verified_unless_explicitly_told_not_to() {
    let (addr, served) = self_signed_server().await;
    let endpoint = format!("https://{addr}");
    let strict = runtime_at(&endpoint, false);
    let err = strict
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    tls_support::assert_untrusted_certificate(&err);
    assert_eq!(
        served.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "nothing was sent"
    );

    let insecure = runtime_at(&endpoint, true);
    let ok = insecure
        .execute(&ListThings::<false>::default())
        .await
        .unwrap();
    assert_eq!(ok.request_id.as_deref(), Some("TLS-1"));
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 1);
}
