//! Vault replication: `CreateVaultReplication` and `DeleteVaultReplication`, and what the
//! other vault actions show of it: `DescribeTask` reports its setup task, `DescribeVaults`
//! its fields on both vaults, `DeleteVault` refuses a vault in one. How a replication looks
//! over time is [`crate::store::Replication`]'s.
//!
//! Both vaults must exist (`404 InvalidVaultId.NotFound`, naming the parameter); a
//! `ReplicationSourceRegionId` sent must be the source vault's region (else the vault is not
//! found there). A vault takes part in one replication at a time, on either side
//! (`400 VaultReplicationAlreadyExists`), and is not copied into itself
//! (`InvalidParameter`). Removing a replication the two vaults do not have is
//! `404 InvalidVaultReplication.NotFound`.

use serde_json::json;

use hbr_client::create_vault_replication::CreateVaultReplicationRequest;
use hbr_client::delete_vault_replication::DeleteVaultReplicationRequest;

use super::{Action, Call};
use crate::clock::Timing;
use crate::error::ApiError;
use crate::response::success_body;
use crate::store::{text, Record, Replication, State, Store};

pub(crate) const CREATE: Action = Action::of::<CreateVaultReplicationRequest>(create);
pub(crate) const DELETE: Action = Action::of::<DeleteVaultReplicationRequest>(delete);

/// The region of vault `id`, which must exist (and be in `region` when the call names one);
/// `param` is the parameter that named it.
fn vault_region(
    state: &State,
    id: &str,
    param: &str,
    region: Option<&str>,
) -> Result<String, ApiError> {
    let not_found = || {
        let mut e = ApiError::not_found("VaultId", id);
        e.parameter = Some(param.to_owned());
        if let Some(r) = region {
            e.message = format!("The specified VaultId {id:?} does not exist in the region {r:?}.");
        }
        e
    };
    let vault = state.vault(id).ok_or_else(not_found)?;
    let at = text(vault, "VaultRegionId");
    match region {
        Some(r) if r != at => Err(not_found()),
        _ => Ok(at.to_owned()),
    }
}

/// The source vault, its region and the target vault the call names, both existing.
struct Pair {
    source: String,
    source_region: String,
    target: String,
    target_region: String,
}

fn pair(state: &State, call: &Call<'_>) -> Result<Pair, ApiError> {
    let source = call.need("ReplicationSourceVaultId")?;
    let target = call.need("ReplicationTargetVaultId")?;
    let region = call
        .text("ReplicationSourceRegionId")
        .filter(|r| !r.is_empty());
    Ok(Pair {
        source_region: vault_region(state, source, "ReplicationSourceVaultId", region)?,
        target_region: vault_region(state, target, "ReplicationTargetVaultId", None)?,
        source: source.to_owned(),
        target: target.to_owned(),
    })
}

/// The replication vault `id` takes part in, if any.
pub(crate) fn of_vault<'s>(state: &'s State, id: &str) -> Option<&'s Replication> {
    state
        .replications
        .iter()
        .find(|r| r.active() && r.involves(id))
}

fn create(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let task_id = {
        let mut state = store.resources.write();
        let pair = pair(&state, call)?;
        if pair.source == pair.target {
            return Err(ApiError::invalid_parameter(
                "ReplicationTargetVaultId",
                "a vault is not replicated into itself",
            ));
        }
        for id in [&pair.source, &pair.target] {
            if let Some(r) = of_vault(&state, id) {
                return Err(ApiError::conflict(
                    "VaultReplicationAlreadyExists",
                    format!(
                        "The vault {id:?} already takes part in the replication of {:?} into {:?}; delete it first.",
                        r.source_vault_id, r.target_vault_id
                    ),
                ));
            }
        }
        let task_id = state.draw_id(store.resources.ids, "t-");
        state.replications.push(Replication {
            source_vault_id: pair.source,
            source_region_id: pair.source_region,
            target_vault_id: pair.target,
            target_region_id: pair.target_region,
            task_id: task_id.clone(),
            created_ms: call.now_ms,
            deleted_ms: None,
        });
        task_id
    };
    store.saved();
    Ok(success_body(call.request_id, [("TaskId", json!(task_id))]))
}

fn delete(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    {
        let mut state = store.resources.write();
        let pair = pair(&state, call)?;
        let replication = state
            .replications
            .iter_mut()
            .find(|r| {
                r.active() && r.source_vault_id == pair.source && r.target_vault_id == pair.target
            })
            .ok_or_else(|| {
                let mut e = ApiError::new(
                    404,
                    "InvalidVaultReplication.NotFound",
                    format!(
                        "The vault {:?} is not replicated into the vault {:?}.",
                        pair.source, pair.target
                    ),
                );
                e.parameter = Some("ReplicationTargetVaultId".to_owned());
                e
            })?;
        replication.deleted_ms = Some(call.now_ms);
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}

/// `vault` as `DescribeVaults` shows it at `now_ms`: with the fields of the replication it
/// takes part in, if any.
pub(crate) fn shown(state: &State, vault: &Record, timing: &Timing, now_ms: i64) -> Record {
    let mut vault = vault.clone();
    if let Some(r) = of_vault(state, text(&vault, "VaultId")) {
        r.show_on(&mut vault, timing, now_ms);
    }
    vault
}

/// The setup task `id` of a replication as `DescribeTask` answers it at `now_ms`, if it is
/// one.
pub(crate) fn task(state: &State, timing: &Timing, id: &str, now_ms: i64) -> Option<Record> {
    state
        .replications
        .iter()
        .find(|r| r.task_id == id)
        .map(|r| r.task(timing, now_ms))
}
