//! Tests of the ECS RAM role provider against a fake metadata service on 127.0.0.1: IMDSv2
//! tokens, the v1 fallback, caching and refresh before expiration, timeouts and errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credentials_support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use hbr_runtime::credentials::{CredentialsError, EcsRamRoleProvider, ProvideCredentials};
use time::{Duration, OffsetDateTime};
use tokio::net::TcpListener;

use credentials_support::*;

// ---------------------------------------------------------------------------------------
// ECS RAM role.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn ecs_imdsv2_fetches_with_token_and_caches_far_expiration() {
    let home = tempfile::tempdir().unwrap();
    let server = metadata_server(true, Duration::hours(6)).await;
    let provider = EcsRamRoleProvider::new(env(&[], home.path())).with_endpoint(&server.url);

    let first = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "STS.id-1");
    assert_eq!(first.access_key_secret().expose(), STS_SECRET);
    assert_eq!(first.security_token().unwrap().expose(), STS_TOKEN);
    assert_eq!(first.provider_name(), "ecs_ram_role");
    let exp = first.expiration().unwrap();
    assert!(exp > OffsetDateTime::now_utc() + Duration::hours(5));

    let requests = server.requests();
    let summary: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("PUT", "/latest/api/token"),
            ("GET", "/latest/meta-data/ram/security-credentials/"),
            ("GET", "/latest/meta-data/ram/security-credentials/TestRole"),
        ]
    );
    assert_eq!(
        requests[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    for r in &requests[1..] {
        assert_eq!(r.header("x-aliyun-ecs-metadata-token"), Some(IMDS_TOKEN));
    }

    // Far from expiry: served from the cache, no new request.
    for _ in 0..3 {
        let again = provider.provide_credentials().await.unwrap();
        assert_eq!(again.access_key_id(), "STS.id-1");
    }
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn ecs_refreshes_when_expiration_is_near() {
    let home = tempfile::tempdir().unwrap();
    // Ten minutes left is inside the 15-minute refresh margin: every call refreshes.
    let server = metadata_server(true, Duration::minutes(10)).await;
    let provider = EcsRamRoleProvider::new(env(&[], home.path())).with_endpoint(&server.url);

    let first = provider.provide_credentials().await.unwrap();
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "STS.id-1");
    assert_eq!(second.access_key_id(), "STS.id-2");
    assert_eq!(server.count(), 6);
}

#[tokio::test]
async fn ecs_keeps_unexpired_credentials_when_a_refresh_fails() {
    let home = tempfile::tempdir().unwrap();
    let failing = Arc::new(AtomicBool::new(false));
    let inner = Metadata {
        imdsv2: true,
        lifetime: Duration::minutes(10),
        code: "Success",
    }
    .handler();
    let flag = Arc::clone(&failing);
    let server = Server::start(Arc::new(move |req: &Request| {
        if flag.load(Ordering::SeqCst) {
            (500, String::new())
        } else {
            inner(req)
        }
    }))
    .await;
    let provider = EcsRamRoleProvider::new(env(&[], home.path())).with_endpoint(&server.url);
    let first = provider.provide_credentials().await.unwrap();
    failing.store(true, Ordering::SeqCst);
    // Inside the refresh margin, the refresh fails, but the credentials are still valid.
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), second.access_key_id());
    assert!(server.count() > 3, "a refresh was attempted");
}

#[tokio::test]
async fn ecs_falls_back_to_imdsv1_when_the_token_request_fails() {
    let home = tempfile::tempdir().unwrap();
    let server = metadata_server(false, Duration::hours(6)).await;
    let provider = EcsRamRoleProvider::new(env(&[], home.path())).with_endpoint(&server.url);

    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "STS.id-1");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].method, "PUT");
    for r in &requests[1..] {
        assert_eq!(r.header("x-aliyun-ecs-metadata-token"), None);
    }
}

#[tokio::test]
async fn ecs_imdsv1_fallback_can_be_disabled() {
    let home = tempfile::tempdir().unwrap();
    let server = metadata_server(false, Duration::hours(6)).await;
    let provider = EcsRamRoleProvider::new(env(
        &[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")],
        home.path(),
    ))
    .with_endpoint(&server.url);

    let err = provider.provide_credentials().await.unwrap_err();
    assert!(matches!(
        err,
        CredentialsError::Request {
            provider: "ecs_ram_role",
            ..
        }
    ));
    let text = err.to_string();
    assert!(text.contains("HTTP 403"), "{text}");
    assert!(text.contains("ALIBABA_CLOUD_IMDSV1_DISABLED"), "{text}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn ecs_role_name_from_variable_skips_the_listing() {
    let home = tempfile::tempdir().unwrap();
    let server = metadata_server(true, Duration::hours(6)).await;
    let provider =
        EcsRamRoleProvider::new(env(&[("ALIBABA_CLOUD_ECS_METADATA", ROLE)], home.path()))
            .with_endpoint(&server.url);
    provider.provide_credentials().await.unwrap();
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/latest/api/token",
            "/latest/meta-data/ram/security-credentials/TestRole"
        ]
    );
}

#[tokio::test]
async fn ecs_reply_without_success_code_is_an_error() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(
        Metadata {
            imdsv2: true,
            lifetime: Duration::hours(6),
            code: "Failed",
        }
        .handler(),
    )
    .await;
    let err = EcsRamRoleProvider::new(env(&[], home.path()))
        .with_endpoint(&server.url)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::InvalidResponse { .. }));
    let text = err.to_string();
    assert!(
        text.contains("Code is `Failed`, expected `Success`"),
        "{text}"
    );
    assert!(!text.contains(STS_SECRET) && !text.contains(STS_TOKEN));

    // Not JSON at all, and JSON missing fields.
    let server = Server::start(Arc::new(|req: &Request| match req.path.as_str() {
        "/latest/api/token" => (200, IMDS_TOKEN.to_owned()),
        "/latest/meta-data/ram/security-credentials/" => (200, ROLE.to_owned()),
        _ => (
            200,
            format!("{{\"Code\":\"Success\",\"AccessKeySecret\":\"{STS_SECRET}\"}}"),
        ),
    }))
    .await;
    let err = EcsRamRoleProvider::new(env(&[], home.path()))
        .with_endpoint(&server.url)
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("missing or empty AccessKeyId, SecurityToken, Expiration"),
        "{text}"
    );
    assert!(!text.contains(STS_SECRET));
}

#[tokio::test]
async fn ecs_unreachable_endpoint_fails_fast_without_imdsv1_retry() {
    let home = tempfile::tempdir().unwrap();
    let dead = dead_endpoint().await;
    let started = Instant::now();
    let err = EcsRamRoleProvider::new(env(&[], home.path()))
        .with_endpoint(&dead)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert!(matches!(
        err,
        CredentialsError::Unreachable {
            provider: "ecs_ram_role",
            ..
        }
    ));
    let text = err.to_string();
    assert!(text.contains("unreachable"), "{text}");
    assert!(
        text.contains("ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"),
        "{text}"
    );
}

#[tokio::test]
async fn ecs_timeout_is_one_second() {
    // A server that accepts connections but never answers.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let held = Arc::new(Mutex::new(Vec::new()));
    let held2 = Arc::clone(&held);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            held2.lock().unwrap().push(stream);
        }
    });
    let home = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let err = EcsRamRoleProvider::new(env(&[], home.path()))
        .with_endpoint(&url)
        .provide_credentials()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= std::time::Duration::from_millis(900),
        "{elapsed:?}"
    );
    assert!(elapsed < std::time::Duration::from_secs(3), "{elapsed:?}");
    let text = err.to_string();
    assert!(text.contains("timed out after 1s"), "{text}");
}

#[tokio::test]
async fn ecs_without_an_attached_role_says_so() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(Arc::new(|req: &Request| match req.path.as_str() {
        "/latest/api/token" => (200, IMDS_TOKEN.to_owned()),
        _ => (404, String::new()),
    }))
    .await;
    let err = EcsRamRoleProvider::new(env(&[], home.path()))
        .with_endpoint(&server.url)
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("HTTP 404: no RAM role is attached to this instance"),
        "{text}"
    );
}

#[tokio::test]
async fn ecs_can_be_disabled() {
    let home = tempfile::tempdir().unwrap();
    let err = EcsRamRoleProvider::new(env(&[ECS_OFF], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    assert_eq!(
        err.to_string(),
        "ecs_ram_role: disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"
    );
}
