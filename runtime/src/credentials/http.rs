//! HTTP helpers shared by the providers that fetch credentials over the network.

use std::error::Error as _;
use std::time::Duration;

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::{Credentials, CredentialsError};

/// Builds a client with the given timeouts. `no_proxy` is for link-local or loopback
/// endpoints that must never go through a proxy.
pub(crate) fn client(
    provider: &'static str,
    connect_timeout: Duration,
    timeout: Duration,
    no_proxy: bool,
) -> Result<reqwest::Client, CredentialsError> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .timeout(timeout);
    if no_proxy {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|e| CredentialsError::Request {
        provider,
        url: String::new(),
        message: format!("cannot build an HTTP client: {}", describe(&e, timeout)),
    })
}

/// The URL without its query string or fragment (which might carry tokens).
pub(crate) fn display_url(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    url[..end].to_owned()
}

/// Whether the error means the endpoint could not be reached at all.
pub(crate) fn is_unreachable(err: &reqwest::Error) -> bool {
    err.is_connect() || err.is_timeout()
}

/// A one-line description of a transport error without its URL.
pub(crate) fn describe(err: &reqwest::Error, timeout: Duration) -> String {
    if err.is_timeout() {
        return format!("timed out after {}", format_duration(timeout));
    }
    let mut text = if err.is_connect() {
        "connection failed".to_owned()
    } else if err.is_body() || err.is_decode() {
        "could not read the reply body".to_owned()
    } else {
        "request failed".to_owned()
    };
    // The innermost source is usually the most informative (e.g. "Connection refused").
    let mut source = err.source();
    let mut last = None;
    while let Some(s) = source {
        last = Some(s.to_string());
        source = s.source();
    }
    if let Some(last) = last {
        text.push_str(": ");
        text.push_str(&last);
    }
    text
}

fn format_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// Parses the `{Code:"Success", AccessKeyId, AccessKeySecret, SecurityToken, Expiration}`
/// reply of the ECS metadata service and of a credentials URI. Error messages never echo
/// the body (it carries secrets).
pub(crate) fn parse_credentials_reply(
    provider: &'static str,
    url: &str,
    body: &[u8],
) -> Result<Credentials, CredentialsError> {
    let invalid = |message: String| CredentialsError::InvalidResponse {
        provider,
        url: display_url(url),
        message,
    };
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        invalid(format!(
            "not JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let Some(object) = value.as_object() else {
        return Err(invalid("not a JSON object".to_owned()));
    };
    match object.get("Code") {
        Some(Value::String(code)) if code == "Success" => {}
        Some(Value::String(code)) => {
            return Err(invalid(format!(
                "Code is `{}`, expected `Success`",
                truncate(code)
            )))
        }
        Some(_) => return Err(invalid("Code is not a string".to_owned())),
        None => return Err(invalid("no Code field".to_owned())),
    }
    credentials_from_fields(object, provider).map_err(invalid)
}

/// Reads `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration` from a JSON
/// object. The error names the missing fields only.
pub(crate) fn credentials_from_fields(
    object: &serde_json::Map<String, Value>,
    provider_name: &str,
) -> Result<Credentials, String> {
    let field = |name: &str| {
        object
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let (id, secret, token, expiration) = (
        field("AccessKeyId"),
        field("AccessKeySecret"),
        field("SecurityToken"),
        field("Expiration"),
    );
    let missing: Vec<&str> = [
        ("AccessKeyId", id.is_none()),
        ("AccessKeySecret", secret.is_none()),
        ("SecurityToken", token.is_none()),
        ("Expiration", expiration.is_none()),
    ]
    .iter()
    .filter(|(_, absent)| *absent)
    .map(|(name, _)| *name)
    .collect();
    let (Some(id), Some(secret), Some(token), Some(expiration)) = (id, secret, token, expiration)
    else {
        return Err(format!("missing or empty {}", missing.join(", ")));
    };
    let expiration = OffsetDateTime::parse(&expiration, &Rfc3339).map_err(|_| {
        format!(
            "Expiration `{}` is not an RFC 3339 time such as 2025-01-01T00:00:00Z",
            truncate(&expiration)
        )
    })?;
    Ok(Credentials::new(id, secret)
        .with_security_token(token)
        .with_expiration(expiration)
        .with_provider_name(provider_name))
}

/// Caps echoed reply values so a garbage reply cannot flood an error message.
fn truncate(text: &str) -> String {
    const MAX: usize = 64;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}
