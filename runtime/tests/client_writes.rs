//! Retries by operation kind: a write is sent again only when it certainly had no effect;
//! when it may have, the call fails with `ErrorKind::OutcomeUnknown`. Retrying writes is
//! opt-in, per client and per call.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use client_support::*;
use futures_util::future::BoxFuture;
use hbr_runtime::client::{CallOptions, ErrorKind, RetryConfig, Runtime, TimeoutKind};
use hbr_runtime::credentials::{Credentials, CredentialsError, ProvideCredentials};
use hbr_runtime::operation::{Operation, OperationKind};
use hbr_runtime::wire::Params;

fn internal_error() -> Reply {
    Reply::json(
        500,
        serde_json::json!({"Code": "InternalError", "Message": "The request processing has failed due to some unknown error.", "RequestId": "R-500"}),
    )
}

fn fast() -> RetryConfig {
    RetryConfig::standard()
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(10))
}

fn create() -> CreateThing {
    CreateThing {
        name: Some("job-1".into()),
    }
}

#[test]
fn a_hand_written_operation_is_a_write_unless_it_says_otherwise() {
    assert_eq!(<CreateThing as Operation>::KIND, OperationKind::Write);
    assert_eq!(<ListThings as Operation>::KIND, OperationKind::Read);
}

#[tokio::test]
async fn a_write_is_not_sent_again_after_a_5xx_but_a_read_is() {
    let server = TestServer::start(|_, _| internal_error()).await;
    let runtime = Runtime::new(config_for(&server).retry(fast()).build()).unwrap();
    let err = runtime.execute(&create()).await.unwrap_err();
    assert_eq!(server.count(), 1, "the write was sent once");
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(err.attempts(), 1);
    // The service's answer stays readable.
    assert_eq!(err.code(), Some("InternalError"));
    assert_eq!(err.http_status(), Some(500));
    assert_eq!(err.request_id(), Some("R-500"));
    let text = err.to_string();
    assert!(
        text.starts_with(
            "outcome unknown: the request may have been processed: CreateThing was sent"
        ),
        "{text}"
    );
    assert!(text.contains("InternalError (HTTP 500)"), "{text}");
    assert!(
        text.contains("it was not sent again because it is a write"),
        "{text}"
    );
    assert!(text.contains("check whether it took effect"), "{text}");
    assert!(!err.is_retryable());
    let cause = err.outcome_unknown_cause().unwrap();
    assert_eq!(cause.kind(), ErrorKind::Service);

    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1 + 3, "the read was tried 3 times");
    assert_eq!(err.kind(), ErrorKind::Service);
}

#[tokio::test]
async fn a_write_is_not_sent_again_after_the_connection_drops() {
    let server = TestServer::start(|_, _| Reply::Close).await;
    let runtime = Runtime::new(config_for(&server).retry(fast()).build()).unwrap();
    let err = runtime.execute(&create()).await.unwrap_err();
    assert_eq!(server.count(), 1);
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown, "{err}");
    assert_eq!(
        err.outcome_unknown_cause().map(|c| c.kind()),
        Some(ErrorKind::Transport)
    );
}

#[tokio::test]
async fn a_write_is_not_sent_again_after_a_read_timeout() {
    let server = TestServer::start(|_, _| Reply::Stall).await;
    let config = config_for(&server)
        .retry(fast())
        .read_timeout(Duration::from_millis(200))
        .build();
    let runtime = Runtime::new(config).unwrap();
    let err = runtime.execute(&create()).await.unwrap_err();
    assert_eq!(server.count(), 1);
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown, "{err}");
    assert_eq!(err.timeout(), Some(TimeoutKind::Read));
}

#[tokio::test]
async fn an_operation_timeout_while_a_write_is_in_flight_leaves_the_outcome_unknown() {
    let server = TestServer::start(|_, _| Reply::Stall).await;
    let config = config_for(&server)
        .operation_timeout(Duration::from_millis(200))
        .build();
    let runtime = Runtime::new(config).unwrap();
    let err = runtime.execute(&create()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown, "{err}");
    assert_eq!(err.timeout(), Some(TimeoutKind::Operation));
    // The same timeout on a read is a plain timeout.
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
}

fn throttled() -> Reply {
    Reply::json(
        400,
        serde_json::json!({"Code": "Throttling.User", "Message": "Request was denied due to user flow control.", "RequestId": "R-THR"}),
    )
}

#[tokio::test]
async fn a_throttled_write_is_retried() {
    let server = TestServer::start(|_, n| {
        if n == 0 {
            throttled()
        } else {
            ok_reply("R-OK")
        }
    })
    .await;
    let runtime = Runtime::new(config_for(&server).retry(fast()).build()).unwrap();
    let out = runtime.execute(&create()).await.unwrap();
    assert_eq!(out.request_id.as_deref(), Some("R-OK"));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_write_refused_with_a_4xx_is_the_service_error() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            400,
            serde_json::json!({"Code": "InvalidParameter", "Message": "bad", "RequestId": "R-400"}),
        )
    })
    .await;
    let runtime = Runtime::new(config_for(&server).retry(fast()).build()).unwrap();
    let err = runtime.execute(&create()).await.unwrap_err();
    assert_eq!(server.count(), 1);
    assert_eq!(err.kind(), ErrorKind::Service);
}

#[tokio::test]
async fn a_write_is_retried_after_a_connect_failure() {
    let runtime = Runtime::new(
        config_for_endpoint(&closed_endpoint())
            .retry(fast())
            .build(),
    )
    .unwrap();
    let err = runtime.execute(&create()).await.unwrap_err();
    // Nothing reached a server: the write was tried 3 times and its outcome is known.
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn retrying_writes_is_opt_in_per_client_and_per_call() {
    let flaky = || {
        TestServer::start(|_, n| {
            if n == 0 {
                internal_error()
            } else {
                ok_reply("R-OK")
            }
        })
    };

    let server = flaky().await;
    let retry = fast().with_retry_writes(true);
    let opted_in = Runtime::new(config_for(&server).retry(retry).build()).unwrap();
    opted_in.execute(&create()).await.unwrap();
    assert_eq!(server.count(), 2, "per client");

    let server = flaky().await;
    let runtime = Runtime::new(config_for(&server).retry(fast()).build()).unwrap();
    let options = CallOptions::new().retry_writes(true);
    runtime.execute_with(&create(), &options).await.unwrap();
    assert_eq!(server.count(), 2, "per call");

    // A call can also opt out on a client that opted in.
    let server = flaky().await;
    let retry = fast().with_retry_writes(true);
    let opted_in = Runtime::new(config_for(&server).retry(retry).build()).unwrap();
    let options = CallOptions::new().retry_writes(false);
    let err = opted_in
        .execute_with(&create(), &options)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_write_retried_on_request_and_never_answered_says_it_may_be_done_twice() {
    let server = TestServer::start(|_, _| internal_error()).await;
    let retry = fast().with_retry_writes(true);
    let runtime = Runtime::new(config_for(&server).retry(retry).build()).unwrap();
    let err = runtime.execute(&create()).await.unwrap_err();
    assert_eq!(server.count(), 3);
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().contains("sent more than once"), "{err}");
}

#[tokio::test]
async fn an_earlier_ambiguous_attempt_keeps_the_outcome_unknown() {
    // Opted in: 500 (maybe processed), then a definite 400 refusal. The first may still
    // have been done.
    let server = TestServer::start(|_, n| {
        if n == 0 {
            internal_error()
        } else {
            Reply::json(
                400,
                serde_json::json!({"Code": "InvalidParameter", "Message": "bad", "RequestId": "R-400"}),
            )
        }
    })
    .await;
    let retry = fast().with_retry_writes(true);
    let runtime = Runtime::new(config_for(&server).retry(retry).build()).unwrap();
    let err = runtime.execute(&create()).await.unwrap_err();
    assert_eq!(server.count(), 2);
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(err.code(), Some("InvalidParameter"));
}

/// Credentials that take `first_delay` the first time they are asked for.
#[derive(Debug)]
struct SlowOnce {
    calls: AtomicUsize,
    first_delay: Duration,
}

impl ProvideCredentials for SlowOnce {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let first = self.calls.fetch_add(1, Ordering::SeqCst) == 0;
        let delay = self.first_delay;
        Box::pin(async move {
            if first {
                tokio::time::sleep(delay).await;
            }
            Ok(Credentials::new(AK, SECRET))
        })
    }
}

#[tokio::test]
async fn an_attempt_timeout_before_anything_was_sent_is_retried_for_a_write() {
    let server = TestServer::start(|_, _| ok_reply("R-OK")).await;
    let config = config_for(&server)
        .credentials(SlowOnce {
            calls: AtomicUsize::new(0),
            first_delay: Duration::from_secs(5),
        })
        .attempt_timeout(Duration::from_millis(200))
        .retry(fast())
        .build();
    let runtime = Runtime::new(config).unwrap();
    let out = runtime.execute(&create()).await.unwrap();
    assert_eq!(out.request_id.as_deref(), Some("R-OK"));
    assert_eq!(server.count(), 1, "the first attempt never sent anything");
}

#[tokio::test]
async fn invoke_raw_takes_the_kind() {
    let server = TestServer::start(|_, _| internal_error()).await;
    let runtime = Runtime::new(config_for(&server).retry(fast()).build()).unwrap();
    let err = runtime
        .invoke_raw(
            "CreateThing",
            "2017-09-08",
            false,
            OperationKind::Write,
            Params::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(server.count(), 1);
    let err = runtime
        .invoke_raw(
            "ListThings",
            "2017-09-08",
            false,
            OperationKind::Read,
            Params::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(server.count(), 1 + 3);
    let options = CallOptions::new().retry_writes(true);
    runtime
        .invoke_raw_with(
            "CreateThing",
            "2017-09-08",
            false,
            OperationKind::Write,
            Params::default(),
            &options,
        )
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1 + 3 + 3);
}
