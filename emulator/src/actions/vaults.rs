//! Vaults: `CreateVault` (which starts a task `DescribeTask` reports), `DescribeVaults`,
//! `UpdateVault` and `DeleteVault`.
//!
//! The seeded vaults are those of the data set's world; a created vault is CREATED at once
//! and its task is complete. A vault that still holds backup plans cannot be deleted
//! (`400 DependencyViolation.BackupPlan`), nor one in a replication
//! (`400 DependencyViolation.VaultReplication`). DescribeVaults shows the replication
//! fields of a vault in a replication ([`super::replication`]) and, given `Replication`,
//! lists only the vaults whose `Replication` is that (absent counts as false); DescribeTask
//! also reports the setup tasks of replications.

use serde_json::{json, Value};

use hbr_client::create_vault::CreateVaultRequest;
use hbr_client::delete_vault::DeleteVaultRequest;
use hbr_client::describe_task::DescribeTaskRequest;
use hbr_client::describe_vaults::DescribeVaultsRequest;
use hbr_client::facts::Scalar;
use hbr_client::update_vault::UpdateVaultRequest;

use super::listing::paged;
use super::{replication, Action, Call};
use crate::error::ApiError;
use crate::query::records::{all_match, Condition, Listed};
use crate::response::success_body;
use crate::store::{int, text, Record, Store, VAULT_READY};

pub(crate) const CREATE: Action = Action::of::<CreateVaultRequest>(create);
pub(crate) const DESCRIBE: Action = Action::of::<DescribeVaultsRequest>(describe);
pub(crate) const UPDATE: Action = Action::of::<UpdateVaultRequest>(update);
pub(crate) const DELETE: Action = Action::of::<DeleteVaultRequest>(delete);
pub(crate) const DESCRIBE_TASK: Action = Action::of::<DescribeTaskRequest>(describe_task);

/// The value of `name` in the call, else the spec's `default`.
fn or_default<'a>(call: &Call<'a>, name: &str, default: Option<Scalar>) -> &'a str {
    call.text(name)
        .or_else(|| default.and_then(Scalar::as_str))
        .unwrap_or_default()
}

fn record(value: Value) -> Record {
    match value {
        Value::Object(m) => m,
        _ => Record::new(),
    }
}

fn create(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let now = call.now_s();
    let vault_type = or_default(call, "VaultType", CreateVaultRequest::VAULT_TYPE.default);
    let class = or_default(
        call,
        "VaultStorageClass",
        CreateVaultRequest::VAULT_STORAGE_CLASS.default,
    );
    let (vault_id, task_id) = {
        let mut state = store.resources.write();
        let ids = store.resources.ids;
        let vault_id = state.draw_id(ids, "v-");
        let task_id = state.draw_id(ids, "t-");
        let mut vault = record(json!({
            "VaultId": vault_id,
            "VaultName": call.text("VaultName").unwrap_or_default(),
            "VaultRegionId": call.text("VaultRegionId").unwrap_or_default(),
            "VaultType": vault_type,
            "VaultStorageClass": class,
            "Description": call.text("Description").unwrap_or_default(),
            "Status": VAULT_READY,
            "CreatedTime": now,
            "UpdatedTime": now,
        }));
        for name in ["EncryptType", "KmsKeyId"] {
            if let Some(v) = call.text(name) {
                vault.insert(name.to_owned(), json!(v));
            }
        }
        if let Some(replica) = call.flag("Replication") {
            vault.insert("Replication".to_owned(), json!(replica));
        }
        state.vaults.push(vault);
        state.tasks.push(record(json!({
            "TaskId": task_id,
            "Name": "CreateVault",
            // The task's status, as DescribeTask words it (the spec's `Description`).
            "Description": "completed",
            "Progress": 100,
            "Result": vault_id,
            "CreatedTime": now,
            "UpdatedTime": now,
            "CompletedTime": now,
        })));
        (vault_id, task_id)
    };
    store.saved();
    Ok(success_body(
        call.request_id,
        [("VaultId", json!(vault_id)), ("TaskId", json!(task_id))],
    ))
}

fn describe(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let mut conditions = Vec::new();
    for name in [
        "VaultId",
        "VaultRegionId",
        "Status",
        "VaultType",
        "ResourceGroupId",
    ] {
        if let Some(v) = call.text(name).filter(|v| !v.is_empty()) {
            conditions.push(Condition::new(name, None, vec![v.to_owned()], name)?);
        }
    }
    let tags: Vec<(String, String)> = call
        .value("Tag")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .map(|t| {
                    let part = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or_default();
                    (part("Key").to_owned(), part("Value").to_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    let replication = call.flag("Replication");
    let state = store.resources.read();
    let mut vaults: Vec<Record> = state
        .vaults
        .iter()
        .map(|v| replication::shown(&state, v, &store.resources.timing, call.now_ms))
        .filter(|v| all_match(&conditions, &Listed::of(v.clone())))
        .filter(|v| tags.iter().all(|tag| has_tag(v, tag)))
        .filter(|v| replication.is_none_or(|r| is_replica(v) == r))
        .collect();
    drop(state);
    // Newest first.
    vaults.sort_by_key(|v| std::cmp::Reverse(int(v, "CreatedTime")));
    paged::<DescribeVaultsRequest>(call, vaults)
}

/// Whether the vault is a replication (mirror) vault: `Replication` true.
fn is_replica(vault: &Record) -> bool {
    vault.get("Replication").and_then(Value::as_bool) == Some(true)
}

/// Whether the vault carries the tag `(key, value)` (an empty value matches any value).
fn has_tag(vault: &Record, (key, value): &(String, String)) -> bool {
    vault
        .get("Tags")
        .and_then(|t| t.get("Tag"))
        .and_then(Value::as_array)
        .is_some_and(|tags| {
            tags.iter().any(|t| {
                t.get("Key").and_then(Value::as_str) == Some(key.as_str())
                    && (value.is_empty()
                        || t.get("Value").and_then(Value::as_str) == Some(value.as_str()))
            })
        })
}

fn update(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let id = call.need("VaultId")?;
    {
        let mut state = store.resources.write();
        let vault = state
            .vaults
            .iter_mut()
            .find(|v| text(v, "VaultId") == id)
            .ok_or_else(|| ApiError::not_found("VaultId", id))?;
        for name in ["VaultName", "Description", "ResourceGroupId"] {
            if let Some(v) = call.text(name) {
                vault.insert(name.to_owned(), json!(v));
            }
        }
        vault.insert("UpdatedTime".to_owned(), json!(call.now_s()));
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}

fn delete(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let id = call.need("VaultId")?;
    {
        let mut state = store.resources.write();
        let at = state
            .vaults
            .iter()
            .position(|v| text(v, "VaultId") == id)
            .ok_or_else(|| ApiError::not_found("VaultId", id))?;
        if let Some(r) = replication::of_vault(&state, id) {
            return Err(ApiError::conflict(
                "DependencyViolation.VaultReplication",
                format!(
                    "The vault {id:?} takes part in the replication of {:?} into {:?}; delete the replication first.",
                    r.source_vault_id, r.target_vault_id
                ),
            ));
        }
        if let Some(plan) = state
            .plans
            .iter()
            .find(|p| text(&p.record, "VaultId") == id)
        {
            return Err(ApiError::conflict(
                "DependencyViolation.BackupPlan",
                format!(
                    "The vault {id:?} still holds the backup plan {}; delete its plans first.",
                    text(&plan.record, "PlanId")
                ),
            ));
        }
        state.vaults.remove(at);
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}

fn describe_task(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let id = call.need("TaskId")?;
    let state = store.resources.read();
    let task = state
        .tasks
        .iter()
        .find(|t| text(t, "TaskId") == id)
        .cloned()
        .or_else(|| replication::task(&state, &store.resources.timing, id, call.now_ms))
        .ok_or_else(|| ApiError::not_found("TaskId", id))?;
    let fields: Vec<(&str, Value)> = task
        .iter()
        .filter(|(k, _)| k.as_str() != "TaskId")
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    Ok(success_body(call.request_id, fields))
}
