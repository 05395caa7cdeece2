//! Data sources (on-premises NAS, CPFS, HDFS, S3, ...): `AddDataSource`,
//! `DescribeDataSources`, `UpdateDataSource` and `RemoveDataSource`.
//!
//! A data source is kept with the fields `DescribeDataSources` lists: what was sent
//! (`Path` listed as `Paths`, `IndexLevel` `OFF` when not sent), no index yet
//! (`IndexAvailable` and `Indexing` false, `IndexUpdateTime` 0, no analysis plan) and its
//! times. `Credential` is checked (a JSON object) but neither kept nor listed, as a secret.
//! `ConnectionInfo` and `Credential` must be JSON objects when given (`InvalidParameter`).
//! An unknown `DataSourceId` is `404 InvalidDataSourceId.NotFound`.

use serde_json::{json, Value};

use hbr_client::add_data_source::{AddDataSourceRequest, IndexLevel};
use hbr_client::describe_data_sources::DescribeDataSourcesRequest;
use hbr_client::remove_data_source::RemoveDataSourceRequest;
use hbr_client::update_data_source::UpdateDataSourceRequest;

use super::listing::paged;
use super::{Action, Call};
use crate::error::ApiError;
use crate::query::records::{all_match, Condition, Listed};
use crate::response::success_body;
use crate::store::{int, text, Record, State, Store};

pub(crate) const ADD: Action = Action::of::<AddDataSourceRequest>(add);
pub(crate) const DESCRIBE: Action = Action::of::<DescribeDataSourcesRequest>(describe);
pub(crate) const UPDATE: Action = Action::of::<UpdateDataSourceRequest>(update);
pub(crate) const REMOVE: Action = Action::of::<RemoveDataSourceRequest>(remove);

/// The string parameters kept as sent, under the same name, by add and update.
const KEPT: [&str; 8] = [
    "DataSourceName",
    "ClusterId",
    "ConnectionInfo",
    "Include",
    "Exclude",
    "Options",
    "Schedule",
    "SpeedLimit",
];

/// The string parameters that are JSON documents: they must hold a JSON object when given.
const JSON_OBJECTS: [&str; 2] = ["ConnectionInfo", "Credential"];

/// The filters of `DescribeDataSources`, each an exact match on the field of its name.
const FILTERS: [&str; 4] = [
    "ClusterId",
    "DataSourceId",
    "DataSourceName",
    "DataSourceType",
];

/// `InvalidParameter` unless each of [`JSON_OBJECTS`] the call gives (not empty) is a JSON
/// object.
fn check_json(call: &Call<'_>) -> Result<(), ApiError> {
    for name in JSON_OBJECTS {
        let Some(v) = call.text(name).filter(|v| !v.is_empty()) else {
            continue;
        };
        if !matches!(serde_json::from_str::<Value>(v), Ok(Value::Object(_))) {
            return Err(ApiError::invalid_parameter(
                name,
                "it must be a JSON object (see the operation's documentation for its members)",
            ));
        }
    }
    Ok(())
}

/// Sets the fields of `record` the call gives.
fn apply(record: &mut Record, call: &Call<'_>) {
    for name in KEPT {
        if let Some(v) = call.text(name) {
            record.insert(name.to_owned(), json!(v));
        }
    }
    if let Some(level) = call.text("IndexLevel") {
        record.insert("IndexLevel".to_owned(), json!(level));
    }
    if let Some(Value::Array(paths)) = call.value("Path") {
        record.insert("Paths".to_owned(), Value::Array(paths.clone()));
    }
}

fn add(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    check_json(call)?;
    let now = call.now_s();
    let id = {
        let mut state = store.resources.write();
        let id = state.draw_id(store.resources.ids, "ds-");
        let fresh = json!({
            "DataSourceId": id,
            "DataSourceType": call.text("DataSourceType").unwrap_or_default(),
            "DataSourceName": "",
            "ClusterId": "",
            "ConnectionInfo": "",
            "Include": "",
            "Exclude": "",
            "Options": "",
            "Schedule": "",
            "SpeedLimit": "",
            "Paths": [],
            "IndexLevel": IndexLevel::Off.as_str(),
            "IndexAvailable": false,
            "Indexing": false,
            "IndexUpdateTime": 0,
            "PlanId": "",
            "CreatedTime": now,
            "UpdatedTime": now,
        });
        let mut record = match fresh {
            Value::Object(m) => m,
            _ => Record::new(),
        };
        apply(&mut record, call);
        state.data_sources.push(record);
        id
    };
    store.saved();
    Ok(success_body(call.request_id, [("DataSourceId", json!(id))]))
}

fn describe(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let mut conditions = Vec::new();
    for name in FILTERS {
        if let Some(v) = call.text(name).filter(|v| !v.is_empty()) {
            conditions.push(Condition::new(name, None, vec![v.to_owned()], name)?);
        }
    }
    let state = store.resources.read();
    // Newest first; of those added in the same second, the later first.
    let mut found: Vec<Record> = state
        .data_sources
        .iter()
        .rev()
        .filter(|d| all_match(&conditions, &Listed::of((*d).clone())))
        .cloned()
        .collect();
    drop(state);
    found.sort_by_key(|d| std::cmp::Reverse(int(d, "CreatedTime")));
    paged::<DescribeDataSourcesRequest>(call, found)
}

/// The index of the data source the call names.
fn data_source_of(state: &State, call: &Call<'_>) -> Result<usize, ApiError> {
    let id = call.need("DataSourceId")?;
    state
        .data_sources
        .iter()
        .position(|d| text(d, "DataSourceId") == id)
        .ok_or_else(|| ApiError::not_found("DataSourceId", id))
}

fn update(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    check_json(call)?;
    {
        let mut state = store.resources.write();
        let at = data_source_of(&state, call)?;
        let record = &mut state.data_sources[at];
        apply(record, call);
        record.insert("UpdatedTime".to_owned(), json!(call.now_s()));
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}

fn remove(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    {
        let mut state = store.resources.write();
        let at = data_source_of(&state, call)?;
        state.data_sources.remove(at);
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}
