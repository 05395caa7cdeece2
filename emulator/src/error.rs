//! Errors: [`ApiError`], what a request gets back, and [`Error`], what starting the
//! emulator can fail with.

use std::net::SocketAddr;

/// An error answer of the API: an HTTP status, a service error code and a message.
///
/// On the wire it becomes a JSON body with `RequestId`, `HostId`, `Code`, `Message` and
/// `Recommend`, sent with this status.
///
/// ```
/// let e = hbr_emulator::ApiError::invalid_parameter("PageSize", "must be between 1 and 99");
/// assert_eq!(e.status, 400);
/// assert_eq!(e.code, "InvalidParameter");
/// assert_eq!(e.parameter.as_deref(), Some("PageSize"));
/// assert!(e.message.contains("PageSize"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// The service error code, e.g. `InvalidParameter` or `SignatureDoesNotMatch`.
    pub code: String,
    /// The human-readable message.
    pub message: String,
    /// The request parameter the error is about, when there is one.
    pub parameter: Option<String>,
    /// The value of the `x-acs-retry-after` header (milliseconds), sent with throttling.
    pub retry_after_ms: Option<u64>,
}

impl ApiError {
    /// An error with the given status, code and message.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            parameter: None,
            retry_after_ms: None,
        }
    }

    /// `MissingParameter` (400) for a required parameter that was not sent.
    pub fn missing_parameter(name: &str) -> Self {
        Self {
            parameter: Some(name.to_owned()),
            ..Self::new(
                400,
                "MissingParameter",
                format!(
                    "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
                ),
            )
        }
    }

    /// `InvalidParameter` (400) for a parameter whose value is not acceptable; `why` says
    /// what is wrong with it.
    pub fn invalid_parameter(name: &str, why: impl AsRef<str>) -> Self {
        Self {
            parameter: Some(name.to_owned()),
            ..Self::new(
                400,
                "InvalidParameter",
                format!(
                    "The specified parameter \"{name}\" is not valid: {}.",
                    why.as_ref()
                ),
            )
        }
    }
}

impl ApiError {
    /// `404 Invalid<Name>.NotFound`: the resource whose identifier parameter is `name`
    /// (`VaultId`, `PlanId`, ...) does not exist; `id` is the value given.
    ///
    /// ```
    /// let e = hbr_emulator::ApiError::not_found("VaultId", "v-1");
    /// assert_eq!((e.status, e.code.as_str()), (404, "InvalidVaultId.NotFound"));
    /// assert_eq!(e.parameter.as_deref(), Some("VaultId"));
    /// ```
    pub fn not_found(name: &str, id: &str) -> Self {
        Self {
            parameter: Some(name.to_owned()),
            ..Self::new(
                404,
                format!("Invalid{name}.NotFound"),
                format!("The specified {name} {id:?} does not exist."),
            )
        }
    }

    /// `400 <code>`: the request conflicts with the state of a resource (`why` says how).
    pub fn conflict(code: &str, why: impl Into<String>) -> Self {
        Self::new(400, code, why)
    }
}

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration is not usable.
    #[error("invalid emulator configuration: {0}")]
    Config(String),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// Another I/O failure.
    #[error("emulator I/O error: {0}")]
    Io(#[from] std::io::Error),
}
