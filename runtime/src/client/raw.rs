//! A successful answer before its body is parsed, and the envelope fields of error bodies.

use std::time::Duration;

use super::error::{Error, MalformedResponse, ServiceError};

/// The header carrying the request id on real responses.
pub const REQUEST_ID_HEADER: &str = "x-acs-request-id";
/// The header carrying the delay (milliseconds) the server wants before a retry.
pub const RETRY_AFTER_HEADER: &str = "x-acs-retry-after";

/// A successful HTTP answer (status 2xx) before its body is parsed.
///
/// ```
/// use hbr_runtime::client::RawResponse;
///
/// let raw = RawResponse::new(
///     200,
///     vec![("content-type".into(), "application/json".into())],
///     br#"{"RequestId":"R-1","Success":false,"Code":"Busy","Message":"try later"}"#.to_vec(),
/// );
/// assert_eq!(raw.request_id(), None); // no x-acs-request-id header
/// let err = raw.business_error().expect("Success is false");
/// assert_eq!(err.code(), Some("Busy"));
/// assert_eq!(err.request_id(), Some("R-1"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    request_id: Option<String>,
    pub(super) attempts: u32,
}

impl RawResponse {
    /// A response with a status, headers (names in lowercase) and a body; the request id is
    /// taken from the `x-acs-request-id` header.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        let request_id = header_in(&headers, REQUEST_ID_HEADER).map(str::to_owned);
        Self {
            status,
            headers,
            body,
            request_id,
            attempts: 1,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers, names in lowercase, values lossily decoded.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_in(&self.headers, name)
    }

    /// The `content-type` header.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Takes the body bytes.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The request id from the `x-acs-request-id` header, if sent (the body's `RequestId`
    /// is read when the body is parsed).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many attempts the operation took.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The body as a JSON value; a body that is not JSON is a malformed-response error.
    pub fn json(&self) -> Result<serde_json::Value, Error> {
        serde_json::from_slice(&self.body)
            .map_err(|e| self.malformed(format!("the body is not JSON: {e}")))
    }

    /// The service error a `Success: false` body describes, if the body says so.
    pub fn business_error(&self) -> Option<Error> {
        let value: serde_json::Value = serde_json::from_slice(&self.body).ok()?;
        let object = value.as_object()?;
        let success = match object.get("Success") {
            Some(serde_json::Value::Bool(b)) => *b,
            Some(serde_json::Value::String(s)) => !s.eq_ignore_ascii_case("false"),
            _ => true,
        };
        if success {
            return None;
        }
        let envelope = Envelope::from_object(object);
        Some(self.business_failure(
            envelope.code.as_deref(),
            envelope.message.as_deref(),
            envelope.request_id.as_deref(),
        ))
    }

    /// The error for this response's body not being what the protocol promises.
    pub fn malformed(&self, reason: impl Into<String>) -> Error {
        Error::from(
            MalformedResponse::new(
                self.status,
                self.content_type().map(str::to_owned),
                &self.body,
                reason,
            )
            .with_request_id(self.request_id.clone()),
        )
        .with_attempts(self.attempts)
    }

    /// The service error for a `Success: false` answer with these envelope fields.
    pub fn business_failure(
        &self,
        code: Option<&str>,
        message: Option<&str>,
        request_id: Option<&str>,
    ) -> Error {
        let request_id = request_id
            .map(str::to_owned)
            .or_else(|| self.request_id.clone());
        Error::service(
            ServiceError::new(
                self.status,
                code.map(str::to_owned),
                message.map(str::to_owned),
            )
            .with_request_id(request_id),
        )
        .with_attempts(self.attempts)
    }
}

fn header_in<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The common fields of an error body (or a `Success: false` body).
#[derive(Default)]
struct Envelope {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
    access_denied_detail: Option<serde_json::Value>,
}

impl Envelope {
    fn from_object(object: &serde_json::Map<String, serde_json::Value>) -> Self {
        let text = |names: &[&str]| -> Option<String> {
            names.iter().find_map(|name| match object.get(*name) {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                Some(serde_json::Value::Bool(b)) => Some(b.to_string()),
                _ => None,
            })
        };
        Self {
            code: text(&["Code", "code"]),
            message: text(&["Message", "message"]),
            request_id: text(&["RequestId", "requestId"]),
            host_id: text(&["HostId", "hostId"]),
            recommend: text(&["Recommend", "recommend"]),
            access_denied_detail: object
                .get("AccessDeniedDetail")
                .or_else(|| object.get("accessDeniedDetail"))
                .filter(|v| !v.is_null())
                .cloned(),
        }
    }
}

/// The error a non-2xx response describes.
pub(super) fn classify_error(raw: &RawResponse) -> Error {
    if (300..400).contains(&raw.status) {
        // Redirects are never followed: the request is signed for this host, and a redirect
        // to another one would hand it (and the security token) to that host.
        let location = raw.header("location").unwrap_or("nowhere");
        return raw.malformed(format!(
            "the endpoint answered a redirect to {location}; redirects are not followed"
        ));
    }
    let retry_after = raw
        .header(RETRY_AFTER_HEADER)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis);
    let object = match serde_json::from_slice::<serde_json::Value>(&raw.body) {
        Ok(serde_json::Value::Object(object)) => object,
        Ok(_) => return raw.malformed("the error body is not a JSON object"),
        Err(_) if raw.body.is_empty() => return raw.malformed("the error response has no body"),
        Err(_) => return raw.malformed("the error body is not JSON"),
    };
    let envelope = Envelope::from_object(&object);
    let request_id = envelope.request_id.or_else(|| raw.request_id.clone());
    Error::service(
        ServiceError::new(raw.status, envelope.code, envelope.message)
            .with_request_id(request_id)
            .with_host_id(envelope.host_id)
            .with_recommend(envelope.recommend)
            .with_access_denied_detail(envelope.access_denied_detail)
            .with_retry_after(retry_after),
    )
}
