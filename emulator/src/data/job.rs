//! One seeded restore job: what is restored from where to where, how much, when, and how it
//! ended. Every draw from the generator happens in a fixed order, so a seed always gives the
//! same job.

use rand::rngs::StdRng;
use rand::Rng;
use serde_json::json;

use hbr_client::types::{CrossAccountType, RestoreType, StorageClass};

use super::world::{random_region, Region, Vault};
use super::{
    hbr_id, pick, random_chars, restores_files, round_up_mib, source_type_for, weighted, Job,
    OtsDetail, Report, ALNUM, DATASET_NOW, HEX,
};
use crate::status::Status;

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

/// The share of seeded jobs (in percent) of each restore type; a restore type the emulator
/// does not know is never drawn.
fn restore_type_weight(restore_type: &RestoreType) -> u32 {
    match restore_type {
        RestoreType::EcsFile => 30,
        RestoreType::Oss => 20,
        RestoreType::Nas => 20,
        RestoreType::CommonFileSystem => 8,
        RestoreType::OtsTable => 10,
        RestoreType::UdmEcsRollback => 12,
        _ => 0,
    }
}

/// The statuses of seeded jobs with their share in percent.
const STATUS_WEIGHTS: [(Status, u32); 5] = [
    (Status::Complete, 64),
    (Status::PartialComplete, 10),
    (Status::Failed, 15),
    (Status::Running, 8),
    (Status::Created, 3),
];

/// The kinds of job drawn from: the restore types the spec lists and the statuses, each
/// with its weight.
pub(super) struct Kinds {
    restore_types: &'static [RestoreType],
    restore_type_weights: Vec<u32>,
    status_weights: Vec<u32>,
}

/// Where a job lives.
pub(super) struct Place<'a> {
    pub(super) vault: &'a Vault,
    pub(super) region: &'a Region,
    pub(super) account_id: i64,
}

/// What is restored, from where, to where.
#[derive(Default)]
struct Target {
    source_instance_id: String,
    source_resource_id: String,
    target_instance_id: String,
    target_bucket: String,
    target_prefix: String,
    target_file_system_id: String,
    target_create_time: i64,
    target_path: String,
    target_client_id: String,
    target_instance_name: String,
    target_table_name: String,
    cluster_id: String,
    include: Vec<String>,
    exclude: Vec<String>,
    use_vss: bool,
    ots_detail: Option<OtsDetail>,
    windows: bool,
    instance_name: String,
}

/// How much there is and how much was done.
struct Amounts {
    bytes_total: i64,
    items_total: i64,
    bytes_done: i64,
    items_done: i64,
    actual_bytes: i64,
    progress: i32,
}

/// When it happened (unix seconds) and how fast.
struct Times {
    created: i64,
    start: i64,
    complete: i64,
    updated: i64,
    speed: i64,
}

/// How it ended.
struct Outcome {
    error_message: String,
    error_file: String,
    report: Option<Report>,
    cross_account_type: String,
    cross_account_user_id: i64,
    cross_account_role_name: String,
}

fn percent_of(value: i64, pct: i64) -> i64 {
    i64::try_from(i128::from(value) * i128::from(pct) / 100).unwrap_or(value)
}

impl Kinds {
    pub(super) fn new() -> Self {
        let restore_types = RestoreType::known();
        Self {
            restore_types,
            restore_type_weights: restore_types.iter().map(restore_type_weight).collect(),
            status_weights: STATUS_WEIGHTS.iter().map(|(_, w)| *w).collect(),
        }
    }

    /// Draws one job.
    pub(super) fn make_job(
        &self,
        rng: &mut StdRng,
        place: &Place<'_>,
        restore_id: String,
        parent_id: String,
    ) -> Job {
        let restore_type = &self.restore_types[weighted(rng, &self.restore_type_weights)];
        let status = STATUS_WEIGHTS[weighted(rng, &self.status_weights)].0;
        let (vault, region) = (place.vault, place.region);
        let plan_id = pick(rng, &vault.plans).clone();
        let target = target(rng, restore_type, region, &restore_id);
        let amounts = amounts(rng, restore_type, status);
        let times = times(rng, status, amounts.bytes_done);
        let target_time = if *restore_type == RestoreType::OtsTable {
            times.created - rng.gen_range(3_600..30 * 86_400)
        } else {
            0
        };
        let outcome = outcome(rng, restore_type, status, &restore_id, place.account_id);
        let udm_detail = udm_detail_json(
            rng,
            &target.instance_name,
            target.windows,
            region.id(),
            &vault.id,
        );
        let failback_detail = failback_detail_json(rng, &target.source_instance_id);
        Job {
            snapshot_hash: random_chars(rng, HEX, 64),
            status: status.as_str().to_owned(),
            error_message: outcome.error_message,
            actual_items: amounts.items_done,
            vault_id: vault.id.clone(),
            actual_bytes: amounts.actual_bytes,
            udm_detail,
            source_type: source_type_for(restore_type)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            options: json!({ "UseVSS": target.use_vss }).to_string(),
            source_instance_id: target.source_instance_id,
            restore_type: restore_type.as_str().to_owned(),
            target_create_time: target.target_create_time,
            items_done: amounts.items_done,
            bytes_total: amounts.bytes_total,
            exclude: serde_json::Value::from(target.exclude).to_string(),
            parent_id,
            complete_time: times.complete,
            created_time: times.created,
            target_bucket: target.target_bucket,
            cluster_id: target.cluster_id,
            target_file_system_id: target.target_file_system_id,
            progress: amounts.progress,
            expire_time: times.created + 180 * 86_400,
            target_data_source_id: hbr_id(rng, "ds-"),
            target_prefix: target.target_prefix,
            target_path: target.target_path,
            error_file: outcome.error_file,
            start_time: times.start,
            updated_time: times.updated,
            snapshot_id: hbr_id(rng, "s-"),
            restore_id,
            target_client_id: target.target_client_id,
            items_total: amounts.items_total,
            include: serde_json::Value::from(target.include).to_string(),
            bytes_done: amounts.bytes_done,
            target_instance_name: target.target_instance_name,
            target_table_name: target.target_table_name,
            speed: times.speed,
            target_time,
            ots_detail: target.ots_detail,
            cross_account_type: outcome.cross_account_type,
            cross_account_user_id: outcome.cross_account_user_id,
            cross_account_role_name: outcome.cross_account_role_name,
            report: outcome.report,
            metering_bytes_done: round_up_mib(amounts.bytes_done),
            metering_bytes_total: round_up_mib(amounts.bytes_total),
            storage_class: if vault.archive {
                StorageClass::Archive
            } else {
                StorageClass::Standard
            }
            .as_str()
            .to_owned(),
            failback_detail,
            target_instance_id: target.target_instance_id,
            source_resource_id: target.source_resource_id,
            region_id: region.id().to_owned(),
            plan_id,
        }
    }
}

/// What is restored from where to where, by restore type.
fn target(rng: &mut StdRng, restore_type: &RestoreType, region: &Region, id: &str) -> Target {
    match restore_type {
        RestoreType::EcsFile => ecs_file_target(rng, region, id),
        RestoreType::Oss => oss_target(rng, region, id),
        RestoreType::Nas => nas_target(rng, region, id),
        RestoreType::CommonFileSystem => cpfs_target(rng, region, id),
        RestoreType::OtsTable => ots_target(rng, region),
        // UDM_ECS_ROLLBACK; other restore types are never drawn (weight 0).
        _ => udm_target(rng, region),
    }
}

fn ecs_file_target(rng: &mut StdRng, region: &Region, restore_id: &str) -> Target {
    let src = pick(rng, &region.instances);
    let mut t = Target {
        windows: src.windows,
        instance_name: src.name.clone(),
        source_instance_id: src.id.clone(),
        source_resource_id: src.id.clone(),
        ..Target::default()
    };
    t.target_instance_id = if rng.gen_range(0..100) < 70 {
        src.id.clone()
    } else {
        pick(rng, &region.instances).id.clone()
    };
    t.target_client_id = hbr_id(rng, "c-");
    if rng.gen_range(0..100) < 30 {
        t.cluster_id = hbr_id(rng, "cl-");
    }
    if t.windows {
        t.target_path = format!("D:\\rebk\\{restore_id}");
        t.include.push((*pick(rng, &WINDOWS_INCLUDES)).to_owned());
        t.exclude.push("C:\\Windows\\Temp".to_owned());
        t.use_vss = rng.gen_range(0..100) < 40;
    } else {
        t.target_path = format!("/restore/{restore_id}");
        t.include.push((*pick(rng, &LINUX_INCLUDES)).to_owned());
        if rng.gen_range(0..2) == 0 {
            t.include.push((*pick(rng, &LINUX_INCLUDES)).to_owned());
        }
        t.exclude.extend(["/var".to_owned(), "/proc".to_owned()]);
    }
    t
}

fn oss_target(rng: &mut StdRng, region: &Region, restore_id: &str) -> Target {
    let src = pick(rng, &region.buckets).clone();
    let target_bucket = if rng.gen_range(0..100) < 60 {
        src.clone()
    } else {
        pick(rng, &region.buckets).clone()
    };
    let include = vec![format!(
        "{}/",
        pick(rng, &["logs", "images", "exports", "db"])
    )];
    Target {
        target_bucket,
        target_prefix: format!("restore/{restore_id}/"),
        include,
        source_instance_id: src.clone(),
        source_resource_id: src,
        ..Target::default()
    }
}

fn nas_target(rng: &mut StdRng, region: &Region, restore_id: &str) -> Target {
    let (fs, created) = pick(rng, &region.nas).clone();
    let mut t = Target {
        source_instance_id: fs.clone(),
        source_resource_id: fs.clone(),
        ..Target::default()
    };
    (t.target_file_system_id, t.target_create_time) = if rng.gen_range(0..100) < 75 {
        (fs, created)
    } else {
        pick(rng, &region.nas).clone()
    };
    t.target_path = format!("/restore/{restore_id}");
    t.include.push(format!(
        "/share/{}",
        pick(rng, &["projects", "home", "build", "media"])
    ));
    t.exclude.push("*.tmp".to_owned());
    t
}

fn cpfs_target(rng: &mut StdRng, region: &Region, restore_id: &str) -> Target {
    let fs = pick(rng, &region.cpfs).clone();
    let include = vec![format!(
        "/{}",
        pick(rng, &["scratch", "datasets", "models"])
    )];
    Target {
        source_instance_id: fs.clone(),
        source_resource_id: fs.clone(),
        target_file_system_id: fs,
        target_path: format!("/restore/{restore_id}"),
        include,
        ..Target::default()
    }
}

fn ots_target(rng: &mut StdRng, region: &Region) -> Target {
    let (instance, tables) = pick(rng, &region.ots);
    let target_table_name = format!("{}_restored", pick(rng, tables));
    let ots_detail = Some(OtsDetail {
        batch_channel_count: rng.gen_range(1..=8),
        overwrite_existing: rng.gen_range(0..100) < 30,
    });
    Target {
        source_instance_id: instance.clone(),
        source_resource_id: instance.clone(),
        target_instance_name: instance.clone(),
        target_table_name,
        ots_detail,
        ..Target::default()
    }
}

fn udm_target(rng: &mut StdRng, region: &Region) -> Target {
    let src = pick(rng, &region.instances);
    Target {
        windows: src.windows,
        instance_name: src.name.clone(),
        source_instance_id: src.id.clone(),
        source_resource_id: src.id.clone(),
        target_instance_id: src.id.clone(),
        ..Target::default()
    }
}

/// The sizes, and how much of them the job got through.
fn amounts(rng: &mut StdRng, restore_type: &RestoreType, status: Status) -> Amounts {
    let has_items = restores_files(restore_type) || *restore_type == RestoreType::Oss;
    let (exp_lo, exp_hi) = match restore_type {
        RestoreType::EcsFile => (20, 36),
        RestoreType::Oss => (22, 38),
        RestoreType::Nas | RestoreType::CommonFileSystem => (24, 40),
        RestoreType::OtsTable => (20, 34),
        _ => (32, 39),
    };
    let exp: u32 = rng.gen_range(exp_lo..exp_hi);
    let bytes_total = (1i64 << exp) + rng.gen_range(0..(1i64 << exp));
    let items_total = if has_items {
        let avg = rng.gen_range(4_096..4_194_304);
        (bytes_total / avg).max(1)
    } else {
        0
    };
    let done_pct = match status {
        Status::Complete => 100,
        Status::PartialComplete => rng.gen_range(50..100),
        Status::Failed => rng.gen_range(0..90),
        Status::Running => rng.gen_range(1..95),
        _ => 0,
    };
    let bytes_done = percent_of(bytes_total, done_pct);
    let items_done = percent_of(items_total, done_pct);
    let dedup = rng.gen_range(40..=100);
    let progress: i32 = match status {
        Status::Complete | Status::PartialComplete => 10_000,
        _ => i32::try_from(i128::from(bytes_done) * 10_000 / i128::from(bytes_total.max(1)))
            .unwrap_or(0)
            .min(9_999),
    };
    Amounts {
        bytes_total,
        items_total,
        bytes_done,
        items_done,
        actual_bytes: percent_of(bytes_done, dedup),
        progress,
    }
}

/// When the job was created, started, finished and last updated, as of [`DATASET_NOW`].
fn times(rng: &mut StdRng, status: Status, bytes_done: i64) -> Times {
    let throughput_kbs: i64 = rng.gen_range(10_000..300_000);
    if status.finished() {
        let duration = (bytes_done / 1024 / throughput_kbs) + rng.gen_range(5..120);
        let queued = rng.gen_range(0..600);
        let created = DATASET_NOW - duration - queued - rng.gen_range(86_400..365 * 86_400);
        let start = created + queued;
        let complete = start + duration;
        Times {
            created,
            start,
            complete,
            updated: complete,
            speed: bytes_done / 1024 / duration,
        }
    } else if status == Status::Running {
        let created = DATASET_NOW - rng.gen_range(1_800..86_400);
        let start = created + rng.gen_range(0..300);
        let elapsed = DATASET_NOW - start;
        Times {
            created,
            start,
            complete: 0,
            updated: DATASET_NOW,
            speed: bytes_done / 1024 / elapsed.max(1),
        }
    } else {
        let created = DATASET_NOW - rng.gen_range(0..600);
        Times {
            created,
            start: 0,
            complete: 0,
            updated: created,
            speed: 0,
        }
    }
}

/// The errors, the file report and the account the data belongs to.
fn outcome(
    rng: &mut StdRng,
    restore_type: &RestoreType,
    status: Status,
    restore_id: &str,
    account_id: i64,
) -> Outcome {
    let is_file = restores_files(restore_type);
    let failed_list = || {
        if is_file {
            format!("{restore_id}_failed.csv")
        } else {
            String::new()
        }
    };
    let (error_message, error_file) = match status {
        Status::PartialComplete => ("some files could not be restored".to_owned(), failed_list()),
        Status::Failed => ((*pick(rng, &FAILURES)).to_owned(), failed_list()),
        _ => (String::new(), String::new()),
    };
    let report = is_file.then(|| {
        Report::under(
            &format!("/temp/report/{account_id}/{restore_id}/{restore_id}"),
            status.report(),
        )
    });
    let cross = rng.gen_range(0..100) < 12;
    let (cross_account_type, cross_account_user_id, cross_account_role_name) = if cross {
        (
            CrossAccountType::CrossAccount.as_str().to_owned(),
            rng.gen_range(1_000_000_000_000_000..1_999_999_999_999_999),
            (*pick(rng, &["BackupRole", "HbrCrossAccountRole"])).to_owned(),
        )
    } else {
        (
            CrossAccountType::SelfAccount.as_str().to_owned(),
            0,
            String::new(),
        )
    };
    Outcome {
        error_message,
        error_file,
        report,
        cross_account_type,
        cross_account_user_id,
        cross_account_role_name,
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
    let destination = random_region(rng);
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
