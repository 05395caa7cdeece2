//! Signature v3, `ACS3-HMAC-SHA256` (ALIBABA-PROTOCOL.md §1), and its twin
//! `ACS3-HMAC-SM3` (§1b): the same canonical request with SM3 in place of SHA-256.
//!
//! ```text
//! CanonicalRequest = POST \n / \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HexPayloadHash
//! StringToSign     = ACS3-HMAC-SHA256 \n hex(sha256(CanonicalRequest))
//! Signature        = hex(hmac_sha256(secret, StringToSign))
//! Authorization    = ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<h1;h2;…>,Signature=<hex>
//! ```
//!
//! Under `ACS3-HMAC-SM3` the payload hash, the hash of the canonical request and the HMAC
//! use SM3, and the algorithm name opens the string to sign and the `Authorization` header;
//! the payload hash still travels as `x-acs-content-sha256`, as the official SDKs send it.

use sha2::{Digest, Sha256};
use sm3::Sm3;

use super::encode::{hex_lower_into, rfc3986_encode_into};
use super::{
    form_body, hmac_sha256, hmac_sm3, RequestToSign, SignedRequest, SigningKey, SigningParts,
    FORM_CONTENT_TYPE,
};

/// The algorithm name, first word of the `Authorization` header and first line of the
/// string to sign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The name of the SM3 variant, in the same two places.
pub const SM3_ALGORITHM: &str = "ACS3-HMAC-SM3";

/// The lowercase hex SHA-256 of an empty body.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The lowercase hex SM3 of an empty body.
pub const EMPTY_PAYLOAD_SM3: &str =
    "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b";

/// The hash of an ACS3 signature: what hashes the body and the canonical request and keys
/// the HMAC.
///
/// ```
/// use hbr_runtime::signing::v3::{Acs3Algorithm, EMPTY_PAYLOAD_SHA256, EMPTY_PAYLOAD_SM3};
/// assert_eq!(Acs3Algorithm::HmacSm3.name(), "ACS3-HMAC-SM3");
/// assert_eq!(Acs3Algorithm::HmacSha256.payload_hash(b""), EMPTY_PAYLOAD_SHA256);
/// assert_eq!(Acs3Algorithm::HmacSm3.payload_hash(b""), EMPTY_PAYLOAD_SM3);
/// // GB/T 32905-2016, example 1: SM3("abc").
/// assert_eq!(
///     Acs3Algorithm::HmacSm3.payload_hash(b"abc"),
///     "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
/// );
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Acs3Algorithm {
    /// `ACS3-HMAC-SHA256` (the default).
    #[default]
    HmacSha256,
    /// `ACS3-HMAC-SM3` (GB/T 32905 SM3).
    HmacSm3,
}

impl Acs3Algorithm {
    /// The algorithm's name as the protocol writes it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::HmacSha256 => ALGORITHM,
            Self::HmacSm3 => SM3_ALGORITHM,
        }
    }

    /// The algorithm named `name` (exactly as the protocol writes it), if any.
    ///
    /// ```
    /// use hbr_runtime::signing::v3::Acs3Algorithm;
    /// assert_eq!(Acs3Algorithm::from_name("ACS3-HMAC-SM3"), Some(Acs3Algorithm::HmacSm3));
    /// assert_eq!(Acs3Algorithm::from_name("ACS3-RSA-SHA256"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::HmacSha256, Self::HmacSm3]
            .into_iter()
            .find(|a| a.name() == name)
    }

    /// Lowercase hex of the hash of `data` (the payload hash of a body).
    pub fn payload_hash(self, data: &[u8]) -> String {
        if data.is_empty() {
            return match self {
                Self::HmacSha256 => EMPTY_PAYLOAD_SHA256,
                Self::HmacSm3 => EMPTY_PAYLOAD_SM3,
            }
            .to_owned();
        }
        let mut out = String::with_capacity(64);
        hex_lower_into(&mut out, &self.digest(data));
        out
    }

    fn digest(self, data: &[u8]) -> [u8; 32] {
        match self {
            Self::HmacSha256 => Sha256::digest(data).into(),
            Self::HmacSm3 => Sm3::digest(data).into(),
        }
    }

    /// The HMAC of `msg` keyed with `key`.
    pub(crate) fn mac(self, key: &[u8], msg: &[u8]) -> [u8; 32] {
        match self {
            Self::HmacSha256 => hmac_sha256(key, msg),
            Self::HmacSm3 => hmac_sm3(key, msg),
        }
    }
}

/// Appends the canonical query of `pairs`: stably sorted by key, keys as they are, values
/// RFC 3986 encoded, `k=v` joined with `&`.
fn canonical_query_into<'a>(out: &mut String, pairs: impl Iterator<Item = (&'a str, &'a str)>) {
    let mut sorted: Vec<(&str, &str)> = pairs.collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (i, (k, v)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        rfc3986_encode_into(out, v);
    }
}

/// The canonical query of decoded query parameters.
///
/// ```
/// let q = [("PageSize".to_string(), "10".to_string()), ("Filters.1.Values.1".to_string(), "b 1*".to_string())];
/// assert_eq!(hbr_runtime::signing::v3::canonical_query(&q), "Filters.1.Values.1=b%201%2A&PageSize=10");
/// ```
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut out = String::with_capacity(estimate(query));
    canonical_query_into(
        &mut out,
        query.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    out
}

/// Builds the canonical request.
///
/// `headers` are the signed headers as `(lowercase name, value)` in the order they are to be
/// listed (sorted for anything the client produces); several values of one header must
/// already be joined with `,`. Values are trimmed here.
///
/// ```
/// use hbr_runtime::signing::v3;
/// let cr = v3::canonical_request("POST", "/", "", &[("host", " h "), ("x-acs-date", "d")], v3::EMPTY_PAYLOAD_SHA256);
/// assert_eq!(cr, format!("POST\n/\n\nhost:h\nx-acs-date:d\n\nhost;x-acs-date\n{}", v3::EMPTY_PAYLOAD_SHA256));
/// ```
pub fn canonical_request(
    method: &str,
    path: &str,
    canonical_query: &str,
    headers: &[(&str, &str)],
    payload_hash: &str,
) -> String {
    let cap = method.len()
        + path.len()
        + canonical_query.len()
        + headers
            .iter()
            .map(|(n, v)| n.len() * 2 + v.len() + 3)
            .sum::<usize>()
        + payload_hash.len()
        + 8;
    let mut out = String::with_capacity(cap);
    out.push_str(method);
    out.push('\n');
    out.push_str(path);
    out.push('\n');
    out.push_str(canonical_query);
    out.push('\n');
    push_headers_block(&mut out, headers.iter().copied());
    out.push('\n');
    out.push_str(payload_hash);
    out
}

/// Appends `CanonicalHeaders \n SignedHeaders` (the canonical-header lines, each ending in
/// `\n`, an empty line, then the names joined with `;`).
fn push_headers_block<'a>(
    out: &mut String,
    headers: impl Iterator<Item = (&'a str, &'a str)> + Clone,
) {
    for (name, value) in headers.clone() {
        out.push_str(name);
        out.push(':');
        out.push_str(value.trim());
        out.push('\n');
    }
    out.push('\n');
    for (i, (name, _)) in headers.enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
}

/// The string to sign for a canonical request: `ACS3-HMAC-SHA256\n` + hex SHA-256.
///
/// ```
/// let sts = hbr_runtime::signing::v3::string_to_sign("");
/// assert_eq!(sts, format!("ACS3-HMAC-SHA256\n{}", hbr_runtime::signing::v3::EMPTY_PAYLOAD_SHA256));
/// ```
pub fn string_to_sign(canonical_request: &str) -> String {
    string_to_sign_with(Acs3Algorithm::HmacSha256, canonical_request)
}

/// The string to sign for a canonical request under `algorithm`: its name, a newline, and
/// the lowercase hex hash of the canonical request.
///
/// ```
/// use hbr_runtime::signing::v3::{string_to_sign_with, Acs3Algorithm, EMPTY_PAYLOAD_SM3};
/// let sts = string_to_sign_with(Acs3Algorithm::HmacSm3, "");
/// assert_eq!(sts, format!("ACS3-HMAC-SM3\n{EMPTY_PAYLOAD_SM3}"));
/// ```
pub fn string_to_sign_with(algorithm: Acs3Algorithm, canonical_request: &str) -> String {
    let name = algorithm.name();
    let mut out = String::with_capacity(name.len() + 1 + 64);
    out.push_str(name);
    out.push('\n');
    hex_lower_into(&mut out, &algorithm.digest(canonical_request.as_bytes()));
    out
}

/// The signature of a string to sign: lowercase hex HMAC-SHA256 keyed with the raw secret.
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> String {
    signature_with(Acs3Algorithm::HmacSha256, access_key_secret, string_to_sign)
}

/// The signature of a string to sign under `algorithm`: lowercase hex of its HMAC keyed with
/// the raw secret.
///
/// ```
/// use hbr_runtime::signing::v3::{signature_with, Acs3Algorithm};
/// let sm3 = signature_with(Acs3Algorithm::HmacSm3, "secret", "text");
/// assert_eq!(sm3.len(), 64);
/// assert_ne!(sm3, signature_with(Acs3Algorithm::HmacSha256, "secret", "text"));
/// ```
pub fn signature_with(
    algorithm: Acs3Algorithm,
    access_key_secret: &str,
    string_to_sign: &str,
) -> String {
    let mut out = String::with_capacity(64);
    hex_lower_into(
        &mut out,
        &algorithm.mac(access_key_secret.as_bytes(), string_to_sign.as_bytes()),
    );
    out
}

fn estimate(pairs: &[(String, String)]) -> usize {
    pairs
        .iter()
        .map(|(k, v)| k.len() + v.len() * 3 / 2 + 2)
        .sum()
}

/// Signs under v3 with `algorithm`; see [`super::sign_with_parts`].
pub(crate) fn sign(
    algorithm: Acs3Algorithm,
    key: &SigningKey<'_>,
    req: &RequestToSign<'_>,
) -> (SignedRequest, SigningParts) {
    // Body and its hash.
    let body = req.form.map(form_body).unwrap_or_default();
    let payload_hash = algorithm.payload_hash(body.as_bytes());

    // Wire query: form-encoded, insertion order.
    let query_estimate = estimate(req.query);
    let mut query = String::with_capacity(query_estimate);
    super::encode::form_pairs_into(
        &mut query,
        req.query.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );

    // Headers in the order the SDK builds them; authorization is appended after signing.
    let mut headers: Vec<(&'static str, String)> = Vec::with_capacity(16);
    headers.push(("host", req.host.to_owned()));
    headers.push(("x-acs-version", req.version.to_owned()));
    headers.push(("x-acs-action", req.action.to_owned()));
    headers.push(("user-agent", req.user_agent.to_owned()));
    headers.push(("x-acs-date", req.timestamp.to_owned()));
    headers.push(("x-acs-signature-nonce", req.nonce.to_owned()));
    headers.push(("accept", "application/json".to_owned()));
    if req.form.is_some() {
        headers.push(("content-type", FORM_CONTENT_TYPE.to_owned()));
    }
    headers.push(("x-acs-content-sha256", payload_hash));
    if !key.provider_name.is_empty() {
        headers.push(("x-acs-credentials-provider", key.provider_name.to_owned()));
    }
    if let Some(token) = key.security_token {
        headers.push(("x-acs-accesskey-id", key.access_key_id.to_owned()));
        headers.push(("x-acs-security-token", token.to_owned()));
    }
    if let Some(retry) = req.retry {
        headers.push(("x-acs-retry-attempts", retry.attempts.to_string()));
        headers.push(("x-acs-retry-delay", retry.delay_ms.to_string()));
    }

    // Signed headers: every header so far, sorted by name (names are unique).
    let mut order: [usize; 16] = [0; 16];
    let n = headers.len().min(order.len());
    for (i, slot) in order.iter_mut().enumerate().take(n) {
        *slot = i;
    }
    let order = &mut order[..n];
    order.sort_unstable_by_key(|&i| headers[i].0);
    let sorted = order.iter().map(|&i| (headers[i].0, headers[i].1.as_str()));

    let header_len: usize = headers.iter().map(|(n, v)| n.len() * 2 + v.len() + 3).sum();
    let mut canonical = String::with_capacity(8 + query_estimate + header_len + 66);
    canonical.push_str("POST\n/\n");
    canonical_query_into(
        &mut canonical,
        req.query.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    canonical.push('\n');
    let headers_start = canonical.len();
    push_headers_block(&mut canonical, sorted);
    let signed_headers_start = canonical.rfind('\n').map_or(headers_start, |p| p + 1);
    canonical.push('\n');
    let signed_headers_end = canonical.len() - 1;
    canonical.push_str(
        headers
            .iter()
            .find(|(n, _)| *n == "x-acs-content-sha256")
            .map_or("", |(_, v)| v.as_str()),
    );

    let sts = string_to_sign_with(algorithm, &canonical);
    let sig = signature_with(algorithm, key.access_key_secret, &sts);

    let signed_headers = canonical
        .get(signed_headers_start..signed_headers_end)
        .unwrap_or_default();
    let name = algorithm.name();
    let mut authorization = String::with_capacity(
        name.len() + key.access_key_id.len() + signed_headers.len() + sig.len() + 40,
    );
    authorization.push_str(name);
    authorization.push_str(" Credential=");
    authorization.push_str(key.access_key_id);
    authorization.push_str(",SignedHeaders=");
    authorization.push_str(signed_headers);
    authorization.push_str(",Signature=");
    authorization.push_str(&sig);
    headers.push(("authorization", authorization));

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
