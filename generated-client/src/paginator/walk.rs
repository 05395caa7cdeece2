//! The walk: windows sent with bounded concurrency, received in any order, accepted in
//! order, each checked against the items yielded before it, and looked for again when the
//! listing moved.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use hbr_runtime::client::{Error, ErrorKind, RetryQuota};
use tokio::runtime::Handle;
use tokio::task::{JoinError, JoinSet};
use tracing::Instrument;

use super::anchors::Anchors;
use super::plan::{self, Window};
use super::Page;

/// How many positions each window overlaps the positions covered before it, at least, when
/// the items have keys. A shift of the listing smaller than this between two neighbouring
/// windows is absorbed without a second request.
pub(crate) const OVERLAP: u32 = 2;
/// How many pages' worth of keys a walk keeps of items it met again behind where it was
/// (see `anchors`); needing more ends it with an error.
const PINNED_PAGES: usize = 8;
/// How many pages around the expected place a walk looks at for the items it yielded last,
/// after a window that does not continue them, before it gives up.
const MAX_PROBES: usize = 8;
/// How many windows in a row may fail to continue the walk (no new item accepted in
/// between) before it gives up.
const MAX_STALLED: u32 = 16;
/// The throttled answer in a row that a walk returns as its error (each one before it was
/// sent again, paced by the client's rate limiter, its cost drawn from the retry quota).
const MAX_THROTTLED: u32 = 12;

/// What one request brought back.
pub(crate) struct Fetched<I> {
    /// The items, in the service's order.
    pub(crate) items: Vec<I>,
    /// `TotalCount`.
    pub(crate) total: Option<i64>,
    /// `RequestId`.
    pub(crate) request_id: Option<String>,
}

/// The future of one request.
pub(crate) type FetchFuture<I> = Pin<Box<dyn Future<Output = Result<Fetched<I>, Error>> + Send>>;
/// Sends the request for page `number` of `size` items.
pub(crate) type Fetch<I> = Arc<dyn Fn(i32, i32) -> FetchFuture<I> + Send + Sync>;

/// How a walk is set up.
pub(crate) struct Settings {
    /// The first window (the requested page number and page size).
    pub(crate) first: Window,
    /// Requests in flight at most.
    pub(crate) concurrency: usize,
    /// Stop after this many items.
    pub(crate) max_items: Option<u64>,
    /// The client's retry quota, which pays for sending a throttled window again (`None`:
    /// unlimited).
    pub(crate) quota: Option<Arc<dyn QuotaSource>>,
}

/// Where a walk's retry quota lives (the client's runtime).
pub(crate) trait QuotaSource: Send + Sync {
    /// The quota.
    fn quota(&self) -> &RetryQuota;
}

impl QuotaSource for hbr_runtime::client::Runtime {
    fn quota(&self) -> &RetryQuota {
        self.retry_quota()
    }
}

/// Where the walk is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// The first window is asked for alone (it tells the total and whether items have keys).
    First,
    /// Windows planned ahead, up to the concurrency limit.
    Walking,
    /// A window did not continue the walk: pages around the expected place are asked for one
    /// at a time until one holds an item yielded before. `failed` of them did not.
    Probing { failed: usize, sent: bool },
    /// Finished (the end, the item limit, or an error).
    Done,
}

/// The last accepted window: where its last item was, and the total it reported.
#[derive(Clone, Copy, Debug)]
struct Frontier {
    last: u64,
    total: Option<i64>,
}

type Joined<I> = (u64, Result<Fetched<I>, Error>);

/// A window as planned: whether it overlaps what came before (and so can be checked).
#[derive(Clone, Copy, Debug)]
struct Slot {
    window: Window,
    checked: bool,
}

/// A page-number walk over one listing.
pub(crate) struct Walk<I: Send + 'static> {
    fetch: Fetch<I>,
    key: fn(&I) -> Option<&str>,
    size: u32,
    first: Window,
    max_items: Option<u64>,
    phase: Phase,
    tasks: JoinSet<Joined<I>>,
    /// The window of each request in flight, by sequence number.
    sent: HashMap<u64, Slot>,
    /// Answers received ahead of their turn.
    ready: BTreeMap<u64, (Slot, Result<Fetched<I>, Error>)>,
    /// Throttled windows to send again, by sequence number.
    resend: BTreeMap<u64, Slot>,
    /// What sending each of them again took from the retry quota, given back on success.
    resend_costs: HashMap<u64, u32>,
    next_seq: u64,
    next_accept: u64,
    /// The end of the last planned window, and where planning stops.
    cursor: u64,
    target: u64,
    overlap: u32,
    anchors: Anchors,
    frontier: Option<Frontier>,
    latest_total: Option<i64>,
    stalled: u32,
    concurrency: usize,
    quota: Option<Arc<dyn QuotaSource>>,
    /// Throttled answers since the last success.
    throttled_in_row: u32,
    yielded: u64,
    span: tracing::Span,
}

impl<I: Send + 'static> Walk<I> {
    /// A walk that sends requests with `fetch` and identifies items with `key`.
    pub(crate) fn new(
        fetch: Fetch<I>,
        key: fn(&I) -> Option<&str>,
        settings: Settings,
        span: tracing::Span,
    ) -> Self {
        let size = settings.first.size;
        Self {
            fetch,
            key,
            size,
            first: settings.first,
            max_items: settings.max_items,
            phase: Phase::First,
            tasks: JoinSet::new(),
            sent: HashMap::new(),
            ready: BTreeMap::new(),
            resend: BTreeMap::new(),
            resend_costs: HashMap::new(),
            next_seq: 0,
            next_accept: 0,
            cursor: settings.first.end(),
            target: settings.first.end(),
            overlap: 0,
            // Twice the items of a window: a window is checked against the one before it.
            anchors: Anchors::new(2 * size as usize, PINNED_PAGES * size as usize),
            frontier: None,
            latest_total: None,
            stalled: 0,
            concurrency: settings.concurrency.max(1),
            quota: settings.quota,
            throttled_in_row: 0,
            yielded: 0,
            span,
        }
    }

    /// The next accepted page, `None` after the last one (or after an error).
    pub(crate) async fn next(&mut self) -> Option<Result<Page<I>, Error>> {
        loop {
            if self.phase == Phase::Done {
                return None;
            }
            if let Err(e) = self.send_more() {
                return Some(Err(self.fail(e)));
            }
            if let Some((slot, result)) = self.ready.remove(&self.next_accept) {
                self.next_accept += 1;
                match self.accept(slot, result) {
                    Ok(Some(page)) => return Some(Ok(page)),
                    Ok(None) => continue,
                    Err(e) => return Some(Err(self.fail(e))),
                }
            }
            if self.tasks.is_empty() {
                // Nothing in flight and nothing left to send.
                self.phase = Phase::Done;
                return None;
            }
            if let Err(e) = self.wait().await {
                return Some(Err(self.fail(e)));
            }
        }
    }

    fn fail(&mut self, error: Error) -> Error {
        self.finish();
        error
    }

    fn finish(&mut self) {
        self.phase = Phase::Done;
        self.tasks.abort_all();
        self.sent.clear();
        self.ready.clear();
        self.resend.clear();
        self.resend_costs.clear();
    }

    /// Sends what the concurrency allows: throttled windows first (in order), then new
    /// ones. (How fast they go out after throttling is the client's rate limiter's matter:
    /// the pages are paced calls.)
    fn send_more(&mut self) -> Result<(), Error> {
        // The window the walk waits for goes out even when the answers held ahead of it
        // fill the limit (never beyond the limit of requests in flight).
        if self.tasks.len() < self.concurrency {
            if let Some(slot) = self.resend.remove(&self.next_accept) {
                self.send(self.next_accept, slot)?;
            }
        }
        while self.tasks.len() + self.ready.len() < self.concurrency {
            if let Some((seq, slot)) = self.resend.pop_first() {
                self.send(seq, slot)?;
                continue;
            }
            let Some(slot) = self.plan()? else {
                break;
            };
            let seq = self.next_seq;
            self.next_seq += 1;
            self.send(seq, slot)?;
        }
        Ok(())
    }

    /// The next window to send in this phase, if any.
    fn plan(&mut self) -> Result<Option<Slot>, Error> {
        let slot = match self.phase {
            Phase::First if self.next_seq == 0 => Slot {
                window: self.first,
                checked: false,
            },
            Phase::Walking => {
                let idle = self.tasks.is_empty() && self.ready.is_empty() && self.resend.is_empty();
                if self.cursor >= self.target && idle {
                    // The planned windows are all in, yet the end was not seen: the listing
                    // grew (or the total is unknown). One more.
                    self.target = self.cursor + 1;
                }
                if self.cursor >= self.target {
                    return Ok(None);
                }
                let (window, checked) = plan::next_or_page(self.cursor, self.overlap, self.size);
                if !checked && self.overlap > 0 {
                    tracing::warn!(
                        parent: &self.span,
                        position = self.cursor,
                        size = self.size,
                        "no page of at most this size can overlap the previous one here: \
                         the next page is not checked"
                    );
                }
                self.cursor = window.end();
                Slot { window, checked }
            }
            Phase::Probing {
                failed,
                sent: false,
            } => {
                let window = self.probe(failed).ok_or_else(|| self.lost())?;
                self.phase = Phase::Probing { failed, sent: true };
                Slot {
                    window,
                    checked: true,
                }
            }
            _ => return Ok(None),
        };
        let window = slot.window;
        match window.page_number() {
            Some(_) => Ok(Some(slot)),
            None => Err(Error::pagination(format!(
                "the listing goes on past the largest page number a request can ask for \
                 (position {}, {} per page)",
                window.offset, window.size
            ))),
        }
    }

    /// The error when the items yielded last cannot be found again.
    fn lost(&self) -> Error {
        Error::pagination(format!(
            "the listing changed too much while paging: none of the {} items yielded last \
             was found again around position {} (TotalCount now {}); start the listing again",
            self.anchors.len(),
            self.frontier.map_or(0, |f| f.last),
            self.latest_total
                .map_or_else(|| "unknown".to_owned(), |t| t.to_string()),
        ))
    }

    /// The `n`-th page looked at for the items yielded last: the page where the last of them
    /// should be now (its position then, moved by the change of the total since), then the
    /// pages before and after it in turn.
    fn probe(&self, n: usize) -> Option<Window> {
        let frontier = self.frontier?;
        let moved = match (self.latest_total, frontier.total) {
            (Some(now), Some(then)) => now - then,
            _ => 0,
        };
        let expected = i64::try_from(frontier.last)
            .unwrap_or(i64::MAX)
            .saturating_add(moved);
        let base = expected.max(0) / i64::from(self.size);
        let mut pages = (0..MAX_PROBES as i64)
            .map(|i| {
                if i % 2 == 0 {
                    base - i / 2
                } else {
                    base + i / 2 + 1
                }
            })
            .filter(|p| *p >= 0);
        let page = u64::try_from(pages.nth(n)?).ok()?;
        Some(Window::holding(page * u64::from(self.size), self.size))
    }

    fn send(&mut self, seq: u64, slot: Slot) -> Result<(), Error> {
        let window = slot.window;
        let handle = Handle::try_current().map_err(|_| {
            Error::configuration("a paginator must be polled inside a Tokio runtime")
        })?;
        let number = window.page_number().unwrap_or(i32::MAX);
        let request = (self.fetch)(number, window.page_size());
        tracing::trace!(parent: &self.span, seq, page = number, size = window.size, "sending");
        self.sent.insert(seq, slot);
        let task = async move { (seq, request.await) }.instrument(self.span.clone());
        self.tasks.spawn_on(task, &handle);
        Ok(())
    }

    /// Waits for an answer.
    async fn wait(&mut self) -> Result<(), Error> {
        match self.tasks.join_next().await {
            Some(joined) => self.received(joined),
            None => Ok(()),
        }
    }

    /// Files an answer: a throttled one is sent again, paid from the retry quota.
    fn received(&mut self, joined: Result<Joined<I>, JoinError>) -> Result<(), Error> {
        let (seq, result) =
            joined.map_err(|e| Error::pagination(format!("a page request did not finish: {e}")))?;
        let Some(slot) = self.sent.remove(&seq) else {
            return Ok(());
        };
        match result {
            Err(e) if e.kind() == ErrorKind::Throttling => {
                self.throttled_in_row = self.throttled_in_row.saturating_add(1);
                if self.throttled_in_row >= MAX_THROTTLED {
                    return Err(e);
                }
                let cost = match &self.quota {
                    Some(source) => source.quota().try_acquire(&e),
                    None => Some(0),
                };
                let Some(cost) = cost else {
                    return Err(e.with_retry_quota_exhausted());
                };
                tracing::warn!(
                    parent: &self.span,
                    error = %e,
                    "throttled while paging: the page goes again, paced by the client"
                );
                self.resend_costs.insert(seq, cost);
                self.resend.insert(seq, slot);
            }
            result => {
                let cost = self.resend_costs.remove(&seq);
                if result.is_ok() {
                    self.throttled_in_row = 0;
                    if let (Some(source), Some(cost)) = (&self.quota, cost) {
                        source.quota().succeeded(Some(cost));
                    }
                }
                self.ready.insert(seq, (slot, result));
            }
        }
        Ok(())
    }

    /// Takes the answer whose turn it is: yields what continues the walk, or looks for the
    /// items yielded last when it does not.
    fn accept(
        &mut self,
        slot: Slot,
        result: Result<Fetched<I>, Error>,
    ) -> Result<Option<Page<I>>, Error> {
        let window = slot.window;
        let fetched = result?;
        let received = fetched.items.len();
        self.note_total(fetched.total, window);
        let checked = !matches!(self.phase, Phase::First) && self.overlap > 0 && slot.checked;
        let resume = if checked {
            self.anchors.resume_at(fetched.items.iter().map(self.key))
        } else {
            None
        };
        // An empty listing holds nothing that could be missing: the walk is complete.
        let emptied = received == 0 && fetched.total == Some(0);
        if checked && resume.is_none() && !emptied {
            self.relocate(window, received)?;
            return Ok(None);
        }
        if self.phase == Phase::First && fetched.items.iter().any(|i| (self.key)(i).is_some()) {
            self.overlap = OVERLAP;
        }
        if let Phase::Probing { .. } = self.phase {
            // Found again: plan on from where the page ends.
            self.cursor = window.offset + received as u64;
        }
        if matches!(self.phase, Phase::First | Phase::Probing { .. }) {
            self.phase = Phase::Walking;
        }
        if let Some(resume) = resume {
            if !self.anchors.settle(resume) {
                return Err(Error::pagination(format!(
                    "the listing moved back and forth too much while paging: more than {} \
                     items yielded before could be met again ahead; start the listing again",
                    PINNED_PAGES * self.size as usize
                )));
            }
        }
        let (items, start) = self.take_fresh(fetched.items, resume.map_or(0, |r| r.at));
        let fresh = items.len() - start;
        self.yielded += fresh as u64;
        if fresh > 0 {
            self.stalled = 0;
        }
        if received > 0 {
            self.frontier = Some(Frontier {
                last: window.offset + received as u64 - 1,
                total: fetched.total,
            });
        }
        let limit = self
            .max_items
            .map_or(u64::MAX, |m| self.first.offset.saturating_add(m));
        self.target = fetched
            .total
            .and_then(|t| u64::try_from(t).ok())
            .unwrap_or(self.cursor)
            .min(limit);
        let at_end = received < window.size as usize
            || fetched.total.is_some_and(|t| {
                i64::try_from(window.offset + received as u64).is_ok_and(|e| e >= t)
            })
            || self.max_items.is_some_and(|m| self.yielded >= m);
        if at_end {
            self.finish();
        }
        Ok(Some(Page {
            items,
            start,
            received,
            page_number: window.page_number().unwrap_or(i32::MAX),
            page_size: window.page_size(),
            total_count: fetched.total,
            request_id: fetched.request_id,
        }))
    }

    /// The items of a window from `start` on that the walk yields, remembered as yielded:
    /// those a pinned key does not name (items yielded before), within the item limit.
    /// Returned as the window's items and the index of the first to yield, so that the usual
    /// case moves no item.
    fn take_fresh(&mut self, mut items: Vec<I>, start: usize) -> (Vec<I>, usize) {
        let mut start = start.min(items.len());
        let key = self.key;
        let anchors = &self.anchors;
        if items[start..]
            .iter()
            .any(|i| key(i).is_some_and(|k| anchors.contains(k)))
        {
            let mut fresh = items.split_off(start);
            fresh.retain(|i| key(i).is_none_or(|k| !anchors.contains(k)));
            (items, start) = (fresh, 0);
        }
        if let Some(max) = self.max_items {
            let room = usize::try_from(max.saturating_sub(self.yielded)).unwrap_or(usize::MAX);
            items.truncate(start.saturating_add(room));
        }
        for item in &items[start..] {
            if let Some(k) = key(item) {
                self.anchors.push(k);
            }
        }
        (items, start)
    }

    /// A window that holds none of the items yielded last: the listing moved further than
    /// the overlap between two requests. Everything sent after it was planned on the old
    /// positions: drop it and look for the items yielded last.
    fn relocate(&mut self, window: Window, received: usize) -> Result<(), Error> {
        let failed = match self.phase {
            Phase::Probing { failed, .. } => failed + 1,
            _ => {
                self.stalled += 1;
                0
            }
        };
        tracing::debug!(
            parent: &self.span,
            page = window.page_number(),
            size = window.size,
            received,
            probes_failed = failed,
            "the listing moved while paging: looking for the items yielded last"
        );
        if failed >= MAX_PROBES || self.stalled > MAX_STALLED || self.probe(failed).is_none() {
            return Err(self.lost());
        }
        self.tasks = JoinSet::new();
        self.sent.clear();
        self.ready.clear();
        self.resend.clear();
        self.next_accept = self.next_seq;
        self.phase = Phase::Probing {
            failed,
            sent: false,
        };
        Ok(())
    }

    /// Keeps the latest total; a change is worth a line in the log.
    fn note_total(&mut self, total: Option<i64>, window: Window) {
        if let (Some(before), Some(now)) = (self.latest_total, total) {
            if before != now {
                tracing::info!(
                    parent: &self.span,
                    before,
                    now,
                    page = window.page_number(),
                    "the total count changed while paging"
                );
            }
        }
        self.latest_total = total.or(self.latest_total);
    }
}
