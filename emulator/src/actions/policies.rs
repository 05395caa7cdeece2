//! Backup policies (V2): `CreatePolicyV2`, `DescribePoliciesV2`, `UpdatePolicyV2`,
//! `DeletePolicyV2` and `ExecutePolicyV2`, which backs up a data source bound to the policy
//! with one of its BACKUP rules. A policy that is still bound cannot be deleted
//! (`400 DependencyViolation.PolicyBinding`).

use serde_json::{json, Value};

use hbr_client::create_policy_v2::{CreatePolicyV2Request, RuleType};
use hbr_client::delete_policy_v2::DeletePolicyV2Request;
use hbr_client::describe_policies_v2::DescribePoliciesV2Request;
use hbr_client::execute_policy_v2::ExecutePolicyV2Request;
use hbr_client::update_policy_v2::UpdatePolicyV2Request;

use super::backup_jobs::{start, Source};
use super::listing::paged;
use super::{Action, Call};
use crate::error::ApiError;
use crate::response::success_body;
use crate::store::{int, source_field, text, Record, State, Store};

pub(crate) const CREATE: Action = Action::of::<CreatePolicyV2Request>(create);
pub(crate) const DESCRIBE: Action = Action::of::<DescribePoliciesV2Request>(describe);
pub(crate) const UPDATE: Action = Action::of::<UpdatePolicyV2Request>(update);
pub(crate) const DELETE: Action = Action::of::<DeletePolicyV2Request>(delete);
pub(crate) const EXECUTE: Action = Action::of::<ExecutePolicyV2Request>(execute);

/// Rule members of the requests that the listed rules do not have.
const NOT_LISTED: [&str; 1] = ["ColdArchiveDays"];

/// The policy's rules from the call's `Rules`, each with its `RuleId`: the one given (which
/// must be one of `existing`), else a fresh one.
fn rules(
    call: &Call<'_>,
    state: &mut State,
    store: &Store,
    existing: &[Value],
) -> Result<Option<Vec<Value>>, ApiError> {
    let Some(Value::Array(given)) = call.value("Rules") else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(given.len());
    for (i, r) in given.iter().enumerate() {
        let mut rule = r.as_object().cloned().unwrap_or_default();
        for name in NOT_LISTED {
            rule.remove(name);
        }
        let id = match rule.get("RuleId").and_then(Value::as_str) {
            Some(id) => {
                if !existing
                    .iter()
                    .any(|e| e.get("RuleId").and_then(Value::as_str) == Some(id))
                {
                    let mut e = ApiError::not_found("RuleId", id);
                    e.parameter = Some(format!("Rules.{}.RuleId", i + 1));
                    return Err(e);
                }
                id.to_owned()
            }
            None => state.draw_id(store.resources.ids, "rule-"),
        };
        rule.insert("RuleId".to_owned(), json!(id));
        out.push(Value::Object(rule));
    }
    Ok(Some(out))
}

fn create(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let now = call.now_s();
    let policy_id = {
        let mut state = store.resources.write();
        let rules = rules(call, &mut state, store, &[])?.unwrap_or_default();
        let policy_id = state.draw_id(store.resources.ids, "p-");
        let record = json!({
            "PolicyId": policy_id,
            "PolicyName": call.text("PolicyName").unwrap_or_default(),
            "PolicyDescription": call.text("PolicyDescription").unwrap_or_default(),
            "Rules": rules,
            "CreatedTime": now,
            "UpdatedTime": now,
        });
        if let Value::Object(record) = record {
            state.policies.push(record);
        }
        policy_id
    };
    store.saved();
    Ok(success_body(
        call.request_id,
        [("PolicyId", json!(policy_id))],
    ))
}

fn describe(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let only = call.text("PolicyId").filter(|p| !p.is_empty());
    let state = store.resources.read();
    let mut policies: Vec<Record> = state
        .policies
        .iter()
        .filter(|p| only.is_none_or(|id| text(p, "PolicyId") == id))
        .map(|p| {
            let mut p = p.clone();
            let bound = state
                .bindings
                .iter()
                .filter(|b| text(b, "PolicyId") == text(&p, "PolicyId"))
                .count();
            p.insert("PolicyBindingCount".to_owned(), json!(bound));
            p
        })
        .collect();
    drop(state);
    policies.sort_by_key(|p| std::cmp::Reverse(int(p, "CreatedTime")));
    paged::<DescribePoliciesV2Request>(call, policies)
}

/// The index of the policy the call names.
fn policy_of(state: &State, call: &Call<'_>) -> Result<usize, ApiError> {
    let id = call.need("PolicyId")?;
    state
        .policy_index(id)
        .ok_or_else(|| ApiError::not_found("PolicyId", id))
}

fn update(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    {
        let mut state = store.resources.write();
        let at = policy_of(&state, call)?;
        let existing = state.policies[at]
            .get("Rules")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let rules = rules(call, &mut state, store, &existing)?;
        let policy = &mut state.policies[at];
        for name in ["PolicyName", "PolicyDescription"] {
            if let Some(v) = call.text(name) {
                policy.insert(name.to_owned(), json!(v));
            }
        }
        if let Some(rules) = rules {
            policy.insert("Rules".to_owned(), Value::Array(rules));
        }
        policy.insert("UpdatedTime".to_owned(), json!(call.now_s()));
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}

fn delete(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    {
        let mut state = store.resources.write();
        let at = policy_of(&state, call)?;
        let id = text(&state.policies[at], "PolicyId").to_owned();
        if let Some(b) = state.bindings.iter().find(|b| text(b, "PolicyId") == id) {
            return Err(ApiError::conflict(
                "DependencyViolation.PolicyBinding",
                format!(
                    "The policy {id:?} is still bound to the data source {}; unbind it first.",
                    text(b, "DataSourceId")
                ),
            ));
        }
        state.policies.remove(at);
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}

/// The rule `id` of a list of rules (a policy's or a plan's), which must be there.
pub(crate) fn rule_of<'r>(rules: Option<&'r Value>, id: &str) -> Result<&'r Value, ApiError> {
    rules
        .and_then(Value::as_array)
        .and_then(|rules| {
            rules
                .iter()
                .find(|r| r.get("RuleId").and_then(Value::as_str) == Some(id))
        })
        .ok_or_else(|| ApiError::not_found("RuleId", id))
}

fn execute(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let rule_id = call.need("RuleId")?;
    let job_id = {
        let mut state = store.resources.write();
        let at = policy_of(&state, call)?;
        let policy = state.policies[at].clone();
        let policy_id = text(&policy, "PolicyId");
        let rule = rule_of(policy.get("Rules"), rule_id)?;
        let rule_type = rule
            .get("RuleType")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if RuleType::from_wire(rule_type) != RuleType::Backup {
            return Err(ApiError::invalid_parameter(
                "RuleId",
                format!("the rule {rule_id} is a {rule_type} rule; only a BACKUP rule runs"),
            ));
        }
        let wanted = call.text("DataSourceId").filter(|d| !d.is_empty());
        let binding = state
            .bindings
            .iter()
            .find(|b| {
                text(b, "PolicyId") == policy_id
                    && wanted.is_none_or(|d| text(b, "DataSourceId") == d)
            })
            .cloned()
            .ok_or_else(|| match wanted {
                Some(d) => ApiError::not_found("DataSourceId", d),
                None => ApiError::invalid_parameter(
                    "PolicyId",
                    format!("the policy {policy_id} is bound to no data source"),
                ),
            })?;
        let source_type = text(&binding, "SourceType");
        let fields: Record = [
            ("SourceType", json!(source_type)),
            (
                source_field(source_type),
                json!(text(&binding, "DataSourceId")),
            ),
            (
                "BackupType",
                rule.get("BackupType").cloned().unwrap_or(json!("")),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let mut fields = fields;
        if let Some(r) = rule.get("Retention") {
            fields.insert("Retention".to_owned(), r.clone());
        }
        let source = Source {
            fields,
            region_id: String::new(),
            storage_class: String::new(),
        };
        start(&mut state, store, source, call.now_ms)
    };
    store.saved();
    Ok(success_body(call.request_id, [("JobId", json!(job_id))]))
}
