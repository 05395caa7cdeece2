//! Request signing (ACS3-HMAC-SHA256, ACS3-HMAC-SM3 and the legacy HMAC-SHA1 RPC signature)
//! and its server-side verifier.
//!
//! The client side is [`sign`]: given a [`SigningKey`] and a [`RequestToSign`] it returns the
//! exact URL query, headers and body to send, byte-for-byte what the official Python SDK
//! sends for the same inputs. The transport calls it once per attempt, with a fresh
//! [`format_timestamp`] and [`new_nonce`] each time.
//!
//! The server side is `verify` (with the `verify` feature, which the local emulator enables;
//! a client build does not carry it): it detects the signature version, rebuilds what the
//! client signed from the bytes that arrived, and checks the signature in constant time.
//!
//! The intermediate pieces (canonical request and string to sign for v3 and its SM3 twin,
//! canonicalized query and string to sign for v1) are public in [`v3`] and [`v1`], and [`sign_with_parts`]
//! returns them next to the signed request.
//!
//! ```
//! use hbr_runtime::signing::{sign, RequestToSign, SignatureVersion, SigningKey};
//!
//! let key = SigningKey {
//!     access_key_id: "testAccessKeyId",
//!     access_key_secret: "testAccessKeySecret",
//!     security_token: None,
//!     provider_name: "static_ak",
//! };
//! let query = vec![("PageNumber".to_string(), "1".to_string())];
//! let req = RequestToSign {
//!     host: "hbr.cn-hangzhou.aliyuncs.com",
//!     action: "DescribeRestoreJobs2",
//!     version: "2017-09-08",
//!     user_agent: "AlibabaCloud (Linux; x86_64) Rust/1.85 Core/0.1.0 TeaDSL/2",
//!     query: &query,
//!     form: None,
//!     timestamp: "2024-01-01T00:00:00Z",
//!     nonce: "0123456789abcdef0123456789abcdef",
//!     retry: None,
//! };
//! let signed = sign(SignatureVersion::V3, &key, &req);
//! assert_eq!(signed.query, "PageNumber=1");
//! assert!(signed.header("authorization").unwrap().starts_with("ACS3-HMAC-SHA256 Credential=testAccessKeyId,"));
//! ```

#[cfg(feature = "verify")]
pub mod decode;
pub mod encode;
pub mod v1;
pub mod v3;
#[cfg(feature = "verify")]
mod verify;

#[cfg(feature = "verify")]
pub use verify::{parse_timestamp, verify, IncomingRequest, VerifiedRequest, VerifyError};

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;
use sm3::Sm3;
use time::{OffsetDateTime, UtcOffset};

/// The `content-type` of a form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Which signature a request carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SignatureVersion {
    /// `ACS3-HMAC-SHA256` in the `Authorization` header (the default).
    #[default]
    V3,
    /// `ACS3-HMAC-SM3` in the `Authorization` header: v3 with the SM3 hash (GB/T 32905) in
    /// place of SHA-256, for those bound to China's national cryptography standards (the
    /// official SDKs' `signature_algorithm='ACS3-HMAC-SM3'`).
    V3Sm3,
    /// The legacy HMAC-SHA1 RPC signature in the `Signature` query parameter
    /// (`SignatureVersion=1.0`; the Python SDK's `signature_algorithm='v2'`).
    V1,
}

impl SignatureVersion {
    /// Every version, in the order the `hbr` command lists them.
    pub const ALL: [Self; 3] = [Self::V3, Self::V3Sm3, Self::V1];

    /// The ACS3 algorithm of a header signature (`None` for v1).
    ///
    /// ```
    /// use hbr_runtime::signing::{v3::Acs3Algorithm, SignatureVersion};
    /// assert_eq!(SignatureVersion::V3Sm3.acs3(), Some(Acs3Algorithm::HmacSm3));
    /// assert_eq!(SignatureVersion::V1.acs3(), None);
    /// ```
    pub const fn acs3(self) -> Option<v3::Acs3Algorithm> {
        match self {
            Self::V3 => Some(v3::Acs3Algorithm::HmacSha256),
            Self::V3Sm3 => Some(v3::Acs3Algorithm::HmacSm3),
            Self::V1 => None,
        }
    }

    /// The short name: `v3`, `sm3` or `v1` (what [`FromStr`] reads and `--signature` takes).
    pub const fn name(self) -> &'static str {
        match self {
            Self::V3 => "v3",
            Self::V3Sm3 => "sm3",
            Self::V1 => "v1",
        }
    }
}

impl fmt::Display for SignatureVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a [`SignatureVersion`] from text other than `v3`, `sm3` or `v1`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown signature version {0:?} (expected \"v3\", \"sm3\" or \"v1\")")]
pub struct UnknownSignatureVersion(pub String);

impl FromStr for SignatureVersion {
    type Err = UnknownSignatureVersion;

    /// Accepts `v3`, `sm3` and `v1`, in any case.
    ///
    /// ```
    /// use hbr_runtime::signing::SignatureVersion;
    /// assert_eq!("V1".parse::<SignatureVersion>().unwrap(), SignatureVersion::V1);
    /// assert_eq!("SM3".parse::<SignatureVersion>().unwrap(), SignatureVersion::V3Sm3);
    /// assert!("v2".parse::<SignatureVersion>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| s.eq_ignore_ascii_case(v.name()))
            .ok_or_else(|| UnknownSignatureVersion(s.to_owned()))
    }
}

/// The credential a request is signed with.
///
/// `Debug` never shows the secret or the security token.
///
/// ```
/// let key = hbr_runtime::signing::SigningKey {
///     access_key_id: "AK",
///     access_key_secret: "very-secret",
///     security_token: Some("sts-token"),
///     provider_name: "static_sts",
/// };
/// let shown = format!("{key:?}");
/// assert!(!shown.contains("very-secret") && !shown.contains("sts-token"));
/// ```
#[derive(Clone, Copy)]
pub struct SigningKey<'a> {
    /// The AccessKey ID.
    pub access_key_id: &'a str,
    /// The AccessKey secret.
    pub access_key_secret: &'a str,
    /// The STS security token, for temporary credentials.
    pub security_token: Option<&'a str>,
    /// The credential provider's name, sent as `x-acs-credentials-provider` (e.g.
    /// `static_ak`); the header is left out when this is empty.
    pub provider_name: &'a str,
}

impl fmt::Debug for SigningKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field("security_token", &self.security_token.map(|_| "<redacted>"))
            .field("provider_name", &self.provider_name)
            .finish()
    }
}

/// Which attempt a request is, for the retry headers of v3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryInfo {
    /// The retry number sent as `x-acs-retry-attempts` (1 for the first retry).
    pub attempts: u32,
    /// The delay waited before this attempt, in milliseconds, sent as `x-acs-retry-delay`.
    pub delay_ms: u64,
}

/// Everything that goes into one signed request.
///
/// Parameter keys are expected to be unique within `query` and within `form`.
#[derive(Clone, Copy, Debug)]
pub struct RequestToSign<'a> {
    /// The endpoint authority exactly as configured, e.g. `hbr.cn-hangzhou.aliyuncs.com` or
    /// `127.0.0.1:8080`; sent as the `host` header.
    pub host: &'a str,
    /// The API action, e.g. `DescribeRestoreJobs2`.
    pub action: &'a str,
    /// The API version, `2017-09-08` for HBR.
    pub version: &'a str,
    /// The `user-agent` header.
    pub user_agent: &'a str,
    /// The operation's URL query parameters, already rendered to strings, in insertion order.
    pub query: &'a [(String, String)],
    /// The operation's form-body parameters. `Some` whenever the operation has a form body
    /// map, even an empty one: then `content-type: application/x-www-form-urlencoded` is
    /// sent and the body is the pairs sorted by key and form-encoded.
    pub form: Option<&'a [(String, String)]>,
    /// The request time as `YYYY-MM-DDTHH:MM:SSZ` (see [`format_timestamp`]).
    pub timestamp: &'a str,
    /// The signature nonce (see [`new_nonce`]).
    pub nonce: &'a str,
    /// Set on retries: adds the signed `x-acs-retry-attempts` / `x-acs-retry-delay` headers
    /// under v3 (v1 sends no retry headers).
    pub retry: Option<RetryInfo>,
}

/// A signed request, ready for the transport: `POST https://<host>/?<query>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedRequest {
    /// The raw URL query without the leading `?`, exactly as the SDK puts it on the wire
    /// (may be empty).
    pub query: String,
    /// The headers to send, names in lowercase, `authorization` included (v3 and SM3),
    /// `content-length` not included.
    pub headers: Vec<(&'static str, String)>,
    /// The body bytes (empty unless the operation has form parameters).
    pub body: Vec<u8>,
}

impl SignedRequest {
    /// The value of the header `name` (lowercase), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The intermediate values of one signature, for tests and diagnostics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningParts {
    /// v3 and SM3: the canonical request; v1: the canonicalized query.
    pub canonical: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature: lowercase hex (v3, SM3) or Base64 (v1), before any URL encoding.
    pub signature: String,
}

/// Signs one attempt of a request.
///
/// The result is deterministic given the inputs; the caller supplies a fresh timestamp and
/// nonce for every attempt.
pub fn sign(
    version: SignatureVersion,
    key: &SigningKey<'_>,
    req: &RequestToSign<'_>,
) -> SignedRequest {
    sign_with_parts(version, key, req).0
}

/// [`sign`], also returning the canonical form, string to sign and signature it computed.
///
/// ```
/// use hbr_runtime::signing::{sign_with_parts, RequestToSign, SignatureVersion, SigningKey};
/// let key = SigningKey { access_key_id: "AK", access_key_secret: "S", security_token: None, provider_name: "static_ak" };
/// let req = RequestToSign {
///     host: "h", action: "A", version: "2017-09-08", user_agent: "ua", query: &[], form: None,
///     timestamp: "2024-01-01T00:00:00Z", nonce: "n", retry: None,
/// };
/// let (_, parts) = sign_with_parts(SignatureVersion::V1, &key, &req);
/// assert!(parts.string_to_sign.starts_with("POST&%2F&AccessKeyId%3DAK%26Action%3DA"));
/// ```
pub fn sign_with_parts(
    version: SignatureVersion,
    key: &SigningKey<'_>,
    req: &RequestToSign<'_>,
) -> (SignedRequest, SigningParts) {
    match version.acs3() {
        Some(algorithm) => v3::sign(algorithm, key, req),
        None => v1::sign(key, req),
    }
}

/// Formats a time as the protocol's `YYYY-MM-DDTHH:MM:SSZ` (converted to UTC, fraction dropped).
///
/// ```
/// use time::macros::datetime;
/// let t = datetime!(2024-01-01 08:00:00.75 +08:00);
/// assert_eq!(hbr_runtime::signing::format_timestamp(t), "2024-01-01T00:00:00Z");
/// ```
pub fn format_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let mut out = String::with_capacity(20);
    let year = t.year();
    if !(0..=9999).contains(&year) {
        // Outside the four-digit range the protocol has no form; keep it readable.
        out.push_str(&year.to_string());
    } else {
        push_digits(&mut out, year.unsigned_abs(), 4);
    }
    out.push('-');
    push_digits(&mut out, u32::from(u8::from(t.month())), 2);
    out.push('-');
    push_digits(&mut out, u32::from(t.day()), 2);
    out.push('T');
    push_digits(&mut out, u32::from(t.hour()), 2);
    out.push(':');
    push_digits(&mut out, u32::from(t.minute()), 2);
    out.push(':');
    push_digits(&mut out, u32::from(t.second()), 2);
    out.push('Z');
    out
}

fn push_digits(out: &mut String, value: u32, width: u32) {
    let mut div = 10u32.pow(width.saturating_sub(1));
    while div > 0 {
        let d = (value / div) % 10;
        out.push(char::from(b'0' + d as u8));
        div /= 10;
    }
}

/// A fresh random nonce: 32 lowercase hex characters (128 random bits).
///
/// ```
/// let n = hbr_runtime::signing::new_nonce();
/// assert_eq!(n.len(), 32);
/// assert!(n.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
/// ```
pub fn new_nonce() -> String {
    let bytes: [u8; 16] = rand::random();
    let mut out = String::with_capacity(32);
    encode::hex_lower_into(&mut out, &bytes);
    out
}

// ---------------------------------------------------------------------------------------
// Shared helpers

/// HMAC-SHA256 of `msg` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail; the fallback only
    // keeps this function free of panics (it would yield a signature nobody accepts).
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(msg);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

/// HMAC-SM3 of `msg` under `key`.
pub(crate) fn hmac_sm3(key: &[u8], msg: &[u8]) -> [u8; 32] {
    // As in `hmac_sha256`, the error branch is unreachable.
    match Hmac::<Sm3>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(msg);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

/// HMAC-SHA1 of `msg` under `key`.
pub(crate) fn hmac_sha1(key: &[u8], msg: &[u8]) -> [u8; 20] {
    // As in `hmac_sha256`, the error branch is unreachable.
    match Hmac::<Sha1>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(msg);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 20],
    }
}

/// The form body of `form`: pairs stably sorted by key, form-encoded, joined with `&`.
pub(crate) fn form_body(form: &[(String, String)]) -> String {
    let mut order: Vec<&(String, String)> = form.iter().collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let cap = form
        .iter()
        .map(|(k, v)| k.len() + v.len() * 3 / 2 + 2)
        .sum();
    let mut body = String::with_capacity(cap);
    encode::form_pairs_into(
        &mut body,
        order.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    body
}
