//! The one error type of the request pipeline.

use std::fmt;
use std::time::Duration;

use crate::credentials::CredentialsError;
use crate::validate::ValidationError;

mod response;

use response::bounded;
pub use response::{MalformedResponse, ServiceError};

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
    /// A paginated listing changed so much while it was walked that the walk cannot go on
    /// without losing or repeating items (every item it yielded last has vanished); nothing
    /// was skipped silently, and a new walk starts over.
    Pagination,
    /// Outcome unknown: a write was sent, and the request may have been processed, but no
    /// answer says whether it was (a read timeout, a connection lost after sending, an HTTP
    /// 5xx). It was not sent again, because a write sent twice may be done twice (unless
    /// the caller opted in to retrying writes). [`Error::outcome_unknown_cause`] holds the
    /// failure; check whether the write took effect (e.g. with the listing operation of
    /// what it creates) before sending it again.
    OutcomeUnknown,
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
            Self::Pagination => "pagination error",
            Self::OutcomeUnknown => "outcome unknown",
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
    #[error("pagination error: {0}")]
    Pagination(String),
    #[error(
        "outcome unknown: the request may have been processed: {action} was sent but no \
         answer says whether it took effect ({cause}); {resent}check whether it took effect \
         (list what it creates or changes, e.g. with the matching Describe operation) before \
         sending it again"
    )]
    OutcomeUnknown {
        action: String,
        cause: Error,
        resent: &'static str,
    },
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
    quota_exhausted: bool,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.repr, f)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        if self.quota_exhausted {
            f.write_str(" (not retried: the client's retry quota is exhausted)")?;
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
            quota_exhausted: false,
        }
    }

    /// A service error: [`ErrorKind::Throttling`] when the code starts with `Throttling`,
    /// the status is 429 or the server sent a retry delay, [`ErrorKind::Service`] otherwise.
    pub fn service(error: ServiceError) -> Self {
        let throttled = error.http_status() == 429
            || error.retry_after().is_some()
            || error.code().is_some_and(|c| c.starts_with("Throttling"));
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

    /// A pagination error: the listing changed too much while it was walked.
    ///
    /// ```
    /// use hbr_runtime::client::{Error, ErrorKind};
    /// let err = Error::pagination("none of the 200 items yielded last was found again");
    /// assert_eq!(err.kind(), ErrorKind::Pagination);
    /// assert!(err.to_string().starts_with("pagination error: none of"));
    /// ```
    pub fn pagination(message: impl Into<String>) -> Self {
        Self::new(Repr::Pagination(message.into()))
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

    /// Marks this error as one that was worth another attempt, which was not made because
    /// the client's retry quota was exhausted ([`RetryQuota`](super::RetryQuota)).
    ///
    /// ```
    /// use hbr_runtime::client::{Error, ServiceError};
    /// let err = Error::service(ServiceError::new(503, Some("ServiceUnavailable".into()), None))
    ///     .with_retry_quota_exhausted();
    /// assert!(err.retry_quota_exhausted());
    /// assert!(err.to_string().ends_with("(not retried: the client's retry quota is exhausted)"));
    /// ```
    pub fn with_retry_quota_exhausted(mut self) -> Self {
        self.quota_exhausted = true;
        self
    }

    /// Whether a retry of this error was refused because the client's retry quota was
    /// exhausted (the service is failing many calls; the client stopped adding retries).
    pub fn retry_quota_exhausted(&self) -> bool {
        self.quota_exhausted
    }

    /// An [`ErrorKind::OutcomeUnknown`] error: `action`, a write, was sent and `cause`
    /// leaves open whether it was processed. `resent` says whether it was sent more than once
    /// (the caller opted in to retrying writes).
    ///
    /// ```
    /// use std::time::Duration;
    /// use hbr_runtime::client::{Error, ErrorKind, TimeoutKind};
    ///
    /// let cause = Error::timeout_error(TimeoutKind::Read, Duration::from_secs(10));
    /// let err = Error::outcome_unknown("CreateRestoreJob", cause, false);
    /// assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    /// assert_eq!(err.timeout(), Some(TimeoutKind::Read));
    /// assert!(err.to_string().starts_with("outcome unknown: the request may have been processed: CreateRestoreJob"));
    /// assert!(!err.is_retryable());
    /// ```
    pub fn outcome_unknown(action: impl Into<String>, cause: Error, resent: bool) -> Self {
        let (attempts, quota_exhausted) = (cause.attempts, cause.quota_exhausted);
        let cause = match *cause.repr {
            // Never nested: the innermost cause is the one that matters.
            Repr::OutcomeUnknown { cause, .. } => cause,
            repr => Error {
                repr: Box::new(repr),
                attempts: 0,
                quota_exhausted: false,
            },
        };
        let err = Self::new(Repr::OutcomeUnknown {
            action: action.into(),
            cause,
            resent: if resent {
                "it was sent more than once (retrying writes was asked for), so it may even \
                 have been done more than once; "
            } else {
                "it was not sent again because it is a write; "
            },
        });
        Self {
            attempts,
            quota_exhausted,
            ..err
        }
    }

    /// For [`ErrorKind::OutcomeUnknown`], the failure that left the outcome open (a read
    /// timeout, a transport error, an HTTP 5xx answer, ...).
    pub fn outcome_unknown_cause(&self) -> Option<&Error> {
        match &*self.repr {
            Repr::OutcomeUnknown { cause, .. } => Some(cause),
            _ => None,
        }
    }

    /// This error, or for [`ErrorKind::OutcomeUnknown`] the failure behind it.
    fn innermost(&self) -> &Error {
        self.outcome_unknown_cause().unwrap_or(self)
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
            Repr::Pagination(_) => ErrorKind::Pagination,
            Repr::OutcomeUnknown { .. } => ErrorKind::OutcomeUnknown,
        }
    }

    /// The service's answer, for [`ErrorKind::Service`] and [`ErrorKind::Throttling`] (and
    /// for [`ErrorKind::OutcomeUnknown`] after an HTTP 5xx answer).
    pub fn service_error(&self) -> Option<&ServiceError> {
        match &*self.innermost().repr {
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

    /// The credentials error itself, for [`ErrorKind::Credentials`]; the error unchanged
    /// otherwise.
    pub(crate) fn into_credentials_error(self) -> Result<CredentialsError, Error> {
        match *self.repr {
            Repr::Credentials(e) => Ok(e),
            repr => Err(Error {
                repr: Box::new(repr),
                attempts: self.attempts,
                quota_exhausted: self.quota_exhausted,
            }),
        }
    }

    /// The unreadable response, for [`ErrorKind::MalformedResponse`] (and for
    /// [`ErrorKind::OutcomeUnknown`] after an unreadable 5xx answer).
    pub fn malformed_response(&self) -> Option<&MalformedResponse> {
        match &*self.innermost().repr {
            Repr::Malformed(e) => Some(e),
            _ => None,
        }
    }

    /// Which timeout fired, for [`ErrorKind::Timeout`] (and for
    /// [`ErrorKind::OutcomeUnknown`] after a timeout).
    pub fn timeout(&self) -> Option<TimeoutKind> {
        match &*self.innermost().repr {
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
        match &*self.innermost().repr {
            Repr::Service(e) | Repr::Throttling(e) => e.request_id(),
            Repr::Malformed(e) => e.request_id(),
            _ => None,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn http_status(&self) -> Option<u16> {
        match &*self.innermost().repr {
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
    /// [`DEFAULT_RETRYABLE_CODES`], transport failures and connect/read/attempt timeouts.
    /// That is for a read: whether a write may be sent again also depends on whether it may
    /// have been processed ([`RetryConfig::should_retry_for`](super::RetryConfig::should_retry_for)).
    pub fn is_retryable(&self) -> bool {
        self.is_transient(DEFAULT_RETRYABLE_CODES)
    }

    /// Whether this failure is transient when `retryable_codes` are the service codes that
    /// mean "try again": a service answer with one of those codes, an HTTP 5xx status or an
    /// `x-acs-retry-after`; a transport failure; a connect, read or per-attempt timeout; an
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
            ErrorKind::Transport => true,
            ErrorKind::MalformedResponse => self.http_status().is_some_and(|s| s >= 500),
            _ => false,
        }
    }

    /// What this failure says about whether the request reached the service and was
    /// processed (for an attempt timeout: as if the request had been sent).
    pub(crate) fn delivery(&self) -> Delivery {
        match &*self.repr {
            // Raised before anything is sent (a paginator's verdict is about answers already
            // read, not about a request in flight).
            Repr::Validation(_)
            | Repr::Credentials(_)
            | Repr::Configuration(_)
            | Repr::Pagination(_) => Delivery::NotProcessed,
            Repr::Transport { connect: true, .. } => Delivery::NotProcessed,
            Repr::Transport { connect: false, .. } => Delivery::Ambiguous,
            Repr::Timeout { kind, .. } => match kind {
                TimeoutKind::Connect => Delivery::NotProcessed,
                TimeoutKind::Read | TimeoutKind::Attempt | TimeoutKind::Operation => {
                    Delivery::Ambiguous
                }
            },
            // Throttling is a refusal before any processing, whatever the status.
            Repr::Throttling(_) => Delivery::NotProcessed,
            Repr::Service(e) if e.http_status() >= 500 => Delivery::Ambiguous,
            Repr::Service(_) => Delivery::Answered,
            Repr::Malformed(e) if e.http_status() >= 500 => Delivery::Ambiguous,
            Repr::Malformed(_) => Delivery::Answered,
            Repr::OutcomeUnknown { .. } => Delivery::Ambiguous,
        }
    }
}

/// What a failed attempt says about the request's effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// It certainly had no effect: never sent, not connected, or refused before any
    /// processing (throttling).
    NotProcessed,
    /// The service answered definitely (a 4xx error, an unreadable 2xx).
    Answered,
    /// It may have been processed: sent, and then no answer, or a 5xx.
    Ambiguous,
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
