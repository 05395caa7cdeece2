//! Parsing `#[hbr(...)]` attributes into typed values. Unknown keys, wrong value types and
//! duplicates are reported on the offending token; parsing goes on so every mistake shows.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, ExprLit, Ident, Lit, LitStr, Path, Type};

use hbr_attr_keys::*;

use crate::ctxt::Ctxt;

/// One attribute value with the span it came from.
#[derive(Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A slot that reports a duplicate when set twice.
pub struct Slot<T> {
    name: &'static str,
    value: Option<Spanned<T>>,
}

impl<T> Slot<T> {
    pub fn new(name: &'static str) -> Self {
        Self { name, value: None }
    }

    pub fn set(&mut self, cx: &Ctxt, span: Span, value: T) {
        if self.value.is_some() {
            cx.syn_error(syn::Error::new(
                span,
                format!("duplicate hbr attribute `{}`", self.name),
            ));
        } else {
            self.value = Some(Spanned { value, span });
        }
    }

    pub fn get(self) -> Option<Spanned<T>> {
        self.value
    }
}

/// A literal default value.
#[derive(Clone, Debug)]
pub enum LitValue {
    Int(i64),
    Str(String),
    Bool(bool),
}

impl LitValue {
    pub fn wire(&self) -> String {
        match self {
            LitValue::Int(i) => i.to_string(),
            LitValue::Str(s) => s.clone(),
            LitValue::Bool(b) => b.to_string(),
        }
    }
}

fn unknown_key(meta: &ParseNestedMeta<'_>, place: &str, valid: &[&str]) -> syn::Error {
    let path = &meta.path;
    let name = path
        .get_ident()
        .map_or_else(|| quote::quote!(#path).to_string(), Ident::to_string);
    meta.error(format!(
        "unknown hbr attribute `{name}` on {place}; expected one of: {}",
        valid.join(", ")
    ))
}

/// Drains the rest of a bad `key = value` or `key(...)` so parsing can continue.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _ = meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let _ = content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

fn parse_lit(meta: &ParseNestedMeta<'_>) -> syn::Result<Lit> {
    let expr: Expr = meta.value()?.parse()?;
    match expr {
        Expr::Lit(ExprLit { lit, .. }) => Ok(lit),
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => match *expr {
            Expr::Lit(ExprLit {
                lit: Lit::Int(i), ..
            }) => {
                let v: i64 = i.base10_parse()?;
                Ok(Lit::Int(syn::LitInt::new(&format!("-{v}"), i.span())))
            }
            other => Err(syn::Error::new_spanned(other, "expected a literal")),
        },
        other => Err(syn::Error::new_spanned(other, "expected a literal")),
    }
}

fn parse_str(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<LitStr> {
    match parse_lit(meta)? {
        Lit::Str(s) => Ok(s),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes a string literal, e.g. `{key} = \"...\"`"),
        )),
    }
}

fn parse_int(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<(i64, Span)> {
    match parse_lit(meta)? {
        Lit::Int(i) => Ok((i.base10_parse()?, i.span())),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes an integer literal, e.g. `{key} = 10`"),
        )),
    }
}

fn parse_usize(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<usize> {
    let (v, span) = parse_int(meta, key)?;
    usize::try_from(v).map_err(|_| syn::Error::new(span, format!("`{key}` must not be negative")))
}

fn parse_default(meta: &ParseNestedMeta<'_>) -> syn::Result<LitValue> {
    match parse_lit(meta)? {
        Lit::Int(i) => Ok(LitValue::Int(i.base10_parse()?)),
        Lit::Str(s) => Ok(LitValue::Str(s.value())),
        Lit::Bool(b) => Ok(LitValue::Bool(b.value)),
        other => Err(syn::Error::new_spanned(
            other,
            "`default` takes an integer, string or boolean literal",
        )),
    }
}

fn parse_str_list(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Vec<String>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = content.parse_terminated(|p| p.parse::<LitStr>(), syn::Token![,]);
    match list {
        Ok(items) if !items.is_empty() => Ok(items.into_iter().map(|s| s.value()).collect()),
        _ => Err(meta.error(format!(
            "`{key}` takes a list of string literals, e.g. `{key}(\"A\", \"B\")`"
        ))),
    }
}

/// The `hbr` attributes among `attrs`, each handed to `f` once per nested key.
fn for_each_meta(
    cx: &Ctxt,
    attrs: &[Attribute],
    mut f: impl FnMut(&ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs {
        if !attr.path().is_ident(HBR) {
            continue;
        }
        if let syn::Meta::List(list) = &attr.meta {
            if list.tokens.is_empty() {
                continue;
            }
        }
        let result = attr.parse_nested_meta(|meta| {
            if let Err(err) = f(&meta) {
                cx.syn_error(err);
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(err) = result {
            cx.syn_error(err);
        }
    }
}

// ---------------------------------------------------------------- containers

/// How a paginated request names the next page.
pub enum Cursor {
    /// `page_number = field`.
    Number(Ident),
    /// `next_token = field`: a request field and the response field of the same name.
    Token(Ident),
}

pub struct Paginate {
    pub cursor: Cursor,
    pub page_size: Ident,
    /// Required with a page number, optional with a token.
    pub total_count: Option<Ident>,
    pub items: Ident,
    pub item: Type,
    pub key: Option<Ident>,
}

/// A rule's condition: a field's wire name and the values that satisfy it.
pub type Condition = (Spanned<String>, Vec<String>);

pub struct RuleAttr {
    pub span: Span,
    pub when: Vec<Condition>,
    pub field: Spanned<String>,
    pub check: RuleCheck,
    pub message: String,
}

pub enum RuleCheck {
    NotOneOf(Vec<String>),
    OneOf(Vec<String>),
    Items(usize),
    Required,
    OnlyWhen(Vec<Condition>),
}

pub struct Container {
    pub krate: Option<Path>,
    pub action: Option<Spanned<String>>,
    pub version: Option<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub response: Option<Spanned<Type>>,
    pub paginate: Option<Spanned<Paginate>>,
    pub rules: Vec<RuleAttr>,
    pub output: Option<Spanned<()>>,
    pub serde: Option<Spanned<()>>,
}

pub fn container(cx: &Ctxt, attrs: &[Attribute], place: &str, valid: &[&str]) -> Container {
    let mut krate = Slot::new(CRATE);
    let mut action = Slot::new(ACTION);
    let mut version = Slot::new(VERSION);
    let mut kind = Slot::new(KIND);
    let mut response = Slot::new(RESPONSE);
    let mut paginate = Slot::new(PAGINATE);
    let mut output = Slot::new(OUTPUT);
    let mut serde = Slot::new(SERDE);
    let mut rules = Vec::new();
    for_each_meta(cx, attrs, |meta| {
        let key = meta
            .path
            .get_ident()
            .map(Ident::to_string)
            .unwrap_or_default();
        if !valid.contains(&key.as_str()) {
            return Err(unknown_key(meta, place, valid));
        }
        let span = meta
            .path
            .get_ident()
            .map_or_else(Span::call_site, Ident::span);
        match key.as_str() {
            CRATE => {
                let s = parse_str(meta, CRATE)?;
                krate.set(cx, span, s.parse::<Path>()?);
            }
            ACTION => action.set(cx, span, parse_str(meta, ACTION)?.value()),
            VERSION => version.set(cx, span, parse_str(meta, VERSION)?.value()),
            KIND => kind.set(cx, span, one_of_str(meta, KIND, KINDS)?.value()),
            RESPONSE => {
                let ty: Type = meta.value()?.parse().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        "`response` takes the response type, e.g. `response = MyResponse`",
                    )
                })?;
                response.set(cx, span, ty);
            }
            OUTPUT => output.set(cx, span, ()),
            SERDE => serde.set(cx, span, ()),
            PAGINATE => paginate.set(cx, span, parse_paginate(cx, meta)?),
            RULE => rules.push(parse_rule(cx, meta, span)?),
            _ => return Err(unknown_key(meta, place, valid)),
        }
        Ok(())
    });
    Container {
        krate: krate.get().map(|s| s.value),
        action: action.get(),
        version: version.get(),
        kind: kind.get(),
        response: response.get(),
        paginate: paginate.get(),
        rules,
        output: output.get(),
        serde: serde.get(),
    }
}

fn parse_paginate(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Paginate> {
    let mut idents: [Option<Ident>; 5] = [None, None, None, None, None];
    let mut item = None;
    let mut item_key = None;
    meta.parse_nested_meta(|inner| {
        let key = inner
            .path
            .get_ident()
            .map(Ident::to_string)
            .unwrap_or_default();
        let slot = match key.as_str() {
            PAGE_NUMBER => 0,
            PAGE_SIZE => 1,
            TOTAL_COUNT => 2,
            ITEMS => 3,
            NEXT_TOKEN => 4,
            ITEM => {
                item = Some(inner.value()?.parse::<Type>()?);
                return Ok(());
            }
            KEY => {
                item_key = Some(inner.value()?.parse::<Ident>()?);
                return Ok(());
            }
            _ => return Err(unknown_key(&inner, "`paginate(...)`", PAGINATE_KEYS)),
        };
        idents[slot] = Some(inner.value()?.parse::<Ident>()?);
        Ok(())
    })?;
    let _ = cx;
    let [page_number, page_size, total_count, items, next_token] = idents;
    let cursor = match (page_number, next_token, &total_count) {
        (Some(n), None, Some(_)) => Some(Cursor::Number(n)),
        (None, Some(t), _) => Some(Cursor::Token(t)),
        _ => None,
    };
    match (cursor, page_size, items, item) {
        (Some(cursor), Some(page_size), Some(items), Some(item)) => Ok(Paginate {
            cursor,
            page_size,
            total_count,
            items,
            item,
            key: item_key,
        }),
        _ => Err(meta.error(
            "`paginate` needs page_size = <request field>, items = <response field>, item = <item type>, and either page_number = <request field> with total_count = <response field>, or next_token = <request and response field> (optionally total_count); optionally key = <item field>",
        )),
    }
}

/// `(Field = "v", Other("a", "b"))`: the conditions of `when` or `only_when`.
fn parse_conditions(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<Condition>> {
    let mut out = Vec::new();
    meta.parse_nested_meta(|cond| {
        let name = cond
            .path
            .get_ident()
            .map(Ident::to_string)
            .ok_or_else(|| cond.error("expected a field's wire name"))?;
        let cspan = cond
            .path
            .get_ident()
            .map_or_else(Span::call_site, Ident::span);
        let values = if cond.input.peek(syn::token::Paren) {
            parse_str_list(&cond, &name)?
        } else {
            vec![parse_str(&cond, &name)?.value()]
        };
        out.push((
            Spanned {
                value: name,
                span: cspan,
            },
            values,
        ));
        Ok(())
    })?;
    Ok(out)
}

fn parse_rule(cx: &Ctxt, meta: &ParseNestedMeta<'_>, span: Span) -> syn::Result<RuleAttr> {
    let mut when = Vec::new();
    let mut field = None;
    let mut check = Slot::new("check");
    let mut message = None;
    meta.parse_nested_meta(|inner| {
        let key = inner
            .path
            .get_ident()
            .map(Ident::to_string)
            .unwrap_or_default();
        let kspan = inner
            .path
            .get_ident()
            .map_or_else(Span::call_site, Ident::span);
        match key.as_str() {
            WHEN => when.extend(parse_conditions(&inner)?),
            ONLY_WHEN => check.set(cx, kspan, RuleCheck::OnlyWhen(parse_conditions(&inner)?)),
            FIELD => {
                let s = parse_str(&inner, FIELD)?;
                field = Some(Spanned {
                    value: s.value(),
                    span: s.span(),
                });
            }
            NOT_ONE_OF => check.set(
                cx,
                kspan,
                RuleCheck::NotOneOf(parse_str_list(&inner, NOT_ONE_OF)?),
            ),
            ONE_OF => check.set(cx, kspan, RuleCheck::OneOf(parse_str_list(&inner, ONE_OF)?)),
            ITEMS => check.set(cx, kspan, RuleCheck::Items(parse_usize(&inner, ITEMS)?)),
            REQUIRED => check.set(cx, kspan, RuleCheck::Required),
            MESSAGE => message = Some(parse_str(&inner, MESSAGE)?.value()),
            _ => return Err(unknown_key(&inner, "`rule(...)`", RULE_KEYS)),
        }
        Ok(())
    })?;
    let (Some(field), Some(check), Some(message)) = (field, check.get(), message) else {
        return Err(syn::Error::new(
            span,
            "`rule` needs `field = \"Wire\"`, one check (`not_one_of(..)`, `one_of(..)`, `items = N`, `required` or `only_when(..)`) and `message = \"...\"`",
        ));
    };
    Ok(RuleAttr {
        span,
        when,
        field,
        check: check.value,
        message,
    })
}

// ---------------------------------------------------------------- variants

pub struct VariantAttr {
    pub wire: Option<Spanned<String>>,
    pub unknown: Option<Spanned<()>>,
}

pub fn variant(cx: &Ctxt, attrs: &[Attribute]) -> VariantAttr {
    let mut wire = Slot::new(WIRE);
    let mut unknown = Slot::new(UNKNOWN);
    for_each_meta(cx, attrs, |meta| {
        let key = meta
            .path
            .get_ident()
            .map(Ident::to_string)
            .unwrap_or_default();
        let span = meta
            .path
            .get_ident()
            .map_or_else(Span::call_site, Ident::span);
        match key.as_str() {
            WIRE => {
                let s = parse_str(meta, WIRE)?;
                wire.set(cx, s.span(), s.value());
            }
            UNKNOWN => unknown.set(cx, span, ()),
            _ => return Err(unknown_key(meta, "an enum variant", VARIANT_KEYS)),
        }
        Ok(())
    });
    VariantAttr {
        wire: wire.get(),
        unknown: unknown.get(),
    }
}

// ---------------------------------------------------------------- fields

#[derive(Default)]
pub struct FieldAttr {
    pub wire: Option<Spanned<String>>,
    pub location: Option<Spanned<String>>,
    pub style: Option<Spanned<String>>,
    pub default: Option<Spanned<LitValue>>,
    pub minimum: Option<Spanned<i64>>,
    pub maximum: Option<Spanned<i64>>,
    pub min_length: Option<Spanned<usize>>,
    pub max_length: Option<Spanned<usize>>,
    pub min_items: Option<Spanned<usize>>,
    pub max_items: Option<Spanned<usize>>,
    pub pattern: Option<Spanned<String>>,
    pub item: Option<Spanned<Ident>>,
    pub wrapper: Option<Spanned<String>>,
    pub timestamp: Option<Spanned<String>>,
    pub percent_x100: Option<Spanned<()>>,
    pub json: Option<Spanned<Type>>,
}

fn one_of_str(meta: &ParseNestedMeta<'_>, key: &str, choices: &[&str]) -> syn::Result<LitStr> {
    let s = parse_str(meta, key)?;
    if choices.contains(&s.value().as_str()) {
        Ok(s)
    } else {
        Err(syn::Error::new(
            s.span(),
            format!(
                "unknown {key} `{}`; expected one of: {}",
                s.value(),
                choices
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }
}

pub fn field(cx: &Ctxt, attrs: &[Attribute], valid: &[&str]) -> FieldAttr {
    let mut wire = Slot::new(WIRE);
    let mut location = Slot::new(LOCATION);
    let mut style = Slot::new(STYLE);
    let mut default = Slot::new(DEFAULT);
    let mut minimum = Slot::new(MINIMUM);
    let mut maximum = Slot::new(MAXIMUM);
    let mut min_length = Slot::new(MIN_LENGTH);
    let mut max_length = Slot::new(MAX_LENGTH);
    let mut min_items = Slot::new(MIN_ITEMS);
    let mut max_items = Slot::new(MAX_ITEMS);
    let mut pattern = Slot::new(PATTERN);
    let mut item = Slot::new(ITEM);
    let mut wrapper = Slot::new(WRAPPER);
    let mut timestamp = Slot::new(TIMESTAMP);
    let mut percent = Slot::new(PERCENT_X100);
    let mut json = Slot::new(JSON);
    for_each_meta(cx, attrs, |meta| {
        let key = meta
            .path
            .get_ident()
            .map(Ident::to_string)
            .unwrap_or_default();
        if !valid.contains(&key.as_str()) {
            return Err(unknown_key(meta, "a field", valid));
        }
        let span = meta
            .path
            .get_ident()
            .map_or_else(Span::call_site, Ident::span);
        match key.as_str() {
            WIRE => {
                let s = parse_str(meta, WIRE)?;
                wire.set(cx, s.span(), s.value());
            }
            LOCATION => {
                let s = one_of_str(meta, LOCATION, LOCATIONS)?;
                location.set(cx, s.span(), s.value());
            }
            STYLE => {
                let s = one_of_str(meta, STYLE, STYLES)?;
                style.set(cx, s.span(), s.value());
            }
            DEFAULT => default.set(cx, span, parse_default(meta)?),
            MINIMUM => minimum.set(cx, span, parse_int(meta, MINIMUM)?.0),
            MAXIMUM => maximum.set(cx, span, parse_int(meta, MAXIMUM)?.0),
            MIN_LENGTH => min_length.set(cx, span, parse_usize(meta, MIN_LENGTH)?),
            MAX_LENGTH => max_length.set(cx, span, parse_usize(meta, MAX_LENGTH)?),
            MIN_ITEMS => min_items.set(cx, span, parse_usize(meta, MIN_ITEMS)?),
            MAX_ITEMS => max_items.set(cx, span, parse_usize(meta, MAX_ITEMS)?),
            PATTERN => {
                let s = parse_str(meta, PATTERN)?;
                pattern.set(cx, s.span(), s.value());
            }
            ITEM => {
                let s = parse_str(meta, ITEM)?;
                let ident = syn::parse_str::<Ident>(&s.value()).map_err(|_| {
                    syn::Error::new(
                        s.span(),
                        "`item` takes a method name, e.g. `item = \"filter\"`",
                    )
                })?;
                item.set(cx, s.span(), ident);
            }
            WRAPPER => {
                let s = parse_str(meta, WRAPPER)?;
                wrapper.set(cx, s.span(), s.value());
            }
            TIMESTAMP => {
                let s = one_of_str(meta, TIMESTAMP, TIMESTAMPS)?;
                timestamp.set(cx, s.span(), s.value());
            }
            PERCENT_X100 => percent.set(cx, span, ()),
            JSON => {
                let ty: Type = meta.value()?.parse().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        "`json` takes the type the string decodes into, e.g. `json = Vec<String>`",
                    )
                })?;
                json.set(cx, span, ty);
            }
            _ => return Err(unknown_key(meta, "a field", valid)),
        }
        Ok(())
    });
    FieldAttr {
        wire: wire.get(),
        location: location.get(),
        style: style.get(),
        default: default.get(),
        minimum: minimum.get(),
        maximum: maximum.get(),
        min_length: min_length.get(),
        max_length: max_length.get(),
        min_items: min_items.get(),
        max_items: max_items.get(),
        pattern: pattern.get(),
        item: item.get(),
        wrapper: wrapper.get(),
        timestamp: timestamp.get(),
        percent_x100: percent.get(),
        json: json.get(),
    }
}

/// The doc attributes of an item, to copy onto generated accessors.
pub fn docs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect()
}
