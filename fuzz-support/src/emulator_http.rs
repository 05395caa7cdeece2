//! Arbitrary bytes as a raw HTTP request to an in-process emulator.
//!
//! One emulator per process, started on `127.0.0.1:0` on first use, with the default
//! configuration (no fault injection) and short read timeouts. Each input is written to a
//! fresh connection, which is then half-closed; the answer is read until the emulator closes
//! the connection. Every answer must be a 1xx–4xx (a 5xx without fault injection is a bug) or
//! a closed connection, must come within [`ANSWER_TIMEOUT`], and every
//! [`HEALTH_CHECK_EVERY`] inputs a well-formed signed request must still answer 200.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use hbr_runtime::signing::{self, RequestToSign, SignatureVersion, SigningKey};

/// How long the emulator may take to answer (or close) after the input was sent.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);
/// How often (in inputs) the harness checks that a signed request still gets 200.
pub const HEALTH_CHECK_EVERY: u64 = 1000;

struct Harness {
    // Keeps the emulator's tasks running; never dropped (a process-wide static).
    _runtime: tokio::runtime::Runtime,
    emulator: hbr_emulator::RunningEmulator,
    inputs: AtomicU64,
}

static HARNESS: OnceLock<Harness> = OnceLock::new();

fn harness() -> &'static Harness {
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("harness setup: cannot build a Tokio runtime: {e}"));
        let config = hbr_emulator::EmulatorConfig {
            jobs: 50,
            limits: hbr_emulator::Limits {
                header_read_timeout: Duration::from_secs(1),
                body_read_timeout: Duration::from_secs(1),
                shutdown_grace: Duration::from_millis(10),
                ..hbr_emulator::Limits::default()
            },
            ..hbr_emulator::EmulatorConfig::default()
        };
        let emulator = runtime
            .block_on(hbr_emulator::start(config))
            .unwrap_or_else(|e| panic!("harness setup: cannot start the emulator: {e}"));
        Harness {
            _runtime: runtime,
            emulator,
            inputs: AtomicU64::new(0),
        }
    })
}

/// The address of this process's emulator (started on first use).
///
/// ```no_run
/// assert!(hbr_fuzz_support::emulator_http::addr().ip().is_loopback());
/// ```
pub fn addr() -> SocketAddr {
    harness().emulator.addr()
}

/// Runs one input; panics on a 5xx, on no answer within [`ANSWER_TIMEOUT`], and when a
/// periodic signed request no longer gets 200.
///
/// ```no_run
/// hbr_fuzz_support::emulator_http::run(b"GET /nope HTTP/1.1\r\nhost: x\r\n\r\n");
/// ```
pub fn run(data: &[u8]) {
    let h = harness();
    let raw = exchange(h.emulator.addr(), data);
    for status in statuses(&raw) {
        assert!(
            status < 500,
            "the emulator answered {status} to hostile input (faults are off):\n{}",
            String::from_utf8_lossy(&raw)
        );
    }
    let n = h.inputs.fetch_add(1, Ordering::Relaxed) + 1;
    if n.is_multiple_of(HEALTH_CHECK_EVERY) {
        check_alive();
    }
}

/// Sends a well-formed signed `DescribeRestoreJobs2` (v3 and v1) and panics unless both
/// answer 200.
///
/// ```no_run
/// hbr_fuzz_support::emulator_http::check_alive();
/// ```
pub fn check_alive() {
    let h = harness();
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let request = signed_request(
            version,
            &h.emulator.addr().to_string(),
            h.emulator.access_key_id(),
            h.emulator.access_key_secret(),
        );
        let raw = exchange(h.emulator.addr(), &request);
        let statuses = statuses(&raw);
        assert_eq!(
            statuses,
            [200],
            "the emulator no longer serves a signed {version:?} request:\n{}",
            String::from_utf8_lossy(&raw)
        );
    }
}

/// A signed `DescribeRestoreJobs2` (page size 1) as raw HTTP/1.1 bytes, with the current time
/// and a fresh nonce.
///
/// ```
/// use hbr_runtime::signing::SignatureVersion;
/// let raw = hbr_fuzz_support::emulator_http::signed_request(
///     SignatureVersion::V3, "127.0.0.1:8080", "AK", "secret");
/// assert!(raw.starts_with(b"POST /?"));
/// ```
pub fn signed_request(
    version: SignatureVersion,
    host: &str,
    key_id: &str,
    secret: &str,
) -> Vec<u8> {
    let key = SigningKey {
        access_key_id: key_id,
        access_key_secret: secret,
        security_token: None,
        provider_name: "static_ak",
    };
    let query = vec![
        ("PageSize".to_owned(), "1".to_owned()),
        ("RestoreType".to_owned(), "ECS_FILE".to_owned()),
    ];
    let timestamp = signing::format_timestamp(time::OffsetDateTime::now_utc());
    let nonce = signing::new_nonce();
    let req = RequestToSign {
        host,
        action: "DescribeRestoreJobs2",
        version: "2017-09-08",
        user_agent: "hbr-fuzz",
        query: &query,
        form: None,
        timestamp: &timestamp,
        nonce: &nonce,
        retry: None,
    };
    let signed = signing::sign(version, &key, &req);
    let mut out = format!("POST /?{} HTTP/1.1\r\n", signed.query).into_bytes();
    for (name, value) in &signed.headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            signed.body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&signed.body);
    out
}

/// Writes `data` to a fresh connection, half-closes it and reads the answer until the peer
/// closes; panics when the peer neither answers nor closes within [`ANSWER_TIMEOUT`].
fn exchange(addr: SocketAddr, data: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr)
        .unwrap_or_else(|e| panic!("the emulator does not accept connections any more: {e}"));
    let _ = stream.set_nodelay(true);
    // The emulator may answer and close before reading everything (e.g. a 413, or a bad
    // head): a failed write is such a close, not a failure.
    let _ = stream.write_all(data);
    // The emulator answers a request whose client half-closes right after sending it
    // (`half_close(true)`), so the end of the input can be signalled at once.
    let _ = stream.shutdown(Shutdown::Write);
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let deadline = Instant::now() + ANSWER_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "the emulator neither answered nor closed within {ANSWER_TIMEOUT:?} (got {} bytes)",
            raw.len()
        );
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                panic!(
                    "the emulator neither answered nor closed within {ANSWER_TIMEOUT:?} (got {} bytes)",
                    raw.len()
                )
            }
            // A reset is a closed connection.
            Err(_) => break,
        }
    }
    raw
}

fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0)
}

/// The status codes of the HTTP/1.x responses in `raw`, in order (bodies skipped by their
/// `content-length`); stops at the first thing that is not a response head.
///
/// ```
/// let raw = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n\r\n";
/// assert_eq!(hbr_fuzz_support::emulator_http::statuses(raw), [400, 200]);
/// ```
pub fn statuses(raw: &[u8]) -> Vec<u16> {
    let mut out = Vec::new();
    let mut rest = raw;
    while !rest.is_empty() {
        let Some(end) = rest.windows(4).position(|w| w == b"\r\n\r\n") else {
            // An incomplete head: take its status if it has one.
            if let Some(status) = status_of(rest) {
                out.push(status);
            }
            break;
        };
        let head = &rest[..end];
        let Some(status) = status_of(head) else {
            break;
        };
        out.push(status);
        let length = content_length(head);
        let body_start = end + 4;
        rest = rest.get(body_start + length..).unwrap_or_default();
    }
    out
}

fn status_of(head: &[u8]) -> Option<u16> {
    let line = head.split(|&b| b == b'\r').next()?;
    let text = std::str::from_utf8(line).ok()?;
    let mut parts = text.split(' ');
    let version = parts.next()?;
    if !version.starts_with("HTTP/1.") {
        return None;
    }
    parts.next()?.parse().ok()
}
