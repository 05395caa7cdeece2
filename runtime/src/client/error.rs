//! The one error type of the request pipeline.

use std::fmt;
use std::time::Duration;

use crate::credentials::CredentialsError;
use crate::validate::ValidationError;

/// The codes retried by default: the throttling codes and the service's own "try again".
pub const DEFAULT_RETRYABLE_CODES: &[&str] = &[
    "Throttling",
    "Throttling.User",
    "Throttling.Api",
    "Throttling.Concurrency",
    "ServiceUnavailable",
    "InternalError",
];

/// How many bytes of an unreadable response body an error keeps (and shows).
pub const SNIPPET_LEN: usize = 512;

/// The broad class of an [`Error`], for callers that branch on what went wrong.
///
/// ```
/// use hbr_runtime::client::{Error, ErrorKind};
/// use hbr_runtime::validate::ValidationError;
///
/// let err = Error::from(ValidationError::single("PageSize", "must be at most 99, got 100"));
/// assert_eq!(err.kind(), ErrorKind::Validation);
/// assert!(!err.is_retryable());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The service answered with an error (`Code`, `Message`, ...), or with `Success: false`.
    Service,
    /// The service asked the client to slow down (a `Throttling*` code, HTTP 429, or an
    /// `x-acs-retry-after` header).
    Throttling,
    /// The request breaks a documented constraint; nothing was sent.
    Validation,
    /// No credentials could be obtained.
    Credentials,
    /// A timeout fired; [`Error::timeout`] says which.
    Timeout,
    /// The request could not be sent or its response not received (connection refused,
    /// reset, TLS failure, ...).
    Transport,
    /// A response arrived that is not what the protocol promises (not JSON, not the
    /// expected shape, too large).
    MalformedResponse,
    /// The client is misconfigured (no region or endpoint, an invalid endpoint, ...).
    Configuration,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Service => "service error",
            Self::Throttling => "throttling",
            Self::Validation => "validation error",
            Self::Credentials => "credentials error",
            Self::Timeout => "timeout",
            Self::Transport => "transport error",
            Self::MalformedResponse => "malformed response",
            Self::Configuration => "configuration error",
        })
    }
}

/// Which timeout fired.
///
/// ```
/// use hbr_runtime::client::TimeoutKind;
/// assert_eq!(TimeoutKind::Connect.to_string(), "connect");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// No TCP (and TLS) connection within the connect timeout.
    Connect,
    /// The server sent nothing for longer than the read timeout.
    Read,
    /// One attempt (credentials, connect, send, whole response) took longer than the
    /// per-attempt timeout.
    Attempt,
    /// The whole operation, retries and backoff included, took longer than the operation
    /// timeout.
    Operation,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect",
            Self::Read => "read",
            Self::Attempt => "attempt",
            Self::Operation => "operation",
        })
    }
}

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
fn bounded(text: &str, max: usize) -> String {
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

#[derive(Debug, thiserror::Error)]
enum Repr {
    #[error("{0}")]
    Service(ServiceError),
    #[error("{0}")]
    Throttling(ServiceError),
    #[error(transparent)]
    Validation(ValidationError),
    #[error("credentials: {0}")]
    Credentials(CredentialsError),
    #[error("{kind} timeout: {}", timeout_text(*.kind, *.after))]
    Timeout { kind: TimeoutKind, after: Duration },
    #[error("transport error: {message}")]
    Transport {
        message: String,
        connect: bool,
        // Kept for `Debug`; the URL (which may hold a v1 query with the security token) has
        // been removed.
        inner: Option<reqwest::Error>,
    },
    #[error("{0}")]
    Malformed(MalformedResponse),
    #[error("configuration error: {0}")]
    Configuration(String),
}

fn timeout_text(kind: TimeoutKind, after: Duration) -> String {
    match kind {
        TimeoutKind::Connect => format!("no connection to the endpoint within {after:?}"),
        TimeoutKind::Read => format!("the server sent nothing for {after:?}"),
        TimeoutKind::Attempt => format!("the attempt did not finish within {after:?}"),
        TimeoutKind::Operation => format!("the operation did not finish within {after:?}"),
    }
}

/// The error of every client call: validation, credentials, transport, timeouts and the
/// service's own answers.
///
/// Branch on [`Error::kind`]; read the service's fields with [`Error::code`],
/// [`Error::message`], [`Error::request_id`], [`Error::http_status`] or the whole
/// [`Error::service`]. `Display` is one line, e.g.
/// `InvalidParameter (HTTP 400): The parameter PageSize is invalid. [request id 4734...]`.
/// Neither `Display` nor `Debug` ever shows a secret or a security token.
///
/// ```
/// use hbr_runtime::client::{Error, ErrorKind, ServiceError};
///
/// let err = Error::service(ServiceError::new(400, Some("InvalidParameter".into()), Some("bad".into())));
/// match err.kind() {
///     ErrorKind::Service if err.code() == Some("InvalidParameter") => {}
///     other => panic!("unexpected {other}"),
/// }
/// assert_eq!(err.http_status(), Some(400));
/// assert!(!err.is_retryable());
/// ```
#[derive(Debug)]
pub struct Error {
    repr: Box<Repr>,
    attempts: u32,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.repr, f)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&*self.repr)
    }
}

impl From<ValidationError> for Error {
    fn from(error: ValidationError) -> Self {
        Self::new(Repr::Validation(error))
    }
}

impl From<CredentialsError> for Error {
    fn from(error: CredentialsError) -> Self {
        Self::new(Repr::Credentials(error))
    }
}

impl From<MalformedResponse> for Error {
    fn from(error: MalformedResponse) -> Self {
        Self::new(Repr::Malformed(error))
    }
}

impl Error {
    fn new(repr: Repr) -> Self {
        Self {
            repr: Box::new(repr),
            attempts: 0,
        }
    }

    /// A service error: [`ErrorKind::Throttling`] when the code starts with `Throttling`,
    /// the status is 429 or the server sent a retry delay, [`ErrorKind::Service`] otherwise.
    pub fn service(error: ServiceError) -> Self {
        let throttled = error.status == 429
            || error.retry_after.is_some()
            || error
                .code
                .as_deref()
                .is_some_and(|c| c.starts_with("Throttling"));
        if throttled {
            Self::new(Repr::Throttling(error))
        } else {
            Self::new(Repr::Service(error))
        }
    }

    /// A configuration error with a message saying what to fix.
    ///
    /// ```
    /// let err = hbr_runtime::client::Error::configuration("no region");
    /// assert_eq!(err.to_string(), "configuration error: no region");
    /// ```
    pub fn configuration(message: impl Into<String>) -> Self {
        Self::new(Repr::Configuration(message.into()))
    }

    /// A timeout of the given kind, which fired after `after`.
    pub fn timeout_error(kind: TimeoutKind, after: Duration) -> Self {
        Self::new(Repr::Timeout { kind, after })
    }

    /// A transport error from the HTTP client (the URL, which may carry signed query
    /// parameters, is dropped).
    pub(crate) fn from_reqwest(
        error: reqwest::Error,
        endpoint: &str,
        connect_timeout: Duration,
        read_timeout: Duration,
    ) -> Self {
        let error = error.without_url();
        if error.is_timeout() {
            return if error.is_connect() {
                Self::timeout_error(TimeoutKind::Connect, connect_timeout)
            } else {
                Self::timeout_error(TimeoutKind::Read, read_timeout)
            };
        }
        let connect = error.is_connect();
        let mut message = format!("{endpoint}: {error}");
        let mut source = std::error::Error::source(&error);
        let mut depth = 0;
        while let Some(cause) = source {
            let text = cause.to_string();
            if !text.is_empty() && !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = cause.source();
            depth += 1;
            if depth > 8 {
                break;
            }
        }
        Self::new(Repr::Transport {
            message: bounded(&message, 500),
            connect,
            inner: Some(error),
        })
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        match &*self.repr {
            Repr::Service(_) => ErrorKind::Service,
            Repr::Throttling(_) => ErrorKind::Throttling,
            Repr::Validation(_) => ErrorKind::Validation,
            Repr::Credentials(_) => ErrorKind::Credentials,
            Repr::Timeout { .. } => ErrorKind::Timeout,
            Repr::Transport { .. } => ErrorKind::Transport,
            Repr::Malformed(_) => ErrorKind::MalformedResponse,
            Repr::Configuration(_) => ErrorKind::Configuration,
        }
    }

    /// The service's answer, for [`ErrorKind::Service`] and [`ErrorKind::Throttling`].
    pub fn service_error(&self) -> Option<&ServiceError> {
        match &*self.repr {
            Repr::Service(e) | Repr::Throttling(e) => Some(e),
            _ => None,
        }
    }

    /// The broken constraints, for [`ErrorKind::Validation`].
    pub fn validation_error(&self) -> Option<&ValidationError> {
        match &*self.repr {
            Repr::Validation(e) => Some(e),
            _ => None,
        }
    }

    /// Why credentials could not be obtained, for [`ErrorKind::Credentials`].
    pub fn credentials_error(&self) -> Option<&CredentialsError> {
        match &*self.repr {
            Repr::Credentials(e) => Some(e),
            _ => None,
        }
    }

    /// The unreadable response, for [`ErrorKind::MalformedResponse`].
    pub fn malformed_response(&self) -> Option<&MalformedResponse> {
        match &*self.repr {
            Repr::Malformed(e) => Some(e),
            _ => None,
        }
    }

    /// Which timeout fired, for [`ErrorKind::Timeout`].
    pub fn timeout(&self) -> Option<TimeoutKind> {
        match &*self.repr {
            Repr::Timeout { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// The service's `Code` (for a service or throttling error).
    pub fn code(&self) -> Option<&str> {
        self.service_error().and_then(ServiceError::code)
    }

    /// The service's `Message` (for a service or throttling error).
    pub fn message(&self) -> Option<&str> {
        self.service_error().and_then(ServiceError::message)
    }

    /// The request id, when a response arrived and carried one (body `RequestId` or
    /// `requestId`, else the `x-acs-request-id` header).
    pub fn request_id(&self) -> Option<&str> {
        match &*self.repr {
            Repr::Service(e) | Repr::Throttling(e) => e.request_id(),
            Repr::Malformed(e) => e.request_id(),
            _ => None,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn http_status(&self) -> Option<u16> {
        match &*self.repr {
            Repr::Service(e) | Repr::Throttling(e) => Some(e.http_status()),
            Repr::Malformed(e) => Some(e.http_status()),
            _ => None,
        }
    }

    /// The delay the server asked for before a retry (`x-acs-retry-after`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.service_error().and_then(ServiceError::retry_after)
    }

    /// How many attempts were made before this error was returned (0 when nothing was
    /// sent, e.g. for a validation error).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether a retry of the same request could succeed, under the default retry policy
    /// ([`RetryConfig::standard`](super::RetryConfig::standard)): throttling, HTTP 5xx,
    /// [`DEFAULT_RETRYABLE_CODES`], connection failures and connect/read/attempt timeouts.
    pub fn is_retryable(&self) -> bool {
        self.is_transient(DEFAULT_RETRYABLE_CODES)
    }

    /// Whether this failure is transient when `retryable_codes` are the service codes that
    /// mean "try again": a service answer with one of those codes, an HTTP 5xx status or an
    /// `x-acs-retry-after`; a connection failure; a connect, read or per-attempt timeout; an
    /// unreadable 5xx answer (a gateway's HTML page).
    pub(crate) fn is_transient<S: AsRef<str>>(&self, retryable_codes: &[S]) -> bool {
        match self.kind() {
            ErrorKind::Service | ErrorKind::Throttling => {
                let Some(service) = self.service_error() else {
                    return false;
                };
                service.http_status() >= 500
                    || service.retry_after().is_some()
                    || service
                        .code()
                        .is_some_and(|code| retryable_codes.iter().any(|c| c.as_ref() == code))
            }
            ErrorKind::Timeout => matches!(
                self.timeout(),
                Some(TimeoutKind::Connect | TimeoutKind::Read | TimeoutKind::Attempt)
            ),
            ErrorKind::Transport => self.is_connect_failure(),
            ErrorKind::MalformedResponse => self.http_status().is_some_and(|s| s >= 500),
            _ => false,
        }
    }

    /// Whether this is a transport error that happened while connecting.
    pub(crate) fn is_connect_failure(&self) -> bool {
        matches!(&*self.repr, Repr::Transport { connect: true, .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_bounded_and_single_line() {
        let mut body = b"<html>\r\n<body>".to_vec();
        body.extend(std::iter::repeat_n(b'x', 4000));
        let m = MalformedResponse::new(502, Some("text/html".into()), &body, "not JSON");
        assert!(m.snippet().len() <= SNIPPET_LEN);
        assert!(!m.to_string().contains('\n'));
        assert_eq!(m.body_len(), body.len());
    }

    #[test]
    fn snippet_cuts_utf8_safely() {
        let body = "é".repeat(600);
        let m = MalformedResponse::new(500, None, body.as_bytes(), "x");
        assert!(m.snippet().chars().count() <= SNIPPET_LEN);
    }

    #[test]
    fn throttling_classification() {
        let e = Error::service(ServiceError::new(400, Some("Throttling.User".into()), None));
        assert_eq!(e.kind(), ErrorKind::Throttling);
        let e = Error::service(ServiceError::new(
            400,
            Some("InvalidParameter".into()),
            None,
        ));
        assert_eq!(e.kind(), ErrorKind::Service);
        let e = Error::service(
            ServiceError::new(400, Some("Other".into()), None)
                .with_retry_after(Some(Duration::from_millis(5))),
        );
        assert_eq!(e.kind(), ErrorKind::Throttling);
    }

    #[test]
    fn display_without_code_or_message() {
        let e = Error::service(ServiceError::new(500, None, None));
        assert_eq!(e.to_string(), "HTTP 500: no message");
    }
}
