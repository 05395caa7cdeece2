//! `HbrRequest` with `paginate(...)`: the runtime's paging trait for the request
//! (`Paginated` by page number, `TokenPaginated` by token) and the builder's
//! `into_paginator()`, which returns the paginator of that kind.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::Input;
use crate::attr::{Cursor, Paginate};

/// `into_paginator()` on a builder bound to the client, for a paginated operation.
pub fn into_paginator(input: &Input<'_>, bounds: &[TokenStream]) -> Option<TokenStream> {
    let pg = &input.attrs.paginate.as_ref()?.value;
    let ident = input.ident;
    let krate = &input.krate;
    let (paginator, doc) = match pg.cursor {
        Cursor::Number(_) => (
            quote!(#krate::Paginator),
            "Pages through every result by page number, several pages in flight: a stream of pages, or of items with `.items()`.",
        ),
        Cursor::Token(_) => (
            quote!(#krate::TokenPaginator),
            "Pages through every result, each request carrying the previous answer's token: a stream of pages, or of items with `.items()`.",
        ),
    };
    Some(quote! {
        #[doc = #doc]
        pub fn into_paginator(self) -> #paginator<#ident> where #(#bounds),* {
            let (client, request) = self.into_parts();
            #paginator::new(client, request)
        }
    })
}

/// The paging trait impl of a paginated operation's request.
pub fn paginated(input: &Input<'_>, response: &syn::Type) -> Option<TokenStream> {
    let pg = &input.attrs.paginate.as_ref()?.value;
    let ident = input.ident;
    let krate = &input.krate;
    let p = quote!(#krate::__private);
    let size = &pg.page_size;
    let common = common_items(pg, response);
    let total = match &pg.total_count {
        Some(total) => quote!(output.#total().map(::core::convert::Into::into)),
        None => quote!({
            let _ = output;
            ::core::option::Option::None
        }),
    };
    let cursor = match &pg.cursor {
        Cursor::Number(number) => quote! {
            fn page_number(&self) -> ::core::option::Option<i32> {
                self.#number
            }
            fn set_page_number(&mut self, page: i32) {
                self.#number = ::core::option::Option::Some(page);
            }
        },
        Cursor::Token(token) => quote! {
            fn next_token(&self) -> ::core::option::Option<&str> {
                self.#token.as_deref()
            }
            fn set_next_token(&mut self, token: ::std::string::String) {
                self.#token = ::core::option::Option::Some(token);
            }
            fn next_token_of(output: &#response) -> ::core::option::Option<&str> {
                output.#token()
            }
        },
    };
    let tr = match pg.cursor {
        Cursor::Number(_) => quote!(#p::Paginated),
        Cursor::Token(_) => quote!(#p::TokenPaginated),
    };
    Some(quote! {
        #[automatically_derived]
        impl #tr for #ident {
            #cursor
            // The page size may live in a field of another name (`MaxResults`) beside one
            // named `page_size` (BrowseFiles' deprecated `PageSize`).
            #[allow(clippy::misnamed_getters)]
            fn page_size(&self) -> ::core::option::Option<i32> {
                self.#size
            }
            fn set_page_size(&mut self, size: i32) {
                self.#size = ::core::option::Option::Some(size);
            }
            fn total_count(output: &#response) -> ::core::option::Option<i64> {
                #total
            }
            #common
        }
    })
}

/// The item type, count, extraction and key, the same for both kinds.
fn common_items(pg: &Paginate, response: &syn::Type) -> TokenStream {
    let items = format_ident!("into_{}", pg.items.to_string().trim_start_matches("r#"));
    let item = &pg.item;
    let items_ref = &pg.items;
    let item_key = match &pg.key {
        Some(k) => quote!(item.#k()),
        None => quote!({
            let _ = item;
            ::core::option::Option::None
        }),
    };
    quote! {
        type Item = #item;
        fn item_count(output: &#response) -> usize {
            output.#items_ref().len()
        }
        fn into_items(output: #response) -> ::std::vec::Vec<#item> {
            output.#items()
        }
        fn item_key(item: &#item) -> ::core::option::Option<&str> {
            #item_key
        }
    }
}
