//! Cross-account backup: `AddCrossAccount`, `DeleteCrossAccount` and
//! `DescribeCrossAccounts`, which lists the accounts added, newest first.
//!
//! An account is named by its `CrossAccountUserId` and `CrossAccountRoleName`: both are
//! needed to add one (`MissingParameter`; `DeleteCrossAccount`, which requires both, could
//! not remove it otherwise), and adding one that is there already is
//! `400 CrossAccountAlreadyExists`. `CrossAccountType` is `CROSS_ACCOUNT` when not sent; a
//! delete that sends it matches it too. Its record gets a numeric `Id` from the store's
//! identifier count; `OwnerId`, the calling account, is not listed, as the emulator has no
//! account of its own. Deleting an account that is not there is
//! `404 InvalidCrossAccountUserId.NotFound`.

use serde_json::{json, Value};

use hbr_client::add_cross_account::{AddCrossAccountRequest, CrossAccountType};
use hbr_client::delete_cross_account::DeleteCrossAccountRequest;
use hbr_client::describe_cross_accounts::DescribeCrossAccountsRequest;

use super::listing::paged;
use super::{Action, Call};
use crate::error::ApiError;
use crate::response::success_body;
use crate::store::{int, text, Record, Store};

pub(crate) const ADD: Action = Action::of::<AddCrossAccountRequest>(add);
pub(crate) const DELETE: Action = Action::of::<DeleteCrossAccountRequest>(delete);
pub(crate) const DESCRIBE: Action = Action::of::<DescribeCrossAccountsRequest>(describe);

/// The account the call names: its user ID and role name, which the emulator needs.
fn named<'c>(call: &Call<'c>) -> Result<(i64, &'c str), ApiError> {
    let user = call
        .int("CrossAccountUserId")
        .ok_or_else(|| ApiError::missing_parameter("CrossAccountUserId"))?;
    Ok((user, call.need("CrossAccountRoleName")?))
}

/// Whether `record` is the account `(user, role)`.
fn is(record: &Record, (user, role): (i64, &str)) -> bool {
    record.get("CrossAccountUserId").and_then(Value::as_i64) == Some(user)
        && text(record, "CrossAccountRoleName") == role
}

fn add(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let account = named(call)?;
    let kind = call
        .text("CrossAccountType")
        .filter(|t| !t.is_empty())
        .unwrap_or(CrossAccountType::CrossAccount.as_str());
    let now = call.now_s();
    {
        let mut state = store.resources.write();
        if state.cross_accounts.iter().any(|a| is(a, account)) {
            return Err(ApiError::conflict(
                "CrossAccountAlreadyExists",
                format!(
                    "The account {} is already added with the role {:?}.",
                    account.0, account.1
                ),
            ));
        }
        // A number of the identifier count: unique, and the same on every run.
        state.draws += 1;
        let record = json!({
            "Id": state.draws,
            "CrossAccountUserId": account.0,
            "CrossAccountRoleName": account.1,
            "CrossAccountType": kind,
            "Alias": call.text("Alias").unwrap_or_default(),
            "CreatedTime": now,
            "UpdatedTime": now,
        });
        if let Value::Object(record) = record {
            state.cross_accounts.push(record);
        }
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}

fn delete(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let account = named(call)?;
    let kind = call.text("CrossAccountType").filter(|t| !t.is_empty());
    {
        let mut state = store.resources.write();
        let at = state
            .cross_accounts
            .iter()
            .position(|a| is(a, account) && kind.is_none_or(|k| text(a, "CrossAccountType") == k))
            .ok_or_else(|| {
                let mut e = ApiError::not_found("CrossAccountUserId", &account.0.to_string());
                e.message = format!(
                    "The account {} added with the role {:?}{} does not exist.",
                    account.0,
                    account.1,
                    kind.map(|k| format!(" as {k}")).unwrap_or_default()
                );
                e
            })?;
        state.cross_accounts.remove(at);
    }
    store.saved();
    Ok(success_body(call.request_id, []))
}

fn describe(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let state = store.resources.read();
    // Newest first; of those added in the same second, the later first.
    let mut accounts: Vec<Record> = state.cross_accounts.iter().rev().cloned().collect();
    drop(state);
    accounts.sort_by_key(|a| std::cmp::Reverse(int(a, "CreatedTime")));
    paged::<DescribeCrossAccountsRequest>(call, accounts)
}
