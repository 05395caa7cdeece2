//! Code generation for each derive, and the fallback emitted beside errors.

pub mod common;
pub mod enums;
pub mod facts;
pub mod paging;
pub mod request;
pub mod response;

use proc_macro2::TokenStream;
use quote::quote;

/// Minimal impls emitted beside a derive error, so that uses of the type elsewhere do not
/// add a cascade of "trait not implemented" errors to the one that matters.
pub fn fallback(input: &syn::DeriveInput) -> TokenStream {
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        return TokenStream::new();
    }
    quote! {
        const _: () = {
            impl ::hbr_client::__private::Validate for #ident {}
            impl ::hbr_client::__private::EncodeParam for #ident {
                fn encode_param(&self, _: &str, _: ::hbr_client::__private::Location, _: &mut ::hbr_client::__private::Params) {
                    ::core::unimplemented!()
                }
            }
            impl<'de> ::hbr_client::__private::FromWire<'de> for #ident {
                fn from_wire<D: ::hbr_client::__private::serde::Deserializer<'de>>(_: D) -> ::core::result::Result<Self, D::Error> {
                    ::core::unimplemented!()
                }
            }
            impl ::hbr_client::__private::serde::Serialize for #ident {
                fn serialize<S: ::hbr_client::__private::serde::Serializer>(&self, _: S) -> ::core::result::Result<S::Ok, S::Error> {
                    ::core::unimplemented!()
                }
            }
        };
    }
}
