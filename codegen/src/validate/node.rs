//! Rules on one type node: which keys apply where, the values of its keys, its bounds, its
//! default, its enum, and an object's name and doc.

use super::{enum_values, Checker, Ctx, Types};
use crate::model::{EnumDef, Kind, Node, ObjectDef, Operation, Scalar, Unit};
use crate::naming::{is_method_name, is_upper_camel, snake, upper_camel};

/// Where a key of a type node applies.
struct Placement {
    /// The key.
    key: &'static str,
    /// Whether it applies to a node of this kind in this place.
    applies: fn(&Kind, Ctx) -> bool,
    /// Where it applies, in words.
    what: &'static str,
}

const TOP: &str = "top-level request parameters";

/// Every key that applies only in some places, in the order they are reported.
const PLACEMENTS: &[Placement] = &[
    Placement {
        key: "in",
        applies: |_, ctx| ctx == Ctx::Param,
        what: TOP,
    },
    Placement {
        key: "style",
        applies: |_, ctx| ctx == Ctx::Param,
        what: TOP,
    },
    Placement {
        key: "required",
        applies: |_, ctx| ctx.request(),
        what: "request parameters and their properties",
    },
    Placement {
        key: "default",
        applies: |k, ctx| ctx.request() && !matches!(k, Kind::Array(_) | Kind::Object(_)),
        what: "request parameters that are strings, integers or booleans",
    },
    Placement {
        key: "minimum",
        applies: int_request,
        what: "integer request parameters",
    },
    Placement {
        key: "maximum",
        applies: int_request,
        what: "integer request parameters",
    },
    Placement {
        key: "min_length",
        applies: string_request,
        what: "string request parameters",
    },
    Placement {
        key: "max_length",
        applies: string_request,
        what: "string request parameters",
    },
    Placement {
        key: "pattern",
        applies: string_request,
        what: "string request parameters",
    },
    Placement {
        key: "min_items",
        applies: array_request,
        what: "array request parameters",
    },
    Placement {
        key: "max_items",
        applies: array_request,
        what: "array request parameters",
    },
    Placement {
        key: "item_name",
        applies: array_request,
        what: "array request parameters",
    },
    Placement {
        key: "wrapper",
        applies: |k, ctx| matches!(k, Kind::Array(_)) && ctx == Ctx::Response,
        what: "response arrays",
    },
    Placement {
        key: "timestamp",
        applies: |k, _| k.is_int(),
        what: "integers",
    },
    Placement {
        key: "unit",
        applies: int_response,
        what: "response integers",
    },
    Placement {
        key: "json",
        applies: |k, _| matches!(k, Kind::String),
        what: "strings",
    },
    Placement {
        key: "enum",
        applies: |k, _| matches!(k, Kind::String),
        what: "strings",
    },
    Placement {
        key: "values",
        applies: |k, _| matches!(k, Kind::String),
        what: "strings",
    },
    Placement {
        key: "name",
        applies: |k, _| matches!(k, Kind::Object(_)),
        what: "objects",
    },
    Placement {
        key: "rules",
        applies: object_request,
        what: "request objects",
    },
    Placement {
        key: "filter",
        applies: object_request,
        what: "request objects",
    },
];

fn int_request(k: &Kind, ctx: Ctx) -> bool {
    k.is_int() && ctx.request()
}

fn string_request(k: &Kind, ctx: Ctx) -> bool {
    matches!(k, Kind::String) && ctx.request()
}

fn array_request(k: &Kind, ctx: Ctx) -> bool {
    matches!(k, Kind::Array(_)) && ctx.request()
}

fn object_request(k: &Kind, ctx: Ctx) -> bool {
    matches!(k, Kind::Object(_)) && ctx.request()
}

fn int_response(k: &Kind, ctx: Ctx) -> bool {
    k.is_int() && ctx.response()
}

/// Every key the node has applies to its kind in its place.
pub(super) fn keys_apply(c: &mut Checker<'_>, wire: &str, n: &Node, ctx: Ctx) {
    let kind = n.kind.name();
    for p in PLACEMENTS {
        if !(p.applies)(&n.kind, ctx) && n.keys.contains_key(p.key) {
            c.err(
                n.at(p.key),
                format!(
                    "`{}` applies to {}; `{wire}` is {kind}{}",
                    p.key,
                    p.what,
                    ctx.describe()
                ),
            );
        }
    }
}

/// `in` is query or body.
pub(super) fn location_known(c: &mut Checker<'_>, n: &Node) {
    if let (Some(loc), Some(v)) = (n.keys.get("in"), &n.location_in) {
        let what = format!("`in: {v}`");
        c.one_of(loc, &what, v, hbr_attr_keys::LOCATIONS);
    }
}

/// A top-level array or object says how it travels; a style is known and fits the kind.
pub(super) fn style_fits(c: &mut Checker<'_>, wire: &str, n: &Node, ctx: Ctx) {
    if ctx != Ctx::Param {
        return;
    }
    let kind = n.kind.name();
    let styles = hbr_attr_keys::STYLES.join(", ");
    match (&n.kind, &n.style) {
        (Kind::Array(_) | Kind::Object(_), None) => c.err(
            n.loc.clone(),
            format!(
                "`{wire}` is {kind}: say how it travels with `style: repeatList`, `flat` or `json`"
            ),
        ),
        (_, Some(s)) if !hbr_attr_keys::STYLES.contains(&s.as_str()) => {
            c.err(
                n.at("style"),
                format!("unknown style `{s}`; valid: {styles}"),
            );
        }
        (Kind::String | Kind::Int32 | Kind::Int64 | Kind::Boolean, Some(s))
            if s != hbr_attr_keys::JSON =>
        {
            c.err(
                n.at("style"),
                format!("style `{s}` applies to arrays and objects; `{wire}` is {kind}"),
            );
        }
        _ => {}
    }
}

/// A timestamp is in seconds or milliseconds; on a request it is an `int64` (its setter takes
/// a point in time as an `i64`).
pub(super) fn timestamp_known(c: &mut Checker<'_>, wire: &str, n: &Node, ctx: Ctx) {
    if let Some(t) = &n.timestamp {
        let what = format!("timestamp `{t}`");
        c.one_of(&n.at("timestamp"), &what, t, hbr_attr_keys::TIMESTAMPS);
        if ctx.request() && matches!(n.kind, Kind::Int32) {
            c.err(
                n.at("timestamp"),
                format!("a request timestamp is an int64 (a point in time in unix seconds or milliseconds does not fit 32 bits); `{wire}` is int32"),
            );
        }
    }
}

/// A unit is one the docs can word.
pub(super) fn unit_known(c: &mut Checker<'_>, n: &Node) {
    if let Some(u) = &n.unit {
        if Unit::from_name(u).is_none() {
            let valid: Vec<&str> = Unit::ALL.iter().map(|u| u.name()).collect();
            c.err(
                n.at("unit"),
                format!("unknown unit `{u}`; valid: {}", valid.join(", ")),
            );
        }
    }
}

/// An `item_name` is a method name.
pub(super) fn item_name_is_a_method(c: &mut Checker<'_>, n: &Node) {
    if let Some(i) = &n.item_name {
        if !is_method_name(i) {
            c.err(
                n.at("item_name"),
                format!(
                    "`item_name` must be a snake_case method name that starts with a letter and is not a Rust keyword, e.g. `{}`",
                    snake(i)
                ),
            );
        }
    }
}

/// A required parameter has no default.
pub(super) fn required_without_default(c: &mut Checker<'_>, wire: &str, n: &Node) {
    if n.required && n.default.is_some() {
        c.err(
            n.at("default"),
            format!("`{wire}` is required, so it cannot have a `default`; remove one of them"),
        );
    }
}

/// `minimum` and `maximum` fit the integer's width.
pub(super) fn bounds_fit_the_width(c: &mut Checker<'_>, wire: &str, n: &Node) {
    let (lo, hi) = match n.kind {
        Kind::Int32 => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    for (key, v) in [("minimum", n.minimum), ("maximum", n.maximum)] {
        if let Some(v) = v {
            if v < lo || v > hi {
                c.err(
                    n.at(key),
                    format!(
                        "`{key}: {v}` does not fit `{wire}`, which is {}",
                        n.kind.name()
                    ),
                );
            }
        }
    }
}

/// Each lower bound is at most its upper bound.
pub(super) fn bounds_ordered(c: &mut Checker<'_>, n: &Node) {
    let pairs = [
        (
            "minimum",
            "maximum",
            n.minimum
                .zip(n.maximum)
                .map(|(a, b)| (a > b, a.to_string(), b.to_string())),
        ),
        (
            "min_length",
            "max_length",
            n.min_length
                .zip(n.max_length)
                .map(|(a, b)| (a > b, a.to_string(), b.to_string())),
        ),
        (
            "min_items",
            "max_items",
            n.min_items
                .zip(n.max_items)
                .map(|(a, b)| (a > b, a.to_string(), b.to_string())),
        ),
    ];
    for (lo_key, hi_key, pair) in pairs {
        if let Some((true, a, b)) = pair {
            c.err(
                n.at(hi_key),
                format!("`{hi_key}` ({b}) is smaller than `{lo_key}` ({a})"),
            );
        }
    }
}

/// The enum a string names is defined; returns it.
pub(super) fn enum_known<'a>(
    c: &mut Checker<'a>,
    op: &'a Operation,
    n: &Node,
) -> Option<&'a EnumDef> {
    let name = n.enum_ref.as_ref()?;
    let found = c.find_enum(op, name);
    if found.is_none() {
        let known: Vec<&str> = op
            .enums
            .iter()
            .chain(&c.spec.enums)
            .map(|e| e.name.as_str())
            .collect();
        c.err(
            n.at("enum"),
            format!(
                "unknown enum `{name}`; defined enums: {}",
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ),
        );
    }
    found
}

/// `values:` names values of the node's enum, each once, in a node that has one; `pinned:`
/// names facts an import would update.
pub(super) fn values_fit(c: &mut Checker<'_>, wire: &str, n: &Node, e: Option<&EnumDef>) {
    for (key, at) in &n.pinned {
        if !crate::import::PINNABLE.contains(&key.as_str()) {
            c.err(
                at.clone(),
                format!(
                    "`{key}` is not a fact imports update; `pinned` takes: {}",
                    crate::import::PINNABLE.join(", ")
                ),
            );
        }
    }
    if n.values.is_empty() {
        return;
    }
    if n.enum_ref.is_none() {
        c.err(
            n.at("values"),
            format!(
                "`values` of `{wire}` lists the values of its enum that it takes; it needs `enum:`"
            ),
        );
        return;
    }
    let Some(e) = e else {
        return;
    };
    let mut seen = std::collections::BTreeSet::new();
    for (v, at) in &n.values {
        if !e.values.iter().any(|ev| ev.wire == *v) {
            c.err(
                at.clone(),
                format!(
                    "`{v}` is not a value of enum `{}`; its values: {}",
                    e.name,
                    enum_values(e)
                ),
            );
        } else if !seen.insert(v.as_str()) {
            c.err(at.clone(), format!("`{v}` is listed twice in `values`"));
        }
    }
    if let Some(Scalar::Str(d)) = &n.default {
        if !n.values.iter().any(|(v, _)| v == d) {
            c.err(
                n.at("default"),
                format!("default `{d}` is not one of the `values` `{wire}` takes"),
            );
        }
    }
}

/// A default has the node's type, is a value of its enum, and lies within its bounds.
pub(super) fn default_fits(c: &mut Checker<'_>, wire: &str, n: &Node, e: Option<&EnumDef>) {
    let Some(d) = &n.default else {
        return;
    };
    let fits = matches!(
        (&n.kind, d),
        (Kind::String, Scalar::Str(_))
            | (Kind::Boolean, Scalar::Bool(_))
            | (Kind::Int32 | Kind::Int64, Scalar::Int(_))
    );
    if !fits {
        c.err(
            n.at("default"),
            format!(
                "default `{}` does not fit `{wire}`, which is {}",
                d.wire(),
                n.kind.name()
            ),
        );
    } else if let (Some(e), Scalar::Str(s)) = (e, d) {
        if !e.values.iter().any(|v| &v.wire == s) {
            c.err(
                n.at("default"),
                format!(
                    "default `{s}` is not a value of enum `{}`; valid: {}",
                    e.name,
                    enum_values(e)
                ),
            );
        }
    } else if let Scalar::Int(i) = d {
        let below = n.minimum.is_some_and(|m| *i < m);
        let above = n.maximum.is_some_and(|m| *i > m);
        if below || above {
            c.err(
                n.at("default"),
                format!("default {i} is outside the bounds of `{wire}`"),
            );
        }
    }
}

/// An object has a Rust type name, UpperCamelCase and not taken in its operation.
pub(super) fn object_named(
    c: &mut Checker<'_>,
    wire: &str,
    n: &Node,
    obj: &ObjectDef,
    types: &mut Types,
) {
    let Some((name, loc)) = &obj.name else {
        return c.err(
            n.loc.clone(),
            format!("object `{wire}` needs `name:` (its Rust type name, UpperCamelCase)"),
        );
    };
    if !is_upper_camel(name) {
        c.err(
            loc.clone(),
            format!(
                "type name `{name}` must be UpperCamelCase, e.g. `{}`",
                upper_camel(name)
            ),
        );
    }
    if let Some(first) = types.get(name) {
        c.err(
            loc.clone(),
            format!("type name `{name}` is already used in this operation (at {first})"),
        );
    } else if c.spec.enums.iter().any(|e| &e.name == name) {
        c.err(
            loc.clone(),
            format!("type name `{name}` is already used by a shared enum in service.yaml"),
        );
    } else {
        types.insert(name.clone(), loc.clone());
    }
}

/// An object outside JSON shapes is documented.
pub(super) fn object_has_doc(c: &mut Checker<'_>, wire: &str, n: &Node, ctx: Ctx) {
    if n.doc.is_none() && ctx != Ctx::Json {
        c.err(n.loc.clone(), format!("object `{wire}` needs `doc:`"));
    }
    if ctx != Ctx::Json {
        let what = format!("object `{wire}`");
        super::docs::not_placeholder(c, &n.loc, &what, n.doc.as_deref());
    }
}

/// The JSON a request string carries is described by an object, whose type converts into
/// the string (`From<Shape> for String`); other shapes have no such conversion.
pub(super) fn request_json_is_an_object(c: &mut Checker<'_>, wire: &str, shape: &Node) {
    if !matches!(shape.kind, Kind::Object(_)) {
        c.err(
            shape.at("type"),
            format!("the JSON of request string `{wire}` must be described by an `object` (its type converts into the string); describe the object, or drop `json`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::PLACEMENTS;
    use crate::reader::NODE_KEYS;

    #[test]
    fn every_placed_key_is_a_key_the_reader_accepts() {
        for p in PLACEMENTS {
            assert!(NODE_KEYS.contains(&p.key), "`{}` is not a node key", p.key);
        }
    }
}
