//! `hbr-emulator`: a local endpoint of Alibaba Cloud Hybrid Backup Recovery (HBR,
//! API version 2017-09-08) for tests, benchmarks, demos and `hbr --emulator`.
//!
//! It listens on plain HTTP, verifies every signature Alibaba's clients send
//! (ACS3-HMAC-SHA256, "v3"; ACS3-HMAC-SM3, "sm3"; the legacy HMAC-SHA1 RPC signature, "v1",
//! with its parameters in the URL query, the form body or both; STS tokens included) with the
//! runtime's verifier [`hbr_runtime::signing::verify`], and answers every operation of the
//! spec, in JSON or (for `Format=XML`) XML: each request is checked against its operation's
//! spec through the generated client (required parameters, types, enum values, ranges,
//! rules, query vs form placement under the ACS3 signatures), the stateful
//! operations ([`ACTIONS`]: vaults, backup plans, backup and restore jobs, snapshots,
//! policies and bindings) keep resources, the others answer from their schema.
//! `DescribeRestoreJobs2` serves a deterministic data set of restore jobs with the service's
//! paging, filters and errors; created jobs run on the clock (CREATED, RUNNING, COMPLETE
//! over [`EmulatorConfig::job_duration`]) and a cancel takes a job through CANCELING to
//! CANCELED. [`EmulatorConfig::state_file`] keeps the state across restarts. See the README
//! for every rule and the list of operations.
//! Faults (throttling, 5xx, latency, dropped connections, answers lost after the work was
//! done, integers as strings) can be injected, seeded and off by default. STS `AssumeRole`
//! (2015-04-01) is served beside HBR, issuing temporary credentials the emulator then
//! accepts with their token; with [`EmulatorConfig::require_sts`] HBR calls need them.
//!
//! ```no_run
//! # async fn demo() -> Result<(), hbr_emulator::Error> {
//! let mut config = hbr_emulator::EmulatorConfig::default(); // demo key, 200 jobs, seed 1
//! config.jobs = 10_000;
//! let emulator = hbr_emulator::start(config).await?;
//! println!("endpoint {}", emulator.url()); // http://127.0.0.1:PORT
//! // ... sign requests with LTAI-emulator-demo / emulator-demo-secret and send them ...
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # The protocol
//!
//! * `POST` or `GET` on `/` (any other path: `404 InvalidApi.NotFound`; another method:
//!   `405 UnsupportedHTTPMethod`). Parameters come from the URL query and from an
//!   `application/x-www-form-urlencoded` body; the action from `x-acs-action` (ACS3) or
//!   `Action` (v1); the version (`x-acs-version` / `Version`) must be `2017-09-08`.
//!   Every signature covers the method the request arrived with (a v1 string to sign
//!   starts `GET&%2F&…` for a GET), so a request signed for POST and sent as GET is
//!   `SignatureDoesNotMatch`.
//! * Every answer is JSON (`content-type: application/json;charset=utf-8`), or XML
//!   (`text/xml;charset=utf-8`, root `<ActionResponse>` or `<Error>`) when the request asks
//!   `Format=XML`, and carries `x-acs-request-id` (the body's `RequestId`, an uppercase
//!   UUID) and `x-acs-trace-id`. Errors have the service's body: `RequestId`, `HostId`,
//!   `Code`, `Message`, `Recommend`.
//! * Checks, in order, and their errors:
//!
//! | Check | Status | Code |
//! |---|---|---|
//! | path is `/` | 404 | `InvalidApi.NotFound` |
//! | method is POST or GET | 405 | `UnsupportedHTTPMethod` |
//! | body ≤ [`Limits::max_body_bytes`] (1 MiB) | 413 | `RequestEntityTooLarge` |
//! | body arrives within [`Limits::body_read_timeout`] | 408 | `RequestTimeout` |
//! | (fault injection: drop, `Throttling.User` 400, `InternalError` 500, `ServiceUnavailable` 503) | | |
//! | signature present and complete | 400 | `IncompleteSignature` |
//! | request readable (percent-encoding, repeated headers, `SignatureMethod`…) | 400 | `InvalidParameter` |
//! | AccessKey ID known | 404 | `InvalidAccessKeyId.NotFound` |
//! | signature (and `x-acs-content-sha256`) match | 400 | `SignatureDoesNotMatch` (the message holds the server's string to sign) |
//! | STS token accepted ([`EmulatorConfig::security_tokens`]; for credentials issued by `AssumeRole`, their own token, before they expire) | 400 | `InvalidSecurityToken.Malformed` / `.Mismatch` / `.Expired` |
//! | timestamp well formed | 400 | `InvalidTimeStamp.Format` |
//! | timestamp within 15 minutes of the server clock | 400 | `InvalidTimeStamp.Expired` |
//! | nonce not used in the last 15 minutes (per AccessKey ID) | 400 | `SignatureNonceUsed` |
//! | within [`FaultConfig::rate_limit_rps`] for its AccessKey ID (when set) | 400 | `Throttling.User`, with `x-acs-retry-after` |
//! | `AssumeRole` with version `2015-04-01`: served by STS (see the README) | | |
//! | [`EmulatorConfig::require_sts`]: signed with issued temporary credentials | 403 | `Forbidden.RAM` |
//! | action given / an action of the spec | 400 / 404 | `MissingParameter` / `InvalidAction.NotFound` |
//! | version given / `2017-09-08` | 400 / 400 | `MissingParameter` / `InvalidVersion` |
//! | parameters valid against the spec, each in its place and style | 400 | `MissingParameter` / `InvalidParameter` naming the parameter |
//! | referenced resources exist (vault, snapshot, plan, ...) | 404 | `Invalid<Id>.NotFound` |
//! | CancelRestoreJob: the job exists in that vault / has not ended | 404 / 400 | `InvalidRestoreId.NotFound` / `IncorrectRestoreJobStatus` |
//! | CreateRestoreJob: fewer than [`Limits::max_created_jobs`] created | 400 | `QuotaExceeded.RestoreJob` |
//! | (after-process faults: the work is done, then the connection closed or `500 InternalError`) | | |
//!
//! Request heads larger than [`Limits::max_header_bytes`] get `431` from the HTTP layer, a
//! client that does not send a complete head within [`Limits::header_read_timeout`] is
//! disconnected, and at most [`Limits::max_connections`] connections are served at once.
//! The nonce set is bounded ([`Limits::nonce_capacity`]) and forgets nonces after
//! [`Limits::nonce_ttl`].
//!
//! # DescribeRestoreJobs2
//!
//! * `PageNumber` (default 1, from 1 to 2³¹−1), `PageSize` (default 10, 1 to 99), otherwise
//!   `InvalidParameter` naming it. A page past the end is empty; `TotalCount` counts every
//!   match.
//! * `RestoreType`: exact match on the job's `RestoreType`; a value outside ECS_FILE, OSS,
//!   NAS, COMMON_FILE_SYSTEM, OTS_TABLE, UDM_ECS_ROLLBACK is `InvalidParameter`.
//! * `Edition`: BASIC or STANDARD (else `InvalidParameter`); it does not change the result.
//! * `Filters.N.Key`, `Filters.N.Operator`, `Filters.N.Values.M` (repeatList, N and M from
//!   1; gaps allowed, order by index). At most 5 filters and 500 values per filter. All
//!   filters and `RestoreType` must hold (AND). A filter without `Key` or without values is
//!   `MissingParameter`; an unknown key or operator, a malformed `Filters.*` name, or an
//!   operator the key does not take is `InvalidParameter` naming the parameter.
//! * Order: `CreatedTime` descending, then `RestoreId` ascending, so paging is stable.
//!
//! ## How filter keys map onto a job
//!
//! | Key | Job data | Why |
//! |---|---|---|
//! | `RegionId` | the job's region, [`Job::region_id`] (the region of its vault) | a job has no region field; restore jobs run in the region of the vault holding the snapshot |
//! | `PlanId` | the backup plan that made the restored snapshot, [`Job::plan_id`] | a job has no plan field; the emulator keeps it beside the job (not serialized) |
//! | `JobId` | `RestoreId` | the job's own ID: the only way to look a restore job up by ID, as `JobId` selects a backup job's own `JobId` in DescribeBackupJobs2. `ParentId` is not matched |
//! | `VaultId` | `VaultId` | direct |
//! | `InstanceId` | `TargetInstanceId` | the instance restored into (ECS_FILE, UDM_ECS_ROLLBACK). `Bucket` and `FileSystemId` can only mean the destination (the response has no source bucket or file system field), so all three resource keys consistently select the restore destination |
//! | `Bucket` | `TargetBucket` | OSS restores |
//! | `FileSystemId` | `TargetFileSystemId` | NAS and COMMON_FILE_SYSTEM restores |
//! | `Status` | `Status` | direct, exact and case-sensitive |
//! | `CompleteTime` | `CompleteTime` (unix seconds) | direct |
//!
//! String keys take `IN` (the default when `Operator` is absent; any of the values),
//! `EQUAL` and `NOT_EQUAL` (exactly one value each); the comparisons and `BETWEEN` on them
//! are `InvalidParameter`. Values compare as exact strings; a job whose field is empty (e.g.
//! `TargetBucket` of an ECS restore) has the value `""`, so `NOT_EQUAL` selects it.
//!
//! `CompleteTime` takes `EQUAL`, `NOT_EQUAL`, `GREATER_THAN`, `GREATER_THAN_OR_EQUAL`,
//! `LESS_THAN`, `LESS_THAN_OR_EQUAL` (one value each) and `BETWEEN` (inclusive, exactly two
//! values `Values.1` = min and `Values.2` = max, or one value holding the JSON array
//! `[min,max]`), values in unix seconds. `IN`, explicit or by default, is
//! `InvalidParameter`. Jobs that have not finished (RUNNING, CREATED: `CompleteTime` 0)
//! have no completion time and match no `CompleteTime` filter, `NOT_EQUAL` included.
//!
//! # The data set
//!
//! [`generate_jobs`] (see [`data`]) builds the jobs from `(jobs, seed)` with a seeded
//! `StdRng`; the same pair always gives byte-identical pages. Every job carries every
//! documented field; see [`Job`] for which apply to which restore type.
//!
//! # Library API for tests
//!
//! [`generate_jobs`] and [`select`] expose the data set and the query semantics, so a test
//! can compare the emulator's pages with a filter it computes itself; [`Query::from_params`]
//! parses wire parameters the same way the server does.
#![forbid(unsafe_code)]

mod actions;
mod answer;
mod auth;
mod clock;
pub mod config;
pub mod data;
mod dispatch;
pub mod error;
mod faults;
mod nonce;
mod params;
pub mod query;
mod rate_limit;
mod render;
mod response;
mod running;
mod schema;
mod server;
mod stats;
mod status;
mod store;
mod sts;
mod xml;

pub use config::{
    EmulatorConfig, FaultConfig, Limits, DEFAULT_CANCEL_DURATION, DEFAULT_JOBS,
    DEFAULT_JOB_DURATION, DEFAULT_SEED, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET,
};
pub use data::{generate_jobs, seeded_restore, Job, OtsDetail, Report, DATASET_NOW, MAX_JOBS};
pub use dispatch::{ACTIONS, API_VERSION};
pub use error::{ApiError, Error};
pub use query::{select, Edition, Filter, FilterKey, Operator, Page, Query, RestoreType};
pub use running::{start, RunningEmulator};
pub use stats::Stats;
pub use sts::IssuedCredentials;

/// Renders one job as the emulator sends it (compact JSON in the API's shape); with
/// `ints_as_strings`, every integer becomes a JSON string.
///
/// ```
/// let job = &hbr_emulator::generate_jobs(1, 3)[0];
/// let json = hbr_emulator::render_job(job, false);
/// assert!(json.starts_with("{\"SnapshotHash\":"));
/// ```
pub fn render_job(job: &Job, ints_as_strings: bool) -> String {
    render::render_job(job, ints_as_strings)
}
