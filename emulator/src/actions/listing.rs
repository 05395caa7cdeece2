//! The answers of list operations: the records of one page, in the wrapper the spec gives
//! the list (`"Vaults": {"Vault": [...]}`) or as a bare array, with the paging fields, paged
//! the way the operation's `pagination:` says (its [`Paging`] in the registry): by page
//! number, or by an opaque token the emulator hands out and checks.

use hbr_client::facts::Param;
use hbr_client::registry::{PageBy, Paging};
use hbr_client::Operation;
use serde_json::{json, Value};

use super::Call;
use crate::error::ApiError;
use crate::query::records::{default_of, page};
use crate::response::success_body;
use crate::store::Record;

/// The page size when the request sets none and the spec states neither a default nor a
/// maximum for it (`Limit` of `SearchHistoricalSnapshots` and `DescribeOtsTableSnapshots`):
/// the service documents no page size of its own, so the emulator picks this one.
pub(crate) const UNSTATED_PAGE_SIZE: i64 = 10;

fn wrap(items: Vec<Record>, wrapper: Option<&str>) -> Value {
    let items = Value::Array(items.into_iter().map(Value::Object).collect());
    match wrapper {
        Some(inner) => json!({ inner: items }),
        None => items,
    }
}

/// The page size the call asks for, else the spec's default, else its maximum, else
/// [`UNSTATED_PAGE_SIZE`]. (The schema check refused a size out of the spec's bounds.)
fn page_size(call: &Call<'_>, size: Param) -> i64 {
    call.int(size.wire)
        .unwrap_or_else(|| default_of(size, size.maximum.unwrap_or(UNSTATED_PAGE_SIZE)))
}

/// A page of `items` for the operation `R`, the way its spec's `pagination:` says.
pub(crate) fn paged<R: Operation>(
    call: &Call<'_>,
    items: Vec<Record>,
) -> Result<Vec<u8>, ApiError> {
    let paging = hbr_client::registry::find(R::ACTION)
        .ok()
        .and_then(|op| op.paging.as_ref())
        .ok_or_else(|| {
            let why = format!("{} has no pagination in the spec", R::ACTION);
            ApiError::new(500, "InternalError", why)
        })?;
    answer(call, R::ACTION, paging, items)
}

/// A page of `items` for `action`, which pages as `paging` says.
pub(crate) fn answer(
    call: &Call<'_>,
    action: &str,
    paging: &Paging,
    items: Vec<Record>,
) -> Result<Vec<u8>, ApiError> {
    let size = page_size(call, paging.page_size);
    let total = items.len();
    let mut fields = vec![(paging.page_size.wire, json!(size))];
    if let Some(name) = paging.total_count {
        fields.push((name, json!(total)));
    }
    let records = match paging.by {
        PageBy::Number => {
            let number = call.int(paging.cursor).unwrap_or(1);
            fields.push((paging.cursor, json!(number)));
            page(items, number, size)
        }
        PageBy::Token => {
            let token = call.text(paging.cursor).filter(|t| !t.is_empty());
            let start = match token {
                None => 0,
                Some(t) => token::position(action, t, total).ok_or_else(|| {
                    ApiError::invalid_parameter(
                        paging.cursor,
                        format!("{t:?} is not a token {action} gave, or the listing it continued has ended"),
                    )
                })?,
            };
            let take = usize::try_from(size).unwrap_or(0);
            let end = start.saturating_add(take).min(total);
            if take > 0 && end < total {
                fields.push((paging.cursor, json!(token::of(action, end))));
            }
            items.into_iter().skip(start).take(take).collect()
        }
    };
    fields.push((paging.items, wrap(records, paging.wrapper)));
    Ok(success_body(call.request_id, fields))
}

/// The emulator's tokens: a position in a listing, bound to the operation that gave it, as
/// 24 hex digits no one reads a position from (the position mixed with a hash of the
/// action, and a check that a changed or foreign token fails).
mod token {
    use sha2::{Digest, Sha256};

    /// The first eight bytes of SHA-256 over `parts`, as a number.
    fn digest(parts: &[&[u8]]) -> u64 {
        let mut h = Sha256::new();
        for part in parts {
            h.update(part);
        }
        let mut first = [0_u8; 8];
        first.copy_from_slice(&h.finalize()[..8]);
        u64::from_le_bytes(first)
    }

    /// The token of position `at` in the listing of `action`.
    pub(super) fn of(action: &str, at: usize) -> String {
        let at = at as u64;
        let mixed = at ^ digest(&[action.as_bytes()]);
        let check = digest(&[action.as_bytes(), &at.to_le_bytes()]) as u32;
        format!("{mixed:016x}{check:08x}")
    }

    /// The position `token` names in a listing of `total` items of `action`, if it is one
    /// this emulator gave for `action` and it is within the listing.
    pub(super) fn position(action: &str, token: &str, total: usize) -> Option<usize> {
        if token.len() != 24 || !token.is_ascii() {
            return None;
        }
        let mixed = u64::from_str_radix(token.get(..16)?, 16).ok()?;
        let at = mixed ^ digest(&[action.as_bytes()]);
        let at_usize = usize::try_from(at).ok()?;
        (of(action, at_usize) == token && at_usize <= total).then_some(at_usize)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn tokens_name_their_position_and_only_for_their_action() {
            let t = of("DescribePoliciesV2", 20);
            assert_eq!(t.len(), 24);
            assert!(!t.contains("20"), "{t}");
            assert_eq!(position("DescribePoliciesV2", &t, 30), Some(20));
            assert_eq!(position("DescribePolicyBindings", &t, 30), None);
            assert_eq!(position("DescribePoliciesV2", &t, 19), None);
            let mut changed = t.clone().into_bytes();
            changed[3] = if changed[3] == b'0' { b'1' } else { b'0' };
            let changed = String::from_utf8(changed).unwrap_or_default();
            assert_eq!(position("DescribePoliciesV2", &changed, 30), None);
            assert_eq!(position("DescribePoliciesV2", "20", 30), None);
            assert_eq!(position("DescribePoliciesV2", "é", 30), None);
        }
    }
}
