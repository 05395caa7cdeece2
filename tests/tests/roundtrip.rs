//! The generated DescribeRestoreJobs2, sent by the real client over 127.0.0.1 to a small test
//! server that verifies every request with the runtime's verifier, under each signature and
//! with an STS token.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use hbr_client::describe_restore_jobs2::{Filter, RestoreJobStatus};
use hbr_client::types::RestoreType;
use hbr_client::{Client, Config};
use hbr_runtime::credentials::Credentials;
use hbr_runtime::signing::{verify, IncomingRequest, SignatureVersion, VerifiedRequest};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const AK: &str = "LTAI-test";
const SECRET: &str = "test-secret-value";

/// Serves `body` to every request after verifying its signature; records what it verified.
async fn server(body: String) -> (String, Arc<Mutex<Vec<VerifiedRequest>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let body = body.clone();
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let head_end = loop {
                    let n = sock.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break p + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
                let mut lines = head.split("\r\n");
                let request_line: Vec<&str> = lines.next().unwrap_or_default().split(' ').collect();
                let headers: Vec<(String, String)> = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                    .collect();
                let len: usize = headers
                    .iter()
                    .find(|(k, _)| k == "content-length")
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                while buf.len() < head_end + len {
                    let n = sock.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let (path, query) = request_line[1]
                    .split_once('?')
                    .unwrap_or((request_line[1], ""));
                let incoming = IncomingRequest {
                    method: request_line[0],
                    path,
                    raw_query: query,
                    headers: &headers,
                    body: &buf[head_end..],
                };
                let result = verify(&incoming, &|id| (id == AK).then(|| SECRET.to_owned()));
                let (status, reply) = match result {
                    Ok(v) => {
                        log.lock().unwrap().push(v);
                        ("200 OK", body)
                    }
                    Err(e) => (
                        "400 Bad Request",
                        format!(
                            r#"{{"Code":"SignatureDoesNotMatch","Message":"{e}","RequestId":"R"}}"#
                        ),
                    ),
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                    reply.len()
                );
                let _ = sock.write_all(response.as_bytes()).await;
            });
        }
    });
    (format!("http://{addr}"), seen)
}

fn client(url: &str, version: SignatureVersion, token: Option<&str>) -> Client {
    let mut creds = Credentials::new(AK, SECRET);
    if let Some(t) = token {
        creds = creds.with_security_token(t);
    }
    let config = Config::builder()
        .endpoint(url)
        .signature_version(version)
        .credentials(creds)
        .build();
    Client::new(config).unwrap()
}

#[tokio::test]
async fn describe_restore_jobs2_round_trips_with_each_signature() {
    let (url, seen) = server(hbr_tests::documented_example_response()).await;
    for (version, token) in [
        (SignatureVersion::V3, None),
        (SignatureVersion::V1, None),
        (SignatureVersion::V3, Some("sts-token-value")),
        (SignatureVersion::V1, Some("sts-token-value")),
    ] {
        let page = client(&url, version, token)
            .describe_restore_jobs2()
            .restore_type(RestoreType::EcsFile)
            .filter(Filter::status().is_in([RestoreJobStatus::Complete, RestoreJobStatus::Failed]))
            .filter(Filter::complete_time().between(1_554_347_313_i64, 1_654_347_313_i64))
            .page_size(99)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{version:?} {token:?}: {e}"));
        assert_eq!(page.restore_jobs()[0].restore_id(), Some("r-0003*****8a"));
        let v = seen
            .lock()
            .unwrap()
            .pop()
            .expect("the server verified the request");
        assert_eq!(v.signature_version, version);
        assert_eq!(v.action.as_deref(), Some("DescribeRestoreJobs2"));
        assert_eq!(v.security_token.as_deref(), token);
        let params: Vec<(&str, &str)> = v
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            params,
            [
                ("Filters.1.Key", "Status"),
                ("Filters.1.Operator", "IN"),
                ("Filters.1.Values.1", "COMPLETE"),
                ("Filters.1.Values.2", "FAILED"),
                ("Filters.2.Key", "CompleteTime"),
                ("Filters.2.Operator", "BETWEEN"),
                ("Filters.2.Values.1", "1554347313"),
                ("Filters.2.Values.2", "1654347313"),
                ("PageSize", "99"),
                ("RestoreType", "ECS_FILE"),
            ]
        );
    }
}

#[tokio::test]
async fn an_invalid_request_is_never_sent() {
    let (url, seen) = server("{}".into()).await;
    let err = client(&url, SignatureVersion::V3, None)
        .describe_restore_jobs2()
        .page_size(100)
        .send()
        .await
        .expect_err("PageSize 100 is refused");
    assert_eq!(err.kind(), hbr_runtime::client::ErrorKind::Validation);
    assert!(err.to_string().contains("PageSize"), "{err}");
    assert!(seen.lock().unwrap().is_empty());
}
