//! A waiter's marker type and its `WaitFor` impl, and its client method.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident};
use crate::ir::{Operation, Waiter};

/// The marker type of `w` (in the operation's module) and its `WaitFor` impl.
pub(super) fn item(op: &Operation, w: &Waiter) -> TokenStream {
    let name = ident(&w.name);
    let request = ident(&op.request.name);
    let response = ident(&op.response.name);
    let item = ident(&w.item_type);
    let items = match &w.items_field {
        Some(field) => {
            let into = ident(&format!("into_{}", field.trim_start_matches("r#")));
            quote!(output.#into())
        }
        None => quote!(::std::vec![output]),
    };
    let status = ident(&w.status_field);
    let read_status = if w.status_is_enum {
        quote!(item.#status().map(|s| s.as_str()))
    } else {
        quote!(item.#status())
    };
    let wire = &w.name;
    let (success, failure) = (&w.success, &w.failure);
    let (delay, max_delay, timeout) = (w.delay, w.max_delay, w.timeout);
    let what = match &w.items_field {
        Some(field) => format!("the first of its `{field}`"),
        None => format!("its `{}`", w.status_field),
    };
    let doc = doc_attrs(&format!(
        "{}\n\nPolls `{}` until {what} reaches a success status ({}) or a failure status ({}); [`Client::{}`](crate::Client::{}) starts it.",
        w.doc.as_deref().unwrap_or("A waiter.").trim_end(),
        op.action,
        success.join(", "),
        if failure.is_empty() { "none".to_owned() } else { failure.join(", ") },
        w.method,
        w.method,
    ));
    let duration = quote!(::core::time::Duration);
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct #name;

        #[automatically_derived]
        impl ::hbr_client::__private::WaitFor for #name {
            type Request = #request;
            type Item = #item;
            const NAME: &'static str = #wire;
            const SUCCESS: &'static [&'static str] = &[#(#success),*];
            const FAILURE: &'static [&'static str] = &[#(#failure),*];
            const DELAY: #duration = #duration::from_secs(#delay);
            const MAX_DELAY: #duration = #duration::from_secs(#max_delay);
            const TIMEOUT: #duration = #duration::from_secs(#timeout);
            fn items(output: #response) -> ::std::vec::Vec<#item> {
                #items
            }
            fn status(item: &#item) -> ::core::option::Option<&str> {
                #read_status
            }
        }
    }
}

/// The client method that starts `w`.
pub(super) fn method(op: &Operation, w: &Waiter) -> TokenStream {
    let m = ident(&op.module);
    let method = ident(&w.method);
    let name = ident(&w.name);
    let request = ident(&op.request.name);
    let doc = doc_attrs(&format!(
        "{}\n\nPolls `{}` with `request` (which should select one resource) until it ends, with the spec's pauses ({} s, doubling up to {} s) and timeout ({} s). Returns a [`Waiter`](crate::Waiter): change its timing, then `.wait().await` for the resource or a [`WaitError`](crate::WaitError).",
        w.doc.as_deref().unwrap_or_default().trim_end(),
        op.action,
        w.delay,
        w.max_delay,
        w.timeout,
    ));
    quote! {
        #doc
        pub fn #method(&self, request: crate::#m::#request) -> crate::Waiter<crate::#m::#name> {
            crate::Waiter::new(::core::clone::Clone::clone(self.runtime()), request)
        }
    }
}
