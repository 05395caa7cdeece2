//! Backup jobs on the clock, and the snapshots the emulator serves: one per completed backup
//! job, and one behind each seeded restore job (the snapshot it restored from). A snapshot
//! removed with DeleteSnapshot is no longer served.
//!
//! A backup job is CREATED for the first tenth of the job duration, RUNNING with its
//! counters growing linearly, then COMPLETE; its snapshot appears when it completes. A
//! cancel freezes its progress, shows CANCELING for the cancel duration, then CANCELED (no
//! snapshot).

use serde_json::{json, Value};

use hbr_client::types::SourceType;

use super::resources::{text, BackupJob, Record, State};
use crate::clock::{percent, Timing};
use crate::data::Job;
use crate::status::Status;

/// The integer field `name` of `record` (0 when absent or not an integer).
pub(crate) fn int(record: &Record, name: &str) -> i64 {
    record.get(name).and_then(Value::as_i64).unwrap_or_default()
}

/// A snapshot as listed, with what filters read beside its fields.
#[derive(Clone, Debug)]
pub(crate) struct SnapshotView {
    /// Its fields (SearchHistoricalSnapshots' shape).
    pub(crate) record: Record,
    /// The plan whose job made it (`PlanId` queries; not a field).
    pub(crate) plan_id: String,
    /// The region of its vault (`UdmRegionId`; not a field).
    pub(crate) region_id: String,
}

/// The fields a snapshot takes over from the job that made it.
const FROM_JOB: [&str; 20] = [
    "JobId",
    "VaultId",
    "SourceType",
    "BackupType",
    "InstanceId",
    "InstanceName",
    "Bucket",
    "Prefix",
    "FileSystemId",
    "CreateTime",
    "Paths",
    "Include",
    "Exclude",
    "BytesTotal",
    "BytesDone",
    "ActualBytes",
    "ItemsTotal",
    "ItemsDone",
    "ActualItems",
    "StartTime",
];

impl BackupJob {
    fn created_time(&self) -> i64 {
        int(&self.record, "CreatedTime")
    }

    /// The job's status at `now`.
    pub(crate) fn status_at(&self, timing: &Timing, now: i64) -> Status {
        match self.cancel_ms {
            Some(cancel) => timing.cancel_status(self.created_time(), cancel, now).0,
            None => {
                timing
                    .created_status(self.created_ms, self.created_time(), None, now)
                    .0
            }
        }
    }

    /// The job as listed at `now`: its fields with the progress of that moment.
    pub(crate) fn at(&self, timing: &Timing, now: i64) -> Record {
        let created_time = self.created_time();
        let until = self.cancel_ms.map_or(now, |c| c.min(now));
        let phase = timing.phase(self.created_ms, created_time, until);
        let total = int(&self.record, "BytesTotal");
        let done = phase.scale(total);
        let items = phase.scale(int(&self.record, "ItemsTotal"));
        let speed = if phase.status == Status::Created {
            0
        } else {
            done / 1024 / phase.run_secs
        };
        let mut status = phase.status;
        let (mut complete_time, mut updated_time) = (phase.complete_time, phase.updated_time);
        if let Some(cancel) = self.cancel_ms {
            (status, complete_time, updated_time) =
                timing.cancelled_times(created_time, cancel, now);
        }
        let mut r = self.record.clone();
        for (name, value) in [
            ("Status", json!(status.as_str())),
            ("Progress", json!(phase.progress(done, total))),
            ("BytesDone", json!(done)),
            ("ActualBytes", json!(percent(done, self.dedup_pct))),
            ("ItemsDone", json!(items)),
            ("ActualItems", json!(items)),
            ("FilesDone", json!(items)),
            ("ActualFiles", json!(items)),
            ("StartTime", json!(phase.start_time)),
            ("CompleteTime", json!(complete_time)),
            ("UpdatedTime", json!(updated_time)),
            ("Speed", json!(speed)),
        ] {
            r.insert(name.to_owned(), value);
        }
        r
    }

    /// The snapshot the job produced, once it is COMPLETE at `now`.
    pub(crate) fn snapshot_at(&self, timing: &Timing, now: i64) -> Option<SnapshotView> {
        if self.status_at(timing, now) != Status::Complete {
            return None;
        }
        let job = self.at(timing, now);
        let mut record = Record::new();
        for name in FROM_JOB {
            if let Some(v) = job.get(name) {
                record.insert(name.to_owned(), v.clone());
            }
        }
        let complete = int(&job, "CompleteTime");
        let retention = self.retention;
        for (name, value) in [
            ("SnapshotId", json!(self.snapshot_id)),
            ("SnapshotHash", json!(self.snapshot_hash)),
            ("ParentSnapshotHash", json!("")),
            ("Status", json!(Status::Complete.as_str())),
            ("StorageClass", json!(self.storage_class)),
            ("CreatedTime", json!(complete)),
            ("CompleteTime", json!(complete)),
            ("UpdatedTime", json!(complete)),
            ("Retention", json!(retention)),
            (
                "ExpireTime",
                json!(if retention > 0 {
                    complete + retention * 86_400
                } else {
                    0
                }),
            ),
        ] {
            record.insert(name.to_owned(), value);
        }
        Some(SnapshotView {
            record,
            plan_id: text(&self.record, "PlanId").to_owned(),
            region_id: self.region_id.clone(),
        })
    }
}

/// The field of a snapshot that names its data source, by source type: the instance, the
/// bucket, the file system or the Tablestore instance.
pub(crate) fn source_field(source_type: &str) -> &'static str {
    match SourceType::from_wire(source_type) {
        SourceType::Oss => "Bucket",
        SourceType::Nas => "FileSystemId",
        SourceType::OtsTable => "InstanceName",
        _ => "InstanceId",
    }
}

/// The snapshot a seeded restore job restored from: it completed an hour before the restore
/// was created, in the job's vault, holding the job's data source.
pub(crate) fn seeded_snapshot(job: &Job) -> SnapshotView {
    let complete = job.created_time - 3_600;
    let record = json!({
        "SnapshotId": job.snapshot_id,
        "SnapshotHash": job.snapshot_hash,
        "ParentSnapshotHash": "",
        "VaultId": job.vault_id,
        "SourceType": job.source_type,
        source_field(&job.source_type): job.source_instance_id,
        "BytesTotal": job.bytes_total,
        "BytesDone": job.bytes_total,
        "ActualBytes": job.bytes_total,
        "ItemsTotal": job.items_total,
        "ItemsDone": job.items_total,
        "ActualItems": job.items_total,
        "Status": Status::Complete.as_str(),
        "StorageClass": job.storage_class,
        "StartTime": complete - 600,
        "CreatedTime": complete,
        "CompleteTime": complete,
        "UpdatedTime": complete,
        "Retention": 0,
        "ExpireTime": 0,
    });
    SnapshotView {
        record: match record {
            Value::Object(m) => m,
            _ => Record::new(),
        },
        plan_id: job.plan_id.clone(),
        region_id: job.region_id.clone(),
    }
}

/// Every snapshot served at `now`, not deleted: those of completed backup jobs, newest
/// first, then those behind the seeded restore jobs (in their order).
pub(crate) fn all<'a>(
    state: &'a State,
    seeded: &'a [Job],
    timing: &'a Timing,
    now: i64,
) -> impl Iterator<Item = SnapshotView> + 'a {
    let produced = state
        .backup_jobs
        .iter()
        .rev()
        .filter_map(move |j| j.snapshot_at(timing, now));
    produced
        .chain(seeded.iter().map(seeded_snapshot))
        .filter(|s| {
            !state
                .deleted_snapshots
                .contains(text(&s.record, "SnapshotId"))
        })
}

/// The snapshot `id` served at `now`, if any.
pub(crate) fn find(
    state: &State,
    seeded: &[Job],
    timing: &Timing,
    now: i64,
    id: &str,
) -> Option<SnapshotView> {
    if id.is_empty() || state.deleted_snapshots.contains(id) {
        return None;
    }
    if let Some(j) = state.backup_jobs.iter().find(|j| j.snapshot_id == id) {
        return j.snapshot_at(timing, now);
    }
    seeded
        .iter()
        .find(|j| j.snapshot_id == id)
        .map(seeded_snapshot)
}
