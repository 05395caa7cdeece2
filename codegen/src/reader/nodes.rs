//! Reading what an operation holds: type nodes, properties, rules and filters.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::values::{child, describe, index, Reader};
use crate::error::Location;
use crate::model::*;
use crate::source::{Seg, Source};

const RULE_KEYS: &[&str] = &[
    "when",
    "field",
    "not_one_of",
    "one_of",
    "items",
    "required",
    "only_when",
    "message",
];
/// Every key a type node may have; which apply where is checked by validation.
pub const NODE_KEYS: &[&str] = &[
    "type",
    "doc",
    "enum",
    "default",
    "required",
    "minimum",
    "maximum",
    "min_length",
    "max_length",
    "pattern",
    "min_items",
    "max_items",
    "items",
    "name",
    "properties",
    "rules",
    "in",
    "style",
    "item_name",
    "wrapper",
    "timestamp",
    "unit",
    "json",
    "deprecated",
    "filter",
    "values",
    "pinned",
];
const FILTER_KEYS: &[&str] = &["key", "operator", "values", "keys"];
const FILTER_KINDS: &[&str] = &["string", "time", "enum"];
const TYPES: &[&str] = &[
    "string", "int32", "int64", "boolean", "array", "object", "any",
];

pub(super) fn props(
    rd: &mut Reader,
    src: &Source,
    v: &Value,
    path: &[Seg],
    place: &str,
) -> Vec<Prop> {
    if matches!(v, Value::Null) {
        return Vec::new();
    }
    rd.table(src, v, path, place)
        .into_iter()
        .map(|(wire, val, p)| {
            let loc = src.key_location(&p);
            let node = node(rd, src, val, &p).unwrap_or_else(|| invalid_node(loc.clone()));
            Prop { wire, node, loc }
        })
        .collect()
}

pub(super) fn rules(rd: &mut Reader, src: &Source, v: &Value, path: &[Seg]) -> Vec<Rule> {
    let Value::Sequence(items) = v else {
        rd.err(
            src.value_location(path),
            format!("`rules` must be a list of rules, found {}", describe(v)),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = index(path, i);
        let Some(m) = rd.mapping(src, item, &p, "a rule", RULE_KEYS) else {
            continue;
        };
        let loc = src.value_location(&p);
        let when = match m.get("when") {
            Some(w) => conditions(rd, src, w, &child(&p, "when"), "when"),
            None => Vec::new(),
        };
        let field = rd
            .string(src, m, &p, "field", true, "a rule")
            .map(|f| (f, src.value_location(&child(&p, "field"))));
        let message = rd.string(src, m, &p, "message", true, "a rule");
        let mut checks = Vec::new();
        if let Some(v) = m.get("not_one_of") {
            checks.push(Check::NotOneOf(rd.scalars(
                src,
                v,
                &child(&p, "not_one_of"),
                "a `not_one_of` value",
            )));
        }
        if let Some(v) = m.get("one_of") {
            checks.push(Check::OneOf(rd.scalars(
                src,
                v,
                &child(&p, "one_of"),
                "a `one_of` value",
            )));
        }
        if let Some(n) = rd.count(src, m, &p, "items") {
            checks.push(Check::Items(n));
        }
        if rd.bool(src, m, &p, "required") == Some(true) {
            checks.push(Check::Required);
        }
        if let Some(w) = m.get("only_when") {
            checks.push(Check::OnlyWhen(conditions(
                rd,
                src,
                w,
                &child(&p, "only_when"),
                "only_when",
            )));
        }
        if checks.len() != 1 {
            rd.err(
                loc.clone(),
                format!(
                    "a rule needs exactly one check (not_one_of, one_of, items, required or only_when), found {}",
                    checks.len()
                ),
            );
            continue;
        }
        let (Some(field), Some(message), Some(check)) = (field, message, checks.pop()) else {
            continue;
        };
        out.push(Rule {
            when,
            field,
            check,
            message,
            loc,
        });
    }
    out
}

/// The conditions of `when` or `only_when`: a map field → value or list of values; an
/// `only_when` without any condition is refused (it would refuse the field everywhere).
fn conditions(rd: &mut Reader, src: &Source, v: &Value, path: &[Seg], key: &str) -> Vec<Cond> {
    let place = format!("`{key}`");
    let out: Vec<Cond> = rd
        .table(src, v, path, &place)
        .into_iter()
        .map(|(field, val, fp)| {
            let values = rd.scalars(src, val, &fp, &format!("a `{key}` value"));
            (field, values, src.key_location(&fp))
        })
        .collect();
    if out.is_empty() && key == "only_when" && matches!(v, Value::Mapping(_)) {
        rd.err(
            src.value_location(path),
            "`only_when` needs at least one condition (field: value or [values])".to_owned(),
        );
    }
    out
}

pub(super) fn filter(rd: &mut Reader, src: &Source, v: &Value, path: &[Seg]) -> Option<FilterSpec> {
    let m = rd.mapping(src, v, path, "`filter`", FILTER_KEYS)?;
    let mut field = |k: &str| {
        let s = rd.string(src, m, path, k, true, "`filter`")?;
        Some((s, src.value_location(&child(path, k))))
    };
    let (key, operator, values) = (field("key"), field("operator"), field("values"));
    let mut keys = Vec::new();
    match m.get("keys") {
        None => rd.err(
            src.value_location(path),
            "`filter` needs `keys:` (key: string | time | {enum: Name})",
        ),
        Some(k) => {
            for (name, val, kp) in rd.table(src, k, &child(path, "keys"), "`filter.keys`") {
                let loc = src.key_location(&kp);
                let kind = match val {
                    Value::String(s) if s == "string" => Some(FilterKind::String),
                    Value::String(s) if s == "time" => Some(FilterKind::Time),
                    Value::Mapping(em) => match em.get("enum").and_then(Value::as_str) {
                        Some(e) if em.len() == 1 => Some(FilterKind::Enum(e.to_owned())),
                        _ => None,
                    },
                    _ => None,
                };
                match kind {
                    Some(kind) => keys.push((name, kind, loc)),
                    None => rd.err(
                        src.value_location(&kp),
                        format!(
                            "filter key `{name}` must be one of: {} (as `{{enum: Name}}`)",
                            FILTER_KINDS.join(", ")
                        ),
                    ),
                }
            }
        }
    }
    Some(FilterSpec {
        key: key?,
        operator: operator?,
        values: values?,
        keys,
        loc: src.value_location(path),
    })
}

pub(super) fn node(rd: &mut Reader, src: &Source, v: &Value, path: &[Seg]) -> Option<Node> {
    let m = rd.mapping(src, v, path, "a type", NODE_KEYS)?;
    let loc = src.value_location(path);
    let keys: BTreeMap<String, Location> = m
        .keys()
        .filter_map(|k| k.as_str())
        .map(|k| (k.to_owned(), src.key_location(&child(path, k))))
        .collect();
    let ty = rd.string(src, m, path, "type", true, "a type")?;
    let kind = match ty.as_str() {
        "string" => Kind::String,
        "int32" => Kind::Int32,
        "int64" => Kind::Int64,
        "boolean" => Kind::Boolean,
        "any" => Kind::Any,
        "array" => {
            let items = match m.get("items") {
                Some(i) => node(rd, src, i, &child(path, "items")),
                None => {
                    rd.err(
                        loc.clone(),
                        "an array needs `items:` (the type of its items)",
                    );
                    None
                }
            };
            Kind::Array(Box::new(items?))
        }
        "object" => {
            let name = rd
                .string(src, m, path, "name", false, "an object")
                .map(|n| (n, src.value_location(&child(path, "name"))));
            let properties = match m.get("properties") {
                Some(p) => props(rd, src, p, &child(path, "properties"), "`properties`"),
                None => {
                    rd.err(loc.clone(), "an object needs `properties:`");
                    Vec::new()
                }
            };
            let rules = match m.get("rules") {
                Some(r) => rules(rd, src, r, &child(path, "rules")),
                None => Vec::new(),
            };
            let filter = match m.get("filter") {
                Some(f) => filter(rd, src, f, &child(path, "filter")),
                None => None,
            };
            Kind::Object(Box::new(ObjectDef {
                name,
                properties,
                rules,
                filter,
            }))
        }
        other => {
            let hint = if other == "integer" {
                "; integers name their width: int32 or int64".to_owned()
            } else {
                String::new()
            };
            rd.err(
                src.value_location(&child(path, "type")),
                format!(
                    "unknown type `{other}`; valid types: {}{hint}",
                    TYPES.join(", ")
                ),
            );
            return None;
        }
    };
    let default = m
        .get("default")
        .and_then(|d| rd.scalar(src, d, &child(path, "default"), "`default`"));
    let json = match m.get("json") {
        Some(j) => node(rd, src, j, &child(path, "json")).map(Box::new),
        None => None,
    };
    let values = strings(
        rd,
        src,
        m.get("values"),
        &child(path, "values"),
        "a `values` entry",
    );
    let pinned = strings(
        rd,
        src,
        m.get("pinned"),
        &child(path, "pinned"),
        "a `pinned` entry",
    );
    Some(Node {
        doc: rd.string(src, m, path, "doc", false, "a type"),
        enum_ref: rd.string(src, m, path, "enum", false, "a type"),
        values,
        pinned,
        default,
        required: rd.bool(src, m, path, "required").unwrap_or(false),
        minimum: rd.int(src, m, path, "minimum"),
        maximum: rd.int(src, m, path, "maximum"),
        min_length: rd.count(src, m, path, "min_length"),
        max_length: rd.count(src, m, path, "max_length"),
        min_items: rd.count(src, m, path, "min_items"),
        max_items: rd.count(src, m, path, "max_items"),
        pattern: rd.string(src, m, path, "pattern", false, "a type"),
        location_in: rd.string(src, m, path, "in", false, "a type"),
        style: rd.string(src, m, path, "style", false, "a type"),
        item_name: rd.string(src, m, path, "item_name", false, "a type"),
        wrapper: rd.string(src, m, path, "wrapper", false, "a type"),
        timestamp: rd.string(src, m, path, "timestamp", false, "a type"),
        unit: rd.string(src, m, path, "unit", false, "a type"),
        deprecated: rd.bool(src, m, path, "deprecated").unwrap_or(false),
        invalid: false,
        json,
        kind,
        loc,
        keys,
    })
}

/// A list of strings (`values:`, `pinned:`), each with where it is written.
fn strings(
    rd: &mut Reader,
    src: &Source,
    v: Option<&Value>,
    path: &[Seg],
    what: &str,
) -> Vec<(String, Location)> {
    let Some(v) = v else {
        return Vec::new();
    };
    let Value::Sequence(items) = v else {
        rd.err(
            src.value_location(path),
            format!("expected a list of strings, found {}", describe(v)),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = index(path, i);
        match item {
            Value::String(s) => out.push((s.clone(), src.value_location(&p))),
            other => rd.err(
                src.value_location(&p),
                format!("{what} must be a string, found {}", describe(other)),
            ),
        }
    }
    out
}

/// A stand-in for a node that could not be read.
fn invalid_node(loc: Location) -> Node {
    Node {
        kind: Kind::Any,
        doc: Some(String::new()),
        enum_ref: None,
        values: Vec::new(),
        pinned: Vec::new(),
        default: None,
        required: false,
        minimum: None,
        maximum: None,
        min_length: None,
        max_length: None,
        min_items: None,
        max_items: None,
        pattern: None,
        location_in: None,
        style: None,
        item_name: None,
        wrapper: None,
        timestamp: None,
        unit: None,
        json: None,
        deprecated: false,
        invalid: true,
        loc,
        keys: BTreeMap::new(),
    }
}
