//! The answers of list operations: the records of one page, in the wrapper the spec gives
//! the list (`"Vaults": {"Vault": [...]}`) or as a bare array, with the paging fields.

use hbr_client::facts::{PageParams, Param};
use serde_json::{json, Value};

use super::Call;
use crate::error::ApiError;
use crate::query::records::{default_of, page, token_page};
use crate::response::success_body;
use crate::store::Record;

/// Where the items of a list travel: `Some("Vault")` for `"Vaults": {"Vault": [...]}`,
/// `None` for a bare array.
pub(crate) type Wrapper = Option<&'static str>;

fn wrap(items: Vec<Record>, wrapper: Wrapper) -> Value {
    let items = Value::Array(items.into_iter().map(Value::Object).collect());
    match wrapper {
        Some(inner) => json!({ inner: items }),
        None => items,
    }
}

/// A page of `items` chosen by the page number and size of `R` (their spec defaults when
/// the call gives none), under `list`.
pub(crate) fn numbered<R: PageParams>(
    call: &Call<'_>,
    items: Vec<Record>,
    list: &str,
    wrapper: Wrapper,
) -> Vec<u8> {
    let number = call
        .int(R::PAGE_NUMBER.wire)
        .unwrap_or_else(|| default_of(R::PAGE_NUMBER, 1));
    let size = call
        .int(R::PAGE_SIZE.wire)
        .unwrap_or_else(|| default_of(R::PAGE_SIZE, i64::from(R::MAX_PAGE_SIZE)));
    let total = items.len();
    success_body(
        call.request_id,
        [
            ("PageNumber", json!(number)),
            ("PageSize", json!(size)),
            ("TotalCount", json!(total)),
            (list, wrap(page(items, number, size), wrapper)),
        ],
    )
}

/// The items after the call's `NextToken`, at most its `max` parameter (the spec's default
/// when it gives none), under `list`, with `NextToken` when more remain and `TotalCount`.
pub(crate) fn tokened(
    call: &Call<'_>,
    items: Vec<Record>,
    max: Param,
    list: &str,
    wrapper: Wrapper,
) -> Result<Vec<u8>, ApiError> {
    let limit = call.int(max.wire).unwrap_or_else(|| default_of(max, 10));
    let total = items.len();
    let (items, next) = token_page(items, call.text("NextToken"), limit, "NextToken")?;
    let mut fields = vec![
        (max.wire, json!(limit)),
        ("TotalCount", json!(total)),
        (list, wrap(items, wrapper)),
    ];
    if let Some(next) = next {
        fields.push(("NextToken", json!(next)));
    }
    Ok(success_body(call.request_id, fields))
}
