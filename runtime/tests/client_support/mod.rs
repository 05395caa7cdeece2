//! Shared helpers of the `client_*` tests: a tiny HTTP/1.1 server on 127.0.0.1 (port 0)
//! and a hand-written operation.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hbr_runtime::client::{Config, ConfigBuilder, RetryConfig};
use hbr_runtime::credentials::Credentials;
use hbr_runtime::de::FromWire;
use hbr_runtime::operation::{Operation, OperationKind, OperationOutput};
use hbr_runtime::signing::{verify, IncomingRequest, VerifiedRequest, VerifyError};
use hbr_runtime::validate::{Validate, Violation};
use hbr_runtime::wire::{EncodeParam, Location, Params};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub const AK: &str = "LTAI5tTestAccessKeyId";
pub const SECRET: &str = "s3cr3t-Value-Never-Shown";
pub const TOKEN: &str = "sts-T0ken-Never-Shown";

/// A request as the test server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub raw_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Verifies the signature with the signing module's verifier.
    pub fn verify(&self) -> Result<VerifiedRequest, VerifyError> {
        let incoming = IncomingRequest {
            method: &self.method,
            path: &self.path,
            raw_query: &self.raw_query,
            headers: &self.headers,
            body: &self.body,
        };
        verify(&incoming, &|ak| (ak == AK).then(|| SECRET.to_owned()))
    }
}

/// What the server does with a request.
pub enum Reply {
    /// Answers at once.
    Send {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Reads the request and never answers.
    Stall,
    /// Reads the request and closes the connection without answering.
    Close,
    /// A 200 with `Transfer-Encoding: chunked` (no `Content-Length`): `count` chunks of
    /// `chunk`.
    Chunked { chunk: Vec<u8>, count: usize },
    /// Sends the head, then `count` pieces of `chunk`, one every `every`.
    Trickle {
        chunk: Vec<u8>,
        every: Duration,
        count: usize,
    },
}

impl Reply {
    pub fn json(status: u16, value: serde_json::Value) -> Self {
        Reply::Send {
            status,
            headers: vec![(
                "content-type".into(),
                "application/json;charset=utf-8".into(),
            )],
            body: value.to_string().into_bytes(),
        }
    }

    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply::Send {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Send { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// A successful answer of the test operation.
pub fn ok_reply(request_id: &str) -> Reply {
    Reply::json(
        200,
        serde_json::json!({
            "RequestId": request_id,
            "Success": true,
            "Code": "200",
            "Message": "successful",
            "Items": ["a", "b"],
            "TotalCount": "2",
        }),
    )
    .header("x-acs-request-id", request_id)
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A tiny HTTP/1.1 server on 127.0.0.1, port 0; keep-alive, Content-Length bodies only.
pub struct TestServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Starts a server answering request number `n` (from 0) with `handler(&request, n)`.
    pub async fn start<F>(handler: F) -> Self
    where
        F: Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(serve(stream, Arc::clone(&handler), Arc::clone(&recorded)));
            }
        });
        Self {
            addr,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().expect("lock").len()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, handler: Arc<Handler>, requests: Arc<Mutex<Vec<Recorded>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let index = {
            let mut all = requests.lock().expect("lock");
            all.push(request.clone());
            all.len() - 1
        };
        match handler(&request, index) {
            Reply::Send {
                status,
                headers,
                body,
            } => {
                let mut head = format!(
                    "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\n",
                    reason(status),
                    body.len()
                );
                for (n, v) in headers {
                    head.push_str(&format!("{n}: {v}\r\n"));
                }
                head.push_str("\r\n");
                if stream.write_all(head.as_bytes()).await.is_err()
                    || stream.write_all(&body).await.is_err()
                {
                    return;
                }
            }
            Reply::Stall => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                return;
            }
            Reply::Close => return,
            Reply::Chunked { chunk, count } => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let frame = [
                    format!("{:x}\r\n", chunk.len()).into_bytes(),
                    chunk.clone(),
                    b"\r\n".to_vec(),
                ]
                .concat();
                for _ in 0..count {
                    if stream.write_all(&frame).await.is_err() {
                        return;
                    }
                }
                let _ = stream.write_all(b"0\r\n\r\n").await;
            }
            Reply::Trickle {
                chunk,
                every,
                count,
            } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    chunk.len() * count
                );
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for _ in 0..count {
                    tokio::time::sleep(every).await;
                    if stream.write_all(&chunk).await.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        if buffer.len() > 1 << 20 {
            return None;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    let (path, raw_query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target, String::new()),
    };
    Some(Recorded {
        method,
        path,
        raw_query,
        headers,
        body,
    })
}

/// A hand-written operation: `ListThings`, query parameters, or a form body when `FORM`.
#[derive(Clone, Debug, Default)]
pub struct ListThings<const FORM: bool = false> {
    pub page_size: Option<i32>,
    pub name: Option<String>,
    pub tags: Vec<String>,
}

pub type ListThingsForm = ListThings<true>;

impl<const FORM: bool> Validate for ListThings<FORM> {
    fn validate_into(&self, _path: &str, out: &mut Vec<Violation>) {
        if let Some(size) = self.page_size {
            if !(1..=99).contains(&size) {
                out.push(Violation {
                    parameter: "PageSize".into(),
                    message: format!("must be between 1 and 99, got {size}"),
                });
            }
        }
    }
}

impl<const FORM: bool> Operation for ListThings<FORM> {
    type Output = ThingsOutput;
    const ACTION: &'static str = "ListThings";
    const VERSION: &'static str = "2017-09-08";
    const FORM_BODY: bool = FORM;
    const KIND: OperationKind = OperationKind::Read;

    fn encode(&self) -> Params {
        let mut params = Params::default();
        let location = if FORM {
            Location::Body
        } else {
            Location::Query
        };
        self.page_size
            .encode_param("PageSize", Location::Query, &mut params);
        self.name.encode_param("Name", location, &mut params);
        self.tags.encode_param("Tags", location, &mut params);
        params
    }
}

/// A hand-written write, `CreateThing`, that leaves [`Operation::KIND`] at its default.
#[derive(Clone, Debug, Default)]
pub struct CreateThing {
    pub name: Option<String>,
}

impl Validate for CreateThing {
    fn validate_into(&self, _path: &str, _out: &mut Vec<Violation>) {}
}

impl Operation for CreateThing {
    type Output = ThingsOutput;
    const ACTION: &'static str = "CreateThing";
    const VERSION: &'static str = "2017-09-08";
    const FORM_BODY: bool = false;

    fn encode(&self) -> Params {
        let mut params = Params::default();
        self.name.encode_param("Name", Location::Query, &mut params);
        params
    }
}

/// The output of [`ListThings`].
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct ThingsOutput {
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
    #[serde(rename = "Success")]
    pub success: Option<bool>,
    #[serde(rename = "Code")]
    pub code: Option<String>,
    #[serde(rename = "Message")]
    pub message: Option<String>,
    #[serde(rename = "Items", default)]
    pub items: Vec<String>,
}

impl<'de> FromWire<'de> for ThingsOutput {
    fn from_wire<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
}

impl OperationOutput for ThingsOutput {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    fn success(&self) -> Option<bool> {
        self.success
    }
    fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

/// Fast retries, no proxies, static credentials, the server's endpoint.
/// `http://127.0.0.1:PORT` where nothing listens: a listener bound then dropped.
pub fn closed_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local addr").port();
    format!("http://127.0.0.1:{port}")
}

pub fn config_for(server: &TestServer) -> ConfigBuilder {
    config_for_endpoint(&server.endpoint())
}

pub fn config_for_endpoint(endpoint: &str) -> ConfigBuilder {
    Config::builder()
        .endpoint(endpoint)
        .credentials(Credentials::new(AK, SECRET))
        .use_env_proxy(false)
        .retry(
            RetryConfig::standard()
                .with_base_delay(Duration::from_millis(2))
                .with_max_delay(Duration::from_millis(50)),
        )
}
