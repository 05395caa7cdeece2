//! Lowering a validated spec into the IR: every name, type, attribute and constraint of the
//! generated code is decided here.
//!
//! The spec has been validated, so every lookup below finds what it looks for; where one
//! could still miss, the lowering falls back to the plainest choice (a `String`, no bound)
//! rather than fail.

use super::*;
use crate::model::{self, FilterKind, Kind, Node, ObjectDef, Prop, Spec};
use crate::naming::{field_name, module_name, request_type, response_type, variant_name};

/// The IR of a validated spec.
pub fn build(spec: &Spec) -> Api {
    Api {
        service: spec.service.clone(),
        shared_enums: spec.enums.iter().map(enum_of).collect(),
        operations: spec
            .operations
            .iter()
            .map(|op| operation(spec, op))
            .collect(),
    }
}

fn enum_of(e: &model::EnumDef) -> Enum {
    Enum {
        name: e.name.clone(),
        doc: e.doc.clone(),
        variants: e
            .values
            .iter()
            .map(|v| Variant {
                name: variant_name(&v.wire),
                wire: v.wire.clone(),
                doc: v.doc.clone(),
            })
            .collect(),
    }
}

fn operation(spec: &Spec, op: &model::Operation) -> Operation {
    let mut cx = Lower {
        spec,
        op,
        nested: Vec::new(),
    };
    let attrs = cx.operation_attrs();
    let request = cx.request_struct(
        request_type(&op.name),
        op.doc.clone(),
        &op.request,
        &op.rules,
        None,
        Some(attrs),
    );
    let response = cx.response_struct(response_type(&op.name), None, &op.response, true);
    let mut parameters = Vec::new();
    for p in &op.request {
        cx.registry(&p.wire, &p.node, true, &mut parameters);
    }
    Operation {
        action: op.name.clone(),
        module: module_name(&op.name),
        doc: op.doc.clone(),
        request,
        response,
        nested: cx.nested,
        enums: op.enums.iter().map(enum_of).collect(),
        parameters,
        waiters: op.waiters.iter().filter_map(|w| waiter(op, w)).collect(),
    }
}

/// A waiter of `op` (validated: its items are a response array of objects with a string
/// status field, or without items the response has a string status field).
fn waiter(op: &model::Operation, w: &model::Waiter) -> Option<Waiter> {
    let (items_field, item_type, fields) = match &w.items {
        Some((items, _)) => {
            let items = op.response.iter().find(|r| &r.wire == items)?;
            let Kind::Array(item) = &items.node.kind else {
                return None;
            };
            let Kind::Object(obj) = &item.kind else {
                return None;
            };
            let name = obj.name.as_ref().map(|(n, _)| n.clone())?;
            (Some(field_name(&items.wire)), name, &obj.properties)
        }
        None => (None, crate::naming::response_type(&op.name), &op.response),
    };
    let status = fields.iter().find(|p| p.wire == w.status.0)?;
    Some(Waiter {
        name: w.name.clone(),
        method: format!("wait_until_{}", crate::naming::snake(&w.name)),
        doc: w.doc.clone(),
        items_field,
        item_type,
        status_field: field_name(&status.wire),
        status_is_enum: status.node.enum_ref.is_some(),
        success: w.success.0.clone(),
        failure: w.failure.0.clone(),
        delay: w.delay.0,
        max_delay: w.max_delay.0,
        timeout: w.timeout.0,
    })
}

/// The lowering of one operation; collects its nested types in the order they are printed
/// (each after the types it uses).
struct Lower<'a> {
    spec: &'a Spec,
    op: &'a model::Operation,
    nested: Vec<Item>,
}

impl Lower<'_> {
    fn find_enum(&self, name: &str) -> Option<&model::EnumDef> {
        self.op
            .enums
            .iter()
            .find(|e| e.name == name)
            .or_else(|| self.spec.enums.iter().find(|e| e.name == name))
    }

    fn enum_type(&self, name: &str) -> RustType {
        RustType::Enum {
            name: name.to_owned(),
            shared: !self.op.enums.iter().any(|e| e.name == name),
        }
    }

    fn operation_attrs(&self) -> OperationAttrs {
        let op = self.op;
        OperationAttrs {
            action: op.name.clone(),
            version: self.spec.service.version.clone(),
            kind: kind(op),
            response: response_type(&op.name),
            paginate: op.pagination.as_ref().map(|pg| paginate(op, pg)),
        }
    }

    /// The Rust type of a node, lowering the structs it needs.
    fn rust_type(&mut self, n: &Node, request: bool) -> RustType {
        match &n.kind {
            Kind::String => match &n.enum_ref {
                Some(e) => self.enum_type(e),
                None => RustType::String,
            },
            Kind::Int32 => RustType::I32,
            Kind::Int64 => RustType::I64,
            Kind::Boolean => RustType::Bool,
            Kind::Any => RustType::Json,
            Kind::Array(item) => RustType::Vec(Box::new(self.rust_type(item, request))),
            Kind::Object(obj) => {
                let name = obj
                    .name
                    .as_ref()
                    .map_or_else(|| "Unnamed".to_owned(), |(n, _)| n.clone());
                let doc = n.doc.clone();
                let item = if request {
                    Item::Request(Box::new(self.request_struct(
                        name.clone(),
                        doc,
                        &obj.properties,
                        &obj.rules,
                        Some(obj),
                        None,
                    )))
                } else {
                    Item::Response(self.response_struct(name.clone(), doc, &obj.properties, false))
                };
                self.nested.push(item);
                RustType::Struct(name)
            }
        }
    }

    /// What the spec says a parameter's value must be.
    fn constraints(&self, n: &Node) -> Constraints {
        Constraints {
            required: n.required,
            minimum: n.minimum,
            maximum: n.maximum,
            min_length: n.min_length,
            max_length: n.max_length,
            min_items: n.min_items,
            max_items: n.max_items,
            pattern: n.pattern.clone(),
            default: n.default.clone(),
            values: self.values(n),
            subset: !n.values.is_empty(),
        }
    }

    /// The enum values a node takes: its `values:`, else all of its enum's.
    fn values(&self, n: &Node) -> Vec<String> {
        let Some(e) = n.enum_ref.as_ref().and_then(|e| self.find_enum(e)) else {
            return Vec::new();
        };
        e.values
            .iter()
            .map(|v| v.wire.clone())
            .filter(|w| n.values.is_empty() || n.values.iter().any(|(s, _)| s == w))
            .collect()
    }

    fn request_struct(
        &mut self,
        name: String,
        doc: Option<String>,
        props: &[Prop],
        rules: &[model::Rule],
        object: Option<&ObjectDef>,
        operation: Option<OperationAttrs>,
    ) -> RequestStruct {
        let fields = props
            .iter()
            .map(|p| {
                let n = &p.node;
                let json = n
                    .json
                    .as_ref()
                    .and_then(|shape| self.request_json_shape(&p.wire, shape));
                RequestField {
                    name: field_name(&p.wire),
                    wire: p.wire.clone(),
                    doc: n.doc.clone(),
                    ty: self.rust_type(n, true),
                    location: location(n),
                    style: n.style.as_deref().and_then(style),
                    item: n.item_name.clone(),
                    deprecated: n.deprecated,
                    constraints: self.constraints(n),
                    timestamp: n.timestamp.as_deref().and_then(Timestamp::from_spec),
                    json,
                }
            })
            .collect();
        let filter = object.and_then(|obj| {
            let f = obj.filter.as_ref()?;
            Some(self.filter(obj, f))
        });
        RequestStruct {
            name,
            doc,
            operation,
            rules: rules.iter().map(rule).collect(),
            fields,
            filter,
            json_of: Vec::new(),
        }
    }

    /// Lowers the object a request string's JSON has (validation allows only objects there)
    /// and marks it as converting into that string; its type name.
    fn request_json_shape(&mut self, wire: &str, shape: &Node) -> Option<String> {
        let RustType::Struct(name) = self.rust_type(shape, true) else {
            return None;
        };
        let lowered = self.nested.iter_mut().rev().find_map(|item| match item {
            Item::Request(s) if s.name == name => Some(s),
            _ => None,
        });
        if let Some(s) = lowered {
            s.json_of.push(wire.to_owned());
        }
        Some(name)
    }

    fn filter(&self, obj: &ObjectDef, f: &model::FilterSpec) -> Filter {
        let enum_of_field = |wire: &str| {
            obj.properties
                .iter()
                .find(|p| p.wire == wire)
                .and_then(|p| p.node.enum_ref.as_deref())
                .map_or(RustType::String, |e| self.enum_type(e))
        };
        let own = [&f.key.0, &f.operator.0, &f.values.0];
        Filter {
            key_field: field_name(&f.key.0),
            key_type: enum_of_field(&f.key.0),
            operator_field: field_name(&f.operator.0),
            operator_type: enum_of_field(&f.operator.0),
            values_field: field_name(&f.values.0),
            others: obj
                .properties
                .iter()
                .filter(|p| !own.contains(&&p.wire))
                .map(|p| field_name(&p.wire))
                .collect(),
            keys: f
                .keys
                .iter()
                .map(|(wire, kind, _)| FilterKey {
                    wire: wire.clone(),
                    constructor: field_name(wire),
                    kind: match kind {
                        FilterKind::String => FilterKeyKind::String,
                        FilterKind::Enum(e) => FilterKeyKind::Enum(self.enum_type(e)),
                        FilterKind::Time => FilterKeyKind::Time,
                    },
                    operators: kind.operators(),
                })
                .collect(),
        }
    }

    fn response_struct(
        &mut self,
        name: String,
        doc: Option<String>,
        props: &[Prop],
        output: bool,
    ) -> ResponseStruct {
        let fields = props
            .iter()
            .map(|p| {
                let n = &p.node;
                // Response strings: a JSON-carrying one is held as its raw literal and
                // unescaped when first read; the others inline up to 23 bytes (most ids).
                let plain_string = matches!(n.kind, Kind::String) && n.enum_ref.is_none();
                let ty = match (plain_string, n.json.is_some()) {
                    (true, true) => RustType::JsonText,
                    (true, false) => RustType::Text,
                    (false, _) => self.rust_type(n, false),
                };
                ResponseField {
                    name: field_name(&p.wire),
                    wire: p.wire.clone(),
                    doc: n.doc.clone(),
                    ty,
                    wrapper: n.wrapper.clone(),
                    timestamp: n.timestamp.as_deref().and_then(Timestamp::from_spec),
                    unit: n.unit.as_deref().and_then(Unit::from_name),
                    json: n.json.as_ref().map(|j| self.rust_type(j, false)),
                    deprecated: n.deprecated,
                    values: if n.values.is_empty() {
                        Vec::new()
                    } else {
                        self.values(n)
                    },
                }
            })
            .collect();
        ResponseStruct {
            name,
            doc,
            output,
            fields,
        }
    }

    /// The registry entries of a request parameter and of what it holds.
    fn registry(&self, path: &str, n: &Node, top: bool, out: &mut Vec<RegistryParam>) {
        out.push(RegistryParam {
            path: path.to_owned(),
            ty: n.kind.name(),
            location: top.then(|| location(n)),
            style: n.style.as_deref().and_then(style),
            constraints: self.constraints(n),
            enum_type: n.enum_ref.as_deref().map(|e| self.enum_type(e)),
            doc: n.doc.clone(),
        });
        match &n.kind {
            Kind::Array(item)
                if matches!(item.kind, Kind::Object(_)) || item.enum_ref.is_some() =>
            {
                let item_path = format!("{path}.N");
                match &item.kind {
                    Kind::Object(obj) => self.properties(&item_path, obj, out),
                    _ => self.registry(&item_path, item, false, out),
                }
            }
            Kind::Object(obj) => self.properties(path, obj, out),
            _ => {}
        }
    }

    fn properties(&self, path: &str, obj: &ObjectDef, out: &mut Vec<RegistryParam>) {
        for q in &obj.properties {
            self.registry(&format!("{path}.{}", q.wire), &q.node, false, out);
        }
    }
}

/// The validated `kind:`; a write should it still be missing (the safe choice).
fn kind(op: &model::Operation) -> OperationKind {
    match op.kind.as_ref().map(|(k, _)| k.as_str()) {
        Some(hbr_attr_keys::READ) => OperationKind::Read,
        _ => OperationKind::Write,
    }
}

fn location(n: &Node) -> Location {
    match n.location_in.as_deref() {
        Some(hbr_attr_keys::BODY) => Location::Body,
        _ => Location::Query,
    }
}

fn style(s: &str) -> Option<Style> {
    match s {
        hbr_attr_keys::REPEAT_LIST => Some(Style::RepeatList),
        hbr_attr_keys::FLAT => Some(Style::Flat),
        hbr_attr_keys::JSON => Some(Style::Json),
        _ => None,
    }
}

fn rule(r: &model::Rule) -> RuleAttr {
    let wires = |values: &[Scalar]| values.iter().map(Scalar::wire).collect();
    let conds = |c: &[model::Cond]| {
        c.iter()
            .map(|(field, values, _)| (field.clone(), wires(values)))
            .collect()
    };
    RuleAttr {
        when: conds(&r.when),
        field: r.field.0.clone(),
        check: match &r.check {
            model::Check::NotOneOf(v) => RuleCheck::NotOneOf(wires(v)),
            model::Check::OneOf(v) => RuleCheck::OneOf(wires(v)),
            model::Check::Items(n) => RuleCheck::Items(*n),
            model::Check::Required => RuleCheck::Required,
            model::Check::OnlyWhen(c) => RuleCheck::OnlyWhen(conds(c)),
        },
        message: r.message.clone(),
    }
}

/// The IR of a `pagination:` block.
fn paginate(op: &model::Operation, pg: &model::Pagination) -> Paginate {
    let items = op.response.iter().find(|r| r.wire == pg.items.0);
    let object = items.and_then(|r| match &r.node.kind {
        Kind::Array(item) => match &item.kind {
            Kind::Object(o) => Some(o),
            _ => None,
        },
        _ => None,
    });
    let item = object.and_then(|o| o.name.as_ref().map(|(n, _)| n.clone()));
    let item_fields = object.map_or_else(Vec::new, |o| {
        o.properties
            .iter()
            .map(|p| (p.wire.clone(), p.node.kind.name()))
            .collect()
    });
    let wrapper = items.and_then(|r| r.node.wrapper.clone());
    let (cursor, cursor_wire) = match &pg.cursor {
        model::Cursor::PageNumber((n, _)) => (PageCursor::Number(field_name(n)), n),
        model::Cursor::NextToken((t, _)) => (PageCursor::Token(field_name(t)), t),
    };
    Paginate {
        cursor,
        page_size: field_name(&pg.page_size.0),
        total_count: pg.total_count.as_ref().map(|(t, _)| field_name(t)),
        items: field_name(&pg.items.0),
        item,
        key: pg.item_key.as_ref().map(|(k, _)| field_name(k)),
        wire: PageWire {
            cursor: cursor_wire.clone(),
            page_size: pg.page_size.0.clone(),
            items: pg.items.0.clone(),
            total_count: pg.total_count.as_ref().map(|(t, _)| t.clone()),
        },
        wrapper,
        item_key_wire: pg.item_key.as_ref().map(|(k, _)| k.clone()),
        item_fields,
    }
}
