//! Signing and verification against the recorded wire vectors, the worked examples of
//! ALIBABA-PROTOCOL.md §1/§2, STS, retries, form bodies and the small pieces. Tampering has
//! a file of its own (signing_tamper.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod signing_support;

use hbr_runtime::signing::{
    decode, encode, format_timestamp, new_nonce, parse_timestamp, sign, sign_with_parts, v1, v3,
    verify, IncomingRequest, RequestToSign, RetryInfo, SignatureVersion, SigningKey, VerifyError,
};
use serde_json::Value;

use signing_support::*;

// ----------------------------------------------------------------------------------------
// Recorded vectors

/// The official Python SDK's recorded DescribeRestoreJobs2 requests, committed in the
/// repository's `tests/vectors/wire-vectors.json`.
fn load_vectors() -> Value {
    serde_json::from_str(include_str!("../../tests/vectors/wire-vectors.json"))
        .unwrap_or_else(|e| panic!("tests/vectors/wire-vectors.json is not JSON: {e}"))
}

fn s<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("vector lacks string {ptr}"))
}

#[test]
fn all_recorded_vectors_sign_and_verify() {
    let doc = load_vectors();
    assert_eq!(s(&doc, "/access_key_id"), AK);
    assert_eq!(s(&doc, "/access_key_secret"), SECRET);
    let vectors = doc["vectors"].as_array().expect("vectors array");
    assert_eq!(vectors.len(), 16, "expected 16 vectors");
    let (mut n3, mut n1) = (0, 0);
    for vector in vectors {
        let name = format!("{} ({})", s(vector, "/name"), s(vector, "/signature"));
        let version: SignatureVersion = s(vector, "/signature").parse().unwrap();
        let wire = &vector["wire"];
        let raw_query = s(wire, "/raw_query");
        let headers_obj = wire["headers"].as_object().unwrap();
        let header = |n: &str| headers_obj.get(n).and_then(Value::as_str);

        // Business parameters in raw_query order, values from the decoded map.
        let decoded = wire["query"].as_object().unwrap();
        let business: Vec<(String, String)> = raw_query
            .split('&')
            .filter(|seg| !seg.is_empty())
            .map(|seg| seg.split('=').next().unwrap())
            .filter(|k| !v1::COMMON_PARAMETERS.contains(k))
            .map(|k| (k.to_owned(), decoded[k].as_str().unwrap().to_owned()))
            .collect();
        let (timestamp, nonce) = match version {
            SignatureVersion::V3 | SignatureVersion::V3Sm3 => (
                header("x-acs-date").unwrap(),
                header("x-acs-signature-nonce").unwrap(),
            ),
            SignatureVersion::V1 => (
                decoded["Timestamp"].as_str().unwrap(),
                decoded["SignatureNonce"].as_str().unwrap(),
            ),
        };
        let key = SigningKey {
            provider_name: header("x-acs-credentials-provider").unwrap(),
            ..key()
        };
        let req = RequestToSign {
            host: header("host").unwrap(),
            action: header("x-acs-action").unwrap(),
            version: header("x-acs-version").unwrap(),
            user_agent: header("user-agent").unwrap(),
            query: &business,
            form: None,
            timestamp,
            nonce,
            retry: None,
        };
        let signed = sign(version, &key, &req);
        assert_eq!(signed.query, raw_query, "{name}: raw query");
        assert_eq!(signed.body, s(wire, "/body").as_bytes(), "{name}: body");
        for (hname, hvalue) in headers_obj {
            if hname == "accept-encoding" || hname == "content-length" {
                continue;
            }
            assert_eq!(
                signed.header(hname),
                hvalue.as_str(),
                "{name}: header {hname}"
            );
        }
        for (hname, _) in &signed.headers {
            assert!(
                headers_obj.contains_key(*hname),
                "{name}: extra header {hname}"
            );
        }

        // The recorded request verifies as-is.
        let recorded_headers: Vec<(String, String)> = headers_obj
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let verified = verify(
            &IncomingRequest {
                method: s(wire, "/method"),
                path: s(wire, "/path"),
                raw_query,
                headers: &recorded_headers,
                body: s(wire, "/body").as_bytes(),
            },
            &secrets,
        )
        .unwrap_or_else(|e| panic!("{name}: recorded request does not verify: {e}"));
        assert_eq!(verified.signature_version, version, "{name}");
        assert_eq!(verified.access_key_id, AK, "{name}");
        assert_eq!(
            verified.action.as_deref(),
            Some("DescribeRestoreJobs2"),
            "{name}"
        );
        assert_eq!(verified.version.as_deref(), Some("2017-09-08"), "{name}");
        assert_eq!(verified.timestamp, timestamp, "{name}");
        assert_eq!(verified.nonce, nonce, "{name}");
        assert_eq!(verified.security_token, None, "{name}");
        assert_eq!(verified.params, business, "{name}");
        match version {
            SignatureVersion::V3 => n3 += 1,
            SignatureVersion::V1 => n1 += 1,
            SignatureVersion::V3Sm3 => panic!("{name}: this file records no SM3 request"),
        }
    }
    assert_eq!((n3, n1), (8, 8));
}

/// The "all" vector's business parameters (both versions), held inline.
fn all_vector_params() -> Vec<(String, String)> {
    pairs(&[
        ("Edition", "STANDARD"),
        ("Filters.1.Key", "VaultId"),
        ("Filters.1.Operator", "EQUAL"),
        ("Filters.1.Values.1", "v-1"),
        ("Filters.2.Key", "Bucket"),
        ("Filters.2.Operator", "IN"),
        ("Filters.2.Values.1", "b 1"),
        ("Filters.2.Values.2", "b/2"),
        ("Filters.2.Values.3", "ü~*"),
        ("Filters.3.Key", "CompleteTime"),
        ("Filters.3.Operator", "GREATER_THAN_OR_EQUAL"),
        ("Filters.3.Values.1", "1700000000"),
        ("PageNumber", "1"),
        ("PageSize", "10"),
        ("RestoreType", "OSS"),
    ])
}

const ALL_WIRE_PARAMS: &str = "Edition=STANDARD&Filters.1.Key=VaultId&Filters.1.Operator=EQUAL&Filters.1.Values.1=v-1&Filters.2.Key=Bucket&Filters.2.Operator=IN&Filters.2.Values.1=b+1&Filters.2.Values.2=b%2F2&Filters.2.Values.3=%C3%BC~%2A&Filters.3.Key=CompleteTime&Filters.3.Operator=GREATER_THAN_OR_EQUAL&Filters.3.Values.1=1700000000&PageNumber=1&PageSize=10&RestoreType=OSS";

#[test]
fn inline_vector_all_v3() {
    let params = all_vector_params();
    let req = RequestToSign {
        host: "127.0.0.1:46191",
        action: "DescribeRestoreJobs2",
        version: "2017-09-08",
        user_agent: PY_UA,
        query: &params,
        form: None,
        timestamp: "2026-11-28T08:58:47Z",
        nonce: "e5ccfb3a2800adff830d5aec3afb518a",
        retry: None,
    };
    let signed = sign(SignatureVersion::V3, &key(), &req);
    assert_eq!(signed.query, ALL_WIRE_PARAMS);
    assert_eq!(
        signed.header("authorization"),
        Some("ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=b849bdf06ca941d1a594915279bcc503c547f681f542f4217a2d6249f8fed121")
    );
    assert_eq!(signed.header("x-acs-content-sha256"), Some(EMPTY_SHA));
    assert_eq!(signed.header("content-type"), None);
    assert!(signed.body.is_empty());
    let verified = verify_signed(&signed).unwrap();
    assert_eq!(verified.params, params);
}

#[test]
fn inline_vector_all_v1() {
    let params = all_vector_params();
    let req = RequestToSign {
        host: "127.0.0.1:46191",
        action: "DescribeRestoreJobs2",
        version: "2017-09-08",
        user_agent: PY_UA,
        query: &params,
        form: None,
        timestamp: "2026-11-28T08:58:47Z",
        nonce: "cdb117e4a7c3ef4fc8669446de4b0149",
        retry: None,
    };
    let signed = sign(SignatureVersion::V1, &key(), &req);
    let expected = format!(
        "Action=DescribeRestoreJobs2&Format=json&Version=2017-09-08&Timestamp=2026-11-28T08%3A58%3A47Z&SignatureNonce=cdb117e4a7c3ef4fc8669446de4b0149&{ALL_WIRE_PARAMS}&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=testAccessKeyId&Signature=oBr%2BbTJQVUONQ6LM%2FHk6zXO2TQY%3D"
    );
    assert_eq!(signed.query, expected);
    let names: Vec<&str> = signed.headers.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "host",
            "x-acs-version",
            "x-acs-action",
            "user-agent",
            "x-acs-credentials-provider"
        ]
    );
    let verified = verify_signed(&signed).unwrap();
    assert_eq!(verified.params, params);
    assert_eq!(verified.signature_version, SignatureVersion::V1);
}

// ----------------------------------------------------------------------------------------
// Worked examples of ALIBABA-PROTOCOL.md

#[test]
fn worked_example_v3() {
    let params = doc_example_params();
    let (signed, parts) =
        sign_with_parts(SignatureVersion::V3, &key(), &doc_example_request(&params));
    let canonical = "POST
/
Filters.1.Key=VaultId&Filters.1.Values.1=v-1&PageNumber=1&PageSize=10
accept:application/json
host:hbr.cn-hangzhou.aliyuncs.com
user-agent:AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2
x-acs-action:DescribeRestoreJobs2
x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-credentials-provider:static_ak
x-acs-date:2024-01-01T00:00:00Z
x-acs-signature-nonce:0123456789abcdef0123456789abcdef
x-acs-version:2017-09-08

accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    assert_eq!(parts.canonical, canonical);
    let sts = "ACS3-HMAC-SHA256\n42137e8fd71d4c3bbae2b0d41116ffc14ec279fa417e3e91f801d467ac591577";
    assert_eq!(parts.string_to_sign, sts);
    let sig = "e974100276eec282c9d4e815ea05ad5f060c27d397ea5711213675754351e801";
    assert_eq!(parts.signature, sig);
    assert_eq!(
        signed.query,
        "PageNumber=1&PageSize=10&Filters.1.Key=VaultId&Filters.1.Values.1=v-1"
    );
    // The public building blocks agree.
    assert_eq!(v3::string_to_sign(canonical), sts);
    assert_eq!(v3::signature(SECRET, sts), sig);
    assert_eq!(
        v3::canonical_query(&params),
        "Filters.1.Key=VaultId&Filters.1.Values.1=v-1&PageNumber=1&PageSize=10"
    );
    assert!(signed
        .header("authorization")
        .unwrap()
        .ends_with(&format!(",Signature={sig}")));
    // A query in the doc's wire order (sorted) verifies the same signature.
    let mut headers = owned_headers(&signed);
    let wire = "Filters.1.Key=VaultId&Filters.1.Values.1=v-1&PageNumber=1&PageSize=10";
    verify_parts(wire, &headers, &[]).unwrap();
    headers.retain(|(n, _)| n != "x-acs-credentials-provider");
    assert!(matches!(
        verify_parts(wire, &headers, &[]),
        Err(VerifyError::Incomplete { .. })
    ));
}

#[test]
fn worked_example_v1() {
    let params = doc_example_params();
    let (signed, parts) =
        sign_with_parts(SignatureVersion::V1, &key(), &doc_example_request(&params));
    let canonical = "AccessKeyId=testAccessKeyId&Action=DescribeRestoreJobs2&Filters.1.Key=VaultId&Filters.1.Values.1=v-1&Format=json&PageNumber=1&PageSize=10&SignatureMethod=HMAC-SHA1&SignatureNonce=0123456789abcdef0123456789abcdef&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2017-09-08";
    assert_eq!(parts.canonical, canonical);
    let sts = "POST&%2F&AccessKeyId%3DtestAccessKeyId%26Action%3DDescribeRestoreJobs2%26Filters.1.Key%3DVaultId%26Filters.1.Values.1%3Dv-1%26Format%3Djson%26PageNumber%3D1%26PageSize%3D10%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0123456789abcdef0123456789abcdef%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2017-09-08";
    assert_eq!(parts.string_to_sign, sts);
    assert_eq!(parts.signature, "iUtKd73uLAc0DwK9RVRe4VAkCWs=");
    assert!(signed
        .query
        .ends_with("&Signature=iUtKd73uLAc0DwK9RVRe4VAkCWs%3D"));
    assert_eq!(v1::string_to_sign(canonical), sts);
    assert_eq!(v1::signature(SECRET, sts), "iUtKd73uLAc0DwK9RVRe4VAkCWs=");
    verify_signed(&signed).unwrap();
}

// ----------------------------------------------------------------------------------------
// STS, retries, form bodies

#[test]
fn sts_v3() {
    let params = doc_example_params();
    let key = SigningKey {
        security_token: Some("CAIS token/+="),
        provider_name: "static_sts",
        ..key()
    };
    let signed = sign(SignatureVersion::V3, &key, &doc_example_request(&params));
    assert_eq!(signed.header("x-acs-accesskey-id"), Some(AK));
    assert_eq!(signed.header("x-acs-security-token"), Some("CAIS token/+="));
    assert_eq!(
        signed.header("x-acs-credentials-provider"),
        Some("static_sts")
    );
    let auth = signed.header("authorization").unwrap();
    assert!(auth.contains("SignedHeaders=accept;host;user-agent;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,"), "{auth}");
    assert!(!signed.query.contains("SecurityToken"));
    let verified = verify_signed(&signed).unwrap();
    assert_eq!(verified.security_token.as_deref(), Some("CAIS token/+="));
    assert_eq!(verified.params, params);

    // x-acs-accesskey-id must agree with the credential.
    let mut headers = owned_headers(&signed);
    headers
        .iter_mut()
        .find(|(n, _)| n == "x-acs-accesskey-id")
        .unwrap()
        .1 = "other".into();
    assert!(verify_parts(&signed.query, &headers, &[]).is_err());
}

#[test]
fn sts_v1() {
    let params = doc_example_params();
    let key = SigningKey {
        security_token: Some("CAIS token/+="),
        provider_name: "static_sts",
        ..key()
    };
    let (signed, parts) =
        sign_with_parts(SignatureVersion::V1, &key, &doc_example_request(&params));
    assert!(
        signed.query.contains(
            "&Filters.1.Values.1=v-1&SecurityToken=CAIS+token%2F%2B%3D&SignatureMethod=HMAC-SHA1&"
        ),
        "{}",
        signed.query
    );
    assert!(parts
        .canonical
        .contains("&SecurityToken=CAIS%20token%2F%2B%3D&"));
    assert_eq!(signed.header("x-acs-security-token"), None);
    assert_eq!(signed.header("x-acs-accesskey-id"), None);
    let verified = verify_signed(&signed).unwrap();
    assert_eq!(verified.security_token.as_deref(), Some("CAIS token/+="));
    assert_eq!(verified.params, params);
}

#[test]
fn retry_headers_are_signed_under_v3_only() {
    let params = doc_example_params();
    let mut req = doc_example_request(&params);
    req.retry = Some(RetryInfo {
        attempts: 2,
        delay_ms: 250,
    });
    let signed = sign(SignatureVersion::V3, &key(), &req);
    assert_eq!(signed.header("x-acs-retry-attempts"), Some("2"));
    assert_eq!(signed.header("x-acs-retry-delay"), Some("250"));
    assert!(signed
        .header("authorization")
        .unwrap()
        .contains(";x-acs-date;x-acs-retry-attempts;x-acs-retry-delay;x-acs-signature-nonce;"));
    verify_signed(&signed).unwrap();
    let signed = sign(SignatureVersion::V1, &key(), &req);
    assert_eq!(signed.header("x-acs-retry-attempts"), None);
    verify_signed(&signed).unwrap();
}

#[test]
fn form_body_v3() {
    let form = pairs(&[("PolicyId", "po-1"), ("MaxResults", "5")]);
    let mut req = doc_example_request(&[]);
    req.action = "DescribePoliciesV2";
    req.form = Some(&form);
    let (signed, parts) = sign_with_parts(SignatureVersion::V3, &key(), &req);
    assert_eq!(signed.body, b"MaxResults=5&PolicyId=po-1");
    assert_eq!(signed.query, "");
    let hash = "f30c43f9401c303672f22c49b268cb8cf1eb451ace135fca72f91b3c904ca3eb";
    assert_eq!(signed.header("x-acs-content-sha256"), Some(hash));
    assert_eq!(
        signed.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(parts.canonical.ends_with(&format!("\n{hash}")));
    assert!(parts
        .canonical
        .contains("\ncontent-type:application/x-www-form-urlencoded\n"));
    assert!(
        parts.canonical.starts_with("POST\n/\n\n"),
        "empty canonical query line"
    );
    let verified = verify_signed(&signed).unwrap();
    assert_eq!(
        verified.params,
        pairs(&[("MaxResults", "5"), ("PolicyId", "po-1")])
    );
    assert_eq!(verified.query_count, 0, "both came in the body");
    assert_eq!(verified.action.as_deref(), Some("DescribePoliciesV2"));
    // A body of another type is refused.
    let mut headers = owned_headers(&signed);
    headers
        .iter_mut()
        .find(|(n, _)| n == "content-type")
        .unwrap()
        .1 = "application/json".into();
    assert!(verify_parts(&signed.query, &headers, &signed.body).is_err());
}

#[test]
fn form_body_v1() {
    let form = pairs(&[("PolicyId", "po-1"), ("MaxResults", "5")]);
    let query = pairs(&[("PageSize", "10")]);
    let mut req = doc_example_request(&query);
    req.form = Some(&form);
    let (signed, parts) = sign_with_parts(SignatureVersion::V1, &key(), &req);
    assert_eq!(signed.body, b"MaxResults=5&PolicyId=po-1");
    assert_eq!(
        signed.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(!signed.query.contains("PolicyId"));
    assert!(
        parts
            .canonical
            .contains("&MaxResults=5&PageSize=10&PolicyId=po-1&"),
        "{}",
        parts.canonical
    );
    let verified = verify_signed(&signed).unwrap();
    assert_eq!(
        verified.params,
        pairs(&[
            ("PageSize", "10"),
            ("MaxResults", "5"),
            ("PolicyId", "po-1")
        ])
    );
    // The protocol's own query parameters are not counted: PageSize alone came in the query.
    assert_eq!(verified.query_count, 1);
    // The form parameters are signed: dropping the body fails.
    assert!(verify_parts(&signed.query, &owned_headers(&signed), b"").is_err());
}

#[test]
fn empty_form_map_still_sends_content_type() {
    let mut req = doc_example_request(&[]);
    req.action = "DescribeVaults";
    req.form = Some(&[]);
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let signed = sign(version, &key(), &req);
        assert_eq!(
            signed.header("content-type"),
            Some("application/x-www-form-urlencoded"),
            "{version}"
        );
        assert!(signed.body.is_empty());
        if version == SignatureVersion::V3 {
            assert_eq!(signed.header("x-acs-content-sha256"), Some(EMPTY_SHA));
            assert!(signed
                .header("authorization")
                .unwrap()
                .contains("SignedHeaders=accept;content-type;host;"));
        }
        verify_signed(&signed).unwrap();
    }
    // Without a form map there is no content-type.
    req.form = None;
    assert_eq!(
        sign(SignatureVersion::V3, &key(), &req).header("content-type"),
        None
    );
}

// ----------------------------------------------------------------------------------------
// Small pieces

#[test]
fn signing_key_debug_hides_secrets() {
    let key = SigningKey {
        access_key_id: "LTAIvisible",
        access_key_secret: "s3cr3t-value",
        security_token: Some("t0k3n-value"),
        provider_name: "static_sts",
    };
    let shown = format!("{key:?} {key:#?}");
    assert!(shown.contains("LTAIvisible"));
    assert!(!shown.contains("s3cr3t-value"), "{shown}");
    assert!(!shown.contains("t0k3n-value"), "{shown}");
}

#[test]
fn signature_version_text() {
    assert_eq!(SignatureVersion::default(), SignatureVersion::V3);
    assert_eq!(
        "v3".parse::<SignatureVersion>().unwrap(),
        SignatureVersion::V3
    );
    assert_eq!(
        "V1".parse::<SignatureVersion>().unwrap(),
        SignatureVersion::V1
    );
    assert!("v2".parse::<SignatureVersion>().is_err());
    assert!("".parse::<SignatureVersion>().is_err());
    assert_eq!(SignatureVersion::V3.to_string(), "v3");
    assert_eq!(SignatureVersion::V1.to_string(), "v1");
}

#[test]
fn timestamps_and_nonces() {
    let t = parse_timestamp("2026-11-28T08:58:47Z").unwrap();
    assert_eq!(format_timestamp(t), "2026-11-28T08:58:47Z");
    let now = time::OffsetDateTime::now_utc();
    let text = format_timestamp(now);
    assert_eq!(text.len(), 20);
    assert_eq!(
        parse_timestamp(&text).unwrap().unix_timestamp(),
        now.unix_timestamp()
    );
    for bad in [
        "",
        "2024-01-01T00:00:00",
        "2024-01-01T00:00:00.5Z",
        "2024-13-01T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01 00:00:00Z",
        "+024-01-01T00:00:00Z",
        "２０２４-01-01T00:00Z",
    ] {
        assert!(
            matches!(parse_timestamp(bad), Err(VerifyError::Malformed { .. })),
            "{bad}"
        );
    }
    let a = new_nonce();
    let b = new_nonce();
    assert_ne!(a, b);
    for n in [a, b] {
        assert_eq!(n.len(), 32);
        assert!(n.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
    }
}

#[test]
fn encodings() {
    let mut out = String::new();
    encode::form_urlencode_into(&mut out, "a b*~/+=:ü");
    assert_eq!(out, "a+b%2A~%2F%2B%3D%3A%C3%BC");
    assert_eq!(
        encode::rfc3986_encode("a b*~/+=:ü"),
        "a%20b%2A~%2F%2B%3D%3A%C3%BC"
    );
    assert_eq!(decode::form_decode(b"a+b%2A~%2f").unwrap(), "a b*~/");
    assert!(decode::form_decode(b"%").is_err());
}
