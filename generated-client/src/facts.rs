//! The spec's facts as typed values: the bounds and defaults of every request parameter, the
//! paging parameters of list operations, and the keys of typed filters with the operators
//! each accepts.
//!
//! These are the one home of those facts outside the spec: the CLI, the paginator and the
//! emulator read them here instead of keeping copies. Every value is written by the derives
//! (from the `#[hbr(...)]` attributes) or by the generator (from the spec), so a change to the
//! spec reaches them on the next build.
//!
//! - Each field of an [`HbrRequest`](crate::HbrRequest) type has an associated const named
//!   after the field in upper case, a [`Param`]: `DescribeRestoreJobs2Request::PAGE_SIZE`.
//! - Each [`HbrEnum`](crate::HbrEnum) type has `VALUES`, its wire values in documented order:
//!   `RestoreType::VALUES`.
//! - A request paginated by page number implements [`PageParams`]: which parameters page,
//!   and the largest page a paginator asks for; one paginated by token implements
//!   [`TokenPageParams`].
//! - A typed filter type has `FILTER_KEYS`, a [`FilterKeyFacts`] per key:
//!   `Filter::FILTER_KEYS`.
//!
//! ```
//! use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, Filter, FilterKey};
//! use hbr_client::facts::{FilterKind, PageParams, Scalar};
//! use hbr_client::types::RestoreType;
//!
//! let size = DescribeRestoreJobs2Request::PAGE_SIZE;
//! assert_eq!(size.wire, "PageSize");
//! assert_eq!((size.minimum, size.maximum), (Some(1), Some(99)));
//! assert_eq!(size.default, Some(Scalar::Int(10)));
//! assert_eq!(<DescribeRestoreJobs2Request as PageParams>::MAX_PAGE_SIZE, 99);
//! assert_eq!(DescribeRestoreJobs2Request::FILTERS.max_items, Some(5));
//!
//! assert!(RestoreType::VALUES.contains(&"ECS_FILE"));
//! assert_eq!(FilterKey::VALUES.len(), Filter::FILTER_KEYS.len());
//!
//! let time = Filter::FILTER_KEYS.iter().find(|k| k.kind == FilterKind::Time);
//! assert_eq!(time.map(|k| k.key), Some("CompleteTime"));
//! assert!(time.is_some_and(|k| k.accepts("BETWEEN") && !k.accepts("IN")));
//! ```

use std::fmt;

/// A literal a spec states: a parameter's default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// An integer.
    Int(i64),
    /// A string (for an enum parameter, a wire value).
    Str(&'static str),
    /// A boolean.
    Bool(bool),
}

impl Scalar {
    /// The integer, if it is one.
    ///
    /// ```
    /// use hbr_client::facts::Scalar;
    /// assert_eq!(Scalar::Int(10).as_int(), Some(10));
    /// assert_eq!(Scalar::Str("IN").as_int(), None);
    /// ```
    pub const fn as_int(self) -> Option<i64> {
        match self {
            Scalar::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The string, if it is one.
    pub const fn as_str(self) -> Option<&'static str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if it is one.
    pub const fn as_bool(self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(b),
            _ => None,
        }
    }
}

impl fmt::Display for Scalar {
    /// The value as it travels on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Str(s) => f.write_str(s),
            Scalar::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// What the spec says of one request parameter (or of one property of a request object):
/// its wire name, whether it must be given, the default the service assumes, and the bounds
/// the request is checked against before it is sent. `None` means the spec states no such
/// bound.
///
/// ```
/// use hbr_client::describe_restore_jobs2::Filter;
/// assert_eq!(Filter::VALUES.wire, "Values");
/// assert_eq!(Filter::VALUES.max_items, Some(500));
/// assert!(!Filter::VALUES.required);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Param {
    /// The wire name, e.g. `PageSize`.
    pub wire: &'static str,
    /// Whether the request must give it.
    pub required: bool,
    /// The value the service assumes when it is not given.
    pub default: Option<Scalar>,
    /// The smallest value (integers).
    pub minimum: Option<i64>,
    /// The largest value (integers).
    pub maximum: Option<i64>,
    /// The fewest characters (strings).
    pub min_length: Option<usize>,
    /// The most characters (strings).
    pub max_length: Option<usize>,
    /// The fewest items (arrays).
    pub min_items: Option<usize>,
    /// The most items (arrays).
    pub max_items: Option<usize>,
    /// The pattern a string must match.
    pub pattern: Option<&'static str>,
}

/// The paging parameters of a list operation, implemented by `HbrRequest` with `paginate`.
///
/// ```
/// use hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Request as Request;
/// use hbr_client::facts::PageParams;
///
/// fn largest_page<O: PageParams>() -> (&'static str, i32) {
///     (O::PAGE_SIZE.wire, O::MAX_PAGE_SIZE)
/// }
/// assert_eq!(largest_page::<Request>(), ("PageSize", 99));
/// assert_eq!(<Request as PageParams>::PAGE_NUMBER.minimum, Some(1));
/// ```
pub trait PageParams {
    /// The parameter holding the page number.
    const PAGE_NUMBER: Param;
    /// The parameter holding the page size.
    const PAGE_SIZE: Param;
    /// The largest page the service returns (the page size's `maximum`): what a paginator
    /// asks for when the request sets no page size.
    const MAX_PAGE_SIZE: i32;
}

/// The paging parameters of an operation that pages by token, implemented by `HbrRequest`
/// with `paginate(next_token = ..)`.
///
/// ```
/// use hbr_client::describe_policies_v2::DescribePoliciesV2Request as Request;
/// use hbr_client::facts::TokenPageParams;
///
/// assert_eq!(<Request as TokenPageParams>::NEXT_TOKEN.wire, "NextToken");
/// let size = <Request as TokenPageParams>::PAGE_SIZE;
/// assert_eq!((size.wire, size.minimum, size.maximum), ("MaxResults", Some(10), Some(100)));
/// ```
pub trait TokenPageParams {
    /// The parameter carrying the previous answer's token (the response field of the same
    /// name carries the next one).
    const NEXT_TOKEN: Param;
    /// The parameter holding the page size; a paginator asks for its `maximum` when it has
    /// one.
    const PAGE_SIZE: Param;
}

/// What a typed filter key compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FilterKind {
    /// Strings: identifiers and names.
    String,
    /// The wire values of an enum (its `VALUES`).
    Enum(&'static [&'static str]),
    /// Points in time, sent as unix seconds.
    Time,
}

/// One key of a typed filter: its wire name, what it compares and the operators it accepts.
///
/// ```
/// use hbr_client::describe_restore_jobs2::Filter;
/// use hbr_client::facts::FilterKind;
/// let status = Filter::FILTER_KEYS.iter().find(|k| k.key == "Status");
/// assert!(matches!(status.map(|k| k.kind), Some(FilterKind::Enum(values)) if values.contains(&"FAILED")));
/// assert_eq!(status.map(|k| k.operators), Some(&["EQUAL", "NOT_EQUAL", "IN"][..]));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FilterKeyFacts {
    /// The key's wire name, e.g. `VaultId`.
    pub key: &'static str,
    /// What the key compares.
    pub kind: FilterKind,
    /// The operators the key accepts, in their wire spelling.
    pub operators: &'static [&'static str],
}

impl FilterKeyFacts {
    /// Whether the key accepts `operator` (its exact wire spelling).
    pub fn accepts(&self, operator: &str) -> bool {
        self.operators.contains(&operator)
    }
}
