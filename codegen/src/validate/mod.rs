//! Semantic checks of the whole spec, run before anything is emitted: one function per rule,
//! each reporting on the place it concerns. The walk over the spec lives here; the rules live
//! beside it by subject.

mod docs;
mod enums;
mod filter;
mod node;
mod operation;
mod props;
mod rules;
mod waiters;

use std::collections::BTreeMap;

pub use docs::is_placeholder;

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

impl Ctx {
    /// Whether the node is part of a request.
    fn request(self) -> bool {
        matches!(self, Ctx::Param | Ctx::RequestInner)
    }

    /// Whether the node is part of a response (a field or a JSON shape).
    fn response(self) -> bool {
        matches!(self, Ctx::Response | Ctx::Json)
    }

    /// The context of what a node holds (its items and properties).
    fn inner(self) -> Ctx {
        match self {
            Ctx::Param => Ctx::RequestInner,
            other => other,
        }
    }

    /// How a message names the place.
    fn describe(self) -> &'static str {
        match self {
            Ctx::Param => " (a request parameter)",
            Ctx::RequestInner => " (inside a request parameter)",
            Ctx::Response => " (a response field)",
            Ctx::Json => " (in a JSON shape)",
        }
    }
}

/// The type names an operation has defined so far, with their places.
type Types = BTreeMap<String, Location>;

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
    c.enums(&spec.enums);
    for op in &spec.operations {
        c.operation(op);
    }
    let mut errors = c.errors;
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    errors
}

impl<'a> Checker<'a> {
    fn err(&mut self, location: Location, message: impl Into<String>) {
        self.errors.push(SpecError {
            location,
            message: message.into(),
        });
    }

    /// Reports "unknown {what}; valid: ..." at `loc` unless `value` is one of `valid`.
    fn one_of(&mut self, loc: &Location, what: &str, value: &str, valid: &[&str]) {
        if !valid.contains(&value) {
            self.err(
                loc.clone(),
                format!("unknown {what}; valid: {}", valid.join(", ")),
            );
        }
    }

    /// The enum `name` as `op` sees it: its own, else a shared one.
    fn find_enum(&self, op: &'a Operation, name: &str) -> Option<&'a EnumDef> {
        op.enums
            .iter()
            .find(|e| e.name == name)
            .or_else(|| self.spec.enums.iter().find(|e| e.name == name))
    }

    /// An operation: its own rules, then its enums, request, rules, response and paging.
    fn operation(&mut self, op: &'a Operation) {
        operation::name_is_upper_camel(self, op);
        operation::has_doc(self, op);
        operation::kind_known(self, op);
        self.enums(&op.enums);
        operation::enums_not_shared(self, op);
        let mut types: Types = op
            .enums
            .iter()
            .map(|e| (e.name.clone(), e.loc.clone()))
            .collect();
        self.props(op, &op.request, Ctx::Param, &mut types, "request");
        self.rules(op, &op.rules, &op.request);
        self.props(op, &op.response, Ctx::Response, &mut types, "response");
        operation::own_type_names_reserved(self, op, &types);
        if let Some(p) = &op.pagination {
            operation::pagination_parameters(self, op, p);
            operation::page_size_has_maximum(self, op, p);
            operation::pagination_token_field(self, op, p);
            operation::pagination_total(self, op, p);
            operation::pagination_items(self, op, p);
        }
        for w in &op.waiters {
            waiters::name(self, w, &types);
            waiters::items_and_status(self, op, w);
            waiters::statuses(self, w);
            waiters::timing(self, w);
        }
    }

    /// Enum definitions (shared or of one operation).
    fn enums(&mut self, enums: &[EnumDef]) {
        for e in enums {
            enums::name_is_upper_camel(self, e);
            enums::has_doc(self, e);
            enums::has_values(self, e);
            enums::values(self, e);
        }
    }

    /// The properties of one level: each one's own rules, then its node.
    fn props(
        &mut self,
        op: &'a Operation,
        props: &[Prop],
        ctx: Ctx,
        types: &mut Types,
        place: &str,
    ) {
        let mut fields: BTreeMap<String, &Prop> = BTreeMap::new();
        for p in props {
            props::wire_name_usable(self, p);
            props::rust_name_distinct(self, p, &mut fields, place);
            props::item_name_free(self, p, props);
            props::has_doc(self, p, ctx);
            self.node(op, &p.wire, &p.node, ctx, types);
        }
    }

    /// A type node: every rule on it, then what it holds.
    fn node(&mut self, op: &'a Operation, wire: &str, n: &Node, ctx: Ctx, types: &mut Types) {
        if n.invalid {
            return;
        }
        node::keys_apply(self, wire, n, ctx);
        node::location_known(self, n);
        node::style_fits(self, wire, n, ctx);
        node::timestamp_known(self, wire, n, ctx);
        node::unit_known(self, n);
        node::item_name_is_a_method(self, n);
        node::required_without_default(self, wire, n);
        node::bounds_fit_the_width(self, wire, n);
        node::bounds_ordered(self, n);
        let enum_def = node::enum_known(self, op, n);
        node::default_fits(self, wire, n, enum_def);
        node::values_fit(self, wire, n, enum_def);
        match &n.kind {
            Kind::Array(item) => {
                if ctx.request() && !item.values.is_empty() {
                    self.err(
                        item.at("values"),
                        format!("`values` cannot narrow the items of request array `{wire}` (only a parameter or property); list the enum's values or leave `values` out"),
                    );
                }
                self.node(op, &format!("{wire} item"), item, ctx.inner(), types);
            }
            Kind::Object(obj) => self.object(op, wire, n, obj, ctx, types),
            _ => {}
        }
        if let Some(j) = &n.json {
            if matches!(n.kind, Kind::String) && ctx.request() {
                node::request_json_is_an_object(self, wire, j);
                self.node(op, &format!("{wire} JSON"), j, Ctx::RequestInner, types);
            } else if matches!(n.kind, Kind::String) {
                self.node(op, &format!("{wire} JSON"), j, Ctx::Json, types);
            }
        }
    }

    /// An object node: its name and doc, its properties, rules and filter.
    fn object(
        &mut self,
        op: &'a Operation,
        wire: &str,
        n: &Node,
        obj: &ObjectDef,
        ctx: Ctx,
        types: &mut Types,
    ) {
        node::object_named(self, wire, n, obj, types);
        node::object_has_doc(self, wire, n, ctx);
        self.props(
            op,
            &obj.properties,
            ctx.inner(),
            types,
            &format!("object `{wire}`"),
        );
        self.rules(op, &obj.rules, &obj.properties);
        if let Some(f) = &obj.filter {
            let keys = filter::enum_field(self, op, obj, &f.key, "key");
            let ops = filter::enum_field(self, op, obj, &f.operator, "operator");
            filter::values_are_strings(self, obj, f);
            filter::no_const_clash(self, obj);
            filter::no_other_required(self, obj, f);
            for key in &f.keys {
                filter::key_in_enum(self, key, keys);
                filter::constructor_free(self, obj, key);
                filter::key_enum_known(self, op, key);
                filter::operators_present(self, key, ops);
            }
        }
    }

    /// Cross-field rules over `fields`.
    fn rules(&mut self, op: &'a Operation, list: &[Rule], fields: &[Prop]) {
        for r in list {
            rules::conditions(self, op, fields, &r.when, "when");
            let (field, loc) = &r.field;
            match &r.check {
                Check::NotOneOf(v) => rules::values_fit(self, op, fields, field, loc, v),
                Check::OneOf(v) => {
                    rules::values_fit(self, op, fields, field, loc, v);
                    rules::one_of_on_documented_values(self, fields, field, loc);
                }
                Check::Items(_) => rules::items_on_an_array(self, fields, field, loc),
                Check::Required => rules::values_fit(self, op, fields, field, loc, &[]),
                Check::OnlyWhen(conds) => {
                    rules::conditions(self, op, fields, conds, "only_when");
                    rules::only_when_fits(self, fields, field, loc, conds);
                }
            }
        }
    }
}

/// The wire values of an enum, for messages.
fn enum_values(e: &EnumDef) -> String {
    e.values
        .iter()
        .map(|v| v.wire.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The wire names of `props`, for messages.
fn names(props: &[Prop]) -> String {
    props
        .iter()
        .map(|p| p.wire.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
