//! The concurrent paginator end to end over 127.0.0.1: against the emulator while restore
//! jobs are created and cancelled under it, and against a small test server of its own that
//! counts the requests in flight, throttles on demand and moves items anywhere in its
//! listing while it is walked (on hyper).
//!
//! Every walk is checked against what the server itself recorded: each job present from the
//! first request to the last is listed, and no job is listed twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::TryStreamExt;
use hbr_client::{Client, Config};
use hbr_emulator::EmulatorConfig;
use hbr_runtime::client::{ErrorKind, RetryConfig};
use hbr_runtime::credentials::Credentials;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

fn client_for(url: &str, key: &str, secret: &str, retry: RetryConfig) -> Client {
    let config = Config::builder()
        .endpoint(url)
        .credentials(Credentials::new(key, secret))
        .retry(retry)
        .build();
    Client::new(config).expect("client")
}

/// Every id listed, in order, or the error that ended the walk.
async fn list(client: &Client, concurrency: usize) -> Result<Vec<String>, hbr_client::Error> {
    client
        .describe_restore_jobs2()
        .into_paginator()
        .concurrency(concurrency)
        .items()
        .map_ok(|job| job.restore_id().unwrap_or_default().to_owned())
        .try_collect()
        .await
}

/// No id twice, and every id of `throughout` present.
fn check(ids: &[String], throughout: &[String], what: &str) {
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{what}: a job was listed twice");
    let lost: Vec<&String> = throughout
        .iter()
        .filter(|id| !unique.contains(id))
        .collect();
    assert!(
        lost.is_empty(),
        "{what}: {} jobs lost, e.g. {:?}",
        lost.len(),
        &lost[..lost.len().min(5)]
    );
}

// ---------------------------------------------------------------------------------------
// Against the emulator: jobs created (at the front: newest first) and cancelled (they leave
// a listing that excludes CANCELED) while the walk runs.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_created_and_cancelled_during_the_walk_are_neither_lost_nor_doubled() {
    let mut config = EmulatorConfig {
        jobs: 10_000,
        seed: 11,
        cancel_duration: Duration::from_millis(1),
        ..EmulatorConfig::default()
    };
    config.faults.latency_ms = 5;
    config.limits.max_created_jobs = 100_000;
    let seeded = hbr_emulator::generate_jobs(config.jobs, config.seed);
    // The created jobs restore from a seeded ECS_FILE job's vault and snapshot (the emulator
    // checks that both exist).
    let origin = hbr_emulator::seeded_restore(config.jobs, config.seed, "ECS_FILE")
        .map(|j| (j.vault_id, j.snapshot_id))
        .expect("an ECS_FILE job in the data set");
    let emu = hbr_emulator::start(config).await.expect("emulator");
    let client = client_for(
        &emu.url(),
        hbr_emulator::DEMO_ACCESS_KEY_ID,
        hbr_emulator::DEMO_ACCESS_KEY_SECRET,
        RetryConfig::standard(),
    );
    // The seeded jobs that can be cancelled (not finished), newest first like the listing.
    let cancellable: Vec<(String, String)> = seeded
        .iter()
        .filter(|j| j.status == "RUNNING" || j.status == "CREATED")
        .map(|j| (j.restore_id.clone(), j.vault_id.clone()))
        .collect();
    assert!(
        cancellable.len() > 200,
        "{} unfinished jobs",
        cancellable.len()
    );

    let stop = Arc::new(AtomicBool::new(false));
    let cancelled = Arc::new(Mutex::new(HashSet::<String>::new()));
    let cancellable = Arc::new(Mutex::new(cancellable));
    let churn: Vec<_> = (0..4)
        .map(|_| {
            let (client, stop, cancelled) =
                (client.clone(), Arc::clone(&stop), Arc::clone(&cancelled));
            let cancellable = Arc::clone(&cancellable);
            let (vault_id, snapshot_id) = origin.clone();
            tokio::spawn(async move {
                let mut created = 0;
                while !stop.load(Ordering::SeqCst) {
                    client
                        .create_restore_job()
                        .restore_type("ECS_FILE".into())
                        .source_type("ECS_FILE".into())
                        .vault_id(vault_id.as_str())
                        .snapshot_id(snapshot_id.as_str())
                        .target_instance_id("i-churn")
                        .target_path("/restore/churn")
                        .send()
                        .await
                        .expect("CreateRestoreJob");
                    created += 1;
                    let next = cancellable.lock().unwrap().pop();
                    if let Some((id, vault)) = next {
                        // Recorded first: a job being cancelled no longer counts as present
                        // throughout.
                        cancelled.lock().unwrap().insert(id.clone());
                        client
                            .cancel_restore_job()
                            .restore_id(id.as_str())
                            .vault_id(vault.as_str())
                            .send()
                            .await
                            .expect("CancelRestoreJob");
                    }
                }
                created
            })
        })
        .collect();
    let ids: Vec<String> = client
        .describe_restore_jobs2()
        .filter(
            hbr_client::describe_restore_jobs2::Filter::status().not_equal(
                hbr_client::describe_restore_jobs2::RestoreJobStatus::from("CANCELED"),
            ),
        )
        .into_paginator()
        .concurrency(8)
        .items()
        .map_ok(|job| job.restore_id().unwrap_or_default().to_owned())
        .try_collect()
        .await
        .expect("the walk completes");
    stop.store(true, Ordering::SeqCst);
    let mut created = 0;
    for task in churn {
        created += task.await.expect("churn task");
    }
    let cancelled = cancelled.lock().unwrap().clone();
    assert!(
        created > 10 && cancelled.len() > 10,
        "{created} created, {} cancelled",
        cancelled.len()
    );
    let throughout: Vec<String> = seeded
        .iter()
        .map(|j| j.restore_id.clone())
        .filter(|id| !cancelled.contains(id))
        .collect();
    check(&ids, &throughout, "created and cancelled");
}

// ---------------------------------------------------------------------------------------
// Against a test server of our own.

/// What the test server does and what it saw.
struct State {
    /// The listing, in its order.
    items: Vec<u64>,
    initial: Vec<u64>,
    removed: HashSet<u64>,
    rng: u64,
    /// Items added and removed anywhere at each answer (up to this many each).
    churn: u64,
    /// Answer every n-th request `Throttling.User` with `x-acs-retry-after` (0: never).
    throttle_every: u64,
    delay: Duration,
    requests: u64,
    throttled: u64,
    in_flight: usize,
    max_in_flight: usize,
    /// When the first throttled answer went out.
    first_throttle: Option<std::time::Instant>,
    /// The most requests in flight seen when a request arrived, from 30 ms after the first
    /// throttled answer (when the requests sent before it have been answered).
    max_in_flight_after_throttle: usize,
    /// After the first answer, remove this many items from the front.
    remove_front_after_first: usize,
}

impl State {
    fn new(len: u64) -> Self {
        let items: Vec<u64> = (0..len).map(|i| 1_000_000 + i * 1_000).collect();
        Self {
            initial: items.clone(),
            items,
            removed: HashSet::new(),
            rng: 0x5EED,
            churn: 0,
            throttle_every: 0,
            delay: Duration::from_millis(5),
            requests: 0,
            throttled: 0,
            in_flight: 0,
            max_in_flight: 0,
            first_throttle: None,
            max_in_flight_after_throttle: 0,
            remove_front_after_first: 0,
        }
    }

    fn random(&mut self, n: u64) -> u64 {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }

    fn change(&mut self) {
        for _ in 0..self.random(self.churn + 1) {
            let at = self.random(self.items.len() as u64 + 1) as usize;
            let low = if at == 0 { 0 } else { self.items[at - 1] };
            let high = self.items.get(at).copied().unwrap_or(low + 2_000);
            if high > low + 1 {
                let key = low + 1 + self.random(high - low - 1);
                self.items.insert(at, key);
            }
        }
        for _ in 0..self.random(self.churn + 1) {
            if !self.items.is_empty() {
                let at = self.random(self.items.len() as u64) as usize;
                let key = self.items.remove(at);
                self.removed.insert(key);
            }
        }
    }

    fn throughout(&self) -> Vec<String> {
        self.initial
            .iter()
            .filter(|k| !self.removed.contains(k))
            .map(|k| id(*k))
            .collect()
    }
}

fn id(key: u64) -> String {
    format!("r-{key:012}")
}

/// Starts the server; it runs as long as the test's runtime.
async fn server(state: State) -> (String, Arc<Mutex<State>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let state = Arc::new(Mutex::new(state));
    let shared = Arc::clone(&state);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let state = Arc::clone(&shared);
            let service = service_fn(move |request| answer(Arc::clone(&state), request));
            tokio::spawn(http1::Builder::new().serve_connection(TokioIo::new(stream), service));
        }
    });
    (url, state)
}

/// One answer: a page of the listing as it stands after this request's change, or a
/// throttled answer; after the configured delay, counted in flight meanwhile.
async fn answer(
    state: Arc<Mutex<State>>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::convert::Infallible> {
    let query = request.uri().query().unwrap_or_default().to_owned();
    let param = |name: &str| -> Option<i64> {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
    };
    let (number, size) = (
        param("PageNumber").unwrap_or(1),
        param("PageSize").unwrap_or(10),
    );
    let delay = state.lock().unwrap().arrive();
    tokio::time::sleep(delay).await;
    let mut s = state.lock().unwrap();
    s.in_flight -= 1;
    s.requests += 1;
    let mut response = Response::builder().header("content-type", "application/json");
    let text = if s.throttle_every > 0 && s.requests.is_multiple_of(s.throttle_every) {
        s.throttled += 1;
        s.first_throttle.get_or_insert_with(std::time::Instant::now);
        response = response.status(400).header("x-acs-retry-after", "3");
        r#"{"RequestId":"T","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#.to_owned()
    } else {
        s.change();
        // Before the second answer: the first one went out whole.
        if s.requests == 2 && s.remove_front_after_first > 0 {
            let n = s.remove_front_after_first.min(s.items.len());
            let gone: Vec<u64> = s.items.drain(..n).collect();
            s.removed.extend(gone);
        }
        s.page(number, size)
    };
    Ok(response
        .body(Full::new(Bytes::from(text)))
        .unwrap_or_default())
}

impl State {
    /// Counts a request in; the delay to answer it after.
    fn arrive(&mut self) -> Duration {
        self.in_flight += 1;
        self.max_in_flight = self.max_in_flight.max(self.in_flight);
        let settled = self
            .first_throttle
            .is_some_and(|t| t.elapsed() > Duration::from_millis(30));
        if settled {
            self.max_in_flight_after_throttle =
                self.max_in_flight_after_throttle.max(self.in_flight);
        }
        self.delay
    }

    /// The body of page `number` of `size` jobs.
    fn page(&self, number: i64, size: i64) -> String {
        let offset = usize::try_from((number - 1) * size).unwrap_or(usize::MAX);
        let jobs: Vec<String> = self
            .items
            .iter()
            .skip(offset)
            .take(usize::try_from(size).unwrap_or(0))
            .map(|k| format!(r#"{{"RestoreId":"{}","Status":"COMPLETE"}}"#, id(*k)))
            .collect();
        format!(
            r#"{{"RequestId":"R","Success":true,"PageNumber":{number},"PageSize":{size},"TotalCount":{},"RestoreJobs":{{"RestoreJob":[{}]}}}}"#,
            self.items.len(),
            jobs.join(",")
        )
    }
}

fn test_client(url: &str, retry: RetryConfig) -> Client {
    client_for(url, "test-key", "test-secret", retry)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrency_bound_holds_at_the_server() {
    for concurrency in [1, 3, 8] {
        let mut state = State::new(3_000);
        // Answers slow enough that the requests sent together are in flight together.
        state.delay = Duration::from_millis(20);
        let (url, state) = server(state).await;
        let ids = list(&test_client(&url, RetryConfig::standard()), concurrency)
            .await
            .expect("listed");
        let s = state.lock().unwrap();
        assert_eq!(ids, s.throughout(), "{concurrency}: every job, in order");
        assert!(
            s.max_in_flight <= concurrency,
            "{concurrency}: {} in flight",
            s.max_in_flight
        );
        // The bound is used: requests overlap at the server (how many at the peak depends on
        // how fast a busy machine turns answers into new requests, so only half is required).
        assert!(
            s.max_in_flight * 2 >= concurrency,
            "{concurrency}: the bound is used ({} in flight)",
            s.max_in_flight
        );
    }
    // The default.
    let (url, state) = server(State::new(3_000)).await;
    let client = test_client(&url, RetryConfig::standard());
    let ids: Vec<String> = client
        .describe_restore_jobs2()
        .into_paginator()
        .items()
        .map_ok(|job| job.restore_id().unwrap_or_default().to_owned())
        .try_collect()
        .await
        .expect("listed");
    assert_eq!(ids.len(), 3_000);
    assert!(state.lock().unwrap().max_in_flight <= hbr_client::DEFAULT_CONCURRENCY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_paces_the_walk_instead_of_failing() {
    let mut state = State::new(3_000);
    state.throttle_every = 5;
    state.churn = 1;
    let (url, state) = server(state).await;
    // No retries in the client: every throttled answer reaches the paginator, which sends the
    // page again; the client's rate limiter paces the pages from the first throttled answer.
    let client = test_client(&url, RetryConfig::disabled());
    let ids = list(&client, 16)
        .await
        .expect("throttling does not end the walk");
    let s = state.lock().unwrap();
    assert!(s.throttled > 5, "{} throttled", s.throttled);
    check(&ids, &s.throughout(), "throttled");
    assert!(s.max_in_flight <= 16);
    assert!(
        client.runtime().rate_limiter().rate().is_some(),
        "the pages are paced after throttling"
    );
    // One answer in five throttled: paced, the pages reach the server fewer at a time.
    assert!(
        s.max_in_flight_after_throttle <= 8,
        "after throttling, up to {} in flight",
        s.max_in_flight_after_throttle
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_added_and_removed_anywhere_during_the_walk() {
    for seed in 1..=6 {
        let mut state = State::new(3_000);
        state.churn = 2;
        state.rng ^= seed * 0x9E37_79B9;
        state.delay = Duration::from_millis(1);
        let (url, state) = server(state).await;
        let ids = list(&test_client(&url, RetryConfig::standard()), 8)
            .await
            .expect("listed");
        let s = state.lock().unwrap();
        assert!(
            s.removed.len() > 20,
            "the listing changed ({} removed)",
            s.removed.len()
        );
        check(&ids, &s.throughout(), &format!("seed {seed}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_walk_that_cannot_go_on_says_so() {
    // Right after the first answer, its 99 jobs and 51 more disappear: no later page holds
    // a job listed before, so the walk cannot know where it was. It ends with a pagination
    // error rather than guess.
    let mut state = State::new(3_000);
    state.remove_front_after_first = 150;
    let (url, state) = server(state).await;
    match list(&test_client(&url, RetryConfig::standard()), 1).await {
        Ok(ids) => panic!("listed {} jobs", ids.len()),
        Err(e) => assert_eq!(e.kind(), ErrorKind::Pagination, "{e}"),
    }
    assert!(state.lock().unwrap().requests <= 10);
}
