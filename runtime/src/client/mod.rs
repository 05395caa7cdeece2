//! The request pipeline: configuration, endpoints, signing, transport, retries and errors.
//!
//! A [`Runtime`] holds one HTTP connection pool, a [`Config`] and a credentials provider.
//! [`Runtime::execute`] runs any [`Operation`]:
//!
//! 1. validate the request ([`ErrorKind::Validation`], nothing sent);
//! 2. encode its parameters;
//! 3. for each attempt: fetch credentials, sign with a fresh date and nonce, send, read the
//!    whole response (bounded by [`MAX_RESPONSE_BYTES`]), turn an HTTP error into a
//!    [`ServiceError`]; retry what [`RetryConfig`] says is worth retrying;
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
//! use hbr_runtime::wire::Params;
//!
//! # async fn demo() -> Result<(), hbr_runtime::client::Error> {
//! let runtime = Runtime::new(Config::builder().region("cn-hangzhou").build())?;
//! let mut params = Params::default();
//! params.query.push(("PageSize".into(), "10".into()));
//! let raw = runtime.invoke_raw("DescribeRestoreJobs2", "2017-09-08", false, params).await?;
//! println!("{}", String::from_utf8_lossy(raw.body()));
//! # Ok(())
//! # }
//! ```

mod config;
mod endpoint;
mod error;
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
pub use retry::RetryConfig;
pub use transport::{RawResponse, REQUEST_ID_HEADER, RETRY_AFTER_HEADER};

use crate::operation::{Operation, OperationOutput};
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
        let span = operation_span(O::ACTION);
        let op_span = span.clone();
        async move {
            op.validate()?;
            let params = op.encode();
            let raw = self
                .invoke(O::ACTION, O::VERSION, O::FORM_BODY, &params, &op_span)
                .await?;
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
    /// header is sent even when `params.body` is empty).
    pub async fn invoke_raw(
        &self,
        action: &str,
        version: &str,
        form_body: bool,
        params: Params,
    ) -> Result<RawResponse, Error> {
        let span = operation_span(action);
        self.invoke(action, version, form_body, &params, &span)
            .instrument(span.clone())
            .await
    }

    async fn invoke(
        &self,
        action: &str,
        version: &str,
        form_body: bool,
        params: &Params,
        span: &tracing::Span,
    ) -> Result<RawResponse, Error> {
        let call = transport::Call {
            action,
            version,
            form_body,
            params,
        };
        self.inner.invoke(&call, span).await
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
