//! A typed view of the derive input that borrows the syn tree and keeps spans.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, Type};

use crate::attr::{self, Container, FieldAttr, VariantAttr};
use crate::ctxt::Ctxt;
use crate::ty::{self, Kind};

pub struct Variant<'a> {
    pub ident: &'a Ident,
    pub attrs: VariantAttr,
    pub original: &'a syn::Variant,
}

pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    /// `Option<T>`: the field may be absent.
    pub optional: bool,
    /// `T` of `Option<T>`, or the type itself.
    pub inner: &'a Type,
    pub kind: Kind,
    pub attrs: FieldAttr,
    pub wire: String,
    pub docs: Vec<Attribute>,
}

impl Field<'_> {
    /// Whether the value type (inside any `Option`) is `i64`.
    pub fn inner_is_i64(&self) -> bool {
        matches!(self.inner, Type::Path(p) if p.qself.is_none() && p.path.is_ident("i64"))
    }

    /// The element type of a `Vec<T>` field.
    pub fn elem(&self) -> Option<&Type> {
        ty::generic_arg(self.inner, "Vec")
    }
}

pub enum Body<'a> {
    Enum(Vec<Variant<'a>>),
    Struct(Vec<Field<'a>>),
}

pub struct Input<'a> {
    pub ident: &'a Ident,
    pub attrs: Container,
    pub krate: TokenStream,
    pub body: Body<'a>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Derive {
    Enum,
    Request,
    Response,
}

impl Derive {
    pub fn name(self) -> &'static str {
        match self {
            Derive::Enum => "HbrEnum",
            Derive::Request => "HbrRequest",
            Derive::Response => "HbrResponse",
        }
    }
}

/// The wire name a field gets when it has no `wire = "..."`: its name in UpperCamelCase.
pub fn default_wire(ident: &Ident) -> String {
    let name = ident.to_string();
    name.trim_start_matches("r#").to_upper_camel_case()
}

impl<'a> Input<'a> {
    pub fn from_ast(cx: &Ctxt, input: &'a DeriveInput, derive: Derive) -> Option<Self> {
        let (place, container_keys) = match derive {
            Derive::Enum => ("an `HbrEnum` enum", hbr_attr_keys::ENUM_CONTAINER_KEYS),
            Derive::Request => (
                "an `HbrRequest` struct",
                hbr_attr_keys::REQUEST_CONTAINER_KEYS,
            ),
            Derive::Response => (
                "an `HbrResponse` struct",
                hbr_attr_keys::RESPONSE_CONTAINER_KEYS,
            ),
        };
        let attrs = attr::container(cx, &input.attrs, place, container_keys);
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                format!("`{}` does not support generic parameters", derive.name()),
            );
        }
        let krate = match &attrs.krate {
            Some(path) => quote!(#path),
            None => quote!(::hbr_client),
        };
        let body = match (&input.data, derive) {
            (Data::Enum(data), Derive::Enum) => Body::Enum(
                data.variants
                    .iter()
                    .map(|v| Variant {
                        ident: &v.ident,
                        attrs: attr::variant(cx, &v.attrs),
                        original: v,
                    })
                    .collect(),
            ),
            (Data::Struct(data), Derive::Request | Derive::Response) => {
                match &data.fields {
                    Fields::Named(named) => {
                        let keys = if derive == Derive::Request {
                            hbr_attr_keys::REQUEST_FIELD_KEYS
                        } else {
                            hbr_attr_keys::RESPONSE_FIELD_KEYS
                        };
                        Body::Struct(
                            named
                                .named
                                .iter()
                                .filter_map(|f| field(cx, f, keys))
                                .collect(),
                        )
                    }
                    Fields::Unnamed(_) => {
                        cx.error_spanned_by(
                        data.struct_token,
                        format!(
                            "`{}` needs a struct with named fields (a field per wire parameter); tuple structs are not supported",
                            derive.name()
                        ),
                    );
                        return None;
                    }
                    Fields::Unit => {
                        cx.error_spanned_by(
                        data.struct_token,
                        format!("`{}` needs a struct with named fields; unit structs are not supported", derive.name()),
                    );
                        return None;
                    }
                }
            }
            (Data::Enum(data), _) => {
                cx.error_spanned_by(
                    data.enum_token,
                    format!(
                        "`{}` can only be derived for structs with named fields; for a string enum use `HbrEnum`",
                        derive.name()
                    ),
                );
                return None;
            }
            (Data::Struct(data), Derive::Enum) => {
                cx.error_spanned_by(
                    data.struct_token,
                    "`HbrEnum` can only be derived for enums (one unit variant per wire value plus `Unknown(String)`)",
                );
                return None;
            }
            (Data::Union(data), _) => {
                cx.error_spanned_by(
                    data.union_token,
                    format!("`{}` cannot be derived for unions", derive.name()),
                );
                return None;
            }
        };
        Some(Input {
            ident: &input.ident,
            attrs,
            krate,
            body,
        })
    }
}

fn field<'a>(cx: &Ctxt, f: &'a syn::Field, keys: &[&str]) -> Option<Field<'a>> {
    let ident = f.ident.as_ref()?;
    let attrs = attr::field(cx, &f.attrs, keys);
    let (optional, inner) = match ty::option_inner(&f.ty) {
        Some(inner) => (true, inner),
        None => (false, &f.ty),
    };
    let wire = attrs
        .wire
        .as_ref()
        .map_or_else(|| default_wire(ident), |w| w.value.clone());
    Some(Field {
        ident,
        ty: &f.ty,
        optional,
        inner,
        kind: ty::kind(inner),
        wire,
        docs: attr::docs(&f.attrs),
        attrs,
    })
}
