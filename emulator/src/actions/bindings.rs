//! Policy bindings (V2): `CreatePolicyBindings`, `DescribePolicyBindings`,
//! `UpdatePolicyBinding` and `DeletePolicyBinding`. A data source is bound to a policy once
//! (`400 PolicyAlreadyBoundWithThisDataSource`, the error the API documents).

use serde_json::{json, Value};

use hbr_client::create_policy_bindings::CreatePolicyBindingsRequest;
use hbr_client::delete_policy_binding::DeletePolicyBindingRequest;
use hbr_client::describe_policy_bindings::DescribePolicyBindingsRequest;
use hbr_client::update_policy_binding::UpdatePolicyBindingRequest;

use super::backup_jobs::filter_conditions;
use super::listing::paged;
use super::{Action, Call};
use crate::error::ApiError;
use crate::query::records::{all_match, Condition, Listed};
use crate::response::success_body;
use crate::store::{int, text, Record, State, Store};

pub(crate) const CREATE: Action = Action::of::<CreatePolicyBindingsRequest>(create);
pub(crate) const DESCRIBE: Action = Action::of::<DescribePolicyBindingsRequest>(describe);
pub(crate) const UPDATE: Action = Action::of::<UpdatePolicyBindingRequest>(update);
pub(crate) const DELETE: Action = Action::of::<DeletePolicyBindingRequest>(delete);

/// The members of a binding kept as they are sent.
const KEPT: [&str; 9] = [
    "DataSourceId",
    "SourceType",
    "PolicyBindingDescription",
    "Source",
    "Include",
    "Exclude",
    "SpeedLimit",
    "CrossAccountRoleName",
    "CrossAccountType",
];

/// The policy the call names, which must exist; its `PolicyId`.
fn policy<'c>(state: &State, call: &Call<'c>) -> Result<&'c str, ApiError> {
    let id = call.need("PolicyId")?;
    state
        .policy_index(id)
        .map(|_| id)
        .ok_or_else(|| ApiError::not_found("PolicyId", id))
}

/// A boolean sent as a boolean or as the text `true` / `false`.
fn boolean(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn create(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let now = call.now_s();
    {
        let mut state = store.resources.write();
        let policy_id = policy(&state, call)?.to_owned();
        let items = call
            .value("PolicyBindingList")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut created: Vec<Record> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let need = |name: &str| {
                item.get(name)
                    .and_then(Value::as_str)
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| {
                        ApiError::missing_parameter(&format!("PolicyBindingList.{}.{name}", i + 1))
                    })
            };
            let (data_source, source_type) = (need("DataSourceId")?, need("SourceType")?);
            let bound = |b: &Record| {
                text(b, "PolicyId") == policy_id
                    && text(b, "DataSourceId") == data_source
                    && text(b, "SourceType") == source_type
            };
            if state.bindings.iter().chain(&created).any(bound) {
                return Err(ApiError::conflict(
                    "PolicyAlreadyBoundWithThisDataSource",
                    format!("The policy {policy_id:?} is already bound to the {source_type} data source {data_source:?}."),
                ));
            }
            let mut binding: Record = KEPT
                .iter()
                .filter_map(|n| item.get(*n).map(|v| ((*n).to_owned(), v.clone())))
                .collect();
            for (name, value) in [
                (
                    "PolicyBindingId",
                    json!(state.draw_id(store.resources.ids, "pd-")),
                ),
                ("PolicyId", json!(policy_id)),
                ("Disabled", json!(boolean(item.get("Disabled")))),
                ("CreatedTime", json!(now)),
                ("UpdatedTime", json!(now)),
            ] {
                binding.insert(name.to_owned(), value);
            }
            for name in ["AdvancedOptions", "CrossAccountUserId"] {
                if let Some(v) = item.get(name) {
                    binding.insert(name.to_owned(), v.clone());
                }
            }
            created.push(binding);
        }
        state.bindings.extend(created);
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}

/// The `DataSourceIds` of the call (a JSON array of strings), if given.
fn data_source_ids(call: &Call<'_>) -> Option<Vec<String>> {
    call.value("DataSourceIds")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
}

fn describe(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    // The key DataSourceType reads SourceType.
    let mut conditions = filter_conditions(call, |key| match key {
        "DataSourceType" => "SourceType".to_owned(),
        other => other.to_owned(),
    })?;
    for name in ["PolicyId", "SourceType"] {
        if let Some(v) = call.text(name).filter(|v| !v.is_empty()) {
            conditions.push(Condition::new(name, None, vec![v.to_owned()], name)?);
        }
    }
    if let Some(ids) = data_source_ids(call).filter(|ids| !ids.is_empty()) {
        conditions.push(Condition::new("DataSourceId", None, ids, "DataSourceIds")?);
    }
    let state = store.resources.read();
    let mut found: Vec<Record> = state
        .bindings
        .iter()
        .filter(|b| all_match(&conditions, &Listed::of((*b).clone())))
        .cloned()
        .collect();
    drop(state);
    found.sort_by_key(|b| std::cmp::Reverse(int(b, "CreatedTime")));
    paged::<DescribePolicyBindingsRequest>(call, found)
}

fn update(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    {
        let mut state = store.resources.write();
        let policy_id = policy(&state, call)?.to_owned();
        let data_source = call.need("DataSourceId")?;
        let source_type = call.need("SourceType")?;
        let binding = state
            .bindings
            .iter_mut()
            .find(|b| {
                text(b, "PolicyId") == policy_id
                    && text(b, "DataSourceId") == data_source
                    && text(b, "SourceType") == source_type
            })
            .ok_or_else(|| ApiError::not_found("DataSourceId", data_source))?;
        for name in [
            "PolicyBindingDescription",
            "Disabled",
            "Source",
            "Include",
            "Exclude",
            "SpeedLimit",
            "AdvancedOptions",
        ] {
            if let Some(v) = call.value(name) {
                binding.insert(name.to_owned(), v.clone());
            }
        }
        binding.insert("UpdatedTime".to_owned(), json!(call.now_s()));
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}

fn delete(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    {
        let mut state = store.resources.write();
        let policy_id = policy(&state, call)?.to_owned();
        let source_type = call.text("SourceType").filter(|s| !s.is_empty());
        let of_call = |b: &Record| {
            text(b, "PolicyId") == policy_id
                && source_type.is_none_or(|s| text(b, "SourceType") == s)
        };
        if let Some(ids) = data_source_ids(call) {
            if let Some(missing) = ids.iter().find(|id| {
                !state
                    .bindings
                    .iter()
                    .any(|b| of_call(b) && text(b, "DataSourceId") == id.as_str())
            }) {
                return Err(ApiError::not_found("DataSourceId", missing));
            }
            state
                .bindings
                .retain(|b| !(of_call(b) && ids.iter().any(|id| text(b, "DataSourceId") == id)));
        } else {
            state.bindings.retain(|b| !of_call(b));
        }
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}
