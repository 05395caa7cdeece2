//! `DescribeRestoreJobs2` queries: parsing the wire parameters into a [`Query`] and applying
//! it to a job list with [`select`].

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::str::FromStr;

use crate::data::{api_order, Job};
use crate::error::ApiError;

/// The most filters one request may carry.
pub const MAX_FILTERS: usize = 5;
/// The most values one filter may carry.
pub const MAX_FILTER_VALUES: usize = 500;
/// The default `PageSize`.
pub const DEFAULT_PAGE_SIZE: u32 = 10;
/// The largest `PageSize`.
pub const MAX_PAGE_SIZE: u32 = 99;

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $wire:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The wire spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }
        }

        impl FromStr for $name {
            type Err = ();

            /// Parses the exact wire spelling (case-sensitive).
            fn from_str(s: &str) -> Result<Self, ()> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    _ => Err(()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// The `RestoreType` request parameter.
    RestoreType {
        /// Files restored onto an ECS instance.
        EcsFile => "ECS_FILE",
        /// Objects restored into OSS.
        Oss => "OSS",
        /// Files restored into NAS.
        Nas => "NAS",
        /// Data restored into a CPFS file system.
        CommonFileSystem => "COMMON_FILE_SYSTEM",
        /// Tables restored into Tablestore.
        OtsTable => "OTS_TABLE",
        /// A whole ECS instance rolled back.
        UdmEcsRollback => "UDM_ECS_ROLLBACK",
    }
);

wire_enum!(
    /// The `Edition` request parameter. Both editions list the same jobs in the emulator.
    Edition {
        /// The basic edition.
        Basic => "BASIC",
        /// The standard edition (the default).
        Standard => "STANDARD",
    }
);

wire_enum!(
    /// A filter's `Key`. See the crate documentation for the job field each key reads.
    FilterKey {
        /// The job's region ([`Job::region_id`], the region of its vault).
        RegionId => "RegionId",
        /// The backup plan ([`Job::plan_id`]).
        PlanId => "PlanId",
        /// The job's own ID, `RestoreId`.
        JobId => "JobId",
        /// `VaultId`.
        VaultId => "VaultId",
        /// `TargetInstanceId`, the instance restored into.
        InstanceId => "InstanceId",
        /// `TargetBucket`, the bucket restored into.
        Bucket => "Bucket",
        /// `TargetFileSystemId`, the file system restored into.
        FileSystemId => "FileSystemId",
        /// `Status`.
        Status => "Status",
        /// `CompleteTime`, in unix seconds.
        CompleteTime => "CompleteTime",
    }
);

wire_enum!(
    /// A filter's `Operator`.
    Operator {
        /// Equal to the single value.
        Equal => "EQUAL",
        /// Different from the single value.
        NotEqual => "NOT_EQUAL",
        /// Strictly greater than the single value (CompleteTime only).
        GreaterThan => "GREATER_THAN",
        /// Greater than or equal to the single value (CompleteTime only).
        GreaterThanOrEqual => "GREATER_THAN_OR_EQUAL",
        /// Strictly less than the single value (CompleteTime only).
        LessThan => "LESS_THAN",
        /// Less than or equal to the single value (CompleteTime only).
        LessThanOrEqual => "LESS_THAN_OR_EQUAL",
        /// Between two values, both included (CompleteTime only).
        Between => "BETWEEN",
        /// One of the values (the default; not for CompleteTime).
        In => "IN",
    }
);

impl FilterKey {
    /// The job attribute this key reads, for string keys (`None` for CompleteTime).
    pub fn string_value(self, job: &Job) -> Option<&str> {
        Some(match self {
            Self::RegionId => &job.region_id,
            Self::PlanId => &job.plan_id,
            Self::JobId => &job.restore_id,
            Self::VaultId => &job.vault_id,
            Self::InstanceId => &job.target_instance_id,
            Self::Bucket => &job.target_bucket,
            Self::FileSystemId => &job.target_file_system_id,
            Self::Status => &job.status,
            Self::CompleteTime => return None,
        })
    }
}

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
    /// `PageSize`, 1 to 99.
    pub page_size: u32,
    /// `RestoreType`, exact match.
    pub restore_type: Option<RestoreType>,
    /// `Edition` (accepted, does not change the result).
    pub edition: Option<Edition>,
    /// The filters, ANDed, in index order.
    pub filters: Vec<Filter>,
}

impl Default for Query {
    /// Page 1 of 10, no filter.
    fn default() -> Self {
        Self {
            page_number: 1,
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

fn parse_int(name: &str, raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .map_err(|_| ApiError::invalid_parameter(name, format!("{raw:?} is not an integer")))
}

/// `Filters.<n>.<rest>` split into the index and the rest; `None` if not a filter key.
fn split_filter_key(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("Filters.")?;
    Some(match rest.split_once('.') {
        Some((index, tail)) => (index, tail),
        None => (rest, ""),
    })
}

/// A positive decimal index (`1`, `2`, …) as the repeatList style numbers items.
fn parse_index(raw: &str) -> Option<u32> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse::<u32>().ok().filter(|n| *n >= 1)
}

#[derive(Default)]
struct RawFilter {
    key: Option<String>,
    operator: Option<String>,
    values: BTreeMap<u32, String>,
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
        let mut query = Query::default();
        let mut raw: BTreeMap<u32, RawFilter> = BTreeMap::new();
        let last = |name: &str| {
            params
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        if let Some(v) = last("PageNumber") {
            let n = parse_int("PageNumber", v)?;
            if !(1..=i64::from(i32::MAX)).contains(&n) {
                return Err(ApiError::invalid_parameter(
                    "PageNumber",
                    format!("must be between 1 and {}, got {n}", i32::MAX),
                ));
            }
            query.page_number = n.unsigned_abs();
        }
        if let Some(v) = last("PageSize") {
            let n = parse_int("PageSize", v)?;
            if !(1..=i64::from(MAX_PAGE_SIZE)).contains(&n) {
                return Err(ApiError::invalid_parameter(
                    "PageSize",
                    format!("must be between 1 and {MAX_PAGE_SIZE}, got {n}"),
                ));
            }
            query.page_size = u32::try_from(n).unwrap_or(DEFAULT_PAGE_SIZE);
        }
        if let Some(v) = last("RestoreType") {
            query.restore_type = Some(v.parse().map_err(|()| {
                ApiError::invalid_parameter(
                    "RestoreType",
                    format!("{v:?} is not one of {}", list(RestoreType::ALL)),
                )
            })?);
        }
        if let Some(v) = last("Edition") {
            query.edition = Some(v.parse().map_err(|()| {
                ApiError::invalid_parameter(
                    "Edition",
                    format!("{v:?} is not one of {}", list(Edition::ALL)),
                )
            })?);
        }

        if last("Filters").is_some() {
            return Err(ApiError::invalid_parameter(
                "Filters",
                "filters travel as Filters.N.Key, Filters.N.Operator and Filters.N.Values.M (repeatList), not as one value",
            ));
        }
        for (name, value) in params {
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
        for (n, f) in raw {
            let key_name = format!("Filters.{n}.Key");
            let Some(key) = f.key else {
                return Err(ApiError::missing_parameter(&key_name));
            };
            let key: FilterKey = key.parse().map_err(|()| {
                ApiError::invalid_parameter(
                    &key_name,
                    format!("{key:?} is not one of {}", list(FilterKey::ALL)),
                )
            })?;
            let operator = match f.operator.as_deref() {
                None | Some("") => None,
                Some(op) => Some(op.parse::<Operator>().map_err(|()| {
                    ApiError::invalid_parameter(
                        &format!("Filters.{n}.Operator"),
                        format!("{op:?} is not one of {}", list(Operator::ALL)),
                    )
                })?),
            };
            query.filters.push(Filter {
                key,
                operator,
                values: f.values.into_values().collect(),
            });
        }
        compile(&query)?;
        Ok(query)
    }
}

fn list<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A filter checked and ready to test jobs with.
enum Compiled {
    Str {
        key: FilterKey,
        negate: bool,
        values: Vec<String>,
        set: Option<HashSet<String>>,
    },
    Time {
        lo: i64,
        hi: i64,
        exclude: Option<i64>,
    },
}

impl Compiled {
    fn matches(&self, job: &JobView<'_>) -> bool {
        match self {
            Compiled::Str {
                key,
                negate,
                values,
                set,
            } => {
                let value = if *key == FilterKey::Status {
                    job.status
                } else {
                    key.string_value(job.job).unwrap_or_default()
                };
                let found = match set {
                    Some(set) => set.contains(value),
                    None => values.iter().any(|v| v == value),
                };
                found != *negate
            }
            Compiled::Time { lo, hi, exclude } => {
                let t = job.complete_time;
                // Jobs that have not finished have no completion time: no CompleteTime
                // filter matches them.
                t != 0 && *lo <= t && t <= *hi && *exclude != Some(t)
            }
        }
    }
}

/// The values of a BETWEEN filter: two values, or one holding a JSON array `[min, max]`.
fn between_values(values: &[String]) -> Option<Vec<String>> {
    match values {
        [a, b] => Some(vec![a.clone(), b.clone()]),
        [one] => {
            let parsed: serde_json::Value = serde_json::from_str(one).ok()?;
            let arr = parsed.as_array()?;
            if arr.len() != 2 {
                return None;
            }
            arr.iter()
                .map(|v| match v {
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    serde_json::Value::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect()
        }
        _ => None,
    }
}

fn compile_one(n: usize, f: &Filter) -> Result<Compiled, ApiError> {
    let values_name = format!("Filters.{n}.Values");
    let op_name = format!("Filters.{n}.Operator");
    if f.values.is_empty() {
        return Err(ApiError::missing_parameter(&format!("{values_name}.1")));
    }
    if f.values.len() > MAX_FILTER_VALUES {
        return Err(ApiError::invalid_parameter(
            &values_name,
            format!("at most {MAX_FILTER_VALUES} values are allowed"),
        ));
    }
    let op = f.operator.unwrap_or(Operator::In);
    let single = || -> Result<&String, ApiError> {
        match f.values.as_slice() {
            [one] => Ok(one),
            _ => Err(ApiError::invalid_parameter(
                &values_name,
                format!("{op} takes exactly one value, got {}", f.values.len()),
            )),
        }
    };
    if f.key == FilterKey::CompleteTime {
        let time = |raw: &str| -> Result<i64, ApiError> {
            raw.trim().parse::<i64>().map_err(|_| {
                ApiError::invalid_parameter(
                    &values_name,
                    format!("CompleteTime values are unix seconds, got {raw:?}"),
                )
            })
        };
        let (lo, hi, exclude) = match op {
            Operator::In => {
                let why = if f.operator.is_some() {
                    "IN cannot be used with the key CompleteTime"
                } else {
                    "IN (the default Operator) cannot be used with the key CompleteTime; set Operator"
                };
                return Err(ApiError::invalid_parameter(&op_name, why));
            }
            Operator::Equal => {
                let t = time(single()?)?;
                (t, t, None)
            }
            Operator::NotEqual => (i64::MIN, i64::MAX, Some(time(single()?)?)),
            Operator::GreaterThan => (time(single()?)?.saturating_add(1), i64::MAX, None),
            Operator::GreaterThanOrEqual => (time(single()?)?, i64::MAX, None),
            Operator::LessThan => (i64::MIN, time(single()?)?.saturating_sub(1), None),
            Operator::LessThanOrEqual => (i64::MIN, time(single()?)?, None),
            Operator::Between => {
                let pair = between_values(&f.values).ok_or_else(|| {
                    ApiError::invalid_parameter(
                        &values_name,
                        "BETWEEN takes exactly two values, the lower and the upper bound ([min, max])",
                    )
                })?;
                let lo = time(pair.first().map(String::as_str).unwrap_or_default())?;
                let hi = time(pair.get(1).map(String::as_str).unwrap_or_default())?;
                (lo, hi, None)
            }
        };
        return Ok(Compiled::Time { lo, hi, exclude });
    }
    let (negate, values) = match op {
        Operator::In => (false, f.values.clone()),
        Operator::Equal => (false, vec![single()?.clone()]),
        Operator::NotEqual => (true, vec![single()?.clone()]),
        other => {
            return Err(ApiError::invalid_parameter(
                &op_name,
                format!(
                    "{other} cannot be used with the key {}; use EQUAL, NOT_EQUAL or IN",
                    f.key
                ),
            ))
        }
    };
    let set = (values.len() > 16).then(|| values.iter().cloned().collect());
    Ok(Compiled::Str {
        key: f.key,
        negate,
        values,
        set,
    })
}

fn compile(query: &Query) -> Result<Vec<Compiled>, ApiError> {
    if query.page_number == 0 || query.page_number > i32::MAX.unsigned_abs().into() {
        return Err(ApiError::invalid_parameter(
            "PageNumber",
            format!("must be between 1 and {}", i32::MAX),
        ));
    }
    if !(1..=MAX_PAGE_SIZE).contains(&query.page_size) {
        return Err(ApiError::invalid_parameter(
            "PageSize",
            format!("must be between 1 and {MAX_PAGE_SIZE}"),
        ));
    }
    if query.filters.len() > MAX_FILTERS {
        return Err(ApiError::invalid_parameter(
            "Filters",
            format!("at most {MAX_FILTERS} filters are allowed"),
        ));
    }
    query
        .filters
        .iter()
        .enumerate()
        .map(|(i, f)| compile_one(i + 1, f))
        .collect()
}

/// What a filter sees of a job: the stored job, with the status and completion time it has
/// now (they differ from the stored ones for jobs created or cancelled through the API).
#[derive(Clone, Copy)]
pub(crate) struct JobView<'a> {
    pub(crate) job: &'a Job,
    pub(crate) status: &'a str,
    pub(crate) complete_time: i64,
}

impl<'a> JobView<'a> {
    /// The job as stored.
    pub(crate) fn of(job: &'a Job) -> Self {
        Self {
            job,
            status: &job.status,
            complete_time: job.complete_time,
        }
    }
}

/// A query checked against its rules, ready to run over jobs already in API order.
pub(crate) struct Selector {
    restore_type: Option<&'static str>,
    filters: Vec<Compiled>,
    offset: u64,
    limit: usize,
}

impl Selector {
    pub(crate) fn new(query: &Query) -> Result<Self, ApiError> {
        let filters = compile(query)?;
        Ok(Self {
            restore_type: query.restore_type.map(RestoreType::as_str),
            filters,
            offset: (query.page_number - 1).saturating_mul(u64::from(query.page_size)),
            limit: query.page_size as usize,
        })
    }

    fn matches(&self, view: &JobView<'_>) -> bool {
        self.restore_type.is_none_or(|t| view.job.restore_type == t)
            && self.filters.iter().all(|f| f.matches(view))
    }

    /// Runs over `jobs` (already in API order): the total count and the indices on the page.
    pub(crate) fn run<'a, I>(&self, jobs: I) -> (u64, Vec<usize>)
    where
        I: IntoIterator<Item = &'a Job>,
    {
        self.run_tagged(
            jobs.into_iter()
                .enumerate()
                .map(|(i, job)| (JobView::of(job), i)),
        )
    }

    /// Without `RestoreType` or filters every job matches: the total is `len` and the page a
    /// range, found without looking at any job (`None` when there is something to match).
    pub(crate) fn run_unfiltered(&self, len: usize) -> Option<(u64, Vec<usize>)> {
        if self.restore_type.is_some() || !self.filters.is_empty() {
            return None;
        }
        let start = usize::try_from(self.offset).unwrap_or(usize::MAX).min(len);
        let end = start.saturating_add(self.limit).min(len);
        Some((len as u64, (start..end).collect()))
    }

    /// Runs over `(view, tag)` pairs (already in API order): the total count and the tags of
    /// the jobs on the page.
    pub(crate) fn run_tagged<'a, T, I>(&self, jobs: I) -> (u64, Vec<T>)
    where
        I: IntoIterator<Item = (JobView<'a>, T)>,
    {
        let mut total = 0u64;
        let mut page = Vec::with_capacity(self.limit);
        for (job, tag) in jobs {
            if self.matches(&job) {
                if total >= self.offset && page.len() < self.limit {
                    page.push(tag);
                }
                total += 1;
            }
        }
        (total, page)
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

#[cfg(test)]
mod unfiltered_tests {
    use super::*;

    #[test]
    fn the_unfiltered_shortcut_agrees_with_the_scan() {
        let jobs = crate::generate_jobs(250, 3);
        for (page_number, page_size) in [
            (1, 10),
            (3, 99),
            (25, 10),
            (26, 10),
            (1000, 99),
            (2_147_483_647, 99),
        ] {
            let query = Query {
                page_number,
                page_size,
                ..Query::default()
            };
            let selector = Selector::new(&query).unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(
                selector.run_unfiltered(jobs.len()),
                Some(selector.run(&jobs)),
                "page {page_number} of {page_size}"
            );
        }
        let filtered = Query {
            restore_type: Some(RestoreType::Oss),
            ..Query::default()
        };
        let selector = Selector::new(&filtered).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(selector.run_unfiltered(jobs.len()), None);
    }
}
