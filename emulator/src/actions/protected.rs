//! Protected resources and what they hold: `ListProtectedResources`, `ListSnapshots` and
//! `GetBasicStatistics`.
//!
//! A protected resource is a data source some backup plan or policy binding protects: its
//! source type and the instance, bucket, file system or Tablestore instance that names it
//! (the snapshot's field of that type). Its `ProtectedResourceId` is derived from the two
//! (`pr-` and 20 hex digits), so it is the same on every run. Its snapshots are the
//! snapshots served ([`Store::snapshots`]) of the same type and source; its size is the
//! `BytesTotal` of its newest snapshot; `BackupPlanCount` counts the plans and bindings
//! protecting it.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use hbr_client::get_basic_statistics::GetBasicStatisticsRequest;
use hbr_client::list_protected_resources::{CreatedByProduct, ListProtectedResourcesRequest};
use hbr_client::list_snapshots::ListSnapshotsRequest;

use super::listing::paged;
use super::{Action, Call};
use crate::error::ApiError;
use crate::response::success_body;
use crate::store::{int, source_field, text, Record, SnapshotView, State, Store};

pub(crate) const LIST_PROTECTED: Action =
    Action::of::<ListProtectedResourcesRequest>(list_protected);
pub(crate) const LIST_SNAPSHOTS: Action = Action::of::<ListSnapshotsRequest>(list_snapshots);
pub(crate) const STATISTICS: Action = Action::of::<GetBasicStatisticsRequest>(statistics);

/// The fields of a snapshot that `ListSnapshots` does not have (they belong to other
/// source types' listings).
const NOT_IN_LIST_SNAPSHOTS: [&str; 6] = [
    "ParentSnapshotHash",
    "Bucket",
    "FileSystemId",
    "Prefix",
    "StartTime",
    "UpdatedTime",
];

/// One protected data source.
#[derive(Debug, Default)]
pub(crate) struct Protected {
    pub(crate) id: String,
    pub(crate) source_type: String,
    pub(crate) resource_id: String,
    pub(crate) region_id: String,
    pub(crate) plans: i64,
    pub(crate) snapshots: Vec<SnapshotView>,
}

impl Protected {
    /// The size of the data it protects: the `BytesTotal` of its newest snapshot.
    fn size(&self) -> i64 {
        self.snapshots
            .first()
            .map_or(0, |s| int(&s.record, "BytesTotal"))
    }

    fn record(&self) -> Record {
        let size = self.size();
        let mut r = Record::new();
        for (name, value) in [
            ("ProtectedResourceId", json!(self.id)),
            ("ResourceId", json!(self.resource_id)),
            ("SourceType", json!(self.source_type)),
            ("CreatedByProduct", json!(CreatedByProduct::Hbr.as_str())),
            ("BackupPlanCount", json!(self.plans)),
            ("SnapshotCount", json!(self.snapshots.len())),
            ("ProtectedDataSize", json!(size)),
        ] {
            r.insert(name.to_owned(), value);
        }
        if !self.region_id.is_empty() {
            r.insert("ResourceRegionId".to_owned(), json!(self.region_id));
        }
        r
    }
}

/// The `ProtectedResourceId` of the data source `resource_id` of `source_type`.
pub(crate) fn protected_id(source_type: &str, resource_id: &str) -> String {
    let digest = Sha256::digest(format!("{source_type}\n{resource_id}").as_bytes());
    let hex: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
    format!("pr-{hex}")
}

/// Every protected data source at `now_ms`, in the order their first plan or binding was
/// made, each with its snapshots, newest first.
pub(crate) fn protected(store: &Store, state: &State, now_ms: i64) -> Vec<Protected> {
    let mut found: BTreeMap<String, Protected> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut add = |source_type: &str, resource_id: &str, region_id: &str| {
        if source_type.is_empty() || resource_id.is_empty() {
            return;
        }
        let id = protected_id(source_type, resource_id);
        let entry = found.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            Protected {
                id,
                source_type: source_type.to_owned(),
                resource_id: resource_id.to_owned(),
                region_id: region_id.to_owned(),
                ..Protected::default()
            }
        });
        entry.plans += 1;
    };
    for plan in &state.plans {
        let source_type = text(&plan.record, "SourceType");
        add(
            source_type,
            text(&plan.record, source_field(source_type)),
            &plan.region_id,
        );
    }
    for binding in &state.bindings {
        add(
            text(binding, "SourceType"),
            text(binding, "DataSourceId"),
            "",
        );
    }
    for snapshot in store.snapshots(state, now_ms) {
        let source_type = text(&snapshot.record, "SourceType");
        let id = protected_id(
            source_type,
            text(&snapshot.record, source_field(source_type)),
        );
        if let Some(p) = found.get_mut(&id) {
            p.snapshots.push(snapshot);
        }
    }
    for p in found.values_mut() {
        p.snapshots
            .sort_by_key(|s| std::cmp::Reverse(int(&s.record, "CompleteTime")));
    }
    order
        .into_iter()
        .filter_map(|id| found.remove(&id))
        .collect()
}

/// Drops the first `Skip` items, when the call asks for it.
fn skipped<T>(call: &Call<'_>, items: Vec<T>) -> Vec<T> {
    let skip = call
        .int("Skip")
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    items.into_iter().skip(skip).collect()
}

fn list_protected(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let wanted = |name: &str| call.text(name).filter(|v| !v.is_empty());
    let (source_type, resource_id) = (wanted("SourceType"), wanted("ResourceId"));
    // Every resource the emulator protects is the standard service's.
    let by_hbr = wanted("CreatedByProduct").is_none_or(|c| c == CreatedByProduct::Hbr.as_str());
    let has_snapshot = call.flag("HasSnapshot");
    let state = store.resources.read();
    let records: Vec<Record> = protected(store, &state, call.now_ms)
        .into_iter()
        .filter(|p| source_type.is_none_or(|s| p.source_type == s))
        .filter(|p| resource_id.is_none_or(|r| p.resource_id == r))
        .filter(|_| by_hbr)
        .filter(|p| has_snapshot.is_none_or(|h| h != p.snapshots.is_empty()))
        .map(|p| p.record())
        .collect();
    drop(state);
    paged::<ListProtectedResourcesRequest>(call, skipped(call, records))
}

/// A snapshot in `ListSnapshots`' shape: `Paths` a bare list, `PlanId` beside.
fn snapshot_record(view: SnapshotView) -> Record {
    let mut r = view.record;
    for name in NOT_IN_LIST_SNAPSHOTS {
        r.remove(name);
    }
    if let Some(Value::Object(wrapped)) = r.get("Paths") {
        let list = wrapped
            .get("Path")
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        r.insert("Paths".to_owned(), list);
    }
    if !view.plan_id.is_empty() {
        r.insert("PlanId".to_owned(), json!(view.plan_id));
    }
    r
}

fn list_snapshots(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let source_type = call.need("SourceType")?;
    let id = call.need("ProtectedResourceId")?;
    let wanted = |name: &str| call.text(name).filter(|v| !v.is_empty());
    let (vault_id, plan_id) = (wanted("VaultId"), wanted("PlanId"));
    let (from, to) = (call.int("CompleteTimeStart"), call.int("CompleteTimeEnd"));
    let state = store.resources.read();
    let resource = protected(store, &state, call.now_ms)
        .into_iter()
        .find(|p| p.id == id && p.source_type == source_type)
        .ok_or_else(|| ApiError::not_found("ProtectedResourceId", id))?;
    drop(state);
    let records: Vec<Record> = resource
        .snapshots
        .into_iter()
        .filter(|s| vault_id.is_none_or(|v| text(&s.record, "VaultId") == v))
        .filter(|s| plan_id.is_none_or(|p| s.plan_id == p))
        .filter(|s| {
            let complete = int(&s.record, "CompleteTime");
            from.is_none_or(|f| complete >= f) && to.is_none_or(|t| complete <= t)
        })
        .map(snapshot_record)
        .collect();
    paged::<ListSnapshotsRequest>(call, skipped(call, records))
}

fn statistics(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let source_type = call.need("SourceType")?;
    let state = store.resources.read();
    let resources: Vec<Protected> = protected(store, &state, call.now_ms)
        .into_iter()
        .filter(|p| p.source_type == source_type)
        .collect();
    drop(state);
    let mut regions: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    let (mut count, mut size) = (0_i64, 0_i64);
    for p in &resources {
        let bytes = p.size();
        count += 1;
        size = size.saturating_add(bytes);
        let region = regions.entry(p.region_id.as_str()).or_default();
        region.0 += 1;
        region.1 = region.1.saturating_add(bytes);
    }
    let regions: Vec<Value> = regions
        .into_iter()
        .filter(|(region, _)| !region.is_empty())
        .map(|(region, (count, size))| {
            json!({"RegionId": region, "ProtectedResourceCount": count, "ProtectedDataSize": size})
        })
        .collect();
    Ok(success_body(
        call.request_id,
        vec![
            ("SourceType", json!(source_type)),
            (
                "GlobalStatistics",
                json!({"ProtectedResourceCount": count, "ProtectedDataSize": size}),
            ),
            ("RegionStatistics", Value::Array(regions)),
        ],
    ))
}
