//! `lib.rs`: the module of each operation, the service constants, the registry of every
//! operation and the client's method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::words::{first_sentence, registry_constraints};
use super::{doc_attrs, ident};
use crate::ir::{Api, Operation, PageCursor, RegistryParam, RustType};

/// The index file that includes the others.
pub(super) fn file(api: &Api) -> TokenStream {
    let types_doc = doc_attrs(&format!(
        "Enums shared by several {} operations.",
        api.service.title
    ));
    let modules = api.operations.iter().map(module);
    let methods = api.operations.iter().map(method);
    let waiters = api.operations.iter().flat_map(|op| {
        op.waiters
            .iter()
            .map(move |w| super::waiters::method(op, w))
    });
    let names: Vec<&str> = api.operations.iter().map(|o| o.action.as_str()).collect();
    let registry = api.operations.iter().map(registry_entry);
    let version = &api.service.version;
    let product = &api.service.product;
    let endpoint = &api.service.endpoint;
    quote! {
        #types_doc
        pub mod types {
            include_generated!("types.rs");
        }
        #(#modules)*

        /// The API version every operation of this crate speaks.
        pub const API_VERSION: &str = #version;
        /// The product code.
        pub const PRODUCT: &str = #product;
        /// The regional endpoint pattern.
        pub const ENDPOINT_PATTERN: &str = #endpoint;
        /// The names of every operation this crate has, sorted.
        pub const OPERATION_NAMES: &[&str] = &[#(#names),*];

        /// Every operation with its parameters and a dynamic entry point, sorted by name
        /// (with the `registry` feature).
        #[cfg(feature = #REGISTRY_FEATURE)]
        pub static OPERATIONS: &[crate::registry::OperationInfo] = &[#(#registry),*];

        impl crate::Client {
            #(#methods)*
            #(#waiters)*
        }
    }
}

/// The cargo feature of the including crate that compiles the registry (`OPERATIONS` and
/// its dynamic entry points).
pub const REGISTRY_FEATURE: &str = "registry";

fn module(op: &Operation) -> TokenStream {
    let m = ident(&op.module);
    let file = format!("{}.rs", op.module);
    let doc = doc_attrs(&format!(
        "`{}`: {}\n\nThe request, response and enum types of this operation. Send it with [`Client::{}`](crate::Client::{}).",
        op.action,
        first_sentence(op.doc.as_deref().unwrap_or_default()),
        op.module,
        op.module
    ));
    quote! {
        #doc
        pub mod #m {
            include_generated!(#file);
        }
    }
}

fn method(op: &Operation) -> TokenStream {
    let m = ident(&op.module);
    let req = ident(&op.request.name);
    let builder = ident(&hbr_attr_keys::builder_type(&op.request.name));
    let doc = doc_attrs(&format!(
        "{}\n\nReturns a builder bound to this client: set the parameters, then `.send().await`.",
        op.doc.as_deref().unwrap_or_default().trim_end()
    ));
    quote! {
        #doc
        pub fn #m(&self) -> crate::#m::#builder<crate::Client> {
            crate::#m::#req::builder().with_client(::core::clone::Clone::clone(self))
        }
    }
}

fn registry_entry(op: &Operation) -> TokenStream {
    let m = ident(&op.module);
    let req = ident(&op.request.name);
    let name = &op.action;
    let summary = first_sentence(op.doc.as_deref().unwrap_or_default());
    let params = op.parameters.iter().map(|p| param_info(op, p));
    let paging = paging(op);
    quote! {
        crate::registry::OperationInfo {
            name: #name,
            summary: #summary,
            kind: <crate::#m::#req as crate::Operation>::KIND,
            parameters: &[#(#params),*],
            call: |client, input| ::std::boxed::Box::pin(crate::registry::call_typed::<crate::#m::#req>(client, input)),
            check: crate::registry::check_typed::<crate::#m::#req>,
            encode: crate::registry::encode_typed::<crate::#m::#req>,
            decode: crate::registry::decode_typed::<crate::#m::#req>,
            paging: #paging,
        }
    }
}

/// `Some(Paging { .. })` of a paginated operation, `None` otherwise.
fn paging(op: &Operation) -> TokenStream {
    let Some(pg) = op
        .request
        .operation
        .as_ref()
        .and_then(|o| o.paginate.as_ref())
    else {
        return quote!(::core::option::Option::None);
    };
    let m = ident(&op.module);
    let req = ident(&op.request.name);
    let (by, all) = match pg.cursor {
        PageCursor::Number(_) => (quote!(Number), quote!(all_numbered)),
        PageCursor::Token(_) => (quote!(Token), quote!(all_tokened)),
    };
    let size = ident(&hbr_attr_keys::const_name(&pg.page_size));
    let cursor = &pg.wire.cursor;
    let items = &pg.wire.items;
    let option = |v: Option<&str>| match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };
    let wrapper = option(pg.wrapper.as_deref());
    let total = option(pg.wire.total_count.as_deref());
    let key = option(pg.item_key_wire.as_deref());
    let fields = pg.item_fields.iter().map(|(wire, ty)| quote!((#wire, #ty)));
    quote! {
        ::core::option::Option::Some(crate::registry::Paging {
            by: crate::registry::PageBy::#by,
            cursor: #cursor,
            page_size: crate::#m::#req::#size,
            items: #items,
            wrapper: #wrapper,
            total_count: #total,
            item_key: #key,
            item_fields: &[#(#fields),*],
            all: crate::registry::#all::<crate::#m::#req>,
        })
    }
}

fn param_info(op: &Operation, p: &RegistryParam) -> TokenStream {
    let path = &p.path;
    let ty = p.ty;
    let location = p.location.map_or("", |l| l.as_str());
    let required = p.constraints.required;
    let constraints = registry_constraints(&p.constraints, p.style);
    let values = &p.constraints.values;
    // The enum's own list, so that what the spec knows beyond this operation's documented
    // values is read from the one `VALUES` the derive writes.
    let enum_values = match &p.enum_type {
        Some(RustType::Enum { name, shared }) => {
            let id = ident(name);
            let m = ident(&op.module);
            match shared {
                true => quote!(crate::types::#id::VALUES),
                false => quote!(crate::#m::#id::VALUES),
            }
        }
        _ => quote!(&[]),
    };
    let doc = first_sentence(p.doc.as_deref().unwrap_or_default());
    quote! {
        crate::registry::ParamInfo {
            name: #path,
            ty: #ty,
            location: #location,
            required: #required,
            constraints: #constraints,
            values: &[#(#values),*],
            enum_values: #enum_values,
            doc: #doc,
        }
    }
}
