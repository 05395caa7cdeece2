//! The token walk against listings kept in memory: where it stops, what it does with a token
//! it already sent, and `max_items`. Each test knows the listing and the tokens it hands out
//! independently of the walk.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use hbr_runtime::client::{Error, ErrorKind};

use super::{TokenFetch, TokenFetched, TokenFuture, TokenWalk};

/// A listing served `size` items a page, the token naming the next position as `t<pos>`;
/// `tokens` overrides the token given after a page (by page index), and every token
/// received is recorded.
struct Server {
    items: Vec<u32>,
    size: usize,
    tokens: Vec<(usize, Option<String>)>,
    received: Vec<Option<String>>,
}

fn fetch(server: Arc<Mutex<Server>>) -> TokenFetch<u32> {
    Arc::new(move |token: Option<String>| -> TokenFuture<u32> {
        let server = Arc::clone(&server);
        Box::pin(async move {
            let mut s = server.lock().unwrap();
            let index = s.received.len();
            s.received.push(token.clone());
            let start = match token {
                None => 0,
                Some(t) => t
                    .strip_prefix('t')
                    .and_then(|n| n.parse::<usize>().ok())
                    .ok_or_else(|| Error::pagination(format!("bad token {t}")))?,
            };
            let end = (start + s.size).min(s.items.len());
            let items = s.items.get(start..end).unwrap_or_default().to_vec();
            let natural = (end < s.items.len()).then(|| format!("t{end}"));
            let next = s
                .tokens
                .iter()
                .find(|(i, _)| *i == index)
                .map_or(natural, |(_, t)| t.clone());
            Ok(TokenFetched {
                items,
                next,
                total: Some(s.items.len() as i64),
                request_id: Some(format!("r{index}")),
            })
        })
    })
}

fn server(len: u32, size: usize, tokens: Vec<(usize, Option<String>)>) -> Arc<Mutex<Server>> {
    Arc::new(Mutex::new(Server {
        items: (1..=len).collect(),
        size,
        tokens,
        received: Vec::new(),
    }))
}

/// Every page until the walk ends: the items and the error it ended with, if any.
async fn run(
    server: &Arc<Mutex<Server>>,
    start: Option<String>,
    max: Option<u64>,
) -> (Vec<Vec<u32>>, Option<Error>) {
    let span = tracing::Span::none();
    let mut walk = TokenWalk::new(fetch(Arc::clone(server)), start, max, "ListThings", span);
    let mut pages = Vec::new();
    while let Some(page) = walk.next().await {
        match page {
            Ok(page) => pages.push(page.into_items()),
            Err(e) => {
                assert!(walk.next().await.is_none(), "nothing after the error");
                return (pages, Some(e));
            }
        }
    }
    (pages, None)
}

#[tokio::test]
async fn the_walk_follows_tokens_and_stops_at_the_answer_without_one() {
    let s = server(25, 10, Vec::new());
    let (pages, error) = run(&s, None, None).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(
        pages,
        [
            (1..=10).collect::<Vec<_>>(),
            (11..=20).collect(),
            (21..=25).collect()
        ]
    );
    let received = s.lock().unwrap().received.clone();
    assert_eq!(received, [None, Some("t10".into()), Some("t20".into())]);
}

#[tokio::test]
async fn an_empty_token_ends_the_walk_like_an_absent_one() {
    let s = server(25, 10, vec![(1, Some(String::new()))]);
    let (pages, error) = run(&s, None, None).await;
    assert!(error.is_none());
    assert_eq!(pages.len(), 2);
    assert_eq!(s.lock().unwrap().received.len(), 2);
}

#[tokio::test]
async fn a_token_given_twice_ends_the_walk_with_a_pagination_error() {
    // The third answer hands back the token of the second request: the walk would loop.
    let s = server(50, 10, vec![(2, Some("t10".into()))]);
    let (pages, error) = run(&s, None, None).await;
    let error = error.expect("a pagination error");
    assert_eq!(error.kind(), ErrorKind::Pagination, "{error}");
    assert!(error.to_string().contains("\"t10\""), "{error}");
    assert!(error.to_string().contains("ListThings"), "{error}");
    // The page that gave the repeated token is still yielded, and nothing is asked again.
    assert_eq!(pages.len(), 3);
    assert_eq!(s.lock().unwrap().received.len(), 3);
}

#[tokio::test]
async fn a_token_equal_to_the_one_sent_is_caught_too() {
    // Resumed from t10, the service answers with t10 again.
    let s = server(50, 10, vec![(0, Some("t10".into()))]);
    let (pages, error) = run(&s, Some("t10".into()), None).await;
    assert_eq!(error.map(|e| e.kind()), Some(ErrorKind::Pagination));
    assert_eq!(pages, [(11..=20).collect::<Vec<_>>()]);
}

#[tokio::test]
async fn max_items_cuts_the_last_page_and_sends_nothing_more() {
    let s = server(100, 10, Vec::new());
    let (pages, error) = run(&s, None, Some(25)).await;
    assert!(error.is_none());
    let items: Vec<u32> = pages.concat();
    assert_eq!(items, (1..=25).collect::<Vec<_>>());
    assert_eq!(s.lock().unwrap().received.len(), 3);
    // Exactly a page's worth: no request for the page after it.
    let s = server(100, 10, Vec::new());
    let (pages, _) = run(&s, None, Some(20)).await;
    assert_eq!(pages.concat().len(), 20);
    assert_eq!(s.lock().unwrap().received.len(), 2);
}

#[tokio::test]
async fn a_failed_request_ends_the_walk_with_its_error() {
    let s = server(30, 10, vec![(0, Some("garbage".into()))]);
    let (pages, error) = run(&s, None, None).await;
    assert_eq!(pages.len(), 1);
    assert!(error.unwrap().to_string().contains("bad token garbage"));
}
