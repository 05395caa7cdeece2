//! Request and response structs with their `#[hbr(...)]` attributes.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc_attrs, filter, hbr_attr, ident, key, rust_type, words};
use crate::ir::{
    Constraint, Location, Operation, OperationAttrs, PageCursor, RequestField, RequestStruct,
    ResponseField, ResponseStruct, RuleAttr, RuleCheck, Scalar, Unit,
};
use hbr_attr_keys as keys;

/// A request struct; `op` when it is that operation's own request.
pub(super) fn request(s: &RequestStruct, op: Option<&Operation>) -> TokenStream {
    let id = ident(&s.name);
    let fields = s.fields.iter().map(request_field);
    let mut container = Vec::new();
    if let Some(attrs) = &s.operation {
        container.extend(operation_attrs(attrs));
    }
    let rules: Vec<TokenStream> = s.rules.iter().map(rule).collect();
    // Rules of one condition repeat it (`only_when(AppConsistent = "true")` on each field it
    // governs), which clippy's `duplicated_attributes` takes for a copied attribute.
    let repeated = (0..s.rules.len()).any(|i| repeats_a_condition(&s.rules, i));
    let allow = repeated.then(|| quote!(#[allow(clippy::duplicated_attributes)]));
    container.extend(rules);
    let container = hbr_attr(&container);
    let doc = doc_attrs(&match op {
        Some(op) => format!(
            "The parameters of `{}`.\n\n{}",
            op.action,
            op.doc.as_deref().unwrap_or_default().trim_end()
        ),
        None => nested_doc(&s.name, s.doc.as_deref()),
    });
    let filter = s.filter.as_ref().map(|f| filter::api(&id, f));
    let json_text = json_text(&id, &s.json_of);
    let serde = serde_gate();
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, ::hbr_client::HbrRequest)]
        #allow
        #container
        #serde
        pub struct #id {
            #(#fields)*
        }
        #filter
        #json_text
    }
}

/// `impl From<Shape> for String` for the shape of request strings that carry JSON: the
/// parameter's setter (`impl Into<String>`) then takes the typed value, sent as compact JSON.
fn json_text(id: &proc_macro2::Ident, wires: &[String]) -> Option<TokenStream> {
    if wires.is_empty() {
        return None;
    }
    let names = wires
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = format!(
        "The JSON text of {names}: pass the typed value to its setter, it is sent as one compact JSON object."
    );
    Some(quote! {
        #[doc = #doc]
        impl ::core::convert::From<#id> for ::std::string::String {
            fn from(value: #id) -> Self {
                // Plain data (strings, numbers, flags, lists) always serializes.
                ::serde_json::to_string(&value).unwrap_or_default()
            }
        }
    })
}

/// Whether rule `i` states a condition or message an earlier rule states too.
fn repeats_a_condition(rules: &[RuleAttr], i: usize) -> bool {
    let conds = |r: &RuleAttr| match &r.check {
        RuleCheck::OnlyWhen(c) => r.when.iter().chain(c).cloned().collect::<Vec<_>>(),
        _ => r.when.clone(),
    };
    let mine = conds(&rules[i]);
    rules[..i]
        .iter()
        .any(|q| q.message == rules[i].message || conds(q).iter().any(|c| mine.contains(c)))
}

/// The cargo feature of the including crate that turns on the API-shaped serde impls of the
/// generated structs (`#[hbr(serde)]`); without it they are not compiled.
pub const SERDE_FEATURE: &str = "serde";

/// `#[cfg_attr(feature = "serde", hbr(serde))]`.
fn serde_gate() -> TokenStream {
    let k = key(keys::SERDE);
    let hbr = key(keys::HBR);
    quote!(#[cfg_attr(feature = #SERDE_FEATURE, #hbr(#k))])
}

/// The doc of a nested object: the spec's, or a sentence naming it.
fn nested_doc(name: &str, doc: Option<&str>) -> String {
    doc.map_or_else(
        || format!("The fields of a `{name}` JSON object."),
        str::to_owned,
    )
}

fn request_field(f: &RequestField) -> TokenStream {
    let name = ident(&f.name);
    let inner = rust_type(&f.ty);
    let ty = if f.constraints.required {
        inner
    } else {
        quote!(::core::option::Option<#inner>)
    };
    let attrs = hbr_attr(&request_field_attrs(f));
    let doc = doc_attrs(&words::param_doc(f));
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        #attrs
        #name: #ty,
    }
}

/// `wire`, `location`, `style`, the constraints (default first), `item`: the order of
/// [`keys::REQUEST_FIELD_KEYS`].
fn request_field_attrs(f: &RequestField) -> Vec<TokenStream> {
    let wire = &f.wire;
    let k = key;
    let mut attrs = vec![{
        let w = k(keys::WIRE);
        quote!(#w = #wire)
    }];
    if f.location == Location::Body {
        let (l, body) = (k(keys::LOCATION), Location::Body.as_str());
        attrs.push(quote!(#l = #body));
    }
    if let Some(s) = f.style {
        let (st, s) = (k(keys::STYLE), s.as_str());
        attrs.push(quote!(#st = #s));
    }
    let list = f.constraints.list();
    let (defaults, bounds): (Vec<_>, Vec<_>) = list
        .iter()
        .partition(|c| matches!(c, Constraint::Default(_)));
    attrs.extend(
        defaults
            .into_iter()
            .chain(bounds)
            .flat_map(constraint_attrs),
    );
    if let Some(i) = &f.item {
        let it = k(keys::ITEM);
        attrs.push(quote!(#it = #i));
    }
    if let Some(t) = f.timestamp {
        let (kt, t) = (k(keys::TIMESTAMP), t.as_str());
        attrs.push(quote!(#kt = #t));
    }
    attrs
}

/// The attributes stating one constraint.
fn constraint_attrs(c: &Constraint<'_>) -> Vec<TokenStream> {
    let count = |name: &str, v: u64| {
        let (k, v) = (key(name), Literal::u64_unsuffixed(v));
        vec![quote!(#k = #v)]
    };
    match c {
        Constraint::Range(min, max) => {
            let bound = |name: &str, v: Option<i64>| {
                v.map(|v| {
                    let (k, v) = (key(name), Literal::i64_unsuffixed(v));
                    quote!(#k = #v)
                })
            };
            bound(keys::MINIMUM, *min)
                .into_iter()
                .chain(bound(keys::MAXIMUM, *max))
                .collect()
        }
        Constraint::MinLength(v) => count(keys::MIN_LENGTH, *v),
        Constraint::MaxLength(v) => count(keys::MAX_LENGTH, *v),
        Constraint::MinItems(v) => count(keys::MIN_ITEMS, *v),
        Constraint::MaxItems(v) => count(keys::MAX_ITEMS, *v),
        Constraint::Pattern(p) => {
            let k = key(keys::PATTERN);
            vec![quote!(#k = #p)]
        }
        Constraint::Default(d) => {
            let k = key(keys::DEFAULT);
            vec![match d {
                Scalar::Int(i) => {
                    let i = Literal::i64_unsuffixed(*i);
                    quote!(#k = #i)
                }
                Scalar::Bool(b) => quote!(#k = #b),
                Scalar::Str(s) => quote!(#k = #s),
            }]
        }
    }
}

/// `action`, `version`, `kind`, `response` and `paginate(...)`.
fn operation_attrs(a: &OperationAttrs) -> Vec<TokenStream> {
    let (action, version, response) = (&a.action, &a.version, ident(&a.response));
    let kind = a.kind.as_str();
    let (ka, kv, kr) = (key(keys::ACTION), key(keys::VERSION), key(keys::RESPONSE));
    let kk = key(keys::KIND);
    let mut out = vec![
        quote!(#ka = #action),
        quote!(#kv = #version),
        quote!(#kk = #kind),
        quote!(#kr = #response),
    ];
    if let Some(pg) = &a.paginate {
        let field = |name: &str, value: &str| {
            let (k, v) = (key(name), ident(value));
            quote!(#k = #v)
        };
        let mut inner = vec![
            match &pg.cursor {
                PageCursor::Number(n) => field(keys::PAGE_NUMBER, n),
                PageCursor::Token(t) => field(keys::NEXT_TOKEN, t),
            },
            field(keys::PAGE_SIZE, &pg.page_size),
        ];
        inner.extend(
            pg.total_count
                .as_deref()
                .map(|t| field(keys::TOTAL_COUNT, t)),
        );
        inner.push(field(keys::ITEMS, &pg.items));
        inner.extend(pg.item.as_deref().map(|i| field(keys::ITEM, i)));
        inner.extend(pg.key.as_deref().map(|k| field(keys::KEY, k)));
        let kp = key(keys::PAGINATE);
        out.push(quote!(#kp(#(#inner),*)));
    }
    out
}

/// `rule(when(...), field = "...", <check>, message = "...")`.
fn rule(r: &RuleAttr) -> TokenStream {
    let conds = |list: &[(String, Vec<String>)]| -> Vec<TokenStream> {
        list.iter()
            .map(|(field, values)| {
                let f = format_ident!("{}", field);
                match values.as_slice() {
                    [one] => quote!(#f = #one),
                    many => quote!(#f(#(#many),*)),
                }
            })
            .collect()
    };
    let check = match &r.check {
        RuleCheck::NotOneOf(v) => {
            let k = key(keys::NOT_ONE_OF);
            quote!(#k(#(#v),*))
        }
        RuleCheck::OneOf(v) => {
            let k = key(keys::ONE_OF);
            quote!(#k(#(#v),*))
        }
        RuleCheck::Items(n) => {
            let (k, n) = (key(keys::ITEMS), Literal::u64_unsuffixed(*n));
            quote!(#k = #n)
        }
        RuleCheck::Required => {
            let k = key(keys::REQUIRED);
            quote!(#k)
        }
        RuleCheck::OnlyWhen(list) => {
            let (k, c) = (key(keys::ONLY_WHEN), conds(list));
            quote!(#k(#(#c),*))
        }
    };
    let when = if r.when.is_empty() {
        quote!()
    } else {
        let (k, c) = (key(keys::WHEN), conds(&r.when));
        quote!(#k(#(#c),*),)
    };
    let (field, message) = (&r.field, &r.message);
    let (kr, kf, km) = (key(keys::RULE), key(keys::FIELD), key(keys::MESSAGE));
    quote!(#kr(#when #kf = #field, #check, #km = #message))
}

/// A response struct; `op` when it is that operation's own response.
pub(super) fn response(s: &ResponseStruct, op: Option<&Operation>) -> TokenStream {
    let id = ident(&s.name);
    let fields = s.fields.iter().map(response_field);
    let container = if s.output {
        let k = key(keys::OUTPUT);
        hbr_attr(&[quote!(#k)])
    } else {
        quote!()
    };
    let doc = doc_attrs(&match op {
        Some(op) => format!("A successful response of `{}`.", op.action),
        None => nested_doc(&s.name, s.doc.as_deref()),
    });
    let serde = serde_gate();
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, ::hbr_client::HbrResponse)]
        #container
        #serde
        #[non_exhaustive]
        pub struct #id {
            #(#fields)*
        }
    }
}

fn response_field(f: &ResponseField) -> TokenStream {
    let name = ident(&f.name);
    let inner = rust_type(&f.ty);
    let wire = &f.wire;
    let k = key;
    let mut attrs = vec![{
        let w = k(keys::WIRE);
        quote!(#w = #wire)
    }];
    if let Some(w) = &f.wrapper {
        let kw = k(keys::WRAPPER);
        attrs.push(quote!(#kw = #w));
    }
    if let Some(t) = f.timestamp {
        let (kt, t) = (k(keys::TIMESTAMP), t.as_str());
        attrs.push(quote!(#kt = #t));
    }
    if f.unit == Some(Unit::PercentX100) {
        let kp = k(keys::PERCENT_X100);
        attrs.push(quote!(#kp));
    }
    if let Some(j) = &f.json {
        let (kj, jt) = (k(keys::JSON), rust_type(j));
        attrs.push(quote!(#kj = #jt));
    }
    let attrs = hbr_attr(&attrs);
    let doc = doc_attrs(&words::field_doc(f));
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        #attrs
        #name: ::core::option::Option<#inner>,
    }
}
