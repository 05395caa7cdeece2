//! Pieces shared by the struct derives.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::Field;
use crate::ty::Kind;

/// `Serialize` to API-shaped JSON: wire names, absent fields skipped.
pub fn serialize(ident: &syn::Ident, krate: &TokenStream, fields: &[Field<'_>]) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let name = f.ident;
        let wire = &f.wire;
        let value = match &f.attrs.wrapper {
            Some(w) => {
                let inner = &w.value;
                quote!(&#krate::__private::Wrapped { name: #inner, value })
            }
            None => quote!(value),
        };
        if f.optional {
            quote! {
                if let ::core::option::Option::Some(value) = &self.#name {
                    map.serialize_entry(#wire, #value)?;
                }
            }
        } else {
            quote! {
                {
                    let value = &self.#name;
                    map.serialize_entry(#wire, #value)?;
                }
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #krate::__private::serde::Serialize for #ident {
            fn serialize<S: #krate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                use #krate::__private::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                #(#entries)*
                map.end()
            }
        }
    }
}

/// `Deserialize` from API-shaped JSON (and `FromWire` delegating to it).
///
/// `strict`: unknown and duplicate keys are errors and required fields must be present
/// (requests); otherwise unknown keys are ignored (responses).
pub fn deserialize(
    ident: &syn::Ident,
    krate: &TokenStream,
    fields: &[Field<'_>],
    strict: bool,
) -> TokenStream {
    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    // A request reads each parameter into a local and then checks the required ones are
    // there; a response, whose fields are all optional, reads each straight into its field.
    let (start, slots, finish): (TokenStream, Vec<TokenStream>, TokenStream) = if strict {
        let vars: Vec<_> = (0..fields.len())
            .map(|i| format_ident!("__f{}", i))
            .collect();
        let decls = fields.iter().zip(&vars).map(|(f, var)| {
            let ty = f.ty;
            quote!(let mut #var: ::core::option::Option<#ty> = ::core::option::Option::None;)
        });
        let inits = fields.iter().zip(&vars).map(|(f, var)| {
            let name = f.ident;
            let wire = &f.wire;
            if f.optional {
                quote!(#name: #var.flatten())
            } else {
                quote! {
                    #name: match #var {
                        ::core::option::Option::Some(v) => v,
                        ::core::option::Option::None => {
                            return ::core::result::Result::Err(#krate::__private::missing_parameter::<A::Error>(#wire));
                        }
                    }
                }
            }
        });
        let slots = vars.iter().map(|v| quote!(&mut #v)).collect();
        (
            quote!(#(#decls)*),
            slots,
            quote!(::core::result::Result::Ok(#ident { #(#inits),* })),
        )
    } else {
        let names: Vec<_> = fields.iter().map(|f| f.ident).collect();
        let slots = names.iter().map(|n| quote!(&mut __out.#n)).collect();
        (
            quote!(let mut __out = #ident { #(#names: ::core::option::Option::None),* };),
            slots,
            quote!(::core::result::Result::Ok(__out)),
        )
    };
    let dispatch = dispatch(krate, fields, &slots, strict);
    let expecting = format!("a {ident} object");
    quote! {
        #[automatically_derived]
        impl<'de> #krate::__private::serde::Deserialize<'de> for #ident {
            fn deserialize<D: #krate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                const FIELDS: &[&str] = &[#(#wires),*];
                struct __Visitor;
                impl<'de> #krate::__private::serde::de::Visitor<'de> for __Visitor {
                    type Value = #ident;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: #krate::__private::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<#ident, A::Error> {
                        #start
                        while let ::core::option::Option::Some(#krate::__private::Key(key)) = map.next_key::<#krate::__private::Key<'de>>()? {
                            #dispatch
                        }
                        #finish
                    }
                }
                let _ = FIELDS;
                deserializer.deserialize_map(__Visitor)
            }
        }

        #[automatically_derived]
        impl<'de> #krate::__private::FromWire<'de> for #ident {
            fn from_wire<D: #krate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                <Self as #krate::__private::serde::Deserialize<'de>>::deserialize(deserializer)
            }
        }
    }
}

/// The `match` that reads one key's value into its field's slot (`vars`), or refuses or
/// skips an unknown key.
///
/// Keys are dispatched on their length first (a jump), then compared only with the field
/// names of that length: a response object's ~60 names otherwise cost a comparison chain
/// per key.
fn dispatch(
    krate: &TokenStream,
    fields: &[Field<'_>],
    slots: &[TokenStream],
    strict: bool,
) -> TokenStream {
    let arms: Vec<(usize, TokenStream)> = fields
        .iter()
        .zip(slots)
        .map(|(f, slot)| (f.wire.len(), arm(krate, f, slot, strict)))
        .collect();
    let unknown = if strict {
        quote! {
            other => ::core::result::Result::Err(#krate::__private::unknown_parameter::<A::Error>(other, FIELDS)),
        }
    } else {
        quote! {
            _ => #krate::__private::skip_value::<A>(&mut map),
        }
    };
    let mut by_len: std::collections::BTreeMap<usize, Vec<TokenStream>> = Default::default();
    for (len, arm) in arms {
        by_len.entry(len).or_default().push(arm);
    }
    let groups = by_len.into_iter().map(|(len, arms)| {
        quote! {
            #len => match &*key {
                #(#arms)*
                #unknown
            },
        }
    });
    // Every arm is one call giving `Result<(), A::Error>`; the error is propagated once.
    quote! {
        let read: ::core::result::Result<(), A::Error> = match key.len() {
            #(#groups)*
            _ => match &*key {
                #unknown
            },
        };
        read?;
    }
}

/// The arm of one field: one call that reads its value (through its wrapper, if any) into
/// `slot` (a request's local, or a response's field), refusing a second one in a request.
fn arm(krate: &TokenStream, f: &Field<'_>, slot: &TokenStream, strict: bool) -> TokenStream {
    let wire = &f.wire;
    let ty = f.ty;
    let inner = f.inner;
    match &f.attrs.wrapper {
        // Only response fields take a wrapper.
        Some(w) => {
            let inner_name = &w.value;
            quote!(#wire => #krate::__private::read_wrapped::<#inner, A>(&mut map, #slot, #wire, #inner_name),)
        }
        None if strict => {
            quote!(#wire => #krate::__private::read_param::<#ty, A>(&mut map, #slot, #wire),)
        }
        None => {
            quote!(#wire => #krate::__private::read_optional::<#inner, A>(&mut map, #slot, #wire),)
        }
    }
}

/// The plain getter of a field: copies for scalars, `&str` for strings, slices for arrays.
pub fn getter(f: &Field<'_>, name: &syn::Ident) -> TokenStream {
    let field = f.ident;
    let docs = &f.docs;
    let inner = f.inner;
    let (ret, body) = match (f.kind, f.optional) {
        (k, true) if k.is_copy() => (quote!(::core::option::Option<#inner>), quote!(self.#field)),
        (k, false) if k.is_copy() => (quote!(#inner), quote!(self.#field)),
        (Kind::Str, true) => (
            quote!(::core::option::Option<&str>),
            quote!(self.#field.as_deref()),
        ),
        (Kind::Str, false) => (quote!(&str), quote!(self.#field.as_str())),
        (Kind::Vec, opt) => {
            let elem = f.elem();
            let body = if opt {
                quote!(self.#field.as_deref().unwrap_or_default())
            } else {
                quote!(self.#field.as_slice())
            };
            (quote!(&[#elem]), body)
        }
        (_, true) => (
            quote!(::core::option::Option<&#inner>),
            quote!(self.#field.as_ref()),
        ),
        (_, false) => (quote!(&#inner), quote!(&self.#field)),
    };
    quote! {
        #(#docs)*
        pub fn #name(&self) -> #ret {
            #body
        }
    }
}
