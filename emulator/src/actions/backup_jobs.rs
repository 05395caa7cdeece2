//! Backup jobs: `CreateBackupJob`, `DescribeBackupJobs2`, `CancelBackupJob`, and
//! [`start`], which `ExecuteBackupPlan` and `ExecutePolicyV2` also create jobs with.
//!
//! A job runs on the clock ([`crate::store::BackupJob::at`]) and, once COMPLETE, its
//! snapshot is listed by `SearchHistoricalSnapshots` (and `DescribeUdmSnapshots` for
//! UDM_ECS jobs).

use serde_json::{json, Value};

use hbr_client::cancel_backup_job::CancelBackupJobRequest;
use hbr_client::create_backup_job::CreateBackupJobRequest;
use hbr_client::describe_backup_jobs2::{DescribeBackupJobs2Request, SortDirection};
use hbr_client::facts::Scalar;
use hbr_client::types::SourceType;

use super::listing::paged;
use super::{Action, Call};
use crate::data::{random_chars, Sizes, HEX};
use crate::error::ApiError;
use crate::query::records::{all_match, Condition, Listed};
use crate::response::success_body;
use crate::status::Status;
use crate::store::{int, text, BackupJob, Record, State, Store};

pub(crate) const CREATE: Action = Action::of::<CreateBackupJobRequest>(create);
pub(crate) const DESCRIBE: Action = Action::of::<DescribeBackupJobs2Request>(describe);
pub(crate) const CANCEL: Action = Action::of::<CancelBackupJobRequest>(cancel);

/// What a backup job backs up, and where.
pub(crate) struct Source {
    /// The job's fixed fields (`SourceType`, `VaultId`, `PlanId`, `InstanceId`, `Paths`, ...).
    pub(crate) fields: Record,
    /// The region it runs in.
    pub(crate) region_id: String,
    /// The storage class of its vault.
    pub(crate) storage_class: String,
}

/// Creates a backup job of `source` at `now` (unix ms); returns its `JobId`.
pub(crate) fn start(state: &mut State, store: &Store, source: Source, now: i64) -> String {
    let mut rng = store.resources.ids.rng(state.draws);
    state.draws += 1;
    let job_id = crate::data::hbr_id(&mut rng, "job-");
    let snapshot_id = crate::data::hbr_id(&mut rng, "s-");
    let snapshot_hash = random_chars(&mut rng, HEX, 64);
    let has_items = SourceType::from_wire(text(&source.fields, "SourceType")) != SourceType::UdmEcs;
    let sizes = Sizes::draw(&mut rng, has_items);
    let mut record = source.fields;
    // A job has no Retention field; its snapshot has.
    let retention = record
        .remove("Retention")
        .and_then(|v| v.as_i64())
        .unwrap_or_default();
    for (name, value) in [
        ("JobId", json!(job_id)),
        ("CreatedTime", json!(now.div_euclid(1000))),
        ("BytesTotal", json!(sizes.bytes_total)),
        ("ItemsTotal", json!(sizes.items_total)),
        ("FilesTotal", json!(sizes.items_total)),
        ("ErrorMessage", json!("")),
    ] {
        record.insert(name.to_owned(), value);
    }
    state.backup_jobs.push(BackupJob {
        record,
        created_ms: now,
        cancel_ms: None,
        dedup_pct: sizes.dedup_pct,
        region_id: source.region_id,
        snapshot_id,
        snapshot_hash,
        storage_class: source.storage_class,
        retention,
    });
    job_id
}

/// The region and storage class of vault `id`, which must exist.
pub(crate) fn vault_facts(state: &State, id: &str) -> Result<(String, String), ApiError> {
    let vault = state
        .vault(id)
        .ok_or_else(|| ApiError::not_found("VaultId", id))?;
    Ok((
        text(vault, "VaultRegionId").to_owned(),
        text(vault, "VaultStorageClass").to_owned(),
    ))
}

/// The parameters of the call named in `names` that it gives, as fields.
pub(crate) fn copied(call: &Call<'_>, names: &[&str]) -> Record {
    names
        .iter()
        .filter_map(|n| call.value(n).map(|v| ((*n).to_owned(), v.clone())))
        .collect()
}

/// What every source type needs besides its vault: ECS files and whole ECS instances are
/// backed up from an instance.
fn check_source(call: &Call<'_>, source_type: &str) -> Result<(), ApiError> {
    match SourceType::from_wire(source_type) {
        SourceType::EcsFile | SourceType::UdmEcs => call.need("InstanceId").map(|_| ()),
        _ => Ok(()),
    }
}

/// A whole-instance (UDM_ECS) backup needs no vault; every other kind does.
pub(crate) fn needs_vault(source_type: &str) -> bool {
    SourceType::from_wire(source_type) != SourceType::UdmEcs
}

fn create(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let source_type = call.need("SourceType")?;
    check_source(call, source_type)?;
    let job_id = {
        let mut state = store.resources.write();
        let (region_id, storage_class) = match call.text("VaultId").filter(|v| !v.is_empty()) {
            Some(vault) => vault_facts(&state, vault)?,
            None if needs_vault(source_type) => return Err(ApiError::missing_parameter("VaultId")),
            None => (String::new(), String::new()),
        };
        let fields = copied(
            call,
            &[
                "JobName",
                "SourceType",
                "BackupType",
                "VaultId",
                "InstanceId",
                "Retention",
                "SpeedLimit",
                "Options",
                "Include",
                "Exclude",
                "CrossAccountType",
                "CrossAccountUserId",
                "CrossAccountRoleName",
            ],
        );
        let source = Source {
            fields,
            region_id,
            storage_class,
        };
        start(&mut state, store, source, call.now_ms)
    };
    store.saved();
    Ok(success_body(call.request_id, [("JobId", json!(job_id))]))
}

/// The conditions of `Filters.N` (`Key`, `Operator`, `Values`): a key names a field of the
/// listed records (or an attribute kept beside them, such as `RegionId`).
pub(crate) fn filter_conditions(
    call: &Call<'_>,
    field_of: impl Fn(&str) -> String,
) -> Result<Vec<Condition>, ApiError> {
    let Some(filters) = call.value("Filters").and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    filters
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let path = format!("Filters.{}", i + 1);
            let key = f
                .get("Key")
                .and_then(Value::as_str)
                .filter(|k| !k.is_empty())
                .ok_or_else(|| ApiError::missing_parameter(&format!("{path}.Key")))?;
            let values = f
                .get("Values")
                .and_then(Value::as_array)
                .map(|vs| {
                    vs.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let operator = f.get("Operator").and_then(Value::as_str);
            Condition::new(&field_of(key), operator, values, &path)
        })
        .collect()
}

/// The records of `source_type` (any when `None`) that meet `conditions`, which read each
/// record's region as `RegionId`.
pub(crate) fn selected<'r>(
    records: impl Iterator<Item = (Record, &'r str)>,
    source_type: Option<&str>,
    conditions: &[Condition],
) -> Vec<Record> {
    records
        .map(|(record, region)| {
            let mut listed = Listed::of(record);
            listed.extra.insert("RegionId".to_owned(), json!(region));
            listed
        })
        .filter(|l| source_type.is_none_or(|s| text(&l.record, "SourceType") == s))
        .filter(|l| all_match(conditions, l))
        .map(|l| l.record)
        .collect()
}

fn describe(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let conditions = filter_conditions(call, str::to_owned)?;
    let source_type = call.text("SourceType").filter(|s| !s.is_empty());
    let now = call.now_ms;
    let state = store.resources.read();
    let timing = &store.resources.timing;
    let mut jobs = selected(
        state
            .backup_jobs
            .iter()
            .map(|j| (j.at(timing, now), j.region_id.as_str())),
        source_type,
        &conditions,
    );
    drop(state);
    let direction = call
        .text("SortDirection")
        .or_else(|| {
            DescribeBackupJobs2Request::SORT_DIRECTION
                .default
                .and_then(Scalar::as_str)
        })
        .unwrap_or_default();
    jobs.sort_by_key(|j| (int(j, "CreatedTime"), text(j, "JobId").to_owned()));
    if SortDirection::from_wire(direction) != SortDirection::Ascend {
        jobs.reverse();
    }
    paged::<DescribeBackupJobs2Request>(call, jobs)
}

fn cancel(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let id = call.need("JobId")?;
    let vault = call.text("VaultId").filter(|v| !v.is_empty());
    let now = call.now_ms;
    {
        let mut state = store.resources.write();
        let timing = store.resources.timing;
        let job = state
            .backup_jobs
            .iter_mut()
            .find(|j| text(&j.record, "JobId") == id)
            .filter(|j| vault.is_none_or(|v| text(&j.record, "VaultId") == v))
            .ok_or_else(|| ApiError::not_found("JobId", id))?;
        match job.status_at(&timing, now) {
            s if s.cancellable() => job.cancel_ms = Some(now),
            Status::Canceling => {}
            other => {
                return Err(ApiError::conflict(
                    "IncorrectBackupJobStatus",
                    format!(
                    "The backup job {id:?} is {}; only a CREATED or RUNNING job can be cancelled.",
                    other.as_str()
                ),
                ))
            }
        }
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}
