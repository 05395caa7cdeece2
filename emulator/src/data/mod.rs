//! The deterministic restore-job data set.
//!
//! [`generate_jobs`] builds `n` restore jobs from a seed with [`rand::rngs::StdRng`]: the same
//! `(n, seed)` always gives the same jobs, field for field, so the same query against two
//! emulators started with the same `--jobs`/`--seed` returns the same bytes (apart from the
//! per-request `RequestId`).
//!
//! The data set is a snapshot taken at [`DATASET_NOW`] (2025-01-01T00:00:00Z); no time in it
//! lies after that instant, whatever the wall clock says.

mod job;
mod world;

use std::collections::HashSet;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use hbr_client::types::{RestoreType, SourceType};

/// The instant the data set describes, in unix seconds (2025-01-01T00:00:00Z). Finished jobs
/// were created in the year before it; running jobs in the last day; just-created jobs in
/// the last ten minutes.
pub const DATASET_NOW: i64 = 1_735_689_600;

/// The largest data set [`generate_jobs`] builds; larger requests are clamped to it.
/// (Each job costs about 4 KiB of memory once its JSON is rendered.)
pub const MAX_JOBS: usize = 500_000;

/// Settings of a restore into Tablestore (`OtsDetail`), present only on OTS_TABLE jobs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OtsDetail {
    /// How many channels each Tablestore restore job works through.
    pub batch_channel_count: i32,
    /// Whether existing rows are overwritten.
    pub overwrite_existing: bool,
}

/// The file report of a restore job (`Report`), present on file restores (ECS_FILE, NAS,
/// COMMON_FILE_SYSTEM).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Report {
    /// The path of the list of all files to restore.
    pub total_files: String,
    /// The path of the list of files restored.
    pub success_files: String,
    /// The path of the list of files that failed.
    pub failed_files: String,
    /// The path of the list of files skipped.
    pub skipped_files: String,
    /// `COMPLETE` once the job has finished, `RUNNING` before.
    pub report_task_status: String,
}

impl Report {
    /// The report files under `base` (`<base>_total.csv`, `<base>_success.zip`, ...), with the
    /// report task in `status`.
    pub(crate) fn under(base: &str, status: &str) -> Self {
        Self {
            total_files: format!("{base}_total.csv"),
            success_files: format!("{base}_success.zip"),
            failed_files: format!("{base}_failed.zip"),
            skipped_files: format!("{base}_skipped.zip"),
            report_task_status: status.to_owned(),
        }
    }
}

/// One restore job, serialized exactly in the API's shape (PascalCase names, the documented
/// field order, integers as JSON numbers, the JSON-carrying fields as strings).
///
/// Two attributes have no response field but are needed by the `RegionId` and `PlanId`
/// filters: [`Job::region_id`] and [`Job::plan_id`]. They are skipped when serializing.
///
/// Every job carries every documented scalar field. Fields that do not apply to a job's
/// restore type hold `""` (strings) or `0` (integers); `OtsDetail` is present only on
/// OTS_TABLE jobs and `Report` only on file restores (ECS_FILE, NAS, COMMON_FILE_SYSTEM).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Job {
    /// The hash of the snapshot restored from (64 hex digits).
    pub snapshot_hash: String,
    /// COMPLETE, PARTIAL_COMPLETE, FAILED, RUNNING or CREATED in the seeded data set;
    /// CANCELING and CANCELED too once `CancelRestoreJob` was called.
    pub status: String,
    /// The error text, empty unless the job failed or partly failed.
    pub error_message: String,
    /// Items actually restored (file restores and OSS; 0 otherwise).
    pub actual_items: i64,
    /// The vault holding the snapshot.
    pub vault_id: String,
    /// Bytes actually written after deduplication (≤ `BytesDone`).
    pub actual_bytes: i64,
    /// Whole-instance backup settings, a JSON object (always the full documented shape).
    pub udm_detail: String,
    /// ECS_FILE, OSS, NAS, OTS_TABLE or UDM_ECS.
    pub source_type: String,
    /// Restore options, a JSON object `{"UseVSS":bool}`.
    pub options: String,
    /// The instance (or bucket, file system, Tablestore instance) the data came from.
    pub source_instance_id: String,
    /// The restore type: ECS_FILE, OSS, NAS, COMMON_FILE_SYSTEM, OTS_TABLE, UDM_ECS_ROLLBACK.
    pub restore_type: String,
    /// Creation time of the destination file system (NAS only, else 0).
    pub target_create_time: i64,
    /// Items restored so far (≤ `ItemsTotal`).
    pub items_done: i64,
    /// Bytes in the data source.
    pub bytes_total: i64,
    /// Excluded paths, a JSON array of strings (may be `[]`).
    pub exclude: String,
    /// The parent restore job's `RestoreId`, or empty.
    pub parent_id: String,
    /// When the job finished (unix seconds); 0 while it is RUNNING, CREATED or CANCELING.
    pub complete_time: i64,
    /// When the job was created (unix seconds).
    pub created_time: i64,
    /// The destination bucket (OSS only, else empty).
    pub target_bucket: String,
    /// The client group, or empty.
    pub cluster_id: String,
    /// The destination file system (NAS and COMMON_FILE_SYSTEM, else empty).
    pub target_file_system_id: String,
    /// Progress in hundredths of a percent; 10000 for COMPLETE and PARTIAL_COMPLETE.
    pub progress: i32,
    /// When the job record expires (unix seconds).
    pub expire_time: i64,
    /// The destination data source.
    pub target_data_source_id: String,
    /// The destination object prefix (OSS only, else empty).
    pub target_prefix: String,
    /// The destination path (file restores, else empty).
    pub target_path: String,
    /// The list of files that failed, or empty.
    pub error_file: String,
    /// When the job started (unix seconds); 0 while CREATED.
    pub start_time: i64,
    /// When the job was last updated (unix seconds).
    pub updated_time: i64,
    /// The snapshot restored from.
    pub snapshot_id: String,
    /// The job's own ID (`r-…`), unique in the data set.
    pub restore_id: String,
    /// The destination client, or empty.
    pub target_client_id: String,
    /// Items in the data source (file restores and OSS; 0 otherwise).
    pub items_total: i64,
    /// Included paths, a JSON array of strings (may be `[]`).
    pub include: String,
    /// Bytes restored so far (≤ `BytesTotal`).
    pub bytes_done: i64,
    /// The destination Tablestore instance (OTS_TABLE only, else empty).
    pub target_instance_name: String,
    /// The destination Tablestore table (OTS_TABLE only, else empty).
    pub target_table_name: String,
    /// The average speed in KB/s.
    pub speed: i64,
    /// The time of the Tablestore snapshot (OTS_TABLE only, else 0).
    pub target_time: i64,
    /// Tablestore settings, only on OTS_TABLE jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ots_detail: Option<OtsDetail>,
    /// SELF_ACCOUNT or CROSS_ACCOUNT.
    pub cross_account_type: String,
    /// The source account of a cross-account backup, else 0.
    pub cross_account_user_id: i64,
    /// The RAM role of a cross-account backup, else empty.
    pub cross_account_role_name: String,
    /// The file report, only on file restores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Report>,
    /// `BytesDone` rounded up to a whole MiB.
    pub metering_bytes_done: i64,
    /// `BytesTotal` rounded up to a whole MiB.
    pub metering_bytes_total: i64,
    /// STANDARD or ARCHIVE (the vault's storage class).
    pub storage_class: String,
    /// VMware failback details, a JSON object whose `extra` is itself a JSON string.
    pub failback_detail: String,
    /// The destination instance (ECS_FILE and UDM_ECS_ROLLBACK, else empty).
    pub target_instance_id: String,
    /// The source resource.
    pub source_resource_id: String,
    /// The region the job runs in (the vault's region). Not a response field.
    #[serde(skip)]
    pub region_id: String,
    /// The backup plan whose snapshot the job restores. Not a response field.
    #[serde(skip)]
    pub plan_id: String,
}

/// The order the API lists jobs in: `CreatedTime` descending, then `RestoreId` ascending.
pub fn api_order(a: &Job, b: &Job) -> std::cmp::Ordering {
    b.created_time
        .cmp(&a.created_time)
        .then_with(|| a.restore_id.cmp(&b.restore_id))
}

const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
pub(crate) const HEX: &[u8] = b"0123456789abcdef";

pub(crate) fn random_chars(rng: &mut StdRng, alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| char::from(alphabet[rng.gen_range(0..alphabet.len())]))
        .collect()
}

/// An HBR-style resource ID: `prefix` + `000` + 17 lowercase alphanumerics.
pub(crate) fn hbr_id(rng: &mut StdRng, prefix: &str) -> String {
    format!("{prefix}000{}", random_chars(rng, ALNUM, 17))
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// Picks an index by integer weights (a weight table must not be empty or all zero).
fn weighted(rng: &mut StdRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut r = rng.gen_range(0..total.max(1));
    for (i, w) in weights.iter().enumerate() {
        if r < *w {
            return i;
        }
        r -= w;
    }
    weights.len().saturating_sub(1)
}

pub(crate) fn round_up_mib(bytes: i64) -> i64 {
    const MIB: i64 = 1 << 20;
    bytes.div_euclid(MIB) * MIB + if bytes.rem_euclid(MIB) == 0 { 0 } else { MIB }
}

/// The only `SourceType` a restore type restores from (the service requires the data source
/// type to match the destination type); `None` for a restore type the emulator does not
/// know.
pub(crate) fn source_type_for(restore_type: &RestoreType) -> Option<SourceType> {
    Some(match restore_type {
        RestoreType::EcsFile => SourceType::EcsFile,
        RestoreType::Oss => SourceType::Oss,
        RestoreType::Nas | RestoreType::CommonFileSystem => SourceType::Nas,
        RestoreType::OtsTable => SourceType::OtsTable,
        RestoreType::UdmEcsRollback => SourceType::UdmEcs,
        _ => return None,
    })
}

/// Whether a restore type restores files (and so has items and a file report).
pub(crate) fn restores_files(restore_type: &RestoreType) -> bool {
    matches!(
        restore_type,
        RestoreType::EcsFile | RestoreType::Nas | RestoreType::CommonFileSystem
    )
}

/// The size of a created job, drawn.
pub(crate) struct Sizes {
    /// Bytes in the data source.
    pub(crate) bytes_total: i64,
    /// Items in it (0 when it has none).
    pub(crate) items_total: i64,
    /// The share of bytes actually written, in percent.
    pub(crate) dedup_pct: i64,
}

impl Sizes {
    /// Drawn from `rng`; `has_items` when the data source holds files or objects.
    pub(crate) fn draw(rng: &mut StdRng, has_items: bool) -> Self {
        let exp: u32 = rng.gen_range(24..36);
        let bytes_total = (1i64 << exp) + rng.gen_range(0..(1i64 << exp));
        let items_total = if has_items {
            (bytes_total / rng.gen_range(4_096..4_194_304)).max(1)
        } else {
            0
        };
        Self {
            bytes_total,
            items_total,
            dedup_pct: rng.gen_range(40..=100),
        }
    }
}

/// A vault of the seeded world, with the backup plans that live in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SeedVault {
    /// `VaultId`.
    pub(crate) id: String,
    /// The region it lives in.
    pub(crate) region: &'static str,
    /// The `PlanId`s of its backup plans.
    pub(crate) plans: Vec<String>,
    /// Whether its storage class is ARCHIVE (else STANDARD).
    pub(crate) archive: bool,
}

/// The vaults the seeded restore jobs of [`generate_jobs`]`(n, seed)` live in, in the order
/// they were drawn (none when `n` is 0).
pub(crate) fn seeded_vaults(n: usize, seed: u64) -> Vec<SeedVault> {
    let n = n.min(MAX_JOBS);
    if n == 0 {
        return Vec::new();
    }
    // The same first draws as `generate_jobs`.
    let mut rng = StdRng::seed_from_u64(seed);
    let world = world::World::new(&mut rng, n);
    world
        .vaults
        .iter()
        .map(|v| SeedVault {
            id: v.id.clone(),
            region: world.region(v.region).map_or("", world::Region::id),
            plans: v.plans.clone(),
            archive: v.archive,
        })
        .collect()
}

/// Generates `n` restore jobs (at most [`MAX_JOBS`]) from `seed`, in the API's list order
/// (see [`api_order`]).
///
/// The same `(n, seed)` always gives the same jobs. The data set is realistic rather than
/// random noise: a pool of vaults spread over seven regions, each with its backup plans, and
/// per region pools of ECS instances, OSS buckets, NAS and CPFS file systems and Tablestore
/// instances, so that filter values repeat across jobs. Within a job the fields agree:
/// `BytesDone ≤ BytesTotal`, `ActualBytes ≤ BytesDone`, `ItemsDone ≤ ItemsTotal`,
/// `Progress` is 10000 for COMPLETE and PARTIAL_COMPLETE, and for finished jobs
/// `CreatedTime ≤ StartTime ≤ CompleteTime ≤ UpdatedTime`.
///
/// ```
/// let a = hbr_emulator::generate_jobs(50, 7);
/// let b = hbr_emulator::generate_jobs(50, 7);
/// assert_eq!(a, b);
/// assert_eq!(a.len(), 50);
/// ```
pub fn generate_jobs(n: usize, seed: u64) -> Vec<Job> {
    let n = n.min(MAX_JOBS);
    if n == 0 {
        return Vec::new();
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let world = world::World::new(&mut rng, n);
    let kinds = job::Kinds::new();
    let mut used_ids: HashSet<String> = HashSet::with_capacity(n);
    let mut jobs: Vec<Job> = Vec::with_capacity(n);
    for _ in 0..n {
        let vault = pick(&mut rng, &world.vaults);
        let Some(region) = world.region(vault.region) else {
            continue;
        };
        let restore_id = loop {
            let id = hbr_id(&mut rng, "r-");
            if used_ids.insert(id.clone()) {
                break id;
            }
        };
        let parent_id = if !jobs.is_empty() && rng.gen_range(0..100) < 8 {
            jobs[rng.gen_range(0..jobs.len())].restore_id.clone()
        } else {
            String::new()
        };
        let place = job::Place {
            vault,
            region,
            account_id: world.account_id,
        };
        jobs.push(kinds.make_job(&mut rng, &place, restore_id, parent_id));
    }
    jobs.sort_by(api_order);
    jobs
}

/// The first of the `(n, seed)` data set's restore jobs ([`generate_jobs`]) that restores
/// with `restore_type` (`"OSS"`, `"ECS_FILE"`, ...), or `None` when the set has none.
///
/// A restore job created against the emulator must name a vault and a snapshot that exist;
/// this one's `vault_id` and `snapshot_id` do, and its `source_type` fits them.
///
/// ```
/// let job = hbr_emulator::seeded_restore(20, 4, "OSS").expect("an OSS restore");
/// assert_eq!(job.restore_type, "OSS");
/// assert!(hbr_emulator::generate_jobs(20, 4).contains(&job));
/// assert!(hbr_emulator::seeded_restore(20, 4, "NO_SUCH_TYPE").is_none());
/// ```
pub fn seeded_restore(n: usize, seed: u64, restore_type: &str) -> Option<Job> {
    generate_jobs(n, seed)
        .into_iter()
        .find(|j| j.restore_type == restore_type)
}
