//! Rules on enum definitions.

use std::collections::BTreeMap;

use super::Checker;
use crate::model::{EnumDef, EnumValue};
use crate::naming::{is_upper_camel, upper_camel, variant_name};

/// An enum's name is a Rust type name.
pub(super) fn name_is_upper_camel(c: &mut Checker<'_>, e: &EnumDef) {
    if !is_upper_camel(&e.name) {
        c.err(
            e.loc.clone(),
            format!(
                "enum name `{}` must be UpperCamelCase, e.g. `{}`",
                e.name,
                upper_camel(&e.name)
            ),
        );
    }
}

/// An enum is documented.
pub(super) fn has_doc(c: &mut Checker<'_>, e: &EnumDef) {
    if e.doc.is_none() {
        c.err(e.loc.clone(), format!("enum `{}` needs `doc:`", e.name));
    }
    let what = format!("enum `{}`", e.name);
    super::docs::not_placeholder(c, &e.loc, &what, e.doc.as_deref());
}

/// An enum has values.
pub(super) fn has_values(c: &mut Checker<'_>, e: &EnumDef) {
    if e.values.is_empty() {
        c.err(e.loc.clone(), format!("enum `{}` has no values", e.name));
    }
}

/// Each value: not empty, documented, its variant distinct.
pub(super) fn values(c: &mut Checker<'_>, e: &EnumDef) {
    let mut variants: BTreeMap<String, &EnumValue> = BTreeMap::new();
    for v in &e.values {
        if v.wire.is_empty() {
            c.err(v.loc.clone(), "an enum value cannot be empty");
            continue;
        }
        value_has_doc(c, v);
        let name = variant_name(&v.wire);
        variant_distinct(c, v, name, &mut variants);
    }
}

fn value_has_doc(c: &mut Checker<'_>, v: &EnumValue) {
    if v.doc.is_none() {
        c.err(
            v.loc.clone(),
            format!(
                "enum value `{}` needs its meaning: `{}: <one line>`",
                v.wire, v.wire
            ),
        );
    }
    let what = format!("enum value `{}`", v.wire);
    super::docs::not_placeholder(c, &v.loc, &what, v.doc.as_deref());
}

fn variant_distinct<'e>(
    c: &mut Checker<'_>,
    v: &'e EnumValue,
    name: String,
    variants: &mut BTreeMap<String, &'e EnumValue>,
) {
    if let Some(first) = variants.get(&name) {
        let message = if first.wire == v.wire {
            format!("duplicate enum value `{}`", v.wire)
        } else {
            format!(
                "enum values `{}` and `{}` both become the variant `{name}`",
                first.wire, v.wire
            )
        };
        c.err(v.loc.clone(), message);
    } else {
        variants.insert(name, v);
    }
}
