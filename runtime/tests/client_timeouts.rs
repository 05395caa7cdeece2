//! The four timeouts, each made to fire with short limits against local servers that stall.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client_support;

use std::time::{Duration, Instant};

use client_support::*;
use hbr_runtime::client::{ErrorKind, RetryConfig, Runtime, TimeoutKind};
use tokio::net::{TcpSocket, TcpStream};

/// A listener on 127.0.0.1 that never accepts, with its accept queue filled, so that a new
/// connection attempt gets no answer to its SYN. Returns the address and the connections
/// that keep the queue full.
async fn full_backlog_listener() -> (
    std::net::SocketAddr,
    tokio::net::TcpListener,
    Vec<TcpStream>,
) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    for _ in 0..16 {
        match tokio::time::timeout(Duration::from_millis(300), TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => held.push(stream),
            Ok(Err(e)) => panic!("filling the backlog: {e}"),
            Err(_) => return (addr, listener, held), // the queue is full: SYNs go unanswered
        }
    }
    panic!("the accept queue never filled up");
}

#[tokio::test]
async fn connect_timeout_fires() {
    let (addr, _listener, _held) = full_backlog_listener().await;
    let config = config_for_endpoint(&format!("http://{addr}"))
        .connect_timeout(Duration::from_millis(200))
        .retry(RetryConfig::disabled())
        .build();
    let runtime = Runtime::new(config).unwrap();
    let started = Instant::now();
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(err.timeout(), Some(TimeoutKind::Connect));
    assert!(err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        err.to_string(),
        "connect timeout: no connection to the endpoint within 200ms"
    );
}

#[tokio::test]
async fn connect_timeouts_are_retried() {
    let (addr, _listener, _held) = full_backlog_listener().await;
    let config = config_for_endpoint(&format!("http://{addr}"))
        .connect_timeout(Duration::from_millis(100))
        .retry(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_base_delay(Duration::from_millis(1)),
        )
        .build();
    let err = Runtime::new(config)
        .unwrap()
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.timeout(), Some(TimeoutKind::Connect));
    assert_eq!(err.attempts(), 2);
}

#[tokio::test]
async fn read_timeout_fires() {
    let server = TestServer::start(|_, _| Reply::Stall).await;
    let config = config_for(&server)
        .read_timeout(Duration::from_millis(200))
        .retry(RetryConfig::disabled())
        .build();
    let runtime = Runtime::new(config).unwrap();
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.timeout(), Some(TimeoutKind::Read), "{err}");
    assert_eq!(server.count(), 1);
    assert_eq!(
        err.to_string(),
        "read timeout: the server sent nothing for 200ms"
    );
}

#[tokio::test]
async fn read_timeout_is_retried_then_succeeds() {
    let server = TestServer::start(|_, n| {
        if n == 0 {
            Reply::Stall
        } else {
            ok_reply("R-OK")
        }
    })
    .await;
    let config = config_for(&server)
        .read_timeout(Duration::from_millis(200))
        .build();
    let out = Runtime::new(config)
        .unwrap()
        .execute(&ListThings::<false>::default())
        .await
        .unwrap();
    assert_eq!(out.request_id.as_deref(), Some("R-OK"));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn attempt_timeout_fires_on_a_slow_trickle() {
    // The server keeps sending a byte every 50 ms, so the read timeout never fires; the
    // per-attempt limit does.
    let server = TestServer::start(|_, _| Reply::Trickle {
        chunk: b" ".to_vec(),
        every: Duration::from_millis(50),
        count: 100,
    })
    .await;
    let config = config_for(&server)
        .read_timeout(Duration::from_secs(2))
        .attempt_timeout(Duration::from_millis(300))
        .retry(RetryConfig::disabled())
        .build();
    let runtime = Runtime::new(config).unwrap();
    let started = Instant::now();
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.timeout(), Some(TimeoutKind::Attempt), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        err.to_string(),
        "attempt timeout: the attempt did not finish within 300ms"
    );
}

#[tokio::test]
async fn operation_timeout_fires() {
    let server = TestServer::start(|_, _| Reply::Stall).await;
    let config = config_for(&server)
        .read_timeout(Duration::from_secs(5))
        .operation_timeout(Duration::from_millis(300))
        .build();
    let runtime = Runtime::new(config).unwrap();
    let started = Instant::now();
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.timeout(), Some(TimeoutKind::Operation), "{err}");
    assert!(!err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn operation_timeout_bounds_retries() {
    let server = TestServer::start(|_, _| Reply::Stall).await;
    let config = config_for(&server)
        .attempt_timeout(Duration::from_millis(100))
        .operation_timeout(Duration::from_millis(350))
        .retry(
            RetryConfig::standard()
                .with_max_attempts(50)
                .with_base_delay(Duration::from_millis(1))
                .with_max_delay(Duration::from_millis(2)),
        )
        .build();
    let runtime = Runtime::new(config).unwrap();
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.timeout(), Some(TimeoutKind::Operation), "{err}");
    // About three attempts of 100 ms fit in 350 ms; fewer only on a very slow machine.
    assert!(err.attempts() >= 2, "{}", err.attempts());
    assert!(
        server.count() >= 2 && server.count() <= 5,
        "{}",
        server.count()
    );
}

#[tokio::test]
async fn a_wait_past_the_deadline_returns_the_real_cause() {
    // The server asks for 10 s; the operation may only take 5 s: the throttling error is
    // returned at once instead of a timeout after a useless wait.
    let server = TestServer::start(|_, _| {
        Reply::json(
            400,
            serde_json::json!({"Code": "Throttling.User", "Message": "slow down"}),
        )
        .header("x-acs-retry-after", "10000")
    })
    .await;
    let config = config_for(&server)
        .operation_timeout(Duration::from_secs(5))
        .retry(RetryConfig::standard().with_max_delay(Duration::from_secs(30)))
        .build();
    let started = Instant::now();
    let err = Runtime::new(config)
        .unwrap()
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Throttling);
    assert_eq!(server.count(), 1);
    assert!(started.elapsed() < Duration::from_secs(4));
}
