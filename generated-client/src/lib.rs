//! A typed, async client for Alibaba Cloud Hybrid Backup Recovery (HBR), API 2017-09-08.
//!
//! The operations, their request builders, response types and enums are generated at build
//! time from the YAML spec in `api-spec/`; the runtime (signing, credentials, endpoints,
//! retries, errors) is hand-written in `hbr-runtime`.
//!
//! ```
//! use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, DescribeRestoreJobs2Response};
//! use hbr_client::types::RestoreType;
//!
//! // Build and check a request (nothing is sent).
//! let request = DescribeRestoreJobs2Request::builder()
//!     .restore_type(RestoreType::EcsFile)
//!     .page_size(50)
//!     .build()?;
//! assert_eq!(request.page_size(), Some(50));
//!
//! // Parse a response body.
//! let body = r#"{"RequestId":"473469C7","Success":true,"TotalCount":1,
//!     "RestoreJobs":{"RestoreJob":[{"RestoreId":"r-1","Status":"COMPLETE","Progress":10000}]}}"#;
//! let page: DescribeRestoreJobs2Response = serde_json::from_str(body)?;
//! let job = &page.restore_jobs()[0];
//! assert_eq!(job.restore_id(), Some("r-1"));
//! assert_eq!(job.progress_percent(), Some(100.0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Waiting for a job to end: each waiter of the spec is a `wait_until_*` method of
//! [`Client`], polling with backoff until a success status, a failure status or the timeout.
//!
//! ```no_run
//! use std::time::Duration;
//! use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, Filter};
//! use hbr_client::{Client, WaitError};
//!
//! # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
//! let request = DescribeRestoreJobs2Request::builder()
//!     .filter(Filter::job_id().equal("r-0001"))
//!     .build()?;
//! let waited = client
//!     .wait_until_restore_job_finished(request)
//!     .timeout(Duration::from_secs(600))
//!     .wait()
//!     .await;
//! match waited {
//!     Ok(job) => println!("{} completed", job.restore_id().unwrap_or_default()),
//!     Err(WaitError::Failed { status, .. }) => eprintln!("it ended {status}"),
//!     Err(WaitError::TimedOut { last_status, .. }) => eprintln!("still {last_status:?}"),
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

extern crate self as hbr_client;

mod client;
pub mod facts;
mod paginator;
pub mod reconcile;
#[cfg(feature = "registry")]
pub mod registry;

pub use client::{Client, SendFuture};
pub use hbr_macros::{HbrEnum, HbrRequest, HbrResponse};
/// Typed filter keys (see each generated filter type's constructors).
pub use hbr_runtime::filter;
pub use hbr_runtime::json_field::JsonFieldError;
pub use hbr_runtime::operation::{
    Operation, OperationKind, OperationOutput, Paginated, TokenPaginated,
};
/// Writes a response, or an item of one, as compact JSON in the API's shape, copying the
/// JSON-carrying strings (`Options`, `UdmDetail`, ...) as received instead of unescaping
/// and escaping them again (feature `serde`).
#[cfg(feature = "serde")]
pub use hbr_runtime::text::to_json_writer;
/// Points in time accepted by time filters.
pub use hbr_runtime::timestamp::IntoUnixSeconds;
pub use hbr_runtime::validate::{ValidationError, Violation};
/// Waiting for a resource to reach a final state (see the `wait_until_*` methods of
/// [`Client`]).
pub use hbr_runtime::waiter::{WaitError, WaitFor, Waiter};
pub use paginator::{
    Page, Paginator, TokenPage, TokenPaginator, DEFAULT_CONCURRENCY, MAX_CONCURRENCY,
};

pub use config::{
    CallOptions, Config, ConfigBuilder, Endpoint, Protocol, RetryConfig, RetryMode,
    SignatureVersion,
};
pub use error::{Error, ErrorKind, ServiceError, TimeoutKind};

/// Client configuration: region and endpoint, signature version, credentials, timeouts,
/// retries, limits and the environment variables read by [`Config::from_env`].
///
/// ```
/// use std::time::Duration;
/// use hbr_client::config::{Config, RetryConfig, SignatureVersion};
///
/// let config = Config::builder()
///     .region("cn-hangzhou")
///     .signature_version(SignatureVersion::V1)
///     .connect_timeout(Duration::from_secs(2))
///     .operation_timeout(Duration::from_secs(60))
///     .retry(RetryConfig::standard().with_max_attempts(5))
///     .build();
/// assert_eq!(config.endpoint()?.authority(), "hbr.cn-hangzhou.aliyuncs.com");
/// # Ok::<(), hbr_client::Error>(())
/// ```
pub mod config {
    pub use hbr_runtime::client::{
        base_user_agent, AdaptiveConfig, CallOptions, ClientRateLimiter, Config, ConfigBuilder,
        Endpoint, Protocol, RetryConfig, RetryMode, RetryQuota, RetryQuotaConfig,
        DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_RETRYABLE_CODES, MAX_RESPONSE_BYTES,
        REGION_ENV, USER_AGENT_ENV,
    };
    pub use hbr_runtime::signing::{SignatureVersion, UnknownSignatureVersion};
}

/// Errors: one [`Error`] type for every call, whose
/// [`kind`](error::Error::kind) says what went wrong (validation, credentials, transport,
/// timeout, the service's answer, a malformed response).
pub mod error {
    #[cfg(feature = "registry")]
    pub use crate::registry::CallError;
    pub use hbr_runtime::client::{
        Error, ErrorKind, MalformedResponse, ServiceError, TimeoutKind, SNIPPET_LEN,
    };
    pub use hbr_runtime::json_field::JsonFieldError;
    pub use hbr_runtime::validate::{ValidationError, Violation};
}

/// Credentials and their providers: static keys, the environment, the CLI and INI profile
/// files, ECS RAM roles, OIDC (RRSA), a credentials URI, and the default chain the official
/// SDKs use.
pub use hbr_runtime::credentials;

/// The lower layer every operation goes through: a [`Runtime`](transport::Runtime) holds the
/// connection pool, configuration and credentials; [`Runtime::invoke_raw`](transport::Runtime::invoke_raw)
/// sends wire parameters of any action and returns the raw answer.
pub mod transport {
    pub use hbr_runtime::client::{RawResponse, Runtime, REQUEST_ID_HEADER, RETRY_AFTER_HEADER};
    pub use hbr_runtime::wire::{Location, Params};
}

/// What generated code and the derives of `hbr-macros` use. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use hbr_runtime::de::{
        missing_parameter, read_optional, read_param, read_wrapped, skip_value, unknown_parameter,
        FromWire, Key, Wrapped,
    };
    pub use hbr_runtime::json_field::{self, JsonFieldError};
    pub use hbr_runtime::operation::{
        Operation, OperationKind, OperationOutput, Paginated, TokenPaginated,
    };
    pub use hbr_runtime::text::{JsonText, Text};
    pub use hbr_runtime::timestamp;
    pub use hbr_runtime::validate::Regex;
    pub use hbr_runtime::validate::{
        check_items, check_length, check_pattern, check_range, child_path, contradicts, effective,
        is_one_of, rule_violation, RuleValue, Validate, ValidationError, Violation,
    };
    pub use hbr_runtime::waiter::WaitFor;
    pub use hbr_runtime::wire::{encode_json, join_key, EncodeParam, Location, Params};
    pub use hbr_runtime::{Set, Unset};
    pub use serde;
    pub use time;
}

/// Includes one generated file: from the committed snapshot (`snapshot/`, the default), or
/// from OUT_DIR when the `regenerate` feature generated it from the spec at build time.
#[cfg(not(hbr_regenerated))]
macro_rules! include_generated {
    ($file:literal) => {
        include!(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshot/", $file));
    };
}
#[cfg(hbr_regenerated)]
macro_rules! include_generated {
    ($file:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $file));
    };
}

include_generated!("lib.rs");

/// The README's examples, compiled as doctests so they stay true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
