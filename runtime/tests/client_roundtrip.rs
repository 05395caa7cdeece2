//! Round trips through `Runtime::execute` and `Runtime::invoke_raw` against a local server
//! that verifies every request with `hbr_runtime::signing::verify`, under both signatures,
//! with and without an STS token and a form body.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client_support;

use client_support::*;
use hbr_runtime::client::{ErrorKind, Runtime};
use hbr_runtime::credentials::Credentials;
use hbr_runtime::signing::SignatureVersion;
use hbr_runtime::wire::Params;

/// A server that answers 200 only to a request whose signature verifies, else 400.
async fn verifying_server() -> TestServer {
    TestServer::start(|req, n| match req.verify() {
        Ok(_) => ok_reply(&format!("REQ-{n}")),
        Err(e) => Reply::json(
            400,
            serde_json::json!({"Code": "SignatureDoesNotMatch", "Message": e.to_string(), "RequestId": "BAD"}),
        ),
    })
    .await
}

fn request() -> ListThings {
    ListThings {
        page_size: Some(10),
        name: Some("a b*~/ü".into()),
        tags: vec!["x".into(), "y z".into()],
    }
}

#[tokio::test]
async fn v3_round_trip_is_verified_by_the_server() {
    let server = verifying_server().await;
    let runtime = Runtime::new(config_for(&server).build()).unwrap();
    let out = runtime.execute(&request()).await.unwrap();
    assert_eq!(out.request_id.as_deref(), Some("REQ-0"));
    assert_eq!(out.items, ["a", "b"]);

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let req = &reqs[0];
    let verified = req.verify().unwrap();
    assert_eq!(verified.signature_version, SignatureVersion::V3);
    assert_eq!(verified.access_key_id, AK);
    assert_eq!(verified.action.as_deref(), Some("ListThings"));
    assert_eq!(verified.version.as_deref(), Some("2017-09-08"));
    assert_eq!(verified.security_token, None);
    assert_eq!(
        verified.params,
        [
            ("PageSize".to_string(), "10".to_string()),
            ("Name".into(), "a b*~/ü".into()),
            ("Tags.1".into(), "x".into()),
            ("Tags.2".into(), "y z".into()),
        ]
    );
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/");
    assert_eq!(req.header("host"), Some(server.addr.to_string().as_str()));
    assert_eq!(req.header("x-acs-credentials-provider"), Some("static_ak"));
    assert_eq!(
        req.header("content-type"),
        None,
        "query-only operations send no content-type"
    );
    assert!(req.header("x-acs-retry-attempts").is_none());
    let ua = req.header("user-agent").unwrap();
    assert!(ua.starts_with("hbr-rs/") && ua.ends_with(") Rust"), "{ua}");
    assert_eq!(req.header("x-acs-signature-nonce").unwrap().len(), 32);
}

#[tokio::test]
async fn v1_round_trip_is_verified_by_the_server() {
    let server = verifying_server().await;
    let config = config_for(&server)
        .signature_version(SignatureVersion::V1)
        .build();
    let runtime = Runtime::new(config).unwrap();
    let out = runtime.execute(&request()).await.unwrap();
    assert_eq!(out.success, Some(true));
    let req = &server.requests()[0];
    let verified = req.verify().unwrap();
    assert_eq!(verified.signature_version, SignatureVersion::V1);
    assert_eq!(verified.action.as_deref(), Some("ListThings"));
    assert!(req.raw_query.contains("SignatureVersion=1.0"));
    assert!(req.header("authorization").is_none());
    assert_eq!(verified.params.len(), 4);
}

#[tokio::test]
async fn sm3_round_trip_is_verified_by_the_server() {
    let server = verifying_server().await;
    let config = config_for(&server)
        .signature_version(SignatureVersion::V3Sm3)
        .build();
    let runtime = Runtime::new(config).unwrap();
    let out = runtime.execute(&request()).await.unwrap();
    assert_eq!(out.success, Some(true));
    let req = &server.requests()[0];
    let verified = req.verify().unwrap();
    assert_eq!(verified.signature_version, SignatureVersion::V3Sm3);
    let auth = req.header("authorization").unwrap();
    assert!(auth.starts_with("ACS3-HMAC-SM3 Credential="), "{auth}");
    // The payload hash keeps the SDK's header name; its value is SM3 of the (empty) body.
    assert_eq!(
        req.header("x-acs-content-sha256"),
        Some(hbr_runtime::signing::v3::EMPTY_PAYLOAD_SM3)
    );
}

#[tokio::test]
async fn form_bodies_are_signed_under_every_version() {
    for version in SignatureVersion::ALL {
        let server = verifying_server().await;
        let runtime = Runtime::new(config_for(&server).signature_version(version).build()).unwrap();
        runtime
            .execute(&ListThingsForm {
                page_size: Some(5),
                name: Some("n=1&m".into()),
                tags: vec![],
            })
            .await
            .unwrap_or_else(|e| panic!("{version}: {e}"));
        let req = &server.requests()[0];
        let verified = req.verify().unwrap();
        assert_eq!(
            req.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(req.body, b"Name=n%3D1%26m");
        assert!(
            verified.params.contains(&("Name".into(), "n=1&m".into())),
            "{version}"
        );
        assert!(
            verified.params.contains(&("PageSize".into(), "5".into())),
            "{version}"
        );
    }
}

#[tokio::test]
async fn empty_form_body_still_sends_content_type() {
    let server = verifying_server().await;
    let runtime = Runtime::new(config_for(&server).build()).unwrap();
    runtime.execute(&ListThingsForm::default()).await.unwrap();
    let req = &server.requests()[0];
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(req.body.is_empty());
    req.verify().unwrap();
}

#[tokio::test]
async fn sts_token_is_sent_and_signed() {
    for version in SignatureVersion::ALL {
        let server = verifying_server().await;
        let config = config_for(&server)
            .credentials(Credentials::new(AK, SECRET).with_security_token(TOKEN))
            .signature_version(version)
            .build();
        let runtime = Runtime::new(config).unwrap();
        runtime
            .execute(&request())
            .await
            .unwrap_or_else(|e| panic!("{version}: {e}"));
        let req = &server.requests()[0];
        let verified = req.verify().unwrap();
        assert_eq!(verified.security_token.as_deref(), Some(TOKEN), "{version}");
        assert_eq!(verified.signature_version, version);
        match version {
            SignatureVersion::V3 | SignatureVersion::V3Sm3 => {
                assert_eq!(req.header("x-acs-security-token"), Some(TOKEN));
                assert_eq!(req.header("x-acs-accesskey-id"), Some(AK));
                let auth = req.header("authorization").unwrap();
                assert!(
                    auth.contains("x-acs-security-token"),
                    "the token header is signed: {auth}"
                );
            }
            SignatureVersion::V1 => {
                assert!(req.raw_query.contains(&format!("SecurityToken={TOKEN}")));
            }
        }
        assert_eq!(req.header("x-acs-credentials-provider"), Some("static_sts"));
    }
}

#[tokio::test]
async fn invoke_raw_returns_the_raw_response() {
    let server = verifying_server().await;
    let runtime = Runtime::new(config_for(&server).build()).unwrap();
    let mut params = Params::default();
    params.query.push(("PageSize".into(), "3".into()));
    let raw = runtime
        .invoke_raw(
            "DescribeVaults",
            "2017-09-08",
            true,
            hbr_runtime::operation::OperationKind::Read,
            params,
        )
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.request_id(), Some("REQ-0"));
    assert_eq!(raw.attempts(), 1);
    assert_eq!(raw.json().unwrap()["Items"][0], "a");
    assert!(raw.business_error().is_none());
    let req = &server.requests()[0];
    assert_eq!(req.header("x-acs-action"), Some("DescribeVaults"));
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    req.verify().unwrap();
}

#[tokio::test]
async fn invalid_request_is_not_sent() {
    let server = verifying_server().await;
    let runtime = Runtime::new(config_for(&server).build()).unwrap();
    let err = runtime
        .execute(&ListThings::<false> {
            page_size: Some(100),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(
        err.to_string(),
        "invalid parameter PageSize: must be between 1 and 99, got 100"
    );
    assert_eq!(err.validation_error().unwrap().parameter(), "PageSize");
    assert_eq!(err.attempts(), 0);
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn clones_share_the_connection_pool_and_run_concurrently() {
    let server = verifying_server().await;
    let runtime = Runtime::new(config_for(&server).build()).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let rt = runtime.clone();
        tasks.push(tokio::spawn(async move { rt.execute(&request()).await }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(server.count(), 8);
    // Nonces are fresh for every request.
    let mut nonces: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").unwrap().to_owned())
        .collect();
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 8);
}
