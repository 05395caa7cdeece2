//! `HbrRequest`: builder, validation, wire encoding, API-shaped serde, and (with `action`)
//! the `Operation` impl and `send()`.

use heck::ToUpperCamelCase;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use crate::ast::{Field, Input};
use crate::attr::{RuleAttr, RuleCheck, Spanned};
use crate::expand::common;
use crate::ty::Kind;

pub fn expand(input: &Input<'_>, fields: &[Field<'_>]) -> TokenStream {
    let ident = input.ident;
    let krate = &input.krate;
    let getters = fields.iter().map(|f| common::getter(f, f.ident));
    let builder = builder(input, fields);
    let validate = validate(input, fields);
    // Top-level operations are encoded through `Operation::encode`; only request objects
    // nested in a parameter need `EncodeParam`.
    let encode = if input.attrs.action.is_none() {
        encode(input, fields)
    } else {
        TokenStream::new()
    };
    // API-shaped serde is for dynamic use (`#[hbr(serde)]`); a request object nested in a
    // parameter always serializes, as a `json`-style parameter is encoded with it.
    let serde = input.attrs.serde.is_some();
    let serialize = if serde || input.attrs.action.is_none() {
        common::serialize(ident, krate, fields)
    } else {
        TokenStream::new()
    };
    let deserialize = if serde {
        common::deserialize(ident, krate, fields, true)
    } else {
        TokenStream::new()
    };
    let operation = operation(input, fields);
    let facts = crate::expand::facts::expand(input, fields);
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#getters)*
        }
        #builder
        #validate
        #encode
        #operation
        #facts
        #serialize
        #deserialize
    }
}

fn required(fields: &[Field<'_>]) -> Vec<usize> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.optional)
        .map(|(i, _)| i)
        .collect()
}

fn state_param(i: usize) -> syn::Ident {
    format_ident!("__S{}", i)
}

fn required_trait(input: &Input<'_>, f: &Field<'_>) -> syn::Ident {
    format_ident!(
        "__{}{}IsSet",
        input.ident,
        f.ident
            .to_string()
            .trim_start_matches("r#")
            .to_upper_camel_case()
    )
}

/// How a setter takes its value and turns it into the stored type.
fn setter_arg(f: &Field<'_>, p: &TokenStream) -> (TokenStream, TokenStream) {
    let inner = f.inner;
    if let Some(ts) = &f.attrs.timestamp {
        // i64 keeps working: it is a point in time in the field's own unit.
        return if ts.value == hbr_attr_keys::UNIX_MILLIS {
            (
                quote!(impl #p::timestamp::IntoUnixMillis),
                quote!(#p::timestamp::IntoUnixMillis::into_unix_millis(value)),
            )
        } else {
            (
                quote!(impl #p::timestamp::IntoUnixSeconds),
                quote!(#p::timestamp::IntoUnixSeconds::into_unix_seconds(value)),
            )
        };
    }
    match f.kind {
        Kind::Str => (
            quote!(impl ::core::convert::Into<::std::string::String>),
            quote!(value.into()),
        ),
        Kind::Vec => {
            let elem = f.elem();
            let elem_is_str = elem.is_some_and(|e| crate::ty::kind(e) == Kind::Str);
            if elem_is_str {
                (
                    quote!(
                        impl ::core::iter::IntoIterator<
                            Item = impl ::core::convert::Into<::std::string::String>,
                        >
                    ),
                    quote!(value.into_iter().map(::core::convert::Into::into).collect()),
                )
            } else {
                (
                    quote!(impl ::core::iter::IntoIterator<Item = #elem>),
                    quote!(value.into_iter().collect()),
                )
            }
        }
        _ => (quote!(#inner), quote!(value)),
    }
}

fn builder(input: &Input<'_>, fields: &[Field<'_>]) -> TokenStream {
    let ident = input.ident;
    let krate = &input.krate;
    let builder = format_ident!("{}", hbr_attr_keys::builder_type(&ident.to_string()));
    let req = required(fields);
    let states: Vec<_> = req.iter().map(|i| state_param(*i)).collect();
    let names: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let stored: Vec<_> = fields.iter().map(|f| f.inner).collect();
    let unset = quote!(#krate::__private::Unset);
    let builder_doc = format!(
        "Builds a [`{ident}`]. Obtain one with [`{ident}::builder`] (or from the client, bound to it)."
    );

    let req_traits = required_traits(input, fields, &req);
    let bounds: Vec<_> = req
        .iter()
        .map(|i| {
            let tr = required_trait(input, &fields[*i]);
            let s = state_param(*i);
            quote!(#s: #tr)
        })
        .collect();

    let setters = fields
        .iter()
        .enumerate()
        .map(|(i, f)| setter(input, fields, &req, i, f));
    let assemble_fields = fields.iter().map(|f| {
        let name = f.ident;
        let wire = &f.wire;
        if f.optional {
            quote!(#name: self.#name)
        } else {
            quote! {
                #name: match self.#name {
                    ::core::option::Option::Some(v) => v,
                    ::core::option::Option::None => {
                        return (self.client, ::core::result::Result::Err(#krate::__private::ValidationError::single(#wire, "is required")));
                    }
                }
            }
        }
    });

    let unset_defaults = states.iter().map(|s| quote!(#s = #unset));
    let send = send(input, &states, &bounds);
    quote! {
        #(#req_traits)*

        #[doc = #builder_doc]
        #[derive(Clone, Debug)]
        #[must_use = "a builder does nothing until `build()` or `send()` is called"]
        pub struct #builder<C = (), #(#unset_defaults),*> {
            client: C,
            #(#names: ::core::option::Option<#stored>,)*
            _state: ::core::marker::PhantomData<fn() -> (#(#states,)*)>,
        }

        #[automatically_derived]
        impl #ident {
            /// A builder with nothing set.
            pub fn builder() -> #builder {
                #builder {
                    client: (),
                    #(#names: ::core::option::Option::None,)*
                    _state: ::core::marker::PhantomData,
                }
            }
        }

        #[automatically_derived]
        impl<#(#states),*> #builder<(), #(#states),*> {
            /// Binds the builder to a client, so that it can be sent.
            pub fn with_client<C>(self, client: C) -> #builder<C, #(#states),*> {
                #builder {
                    client,
                    #(#names: self.#names,)*
                    _state: ::core::marker::PhantomData,
                }
            }
        }

        #[automatically_derived]
        impl<C, #(#states),*> #builder<C, #(#states),*> {
            #(#setters)*

            /// Checks every documented constraint and returns the request.
            pub fn build(self) -> ::core::result::Result<#ident, #krate::__private::ValidationError> where #(#bounds),* {
                let (_, request) = self.into_parts();
                let request = request?;
                #krate::__private::Validate::validate(&request)?;
                ::core::result::Result::Ok(request)
            }

            #[doc(hidden)]
            pub fn into_parts(self) -> (C, ::core::result::Result<#ident, #krate::__private::ValidationError>) {
                let request = #ident { #(#assemble_fields),* };
                (self.client, ::core::result::Result::Ok(request))
            }
        }

        #send
    }
}

/// Traits that name each required parameter in the compile error when it is left out.
fn required_traits(input: &Input<'_>, fields: &[Field<'_>], req: &[usize]) -> Vec<TokenStream> {
    let ident = input.ident;
    let set = {
        let krate = &input.krate;
        quote!(#krate::__private::Set)
    };
    req.iter()
        .map(|i| {
            let f = &fields[*i];
            let tr = required_trait(input, f);
            let message = format!("required parameter `{}` is not set", f.wire);
            let label = format!("call `.{}(...)` on the builder before this", f.ident);
            let doc = format!(
                "Implemented when `{}` has been set on the builder of [`{ident}`].",
                f.wire
            );
            quote! {
                #[doc = #doc]
                #[doc(hidden)]
                #[diagnostic::on_unimplemented(message = #message, label = #label)]
                pub trait #tr {}
                impl #tr for #set {}
            }
        })
        .collect()
}

/// The method that appends one item to an array field (`item = "..."`).
fn item_setter(f: &Field<'_>) -> Option<TokenStream> {
    let name = f.ident;
    f.attrs.item.as_ref().map(|item| {
        let method = &item.value;
        let elem = f.elem();
        let doc = format!("Appends one item to `{}`.", f.wire);
        let (elem_arg, elem_conv) = if elem.is_some_and(|e| crate::ty::kind(e) == Kind::Str) {
            (
                quote!(impl ::core::convert::Into<::std::string::String>),
                quote!(value.into()),
            )
        } else {
            (quote!(#elem), quote!(value))
        };
        quote! {
            #[doc = #doc]
            pub fn #method(mut self, value: #elem_arg) -> Self {
                self.#name.get_or_insert_with(::std::vec::Vec::new).push(#elem_conv);
                self
            }
        }
    })
}

/// The setters of field `i`: for an optional field the setter and `set_<field>`; for a
/// required one a setter that marks it set in the builder's type.
fn setter(
    input: &Input<'_>,
    fields: &[Field<'_>],
    req: &[usize],
    i: usize,
    f: &Field<'_>,
) -> TokenStream {
    let krate = &input.krate;
    let builder = format_ident!("{}", hbr_attr_keys::builder_type(&input.ident.to_string()));
    let set = quote!(#krate::__private::Set);
    let name = f.ident;
    let docs = &f.docs;
    let (arg, conv) = setter_arg(f, &quote!(#krate::__private));
    let item = item_setter(f);
    if f.optional {
        let set_name = format_ident!("{}", hbr_attr_keys::setter_name(&name.to_string()));
        let inner = f.inner;
        let set_doc = format!("Sets or clears `{}`.", f.wire);
        return quote! {
            #(#docs)*
            pub fn #name(mut self, value: #arg) -> Self {
                self.#name = ::core::option::Option::Some(#conv);
                self
            }
            #[doc = #set_doc]
            pub fn #set_name(mut self, value: ::core::option::Option<#inner>) -> Self {
                self.#name = value;
                self
            }
            #item
        };
    }
    let out_states = req.iter().map(|j| {
        if *j == i {
            set.clone()
        } else {
            let s = state_param(*j);
            quote!(#s)
        }
    });
    let moves = fields.iter().map(|g| {
        let n = g.ident;
        if n == name {
            quote!(#n: ::core::option::Option::Some(#conv))
        } else {
            quote!(#n: self.#n)
        }
    });
    quote! {
        #(#docs)*
        pub fn #name(self, value: #arg) -> #builder<C, #(#out_states),*> {
            #builder {
                client: self.client,
                #(#moves,)*
                _state: ::core::marker::PhantomData,
            }
        }
        #item
    }
}

/// `send()` (and `into_paginator()`) on a builder bound to the client, for an operation.
fn send(input: &Input<'_>, states: &[syn::Ident], bounds: &[TokenStream]) -> Option<TokenStream> {
    let ident = input.ident;
    let krate = &input.krate;
    let builder = format_ident!("{}", hbr_attr_keys::builder_type(&ident.to_string()));
    input.attrs.action.as_ref()?;
    let paginate = super::paging::into_paginator(input, bounds);
    Some(quote! {
        #[automatically_derived]
        impl<#(#states),*> #builder<#krate::Client, #(#states),*> {
            /// Validates the request, signs it and sends it.
            pub fn send(self) -> #krate::SendFuture<#ident>
            where
                #(#bounds),*
            {
                let (client, request) = self.into_parts();
                client.send_built(request)
            }
            #paginate
        }
    })
}

fn opt_ref(f: &Field<'_>) -> TokenStream {
    let name = f.ident;
    if f.optional {
        quote!(self.#name.as_ref())
    } else {
        quote!(::core::option::Option::Some(&self.#name))
    }
}

fn validate(input: &Input<'_>, fields: &[Field<'_>]) -> TokenStream {
    let ident = input.ident;
    let krate = &input.krate;
    let p = quote!(#krate::__private);
    let checks = fields.iter().map(|f| field_checks(f, &p));
    let rules = input
        .attrs
        .rules
        .iter()
        .map(|rule| rule_check(rule, fields, &p));
    quote! {
        #[automatically_derived]
        impl #p::Validate for #ident {
            const NESTED: bool = true;
            #[allow(clippy::useless_conversion)]
            fn validate_into(&self, path: &str, out: &mut ::std::vec::Vec<#p::Violation>) {
                #(#checks)*
                #(#rules)*
            }
        }
    }
}

/// `check(value, lo, hi, path, wire, out)` when either bound is set. The value is read with
/// the bound's span, so that a type mismatch points at the attribute.
fn bound_check<T: quote::ToTokens>(
    lo: Option<&Spanned<T>>,
    hi: Option<&Spanned<T>>,
    check: TokenStream,
    value: impl Fn(Span) -> TokenStream,
    wire: &str,
) -> TokenStream {
    let Some(span) = lo.or(hi).map(|s| s.span) else {
        return TokenStream::new();
    };
    let bound = |b: Option<&Spanned<T>>| match b {
        Some(s) => {
            let v = &s.value;
            quote!(::core::option::Option::Some(#v))
        }
        None => quote!(::core::option::Option::None),
    };
    let (lo, hi, value) = (bound(lo), bound(hi), value(span));
    quote!(#check(#value, #lo, #hi, path, #wire, out);)
}

/// The checks of one field's constraints, and of what a nested field holds.
fn field_checks(f: &Field<'_>, p: &TokenStream) -> TokenStream {
    let name = f.ident;
    let wire = &f.wire;
    let a = &f.attrs;
    let mut out = TokenStream::new();
    let optional = f.optional;
    out.extend(bound_check(
        a.minimum.as_ref(),
        a.maximum.as_ref(),
        quote!(#p::check_range),
        |span| match optional {
            true => quote_spanned!(span=> self.#name.map(::core::convert::Into::<i64>::into)),
            false => quote_spanned!(span=> ::core::option::Option::Some(::core::convert::Into::<i64>::into(self.#name))),
        },
        wire,
    ));
    out.extend(bound_check(
        a.min_length.as_ref(),
        a.max_length.as_ref(),
        quote!(#p::check_length),
        |span| match optional {
            true => quote_spanned!(span=> self.#name.as_deref()),
            false => quote_spanned!(span=> ::core::option::Option::Some(self.#name.as_str())),
        },
        wire,
    ));
    out.extend(bound_check(
        a.min_items.as_ref(),
        a.max_items.as_ref(),
        quote!(#p::check_items),
        |span| match optional {
            true => quote_spanned!(span=> self.#name.as_deref()),
            false => quote_spanned!(span=> ::core::option::Option::Some(self.#name.as_slice())),
        },
        wire,
    ));
    if let Some(pattern) = &a.pattern {
        let pat = &pattern.value;
        let value = if f.optional {
            quote_spanned!(pattern.span=> self.#name.as_deref())
        } else {
            quote_spanned!(pattern.span=> ::core::option::Option::Some(self.#name.as_str()))
        };
        out.extend(quote! {{
            static RE: ::std::sync::OnceLock<::core::option::Option<#p::Regex>> = ::std::sync::OnceLock::new();
            #p::check_pattern(#value, #pat, &RE, path, #wire, out);
        }});
    }
    if matches!(f.kind, Kind::Vec | Kind::Other) {
        let ty = f.ty;
        out.extend(quote! {
            if <#ty as #p::Validate>::NESTED {
                #p::Validate::validate_into(&self.#name, &#p::child_path(path, #wire), out);
            }
        });
    }
    out
}

/// The check of one rule: its conditions, then its check, then the violation.
fn rule_check(rule: &RuleAttr, fields: &[Field<'_>], p: &TokenStream) -> TokenStream {
    // The field's value and its documented default, as `effective` and `contradicts` take them.
    let value_and_default = |f: &Field<'_>| {
        let r = opt_ref(f);
        let default = match f.attrs.default.as_ref() {
            Some(d) => {
                let s = d.value.wire();
                quote!(::core::option::Option::Some(#s))
            }
            None => quote!(::core::option::Option::None),
        };
        (r, default)
    };
    let eff = |wire: &str| match fields.iter().find(|f| f.wire == wire) {
        Some(f) => {
            let (r, default) = value_and_default(f);
            quote!(#p::effective(#r, #default))
        }
        None => quote!(::core::option::Option::None::<::std::borrow::Cow<'_, str>>),
    };
    let holds = |list: &[crate::attr::Condition]| -> Vec<TokenStream> {
        list.iter()
            .map(|(field, values)| {
                let e = eff(&field.value);
                quote!(#p::is_one_of(&#e, &[#(#values),*]))
            })
            .collect()
    };
    let conds = holds(&rule.when);
    let target = &rule.field.value;
    let message = &rule.message;
    let check = match &rule.check {
        RuleCheck::NotOneOf(values) => {
            let e = eff(target);
            quote!(#p::is_one_of(&#e, &[#(#values),*]))
        }
        // A documented value (or the default) outside the list: a value the spec does not
        // know is the service's to judge, as everywhere else.
        RuleCheck::OneOf(values) => match fields.iter().find(|f| f.wire == *target) {
            Some(f) => {
                let (r, default) = value_and_default(f);
                quote!(#p::contradicts(#r, #default, &[#(#values),*]))
            }
            None => quote!(false),
        },
        RuleCheck::Items(n) => match fields.iter().find(|f| f.wire == *target) {
            Some(f) => {
                let name = f.ident;
                if f.optional {
                    quote!(self.#name.as_ref().map_or(0, ::std::vec::Vec::len) != #n)
                } else {
                    quote!(self.#name.len() != #n)
                }
            }
            None => quote!(false),
        },
        RuleCheck::Required => match fields.iter().find(|f| f.wire == *target) {
            Some(f) if f.optional => {
                let name = f.ident;
                quote!(self.#name.is_none())
            }
            _ => quote!(false),
        },
        // Set, while some condition does not hold.
        RuleCheck::OnlyWhen(list) => {
            let present = match fields.iter().find(|f| f.wire == *target) {
                Some(f) if f.optional => {
                    let name = f.ident;
                    quote!(self.#name.is_some())
                }
                Some(_) => quote!(true),
                None => quote!(false),
            };
            // Refused only where a condition's field holds a documented value outside the
            // listed ones: the documentation does not speak of unknown values.
            let contradicted = list.iter().map(|(field, values)| {
                match fields.iter().find(|f| f.wire == field.value) {
                    Some(f) => {
                        let (r, default) = value_and_default(f);
                        quote!(#p::contradicts(#r, #default, &[#(#values),*]))
                    }
                    None => quote!(false),
                }
            });
            quote!(#present && (false #(|| #contradicted)*))
        }
    };
    quote! {
        if true #(&& #conds)* && #check {
            #p::rule_violation(path, #target, #message, out);
        }
    }
}

fn location(f: &Field<'_>, krate: &TokenStream) -> TokenStream {
    match f.attrs.location.as_ref().map(|l| l.value.as_str()) {
        Some(hbr_attr_keys::BODY) => quote!(#krate::__private::Location::Body),
        _ => quote!(#krate::__private::Location::Query),
    }
}

fn encode_field(
    f: &Field<'_>,
    krate: &TokenStream,
    key: TokenStream,
    loc: TokenStream,
) -> TokenStream {
    let name = f.ident;
    let p = quote!(#krate::__private);
    if f.attrs
        .style
        .as_ref()
        .is_some_and(|s| s.value == hbr_attr_keys::JSON)
    {
        let r = opt_ref(f);
        quote!(#p::encode_json(#r, #key, #loc, out);)
    } else {
        quote!(#p::EncodeParam::encode_param(&self.#name, #key, #loc, out);)
    }
}

/// Fields in wire-name order: the official SDKs put parameters on the wire sorted by name at
/// every level, and so do we, so that requests are byte-identical.
fn by_wire<'f, 'a>(fields: &'f [Field<'a>]) -> Vec<&'f Field<'a>> {
    let mut sorted: Vec<_> = fields.iter().collect();
    sorted.sort_by(|a, b| a.wire.cmp(&b.wire));
    sorted
}

fn encode(input: &Input<'_>, fields: &[Field<'_>]) -> TokenStream {
    let ident = input.ident;
    let krate = &input.krate;
    let p = quote!(#krate::__private);
    let nested = by_wire(fields).into_iter().map(|f| {
        let wire = &f.wire;
        encode_field(
            f,
            krate,
            quote!(&#p::join_key(key, #wire)),
            quote!(location),
        )
    });
    quote! {
        #[automatically_derived]
        impl #p::EncodeParam for #ident {
            fn encode_param(&self, key: &str, location: #p::Location, out: &mut #p::Params) {
                #(#nested)*
            }
        }
    }
}

fn operation(input: &Input<'_>, fields: &[Field<'_>]) -> TokenStream {
    let (Some(action), Some(version), Some(response)) = (
        &input.attrs.action,
        &input.attrs.version,
        &input.attrs.response,
    ) else {
        return TokenStream::new();
    };
    let ident = input.ident;
    let krate = &input.krate;
    let p = quote!(#krate::__private);
    let action = &action.value;
    let version = &version.value;
    let response = &response.value;
    // Without `kind`, a write: the safe choice (never sent again when its outcome is unknown).
    let kind = match input.attrs.kind.as_ref().map(|k| k.value.as_str()) {
        Some(hbr_attr_keys::READ) => quote!(#p::OperationKind::Read),
        _ => quote!(#p::OperationKind::Write),
    };
    let form_body = fields.iter().any(|f| {
        f.attrs
            .location
            .as_ref()
            .is_some_and(|l| l.value == hbr_attr_keys::BODY)
    });
    let top = by_wire(fields).into_iter().map(|f| {
        let wire = &f.wire;
        encode_field(f, krate, quote!(#wire), location(f, krate))
    });
    let paginated = super::paging::paginated(input, response);
    quote! {
        #[automatically_derived]
        impl #p::Operation for #ident {
            type Output = #response;
            const ACTION: &'static str = #action;
            const VERSION: &'static str = #version;
            const FORM_BODY: bool = #form_body;
            const KIND: #p::OperationKind = #kind;
            fn encode(&self) -> #p::Params {
                let mut params = #p::Params::default();
                let out = &mut params;
                #(#top)*
                params
            }
        }
        #paginated
    }
}
