//! Credentials served by a local HTTP endpoint named in `ALIBABA_CLOUD_CREDENTIALS_URI`.

use std::time::Duration;

use futures_core::future::BoxFuture;

use super::cache::CredentialsCache;
use super::http;
use super::{Credentials, CredentialsError, Environment, ProvideCredentials};

const PROVIDER: &str = "credential_uri";
const URI_VAR: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

/// Credentials from a `GET` to the URI in `ALIBABA_CLOUD_CREDENTIALS_URI` (or given with
/// [`CredentialsUriProvider::with_uri`]). Provider name `credential_uri`.
///
/// The reply must be the JSON the ECS metadata service returns:
/// `{"Code":"Success","AccessKeyId":…,"AccessKeySecret":…,"SecurityToken":…,"Expiration":"2025-01-01T00:00:00Z"}`.
/// Credentials are cached and refreshed once within 15 minutes of `Expiration`. The
/// request goes directly to the URI, never through an HTTP proxy (it normally names a
/// local sidecar). Error messages show the URI without its query string.
///
/// ```
/// use hbr_runtime::credentials::{CredentialsUriProvider, Environment};
///
/// let provider = CredentialsUriProvider::new(Environment::process())
///     .with_uri("http://127.0.0.1:9000/credentials");
/// # let _ = provider;
/// ```
#[derive(Debug)]
pub struct CredentialsUriProvider {
    env: Environment,
    uri: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    cache: CredentialsCache,
}

impl CredentialsUriProvider {
    /// A provider reading the URI from `ALIBABA_CLOUD_CREDENTIALS_URI` in `env`, with a 5 s
    /// connect timeout and a 10 s request timeout.
    pub fn new(env: Environment) -> Self {
        Self {
            env,
            uri: None,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            cache: CredentialsCache::new(),
        }
    }

    /// Uses this URI instead of the variable.
    pub fn with_uri(mut self, uri: impl Into<String>) -> Self {
        self.uri = Some(uri.into());
        self
    }

    /// Changes the connect and request timeouts.
    pub fn with_timeouts(mut self, connect: Duration, request: Duration) -> Self {
        self.connect_timeout = connect;
        self.timeout = request;
        self
    }

    async fn fetch(&self, uri: &str) -> Result<Credentials, CredentialsError> {
        let client = http::client(PROVIDER, self.connect_timeout, self.timeout, true)?;
        let shown = http::display_url(uri);
        let resp = client.get(uri).send().await.map_err(|e| {
            if http::is_unreachable(&e) {
                CredentialsError::Unreachable {
                    provider: PROVIDER,
                    endpoint: shown.clone(),
                    reason: http::describe(&e, self.timeout),
                }
            } else {
                CredentialsError::Request {
                    provider: PROVIDER,
                    url: shown.clone(),
                    message: http::describe(&e, self.timeout),
                }
            }
        })?;
        let status = resp.status();
        if !status.is_success() {
            return Err(CredentialsError::Request {
                provider: PROVIDER,
                url: shown,
                message: format!("HTTP {}", status.as_u16()),
            });
        }
        let body = resp.bytes().await.map_err(|e| CredentialsError::Request {
            provider: PROVIDER,
            url: shown.clone(),
            message: http::describe(&e, self.timeout),
        })?;
        http::parse_credentials_reply(PROVIDER, uri, &body)
    }
}

impl ProvideCredentials for CredentialsUriProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let Some(uri) = self.uri.clone().or_else(|| self.env.var(URI_VAR)) else {
                return Err(CredentialsError::NotConfigured {
                    provider: PROVIDER,
                    reason: format!("{URI_VAR} not set"),
                });
            };
            self.cache
                .get_or_refresh(PROVIDER, || self.fetch(&uri))
                .await
        })
    }
}
