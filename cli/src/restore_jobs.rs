//! `hbr restore-jobs list`: DescribeRestoreJobs2 with friendly flags, automatic paging,
//! and table or streamed JSON output.

use std::io::{BufWriter, IsTerminal, StdoutLock, Write};

use futures_util::{pin_mut, TryStreamExt};
use hbr_client::describe_restore_jobs2::{
    DescribeRestoreJobs2Request, DescribeRestoreJobs2RequestBuilder, Filter, RestoreJob,
    RestoreJobStatus,
};
use hbr_client::facts::PageParams;
use hbr_client::types::RestoreType;
use hbr_client::{Client, Operation, Page};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::{ListArgs, OutputFormat};
use crate::connect::Session;
use crate::error::CliError;
use crate::filter_arg::RawFilter;
use crate::format::{self, Table};
use crate::friendly;

/// The largest page the service returns (the spec's bound of `PageSize`).
const MAX_PAGE_SIZE: i32 = <DescribeRestoreJobs2Request as PageParams>::MAX_PAGE_SIZE;

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
            .map(|s| friendly::value("--status", s, RestoreJobStatus::VALUES))
            .map(|s| s.map(|s| RestoreJobStatus::from(s.as_str())))
            .collect::<Result<_, _>>()?;
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
        let restore_type = args
            .restore_type
            .as_deref()
            .map(|t| friendly::value("--restore-type", t, RestoreType::VALUES))
            .transpose()?;
        Ok(Self {
            filters,
            restore_type: restore_type.as_deref().map(RestoreType::from),
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
                hbr_client::to_json_writer(&mut *out, job)
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
