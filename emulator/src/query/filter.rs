//! Filters checked against their rules and run over jobs: a [`Selector`] is a [`Query`]
//! compiled once, then matched against each job in API order and cut into a page.

use std::collections::HashSet;

use hbr_client::describe_restore_jobs2::{Filter as FilterParams, FilterKey, Operator};
use hbr_client::facts::{FilterKeyFacts, FilterKind, Scalar};

use super::{Filter, Query, MAX_FILTERS, MAX_FILTER_VALUES, PAGE_NUMBER_BOUNDS, PAGE_SIZE_BOUNDS};
use crate::data::Job;
use crate::error::ApiError;
use crate::params::not_one_of;

/// The job field a string filter key reads (the crate documentation says why each key
/// reads the field it does).
#[derive(Clone, Copy, Debug)]
enum Field {
    Region,
    Plan,
    RestoreId,
    Vault,
    TargetInstance,
    TargetBucket,
    TargetFileSystem,
    Status,
}

/// The job field a string key reads; `None` for a key the emulator does not filter on.
fn field(key: &FilterKey) -> Option<Field> {
    Some(match key {
        FilterKey::RegionId => Field::Region,
        FilterKey::PlanId => Field::Plan,
        FilterKey::JobId => Field::RestoreId,
        FilterKey::VaultId => Field::Vault,
        FilterKey::InstanceId => Field::TargetInstance,
        FilterKey::Bucket => Field::TargetBucket,
        FilterKey::FileSystemId => Field::TargetFileSystem,
        FilterKey::Status => Field::Status,
        _ => return None,
    })
}

/// What the spec says of `key`: what it compares and the operators it takes.
fn key_facts(key: &FilterKey) -> Option<&'static FilterKeyFacts> {
    FilterParams::FILTER_KEYS
        .iter()
        .find(|k| k.key == key.as_str())
}

/// The operator a filter without one uses: the spec's default of `Operator`.
fn default_operator() -> Option<Operator> {
    match FilterParams::OPERATOR.default {
        Some(Scalar::Str(op)) => Some(Operator::from_wire(op)),
        _ => None,
    }
}

/// `"A, B or C"`.
fn either(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl Field {
    // Not inlined: inlined into `Selector::matches`, the address of every field is computed
    // for every job before the filters run (callgrind: 32 instructions a job more than
    // this call).
    #[inline(never)]
    fn read<'a>(self, view: &JobView<'a>) -> &'a str {
        let job = view.job;
        match self {
            Self::Region => &job.region_id,
            Self::Plan => &job.plan_id,
            Self::RestoreId => &job.restore_id,
            Self::Vault => &job.vault_id,
            Self::TargetInstance => &job.target_instance_id,
            Self::TargetBucket => &job.target_bucket,
            Self::TargetFileSystem => &job.target_file_system_id,
            Self::Status => view.status,
        }
    }
}

/// A filter checked and ready to test jobs with.
enum Compiled {
    Str {
        field: Field,
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
                field,
                negate,
                values,
                set,
            } => {
                let value = field.read(job);
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
pub(crate) fn between_values(values: &[String]) -> Option<Vec<String>> {
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

/// The wire names a filter's errors point at.
struct Names {
    key: String,
    operator: String,
    values: String,
}

impl Names {
    fn new(n: usize) -> Self {
        Self {
            key: format!("Filters.{n}.Key"),
            operator: format!("Filters.{n}.Operator"),
            values: format!("Filters.{n}.Values"),
        }
    }
}

/// The single value an operator that takes one value was given.
fn single<'f>(names: &Names, op: &Operator, f: &'f Filter) -> Result<&'f String, ApiError> {
    match f.values.as_slice() {
        [one] => Ok(one),
        _ => Err(ApiError::invalid_parameter(
            &names.values,
            format!("{op} takes exactly one value, got {}", f.values.len()),
        )),
    }
}

/// A `CompleteTime` filter: a range of unix seconds, with perhaps one value left out.
fn compile_time(names: &Names, op: &Operator, f: &Filter) -> Result<Compiled, ApiError> {
    let time = |raw: &str| -> Result<i64, ApiError> {
        raw.trim().parse::<i64>().map_err(|_| {
            ApiError::invalid_parameter(
                &names.values,
                format!("{} values are unix seconds, got {raw:?}", f.key),
            )
        })
    };
    let one = || single(names, op, f).and_then(|v| time(v));
    let (lo, hi, exclude) = match op {
        Operator::Equal => {
            let t = one()?;
            (t, t, None)
        }
        Operator::NotEqual => (i64::MIN, i64::MAX, Some(one()?)),
        Operator::GreaterThan => (one()?.saturating_add(1), i64::MAX, None),
        Operator::GreaterThanOrEqual => (one()?, i64::MAX, None),
        Operator::LessThan => (i64::MIN, one()?.saturating_sub(1), None),
        Operator::LessThanOrEqual => (i64::MIN, one()?, None),
        Operator::Between => {
            let pair = between_values(&f.values).ok_or_else(|| {
                ApiError::invalid_parameter(
                    &names.values,
                    "BETWEEN takes exactly two values, the lower and the upper bound ([min, max])",
                )
            })?;
            let lo = time(pair.first().map(String::as_str).unwrap_or_default())?;
            let hi = time(pair.get(1).map(String::as_str).unwrap_or_default())?;
            (lo, hi, None)
        }
        other => return Err(unsupported_operator(names, other)),
    };
    Ok(Compiled::Time { lo, hi, exclude })
}

/// An operator the spec allows on the key that the emulator does not evaluate.
fn unsupported_operator(names: &Names, op: &Operator) -> ApiError {
    ApiError::invalid_parameter(
        &names.operator,
        format!("the emulator does not evaluate the operator {op}"),
    )
}

/// The operator is one of the spec's and the key takes it.
fn check_operator(
    names: &Names,
    facts: &FilterKeyFacts,
    op: &Operator,
    f: &Filter,
) -> Result<(), ApiError> {
    if op.is_unknown() {
        return Err(not_one_of(&names.operator, op.as_str(), Operator::VALUES));
    }
    if facts.accepts(op.as_str()) {
        return Ok(());
    }
    let why = if f.operator.is_some() {
        format!(
            "{op} cannot be used with the key {}; use {}",
            f.key,
            either(facts.operators)
        )
    } else {
        format!(
            "{op} (the default Operator) cannot be used with the key {}; set Operator",
            f.key
        )
    };
    Err(ApiError::invalid_parameter(&names.operator, why))
}

/// A filter on a string field: IN (any of the values), EQUAL or NOT_EQUAL (one value).
fn compile_str(
    names: &Names,
    field: Field,
    op: &Operator,
    f: &Filter,
) -> Result<Compiled, ApiError> {
    let (negate, values) = match op {
        Operator::In => (false, f.values.clone()),
        Operator::Equal => (false, vec![single(names, op, f)?.clone()]),
        Operator::NotEqual => (true, vec![single(names, op, f)?.clone()]),
        other => return Err(unsupported_operator(names, other)),
    };
    let set = (values.len() > 16).then(|| values.iter().cloned().collect());
    Ok(Compiled::Str {
        field,
        negate,
        values,
        set,
    })
}

/// Filter number `n` (from 1) checked against its rules.
fn compile_one(n: usize, f: &Filter) -> Result<Compiled, ApiError> {
    let names = Names::new(n);
    if f.values.is_empty() {
        return Err(ApiError::missing_parameter(&format!("{}.1", names.values)));
    }
    if f.values.len() > MAX_FILTER_VALUES {
        return Err(ApiError::invalid_parameter(
            &names.values,
            format!("at most {MAX_FILTER_VALUES} values are allowed"),
        ));
    }
    let Some(op) = f.operator.clone().or_else(default_operator) else {
        return Err(ApiError::missing_parameter(&names.operator));
    };
    let facts = match key_facts(&f.key) {
        Some(facts) => facts,
        None if f.key.is_unknown() => {
            return Err(not_one_of(&names.key, f.key.as_str(), FilterKey::VALUES))
        }
        None => {
            return Err(ApiError::invalid_parameter(
                &names.key,
                format!("the spec states no operators for the key {}", f.key),
            ))
        }
    };
    check_operator(&names, facts, &op, f)?;
    match (facts.kind, field(&f.key)) {
        (FilterKind::Time, _) => compile_time(&names, &op, f),
        (FilterKind::String | FilterKind::Enum(_), Some(field)) => {
            compile_str(&names, field, &op, f)
        }
        _ => Err(ApiError::invalid_parameter(
            &names.key,
            format!("the emulator does not filter on the key {}", f.key),
        )),
    }
}

fn compile(query: &Query) -> Result<Vec<Compiled>, ApiError> {
    for (name, n, (lo, hi)) in [
        ("PageNumber", query.page_number, PAGE_NUMBER_BOUNDS),
        ("PageSize", u64::from(query.page_size), PAGE_SIZE_BOUNDS),
    ] {
        if !i64::try_from(n).is_ok_and(|n| (lo..=hi).contains(&n)) {
            return Err(ApiError::invalid_parameter(
                name,
                format!("must be between {lo} and {hi}"),
            ));
        }
    }
    if query.filters.len() > MAX_FILTERS {
        return Err(ApiError::invalid_parameter(
            "Filters",
            format!("at most {MAX_FILTERS} filters are allowed"),
        ));
    }
    if let Some(t) = query.restore_type.as_ref().filter(|t| t.is_unknown()) {
        return Err(not_one_of(
            "RestoreType",
            t.as_str(),
            hbr_client::types::RestoreType::VALUES,
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
    restore_type: Option<String>,
    filters: Vec<Compiled>,
    offset: u64,
    limit: usize,
}

impl Selector {
    pub(crate) fn new(query: &Query) -> Result<Self, ApiError> {
        let filters = compile(query)?;
        Ok(Self {
            restore_type: query.restore_type.as_ref().map(|t| t.as_str().to_owned()),
            filters,
            offset: (query.page_number - 1).saturating_mul(u64::from(query.page_size)),
            limit: query.page_size as usize,
        })
    }

    fn matches(&self, view: &JobView<'_>) -> bool {
        self.restore_type
            .as_deref()
            .is_none_or(|t| view.job.restore_type == t)
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

#[cfg(test)]
mod tests {
    use super::*;
    use hbr_client::types::RestoreType;

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

    #[test]
    fn every_key_takes_the_operators_the_spec_gives_it_and_no_other() {
        for facts in FilterParams::FILTER_KEYS {
            for op in Operator::VALUES {
                let values: &[&str] = if *op == "BETWEEN" {
                    &["1", "2"]
                } else {
                    &["1"]
                };
                let query = Query {
                    filters: vec![Filter {
                        key: FilterKey::from_wire(facts.key),
                        operator: Some(Operator::from_wire(op)),
                        values: values.iter().map(|v| (*v).to_owned()).collect(),
                    }],
                    ..Query::default()
                };
                let result = Selector::new(&query).map(|_| ()).map_err(|e| e.parameter);
                let expected = if facts.accepts(op) {
                    Ok(())
                } else {
                    Err(Some("Filters.1.Operator".to_owned()))
                };
                assert_eq!(result, expected, "{} {op}", facts.key);
            }
        }
        // Every key of the spec is one the emulator filters on.
        assert_eq!(FilterParams::FILTER_KEYS.len(), FilterKey::VALUES.len());
    }

    #[test]
    fn values_outside_the_spec_are_refused_even_when_built_by_hand() {
        let filter = |key: &str, operator: &str| Query {
            filters: vec![Filter {
                key: FilterKey::from_wire(key),
                operator: Some(Operator::from_wire(operator)),
                values: vec!["1".into()],
            }],
            ..Query::default()
        };
        let e = Selector::new(&filter("Colour", "EQUAL"))
            .err()
            .map(|e| e.message);
        assert!(
            e.as_deref()
                .is_some_and(|m| m.contains("\"Colour\" is not one of RegionId")),
            "{e:?}"
        );
        let e = Selector::new(&filter("VaultId", "LIKE"))
            .err()
            .map(|e| e.message);
        assert!(
            e.as_deref()
                .is_some_and(|m| m.contains("\"LIKE\" is not one of EQUAL")),
            "{e:?}"
        );
        let e = Selector::new(&filter("CompleteTime", "LIKE"))
            .err()
            .map(|e| e.parameter);
        assert_eq!(e, Some(Some("Filters.1.Operator".to_owned())));
        let tape = Query {
            restore_type: Some(RestoreType::from_wire("TAPE")),
            ..Query::default()
        };
        let e = Selector::new(&tape).err().map(|e| e.parameter);
        assert_eq!(e, Some(Some("RestoreType".to_owned())));
    }
}
