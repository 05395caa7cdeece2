//! Semantic checks of the whole spec, run before anything is emitted. One function per rule.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::error::{Location, SpecError};
use crate::model::*;

/// Where a node stands, which decides the keys that apply to it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ctx {
    /// A top-level request parameter.
    Param,
    /// Inside a request parameter (object property, array item).
    RequestInner,
    /// A response field or anything inside one.
    Response,
    /// The shape of JSON carried by a response string.
    Json,
}

struct Checker<'a> {
    spec: &'a Spec,
    errors: Vec<SpecError>,
}

/// Every problem of the spec, sorted by place.
pub fn check(spec: &Spec) -> Vec<SpecError> {
    let mut c = Checker {
        spec,
        errors: Vec::new(),
    };
    c.check_enums(&spec.enums);
    for op in &spec.operations {
        c.check_operation(op);
    }
    let mut errors = c.errors;
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    errors
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers either (`r#self` is not valid Rust).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// The Rust field name of a wire name (a valid identifier for every wire name validation
/// accepts: one that starts with an ASCII letter).
///
/// ```
/// use hbr_codegen::validate::field_name;
/// assert_eq!(field_name("PageSize"), "page_size");
/// assert_eq!(field_name("Type"), "r#type");
/// assert_eq!(field_name("Self"), "self_");
/// ```
pub fn field_name(wire: &str) -> String {
    let snake = wire.to_snake_case();
    if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if RUST_KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// The Rust variant name of an enum wire value.
pub fn variant_name(wire: &str) -> String {
    let camel = wire.to_upper_camel_case();
    match camel.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("V{camel}"),
        None => "Empty".into(),
        _ => camel,
    }
}

fn is_upper_camel(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

impl<'a> Checker<'a> {
    fn err(&mut self, location: Location, message: impl Into<String>) {
        self.errors.push(SpecError {
            location,
            message: message.into(),
        });
    }

    fn check_enums(&mut self, enums: &[EnumDef]) {
        for e in enums {
            if !is_upper_camel(&e.name) {
                self.err(
                    e.loc.clone(),
                    format!(
                        "enum name `{}` must be UpperCamelCase, e.g. `{}`",
                        e.name,
                        e.name.to_upper_camel_case()
                    ),
                );
            }
            if e.doc.is_none() {
                self.err(e.loc.clone(), format!("enum `{}` needs `doc:`", e.name));
            }
            if e.values.is_empty() {
                self.err(e.loc.clone(), format!("enum `{}` has no values", e.name));
            }
            let mut variants: BTreeMap<String, &EnumValue> = BTreeMap::new();
            for v in &e.values {
                if v.wire.is_empty() {
                    self.err(v.loc.clone(), "an enum value cannot be empty");
                    continue;
                }
                if v.doc.is_none() {
                    self.err(
                        v.loc.clone(),
                        format!(
                            "enum value `{}` needs its meaning: `{}: <one line>`",
                            v.wire, v.wire
                        ),
                    );
                }
                let name = variant_name(&v.wire);
                if name == "Unknown" {
                    self.err(v.loc.clone(), format!("enum value `{}` would be named `Unknown`, which is reserved for values the SDK does not know", v.wire));
                }
                if let Some(first) = variants.get(&name) {
                    let message = if first.wire == v.wire {
                        format!("duplicate enum value `{}`", v.wire)
                    } else {
                        format!(
                            "enum values `{}` and `{}` both become the variant `{name}`",
                            first.wire, v.wire
                        )
                    };
                    self.err(v.loc.clone(), message);
                } else {
                    variants.insert(name, v);
                }
            }
        }
    }

    fn find_enum(&self, op: &'a Operation, name: &str) -> Option<&'a EnumDef> {
        op.enums
            .iter()
            .find(|e| e.name == name)
            .or_else(|| self.spec.enums.iter().find(|e| e.name == name))
    }

    fn check_operation(&mut self, op: &'a Operation) {
        if !is_upper_camel(&op.name) {
            self.err(
                op.loc.clone(),
                format!("operation name `{}` must be UpperCamelCase", op.name),
            );
        }
        if op.doc.is_none() {
            self.err(
                op.loc.clone(),
                format!("operation `{}` needs `doc:`", op.name),
            );
        }
        self.check_enums(&op.enums);
        for e in &op.enums {
            if self.spec.enums.iter().any(|s| s.name == e.name) {
                self.err(
                    e.loc.clone(),
                    format!(
                        "enum `{}` is already defined in service.yaml; use that one or rename this",
                        e.name
                    ),
                );
            }
        }
        let mut types: BTreeMap<String, Location> = BTreeMap::new();
        for e in &op.enums {
            types.insert(e.name.clone(), e.loc.clone());
        }
        let request_name = format!("{}Request", op.name);
        let response_name = format!("{}Response", op.name);
        self.check_props(op, &op.request, Ctx::Param, &mut types, "request");
        self.check_rules(op, &op.rules, &op.request);
        self.check_props(op, &op.response, Ctx::Response, &mut types, "response");
        for reserved in [&request_name, &response_name] {
            if let Some(loc) = types.get(reserved) {
                self.err(loc.clone(), format!("the name `{reserved}` is reserved for the operation's own request/response type"));
            }
        }
        if let Some(p) = &op.pagination {
            self.check_pagination(op, p);
        }
    }

    fn check_pagination(&mut self, op: &'a Operation, p: &Pagination) {
        for (name, loc) in [&p.page_number, &p.page_size] {
            match op.request.iter().find(|r| &r.wire == name) {
                Some(r) if r.node.invalid => {}
                None => self.err(loc.clone(), format!("pagination names request parameter `{name}`, which does not exist; parameters: {}", names(&op.request))),
                Some(r) if !matches!(r.node.kind, Kind::Int32) => self.err(loc.clone(), format!("pagination parameter `{name}` must be int32")),
                _ => {}
            }
        }
        let (name, loc) = &p.page_size;
        if let Some(r) = op.request.iter().find(|r| &r.wire == name) {
            if !r.node.invalid && r.node.kind.is_int() && !r.node.keys.contains_key("maximum") {
                self.err(loc.clone(), format!("pagination parameter `{name}` needs `maximum` (the largest page the service returns, which a paginator asks for)"));
            }
        }
        let (name, loc) = &p.total_count;
        match op.response.iter().find(|r| &r.wire == name) {
            Some(r) if r.node.invalid => {}
            None => self.err(
                loc.clone(),
                format!(
                    "pagination names response field `{name}`, which does not exist; fields: {}",
                    names(&op.response)
                ),
            ),
            Some(r) if !r.node.kind.is_int() => self.err(
                loc.clone(),
                format!("pagination total `{name}` must be an integer"),
            ),
            _ => {}
        }
        let (name, loc) = &p.items;
        match op.response.iter().find(|r| &r.wire == name) {
            Some(r) if r.node.invalid => {}
            None => self.err(
                loc.clone(),
                format!(
                    "pagination names response field `{name}`, which does not exist; fields: {}",
                    names(&op.response)
                ),
            ),
            Some(r) => match &r.node.kind {
                Kind::Array(item) => match &item.kind {
                    Kind::Object(obj) => {
                        if let Some((key, kloc)) = &p.item_key {
                            match obj.properties.iter().find(|q| &q.wire == key) {
                                Some(q) if matches!(q.node.kind, Kind::String) => {}
                                Some(_) => self.err(kloc.clone(), format!("pagination item_key `{key}` must be a string field")),
                                None => self.err(kloc.clone(), format!("pagination item_key `{key}` is not a field of the items; fields: {}", names(&obj.properties))),
                            }
                        }
                    }
                    _ => self.err(
                        loc.clone(),
                        format!("pagination items `{name}` must be an array of objects"),
                    ),
                },
                _ => self.err(
                    loc.clone(),
                    format!("pagination items `{name}` must be an array of objects"),
                ),
            },
        }
    }

    fn check_props(
        &mut self,
        op: &'a Operation,
        props: &[Prop],
        ctx: Ctx,
        types: &mut BTreeMap<String, Location>,
        place: &str,
    ) {
        let mut fields: BTreeMap<String, &Prop> = BTreeMap::new();
        for p in props {
            if !p.wire.starts_with(|c: char| c.is_ascii_alphabetic())
                || !p
                    .wire
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                self.err(
                    p.loc.clone(),
                    format!(
                        "`{}` is not a usable wire name: a letter first, then letters, digits, `_` and `-` only",
                        p.wire
                    ),
                );
            }
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
                self.err(p.loc.clone(), message);
            } else {
                fields.insert(rust, p);
            }
            if let Some(item) = &p.node.item_name {
                let clash = props.iter().any(|q| {
                    field_name(&q.wire) == *item || format!("set_{}", field_name(&q.wire)) == *item
                }) || hbr_attr_keys::BUILDER_METHODS.contains(&item.as_str());
                if clash {
                    self.err(p.node.at("item_name"), format!("`item_name: {item}` clashes with another builder method; pick another name"));
                }
            }
            if p.node.doc.is_none() && ctx != Ctx::Json {
                self.err(p.loc.clone(), format!("`{}` needs `doc:`", p.wire));
            }
            self.check_node(op, &p.wire, &p.node, ctx, types);
        }
    }

    fn check_node(
        &mut self,
        op: &'a Operation,
        wire: &str,
        n: &Node,
        ctx: Ctx,
        types: &mut BTreeMap<String, Location>,
    ) {
        if n.invalid {
            return;
        }
        let kind = n.kind.name();
        // Keys that only apply in some places.
        let only = |key: &str, ok: bool, what: &str, c: &mut Self| {
            if ok {
                return;
            }
            if n.keys.contains_key(key) {
                c.err(
                    n.at(key),
                    format!(
                        "`{key}` applies to {what}; `{wire}` is {kind}{}",
                        match ctx {
                            Ctx::Param => " (a request parameter)",
                            Ctx::RequestInner => " (inside a request parameter)",
                            Ctx::Response => " (a response field)",
                            Ctx::Json => " (in a JSON shape)",
                        }
                    ),
                );
            }
        };
        let request = matches!(ctx, Ctx::Param | Ctx::RequestInner);
        only(
            "in",
            ctx == Ctx::Param,
            "top-level request parameters",
            self,
        );
        only(
            "style",
            ctx == Ctx::Param,
            "top-level request parameters",
            self,
        );
        only(
            "required",
            request,
            "request parameters and their properties",
            self,
        );
        only(
            "default",
            request && !matches!(n.kind, Kind::Array(_) | Kind::Object(_)),
            "request parameters that are strings, integers or booleans",
            self,
        );
        only(
            "minimum",
            n.kind.is_int() && request,
            "integer request parameters",
            self,
        );
        only(
            "maximum",
            n.kind.is_int() && request,
            "integer request parameters",
            self,
        );
        only(
            "min_length",
            matches!(n.kind, Kind::String) && request,
            "string request parameters",
            self,
        );
        only(
            "max_length",
            matches!(n.kind, Kind::String) && request,
            "string request parameters",
            self,
        );
        only(
            "pattern",
            matches!(n.kind, Kind::String) && request,
            "string request parameters",
            self,
        );
        only(
            "min_items",
            matches!(n.kind, Kind::Array(_)) && request,
            "array request parameters",
            self,
        );
        only(
            "max_items",
            matches!(n.kind, Kind::Array(_)) && request,
            "array request parameters",
            self,
        );
        only(
            "item_name",
            matches!(n.kind, Kind::Array(_)) && request,
            "array request parameters",
            self,
        );
        only(
            "wrapper",
            matches!(n.kind, Kind::Array(_)) && ctx == Ctx::Response,
            "response arrays",
            self,
        );
        only(
            "timestamp",
            n.kind.is_int() && matches!(ctx, Ctx::Response | Ctx::Json),
            "response integers",
            self,
        );
        only(
            "unit",
            n.kind.is_int() && matches!(ctx, Ctx::Response | Ctx::Json),
            "response integers",
            self,
        );
        only(
            "json",
            matches!(n.kind, Kind::String) && matches!(ctx, Ctx::Response | Ctx::Json),
            "response strings",
            self,
        );
        only("enum", matches!(n.kind, Kind::String), "strings", self);
        only("name", matches!(n.kind, Kind::Object(_)), "objects", self);
        only(
            "rules",
            matches!(n.kind, Kind::Object(_)) && request,
            "request objects",
            self,
        );
        only(
            "filter",
            matches!(n.kind, Kind::Object(_)) && request,
            "request objects",
            self,
        );

        if let Some(loc) = n.keys.get("in") {
            if let Some(v) = &n.location_in {
                if !matches!(v.as_str(), "query" | "body") {
                    self.err(
                        loc.clone(),
                        format!("unknown `in: {v}`; valid: query, body"),
                    );
                }
            }
        }
        if ctx == Ctx::Param {
            match (&n.kind, &n.style) {
                (Kind::Array(_) | Kind::Object(_), None) => self.err(n.loc.clone(), format!("`{wire}` is {kind}: say how it travels with `style: repeatList`, `flat` or `json`")),
                (_, Some(s)) if !matches!(s.as_str(), "repeatList" | "flat" | "json") => {
                    self.err(n.at("style"), format!("unknown style `{s}`; valid: repeatList, flat, json"));
                }
                (Kind::String | Kind::Int32 | Kind::Int64 | Kind::Boolean, Some(s)) if s != "json" => {
                    self.err(n.at("style"), format!("style `{s}` applies to arrays and objects; `{wire}` is {kind}"));
                }
                _ => {}
            }
        }
        if let Some(t) = &n.timestamp {
            if !matches!(t.as_str(), "unix_seconds" | "unix_millis") {
                self.err(
                    n.at("timestamp"),
                    format!("unknown timestamp `{t}`; valid: unix_seconds, unix_millis"),
                );
            }
        }
        if let Some(u) = &n.unit {
            if !matches!(
                u.as_str(),
                "bytes" | "kib_per_second" | "percent_x100" | "count" | "seconds"
            ) {
                self.err(n.at("unit"), format!("unknown unit `{u}`; valid: bytes, kib_per_second, percent_x100, count, seconds"));
            }
        }
        if let Some(i) = &n.item_name {
            if !i.starts_with(|c: char| c.is_ascii_lowercase())
                || i.to_snake_case() != *i
                || RUST_KEYWORDS.contains(&i.as_str())
            {
                self.err(
                    n.at("item_name"),
                    format!(
                        "`item_name` must be a snake_case method name that starts with a letter and is not a Rust keyword, e.g. `{}`",
                        i.to_snake_case()
                    ),
                );
            }
        }
        if n.required && n.default.is_some() {
            self.err(
                n.at("default"),
                format!("`{wire}` is required, so it cannot have a `default`; remove one of them"),
            );
        }
        self.check_bounds(wire, n);
        let enum_def = match &n.enum_ref {
            Some(name) => match self.find_enum(op, name) {
                Some(e) => Some(e),
                None => {
                    let known: Vec<&str> = op
                        .enums
                        .iter()
                        .chain(&self.spec.enums)
                        .map(|e| e.name.as_str())
                        .collect();
                    self.err(
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
                    None
                }
            },
            None => None,
        };
        if let Some(d) = &n.default {
            let fits = matches!(
                (&n.kind, d),
                (Kind::String, Scalar::Str(_))
                    | (Kind::Boolean, Scalar::Bool(_))
                    | (Kind::Int32 | Kind::Int64, Scalar::Int(_))
            );
            if !fits {
                self.err(
                    n.at("default"),
                    format!(
                        "default `{}` does not fit `{wire}`, which is {kind}",
                        d.wire()
                    ),
                );
            } else if let (Some(e), Scalar::Str(s)) = (enum_def, d) {
                if !e.values.iter().any(|v| &v.wire == s) {
                    self.err(
                        n.at("default"),
                        format!(
                            "default `{s}` is not a value of enum `{}`; valid: {}",
                            e.name,
                            e.values
                                .iter()
                                .map(|v| v.wire.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            } else if let Scalar::Int(i) = d {
                let below = n.minimum.is_some_and(|m| *i < m);
                let above = n.maximum.is_some_and(|m| *i > m);
                if below || above {
                    self.err(
                        n.at("default"),
                        format!("default {i} is outside the bounds of `{wire}`"),
                    );
                }
            }
        }
        match &n.kind {
            Kind::Array(item) => {
                let inner = if ctx == Ctx::Param {
                    Ctx::RequestInner
                } else {
                    ctx
                };
                self.check_node(op, &format!("{wire} item"), item, inner, types);
            }
            Kind::Object(obj) => {
                match &obj.name {
                    None => self.err(
                        n.loc.clone(),
                        format!(
                            "object `{wire}` needs `name:` (its Rust type name, UpperCamelCase)"
                        ),
                    ),
                    Some((name, loc)) => {
                        if !is_upper_camel(name) {
                            self.err(
                                loc.clone(),
                                format!(
                                    "type name `{name}` must be UpperCamelCase, e.g. `{}`",
                                    name.to_upper_camel_case()
                                ),
                            );
                        }
                        if let Some(first) = types.get(name) {
                            self.err(loc.clone(), format!("type name `{name}` is already used in this operation (at {first})"));
                        } else if self.spec.enums.iter().any(|e| &e.name == name) {
                            self.err(loc.clone(), format!("type name `{name}` is already used by a shared enum in service.yaml"));
                        } else {
                            types.insert(name.clone(), loc.clone());
                        }
                    }
                }
                if n.doc.is_none() && ctx != Ctx::Json {
                    self.err(n.loc.clone(), format!("object `{wire}` needs `doc:`"));
                }
                let inner = match ctx {
                    Ctx::Param => Ctx::RequestInner,
                    other => other,
                };
                self.check_props(
                    op,
                    &obj.properties,
                    inner,
                    types,
                    &format!("object `{wire}`"),
                );
                self.check_rules(op, &obj.rules, &obj.properties);
                if let Some(f) = &obj.filter {
                    self.check_filter(op, obj, f);
                }
            }
            _ => {}
        }
        if let Some(j) = &n.json {
            if matches!(n.kind, Kind::String) {
                self.check_node(op, &format!("{wire} JSON"), j, Ctx::Json, types);
            }
        }
    }

    fn check_filter(&mut self, op: &'a Operation, obj: &ObjectDef, f: &FilterSpec) {
        let field = |wire: &str| obj.properties.iter().find(|p| p.wire == wire);
        let enum_field = |c: &mut Self,
                          (wire, loc): &(String, Location),
                          what: &str|
         -> Option<&'a EnumDef> {
            match field(wire) {
                None => {
                    c.err(
                        loc.clone(),
                        format!(
                            "the filter's {what} field `{wire}` is not a property; properties: {}",
                            names(&obj.properties)
                        ),
                    );
                    None
                }
                Some(p) => {
                    match p.node.enum_ref.as_ref().and_then(|e| c.find_enum(op, e)) {
                        Some(e) => Some(e),
                        None => {
                            c.err(loc.clone(), format!("the filter's {what} field `{wire}` must be a string with an enum"));
                            None
                        }
                    }
                }
            }
        };
        let keys = enum_field(self, &f.key, "key");
        let ops = enum_field(self, &f.operator, "operator");
        match field(&f.values.0) {
            Some(p) if matches!(&p.node.kind, Kind::Array(i) if matches!(i.kind, Kind::String) && i.enum_ref.is_none()) =>
                {}
            _ => self.err(
                f.values.1.clone(),
                format!(
                    "the filter's values field `{}` must be an array of strings",
                    f.values.0
                ),
            ),
        }
        for p in &obj.properties {
            if hbr_attr_keys::const_name(&field_name(&p.wire)) == "FILTER_KEYS" {
                self.err(
                    p.loc.clone(),
                    format!("a filter object cannot have a property `{}`: its const would clash with `FILTER_KEYS`, the facts of the filter's keys", p.wire),
                );
            }
            if p.node.required && ![&f.key.0, &f.operator.0, &f.values.0].contains(&&p.wire) {
                self.err(
                    p.loc.clone(),
                    format!(
                        "a filter object cannot have other required properties (`{}`)",
                        p.wire
                    ),
                );
            }
        }
        for (wire, kind, loc) in &f.keys {
            if let Some(k) = keys {
                if !k.values.iter().any(|v| &v.wire == wire) {
                    self.err(
                        loc.clone(),
                        format!("`{wire}` is not a value of the key enum `{}`", k.name),
                    );
                }
            }
            let method = field_name(wire);
            if ["builder", "raw"].contains(&method.as_str())
                || obj.properties.iter().any(|p| field_name(&p.wire) == method)
            {
                self.err(loc.clone(), format!("filter key `{wire}` would make a constructor `{method}` that clashes with another method"));
            }
            if let FilterKind::Enum(e) = kind {
                if self.find_enum(op, e).is_none() {
                    self.err(
                        loc.clone(),
                        format!("unknown enum `{e}` for filter key `{wire}`"),
                    );
                }
            }
            if let Some(o) = ops {
                for n in kind.operators() {
                    if !o.values.iter().any(|v| v.wire == *n) {
                        self.err(loc.clone(), format!("filter key `{wire}` needs the operator `{n}`, which enum `{}` lacks", o.name));
                    }
                }
            }
        }
    }

    fn check_bounds(&mut self, wire: &str, n: &Node) {
        let (lo, hi) = match n.kind {
            Kind::Int32 => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        for (key, v) in [("minimum", n.minimum), ("maximum", n.maximum)] {
            if let Some(v) = v {
                if v < lo || v > hi {
                    self.err(
                        n.at(key),
                        format!(
                            "`{key}: {v}` does not fit `{wire}`, which is {}",
                            n.kind.name()
                        ),
                    );
                }
            }
        }
        if let (Some(a), Some(b)) = (n.minimum, n.maximum) {
            if a > b {
                self.err(
                    n.at("maximum"),
                    format!("`maximum` ({b}) is smaller than `minimum` ({a})"),
                );
            }
        }
        if let (Some(a), Some(b)) = (n.min_length, n.max_length) {
            if a > b {
                self.err(
                    n.at("max_length"),
                    format!("`max_length` ({b}) is smaller than `min_length` ({a})"),
                );
            }
        }
        if let (Some(a), Some(b)) = (n.min_items, n.max_items) {
            if a > b {
                self.err(
                    n.at("max_items"),
                    format!("`max_items` ({b}) is smaller than `min_items` ({a})"),
                );
            }
        }
    }

    fn check_rules(&mut self, op: &'a Operation, rules: &[Rule], fields: &[Prop]) {
        for r in rules {
            let check_value = |c: &mut Self, field: &str, loc: &Location, values: &[Scalar]| {
                match fields.iter().find(|p| p.wire == field) {
                    Some(p) if p.node.invalid => {}
                    None => c.err(
                        loc.clone(),
                        format!(
                            "the rule names `{field}`, which is not a field here; fields: {}",
                            names(fields)
                        ),
                    ),
                    Some(p) => {
                        if let Some(e) = p.node.enum_ref.as_ref().and_then(|e| c.find_enum(op, e)) {
                            for v in values {
                                if !e.values.iter().any(|ev| ev.wire == v.wire()) {
                                    c.err(loc.clone(), format!("`{}` is not a value of enum `{}` (field `{field}`); valid: {}", v.wire(), e.name, e.values.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>().join(", ")));
                                }
                            }
                        }
                        if matches!(p.node.kind, Kind::Array(_) | Kind::Object(_) | Kind::Any)
                            && !values.is_empty()
                        {
                            c.err(
                                loc.clone(),
                                format!(
                                    "a rule can compare only scalar fields; `{field}` is {}",
                                    p.node.kind.name()
                                ),
                            );
                        }
                    }
                }
            };
            for (field, values, loc) in &r.when {
                if field.contains('-') {
                    // The derive names `when` fields as Rust identifiers.
                    self.err(
                        loc.clone(),
                        format!("a rule's `when` cannot name `{field}`: a `when` field's wire name must not contain `-`"),
                    );
                    continue;
                }
                check_value(self, field, loc, values);
            }
            let (field, loc) = &r.field;
            match &r.check {
                Check::NotOneOf(v) | Check::OneOf(v) => check_value(self, field, loc, v),
                Check::Items(_) => match fields.iter().find(|p| &p.wire == field) {
                    None => self.err(
                        loc.clone(),
                        format!(
                            "the rule names `{field}`, which is not a field here; fields: {}",
                            names(fields)
                        ),
                    ),
                    Some(p) if !matches!(p.node.kind, Kind::Array(_)) => self.err(
                        loc.clone(),
                        format!("`items` checks arrays; `{field}` is {}", p.node.kind.name()),
                    ),
                    _ => {}
                },
                Check::Required => check_value(self, field, loc, &[]),
            }
        }
    }
}

fn names(props: &[Prop]) -> String {
    props
        .iter()
        .map(|p| p.wire.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
