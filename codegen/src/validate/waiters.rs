//! Rules on an operation's waiters: a name that is a free type name, a response list of
//! objects whose status field is a string, statuses that say when the wait ends, and a
//! timing that makes sense.

use super::{names, Checker, Types};
use crate::model::{Kind, ObjectDef, Operation, Prop, Waiter};
use crate::naming::is_upper_camel;

/// The waiter's name is UpperCamelCase and no other type of the operation has it.
pub(super) fn name(c: &mut Checker<'_>, w: &Waiter, types: &Types) {
    if !is_upper_camel(&w.name) {
        c.err(
            w.loc.clone(),
            format!("waiter name `{}` must be UpperCamelCase", w.name),
        );
    } else if types.contains_key(&w.name) {
        c.err(
            w.loc.clone(),
            format!(
                "waiter name `{}` is already a type of this operation; pick another",
                w.name
            ),
        );
    }
}

/// The items are a response array of objects, whose status field is a string (or an
/// enum of strings); without items, the status is such a field of the response.
pub(super) fn items_and_status(c: &mut Checker<'_>, op: &Operation, w: &Waiter) {
    let Some((items, loc)) = &w.items else {
        return status_field(c, w, &op.response, || {
            "is not a response field (a waiter without `items` waits for the response itself)"
                .to_owned()
        });
    };
    let Some(field) = op.response.iter().find(|r| &r.wire == items) else {
        return c.err(
            loc.clone(),
            format!(
                "waiter items `{items}` is not a response field; fields: {}",
                names(&op.response)
            ),
        );
    };
    let obj: Option<&ObjectDef> = match &field.node.kind {
        Kind::Array(item) => match &item.kind {
            Kind::Object(obj) => Some(obj),
            _ => None,
        },
        _ if field.node.invalid => return,
        _ => None,
    };
    let Some(obj) = obj else {
        return c.err(
            loc.clone(),
            format!("waiter items `{items}` must be an array of objects"),
        );
    };
    status_field(c, w, &obj.properties, || {
        format!("is not a field of the items of `{items}`")
    });
}

/// The waiter's status is a string field among `fields`; `missing` says where it was looked
/// for when it is not there.
fn status_field(
    c: &mut Checker<'_>,
    w: &Waiter,
    fields: &[Prop],
    missing: impl FnOnce() -> String,
) {
    let (status, sloc) = &w.status;
    match fields.iter().find(|p| &p.wire == status) {
        Some(p) if matches!(p.node.kind, Kind::String) => {}
        Some(p) => c.err(
            sloc.clone(),
            format!(
                "waiter status `{status}` must be a string field, not {}",
                p.node.kind.name()
            ),
        ),
        None => c.err(
            sloc.clone(),
            format!(
                "waiter status `{status}` {}; fields: {}",
                missing(),
                names(fields)
            ),
        ),
    }
}

/// Success statuses are given, none is empty, and none is also a failure.
pub(super) fn statuses(c: &mut Checker<'_>, w: &Waiter) {
    let (success, loc) = &w.success;
    if success.is_empty() {
        c.err(loc.clone(), "`success` needs at least one status");
    }
    let (failure, floc) = &w.failure;
    for s in success.iter().chain(failure) {
        if s.is_empty() {
            c.err(loc.clone(), "a status cannot be empty");
        }
    }
    if let Some(both) = failure.iter().find(|f| success.contains(f)) {
        c.err(
            floc.clone(),
            format!("status `{both}` cannot end the wait both in success and in failure"),
        );
    }
}

/// The first pause is at least a second, the longest pause and the timeout at least that.
pub(super) fn timing(c: &mut Checker<'_>, w: &Waiter) {
    let (delay, dloc) = &w.delay;
    if *delay == 0 {
        c.err(dloc.clone(), "`delay` must be at least 1 (second)");
    }
    for (what, (n, loc)) in [("max_delay", &w.max_delay), ("timeout", &w.timeout)] {
        if n < delay {
            c.err(
                loc.clone(),
                format!("`{what}` ({n} s) must be at least `delay` ({delay} s)"),
            );
        }
    }
}
