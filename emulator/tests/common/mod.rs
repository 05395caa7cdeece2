//! Helpers shared by the emulator's integration tests: signing with the runtime's signer and
//! sending with a plain HTTP client.
#![allow(
    dead_code,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::field_reassign_with_default
)]

use hbr_emulator::{EmulatorConfig, RunningEmulator};
use hbr_runtime::signing::{
    format_timestamp, new_nonce, sign, RequestToSign, SignatureVersion, SignedRequest, SigningKey,
};
use serde_json::Value;

pub const UA: &str =
    "AlibabaCloud (Linux; x86_64) Rust/1.85 Core/0.1.0 TeaDSL/2 hbr-emulator-tests";

/// A credential to sign with.
#[derive(Clone, Copy)]
pub struct Key<'a> {
    pub id: &'a str,
    pub secret: &'a str,
    pub token: Option<&'a str>,
}

pub const DEMO: Key<'static> = Key {
    id: hbr_emulator::DEMO_ACCESS_KEY_ID,
    secret: hbr_emulator::DEMO_ACCESS_KEY_SECRET,
    token: None,
};

/// What to sign; `timestamp`/`nonce` default to now and a fresh nonce.
pub struct Call<'a> {
    pub version: SignatureVersion,
    pub key: Key<'a>,
    pub action: &'a str,
    pub api_version: &'a str,
    pub query: Vec<(String, String)>,
    pub form: Option<Vec<(String, String)>>,
    pub timestamp: Option<String>,
    pub nonce: Option<String>,
}

pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl<'a> Call<'a> {
    pub fn new(version: SignatureVersion, query: &[(&str, &str)]) -> Self {
        Self {
            version,
            key: DEMO,
            action: "DescribeRestoreJobs2",
            api_version: "2017-09-08",
            query: pairs(query),
            form: None,
            timestamp: None,
            nonce: None,
        }
    }

    /// A call of `action` whose parameters go where the spec sends each (the URL query or the
    /// form body, by the registry's location of its top-level name).
    pub fn placed(version: SignatureVersion, action: &'a str, params: &[(String, String)]) -> Self {
        let op = hbr_client::registry::find(action).expect("an operation of the spec");
        let in_body = |key: &str| {
            let top = key.split('.').next().unwrap_or_default();
            op.parameters
                .iter()
                .any(|p| p.name == top && p.location == "body")
        };
        let (body, query): (Vec<_>, Vec<_>) = params.iter().cloned().partition(|(k, _)| in_body(k));
        let mut call = Self::new(version, &[]);
        call.action = action;
        call.query = query;
        call.form = (!body.is_empty()).then_some(body);
        call
    }

    pub fn sign(&self, host: &str) -> SignedRequest {
        let timestamp = self
            .timestamp
            .clone()
            .unwrap_or_else(|| format_timestamp(time::OffsetDateTime::now_utc()));
        let nonce = self.nonce.clone().unwrap_or_else(new_nonce);
        let key = SigningKey {
            access_key_id: self.key.id,
            access_key_secret: self.key.secret,
            security_token: self.key.token,
            provider_name: if self.key.token.is_some() {
                "static_sts"
            } else {
                "static_ak"
            },
        };
        let req = RequestToSign {
            host,
            action: self.action,
            version: self.api_version,
            user_agent: UA,
            query: &self.query,
            form: self.form.as_deref(),
            timestamp: &timestamp,
            nonce: &nonce,
            retry: None,
        };
        sign(self.version, &key, &req)
    }
}

/// An answer.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn code(&self) -> String {
        self.json()["Code"].as_str().unwrap_or_default().to_owned()
    }

    /// Asserts an error answer with this status and code, in the service's shape.
    pub fn assert_error(&self, status: u16, code: &str) -> Value {
        let body = self.json();
        assert_eq!(
            (self.status, body["Code"].as_str().unwrap_or_default()),
            (status, code),
            "unexpected answer: {body}"
        );
        for field in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
            assert!(body[field].is_string(), "error body lacks {field}: {body}");
        }
        assert_common_headers(self);
        body
    }
}

/// The headers every answer carries.
pub fn assert_common_headers(resp: &Resp) {
    assert_eq!(
        resp.header("content-type"),
        Some("application/json;charset=utf-8")
    );
    let id = resp.header("x-acs-request-id").expect("x-acs-request-id");
    assert!(resp.header("x-acs-trace-id").is_some_and(|t| !t.is_empty()));
    let body = resp.json();
    assert_eq!(body["RequestId"].as_str(), Some(id));
    let parts: Vec<&str> = id.split('-').collect();
    assert_eq!(
        parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
    assert!(id
        .chars()
        .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase()));
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("HTTP client")
}

/// Sends a signed request as POST.
pub async fn send(client: &reqwest::Client, emu: &RunningEmulator, signed: &SignedRequest) -> Resp {
    send_as(client, emu, reqwest::Method::POST, "/", signed).await
}

pub async fn send_as(
    client: &reqwest::Client,
    emu: &RunningEmulator,
    method: reqwest::Method,
    path: &str,
    signed: &SignedRequest,
) -> Resp {
    send_url(client, &emu.url(), method, path, signed).await
}

/// Sends a signed request to `base` (`http://HOST:PORT`).
pub async fn send_url(
    client: &reqwest::Client,
    base: &str,
    method: reqwest::Method,
    path: &str,
    signed: &SignedRequest,
) -> Resp {
    let mut url = format!("{base}{path}");
    if !signed.query.is_empty() {
        url.push('?');
        url.push_str(&signed.query);
    }
    let mut req = client.request(method, url).body(signed.body.clone());
    for (name, value) in &signed.headers {
        if *name != "host" {
            req = req.header(*name, value);
        }
    }
    let resp = req.send().await.expect("request sent");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.bytes().await.expect("body").to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

/// Signs `call` for `emu` and sends it.
pub async fn call(client: &reqwest::Client, emu: &RunningEmulator, call: &Call<'_>) -> Resp {
    let signed = call.sign(&emu.endpoint());
    send(client, emu, &signed).await
}

/// A v3 DescribeRestoreJobs2 with these query parameters.
pub async fn describe(
    client: &reqwest::Client,
    emu: &RunningEmulator,
    query: &[(&str, &str)],
) -> Resp {
    call(client, emu, &Call::new(SignatureVersion::V3, query)).await
}

pub async fn start(jobs: usize, seed: u64) -> RunningEmulator {
    let mut config = EmulatorConfig::default();
    config.jobs = jobs;
    config.seed = seed;
    hbr_emulator::start(config).await.expect("emulator starts")
}

pub async fn start_with(config: EmulatorConfig) -> RunningEmulator {
    hbr_emulator::start(config).await.expect("emulator starts")
}

/// The raw HTTP/1.1 bytes of a signed POST (with `connection: close`).
pub fn raw_request(signed: &SignedRequest) -> Vec<u8> {
    let mut out = format!("POST /?{} HTTP/1.1\r\n", signed.query);
    for (name, value) in &signed.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        signed.body.len()
    ));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&signed.body);
    bytes
}

/// Writes `bytes` on a new connection and reads until the server closes it (or `wait`
/// passes): what came back.
pub async fn raw_exchange(
    addr: std::net::SocketAddr,
    bytes: &[u8],
    wait: std::time::Duration,
) -> Vec<u8> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let _ = stream.write_all(bytes).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(wait, stream.read_to_end(&mut out)).await;
    out
}
