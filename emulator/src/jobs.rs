//! The mutable side of the restore jobs: jobs created with `CreateRestoreJob` and jobs
//! cancelled with `CancelRestoreJob`, next to the seeded data set.
//!
//! The seeded jobs stay in their pre-rendered [`Dataset`]; what changes lives in a small
//! lock-protected [`State`]. While nothing was created or cancelled (the benchmarked case),
//! `DescribeRestoreJobs2` does not even take the lock. A created job's status is computed
//! from the clock whenever it is read, never by a background task:
//!
//! * CREATED for the first tenth of [`crate::EmulatorConfig::job_duration`],
//! * then RUNNING, `BytesDone`, `ItemsDone`, `ActualBytes` and `Progress` growing linearly,
//! * then COMPLETE (`Progress` 10000) with `CompleteTime` = creation + the duration.
//!
//! A cancel freezes the progress where it was, shows CANCELING for
//! [`crate::EmulatorConfig::cancel_duration`], then CANCELED with `CompleteTime` set.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::{Mutex, RwLock};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::data::{api_order, hbr_id, random_chars, round_up_mib, Job, OtsDetail, Report, HEX};
use crate::error::ApiError;
use crate::query::{JobView, Query, RestoreType, Selector};
use crate::render::{self, Dataset};

/// Status of a job that was just created.
pub const STATUS_CREATED: &str = "CREATED";
/// Status of a job that is running.
pub const STATUS_RUNNING: &str = "RUNNING";
/// Status of a job that finished.
pub const STATUS_COMPLETE: &str = "COMPLETE";
/// Status of a job being cancelled.
pub const STATUS_CANCELING: &str = "CANCELING";
/// Status of a cancelled job.
pub const STATUS_CANCELED: &str = "CANCELED";

/// The `SourceType` values `CreateRestoreJob` takes.
pub const SOURCE_TYPES: [&str; 5] = ["ECS_FILE", "OSS", "NAS", "OTS_TABLE", "UDM_ECS"];

/// The only `SourceType` a `RestoreType` can restore from (the service requires the data
/// source type to match the destination type).
fn source_type_for(restore_type: RestoreType) -> &'static str {
    match restore_type {
        RestoreType::EcsFile => "ECS_FILE",
        RestoreType::Oss => "OSS",
        RestoreType::Nas | RestoreType::CommonFileSystem => "NAS",
        RestoreType::OtsTable => "OTS_TABLE",
        RestoreType::UdmEcsRollback => "UDM_ECS",
    }
}

/// Seconds the job record is kept (180 days), as in the seeded data.
const EXPIRE_AFTER: i64 = 180 * 86_400;

/// The current wall-clock time in unix milliseconds.
pub(crate) fn now_ms() -> i64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX)
}

fn ceil_secs(ms: i64) -> i64 {
    ms.div_euclid(1000) + i64::from(ms.rem_euclid(1000) != 0)
}

fn scale(value: i64, num: i64, den: i64) -> i64 {
    if den <= 0 {
        return value;
    }
    i64::try_from(i128::from(value) * i128::from(num) / i128::from(den)).unwrap_or(value)
}

/// A job created through the API.
#[derive(Clone, Debug)]
struct Created {
    /// Everything fixed at creation; the progress fields are filled in when read.
    job: Job,
    created_ms: i64,
    /// The share of the bytes actually written, in percent.
    dedup_pct: i64,
    cancel_ms: Option<i64>,
}

/// What changed since start.
struct State {
    /// Created jobs, in API order.
    created: Vec<Created>,
    /// Seeded jobs (index in API order) cancelled, with the time of the cancel (unix ms).
    seeded_cancels: BTreeMap<usize, i64>,
}

/// The jobs the emulator serves: the seeded data set plus what the API changed.
pub(crate) struct JobStore {
    dataset: Dataset,
    changed: AtomicBool,
    state: RwLock<State>,
    /// Draws the IDs and sizes of created jobs: seeded, so the n-th created job of an
    /// emulator started with a given seed always gets the same ID. Locked before `state`.
    rng: Mutex<StdRng>,
    job_ms: i64,
    cancel_ms: i64,
    max_created: usize,
}

/// Where a job on a page comes from.
#[derive(Clone, Copy)]
enum Source {
    Seeded(usize),
    Override(usize),
    Created(usize),
}

/// The timing of created and cancelled jobs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timing {
    /// From creation to COMPLETE.
    pub(crate) job_ms: i64,
    /// From cancel to CANCELED.
    pub(crate) cancel_ms: i64,
}

impl JobStore {
    pub(crate) fn new(dataset: Dataset, seed: u64, timing: Timing, max_created: usize) -> Self {
        Self {
            dataset,
            changed: AtomicBool::new(false),
            state: RwLock::new(State {
                created: Vec::new(),
                seeded_cancels: BTreeMap::new(),
            }),
            rng: Mutex::new(StdRng::seed_from_u64(seed ^ 0xC0FF_EE00_5EED_0001)),
            job_ms: timing.job_ms.max(1),
            cancel_ms: timing.cancel_ms.max(0),
            max_created,
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A created job as it is at `now`.
    fn created_at(&self, c: &Created, now: i64) -> Job {
        let mut job = c.job.clone();
        let until = c.cancel_ms.map_or(now, |t| t.min(now));
        progress_at(&mut job, c.created_ms, c.dedup_pct, self.job_ms, until);
        if let Some(cancel) = c.cancel_ms {
            cancelled_at(&mut job, cancel, self.cancel_ms, now);
        }
        job
    }

    /// A seeded job cancelled at `cancel`, as it is at `now`.
    fn seeded_at(&self, index: usize, cancel: i64, now: i64) -> Option<Job> {
        let mut job = self.dataset.jobs().get(index)?.clone();
        cancelled_at(&mut job, cancel, self.cancel_ms, now);
        Some(job)
    }

    /// The `DescribeRestoreJobs2` success body for `query` at the current time.
    pub(crate) fn page_body(&self, query: &Query, request_id: &str) -> Result<Vec<u8>, ApiError> {
        self.page_body_at(query, request_id, now_ms())
    }

    /// The `DescribeRestoreJobs2` success body for `query` at `now` (unix ms).
    pub(crate) fn page_body_at(
        &self,
        query: &Query,
        request_id: &str,
        now: i64,
    ) -> Result<Vec<u8>, ApiError> {
        if !self.changed.load(AtomicOrdering::Acquire) {
            return self.dataset.page_body(query, request_id);
        }
        let selector = Selector::new(query)?;
        let ints = self.dataset.ints_as_strings();
        let state = self.read();
        // Filters look at cheap views (the stored job with its current status and
        // completion time); only the jobs that land on the page are built in full.
        let created: Vec<JobView<'_>> = state
            .created
            .iter()
            .map(|c| {
                let (status, complete_time) = self.created_status(c, now);
                JobView {
                    job: &c.job,
                    status,
                    complete_time,
                }
            })
            .collect();
        let seeded = self.dataset.jobs();
        let overrides: Vec<(usize, JobView<'_>)> = state
            .seeded_cancels
            .iter()
            .filter_map(|(&i, &cancel)| {
                let job = seeded.get(i)?;
                let (status, complete_time) = self.cancel_status(job.created_time, cancel, now);
                Some((
                    i,
                    JobView {
                        job,
                        status,
                        complete_time,
                    },
                ))
            })
            .collect();
        let (mut s, mut c, mut o) = (0usize, 0usize, 0usize);
        let merged = std::iter::from_fn(|| {
            let take_created = match (seeded.get(s), created.get(c)) {
                (None, None) => return None,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => api_order(b.job, a) != Ordering::Greater,
            };
            if take_created {
                let view = *created.get(c)?;
                c += 1;
                return Some((view, Source::Created(c - 1)));
            }
            let index = s;
            s += 1;
            match overrides.get(o) {
                Some((i, view)) if *i == index => {
                    o += 1;
                    Some((*view, Source::Override(index)))
                }
                _ => seeded
                    .get(index)
                    .map(|job| (JobView::of(job), Source::Seeded(index))),
            }
        });
        let (total, tags) = selector.run_tagged(merged);
        let jobs: Vec<Cow<'_, str>> = tags
            .into_iter()
            .filter_map(|tag| match tag {
                Source::Seeded(i) => self.dataset.rendered(i).map(Cow::Borrowed),
                Source::Override(i) => {
                    let cancel = *state.seeded_cancels.get(&i)?;
                    let job = self.seeded_at(i, cancel, now)?;
                    Some(Cow::Owned(render::render_job(&job, ints)))
                }
                Source::Created(i) => {
                    let job = self.created_at(state.created.get(i)?, now);
                    Some(Cow::Owned(render::render_job(&job, ints)))
                }
            })
            .collect();
        drop(state);
        Ok(render::page_body(query, request_id, total, &jobs, ints))
    }

    /// The status and completion time of a created job at `now`, without building it (the
    /// same values [`Self::created_at`] gives).
    fn created_status(&self, c: &Created, now: i64) -> (&'static str, i64) {
        if let Some(cancel) = c.cancel_ms {
            return self.cancel_status(c.job.created_time, cancel, now);
        }
        let elapsed = now.saturating_sub(c.created_ms);
        let queue = self.job_ms / 10;
        if elapsed >= self.job_ms {
            let start = ceil_secs(c.created_ms + queue);
            (
                STATUS_COMPLETE,
                ceil_secs(c.created_ms + self.job_ms).max(start),
            )
        } else if elapsed >= queue {
            (STATUS_RUNNING, 0)
        } else {
            (STATUS_CREATED, 0)
        }
    }

    /// The status and completion time of a job created at `created_time` (unix s) and
    /// cancelled at `cancel` (unix ms), at `now`.
    fn cancel_status(&self, created_time: i64, cancel: i64, now: i64) -> (&'static str, i64) {
        let done = cancel.saturating_add(self.cancel_ms);
        if now < done {
            (STATUS_CANCELING, 0)
        } else {
            (STATUS_CANCELED, ceil_secs(done).max(created_time))
        }
    }

    /// `CreateRestoreJob` at the current time: the new job's `RestoreId`.
    pub(crate) fn create(&self, params: &[(String, String)]) -> Result<String, ApiError> {
        self.create_at(params, now_ms())
    }

    /// `CreateRestoreJob` at `now` (unix ms).
    pub(crate) fn create_at(
        &self,
        params: &[(String, String)],
        now: i64,
    ) -> Result<String, ApiError> {
        let spec = CreateSpec::from_params(params)?;
        // Facts about the vault, from the seeded jobs that live in it.
        let vault_job = self
            .dataset
            .jobs()
            .iter()
            .find(|j| j.vault_id == spec.vault_id);
        let quota = || {
            ApiError::new(
                400,
                "QuotaExceeded.RestoreJob",
                format!(
                    "At most {} restore jobs can be created in this emulator.",
                    self.max_created
                ),
            )
        };
        if self.read().created.len() >= self.max_created {
            return Err(quota());
        }
        // The scans of the seeded data set happen outside the state lock, so that a create
        // never stalls readers; the generator's lock keeps creates in one order.
        let mut rng = self
            .rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        loop {
            let restore_id = loop {
                let id = hbr_id(&mut rng, "r-");
                if !self.dataset.jobs().iter().any(|j| j.restore_id == id) {
                    break id;
                }
            };
            let created = spec
                .clone()
                .into_created(restore_id.clone(), vault_job, &mut rng, now);
            let mut state = self.write();
            if state.created.len() >= self.max_created {
                return Err(quota());
            }
            if state.created.iter().any(|c| c.job.restore_id == restore_id) {
                continue;
            }
            let at = state
                .created
                .partition_point(|x| api_order(&x.job, &created.job) == Ordering::Less);
            state.created.insert(at, created);
            self.changed.store(true, AtomicOrdering::Release);
            return Ok(restore_id);
        }
    }

    /// `CancelRestoreJob` at the current time.
    pub(crate) fn cancel(&self, params: &[(String, String)]) -> Result<(), ApiError> {
        self.cancel_at(params, now_ms())
    }

    /// `CancelRestoreJob` at `now` (unix ms).
    pub(crate) fn cancel_at(&self, params: &[(String, String)], now: i64) -> Result<(), ApiError> {
        let restore_id = required(params, "RestoreId")?;
        let vault_id = required(params, "VaultId")?;
        let not_found = || {
            ApiError::new(
                404,
                "InvalidRestoreId.NotFound",
                format!(
                    "The specified restore job {restore_id:?} does not exist in vault {vault_id:?}."
                ),
            )
        };
        let ended = |status: &str| {
            ApiError::new(
                400,
                "IncorrectRestoreJobStatus",
                format!(
                    "The restore job {restore_id:?} is {status}; only a CREATED or RUNNING job can be cancelled."
                ),
            )
        };
        // Found before taking the lock (the seeded data set never changes).
        let seeded_index = self
            .dataset
            .jobs()
            .iter()
            .position(|j| j.restore_id == restore_id);
        let mut state = self.write();
        if let Some(k) = state
            .created
            .iter()
            .position(|c| c.job.restore_id == restore_id)
        {
            let current = state
                .created
                .get(k)
                .map(|c| self.created_at(c, now))
                .ok_or_else(not_found)?;
            if current.vault_id != vault_id {
                return Err(not_found());
            }
            return match current.status.as_str() {
                STATUS_CREATED | STATUS_RUNNING => {
                    if let Some(c) = state.created.get_mut(k) {
                        c.cancel_ms = Some(now);
                    }
                    self.changed.store(true, AtomicOrdering::Release);
                    Ok(())
                }
                STATUS_CANCELING => Ok(()),
                other => Err(ended(other)),
            };
        }
        let Some(index) = seeded_index else {
            return Err(not_found());
        };
        let seeded = self.dataset.jobs().get(index).ok_or_else(not_found)?;
        if seeded.vault_id != vault_id {
            return Err(not_found());
        }
        if let Some(&cancel) = state.seeded_cancels.get(&index) {
            let current = self.seeded_at(index, cancel, now).ok_or_else(not_found)?;
            return match current.status.as_str() {
                STATUS_CANCELING => Ok(()),
                other => Err(ended(other)),
            };
        }
        match seeded.status.as_str() {
            STATUS_CREATED | STATUS_RUNNING => {
                state.seeded_cancels.insert(index, now);
                self.changed.store(true, AtomicOrdering::Release);
                Ok(())
            }
            other => Err(ended(other)),
        }
    }
}

/// Sets the progress fields of a created job as they are at `at` (unix ms).
fn progress_at(job: &mut Job, created_ms: i64, dedup_pct: i64, run_ms: i64, at: i64) {
    let elapsed = at.saturating_sub(created_ms).max(0);
    let queue = run_ms / 10;
    let start = ceil_secs(created_ms + queue);
    let (status, done_num, done_den) = if elapsed >= run_ms {
        (STATUS_COMPLETE, 1, 1)
    } else if elapsed >= queue {
        (STATUS_RUNNING, elapsed - queue, (run_ms - queue).max(1))
    } else {
        (STATUS_CREATED, 0, 1)
    };
    job.status = status.to_owned();
    job.bytes_done = scale(job.bytes_total, done_num, done_den);
    job.items_done = scale(job.items_total, done_num, done_den);
    job.actual_items = job.items_done;
    job.actual_bytes = scale(job.bytes_done, dedup_pct, 100);
    job.metering_bytes_done = round_up_mib(job.bytes_done);
    job.progress = if status == STATUS_COMPLETE {
        10_000
    } else {
        i32::try_from(scale(10_000, job.bytes_done, job.bytes_total.max(1)))
            .unwrap_or(0)
            .min(9_999)
    };
    match status {
        STATUS_CREATED => {
            job.start_time = 0;
            job.complete_time = 0;
            job.updated_time = job.created_time;
            job.speed = 0;
        }
        STATUS_RUNNING => {
            job.start_time = start;
            job.complete_time = 0;
            job.updated_time = at.div_euclid(1000).max(start);
            job.speed = job.bytes_done / 1024 / ((elapsed - queue) / 1000).max(1);
        }
        _ => {
            let complete = ceil_secs(created_ms + run_ms).max(start);
            job.start_time = start;
            job.complete_time = complete;
            job.updated_time = complete;
            job.speed = job.bytes_done / 1024 / (complete - start).max(1);
        }
    }
    if let Some(report) = &mut job.report {
        report.report_task_status = if status == STATUS_COMPLETE {
            STATUS_COMPLETE
        } else {
            STATUS_RUNNING
        }
        .to_owned();
    }
}

/// Turns a job cancelled at `cancel` (unix ms) into what it is at `now`.
fn cancelled_at(job: &mut Job, cancel: i64, cancel_ms: i64, now: i64) {
    let done = cancel.saturating_add(cancel_ms);
    if now < done {
        job.status = STATUS_CANCELING.to_owned();
        job.complete_time = 0;
        job.updated_time = cancel.div_euclid(1000).max(job.created_time);
    } else {
        job.status = STATUS_CANCELED.to_owned();
        job.complete_time = ceil_secs(done).max(job.created_time);
        job.updated_time = job.complete_time;
    }
    if let Some(report) = &mut job.report {
        report.report_task_status = if now < done {
            STATUS_RUNNING
        } else {
            STATUS_COMPLETE
        }
        .to_owned();
    }
}

fn last<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A parameter that must be present and not empty.
fn required<'a>(params: &'a [(String, String)], name: &str) -> Result<&'a str, ApiError> {
    match last(params, name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ApiError::missing_parameter(name)),
    }
}

/// An optional parameter (an empty value counts as absent).
fn optional<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    last(params, name).filter(|v| !v.is_empty())
}

fn int64(params: &[(String, String)], name: &str) -> Result<Option<i64>, ApiError> {
    optional(params, name)
        .map(|v| {
            v.trim().parse::<i64>().map_err(|_| {
                ApiError::invalid_parameter(name, format!("{v:?} is not a 64-bit integer"))
            })
        })
        .transpose()
}

fn boolean(params: &[(String, String)], name: &str) -> Result<Option<bool>, ApiError> {
    optional(params, name)
        .map(|v| {
            if v.eq_ignore_ascii_case("true") {
                Ok(true)
            } else if v.eq_ignore_ascii_case("false") {
                Ok(false)
            } else {
                Err(ApiError::invalid_parameter(
                    name,
                    format!("{v:?} is not a boolean (true or false)"),
                ))
            }
        })
        .transpose()
}

/// A parameter that carries a JSON object; returns it parsed.
fn json_object(
    params: &[(String, String)],
    name: &str,
) -> Result<Option<serde_json::Map<String, Value>>, ApiError> {
    optional(params, name)
        .map(|v| match serde_json::from_str::<Value>(v) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(ApiError::invalid_parameter(name, "expected a JSON object")),
            Err(e) => Err(ApiError::invalid_parameter(
                name,
                format!("not valid JSON ({e})"),
            )),
        })
        .transpose()
}

/// A parameter that carries a JSON array of strings; returns it compact.
fn json_string_array(params: &[(String, String)], name: &str) -> Result<String, ApiError> {
    let Some(v) = optional(params, name) else {
        return Ok("[]".to_owned());
    };
    match serde_json::from_str::<Value>(v) {
        Ok(Value::Array(items)) if items.iter().all(Value::is_string) => {
            Ok(Value::Array(items).to_string())
        }
        Ok(_) => Err(ApiError::invalid_parameter(
            name,
            "expected a JSON array of strings",
        )),
        Err(e) => Err(ApiError::invalid_parameter(
            name,
            format!("not valid JSON ({e})"),
        )),
    }
}

/// A checked `CreateRestoreJob` request.
#[derive(Clone, Debug)]
struct CreateSpec {
    restore_type: RestoreType,
    vault_id: String,
    snapshot_id: String,
    snapshot_hash: Option<String>,
    options: String,
    include: String,
    exclude: String,
    target_instance_id: String,
    target_path: String,
    target_bucket: String,
    target_prefix: String,
    target_file_system_id: String,
    target_create_time: i64,
    target_instance_name: String,
    target_table_name: String,
    target_time: i64,
    udm_detail: Option<serde_json::Map<String, Value>>,
    udm_region_id: Option<String>,
    ots_detail: Option<serde_json::Map<String, Value>>,
    failback_detail: Option<serde_json::Map<String, Value>>,
    cross_account_type: String,
    cross_account_user_id: i64,
    cross_account_role_name: String,
}

impl CreateSpec {
    /// Checks the parameters of a `CreateRestoreJob` request.
    fn from_params(params: &[(String, String)]) -> Result<Self, ApiError> {
        let restore_type_raw = required(params, "RestoreType")?;
        let restore_type: RestoreType = restore_type_raw.parse().map_err(|()| {
            ApiError::invalid_parameter(
                "RestoreType",
                format!(
                    "{restore_type_raw:?} is not one of {}",
                    RestoreType::ALL
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        let source_type = required(params, "SourceType")?;
        if !SOURCE_TYPES.contains(&source_type) {
            return Err(ApiError::invalid_parameter(
                "SourceType",
                format!("{source_type:?} is not one of {}", SOURCE_TYPES.join(", ")),
            ));
        }
        let expected_source = source_type_for(restore_type);
        if source_type != expected_source {
            return Err(ApiError::invalid_parameter(
                "SourceType",
                format!(
                    "a {restore_type} restore needs the source type {expected_source}, got {source_type}"
                ),
            ));
        }
        let vault_id = required(params, "VaultId")?.to_owned();
        let snapshot_id = required(params, "SnapshotId")?.to_owned();
        let snapshot_hash = optional(params, "SnapshotHash").map(str::to_owned);
        let options = match json_object(params, "Options")? {
            Some(map) => Value::Object(map).to_string(),
            None => "{\"UseVSS\":false}".to_owned(),
        };
        let include = json_string_array(params, "Include")?;
        let exclude = json_string_array(params, "Exclude")?;
        let text = |name: &str| optional(params, name).unwrap_or_default().to_owned();
        let need = |name: &str| required(params, name).map(str::to_owned);
        let mut spec = Self {
            restore_type,
            vault_id,
            snapshot_id,
            snapshot_hash,
            options,
            include,
            exclude,
            target_instance_id: String::new(),
            target_path: String::new(),
            target_bucket: String::new(),
            target_prefix: String::new(),
            target_file_system_id: String::new(),
            target_create_time: 0,
            target_instance_name: String::new(),
            target_table_name: String::new(),
            target_time: 0,
            udm_detail: json_object(params, "UdmDetail")?,
            udm_region_id: optional(params, "UdmRegionId").map(str::to_owned),
            ots_detail: json_object(params, "OtsDetail")?,
            failback_detail: json_object(params, "FailbackDetail")?,
            cross_account_type: "SELF_ACCOUNT".to_owned(),
            cross_account_user_id: 0,
            cross_account_role_name: String::new(),
        };
        // Checked for form only: the emulator keeps no containers.
        json_object(params, "TargetContainer")?;
        boolean(params, "InitiatedByAck")?;
        let target_create_time = int64(params, "TargetCreateTime")?;
        let target_time = int64(params, "TargetTime")?;
        match restore_type {
            RestoreType::EcsFile => {
                spec.target_instance_id = need("TargetInstanceId")?;
                spec.target_path = need("TargetPath")?;
            }
            RestoreType::Oss => {
                spec.target_bucket = need("TargetBucket")?;
                spec.target_prefix = text("TargetPrefix");
            }
            RestoreType::Nas | RestoreType::CommonFileSystem => {
                spec.target_file_system_id = need("TargetFileSystemId")?;
                spec.target_create_time = target_create_time.unwrap_or(0);
                spec.target_path = optional(params, "TargetPath").unwrap_or("/").to_owned();
            }
            RestoreType::OtsTable => {
                spec.target_instance_name = need("TargetInstanceName")?;
                spec.target_table_name = need("TargetTableName")?;
                spec.target_time = target_time.unwrap_or(0);
            }
            RestoreType::UdmEcsRollback => {
                spec.target_instance_id = text("TargetInstanceId");
            }
        }
        if let Some(ots) = &spec.ots_detail {
            if let Some(v) = ots.get("BatchChannelCount") {
                if v.as_i64().is_none_or(|n| i32::try_from(n).is_err()) {
                    return Err(ApiError::invalid_parameter(
                        "OtsDetail",
                        "BatchChannelCount must be a 32-bit integer",
                    ));
                }
            }
            for flag in [
                "OverwriteExisting",
                "RestoreIndex",
                "RestoreSearchIndex",
                "ReGenerateAutoIncrementPK",
            ] {
                if ots.get(flag).is_some_and(|v| !v.is_boolean()) {
                    return Err(ApiError::invalid_parameter(
                        "OtsDetail",
                        format!("{flag} must be a boolean"),
                    ));
                }
            }
        }
        match optional(params, "CrossAccountType") {
            None | Some("SELF_ACCOUNT") => {}
            Some("CROSS_ACCOUNT") => {
                spec.cross_account_type = "CROSS_ACCOUNT".to_owned();
                spec.cross_account_user_id = int64(params, "CrossAccountUserId")?
                    .ok_or_else(|| ApiError::missing_parameter("CrossAccountUserId"))?;
                spec.cross_account_role_name = need("CrossAccountRoleName")?;
            }
            Some(other) => {
                return Err(ApiError::invalid_parameter(
                    "CrossAccountType",
                    format!("{other:?} is not one of SELF_ACCOUNT, CROSS_ACCOUNT"),
                ))
            }
        }
        Ok(spec)
    }

    /// The created job (its progress fields are set when it is read).
    fn into_created(
        self,
        restore_id: String,
        vault_job: Option<&Job>,
        rng: &mut StdRng,
        now: i64,
    ) -> Created {
        let restore_type = self.restore_type;
        let is_file = matches!(
            restore_type,
            RestoreType::EcsFile | RestoreType::Nas | RestoreType::CommonFileSystem
        );
        let has_items = is_file || restore_type == RestoreType::Oss;
        let exp: u32 = rng.gen_range(24..36);
        let bytes_total = (1i64 << exp) + rng.gen_range(0..(1i64 << exp));
        let items_total = if has_items {
            (bytes_total / rng.gen_range(4_096..4_194_304)).max(1)
        } else {
            0
        };
        let dedup_pct = rng.gen_range(40..=100);
        let snapshot_hash = self
            .snapshot_hash
            .unwrap_or_else(|| random_chars(rng, HEX, 64));
        let created_time = now.div_euclid(1000);
        let source_instance_id = self
            .udm_detail
            .as_ref()
            .and_then(|d| {
                d.get("sourceInstanceId")
                    .or_else(|| d.get("SourceInstanceId"))
            })
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let report = is_file.then(|| {
            Report::under(
                &format!("/temp/report/{restore_id}/{restore_id}"),
                STATUS_RUNNING,
            )
        });
        let ots_detail = (restore_type == RestoreType::OtsTable).then(|| {
            let get = |k: &str| self.ots_detail.as_ref().and_then(|d| d.get(k));
            OtsDetail {
                batch_channel_count: get("BatchChannelCount")
                    .and_then(Value::as_i64)
                    .and_then(|n| i32::try_from(n).ok())
                    .unwrap_or(1),
                overwrite_existing: get("OverwriteExisting")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            }
        });
        let object = |m: Option<serde_json::Map<String, Value>>| {
            m.map_or_else(|| "{}".to_owned(), |m| Value::Object(m).to_string())
        };
        let job = Job {
            snapshot_hash,
            status: STATUS_CREATED.to_owned(),
            error_message: String::new(),
            actual_items: 0,
            vault_id: self.vault_id,
            actual_bytes: 0,
            udm_detail: object(self.udm_detail),
            source_type: source_type_for(restore_type).to_owned(),
            options: self.options,
            source_instance_id: source_instance_id.clone(),
            restore_type: restore_type.as_str().to_owned(),
            target_create_time: self.target_create_time,
            items_done: 0,
            bytes_total,
            exclude: self.exclude,
            parent_id: String::new(),
            complete_time: 0,
            created_time,
            target_bucket: self.target_bucket,
            cluster_id: String::new(),
            target_file_system_id: self.target_file_system_id,
            progress: 0,
            expire_time: created_time + EXPIRE_AFTER,
            target_data_source_id: hbr_id(rng, "ds-"),
            target_prefix: self.target_prefix,
            target_path: self.target_path,
            error_file: String::new(),
            start_time: 0,
            updated_time: created_time,
            snapshot_id: self.snapshot_id,
            restore_id,
            target_client_id: if restore_type == RestoreType::EcsFile {
                hbr_id(rng, "c-")
            } else {
                String::new()
            },
            items_total,
            include: self.include,
            bytes_done: 0,
            target_instance_name: self.target_instance_name,
            target_table_name: self.target_table_name,
            speed: 0,
            target_time: self.target_time,
            ots_detail,
            cross_account_type: self.cross_account_type,
            cross_account_user_id: self.cross_account_user_id,
            cross_account_role_name: self.cross_account_role_name,
            report,
            metering_bytes_done: 0,
            metering_bytes_total: round_up_mib(bytes_total),
            storage_class: vault_job
                .map_or("STANDARD", |j| j.storage_class.as_str())
                .to_owned(),
            failback_detail: object(self.failback_detail),
            target_instance_id: self.target_instance_id,
            source_resource_id: source_instance_id,
            region_id: vault_job
                .map(|j| j.region_id.clone())
                .or(self.udm_region_id)
                .unwrap_or_default(),
            plan_id: String::new(),
        };
        Created {
            job,
            created_ms: now,
            dedup_pct,
            cancel_ms: None,
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::field_reassign_with_default
)]
mod tests {
    use super::*;
    use crate::data::generate_jobs;
    use crate::query::{Filter, FilterKey, Operator};

    const T0: i64 = 1_800_000_000_000;

    fn store(jobs: usize) -> JobStore {
        let dataset = Dataset::new(generate_jobs(jobs, 1), false);
        JobStore::new(
            dataset,
            1,
            Timing {
                job_ms: 10_000,
                cancel_ms: 2_000,
            },
            100,
        )
    }

    fn p(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn ecs_file() -> Vec<(String, String)> {
        p(&[
            ("RestoreType", "ECS_FILE"),
            ("SourceType", "ECS_FILE"),
            ("VaultId", "v-000test"),
            ("SnapshotId", "s-000test"),
            ("TargetInstanceId", "i-target"),
            ("TargetPath", "/restore"),
            ("Include", "[\"/home\"]"),
        ])
    }

    fn page(store: &JobStore, query: &Query, now: i64) -> Value {
        let body = store.page_body_at(query, "RID", now).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn by_id(store: &JobStore, id: &str, now: i64) -> Value {
        let mut q = Query::default();
        q.filters.push(Filter {
            key: FilterKey::JobId,
            operator: Some(Operator::Equal),
            values: vec![id.to_owned()],
        });
        let body = page(store, &q, now);
        assert_eq!(body["TotalCount"], 1, "{body}");
        body["RestoreJobs"]["RestoreJob"][0].clone()
    }

    #[test]
    fn a_created_job_runs_then_completes_on_the_clock() {
        let s = store(50);
        let id = s.create_at(&ecs_file(), T0).unwrap();
        assert!(id.starts_with("r-000") && id.len() == 22, "{id}");
        let at = |ms: i64| by_id(&s, &id, T0 + ms);
        let j = at(0);
        assert_eq!(j["Status"], "CREATED");
        assert_eq!(j["CreatedTime"], T0 / 1000);
        assert_eq!(
            (j["StartTime"].as_i64(), j["Progress"].as_i64()),
            (Some(0), Some(0))
        );
        assert_eq!(j["Include"], "[\"/home\"]");
        assert_eq!(j["TargetInstanceId"], "i-target");
        let mut last = (0, 0, 0);
        for ms in [1_000, 3_000, 5_500, 8_000, 9_999] {
            let j = at(ms);
            assert_eq!(j["Status"], "RUNNING", "{ms}: {j}");
            let now = (
                j["Progress"].as_i64().unwrap(),
                j["BytesDone"].as_i64().unwrap(),
                j["ActualBytes"].as_i64().unwrap(),
            );
            assert!(now >= last, "{ms}: {now:?} after {last:?}");
            assert!(now.0 < 10_000 && now.2 <= now.1);
            assert!(j["BytesDone"].as_i64() <= j["BytesTotal"].as_i64());
            assert_eq!(j["CompleteTime"], 0);
            last = now;
        }
        assert!(last.0 > 9_000, "{last:?}");
        let j = at(10_000);
        assert_eq!(j["Status"], "COMPLETE");
        assert_eq!(j["Progress"], 10_000);
        assert_eq!(j["BytesDone"], j["BytesTotal"]);
        assert_eq!(j["CompleteTime"], (T0 + 10_000) / 1000);
        assert_eq!(j["UpdatedTime"], j["CompleteTime"]);
        assert_eq!(j["Report"]["ReportTaskStatus"], "COMPLETE");
        assert_eq!(at(99_000), j, "nothing changes once complete");
    }

    #[test]
    fn created_jobs_take_their_place_in_the_order_and_the_count() {
        let s = store(50);
        let before = page(&s, &Query::default(), T0);
        assert_eq!(before["TotalCount"], 50);
        let a = s.create_at(&ecs_file(), T0).unwrap();
        let b = s.create_at(&ecs_file(), T0 + 2_000).unwrap();
        let c = s.create_at(&ecs_file(), T0 + 2_000).unwrap();
        let mut q = Query::default();
        q.page_size = 99;
        let all = page(&s, &q, T0 + 3_000);
        assert_eq!(all["TotalCount"], 53);
        let ids: Vec<&str> = all["RestoreJobs"]["RestoreJob"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["RestoreId"].as_str().unwrap())
            .collect();
        let (first, second) = if b < c { (&b, &c) } else { (&c, &b) };
        assert_eq!(&ids[..3], [first.as_str(), second.as_str(), a.as_str()]);
        // The seeded jobs follow, in their own order.
        let seeded = page(&s, &q, T0)["RestoreJobs"]["RestoreJob"].clone();
        assert_eq!(all["RestoreJobs"]["RestoreJob"][3], seeded[3]);
        // Filters apply to created jobs.
        q.filters.push(Filter {
            key: FilterKey::VaultId,
            operator: None,
            values: vec!["v-000test".into()],
        });
        assert_eq!(page(&s, &q, T0 + 3_000)["TotalCount"], 3);
        q.filters.push(Filter {
            key: FilterKey::Status,
            operator: None,
            values: vec!["CREATED".into()],
        });
        // At T0+3s, a is RUNNING; b and c were created 1 s ago (CREATED for 1 s).
        assert_eq!(page(&s, &q, T0 + 2_500)["TotalCount"], 2);
    }

    #[test]
    fn the_cheap_status_agrees_with_the_built_job() {
        let s = store(10);
        let id = s.create_at(&ecs_file(), T0 + 123).unwrap();
        s.create_at(&ecs_file(), T0 + 456).unwrap();
        s.cancel_at(
            &p(&[("RestoreId", &id), ("VaultId", "v-000test")]),
            T0 + 4_321,
        )
        .unwrap();
        let state = s.read();
        for c in &state.created {
            for now in (T0..T0 + 15_000).step_by(37) {
                let job = s.created_at(c, now);
                assert_eq!(
                    s.created_status(c, now),
                    (job.status.as_str(), job.complete_time),
                    "at {now}"
                );
            }
        }
    }

    #[test]
    fn ids_are_deterministic_per_seed() {
        let (a, b) = (store(20), store(20));
        let ids_a: Vec<String> = (0..3)
            .map(|i| a.create_at(&ecs_file(), T0 + i).unwrap())
            .collect();
        let ids_b: Vec<String> = (0..3)
            .map(|i| b.create_at(&ecs_file(), T0 + i).unwrap())
            .collect();
        assert_eq!(ids_a, ids_b);
        assert_eq!(
            by_id(&a, &ids_a[0], T0 + 5_000)["BytesTotal"],
            by_id(&b, &ids_b[0], T0 + 5_000)["BytesTotal"]
        );
    }

    #[test]
    fn create_checks_its_parameters() {
        let s = store(10);
        let without = |name: &str| {
            let mut params = ecs_file();
            params.retain(|(k, _)| k != name);
            params
        };
        let with = |name: &str, value: &str| {
            let mut params = ecs_file();
            params.retain(|(k, _)| k != name);
            params.push((name.to_owned(), value.to_owned()));
            params
        };
        for name in [
            "RestoreType",
            "SourceType",
            "VaultId",
            "SnapshotId",
            "TargetInstanceId",
            "TargetPath",
        ] {
            let e = s.create_at(&without(name), T0).unwrap_err();
            assert_eq!(
                (e.status, e.code.as_str()),
                (400, "MissingParameter"),
                "{name}"
            );
            assert_eq!(e.parameter.as_deref(), Some(name));
            assert!(e.message.contains(name));
        }
        for (name, value) in [
            ("RestoreType", "TAPE"),
            ("SourceType", "FLOPPY"),
            ("SourceType", "OSS"),
            ("Options", "{not json"),
            ("Options", "[1]"),
            ("Include", "/home"),
            ("Exclude", "[1,2]"),
            ("UdmDetail", "{\"a\":"),
            ("FailbackDetail", "\"x\""),
            ("OtsDetail", "{\"BatchChannelCount\":\"x\"}"),
            ("TargetContainer", "nope"),
            ("TargetCreateTime", "yesterday"),
            ("TargetTime", "1.5"),
            ("InitiatedByAck", "maybe"),
            ("CrossAccountType", "OTHER"),
        ] {
            let e = s.create_at(&with(name, value), T0).unwrap_err();
            assert_eq!(
                (e.status, e.code.as_str(), e.parameter.as_deref()),
                (400, "InvalidParameter", Some(name)),
                "{name}={value}: {e}"
            );
        }
        let e = s
            .create_at(&with("CrossAccountType", "CROSS_ACCOUNT"), T0)
            .unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("CrossAccountUserId"));
        let oss = p(&[
            ("RestoreType", "OSS"),
            ("SourceType", "OSS"),
            ("VaultId", "v-1"),
            ("SnapshotId", "s-1"),
        ]);
        let e = s.create_at(&oss, T0).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("TargetBucket"));
        // Nothing was created by the failures.
        assert_eq!(page(&s, &Query::default(), T0)["TotalCount"], 10);
        // Booleans are case-insensitive, as the Python SDK sends True.
        assert!(s.create_at(&with("InitiatedByAck", "True"), T0).is_ok());
    }

    #[test]
    fn the_number_of_created_jobs_is_bounded() {
        let dataset = Dataset::new(generate_jobs(5, 1), false);
        let timing = Timing {
            job_ms: 1_000,
            cancel_ms: 0,
        };
        let s = JobStore::new(dataset, 1, timing, 2);
        s.create_at(&ecs_file(), T0).unwrap();
        s.create_at(&ecs_file(), T0).unwrap();
        let e = s.create_at(&ecs_file(), T0).unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str()),
            (400, "QuotaExceeded.RestoreJob")
        );
    }

    #[test]
    fn cancel_goes_through_canceling_to_canceled() {
        let s = store(10);
        let id = s.create_at(&ecs_file(), T0).unwrap();
        let cancel = p(&[("RestoreId", &id), ("VaultId", "v-000test")]);
        let running = by_id(&s, &id, T0 + 4_000);
        s.cancel_at(&cancel, T0 + 4_000).unwrap();
        let j = by_id(&s, &id, T0 + 5_000);
        assert_eq!(j["Status"], "CANCELING");
        assert_eq!(j["Progress"], running["Progress"], "progress frozen");
        assert_eq!(j["CompleteTime"], 0);
        // Cancelling again while CANCELING is accepted and changes nothing.
        s.cancel_at(&cancel, T0 + 5_000).unwrap();
        let j = by_id(&s, &id, T0 + 6_000);
        assert_eq!(j["Status"], "CANCELED");
        assert_eq!(j["CompleteTime"], (T0 + 6_000) / 1000);
        assert_eq!(j["BytesDone"], running["BytesDone"]);
        assert_eq!(by_id(&s, &id, T0 + 60_000), j, "it stays CANCELED");
        let e = s.cancel_at(&cancel, T0 + 7_000).unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str()),
            (400, "IncorrectRestoreJobStatus")
        );
        assert!(e.message.contains("CANCELED"), "{e}");
    }

    #[test]
    fn cancel_errors() {
        let s = store(200);
        let id = s.create_at(&ecs_file(), T0).unwrap();
        for (params, name) in [
            (p(&[("VaultId", "v-000test")]), "RestoreId"),
            (p(&[("RestoreId", &id)]), "VaultId"),
            (
                p(&[("RestoreId", ""), ("VaultId", "v-000test")]),
                "RestoreId",
            ),
        ] {
            let e = s.cancel_at(&params, T0).unwrap_err();
            assert_eq!(
                (e.status, e.code.as_str(), e.parameter.as_deref()),
                (400, "MissingParameter", Some(name))
            );
        }
        for params in [
            p(&[("RestoreId", "r-nope"), ("VaultId", "v-000test")]),
            p(&[("RestoreId", &id), ("VaultId", "v-other")]),
        ] {
            let e = s.cancel_at(&params, T0).unwrap_err();
            assert_eq!(
                (e.status, e.code.as_str()),
                (404, "InvalidRestoreId.NotFound")
            );
        }
        // A job that completed cannot be cancelled.
        let e = s
            .cancel_at(
                &p(&[("RestoreId", &id), ("VaultId", "v-000test")]),
                T0 + 10_000,
            )
            .unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str()),
            (400, "IncorrectRestoreJobStatus")
        );
        assert!(e.message.contains("COMPLETE"));
    }

    #[test]
    fn seeded_jobs_cancel_only_while_unfinished() {
        let s = store(200);
        let jobs = generate_jobs(200, 1);
        let running = jobs.iter().find(|j| j.status == "RUNNING").unwrap();
        let done = jobs.iter().find(|j| j.status == "FAILED").unwrap();
        let e = s
            .cancel_at(
                &p(&[("RestoreId", &done.restore_id), ("VaultId", &done.vault_id)]),
                T0,
            )
            .unwrap_err();
        assert_eq!(e.code, "IncorrectRestoreJobStatus");
        let cancel = p(&[
            ("RestoreId", &running.restore_id),
            ("VaultId", &running.vault_id),
        ]);
        s.cancel_at(&cancel, T0).unwrap();
        assert_eq!(
            by_id(&s, &running.restore_id, T0 + 1_000)["Status"],
            "CANCELING"
        );
        let j = by_id(&s, &running.restore_id, T0 + 2_000);
        assert_eq!(j["Status"], "CANCELED");
        assert_eq!(j["CreatedTime"], running.created_time);
        assert_eq!(j["Progress"], running.progress);
        // Its place in the order is unchanged, and the rest of the data set too.
        let mut q = Query::default();
        q.page_size = 99;
        for n in 1..=3 {
            q.page_number = n;
            let after = page(&s, &q, T0 + 2_000)["RestoreJobs"]["RestoreJob"].clone();
            let before = page(&store(200), &q, T0)["RestoreJobs"]["RestoreJob"].clone();
            let (after, before) = (after.as_array().unwrap(), before.as_array().unwrap());
            assert_eq!(after.len(), before.len());
            for (a, b) in after.iter().zip(before) {
                assert_eq!(a["RestoreId"], b["RestoreId"]);
                if a["RestoreId"] != running.restore_id.as_str() {
                    assert!(a == b, "page {n}: {} changed", a["RestoreId"]);
                }
            }
        }
        assert!(
            s.cancel_at(&cancel, T0 + 3_000).is_err(),
            "already CANCELED"
        );
    }
}
