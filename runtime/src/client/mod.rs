//! The request pipeline: configuration, endpoints, signing, transport, retries and errors.
//!
//! A [`Runtime`] holds one HTTP connection pool, a [`Config`] and a credentials provider.
//! [`Runtime::execute`] runs any [`Operation`]:
//!
//! 1. validate the request ([`ErrorKind::Validation`], nothing sent);
//! 2. encode its parameters;
//! 3. for each attempt: fetch credentials, sign with a fresh date and nonce, send, read the
//!    whole response (bounded by [`MAX_RESPONSE_BYTES`]), turn an HTTP error into a
//!    [`ServiceError`]; retry what [`RetryConfig`] says is worth retrying for the
//!    operation's [`OperationKind`] (a write only when it certainly had no effect; when it
//!    may have, [`ErrorKind::OutcomeUnknown`]);
//! 4. parse the body into the operation's output ([`ErrorKind::MalformedResponse`] if it
//!    cannot be read) and turn `Success: false` into an [`ErrorKind::Service`] error.
//!
//! Steps 2–3 are not generic ([`Runtime::invoke_raw`] exposes them), so the code each
//! operation adds is small.
//!
//! Tracing: one `hbr.operation` span per call (fields `action`, `request_id`, `attempts`)
//! and one `hbr.attempt` span per attempt (`attempt`, `status`). Secrets, security tokens
//! and signed query strings are never logged.
//!
//! ```no_run
//! use hbr_runtime::client::{Config, Runtime};
//! use hbr_runtime::operation::OperationKind;
//! use hbr_runtime::wire::Params;
//!
//! # async fn demo() -> Result<(), hbr_runtime::client::Error> {
//! let runtime = Runtime::new(Config::builder().region("cn-hangzhou").build())?;
//! let mut params = Params::default();
//! params.query.push(("PageSize".into(), "10".into()));
//! let raw = runtime
//!     .invoke_raw("DescribeRestoreJobs2", "2017-09-08", false, OperationKind::Read, params)
//!     .await?;
//! println!("{}", String::from_utf8_lossy(raw.body()));
//! # Ok(())
//! # }
//! ```

mod config;
mod endpoint;
mod error;
mod raw;
mod retry;
mod transport;

use std::fmt;
use std::sync::Arc;

use tracing::Instrument;

pub use config::{
    base_user_agent, Config, ConfigBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
    MAX_RESPONSE_BYTES, REGION_ENV, USER_AGENT_ENV,
};
pub use endpoint::{Endpoint, Protocol};
pub use error::{
    Error, ErrorKind, MalformedResponse, ServiceError, TimeoutKind, DEFAULT_RETRYABLE_CODES,
    SNIPPET_LEN,
};
pub use raw::{RawResponse, REQUEST_ID_HEADER, RETRY_AFTER_HEADER};
pub use retry::{
    AdaptiveConfig, ClientRateLimiter, RetryConfig, RetryMode, RetryQuota, RetryQuotaConfig,
};

use crate::operation::{Operation, OperationKind, OperationOutput};
use crate::wire::Params;

/// Sends operations to HBR: one connection pool, one configuration, one credentials
/// provider. Cheap to clone; clones share all three.
///
/// `Debug` shows the endpoint and settings, never a secret.
///
/// ```
/// use hbr_runtime::client::{Config, Runtime};
///
/// let runtime = Runtime::new(
///     Config::builder().endpoint("http://127.0.0.1:8080").static_credentials("id", "secret").build(),
/// )?;
/// assert_eq!(runtime.endpoint().base_url(), "http://127.0.0.1:8080/");
/// assert!(!format!("{runtime:?}").contains("secret\""));
/// # Ok::<(), hbr_runtime::client::Error>(())
/// ```
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<transport::Transport>,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("endpoint", &self.inner.endpoint)
            .field("user_agent", &self.inner.user_agent)
            .field("credentials", &self.inner.credentials)
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// A runtime for `config`: resolves the endpoint, checks the user agent and builds the
    /// HTTP client. Without a credentials provider in `config`, the default chain over the
    /// process environment is used (it is asked lazily, at the first request).
    ///
    /// Fails with [`ErrorKind::Configuration`] when there is neither a region nor an
    /// endpoint, or when either is invalid.
    pub fn new(config: Config) -> Result<Self, Error> {
        Ok(Self {
            inner: Arc::new(transport::Transport::new(config)?),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The user agent sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// The client's retry quota, shared by its clones (see [`RetryQuotaConfig`]).
    ///
    /// ```
    /// use hbr_runtime::client::{Config, Runtime};
    ///
    /// let runtime = Runtime::new(Config::builder().endpoint("http://127.0.0.1:1").build())?;
    /// assert_eq!(runtime.retry_quota().available(), Some(500));
    /// # Ok::<(), hbr_runtime::client::Error>(())
    /// ```
    pub fn retry_quota(&self) -> &RetryQuota {
        &self.inner.quota
    }

    /// The client's pacing after throttling, shared by its clones (see
    /// [`RetryConfig::adaptive`]).
    pub fn rate_limiter(&self) -> &ClientRateLimiter {
        &self.inner.limiter
    }

    /// Validates, sends (with retries) and parses one operation.
    ///
    /// ```no_run
    /// # use hbr_runtime::client::{Error, Runtime};
    /// # use hbr_runtime::operation::Operation;
    /// # async fn demo<O: Operation>(runtime: &Runtime, request: &O) -> Result<(), Error> {
    /// let output = runtime.execute(request).await?;
    /// # let _ = output;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn execute<O: Operation>(&self, op: &O) -> Result<O::Output, Error> {
        self.execute_with(op, &CallOptions::default()).await
    }

    /// [`execute`](Self::execute) with options for this call only, e.g. opting in to
    /// retrying a write like a read.
    ///
    /// ```no_run
    /// # use hbr_runtime::client::{CallOptions, Error, Runtime};
    /// # use hbr_runtime::operation::Operation;
    /// # async fn demo<O: Operation>(runtime: &Runtime, request: &O) -> Result<(), Error> {
    /// // This write is harmless when done twice: retry it after any transient failure.
    /// let output = runtime.execute_with(request, &CallOptions::new().retry_writes(true)).await?;
    /// # let _ = output;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn execute_with<O: Operation>(
        &self,
        op: &O,
        options: &CallOptions,
    ) -> Result<O::Output, Error> {
        let span = operation_span(O::ACTION);
        let op_span = span.clone();
        async move {
            op.validate()?;
            let params = op.encode();
            let call = transport::Call {
                action: O::ACTION,
                version: O::VERSION,
                form_body: O::FORM_BODY,
                kind: O::KIND,
                params: &params,
                options,
            };
            let raw = self.inner.invoke(&call, &op_span).await?;
            let output = match crate::de::from_body::<O::Output>(raw.body()) {
                Ok(output) => output,
                Err(e) => return Err(parse_failure(&raw, &e)),
            };
            check_success(
                &raw,
                &op_span,
                output.success(),
                output.code(),
                output.message(),
                output.request_id(),
            )?;
            Ok(output)
        }
        .instrument(span)
        .await
    }

    /// Signs and sends one call by name (with retries) and returns the raw successful
    /// response; HTTP errors become [`Error`]s. The body is not parsed, so a
    /// `Success: false` answer is returned as is (see [`RawResponse::business_error`]).
    ///
    /// `form_body` says whether the operation sends a form body (then the `content-type`
    /// header is sent even when `params.body` is empty); `kind` whether it only reads, which
    /// decides what is retried (see [`RetryConfig`]).
    pub async fn invoke_raw(
        &self,
        action: &str,
        version: &str,
        form_body: bool,
        kind: OperationKind,
        params: Params,
    ) -> Result<RawResponse, Error> {
        self.invoke_raw_with(
            action,
            version,
            form_body,
            kind,
            params,
            &CallOptions::default(),
        )
        .await
    }

    /// [`invoke_raw`](Self::invoke_raw) with options for this call only.
    pub async fn invoke_raw_with(
        &self,
        action: &str,
        version: &str,
        form_body: bool,
        kind: OperationKind,
        params: Params,
        options: &CallOptions,
    ) -> Result<RawResponse, Error> {
        let span = operation_span(action);
        let call = transport::Call {
            action,
            version,
            form_body,
            kind,
            params: &params,
            options,
        };
        self.inner
            .invoke(&call, &span)
            .instrument(span.clone())
            .await
    }
}

/// Options for one call, overriding the client's configuration for it.
///
/// ```
/// use hbr_runtime::client::CallOptions;
///
/// let options = CallOptions::new().retry_writes(true);
/// assert_eq!(options.retries_writes(), Some(true));
/// assert_eq!(CallOptions::default().retries_writes(), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    retry_writes: Option<bool>,
    max_attempts: Option<u32>,
    paced: bool,
}

impl CallOptions {
    /// No overrides: the client's configuration applies.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether to retry this call, if it is a write, like a read: also after failures
    /// that leave open whether it was processed (see
    /// [`RetryConfig::with_retry_writes`]). Only for writes that are harmless when done twice.
    pub fn retry_writes(mut self, retry_writes: bool) -> Self {
        self.retry_writes = Some(retry_writes);
        self
    }

    /// The per-call choice on retrying writes, if one was made.
    pub fn retries_writes(&self) -> Option<bool> {
        self.retry_writes
    }

    /// Makes at most this many attempts for this call (0 counts as 1), instead of the
    /// client's [`RetryConfig::max_attempts`].
    ///
    /// ```
    /// use hbr_runtime::client::CallOptions;
    /// assert_eq!(CallOptions::new().max_attempts(8).attempts(), Some(8));
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// The per-call number of attempts, if one was set.
    pub fn attempts(&self) -> Option<u32> {
        self.max_attempts
    }

    /// Paces this call's attempts with the client's rate limiter after throttling, as
    /// adaptive mode does for every call ([`RetryConfig::adaptive`]), in standard mode too.
    /// The concurrent paginator asks for it for its pages.
    ///
    /// ```
    /// use hbr_runtime::client::CallOptions;
    /// assert!(CallOptions::new().paced(true).is_paced());
    /// assert!(!CallOptions::default().is_paced());
    /// ```
    pub fn paced(mut self, paced: bool) -> Self {
        self.paced = paced;
        self
    }

    /// Whether this call is paced in standard mode too.
    pub fn is_paced(&self) -> bool {
        self.paced
    }
}

fn operation_span(action: &str) -> tracing::Span {
    tracing::info_span!(
        "hbr.operation",
        action,
        request_id = tracing::field::Empty,
        attempts = tracing::field::Empty
    )
}

fn parse_failure(raw: &RawResponse, error: &serde_json::Error) -> Error {
    let err = raw.malformed(format!("cannot read the response body: {error}"));
    tracing::debug!(error = %err, "response not understood");
    err
}

fn check_success(
    raw: &RawResponse,
    span: &tracing::Span,
    success: Option<bool>,
    code: Option<&str>,
    message: Option<&str>,
    request_id: Option<&str>,
) -> Result<(), Error> {
    if let Some(id) = request_id {
        span.record("request_id", id);
    }
    if success == Some(false) {
        let err = raw.business_failure(code, message, request_id);
        tracing::debug!(error = %err, "the service reported Success: false");
        return Err(err);
    }
    Ok(())
}
