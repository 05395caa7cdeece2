//! Recognising the shapes of field types the derives care about.

use syn::{GenericArgument, PathArguments, Type};

/// What a field's (inner) type is, as far as the derive can tell from its syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    Bool,
    Float,
    Str,
    Vec,
    Any,
    /// A named type: a generated enum or object, checked through its trait impls.
    Other,
}

impl Kind {
    pub fn is_copy(self) -> bool {
        matches!(self, Kind::Int | Kind::Bool | Kind::Float)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::Int => "an integer",
            Kind::Bool => "a boolean",
            Kind::Float => "a float",
            Kind::Str => "a string",
            Kind::Vec => "an array",
            Kind::Any => "arbitrary JSON",
            Kind::Other => "an enum or object",
        }
    }
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

/// The single generic argument of `Wrapper<T>` when the last segment is named `wrapper`.
pub fn generic_arg<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let seg = last_segment(ty)?;
    if seg.ident != wrapper {
        return None;
    }
    match &seg.arguments {
        PathArguments::AngleBracketed(args) if args.args.len() == 1 => match args.args.first() {
            Some(GenericArgument::Type(t)) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// `Option<T>` → `Some(T)`.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    generic_arg(ty, "Option")
}

pub fn kind(ty: &Type) -> Kind {
    let Some(seg) = last_segment(ty) else {
        return Kind::Other;
    };
    let name = seg.ident.to_string();
    match name.as_str() {
        "i32" | "i64" | "u32" | "u64" => Kind::Int,
        "bool" => Kind::Bool,
        "f64" => Kind::Float,
        "String" | "Text" | "JsonText" => Kind::Str,
        "Vec" if generic_arg(ty, "Vec").is_some() => Kind::Vec,
        "Value" => Kind::Any,
        _ => Kind::Other,
    }
}
