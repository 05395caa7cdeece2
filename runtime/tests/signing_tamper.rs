//! The verifier refuses every tampered, incomplete or malformed request, and never panics.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod signing_support;

use hbr_runtime::signing::{
    sign, verify, IncomingRequest, RequestToSign, RetryInfo, SignatureVersion, SignedRequest,
    SigningKey, VerifiedRequest, VerifyError,
};

use signing_support::*;

// ----------------------------------------------------------------------------------------
// Tampering

/// A request exercising query encodings, a form body, STS and retry headers.
fn rich_signed(version: SignatureVersion) -> SignedRequest {
    let query = pairs(&[
        ("PageSize", "10"),
        ("Filters.1.Values.1", "b 1/ü~*+=&"),
        ("Empty", ""),
    ]);
    let form = pairs(&[("PolicyId", "po-1"), ("MaxResults", "5"), ("Name", "a b")]);
    let key = SigningKey {
        security_token: Some("sts+token/=="),
        provider_name: "static_sts",
        ..key()
    };
    sign(
        version,
        &key,
        &RequestToSign {
            host: "127.0.0.1:8080",
            action: "DescribePoliciesV2",
            version: "2017-09-08",
            user_agent: "ua/1",
            query: &query,
            form: Some(&form),
            timestamp: "2024-01-01T00:00:00Z",
            nonce: "0123456789abcdef0123456789abcdef",
            retry: Some(RetryInfo {
                attempts: 1,
                delay_ms: 100,
            }),
        },
    )
}

/// Replacements that can never be an equivalent encoding of the byte they replace.
fn replacements(b: u8) -> [u8; 2] {
    [
        if b == b'Z' { b'Y' } else { b'Z' },
        if b == b'0' { b'1' } else { b'0' },
    ]
}

fn tamper_string(s: &str, i: usize, r: u8) -> String {
    let mut bytes = s.as_bytes().to_vec();
    bytes[i] = r;
    String::from_utf8(bytes).unwrap()
}

fn assert_tampering_fails(version: SignatureVersion) {
    let signed = rich_signed(version);
    let headers = owned_headers(&signed);
    verify_parts(&signed.query, &headers, &signed.body).unwrap();
    let mut checked = 0;

    // Every byte of the query (all ASCII on the wire).
    assert!(signed.query.is_ascii());
    for i in 0..signed.query.len() {
        for r in replacements(signed.query.as_bytes()[i]) {
            let q = tamper_string(&signed.query, i, r);
            assert!(
                verify_parts(&q, &headers, &signed.body).is_err(),
                "{version}: query byte {i} -> {:?} accepted: {q}",
                r as char
            );
            checked += 1;
        }
    }
    // Every byte of the body.
    for i in 0..signed.body.len() {
        for r in replacements(signed.body[i]) {
            let mut body = signed.body.clone();
            body[i] = r;
            assert!(
                verify_parts(&signed.query, &headers, &body).is_err(),
                "{version}: body byte {i} accepted"
            );
            checked += 1;
        }
    }
    // Every byte of every signed header (v3, SM3) and of the authorization header.
    if version.acs3().is_some() {
        let auth = signed.header("authorization").unwrap();
        let signed_names: Vec<&str> = auth
            .split("SignedHeaders=")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .split(';')
            .collect();
        assert!(signed_names.contains(&"x-acs-security-token"));
        assert!(signed_names.contains(&"x-acs-retry-attempts"));
        assert!(signed_names.contains(&"content-type"));
        for (hi, (hname, hvalue)) in headers.iter().enumerate() {
            if !signed_names.contains(&hname.as_str()) && hname != "authorization" {
                continue;
            }
            for i in 0..hvalue.len() {
                for r in replacements(hvalue.as_bytes()[i]) {
                    let mut h = headers.clone();
                    h[hi].1 = tamper_string(hvalue, i, r);
                    assert!(
                        verify_parts(&signed.query, &h, &signed.body).is_err(),
                        "{version}: header {hname} byte {i} accepted: {}",
                        h[hi].1
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 200, "{checked}");
}

#[test]
fn tampering_fails_v3() {
    assert_tampering_fails(SignatureVersion::V3);
}

#[test]
fn tampering_fails_sm3() {
    assert_tampering_fails(SignatureVersion::V3Sm3);
}

#[test]
fn tampering_fails_v1() {
    assert_tampering_fails(SignatureVersion::V1);
}

#[test]
fn wrong_secret_and_unknown_key() {
    for version in SignatureVersion::ALL {
        let signed = rich_signed(version);
        let headers = owned_headers(&signed);
        let incoming = IncomingRequest {
            method: "POST",
            path: "/",
            raw_query: &signed.query,
            headers: &headers,
            body: &signed.body,
        };
        let err = verify(&incoming, &|_| Some("wrongSecret".to_owned())).unwrap_err();
        match err {
            VerifyError::SignatureMismatch {
                string_to_sign,
                canonical,
            } => {
                assert!(!string_to_sign.is_empty() && !canonical.is_empty());
            }
            other => panic!("{version}: {other:?}"),
        }
        let err = verify(&incoming, &|_| None).unwrap_err();
        assert_eq!(
            err,
            VerifyError::UnknownAccessKey {
                access_key_id: AK.to_owned()
            },
            "{version}"
        );
        // A wrong method also fails (v3 and SM3 sign it; v1 signs POST).
        let other_method = IncomingRequest {
            method: "GET",
            ..incoming
        };
        if version.acs3().is_some() {
            assert!(verify(&other_method, &secrets).is_err());
        }
    }
}

fn is_incomplete(r: Result<VerifiedRequest, VerifyError>) -> bool {
    matches!(r, Err(VerifyError::Incomplete { .. }))
}

#[test]
fn missing_pieces_are_incomplete() {
    // Nothing at all.
    assert!(is_incomplete(verify_parts("", &[], b"")));
    assert!(is_incomplete(verify_parts(
        "PageSize=10",
        &pairs(&[("host", "h")]),
        b""
    )));

    // v3: each required header, and each part of the Authorization header.
    let signed = rich_signed(SignatureVersion::V3);
    let headers = owned_headers(&signed);
    for drop in [
        "authorization",
        "host",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "user-agent",
    ] {
        let h: Vec<_> = headers.iter().filter(|(n, _)| n != drop).cloned().collect();
        assert!(
            is_incomplete(verify_parts(&signed.query, &h, &signed.body)),
            "without {drop}"
        );
    }
    let auth = signed.header("authorization").unwrap();
    for part in ["Credential=", "SignedHeaders=", "Signature="] {
        let pieces: Vec<&str> = auth["ACS3-HMAC-SHA256 ".len()..]
            .split(',')
            .filter(|p| !p.starts_with(part))
            .collect();
        let a = format!("ACS3-HMAC-SHA256 {}", pieces.join(","));
        let mut h = headers.clone();
        h.iter_mut().find(|(n, _)| n == "authorization").unwrap().1 = a;
        assert!(
            is_incomplete(verify_parts(&signed.query, &h, &signed.body)),
            "without {part}"
        );
    }
    // A signed-header list without a required header.
    let a = auth.replace("x-acs-signature-nonce;", "");
    let mut h = headers.clone();
    h.iter_mut().find(|(n, _)| n == "authorization").unwrap().1 = a;
    assert!(is_incomplete(verify_parts(&signed.query, &h, &signed.body)));

    // v1: each required parameter.
    let signed = rich_signed(SignatureVersion::V1);
    let headers = owned_headers(&signed);
    for drop in [
        "AccessKeyId",
        "Timestamp",
        "SignatureNonce",
        "SignatureMethod",
        "SignatureVersion",
    ] {
        let q: Vec<&str> = signed
            .query
            .split('&')
            .filter(|seg| !seg.starts_with(&format!("{drop}=")))
            .collect();
        assert!(
            is_incomplete(verify_parts(&q.join("&"), &headers, &signed.body)),
            "without {drop}"
        );
    }
}

#[test]
fn malformed_inputs_never_panic() {
    let signed = rich_signed(SignatureVersion::V3);
    let headers = owned_headers(&signed);
    let signed1 = rich_signed(SignatureVersion::V1);
    let headers1 = owned_headers(&signed1);

    let bad_queries = [
        "%",
        "%4",
        "%zz=1",
        "a=%FF",
        "=&=&&",
        "Signature",
        "Signature=%",
        "Signature=!!&AccessKeyId=",
    ];
    for q in bad_queries {
        let _ = verify_parts(q, &headers, &signed.body);
        let _ = verify_parts(q, &headers1, &signed1.body);
        let _ = verify_parts(q, &[], b"");
    }
    // Invalid UTF-8 and bad escapes in the body.
    for body in [&b"\xff\xfe"[..], b"a=%F", b"a=%C3", b"\0"] {
        let _ = verify_parts(&signed.query, &headers, body);
        assert!(verify_parts(&signed1.query, &headers1, body).is_err());
    }
    // Odd authorization headers.
    for auth in [
        "ACS3-HMAC-SHA256",
        "ACS3-HMAC-SHA256 ",
        "ACS3-HMAC-SHA256 ,,,",
        "ACS3-HMAC-SHA256 Credential",
        "ACS3-HMAC-SHA256 Credential=,SignedHeaders=,Signature=",
        "ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=;;,Signature=zz",
        "ACS3-HMAC-SHA256 Credential=testAccessKeyId,Credential=x,SignedHeaders=host,Signature=00",
        "ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=host;x-acs-date;x-acs-signature-nonce;x-acs-content-sha256;nope,Signature=00",
        "ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=HOST;X-ACS-DATE;x-acs-signature-nonce;x-acs-content-sha256,Signature=ü",
        "ACS3-HMAC-SHA256X Credential=a",
        "Bearer abc",
        "",
    ] {
        let mut h = headers.clone();
        h.iter_mut().find(|(n, _)| n == "authorization").unwrap().1 = auth.to_owned();
        assert!(verify_parts(&signed.query, &h, &signed.body).is_err(), "{auth}");
    }
    // Duplicated headers.
    for dup in [
        "authorization",
        "x-acs-date",
        "host",
        "user-agent",
        "x-acs-security-token",
        "content-type",
    ] {
        let mut h = headers.clone();
        let value = h.iter().find(|(n, _)| n == dup).unwrap().1.clone();
        h.push((dup.to_ascii_uppercase(), value));
        assert!(
            verify_parts(&signed.query, &h, &signed.body).is_err(),
            "duplicated {dup}"
        );
    }
    // Header names in any case are accepted.
    let upper: Vec<_> = headers
        .iter()
        .map(|(n, v)| (n.to_ascii_uppercase(), v.clone()))
        .collect();
    verify_parts(&signed.query, &upper, &signed.body).unwrap();

    // Deterministic pseudo-random mutations of the query, headers and body.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for (s, h) in [(&signed, &headers), (&signed1, &headers1)] {
        for _ in 0..2000 {
            let mut q = s.query.clone().into_bytes();
            let mut body = s.body.clone();
            let mut hs = h.clone();
            match next() % 3 {
                0 if !q.is_empty() => {
                    let i = (next() as usize) % q.len();
                    q[i] = (next() & 0x7f) as u8;
                }
                1 if !body.is_empty() => {
                    let i = (next() as usize) % body.len();
                    body[i] = next() as u8;
                }
                _ => {
                    let hi = (next() as usize) % hs.len();
                    let mut v = hs[hi].1.clone().into_bytes();
                    if !v.is_empty() {
                        let i = (next() as usize) % v.len();
                        v[i] = (next() & 0x7f) as u8;
                    }
                    hs[hi].1 = String::from_utf8_lossy(&v).into_owned();
                }
            }
            let q = String::from_utf8_lossy(&q).into_owned();
            let _ = verify_parts(&q, &hs, &body);
        }
    }
}

#[test]
fn unsigned_reported_headers_are_refused() {
    let params = doc_example_params();
    let signed = sign(SignatureVersion::V3, &key(), &doc_example_request(&params));
    let mut headers = owned_headers(&signed);
    headers.push(("x-acs-security-token".to_owned(), "smuggled".to_owned()));
    assert!(matches!(
        verify_parts(&signed.query, &headers, &[]),
        Err(VerifyError::Malformed { .. })
    ));
    // Unsigned extra headers that are not reported are fine.
    let mut headers = owned_headers(&signed);
    headers.push(("accept-encoding".to_owned(), "gzip".to_owned()));
    headers.push(("content-length".to_owned(), "0".to_owned()));
    verify_parts(&signed.query, &headers, &[]).unwrap();
}
