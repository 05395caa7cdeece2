//! Each configurable limit of [`hbr_emulator::Limits`], enforced at the value configured:
//! body size (413), head size (431), a head or body that stalls (disconnect / 408), and the
//! connection bound (more clients than slots are all served, in turn).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::field_reassign_with_default
)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use hbr_emulator::{EmulatorConfig, Limits};
use hbr_runtime::signing::SignatureVersion;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LONG: Duration = Duration::from_secs(10);

fn config(limits: Limits) -> EmulatorConfig {
    let mut config = EmulatorConfig::default();
    config.jobs = 30;
    config.limits = limits;
    config
}

fn status_of(answer: &[u8]) -> Option<u16> {
    let text = std::str::from_utf8(answer.get(..12)?).ok()?;
    text.strip_prefix("HTTP/1.1 ")?.parse().ok()
}

/// The raw bytes of a signed request with one extra (unsigned) header of `pad` bytes.
fn padded_request(emu: &hbr_emulator::RunningEmulator, pad: usize) -> Vec<u8> {
    let signed = Call::new(SignatureVersion::V3, &[("PageSize", "2")]).sign(&emu.endpoint());
    let raw = raw_request(&signed);
    let split = raw
        .windows(2)
        .position(|w| w == b"\r\n")
        .expect("request line")
        + 2;
    let mut out = raw[..split].to_vec();
    out.extend_from_slice(format!("x-padding: {}\r\n", "p".repeat(pad)).as_bytes());
    out.extend_from_slice(&raw[split..]);
    out
}

#[tokio::test]
async fn body_and_head_sizes_follow_the_configured_limits() {
    let emu = start_with(config(Limits {
        max_body_bytes: 4096,
        max_header_bytes: 16 * 1024,
        ..Limits::default()
    }))
    .await;

    // A declared body over the limit: 413 with the service's JSON error, before reading it.
    let answer = raw_exchange(
        emu.addr(),
        b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 5000\r\nconnection: close\r\n\r\n",
        LONG,
    )
    .await;
    let text = String::from_utf8_lossy(&answer);
    assert_eq!(status_of(&answer), Some(413), "{text}");
    assert!(
        text.contains("\"Code\":\"RequestEntityTooLarge\""),
        "{text}"
    );
    assert!(text.contains("4096"), "the message names the limit: {text}");

    // A chunked body that grows past it: 413 as well (or a close once it is refused).
    let mut chunked =
        b"POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            .to_vec();
    for _ in 0..5 {
        chunked.extend_from_slice(b"400\r\n");
        chunked.extend_from_slice(&[b'a'; 0x400]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let answer = raw_exchange(emu.addr(), &chunked, LONG).await;
    assert!(
        answer.is_empty() || status_of(&answer) == Some(413),
        "{}",
        String::from_utf8_lossy(&answer)
    );

    // A body at the limit is read (and then judged on its merits: here, unsigned).
    let mut at_limit =
        b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 4096\r\nconnection: close\r\n\r\n".to_vec();
    at_limit.extend_from_slice(&[b'a'; 4096]);
    let answer = raw_exchange(emu.addr(), &at_limit, LONG).await;
    assert_eq!(
        status_of(&answer),
        Some(400),
        "{}",
        String::from_utf8_lossy(&answer)
    );

    // A head under the limit is served; one over it gets 431 from the HTTP layer.
    let answer = raw_exchange(emu.addr(), &padded_request(&emu, 8 * 1024), LONG).await;
    assert_eq!(
        status_of(&answer),
        Some(200),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    let answer = raw_exchange(emu.addr(), &padded_request(&emu, 40 * 1024), LONG).await;
    assert_eq!(
        status_of(&answer),
        Some(431),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    // The server keeps serving.
    assert_eq!(
        describe(&client(), &emu, &[("PageSize", "1")]).await.status,
        200
    );
}

#[tokio::test]
async fn stalled_halves_are_cut_off_after_their_timeouts() {
    let emu = start_with(config(Limits {
        header_read_timeout: Duration::from_millis(300),
        body_read_timeout: Duration::from_millis(300),
        ..Limits::default()
    }))
    .await;

    // Half a head, then silence: the connection is closed without an answer, well before
    // the 10 s this test is willing to wait.
    let started = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    stream
        .write_all(b"POST /?PageSize=1 HTTP/1.1\r\nhost: x\r\nx-acs-action: Desc")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(LONG, stream.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the stalled connection was closed");
    assert!(
        buf.is_empty() || status_of(&buf).is_some_and(|s| (400..500).contains(&s)),
        "{}",
        String::from_utf8_lossy(&buf)
    );
    let head_cut = started.elapsed();

    // A complete head and half a body: 408 RequestTimeout with the service's JSON error.
    let started = Instant::now();
    let answer = raw_exchange(
        emu.addr(),
        b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 64\r\nconnection: close\r\n\r\nPageSize=1",
        LONG,
    )
    .await;
    let text = String::from_utf8_lossy(&answer);
    assert_eq!(status_of(&answer), Some(408), "{text}");
    assert!(text.contains("\"Code\":\"RequestTimeout\""), "{text}");
    let body_cut = started.elapsed();

    // A connection that sends nothing at all is closed too.
    let mut idle = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(LONG, idle.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the idle connection was closed");

    // Both were cut off by the timeouts, not by the test's own patience.
    assert!(
        head_cut < LONG && body_cut < LONG,
        "{head_cut:?} {body_cut:?}"
    );
    assert_eq!(
        describe(&client(), &emu, &[("PageSize", "1")]).await.status,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_clients_than_connection_slots_are_all_served() {
    let emu = start_with(config(Limits {
        max_connections: 2,
        header_read_timeout: Duration::from_millis(500),
        ..Limits::default()
    }))
    .await;
    // Two clients that connect and stall hold both slots until the header timeout.
    let stall1 = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    let stall2 = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;

    let expected = hbr_emulator::generate_jobs(30, hbr_emulator::DEFAULT_SEED);
    let mut tasks = Vec::new();
    for i in 0..24usize {
        let endpoint = emu.endpoint();
        let addr = emu.addr();
        let page_size = (i % 9 + 1).to_string();
        tasks.push(tokio::spawn(async move {
            let signed = Call::new(SignatureVersion::V3, &[("PageSize", page_size.as_str())])
                .sign(&endpoint);
            let answer = raw_exchange(addr, &raw_request(&signed), LONG).await;
            (page_size, answer)
        }));
    }
    for task in tasks {
        let (page_size, answer) = task.await.unwrap();
        assert_eq!(
            status_of(&answer),
            Some(200),
            "{}",
            String::from_utf8_lossy(&answer)
        );
        let text = String::from_utf8_lossy(&answer);
        let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(body).expect("JSON body");
        assert_eq!(json["TotalCount"], 30);
        let n: usize = page_size.parse().unwrap();
        let ids: Vec<&str> = json["RestoreJobs"]["RestoreJob"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["RestoreId"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = expected[..n]
            .iter()
            .map(|j| j.restore_id.as_str())
            .collect();
        assert_eq!(ids, want);
    }
    assert!(emu.stats().connections >= 26);
    drop((stall1, stall2));
}
