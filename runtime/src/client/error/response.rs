//! The service's error answers and unreadable responses, as errors keep them.

use std::fmt;
use std::time::Duration;

use super::SNIPPET_LEN;

/// An error answer of the service: HTTP status, `Code`, `Message`, `RequestId` and the
/// other fields of the error body.
///
/// ```
/// use hbr_runtime::client::ServiceError;
///
/// let err = ServiceError::new(400, Some("InvalidParameter".into()), Some("The parameter PageSize is invalid.".into()))
///     .with_request_id(Some("4734-ABCD".into()));
/// assert_eq!(
///     err.to_string(),
///     "InvalidParameter (HTTP 400): The parameter PageSize is invalid. [request id 4734-ABCD]"
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceError {
    status: u16,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
    access_denied_detail: Option<serde_json::Value>,
    retry_after: Option<Duration>,
}

impl ServiceError {
    /// An error with an HTTP status, a code and a message; the other fields are empty.
    pub fn new(status: u16, code: Option<String>, message: Option<String>) -> Self {
        Self {
            status,
            code,
            message,
            request_id: None,
            host_id: None,
            recommend: None,
            access_denied_detail: None,
            retry_after: None,
        }
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// Sets `HostId`.
    pub fn with_host_id(mut self, host_id: Option<String>) -> Self {
        self.host_id = host_id;
        self
    }

    /// Sets `Recommend`.
    pub fn with_recommend(mut self, recommend: Option<String>) -> Self {
        self.recommend = recommend;
        self
    }

    /// Sets `AccessDeniedDetail`.
    pub fn with_access_denied_detail(mut self, detail: Option<serde_json::Value>) -> Self {
        self.access_denied_detail = detail;
        self
    }

    /// Sets the delay the server asked for (`x-acs-retry-after`).
    pub fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.retry_after = retry_after;
        self
    }

    /// The HTTP status (200 for a `Success: false` answer).
    pub fn http_status(&self) -> u16 {
        self.status
    }

    /// `Code`, e.g. `InvalidParameter`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// `Message`.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// `RequestId` from the body, else the `x-acs-request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// `HostId`: the endpoint that answered.
    pub fn host_id(&self) -> Option<&str> {
        self.host_id.as_deref()
    }

    /// `Recommend`: a troubleshooting URL.
    pub fn recommend(&self) -> Option<&str> {
        self.recommend.as_deref()
    }

    /// `AccessDeniedDetail` of an authorization failure (`AuthAction`,
    /// `EncodedDiagnosticMessage`, ...), as sent.
    pub fn access_denied_detail(&self) -> Option<&serde_json::Value> {
        self.access_denied_detail.as_ref()
    }

    /// The delay the server asked for in `x-acs-retry-after` (milliseconds on the wire).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) if !code.is_empty() => write!(f, "{code} (HTTP {})", self.status)?,
            _ => write!(f, "HTTP {}", self.status)?,
        }
        match &self.message {
            Some(message) if !message.is_empty() => write!(f, ": {}", one_line(message))?,
            _ => f.write_str(": no message")?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(after) = self.retry_after {
            write!(f, " (retry after {after:?})")?;
        }
        Ok(())
    }
}

/// A response that could not be read as the protocol promises.
///
/// Holds the status, the content type and at most [`SNIPPET_LEN`] bytes of the body (control
/// characters and runs of whitespace shown as one space), never the whole body.
///
/// ```
/// use hbr_runtime::client::MalformedResponse;
///
/// let body = b"<html><body>502 Bad Gateway</body></html>";
/// let err = MalformedResponse::new(502, Some("text/html".into()), body, "the body is not JSON");
/// assert_eq!(err.snippet(), "<html><body>502 Bad Gateway</body></html>");
/// assert!(err.to_string().starts_with("malformed response (HTTP 502, text/html): the body is not JSON"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedResponse {
    status: u16,
    content_type: Option<String>,
    snippet: String,
    body_len: usize,
    reason: String,
    request_id: Option<String>,
}

impl MalformedResponse {
    /// Describes a response: its status, content type, body (only a snippet is kept) and
    /// what is wrong with it.
    pub fn new(
        status: u16,
        content_type: Option<String>,
        body: &[u8],
        reason: impl Into<String>,
    ) -> Self {
        Self {
            status,
            content_type,
            snippet: snippet(body),
            body_len: body.len(),
            reason: bounded(&reason.into(), 300),
            request_id: None,
        }
    }

    /// Sets the request id (from the `x-acs-request-id` header).
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// The HTTP status.
    pub fn http_status(&self) -> u16 {
        self.status
    }

    /// The `content-type` header, if sent.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The start of the body: at most [`SNIPPET_LEN`] bytes, lossily decoded, control
    /// characters and runs of whitespace shown as one space.
    pub fn snippet(&self) -> &str {
        &self.snippet
    }

    /// The length of the whole body in bytes (as far as it was read).
    pub fn body_len(&self) -> usize {
        self.body_len
    }

    /// What is wrong, e.g. `the body is not JSON`.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The request id from the `x-acs-request-id` header, if sent.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for MalformedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed response (HTTP {}", self.status)?;
        if let Some(ct) = &self.content_type {
            write!(f, ", {}", one_line(ct))?;
        }
        write!(f, "): {}", self.reason)?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if self.snippet.is_empty() {
            f.write_str("; empty body")
        } else if self.body_len > SNIPPET_LEN {
            write!(
                f,
                "; body ({} bytes) starts with: {}",
                self.body_len, self.snippet
            )
        } else {
            write!(f, "; body: {}", self.snippet)
        }
    }
}

/// At most [`SNIPPET_LEN`] bytes of `body`, lossily decoded, on one line.
fn snippet(body: &[u8]) -> String {
    let head = body.get(..SNIPPET_LEN).unwrap_or(body);
    let mut out = String::with_capacity(head.len());
    for c in String::from_utf8_lossy(head).chars() {
        if c.is_control() || c.is_whitespace() {
            // Runs of whitespace and control characters become one space.
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// `text` on one line (control characters as spaces).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `text` on one line and cut to at most `max` characters.
pub(super) fn bounded(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push_str("...");
    }
    out
}
