//! `HbrResponse`: lenient serde with wire names, accessors, and (with `output`) the envelope.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::{Field, Input};
use crate::expand::common;
use crate::ty::Kind;

pub fn expand(input: &Input<'_>, fields: &[Field<'_>]) -> TokenStream {
    let ident = input.ident;
    let krate = &input.krate;
    let p = quote!(#krate::__private);
    let accessors = fields.iter().map(|f| accessors(f, &p));
    // A response always deserializes (that is how it is read); serializing it back to
    // API-shaped JSON is for dynamic use (`#[hbr(serde)]`).
    let serialize = match input.attrs.serde {
        Some(_) => common::serialize(ident, krate, fields),
        None => TokenStream::new(),
    };
    let deserialize = common::deserialize(ident, krate, fields, false);
    let output = input.attrs.output.as_ref().map(|_| {
        let find = |wire: &str, kind: Kind| {
            fields
                .iter()
                .find(|f| f.wire == wire && f.kind == kind)
                .map(|f| f.ident)
        };
        let string = |wire: &str| match find(wire, Kind::Str) {
            Some(name) => quote!(self.#name.as_deref()),
            None => quote!(::core::option::Option::None),
        };
        let request_id = string("RequestId");
        let code = string("Code");
        let message = string("Message");
        let success = match find("Success", Kind::Bool) {
            Some(name) => quote!(self.#name),
            None => quote!(::core::option::Option::None),
        };
        quote! {
            #[automatically_derived]
            impl #p::OperationOutput for #ident {
                fn request_id(&self) -> ::core::option::Option<&str> { #request_id }
                fn success(&self) -> ::core::option::Option<bool> { #success }
                fn code(&self) -> ::core::option::Option<&str> { #code }
                fn message(&self) -> ::core::option::Option<&str> { #message }
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#accessors)*
        }
        #serialize
        #deserialize
        #output
    }
}

fn accessors(f: &Field<'_>, p: &TokenStream) -> TokenStream {
    let name = f.ident;
    let base = name.to_string();
    let base = base.trim_start_matches("r#");
    let wire = &f.wire;
    let docs = &f.docs;
    let mut out = TokenStream::new();
    if let Some(ts) = &f.attrs.timestamp {
        let raw = format_ident!("{}_raw", base);
        let conv = if ts.value == hbr_attr_keys::UNIX_MILLIS {
            quote!(#p::timestamp::from_unix_millis)
        } else {
            quote!(#p::timestamp::from_unix_seconds)
        };
        let raw_doc = format!(
            "`{wire}` as sent: {}.",
            if ts.value == hbr_attr_keys::UNIX_MILLIS {
                "unix milliseconds"
            } else {
                "unix seconds"
            }
        );
        out.extend(quote! {
            #(#docs)*
            ///
            /// Returned as a UTC time value; `None` when absent or out of range.
            pub fn #name(&self) -> ::core::option::Option<#p::time::OffsetDateTime> {
                self.#name.map(::core::convert::Into::<i64>::into).and_then(#conv)
            }
            #[doc = #raw_doc]
            pub fn #raw(&self) -> ::core::option::Option<i64> {
                self.#name.map(::core::convert::Into::<i64>::into)
            }
        });
    } else {
        out.extend(common::getter(f, name));
    }
    if f.attrs.percent_x100.is_some() {
        let pct = format_ident!("{}_percent", base);
        let doc = format!(
            "`{wire}` as a percentage (the wire value is percent × 100, so 10000 is 100.0)"
        );
        out.extend(quote! {
            #[doc = #doc]
            pub fn #pct(&self) -> ::core::option::Option<f64> {
                self.#name.map(|v| f64::from(v as i32) / 100.0)
            }
        });
    }
    if let Some(json) = &f.attrs.json {
        let parsed = format_ident!("{}_parsed", base);
        let ty = &json.value;
        let doc =
            format!("Decodes the JSON that `{wire}` carries. `Ok(None)` when the field is absent.");
        out.extend(quote! {
            #[doc = #doc]
            pub fn #parsed(&self) -> ::core::result::Result<::core::option::Option<#ty>, #p::JsonFieldError> {
                #p::json_field::parse_opt::<#ty>(#wire, self.#name.as_deref())
            }
        });
    }
    if f.kind == Kind::Vec {
        let into = format_ident!("into_{}", base);
        let elem = f.elem();
        let doc = format!("Takes the items of `{wire}` out of the response.");
        out.extend(quote! {
            #[doc = #doc]
            pub fn #into(self) -> ::std::vec::Vec<#elem> {
                self.#name.unwrap_or_default()
            }
        });
    }
    out
}
