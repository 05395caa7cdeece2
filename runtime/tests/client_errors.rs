//! How answers become errors: gateway HTML pages, `Success: false`, error bodies, request
//! ids, oversized or garbled bodies; and that no secret shows in `Debug`/`Display`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client_support;

use std::time::Duration;

use client_support::*;
use hbr_runtime::client::{Config, Error, ErrorKind, RetryConfig, Runtime, SNIPPET_LEN};
use hbr_runtime::credentials::{Credentials, DefaultCredentialsChain, Environment};
use hbr_runtime::signing::SignatureVersion;

const GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n";

async fn one_shot(
    reply: impl Fn() -> Reply + Send + Sync + 'static,
) -> (TestServer, Result<ThingsOutput, Error>) {
    let server = TestServer::start(move |_, _| reply()).await;
    let runtime = Runtime::new(config_for(&server).retry(RetryConfig::disabled()).build()).unwrap();
    let result = runtime.execute(&ListThings::<false>::default()).await;
    (server, result)
}

#[tokio::test]
async fn html_502_from_a_gateway_is_a_malformed_response_with_a_snippet() {
    let (server, result) =
        one_shot(|| Reply::raw(502, "text/html", GATEWAY_PAGE).header("x-acs-request-id", "GW-1"))
            .await;
    let err = result.unwrap_err();
    assert_eq!(server.count(), 1);
    assert_eq!(err.kind(), ErrorKind::MalformedResponse);
    assert_eq!(err.http_status(), Some(502));
    assert_eq!(err.request_id(), Some("GW-1"));
    assert!(err.is_retryable(), "a 5xx gateway page is transient");
    let malformed = err.malformed_response().unwrap();
    assert_eq!(malformed.content_type(), Some("text/html"));
    assert!(malformed
        .snippet()
        .contains("<title>502 Bad Gateway</title>"));
    let line = err.to_string();
    assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
    assert!(
        line.starts_with("malformed response (HTTP 502, text/html): the error body is not JSON [request id GW-1]; body: <html>"),
        "{line}"
    );
}

#[tokio::test]
async fn gateway_pages_are_retried_like_other_5xx() {
    let server = TestServer::start(|_, n| {
        if n == 0 {
            Reply::raw(502, "text/html", GATEWAY_PAGE)
        } else {
            ok_reply("R-OK")
        }
    })
    .await;
    let config = config_for(&server)
        .retry(RetryConfig::standard().with_base_delay(Duration::from_millis(1)));
    Runtime::new(config.build())
        .unwrap()
        .execute(&ListThings::<false>::default())
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn snippets_are_bounded() {
    let big = format!("<html>{}</html>", "x".repeat(100_000));
    let (_server, result) = one_shot(move || Reply::raw(503, "text/html", big.clone())).await;
    let err = result.unwrap_err();
    let malformed = err.malformed_response().unwrap();
    assert!(malformed.snippet().len() <= SNIPPET_LEN);
    assert_eq!(malformed.body_len(), 100_013);
    assert!(err.to_string().len() < SNIPPET_LEN + 300);
    assert!(format!("{err:?}").len() < SNIPPET_LEN + 600);
}

#[tokio::test]
async fn success_false_at_http_200_is_a_service_error() {
    let (_server, result) = one_shot(|| {
        Reply::json(
            200,
            serde_json::json!({
                "RequestId": "R-BIZ",
                "Success": false,
                "Code": "CrossAccountBackupSlrNotExist",
                "Message": "The service-linked role does not exist.",
            }),
        )
    })
    .await;
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(err.http_status(), Some(200));
    assert_eq!(err.code(), Some("CrossAccountBackupSlrNotExist"));
    assert_eq!(
        err.message(),
        Some("The service-linked role does not exist.")
    );
    assert_eq!(err.request_id(), Some("R-BIZ"));
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "CrossAccountBackupSlrNotExist (HTTP 200): The service-linked role does not exist. [request id R-BIZ]"
    );
}

#[tokio::test]
async fn access_denied_detail_and_lowercase_fields_are_read() {
    let (_server, result) = one_shot(|| {
        Reply::json(
            403,
            serde_json::json!({
                "requestId": "R-403",
                "code": "Forbidden.RAM",
                "message": "User not authorized to operate on the specified resource.",
                "AccessDeniedDetail": {"AuthAction": "hbr:DescribeVaults", "EncodedDiagnosticMessage": "AQE="},
            }),
        )
    })
    .await;
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(err.code(), Some("Forbidden.RAM"));
    assert_eq!(err.request_id(), Some("R-403"));
    let detail = err.service_error().unwrap().access_denied_detail().unwrap();
    assert_eq!(detail["AuthAction"], "hbr:DescribeVaults");
}

#[tokio::test]
async fn request_id_falls_back_to_the_header() {
    let (_server, result) = one_shot(|| {
        Reply::json(
            500,
            serde_json::json!({"Code": "InternalError", "Message": "oops"}),
        )
        .header("x-acs-request-id", "HDR-1")
    })
    .await;
    let err = result.unwrap_err();
    assert_eq!(err.request_id(), Some("HDR-1"));
    assert_eq!(
        err.to_string(),
        "InternalError (HTTP 500): oops [request id HDR-1]"
    );
}

#[tokio::test]
async fn garbled_and_unexpected_bodies_are_malformed_responses() {
    let cases: Vec<(u16, &'static str, &'static [u8], &'static str)> = vec![
        (
            200,
            "application/json",
            b"{\"RequestId\": \"R\", \"Items\": [",
            "cannot read the response body",
        ),
        (
            200,
            "application/json",
            b"\xff\xfe\x00garbage",
            "cannot read the response body",
        ),
        (
            200,
            "application/json",
            b"",
            "cannot read the response body",
        ),
        (
            200,
            "application/json",
            b"{\"Items\": \"not a list\"}",
            "cannot read the response body",
        ),
        (
            400,
            "application/json",
            b"[1,2,3]",
            "the error body is not a JSON object",
        ),
        (404, "text/plain", b"", "the error response has no body"),
        (
            302,
            "text/html",
            b"<a href=x>moved</a>",
            "the endpoint answered a redirect to nowhere; redirects are not followed",
        ),
    ];
    for (status, content_type, body, reason) in cases {
        let (_server, result) = one_shot(move || Reply::raw(status, content_type, body)).await;
        let err = result.unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::MalformedResponse,
            "{status} {body:?}: {err}"
        );
        assert_eq!(err.http_status(), Some(status));
        assert!(
            err.malformed_response()
                .unwrap()
                .reason()
                .starts_with(reason),
            "{err}"
        );
    }
}

#[tokio::test]
async fn bodies_of_any_bytes_never_panic() {
    // A deterministic spread of byte patterns, in error and success answers.
    let mut seed: u32 = 0x1234_5678;
    for round in 0..40 {
        let len = (round * 37) % 700;
        let body: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                (seed & 0xff) as u8
            })
            .collect();
        let status = [200u16, 400, 500, 503][round % 4];
        let (_server, result) =
            one_shot(move || Reply::raw(status, "application/json", body.clone())).await;
        let err = result.unwrap_err();
        let _ = (err.to_string(), format!("{err:?}"));
    }
}

const LEAK_CHECK: [&str; 2] = [SECRET, TOKEN];

fn assert_no_secret(text: &str) {
    for secret in LEAK_CHECK {
        assert!(!text.contains(secret), "secret leaked in: {text}");
    }
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let sts = Credentials::new(AK, SECRET).with_security_token(TOKEN);

    // Config and runtime.
    let config = Config::builder()
        .region("cn-hangzhou")
        .credentials(sts.clone())
        .signature_version(SignatureVersion::V1)
        .build();
    assert_no_secret(&format!("{config:?}"));
    let runtime = Runtime::new(config).unwrap();
    assert_no_secret(&format!("{runtime:?}"));

    let mut texts = Vec::new();

    // A transport error under v1 + STS: the URL holds SecurityToken, and must not show.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let rt = Runtime::new(
            config_for_endpoint(&format!("http://127.0.0.1:{port}"))
                .credentials(sts.clone())
                .signature_version(version)
                .retry(RetryConfig::disabled())
                .build(),
        )
        .unwrap();
        let err = rt
            .execute(&ListThings::<false>::default())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport);
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }

    // A read timeout, a service error and a malformed response under v1 + STS.
    let server = TestServer::start(|_, n| match n {
        0 => Reply::Stall,
        1 => Reply::json(
            400,
            serde_json::json!({"Code": "InvalidParameter", "Message": "m", "RequestId": "R"}),
        ),
        _ => Reply::raw(502, "text/html", GATEWAY_PAGE),
    })
    .await;
    let rt = Runtime::new(
        config_for(&server)
            .credentials(sts.clone())
            .signature_version(SignatureVersion::V1)
            .read_timeout(Duration::from_millis(150))
            .retry(RetryConfig::disabled())
            .build(),
    )
    .unwrap();
    for _ in 0..3 {
        let err = rt
            .execute(&ListThings::<false>::default())
            .await
            .unwrap_err();
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    assert!(
        server.requests()[0].raw_query.contains(TOKEN),
        "the token was sent"
    );

    // A credentials error.
    let env = Environment::from_map(
        [
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", AK),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
            ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
        ],
        None,
    );
    let rt = Runtime::new(
        config_for(&server)
            .credentials(DefaultCredentialsChain::new(env))
            .build(),
    )
    .unwrap();
    let before = server.count();
    let err = rt
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Credentials, "{err}");
    assert!(err.to_string().starts_with("credentials: "), "{err}");
    assert_eq!(
        server.count(),
        before,
        "nothing is sent without credentials"
    );
    texts.push(err.to_string());
    texts.push(format!("{err:?}"));

    for text in &texts {
        assert_no_secret(text);
    }
}
