//! `hbr restore-jobs list`: DescribeRestoreJobs2 with friendly flags, automatic paging,
//! and table or streamed JSON output.

use std::io::{BufWriter, IsTerminal, StdoutLock, Write};

use futures_util::{pin_mut, TryStreamExt};
use hbr_client::describe_restore_jobs2::{
    DescribeRestoreJobs2Request, DescribeRestoreJobs2RequestBuilder, Filter, FilterKey, Operator,
    RestoreJob, RestoreJobStatus,
};
use hbr_client::facts::{FilterKind, PageParams};
use hbr_client::types::RestoreType;
use hbr_client::{Client, Operation, Page};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::{ListArgs, OutputFormat};
use crate::connect::Session;
use crate::error::CliError;
use crate::format::{self, Table};
use crate::timearg;

/// The largest page the service returns (the spec's bound of `PageSize`).
const MAX_PAGE_SIZE: i32 = <DescribeRestoreJobs2Request as PageParams>::MAX_PAGE_SIZE;

/// The filter keys the service documents, in their wire spelling.
const FILTER_KEYS: &[&str] = FilterKey::VALUES;

/// The filter operators the service documents.
const OPERATORS: &[&str] = Operator::VALUES;

/// One `--filter KEY:OPERATOR:V1,V2`, with the key and operator in their wire spelling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawFilter {
    key: String,
    operator: String,
    values: Vec<String>,
}

impl RawFilter {
    /// Parses `KEY:OPERATOR:V1,V2` or `KEY:V1,V2` (operator IN). Keys and operators are
    /// case-insensitive; `=`, `!=`, `>`, `>=`, `<`, `<=` stand for the comparisons. For
    /// `CompleteTime` the values may be dates or RFC 3339 times; they are sent as unix
    /// seconds.
    pub fn parse(text: &str) -> Result<Self, String> {
        let Some((key, rest)) = text.split_once(':') else {
            return Err(format!(
                "expected KEY:OPERATOR:V1,V2 (e.g. PlanId:IN:plan-1,plan-2), got {text:?}"
            ));
        };
        let key = wire_key(key.trim())?;
        let (operator, values) = match rest.split_once(':') {
            Some((op, values)) => match wire_operator(op.trim()) {
                Some(op) => (op, values),
                None => match closest_operator(op.trim()) {
                    Some(msg) => return Err(msg),
                    None => ("IN".to_owned(), rest),
                },
            },
            None => ("IN".to_owned(), rest),
        };
        let mut list: Vec<String> = values
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        if list.is_empty() {
            return Err(format!("the filter on {key} has no values"));
        }
        match Filter::FILTER_KEYS
            .iter()
            .find(|k| k.key == key)
            .map(|k| k.kind)
        {
            Some(FilterKind::Time) => {
                list = list
                    .iter()
                    .map(|v| timearg::parse(v).map(|s| s.to_string()))
                    .collect::<Result<_, _>>()?;
            }
            Some(FilterKind::Enum(known)) => {
                list = list.iter().map(|v| enum_value(known, v)).collect();
            }
            Some(FilterKind::String) | None => {}
        }
        Ok(Self {
            key,
            operator,
            values: list,
        })
    }

    /// The typed filter.
    fn to_filter(&self) -> Filter {
        Filter::raw(
            FilterKey::from(self.key.as_str()),
            Operator::from(self.operator.as_str()),
            self.values.iter().cloned(),
        )
    }
}

/// A value of an enum key in its wire spelling, case-insensitively; a value the SDK does not
/// know is sent upper-cased (the spelling of every documented value).
fn enum_value(known: &[&str], value: &str) -> String {
    known
        .iter()
        .find(|k| k.eq_ignore_ascii_case(value))
        .map_or_else(|| value.to_ascii_uppercase(), |k| (*k).to_owned())
}

/// A filter key in its wire spelling, case-insensitively; an unknown one suggests the closest.
fn wire_key(key: &str) -> Result<String, String> {
    if let Some(k) = FILTER_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        return Ok((*k).to_owned());
    }
    let hint = hbr_runtime::de::closest(key, FILTER_KEYS)
        .map(|s| format!("did you mean {s}? "))
        .unwrap_or_default();
    Err(format!(
        "unknown filter key {key:?}; {hint}keys: {}",
        FILTER_KEYS.join(", ")
    ))
}

/// An operator in its wire spelling, if `op` names one.
fn wire_operator(op: &str) -> Option<String> {
    let symbol = match op {
        "=" | "==" => Some("EQUAL"),
        "!=" | "<>" => Some("NOT_EQUAL"),
        ">" => Some("GREATER_THAN"),
        ">=" => Some("GREATER_THAN_OR_EQUAL"),
        "<" => Some("LESS_THAN"),
        "<=" => Some("LESS_THAN_OR_EQUAL"),
        _ => None,
    };
    if let Some(s) = symbol {
        return Some(s.to_owned());
    }
    let upper = op.to_ascii_uppercase().replace('-', "_");
    OPERATORS
        .iter()
        .find(|o| **o == upper)
        .map(|o| (*o).to_owned())
}

/// The error for a middle part that looks like a misspelled operator (not like a value).
fn closest_operator(op: &str) -> Option<String> {
    if op.is_empty() || !op.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let upper = op.to_ascii_uppercase();
    hbr_runtime::de::closest(&upper, OPERATORS).map(|best| {
        format!(
            "unknown operator {op:?}; did you mean {best}? operators: {}",
            OPERATORS.join(", ")
        )
    })
}

/// What to list and how to print it, checked before anything is sent.
#[derive(Debug)]
pub struct Plan {
    filters: Vec<Filter>,
    restore_type: Option<RestoreType>,
    page_size: Option<i32>,
    all: bool,
    limit: Option<u64>,
    concurrency: usize,
    output: OutputFormat,
}

impl Plan {
    /// The plan the flags describe.
    pub fn from_args(args: &ListArgs, output: Option<OutputFormat>) -> Result<Self, CliError> {
        let mut filters = Vec::new();
        if let Some(f) = strings(Filter::vault_id, &args.vault_id) {
            filters.push(f);
        }
        let statuses: Vec<RestoreJobStatus> = args
            .status
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(|s| RestoreJobStatus::from(s.to_ascii_uppercase().as_str()))
            .collect();
        match statuses.len() {
            0 => {}
            1 => filters.extend(statuses.into_iter().map(|s| Filter::status().equal(s))),
            _ => filters.push(Filter::status().is_in(statuses)),
        }
        if let Some(f) = strings(Filter::instance_id, &args.instance_id) {
            filters.push(f);
        }
        if let Some(f) = strings(Filter::bucket, &args.bucket) {
            filters.push(f);
        }
        if let Some(f) = strings(Filter::file_system_id, &args.file_system_id) {
            filters.push(f);
        }
        match (args.completed_after, args.completed_before) {
            (Some(after), Some(before)) => {
                if after >= before {
                    return Err(CliError::Usage(
                        "--completed-after must be earlier than --completed-before".into(),
                    ));
                }
                // BETWEEN is inclusive; "before" is not.
                filters.push(Filter::complete_time().between(after, before - 1));
            }
            (Some(after), None) => {
                filters.push(Filter::complete_time().greater_than_or_equal(after));
            }
            (None, Some(before)) => filters.push(Filter::complete_time().less_than(before)),
            (None, None) => {}
        }
        filters.extend(args.filter.iter().map(RawFilter::to_filter));
        if args.limit == Some(0) {
            return Err(CliError::Usage("--limit must be at least 1".into()));
        }
        Ok(Self {
            filters,
            restore_type: args.restore_type.as_deref().map(RestoreType::from),
            page_size: args.page_size,
            all: args.all,
            limit: args.limit,
            concurrency: args.concurrency,
            output: output.unwrap_or(OutputFormat::Table),
        })
    }

    /// Whether more than one page may be fetched.
    fn pages(&self) -> bool {
        self.all || self.limit.is_some()
    }

    /// The request builder for this plan, bound to `client`.
    fn builder(&self, client: &Client) -> DescribeRestoreJobs2RequestBuilder<Client> {
        let mut builder = client.describe_restore_jobs2();
        if let Some(t) = &self.restore_type {
            builder = builder.restore_type(t.clone());
        }
        for f in &self.filters {
            builder = builder.filter(f.clone());
        }
        let page_size = match (self.page_size, self.pages(), self.limit) {
            (Some(size), _, _) => Some(size),
            (None, true, Some(limit)) if !self.all => Some(
                i32::try_from(limit)
                    .unwrap_or(MAX_PAGE_SIZE)
                    .clamp(1, MAX_PAGE_SIZE),
            ),
            (None, true, _) => Some(MAX_PAGE_SIZE),
            (None, false, _) => None,
        };
        if let Some(size) = page_size {
            builder = builder.page_size(size);
        }
        builder
    }
}

/// A filter on a string key: nothing for no values, EQUAL for one, IN for several.
fn strings(
    key: fn() -> hbr_client::filter::StringKey<Filter>,
    values: &[String],
) -> Option<Filter> {
    let values: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    match values.as_slice() {
        [] => None,
        [one] => Some(key().equal(*one)),
        many => Some(key().is_in(many.iter().copied())),
    }
}

/// Lists the jobs the plan describes and prints them.
pub async fn list(session: &Session, plan: &Plan) -> Result<(), CliError> {
    let builder = plan.builder(&session.client);
    // Check every constraint before anything is sent.
    let request: DescribeRestoreJobs2Request =
        builder.clone().build().map_err(hbr_client::Error::from)?;
    if let Some(debug) = &session.debug {
        let query: Vec<String> = request
            .encode()
            .query
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        debug.line(&format!(
            "> POST {} Action={} Version={} {}",
            session.client.runtime().endpoint().base_url(),
            DescribeRestoreJobs2Request::ACTION,
            DescribeRestoreJobs2Request::VERSION,
            query.join(" ")
        ));
    }

    let stdout = std::io::stdout();
    let mut sink = Sink::new(plan.output, stdout.lock());
    let limit = plan.limit.unwrap_or(u64::MAX);
    let mut total: Option<i64> = None;

    if !plan.pages() {
        let page = builder.send().await?;
        debug_single(session, &page);
        total = page.total_count().map(i64::from);
        for job in page.into_restore_jobs() {
            sink.push(&job)?;
        }
        return sink.finish(total);
    }

    let progress = Progress::new();
    let mut paginator = builder.into_paginator().concurrency(plan.concurrency);
    if let Some(limit) = plan.limit {
        paginator = paginator.max_items(limit);
    }
    let pages = paginator.pages();
    pin_mut!(pages);
    while let Some(page) = pages.try_next().await.map_err(|e| {
        progress.clear();
        CliError::from(e)
    })? {
        debug_page(session, &page);
        if let Some(t) = page.total_count() {
            total = Some(t);
            progress.set_target(u64::try_from(t).unwrap_or(0).min(limit));
        }
        // The paginator yields each job once, in order, and no more than the limit.
        for job in page.items() {
            sink.push(job)?;
        }
        progress.set_position(sink.count());
    }
    progress.clear();
    sink.finish(total)
}

/// With `--debug`, one line per page received.
fn debug_page(session: &Session, page: &Page<RestoreJob>) {
    if let Some(debug) = &session.debug {
        debug.line(&format!(
            "< page: RequestId={} PageNumber={} PageSize={} TotalCount={} jobs={} new={}",
            page.request_id().unwrap_or("-"),
            page.page_number(),
            page.page_size(),
            page.total_count()
                .map_or_else(|| "-".into(), |n| n.to_string()),
            page.received(),
            page.items().len()
        ));
    }
}

/// With `--debug`, the line of the one page asked for without paging.
fn debug_single(
    session: &Session,
    page: &hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Response,
) {
    if let Some(debug) = &session.debug {
        debug.line(&format!(
            "< page: RequestId={} PageNumber={} PageSize={} TotalCount={} jobs={}",
            page.request_id().unwrap_or("-"),
            page.page_number()
                .map_or_else(|| "-".into(), |n| n.to_string()),
            page.page_size()
                .map_or_else(|| "-".into(), |n| n.to_string()),
            page.total_count()
                .map_or_else(|| "-".into(), |n| n.to_string()),
            page.restore_jobs().len()
        ));
    }
}

/// Where jobs go: a JSON array written as they arrive, or a table printed at the end.
enum Sink<'a> {
    Json {
        out: BufWriter<StdoutLock<'a>>,
        count: u64,
    },
    Table {
        out: BufWriter<StdoutLock<'a>>,
        table: Table,
    },
}

impl<'a> Sink<'a> {
    fn new(format: OutputFormat, stdout: StdoutLock<'a>) -> Self {
        let out = BufWriter::with_capacity(64 * 1024, stdout);
        match format {
            OutputFormat::Json => Self::Json { out, count: 0 },
            OutputFormat::Table => Self::Table {
                out,
                table: Table::new(
                    vec![
                        "RESTORE ID",
                        "TYPE",
                        "STATUS",
                        "PROGRESS",
                        "DONE/TOTAL",
                        "CREATED",
                        "COMPLETED",
                        "VAULT",
                    ],
                    vec![false, false, false, true, true, false, false, false],
                ),
            },
        }
    }

    fn count(&self) -> u64 {
        match self {
            Self::Json { count, .. } => *count,
            Self::Table { table, .. } => table.len() as u64,
        }
    }

    fn push(&mut self, job: &RestoreJob) -> Result<(), CliError> {
        match self {
            Self::Json { out, count } => {
                out.write_all(if *count == 0 { b"[\n" } else { b",\n" })
                    .map_err(CliError::Output)?;
                // JSON-carrying fields are copied as received, not unescaped and escaped again.
                hbr_runtime::text::to_json_writer(&mut *out, job)
                    .map_err(|e| CliError::Output(std::io::Error::other(e)))?;
                *count += 1;
                Ok(())
            }
            Self::Table { table, .. } => {
                table.push(row(job));
                Ok(())
            }
        }
    }

    fn finish(self, total: Option<i64>) -> Result<(), CliError> {
        match self {
            Self::Json { mut out, count } => {
                out.write_all(if count == 0 { b"[]\n" } else { b"\n]\n" })
                    .map_err(CliError::Output)?;
                out.flush().map_err(CliError::Output)
            }
            Self::Table { mut out, table } => {
                let total = total.map_or_else(|| "unknown".to_owned(), |t| t.to_string());
                if table.len() == 0 {
                    writeln!(out, "no restore jobs (TotalCount {total})")
                        .map_err(CliError::Output)?;
                } else {
                    table.write(&mut out).map_err(CliError::Output)?;
                    let n = table.len();
                    writeln!(
                        out,
                        "{n} restore job{} shown (TotalCount {total})",
                        if n == 1 { "" } else { "s" }
                    )
                    .map_err(CliError::Output)?;
                }
                out.flush().map_err(CliError::Output)
            }
        }
    }
}

/// A job's table row.
fn row(job: &RestoreJob) -> Vec<String> {
    let text = |s: Option<&str>| s.filter(|s| !s.is_empty()).unwrap_or("-").to_owned();
    vec![
        text(job.restore_id()),
        text(job.restore_type().map(AsRef::as_ref)),
        text(job.status().map(AsRef::as_ref)),
        format::percent(job.progress_percent()),
        format::done_total(job.bytes_done(), job.bytes_total()),
        format::utc_minute(job.created_time()),
        format::utc_minute(job.complete_time()),
        text(job.vault_id()),
    ]
}

/// A progress bar on stderr while pages load; nothing when stderr is not a terminal.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} loading restore jobs {pos}/{len} {wide_bar} {elapsed}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Self { bar }
    }

    fn set_target(&self, target: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(target);
        }
    }

    fn set_position(&self, position: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(position);
        }
    }

    fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_filters() {
        let f = RawFilter::parse("planid:in:p-1, p-2").ok();
        assert_eq!(
            f,
            Some(RawFilter {
                key: "PlanId".into(),
                operator: "IN".into(),
                values: vec!["p-1".into(), "p-2".into()]
            })
        );
        let f = RawFilter::parse("JobId:j-1").ok();
        assert_eq!(f.map(|f| f.operator), Some("IN".to_owned()));
        let f = RawFilter::parse("CompleteTime:between:2024-01-01,2024-01-02").ok();
        assert_eq!(
            f.map(|f| f.values),
            Some(vec!["1704067200".to_owned(), "1704153600".to_owned()])
        );
        let f = RawFilter::parse("CompleteTime:>=:2024-01-01T00:00:00Z").ok();
        assert_eq!(
            f.map(|f| (f.operator, f.values)),
            Some((
                "GREATER_THAN_OR_EQUAL".to_owned(),
                vec!["1704067200".to_owned()]
            ))
        );
        assert!(RawFilter::parse("Vault:IN:v-1").is_err_and(|e| e.contains("did you mean VaultId")));
        assert!(
            RawFilter::parse("VaultId:EQUALS:v-1").is_err_and(|e| e.contains("did you mean EQUAL"))
        );
        assert!(RawFilter::parse("VaultId").is_err());
        assert!(RawFilter::parse("VaultId:IN:").is_err());
    }
}
