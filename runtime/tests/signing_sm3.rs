//! `ACS3-HMAC-SM3` against the requests the official Python SDK signed with it
//! (`tests/vectors/sm3-vectors.json`, recorded by `scripts/record_sm3_vectors.py`): the signer
//! reproduces each one byte for byte (query, every header, body), the verifier accepts each
//! as recorded and refuses it once anything signed is changed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod signing_support;

use hbr_runtime::signing::decode::parse_form;
use hbr_runtime::signing::v3::{self, Acs3Algorithm};
use hbr_runtime::signing::{
    sign, sign_with_parts, verify, IncomingRequest, RequestToSign, SignatureVersion, SigningKey,
    VerifyError,
};
use serde_json::Value;

use signing_support::*;

fn load_vectors() -> Value {
    serde_json::from_str(include_str!("../../tests/vectors/sm3-vectors.json"))
        .unwrap_or_else(|e| panic!("tests/vectors/sm3-vectors.json is not JSON: {e}"))
}

/// One recorded request: its headers (name, value) as they arrived and the rest of the wire.
struct Recorded {
    name: String,
    token: Option<String>,
    method: String,
    raw_query: String,
    body: String,
    headers: Vec<(String, String)>,
}

impl Recorded {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("{}: no header {name}", self.name))
    }

    /// The request given to the signer: the recorded date, nonce, host and user agent, the
    /// business parameters of the query in wire order and the form body's pairs.
    fn sign(
        &self,
    ) -> (
        hbr_runtime::signing::SignedRequest,
        hbr_runtime::signing::SigningParts,
    ) {
        let query = parse_form(self.raw_query.as_bytes()).unwrap();
        let form = parse_form(self.body.as_bytes()).unwrap();
        let has_form = self.headers.iter().any(|(n, v)| {
            n == "content-type" && v.starts_with("application/x-www-form-urlencoded")
        });
        let key = SigningKey {
            security_token: self.token.as_deref(),
            provider_name: self.header("x-acs-credentials-provider"),
            ..key()
        };
        let req = RequestToSign {
            host: self.header("host"),
            action: self.header("x-acs-action"),
            version: self.header("x-acs-version"),
            user_agent: self.header("user-agent"),
            query: &query,
            form: has_form.then_some(form.as_slice()),
            timestamp: self.header("x-acs-date"),
            nonce: self.header("x-acs-signature-nonce"),
            retry: None,
        };
        sign_with_parts(SignatureVersion::V3Sm3, &key, &req)
    }

    fn verify(
        &self,
        query: &str,
        headers: &[(String, String)],
        body: &str,
    ) -> Result<(), VerifyError> {
        verify(
            &IncomingRequest {
                method: &self.method,
                path: "/",
                raw_query: query,
                headers,
                body: body.as_bytes(),
            },
            &secrets,
        )
        .map(|v| {
            assert_eq!(
                v.signature_version,
                SignatureVersion::V3Sm3,
                "{}",
                self.name
            )
        })
    }
}

fn recorded() -> Vec<Recorded> {
    let doc = load_vectors();
    assert_eq!(doc["access_key_id"], AK);
    assert_eq!(doc["access_key_secret"], SECRET);
    let vectors = doc["vectors"].as_array().expect("vectors array");
    assert_eq!(vectors.len(), 6, "the file holds 6 vectors");
    vectors
        .iter()
        .map(|v| {
            let wire = &v["wire"];
            let text = |p: &str| wire.pointer(p).and_then(Value::as_str).unwrap().to_owned();
            Recorded {
                name: v["name"].as_str().unwrap().to_owned(),
                token: v["security_token"].as_str().map(str::to_owned),
                method: text("/method"),
                raw_query: text("/raw_query"),
                body: text("/body"),
                headers: wire["headers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| {
                        (
                            h[0].as_str().unwrap().to_owned(),
                            h[1].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Headers the HTTP library adds, which nobody signs.
const TRANSPORT_HEADERS: [&str; 2] = ["accept-encoding", "content-length"];

#[test]
fn every_recorded_sm3_request_is_signed_byte_for_byte() {
    for rec in recorded() {
        let (signed, parts) = rec.sign();
        let name = &rec.name;
        assert_eq!(signed.query, rec.raw_query, "{name}: raw query");
        assert_eq!(signed.body, rec.body.as_bytes(), "{name}: body");
        let sent: Vec<(&str, &str)> = rec
            .headers
            .iter()
            .filter(|(n, _)| !TRANSPORT_HEADERS.contains(&n.as_str()))
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let ours: Vec<(&str, &str)> = signed
            .headers
            .iter()
            .map(|(n, v)| (*n, v.as_str()))
            .collect();
        // The same headers, with the same values, in the order the SDK builds them.
        assert_eq!(ours, sent, "{name}: headers");
        assert!(
            signed
                .header("authorization")
                .unwrap()
                .starts_with("ACS3-HMAC-SM3 Credential=testAccessKeyId,"),
            "{name}"
        );
        assert!(
            parts.string_to_sign.starts_with("ACS3-HMAC-SM3\n"),
            "{name}"
        );
        // The payload hash is SM3 of the body, under the SDK's header name.
        assert_eq!(
            signed.header("x-acs-content-sha256"),
            Some(
                Acs3Algorithm::HmacSm3
                    .payload_hash(rec.body.as_bytes())
                    .as_str()
            ),
            "{name}"
        );
    }
}

#[test]
fn every_recorded_sm3_request_verifies_and_tampering_fails() {
    for rec in recorded() {
        let name = &rec.name;
        rec.verify(&rec.raw_query, &rec.headers, &rec.body)
            .unwrap_or_else(|e| panic!("{name}: the recorded request does not verify: {e}"));

        // A wrong secret is refused.
        let err = verify(
            &IncomingRequest {
                method: &rec.method,
                path: "/",
                raw_query: &rec.raw_query,
                headers: &rec.headers,
                body: rec.body.as_bytes(),
            },
            &|ak| (ak == AK).then(|| "wrongSecret".to_owned()),
        )
        .unwrap_err();
        assert!(
            matches!(err, VerifyError::SignatureMismatch { .. }),
            "{name}: {err}"
        );

        // Every signed header changed, one at a time, is refused: the signature, the payload
        // hash, the key or (for content-type) the body's type no longer holds.
        let signed_names = rec
            .header("authorization")
            .split("SignedHeaders=")
            .nth(1)
            .unwrap();
        let signed_names: Vec<&str> = signed_names.split(',').next().unwrap().split(';').collect();
        for target in signed_names {
            let headers: Vec<(String, String)> = rec
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.clone(),
                        if n == target {
                            format!("{v}x")
                        } else {
                            v.clone()
                        },
                    )
                })
                .collect();
            let err = rec.verify(&rec.raw_query, &headers, &rec.body).unwrap_err();
            assert!(
                !matches!(err, VerifyError::Incomplete { .. }),
                "{name}: {target} changed: {err}"
            );
        }
        // A query parameter's value changed.
        if !rec.raw_query.is_empty() {
            let tampered = format!("{}0", rec.raw_query);
            let err = rec.verify(&tampered, &rec.headers, &rec.body).unwrap_err();
            assert!(
                matches!(err, VerifyError::SignatureMismatch { .. }),
                "{name}: {err}"
            );
        }
        // The body changed: its SM3 no longer matches the declared hash.
        if !rec.body.is_empty() {
            let tampered = format!("{}0", rec.body);
            let err = rec
                .verify(&rec.raw_query, &rec.headers, &tampered)
                .unwrap_err();
            assert!(
                matches!(err, VerifyError::ContentHashMismatch { .. }),
                "{name}: {err}"
            );
        }
        // The same request presented as ACS3-HMAC-SHA256 does not verify.
        let as_sha256: Vec<(String, String)> = rec
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), v.replace(v3::SM3_ALGORITHM, v3::ALGORITHM)))
            .collect();
        assert!(
            rec.verify(&rec.raw_query, &as_sha256, &rec.body).is_err(),
            "{name}"
        );
    }
}

#[test]
fn sm3_and_sha256_sign_the_same_canonical_request() {
    let params = doc_example_params();
    let req = doc_example_request(&params);
    let (sha, sha_parts) = sign_with_parts(SignatureVersion::V3, &key(), &req);
    let (sm3, sm3_parts) = sign_with_parts(SignatureVersion::V3Sm3, &key(), &req);
    assert_eq!(sha.query, sm3.query);
    // The canonical requests differ only in the payload hash line and its header.
    let strip = |c: &str| {
        c.replace(v3::EMPTY_PAYLOAD_SHA256, "<hash>")
            .replace(v3::EMPTY_PAYLOAD_SM3, "<hash>")
    };
    assert_eq!(strip(&sha_parts.canonical), strip(&sm3_parts.canonical));
    assert!(sm3_parts.canonical.ends_with(v3::EMPTY_PAYLOAD_SM3));
    assert_eq!(
        sm3_parts.string_to_sign,
        v3::string_to_sign_with(Acs3Algorithm::HmacSm3, &sm3_parts.canonical)
    );
    assert_ne!(sha_parts.signature, sm3_parts.signature);
    // `sign` is `sign_with_parts` without the parts.
    assert_eq!(sign(SignatureVersion::V3Sm3, &key(), &req), sm3);
}
