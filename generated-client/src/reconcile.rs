//! Creates that survive a lost answer: after a failure that leaves open whether a
//! `CreateRestoreJob`, `CreateBackupJob` or `ExecuteBackupPlan` was processed, look for the
//! job it may have created before deciding whether to send it again.
//!
//! HBR has no idempotency token. When such a write times out, loses its connection or gets a
//! 5xx, the client does not send it again ([`ErrorKind::OutcomeUnknown`]).
//! [`Client::create_reconciled`] goes one step further: it lists the jobs of the same vault
//! (`DescribeRestoreJobs2`, `DescribeBackupJobs2`), looks for one created since just before
//! the first send whose parameters are the request's, and
//! - returns that job's ID when it finds one ([`CreateOutcome::Found`]);
//! - sends the request again only when it finds none after
//!   [`lookups`](ReconcileOptions::lookups) looks, up to
//!   [`max_sends`](ReconcileOptions::max_sends) sends in all;
//! - returns the lost answer's `OutcomeUnknown` error when it cannot look (the listing
//!   fails; the failure is logged) or when the sends are used up.
//!
//! # What it guarantees, and what it cannot
//!
//! - A definite answer (success or a 4xx error) is returned as it is; the request is never
//!   sent again after one.
//! - It never sends again while a matching job is listed, so it creates no duplicate as long
//!   as a job the service created is listed by the time the lookups end
//!   ([`lookups`](ReconcileOptions::lookups) × [`lookup_delay`](ReconcileOptions::lookup_delay)).
//!   A listing that lags longer, or a request the service is still processing when it is
//!   sent again (a read timeout shorter than the service's processing), can still give a
//!   second job: nothing on the client side can rule that out without a token the API does
//!   not have.
//! - A job is "the request's" when it was created at or after the first send, less
//!   [`clock_skew`](ReconcileOptions::clock_skew), and every parameter of the request that
//!   the listing also reports (vault, snapshot, restore and source type, targets, plan, job
//!   name, instance, backup type) is equal. So an identical job that someone else created in
//!   that window is taken for it: the effect asked for exists, but the caller may get another
//!   creator's job. [`with_baseline`](ReconcileOptions::with_baseline) lists the matching
//!   jobs before the first send and never takes one of those. Give concurrent creates a
//!   distinguishing parameter (a target path, a job name): two identical creates at once
//!   cannot be told apart.
//! - For `ExecuteBackupPlan`, a scheduled run of the same plan in the window is taken for it.
//!
//! The listings are reads: retried after any transient failure whatever the client's
//! policy for writes, at least 6 attempts each.
//!
//! ```no_run
//! use hbr_client::create_restore_job::CreateRestoreJobRequest;
//! use hbr_client::reconcile::{CreateOutcome, ReconcileOptions};
//! use hbr_client::types::{RestoreType, SourceType};
//! use hbr_client::Client;
//!
//! # async fn demo(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
//! let request = CreateRestoreJobRequest::builder()
//!     .restore_type(RestoreType::Oss)
//!     .source_type(SourceType::Oss)
//!     .vault_id("v-0006abc")
//!     .snapshot_id("s-0001")
//!     .target_bucket("restored")
//!     .target_prefix("2024-06-01/")
//!     .build()?;
//! let created = client.create_reconciled(&request, &ReconcileOptions::default()).await?;
//! match created.outcome() {
//!     CreateOutcome::Answered => println!("created {}", created.id()),
//!     CreateOutcome::Found => println!("the answer was lost; the job is {}", created.id()),
//! }
//! # Ok(()) }
//! ```

use std::future::Future;
use std::time::Duration;

use hbr_runtime::client::{CallOptions, Error, ErrorKind};
use hbr_runtime::operation::Operation;

use crate::create_backup_job::CreateBackupJobRequest;
use crate::create_restore_job::CreateRestoreJobRequest;
use crate::describe_backup_jobs2::{
    BackupJobItem, BackupJobKey, DescribeBackupJobs2Request, Filter as BackupFilter,
};
use crate::describe_restore_jobs2::{DescribeRestoreJobs2Request, Filter, RestoreJob};
use crate::execute_backup_plan::ExecuteBackupPlanRequest;
use crate::facts::PageParams;
use crate::types::{Operator, SourceType};
use crate::Client;

/// How [`Client::create_reconciled`] looks and how often it sends.
///
/// ```
/// use std::time::Duration;
/// use hbr_client::reconcile::ReconcileOptions;
///
/// let options = ReconcileOptions::default()
///     .with_max_sends(2)
///     .with_lookups(5)
///     .with_lookup_delay(Duration::from_secs(1))
///     .with_clock_skew(Duration::from_secs(60))
///     .with_baseline(true);
/// assert_eq!(options.max_sends(), 2);
/// assert_eq!(ReconcileOptions::default().max_sends(), 3);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconcileOptions {
    max_sends: u32,
    lookups: u32,
    lookup_delay: Duration,
    clock_skew: Duration,
    baseline: bool,
}

impl Default for ReconcileOptions {
    /// 3 sends at most, 3 lookups 2 s apart after each lost answer, a 5-minute clock-skew
    /// margin, no baseline.
    fn default() -> Self {
        Self {
            max_sends: 3,
            lookups: 3,
            lookup_delay: Duration::from_secs(2),
            clock_skew: Duration::from_secs(300),
            baseline: false,
        }
    }
}

impl ReconcileOptions {
    /// Sends the request at most this many times in all (0 counts as 1).
    pub fn with_max_sends(mut self, sends: u32) -> Self {
        self.max_sends = sends.max(1);
        self
    }

    /// Looks this many times (0 counts as 1) after a lost answer before deciding that
    /// nothing was created.
    pub fn with_lookups(mut self, lookups: u32) -> Self {
        self.lookups = lookups.max(1);
        self
    }

    /// Waits this long between two lookups (the listing may show a new job late).
    pub fn with_lookup_delay(mut self, delay: Duration) -> Self {
        self.lookup_delay = delay;
        self
    }

    /// Takes jobs created up to this long before the first send for the request's (the
    /// service's clock may be behind the client's).
    pub fn with_clock_skew(mut self, skew: Duration) -> Self {
        self.clock_skew = skew;
        self
    }

    /// Lists the matching jobs before the first send, and never takes one of those for the
    /// request's (one listing more per create).
    pub fn with_baseline(mut self, baseline: bool) -> Self {
        self.baseline = baseline;
        self
    }

    /// The most sends.
    pub fn max_sends(&self) -> u32 {
        self.max_sends
    }

    /// The lookups after each lost answer.
    pub fn lookups(&self) -> u32 {
        self.lookups
    }

    /// The wait between lookups.
    pub fn lookup_delay(&self) -> Duration {
        self.lookup_delay
    }

    /// The clock-skew margin.
    pub fn clock_skew(&self) -> Duration {
        self.clock_skew
    }

    /// Whether a baseline listing is taken before the first send.
    pub fn baseline(&self) -> bool {
        self.baseline
    }
}

/// How the job was known to exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateOutcome {
    /// The service answered the (last) send with the job's ID.
    Answered,
    /// An answer was lost; the job was found by listing.
    Found,
}

/// The job a create made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciled {
    id: String,
    outcome: CreateOutcome,
    sends: u32,
    request_id: Option<String>,
}

impl Reconciled {
    /// The job's ID (`RestoreId` or `JobId`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether the service answered or the job was found.
    pub fn outcome(&self) -> CreateOutcome {
        self.outcome
    }

    /// How many times the request was sent.
    pub fn sends(&self) -> u32 {
        self.sends
    }

    /// The request ID of the answer, when the service answered.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::create_restore_job::CreateRestoreJobRequest {}
    impl Sealed for crate::create_backup_job::CreateBackupJobRequest {}
    impl Sealed for crate::execute_backup_plan::ExecuteBackupPlanRequest {}
}

/// A create whose job can be looked up: `CreateRestoreJobRequest`, `CreateBackupJobRequest`
/// and `ExecuteBackupPlanRequest`.
pub trait ReconciledCreate: Operation + sealed::Sealed {
    /// The ID of the job the answer names.
    fn created_id(output: &Self::Output) -> Option<&str>;

    /// The IDs of the listed jobs that match this request and were created at or after
    /// `since` (unix seconds).
    fn find<'a>(
        &'a self,
        client: &'a Client,
        since: i64,
    ) -> impl Future<Output = Result<Vec<String>, Error>> + Send + 'a;
}

/// Runs [`Client::create_reconciled`].
pub(crate) async fn create<R: ReconciledCreate>(
    client: &Client,
    request: &R,
    options: &ReconcileOptions,
) -> Result<Reconciled, Error> {
    let skew = i64::try_from(options.clock_skew.as_secs()).unwrap_or(i64::MAX);
    let since = time::OffsetDateTime::now_utc()
        .unix_timestamp()
        .saturating_sub(skew);
    let known = if options.baseline {
        request.find(client, since).await?
    } else {
        Vec::new()
    };
    let mut sends = 0;
    loop {
        sends += 1;
        let lost = match client.execute(request).await {
            Ok(output) => return answered::<R>(&output, sends),
            Err(e) if e.kind() == ErrorKind::OutcomeUnknown => e,
            Err(e) => return Err(e),
        };
        tracing::debug!(action = R::ACTION, error = %lost, "answer lost; looking for the job");
        match look(client, request, since, &known, options).await {
            Ok(Some(id)) => {
                return Ok(Reconciled {
                    id,
                    outcome: CreateOutcome::Found,
                    sends,
                    request_id: None,
                })
            }
            Ok(None) if sends < options.max_sends => {}
            Ok(None) => return Err(lost),
            Err(e) => {
                // Nothing can be decided, so nothing is sent again.
                tracing::warn!(action = R::ACTION, error = %e, "looking for the job failed; its outcome stays unknown");
                return Err(lost);
            }
        }
        tracing::debug!(action = R::ACTION, sends, "no job found; sending again");
    }
}

fn answered<R: ReconciledCreate>(output: &R::Output, sends: u32) -> Result<Reconciled, Error> {
    use hbr_runtime::operation::OperationOutput;
    let request_id = output.request_id().map(str::to_owned);
    match R::created_id(output).filter(|id| !id.is_empty()) {
        Some(id) => Ok(Reconciled {
            id: id.to_owned(),
            outcome: CreateOutcome::Answered,
            sends,
            request_id,
        }),
        None => Err(
            hbr_runtime::client::RawResponse::new(200, Vec::new(), Vec::new()).malformed(format!(
                "{} answered success without the job's ID",
                R::ACTION
            )),
        ),
    }
}

/// Up to `lookups` looks for a new matching job; `None` when none appeared.
async fn look<R: ReconciledCreate>(
    client: &Client,
    request: &R,
    since: i64,
    known: &[String],
    options: &ReconcileOptions,
) -> Result<Option<String>, Error> {
    for lookup in 0..options.lookups {
        if lookup > 0 {
            tokio::time::sleep(options.lookup_delay).await;
        }
        let found = request.find(client, since).await?;
        if let Some(id) = found.into_iter().find(|id| !known.contains(id)) {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// The fewest attempts a lookup makes: giving up leaves the outcome unknown.
const LOOKUP_ATTEMPTS: u32 = 6;

/// Listings are reads (`DescribeRestoreJobs2::KIND`, `DescribeBackupJobs2::KIND`), retried
/// after any transient failure, here at least [`LOOKUP_ATTEMPTS`] times.
fn listing(client: &Client) -> CallOptions {
    let attempts = client.runtime().config().retry().max_attempts();
    CallOptions::new().max_attempts(attempts.max(LOOKUP_ATTEMPTS))
}

/// Whether `wanted`, when the request set it, equals `listed`, when the listing reports it
/// (strings or enums, compared by their wire values).
fn same<W, L>(wanted: Option<&W>, listed: Option<&L>) -> bool
where
    W: AsRef<str> + ?Sized,
    L: AsRef<str> + ?Sized,
{
    match (
        wanted.map(AsRef::as_ref).filter(|w| !w.is_empty()),
        listed.map(AsRef::as_ref).filter(|l| !l.is_empty()),
    ) {
        (Some(w), Some(l)) => w == l,
        _ => true,
    }
}

/// Every job of a paged listing: `page(n)` is page `n` (from 1); stops after the last.
async fn all_pages<T, F, Fut>(mut page: F) -> Result<Vec<T>, Error>
where
    F: FnMut(i32) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<i64>), Error>>,
{
    let mut items = Vec::new();
    for number in 1..=i32::MAX {
        let (mut batch, total) = page(number).await?;
        let empty = batch.is_empty();
        items.append(&mut batch);
        let total = total.and_then(|t| usize::try_from(t).ok()).unwrap_or(0);
        if empty || items.len() >= total {
            break;
        }
    }
    Ok(items)
}

impl ReconciledCreate for CreateRestoreJobRequest {
    fn created_id(output: &Self::Output) -> Option<&str> {
        output.restore_id()
    }

    async fn find(&self, client: &Client, since: i64) -> Result<Vec<String>, Error> {
        let vault = self.vault_id().unwrap_or_default().to_owned();
        let jobs = all_pages(|number| {
            let mut request = DescribeRestoreJobs2Request::builder()
                .page_number(number)
                .page_size(<DescribeRestoreJobs2Request as PageParams>::MAX_PAGE_SIZE);
            if !vault.is_empty() {
                request = request.filter(Filter::vault_id().equal(vault.as_str()));
            }
            async move {
                let request = request.build()?;
                let page = client.execute_with(&request, &listing(client)).await?;
                Ok((
                    page.restore_jobs().to_vec(),
                    page.total_count().map(i64::from),
                ))
            }
        })
        .await?;
        Ok(newest_first(
            &jobs,
            since,
            RestoreJob::created_time_raw,
            |job| restore_job_matches(self, job),
            RestoreJob::restore_id,
        ))
    }
}

/// The IDs of the `jobs` created at or after `since` that `matches`, newest first.
fn newest_first<T>(
    jobs: &[T],
    since: i64,
    created: impl Fn(&T) -> Option<i64>,
    matches: impl Fn(&T) -> bool,
    id: impl Fn(&T) -> Option<&str>,
) -> Vec<String> {
    let mut found: Vec<&T> = jobs
        .iter()
        .filter(|job| created(job).is_some_and(|t| t >= since))
        .filter(|job| matches(job))
        .collect();
    found.sort_by_key(|job| std::cmp::Reverse(created(job)));
    found
        .into_iter()
        .filter_map(|job| id(job).map(str::to_owned))
        .collect()
}

fn restore_job_matches(request: &CreateRestoreJobRequest, job: &RestoreJob) -> bool {
    let target_create_time = request.target_create_time().map(|t| t.to_string());
    let listed_target_create_time = job.target_create_time_raw().map(|t| t.to_string());
    same(request.vault_id(), job.vault_id())
        && same(request.snapshot_id(), job.snapshot_id())
        && same(request.snapshot_hash(), job.snapshot_hash())
        && same(Some(request.restore_type()), job.restore_type())
        && same(Some(request.source_type()), job.source_type())
        && same(request.target_bucket(), job.target_bucket())
        && same(request.target_prefix(), job.target_prefix())
        && same(request.target_path(), job.target_path())
        && same(request.target_instance_id(), job.target_instance_id())
        && same(request.target_file_system_id(), job.target_file_system_id())
        && same(request.target_table_name(), job.target_table_name())
        && same(request.target_instance_name(), job.target_instance_name())
        && same(
            target_create_time.as_deref(),
            listed_target_create_time.as_deref(),
        )
}

/// The backup jobs of `source_type` created at or after `since`, newest first, that pass
/// `filter` and `matches`.
async fn find_backup_jobs(
    client: &Client,
    source_type: Option<&SourceType>,
    filter: Option<(&str, &str)>,
    since: i64,
    matches: impl Fn(&BackupJobItem) -> bool,
) -> Result<Vec<String>, Error> {
    let filter = match filter.filter(|(_, v)| !v.is_empty()) {
        Some((key, value)) => Some(
            BackupFilter::builder()
                .key(BackupJobKey::from(key))
                .operator(Operator::Equal)
                .values(vec![value.to_owned()])
                .build()?,
        ),
        None => None,
    };
    let jobs = all_pages(|number| {
        let mut request = DescribeBackupJobs2Request::builder()
            .page_number(number)
            .page_size(<DescribeBackupJobs2Request as PageParams>::MAX_PAGE_SIZE);
        if let Some(source_type) = source_type {
            request = request.source_type(source_type.clone());
        }
        if let Some(filter) = &filter {
            request = request.filter(filter.clone());
        }
        async move {
            let request = request.build()?;
            let page = client.execute_with(&request, &listing(client)).await?;
            Ok((page.backup_jobs().to_vec(), page.total_count()))
        }
    })
    .await?;
    Ok(newest_first(
        &jobs,
        since,
        BackupJobItem::created_time_raw,
        matches,
        BackupJobItem::job_id,
    ))
}

impl ReconciledCreate for CreateBackupJobRequest {
    fn created_id(output: &Self::Output) -> Option<&str> {
        output.job_id()
    }

    async fn find(&self, client: &Client, since: i64) -> Result<Vec<String>, Error> {
        let vault = self.vault_id().unwrap_or_default();
        find_backup_jobs(
            client,
            Some(self.source_type()),
            Some(("VaultId", vault)),
            since,
            |job| {
                same(self.vault_id(), job.vault_id())
                    && same(self.job_name(), job.job_name())
                    && same(self.instance_id(), job.instance_id())
                    && same(self.backup_type(), job.backup_type())
                    && same(Some(self.source_type()), job.source_type())
            },
        )
        .await
    }
}

impl ReconciledCreate for ExecuteBackupPlanRequest {
    fn created_id(output: &Self::Output) -> Option<&str> {
        output.job_id()
    }

    async fn find(&self, client: &Client, since: i64) -> Result<Vec<String>, Error> {
        find_backup_jobs(
            client,
            self.source_type(),
            Some(("PlanId", self.plan_id())),
            since,
            |job| {
                same(Some(self.plan_id()), job.plan_id())
                    && same(self.vault_id(), job.vault_id())
                    && same(self.source_type(), job.source_type())
            },
        )
        .await
    }
}
