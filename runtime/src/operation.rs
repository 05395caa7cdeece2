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
