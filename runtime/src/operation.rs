//! What the runtime needs to know about an operation, implemented by the derives.

use crate::validate::Validate;
use crate::wire::Params;

/// The common envelope fields of a successful response body.
pub trait OperationOutput {
    /// `RequestId`.
    fn request_id(&self) -> Option<&str>;
    /// `Success`, where the operation documents it: `Some(false)` is a business failure.
    fn success(&self) -> Option<bool>;
    /// `Code`.
    fn code(&self) -> Option<&str>;
    /// `Message`.
    fn message(&self) -> Option<&str>;
}

/// Whether an operation only reads or may change something, which decides what may be
/// retried (see [`RetryConfig`](crate::client::RetryConfig)).
///
/// A read (the API metadata's `get` and `list` operation types) is retried after any
/// transient failure. A write is retried only when the request certainly did not reach the
/// service or was refused before any processing (a connect failure, throttling): HBR has no
/// idempotency token, so a write sent twice may be done twice.
///
/// ```
/// use hbr_runtime::operation::OperationKind;
///
/// assert_eq!(OperationKind::from_operation_type("get"), OperationKind::Read);
/// assert_eq!(OperationKind::from_operation_type("list"), OperationKind::Read);
/// assert_eq!(OperationKind::from_operation_type("create"), OperationKind::Write);
/// assert_eq!(OperationKind::from_operation_type(""), OperationKind::Write);
/// assert!(OperationKind::Read.is_read());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperationKind {
    /// Only reads: safe to send again.
    Read,
    /// May create, change or delete something: sent again only when the first request
    /// certainly had no effect.
    Write,
}

impl OperationKind {
    /// The kind of an operation whose API metadata gives this operation type
    /// (`systemTags.operationType`): `get` and `list` are reads; everything else,
    /// an unknown or absent type included, is a write (the safe choice).
    pub fn from_operation_type(operation_type: &str) -> Self {
        match operation_type.trim() {
            "get" | "list" => Self::Read,
            _ => Self::Write,
        }
    }

    /// Whether this is [`OperationKind::Read`].
    pub fn is_read(self) -> bool {
        self == Self::Read
    }
}

impl std::fmt::Display for OperationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Read => "read",
            Self::Write => "write",
        })
    }
}

/// One API operation: its wire identity, its checks and its parameters.
pub trait Operation: Validate + Send + Sync {
    /// The typed response.
    type Output: for<'de> crate::de::FromWire<'de> + OperationOutput + Send + 'static;
    /// The action name, e.g. `DescribeRestoreJobs2`.
    const ACTION: &'static str;
    /// The API version, e.g. `2017-09-08`.
    const VERSION: &'static str;
    /// Whether the operation sends a form body (then `content-type` is sent even if it is empty).
    const FORM_BODY: bool;
    /// Whether the operation only reads or may change something. Writes by default, the
    /// safe choice for a hand-written operation: a write is not sent again after a failure
    /// that leaves its outcome unknown.
    const KIND: OperationKind = OperationKind::Write;
    /// The wire parameters.
    fn encode(&self) -> Params;
}

/// An operation that pages with a page number and a page size.
pub trait Paginated: Operation + Clone + 'static {
    /// One item of a page.
    type Item: Send + 'static;
    /// The page number requested (1 when absent).
    fn page_number(&self) -> Option<i32>;
    /// Sets the page number.
    fn set_page_number(&mut self, page: i32);
    /// The page size requested.
    fn page_size(&self) -> Option<i32>;
    /// Sets the page size.
    fn set_page_size(&mut self, size: i32);
    /// The total number of items the response reports.
    fn total_count(output: &Self::Output) -> Option<i64>;
    /// The number of items on a page.
    fn item_count(output: &Self::Output) -> usize;
    /// Takes the items out of a page.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
    /// The identifier of an item, used to yield each item once when pages shift.
    fn item_key(item: &Self::Item) -> Option<&str>;
}

/// An operation that pages with a continuation token: each response carries the token of
/// the next page (absent or empty on the last one), which the next request sends back.
pub trait TokenPaginated: Operation + Clone + 'static {
    /// One item of a page.
    type Item: Send + 'static;
    /// The token the request sends (none for the first page).
    fn next_token(&self) -> Option<&str>;
    /// Sets the token to send.
    fn set_next_token(&mut self, token: String);
    /// The page size requested.
    fn page_size(&self) -> Option<i32>;
    /// Sets the page size.
    fn set_page_size(&mut self, size: i32);
    /// The token of the page after this one, as the response gives it.
    fn next_token_of(output: &Self::Output) -> Option<&str>;
    /// The total number of items the response reports, if it reports one.
    fn total_count(output: &Self::Output) -> Option<i64>;
    /// The number of items on a page.
    fn item_count(output: &Self::Output) -> usize;
    /// Takes the items out of a page.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
    /// The identifier of an item, if its items have one.
    fn item_key(item: &Self::Item) -> Option<&str>;
}
