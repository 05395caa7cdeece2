//! Every request checked against its operation's spec, through what the generated client
//! knows of it, before any handler sees it.
//!
//! 1. The wire parameters are grouped by top-level name and checked against the registry
//!    entries ([`hbr_client::registry::ParamInfo`]) of the operation, in the spec's order:
//!    a required parameter missing (or empty) is `MissingParameter`; a value of the wrong type
//!    (integers of their width, booleans), outside its enum (any value of the enum is taken,
//!    also one outside the values documented for the operation), or of the wrong shape is
//!    `InvalidParameter`, each naming the parameter's wire path (`Filters.2.Key`). Nested
//!    values come from dotted keys (`repeatList`, `flat`) or from one JSON text (`json`).
//!    Parameters and members the spec does not list are ignored, as the service does.
//! 2. The API-shaped JSON built from them is decoded into the operation's typed request,
//!    which checks the rest of the spec (ranges, lengths, patterns, item counts, cross-field
//!    rules): a violation is `InvalidParameter` naming its parameter.
//! 3. The typed request is encoded again by the generated code: that says where each
//!    parameter travels (URL query or form body) and in which style (one value or numbered
//!    items). A parameter sent in the other style is `InvalidParameter`; so is one sent
//!    elsewhere, under the ACS3 signatures ([`Wire::check_places`]). Under v1 the query and
//!    the form body are one signed set, and clients put parameters in either (the legacy
//!    SDKs' GET: all in the query; the Node.js RPC client's POST: all in the body).
//!
//! The checked JSON is what handlers read (decoded again into the typed request where they
//! want it).

mod leaf;
mod tree;

use std::collections::BTreeMap;

use hbr_client::registry::{CallError, OperationInfo};
use hbr_client::transport::{Location, Params as WireParams};
use serde_json::{Map, Value};

use crate::error::ApiError;
use tree::{At, Catalog, Node, Shape};

/// The parameters of one request as they arrived.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Wire<'a> {
    /// Every business parameter, URL query first, then the form body.
    pub(crate) params: &'a [(String, String)],
    /// How many of `params` came from the URL query.
    pub(crate) query_count: usize,
    /// Whether each parameter must travel where the spec puts it (query or form body).
    pub(crate) check_places: bool,
}

impl<'a> Wire<'a> {
    fn iter(self) -> impl Iterator<Item = (Location, &'a str, &'a str)> {
        self.params.iter().enumerate().map(move |(i, (k, v))| {
            let location = if i < self.query_count {
                Location::Query
            } else {
                Location::Body
            };
            (location, k.as_str(), v.as_str())
        })
    }
}

/// The wire parameters under one top-level name.
#[derive(Default)]
struct Group<'a> {
    /// `Name=value` itself (the last one when repeated).
    whole: Option<(Location, &'a str)>,
    /// `Name.…` keys: location, key, path below the name, value.
    nested: Vec<(Location, &'a str, Vec<&'a str>, &'a str)>,
}

impl Group<'_> {
    fn locations(&self) -> Vec<Location> {
        let mut out: Vec<Location> = self
            .whole
            .iter()
            .map(|(l, _)| *l)
            .chain(self.nested.iter().map(|(l, ..)| *l))
            .collect();
        out.sort_by_key(|l| *l == Location::Body);
        out.dedup();
        out
    }
}

fn group(wire: Wire<'_>) -> BTreeMap<&str, Group<'_>> {
    let mut groups: BTreeMap<&str, Group<'_>> = BTreeMap::new();
    for (location, key, value) in wire.iter() {
        let mut segments = key.split('.');
        let top = segments.next().unwrap_or_default();
        let rest: Vec<&str> = segments.collect();
        let g = groups.entry(top).or_default();
        if rest.is_empty() {
            g.whole = Some((location, value));
        } else {
            g.nested.push((location, key, rest, value));
        }
    }
    groups
}

/// Checks one request of `op`; returns its parameters in the API's JSON shape (only those
/// the spec lists).
pub(crate) fn check(op: &'static OperationInfo, wire: Wire<'_>) -> Result<Value, ApiError> {
    let catalog = Catalog(op);
    let groups = group(wire);
    let mut input = Map::new();
    for info in op.parameters.iter().filter(|p| !p.name.contains('.')) {
        let absent = match groups.get(info.name) {
            None => true,
            Some(g) => {
                let value = top_value(catalog, info.name, g)?;
                let empty = value.as_ref().is_none_or(|v| v.as_str() == Some(""));
                if let Some(v) = value {
                    input.insert(info.name.to_owned(), v);
                }
                empty
            }
        };
        if absent && info.required {
            return Err(ApiError::missing_parameter(info.name));
        }
    }
    for name in groups.keys().filter(|n| catalog.get(n).is_none()) {
        tracing::debug!(
            operation = op.name,
            parameter = name,
            "parameter ignored: not in the spec"
        );
    }
    let input = Value::Object(input);
    let encoded = (op.encode)(input.clone()).map_err(decode_error)?;
    check_places(catalog, &groups, &encoded, wire.check_places)?;
    Ok(input)
}

/// The value of the top-level parameter `name`, from its wire parameters.
fn top_value(catalog: Catalog, name: &str, g: &Group<'_>) -> Result<Option<Value>, ApiError> {
    let at = At::top(name);
    let shape = catalog.shape(catalog.get(name), name);
    match (g.whole, g.nested.is_empty()) {
        (Some(_), false) => Err(ApiError::invalid_parameter(
            name,
            format!("it is sent both as one value and as {name}.N parameters"),
        )),
        (Some((_, raw)), true) => match shape {
            Shape::Scalar(info, scalar) => leaf::from_wire(info, scalar, name, raw).map(Some),
            Shape::Array | Shape::Object | Shape::Any => {
                let parsed: Value = serde_json::from_str(raw).map_err(|e| {
                    ApiError::invalid_parameter(
                        name,
                        format!("it is not valid JSON ({e}); send it as one JSON text or as {name}.1, {name}.2 and so on, as the spec says"),
                    )
                })?;
                tree::from_json(catalog, parsed, shape, &at)
            }
        },
        (None, _) => {
            let mut root = Node::default();
            for (_, key, rest, value) in &g.nested {
                root.insert(rest, key, value)?;
            }
            tree::from_wire(catalog, &root, shape, &at)
        }
    }
}

/// The service's error for a request the typed request refuses.
fn decode_error(e: CallError) -> ApiError {
    match e {
        CallError::Validation(v) => {
            let first = v.violations().first();
            ApiError::invalid_parameter(
                first.map_or("", |f| f.parameter.as_str()),
                first.map_or_else(|| v.to_string(), |f| f.message.clone()),
            )
        }
        other => ApiError::new(
            400,
            "InvalidParameter",
            format!("The request is not valid: {other}."),
        ),
    }
}

fn place(l: Location) -> &'static str {
    match l {
        Location::Query => "the URL query",
        Location::Body => "the form body",
    }
}

/// Each parameter sent how the generated encoder sends it and, when `places`, where.
fn check_places(
    catalog: Catalog,
    groups: &BTreeMap<&str, Group<'_>>,
    encoded: &WireParams,
    places: bool,
) -> Result<(), ApiError> {
    for (name, g) in groups.iter().filter(|(n, _)| catalog.get(n).is_some()) {
        let mut expected = Group::default();
        for (location, key, _) in encoded.iter() {
            match key.split_once('.') {
                None if key == *name => expected.whole = Some((location, "")),
                Some((top, _)) if top == *name => {
                    expected.nested.push((location, key, Vec::new(), ""))
                }
                _ => {}
            }
        }
        let sent = g.locations();
        let wanted = expected.locations();
        if wanted.is_empty() {
            // Nothing to send (an empty list, members the spec does not list).
            continue;
        }
        if places && sent != wanted {
            let sent_in = sent
                .iter()
                .map(|l| place(*l))
                .collect::<Vec<_>>()
                .join(" and ");
            return Err(ApiError::invalid_parameter(
                name,
                format!(
                    "it is sent in {sent_in}; the spec puts it in {}",
                    place(wanted[0])
                ),
            ));
        }
        if g.whole.is_some() != expected.whole.is_some() {
            let how = if expected.whole.is_some() {
                format!("as one JSON text ({name}=...)")
            } else {
                format!("as numbered parameters ({name}.1, {name}.2 and so on)")
            };
            return Err(ApiError::invalid_parameter(
                name,
                format!("it is sent in the wrong style; the spec sends it {how}"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
