//! The deterministic restore-job data set.
//!
//! [`generate_jobs`] builds `n` restore jobs from a seed with [`rand::rngs::StdRng`]: the same
//! `(n, seed)` always gives the same jobs, field for field, so the same query against two
//! emulators started with the same `--jobs`/`--seed` returns the same bytes (apart from the
//! per-request `RequestId`).
//!
//! The data set is a snapshot taken at [`DATASET_NOW`] (2025-01-01T00:00:00Z); no time in it
//! lies after that instant, whatever the wall clock says.

use std::collections::HashSet;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::json;

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

const REGIONS: [(&str, &str); 7] = [
    ("cn-hangzhou", "bp1"),
    ("cn-shanghai", "uf6"),
    ("cn-beijing", "2ze"),
    ("cn-shenzhen", "wz9"),
    ("ap-southeast-1", "t4n"),
    ("eu-central-1", "gw8"),
    ("us-west-1", "rj9"),
];

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

fn percent_of(value: i64, pct: i64) -> i64 {
    i64::try_from(i128::from(value) * i128::from(pct) / 100).unwrap_or(value)
}

pub(crate) fn round_up_mib(bytes: i64) -> i64 {
    const MIB: i64 = 1 << 20;
    bytes.div_euclid(MIB) * MIB + if bytes.rem_euclid(MIB) == 0 { 0 } else { MIB }
}

struct Vault {
    id: String,
    region: usize,
    plans: Vec<String>,
    archive: bool,
}

struct Instance {
    id: String,
    name: String,
    windows: bool,
}

struct Region {
    index: usize,
    instances: Vec<Instance>,
    buckets: Vec<String>,
    nas: Vec<(String, i64)>,
    cpfs: Vec<String>,
    ots: Vec<(String, Vec<String>)>,
}

const BUCKET_WORDS: [&str; 8] = [
    "prod", "logs", "media", "archive", "web", "data", "assets", "reports",
];
const TABLE_WORDS: [&str; 8] = [
    "orders", "users", "events", "metrics", "sessions", "audit", "devices", "payments",
];
const LINUX_INCLUDES: [&str; 6] = [
    "/home/alice/*.pdf",
    "/home/bob/*.txt",
    "/data/app",
    "/etc/nginx",
    "/var/www/html",
    "/opt/service/config",
];
const WINDOWS_INCLUDES: [&str; 4] = [
    "D:\\data\\*.docx",
    "D:\\projects",
    "C:\\Users\\Public\\Documents",
    "E:\\backup\\*.bak",
];
const FAILURES: [&str; 5] = [
    "client is offline",
    "the destination path is not writable",
    "snapshot data is corrupted",
    "the destination instance was released",
    "restore was cancelled by the user",
];

fn clampn(value: usize, lo: usize, hi: usize) -> usize {
    value.clamp(lo, hi)
}

fn make_region(rng: &mut StdRng, index: usize, n: usize) -> Region {
    let prefix = REGIONS[index].1;
    let instances = (0..clampn(n / 40, 3, 120))
        .map(|k| Instance {
            id: format!("i-{prefix}{}", random_chars(rng, ALNUM, 17)),
            name: format!(
                "{}-{k:03}",
                pick(rng, &["web", "db", "app", "build", "cache"])
            ),
            windows: rng.gen_range(0..4) == 0,
        })
        .collect();
    let buckets = (0..clampn(n / 80, 2, 60))
        .map(|_| {
            format!(
                "{}-{}-{}",
                pick(rng, &BUCKET_WORDS),
                pick(rng, &BUCKET_WORDS),
                rng.gen_range(1000..10000)
            )
        })
        .collect();
    let nas = (0..clampn(n / 100, 2, 40))
        .map(|_| {
            (
                random_chars(rng, HEX, 10),
                DATASET_NOW - rng.gen_range(400 * 86_400..1_500 * 86_400),
            )
        })
        .collect();
    let cpfs = (0..clampn(n / 400, 1, 10))
        .map(|_| format!("cpfs-{}", random_chars(rng, HEX, 16)))
        .collect();
    let ots = (0..clampn(n / 200, 1, 20))
        .map(|k| {
            let tables = (0..rng.gen_range(2..6))
                .map(|_| format!("{}_{}", pick(rng, &TABLE_WORDS), rng.gen_range(1..100)))
                .collect();
            (format!("ots-{}-{k}", random_chars(rng, ALNUM, 6)), tables)
        })
        .collect();
    Region {
        index,
        instances,
        buckets,
        nas,
        cpfs,
        ots,
    }
}

/// The restore types, in the order of [`RESTORE_TYPE_WEIGHTS`].
const RESTORE_TYPES: [&str; 6] = [
    "ECS_FILE",
    "OSS",
    "NAS",
    "COMMON_FILE_SYSTEM",
    "OTS_TABLE",
    "UDM_ECS_ROLLBACK",
];
const RESTORE_TYPE_WEIGHTS: [u32; 6] = [30, 20, 20, 8, 10, 12];
const STATUSES: [&str; 5] = [
    "COMPLETE",
    "PARTIAL_COMPLETE",
    "FAILED",
    "RUNNING",
    "CREATED",
];
const STATUS_WEIGHTS: [u32; 5] = [64, 10, 15, 8, 3];

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
    let account_id: i64 = rng.gen_range(1_000_000_000_000_000..1_999_999_999_999_999);

    let vaults: Vec<Vault> = (0..clampn(n / 20, 3, 60))
        .map(|_| {
            let region = rng.gen_range(0..REGIONS.len());
            let id = hbr_id(&mut rng, "v-");
            let plans = (0..rng.gen_range(1..4))
                .map(|_| hbr_id(&mut rng, "po-"))
                .collect();
            Vault {
                id,
                region,
                plans,
                archive: rng.gen_range(0..100) < 15,
            }
        })
        .collect();
    let mut regions: Vec<Region> = Vec::new();
    for v in &vaults {
        if !regions.iter().any(|r| r.index == v.region) {
            let region = make_region(&mut rng, v.region, n);
            regions.push(region);
        }
    }

    let mut used_ids: HashSet<String> = HashSet::with_capacity(n);
    let mut jobs: Vec<Job> = Vec::with_capacity(n);
    for _ in 0..n {
        let vault = pick(&mut rng, &vaults);
        let Some(region) = regions.iter().find(|r| r.index == vault.region) else {
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
        let job = make_job(&mut rng, vault, region, restore_id, parent_id, account_id);
        jobs.push(job);
    }
    jobs.sort_by(api_order);
    jobs
}

fn make_job(
    rng: &mut StdRng,
    vault: &Vault,
    region: &Region,
    restore_id: String,
    parent_id: String,
    account_id: i64,
) -> Job {
    let restore_type = RESTORE_TYPES[weighted(rng, &RESTORE_TYPE_WEIGHTS)];
    let status = STATUSES[weighted(rng, &STATUS_WEIGHTS)];
    let region_id = REGIONS[region.index].0;
    let plan_id = pick(rng, &vault.plans).clone();
    let is_file = matches!(restore_type, "ECS_FILE" | "NAS" | "COMMON_FILE_SYSTEM");
    let has_items = is_file || restore_type == "OSS";

    // What is restored, from where, to where.
    let mut source_type = restore_type;
    let source_instance_id;
    let source_resource_id;
    let mut target_instance_id = String::new();
    let mut target_bucket = String::new();
    let mut target_prefix = String::new();
    let mut target_file_system_id = String::new();
    let mut target_create_time = 0;
    let mut target_path = String::new();
    let mut target_client_id = String::new();
    let mut target_instance_name = String::new();
    let mut target_table_name = String::new();
    let mut cluster_id = String::new();
    let mut include: Vec<String> = Vec::new();
    let mut exclude: Vec<String> = Vec::new();
    let mut use_vss = false;
    let mut ots_detail = None;
    let mut windows = false;
    let mut instance_name = String::new();
    let (exp_lo, exp_hi) = match restore_type {
        "ECS_FILE" => (20, 36),
        "OSS" => (22, 38),
        "NAS" | "COMMON_FILE_SYSTEM" => (24, 40),
        "OTS_TABLE" => (20, 34),
        _ => (32, 39),
    };
    match restore_type {
        "ECS_FILE" => {
            let src = pick(rng, &region.instances);
            windows = src.windows;
            instance_name = src.name.clone();
            source_instance_id = src.id.clone();
            source_resource_id = src.id.clone();
            target_instance_id = if rng.gen_range(0..100) < 70 {
                src.id.clone()
            } else {
                pick(rng, &region.instances).id.clone()
            };
            target_client_id = hbr_id(rng, "c-");
            if rng.gen_range(0..100) < 30 {
                cluster_id = hbr_id(rng, "cl-");
            }
            if windows {
                target_path = format!("D:\\rebk\\{restore_id}");
                include.push((*pick(rng, &WINDOWS_INCLUDES)).to_owned());
                exclude.push("C:\\Windows\\Temp".to_owned());
                use_vss = rng.gen_range(0..100) < 40;
            } else {
                target_path = format!("/restore/{restore_id}");
                include.push((*pick(rng, &LINUX_INCLUDES)).to_owned());
                if rng.gen_range(0..2) == 0 {
                    include.push((*pick(rng, &LINUX_INCLUDES)).to_owned());
                }
                exclude.extend(["/var".to_owned(), "/proc".to_owned()]);
            }
        }
        "OSS" => {
            let src = pick(rng, &region.buckets).clone();
            target_bucket = if rng.gen_range(0..100) < 60 {
                src.clone()
            } else {
                pick(rng, &region.buckets).clone()
            };
            target_prefix = format!("restore/{restore_id}/");
            include.push(format!(
                "{}/",
                pick(rng, &["logs", "images", "exports", "db"])
            ));
            source_instance_id = src.clone();
            source_resource_id = src;
        }
        "NAS" => {
            let (fs, created) = pick(rng, &region.nas).clone();
            source_instance_id = fs.clone();
            source_resource_id = fs.clone();
            target_file_system_id = if rng.gen_range(0..100) < 75 {
                target_create_time = created;
                fs
            } else {
                let (other, other_created) = pick(rng, &region.nas).clone();
                target_create_time = other_created;
                other
            };
            target_path = format!("/restore/{restore_id}");
            include.push(format!(
                "/share/{}",
                pick(rng, &["projects", "home", "build", "media"])
            ));
            exclude.push("*.tmp".to_owned());
        }
        "COMMON_FILE_SYSTEM" => {
            source_type = "NAS";
            let fs = pick(rng, &region.cpfs).clone();
            source_instance_id = fs.clone();
            source_resource_id = fs.clone();
            target_file_system_id = fs;
            target_path = format!("/restore/{restore_id}");
            include.push(format!(
                "/{}",
                pick(rng, &["scratch", "datasets", "models"])
            ));
        }
        "OTS_TABLE" => {
            let (instance, tables) = pick(rng, &region.ots);
            source_instance_id = instance.clone();
            source_resource_id = instance.clone();
            target_instance_name = instance.clone();
            target_table_name = format!("{}_restored", pick(rng, tables));
            ots_detail = Some(OtsDetail {
                batch_channel_count: rng.gen_range(1..=8),
                overwrite_existing: rng.gen_range(0..100) < 30,
            });
        }
        _ => {
            source_type = "UDM_ECS";
            let src = pick(rng, &region.instances);
            windows = src.windows;
            instance_name = src.name.clone();
            source_instance_id = src.id.clone();
            source_resource_id = src.id.clone();
            target_instance_id = src.id.clone();
        }
    }

    // Sizes.
    let exp: u32 = rng.gen_range(exp_lo..exp_hi);
    let bytes_total = (1i64 << exp) + rng.gen_range(0..(1i64 << exp));
    let items_total = if has_items {
        let avg = rng.gen_range(4_096..4_194_304);
        (bytes_total / avg).max(1)
    } else {
        0
    };

    // Progress by status.
    let done_pct = match status {
        "COMPLETE" => 100,
        "PARTIAL_COMPLETE" => rng.gen_range(50..100),
        "FAILED" => rng.gen_range(0..90),
        "RUNNING" => rng.gen_range(1..95),
        _ => 0,
    };
    let bytes_done = percent_of(bytes_total, done_pct);
    let items_done = percent_of(items_total, done_pct);
    let dedup = rng.gen_range(40..=100);
    let actual_bytes = percent_of(bytes_done, dedup);
    let actual_items = items_done;
    let progress: i32 = match status {
        "COMPLETE" | "PARTIAL_COMPLETE" => 10_000,
        _ => i32::try_from(i128::from(bytes_done) * 10_000 / i128::from(bytes_total.max(1)))
            .unwrap_or(0)
            .min(9_999),
    };

    // Times.
    let finished = matches!(status, "COMPLETE" | "PARTIAL_COMPLETE" | "FAILED");
    let throughput_kbs: i64 = rng.gen_range(10_000..300_000);
    let (created_time, start_time, complete_time, updated_time, speed) = if finished {
        let duration = (bytes_done / 1024 / throughput_kbs) + rng.gen_range(5..120);
        let queued = rng.gen_range(0..600);
        let created = DATASET_NOW - duration - queued - rng.gen_range(86_400..365 * 86_400);
        let start = created + queued;
        let complete = start + duration;
        (
            created,
            start,
            complete,
            complete,
            bytes_done / 1024 / duration,
        )
    } else if status == "RUNNING" {
        let created = DATASET_NOW - rng.gen_range(1_800..86_400);
        let start = created + rng.gen_range(0..300);
        let elapsed = DATASET_NOW - start;
        (
            created,
            start,
            0,
            DATASET_NOW,
            bytes_done / 1024 / elapsed.max(1),
        )
    } else {
        let created = DATASET_NOW - rng.gen_range(0..600);
        (created, 0, 0, created, 0)
    };
    let expire_time = created_time + 180 * 86_400;
    let target_time = if restore_type == "OTS_TABLE" {
        created_time - rng.gen_range(3_600..30 * 86_400)
    } else {
        0
    };

    // Errors and report.
    let (error_message, error_file) = match status {
        "PARTIAL_COMPLETE" => (
            "some files could not be restored".to_owned(),
            if is_file {
                format!("{restore_id}_failed.csv")
            } else {
                String::new()
            },
        ),
        "FAILED" => (
            (*pick(rng, &FAILURES)).to_owned(),
            if is_file {
                format!("{restore_id}_failed.csv")
            } else {
                String::new()
            },
        ),
        _ => (String::new(), String::new()),
    };
    let report = is_file.then(|| {
        Report::under(
            &format!("/temp/report/{account_id}/{restore_id}/{restore_id}"),
            if finished { "COMPLETE" } else { "RUNNING" },
        )
    });

    let cross = rng.gen_range(0..100) < 12;
    let (cross_account_type, cross_account_user_id, cross_account_role_name) = if cross {
        (
            "CROSS_ACCOUNT".to_owned(),
            rng.gen_range(1_000_000_000_000_000..1_999_999_999_999_999),
            (*pick(rng, &["BackupRole", "HbrCrossAccountRole"])).to_owned(),
        )
    } else {
        ("SELF_ACCOUNT".to_owned(), 0, String::new())
    };

    let udm_detail = udm_detail_json(rng, &instance_name, windows, region_id, &vault.id);
    let failback_detail = failback_detail_json(rng, &source_instance_id);

    Job {
        snapshot_hash: random_chars(rng, HEX, 64),
        status: status.to_owned(),
        error_message,
        actual_items,
        vault_id: vault.id.clone(),
        actual_bytes,
        udm_detail,
        source_type: source_type.to_owned(),
        options: json!({ "UseVSS": use_vss }).to_string(),
        source_instance_id,
        restore_type: restore_type.to_owned(),
        target_create_time,
        items_done,
        bytes_total,
        exclude: serde_json::Value::from(exclude).to_string(),
        parent_id,
        complete_time,
        created_time,
        target_bucket,
        cluster_id,
        target_file_system_id,
        progress,
        expire_time,
        target_data_source_id: hbr_id(rng, "ds-"),
        target_prefix,
        target_path,
        error_file,
        start_time,
        updated_time,
        snapshot_id: hbr_id(rng, "s-"),
        restore_id,
        target_client_id,
        items_total,
        include: serde_json::Value::from(include).to_string(),
        bytes_done,
        target_instance_name,
        target_table_name,
        speed,
        target_time,
        ots_detail,
        cross_account_type,
        cross_account_user_id,
        cross_account_role_name,
        report,
        metering_bytes_done: round_up_mib(bytes_done),
        metering_bytes_total: round_up_mib(bytes_total),
        storage_class: if vault.archive { "ARCHIVE" } else { "STANDARD" }.to_owned(),
        failback_detail,
        target_instance_id,
        source_resource_id,
        region_id: region_id.to_owned(),
        plan_id,
    }
}

fn udm_detail_json(
    rng: &mut StdRng,
    instance_name: &str,
    windows: bool,
    region_id: &str,
    vault_id: &str,
) -> String {
    let (os_name, platform, os_type) = if windows {
        (
            "Windows Server 2019 Data Center Edition 64bit",
            "Windows Server 2019",
            "windows",
        )
    } else {
        ("Alibaba Cloud Linux 3.2104 LTS 64bit", "Aliyun", "linux")
    };
    let destination = pick(rng, &REGIONS).0;
    let disks: Vec<String> = (0..rng.gen_range(0..3))
        .map(|_| format!("d-{}", random_chars(rng, ALNUM, 20)))
        .collect();
    json!({
        "doCopy": rng.gen_range(0..100) < 20,
        "doBackup": rng.gen_range(0..2) == 0,
        "instanceName": instance_name,
        "appConsistent": rng.gen_range(0..100) < 30,
        "destinationRegionId": if destination == region_id { "" } else { destination },
        "enableFsFreeze": rng.gen_range(0..2) == 0,
        "osNameEn": os_name,
        "osName": os_name,
        "diskIdList": disks,
        "backupVaultId": vault_id,
        "snapshotGroup": rng.gen_range(0..100) < 70,
        "destinationRetention": rng.gen_range(7..=90),
        "platform": platform,
        "timeoutInSeconds": 60,
        "backupRetention": rng.gen_range(1..=365),
        "osType": os_type,
        "preScriptPath": "",
        "postScriptPath": "",
        "enableWriters": windows,
        "ecsDeleted": false,
    })
    .to_string()
}

fn failback_detail_json(rng: &mut StdRng, instance_id: &str) -> String {
    let cluster = random_chars(rng, ALNUM, 20);
    let datastore = rng.gen_range(10..100);
    let extra = json!({
        "restoreVMNamePrefix": format!("{}-", rng.gen_range(100..1000)),
        "dataCenterName": "SDDC-Datacenter",
        "dataStoreId": format!("datastore-{datastore}"),
        "folderId": format!("group-v{}", rng.gen_range(10..100)),
        "resourcePoolId": format!("resgroup-{}", rng.gen_range(10..100)),
        "locationName": format!("vcenter.pc-{cluster}.acvs.aliyuncs.com/SDDC-Datacenter/Workloads"),
        "computeResourceName": format!("SDDC-Datacenter/Default_c-{cluster}"),
        "dataStoreName": format!("Default_c-{cluster}/WorkloadDatastore"),
        "networkMoReference": format!("DistributedVirtualPortgroup:dvportgroup-{}", rng.gen_range(1000..2000)),
        "useHotAdd": rng.gen_range(0..2) == 0,
    })
    .to_string();
    let server_id = format!(
        "{}-{}-{}-{}-{}",
        random_chars(rng, HEX, 8),
        random_chars(rng, HEX, 4),
        random_chars(rng, HEX, 4),
        random_chars(rng, HEX, 4),
        random_chars(rng, HEX, 12)
    );
    json!({
        "cpu": *pick(rng, &[2, 4, 8, 16]),
        "extra": extra,
        "instanceId": instance_id,
        "memoryInMB": *pick(rng, &[4_096, 8_192, 16_384, 32_768]),
        "serverId": server_id,
        "uefiBoot": rng.gen_range(0..2) == 0,
    })
    .to_string()
}
