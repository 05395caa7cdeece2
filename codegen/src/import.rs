//! `hbr-codegen import`: Alibaba's published API metadata → spec YAML.
//!
//! Facts only: names, types and formats, required, defaults, enums, bounds, item and length
//! limits, patterns, where each parameter travels, its style, nested items and properties,
//! and the response tree (with `{"Xs": {"X": [...]}}` wrappers recognised). No prose is
//! carried over from the metadata; the docs the importer writes state those facts.
//!
//! Hand edits and re-imports: a file the importer writes starts with [`IMPORTED_MARKER`].
//! Re-importing overwrites such files. To edit one by hand, delete the marker line: from then
//! on the file is yours and `import` leaves it alone (unless `--force`). Files written by hand
//! (like `DescribeRestoreJobs2.yaml`) never carry the marker.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use heck::ToUpperCamelCase;
use serde_json::Value as Json;
use serde_yaml::{Mapping, Value as Yaml};

/// The first line of every file the importer writes.
pub const IMPORTED_MARKER: &str =
    "# @imported by `hbr-codegen import` from Alibaba's API metadata; delete this line to edit the file by hand.";

/// What went wrong while importing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The metadata file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The metadata is not JSON or lacks `apis`.
    #[error("{path}: not Alibaba API metadata: {message}")]
    Metadata {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An operation asked for is not in the metadata.
    #[error("operation `{name}` is not in the metadata{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownOperation {
        /// The name asked for.
        name: String,
        /// The closest name in the metadata.
        suggestion: Option<String>,
    },
    /// A YAML document could not be rendered.
    #[error("cannot render {operation}: {message}")]
    Render {
        /// The operation.
        operation: String,
        /// What failed.
        message: String,
    },
}

/// What happened to each operation.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Files written (new or replaced imported files).
    pub written: Vec<PathBuf>,
    /// Files left alone because they were written or edited by hand.
    pub kept: Vec<PathBuf>,
    /// Facts that could not be carried over, per operation.
    pub notes: Vec<String>,
}

/// Imports `operations` (all when empty) from the metadata file into `out`.
///
/// `shared_enums` are the enum names `service.yaml` defines; imported enums never take
/// those names.
pub fn import(
    metadata: &Path,
    operations: &[String],
    out: &Path,
    force: bool,
    shared_enums: &BTreeSet<String>,
) -> Result<ImportReport, ImportError> {
    let text = std::fs::read_to_string(metadata).map_err(|source| ImportError::Io {
        path: metadata.to_path_buf(),
        source,
    })?;
    let doc: Json = serde_json::from_str(&text).map_err(|e| ImportError::Metadata {
        path: metadata.to_path_buf(),
        message: e.to_string(),
    })?;
    let apis = doc
        .get("apis")
        .and_then(Json::as_object)
        .ok_or_else(|| ImportError::Metadata {
            path: metadata.to_path_buf(),
            message: "no `apis` object".into(),
        })?;
    let components = doc
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let names: Vec<String> = if operations.is_empty() {
        let mut all: Vec<String> = apis.keys().cloned().collect();
        all.sort();
        all
    } else {
        operations.to_vec()
    };
    let mut report = ImportReport::default();
    std::fs::create_dir_all(out).map_err(|source| ImportError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    for name in &names {
        let Some(api) = apis.get(name) else {
            let candidates: Vec<&str> = apis.keys().map(String::as_str).collect();
            return Err(ImportError::UnknownOperation {
                name: name.clone(),
                suggestion: hbr_suggest::closest(name, &candidates).map(str::to_owned),
            });
        };
        let path = out.join(format!("{name}.yaml"));
        if let Ok(existing) = std::fs::read_to_string(&path) {
            if !existing.starts_with(IMPORTED_MARKER) && !force {
                report.kept.push(path);
                continue;
            }
        }
        let mut op = OpImport {
            name: name.clone(),
            components: &components,
            shared_enums,
            type_names: BTreeSet::new(),
            enums: Vec::new(),
            notes: Vec::new(),
        };
        let yaml = op.operation(api);
        let body = serde_yaml::to_string(&yaml).map_err(|e| ImportError::Render {
            operation: name.clone(),
            message: e.to_string(),
        })?;
        let text = format!("{IMPORTED_MARKER}\n{body}");
        std::fs::write(&path, text).map_err(|source| ImportError::Io {
            path: path.clone(),
            source,
        })?;
        report
            .notes
            .extend(op.notes.into_iter().map(|n| format!("{name}: {n}")));
        report.written.push(path);
    }
    Ok(report)
}

struct OpImport<'a> {
    name: String,
    components: &'a serde_json::Map<String, Json>,
    shared_enums: &'a BTreeSet<String>,
    type_names: BTreeSet<String>,
    enums: Vec<(String, Vec<String>)>,
    notes: Vec<String>,
}

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

fn is_wire_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `Rules` → `Rule`, `Policies` → `Policy`, `Status` stays.
fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else if name.ends_with("ss") || name.ends_with("us") || name.len() <= 3 {
        name.to_owned()
    } else if let Some(stem) = name.strip_suffix('s') {
        stem.to_owned()
    } else {
        format!("{name}Item")
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Param,
    Inner,
    Response,
}

impl<'a> OpImport<'a> {
    fn operation(&mut self, api: &Json) -> Yaml {
        let mut request = Mapping::new();
        let params = api
            .get("parameters")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
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
            let schema = p.get("schema").cloned().unwrap_or(Json::Null);
            let location = p.get("in").and_then(Json::as_str).unwrap_or("query");
            let style = p.get("style").and_then(Json::as_str);
            let op_name = self.name.clone();
            let mut node = self.node(pname, &schema, Side::Param, &op_name);
            if let Yaml::Mapping(m) = &mut node {
                if location == "formData" || location == "body" {
                    m.insert(y("in"), y("body"));
                }
                let ty = m
                    .get("type")
                    .and_then(Yaml::as_str)
                    .unwrap_or_default()
                    .to_owned();
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
                    let item = heck::ToSnakeCase::to_snake_case(singular(pname).as_str());
                    let taken = params
                        .iter()
                        .filter_map(|q| q.get("name").and_then(Json::as_str))
                        .any(|q| crate::naming::field_name(q) == item);
                    if !taken {
                        m.insert(y("item_name"), y(&item));
                    }
                }
                let doc = self.param_doc(pname, &ty, m.contains_key("required"), location);
                m.insert(y("doc"), y(&doc));
            }
            request.insert(y(pname), node);
        }
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
        let mut out = Mapping::new();
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
        if !self.enums.is_empty() {
            let mut enums = Mapping::new();
            for (name, values) in &self.enums {
                let mut vals = Mapping::new();
                for v in values {
                    vals.insert(y(v), y(&format!("The value `{v}`.")));
                }
                enums.insert(
                    y(name),
                    map(vec![
                        (
                            "doc",
                            y(&format!("The values the metadata lists for `{name}`.")),
                        ),
                        ("values", Yaml::Mapping(vals)),
                    ]),
                );
            }
            out.insert(y("enums"), Yaml::Mapping(enums));
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

    fn param_doc(&self, name: &str, ty: &str, required: bool, location: &str) -> String {
        let mut facts = vec![format!("a {ty}")];
        if required {
            facts.push("required".into());
        }
        if location == "formData" || location == "body" {
            facts.push("sent in the form body".into());
        }
        format!("`{name}` ({}).", facts.join(", "))
    }

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

    fn type_name(&mut self, base: &str, parent: &str) -> String {
        let mut name = base.to_upper_camel_case();
        let reserved = |n: &str, me: &Self| {
            me.type_names.contains(n)
                || me.shared_enums.contains(n)
                || n == format!("{}Request", me.name)
                || n == format!("{}Response", me.name)
                || n == "Unknown"
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
        if schema.get("type").and_then(Json::as_str) == Some("object") {
            if let Some(props) = schema.get("properties").and_then(Json::as_object) {
                if props.len() == 1 {
                    if let Some((inner, inner_schema)) = props.iter().next() {
                        let inner_schema = self.resolve(inner_schema).clone();
                        if inner_schema.get("type").and_then(Json::as_str) == Some("array")
                            && is_wire_name(inner)
                        {
                            let mut node = self.node(inner, &inner_schema, Side::Response, parent);
                            if let Yaml::Mapping(m) = &mut node {
                                m.insert(y("wrapper"), y(inner));
                                m.insert(
                                    y("doc"),
                                    y(&format!(
                                        "`{name}` (a list, sent wrapped as `{name}.{inner}`)."
                                    )),
                                );
                            }
                            return node;
                        }
                    }
                }
            }
        }
        self.node(name, &schema, Side::Response, parent)
    }

    fn node(&mut self, name: &str, schema: &Json, side: Side, parent: &str) -> Yaml {
        let schema = self.resolve(schema).clone();
        let ty = schema.get("type").and_then(Json::as_str).unwrap_or("any");
        let format = schema.get("format").and_then(Json::as_str);
        let mut m = Mapping::new();
        let request = side != Side::Response;
        let spec_ty = match ty {
            "string" => "string",
            "integer" => match format {
                Some("int32") => "int32",
                _ => "int64",
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
        };
        m.insert(y("type"), y(spec_ty));
        if request && schema.get("required").and_then(Json::as_bool) == Some(true) {
            m.insert(y("required"), Yaml::Bool(true));
        }
        match spec_ty {
            "string" => {
                let values: Vec<String> = schema
                    .get("enum")
                    .and_then(Json::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Json::as_str)
                            .filter(|v| !v.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                let mut unique = BTreeSet::new();
                let distinct = values.iter().all(|v| {
                    unique.insert(heck::ToUpperCamelCase::to_upper_camel_case(v.as_str()))
                });
                if !values.is_empty()
                    && distinct
                    && values.iter().all(|v| !v.eq_ignore_ascii_case("unknown"))
                {
                    let ename = self.type_name(name, parent);
                    self.enums.push((ename.clone(), values.clone()));
                    m.insert(y("enum"), y(&ename));
                } else if !values.is_empty() {
                    self.notes.push(format!(
                        "`{name}` lists values that cannot form an enum; kept as a string"
                    ));
                }
                if request {
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
            }
            "int32" | "int64" if request => {
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
                    if min.is_none_or(|a| d >= a)
                        && max.is_none_or(|b| d <= b)
                        && (lo..=hi).contains(&d)
                    {
                        m.insert(y("default"), Yaml::Number(d.into()));
                    }
                }
            }
            "boolean" if request => {
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
            "array" => {
                let items = schema.get("items").cloned().unwrap_or(Json::Null);
                let inner_side = if side == Side::Param {
                    Side::Inner
                } else {
                    side
                };
                let item_name = singular(name);
                let mut item = self.node(&item_name, &items, inner_side, name);
                if let Yaml::Mapping(im) = &mut item {
                    im.remove(y("required"));
                }
                m.insert(y("items"), item);
                if request {
                    if let Some(v) = int_of(schema.get("maxItems")) {
                        m.insert(y("max_items"), Yaml::Number(v.into()));
                    }
                    if let Some(v) = int_of(schema.get("minItems")) {
                        m.insert(y("min_items"), Yaml::Number(v.into()));
                    }
                }
            }
            "object" => {
                let tname = self.type_name(name, parent);
                m.insert(y("name"), y(&tname));
                let inner_side = if side == Side::Param {
                    Side::Inner
                } else {
                    side
                };
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
                            self.node(pname, ps, inner_side, &tname)
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
}

/// The enum names `service.yaml` of a spec folder defines (empty when it cannot be read).
pub fn shared_enum_names(dir: &Path) -> BTreeSet<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("service.yaml")) else {
        return BTreeSet::new();
    };
    let Ok(doc) = serde_yaml::from_str::<Yaml>(&text) else {
        return BTreeSet::new();
    };
    doc.get("enums")
        .and_then(Yaml::as_mapping)
        .map(|m| {
            m.keys()
                .filter_map(Yaml::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
