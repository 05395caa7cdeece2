//! Paging through list operations as streams: by page number with several pages in flight
//! at once ([`Paginator`]), or by token one page after the other ([`TokenPaginator`]).

mod anchors;
mod plan;
mod token;
mod walk;

use std::sync::Arc;

use futures_core::Stream;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use hbr_runtime::client::{CallOptions, Error};
use hbr_runtime::operation::{OperationOutput, Paginated};
use hbr_runtime::validate::ValidationError;

use crate::facts::PageParams;
use crate::Client;
use plan::Window;
use walk::{Fetch, FetchFuture, Fetched, Settings, Walk};

pub use token::{TokenPage, TokenPaginator};

/// How many requests a paginator keeps in flight by default. Measured (BENCHMARKS.md,
/// "Paginating 10,000 jobs through the emulator"): across a 20 ms link, 10,000 restore jobs
/// at 99 per page take 3.0 s one page at a time, 0.52 s with 8 pages in flight, 0.46 s with
/// 16 and 0.59 s with 32 on a busy machine (0.50, 0.35 and 0.28 s with 8, 16 and 32 on a
/// quieter one). 16 lists them within half a second on both; 32 doubles the bursts the
/// service's rate limits see, and the memory (about one page per request in flight).
pub const DEFAULT_CONCURRENCY: usize = 16;

/// The most requests a paginator keeps in flight, whatever it is asked for.
pub const MAX_CONCURRENCY: usize = 64;

/// Pages through a paginated operation: a stream of pages ([`Paginator::pages`]) or of items
/// ([`Paginator::items`]), in the service's order.
///
/// # How it walks
///
/// The first page is asked for alone; its `TotalCount` tells how many pages follow. Those are
/// then asked for with up to [`concurrency`](Paginator::concurrency) requests in flight
/// (default [`DEFAULT_CONCURRENCY`]), and taken in order as they arrive: at most one answer
/// per request in flight is held in memory, however long the listing. The pages are
/// paced calls ([`CallOptions::paced`]): once the service throttles (`Throttling.User` and
/// the other `Throttling*` codes, HTTP 429, or an `x-acs-retry-after` delay), every page
/// request waits for the client's rate limiter, the one adaptive retry mode paces all
/// requests with ([`RetryConfig::adaptive`](crate::RetryConfig::adaptive)), which cuts the
/// send rate and grows it back as answers succeed. A page still throttled after the
/// client's own retries is asked for again, its cost drawn from the client's retry quota;
/// the walk ends with the throttling error when the quota is empty or after 12 throttled
/// answers in a row.
///
/// # What it guarantees
///
/// For an operation whose items have a key (`DescribeRestoreJobs2`: `RestoreId`), the
/// guarantee holds while the service keeps its listing in one fixed order in which items
/// come and go but never change places (the service sorts restore jobs by creation time), and
/// answers each page from the listing as it stands at one moment:
///
/// - **Nothing present throughout is lost.** Every item that is in the listing from the
///   first request of the walk to its last is yielded. Items added or removed while the walk
///   runs may or may not be.
/// - **Nothing is yielded twice.** No key is yielded twice as long as an item that leaves
///   the listing does not come back into it while the walk runs.
/// - **Or an error says so.** When the walk cannot continue without breaking either promise
///   it ends with an error of kind
///   [`ErrorKind::Pagination`](crate::ErrorKind::Pagination) instead.
///
/// How: pages of one size tile the listing, so two neighbouring pages share no item and
/// nothing would show that the listing moved between them. The paginator therefore asks
/// for windows of slightly varying sizes (at most the page size; about 15 % more requests at
/// 99 per page) so that each window overlaps the one before it by at least two items. A
/// window is accepted only if it holds one of the items yielded last (the *anchor*), and only
/// its items after the last anchor are yielded: since a window is a contiguous run of the
/// listing at one moment, every item present between the anchor and the window's end is in
/// it, and every item before the anchor was yielded already or appeared since. A window
/// holding no anchor means the listing moved by more than the overlap between two requests
/// (items removed ahead of it, or added ahead of a window answered after it): the windows
/// planned after it are dropped and the pages around where the anchors should now be (their
/// position moved by the change of `TotalCount`) are asked for one at a time until one holds
/// an anchor; the walk goes on from there. After 8 such pages without one, the walk ends with
/// the pagination error. A change of `TotalCount` is logged (at `info`, target
/// `hbr_client::paginator::walk`).
///
/// The walk ends after a window shorter than its page size, or one that reaches the
/// `TotalCount` it reports.
///
/// For an operation whose items have no key the windows tile the listing and are yielded as
/// they come: nothing is checked or de-duplicated, and a listing that changes during the walk
/// can lose or repeat items.
///
/// ```no_run
/// use futures_util::TryStreamExt;
///
/// # async fn demo(client: hbr_client::Client) -> Result<(), hbr_client::Error> {
/// let jobs = client
///     .describe_restore_jobs2()
///     .into_paginator()
///     .concurrency(4)
///     .items();
/// futures_util::pin_mut!(jobs);
/// while let Some(job) = jobs.try_next().await? {
///     println!("{:?}", job.restore_id());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a paginator does nothing until its stream is polled"]
pub struct Paginator<O: Paginated> {
    client: Client,
    request: Result<O, ValidationError>,
    page_size: i32,
    first_page: i32,
    concurrency: usize,
    max_items: Option<u64>,
}

/// What one answer added to a walk: the items it yielded (those not yielded before), and the
/// answer's page facts.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// The answer's items; those before `start` were yielded before.
    items: Vec<T>,
    start: usize,
    received: usize,
    page_number: i32,
    page_size: i32,
    total_count: Option<i64>,
    request_id: Option<String>,
}

impl<T> Page<T> {
    /// The items this page adds to the walk, in order.
    pub fn items(&self) -> &[T] {
        self.items.get(self.start..).unwrap_or_default()
    }

    /// Takes the items out.
    pub fn into_items(mut self) -> Vec<T> {
        self.items.drain(..self.start.min(self.items.len()));
        self.items
    }

    /// How many items the answer held (the overlap with what came before included).
    pub fn received(&self) -> usize {
        self.received
    }

    /// The page number the request asked for.
    pub fn page_number(&self) -> i32 {
        self.page_number
    }

    /// The page size the request asked for (at most the paginator's page size).
    pub fn page_size(&self) -> i32 {
        self.page_size
    }

    /// `TotalCount` as the answer reported it.
    pub fn total_count(&self) -> Option<i64> {
        self.total_count
    }

    /// `RequestId` of the answer.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
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
            concurrency: DEFAULT_CONCURRENCY,
            max_items: None,
        }
    }

    /// Sets the page size (default: the request's, else the largest the service returns,
    /// [`PageParams::MAX_PAGE_SIZE`]). Windows are asked for with at most this many items.
    pub fn page_size(mut self, size: i32) -> Self {
        self.page_size = size;
        self
    }

    /// Starts at `page` (from 1, of the page size) instead of the request's page number, to
    /// resume a listing.
    pub fn start_at(mut self, page: i32) -> Self {
        self.first_page = page.max(1);
        self
    }

    /// Sets how many requests may be in flight at once (1 asks for one page at a time;
    /// default [`DEFAULT_CONCURRENCY`], at most [`MAX_CONCURRENCY`]).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.clamp(1, MAX_CONCURRENCY);
        self
    }

    /// Stops after `items` items, and plans no request beyond them.
    pub fn max_items(mut self, items: u64) -> Self {
        self.max_items = Some(items);
        self
    }

    /// A stream of pages, in order: each holds the items that answer adds to the walk.
    pub fn pages(self) -> impl Stream<Item = Result<Page<O::Item>, Error>> + Send + 'static {
        let request = match self.request {
            Ok(request) => request,
            Err(e) => return invalid(e).left_stream(),
        };
        let size = u32::try_from(self.page_size).unwrap_or(1).max(1);
        let client = self.client;
        let quota: Arc<dyn walk::QuotaSource> = Arc::new(client.runtime().clone());
        let fetch: Fetch<O::Item> = Arc::new(move |page: i32, size: i32| -> FetchFuture<O::Item> {
            let client = client.clone();
            let mut request = request.clone();
            request.set_page_number(page);
            request.set_page_size(size);
            Box::pin(async move {
                let paced = CallOptions::new().paced(true);
                let output = client.execute_with(&request, &paced).await?;
                Ok(Fetched {
                    total: O::total_count(&output),
                    request_id: output.request_id().map(str::to_owned),
                    items: O::into_items(output),
                })
            })
        });
        let settings = Settings {
            first: Window::page(self.first_page, size),
            concurrency: self.concurrency,
            max_items: self.max_items,
            quota: Some(quota),
        };
        let span = tracing::info_span!("hbr.paginate", action = O::ACTION);
        let walk = Walk::new(fetch, O::item_key, settings, span);
        stream::unfold(walk, |mut walk| async move {
            walk.next().await.map(|page| (page, walk))
        })
        .right_stream()
    }

    /// A stream of every item of every page, each yielded once (see the guarantee above).
    pub fn items(self) -> impl Stream<Item = Result<O::Item, Error>> + Send + 'static {
        self.pages()
            .map_ok(|page| stream::iter(page.into_items().into_iter().map(Ok::<O::Item, Error>)))
            .try_flatten()
    }
}

/// The stream of a walk whose request did not validate: its error, once.
fn invalid<T>(e: ValidationError) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
    let e = Error::from(e);
    stream::once(async move { Err(e) })
}

#[cfg(test)]
mod tests;
