//! The HTTP server: connections, their limits, and the pipeline of one request: path and
//! method, body within its limits, fault injection, authentication, STS or HBR dispatch,
//! after-process faults.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_LENGTH, HOST};
use hyper::http::request::Parts;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

use crate::auth::Auth;
use crate::clock;
use crate::config::{EmulatorConfig, Limits};
use crate::dispatch::{dispatch, Request as Dispatched};
use crate::error::ApiError;
use crate::faults::{Faults, Injected};
use crate::params::Params;
use crate::rate_limit::RateLimit;
use crate::response::{error_response, new_request_id, success, Body, Ctx};
use crate::stats::{bump, Counters};
use crate::store::Store;
use crate::sts;
use crate::xml::Format;

/// State shared by every connection.
pub(crate) struct Shared {
    pub(crate) auth: Auth,
    store: Store,
    faults: Faults,
    rate_limit: RateLimit,
    limits: Limits,
    pub(crate) counters: Counters,
    host_id: String,
    require_sts: bool,
}

impl Shared {
    pub(crate) fn new(config: &EmulatorConfig, store: Store, local: SocketAddr) -> Self {
        Self {
            auth: Auth::new(config),
            store,
            faults: Faults::new(&config.faults),
            rate_limit: RateLimit::new(config.faults.rate_limit_rps),
            limits: config.limits.clone(),
            counters: Counters::default(),
            host_id: local.to_string(),
            require_sts: config.require_sts,
        }
    }
}

/// The service error that makes hyper close the connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
pub(crate) struct DropConnection;

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
    let mut ctx = Ctx {
        request_id: new_request_id(),
        host_id,
        format: Format::Json,
    };
    let outcome = serve(&shared, &mut ctx, req).await;
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
        Outcome::Injected(err) | Outcome::Throttled(err) => Ok(error_response(&ctx, &err)),
        Outcome::Drop => Err(DropConnection),
    }
}

enum Outcome {
    Ok(Response<Body>),
    Rejected(ApiError),
    Injected(ApiError),
    /// Over the rate limit (already counted).
    Throttled(ApiError),
    Drop,
}

impl From<ApiError> for Outcome {
    fn from(e: ApiError) -> Self {
        Outcome::Rejected(e)
    }
}

/// The path must be `/` and the method POST or GET.
fn check_route(head: &Parts) -> Result<(), ApiError> {
    let path = head.uri.path();
    if path != "/" {
        return Err(ApiError::new(
            404,
            "InvalidApi.NotFound",
            format!("Specified api is not found, please check your url and method: path {path:?} is not served; requests go to \"/\"."),
        ));
    }
    if head.method != Method::POST && head.method != Method::GET {
        return Err(ApiError::new(
            405,
            "UnsupportedHTTPMethod",
            format!(
                "The HTTP method {} is not supported; use POST or GET.",
                head.method
            ),
        ));
    }
    Ok(())
}

/// The body, refused early when its declared length is over the limit.
async fn body_within_limits(
    limits: &Limits,
    head: &Parts,
    body: Incoming,
) -> Result<Bytes, ApiError> {
    let declared_len = head
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared_len.is_some_and(|n| n > limits.max_body_bytes as u64) {
        return Err(too_large(limits));
    }
    read_body(limits, body).await
}

/// The pipeline of one request; it sets the answer's format in `ctx` as soon as the request
/// says it (the URL query, then the form body).
async fn serve(shared: &Shared, ctx: &mut Ctx, req: Request<Incoming>) -> Outcome {
    let (head, body) = req.into_parts();
    ctx.format = Format::requested(&head, None);
    if let Err(e) = check_route(&head) {
        return e.into();
    }
    let body = match body_within_limits(&shared.limits, &head, body).await {
        Ok(b) => b,
        Err(e) => return e.into(),
    };
    ctx.format = Format::requested(&head, Some(&body));
    match shared.faults.inject(&shared.counters).await {
        Some(Injected::Drop) => return Outcome::Drop,
        Some(Injected::Error(e)) => return Outcome::Injected(e),
        None => {}
    }
    let (verified, temporary) = match shared.auth.authenticate(&head, &body) {
        Ok(v) => v,
        Err(e) => return e.into(),
    };
    // Throttled by rate (counted apart from the injected faults and the rejections).
    if let Err(e) = shared
        .rate_limit
        .admit(&verified.access_key_id, &shared.counters)
    {
        return Outcome::Throttled(e);
    }
    let request = Dispatched {
        action: verified.action.as_deref(),
        version: verified.version.as_deref(),
        params: Params(&verified.params),
        query_count: verified.query_count,
        check_places: verified.signature_version.acs3().is_some(),
        request_id: &ctx.request_id,
        now_ms: clock::now_ms(),
    };
    let action = request.action.or_else(|| request.params.last("Action"));
    let outcome = match route(shared, &request, temporary) {
        Ok(body) => Outcome::Ok(success(ctx, action.unwrap_or_default(), body)),
        Err(e) => e.into(),
    };
    // The work is done; its answer may still be lost.
    match shared.faults.after_process(&shared.counters) {
        Some(Injected::Drop) => Outcome::Drop,
        Some(Injected::Error(e)) => Outcome::Injected(e),
        None => outcome,
    }
}

/// STS `AssumeRole` (version 2015-04-01) beside the HBR actions; under `--require-sts`, HBR
/// calls only with temporary credentials issued here.
fn route(shared: &Shared, request: &Dispatched<'_>, temporary: bool) -> Result<Vec<u8>, ApiError> {
    let action = request.action.or_else(|| request.params.last("Action"));
    let version = request.version.or_else(|| request.params.last("Version"));
    if action == Some(sts::ASSUME_ROLE) && version == Some(sts::STS_VERSION) {
        let issuer = &shared.auth.issuer;
        return issuer.assume_role(request.params, request.request_id, request.now_ms);
    }
    if shared.require_sts && !temporary {
        return Err(sts::sts_required());
    }
    dispatch(&shared.store, request)
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
