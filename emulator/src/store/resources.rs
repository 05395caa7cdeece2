//! The backup resources: vaults, backup plans, backup jobs (and the snapshots they produce),
//! backup policies and their bindings, and the tasks of vault creation. They are seeded from
//! the data set's world (its vaults and their plans) and changed by the actions, under one
//! lock; every record is kept in the API's JSON shape, so listings filter and page it as is.

use std::collections::BTreeSet;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use hbr_client::create_policy_v2::BackupType;
use hbr_client::create_vault::CreateVaultRequest;
use hbr_client::facts::Scalar;
use hbr_client::types::StorageClass;

use super::ids::Ids;
use super::replications::Replication;
use crate::clock::Timing;
use crate::data::{Job, SeedVault, DATASET_NOW};

/// The `Status` of a vault that is ready: the emulator's vaults are ready once created.
pub(crate) const VAULT_READY: &str = "CREATED";

/// One resource in the API's JSON shape.
pub(crate) type Record = Map<String, Value>;

/// The string field `name` of `record` (`""` when absent or not a string).
pub(crate) fn text<'r>(record: &'r Record, name: &str) -> &'r str {
    record.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// A backup plan, and the region of its vault (the `regionId` filter; not a field).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Plan {
    pub(crate) record: Record,
    pub(crate) region_id: String,
}

/// A backup job: its fields fixed at creation, and what its progress is computed from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct BackupJob {
    /// The fields fixed at creation (the progress fields are set when it is read).
    pub(crate) record: Record,
    pub(crate) created_ms: i64,
    pub(crate) cancel_ms: Option<i64>,
    /// `ActualBytes` as a share of `BytesDone`, in percent.
    pub(crate) dedup_pct: i64,
    /// The region it runs in (the `RegionId` filter; not a field).
    pub(crate) region_id: String,
    /// The snapshot it produces once COMPLETE.
    pub(crate) snapshot_id: String,
    pub(crate) snapshot_hash: String,
    /// The storage class of its vault.
    pub(crate) storage_class: String,
    /// How many days its snapshot is kept (0: as long as the vault).
    #[serde(default)]
    pub(crate) retention: i64,
}

/// Everything the backup actions read and change; what the state file keeps.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct State {
    /// How many identifiers were drawn.
    pub(crate) draws: u64,
    pub(crate) vaults: Vec<Record>,
    pub(crate) plans: Vec<Plan>,
    pub(crate) backup_jobs: Vec<BackupJob>,
    /// Snapshots removed with DeleteSnapshot (produced or seeded).
    pub(crate) deleted_snapshots: BTreeSet<String>,
    pub(crate) policies: Vec<Record>,
    pub(crate) bindings: Vec<Record>,
    pub(crate) tasks: Vec<Record>,
    /// Data sources added with AddDataSource, as DescribeDataSources lists them.
    #[serde(default)]
    pub(crate) data_sources: Vec<Record>,
    /// Accounts added with AddCrossAccount, as DescribeCrossAccounts lists them.
    #[serde(default)]
    pub(crate) cross_accounts: Vec<Record>,
    /// Vault replications made with CreateVaultReplication (removed ones too: their tasks
    /// are still reported).
    #[serde(default)]
    pub(crate) replications: Vec<Replication>,
}

impl State {
    /// A fresh identifier with `prefix`.
    pub(crate) fn draw_id(&mut self, ids: Ids, prefix: &str) -> String {
        let id = ids.id(self.draws, prefix);
        self.draws += 1;
        id
    }

    /// The vault `id`.
    pub(crate) fn vault(&self, id: &str) -> Option<&Record> {
        self.vaults.iter().find(|v| text(v, "VaultId") == id)
    }

    /// The plan `id`.
    pub(crate) fn plan_index(&self, id: &str) -> Option<usize> {
        self.plans
            .iter()
            .position(|p| text(&p.record, "PlanId") == id)
    }

    /// The policy `id`.
    pub(crate) fn policy_index(&self, id: &str) -> Option<usize> {
        self.policies.iter().position(|p| text(p, "PolicyId") == id)
    }

    /// The world the seeded restore jobs live in: its vaults and their backup plans. A plan
    /// backs up the data source of the first seeded job that restores one of its snapshots.
    pub(crate) fn seeded(vaults: &[SeedVault], jobs: &[Job]) -> Self {
        let mut state = State::default();
        let vault_type = CreateVaultRequest::VAULT_TYPE
            .default
            .and_then(Scalar::as_str)
            .unwrap_or_default();
        for (k, v) in vaults.iter().enumerate() {
            let created = DATASET_NOW - 400 * 86_400 - k as i64 * 86_400;
            let class = if v.archive {
                StorageClass::Archive
            } else {
                StorageClass::Standard
            };
            let mut vault = json!({
                "VaultId": v.id,
                "VaultName": format!("{}-vault-{k:02}", v.region),
                "VaultRegionId": v.region,
                "VaultType": vault_type,
                "VaultStorageClass": class.as_str(),
                "Status": VAULT_READY,
                "Description": "",
                "CreatedTime": created,
                "UpdatedTime": created,
            });
            if let Some(obj) = vault.as_object_mut() {
                state.vaults.push(std::mem::take(obj));
            }
            for (p, plan_id) in v.plans.iter().enumerate() {
                let job = jobs.iter().find(|j| &j.plan_id == plan_id);
                let source_type = job.map_or("", |j| j.source_type.as_str());
                let plan = json!({
                    "PlanId": plan_id,
                    "PlanName": format!("{}-plan-{p}", v.id),
                    "VaultId": v.id,
                    "SourceType": source_type,
                    "BackupType": BackupType::Complete.as_str(),
                    "Schedule": format!("I|{}|P1D", created + 86_400),
                    "Retention": 30,
                    "Disabled": false,
                    "DataSourceId": job.map_or("", |j| j.source_instance_id.as_str()),
                    "CreatedTime": created,
                    "UpdatedTime": created,
                });
                if let Value::Object(record) = plan {
                    state.plans.push(Plan {
                        record,
                        region_id: v.region.to_owned(),
                    });
                }
            }
        }
        state
    }
}

/// The backup resources behind their lock, with the clock and the identifier source.
pub(crate) struct Resources {
    state: RwLock<State>,
    /// How long created jobs take.
    pub(crate) timing: Timing,
    /// Where identifiers come from.
    pub(crate) ids: Ids,
}

impl Resources {
    pub(crate) fn new(state: State, timing: Timing, ids: Ids) -> Self {
        Self {
            state: RwLock::new(state),
            timing,
            ids,
        }
    }

    /// The state, for reading.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The state, for changing.
    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the whole state (loading a state file).
    pub(crate) fn replace(&self, state: State) {
        *self.write() = state;
    }
}
