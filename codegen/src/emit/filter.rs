//! The typed filter API of a filter object: its key facts, one constructor per key, `raw`
//! for any key, and the parts constructor the typed keys use.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{doc_attrs, ident, rust_type};
use crate::ir::{Filter, FilterKeyKind};
use crate::naming::FILTER_KEYS_CONST;

/// The `impl` blocks of the filter type `id`.
pub(super) fn api(id: &Ident, f: &Filter) -> TokenStream {
    let key_ty = rust_type(&f.key_type);
    let op_ty = rust_type(&f.operator_type);
    let key_f = ident(&f.key_field);
    let op_f = ident(&f.operator_field);
    let values_f = ident(&f.values_field);
    let others = f.others.iter().map(|o| {
        let n = ident(o);
        quote!(#n: ::core::option::Option::None)
    });
    let facts = key_facts(f);
    let constructors = constructors(id, f);
    let facts_const = ident(FILTER_KEYS_CONST);
    quote! {
        impl #id {
            /// Every key with a typed constructor: what it compares and the operators it
            /// accepts.
            pub const #facts_const: &'static [::hbr_client::facts::FilterKeyFacts] = &[#(#facts),*];

            #(#constructors)*

            /// A filter on any key with any operator, for keys the service adds later. Its
            /// documented rules are checked when the request is built or sent.
            pub fn raw(
                key: #key_ty,
                operator: #op_ty,
                values: impl ::core::iter::IntoIterator<Item = impl ::core::convert::Into<::std::string::String>>,
            ) -> Self {
                Self {
                    #key_f: ::core::option::Option::Some(key),
                    #op_f: ::core::option::Option::Some(operator),
                    #values_f: ::core::option::Option::Some(values.into_iter().map(::core::convert::Into::into).collect()),
                    #(#others,)*
                }
            }
        }

        impl ::hbr_client::filter::FromFilterParts for #id {
            fn from_filter_parts(key: &'static str, operator: &'static str, values: ::std::vec::Vec<::std::string::String>) -> Self {
                Self::raw(
                    <#key_ty as ::core::convert::From<&str>>::from(key),
                    <#op_ty as ::core::convert::From<&str>>::from(operator),
                    values,
                )
            }
        }
    }
}

/// A `FilterKeyFacts` per key.
fn key_facts(f: &Filter) -> Vec<TokenStream> {
    let facts = quote!(::hbr_client::facts);
    f.keys
        .iter()
        .map(|k| {
            let wire = &k.wire;
            let kind = match &k.kind {
                FilterKeyKind::String => quote!(#facts::FilterKind::String),
                FilterKeyKind::Enum(e) => {
                    let e = rust_type(e);
                    quote!(#facts::FilterKind::Enum(#e::VALUES))
                }
                FilterKeyKind::Time => quote!(#facts::FilterKind::Time),
            };
            let operators = k.operators;
            quote! {
                #facts::FilterKeyFacts { key: #wire, kind: #kind, operators: &[#(#operators),*] }
            }
        })
        .collect()
}

/// One constructor per key, returning the typed key of its kind.
fn constructors(id: &Ident, f: &Filter) -> Vec<TokenStream> {
    f.keys
        .iter()
        .map(|k| {
            let wire = &k.wire;
            let name = ident(&k.constructor);
            let (ty, ctor, what) = match &k.kind {
                FilterKeyKind::String => (
                    quote!(::hbr_client::filter::StringKey<#id>),
                    quote!(::hbr_client::filter::StringKey::new(#wire)),
                    "equal, not_equal or is_in a string",
                ),
                FilterKeyKind::Enum(e) => {
                    let e = rust_type(e);
                    (
                        quote!(::hbr_client::filter::EnumKey<#id, #e>),
                        quote!(::hbr_client::filter::EnumKey::new(#wire)),
                        "equal, not_equal or is_in typed values",
                    )
                }
                FilterKeyKind::Time => (
                    quote!(::hbr_client::filter::TimeKey<#id>),
                    quote!(::hbr_client::filter::TimeKey::new(#wire)),
                    "compare with a time (unix seconds, `OffsetDateTime` or `SystemTime`), or `between(min, max)`; `IN` is not offered",
                ),
            };
            let doc = doc_attrs(&format!("A filter on `{wire}`: {what}."));
            quote! {
                #doc
                pub fn #name() -> #ty {
                    #ctor
                }
            }
        })
        .collect()
}
