//! A proxy in front of the emulator for the tests: it relays HTTP/1.1 requests, keeps their
//! text, and can lose the answer of one action after the emulator did the work.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A proxy to `upstream` that loses the answer of every request of `action` (counting
/// them) and keeps the text of every request.
pub struct Proxy {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// How many answers were lost.
    pub lost: Arc<AtomicUsize>,
    /// Every request, head and body, as text.
    pub seen: Arc<Mutex<Vec<String>>>,
}

/// Starts a [`Proxy`] on its own threads; `action` may be `""` to lose nothing.
pub fn proxy(upstream: std::net::SocketAddr, action: &'static str) -> Proxy {
    let listener = match TcpListener::bind("127.0.0.1:0") {
        Ok(listener) => listener,
        Err(e) => panic!("cannot listen for the proxy: {e}"),
    };
    let url = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}"),
        Err(e) => panic!("the proxy has no address: {e}"),
    };
    let lost = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (counter, log) = (Arc::clone(&lost), Arc::clone(&seen));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (counter, log) = (Arc::clone(&counter), Arc::clone(&log));
            std::thread::spawn(move || {
                let _ = relay(stream, upstream, action, &counter, &log);
            });
        }
    });
    Proxy { url, lost, seen }
}

/// One HTTP/1.1 message (head and a body of `content-length` bytes), or `None` at the end.
fn message(reader: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut head = Vec::new();
    let mut length = 0_usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        head.extend_from_slice(line.as_bytes());
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    head.extend_from_slice(&body);
    Ok(Some(head))
}

/// Relays requests on one connection; after a request of `action`, closes it unanswered.
fn relay(
    client: TcpStream,
    upstream: std::net::SocketAddr,
    action: &str,
    lost: &AtomicUsize,
    seen: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut client = client;
    let server = TcpStream::connect(upstream)?;
    server.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut from_server = BufReader::new(server.try_clone()?);
    let mut server = server;
    while let Some(request) = message(&mut reader)? {
        server.write_all(&request)?;
        let Some(answer) = message(&mut from_server)? else {
            return Ok(());
        };
        let raw = String::from_utf8_lossy(&request).into_owned();
        let text = raw.to_ascii_lowercase();
        if let Ok(mut seen) = seen.lock() {
            seen.push(raw);
        }
        let named = action.to_ascii_lowercase();
        if !action.is_empty() && text.contains(&format!("x-acs-action: {named}"))
            || text.contains(&format!("action={named}"))
        {
            lost.fetch_add(1, Ordering::SeqCst);
            return Ok(());
        }
        client.write_all(&answer)?;
    }
    Ok(())
}
