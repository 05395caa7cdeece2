//! The HTTP server: connection handling, limits, fault injection, signature checks and the
//! dispatch of actions.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, HOST};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

use hbr_runtime::signing::{parse_timestamp, verify, IncomingRequest, VerifyError};

use crate::config::{EmulatorConfig, FaultConfig, Limits};
use crate::error::ApiError;
use crate::jobs::JobStore;
use crate::nonce::NonceCache;
use crate::query::Query;

/// The API version the emulator serves.
pub const API_VERSION: &str = "2017-09-08";

/// The actions the emulator implements.
pub const ACTIONS: &[&str] = &[
    "DescribeRestoreJobs2",
    "CreateRestoreJob",
    "CancelRestoreJob",
];

/// A snapshot of the emulator's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Connections accepted.
    pub connections: u64,
    /// HTTP requests received (every request hyper parsed, whatever its fate).
    pub requests: u64,
    /// Faults injected: `throttled + server_errors + dropped`.
    pub faults_injected: u64,
    /// Requests answered `Throttling.User` by fault injection.
    pub throttled: u64,
    /// Requests answered 500/503 by fault injection.
    pub server_errors: u64,
    /// Connections dropped without an answer by fault injection.
    pub dropped: u64,
    /// Requests delayed by the latency setting.
    pub delayed: u64,
    /// Requests answered with success (2xx).
    pub succeeded: u64,
    /// Requests answered with an error (4xx/5xx) that was not injected.
    pub rejected: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    connections: AtomicU64,
    requests: AtomicU64,
    throttled: AtomicU64,
    server_errors: AtomicU64,
    dropped: AtomicU64,
    delayed: AtomicU64,
    succeeded: AtomicU64,
    rejected: AtomicU64,
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

impl Counters {
    pub(crate) fn snapshot(&self) -> Stats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let (throttled, server_errors, dropped) = (
            get(&self.throttled),
            get(&self.server_errors),
            get(&self.dropped),
        );
        Stats {
            connections: get(&self.connections),
            requests: get(&self.requests),
            faults_injected: throttled + server_errors + dropped,
            throttled,
            server_errors,
            dropped,
            delayed: get(&self.delayed),
            succeeded: get(&self.succeeded),
            rejected: get(&self.rejected),
        }
    }
}

/// State shared by every connection.
pub(crate) struct Shared {
    pub(crate) access_key_id: String,
    access_key_secret: String,
    security_tokens: Vec<String>,
    store: JobStore,
    faults: FaultConfig,
    fault_rng: Mutex<StdRng>,
    limits: Limits,
    nonces: Mutex<NonceCache>,
    pub(crate) counters: Counters,
    host_id: String,
}

impl Shared {
    pub(crate) fn new(config: &EmulatorConfig, store: JobStore, local: SocketAddr) -> Self {
        Self {
            access_key_id: config.access_key_id.clone(),
            access_key_secret: config.access_key_secret.clone(),
            security_tokens: config.security_tokens.clone(),
            store,
            faults: config.faults.clone(),
            fault_rng: Mutex::new(StdRng::seed_from_u64(config.faults.seed)),
            limits: config.limits.clone(),
            nonces: Mutex::new(NonceCache::new(
                config.limits.nonce_ttl,
                config.limits.nonce_capacity,
            )),
            counters: Counters::default(),
            host_id: local.to_string(),
        }
    }
}

/// The service error that makes hyper close the connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
pub(crate) struct DropConnection;

type Body = Full<Bytes>;

fn new_request_id() -> String {
    let v: u128 = rand::random();
    let hex = format!("{v:032X}");
    let part = |r: std::ops::Range<usize>| hex.get(r).unwrap_or_default();
    format!(
        "{}-{}-{}-{}-{}",
        part(0..8),
        part(8..12),
        part(12..16),
        part(16..20),
        part(20..32)
    )
}

fn new_trace_id() -> String {
    let v: u128 = rand::random();
    format!("{v:032x}")
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorBody<'a> {
    request_id: &'a str,
    host_id: &'a str,
    code: &'a str,
    message: &'a str,
    recommend: String,
}

/// What every answer carries.
struct Ctx {
    request_id: String,
    host_id: String,
}

fn response(ctx: &Ctx, status: u16, body: Vec<u8>) -> Response<Body> {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = resp.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&ctx.request_id) {
        headers.insert(HeaderName::from_static("x-acs-request-id"), v);
    }
    if let Ok(v) = HeaderValue::from_str(&new_trace_id()) {
        headers.insert(HeaderName::from_static("x-acs-trace-id"), v);
    }
    resp
}

fn error_response(ctx: &Ctx, err: &ApiError) -> Response<Body> {
    let body = ErrorBody {
        request_id: &ctx.request_id,
        host_id: &ctx.host_id,
        code: &err.code,
        message: &err.message,
        recommend: format!(
            "https://api.aliyun.com/troubleshoot?q={}&product=hbr&requestId={}",
            err.code, ctx.request_id
        ),
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
    let mut resp = response(ctx, err.status, bytes);
    if let Some(ms) = err.retry_after_ms {
        if let Ok(v) = HeaderValue::from_str(&ms.to_string()) {
            resp.headers_mut()
                .insert(HeaderName::from_static("x-acs-retry-after"), v);
        }
    }
    resp
}

/// A success body: `RequestId`, `Success`, `Code`, `Message`, then `fields`.
fn success_body<const N: usize>(
    request_id: &str,
    fields: [(&str, serde_json::Value); N],
) -> Vec<u8> {
    let mut body = serde_json::Map::new();
    body.insert("RequestId".into(), request_id.into());
    body.insert("Success".into(), true.into());
    body.insert("Code".into(), "200".into());
    body.insert("Message".into(), "successful".into());
    for (name, value) in fields {
        body.insert(name.to_owned(), value);
    }
    serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec())
}

fn verify_error(e: VerifyError) -> ApiError {
    match e {
        VerifyError::Incomplete { missing } => ApiError::new(
            400,
            "IncompleteSignature",
            format!("The request signature does not conform to Aliyun standards: missing {missing}."),
        ),
        VerifyError::UnknownAccessKey { access_key_id } => ApiError::new(
            404,
            "InvalidAccessKeyId.NotFound",
            format!("Specified access key is not found: {access_key_id}."),
        ),
        VerifyError::SignatureMismatch { string_to_sign, .. } => ApiError::new(
            400,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
            ),
        ),
        VerifyError::ContentHashMismatch { declared, actual } => ApiError::new(
            400,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation: x-acs-content-sha256 is {declared} but the body received hashes to {actual}."
            ),
        ),
        VerifyError::Malformed { reason } => ApiError::new(
            400,
            "InvalidParameter",
            format!("The request is malformed: {reason}."),
        ),
    }
}

enum Fault {
    Drop,
    Throttle,
    ServerError(bool),
}

impl Shared {
    fn draw_fault(&self) -> Option<Fault> {
        if !self.faults.draws() {
            return None;
        }
        let (d, t, e, which): (f64, f64, f64, bool) = {
            let mut rng = self
                .fault_rng
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            (rng.gen(), rng.gen(), rng.gen(), rng.gen())
        };
        if d < self.faults.drop_rate {
            Some(Fault::Drop)
        } else if t < self.faults.throttle_rate {
            Some(Fault::Throttle)
        } else if e < self.faults.error_rate {
            Some(Fault::ServerError(which))
        } else {
            None
        }
    }

    fn check_nonce(&self, access_key_id: &str, nonce: &str) -> bool {
        let key = format!("{access_key_id}\n{nonce}");
        self.nonces
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, Instant::now())
    }
}

/// Reads the body within the limits.
async fn read_body(limits: &Limits, body: Incoming) -> Result<Bytes, ApiError> {
    let collect = Limited::new(body, limits.max_body_bytes).collect();
    match tokio::time::timeout(limits.body_read_timeout, collect).await {
        Err(_) => Err(ApiError::new(
            408,
            "RequestTimeout",
            "The request body was not received in time.",
        )),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large(limits)),
        Ok(Err(e)) => Err(ApiError::new(
            400,
            "InvalidParameter",
            format!("The request body could not be read: {e}."),
        )),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

fn too_large(limits: &Limits) -> ApiError {
    ApiError::new(
        413,
        "RequestEntityTooLarge",
        format!(
            "The request body is larger than the {} bytes allowed.",
            limits.max_body_bytes
        ),
    )
}

/// Handles one request; `Err` closes the connection without an answer.
async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Body>, DropConnection> {
    bump(&shared.counters.requests);
    let host_id = req
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.len() <= 255)
        .map_or_else(|| shared.host_id.clone(), str::to_owned);
    let ctx = Ctx {
        request_id: new_request_id(),
        host_id,
    };
    let outcome = serve(&shared, &ctx, req).await;
    let counters = &shared.counters;
    match outcome {
        Outcome::Ok(resp) => {
            bump(&counters.succeeded);
            Ok(resp)
        }
        Outcome::Rejected(err) => {
            bump(&counters.rejected);
            tracing::debug!(code = %err.code, status = err.status, "request rejected");
            Ok(error_response(&ctx, &err))
        }
        Outcome::Injected(err) => Ok(error_response(&ctx, &err)),
        Outcome::Drop => Err(DropConnection),
    }
}

enum Outcome {
    Ok(Response<Body>),
    Rejected(ApiError),
    Injected(ApiError),
    Drop,
}

impl From<ApiError> for Outcome {
    fn from(e: ApiError) -> Self {
        Outcome::Rejected(e)
    }
}

async fn serve(shared: &Shared, ctx: &Ctx, req: Request<Incoming>) -> Outcome {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    if path != "/" {
        return ApiError::new(
            404,
            "InvalidApi.NotFound",
            format!("Specified api is not found, please check your url and method: path {path:?} is not served; requests go to \"/\"."),
        )
        .into();
    }
    if parts.method != Method::POST && parts.method != Method::GET {
        return ApiError::new(
            405,
            "UnsupportedHTTPMethod",
            format!(
                "The HTTP method {} is not supported; use POST or GET.",
                parts.method
            ),
        )
        .into();
    }
    let declared_len = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared_len.is_some_and(|n| n > shared.limits.max_body_bytes as u64) {
        return too_large(&shared.limits).into();
    }
    let body = match read_body(&shared.limits, body).await {
        Ok(b) => b,
        Err(e) => return e.into(),
    };

    // Fault injection.
    if shared.faults.latency_ms > 0 {
        bump(&shared.counters.delayed);
        tokio::time::sleep(Duration::from_millis(shared.faults.latency_ms)).await;
    }
    match shared.draw_fault() {
        Some(Fault::Drop) => {
            bump(&shared.counters.dropped);
            return Outcome::Drop;
        }
        Some(Fault::Throttle) => {
            bump(&shared.counters.throttled);
            let mut e = ApiError::new(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
            );
            e.retry_after_ms = Some(shared.faults.retry_after_ms);
            return Outcome::Injected(e);
        }
        Some(Fault::ServerError(unavailable)) => {
            bump(&shared.counters.server_errors);
            let e = if unavailable {
                ApiError::new(
                    503,
                    "ServiceUnavailable",
                    "The request has failed due to a temporary failure of the server.",
                )
            } else {
                ApiError::new(
                    500,
                    "InternalError",
                    "The request processing has failed due to some unknown error, exception or failure.",
                )
            };
            return Outcome::Injected(e);
        }
        None => {}
    }

    // Authentication.
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let incoming = IncomingRequest {
        method: parts.method.as_str(),
        path,
        raw_query: parts.uri.query().unwrap_or_default(),
        headers: &headers,
        body: &body,
    };
    let key_id = shared.access_key_id.as_str();
    let secret = shared.access_key_secret.as_str();
    let lookup = |ak: &str| (ak == key_id).then(|| secret.to_owned());
    let verified = match verify(&incoming, &lookup) {
        Ok(v) => v,
        Err(e) => return verify_error(e).into(),
    };
    if let Some(token) = &verified.security_token {
        if !shared.security_tokens.is_empty() && !shared.security_tokens.contains(token) {
            return ApiError::new(
                400,
                "InvalidSecurityToken.Malformed",
                "The specified SecurityToken is malformed or not valid.",
            )
            .into();
        }
    }
    let sent_at = match parse_timestamp(&verified.timestamp) {
        Ok(t) => t,
        Err(_) => {
            return ApiError::new(
                400,
                "InvalidTimeStamp.Format",
                format!(
                    "Specified time stamp or date value {:?} is not well formatted (expected YYYY-MM-DDTHH:MM:SSZ).",
                    verified.timestamp
                ),
            )
            .into()
        }
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let skew = sent_at.unix_timestamp().saturating_sub(now).unsigned_abs();
    if skew > shared.limits.max_clock_skew.as_secs() {
        return ApiError::new(
            400,
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp or date value is expired: {} is {skew} seconds away from the server time.",
                verified.timestamp
            ),
        )
        .into();
    }
    if verified.nonce.is_empty() {
        return ApiError::missing_parameter("SignatureNonce").into();
    }
    if !shared.check_nonce(&verified.access_key_id, &verified.nonce) {
        return ApiError::new(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        )
        .into();
    }

    // Dispatch.
    let params = &verified.params;
    let param = |name: &str| {
        params
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(action) = verified.action.as_deref().or_else(|| param("Action")) else {
        return ApiError::missing_parameter("Action").into();
    };
    if !ACTIONS.contains(&action) {
        return ApiError::new(
            404,
            "InvalidAction.NotFound",
            format!(
                "Specified api is not found, please check your url and method: action {action:?}."
            ),
        )
        .into();
    }
    match verified.version.as_deref().or_else(|| param("Version")) {
        None => return ApiError::missing_parameter("Version").into(),
        Some(API_VERSION) => {}
        Some(other) => {
            return ApiError::new(
                400,
                "InvalidVersion",
                format!("Specified parameter Version {other:?} is not valid; the HBR API version is {API_VERSION}."),
            )
            .into()
        }
    }
    let result = match action {
        "CreateRestoreJob" => shared.store.create(params).map(|restore_id| {
            success_body(
                &ctx.request_id,
                [("RestoreId", serde_json::Value::from(restore_id))],
            )
        }),
        "CancelRestoreJob" => shared
            .store
            .cancel(params)
            .map(|()| success_body(&ctx.request_id, [])),
        _ => Query::from_params(params).and_then(|q| shared.store.page_body(&q, &ctx.request_id)),
    };
    match result {
        Ok(body) => Outcome::Ok(response(ctx, 200, body)),
        Err(e) => e.into(),
    }
}

async fn shutdown_requested(rx: &mut watch::Receiver<bool>) {
    // A closed channel (the handle was dropped) also means shut down.
    let _ = rx.wait_for(|stop| *stop).await;
}

async fn serve_connection(
    shared: Arc<Shared>,
    stream: TcpStream,
    mut shutdown: watch::Receiver<bool>,
) {
    let limits = &shared.limits;
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(
            limits
                .max_header_bytes
                .max(8 * 1024)
                .saturating_add(8 * 1024),
        )
        .max_header_size(limits.max_header_bytes.max(8 * 1024))
        // A client may send its request and shut down its writing side at once (curl
        // --no-keepalive style tools, scripts over `nc -N`): it still gets its answer.
        .half_close(true)
        .keep_alive(true);
    let svc_shared = Arc::clone(&shared);
    let svc = service_fn(move |req| handle(Arc::clone(&svc_shared), req));
    let conn = builder.serve_connection(TokioIo::new(stream), svc);
    tokio::pin!(conn);
    tokio::select! {
        res = conn.as_mut() => {
            if let Err(e) = res {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        }
        () = shutdown_requested(&mut shutdown) => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(shared.limits.shutdown_grace, conn).await;
        }
    }
}

/// The accept loop; returns once shutdown is requested and open connections have finished
/// (or the grace period is over).
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let permits = Arc::new(Semaphore::new(shared.limits.max_connections));
    let mut conns: JoinSet<()> = JoinSet::new();
    loop {
        while conns.try_join_next().is_some() {}
        let permit = tokio::select! {
            p = Arc::clone(&permits).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = shutdown_requested(&mut shutdown) => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _peer)) => stream,
                Err(e) => {
                    // E.g. out of file descriptors: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = shutdown_requested(&mut shutdown) => break,
        };
        bump(&shared.counters.connections);
        let _ = stream.set_nodelay(true);
        let conn_shared = Arc::clone(&shared);
        let conn_shutdown = shutdown.clone();
        conns.spawn(async move {
            let _permit = permit;
            serve_connection(conn_shared, stream, conn_shutdown).await;
        });
    }
    drop(listener);
    let grace = shared.limits.shutdown_grace + Duration::from_millis(100);
    let drain = async { while conns.join_next().await.is_some() {} };
    if tokio::time::timeout(grace, drain).await.is_err() {
        conns.abort_all();
    }
}
