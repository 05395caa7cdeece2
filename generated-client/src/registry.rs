//! Every operation of the client by name, with its parameters and a dynamic entry point that
//! takes and returns API-shaped JSON. This is what `hbr call` is built on.
//!
//! ```
//! let op = hbr_client::registry::find("DescribeRestoreJobs2")?;
//! assert!(op.parameters.iter().any(|p| p.name == "PageSize"));
//! assert_eq!(op.kind, hbr_client::OperationKind::Read);
//! let err = hbr_client::registry::find("DescribeRestoreJob2").unwrap_err();
//! assert!(err.to_string().contains("did you mean `DescribeRestoreJobs2`?"));
//! # Ok::<(), hbr_client::registry::CallError>(())
//! ```

use std::future::Future;
use std::pin::Pin;

use futures_core::Stream;
use futures_util::stream::{self, StreamExt};
use hbr_runtime::client::Error;
use hbr_runtime::operation::{Operation, OperationKind, Paginated, TokenPaginated};
use hbr_runtime::validate::{Validate, ValidationError};

use crate::Client;

/// A boxed future borrowing the client.
pub type CallFuture<'a> =
    Pin<Box<dyn Future<Output = Result<serde_json::Value, CallError>> + Send + 'a>>;

/// Decodes API-shaped JSON into the operation's typed request, validates it, sends it, and
/// returns the response as API-shaped JSON.
pub type CallFn = for<'a> fn(&'a Client, serde_json::Value) -> CallFuture<'a>;

/// Decodes and validates API-shaped JSON without sending anything (returns the request as it
/// will be sent, re-serialized).
pub type CheckFn = fn(serde_json::Value) -> Result<serde_json::Value, CallError>;

/// Decodes and validates API-shaped JSON and returns the wire parameters it encodes to.
pub type EncodeFn = fn(serde_json::Value) -> Result<hbr_runtime::wire::Params, CallError>;

/// Parses a response body (the bytes the service answered with) into the operation's typed
/// response, exactly as [`Client`] does, and returns it as API-shaped JSON. Nothing is sent.
pub type DecodeFn = fn(&[u8]) -> Result<serde_json::Value, CallError>;

/// One operation.
#[derive(Debug)]
pub struct OperationInfo {
    /// The action name.
    pub name: &'static str,
    /// One sentence on what it does.
    pub summary: &'static str,
    /// Whether it only reads or may change something: the request type's
    /// [`Operation::KIND`], which decides what a failure may be retried after.
    pub kind: OperationKind,
    /// Every parameter, nested ones as `Filters.N.Key`.
    pub parameters: &'static [ParamInfo],
    /// Sends it.
    pub call: CallFn,
    /// Checks an input without sending it.
    pub check: CheckFn,
    /// The wire parameters an input encodes to (query and form body), without sending it.
    pub encode: EncodeFn,
    /// Parses a response body into the typed response (see [`DecodeFn`]).
    pub decode: DecodeFn,
    /// How it pages, if it is a list operation that does.
    pub paging: Option<Paging>,
}

/// How a list operation pages: its spec's `pagination:` block, and an entry point that walks
/// every page with the typed paginator.
///
/// ```
/// use hbr_client::registry::{self, PageBy};
///
/// let vaults = registry::find("DescribeVaults")?.paging.as_ref().expect("pages");
/// assert_eq!((vaults.by, vaults.cursor, vaults.items), (PageBy::Number, "PageNumber", "Vaults"));
/// let policies = registry::find("DescribePoliciesV2")?.paging.as_ref().expect("pages");
/// assert_eq!((policies.by, policies.cursor), (PageBy::Token, "NextToken"));
/// assert_eq!(policies.page_size.maximum, Some(100));
/// assert!(registry::find("CreateVault")?.paging.is_none());
/// # Ok::<(), hbr_client::registry::CallError>(())
/// ```
#[derive(Debug)]
pub struct Paging {
    /// By page number or by token.
    pub by: PageBy,
    /// The request parameter naming the page: `PageNumber`, or `NextToken` (the response
    /// field of the same name carries the token of the next page).
    pub cursor: &'static str,
    /// The page-size parameter, with its default and bounds.
    pub page_size: crate::facts::Param,
    /// The response field holding the items of a page.
    pub items: &'static str,
    /// The key the array travels under inside `items` (`"Vaults": {"Vault": [..]}`), if any.
    pub wrapper: Option<&'static str>,
    /// The response field with the number of items in all, if the operation reports one.
    pub total_count: Option<&'static str>,
    /// The string field identifying an item, if the spec names one (`item_key`).
    pub item_key: Option<&'static str>,
    /// The fields of one item: wire name and type (`string`, `int64`, ...), in documented
    /// order.
    pub item_fields: &'static [(&'static str, &'static str)],
    /// Walks every page of a request given as API-shaped JSON (the paging parameters it
    /// sets are where the walk starts and the page size) and yields each item as API-shaped
    /// JSON, in order.
    pub all: AllFn,
}

/// How an operation names its next page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageBy {
    /// A page number (1-based) and a page size; pages are fetched several at a time.
    Number,
    /// The token of the previous answer; pages are fetched one after the other.
    Token,
}

/// The items of every page, as API-shaped JSON.
pub type ItemStream = Pin<Box<dyn Stream<Item = Result<serde_json::Value, CallError>> + Send>>;

/// See [`Paging::all`]: the client, the request, and at most how many items to yield.
pub type AllFn = fn(&Client, serde_json::Value, Option<u64>) -> ItemStream;

fn item_json<O: Operation, T: serde::Serialize>(item: T) -> Result<serde_json::Value, CallError> {
    serde_json::to_value(item).map_err(|source| CallError::Output {
        operation: O::ACTION,
        source,
    })
}

/// Decodes `input` into `O`, walks it with `walk` and renders each item as JSON.
fn all_items<O, T, S>(input: serde_json::Value, walk: impl FnOnce(O) -> S) -> ItemStream
where
    O: Operation + for<'de> serde::Deserialize<'de>,
    T: serde::Serialize,
    S: Stream<Item = Result<T, Error>> + Send + 'static,
{
    match decode::<O>(input) {
        Ok(request) => Box::pin(walk(request).map(|item| item_json::<O, _>(item?))),
        Err(e) => Box::pin(stream::once(async move { Err(e) })),
    }
}

/// The typed body of [`AllFn`] for an operation that pages by number ([`crate::Paginator`]).
pub fn all_numbered<O>(client: &Client, input: serde_json::Value, max: Option<u64>) -> ItemStream
where
    O: Paginated + crate::facts::PageParams + for<'de> serde::Deserialize<'de>,
    O::Item: serde::Serialize,
{
    let client = client.clone();
    all_items(input, move |request: O| {
        let paginator = crate::Paginator::new(client, Ok(request));
        paginator.max_items(max.unwrap_or(u64::MAX)).items()
    })
}

/// The typed body of [`AllFn`] for an operation that pages by token
/// ([`crate::TokenPaginator`]).
pub fn all_tokened<O>(client: &Client, input: serde_json::Value, max: Option<u64>) -> ItemStream
where
    O: TokenPaginated + crate::facts::TokenPageParams + for<'de> serde::Deserialize<'de>,
    O::Item: serde::Serialize,
{
    let client = client.clone();
    all_items(input, move |request: O| {
        let paginator = crate::TokenPaginator::new(client, Ok(request));
        paginator.max_items(max.unwrap_or(u64::MAX)).items()
    })
}

/// One request parameter, for help texts.
#[derive(Debug)]
pub struct ParamInfo {
    /// Wire path, e.g. `PageSize` or `Filters.N.Values.N`.
    pub name: &'static str,
    /// `string`, `int32`, `int64`, `boolean`, `array`, `object`, `any`.
    pub ty: &'static str,
    /// `query` or `body` (top-level parameters).
    pub location: &'static str,
    /// Whether it must be given.
    pub required: bool,
    /// The documented constraints in words (range, lengths, items, default).
    pub constraints: &'static str,
    /// The values the spec documents for it in this operation, if it takes an enum (the
    /// spec's `values:` where it lists only some, else all of the enum's). Documentation,
    /// not a limit: the client sends any other value as given, and `hbr call` warns.
    pub values: &'static [&'static str],
    /// Every value its enum knows (the enum's `VALUES`), a superset of [`values`](Self::values)
    /// holding the ones other operations document; empty when it takes no enum.
    pub enum_values: &'static [&'static str],
    /// What it means.
    pub doc: &'static str,
}

/// Why a dynamic call failed.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// No operation of that name.
    #[error("unknown operation `{name}`{}", suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownOperation {
        /// The name given.
        name: String,
        /// The closest operation name.
        suggestion: Option<&'static str>,
    },
    /// The input JSON does not decode into the request.
    #[error("invalid input for {operation}: {source}")]
    Input {
        /// The operation.
        operation: &'static str,
        /// What is wrong, with the parameter named.
        #[source]
        source: serde_json::Error,
    },
    /// The request breaks a documented constraint; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// Sending failed or the service answered with an error.
    #[error(transparent)]
    Api(#[from] Error),
    /// A response body does not parse into the operation's typed response.
    #[error("invalid response body for {operation}: {source}")]
    Response {
        /// The operation.
        operation: &'static str,
        /// What is wrong, with the field named.
        #[source]
        source: serde_json::Error,
    },
    /// The response could not be turned back into JSON.
    #[error("cannot render the response of {operation} as JSON: {source}")]
    Output {
        /// The operation.
        operation: &'static str,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
}

/// The operation called `name`.
pub fn find(name: &str) -> Result<&'static OperationInfo, CallError> {
    crate::OPERATIONS
        .iter()
        .find(|o| o.name == name)
        .ok_or_else(|| CallError::UnknownOperation {
            name: name.to_owned(),
            suggestion: hbr_runtime::de::closest(name, crate::OPERATION_NAMES),
        })
}

/// Decodes API-shaped JSON into the typed request `O` and validates it, as [`CallFn`] does
/// before sending.
///
/// ```
/// use hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Request;
///
/// let request: DescribeRestoreJobs2Request =
///     hbr_client::registry::decode(serde_json::json!({"PageSize": 5}))?;
/// assert_eq!(request.page_size(), Some(5));
/// assert!(hbr_client::registry::decode::<DescribeRestoreJobs2Request>(serde_json::json!({"PageSize": 0})).is_err());
/// # Ok::<(), hbr_client::registry::CallError>(())
/// ```
pub fn decode<O>(input: serde_json::Value) -> Result<O, CallError>
where
    O: Operation + for<'de> serde::Deserialize<'de>,
{
    let request: O = serde_json::from_value(input).map_err(|source| CallError::Input {
        operation: O::ACTION,
        source,
    })?;
    Validate::validate(&request)?;
    Ok(request)
}

/// The typed body of [`CallFn`] for one operation.
pub async fn call_typed<O>(
    client: &Client,
    input: serde_json::Value,
) -> Result<serde_json::Value, CallError>
where
    O: Operation + for<'de> serde::Deserialize<'de>,
    O::Output: serde::Serialize,
{
    let request: O = decode(input)?;
    let output = client.execute(&request).await?;
    serde_json::to_value(&output).map_err(|source| CallError::Output {
        operation: O::ACTION,
        source,
    })
}

/// The typed body of [`CheckFn`] for one operation.
pub fn check_typed<O>(input: serde_json::Value) -> Result<serde_json::Value, CallError>
where
    O: Operation + for<'de> serde::Deserialize<'de> + serde::Serialize,
{
    let request: O = decode(input)?;
    serde_json::to_value(&request).map_err(|source| CallError::Output {
        operation: O::ACTION,
        source,
    })
}

/// The typed body of [`EncodeFn`] for one operation.
pub fn encode_typed<O>(input: serde_json::Value) -> Result<hbr_runtime::wire::Params, CallError>
where
    O: Operation + for<'de> serde::Deserialize<'de>,
{
    let request: O = decode(input)?;
    Ok(request.encode())
}

/// The typed body of [`DecodeFn`] for one operation.
///
/// ```
/// let op = hbr_client::registry::find("DescribeRestoreJobs2")?;
/// let page = (op.decode)(br#"{"RequestId":"r","TotalCount":3}"#)?;
/// assert_eq!(page["TotalCount"], 3);
/// let err = (op.decode)(br#"{"TotalCount":"many"}"#).unwrap_err();
/// assert!(err.to_string().contains("TotalCount"), "{err}");
/// # Ok::<(), hbr_client::registry::CallError>(())
/// ```
pub fn decode_typed<O>(body: &[u8]) -> Result<serde_json::Value, CallError>
where
    O: Operation,
    O::Output: serde::Serialize,
{
    let output =
        hbr_runtime::de::from_body::<O::Output>(body).map_err(|source| CallError::Response {
            operation: O::ACTION,
            source,
        })?;
    serde_json::to_value(&output).map_err(|source| CallError::Output {
        operation: O::ACTION,
        source,
    })
}
