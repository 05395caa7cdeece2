//! The nested parameters of a request: dotted wire keys (`Filters.1.Values.2`, the
//! `repeatList` and `flat` styles) gathered into a tree, and JSON-encoded values (the `json`
//! style), both turned into the API's JSON shape while each member is checked against the
//! registry entry of its path (`Filters.N.Key`). Members the spec does not list are left out:
//! the service ignores what it does not know (the official SDK's models send some members
//! the metadata lacks).

use std::collections::BTreeMap;

use hbr_client::registry::{OperationInfo, ParamInfo};
use serde_json::{Map, Value};

use super::leaf::{self, Scalar};
use crate::error::ApiError;
use crate::params::parse_index;
use hbr_runtime::de::json_kind;

/// The registry entries of one operation, looked up by path pattern (`Filters.N.Key`).
#[derive(Clone, Copy)]
pub(super) struct Catalog(pub(super) &'static OperationInfo);

impl Catalog {
    /// The entry named `pattern`.
    pub(super) fn get(self, pattern: &str) -> Option<&'static ParamInfo> {
        self.0.parameters.iter().find(|p| p.name == pattern)
    }

    /// The entries of the members of the object at `pattern`.
    fn children<'p>(
        self,
        pattern: &'p str,
    ) -> impl Iterator<Item = (&'static str, &'static ParamInfo)> + 'p {
        let prefix_len = pattern.len() + 1;
        self.0.parameters.iter().filter_map(move |p| {
            let rest = p
                .name
                .strip_prefix(pattern)
                .and_then(|r| r.strip_prefix('.'))?;
            (!rest.contains('.') && p.name.len() > prefix_len).then_some((rest, p))
        })
    }

    fn has_children(self, pattern: &str) -> bool {
        self.children(pattern).next().is_some()
    }

    /// What the value at `pattern` is.
    pub(super) fn shape(self, info: Option<&'static ParamInfo>, pattern: &str) -> Shape {
        match info {
            Some(info) => match (Scalar::of(info.ty), info.ty) {
                (Some(s), _) => Shape::Scalar(info, s),
                (None, "array") => Shape::Array,
                (None, "object") => Shape::Object,
                _ => Shape::Any,
            },
            // Array items have no entry of their own: objects have members listed, anything
            // else is left to the typed request.
            None if self.has_children(pattern) => Shape::Object,
            None => Shape::Any,
        }
    }
}

/// What a value must be.
#[derive(Clone, Copy)]
pub(super) enum Shape {
    Scalar(&'static ParamInfo, Scalar),
    Array,
    Object,
    /// Any JSON (`any` parameters, items the spec does not describe).
    Any,
}

/// The dotted wire keys under one top-level parameter, as a tree.
#[derive(Debug, Default)]
pub(super) enum Node<'a> {
    #[default]
    Empty,
    Leaf {
        key: &'a str,
        value: &'a str,
    },
    Members(BTreeMap<&'a str, Node<'a>>),
    Items(BTreeMap<u32, Node<'a>>),
}

fn malformed(key: &str) -> ApiError {
    ApiError::invalid_parameter(
        key,
        "it is not a well-formed parameter name (list items are numbered from 1: Name.1, Name.2 and so on)",
    )
}

fn conflict(key: &str) -> ApiError {
    ApiError::invalid_parameter(
        key,
        "it conflicts with another parameter that gives the same place another shape",
    )
}

impl<'a> Node<'a> {
    /// Adds the wire parameter `key` = `value`, whose path below this node is `segments`. A
    /// repeated key keeps its last value.
    pub(super) fn insert(
        &mut self,
        segments: &[&'a str],
        key: &'a str,
        value: &'a str,
    ) -> Result<(), ApiError> {
        let Some((first, rest)) = segments.split_first() else {
            return match self {
                Node::Empty | Node::Leaf { .. } => {
                    *self = Node::Leaf { key, value };
                    Ok(())
                }
                _ => Err(conflict(key)),
            };
        };
        if first.is_empty() {
            return Err(malformed(key));
        }
        if first.bytes().all(|b| b.is_ascii_digit()) {
            let index = parse_index(first).ok_or_else(|| malformed(key))?;
            if matches!(self, Node::Empty) {
                *self = Node::Items(BTreeMap::new());
            }
            match self {
                Node::Items(items) => items.entry(index).or_default().insert(rest, key, value),
                _ => Err(conflict(key)),
            }
        } else {
            if matches!(self, Node::Empty) {
                *self = Node::Members(BTreeMap::new());
            }
            match self {
                Node::Members(members) => {
                    members.entry(first).or_default().insert(rest, key, value)
                }
                _ => Err(conflict(key)),
            }
        }
    }
}

/// Where a value sits: its registry pattern (`Filters.N.Key`) and its wire path
/// (`Filters.2.Key`).
#[derive(Clone)]
pub(super) struct At {
    pub(super) pattern: String,
    pub(super) path: String,
}

impl At {
    pub(super) fn top(name: &str) -> Self {
        Self {
            pattern: name.to_owned(),
            path: name.to_owned(),
        }
    }

    fn item(&self, index: usize) -> Self {
        Self {
            pattern: format!("{}.N", self.pattern),
            path: format!("{}.{index}", self.path),
        }
    }

    fn member(&self, name: &str) -> Self {
        Self {
            pattern: format!("{}.{name}", self.pattern),
            path: format!("{}.{name}", self.path),
        }
    }
}

impl Node<'_> {
    /// The first wire key under this node (what an error about its shape names).
    fn first_key(&self) -> Option<&str> {
        match self {
            Node::Empty => None,
            Node::Leaf { key, .. } => Some(key),
            Node::Members(m) => m.values().find_map(Node::first_key),
            Node::Items(items) => items.values().find_map(Node::first_key),
        }
    }
}

/// `InvalidParameter` naming the first wire key under `node` (else `path`), saying `why`.
fn misshapen(node: &Node<'_>, path: &str, why: String) -> ApiError {
    ApiError::invalid_parameter(node.first_key().unwrap_or(path), why)
}

fn not_a_list(node: &Node<'_>, path: &str) -> ApiError {
    misshapen(
        node,
        path,
        format!("{path} is a list: send its items as {path}.1, {path}.2 and so on"),
    )
}

fn not_an_object(node: &Node<'_>, path: &str) -> ApiError {
    misshapen(
        node,
        path,
        format!("{path} is an object: send its members as {path}.Name"),
    )
}

fn single_value(node: &Node<'_>, path: &str) -> ApiError {
    misshapen(
        node,
        path,
        format!("{path} takes a single value, not parameters nested under its name"),
    )
}

/// The members of an object that the spec lists, checked; a required member missing is
/// `MissingParameter` naming its path.
fn object(
    catalog: Catalog,
    at: &At,
    members: impl Iterator<Item = (String, Result<Option<Value>, ApiError>)>,
) -> Result<Value, ApiError> {
    let mut out = Map::new();
    for (name, value) in members {
        if let Some(v) = value? {
            out.insert(name, v);
        }
    }
    for (name, info) in catalog.children(&at.pattern) {
        if info.required && !out.contains_key(name) {
            return Err(ApiError::missing_parameter(&at.member(name).path));
        }
    }
    Ok(Value::Object(out))
}

/// A wire tree as the API's JSON, checked against `shape`; `None` for a member the spec does
/// not list (left out).
pub(super) fn from_wire(
    catalog: Catalog,
    node: &Node<'_>,
    shape: Shape,
    at: &At,
) -> Result<Option<Value>, ApiError> {
    match (shape, node) {
        (_, Node::Empty) => Ok(None),
        (Shape::Scalar(info, scalar), Node::Leaf { key, value }) => {
            leaf::from_wire(info, scalar, key, value).map(Some)
        }
        (Shape::Scalar(..), node) => Err(single_value(node, &at.path)),
        (Shape::Array, Node::Items(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items {
                let item_at = at.item(*index as usize);
                let shape = catalog.shape(None, &item_at.pattern);
                if let Some(v) = from_wire(catalog, item, shape, &item_at)? {
                    out.push(v);
                }
            }
            Ok(Some(Value::Array(out)))
        }
        (Shape::Array, node) => Err(not_a_list(node, &at.path)),
        (Shape::Object, Node::Members(members)) => {
            let members = members.iter().filter_map(|(name, child)| {
                let child_at = at.member(name);
                let info = catalog.get(&child_at.pattern)?;
                let shape = catalog.shape(Some(info), &child_at.pattern);
                Some((
                    (*name).to_owned(),
                    from_wire(catalog, child, shape, &child_at),
                ))
            });
            object(catalog, at, members).map(Some)
        }
        (Shape::Object, node) => Err(not_an_object(node, &at.path)),
        (Shape::Any, node) => Ok(Some(any(node))),
    }
}

/// A wire tree the spec does not describe, as JSON strings, objects and arrays.
fn any(node: &Node<'_>) -> Value {
    match node {
        Node::Empty => Value::Null,
        Node::Leaf { value, .. } => Value::String((*value).to_owned()),
        Node::Members(m) => {
            Value::Object(m.iter().map(|(k, v)| ((*k).to_owned(), any(v))).collect())
        }
        Node::Items(items) => Value::Array(items.values().map(any).collect()),
    }
}

/// A JSON-encoded value (or a member of one) checked against `shape`; `None` for `null`.
pub(super) fn from_json(
    catalog: Catalog,
    value: Value,
    shape: Shape,
    at: &At,
) -> Result<Option<Value>, ApiError> {
    match (shape, value) {
        (_, Value::Null) => Ok(None),
        (Shape::Scalar(info, scalar), v) => leaf::from_json(info, scalar, &at.path, v).map(Some),
        (Shape::Array, Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let item_at = at.item(i + 1);
                let shape = catalog.shape(None, &item_at.pattern);
                if let Some(v) = from_json(catalog, item, shape, &item_at)? {
                    out.push(v);
                }
            }
            Ok(Some(Value::Array(out)))
        }
        (Shape::Object, Value::Object(map)) => {
            let members = map.into_iter().filter_map(|(name, child)| {
                let child_at = at.member(&name);
                let info = catalog.get(&child_at.pattern)?;
                let shape = catalog.shape(Some(info), &child_at.pattern);
                let value = from_json(catalog, child, shape, &child_at);
                Some((name, value))
            });
            object(catalog, at, members).map(Some)
        }
        (Shape::Array | Shape::Object, other) => Err(ApiError::invalid_parameter(
            &at.path,
            format!(
                "expected {}, got {}",
                if matches!(shape, Shape::Array) {
                    "a JSON array"
                } else {
                    "a JSON object"
                },
                json_kind(&other)
            ),
        )),
        (Shape::Any, v) => Ok(Some(v)),
    }
}
