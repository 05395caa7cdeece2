//! v1 (HMAC-SHA1) requests with their parameters wherever Alibaba's clients put them: all in
//! the URL query of a GET (the legacy SDKs), all in the form body of a POST with an empty
//! query (the Node.js RPC client), or split (the official SDK). Each is served with the same
//! answer; a value changed in either place is `SignatureDoesNotMatch`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use hbr_runtime::signing::decode::parse_form;
use hbr_runtime::signing::encode::form_pairs_into;
use hbr_runtime::signing::{
    format_timestamp, new_nonce, v1, RequestToSign, SignedRequest, SigningKey,
};

/// A v1 DescribeRestoreJobs2 signed for `method`, every parameter (its own, the protocol's
/// and `Signature`) in the query if `in_body` is false, else in the form body.
fn signed(method: &str, in_body: bool, filter_value: &str) -> SignedRequest {
    let key = SigningKey {
        access_key_id: DEMO.id,
        access_key_secret: DEMO.secret,
        security_token: None,
        provider_name: "",
    };
    let query = pairs(&[
        ("PageSize", "7"),
        ("Filters.1.Key", "Status"),
        ("Filters.1.Values.1", filter_value),
    ]);
    let (timestamp, nonce) = (
        format_timestamp(time::OffsetDateTime::now_utc()),
        new_nonce(),
    );
    let req = RequestToSign {
        host: "127.0.0.1",
        action: "DescribeRestoreJobs2",
        version: "2017-09-08",
        user_agent: UA,
        query: &query,
        form: None,
        timestamp: &timestamp,
        nonce: &nonce,
        retry: None,
    };
    let (mut signed, _) = v1::sign_with_method(method, &key, &req);
    if in_body {
        signed.body = std::mem::take(&mut signed.query).into_bytes();
        signed
            .headers
            .push(("content-type", "application/x-www-form-urlencoded".into()));
    }
    signed
}

#[tokio::test]
async fn v1_parameters_are_read_wherever_they_travel() {
    let emu = start(80, 9).await;
    let c = client();
    let total = |resp: &Resp| resp.json()["TotalCount"].clone();
    let reference = call(
        &c,
        &emu,
        &Call::new(
            hbr_runtime::signing::SignatureVersion::V3,
            &[
                ("PageSize", "7"),
                ("Filters.1.Key", "Status"),
                ("Filters.1.Values.1", "FAILED"),
            ],
        ),
    )
    .await;
    assert_eq!(reference.status, 200);
    let get = send_as(
        &c,
        &emu,
        reqwest::Method::GET,
        "/",
        &signed("GET", false, "FAILED"),
    )
    .await;
    let post_query = send(&c, &emu, &signed("POST", false, "FAILED")).await;
    let post_body = send(&c, &emu, &signed("POST", true, "FAILED")).await;
    for (name, resp) in [
        ("GET", &get),
        ("POST query", &post_query),
        ("POST body", &post_body),
    ] {
        assert_eq!(
            resp.status,
            200,
            "{name}: {}",
            String::from_utf8_lossy(&resp.body)
        );
        assert_eq!(total(resp), total(&reference), "{name}");
        assert_eq!(
            resp.json()["RestoreJobs"]["RestoreJob"],
            reference.json()["RestoreJobs"]["RestoreJob"],
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_value_changed_in_either_place_fails_the_signature() {
    let emu = start(20, 1).await;
    let c = client();
    for in_body in [false, true] {
        let mut tampered = signed("POST", in_body, "FAILED");
        let swap = |text: &str| text.replace("Values.1=FAILED", "Values.1=COMPLETE");
        if in_body {
            let body = String::from_utf8(tampered.body.clone()).unwrap();
            assert!(body.contains("Values.1=FAILED"));
            tampered.body = swap(&body).into_bytes();
        } else {
            assert!(tampered.query.contains("Values.1=FAILED"));
            tampered.query = swap(&tampered.query);
        }
        send(&c, &emu, &tampered)
            .await
            .assert_error(400, "SignatureDoesNotMatch");
    }
    // A parameter moved from the body to the query keeps the signature (the set is merged),
    // but one added in either place breaks it.
    let mut split = signed("POST", true, "FAILED");
    let mut body = parse_form(&split.body).unwrap();
    let moved: Vec<(String, String)> = body.drain(..3).collect();
    let encode = |pairs: &[(String, String)]| {
        let mut out = String::new();
        form_pairs_into(
            &mut out,
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        out
    };
    split.query = encode(&moved);
    split.body = encode(&body).into_bytes();
    assert_eq!(send(&c, &emu, &split).await.status, 200);
    let mut extra = signed("POST", true, "FAILED");
    extra.query = "RestoreType=OSS".into();
    send(&c, &emu, &extra)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
}
