//! What the signing tests share: the vectors' key pair and a verifier over the parts of a
//! signed request.
#![allow(dead_code, unused_imports)]

use hbr_runtime::signing::{
    decode, encode, format_timestamp, new_nonce, parse_timestamp, sign, sign_with_parts, v1, v3,
    verify, IncomingRequest, RequestToSign, RetryInfo, SignatureVersion, SignedRequest, SigningKey,
    VerifiedRequest, VerifyError,
};
use serde_json::Value;

pub const AK: &str = "testAccessKeyId";
pub const SECRET: &str = "testAccessKeySecret";
pub const PY_UA: &str = "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2";
pub const EMPTY_SHA: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

pub fn key() -> SigningKey<'static> {
    SigningKey {
        access_key_id: AK,
        access_key_secret: SECRET,
        security_token: None,
        provider_name: "static_ak",
    }
}

pub fn secrets(ak: &str) -> Option<String> {
    (ak == AK).then(|| SECRET.to_owned())
}

pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub fn owned_headers(signed: &SignedRequest) -> Vec<(String, String)> {
    signed
        .headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), v.clone()))
        .collect()
}

pub fn verify_signed(signed: &SignedRequest) -> Result<VerifiedRequest, VerifyError> {
    verify_parts(&signed.query, &owned_headers(signed), &signed.body)
}

pub fn verify_parts(
    query: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<VerifiedRequest, VerifyError> {
    verify(
        &IncomingRequest {
            method: "POST",
            path: "/",
            raw_query: query,
            headers,
            body,
        },
        &secrets,
    )
}

pub fn doc_example_params() -> Vec<(String, String)> {
    pairs(&[
        ("PageNumber", "1"),
        ("PageSize", "10"),
        ("Filters.1.Key", "VaultId"),
        ("Filters.1.Values.1", "v-1"),
    ])
}

pub fn doc_example_request(query: &[(String, String)]) -> RequestToSign<'_> {
    RequestToSign {
        host: "hbr.cn-hangzhou.aliyuncs.com",
        action: "DescribeRestoreJobs2",
        version: "2017-09-08",
        user_agent: PY_UA,
        query,
        form: None,
        timestamp: "2024-01-01T00:00:00Z",
        nonce: "0123456789abcdef0123456789abcdef",
        retry: None,
    }
}
