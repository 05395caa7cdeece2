//! The legacy RPC signature, HMAC-SHA1 with `SignatureVersion=1.0` (ALIBABA-PROTOCOL.md §2).
//!
//! ```text
//! CanonicalizedQuery = every parameter but Signature (query and form body), sorted by key,
//!                      key and value RFC 3986 encoded, k=v joined with &
//! StringToSign       = METHOD&%2F& + encode(CanonicalizedQuery)   (the SDK always POSTs)
//! Signature          = base64(hmac_sha1(secret + "&", StringToSign))
//! ```

use base64::Engine as _;

use super::encode::{form_pairs_into, form_urlencode_into, rfc3986_encode_into};
use super::{
    form_body, hmac_sha1, RequestToSign, SignedRequest, SigningKey, SigningParts, FORM_CONTENT_TYPE,
};

/// The value of `SignatureMethod`.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";

/// The value of `SignatureVersion`.
pub const SIGNATURE_VERSION: &str = "1.0";

/// The parameters the protocol itself adds; everything else is a business parameter.
pub const COMMON_PARAMETERS: [&str; 10] = [
    "Action",
    "Format",
    "Version",
    "Timestamp",
    "SignatureNonce",
    "SecurityToken",
    "SignatureMethod",
    "SignatureVersion",
    "AccessKeyId",
    "Signature",
];

/// Sorts the parameters by key (stably) and keeps the last value of a repeated key, as
/// merging them into a map does in the SDK.
fn sorted_unique<'a>(mut params: Vec<(&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
    params.sort_by(|a, b| a.0.cmp(b.0));
    let mut out: Vec<(&str, &str)> = Vec::with_capacity(params.len());
    for p in params {
        match out.last_mut() {
            Some(last) if last.0 == p.0 => *last = p,
            _ => out.push(p),
        }
    }
    out
}

fn canonicalized_into(out: &mut String, sorted: &[(&str, &str)]) {
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        rfc3986_encode_into(out, k);
        out.push('=');
        rfc3986_encode_into(out, v);
    }
}

/// The canonicalized query of every signed parameter (query parameters other than
/// `Signature`, plus the form-body parameters): sorted by key, a repeated key keeping its
/// last value, keys and values RFC 3986 encoded.
///
/// ```
/// let q = hbr_runtime::signing::v1::canonicalized_query(&[("B", "x y"), ("A", "1:2")]);
/// assert_eq!(q, "A=1%3A2&B=x%20y");
/// ```
pub fn canonicalized_query(params: &[(&str, &str)]) -> String {
    let sorted = sorted_unique(params.to_vec());
    let mut out = String::with_capacity(
        sorted
            .iter()
            .map(|(k, v)| k.len() + v.len() * 3 / 2 + 2)
            .sum(),
    );
    canonicalized_into(&mut out, &sorted);
    out
}

/// The string to sign of a `POST` request: `POST&%2F&` + the canonicalized query encoded
/// once more. The same as [`string_to_sign_for_method`] with `"POST"`, the method the SDK
/// always uses.
///
/// ```
/// assert_eq!(hbr_runtime::signing::v1::string_to_sign("A=1%3A2"), "POST&%2F&A%3D1%253A2");
/// ```
pub fn string_to_sign(canonicalized_query: &str) -> String {
    string_to_sign_for_method("POST", canonicalized_query)
}

/// The string to sign of a request sent with `method` (e.g. `GET`): `METHOD&%2F&` + the
/// canonicalized query encoded once more. The method is used as given (HTTP methods are
/// case-sensitive).
///
/// ```
/// use hbr_runtime::signing::v1::string_to_sign_for_method;
/// assert_eq!(string_to_sign_for_method("GET", "A=1%3A2"), "GET&%2F&A%3D1%253A2");
/// ```
pub fn string_to_sign_for_method(method: &str, canonicalized_query: &str) -> String {
    let mut out = String::with_capacity(method.len() + 5 + canonicalized_query.len() * 3 / 2);
    out.push_str(method);
    out.push_str("&%2F&");
    rfc3986_encode_into(&mut out, canonicalized_query);
    out
}

/// The signature: Base64 of HMAC-SHA1 keyed with `secret + "&"` (before URL encoding).
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(signature_bytes(access_key_secret, string_to_sign))
}

/// The raw signature bytes (for constant-time comparison in the verifier).
pub(crate) fn signature_bytes(access_key_secret: &str, string_to_sign: &str) -> [u8; 20] {
    let mut key = String::with_capacity(access_key_secret.len() + 1);
    key.push_str(access_key_secret);
    key.push('&');
    hmac_sha1(key.as_bytes(), string_to_sign.as_bytes())
}

/// Signs under v1; see [`super::sign_with_parts`].
pub(crate) fn sign(key: &SigningKey<'_>, req: &RequestToSign<'_>) -> (SignedRequest, SigningParts) {
    sign_with_method("POST", key, req)
}

/// Signs under v1 for a request sent with `method` (e.g. `GET`, with every parameter in the
/// URL query) instead of the SDK's `POST`. [`super::sign`] is this with `"POST"`.
///
/// ```
/// use hbr_runtime::signing::{v1, RequestToSign, SigningKey};
/// let key = SigningKey { access_key_id: "AK", access_key_secret: "S", security_token: None, provider_name: "static_ak" };
/// let req = RequestToSign {
///     host: "h", action: "A", version: "2017-09-08", user_agent: "ua", query: &[], form: None,
///     timestamp: "2024-01-01T00:00:00Z", nonce: "n", retry: None,
/// };
/// let (_, parts) = v1::sign_with_method("GET", &key, &req);
/// assert!(parts.string_to_sign.starts_with("GET&%2F&AccessKeyId%3DAK"));
/// ```
pub fn sign_with_method(
    method: &str,
    key: &SigningKey<'_>,
    req: &RequestToSign<'_>,
) -> (SignedRequest, SigningParts) {
    // Query parameters in wire order.
    let mut params: Vec<(&str, &str)> = Vec::with_capacity(req.query.len() + 11);
    params.push(("Action", req.action));
    params.push(("Format", "json"));
    params.push(("Version", req.version));
    params.push(("Timestamp", req.timestamp));
    params.push(("SignatureNonce", req.nonce));
    params.extend(req.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if let Some(token) = key.security_token {
        params.push(("SecurityToken", token));
    }
    params.push(("SignatureMethod", SIGNATURE_METHOD));
    params.push(("SignatureVersion", SIGNATURE_VERSION));
    params.push(("AccessKeyId", key.access_key_id));

    let estimate: usize = params
        .iter()
        .map(|(k, v)| k.len() + v.len() * 3 / 2 + 2)
        .sum();
    let mut query = String::with_capacity(estimate + 40);
    form_pairs_into(&mut query, params.iter().copied());

    // Signed set: the query plus the form body (a form value wins over a query one).
    let form = req.form.unwrap_or_default();
    let mut signed = params;
    signed.extend(form.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let signed = sorted_unique(signed);
    let mut canonical = String::with_capacity(
        signed
            .iter()
            .map(|(k, v)| k.len() + v.len() * 3 / 2 + 2)
            .sum(),
    );
    canonicalized_into(&mut canonical, &signed);
    let sts = string_to_sign_for_method(method, &canonical);
    let sig = signature(key.access_key_secret, &sts);

    query.push_str("&Signature=");
    form_urlencode_into(&mut query, &sig);

    let mut headers: Vec<(&'static str, String)> = Vec::with_capacity(6);
    headers.push(("host", req.host.to_owned()));
    headers.push(("x-acs-version", req.version.to_owned()));
    headers.push(("x-acs-action", req.action.to_owned()));
    headers.push(("user-agent", req.user_agent.to_owned()));
    if !key.provider_name.is_empty() {
        headers.push(("x-acs-credentials-provider", key.provider_name.to_owned()));
    }
    let body = match req.form {
        Some(form) => {
            headers.push(("content-type", FORM_CONTENT_TYPE.to_owned()));
            form_body(form)
        }
        None => String::new(),
    };

    (
        SignedRequest {
            query,
            headers,
            body: body.into_bytes(),
        },
        SigningParts {
            canonical,
            string_to_sign: sts,
            signature: sig,
        },
    )
}
