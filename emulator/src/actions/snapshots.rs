//! Snapshots: `SearchHistoricalSnapshots`, `DescribeUdmSnapshots` and `DeleteSnapshot`.
//!
//! The snapshots served are those of completed backup jobs and those behind the seeded
//! restore jobs ([`crate::store::Store::snapshots`]).
//!
//! `SearchHistoricalSnapshots` reads `Query`, a JSON array of conditions
//! `{"field": F, "value": V, "operation": O}`: `F` is a snapshot field (or `PlanId`, the plan
//! whose job made it), `O` one of `MATCH_TERM` (the default: equal), `IN` / `NOT_IN` (`V` an
//! array), the comparisons `GREATER_THAN`, `GREATER_THAN_OR_EQUAL`, `LESS_THAN`,
//! `LESS_THAN_OR_EQUAL`, or `BETWEEN` (`V` the array `[lower, upper]`). A `VaultId`
//! condition is required.
//!
//! `DescribeUdmSnapshots` lists the snapshots of its `SourceType` created between
//! `StartTime` and `EndTime` in the region `UdmRegionId`; a job without a vault (a
//! whole-instance job of `CreateBackupJob` or `ExecutePolicyV2`) runs in no region of its
//! own, and its snapshots are listed for any region.

use serde_json::{json, Value};

use hbr_client::delete_snapshot::DeleteSnapshotRequest;
use hbr_client::describe_restore_jobs2::Operator;
use hbr_client::describe_udm_snapshots::DescribeUdmSnapshotsRequest;
use hbr_client::search_historical_snapshots::SearchHistoricalSnapshotsRequest;

use super::listing::paged;
use super::{Action, Call};
use crate::error::ApiError;
use crate::query::records::{all_match, Condition, Listed};
use crate::response::success_body;
use crate::store::{int, text, Record, SnapshotView, Store};

pub(crate) const SEARCH: Action = Action::of::<SearchHistoricalSnapshotsRequest>(search);
pub(crate) const DESCRIBE_UDM: Action = Action::of::<DescribeUdmSnapshotsRequest>(describe_udm);
pub(crate) const DELETE: Action = Action::of::<DeleteSnapshotRequest>(delete);

/// The `operation` of a query condition that means equality.
const MATCH_TERM: &str = "MATCH_TERM";

fn listed(view: SnapshotView) -> Listed {
    let mut listed = Listed::of(view.record);
    listed
        .extra
        .insert("PlanId".to_owned(), json!(view.plan_id));
    listed
        .extra
        .insert("RegionId".to_owned(), json!(view.region_id));
    listed
}

/// The values of a query condition: an array's items, or the one value, as text.
fn values_of(value: Option<&Value>) -> Vec<String> {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
        _ => None,
    };
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(text).collect(),
        Some(v) => text(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// The conditions of `Query`, and whether one selects a vault.
fn query_conditions(call: &Call<'_>) -> Result<(Vec<Condition>, bool), ApiError> {
    let items = call
        .value("Query")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut vault = false;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("Query.{}", i + 1);
        let field = item
            .get("field")
            .and_then(Value::as_str)
            .filter(|f| !f.is_empty())
            .ok_or_else(|| ApiError::missing_parameter(&format!("{path}.field")))?;
        let operation = item
            .get("operation")
            .and_then(Value::as_str)
            .unwrap_or(MATCH_TERM);
        let operator = if operation == MATCH_TERM {
            Operator::Equal.as_str()
        } else {
            operation
        };
        vault |= field == "VaultId";
        out.push(Condition::new(
            field,
            Some(operator),
            values_of(item.get("value")),
            &path,
        )?);
    }
    Ok((out, vault))
}

fn search(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let (conditions, has_vault) = query_conditions(call)?;
    if !has_vault {
        return Err(ApiError::invalid_parameter(
            "Query",
            "a condition on VaultId is required",
        ));
    }
    let source_type = call.text("SourceType").filter(|s| !s.is_empty());
    let state = store.resources.read();
    let mut found: Vec<Record> = store
        .snapshots(&state, call.now_ms)
        .map(listed)
        .filter(|l| source_type.is_none_or(|s| text(&l.record, "SourceType") == s))
        .filter(|l| all_match(&conditions, l))
        .map(|l| l.record)
        .collect();
    drop(state);
    if let Some(field) = call.text("SortBy").filter(|f| !f.is_empty()) {
        found.sort_by(|a, b| match (a.get(field), b.get(field)) {
            (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_i64().cmp(&y.as_i64()),
            _ => text(a, field).cmp(text(b, field)),
        });
        if call.text("Order") == Some("DESC") {
            found.reverse();
        }
    }
    paged::<SearchHistoricalSnapshotsRequest>(call, found)
}

/// The fields of a snapshot in `DescribeUdmSnapshots`' shape.
fn udm_record(r: &Record) -> Record {
    let mut out: Record = [
        "SnapshotId",
        "SnapshotHash",
        "ParentSnapshotHash",
        "JobId",
        "InstanceId",
        "SourceType",
        "BackupType",
        "BytesTotal",
        "StartTime",
        "CompleteTime",
        "CreatedTime",
        "UpdatedTime",
        "Status",
        "Retention",
        "ExpireTime",
        "Prefix",
    ]
    .iter()
    .filter_map(|n| r.get(*n).map(|v| ((*n).to_owned(), v.clone())))
    .collect();
    // Here ActualBytes is text.
    out.insert(
        "ActualBytes".to_owned(),
        json!(int(r, "ActualBytes").to_string()),
    );
    out.insert("RealSnapshotTime".to_owned(), json!(int(r, "CompleteTime")));
    out
}

fn describe_udm(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let source_type = call.need("SourceType")?;
    let region = call.need("UdmRegionId")?;
    let (start, end) = (
        call.int("StartTime").unwrap_or(i64::MIN),
        call.int("EndTime").unwrap_or(i64::MAX),
    );
    let mut conditions = vec![
        Condition::new(
            "SourceType",
            None,
            vec![source_type.to_owned()],
            "SourceType",
        )?,
        Condition::new(
            "CreatedTime",
            Some(Operator::Between.as_str()),
            vec![start.to_string(), end.to_string()],
            "StartTime",
        )?,
    ];
    for name in ["InstanceId", "JobId"] {
        if let Some(v) = call.text(name).filter(|v| !v.is_empty()) {
            conditions.push(Condition::new(name, None, vec![v.to_owned()], name)?);
        }
    }
    let ids = values_of(call.value("SnapshotIds"));
    if !ids.is_empty() {
        conditions.push(Condition::new("SnapshotId", None, ids, "SnapshotIds")?);
    }
    let state = store.resources.read();
    let found: Vec<Value> = store
        .snapshots(&state, call.now_ms)
        .filter(|v| v.region_id.is_empty() || v.region_id == region)
        .map(listed)
        .filter(|l| all_match(&conditions, l))
        .map(|l| Value::Object(udm_record(&l.record)))
        .collect();
    drop(state);
    Ok(success_body(
        call.request_id,
        [
            ("TotalCount", json!(found.len())),
            ("Snapshots", Value::Array(found)),
        ],
    ))
}

fn delete(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let id = call.need("SnapshotId")?;
    let vault = call.text("VaultId").filter(|v| !v.is_empty());
    {
        let mut state = store.resources.write();
        store
            .snapshot(&state, call.now_ms, id)
            .filter(|s| vault.is_none_or(|v| text(&s.record, "VaultId") == v))
            .ok_or_else(|| ApiError::not_found("SnapshotId", id))?;
        state.deleted_snapshots.insert(id.to_owned());
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}
