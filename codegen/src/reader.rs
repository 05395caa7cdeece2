//! Reading a spec folder into the model. Every problem is collected with its place; nothing
//! stops at the first error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::error::{Error, Location, SpecError};
use crate::model::*;
use crate::source::{NodePath, Seg, Source};

const SERVICE_FILE: &str = "service.yaml";

const TOP_SERVICE_KEYS: &[&str] = &["service", "enums"];
const SERVICE_KEYS: &[&str] = &[
    "product",
    "version",
    "title",
    "endpoint",
    "signature",
    "doc",
];
const OPERATION_KEYS: &[&str] = &[
    "operation",
    "doc",
    "pagination",
    "enums",
    "request",
    "rules",
    "response",
];
const PAGINATION_KEYS: &[&str] = &[
    "page_number",
    "page_size",
    "total_count",
    "items",
    "item_key",
];
const ENUM_KEYS: &[&str] = &["doc", "values"];
const RULE_KEYS: &[&str] = &[
    "when",
    "field",
    "not_one_of",
    "one_of",
    "items",
    "required",
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
];
const FILTER_KEYS: &[&str] = &["key", "operator", "values", "keys"];
const FILTER_KINDS: &[&str] = &["string", "time", "enum"];
const TYPES: &[&str] = &[
    "string", "int32", "int64", "boolean", "array", "object", "any",
];

/// Reads and checks the syntax of every spec file of a folder (`service.yaml` plus one file
/// per operation). Returns the model as far as it could be read (so that semantic checks can
/// still run and report their problems too) and every problem found.
pub fn read_dir(dir: &Path) -> Result<(Option<Spec>, Vec<SpecError>), Error> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        files.push((path, text));
    }
    Ok(read_sources(dir, &files))
}

/// Reads spec files that are already in memory, as `(path, text)` pairs: the file whose path
/// is `dir/service.yaml` is the service file, every other one an operation file (named
/// `<Operation>.yaml`). This is what [`read_dir`] does once it has read the folder; it never
/// touches the file system. Returns the model as far as it could be read and every problem
/// found, each with its `file:line:col`.
///
/// ```
/// use std::path::{Path, PathBuf};
/// let dir = Path::new("spec");
/// let files = vec![(PathBuf::from("spec/Broken.yaml"), "operation: [".to_owned())];
/// let (spec, errors) = hbr_codegen::reader::read_sources(dir, &files);
/// assert!(spec.is_none()); // no service file
/// assert!(errors.iter().any(|e| e.location.file == Path::new("spec/Broken.yaml")));
/// ```
pub fn read_sources(dir: &Path, files: &[(PathBuf, String)]) -> (Option<Spec>, Vec<SpecError>) {
    let mut reader = Reader::default();
    let mut service = None;
    let mut shared = Vec::new();
    let mut operations = Vec::new();
    let service_path = dir.join(SERVICE_FILE);
    if !files.iter().any(|(path, _)| *path == service_path) {
        reader.errors.push(SpecError {
            location: Location {
                file: service_path.clone(),
                line: 1,
                column: 1,
            },
            message: "missing service file: every spec folder needs service.yaml (see api-spec/README.md)".into(),
        });
    }
    for (path, text) in files {
        let src = match Source::parse(path, text) {
            Ok(src) => src,
            Err(errs) => {
                reader.errors.extend(errs);
                continue;
            }
        };
        if *path == service_path {
            let (s, e) = reader.service_file(&src);
            service = s;
            shared = e;
        } else if let Some(op) = reader.operation_file(&src) {
            operations.push(op);
        }
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    let spec = service.map(|service| Spec {
        service,
        enums: shared,
        operations,
    });
    (spec, reader.errors)
}

#[derive(Default)]
struct Reader {
    errors: Vec<SpecError>,
}

fn child(path: &[Seg], key: &str) -> NodePath {
    let mut p = path.to_vec();
    p.push(Seg::Key(key.to_owned()));
    p
}

fn index(path: &[Seg], i: usize) -> NodePath {
    let mut p = path.to_vec();
    p.push(Seg::Index(i));
    p
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn suggest(name: &str, valid: &[&str]) -> String {
    match hbr_suggest::closest(name, valid) {
        Some(c) => format!("did you mean `{c}`? valid keys: {}", valid.join(", ")),
        None => format!("valid keys: {}", valid.join(", ")),
    }
}

impl Reader {
    fn err(&mut self, location: Location, message: impl Into<String>) {
        self.errors.push(SpecError {
            location,
            message: message.into(),
        });
    }

    /// The value as a mapping whose keys are all strings among `valid`.
    fn mapping<'v>(
        &mut self,
        src: &Source,
        v: &'v Value,
        path: &[Seg],
        place: &str,
        valid: &[&str],
    ) -> Option<&'v Mapping> {
        let Value::Mapping(map) = v else {
            self.err(
                src.value_location(path),
                format!("{place} must be a mapping, found {}", describe(v)),
            );
            return None;
        };
        for key in map.keys() {
            match key.as_str() {
                Some(k) if valid.contains(&k) => {}
                Some(k) => {
                    let loc = src.key_location(&child(path, k));
                    self.err(
                        loc,
                        format!("unknown key `{k}` in {place}; {}", suggest(k, valid)),
                    );
                }
                None => self.err(
                    src.value_location(path),
                    format!("{place} has a key that is not a string ({})", describe(key)),
                ),
            }
        }
        Some(map)
    }

    /// The entries of a mapping used as a name → value table, in written order.
    fn table<'v>(
        &mut self,
        src: &Source,
        v: &'v Value,
        path: &[Seg],
        place: &str,
    ) -> Vec<(String, &'v Value, NodePath)> {
        let Value::Mapping(map) = v else {
            self.err(
                src.value_location(path),
                format!(
                    "{place} must be a mapping of names to entries, found {}",
                    describe(v)
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, val) in map {
            match k.as_str() {
                Some(name) => out.push((name.to_owned(), val, child(path, name))),
                None => self.err(
                    src.value_location(path),
                    format!("{place}: names must be strings, found {}", describe(k)),
                ),
            }
        }
        out
    }

    fn string(
        &mut self,
        src: &Source,
        map: &Mapping,
        path: &[Seg],
        key: &str,
        required: bool,
        place: &str,
    ) -> Option<String> {
        match map.get(key) {
            None => {
                if required {
                    self.err(
                        src.value_location(path),
                        format!("{place} needs `{key}` (a string)"),
                    );
                }
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.err(
                    src.value_location(&child(path, key)),
                    format!("`{key}` must be a string, found {}", describe(other)),
                );
                None
            }
        }
    }

    fn bool(&mut self, src: &Source, map: &Mapping, path: &[Seg], key: &str) -> Option<bool> {
        match map.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.err(
                    src.value_location(&child(path, key)),
                    format!("`{key}` must be true or false, found {}", describe(other)),
                );
                None
            }
        }
    }

    fn int(&mut self, src: &Source, map: &Mapping, path: &[Seg], key: &str) -> Option<i64> {
        match map.get(key)? {
            Value::Number(n) if n.is_i64() => n.as_i64(),
            other => {
                self.err(
                    src.value_location(&child(path, key)),
                    format!("`{key}` must be an integer, found {}", describe(other)),
                );
                None
            }
        }
    }

    fn count(&mut self, src: &Source, map: &Mapping, path: &[Seg], key: &str) -> Option<u64> {
        match map.get(key)? {
            Value::Number(n) if n.is_u64() => n.as_u64(),
            other => {
                self.err(
                    src.value_location(&child(path, key)),
                    format!(
                        "`{key}` must be a non-negative integer, found {}",
                        describe(other)
                    ),
                );
                None
            }
        }
    }

    fn scalar(&mut self, src: &Source, v: &Value, path: &[Seg], what: &str) -> Option<Scalar> {
        match v {
            Value::String(s) => Some(Scalar::Str(s.clone())),
            Value::Bool(b) => Some(Scalar::Bool(*b)),
            Value::Number(n) if n.is_i64() => n.as_i64().map(Scalar::Int),
            other => {
                self.err(
                    src.value_location(path),
                    format!(
                        "{what} must be a string, an integer or a boolean, found {}",
                        describe(other)
                    ),
                );
                None
            }
        }
    }

    fn scalars(&mut self, src: &Source, v: &Value, path: &[Seg], what: &str) -> Vec<Scalar> {
        match v {
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.scalar(src, item, &index(path, i), what))
                .collect(),
            other => self.scalar(src, other, path, what).into_iter().collect(),
        }
    }

    fn service_file(&mut self, src: &Source) -> (Option<Service>, Vec<EnumDef>) {
        let root: NodePath = Vec::new();
        let Some(map) = self.mapping(src, &src.root, &root, "the service file", TOP_SERVICE_KEYS)
        else {
            return (None, Vec::new());
        };
        let enums = match map.get("enums") {
            Some(v) => self.enums(src, v, &child(&root, "enums")),
            None => Vec::new(),
        };
        let service = match map.get("service") {
            None => {
                self.err(
                    src.value_location(&root),
                    "the service file needs a `service:` block",
                );
                None
            }
            Some(v) => {
                let p = child(&root, "service");
                let m = self.mapping(src, v, &p, "`service`", SERVICE_KEYS);
                m.and_then(|m| {
                    let product = self.string(src, m, &p, "product", true, "`service`");
                    let version = self.string(src, m, &p, "version", true, "`service`");
                    let title = self.string(src, m, &p, "title", true, "`service`");
                    let endpoint = self.string(src, m, &p, "endpoint", true, "`service`");
                    let signature = self
                        .string(src, m, &p, "signature", false, "`service`")
                        .unwrap_or_else(|| "v3".into());
                    let doc = self.string(src, m, &p, "doc", true, "`service`");
                    if !matches!(signature.as_str(), "v3" | "v1") {
                        self.err(
                            src.value_location(&child(&p, "signature")),
                            format!("unknown signature `{signature}`; valid: v3, v1"),
                        );
                    }
                    if let Some(e) = &endpoint {
                        if !e.contains("{region}") {
                            self.err(
                                src.value_location(&child(&p, "endpoint")),
                                "the endpoint pattern must contain `{region}`, e.g. \"hbr.{region}.aliyuncs.com\"",
                            );
                        }
                    }
                    Some(Service {
                        product: product?,
                        version: version?,
                        title: title?,
                        endpoint: endpoint?,
                        signature,
                        doc: doc?,
                    })
                })
            }
        };
        (service, enums)
    }

    fn enums(&mut self, src: &Source, v: &Value, path: &[Seg]) -> Vec<EnumDef> {
        let mut out = Vec::new();
        for (name, val, p) in self.table(src, v, path, "`enums`") {
            let loc = src.key_location(&p);
            let Some(m) = self.mapping(src, val, &p, &format!("enum `{name}`"), ENUM_KEYS) else {
                continue;
            };
            let doc = self.string(src, m, &p, "doc", false, "an enum");
            let mut values = Vec::new();
            match m.get("values") {
                None => self.err(
                    loc.clone(),
                    format!("enum `{name}` needs `values:` (wire value: meaning)"),
                ),
                Some(vals) => {
                    let vp = child(&p, "values");
                    for (wire, d, wp) in self.table(src, vals, &vp, "enum `values`") {
                        let doc = match d {
                            Value::String(s) => Some(s.clone()),
                            Value::Null => None,
                            other => {
                                self.err(
                                    src.value_location(&wp),
                                    format!("the meaning of enum value `{wire}` must be a string, found {}", describe(other)),
                                );
                                None
                            }
                        };
                        values.push(EnumValue {
                            wire,
                            doc,
                            loc: src.key_location(&wp),
                        });
                    }
                }
            }
            out.push(EnumDef {
                name,
                doc,
                values,
                loc,
            });
        }
        out
    }

    fn operation_file(&mut self, src: &Source) -> Option<Operation> {
        let root: NodePath = Vec::new();
        let map = self.mapping(src, &src.root, &root, "an operation file", OPERATION_KEYS)?;
        let name = self.string(src, map, &root, "operation", true, "an operation file")?;
        let loc = src.value_location(&child(&root, "operation"));
        let doc = self.string(src, map, &root, "doc", false, "an operation");
        let stem = src
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if stem != name {
            self.err(
                loc.clone(),
                format!("operation `{name}` must be in a file named `{name}.yaml`, not `{stem}`"),
            );
        }
        let pagination = map.get("pagination").and_then(|v| {
            let p = child(&root, "pagination");
            let m = self.mapping(src, v, &p, "`pagination`", PAGINATION_KEYS)?;
            let mut get = |k: &str| {
                let s = self.string(src, m, &p, k, true, "`pagination`")?;
                Some((s, src.value_location(&child(&p, k))))
            };
            let item_key = m
                .contains_key("item_key")
                .then(|| get("item_key"))
                .flatten();
            Some(Pagination {
                page_number: get("page_number")?,
                page_size: get("page_size")?,
                total_count: get("total_count")?,
                items: get("items")?,
                item_key,
            })
        });
        let enums = match map.get("enums") {
            Some(v) => self.enums(src, v, &child(&root, "enums")),
            None => Vec::new(),
        };
        let request = match map.get("request") {
            Some(v) => self.props(src, v, &child(&root, "request"), "`request`"),
            None => Vec::new(),
        };
        let rules = match map.get("rules") {
            Some(v) => self.rules(src, v, &child(&root, "rules")),
            None => Vec::new(),
        };
        let response = match map.get("response") {
            Some(v) => self.props(src, v, &child(&root, "response"), "`response`"),
            None => {
                self.err(
                    loc.clone(),
                    format!("operation `{name}` needs `response:` (at least RequestId)"),
                );
                Vec::new()
            }
        };
        Some(Operation {
            name,
            doc,
            file: src.path.clone(),
            loc,
            pagination,
            enums,
            request,
            rules,
            response,
        })
    }

    fn props(&mut self, src: &Source, v: &Value, path: &[Seg], place: &str) -> Vec<Prop> {
        if matches!(v, Value::Null) {
            return Vec::new();
        }
        self.table(src, v, path, place)
            .into_iter()
            .map(|(wire, val, p)| {
                let loc = src.key_location(&p);
                let node = self
                    .node(src, val, &p)
                    .unwrap_or_else(|| invalid_node(loc.clone()));
                Prop { wire, node, loc }
            })
            .collect()
    }

    fn rules(&mut self, src: &Source, v: &Value, path: &[Seg]) -> Vec<Rule> {
        let Value::Sequence(items) = v else {
            self.err(
                src.value_location(path),
                format!("`rules` must be a list of rules, found {}", describe(v)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let p = index(path, i);
            let Some(m) = self.mapping(src, item, &p, "a rule", RULE_KEYS) else {
                continue;
            };
            let loc = src.value_location(&p);
            let mut when = Vec::new();
            if let Some(w) = m.get("when") {
                let wp = child(&p, "when");
                for (field, val, fp) in self.table(src, w, &wp, "`when`") {
                    let values = self.scalars(src, val, &fp, "a `when` value");
                    when.push((field, values, src.key_location(&fp)));
                }
            }
            let field = self
                .string(src, m, &p, "field", true, "a rule")
                .map(|f| (f, src.value_location(&child(&p, "field"))));
            let message = self.string(src, m, &p, "message", true, "a rule");
            let mut checks = Vec::new();
            if let Some(v) = m.get("not_one_of") {
                checks.push(Check::NotOneOf(self.scalars(
                    src,
                    v,
                    &child(&p, "not_one_of"),
                    "a `not_one_of` value",
                )));
            }
            if let Some(v) = m.get("one_of") {
                checks.push(Check::OneOf(self.scalars(
                    src,
                    v,
                    &child(&p, "one_of"),
                    "a `one_of` value",
                )));
            }
            if let Some(n) = self.count(src, m, &p, "items") {
                checks.push(Check::Items(n));
            }
            if self.bool(src, m, &p, "required") == Some(true) {
                checks.push(Check::Required);
            }
            if checks.len() != 1 {
                self.err(
                    loc.clone(),
                    format!(
                        "a rule needs exactly one check (not_one_of, one_of, items or required), found {}",
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

    fn filter(&mut self, src: &Source, v: &Value, path: &[Seg]) -> Option<FilterSpec> {
        let m = self.mapping(src, v, path, "`filter`", FILTER_KEYS)?;
        let mut field = |k: &str| {
            let s = self.string(src, m, path, k, true, "`filter`")?;
            Some((s, src.value_location(&child(path, k))))
        };
        let (key, operator, values) = (field("key"), field("operator"), field("values"));
        let mut keys = Vec::new();
        match m.get("keys") {
            None => self.err(
                src.value_location(path),
                "`filter` needs `keys:` (key: string | time | {enum: Name})",
            ),
            Some(k) => {
                for (name, val, kp) in self.table(src, k, &child(path, "keys"), "`filter.keys`") {
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
                        None => self.err(
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

    fn node(&mut self, src: &Source, v: &Value, path: &[Seg]) -> Option<Node> {
        let m = self.mapping(src, v, path, "a type", NODE_KEYS)?;
        let loc = src.value_location(path);
        let keys: BTreeMap<String, Location> = m
            .keys()
            .filter_map(|k| k.as_str())
            .map(|k| (k.to_owned(), src.key_location(&child(path, k))))
            .collect();
        let ty = self.string(src, m, path, "type", true, "a type")?;
        let kind = match ty.as_str() {
            "string" => Kind::String,
            "int32" => Kind::Int32,
            "int64" => Kind::Int64,
            "boolean" => Kind::Boolean,
            "any" => Kind::Any,
            "array" => {
                let items = match m.get("items") {
                    Some(i) => self.node(src, i, &child(path, "items")),
                    None => {
                        self.err(
                            loc.clone(),
                            "an array needs `items:` (the type of its items)",
                        );
                        None
                    }
                };
                Kind::Array(Box::new(items?))
            }
            "object" => {
                let name = self
                    .string(src, m, path, "name", false, "an object")
                    .map(|n| (n, src.value_location(&child(path, "name"))));
                let properties = match m.get("properties") {
                    Some(p) => self.props(src, p, &child(path, "properties"), "`properties`"),
                    None => {
                        self.err(loc.clone(), "an object needs `properties:`");
                        Vec::new()
                    }
                };
                let rules = match m.get("rules") {
                    Some(r) => self.rules(src, r, &child(path, "rules")),
                    None => Vec::new(),
                };
                let filter = match m.get("filter") {
                    Some(f) => self.filter(src, f, &child(path, "filter")),
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
                self.err(
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
            .and_then(|d| self.scalar(src, d, &child(path, "default"), "`default`"));
        let json = match m.get("json") {
            Some(j) => self.node(src, j, &child(path, "json")).map(Box::new),
            None => None,
        };
        Some(Node {
            doc: self.string(src, m, path, "doc", false, "a type"),
            enum_ref: self.string(src, m, path, "enum", false, "a type"),
            default,
            required: self.bool(src, m, path, "required").unwrap_or(false),
            minimum: self.int(src, m, path, "minimum"),
            maximum: self.int(src, m, path, "maximum"),
            min_length: self.count(src, m, path, "min_length"),
            max_length: self.count(src, m, path, "max_length"),
            min_items: self.count(src, m, path, "min_items"),
            max_items: self.count(src, m, path, "max_items"),
            pattern: self.string(src, m, path, "pattern", false, "a type"),
            location_in: self.string(src, m, path, "in", false, "a type"),
            style: self.string(src, m, path, "style", false, "a type"),
            item_name: self.string(src, m, path, "item_name", false, "a type"),
            wrapper: self.string(src, m, path, "wrapper", false, "a type"),
            timestamp: self.string(src, m, path, "timestamp", false, "a type"),
            unit: self.string(src, m, path, "unit", false, "a type"),
            deprecated: self.bool(src, m, path, "deprecated").unwrap_or(false),
            invalid: false,
            json,
            kind,
            loc,
            keys,
        })
    }
}

/// A stand-in for a node that could not be read.
fn invalid_node(loc: Location) -> Node {
    Node {
        kind: Kind::Any,
        doc: Some(String::new()),
        enum_ref: None,
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
