//! Rules on cross-field rules (`rules:`): the fields they name and the values they compare.

use super::{enum_values, names, Checker};
use crate::error::Location;
use crate::model::{Cond, Kind, Operation, Prop, Scalar};

/// The conditions of `when` or `only_when` (`key`): each names a field that can be named,
/// with at least one value, every value fitting the field.
pub(super) fn conditions(
    c: &mut Checker<'_>,
    op: &Operation,
    fields: &[Prop],
    conds: &[Cond],
    key: &str,
) {
    for (field, values, loc) in conds {
        if values.is_empty() {
            c.err(
                loc.clone(),
                format!("the `{key}` condition on `{field}` lists no value, so it never holds; give a value or a list of values"),
            );
        }
        if when_field_is_an_identifier(c, key, field, loc) {
            values_fit(c, op, fields, field, loc, values);
        }
    }
}

/// `only_when` checks a field that is optional and that its own conditions do not name.
pub(super) fn only_when_fits(
    c: &mut Checker<'_>,
    fields: &[Prop],
    field: &str,
    loc: &Location,
    conds: &[Cond],
) {
    for (cond, _, at) in conds {
        let Some(p) = fields.iter().find(|p| &p.wire == cond) else {
            continue;
        };
        let documented = p.node.enum_ref.is_some() || matches!(p.node.kind, Kind::Boolean);
        if !documented && !p.node.invalid {
            c.err(
                at.clone(),
                format!("an `only_when` condition compares an enum or boolean field, whose documented values say when the field applies; `{cond}` is {} without an enum", p.node.kind.name()),
            );
        }
    }
    if let Some((_, _, at)) = conds.iter().find(|(f, ..)| f == field) {
        c.err(
            at.clone(),
            format!(
                "`only_when` cannot make `{field}` depend on itself; name the fields it depends on"
            ),
        );
    }
    match fields.iter().find(|p| p.wire == field) {
        None => not_a_field(c, fields, field, loc),
        Some(p) if p.node.required => c.err(
            loc.clone(),
            format!("`{field}` is required, so `only_when` would refuse every request where its conditions do not hold; make the field optional or the rule `when` + `required`"),
        ),
        _ => {}
    }
}

/// A condition's field is named as a Rust identifier by the derive, so it cannot contain `-`.
/// Returns whether the field can be checked further.
fn when_field_is_an_identifier(
    c: &mut Checker<'_>,
    key: &str,
    field: &str,
    loc: &Location,
) -> bool {
    if field.contains('-') {
        c.err(
            loc.clone(),
            format!("a rule's `{key}` cannot name `{field}`: a condition field's wire name must not contain `-`"),
        );
        return false;
    }
    true
}

/// The field exists here, is a scalar when values are compared, and the values are values
/// of its enum.
pub(super) fn values_fit(
    c: &mut Checker<'_>,
    op: &Operation,
    fields: &[Prop],
    field: &str,
    loc: &Location,
    values: &[Scalar],
) {
    let p = match fields.iter().find(|p| p.wire == field) {
        Some(p) if p.node.invalid => return,
        Some(p) => p,
        None => return not_a_field(c, fields, field, loc),
    };
    if let Some(e) = p.node.enum_ref.as_ref().and_then(|e| c.find_enum(op, e)) {
        for v in values {
            if !e.values.iter().any(|ev| ev.wire == v.wire()) {
                c.err(
                    loc.clone(),
                    format!(
                        "`{}` is not a value of enum `{}` (field `{field}`); valid: {}",
                        v.wire(),
                        e.name,
                        enum_values(e)
                    ),
                );
            }
        }
    }
    if matches!(p.node.kind, Kind::Array(_) | Kind::Object(_) | Kind::Any) && !values.is_empty() {
        c.err(
            loc.clone(),
            format!(
                "a rule can compare only scalar fields; `{field}` is {}",
                p.node.kind.name()
            ),
        );
    }
}

/// `one_of` lists documented values: it refuses only a documented value outside its list (a
/// value the spec does not know is the service's to judge), so it checks an enum or boolean
/// field; on a free-form field it would refuse nothing.
pub(super) fn one_of_on_documented_values(
    c: &mut Checker<'_>,
    fields: &[Prop],
    field: &str,
    loc: &Location,
) {
    let Some(p) = fields.iter().find(|p| p.wire == field) else {
        return;
    };
    let documented = p.node.enum_ref.is_some() || matches!(p.node.kind, Kind::Boolean);
    if !documented
        && !p.node.invalid
        && matches!(p.node.kind, Kind::String | Kind::Int32 | Kind::Int64)
    {
        c.err(
            loc.clone(),
            format!("`one_of` refuses only documented values outside its list, so it checks an enum or boolean field; `{field}` is {} without an enum, whose values the service judges (state `pattern`, lengths or bounds instead, or give it an enum)", p.node.kind.name()),
        );
    }
}

/// `items` counts the items of an array field.
pub(super) fn items_on_an_array(c: &mut Checker<'_>, fields: &[Prop], field: &str, loc: &Location) {
    match fields.iter().find(|p| p.wire == field) {
        None => not_a_field(c, fields, field, loc),
        Some(p) if !matches!(p.node.kind, Kind::Array(_)) => c.err(
            loc.clone(),
            format!("`items` checks arrays; `{field}` is {}", p.node.kind.name()),
        ),
        _ => {}
    }
}

fn not_a_field(c: &mut Checker<'_>, fields: &[Prop], field: &str, loc: &Location) {
    c.err(
        loc.clone(),
        format!(
            "the rule names `{field}`, which is not a field here; fields: {}",
            names(fields)
        ),
    );
}
