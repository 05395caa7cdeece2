//! Rules on an operation as a whole: its name and doc, its enums, its own type names, paging.

use super::{names, Checker, Types};
use crate::model::{Cursor, Kind, Operation, Pagination};
use crate::naming::{is_upper_camel, request_type, response_type};

/// An operation's name is UpperCamelCase.
pub(super) fn name_is_upper_camel(c: &mut Checker<'_>, op: &Operation) {
    if !is_upper_camel(&op.name) {
        c.err(
            op.loc.clone(),
            format!("operation name `{}` must be UpperCamelCase", op.name),
        );
    }
}

/// An operation is documented.
pub(super) fn has_doc(c: &mut Checker<'_>, op: &Operation) {
    if op.doc.is_none() {
        c.err(
            op.loc.clone(),
            format!("operation `{}` needs `doc:`", op.name),
        );
    }
    let what = format!("operation `{}`", op.name);
    super::docs::not_placeholder(c, &op.loc, &what, op.doc.as_deref());
}

/// An operation's `kind:` is a known kind (the reader reports a missing one).
pub(super) fn kind_known(c: &mut Checker<'_>, op: &Operation) {
    if let Some((kind, loc)) = &op.kind {
        let what = format!("`kind: {kind}`");
        c.one_of(loc, &what, kind, hbr_attr_keys::KINDS);
    }
}

/// An operation's enum does not take the name of a shared one.
pub(super) fn enums_not_shared(c: &mut Checker<'_>, op: &Operation) {
    for e in &op.enums {
        if c.spec.enums.iter().any(|s| s.name == e.name) {
            c.err(
                e.loc.clone(),
                format!(
                    "enum `{}` is already defined in service.yaml; use that one or rename this",
                    e.name
                ),
            );
        }
    }
}

/// No type of the operation takes the name of its request or response type.
pub(super) fn own_type_names_reserved(c: &mut Checker<'_>, op: &Operation, types: &Types) {
    for reserved in [request_type(&op.name), response_type(&op.name)] {
        if let Some(loc) = types.get(&reserved) {
            c.err(loc.clone(), format!("the name `{reserved}` is reserved for the operation's own request/response type"));
        }
    }
}

/// The page number (or next token) and page size are request parameters of the right type:
/// int32 page number and size, string token.
pub(super) fn pagination_parameters(c: &mut Checker<'_>, op: &Operation, p: &Pagination) {
    let cursor = match &p.cursor {
        Cursor::PageNumber(n) => (n, false),
        Cursor::NextToken(t) => (t, true),
    };
    for ((name, loc), string) in [cursor, (&p.page_size, false)] {
        let want = if string { "a string" } else { "int32" };
        let fits = |k: &Kind| match string {
            true => matches!(k, Kind::String),
            false => matches!(k, Kind::Int32),
        };
        match op.request.iter().find(|r| &r.wire == name) {
            Some(r) if r.node.invalid => {}
            None => c.err(loc.clone(), format!("pagination names request parameter `{name}`, which does not exist; parameters: {}", names(&op.request))),
            Some(r) if !fits(&r.node.kind) => {
                c.err(loc.clone(), format!("pagination parameter `{name}` must be {want}"));
            }
            _ => {}
        }
    }
}

/// The page size of a page-number walk states its maximum: the paginator asks for pages
/// that large. (A token walk asks for the maximum when there is one, else leaves the page
/// size to the request or the service.)
pub(super) fn page_size_has_maximum(c: &mut Checker<'_>, op: &Operation, p: &Pagination) {
    if matches!(p.cursor, Cursor::NextToken(_)) {
        return;
    }
    let (name, loc) = &p.page_size;
    if let Some(r) = op.request.iter().find(|r| &r.wire == name) {
        if !r.node.invalid && r.node.kind.is_int() && !r.node.keys.contains_key("maximum") {
            c.err(loc.clone(), format!("pagination parameter `{name}` needs `maximum` (the largest page the service returns, which a paginator asks for)"));
        }
    }
}

/// The response field `name` a pagination key names exists and `fits` (else: it must be
/// `want`). `missing` starts the message when it does not exist.
fn paging_field(
    c: &mut Checker<'_>,
    op: &Operation,
    (name, loc): (&str, &crate::error::Location),
    missing: &str,
    (fits, want): (fn(&Kind) -> bool, &str),
) {
    match op.response.iter().find(|r| r.wire == name) {
        Some(r) if r.node.invalid => {}
        None => c.err(
            loc.clone(),
            format!(
                "{missing}, which does not exist; fields: {}",
                names(&op.response)
            ),
        ),
        Some(r) if !fits(&r.node.kind) => c.err(loc.clone(), want.to_owned()),
        _ => {}
    }
}

/// A token walk's `next_token` is also a string response field: the token of the next page.
pub(super) fn pagination_token_field(c: &mut Checker<'_>, op: &Operation, p: &Pagination) {
    let Cursor::NextToken((name, loc)) = &p.cursor else {
        return;
    };
    let missing = format!("pagination `next_token` `{name}` must also be a response field (the token of the next page)");
    let want =
        format!("pagination response field `{name}` must be a string (the token of the next page)");
    let fits: fn(&Kind) -> bool = |k| matches!(k, Kind::String);
    paging_field(c, op, (name, loc), &missing, (fits, &want));
}

/// The total count, when given, is an integer response field.
pub(super) fn pagination_total(c: &mut Checker<'_>, op: &Operation, p: &Pagination) {
    let Some((name, loc)) = &p.total_count else {
        return;
    };
    let missing = format!("pagination names response field `{name}`");
    let want = format!("pagination total `{name}` must be an integer");
    paging_field(c, op, (name, loc), &missing, (Kind::is_int, &want));
}

/// The items are a response array of objects, and the item key a string field of them.
pub(super) fn pagination_items(c: &mut Checker<'_>, op: &Operation, p: &Pagination) {
    let (name, loc) = &p.items;
    let Some(r) = op.response.iter().find(|r| &r.wire == name) else {
        c.err(
            loc.clone(),
            format!(
                "pagination names response field `{name}`, which does not exist; fields: {}",
                names(&op.response)
            ),
        );
        return;
    };
    if r.node.invalid {
        return;
    }
    let obj = match &r.node.kind {
        Kind::Array(item) => match &item.kind {
            Kind::Object(obj) => obj,
            _ => {
                return c.err(
                    loc.clone(),
                    format!("pagination items `{name}` must be an array of objects"),
                )
            }
        },
        _ => {
            return c.err(
                loc.clone(),
                format!("pagination items `{name}` must be an array of objects"),
            )
        }
    };
    if let Some((key, kloc)) = &p.item_key {
        match obj.properties.iter().find(|q| &q.wire == key) {
            Some(q) if matches!(q.node.kind, Kind::String) => {}
            Some(_) => c.err(
                kloc.clone(),
                format!("pagination item_key `{key}` must be a string field"),
            ),
            None => c.err(
                kloc.clone(),
                format!(
                    "pagination item_key `{key}` is not a field of the items; fields: {}",
                    names(&obj.properties)
                ),
            ),
        }
    }
}
