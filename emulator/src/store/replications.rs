//! Vault replications (`CreateVaultReplication`): one source vault copied into one target
//! vault, and what they look like at a given time. Nothing runs in the background: the
//! replication's setup task runs on the clock as a created job does (see [`crate::clock`]),
//! `created` until the job duration has passed, then `completed`; a replication removed
//! before its task completed leaves the task `cancelled`. While the task runs the target
//! vault's `HistoricalReplicationProgress` grows from 0 to 100; once it has completed, new
//! data is copied as it comes, so `NewReplicationProgress` and `LatestReplicationTime` are
//! the time of the reading (at least the task's `CompletedTime`, which is rounded up to a
//! second).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::resources::Record;
use crate::clock::Timing;
use crate::status::Status;

/// `ReplicationStatus` of both vaults while the setup task runs (the vault status words,
/// as a vault being initialised shows them).
pub(crate) const REPLICATION_SETTING_UP: &str = "INITIALIZING";
/// `ReplicationStatus` of both vaults once the setup task has completed.
pub(crate) const REPLICATION_READY: &str = "CREATED";

/// One replication of a source vault into a target vault.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Replication {
    pub(crate) source_vault_id: String,
    pub(crate) source_region_id: String,
    pub(crate) target_vault_id: String,
    pub(crate) target_region_id: String,
    /// The setup task `DescribeTask` reports.
    pub(crate) task_id: String,
    /// When it was made (unix ms).
    pub(crate) created_ms: i64,
    /// When `DeleteVaultReplication` removed it (unix ms), if it did.
    #[serde(default)]
    pub(crate) deleted_ms: Option<i64>,
}

/// Where a replication's setup stands at a moment.
struct Setup {
    complete: bool,
    /// In percent, 0 to 100.
    percent: i64,
    updated_time: i64,
    complete_time: i64,
}

impl Replication {
    /// Whether it still stands (was not removed).
    pub(crate) fn active(&self) -> bool {
        self.deleted_ms.is_none()
    }

    /// Whether vault `id` takes part in it (either side).
    pub(crate) fn involves(&self, id: &str) -> bool {
        self.source_vault_id == id || self.target_vault_id == id
    }

    fn created_time(&self) -> i64 {
        self.created_ms.div_euclid(1000)
    }

    fn setup(&self, timing: &Timing, now_ms: i64) -> Setup {
        let until = self.deleted_ms.map_or(now_ms, |d| d.min(now_ms));
        let phase = timing.phase(self.created_ms, self.created_time(), until);
        let complete = phase.status == Status::Complete;
        Setup {
            complete,
            percent: if complete {
                100
            } else {
                phase.scale(100).min(99)
            },
            updated_time: phase.updated_time,
            complete_time: phase.complete_time,
        }
    }

    /// Its setup task as `DescribeTask` answers it at `now_ms` (without `TaskId`).
    pub(crate) fn task(&self, timing: &Timing, now_ms: i64) -> Record {
        let setup = self.setup(timing, now_ms);
        let removed = self.deleted_ms.filter(|d| *d <= now_ms);
        let (status, updated, completed) = match removed {
            Some(d) if !setup.complete => {
                let at = d.div_euclid(1000);
                ("cancelled", at, at)
            }
            _ if setup.complete => ("completed", setup.complete_time, setup.complete_time),
            _ => ("created", setup.updated_time, 0),
        };
        let result = json!({
            "ReplicationSourceVaultId": self.source_vault_id,
            "ReplicationTargetVaultId": self.target_vault_id,
        });
        let task = json!({
            "Name": "CreateVaultReplication",
            "Description": status,
            "Progress": setup.percent,
            "Result": result.to_string(),
            "CreatedTime": self.created_time(),
            "UpdatedTime": updated,
            "CompletedTime": completed,
        });
        match task {
            Value::Object(m) => m,
            _ => Record::new(),
        }
    }

    /// Sets the replication fields `DescribeVaults` shows on `vault` (one of its two
    /// vaults) at `now_ms`.
    pub(crate) fn show_on(&self, vault: &mut Record, timing: &Timing, now_ms: i64) {
        let setup = self.setup(timing, now_ms);
        let status = if setup.complete {
            REPLICATION_READY
        } else {
            REPLICATION_SETTING_UP
        };
        let vault_id = vault.get("VaultId").and_then(Value::as_str).unwrap_or("");
        let fields = if vault_id == self.source_vault_id {
            json!({
                "ReplicationSourceVault": true,
                "ReplicationTargetVaultId": self.target_vault_id,
                "ReplicationTargetRegionId": self.target_region_id,
                "ReplicationStatus": status,
            })
        } else if vault_id == self.target_vault_id {
            let copied_until = if setup.complete {
                now_ms.div_euclid(1000).max(setup.complete_time)
            } else {
                0
            };
            json!({
                "Replication": true,
                "ReplicationSourceVaultId": self.source_vault_id,
                "ReplicationSourceRegionId": self.source_region_id,
                "ReplicationStatus": status,
                "ReplicationProgress": {
                    "HistoricalReplicationProgress": setup.percent,
                    "NewReplicationProgress": copied_until,
                },
                "LatestReplicationTime": copied_until,
            })
        } else {
            return;
        };
        if let Value::Object(fields) = fields {
            vault.extend(fields);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const T0: i64 = 1_800_000_000_000;

    fn replication() -> Replication {
        Replication {
            source_vault_id: "v-src".to_owned(),
            source_region_id: "cn-hangzhou".to_owned(),
            target_vault_id: "v-dst".to_owned(),
            target_region_id: "cn-shanghai".to_owned(),
            task_id: "t-1".to_owned(),
            created_ms: T0,
            deleted_ms: None,
        }
    }

    fn vault(id: &str) -> Record {
        let mut v = Record::new();
        v.insert("VaultId".to_owned(), json!(id));
        v
    }

    /// Jobs (and so setups) take 10 s, the first second queued.
    fn timing() -> Timing {
        Timing::new(Duration::from_secs(10), Duration::from_secs(2))
    }

    #[test]
    fn the_setup_task_runs_on_the_clock() {
        let r = replication();
        let at = |ms: i64| r.task(&timing(), T0 + ms);
        let start = at(0);
        assert_eq!(
            (
                &start["Description"],
                &start["Progress"],
                &start["CompletedTime"]
            ),
            (&json!("created"), &json!(0), &json!(0))
        );
        // Half of the nine running seconds gone: half done.
        let half = at(5_500);
        assert_eq!(
            (&half["Description"], &half["Progress"]),
            (&json!("created"), &json!(50))
        );
        let done = at(10_000);
        assert_eq!(
            (
                &done["Description"],
                &done["Progress"],
                &done["CompletedTime"]
            ),
            (&json!("completed"), &json!(100), &json!(T0 / 1000 + 10))
        );
        assert_eq!(done["CreatedTime"], T0 / 1000);
        let result: Value =
            serde_json::from_str(done["Result"].as_str().unwrap_or("")).unwrap_or_default();
        assert_eq!(result["ReplicationTargetVaultId"], "v-dst");
    }

    #[test]
    fn a_replication_removed_while_setting_up_cancels_its_task() {
        let mut r = replication();
        r.deleted_ms = Some(T0 + 3_000);
        let before = r.task(&timing(), T0 + 2_000);
        assert_eq!(before["Description"], "created");
        let after = r.task(&timing(), T0 + 60_000);
        assert_eq!(
            (&after["Description"], &after["CompletedTime"]),
            (&json!("cancelled"), &json!(T0 / 1000 + 3))
        );
        assert!(
            after["Progress"].as_i64().is_some_and(|p| p < 100),
            "{after:?}"
        );
        // Removed after completing: it stays completed.
        let mut late = replication();
        late.deleted_ms = Some(T0 + 30_000);
        assert_eq!(
            late.task(&timing(), T0 + 60_000)["Description"],
            "completed"
        );
    }

    #[test]
    fn both_vaults_show_their_side() {
        let r = replication();
        let (mut src, mut dst, mut other) = (vault("v-src"), vault("v-dst"), vault("v-x"));
        r.show_on(&mut src, &timing(), T0 + 5_500);
        r.show_on(&mut dst, &timing(), T0 + 5_500);
        r.show_on(&mut other, &timing(), T0 + 5_500);
        assert_eq!(
            (
                &src["ReplicationSourceVault"],
                &src["ReplicationTargetVaultId"],
                &src["ReplicationTargetRegionId"]
            ),
            (&json!(true), &json!("v-dst"), &json!("cn-shanghai"))
        );
        assert!(!src.contains_key("Replication"));
        assert_eq!(
            (
                &dst["Replication"],
                &dst["ReplicationSourceVaultId"],
                &dst["ReplicationSourceRegionId"]
            ),
            (&json!(true), &json!("v-src"), &json!("cn-hangzhou"))
        );
        assert_eq!(dst["ReplicationStatus"], REPLICATION_SETTING_UP);
        assert_eq!(
            dst["ReplicationProgress"]["HistoricalReplicationProgress"],
            50
        );
        assert_eq!(dst["LatestReplicationTime"], 0);
        assert_eq!(
            other.len(),
            1,
            "a vault outside the replication is left alone"
        );
        // Completion is rounded up to a second; copying is not reported before it.
        let mut late = replication();
        late.created_ms = T0 + 300;
        let (mut at_end, task) = (vault("v-dst"), late.task(&timing(), T0 + 10_400));
        late.show_on(&mut at_end, &timing(), T0 + 10_400);
        assert_eq!(task["CompletedTime"], T0 / 1000 + 11);
        assert_eq!(at_end["LatestReplicationTime"], task["CompletedTime"]);
        let later = T0 + 20_000;
        r.show_on(&mut dst, &timing(), later);
        assert_eq!(dst["ReplicationStatus"], REPLICATION_READY);
        assert_eq!(
            (
                &dst["ReplicationProgress"]["HistoricalReplicationProgress"],
                &dst["ReplicationProgress"]["NewReplicationProgress"],
                &dst["LatestReplicationTime"]
            ),
            (&json!(100), &json!(later / 1000), &json!(later / 1000))
        );
    }
}
