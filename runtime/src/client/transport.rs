//! One operation on the wire: credentials, signing, sending, reading, classifying, retrying.
//!
//! Nothing here is generic over the operation, so it is compiled once however many
//! operations the client has.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use time::OffsetDateTime;
use tokio::time::Instant;
use tracing::Instrument;

use crate::credentials::Secret;
use crate::signing::{format_timestamp, new_nonce, sign, RequestToSign, RetryInfo, SigningKey};
use crate::wire::Params;

use super::error::{Delivery, Error, ErrorKind, TimeoutKind};
use super::raw::{classify_error, RawResponse};
use super::retry::{ClientRateLimiter, RetryMode, RetryQuota};
use super::{CallOptions, Config, Endpoint};
use crate::credentials::{DefaultCredentialsChain, Environment, ProvideCredentials};
use crate::operation::OperationKind;

/// One call as the pipeline sees it.
pub(crate) struct Call<'a> {
    pub(crate) action: &'a str,
    pub(crate) version: &'a str,
    pub(crate) form_body: bool,
    pub(crate) kind: OperationKind,
    pub(crate) params: &'a Params,
    pub(crate) options: &'a CallOptions,
}

/// How far an operation got, shared by its attempts and the operation timeout.
#[derive(Default)]
struct Progress {
    attempts: AtomicU32,
    /// A request has been handed to the HTTP client and has not ended yet.
    in_flight: AtomicBool,
    /// How many attempts ended in a way that leaves open whether they were processed.
    ambiguous: AtomicU32,
}

impl Progress {
    fn attempts(&self) -> u32 {
        self.attempts.load(Ordering::Relaxed)
    }

    /// Records the end of an attempt that failed with `err`; returns what it says about
    /// the request's effect (an attempt timeout before anything was sent had none).
    fn settle(&self, err: &Error) -> Delivery {
        let sent = self.in_flight.swap(false, Ordering::Relaxed);
        let delivery = match err.timeout() {
            Some(TimeoutKind::Attempt) if !sent => Delivery::NotProcessed,
            _ => err.delivery(),
        };
        if delivery == Delivery::Ambiguous {
            self.ambiguous.fetch_add(1, Ordering::Relaxed);
        }
        delivery
    }

    /// Whether a request may have been processed: one is in flight, or one ended without a
    /// definite answer.
    fn maybe_processed(&self) -> bool {
        self.in_flight.load(Ordering::Relaxed) || self.ambiguous.load(Ordering::Relaxed) > 0
    }
}

/// What every request of a [`Runtime`](super::Runtime) shares: the configuration, the
/// resolved endpoint, the user agent, the connection pool and the credentials provider.
pub(crate) struct Transport {
    pub(crate) config: Config,
    pub(crate) endpoint: Endpoint,
    base_url: String,
    pub(crate) user_agent: String,
    http: reqwest::Client,
    pub(crate) credentials: Arc<dyn ProvideCredentials>,
    /// The client's budget of retries.
    pub(crate) quota: RetryQuota,
    /// The client's pacing after throttling.
    pub(crate) limiter: ClientRateLimiter,
}

impl Transport {
    /// Resolves the endpoint, checks the user agent and builds the HTTP client; without a
    /// credentials provider in `config`, the default chain over the process environment.
    pub(crate) fn new(config: Config) -> Result<Self, Error> {
        let endpoint = config.endpoint()?;
        let user_agent = config.user_agent();
        if HeaderValue::from_str(&user_agent).is_err() {
            return Err(Error::configuration(
                "the user agent suffix contains characters that cannot be sent in an HTTP header",
            ));
        }
        let http = http_client(&config)?;
        let credentials = match config.credentials() {
            Some(provider) => Arc::clone(provider),
            None => Arc::new(DefaultCredentialsChain::new(Environment::process())),
        };
        Ok(Self {
            base_url: endpoint.base_url(),
            endpoint,
            user_agent,
            http,
            credentials,
            quota: RetryQuota::new(config.retry().retry_quota().copied()),
            limiter: ClientRateLimiter::new(*config.retry().adaptive_config()),
            config,
        })
    }

    /// Sends `call` with retries and the operation timeout; the caller provides the span.
    pub(crate) async fn invoke(
        &self,
        call: &Call<'_>,
        span: &tracing::Span,
    ) -> Result<RawResponse, Error> {
        let progress = Progress::default();
        let result = match self.config.operation_timeout() {
            Some(limit) => {
                match tokio::time::timeout(limit, self.retry_loop(call, &progress)).await {
                    Ok(result) => result,
                    Err(_) => {
                        let err = Error::timeout_error(TimeoutKind::Operation, limit)
                            .with_attempts(progress.attempts());
                        Err(if progress.maybe_processed() {
                            outcome_unknown(call, err, &progress)
                        } else {
                            err
                        })
                    }
                }
            }
            None => self.retry_loop(call, &progress).await,
        };
        match &result {
            Ok(raw) => {
                span.record("attempts", raw.attempts());
                if let Some(id) = raw.request_id() {
                    span.record("request_id", id);
                }
            }
            Err(err) => {
                span.record("attempts", err.attempts());
                if let Some(id) = err.request_id() {
                    span.record("request_id", id);
                }
                tracing::debug!(error = %err, kind = %err.kind(), "operation failed");
            }
        }
        result
    }

    async fn retry_loop(&self, call: &Call<'_>, progress: &Progress) -> Result<RawResponse, Error> {
        let retry = self.config.retry();
        let retry_writes = call
            .options
            .retries_writes()
            .unwrap_or_else(|| retry.retry_writes());
        let max_attempts = call
            .options
            .attempts()
            .unwrap_or_else(|| retry.max_attempts());
        let deadline = self
            .config
            .operation_timeout()
            .map(|limit| Instant::now() + limit);
        let paced = retry.mode() == RetryMode::Adaptive || call.options.is_paced();
        let mut attempt: u32 = 1;
        let mut retry_info: Option<RetryInfo> = None;
        // What the last retry took from the quota, given back on success.
        let mut retry_cost: Option<u32> = None;
        loop {
            progress.attempts.store(attempt, Ordering::Relaxed);
            let epoch = if paced {
                Some(self.limiter.wait_turn().await)
            } else {
                None
            };
            let span = tracing::debug_span!("hbr.attempt", attempt, status = tracing::field::Empty);
            let outcome = self.timed_attempt(call, retry_info, &span, progress).await;
            if let Some(epoch) = epoch {
                self.record_pace(&outcome, epoch);
            }
            let err = match outcome {
                Ok(mut raw) => {
                    progress.in_flight.store(false, Ordering::Relaxed);
                    raw.attempts = attempt;
                    self.quota.succeeded(retry_cost);
                    return Ok(raw);
                }
                Err(err) => err.with_attempts(attempt),
            };
            let delivery = progress.settle(&err);
            let allowed = retry.allows(&err, delivery, call.kind, retry_writes);
            if attempt >= max_attempts || !allowed {
                if !allowed && retry.should_retry(&err) {
                    span.in_scope(|| {
                        tracing::debug!(error = %err, "not sending a write again: it may have been processed");
                    });
                }
                return Err(outcome_unknown(call, err, progress));
            }
            let delay = retry.delay_for(attempt, &err);
            if let Some(deadline) = deadline {
                // Waiting past the operation deadline cannot succeed: report the real cause.
                if Instant::now() + delay >= deadline {
                    return Err(outcome_unknown(call, err, progress));
                }
            }
            let Some(cost) = self.quota.try_acquire(&err) else {
                span.in_scope(|| {
                    tracing::debug!(error = %err, "not retrying: the retry quota is exhausted");
                });
                return Err(outcome_unknown(
                    call,
                    err.with_retry_quota_exhausted(),
                    progress,
                ));
            };
            retry_cost = Some(cost);
            span.in_scope(|| {
                tracing::debug!(error = %err, delay_ms = delay.as_millis() as u64, "retrying");
            });
            tokio::time::sleep(delay).await;
            attempt += 1;
            retry_info = Some(RetryInfo {
                attempts: attempt - 1,
                delay_ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            });
        }
    }

    /// Tells the pacing what an attempt sent in `epoch` got: an answer throttled or not
    /// (failures without an answer tell nothing about the service's rate).
    fn record_pace(&self, outcome: &Result<RawResponse, Error>, epoch: u64) {
        match outcome {
            Ok(_) => self.limiter.record(false, epoch),
            Err(e) if e.kind() == ErrorKind::Throttling => self.limiter.record(true, epoch),
            Err(e) if e.http_status().is_some() => self.limiter.record(false, epoch),
            Err(_) => {}
        }
    }

    /// One attempt, within the per-attempt timeout if there is one.
    async fn timed_attempt(
        &self,
        call: &Call<'_>,
        retry_info: Option<RetryInfo>,
        span: &tracing::Span,
        progress: &Progress,
    ) -> Result<RawResponse, Error> {
        let attempt = self
            .attempt(call, retry_info, span, &progress.in_flight)
            .instrument(span.clone());
        match self.config.attempt_timeout() {
            Some(limit) => match tokio::time::timeout(limit, attempt).await {
                Ok(outcome) => outcome,
                Err(_) => Err(Error::timeout_error(TimeoutKind::Attempt, limit)),
            },
            None => attempt.await,
        }
    }

    /// One attempt: fresh credentials, date and nonce; sign; send; read; classify.
    async fn attempt(
        &self,
        call: &Call<'_>,
        retry: Option<RetryInfo>,
        span: &tracing::Span,
        in_flight: &AtomicBool,
    ) -> Result<RawResponse, Error> {
        let creds = self.credentials.provide_credentials().await?;
        let timestamp = format_timestamp(OffsetDateTime::now_utc());
        let nonce = new_nonce();
        let key = SigningKey {
            access_key_id: creds.access_key_id(),
            access_key_secret: creds.access_key_secret().expose(),
            security_token: creds.security_token().map(Secret::expose),
            provider_name: creds.provider_name(),
        };
        let form =
            (call.form_body || !call.params.body.is_empty()).then_some(call.params.body.as_slice());
        let request = RequestToSign {
            host: self.endpoint.authority(),
            action: call.action,
            version: call.version,
            user_agent: &self.user_agent,
            query: &call.params.query,
            form,
            timestamp: &timestamp,
            nonce: &nonce,
            retry,
        };
        let signed = sign(self.config.signature_version(), &key, &request);
        // The service echoes v1's string to sign, SecurityToken included, in
        // SignatureDoesNotMatch messages: what it answers is scrubbed of the secrets first.
        let secrets = Redactions::new(
            [Some(key.access_key_secret), key.security_token]
                .into_iter()
                .flatten(),
        );
        drop(creds);

        let headers = header_map(signed.headers)?;
        let mut url = String::with_capacity(self.base_url.len() + 1 + signed.query.len());
        url.push_str(&self.base_url);
        if !signed.query.is_empty() {
            url.push('?');
            url.push_str(&signed.query);
        }
        let (connect_timeout, read_timeout) =
            (self.config.connect_timeout(), self.config.read_timeout());
        let authority = self.endpoint.authority();
        let to_error =
            |e: reqwest::Error| Error::from_reqwest(e, authority, connect_timeout, read_timeout);

        in_flight.store(true, Ordering::Relaxed);
        let response = self
            .http
            .post(url)
            .headers(headers)
            .body(signed.body)
            .send()
            .await
            .map_err(to_error)?;
        let status = response.status().as_u16();
        span.record("status", status);
        let (headers, mut body) = self.read_response(status, response, to_error).await?;
        if !(200..300).contains(&status) || body.len() <= REDACT_2XX_UP_TO {
            secrets.scrub(&mut body);
        }
        let raw = RawResponse::new(status, headers, body);
        tracing::debug!(
            status,
            bytes = raw.body().len(),
            request_id = raw.request_id(),
            "response received"
        );
        if (200..300).contains(&status) {
            Ok(raw)
        } else {
            Err(classify_error(&raw))
        }
    }

    /// The headers and the whole body of `response`, at most `max_response_bytes` of it
    /// (a larger body is an error that keeps what was read up to the limit).
    async fn read_response(
        &self,
        status: u16,
        mut response: reqwest::Response,
        to_error: impl Fn(reqwest::Error) -> Error,
    ) -> Result<(Vec<(String, String)>, Vec<u8>), Error> {
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();

        let max = self.config.max_response_bytes();
        let announced = response.content_length();
        if let Some(len) = announced.filter(|len| u64::try_from(max).is_ok_and(|m| *len > m)) {
            let raw = RawResponse::new(status, headers, Vec::new());
            return Err(raw.malformed(format!(
                "the body is {len} bytes (Content-Length), more than the {max}-byte limit \
                 (Config max_response_bytes); not read"
            )));
        }
        let mut body = Vec::with_capacity(
            announced
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0)
                .min(1024 * 1024),
        );
        while let Some(chunk) = response.chunk().await.map_err(&to_error)? {
            if body.len().saturating_add(chunk.len()) > max {
                body.extend_from_slice(
                    chunk
                        .get(..max.saturating_sub(body.len()))
                        .unwrap_or_default(),
                );
                let raw = RawResponse::new(status, headers, body);
                return Err(raw.malformed(format!(
                    "the body is larger than the {max}-byte limit (Config max_response_bytes); \
                     reading stopped there"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((headers, body))
    }
}

/// `err`, the last failure of `call`, as the caller gets it: for a write that may have been
/// processed, an [`ErrorKind::OutcomeUnknown`](super::ErrorKind::OutcomeUnknown) error.
fn outcome_unknown(call: &Call<'_>, err: Error, progress: &Progress) -> Error {
    if call.kind.is_read() || !progress.maybe_processed() {
        return err;
    }
    let resent = progress.ambiguous.load(Ordering::Relaxed) > 1;
    Error::outcome_unknown(call.action, err, resent)
}

/// The signed headers as a `HeaderMap`; the security token and the authorization are marked
/// sensitive so that no debug output shows them.
fn header_map(signed: Vec<(&str, String)>) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::with_capacity(signed.len());
    for (name, value) in signed {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            Error::configuration(format!(
                "the signer produced an invalid header name {name:?}"
            ))
        })?;
        let mut value = HeaderValue::try_from(value).map_err(|_| {
            // Never echo the value: it may be the security token.
            Error::configuration(format!(
                "the {name} header has a value that cannot be sent in HTTP"
            ))
        })?;
        if name == "x-acs-security-token" || name == "authorization" {
            value.set_sensitive(true);
        }
        headers.insert(name, value);
    }
    Ok(headers)
}

/// Successful bodies up to this size are scrubbed of secrets too (a `Success: false`
/// envelope is small); larger ones, pages of results, are not searched.
const REDACT_2XX_UP_TO: usize = 64 * 1024;

/// The forms a secret can take in an answer: as sent, percent-encoded once (v1's
/// canonicalized query) and twice (v1's string to sign).
struct Redactions(Vec<Vec<u8>>);

impl Redactions {
    fn new<'a>(secrets: impl Iterator<Item = &'a str>) -> Self {
        let mut forms: Vec<Vec<u8>> = Vec::new();
        for secret in secrets.filter(|s| s.len() >= 4) {
            let once = crate::signing::encode::rfc3986_encode(secret);
            let twice = crate::signing::encode::rfc3986_encode(&once);
            for form in [secret.to_owned(), once, twice] {
                if !forms.iter().any(|f| f.as_slice() == form.as_bytes()) {
                    forms.push(form.into_bytes());
                }
            }
        }
        // Longest first, so that a form containing another is replaced whole.
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        Self(forms)
    }

    /// Replaces every occurrence of a secret in `body` with `<redacted>`.
    fn scrub(&self, body: &mut Vec<u8>) {
        for form in &self.0 {
            let Some(first) = body.windows(form.len()).position(|w| w == form.as_slice()) else {
                continue;
            };
            let mut out = Vec::with_capacity(body.len());
            let mut rest = &body[..];
            let mut at = Some(first);
            while let Some(i) = at {
                out.extend_from_slice(&rest[..i]);
                out.extend_from_slice(b"<redacted>");
                rest = &rest[i + form.len()..];
                at = rest.windows(form.len()).position(|w| w == form.as_slice());
            }
            out.extend_from_slice(rest);
            *body = out;
        }
    }
}

/// An HTTP client for a configuration.
fn http_client(config: &Config) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(config.connect_timeout())
        .read_timeout(config.read_timeout())
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(60))
        .tcp_nodelay(true);
    if !config.use_env_proxy() {
        builder = builder.no_proxy();
    }
    if config
        .endpoint()
        .is_ok_and(|e| e.protocol() == super::Protocol::Https)
    {
        // An HTTPS endpoint never falls back to plain HTTP.
        builder = builder.https_only(true);
    }
    builder = builder.tls_built_in_native_certs(config.tls_native_roots());
    if let Some(path) = config.ca_bundle() {
        for certificate in ca_bundle(path)? {
            builder = builder.add_root_certificate(certificate);
        }
    }
    if config.danger_accept_invalid_certs() {
        tracing::warn!("TLS certificates are not verified (danger_accept_invalid_certs)");
        builder = builder.danger_accept_invalid_certs(true);
    }
    builder
        .build()
        .map_err(|e| Error::configuration(format!("cannot build the HTTP client: {e}")))
}

/// The certificates of the PEM file at `path`.
fn ca_bundle(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, Error> {
    let shown = path.display();
    let pem = std::fs::read(path)
        .map_err(|e| Error::configuration(format!("cannot read the CA bundle {shown}: {e}")))?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        Error::configuration(format!("the CA bundle {shown} is not valid PEM: {e}"))
    })?;
    if certificates.is_empty() {
        return Err(Error::configuration(format!(
            "the CA bundle {shown} holds no certificate"
        )));
    }
    Ok(certificates)
}

#[cfg(test)]
mod redaction_tests {
    use super::Redactions;

    #[test]
    fn every_form_of_a_secret_is_scrubbed() {
        let token = "CAIS+tok/en=";
        let r = Redactions::new([token, "the-secret"].into_iter());
        let mut body =
            format!("a {token} b CAIS%2Btok%2Fen%3D c CAIS%252Btok%252Fen%253D d the-secret e")
                .into_bytes();
        r.scrub(&mut body);
        assert_eq!(
            String::from_utf8(body).unwrap_or_default(),
            "a <redacted> b <redacted> c <redacted> d <redacted> e"
        );
        let mut clean = b"nothing here".to_vec();
        r.scrub(&mut clean);
        assert_eq!(clean, b"nothing here");
    }
}
