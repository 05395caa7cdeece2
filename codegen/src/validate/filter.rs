//! Rules on a typed filter (`filter:` on a request object with key, operator and values).

use super::{names, Checker};
use crate::error::Location;
use crate::model::{EnumDef, FilterKind, FilterSpec, Kind, ObjectDef, Operation};
use crate::naming::{field_name, FILTER_KEYS_CONST};

/// One entry of `filter.keys`: wire name, kind, place.
type Key = (String, FilterKind, Location);

/// The filter's key or operator field is a property with an enum; returns that enum.
pub(super) fn enum_field<'a>(
    c: &mut Checker<'a>,
    op: &'a Operation,
    obj: &ObjectDef,
    (wire, loc): &(String, Location),
    what: &str,
) -> Option<&'a EnumDef> {
    let Some(p) = obj.properties.iter().find(|p| &p.wire == wire) else {
        c.err(
            loc.clone(),
            format!(
                "the filter's {what} field `{wire}` is not a property; properties: {}",
                names(&obj.properties)
            ),
        );
        return None;
    };
    let found = p.node.enum_ref.as_ref().and_then(|e| c.find_enum(op, e));
    if found.is_none() {
        c.err(
            loc.clone(),
            format!("the filter's {what} field `{wire}` must be a string with an enum"),
        );
    }
    found
}

/// The filter's values field is an array of plain strings.
pub(super) fn values_are_strings(c: &mut Checker<'_>, obj: &ObjectDef, f: &FilterSpec) {
    let field = obj.properties.iter().find(|p| p.wire == f.values.0);
    let ok = field.is_some_and(|p| {
        matches!(&p.node.kind, Kind::Array(i) if matches!(i.kind, Kind::String) && i.enum_ref.is_none())
    });
    if !ok {
        c.err(
            f.values.1.clone(),
            format!(
                "the filter's values field `{}` must be an array of strings",
                f.values.0
            ),
        );
    }
}

/// No property's const takes the name of the filter's key facts.
pub(super) fn no_const_clash(c: &mut Checker<'_>, obj: &ObjectDef) {
    for p in &obj.properties {
        if hbr_attr_keys::const_name(&field_name(&p.wire)) == FILTER_KEYS_CONST {
            c.err(
                p.loc.clone(),
                format!("a filter object cannot have a property `{}`: its const would clash with `FILTER_KEYS`, the facts of the filter's keys", p.wire),
            );
        }
    }
}

/// A filter is built from key, operator and values alone.
pub(super) fn no_other_required(c: &mut Checker<'_>, obj: &ObjectDef, f: &FilterSpec) {
    for p in &obj.properties {
        if p.node.required && ![&f.key.0, &f.operator.0, &f.values.0].contains(&&p.wire) {
            c.err(
                p.loc.clone(),
                format!(
                    "a filter object cannot have other required properties (`{}`)",
                    p.wire
                ),
            );
        }
    }
}

/// A typed key is a value of the key enum.
pub(super) fn key_in_enum(c: &mut Checker<'_>, (wire, _, loc): &Key, keys: Option<&EnumDef>) {
    if let Some(k) = keys {
        if !k.values.iter().any(|v| &v.wire == wire) {
            c.err(
                loc.clone(),
                format!("`{wire}` is not a value of the key enum `{}`", k.name),
            );
        }
    }
}

/// A key's constructor does not take the name of another method of the filter type.
pub(super) fn constructor_free(c: &mut Checker<'_>, obj: &ObjectDef, (wire, _, loc): &Key) {
    let method = field_name(wire);
    if ["builder", "raw"].contains(&method.as_str())
        || obj.properties.iter().any(|p| field_name(&p.wire) == method)
    {
        c.err(loc.clone(), format!("filter key `{wire}` would make a constructor `{method}` that clashes with another method"));
    }
}

/// An enum key names a defined enum.
pub(super) fn key_enum_known(c: &mut Checker<'_>, op: &Operation, (wire, kind, loc): &Key) {
    if let FilterKind::Enum(e) = kind {
        if c.find_enum(op, e).is_none() {
            c.err(
                loc.clone(),
                format!("unknown enum `{e}` for filter key `{wire}`"),
            );
        }
    }
}

/// The operator enum has every operator the key's typed methods send.
pub(super) fn operators_present(
    c: &mut Checker<'_>,
    (wire, kind, loc): &Key,
    ops: Option<&EnumDef>,
) {
    let Some(o) = ops else {
        return;
    };
    for n in kind.operators() {
        if !o.values.iter().any(|v| v.wire == *n) {
            c.err(
                loc.clone(),
                format!(
                    "filter key `{wire}` needs the operator `{n}`, which enum `{}` lacks",
                    o.name
                ),
            );
        }
    }
}
