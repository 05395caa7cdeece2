//! Rules on the properties of one level (request parameters, response fields, object
//! properties), each against its siblings.

use std::collections::BTreeMap;

use super::{Checker, Ctx};
use crate::model::Prop;
use crate::naming::field_name;

/// A wire name the generated code can name: a letter first, then letters, digits, `_`, `-`.
pub(super) fn wire_name_usable(c: &mut Checker<'_>, p: &Prop) {
    let usable = p.wire.starts_with(|ch: char| ch.is_ascii_alphabetic())
        && p.wire
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-');
    if !usable {
        c.err(
            p.loc.clone(),
            format!(
                "`{}` is not a usable wire name: a letter first, then letters, digits, `_` and `-` only",
                p.wire
            ),
        );
    }
}

/// No two properties of a level become the same Rust name.
pub(super) fn rust_name_distinct<'p>(
    c: &mut Checker<'_>,
    p: &'p Prop,
    fields: &mut BTreeMap<String, &'p Prop>,
    place: &str,
) {
    let rust = field_name(&p.wire);
    if let Some(first) = fields.get(&rust) {
        let message = if first.wire == p.wire {
            format!("duplicate name `{}` in {place}", p.wire)
        } else {
            format!(
                "`{}` and `{}` in {place} both become the Rust name `{rust}`",
                first.wire, p.wire
            )
        };
        c.err(p.loc.clone(), message);
    } else {
        fields.insert(rust, p);
    }
}

/// An `item_name` does not take the name of another builder method.
pub(super) fn item_name_free(c: &mut Checker<'_>, p: &Prop, siblings: &[Prop]) {
    let Some(item) = &p.node.item_name else {
        return;
    };
    let clash = siblings.iter().any(|q| {
        let field = field_name(&q.wire);
        *item == field || *item == hbr_attr_keys::setter_name(&field)
    }) || hbr_attr_keys::BUILDER_METHODS.contains(&item.as_str());
    if clash {
        c.err(
            p.node.at("item_name"),
            format!("`item_name: {item}` clashes with another builder method; pick another name"),
        );
    }
}

/// Every property outside JSON shapes is documented.
pub(super) fn has_doc(c: &mut Checker<'_>, p: &Prop, ctx: Ctx) {
    if p.node.doc.is_none() && ctx != Ctx::Json {
        c.err(p.loc.clone(), format!("`{}` needs `doc:`", p.wire));
    }
    if ctx != Ctx::Json {
        let what = format!("`{}`", p.wire);
        super::docs::not_placeholder(c, &p.loc, &what, p.node.doc.as_deref());
    }
}
