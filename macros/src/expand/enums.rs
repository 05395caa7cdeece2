//! `HbrEnum`: wire value ⇄ variant.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ast::{Input, Variant};

pub fn expand(input: &Input<'_>, variants: &[Variant<'_>]) -> TokenStream {
    let ident = input.ident;
    let krate = &input.krate;
    let known: Vec<_> = variants
        .iter()
        .filter(|v| v.attrs.unknown.is_none())
        .collect();
    let unknown = variants
        .iter()
        .find(|v| v.attrs.unknown.is_some())
        .map(|v| v.ident);
    let Some(unknown) = unknown else {
        return TokenStream::new();
    };
    let idents: Vec<_> = known.iter().map(|v| v.ident).collect();
    let wires: Vec<String> = known
        .iter()
        .map(|v| {
            v.attrs
                .wire
                .as_ref()
                .map(|w| w.value.clone())
                .unwrap_or_default()
        })
        .collect();
    let inherent = inherent(ident, unknown, &idents, &wires);
    let conversions = conversions(ident);
    let serde = serde_impls(ident, krate);
    let wire = wire_impls(ident, krate);
    quote! {
        #inherent
        #conversions
        #serde
        #wire
    }
}

/// `VALUES`, `known()`, `as_str`, `from_wire`, `is_unknown`.
fn inherent(ident: &Ident, unknown: &Ident, idents: &[&Ident], wires: &[String]) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl #ident {
            /// Every wire value this version of the SDK knows, in documented order: the one
            /// list of them that other code (CLI, emulator) reads.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// Every known variant, in documented order.
            pub fn known() -> &'static [Self] {
                &[#(Self::#idents),*]
            }

            /// The value as the service spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::#unknown(raw) => raw.as_str(),
                }
            }

            /// The variant for a wire value; values this SDK does not know become the unknown variant.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #(#wires => Self::#idents,)*
                    other => Self::#unknown(::std::string::String::from(other)),
                }
            }

            /// Whether the value is one this version of the SDK does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::#unknown(_))
            }
        }
    }
}

/// `Display`, `FromStr`, `From<&str>`, `AsRef<str>`.
fn conversions(ident: &Ident) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl ::core::str::FromStr for #ident {
            type Err = ::core::convert::Infallible;
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from_wire(s))
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<&str> for #ident {
            fn from(s: &str) -> Self {
                Self::from_wire(s)
            }
        }

        #[automatically_derived]
        impl ::core::convert::AsRef<str> for #ident {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
    }
}

/// `Serialize`, `Deserialize` (any string, unknown ones kept) and `FromWire`.
fn serde_impls(ident: &Ident, krate: &TokenStream) -> TokenStream {
    let expecting = format!("a {ident} value");
    quote! {
        #[automatically_derived]
        impl #krate::__private::serde::Serialize for #ident {
            fn serialize<S: #krate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl<'de> #krate::__private::serde::Deserialize<'de> for #ident {
            fn deserialize<D: #krate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct __Visitor;
                impl<'de> #krate::__private::serde::de::Visitor<'de> for __Visitor {
                    type Value = #ident;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_str<E: #krate::__private::serde::de::Error>(self, v: &str) -> ::core::result::Result<#ident, E> {
                        ::core::result::Result::Ok(#ident::from_wire(v))
                    }
                }
                deserializer.deserialize_str(__Visitor)
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

/// `EncodeParam`, `Validate` (nothing to check) and `RuleValue`.
fn wire_impls(ident: &Ident, krate: &TokenStream) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl #krate::__private::EncodeParam for #ident {
            fn encode_param(&self, key: &str, location: #krate::__private::Location, out: &mut #krate::__private::Params) {
                out.push(location, ::std::string::String::from(key), ::std::string::String::from(self.as_str()));
            }
        }

        #[automatically_derived]
        impl #krate::__private::Validate for #ident {}

        #[automatically_derived]
        impl #krate::__private::RuleValue for #ident {
            fn rule_value(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }

            fn rule_known(&self) -> bool {
                Self::VALUES.contains(&self.as_str())
            }
        }
    }
}
