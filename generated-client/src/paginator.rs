//! Paging through list operations as streams.

use std::collections::HashSet;

use futures_core::Stream;
use futures_util::stream::{self, TryStreamExt};
use hbr_runtime::client::Error;
use hbr_runtime::operation::Paginated;
use hbr_runtime::validate::ValidationError;

use crate::facts::PageParams;
use crate::Client;

/// Pages through a paginated operation: a stream of pages ([`Paginator::pages`]) or of
/// items ([`Paginator::items`]). Only one page is held in memory at a time.
///
/// It stops after the page that reaches `TotalCount`, on an empty page, or on a page shorter
/// than the page size, so it never loops forever. If `TotalCount` changes between pages
/// (jobs created or finished while paging), it logs a warning and goes on; [`items`] then
/// skips items the previous page already yielded (by their identifier, when the operation
/// has one), so nothing is yielded twice.
///
/// [`items`]: Paginator::items
#[derive(Debug)]
#[must_use = "a paginator does nothing until its stream is polled"]
pub struct Paginator<O: Paginated> {
    client: Client,
    request: Result<O, ValidationError>,
    page_size: i32,
    first_page: i32,
}

struct State<O: Paginated> {
    client: Client,
    request: O,
    page: i32,
    page_size: i32,
    seen: i64,
    total: Option<i64>,
    done: bool,
}

impl<O: Paginated + PageParams> Paginator<O> {
    /// A paginator for `request` (a validation error is yielded by the first poll).
    pub fn new(client: Client, request: Result<O, ValidationError>) -> Self {
        let (page_size, first_page) = match &request {
            Ok(r) => (
                r.page_size().unwrap_or(O::MAX_PAGE_SIZE),
                r.page_number().unwrap_or(1),
            ),
            Err(_) => (O::MAX_PAGE_SIZE, 1),
        };
        Self {
            client,
            request,
            page_size,
            first_page,
        }
    }

    /// Sets the page size (default: the request's, else the largest the service returns,
    /// [`PageParams::MAX_PAGE_SIZE`]).
    pub fn page_size(mut self, size: i32) -> Self {
        self.page_size = size;
        self
    }

    /// Starts at `page` (from 1) instead of the request's page number, to resume a listing.
    pub fn start_at(mut self, page: i32) -> Self {
        self.first_page = page.max(1);
        self
    }

    /// A stream of whole pages, in order.
    pub fn pages(self) -> impl Stream<Item = Result<O::Output, Error>> + Send
    where
        O::Output: Send,
    {
        let state = match self.request {
            Ok(request) => Ok(State {
                client: self.client,
                request,
                page: self.first_page,
                page_size: self.page_size,
                seen: i64::from(self.first_page.saturating_sub(1)) * i64::from(self.page_size),
                total: None,
                done: false,
            }),
            Err(e) => Err(e),
        };
        stream::unfold(Some(state), |state| async move {
            let mut st = match state? {
                Ok(st) => st,
                Err(e) => return Some((Err(Error::from(e)), None)),
            };
            if st.done {
                return None;
            }
            st.request.set_page_number(st.page);
            st.request.set_page_size(st.page_size);
            let page = match st.client.execute(&st.request).await {
                Ok(page) => page,
                Err(e) => return Some((Err(e), None)),
            };
            let total = O::total_count(&page);
            if let (Some(before), Some(now)) = (st.total, total) {
                if before != now {
                    tracing::warn!(
                        action = O::ACTION,
                        before,
                        now,
                        page = st.page,
                        "the total count changed while paging; items already yielded are not repeated"
                    );
                }
            }
            st.total = total.or(st.total);
            let count = O::item_count(&page) as i64;
            st.seen += count;
            let reached_total = st.total.is_some_and(|t| st.seen >= t);
            let short = count < i64::from(st.page_size);
            st.done = count == 0 || reached_total || short || st.page == i32::MAX;
            st.page = st.page.saturating_add(1);
            Some((Ok(page), Some(Ok(st))))
        })
    }

    /// A stream of every item of every page, each yielded once.
    ///
    /// When the listing shifts between two pages (items added in front), the next page
    /// repeats items of the previous one; those are skipped by identifier. Only the previous
    /// page's identifiers are kept, so memory stays bounded by one page.
    pub fn items(self) -> impl Stream<Item = Result<O::Item, Error>> + Send
    where
        O::Output: Send,
    {
        let mut previous: HashSet<String> = HashSet::new();
        self.pages()
            .map_ok(move |page| {
                let items = O::into_items(page);
                let keys: HashSet<String> = items
                    .iter()
                    .filter_map(|i| O::item_key(i).map(str::to_owned))
                    .collect();
                let fresh: Vec<O::Item> = items
                    .into_iter()
                    .filter(|i| O::item_key(i).is_none_or(|k| !previous.contains(k)))
                    .collect();
                previous = keys;
                stream::iter(fresh.into_iter().map(Ok::<O::Item, Error>))
            })
            .try_flatten()
    }
}
