//! Answers: request IDs, the success and error bodies (JSON, or XML when the request asks),
//! and the headers every answer carries.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde::Serialize;

use crate::error::ApiError;
use crate::xml::{self, Format, CONTENT_TYPE_XML};

/// The body type of every answer.
pub(crate) type Body = Full<Bytes>;

/// A fresh request ID: an uppercase UUID.
pub(crate) fn new_request_id() -> String {
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

/// What every answer to one request carries.
pub(crate) struct Ctx {
    /// The request ID (header and body).
    pub(crate) request_id: String,
    /// The `HostId` of error bodies.
    pub(crate) host_id: String,
    /// The format the request asked for.
    pub(crate) format: Format,
}

/// An answer with the given status and JSON body, written as XML under `root` when the
/// request asked for XML.
fn response(ctx: &Ctx, status: u16, root: &str, body: Vec<u8>) -> Response<Body> {
    let (body, content_type) = match ctx.format {
        Format::Json => (body, "application/json;charset=utf-8"),
        Format::Xml => (xml::from_json(root, &body), CONTENT_TYPE_XML),
    };
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = resp.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&ctx.request_id) {
        headers.insert(HeaderName::from_static("x-acs-request-id"), v);
    }
    if let Ok(v) = HeaderValue::from_str(&new_trace_id()) {
        headers.insert(HeaderName::from_static("x-acs-trace-id"), v);
    }
    resp
}

/// The success answer of `action` with its JSON body (in XML, the root element is
/// `<{action}Response>`).
pub(crate) fn success(ctx: &Ctx, action: &str, body: Vec<u8>) -> Response<Body> {
    response(ctx, 200, &format!("{action}Response"), body)
}

/// The service's error answer for `err` (in XML, the root element is `<Error>`).
pub(crate) fn error_response(ctx: &Ctx, err: &ApiError) -> Response<Body> {
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
    let mut resp = response(ctx, err.status, "Error", bytes);
    if let Some(ms) = err.retry_after_ms {
        if let Ok(v) = HeaderValue::from_str(&ms.to_string()) {
            resp.headers_mut()
                .insert(HeaderName::from_static("x-acs-retry-after"), v);
        }
    }
    resp
}

/// A success body: `RequestId`, `Success`, `Code`, `Message`, then `fields`.
pub(crate) fn success_body<'f>(
    request_id: &str,
    fields: impl IntoIterator<Item = (&'f str, serde_json::Value)>,
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
