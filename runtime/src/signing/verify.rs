//! The server-side verifier of every signature the SDKs send (ACS3-HMAC-SHA256,
//! ACS3-HMAC-SM3, the legacy HMAC-SHA1 RPC signature), for the local emulator.

use base64::Engine as _;

use super::decode::{parse_form, DecodeError};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::v3::Acs3Algorithm;
use super::{v1, v3, SignatureVersion, FORM_CONTENT_TYPE};

/// A request as it arrived at a server.
#[derive(Clone, Copy, Debug)]
pub struct IncomingRequest<'a> {
    /// The HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// The URL path, e.g. `/` (an empty path counts as `/`).
    pub path: &'a str,
    /// The raw URL query, without the leading `?`.
    pub raw_query: &'a str,
    /// Every header as received; names in any case, repeated names allowed.
    pub headers: &'a [(String, String)],
    /// The body bytes.
    pub body: &'a [u8],
}

/// What a successfully verified request says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedRequest {
    /// The signature version the request used.
    pub signature_version: SignatureVersion,
    /// The AccessKey ID that signed it.
    pub access_key_id: String,
    /// The action (`x-acs-action` under v3, `Action` under v1), if sent.
    pub action: Option<String>,
    /// The API version (`x-acs-version` under v3, `Version` under v1), if sent.
    pub version: Option<String>,
    /// The request time as sent (`x-acs-date` or `Timestamp`); see [`super::parse_timestamp`].
    /// The verifier does not judge clock skew.
    pub timestamp: String,
    /// The nonce as sent (`x-acs-signature-nonce` or `SignatureNonce`). The verifier does
    /// not judge reuse.
    pub nonce: String,
    /// The STS security token (`x-acs-security-token` or `SecurityToken`), if sent.
    pub security_token: Option<String>,
    /// The decoded business parameters, query first then form body, in arrival order, with
    /// the protocol's own parameters (v1's `Action`, `Signature`, …, wherever they were sent)
    /// removed.
    pub params: Vec<(String, String)>,
    /// How many of [`Self::params`] came from the URL query: `params[..query_count]` did,
    /// the rest came from the form body (a server checks each parameter's place with it).
    pub query_count: usize,
}

/// Why a request failed verification.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Something the signature needs was not sent.
    #[error("incomplete signature: missing {missing}")]
    Incomplete {
        /// What is missing.
        missing: String,
    },
    /// The AccessKey ID is not known to the server.
    #[error("unknown AccessKey ID {access_key_id:?}")]
    UnknownAccessKey {
        /// The AccessKey ID the request named.
        access_key_id: String,
    },
    /// The signature does not match the server's calculation.
    #[error("signature does not match; server string to sign is: {string_to_sign}")]
    SignatureMismatch {
        /// The string to sign the server computed.
        string_to_sign: String,
        /// The canonical request (v3) or canonicalized query (v1) the server computed.
        canonical: String,
    },
    /// `x-acs-content-sha256` is not the hash (SHA-256, or SM3 under `ACS3-HMAC-SM3`) of the
    /// body received.
    #[error("x-acs-content-sha256 is {declared} but the body received hashes to {actual}")]
    ContentHashMismatch {
        /// The value of the header.
        declared: String,
        /// The hash of the body received.
        actual: String,
    },
    /// The request cannot be read (bad encoding, duplicated or contradictory values, …).
    #[error("malformed request: {reason}")]
    Malformed {
        /// What is wrong.
        reason: String,
    },
}

fn malformed(reason: impl Into<String>) -> VerifyError {
    VerifyError::Malformed {
        reason: reason.into(),
    }
}

fn incomplete(missing: impl Into<String>) -> VerifyError {
    VerifyError::Incomplete {
        missing: missing.into(),
    }
}

fn decode_error(what: &str, e: DecodeError) -> VerifyError {
    malformed(format!("{what}: {e}"))
}

/// Every value of header `name` (ASCII case-insensitive).
fn header_values<'h>(
    headers: &'h [(String, String)],
    name: &'h str,
) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The value of a header that may appear at most once.
fn single_header<'h>(
    headers: &'h [(String, String)],
    name: &'h str,
) -> Result<Option<&'h str>, VerifyError> {
    let mut values = header_values(headers, name);
    let first = values.next();
    if values.next().is_some() {
        return Err(malformed(format!("header {name} is repeated")));
    }
    Ok(first)
}

/// Verifies the signature of an incoming request.
///
/// The version is detected from the request: an `Authorization` header starting with
/// `ACS3-HMAC-SHA256` or `ACS3-HMAC-SM3` means v3 (with that hash), a `Signature` parameter
/// in the URL query or in the form body v1; none of these is [`VerifyError::Incomplete`].
/// `secret_for` maps an AccessKey ID to its secret.
///
/// Under v3 the canonical request is rebuilt from the `SignedHeaders` the client declared,
/// which must include `host`, `x-acs-date`, `x-acs-signature-nonce` and
/// `x-acs-content-sha256`, the last matching the body received. Headers whose values are
/// reported (`x-acs-action`, `x-acs-version`, `x-acs-security-token`, `x-acs-accesskey-id`)
/// must be signed when present. Under v1 the query and form body are merged (a form value
/// wins over a query value of the same name, as the SDKs merge them), whichever of the two
/// carries the protocol's parameters and `Signature` (the Node.js RPC client posts them all
/// in the body), and re-signed with the request's own method (`GET&%2F&…` for a GET).
/// Signatures are compared in constant time. No input makes this panic.
///
/// ```
/// use hbr_runtime::signing::{sign, verify, IncomingRequest, RequestToSign, SignatureVersion, SigningKey};
/// let key = SigningKey { access_key_id: "AK", access_key_secret: "S", security_token: None, provider_name: "static_ak" };
/// let req = RequestToSign {
///     host: "127.0.0.1:8080", action: "DescribeVaults", version: "2017-09-08", user_agent: "ua",
///     query: &[("PageSize".into(), "10".into())], form: None,
///     timestamp: "2024-01-01T00:00:00Z", nonce: "abc", retry: None,
/// };
/// let signed = sign(SignatureVersion::V3Sm3, &key, &req);
/// let headers: Vec<(String, String)> = signed.headers.iter().map(|(n, v)| (n.to_string(), v.clone())).collect();
/// let incoming = IncomingRequest { method: "POST", path: "/", raw_query: &signed.query, headers: &headers, body: &signed.body };
/// let ok = verify(&incoming, &|ak| (ak == "AK").then(|| "S".to_string())).unwrap();
/// assert_eq!(ok.signature_version, SignatureVersion::V3Sm3);
/// assert_eq!(ok.params, [("PageSize".to_string(), "10".to_string())]);
/// assert_eq!(ok.query_count, 1);
/// ```
pub fn verify(
    req: &IncomingRequest<'_>,
    secret_for: &dyn Fn(&str) -> Option<String>,
) -> Result<VerifiedRequest, VerifyError> {
    let authorization = single_header(req.headers, "authorization")?;
    if let Some(auth) = authorization {
        let auth = auth.trim_start();
        let name = auth.split(char::is_whitespace).next().unwrap_or_default();
        if let Some(algorithm) = Acs3Algorithm::from_name(name) {
            return verify_v3(req, algorithm, &auth[name.len()..], secret_for);
        }
    }
    let query = parse_form(req.raw_query.as_bytes()).map_err(|e| decode_error("URL query", e))?;
    let has_signature = |params: &[(String, String)]| params.iter().any(|(k, _)| k == "Signature");
    if has_signature(&query) {
        let form = body_params(req)?;
        return verify_v1(req, query, form, secret_for);
    }
    // A body that is no form cannot carry a Signature: the request is unsigned, not malformed.
    if let Ok(form) = body_params(req) {
        if has_signature(&form) {
            return verify_v1(req, query, form, secret_for);
        }
    }
    Err(incomplete(
        "signature: no ACS3-HMAC-SHA256 or ACS3-HMAC-SM3 Authorization header and no Signature parameter in the query or the form body",
    ))
}

/// The decoded form-body parameters (none for an empty body).
fn body_params(req: &IncomingRequest<'_>) -> Result<Vec<(String, String)>, VerifyError> {
    if req.body.is_empty() {
        return Ok(Vec::new());
    }
    if let Some(ct) = single_header(req.headers, "content-type")? {
        let media = ct.split(';').next().unwrap_or_default().trim();
        if !media.eq_ignore_ascii_case(FORM_CONTENT_TYPE) {
            return Err(malformed(format!(
                "unsupported content-type {ct:?} for a request body (expected {FORM_CONTENT_TYPE})"
            )));
        }
    }
    parse_form(req.body).map_err(|e| decode_error("form body", e))
}

struct Authorization<'a> {
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(rest: &str) -> Result<Authorization<'_>, VerifyError> {
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((name, value)) = part.split_once('=') else {
            return Err(malformed(format!(
                "Authorization header part {part:?} is not name=value"
            )));
        };
        let slot = match name.trim() {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => continue,
        };
        if slot.replace(value.trim()).is_some() {
            return Err(malformed(format!(
                "Authorization header repeats {}",
                name.trim()
            )));
        }
    }
    fn need<'v>(v: Option<&'v str>, what: &str) -> Result<&'v str, VerifyError> {
        match v {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(incomplete(format!("{what} in the Authorization header"))),
        }
    }
    Ok(Authorization {
        credential: need(credential, "Credential")?,
        signed_headers: need(signed_headers, "SignedHeaders")?,
        signature: need(signature, "Signature")?,
    })
}

const V3_REQUIRED_SIGNED: [&str; 4] = [
    "host",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

fn verify_v3(
    req: &IncomingRequest<'_>,
    algorithm: Acs3Algorithm,
    auth_rest: &str,
    secret_for: &dyn Fn(&str) -> Option<String>,
) -> Result<VerifiedRequest, VerifyError> {
    let auth = parse_authorization(auth_rest)?;

    let names = signed_header_names(auth.signed_headers)?;
    let is_signed = |name: &str| names.iter().any(|n| n == name);

    // Headers whose values are used must be unique (and, if present, signed).
    let required = |name: &'static str| -> Result<&str, VerifyError> {
        single_header(req.headers, name)?.ok_or_else(|| incomplete(format!("header {name}")))
    };
    required("host")?;
    let timestamp = required("x-acs-date")?.trim();
    let nonce = required("x-acs-signature-nonce")?.trim();
    let declared_hash = required("x-acs-content-sha256")?.trim();
    let signed_optional = |name: &'static str| -> Result<Option<&str>, VerifyError> {
        match single_header(req.headers, name)? {
            Some(_) if !is_signed(name) => Err(malformed(format!(
                "header {name} is sent but not among the SignedHeaders"
            ))),
            v => Ok(v.map(str::trim)),
        }
    };
    let action = signed_optional("x-acs-action")?;
    let version = signed_optional("x-acs-version")?;
    let security_token = signed_optional("x-acs-security-token")?;
    if let Some(ak) = signed_optional("x-acs-accesskey-id")? {
        if ak != auth.credential {
            return Err(malformed(format!(
                "x-acs-accesskey-id {ak:?} differs from the Authorization Credential {:?}",
                auth.credential
            )));
        }
    }

    // Canonical headers: a repeated header's trimmed values, sorted and joined with ','.
    let mut joined: Vec<String> = Vec::with_capacity(names.len());
    for name in &names {
        let mut values: Vec<&str> = header_values(req.headers, name).map(str::trim).collect();
        if values.is_empty() {
            return Err(incomplete(format!(
                "header {name}, listed in SignedHeaders"
            )));
        }
        values.sort_unstable();
        joined.push(values.join(","));
    }
    let canonical_headers: Vec<(&str, &str)> = names
        .iter()
        .zip(&joined)
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();

    let query = parse_form(req.raw_query.as_bytes()).map_err(|e| decode_error("URL query", e))?;
    let form = body_params(req)?;

    let Some(secret) = secret_for(auth.credential) else {
        return Err(VerifyError::UnknownAccessKey {
            access_key_id: auth.credential.to_owned(),
        });
    };

    let actual_hash = algorithm.payload_hash(req.body);
    if !declared_hash.eq_ignore_ascii_case(&actual_hash) {
        return Err(VerifyError::ContentHashMismatch {
            declared: declared_hash.to_owned(),
            actual: actual_hash,
        });
    }

    let path = if req.path.is_empty() { "/" } else { req.path };
    let canonical = v3::canonical_request(
        req.method,
        path,
        &v3::canonical_query(&query),
        &canonical_headers,
        declared_hash,
    );
    let string_to_sign = v3::string_to_sign_with(algorithm, &canonical);
    let expected = algorithm.mac(secret.as_bytes(), string_to_sign.as_bytes());
    let matches =
        hex::decode(auth.signature).is_ok_and(|given| constant_time_eq(&given, &expected));
    if !matches {
        return Err(VerifyError::SignatureMismatch {
            string_to_sign,
            canonical,
        });
    }

    let query_count = query.len();
    let mut params = query;
    params.extend(form);
    Ok(VerifiedRequest {
        signature_version: match algorithm {
            Acs3Algorithm::HmacSha256 => SignatureVersion::V3,
            Acs3Algorithm::HmacSm3 => SignatureVersion::V3Sm3,
        },
        access_key_id: auth.credential.to_owned(),
        action: action.map(str::to_owned),
        version: version.map(str::to_owned),
        timestamp: timestamp.to_owned(),
        nonce: nonce.to_owned(),
        security_token: security_token.map(str::to_owned),
        params,
        query_count,
    })
}

/// The declared signed headers of a v3 Authorization, lowercase, in declared order; each
/// once, none empty, the required ones present.
fn signed_header_names(declared: &str) -> Result<Vec<String>, VerifyError> {
    let mut names: Vec<String> = Vec::new();
    for name in declared.split(';') {
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err(malformed("SignedHeaders contains an empty name"));
        }
        if names.contains(&name) {
            return Err(malformed(format!("SignedHeaders lists {name} twice")));
        }
        names.push(name);
    }
    for required in V3_REQUIRED_SIGNED {
        if !names.iter().any(|n| n == required) {
            return Err(incomplete(format!("{required} among the SignedHeaders")));
        }
    }
    Ok(names)
}

fn verify_v1(
    req: &IncomingRequest<'_>,
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
    secret_for: &dyn Fn(&str) -> Option<String>,
) -> Result<VerifiedRequest, VerifyError> {
    // The query and the form body merged, the body's value winning for a name sent in both,
    // as the SDKs merge their maps. Only a repeated Signature is refused, since it would be
    // ambiguous which one was checked.
    let merged = || query.iter().chain(form.iter());
    let last = |name: &str| {
        merged()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if merged().filter(|(k, _)| k == "Signature").count() > 1 {
        return Err(malformed("parameter Signature is repeated"));
    }
    let signature = last("Signature").unwrap_or_default();
    let need = |name: &str| last(name).ok_or_else(|| incomplete(format!("parameter {name}")));
    let access_key_id = need("AccessKeyId")?;
    let method = need("SignatureMethod")?;
    let sig_version = need("SignatureVersion")?;
    let timestamp = need("Timestamp")?;
    let nonce = need("SignatureNonce")?;
    if method != v1::SIGNATURE_METHOD {
        return Err(malformed(format!(
            "SignatureMethod {method:?} is not supported (expected {})",
            v1::SIGNATURE_METHOD
        )));
    }
    if sig_version != v1::SIGNATURE_VERSION {
        return Err(malformed(format!(
            "SignatureVersion {sig_version:?} is not supported (expected {})",
            v1::SIGNATURE_VERSION
        )));
    }
    if signature.is_empty() {
        return Err(incomplete("a value for parameter Signature"));
    }

    let Some(secret) = secret_for(access_key_id) else {
        return Err(VerifyError::UnknownAccessKey {
            access_key_id: access_key_id.to_owned(),
        });
    };

    let signed: Vec<(&str, &str)> = merged()
        .filter(|(k, _)| k != "Signature")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let canonical = v1::canonicalized_query(&signed);
    // The string to sign starts with the method the request arrived with.
    let string_to_sign = v1::string_to_sign_for_method(req.method, &canonical);
    let expected = v1::signature_bytes(&secret, &string_to_sign);
    let matches = base64::engine::general_purpose::STANDARD
        .decode(signature)
        .is_ok_and(|given| constant_time_eq(&given, &expected));
    if !matches {
        return Err(VerifyError::SignatureMismatch {
            string_to_sign,
            canonical,
        });
    }

    let verified = VerifiedRequest {
        signature_version: SignatureVersion::V1,
        access_key_id: access_key_id.to_owned(),
        action: last("Action").map(str::to_owned),
        version: last("Version").map(str::to_owned),
        timestamp: timestamp.to_owned(),
        nonce: nonce.to_owned(),
        security_token: last("SecurityToken").map(str::to_owned),
        params: Vec::new(),
        query_count: 0,
    };
    let business = |(k, _): &(String, String)| !v1::COMMON_PARAMETERS.contains(&k.as_str());
    let mut params: Vec<(String, String)> = query.into_iter().filter(business).collect();
    let query_count = params.len();
    params.extend(form.into_iter().filter(business));
    Ok(VerifiedRequest {
        params,
        query_count,
        ..verified
    })
}

/// Equality of two byte strings in time independent of where they differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Parses a `YYYY-MM-DDTHH:MM:SSZ` timestamp (exactly that form, UTC): what a server reads
/// `x-acs-date` / `Timestamp` with (`verify` feature).
///
/// ```
/// let t = hbr_runtime::signing::parse_timestamp("2024-01-01T00:00:00Z").unwrap();
/// assert_eq!(t.unix_timestamp(), 1_704_067_200);
/// assert!(hbr_runtime::signing::parse_timestamp("2024-01-01 00:00:00").is_err());
/// ```
pub fn parse_timestamp(s: &str) -> Result<OffsetDateTime, VerifyError> {
    let malformed = || VerifyError::Malformed {
        reason: format!("timestamp {s:?} is not of the form YYYY-MM-DDTHH:MM:SSZ"),
    };
    let b = s.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return Err(malformed());
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let parts = (|| {
        let year = i32::try_from(num(0..4)?).ok()?;
        let month = Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
        let day = u8::try_from(num(8..10)?).ok()?;
        let hour = u8::try_from(num(11..13)?).ok()?;
        let minute = u8::try_from(num(14..16)?).ok()?;
        let second = u8::try_from(num(17..19)?).ok()?;
        let date = Date::from_calendar_date(year, month, day).ok()?;
        let time = Time::from_hms(hour, minute, second).ok()?;
        Some(PrimitiveDateTime::new(date, time).assume_utc())
    })();
    parts.ok_or_else(malformed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::signing::{RequestToSign, SignedRequest, SigningKey};

    /// Calls `sign` with the test's key and a one-parameter DescribeRestoreJobs2 request.
    fn with_request<T>(sign: impl FnOnce(&SigningKey<'_>, &RequestToSign<'_>) -> T) -> T {
        let key = SigningKey {
            access_key_id: "AK",
            access_key_secret: "S",
            security_token: None,
            provider_name: "static_ak",
        };
        let query = vec![("PageSize".to_owned(), "10".to_owned())];
        let req = RequestToSign {
            host: "127.0.0.1:1",
            action: "DescribeRestoreJobs2",
            version: "2017-09-08",
            user_agent: "ua",
            query: &query,
            form: None,
            timestamp: "2024-01-01T00:00:00Z",
            nonce: "n-1",
            retry: None,
        };
        sign(&key, &req)
    }

    fn signed_v1(method: &str) -> SignedRequest {
        with_request(|key, req| v1::sign_with_method(method, key, req).0)
    }

    fn check(signed: &SignedRequest, method: &str) -> Result<VerifiedRequest, VerifyError> {
        let headers: Vec<(String, String)> = signed
            .headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect();
        let incoming = IncomingRequest {
            method,
            path: "/",
            raw_query: &signed.query,
            headers: &headers,
            body: &signed.body,
        };
        verify(&incoming, &|ak| (ak == "AK").then(|| "S".to_owned()))
    }

    #[test]
    fn v1_is_verified_with_the_method_the_request_arrived_with() {
        let get = signed_v1("GET");
        let ok = check(&get, "GET").expect("a GET signed for GET");
        assert_eq!(ok.params, [("PageSize".to_owned(), "10".to_owned())]);
        let post = signed_v1("POST");
        check(&post, "POST").expect("a POST signed for POST");
        // The SDK's signer signs for POST.
        assert_eq!(
            post.query,
            with_request(|key, req| crate::signing::sign(SignatureVersion::V1, key, req).query)
        );
        for (signed, sent) in [(&post, "GET"), (&get, "POST")] {
            match check(signed, sent) {
                Err(VerifyError::SignatureMismatch { string_to_sign, .. }) => {
                    assert!(string_to_sign.starts_with(&format!("{sent}&%2F&")));
                }
                other => panic!("sent as {sent}: {other:?}"),
            }
        }
    }
}
