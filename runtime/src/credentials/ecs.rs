//! Credentials of the RAM role attached to an ECS instance, from the metadata service.

use std::time::Duration;

use futures_core::future::BoxFuture;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::cache::CredentialsCache;
use super::http;
use super::{Credentials, CredentialsError, Environment, ProvideCredentials};

const PROVIDER: &str = "ecs_ram_role";
const DEFAULT_ENDPOINT: &str = "http://100.100.100.200";
const TOKEN_PATH: &str = "/latest/api/token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
const TOKEN_TTL_SECONDS: &str = "21600";

const DISABLED_VAR: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
const ROLE_VAR: &str = "ALIBABA_CLOUD_ECS_METADATA";
const IMDSV1_DISABLED_VAR: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";

/// Credentials of the RAM role attached to the ECS instance, from the metadata service at
/// `http://100.100.100.200`. Provider name `ecs_ram_role`.
///
/// Each fetch first asks for an IMDSv2 token (`PUT /latest/api/token`); if that request
/// gets an error reply it falls back to IMDSv1 (no token) unless
/// `ALIBABA_CLOUD_IMDSV1_DISABLED=true`. If the endpoint cannot be reached at all
/// (connection refused or the 1 s timeout), the provider fails at once with
/// [`CredentialsError::Unreachable`] instead of trying IMDSv1 against the same dead
/// address, so off ECS it costs at most one timeout.
///
/// The role name is, in order: [`EcsRamRoleProvider::with_role_name`],
/// `ALIBABA_CLOUD_ECS_METADATA`, or the first name listed by
/// `GET /latest/meta-data/ram/security-credentials/`.
///
/// Credentials are cached and refreshed once they are within 15 minutes of their
/// `Expiration`. The provider is disabled by `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`.
///
/// ```
/// use hbr_runtime::credentials::{EcsRamRoleProvider, Environment};
///
/// let provider = EcsRamRoleProvider::new(Environment::process())
///     .with_role_name("MyEcsRole")
///     .with_endpoint("http://127.0.0.1:8080");
/// # let _ = provider;
/// ```
#[derive(Debug)]
pub struct EcsRamRoleProvider {
    env: Environment,
    endpoint: String,
    role_name: Option<String>,
    timeout: Duration,
    cache: CredentialsCache,
}

impl EcsRamRoleProvider {
    /// A provider talking to `http://100.100.100.200` with 1 s timeouts.
    pub fn new(env: Environment) -> Self {
        Self {
            env,
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            role_name: None,
            timeout: Duration::from_secs(1),
            cache: CredentialsCache::new(),
        }
    }

    /// Uses this role instead of `ALIBABA_CLOUD_ECS_METADATA` or asking the metadata
    /// service. An empty name is ignored.
    pub fn with_role_name(mut self, role_name: impl Into<String>) -> Self {
        let role_name = role_name.into();
        self.role_name = (!role_name.is_empty()).then_some(role_name);
        self
    }

    /// Talks to another base URL (scheme and authority, e.g. `http://127.0.0.1:8080`);
    /// for tests.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into().trim_end_matches('/').to_owned();
        self
    }

    /// Changes the connect and request timeouts (1 s by default).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let client = http::client(PROVIDER, self.timeout, self.timeout, true)?;
        let token = self.fetch_token(&client).await?;
        let role = match self.role_name.clone().or_else(|| self.env.var(ROLE_VAR)) {
            Some(role) => role,
            None => self.fetch_role_name(&client, token.as_deref()).await?,
        };
        let url = format!(
            "{}{}{}",
            self.endpoint,
            CREDENTIALS_PATH,
            utf8_percent_encode(&role, NON_ALPHANUMERIC)
        );
        let body = self.get(&client, &url, token.as_deref()).await?;
        http::parse_credentials_reply(PROVIDER, &url, &body)
    }

    /// `Ok(Some(token))` for IMDSv2, `Ok(None)` to fall back to IMDSv1.
    async fn fetch_token(
        &self,
        client: &reqwest::Client,
    ) -> Result<Option<String>, CredentialsError> {
        let url = format!("{}{}", self.endpoint, TOKEN_PATH);
        let failure = match client
            .put(&url)
            .header(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS)
            .send()
            .await
        {
            Err(e) if http::is_unreachable(&e) => {
                return Err(CredentialsError::Unreachable {
                    provider: PROVIDER,
                    endpoint: self.endpoint.clone(),
                    reason: format!(
                        "{}; not running on ECS? set {DISABLED_VAR}=true to skip this provider",
                        http::describe(&e, self.timeout)
                    ),
                });
            }
            Err(e) => http::describe(&e, self.timeout),
            Ok(resp) if resp.status().is_success() => match resp.text().await {
                Ok(token) if !token.trim().is_empty() => return Ok(Some(token.trim().to_owned())),
                Ok(_) => "empty token".to_owned(),
                Err(e) => http::describe(&e, self.timeout),
            },
            Ok(resp) => format!("HTTP {}", resp.status().as_u16()),
        };
        if self.env.flag(IMDSV1_DISABLED_VAR) {
            return Err(CredentialsError::Request {
                provider: PROVIDER,
                url,
                message: format!(
                    "IMDSv2 token request failed ({failure}) and IMDSv1 fallback is disabled \
                     by {IMDSV1_DISABLED_VAR}=true"
                ),
            });
        }
        tracing::debug!(
            provider = PROVIDER,
            reason = %failure,
            "IMDSv2 token unavailable; falling back to IMDSv1"
        );
        Ok(None)
    }

    async fn fetch_role_name(
        &self,
        client: &reqwest::Client,
        token: Option<&str>,
    ) -> Result<String, CredentialsError> {
        let url = format!("{}{}", self.endpoint, CREDENTIALS_PATH);
        let body = match self.get(client, &url, token).await {
            Err(CredentialsError::Request { message, .. }) if message == "HTTP 404" => {
                return Err(CredentialsError::InvalidResponse {
                    provider: PROVIDER,
                    url,
                    message: format!(
                        "HTTP 404: no RAM role is attached to this instance (or this is not \
                         an ECS metadata service); set {DISABLED_VAR}=true to skip this provider"
                    ),
                });
            }
            other => other?,
        };
        let text = String::from_utf8_lossy(&body);
        match text.lines().map(str::trim).find(|l| !l.is_empty()) {
            Some(role) => Ok(role.to_owned()),
            None => Err(CredentialsError::InvalidResponse {
                provider: PROVIDER,
                url,
                message: "no RAM role is attached to this instance".to_owned(),
            }),
        }
    }

    async fn get(
        &self,
        client: &reqwest::Client,
        url: &str,
        token: Option<&str>,
    ) -> Result<Vec<u8>, CredentialsError> {
        let mut request = client.get(url);
        if let Some(token) = token {
            request = request.header(TOKEN_HEADER, token);
        }
        let request_error = |message: String| CredentialsError::Request {
            provider: PROVIDER,
            url: url.to_owned(),
            message,
        };
        let resp = request
            .send()
            .await
            .map_err(|e| request_error(http::describe(&e, self.timeout)))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(request_error(format!("HTTP {}", status.as_u16())));
        }
        let body = resp
            .bytes()
            .await
            .map_err(|e| request_error(http::describe(&e, self.timeout)))?;
        Ok(body.to_vec())
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            if self.env.flag(DISABLED_VAR) {
                return Err(CredentialsError::NotConfigured {
                    provider: PROVIDER,
                    reason: format!("disabled by {DISABLED_VAR}=true"),
                });
            }
            self.cache.get_or_refresh(PROVIDER, || self.fetch()).await
        })
    }
}
