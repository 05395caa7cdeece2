//! Cross-attribute rules, one function per rule, each reporting on the offending token.

use std::collections::BTreeMap;

use hbr_attr_keys::{
    ITEM, ITEMS, JSON, MAXIMUM, MAX_ITEMS, MAX_LENGTH, MINIMUM, MIN_ITEMS, MIN_LENGTH, PATTERN,
    PERCENT_X100, STYLE, TIMESTAMP, WRAPPER,
};

use crate::ast::{Body, Derive, Field, Input, Variant};
use crate::attr::{Cursor, LitValue, RuleCheck};
use crate::ctxt::Ctxt;
use crate::ty::Kind;

pub fn check(cx: &Ctxt, input: &Input<'_>, derive: Derive) {
    match (&input.body, derive) {
        (Body::Enum(variants), Derive::Enum) => {
            check_enum_variants(cx, input, variants);
        }
        (Body::Struct(fields), Derive::Request) => {
            check_unique_wire(cx, fields);
            for f in fields {
                check_request_field(cx, f);
            }
            check_operation(cx, input);
            check_rules(cx, input, fields);
            check_paginate(cx, input, fields);
            check_paginate_maximum(cx, input, fields);
        }
        (Body::Struct(fields), Derive::Response) => {
            check_unique_wire(cx, fields);
            for f in fields {
                check_response_field(cx, f);
            }
        }
        _ => {}
    }
}

fn check_enum_variants(cx: &Ctxt, input: &Input<'_>, variants: &[Variant<'_>]) {
    let mut seen: BTreeMap<String, &Variant<'_>> = BTreeMap::new();
    let mut unknown = 0;
    for v in variants {
        if let Some(u) = &v.attrs.unknown {
            unknown += 1;
            if let Some(w) = &v.attrs.wire {
                cx.syn_error(syn::Error::new(
                    w.span,
                    "the `unknown` variant keeps values the service adds later; it cannot also have a `wire` value",
                ));
            }
            let ok = matches!(&v.original.fields, syn::Fields::Unnamed(f) if f.unnamed.len() == 1
                && crate::ty::kind(&f.unnamed[0].ty) == Kind::Str);
            if !ok {
                cx.syn_error(syn::Error::new(
                    u.span,
                    "the `unknown` variant must hold the raw value: write `Unknown(String)`",
                ));
            }
            continue;
        }
        if !matches!(v.original.fields, syn::Fields::Unit) {
            cx.error_spanned_by(
                &v.original.fields,
                "`HbrEnum` variants are unit variants with `#[hbr(wire = \"...\")]`; only the `#[hbr(unknown)]` variant holds data",
            );
            continue;
        }
        match &v.attrs.wire {
            None => cx.error_spanned_by(
                v.ident,
                format!(
                    "variant `{}` needs its wire value: `#[hbr(wire = \"...\")]`",
                    v.ident
                ),
            ),
            Some(w) if w.value.is_empty() => {
                cx.syn_error(syn::Error::new(w.span, "a wire value cannot be empty"));
            }
            Some(w) => {
                if let Some(first) = seen.get(&w.value) {
                    cx.syn_error(syn::Error::new(
                        w.span,
                        format!(
                            "duplicate wire value \"{}\": variant `{}` already uses it",
                            w.value, first.ident
                        ),
                    ));
                } else {
                    seen.insert(w.value.clone(), v);
                }
            }
        }
    }
    if unknown == 0 {
        cx.error_spanned_by(
            input.ident,
            format!(
                "`{}` needs a catch-all variant for values the service adds later: add `#[hbr(unknown)] Unknown(String)`",
                input.ident
            ),
        );
    } else if unknown > 1 {
        cx.error_spanned_by(input.ident, "only one variant can be `#[hbr(unknown)]`");
    }
}

fn check_unique_wire(cx: &Ctxt, fields: &[Field<'_>]) {
    let mut seen: BTreeMap<&str, &Field<'_>> = BTreeMap::new();
    for f in fields {
        if let Some(first) = seen.get(f.wire.as_str()) {
            let span = f
                .attrs
                .wire
                .as_ref()
                .map_or_else(|| f.ident.span(), |w| w.span);
            cx.syn_error(syn::Error::new(
                span,
                format!(
                    "duplicate wire name \"{}\": field `{}` already uses it",
                    f.wire, first.ident
                ),
            ));
        } else {
            seen.insert(&f.wire, f);
        }
    }
}

fn not_for(cx: &Ctxt, span: proc_macro2::Span, key: &str, applies: &str, f: &Field<'_>) {
    cx.syn_error(syn::Error::new(
        span,
        format!(
            "`{key}` applies to {applies}, but `{}` is {}",
            f.ident,
            f.kind.describe()
        ),
    ));
}

fn check_request_field(cx: &Ctxt, f: &Field<'_>) {
    let a = &f.attrs;
    if let Some(t) = &a.timestamp {
        if !f.inner_is_i64() {
            not_for(cx, t.span, TIMESTAMP, "`i64` fields", f);
        }
    }
    if let Some(d) = &a.default {
        if !f.optional {
            cx.syn_error(syn::Error::new(
                d.span,
                format!(
                    "`{}` is required (its type is not `Option<_>`), so it cannot have a `default`; make it `Option<_>` or remove `default`",
                    f.ident
                ),
            ));
        }
        let fits = matches!(
            (&d.value, f.kind),
            (LitValue::Int(_), Kind::Int)
                | (LitValue::Bool(_), Kind::Bool)
                | (LitValue::Str(_), Kind::Str | Kind::Other)
        );
        if !fits {
            cx.syn_error(syn::Error::new(
                d.span,
                format!(
                    "this `default` does not fit `{}`, which is {}",
                    f.ident,
                    f.kind.describe()
                ),
            ));
        }
    }
    for (slot, key) in [(&a.minimum, MINIMUM), (&a.maximum, MAXIMUM)] {
        if let Some(s) = slot {
            if f.kind != Kind::Int {
                not_for(cx, s.span, key, "integer parameters", f);
            }
        }
    }
    if let (Some(lo), Some(hi)) = (&a.minimum, &a.maximum) {
        if lo.value > hi.value {
            cx.syn_error(syn::Error::new(
                hi.span,
                "`maximum` is smaller than `minimum`",
            ));
        }
    }
    for (slot, key) in [(&a.min_length, MIN_LENGTH), (&a.max_length, MAX_LENGTH)] {
        if let Some(s) = slot {
            if f.kind != Kind::Str {
                not_for(cx, s.span, key, "string parameters", f);
            }
        }
    }
    if let Some(p) = &a.pattern {
        if f.kind != Kind::Str {
            not_for(cx, p.span, PATTERN, "string parameters", f);
        }
    }
    for (slot, key) in [(&a.min_items, MIN_ITEMS), (&a.max_items, MAX_ITEMS)] {
        if let Some(s) = slot {
            if f.kind != Kind::Vec {
                not_for(cx, s.span, key, "array parameters (`Vec<_>`)", f);
            }
        }
    }
    if let Some(i) = &a.item {
        if f.kind != Kind::Vec {
            not_for(cx, i.span, ITEM, "array parameters (`Vec<_>`)", f);
        }
    }
    if let Some(s) = &a.style {
        if s.value != JSON && !matches!(f.kind, Kind::Vec | Kind::Other | Kind::Any) {
            not_for(cx, s.span, STYLE, "array and object parameters", f);
        }
    }
}

fn check_response_field(cx: &Ctxt, f: &Field<'_>) {
    let a = &f.attrs;
    if !f.optional {
        cx.error_spanned_by(
            f.ty,
            format!(
                "response fields must be `Option<_>`: the service may omit any field (`{}`)",
                f.ident
            ),
        );
    }
    if let Some(w) = &a.wrapper {
        if f.kind != Kind::Vec {
            not_for(cx, w.span, WRAPPER, "array fields (`Option<Vec<_>>`)", f);
        }
    }
    if let Some(t) = &a.timestamp {
        if f.kind != Kind::Int {
            not_for(cx, t.span, TIMESTAMP, "integer fields", f);
        }
    }
    if let Some(p) = &a.percent_x100 {
        if f.kind != Kind::Int {
            not_for(cx, p.span, PERCENT_X100, "integer fields", f);
        }
    }
    if let Some(j) = &a.json {
        if f.kind != Kind::Str {
            not_for(cx, j.span, JSON, "string fields", f);
        }
    }
}

fn check_operation(cx: &Ctxt, input: &Input<'_>) {
    let a = &input.attrs;
    match (&a.action, &a.response, &a.version) {
        (Some(_), Some(_), Some(_)) | (None, None, None) => {}
        (Some(act), _, _) => cx.syn_error(syn::Error::new(
            act.span,
            "an operation needs `action`, `version` and `response` together, e.g. `#[hbr(action = \"DescribeVaults\", version = \"2017-09-08\", response = DescribeVaultsResponse)]`",
        )),
        (None, Some(r), _) => cx.syn_error(syn::Error::new(
            r.span,
            "`response` only applies to an operation: add `action` and `version`",
        )),
        (None, None, Some(v)) => cx.syn_error(syn::Error::new(
            v.span,
            "`version` only applies to an operation: add `action` and `response`",
        )),
    }
    if a.action.is_none() {
        if let Some(p) = &a.paginate {
            cx.syn_error(syn::Error::new(
                p.span,
                "`paginate` only applies to an operation (one with `action`)",
            ));
        }
        if let Some(k) = &a.kind {
            cx.syn_error(syn::Error::new(
                k.span,
                "`kind` only applies to an operation (one with `action`)",
            ));
        }
    }
}

fn check_rules(cx: &Ctxt, input: &Input<'_>, fields: &[Field<'_>]) {
    let find = |name: &str| fields.iter().find(|f| f.wire == name);
    let names = || {
        fields
            .iter()
            .map(|f| format!("\"{}\"", f.wire))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for rule in &input.attrs.rules {
        let only_when = match &rule.check {
            RuleCheck::OnlyWhen(c) => c.as_slice(),
            _ => &[],
        };
        for (cond, _) in rule.when.iter().chain(only_when) {
            if find(&cond.value).is_none() {
                cx.syn_error(syn::Error::new(
                    cond.span,
                    format!("rule condition names `{}`, which is not a field's wire name; expected one of: {}", cond.value, names()),
                ));
            }
        }
        match find(&rule.field.value) {
            None => cx.syn_error(syn::Error::new(
                rule.field.span,
                format!("rule names field \"{}\", which is not a field's wire name; expected one of: {}", rule.field.value, names()),
            )),
            Some(f) => {
                if matches!(rule.check, RuleCheck::Items(_)) && f.kind != Kind::Vec {
                    not_for(cx, rule.span, ITEMS, "array fields", f);
                }
            }
        }
    }
}

fn check_paginate(cx: &Ctxt, input: &Input<'_>, fields: &[Field<'_>]) {
    let Some(p) = &input.attrs.paginate else {
        return;
    };
    let (cursor, token) = match &p.value.cursor {
        Cursor::Number(n) => (n, false),
        Cursor::Token(t) => (t, true),
    };
    for (ident, string) in [(cursor, token), (&p.value.page_size, false)] {
        let (fits, want) = match string {
            true => (Kind::Str, "an `Option<String>`"),
            false => (Kind::Int, "an `Option<i32>`"),
        };
        match fields.iter().find(|f| f.ident == ident) {
            None => cx.error_spanned_by(ident, format!("`{ident}` is not a field of this request")),
            Some(f) if !(f.optional && f.kind == fits) => {
                cx.error_spanned_by(
                    ident,
                    format!("`{ident}` must be {want} field to page with"),
                );
            }
            _ => {}
        }
    }
}

/// A page-number paginator asks for the largest page, so the page-size field must state it.
fn check_paginate_maximum(cx: &Ctxt, input: &Input<'_>, fields: &[Field<'_>]) {
    let Some(p) = &input.attrs.paginate else {
        return;
    };
    // A token walk asks for the maximum when there is one, else leaves the page size alone.
    if matches!(p.value.cursor, Cursor::Token(_)) {
        return;
    }
    let ident = &p.value.page_size;
    if let Some(f) = fields.iter().find(|f| f.ident == ident) {
        if f.attrs.maximum.is_none() {
            cx.error_spanned_by(
                ident,
                format!("`{ident}` pages, so it needs its largest page: add `maximum = N` to its `#[hbr(...)]` (a paginator asks for pages that large)"),
            );
        }
    }
}
