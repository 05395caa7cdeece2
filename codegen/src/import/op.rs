//! One operation of the metadata → its spec YAML: parameters, response tree, pagination,
//! enums, each with the facts the metadata states.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value as Json;
use serde_yaml::{Mapping, Value as Yaml};

fn y(s: &str) -> Yaml {
    Yaml::String(s.to_owned())
}

fn map(entries: Vec<(&str, Yaml)>) -> Yaml {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.insert(y(k), v);
    }
    Yaml::Mapping(m)
}

/// A number or numeric string from the metadata.
fn int_of(v: Option<&Json>) -> Option<i64> {
    match v? {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn is_wire_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `Rules` → `Rule`, `Policies` → `Policy`, `Status` stays.
fn singular(name: &str) -> String {
    if let Some(stem) = name
        .strip_suffix("uses")
        .or_else(|| name.strip_suffix("sses"))
    {
        format!("{stem}{}", &name[stem.len()..stem.len() + 2])
    } else if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else if name.ends_with("ss") || name.ends_with("us") || name.len() <= 3 {
        name.to_owned()
    } else if let Some(stem) = name.strip_suffix('s') {
        stem.to_owned()
    } else {
        format!("{name}Item")
    }
}

/// The spec `kind` of an operation, when the source states one: `read` when the metadata's
/// `systemTags.operationType` is `get` or `list`; where that tag is missing or empty, `read`
/// when the top-level `operationType` is `read`; `write` for any other stated type. `None`
/// when neither is there (the official SDK's models do not tell reads from writes).
fn kind_of(api: &Json) -> Option<&'static str> {
    let tagged = api
        .get("systemTags")
        .and_then(|t| t.get("operationType"))
        .and_then(Json::as_str)
        .filter(|t| !t.is_empty());
    let read = match (tagged, api.get("operationType").and_then(Json::as_str)) {
        (Some(t), _) => matches!(t, "get" | "list"),
        (None, Some(t)) => t == "read",
        (None, None) => return None,
    };
    Some(if read {
        hbr_attr_keys::READ
    } else {
        hbr_attr_keys::WRITE
    })
}

/// Whether a metadata location is the form body.
fn in_body(location: &str) -> bool {
    location == "formData" || location == "body"
}

/// The spec type of a node, when it has one.
fn type_of(m: &Mapping) -> String {
    m.get("type")
        .and_then(Yaml::as_str)
        .unwrap_or_default()
        .to_owned()
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Param,
    Inner,
    Response,
}

impl Side {
    /// The side of what a node holds.
    fn inner(self) -> Side {
        if self == Side::Param {
            Side::Inner
        } else {
            self
        }
    }
}

/// The import of one operation: the names it has taken, the enums it found, its notes.
pub(super) struct OpImport<'a> {
    name: String,
    components: &'a serde_json::Map<String, Json>,
    shared_enums: &'a BTreeSet<String>,
    type_names: BTreeSet<String>,
    /// Facts that could not be carried over.
    pub(super) notes: Vec<String>,
    /// Whether the source states the operation's kind (else the fresh import says `write`,
    /// the safe choice, and a merge keeps the kind written).
    pub(super) kind_stated: bool,
    /// Set by [`Self::spec_type`] for an integer whose width the source does not state.
    width_unstated: bool,
}

impl<'a> OpImport<'a> {
    /// The import of operation `name`, resolving `$ref`s in `components`; enums never take
    /// the names in `shared_enums`.
    pub(super) fn new(
        name: &str,
        components: &'a serde_json::Map<String, Json>,
        shared_enums: &'a BTreeSet<String>,
    ) -> Self {
        Self {
            name: name.to_owned(),
            components,
            shared_enums,
            type_names: BTreeSet::new(),
            notes: Vec::new(),
            kind_stated: false,
            width_unstated: false,
        }
    }

    /// The operation's spec document.
    pub(super) fn operation(&mut self, api: &Json) -> Yaml {
        let request = self.request(api);
        let response = self.response(api);
        let mut out = Mapping::new();
        let kind = kind_of(api);
        self.kind_stated = kind.is_some();
        out.insert(
            y(hbr_attr_keys::KIND),
            y(kind.unwrap_or(hbr_attr_keys::WRITE)),
        );
        out.insert(y("operation"), y(&self.name));
        let kind = api
            .get("operationType")
            .and_then(Json::as_str)
            .unwrap_or("unspecified");
        out.insert(
            y("doc"),
            y(&format!(
                "Calls the `{}` action (a {kind} operation). Imported from Alibaba's API metadata: parameters and fields are described by their facts only.",
                self.name
            )),
        );
        if let Some(p) = self.pagination(&request, &response) {
            out.insert(y("pagination"), p);
        }
        out.insert(
            y("request"),
            if request.is_empty() {
                Yaml::Null
            } else {
                Yaml::Mapping(request)
            },
        );
        out.insert(y("response"), Yaml::Mapping(response));
        Yaml::Mapping(out)
    }

    /// The request parameters, each once, by usable name.
    fn request(&mut self, api: &Json) -> Mapping {
        let mut request = Mapping::new();
        let params = api
            .get("parameters")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        let names: Vec<&str> = params
            .iter()
            .filter_map(|q| q.get("name").and_then(Json::as_str))
            .collect();
        let mut seen = BTreeSet::new();
        for p in &params {
            let Some(pname) = p.get("name").and_then(Json::as_str) else {
                continue;
            };
            if !is_wire_name(pname) || !seen.insert(pname.to_owned()) {
                self.notes.push(format!(
                    "parameter `{pname}` skipped (duplicate or unusable name)"
                ));
                continue;
            }
            let node = self.parameter(pname, p, &names);
            request.insert(y(pname), node);
        }
        request
    }

    /// One request parameter: its node plus where and how it travels, its item method and
    /// its doc.
    fn parameter(&mut self, pname: &str, p: &Json, names: &[&str]) -> Yaml {
        let schema = p.get("schema").cloned().unwrap_or(Json::Null);
        let location = p.get("in").and_then(Json::as_str).unwrap_or("query");
        let style = p.get("style").and_then(Json::as_str);
        let op_name = self.name.clone();
        let mut node = self.node(pname, &schema, Side::Param, &op_name);
        let Yaml::Mapping(m) = &mut node else {
            return node;
        };
        if in_body(location) {
            m.insert(y("in"), y("body"));
        }
        let ty = type_of(m);
        match style {
            Some(s) => {
                m.insert(y("style"), y(s));
            }
            None if ty == "array" || ty == "object" || ty == "any" => {
                m.insert(y("style"), y("json"));
                self.notes
                    .push(format!("parameter `{pname}` has no style; sent as json"));
            }
            None => {}
        }
        if ty == "any" && style.is_some_and(|s| s != "json") {
            m.insert(y("style"), y("json"));
        }
        if ty == "array" && style.is_some_and(|s| s != "json") {
            let item = singular(pname).to_snake_case();
            let taken = names.iter().any(|q| crate::naming::field_name(q) == item);
            if !taken {
                m.insert(y("item_name"), y(&item));
            }
        }
        let doc = param_doc(pname, &ty, m.contains_key("required"), location);
        m.insert(y("doc"), y(&doc));
        node
    }

    /// The response fields, with a `RequestId` when the metadata lacks one.
    fn response(&mut self, api: &Json) -> Mapping {
        let mut response = Mapping::new();
        let resp = api
            .pointer("/responses/200/schema")
            .cloned()
            .unwrap_or(Json::Null);
        if let Some(props) = self
            .resolve(&resp)
            .get("properties")
            .and_then(Json::as_object)
        {
            for (fname, schema) in props {
                if !is_wire_name(fname) {
                    self.notes
                        .push(format!("response field `{fname}` skipped (unusable name)"));
                    continue;
                }
                let op_name = self.name.clone();
                response.insert(y(fname), self.field(fname, schema, &op_name));
            }
        }
        if !response.contains_key("RequestId") {
            response.insert(
                y("RequestId"),
                map(vec![
                    ("type", y("string")),
                    ("doc", y("`RequestId` (string).")),
                ]),
            );
        }
        response
    }

    /// `pagination:` for an operation with int32 PageNumber and PageSize (PageSize with a
    /// maximum), an integer TotalCount and one array of objects.
    fn pagination(&mut self, request: &Mapping, response: &Mapping) -> Option<Yaml> {
        let int = |m: &Mapping, k: &str| {
            m.get(k)
                .and_then(|v| v.get("type"))
                .and_then(Yaml::as_str)
                .is_some_and(|t| t == "int32")
        };
        if !(int(request, "PageNumber") && int(request, "PageSize")) {
            return None;
        }
        if request
            .get("PageSize")
            .and_then(|v| v.get("maximum"))
            .is_none()
        {
            self.notes.push(
                "not paginated: `PageSize` states no maximum (add the documented one and a `pagination:` block by hand)".into(),
            );
            return None;
        }
        let total = response.get("TotalCount")?.get("type")?.as_str()?;
        if !total.starts_with("int") {
            return None;
        }
        let items: Vec<&str> = response
            .iter()
            .filter(|(_, v)| {
                v.get("type").and_then(Yaml::as_str) == Some("array")
                    && v.get("items")
                        .and_then(|i| i.get("type"))
                        .and_then(Yaml::as_str)
                        == Some("object")
            })
            .filter_map(|(k, _)| k.as_str())
            .collect();
        let [items] = items.as_slice() else {
            return None;
        };
        Some(map(vec![
            ("page_number", y("PageNumber")),
            ("page_size", y("PageSize")),
            ("total_count", y("TotalCount")),
            ("items", y(items)),
        ]))
    }

    fn resolve<'j>(&self, schema: &'j Json) -> &'j Json
    where
        'a: 'j,
    {
        match schema.get("$ref").and_then(Json::as_str) {
            Some(r) => r
                .rsplit('/')
                .next()
                .and_then(|name| self.components.get(name))
                .unwrap_or(schema),
            None => schema,
        }
    }

    /// A type name not taken in this operation or by a shared enum.
    fn type_name(&mut self, base: &str, parent: &str) -> String {
        let mut name = base.to_upper_camel_case();
        let reserved = |n: &str, me: &Self| {
            me.type_names.contains(n)
                || me.shared_enums.contains(n)
                || n == crate::naming::request_type(&me.name)
                || n == crate::naming::response_type(&me.name)
                || n == crate::naming::UNKNOWN_VARIANT
        };
        if reserved(&name, self) {
            name = format!("{}{}", parent.to_upper_camel_case(), name);
        }
        let stem = name.clone();
        let mut i = 2;
        while reserved(&name, self) {
            name = format!("{stem}{i}");
            i += 1;
        }
        self.type_names.insert(name.clone());
        name
    }

    /// A response field: like a node, plus the wrapper pattern.
    fn field(&mut self, name: &str, schema: &Json, parent: &str) -> Yaml {
        let schema = self.resolve(schema).clone();
        if let Some((inner, inner_schema)) = self.wrapped_array(&schema) {
            let mut node = self.node(&inner, &inner_schema, Side::Response, parent);
            if let Yaml::Mapping(m) = &mut node {
                m.insert(y("wrapper"), y(&inner));
                m.insert(
                    y("doc"),
                    y(&format!(
                        "`{name}` (a list, sent wrapped as `{name}.{inner}`)."
                    )),
                );
            }
            return node;
        }
        self.node(name, &schema, Side::Response, parent)
    }

    /// `{"Xs": {"X": [...]}}`: the inner name and the array's schema.
    fn wrapped_array(&self, schema: &Json) -> Option<(String, Json)> {
        if schema.get("type").and_then(Json::as_str) != Some("object") {
            return None;
        }
        let props = schema.get("properties").and_then(Json::as_object)?;
        if props.len() != 1 {
            return None;
        }
        let (inner, inner_schema) = props.iter().next()?;
        let inner_schema = self.resolve(inner_schema).clone();
        (inner_schema.get("type").and_then(Json::as_str) == Some("array") && is_wire_name(inner))
            .then(|| (inner.clone(), inner_schema))
    }

    /// The spec type of a metadata schema.
    fn spec_type(&mut self, name: &str, schema: &Json) -> &'static str {
        let ty = schema.get("type").and_then(Json::as_str).unwrap_or("any");
        let format = schema.get("format").and_then(Json::as_str);
        match ty {
            "string" => "string",
            "integer" => match format {
                Some("int32") => "int32",
                Some(_) => "int64",
                // No width stated (Python's `int`): int64 holds any; a merge keeps the
                // width written.
                None => {
                    self.width_unstated = true;
                    "int64"
                }
            },
            "boolean" => "boolean",
            "array" => "array",
            "object"
                if schema
                    .get("properties")
                    .and_then(Json::as_object)
                    .is_some_and(|p| !p.is_empty()) =>
            {
                "object"
            }
            "number" => {
                self.notes
                    .push(format!("`{name}` is a number; kept as arbitrary JSON"));
                "any"
            }
            _ => "any",
        }
    }

    /// A type node with the facts the metadata states for its type and side.
    fn node(&mut self, name: &str, schema: &Json, side: Side, parent: &str) -> Yaml {
        let schema = self.resolve(schema).clone();
        let mut m = Mapping::new();
        let request = side != Side::Response;
        self.width_unstated = false;
        let spec_ty = self.spec_type(name, &schema);
        m.insert(y("type"), y(spec_ty));
        if std::mem::take(&mut self.width_unstated) {
            m.insert(y(WIDTH_UNSTATED_MARK), Yaml::Bool(true));
        }
        if request && schema.get("required").and_then(Json::as_bool) == Some(true) {
            m.insert(y("required"), Yaml::Bool(true));
        }
        match spec_ty {
            "string" => self.string_facts(name, parent, &schema, request, &mut m),
            "int32" | "int64" => {
                if request {
                    int_facts(spec_ty, &schema, &mut m);
                }
                meaning_facts(spec_ty, &schema, request, &mut m);
            }
            "boolean" if request => bool_default(&schema, &mut m),
            "array" => self.array_facts(name, &schema, side, &mut m),
            "object" => self.object_facts(name, parent, &schema, side, &mut m),
            _ => {}
        }
        if schema.get("deprecated").and_then(Json::as_bool) == Some(true) {
            m.insert(y("deprecated"), Yaml::Bool(true));
        }
        if !m.contains_key("doc") {
            let what = m
                .get("type")
                .and_then(Yaml::as_str)
                .unwrap_or("value")
                .to_owned();
            m.insert(y("doc"), y(&format!("`{name}` (a {what}).")));
        }
        Yaml::Mapping(m)
    }

    /// A string's documented values and concept (marks for the enum phase), and for
    /// requests its lengths, pattern and default.
    fn string_facts(
        &mut self,
        name: &str,
        parent: &str,
        schema: &Json,
        request: bool,
        m: &mut Mapping,
    ) {
        let values = super::values::documented_values(schema);
        let owner = if request || parent == self.name {
            resource(&self.name)
        } else {
            parent.strip_suffix("Item").unwrap_or(parent).to_owned()
        };
        m.insert(y(CONCEPT_MARK), y(&concept(&owner, name)));
        if !values.is_empty() {
            m.insert(
                y(VALUES_MARK),
                Yaml::Sequence(values.iter().map(|v| y(v)).collect()),
            );
        }
        if !request {
            return;
        }
        if let Some(v) = int_of(schema.get("maxLength")) {
            m.insert(y("max_length"), Yaml::Number(v.into()));
        }
        if let Some(v) = int_of(schema.get("minLength")) {
            m.insert(y("min_length"), Yaml::Number(v.into()));
        }
        if let Some(p) = schema.get("pattern").and_then(Json::as_str) {
            m.insert(y("pattern"), y(p));
        }
        if let Some(d) = schema.get("default").and_then(Json::as_str) {
            if values.is_empty() || values.iter().any(|v| v == d) {
                m.insert(y("default"), y(d));
            }
        }
    }

    /// An array's items, and for requests its item counts.
    fn array_facts(&mut self, name: &str, schema: &Json, side: Side, m: &mut Mapping) {
        let items = schema.get("items").cloned().unwrap_or(Json::Null);
        let item_name = singular(name);
        let mut item = self.node(&item_name, &items, side.inner(), name);
        if let Yaml::Mapping(im) = &mut item {
            im.shift_remove(y("required"));
        }
        m.insert(y("items"), item);
        if side != Side::Response {
            if let Some(v) = int_of(schema.get("maxItems")) {
                m.insert(y("max_items"), Yaml::Number(v.into()));
            }
            if let Some(v) = int_of(schema.get("minItems")) {
                m.insert(y("min_items"), Yaml::Number(v.into()));
            }
        }
    }

    /// An object's type name and properties.
    fn object_facts(
        &mut self,
        name: &str,
        parent: &str,
        schema: &Json,
        side: Side,
        m: &mut Mapping,
    ) {
        let tname = self.type_name(name, parent);
        m.insert(y("name"), y(&tname));
        let mut props = Mapping::new();
        if let Some(p) = schema.get("properties").and_then(Json::as_object) {
            for (pname, ps) in p {
                if !is_wire_name(pname) {
                    self.notes.push(format!(
                        "property `{pname}` of `{name}` skipped (unusable name)"
                    ));
                    continue;
                }
                let mut node = if side == Side::Response {
                    self.field(pname, ps, &tname)
                } else {
                    self.node(pname, ps, side.inner(), &tname)
                };
                if let Yaml::Mapping(nm) = &mut node {
                    if !nm.contains_key("doc") {
                        let ty = nm
                            .get("type")
                            .and_then(Yaml::as_str)
                            .unwrap_or("value")
                            .to_owned();
                        nm.insert(y("doc"), y(&format!("`{pname}` (a {ty}).")));
                    }
                }
                props.insert(y(pname), node);
            }
        }
        m.insert(y("properties"), Yaml::Mapping(props));
    }
}

/// Mark (stripped before writing) of a string node: the values the metadata documents.
pub(super) const VALUES_MARK: &str = "__values";
/// Mark (stripped before writing) of a string node: the concept its values belong to.
pub(super) const CONCEPT_MARK: &str = "__concept";
/// Mark (stripped before writing) of an integer node whose width the source does not state:
/// a merge keeps the `int32` or `int64` written.
pub(super) const WIDTH_UNSTATED_MARK: &str = "__width_unstated";

/// Field names that mean something different on each resource: their concept is qualified
/// by the resource (`Status` of a vault → `VaultStatus`).
const GENERIC_FIELDS: &[&str] = &["Status", "Type", "Key", "State", "Code", "ErrorCode"];

/// Verbs that start operation names; what follows is the resource.
const VERBS: &[&str] = &[
    "Describe",
    "Create",
    "Update",
    "Delete",
    "Cancel",
    "Enable",
    "Disable",
    "Execute",
    "Start",
    "Stop",
    "Install",
    "Uninstall",
    "Upgrade",
    "Add",
    "Attach",
    "Detach",
    "Get",
    "Search",
    "Open",
    "Check",
    "Generate",
    "Change",
    "List",
    "Browse",
    "Remove",
];

/// The resource an operation works on: `DescribeBackupJobs2` → `BackupJob`.
fn resource(op: &str) -> String {
    let mut rest = op;
    if let Some(verb) = VERBS.iter().find(|v| op.starts_with(*v)) {
        rest = &op[verb.len()..];
    }
    for suffix in ["Async", "V2", "2"] {
        rest = rest.strip_suffix(suffix).unwrap_or(rest);
    }
    if rest.is_empty() {
        return op.to_owned();
    }
    let single = singular(rest);
    single
        .strip_suffix("Item")
        .map(str::to_owned)
        .unwrap_or(single)
}

/// The concept a string field's values belong to: its name, qualified by `owner` for the
/// [`GENERIC_FIELDS`].
fn concept(owner: &str, field: &str) -> String {
    let field = field.to_upper_camel_case();
    if GENERIC_FIELDS.contains(&field.as_str()) {
        format!("{}{field}", owner.to_upper_camel_case())
    } else {
        field
    }
}

/// The doc the importer writes for a parameter: its facts only.
fn param_doc(name: &str, ty: &str, required: bool, location: &str) -> String {
    let mut facts = vec![format!("a {ty}")];
    if required {
        facts.push("required".into());
    }
    if in_body(location) {
        facts.push("sent in the form body".into());
    }
    format!("`{name}` ({}).", facts.join(", "))
}

/// An integer's bounds (when they fit its width and are ordered) and its default (when it
/// lies within them).
fn int_facts(spec_ty: &str, schema: &Json, m: &mut Mapping) {
    let (lo, hi) = if spec_ty == "int32" {
        (i64::from(i32::MIN), i64::from(i32::MAX))
    } else {
        (i64::MIN, i64::MAX)
    };
    let min = int_of(schema.get("minimum")).filter(|v| (lo..=hi).contains(v));
    let max = int_of(schema.get("maximum")).filter(|v| (lo..=hi).contains(v));
    let (min, max) = match (min, max) {
        (Some(a), Some(b)) if a > b => (None, None),
        other => other,
    };
    if let Some(v) = min {
        m.insert(y("minimum"), Yaml::Number(v.into()));
    }
    if let Some(v) = max {
        m.insert(y("maximum"), Yaml::Number(v.into()));
    }
    if let Some(d) = int_of(schema.get("default")) {
        if min.is_none_or(|a| d >= a) && max.is_none_or(|b| d <= b) && (lo..=hi).contains(&d) {
            m.insert(y("default"), Yaml::Number(d.into()));
        }
    }
}

/// What an integer means, as the spec states it: `timestamp` (on responses, and on int64
/// requests, whose setter then takes a point in time) or `unit` (on responses).
fn meaning_facts(spec_ty: &str, schema: &Json, request: bool, m: &mut Mapping) {
    let meaning = super::meaning::integer_meaning(schema);
    if let Some(t) = meaning.timestamp {
        if !request || spec_ty == "int64" {
            m.insert(y("timestamp"), y(t));
        }
    }
    if let Some(u) = meaning.unit {
        if !request {
            m.insert(y("unit"), y(u));
        }
    }
}

/// A boolean's default, given as a boolean or as "true"/"false".
fn bool_default(schema: &Json, m: &mut Mapping) {
    let d = match schema.get("default") {
        Some(Json::Bool(b)) => Some(*b),
        Some(Json::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Json::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    };
    if let Some(b) = d {
        m.insert(y("default"), Yaml::Bool(b));
    }
}
