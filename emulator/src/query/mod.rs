//! `DescribeRestoreJobs2` queries: parsing the wire parameters into a [`Query`] and applying
//! it to a job list with [`select`].
//!
//! The value lists (restore types, editions, filter keys, operators) are the generated
//! client's enums, re-exported here; the bounds, defaults and limits are the generated facts
//! (`hbr_client::facts`), and so are the operators each filter key takes.

mod filter;
pub(crate) mod records;

use std::collections::BTreeMap;

pub use hbr_client::describe_restore_jobs2::{Edition, FilterKey, Operator};
pub use hbr_client::types::RestoreType;

use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, Filter as FilterParams};
use hbr_client::facts::{PageParams, Param, Scalar};

pub(crate) use filter::{JobView, Selector};

use crate::data::{api_order, Job};
use crate::error::ApiError;
use crate::params::{parse_enum, parse_index, Params};

/// The bounds of an integer parameter: the spec's minimum and maximum, else those of its
/// wire type (int32).
const fn bounds(param: Param) -> (i64, i64) {
    let lo = match param.minimum {
        Some(n) => n,
        None => i32::MIN as i64,
    };
    let hi = match param.maximum {
        Some(n) => n,
        None => i32::MAX as i64,
    };
    (lo, hi)
}

/// The spec's default of an integer parameter (`fallback` when it states none).
const fn default_int(param: Param, fallback: i64) -> i64 {
    match param.default {
        Some(Scalar::Int(n)) => n,
        _ => fallback,
    }
}

/// The spec's `max_items` of a list parameter (no limit when it states none).
const fn max_items(param: Param) -> usize {
    match param.max_items {
        Some(n) => n,
        None => usize::MAX,
    }
}

/// `PageNumber`'s bounds.
pub(crate) const PAGE_NUMBER_BOUNDS: (i64, i64) =
    bounds(<DescribeRestoreJobs2Request as PageParams>::PAGE_NUMBER);
/// `PageSize`'s bounds.
pub(crate) const PAGE_SIZE_BOUNDS: (i64, i64) =
    bounds(<DescribeRestoreJobs2Request as PageParams>::PAGE_SIZE);

/// The most filters one request may carry (the spec's `max_items` of `Filters`).
pub const MAX_FILTERS: usize = max_items(DescribeRestoreJobs2Request::FILTERS);
/// The most values one filter may carry (the spec's `max_items` of a filter's `Values`).
pub const MAX_FILTER_VALUES: usize = max_items(FilterParams::VALUES);
/// The default `PageNumber` (the spec's default).
pub const DEFAULT_PAGE_NUMBER: u64 =
    default_int(<DescribeRestoreJobs2Request as PageParams>::PAGE_NUMBER, 1) as u64;
/// The default `PageSize` (the spec's default).
pub const DEFAULT_PAGE_SIZE: u32 = default_int(
    <DescribeRestoreJobs2Request as PageParams>::PAGE_SIZE,
    PAGE_SIZE_BOUNDS.1,
) as u32;
/// The largest `PageSize` (the spec's maximum).
pub const MAX_PAGE_SIZE: u32 = <DescribeRestoreJobs2Request as PageParams>::MAX_PAGE_SIZE as u32;

/// One filter of a query, as sent (`Filters.N.Key`, `Filters.N.Operator`,
/// `Filters.N.Values.M`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// The attribute compared.
    pub key: FilterKey,
    /// The operator; `None` means IN.
    pub operator: Option<Operator>,
    /// The values, in index order.
    pub values: Vec<String>,
}

/// A parsed `DescribeRestoreJobs2` request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// `PageNumber`, from 1.
    pub page_number: u64,
    /// `PageSize`, 1 to [`MAX_PAGE_SIZE`].
    pub page_size: u32,
    /// `RestoreType`, exact match.
    pub restore_type: Option<RestoreType>,
    /// `Edition` (accepted, does not change the result).
    pub edition: Option<Edition>,
    /// The filters, ANDed, in index order.
    pub filters: Vec<Filter>,
}

impl Default for Query {
    /// The first page at the default size ([`DEFAULT_PAGE_SIZE`]), no filter.
    fn default() -> Self {
        Self {
            page_number: DEFAULT_PAGE_NUMBER,
            page_size: DEFAULT_PAGE_SIZE,
            restore_type: None,
            edition: None,
            filters: Vec::new(),
        }
    }
}

/// One page of results, as [`select`] returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// The page number asked for.
    pub page_number: u64,
    /// The page size asked for.
    pub page_size: u32,
    /// How many jobs match over all pages.
    pub total_count: u64,
    /// The jobs of this page, in API order.
    pub jobs: Vec<Job>,
}

/// `n` if it lies within `(lo, hi)`, else `InvalidParameter` naming `name`.
pub(crate) fn in_bounds(name: &str, n: i64, (lo, hi): (i64, i64)) -> Result<i64, ApiError> {
    if (lo..=hi).contains(&n) {
        Ok(n)
    } else {
        Err(ApiError::invalid_parameter(
            name,
            format!("must be between {lo} and {hi}, got {n}"),
        ))
    }
}

/// `Filters.<n>.<rest>` split into the index and the rest; `None` if not a filter key.
fn split_filter_key(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("Filters.")?;
    Some(match rest.split_once('.') {
        Some((index, tail)) => (index, tail),
        None => (rest, ""),
    })
}

/// One filter as sent, before its key and operator are parsed.
#[derive(Default)]
struct RawFilter {
    key: Option<String>,
    operator: Option<String>,
    values: BTreeMap<u32, String>,
}

/// The `Filters.N.*` parameters grouped by `N` (repeatList), within the limits.
fn raw_filters(params: Params<'_>) -> Result<BTreeMap<u32, RawFilter>, ApiError> {
    let mut raw: BTreeMap<u32, RawFilter> = BTreeMap::new();
    for (name, value) in params.iter() {
        let Some((index, tail)) = split_filter_key(name) else {
            continue;
        };
        let bad_name = || {
            ApiError::invalid_parameter(
                name,
                "expected Filters.N.Key, Filters.N.Operator or Filters.N.Values.M with N and M counting from 1",
            )
        };
        let n = parse_index(index).ok_or_else(bad_name)?;
        if !raw.contains_key(&n) && raw.len() >= MAX_FILTERS {
            return Err(ApiError::invalid_parameter(
                "Filters",
                format!("at most {MAX_FILTERS} filters are allowed"),
            ));
        }
        let entry = raw.entry(n).or_default();
        match tail {
            "Key" => entry.key = Some(value.clone()),
            "Operator" => entry.operator = Some(value.clone()),
            _ => {
                let m = tail
                    .strip_prefix("Values.")
                    .and_then(parse_index)
                    .ok_or_else(bad_name)?;
                if !entry.values.contains_key(&m) && entry.values.len() >= MAX_FILTER_VALUES {
                    return Err(ApiError::invalid_parameter(
                        &format!("Filters.{n}.Values"),
                        format!("at most {MAX_FILTER_VALUES} values are allowed"),
                    ));
                }
                entry.values.insert(m, value.clone());
            }
        }
    }
    Ok(raw)
}

/// Filter `n` with its key and operator parsed.
fn parse_filter(n: u32, f: RawFilter) -> Result<Filter, ApiError> {
    let key_name = format!("Filters.{n}.Key");
    let Some(key) = f.key else {
        return Err(ApiError::missing_parameter(&key_name));
    };
    let key: FilterKey = parse_enum(&key_name, &key)?;
    let operator = match f.operator.as_deref() {
        None | Some("") => None,
        Some(op) => Some(parse_enum::<Operator>(
            &format!("Filters.{n}.Operator"),
            op,
        )?),
    };
    Ok(Filter {
        key,
        operator,
        values: f.values.into_values().collect(),
    })
}

impl Query {
    /// Parses the request parameters (URL query and form body merged, in arrival order; a
    /// repeated name keeps its last value). Parameters it does not know are ignored, except
    /// malformed `Filters.*` names, which are refused.
    ///
    /// ```
    /// use hbr_emulator::{FilterKey, Query};
    /// let params: Vec<(String, String)> = [
    ///     ("PageSize", "50"),
    ///     ("Filters.1.Key", "Status"),
    ///     ("Filters.1.Values.1", "FAILED"),
    /// ].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    /// let q = Query::from_params(&params).unwrap();
    /// assert_eq!(q.page_size, 50);
    /// assert_eq!(q.filters[0].key, FilterKey::Status);
    /// assert!(Query::from_params(&[("PageSize".into(), "100".into())]).is_err());
    /// ```
    pub fn from_params(params: &[(String, String)]) -> Result<Self, ApiError> {
        let params = Params(params);
        let mut query = Query::default();
        if let Some(n) = params.integer("PageNumber")? {
            query.page_number = u64::try_from(in_bounds("PageNumber", n, PAGE_NUMBER_BOUNDS)?)
                .unwrap_or(DEFAULT_PAGE_NUMBER);
        }
        if let Some(n) = params.integer("PageSize")? {
            query.page_size = u32::try_from(in_bounds("PageSize", n, PAGE_SIZE_BOUNDS)?)
                .unwrap_or(DEFAULT_PAGE_SIZE);
        }
        query.restore_type = params.enumerated("RestoreType")?;
        query.edition = params.enumerated("Edition")?;
        if params.last("Filters").is_some() {
            return Err(ApiError::invalid_parameter(
                "Filters",
                "filters travel as Filters.N.Key, Filters.N.Operator and Filters.N.Values.M (repeatList), not as one value",
            ));
        }
        for (n, f) in raw_filters(params)? {
            query.filters.push(parse_filter(n, f)?);
        }
        Selector::new(&query)?;
        Ok(query)
    }
}

/// Applies `query` to `jobs` as the service does: the jobs matching `RestoreType` and every
/// filter, in API order (`CreatedTime` descending, then `RestoreId`), cut into pages.
///
/// `jobs` need not be sorted. Errors are the `InvalidParameter`/`MissingParameter` answers
/// the emulator gives for the same query.
///
/// ```
/// use hbr_emulator::{generate_jobs, select, Filter, FilterKey, Operator, Query};
/// let jobs = generate_jobs(100, 1);
/// let mut q = Query::default();
/// q.filters.push(Filter { key: FilterKey::Status, operator: Some(Operator::Equal), values: vec!["FAILED".into()] });
/// let page = select(&jobs, &q).unwrap();
/// assert!(page.jobs.iter().all(|j| j.status == "FAILED"));
///
/// q.filters[0] = Filter { key: FilterKey::CompleteTime, operator: None, values: vec!["0".into()] };
/// assert_eq!(select(&jobs, &q).unwrap_err().code, "InvalidParameter");
/// ```
pub fn select(jobs: &[Job], query: &Query) -> Result<Page, ApiError> {
    let selector = Selector::new(query)?;
    let mut order: Vec<&Job> = jobs.iter().collect();
    order.sort_by(|a, b| api_order(a, b));
    let (total_count, indices) = selector.run(order.iter().copied());
    Ok(Page {
        page_number: query.page_number,
        page_size: query.page_size,
        total_count,
        jobs: indices
            .into_iter()
            .filter_map(|i| order.get(i).map(|j| (*j).clone()))
            .collect(),
    })
}
