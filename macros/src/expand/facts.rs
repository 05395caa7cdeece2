//! `HbrRequest`'s facts: an associated `Param` const per field, and `PageParams` (by page
//! number) or `TokenPageParams` (by token) for a paginated operation, so that other code
//! reads the bounds and defaults from the attributes instead of keeping copies.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use crate::ast::{Field, Input};
use crate::attr::{Cursor, LitValue};

/// The name of a field's const (`page_size` → `PAGE_SIZE`), by the rule the generator checks
/// names against.
pub fn const_name(f: &Field<'_>) -> syn::Ident {
    let name = hbr_attr_keys::const_name(&f.ident.to_string());
    format_ident!("{}", name, span = f.ident.span())
}

fn option<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

fn param(f: &Field<'_>, krate: &TokenStream) -> TokenStream {
    let a = &f.attrs;
    let wire = &f.wire;
    let required = !f.optional;
    let scalar = quote!(#krate::facts::Scalar);
    let default = option(a.default.as_ref().map(|d| match &d.value {
        LitValue::Int(i) => quote!(#scalar::Int(#i)),
        LitValue::Str(s) => quote!(#scalar::Str(#s)),
        LitValue::Bool(b) => quote!(#scalar::Bool(#b)),
    }));
    let minimum = option(a.minimum.as_ref().map(|s| s.value));
    let maximum = option(a.maximum.as_ref().map(|s| s.value));
    let min_length = option(a.min_length.as_ref().map(|s| s.value));
    let max_length = option(a.max_length.as_ref().map(|s| s.value));
    let min_items = option(a.min_items.as_ref().map(|s| s.value));
    let max_items = option(a.max_items.as_ref().map(|s| s.value));
    let pattern = option(a.pattern.as_ref().map(|s| s.value.as_str()));
    quote! {
        #krate::facts::Param {
            wire: #wire,
            required: #required,
            default: #default,
            minimum: #minimum,
            maximum: #maximum,
            min_length: #min_length,
            max_length: #max_length,
            min_items: #min_items,
            max_items: #max_items,
            pattern: #pattern,
        }
    }
}

/// The consts of every field, and `PageParams` when the request pages.
pub fn expand(input: &Input<'_>, fields: &[Field<'_>]) -> TokenStream {
    let ident = input.ident;
    let krate = &input.krate;
    let consts = fields.iter().map(|f| {
        let name = const_name(f);
        let doc = format!(
            "What the spec says of `{}`: whether it is required, its default and its bounds.",
            f.wire
        );
        let value = param(f, krate);
        quote! {
            #[doc = #doc]
            pub const #name: #krate::facts::Param = #value;
        }
    });
    let paged = page_params(input, fields);
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#consts)*
        }
        #paged
    }
}

fn page_params(input: &Input<'_>, fields: &[Field<'_>]) -> TokenStream {
    let Some(pg) = &input.attrs.paginate else {
        return TokenStream::new();
    };
    let find = |name: &syn::Ident| fields.iter().find(|f| f.ident == name);
    let ident = input.ident;
    let krate = &input.krate;
    let Some(size) = find(&pg.value.page_size) else {
        return TokenStream::new();
    };
    let size_const = const_name(size);
    let number = match &pg.value.cursor {
        Cursor::Number(number) => number,
        Cursor::Token(token) => {
            let Some(token) = find(token) else {
                return TokenStream::new();
            };
            let token = const_name(token);
            return quote! {
                #[automatically_derived]
                impl #krate::facts::TokenPageParams for #ident {
                    const NEXT_TOKEN: #krate::facts::Param = Self::#token;
                    const PAGE_SIZE: #krate::facts::Param = Self::#size_const;
                }
            };
        }
    };
    let (Some(number), Some(maximum)) = (find(number), &size.attrs.maximum) else {
        return TokenStream::new();
    };
    let number = const_name(number);
    // An unsuffixed literal: a maximum that does not fit `i32` fails on the attribute.
    let literal = Literal::i64_unsuffixed(maximum.value);
    let max = quote_spanned!(maximum.span=> #literal);
    quote! {
        #[automatically_derived]
        impl #krate::facts::PageParams for #ident {
            const PAGE_NUMBER: #krate::facts::Param = Self::#number;
            const PAGE_SIZE: #krate::facts::Param = Self::#size_const;
            const MAX_PAGE_SIZE: i32 = #max;
        }
    }
}
