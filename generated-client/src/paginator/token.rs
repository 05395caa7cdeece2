//! Paging by token: each request sends back the token of the answer before it, so the walk
//! is one request at a time, in order, and ends at the first answer without a token.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use futures_core::Stream;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use hbr_runtime::client::Error;
use hbr_runtime::operation::{OperationOutput, TokenPaginated};
use hbr_runtime::validate::ValidationError;
use tracing::Instrument;

use crate::facts::TokenPageParams;
use crate::Client;

/// Pages through an operation that pages by token (`NextToken`): a stream of pages
/// ([`TokenPaginator::pages`]) or of items ([`TokenPaginator::items`]), in the service's
/// order.
///
/// # How it walks
///
/// The first request sends the request's own token (none: the first page); each later
/// request sends the token of the answer before it. A token cannot be known before its
/// answer arrives, so there is one request in flight at a time. The walk ends:
///
/// - after an answer without a token (absent or empty): that was the last page;
/// - after [`max_items`](TokenPaginator::max_items) items, without a further request;
/// - with an error of kind [`ErrorKind::Pagination`](crate::ErrorKind::Pagination) when an
///   answer gives a token the walk already sent (following it would list the same pages
///   again, forever); the page that gave it is still yielded first;
/// - with the error of a request that failed (after the client's own retries).
///
/// Every page asks for [`page_size`](TokenPaginator::page_size) items: by default the
/// request's page size, else the largest the spec states for the operation
/// ([`TokenPageParams::PAGE_SIZE`]'s `maximum`), else none, leaving the page size to the
/// service (`Limit` of `SearchHistoricalSnapshots` and `DescribeOtsTableSnapshots` states
/// no maximum).
///
/// Items are yielded as the pages bring them; a listing that changes while it is walked is
/// the service's to keep consistent through its tokens.
///
/// ```no_run
/// use futures_util::TryStreamExt;
///
/// # async fn demo(client: hbr_client::Client) -> Result<(), hbr_client::Error> {
/// let policies: Vec<hbr_client::describe_policies_v2::Policy> = client
///     .describe_policies_v2()
///     .into_paginator()
///     .max_items(500)
///     .items()
///     .try_collect()
///     .await?;
/// for policy in &policies {
///     println!("{:?}", policy.policy_id());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a paginator does nothing until its stream is polled"]
pub struct TokenPaginator<O: TokenPaginated> {
    client: Client,
    request: Result<O, ValidationError>,
    page_size: Option<i32>,
    max_items: Option<u64>,
}

/// One answer of a token walk: its items and its page facts.
#[derive(Clone, Debug)]
pub struct TokenPage<T> {
    items: Vec<T>,
    number: u64,
    next_token: Option<String>,
    total_count: Option<i64>,
    request_id: Option<String>,
}

impl<T> TokenPage<T> {
    /// The items of this page, in order (cut short at the paginator's `max_items`).
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Takes the items out.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// Which answer of the walk this is, from 1.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The token of the next page as the answer gave it (`None` on the last page).
    pub fn next_token(&self) -> Option<&str> {
        self.next_token.as_deref()
    }

    /// The total number of items the answer reported, for operations that report one.
    pub fn total_count(&self) -> Option<i64> {
        self.total_count
    }

    /// `RequestId` of the answer.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl<O: TokenPaginated + TokenPageParams> TokenPaginator<O> {
    /// A paginator for `request` (a validation error is yielded by the first poll).
    pub fn new(client: Client, request: Result<O, ValidationError>) -> Self {
        let largest = O::PAGE_SIZE.maximum.and_then(|m| i32::try_from(m).ok());
        let page_size = request.as_ref().ok().and_then(O::page_size).or(largest);
        Self {
            client,
            request,
            page_size,
            max_items: None,
        }
    }

    /// Sets the page size every request asks for (default: the request's, else the largest
    /// the spec states, else the service's own). It is checked against the parameter's
    /// bounds like any request.
    pub fn page_size(mut self, size: i32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Stops after `items` items, and sends no request beyond them.
    pub fn max_items(mut self, items: u64) -> Self {
        self.max_items = Some(items);
        self
    }

    /// A stream of pages, in order.
    pub fn pages(self) -> impl Stream<Item = Result<TokenPage<O::Item>, Error>> + Send + 'static {
        let request = match self.request {
            Ok(request) => request,
            Err(e) => return super::invalid(e).left_stream(),
        };
        let start = request.next_token().map(str::to_owned);
        let (client, size) = (self.client, self.page_size);
        let fetch: TokenFetch<O::Item> = Arc::new(move |token: Option<String>| {
            let client = client.clone();
            let mut request = request.clone();
            if let Some(token) = token {
                request.set_next_token(token);
            }
            if let Some(size) = size {
                request.set_page_size(size);
            }
            Box::pin(async move {
                let output = client.execute(&request).await?;
                Ok(TokenFetched {
                    next: O::next_token_of(&output).map(str::to_owned),
                    total: O::total_count(&output),
                    request_id: output.request_id().map(str::to_owned),
                    items: O::into_items(output),
                })
            })
        });
        let span = tracing::info_span!("hbr.paginate", action = O::ACTION, by = "token");
        let walk = TokenWalk::new(fetch, start, self.max_items, O::ACTION, span);
        stream::unfold(walk, |mut walk| async move {
            walk.next().await.map(|page| (page, walk))
        })
        .right_stream()
    }

    /// A stream of every item of every page, in order.
    pub fn items(self) -> impl Stream<Item = Result<O::Item, Error>> + Send + 'static {
        self.pages()
            .map_ok(|page| stream::iter(page.into_items().into_iter().map(Ok::<O::Item, Error>)))
            .try_flatten()
    }
}

/// What one request brought back.
pub(crate) struct TokenFetched<I> {
    /// The items, in the service's order.
    pub(crate) items: Vec<I>,
    /// The token of the next page.
    pub(crate) next: Option<String>,
    /// `TotalCount`, if the operation reports one.
    pub(crate) total: Option<i64>,
    /// `RequestId`.
    pub(crate) request_id: Option<String>,
}

/// The future of one request.
pub(crate) type TokenFuture<I> =
    Pin<Box<dyn Future<Output = Result<TokenFetched<I>, Error>> + Send>>;
/// Sends the request carrying `token` (none: the first page).
pub(crate) type TokenFetch<I> = Arc<dyn Fn(Option<String>) -> TokenFuture<I> + Send + Sync>;

/// The state of a token walk between pages.
pub(crate) struct TokenWalk<I> {
    fetch: TokenFetch<I>,
    /// The token the next request sends.
    next: Option<String>,
    /// Every token sent so far.
    sent: HashSet<String>,
    max_items: Option<u64>,
    yielded: u64,
    pages: u64,
    /// The error the walk ends with after the page it came with.
    failure: Option<Error>,
    done: bool,
    action: &'static str,
    span: tracing::Span,
}

impl<I> TokenWalk<I> {
    pub(crate) fn new(
        fetch: TokenFetch<I>,
        start: Option<String>,
        max_items: Option<u64>,
        action: &'static str,
        span: tracing::Span,
    ) -> Self {
        Self {
            fetch,
            sent: start.iter().cloned().collect(),
            next: start,
            max_items,
            yielded: 0,
            pages: 0,
            failure: None,
            done: false,
            action,
            span,
        }
    }

    /// The next page, `None` once the walk is over.
    pub(crate) async fn next(&mut self) -> Option<Result<TokenPage<I>, Error>> {
        if let Some(e) = self.failure.take() {
            self.done = true;
            return Some(Err(e));
        }
        if self.done || self.max_items.is_some_and(|m| self.yielded >= m) {
            self.done = true;
            return None;
        }
        tracing::trace!(parent: &self.span, page = self.pages + 1, token = ?self.next, "sending");
        let fetched = match (self.fetch)(self.next.clone())
            .instrument(self.span.clone())
            .await
        {
            Ok(fetched) => fetched,
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        let mut items = fetched.items;
        if let Some(max) = self.max_items {
            let room = usize::try_from(max - self.yielded).unwrap_or(usize::MAX);
            items.truncate(room);
        }
        self.yielded += items.len() as u64;
        self.pages += 1;
        let next = fetched.next.filter(|t| !t.is_empty());
        tracing::debug!(parent: &self.span, page = self.pages, items = items.len(), last = next.is_none(), "page");
        match &next {
            None => self.done = true,
            Some(token) if !self.sent.insert(token.clone()) => {
                self.failure = Some(Error::pagination(format!(
                    "{} answered page {} with the token {token:?}, which this walk already sent: following it would list the same pages again",
                    self.action, self.pages
                )));
            }
            Some(_) => {}
        }
        self.next.clone_from(&next);
        Some(Ok(TokenPage {
            items,
            number: self.pages,
            next_token: next,
            total_count: fetched.total,
            request_id: fetched.request_id,
        }))
    }
}

#[cfg(test)]
mod tests;
