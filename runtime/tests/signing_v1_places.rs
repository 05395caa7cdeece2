//! The legacy HMAC-SHA1 signature wherever clients put its parameters: all in the URL query
//! (the legacy SDKs' GET), all in the form body with an empty query (the Node.js RPC client's
//! POST), or split between the two (the official SDK's POST: protocol parameters in the query,
//! the operation's form parameters in the body). The verifier merges the two, as the protocol
//! says; any byte changed, in either place, still fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod signing_support;

use hbr_runtime::signing::decode::parse_form;
use hbr_runtime::signing::encode::form_pairs_into;
use hbr_runtime::signing::{v1, IncomingRequest, RequestToSign, SignatureVersion, SigningKey};
use hbr_runtime::signing::{verify, VerifiedRequest, VerifyError};

use signing_support::*;

/// Every parameter of a v1 request signed for `method`: the protocol's, the query's, the form
/// body's and `Signature`, decoded.
fn all_params(method: &str) -> Vec<(String, String)> {
    let query = pairs(&[("PageSize", "10"), ("Filters.1.Values.1", "b 1/ü~*+=&")]);
    let form = pairs(&[("PolicyId", "po-1"), ("Name", "a b")]);
    let key = SigningKey {
        security_token: Some("sts+token/=="),
        ..key()
    };
    let req = RequestToSign {
        host: "127.0.0.1:8080",
        action: "DescribePoliciesV2",
        version: "2017-09-08",
        user_agent: "ua/1",
        query: &query,
        form: Some(&form),
        timestamp: "2024-01-01T00:00:00Z",
        nonce: "0123456789abcdef0123456789abcdef",
        retry: None,
    };
    let (signed, _) = v1::sign_with_method(method, &key, &req);
    let mut all = parse_form(signed.query.as_bytes()).unwrap();
    all.extend(parse_form(&signed.body).unwrap());
    all
}

fn encode(pairs: &[&(String, String)]) -> String {
    let mut out = String::new();
    form_pairs_into(
        &mut out,
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    out
}

/// The request with the parameters `in_body` picks in the form body, the others in the query.
fn arranged(all: &[(String, String)], in_body: impl Fn(&str) -> bool) -> (String, String) {
    let (body, query): (Vec<_>, Vec<_>) = all.iter().partition(|(k, _)| in_body(k));
    (encode(&query), encode(&body))
}

fn check(method: &str, query: &str, body: &str) -> Result<VerifiedRequest, VerifyError> {
    let headers = pairs(&[("content-type", "application/x-www-form-urlencoded")]);
    verify(
        &IncomingRequest {
            method,
            path: "/",
            raw_query: query,
            headers: if body.is_empty() { &[] } else { &headers },
            body: body.as_bytes(),
        },
        &secrets,
    )
}

type Arrangement = (&'static str, &'static str, fn(&str) -> bool);

const ARRANGEMENTS: [Arrangement; 5] = [
    ("all in the query (GET)", "GET", |_| false),
    ("all in the query (POST)", "POST", |_| false),
    (
        "all in the body, empty query (Node.js RPC client)",
        "POST",
        |_| true,
    ),
    (
        "Signature in the query, the rest in the body",
        "POST",
        |k| k != "Signature",
    ),
    (
        "business parameters in the body, the protocol's in the query",
        "POST",
        |k| !v1::COMMON_PARAMETERS.contains(&k),
    ),
];

#[test]
fn every_arrangement_verifies_with_the_same_business_parameters() {
    for (name, method, in_body) in ARRANGEMENTS {
        let (query, body) = arranged(&all_params(method), in_body);
        let ok = check(method, &query, &body).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(ok.signature_version, SignatureVersion::V1, "{name}");
        assert_eq!(ok.action.as_deref(), Some("DescribePoliciesV2"), "{name}");
        assert_eq!(ok.security_token.as_deref(), Some("sts+token/=="), "{name}");
        assert_eq!(ok.timestamp, "2024-01-01T00:00:00Z", "{name}");
        // The business parameters, none of the protocol's, each in the place it was sent.
        let mut names: Vec<&str> = ok.params.iter().map(|(k, _)| k.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["Filters.1.Values.1", "Name", "PageSize", "PolicyId"],
            "{name}"
        );
        let in_query = parse_form(query.as_bytes())
            .unwrap()
            .into_iter()
            .filter(|(k, _)| !v1::COMMON_PARAMETERS.contains(&k.as_str()))
            .count();
        assert_eq!(ok.query_count, in_query, "{name}");
    }
}

#[test]
fn tampering_with_any_byte_in_either_place_fails() {
    for (name, method, in_body) in ARRANGEMENTS {
        let (query, body) = arranged(&all_params(method), in_body);
        check(method, &query, &body).unwrap();
        let mut checked = 0;
        for (place, text) in [("query", &query), ("body", &body)] {
            for i in 0..text.len() {
                let mut bytes = text.as_bytes().to_vec();
                // A replacement that is never an equivalent encoding of the byte it replaces.
                bytes[i] = if bytes[i] == b'Z' { b'Y' } else { b'Z' };
                let tampered = String::from_utf8(bytes).unwrap();
                let (q, b) = if place == "query" {
                    (tampered.as_str(), body.as_str())
                } else {
                    (query.as_str(), tampered.as_str())
                };
                assert!(
                    check(method, q, b).is_err(),
                    "{name}: {place} byte {i} changed and accepted: {tampered}"
                );
                checked += 1;
            }
        }
        assert!(checked > 300, "{name}: {checked}");
        // The method is signed wherever the parameters travel.
        let other = if method == "GET" { "POST" } else { "GET" };
        assert!(
            matches!(
                check(other, &query, &body),
                Err(VerifyError::SignatureMismatch { .. })
            ),
            "{name}"
        );
    }
}

#[test]
fn a_signature_in_both_places_is_refused() {
    let all = all_params("POST");
    let (query, body) = arranged(&all, |_| true);
    let signature = all.iter().find(|(k, _)| k == "Signature").unwrap();
    let query = format!(
        "{query}Signature={}",
        encode(&[signature]).trim_start_matches("Signature=")
    );
    let err = check("POST", &query, &body).unwrap_err();
    assert!(matches!(err, VerifyError::Malformed { .. }), "{err}");
}

#[test]
fn a_body_parameter_wins_over_the_same_name_in_the_query() {
    // Signed with PageSize=10 in the query; the body repeats PageSize with another value, so
    // the merged set (body winning) no longer matches the signature.
    let (query, body) = arranged(&all_params("POST"), |k| k == "PolicyId");
    check("POST", &query, &body).unwrap();
    let err = check("POST", &query, &format!("{body}&PageSize=11")).unwrap_err();
    assert!(
        matches!(err, VerifyError::SignatureMismatch { .. }),
        "{err}"
    );
    // The same value repeated in the body changes nothing the signature covers.
    check("POST", &query, &format!("{body}&PageSize=10")).unwrap();
}
