//! Enums: one unit variant per known value, and `Unknown` for the rest.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::{doc_attrs, hbr_attr, ident, key};
use crate::ir::Enum;
use crate::naming::UNKNOWN_VARIANT;

/// An enum deriving `HbrEnum`.
pub(super) fn item(e: &Enum) -> TokenStream {
    let name = ident(&e.name);
    let doc = doc_attrs(&format!(
        "{}\n\nValues this SDK does not know are kept in `Unknown`, so a new value from the service never breaks a response.",
        e.doc.as_deref().unwrap_or_default().trim_end()
    ));
    let wire_key = key(hbr_attr_keys::WIRE);
    let unknown_attr = hbr_attr(&[key(hbr_attr_keys::UNKNOWN).into_token_stream()]);
    let unknown = ident(UNKNOWN_VARIANT);
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        let vdoc = doc_attrs(&format!(
            "`{wire}`: {}",
            v.doc.as_deref().unwrap_or_default()
        ));
        let attr = hbr_attr(&[quote!(#wire_key = #wire)]);
        quote! {
            #vdoc
            #attr
            #vname,
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, ::hbr_client::HbrEnum)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the SDK does not know, kept as the service sent it.
            #unknown_attr
            #unknown(::std::string::String),
        }
    }
}
