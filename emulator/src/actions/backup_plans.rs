//! Backup plans: `CreateBackupPlan`, `DescribeBackupPlans`, `UpdateBackupPlan`,
//! `EnableBackupPlan`, `DisableBackupPlan`, `ExecuteBackupPlan` and `DeleteBackupPlan`.
//!
//! A plan lives in a vault (except whole-instance UDM_ECS plans), which must exist. The
//! emulator runs no schedule: `ExecuteBackupPlan` starts a job from the plan, which a disabled
//! plan refuses (`400 IncorrectPlanStatus`).

use serde_json::{json, Value};

use hbr_client::create_backup_plan::CreateBackupPlanRequest;
use hbr_client::delete_backup_plan::DeleteBackupPlanRequest;
use hbr_client::describe_backup_plans::DescribeBackupPlansRequest;
use hbr_client::disable_backup_plan::DisableBackupPlanRequest;
use hbr_client::enable_backup_plan::EnableBackupPlanRequest;
use hbr_client::execute_backup_plan::ExecuteBackupPlanRequest;
use hbr_client::types::SourceType;
use hbr_client::update_backup_plan::UpdateBackupPlanRequest;

use super::backup_jobs::{
    copied, filter_conditions, needs_vault, selected, start, vault_facts, Source,
};
use super::listing::paged;
use super::policies::rule_of;
use super::{Action, Call};
use crate::error::ApiError;
use crate::response::success_body;
use crate::status::Status;
use crate::store::{int, text, Plan, Record, State, Store};

pub(crate) const CREATE: Action = Action::of::<CreateBackupPlanRequest>(create);
pub(crate) const DESCRIBE: Action = Action::of::<DescribeBackupPlansRequest>(describe);
pub(crate) const UPDATE: Action = Action::of::<UpdateBackupPlanRequest>(update);
pub(crate) const ENABLE: Action = Action::of::<EnableBackupPlanRequest>(enable);
pub(crate) const DISABLE: Action = Action::of::<DisableBackupPlanRequest>(disable);
pub(crate) const EXECUTE: Action = Action::of::<ExecuteBackupPlanRequest>(execute);
pub(crate) const DELETE: Action = Action::of::<DeleteBackupPlanRequest>(delete);

/// The plan parameters kept as they are sent.
const SCALARS: [&str; 21] = [
    "PlanName",
    "SourceType",
    "BackupType",
    "VaultId",
    "Schedule",
    "Retention",
    "FileSystemId",
    "CreateTime",
    "Bucket",
    "Prefix",
    "InstanceId",
    "SpeedLimit",
    "Include",
    "Exclude",
    "Options",
    "InstanceName",
    "CrossAccountType",
    "CrossAccountUserId",
    "CrossAccountRoleName",
    "KeepLatestSnapshots",
    "DestSourceType",
];

/// The plan fields a job of the plan takes over.
const TO_JOB: [&str; 14] = [
    "PlanId",
    "SourceType",
    "BackupType",
    "VaultId",
    "Retention",
    "FileSystemId",
    "CreateTime",
    "Bucket",
    "Prefix",
    "InstanceId",
    "InstanceName",
    "Include",
    "Exclude",
    "Paths",
];

/// The data source each source type needs, by parameter.
fn source_parameter(source_type: &str) -> Option<&'static str> {
    match SourceType::from_wire(source_type) {
        SourceType::EcsFile | SourceType::UdmEcs => Some("InstanceId"),
        SourceType::Oss => Some("Bucket"),
        SourceType::Nas => Some("FileSystemId"),
        _ => None,
    }
}

/// The request parameters whose response fields have another shape: lists in wrappers
/// (`Path` → `Paths: {Path: [...]}`, `Rule` → `Rules: {Rule: [...]}`, `OtsDetail.TableNames`
/// → `{TableName: [...]}`) and JSON values as JSON text (`Detail`, `DestDataSourceDetail`).
fn reshaped(call: &Call<'_>, state: &mut State, store: &Store, fields: &mut Record) {
    if let Some(paths) = call.value("Path") {
        fields.insert("Paths".to_owned(), json!({ "Path": paths }));
    }
    if let Some(Value::Array(rules)) = call.value("Rule") {
        let rules: Vec<Value> = rules
            .iter()
            .map(|r| {
                let mut rule = r.as_object().cloned().unwrap_or_default();
                rule.insert(
                    "RuleId".to_owned(),
                    json!(state.draw_id(store.resources.ids, "rule-")),
                );
                Value::Object(rule)
            })
            .collect();
        fields.insert("Rules".to_owned(), json!({ "Rule": rules }));
    }
    if let Some(ots) = call.value("OtsDetail") {
        let tables = ots.get("TableNames").cloned().unwrap_or(json!([]));
        fields.insert(
            "OtsDetail".to_owned(),
            json!({ "TableNames": { "TableName": tables } }),
        );
    }
    for name in ["Detail", "DestDataSourceDetail"] {
        if let Some(v) = call.value(name) {
            fields.insert(name.to_owned(), json!(v.to_string()));
        }
    }
}

fn create(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let source_type = call.need("SourceType")?;
    if let Some(name) = source_parameter(source_type) {
        call.need(name)?;
    }
    let plan_name = call.need("PlanName")?;
    let now = call.now_s();
    let plan_id = {
        let mut state = store.resources.write();
        let vault = call.text("VaultId").filter(|v| !v.is_empty());
        let region_id = match vault {
            Some(v) => vault_facts(&state, v)?.0,
            None if needs_vault(source_type) => return Err(ApiError::missing_parameter("VaultId")),
            None => call.text("UdmRegionId").unwrap_or_default().to_owned(),
        };
        let taken = state.plans.iter().find(|p| {
            text(&p.record, "PlanName") == plan_name
                && text(&p.record, "SourceType") == source_type
                && text(&p.record, "VaultId") == vault.unwrap_or_default()
        });
        if let Some(p) = taken {
            return Err(ApiError::invalid_parameter(
                "PlanName",
                format!(
                    "the plan {} of this vault already backs up {source_type} under this name",
                    text(&p.record, "PlanId")
                ),
            ));
        }
        let plan_id = state.draw_id(store.resources.ids, "po-");
        let mut fields = copied(call, &SCALARS);
        reshaped(call, &mut state, store, &mut fields);
        for (name, value) in [
            ("PlanId", json!(plan_id)),
            ("Disabled", json!(call.flag("Disabled").unwrap_or(false))),
            ("CreatedTime", json!(now)),
            ("UpdatedTime", json!(now)),
        ] {
            fields.insert(name.to_owned(), value);
        }
        state.plans.push(Plan {
            record: fields,
            region_id,
        });
        plan_id
    };
    store.saved();
    Ok(success_body(call.request_id, [("PlanId", json!(plan_id))]))
}

fn describe(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    // Keys are the fields' names in lower camel case (`vaultId`); `regionId` reads the
    // region of the plan's vault.
    let conditions = filter_conditions(call, |key| {
        let mut chars = key.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_ascii_uppercase().to_string() + chars.as_str()
        })
    })?;
    let source_type = call.text("SourceType").filter(|s| !s.is_empty());
    let state = store.resources.read();
    let mut plans = selected(
        state
            .plans
            .iter()
            .map(|p| (p.record.clone(), p.region_id.as_str())),
        source_type,
        &conditions,
    );
    drop(state);
    plans.sort_by_key(|p| std::cmp::Reverse(int(p, "CreatedTime")));
    paged::<DescribeBackupPlansRequest>(call, plans)
}

/// The index of the plan the call names (its `PlanId`, and its `VaultId` and `SourceType`
/// when given).
fn plan_of(state: &State, call: &Call<'_>) -> Result<usize, ApiError> {
    let id = call.need("PlanId")?;
    let at = state
        .plan_index(id)
        .ok_or_else(|| ApiError::not_found("PlanId", id))?;
    let plan = &state.plans[at].record;
    for name in ["VaultId", "SourceType"] {
        if let Some(v) = call.text(name).filter(|v| !v.is_empty()) {
            if text(plan, name) != v {
                return Err(ApiError::not_found("PlanId", id));
            }
        }
    }
    Ok(at)
}

/// Applies `change` to the plan the call names, then answers.
fn changed(
    store: &Store,
    call: &Call<'_>,
    change: impl FnOnce(&mut State, usize) -> Result<(), ApiError>,
) -> Result<Vec<u8>, ApiError> {
    {
        let mut state = store.resources.write();
        let at = plan_of(&state, call)?;
        change(&mut state, at)?;
        if let Some(p) = state.plans.get_mut(at) {
            p.record
                .insert("UpdatedTime".to_owned(), json!(call.now_s()));
        }
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}

fn update(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    changed(store, call, |state, at| {
        if let Some(v) = call.text("VaultId").filter(|v| !v.is_empty()) {
            vault_facts(state, v)?;
        }
        let mut fields = copied(
            call,
            &[
                "PlanName",
                "Schedule",
                "Retention",
                "Prefix",
                "SpeedLimit",
                "Include",
                "Exclude",
                "Options",
                "KeepLatestSnapshots",
                "ChangeListPath",
            ],
        );
        reshaped(call, state, store, &mut fields);
        if call.flag("UpdatePaths") == Some(false) {
            fields.remove("Paths");
        }
        if let Some(plan) = state.plans.get_mut(at) {
            plan.record.extend(fields);
        }
        Ok(())
    })
}

fn set_disabled(store: &Store, call: &Call<'_>, disabled: bool) -> Result<Vec<u8>, ApiError> {
    changed(store, call, |state, at| {
        if let Some(plan) = state.plans.get_mut(at) {
            plan.record.insert("Disabled".to_owned(), json!(disabled));
        }
        Ok(())
    })
}

fn enable(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    set_disabled(store, call, false)
}

fn disable(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    set_disabled(store, call, true)
}

fn execute(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let job_id = {
        let mut state = store.resources.write();
        let at = plan_of(&state, call)?;
        let plan = state.plans[at].clone();
        let id = text(&plan.record, "PlanId");
        if plan.record.get("Disabled").and_then(Value::as_bool) == Some(true) {
            return Err(ApiError::conflict(
                "IncorrectPlanStatus",
                format!("The backup plan {id:?} is disabled; enable it first."),
            ));
        }
        let mut fields: Record = TO_JOB
            .iter()
            .filter_map(|n| plan.record.get(*n).map(|v| ((*n).to_owned(), v.clone())))
            .collect();
        if let Some(rule_id) = call.text("RuleId").filter(|r| !r.is_empty()) {
            let rules = plan.record.get("Rules").and_then(|r| r.get("Rule"));
            let rule = rule_of(rules, rule_id)?;
            if let Some(t) = rule.get("BackupType") {
                fields.insert("BackupType".to_owned(), t.clone());
            }
        }
        let storage_class = match text(&plan.record, "VaultId") {
            "" => String::new(),
            vault => vault_facts(&state, vault)?.1,
        };
        let source = Source {
            fields,
            region_id: plan.region_id.clone(),
            storage_class,
        };
        let job_id = start(&mut state, store, source, call.now_ms);
        if let Some(p) = state.plans.get_mut(at) {
            p.record
                .insert("LatestExecuteJobId".to_owned(), json!(job_id));
        }
        job_id
    };
    store.saved();
    Ok(success_body(call.request_id, [("JobId", json!(job_id))]))
}

fn delete(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let now = call.now_ms;
    {
        let mut state = store.resources.write();
        let at = plan_of(&state, call)?;
        let id = text(&state.plans[at].record, "PlanId").to_owned();
        if call.flag("RequireNoRunningJobs") == Some(true) {
            let timing = store.resources.timing;
            let running = state.backup_jobs.iter().find(|j| {
                text(&j.record, "PlanId") == id
                    && !matches!(
                        j.status_at(&timing, now),
                        Status::Complete | Status::Canceled
                    )
            });
            if let Some(job) = running {
                return Err(ApiError::conflict(
                    "DependencyViolation.RunningBackupJob",
                    format!(
                        "The backup plan {id:?} has the unfinished job {}.",
                        text(&job.record, "JobId")
                    ),
                ));
            }
        }
        state.plans.remove(at);
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}
