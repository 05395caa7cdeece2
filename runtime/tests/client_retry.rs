//! Retries: what is retried, how often, with which headers, and what is not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client_support;

use std::time::{Duration, Instant};

use client_support::*;
use hbr_runtime::client::{ErrorKind, RetryConfig, Runtime};
use hbr_runtime::signing::SignatureVersion;

fn unavailable() -> Reply {
    Reply::json(
        503,
        serde_json::json!({"Code": "ServiceUnavailable", "Message": "The request has failed due to a temporary failure of the server.", "RequestId": "R-503"}),
    )
}

fn throttled(retry_after_ms: &str) -> Reply {
    Reply::json(
        400,
        serde_json::json!({"Code": "Throttling.User", "Message": "Request was denied due to user flow control.", "RequestId": "R-THR"}),
    )
    .header("x-acs-retry-after", retry_after_ms)
}

#[tokio::test]
async fn http_503_is_retried_then_succeeds() {
    let server = TestServer::start(|_, n| {
        if n < 2 {
            unavailable()
        } else {
            ok_reply("R-OK")
        }
    })
    .await;
    let runtime = Runtime::new(config_for(&server).build()).unwrap();
    let out = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap();
    assert_eq!(out.request_id.as_deref(), Some("R-OK"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);

    // Every attempt is signed afresh and carries the retry headers from the second on.
    for (i, req) in reqs.iter().enumerate() {
        req.verify()
            .unwrap_or_else(|e| panic!("attempt {}: {e}", i + 1));
    }
    assert!(reqs[0].header("x-acs-retry-attempts").is_none());
    assert_eq!(reqs[1].header("x-acs-retry-attempts"), Some("1"));
    assert_eq!(reqs[2].header("x-acs-retry-attempts"), Some("2"));
    assert!(reqs[1]
        .header("x-acs-retry-delay")
        .unwrap()
        .parse::<u64>()
        .is_ok());
    let auth = reqs[2].header("authorization").unwrap();
    assert!(
        auth.contains("x-acs-retry-attempts") && auth.contains("x-acs-retry-delay"),
        "{auth}"
    );
    let nonces: std::collections::HashSet<_> = reqs
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").unwrap())
        .collect();
    assert_eq!(nonces.len(), 3, "a fresh nonce per attempt");
}

#[tokio::test]
async fn v1_retries_are_resigned() {
    let server = TestServer::start(|_, n| {
        if n < 1 {
            unavailable()
        } else {
            ok_reply("R-OK")
        }
    })
    .await;
    let config = config_for(&server)
        .signature_version(SignatureVersion::V1)
        .build();
    let runtime = Runtime::new(config).unwrap();
    runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let first = reqs[0].verify().unwrap();
    let second = reqs[1].verify().unwrap();
    assert_ne!(first.nonce, second.nonce);
}

#[tokio::test]
async fn throttling_user_with_retry_after_is_retried_then_succeeds() {
    let server = TestServer::start(|_, n| {
        if n < 2 {
            throttled("30")
        } else {
            ok_reply("R-OK")
        }
    })
    .await;
    // A long backoff base shows that the server's 30 ms is waited instead.
    let retry = RetryConfig::standard()
        .with_base_delay(Duration::from_secs(5))
        .with_max_delay(Duration::from_secs(5));
    let runtime = Runtime::new(config_for(&server).retry(retry).build()).unwrap();
    let started = Instant::now();
    runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap();
    assert_eq!(server.count(), 3);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    let reqs = server.requests();
    assert_eq!(reqs[1].header("x-acs-retry-delay"), Some("30"));
}

#[tokio::test]
async fn exhausted_throttling_reports_the_last_answer() {
    let server = TestServer::start(|_, _| throttled("5")).await;
    let runtime = Runtime::new(config_for(&server).build()).unwrap();
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(), 3, "3 attempts by default");
    assert_eq!(err.kind(), ErrorKind::Throttling);
    assert_eq!(err.code(), Some("Throttling.User"));
    assert_eq!(err.retry_after(), Some(Duration::from_millis(5)));
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(err.request_id(), Some("R-THR"));
    assert_eq!(err.attempts(), 3);
    assert!(err.is_retryable());
    assert_eq!(
        err.to_string(),
        "Throttling.User (HTTP 400): Request was denied due to user flow control. [request id R-THR] (retry after 5ms) (after 3 attempts)"
    );
}

#[tokio::test]
async fn invalid_parameter_is_not_retried() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            400,
            serde_json::json!({
                "Code": "InvalidParameter",
                "Message": "The parameter PageSize is invalid.",
                "RequestId": "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
                "HostId": "hbr.cn-hangzhou.aliyuncs.com",
                "Recommend": "https://api.aliyun.com/troubleshoot?q=InvalidParameter",
            }),
        )
    })
    .await;
    let runtime = Runtime::new(config_for(&server).build()).unwrap();
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1);
    assert_eq!(err.kind(), ErrorKind::Service);
    assert!(!err.is_retryable());
    assert_eq!(err.attempts(), 1);
    assert_eq!(
        err.to_string(),
        "InvalidParameter (HTTP 400): The parameter PageSize is invalid. [request id 473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E]"
    );
    let service = err.service_error().unwrap();
    assert_eq!(service.host_id(), Some("hbr.cn-hangzhou.aliyuncs.com"));
    assert_eq!(
        service.recommend(),
        Some("https://api.aliyun.com/troubleshoot?q=InvalidParameter")
    );
}

#[tokio::test]
async fn exhausted_5xx_returns_a_service_error() {
    let server = TestServer::start(|_, _| unavailable()).await;
    let runtime = Runtime::new(
        config_for(&server)
            .retry(fast().with_max_attempts(4))
            .build(),
    )
    .unwrap();
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(), 4);
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert_eq!(err.attempts(), 4);
}

fn fast() -> RetryConfig {
    RetryConfig::standard()
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(10))
}

#[tokio::test]
async fn retries_can_be_disabled() {
    let server = TestServer::start(|_, _| unavailable()).await;
    let runtime = Runtime::new(config_for(&server).retry(RetryConfig::disabled()).build()).unwrap();
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1);
    assert_eq!(err.attempts(), 1);
}

#[tokio::test]
async fn the_set_of_retried_codes_is_configurable() {
    let busy = || {
        Reply::json(
            400,
            serde_json::json!({"Code": "Busy.Temporarily", "Message": "busy", "RequestId": "R"}),
        )
    };
    let server =
        TestServer::start(move |_, n| if n == 0 { busy() } else { ok_reply("R-OK") }).await;
    let retry = fast().with_retryable_code("Busy.Temporarily");
    let runtime = Runtime::new(config_for(&server).retry(retry).build()).unwrap();
    runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap();
    assert_eq!(server.count(), 2);

    // Without it the same answer is final; and a throttling code removed from the set is
    // not retried either (no x-acs-retry-after here).
    let server = TestServer::start(move |_, _| busy()).await;
    let runtime = Runtime::new(config_for(&server).retry(fast()).build()).unwrap();
    runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1);

    let server = TestServer::start(|_, _| {
        Reply::json(
            400,
            serde_json::json!({"Code": "Throttling.User", "Message": "m"}),
        )
    })
    .await;
    let retry = fast().with_retryable_codes(Vec::<String>::new());
    let runtime = Runtime::new(config_for(&server).retry(retry).build()).unwrap();
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Throttling);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn connection_refused_is_retried() {
    let runtime = Runtime::new(
        config_for_endpoint(&closed_endpoint())
            .retry(fast())
            .build(),
    )
    .unwrap();
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(err.attempts(), 3);
    assert!(err.is_retryable());
    assert!(err.to_string().starts_with("transport error: "), "{err}");
}
