//! Derive macros that give HBR types their wire behaviour.
//!
//! `hbr-codegen` emits plain type definitions whose `#[hbr(...)]` attributes carry the wire
//! facts; these derives turn them into behaviour. They work the same on hand-written types.
//! Use them through `hbr_client` (`hbr_client::HbrEnum`, `HbrRequest`, `HbrResponse`): the
//! generated code refers to `::hbr_client::__private` (override with `#[hbr(crate = "...")]`).
//!
//! - [`HbrEnum`] on an enum of unit variants `#[hbr(wire = "VALUE")]` plus one
//!   `#[hbr(unknown)] Unknown(String)`: `as_str`, `Display`, `FromStr`, serde, and the known
//!   values: `VALUES: &[&str]` (the wire values in documented order, the one list other code
//!   reads) and `known()` (the variants).
//! - [`HbrRequest`] on a struct of parameters: getters, a builder (required parameters are
//!   checked at compile time), validation of the documented constraints, encoding to wire
//!   parameters; with `action`, the operation itself (`kind = "read"` makes it a read,
//!   retried after any transient failure; without `kind` it is a write, the safe choice:
//!   `Operation::KIND`); with `serde`, `Deserialize` and `Serialize` from and to API-shaped
//!   JSON (a request object without `action` always serializes, as a `json`-style parameter
//!   is encoded with it). Each
//!   field's attributes are also exposed as an associated const named after the field in upper
//!   case (`page_size` → `PAGE_SIZE: hbr_client::facts::Param`). With
//!   `paginate(page_number = .., ..)` the request implements `Paginated` and
//!   `hbr_client::facts::PageParams` (the page-size field must state `maximum`) and its
//!   builder gets `into_paginator()` returning a `Paginator`; with
//!   `paginate(next_token = .., ..)` it implements `TokenPaginated` and
//!   `hbr_client::facts::TokenPageParams`, and `into_paginator()` returns a
//!   `TokenPaginator`.
//! - [`HbrResponse`] on a struct of response fields (all `Option<_>`): lenient `Deserialize`
//!   with the wire names, accessors, time values for timestamps, on-demand decoding of JSON
//!   strings; with `serde`, `Serialize` back to API-shaped JSON.
//!
//! The generated code asks for `serde` with `#[cfg_attr(feature = "serde", hbr(serde))]`, so
//! the impls that only dynamic use needs are compiled when the including crate's `serde`
//! feature is on (hbr-client's `serde` and `registry` features).
#![forbid(unsafe_code)]

mod ast;
mod attr;
mod ctxt;
mod expand;
mod ty;
mod valid;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

use crate::ast::{Body, Derive, Input};
use crate::ctxt::Ctxt;

/// Derives the wire mapping of a string enum. See the crate documentation.
#[proc_macro_derive(HbrEnum, attributes(hbr))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    run(&input, Derive::Enum).into()
}

/// Derives a request (or a request object): builder, validation, encoding, serde.
#[proc_macro_derive(HbrRequest, attributes(hbr))]
pub fn derive_request(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    run(&input, Derive::Request).into()
}

/// Derives a response (or a response object): lenient serde and accessors.
#[proc_macro_derive(HbrResponse, attributes(hbr))]
pub fn derive_response(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    run(&input, Derive::Response).into()
}

fn run(input: &DeriveInput, derive: Derive) -> proc_macro2::TokenStream {
    let cx = Ctxt::default();
    let parsed = Input::from_ast(&cx, input, derive);
    if let Some(parsed) = &parsed {
        valid::check(&cx, parsed, derive);
    }
    if let Err(err) = cx.check() {
        let mut out = err.to_compile_error();
        out.extend(expand::fallback(input));
        return out;
    }
    let Some(parsed) = parsed else {
        return proc_macro2::TokenStream::new();
    };
    match &parsed.body {
        Body::Enum(variants) => expand::enums::expand(&parsed, variants),
        Body::Struct(fields) => match derive {
            Derive::Request => expand::request::expand(&parsed, fields),
            _ => expand::response::expand(&parsed, fields),
        },
    }
}
