//! The walk against a listing kept in memory that changes while it is walked: items added
//! and removed at random places, at the front only, or in pairs that leave the total
//! unchanged, with answers arriving out of order. Every run checks, independently of the
//! walk, that every item present throughout was yielded and that no item was yielded twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hbr_runtime::client::{Error, ErrorKind, RetryQuota, RetryQuotaConfig, ServiceError};

use super::plan::Window;
use super::walk::{Fetch, FetchFuture, Fetched, QuotaSource, Settings, Walk};

/// A small seeded generator (splitmix64), so every run is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

/// How the listing changes at each answer, before the answer is taken from it.
#[derive(Clone, Copy, Debug)]
enum Churn {
    None,
    /// Up to `n` items added at the front (the newest first, as restore jobs are).
    Front(u64),
    /// Up to `n` items added and up to `n` removed, anywhere.
    Anywhere(u64),
    /// One item removed and one added, anywhere: the total never changes.
    Pairs,
}

struct Listing {
    /// The listing in its order; keys are increasing numbers.
    items: Vec<u64>,
    first: u64,
    removed: HashSet<u64>,
    initial: Vec<u64>,
    rng: Rng,
    churn: Churn,
    /// Throttle one answer in this many (0: never).
    throttle_one_in: u64,
    requests: u64,
    in_flight: usize,
    max_in_flight: usize,
    /// Throttled answers by page number and size.
    throttles: std::collections::HashMap<(i32, i32), u32>,
}

impl Listing {
    fn new(len: u64, seed: u64, churn: Churn) -> Self {
        let items: Vec<u64> = (0..len).map(|i| 1_000_000_000 + i * 1_000_000).collect();
        Self {
            first: items.first().copied().unwrap_or(1_000_000_000),
            initial: items.clone(),
            items,
            removed: HashSet::new(),
            rng: Rng(seed),
            churn,
            throttle_one_in: 0,
            requests: 0,
            in_flight: 0,
            max_in_flight: 0,
            throttles: std::collections::HashMap::new(),
        }
    }

    fn insert_anywhere(&mut self) {
        let at = self.rng.below(self.items.len() as u64 + 1) as usize;
        let low = if at == 0 {
            self.first - 1_000_000
        } else {
            self.items[at - 1]
        };
        let high = self.items.get(at).copied().unwrap_or(low + 2_000_000);
        if high > low + 1 {
            let key = low + 1 + self.rng.below(high - low - 1);
            self.items.insert(at, key);
            self.first = self.first.min(key);
        }
    }

    fn insert_front(&mut self) {
        self.first -= 1;
        self.items.insert(0, self.first);
    }

    fn remove_anywhere(&mut self) {
        if !self.items.is_empty() {
            let at = self.rng.below(self.items.len() as u64) as usize;
            let key = self.items.remove(at);
            self.removed.insert(key);
        }
    }

    fn change(&mut self) {
        match self.churn {
            Churn::None => {}
            Churn::Front(n) => {
                for _ in 0..self.rng.below(n + 1) {
                    self.insert_front();
                }
            }
            Churn::Anywhere(n) => {
                for _ in 0..self.rng.below(n + 1) {
                    self.insert_anywhere();
                }
                for _ in 0..self.rng.below(n + 1) {
                    self.remove_anywhere();
                }
            }
            Churn::Pairs => {
                self.remove_anywhere();
                self.insert_anywhere();
            }
        }
    }

    /// The items present from the start to the end.
    fn throughout(&self) -> Vec<u64> {
        self.initial
            .iter()
            .copied()
            .filter(|k| !self.removed.contains(k))
            .collect()
    }

    fn answer(&mut self, page: i32, size: i32) -> Result<Fetched<String>, Error> {
        self.requests += 1;
        if self.throttle_one_in > 0 && self.rng.below(self.throttle_one_in) == 0 {
            *self.throttles.entry((page, size)).or_default() += 1;
            let e = ServiceError::new(
                400,
                Some("Throttling.User".into()),
                Some("slow down".into()),
            )
            .with_retry_after(Some(Duration::from_millis(2)));
            return Err(Error::service(e));
        }
        self.change();
        let offset = usize::try_from((page - 1) as i64 * size as i64).unwrap();
        let items = self
            .items
            .iter()
            .skip(offset)
            .take(size as usize)
            .map(|k| format!("{k:020}"))
            .collect();
        Ok(Fetched {
            items,
            total: Some(self.items.len() as i64),
            request_id: None,
        })
    }
}

/// Counts a request out of flight when it ends, answered or dropped.
struct InFlight(Arc<Mutex<Listing>>);

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut l) = self.0.lock() {
            l.in_flight -= 1;
        }
    }
}

fn fetcher(listing: &Arc<Mutex<Listing>>) -> Fetch<String> {
    let listing = Arc::clone(listing);
    Arc::new(move |page, size| -> FetchFuture<String> {
        let listing = Arc::clone(&listing);
        Box::pin(async move {
            let _in_flight = InFlight(Arc::clone(&listing));
            let yields = {
                let mut l = listing.lock().unwrap();
                l.in_flight += 1;
                l.max_in_flight = l.max_in_flight.max(l.in_flight);
                l.rng.below(40)
            };
            // Answers come back in a shuffled order.
            for _ in 0..yields {
                tokio::task::yield_now().await;
            }
            // (The guard is released before `_in_flight` counts the request out.)
            let answer = listing.lock().unwrap().answer(page, size);
            answer
        })
    })
}

// The walk's key function takes `&I`, and the items here are `String`s.
#[allow(clippy::ptr_arg)]
fn key(s: &String) -> Option<&str> {
    Some(s.as_str())
}

#[allow(clippy::ptr_arg)]
fn no_key(_: &String) -> Option<&str> {
    None
}

struct Outcome {
    items: Result<Vec<String>, Error>,
    throughout: Vec<String>,
    requests: u64,
    max_in_flight: usize,
    throttles: std::collections::HashMap<(i32, i32), u32>,
}

impl QuotaSource for RetryQuota {
    fn quota(&self) -> &RetryQuota {
        self
    }
}

async fn walk(
    listing: Listing,
    size: u32,
    concurrency: usize,
    key: fn(&String) -> Option<&str>,
) -> Outcome {
    walk_with(listing, Window::page(1, size), concurrency, None, key).await
}

/// A walk whose throttled pages draw from `quota`.
async fn walk_with_quota(listing: Listing, concurrency: usize, quota: Arc<RetryQuota>) -> Outcome {
    run(
        listing,
        settings(Window::page(1, 99), concurrency, None, Some(quota)),
        key,
    )
    .await
}

fn settings(
    first: Window,
    concurrency: usize,
    max_items: Option<u64>,
    quota: Option<Arc<RetryQuota>>,
) -> Settings {
    Settings {
        first,
        concurrency,
        max_items,
        quota: quota.map(|q| q as Arc<dyn QuotaSource>),
    }
}

async fn walk_with(
    listing: Listing,
    first: Window,
    concurrency: usize,
    max_items: Option<u64>,
    key: fn(&String) -> Option<&str>,
) -> Outcome {
    run(listing, settings(first, concurrency, max_items, None), key).await
}

async fn run(listing: Listing, settings: Settings, key: fn(&String) -> Option<&str>) -> Outcome {
    let listing = Arc::new(Mutex::new(listing));
    let mut walk = Walk::new(fetcher(&listing), key, settings, tracing::Span::none());
    let mut items = Vec::new();
    let mut error = None;
    while let Some(page) = walk.next().await {
        match page {
            Ok(page) => items.extend(page.into_items()),
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    let l = listing.lock().unwrap();
    Outcome {
        items: error.map_or(Ok(items), Err),
        throughout: l.throughout().iter().map(|k| format!("{k:020}")).collect(),
        requests: l.requests,
        max_in_flight: l.max_in_flight,
        throttles: l.throttles.clone(),
    }
}

/// Walks a listing of `len` items changing by `churn` once per seed, checking each walk.
async fn walk_seeds(
    len: u64,
    churn: Churn,
    size: u32,
    concurrency: usize,
    seeds: std::ops::Range<u64>,
    what: &str,
) {
    for seed in seeds {
        let out = walk(Listing::new(len, seed, churn), size, concurrency, key).await;
        check(&out, &format!("{what}, seed {seed}"));
    }
}

/// Nothing present throughout lost, nothing twice.
fn check(outcome: &Outcome, what: &str) {
    let items = outcome.items.as_ref().expect(what);
    let unique: HashSet<&String> = items.iter().collect();
    assert_eq!(
        unique.len(),
        items.len(),
        "{what}: an item was yielded twice"
    );
    let missing: Vec<&String> = outcome
        .throughout
        .iter()
        .filter(|k| !unique.contains(k))
        .collect();
    assert!(missing.is_empty(), "{what}: lost {missing:?}");
}

#[tokio::test]
async fn a_still_listing_comes_whole_and_in_order() {
    let out = walk(Listing::new(10_000, 1, Churn::None), 99, 8, key).await;
    check(&out, "still");
    assert_eq!(
        out.items.as_ref().unwrap(),
        &out.throughout,
        "in the listing's order"
    );
    assert!(out.max_in_flight <= 8, "{} in flight", out.max_in_flight);
    assert!(
        out.max_in_flight >= 4,
        "concurrency was used: {}",
        out.max_in_flight
    );
    // 102 pages of 99, plus the overlap: about 15 % more requests.
    assert!(
        (103..=120).contains(&out.requests),
        "{} requests",
        out.requests
    );
}

#[tokio::test]
async fn one_page_at_a_time_when_asked() {
    let out = walk(Listing::new(1_000, 2, Churn::Front(2)), 50, 1, key).await;
    check(&out, "sequential");
    assert_eq!(out.max_in_flight, 1);
}

#[tokio::test]
async fn jobs_added_at_the_front_while_paging() {
    walk_seeds(3000, Churn::Front(3), 99, 16, 0..40, "front").await;
}

#[tokio::test]
async fn jobs_added_and_removed_anywhere_while_paging() {
    walk_seeds(2000, Churn::Anywhere(2), 99, 8, 0..60, "anywhere").await;
}

#[tokio::test]
async fn changes_that_leave_the_total_unchanged() {
    // One removed and one added at each answer: TotalCount never moves, so only the
    // overlap of the windows can show that pages shifted.
    walk_seeds(2000, Churn::Pairs, 40, 6, 0..60, "pairs").await;
}

#[tokio::test]
async fn heavy_churn_while_paging() {
    // Up to 8 of 600 items added and 8 removed at every answer, windows of 20.
    walk_seeds(600, Churn::Anywhere(8), 20, 8, 0..40, "heavy").await;
}

#[tokio::test]
async fn extreme_churn_ends_complete_or_with_an_error_never_silently() {
    // Up to 30 added and 30 removed at every answer: the listing moves by more than a
    // window between two requests. The walk may give up, but never loses or repeats an
    // item without saying so.
    let mut errors = 0;
    for seed in 0..40 {
        let out = walk(Listing::new(600, seed, Churn::Anywhere(30)), 20, 8, key).await;
        match &out.items {
            Ok(_) => check(&out, &format!("extreme, seed {seed}")),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Pagination, "{e}");
                errors += 1;
            }
        }
    }
    assert!(errors > 0, "the extreme case is reached");
}

#[tokio::test]
async fn throttled_pages_go_again_and_the_walk_completes() {
    let mut listing = Listing::new(3_000, 5, Churn::None);
    listing.throttle_one_in = 6;
    let quota = Arc::new(RetryQuota::new(Some(RetryQuotaConfig::standard())));
    let out = walk_with_quota(listing, 16, Arc::clone(&quota)).await;
    check(&out, "throttled");
    assert!(out.max_in_flight <= 16);
    // Every page sent again took 5 tokens; an answered page gave back what its last sending
    // took, so a page throttled n times keeps 5 × (n − 1).
    assert!(!out.throttles.is_empty());
    let kept: u32 = out.throttles.values().map(|n| 5 * (n - 1)).sum();
    assert_eq!(quota.available(), Some(500 - kept));
}

#[tokio::test]
async fn throttled_pages_stop_when_the_retry_quota_is_empty() {
    let mut listing = Listing::new(500, 6, Churn::None);
    listing.throttle_one_in = 1;
    // Room for two pages sent again.
    let quota = Arc::new(RetryQuota::new(Some(
        RetryQuotaConfig::standard().with_capacity(10),
    )));
    let out = walk_with_quota(listing, 4, Arc::clone(&quota)).await;
    let e = out.items.expect_err("always throttled");
    assert_eq!(e.kind(), ErrorKind::Throttling);
    assert!(e.retry_quota_exhausted(), "{e}");
    assert_eq!(out.requests, 3, "the first request and two sent again");
    assert_eq!(quota.available(), Some(0));
}

#[tokio::test]
async fn only_throttling_in_the_end_is_an_error() {
    let mut listing = Listing::new(500, 6, Churn::None);
    listing.throttle_one_in = 1;
    let out = walk(listing, 99, 4, key).await;
    let e = out.items.expect_err("always throttled");
    assert_eq!(e.kind(), ErrorKind::Throttling);
    assert_eq!(
        out.requests, 12,
        "the 12th throttled answer in a row ends the walk"
    );
}

#[tokio::test]
async fn items_without_keys_are_paged_by_plain_pages() {
    let out = walk(Listing::new(1_000, 7, Churn::None), 100, 4, no_key).await;
    assert_eq!(out.items.as_ref().unwrap(), &out.throughout);
    assert_eq!(out.requests, 10, "no overlap without keys");
}

#[tokio::test]
async fn a_limit_plans_no_more_than_it_needs() {
    let out = walk_with(
        Listing::new(10_000, 8, Churn::None),
        Window::page(1, 99),
        16,
        Some(150),
        key,
    )
    .await;
    let items = out.items.unwrap();
    assert_eq!(items, out.throughout[..150].to_vec());
    assert!(out.requests <= 3, "{} requests for 150 items", out.requests);
}

#[tokio::test]
async fn a_walk_from_a_later_page() {
    let out = walk_with(
        Listing::new(1_000, 9, Churn::None),
        Window::page(4, 99),
        4,
        None,
        key,
    )
    .await;
    assert_eq!(out.items.unwrap(), out.throughout[297..].to_vec());
}

#[tokio::test]
async fn empty_and_exact_listings() {
    let out = walk(Listing::new(0, 10, Churn::None), 99, 8, key).await;
    assert_eq!(out.items.unwrap(), Vec::<String>::new());
    assert_eq!(out.requests, 1);
    let out = walk(Listing::new(99, 10, Churn::None), 99, 8, key).await;
    assert_eq!(out.items.unwrap().len(), 99);
    assert_eq!(
        out.requests, 1,
        "a full page that reaches TotalCount ends the walk"
    );
}

/// A walk whose listing loses `removed` items from the front right after the first answer.
async fn front_removed_after_first(removed: usize) -> (Result<Vec<String>, Error>, u64) {
    let listing = Arc::new(Mutex::new(Listing::new(500, 11, Churn::None)));
    let inner = Arc::clone(&listing);
    let fetch: Fetch<String> = Arc::new(move |page, size| -> FetchFuture<String> {
        let listing = Arc::clone(&inner);
        Box::pin(async move {
            let mut l = listing.lock().unwrap();
            let answer = l.answer(page, size);
            if l.requests == 1 {
                let gone: Vec<u64> = l.items.drain(..removed).collect();
                l.removed.extend(gone);
            }
            answer
        })
    });
    let settings = settings(Window::page(1, 50), 4, None, None);
    let mut walk = Walk::new(fetch, key, settings, tracing::Span::none());
    let mut items = Vec::new();
    while let Some(page) = walk.next().await {
        match page {
            Ok(page) => items.extend(page.into_items()),
            Err(e) => {
                assert!(walk.next().await.is_none(), "nothing after the error");
                return (Err(e), listing.lock().unwrap().requests);
            }
        }
    }
    let requests = listing.lock().unwrap().requests;
    (Ok(items), requests)
}

#[tokio::test]
async fn when_every_item_yielded_last_is_gone_the_walk_says_so() {
    // The 50 items of the first answer and 10 more vanish: the walk cannot know where it
    // was, so it ends with an error rather than guess.
    let (items, requests) = front_removed_after_first(60).await;
    let e = items.expect_err("an error");
    assert_eq!(e.kind(), ErrorKind::Pagination, "{e}");
    assert!(e.to_string().contains("start the listing again"), "{e}");
    assert!(requests <= 1 + 4 + 8, "{requests} requests");
    // Some of them gone is fine: the walk finds the rest and goes on.
    let (items, _) = front_removed_after_first(45).await;
    let items = items.expect("complete");
    let all: Vec<String> = (0..500u64)
        .map(|i| format!("{:020}", 1_000_000_000 + i * 1_000_000))
        .collect();
    assert_eq!(items, all, "the first 50, then everything after them");
}

#[tokio::test]
async fn a_listing_emptied_while_paging_ends_cleanly() {
    let (items, _) = front_removed_after_first(500).await;
    assert_eq!(items.expect("nothing present throughout").len(), 50);
}
