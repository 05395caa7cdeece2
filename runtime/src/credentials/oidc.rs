//! RRSA: STS credentials for a RAM role, exchanged for an OIDC token (`AssumeRoleWithOIDC`).

use std::path::PathBuf;
use std::time::Duration;

use futures_core::future::BoxFuture;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;
use time::OffsetDateTime;

use super::cache::CredentialsCache;
use super::http;
use super::{Credentials, CredentialsError, Environment, ProvideCredentials};

const PROVIDER: &str = "oidc_role_arn";
const ROLE_ARN_VAR: &str = "ALIBABA_CLOUD_ROLE_ARN";
const PROVIDER_ARN_VAR: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
const TOKEN_FILE_VAR: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
const SESSION_NAME_VAR: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// RRSA (RAM Roles for Service Accounts): exchanges the OIDC token in
/// `ALIBABA_CLOUD_OIDC_TOKEN_FILE` for STS credentials of `ALIBABA_CLOUD_ROLE_ARN` through
/// an unsigned STS `AssumeRoleWithOIDC` call. Provider name `oidc_role_arn`.
///
/// From the environment ([`OidcProvider::new`]) it is configured only when
/// `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
/// `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set. Optional:
/// `ALIBABA_CLOUD_ROLE_SESSION_NAME` (default `hbr-rs-<unix time>`), and the STS endpoint
/// variables of [`sts_endpoint`](super::sts_endpoint): `ALIBABA_CLOUD_STS_ENDPOINT`,
/// `ALIBABA_CLOUD_STS_REGION` (endpoint `sts.<region>.aliyuncs.com` instead of
/// `sts.aliyuncs.com`) and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true` (`sts-vpc.<region>...`).
/// [`OidcProvider::for_role`] takes the same settings explicitly (a profile's), plus a
/// session duration and a policy.
///
/// Sessions last 3600 s unless set otherwise; they are cached and refreshed within 15
/// minutes of expiry (one refresh in flight), and the token file is re-read on each refresh
/// (it rotates).
///
/// ```
/// use hbr_runtime::credentials::{Environment, OidcProvider, OidcRole};
///
/// let from_env = OidcProvider::new(Environment::process());
/// let explicit = OidcProvider::for_role(
///     Environment::process(),
///     OidcRole::new(
///         "acs:ram::123456789012:role/ack-reader",
///         "acs:ram::123456789012:oidc-provider/ack-rrsa",
///         "/var/run/secrets/tokens/oidc-token",
///     )
///     .with_duration_seconds(900)
///     .with_sts_region("cn-hangzhou"),
/// );
/// # let _ = (from_env, explicit);
/// ```
#[derive(Debug)]
pub struct OidcProvider {
    env: Environment,
    role: Option<OidcRole>,
    sts_endpoint: Option<String>,
    client: Option<reqwest::Client>,
    cache: CredentialsCache,
}

/// The role an [`OidcProvider`] assumes, given explicitly (a profile's `OIDC` mode).
///
/// ```
/// use hbr_runtime::credentials::OidcRole;
///
/// let role = OidcRole::new("acs:ram::1:role/r", "acs:ram::1:oidc-provider/p", "/tmp/token")
///     .with_session_name("ci")
///     .with_policy(r#"{"Version":"1","Statement":[]}"#)
///     .with_vpc_endpoint(true);
/// assert_eq!(role.role_arn(), "acs:ram::1:role/r");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcRole {
    role_arn: String,
    provider_arn: String,
    token_file: PathBuf,
    session_name: Option<String>,
    duration_seconds: Option<u32>,
    policy: Option<String>,
    sts_region: Option<String>,
    vpc: Option<bool>,
}

impl OidcRole {
    /// The role, the OIDC provider and the file holding the OIDC token.
    pub fn new(
        role_arn: impl Into<String>,
        provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> Self {
        Self {
            role_arn: role_arn.into(),
            provider_arn: provider_arn.into(),
            token_file: token_file.into(),
            session_name: None,
            duration_seconds: None,
            policy: None,
            sts_region: None,
            vpc: None,
        }
    }

    /// The `RoleSessionName` (default `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else
    /// `hbr-rs-<unix time>`); an empty name is ignored.
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into()).filter(|n| !n.is_empty());
        self
    }

    /// The session duration in seconds (3600 by default).
    pub fn with_duration_seconds(mut self, seconds: u32) -> Self {
        self.duration_seconds = Some(seconds).filter(|s| *s > 0);
        self
    }

    /// A policy (JSON) narrowing the role's permissions; an empty one is ignored.
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into()).filter(|p| !p.is_empty());
        self
    }

    /// The STS region; default `ALIBABA_CLOUD_STS_REGION`.
    pub fn with_sts_region(mut self, region: impl Into<String>) -> Self {
        self.sts_region = Some(region.into()).filter(|r| !r.is_empty());
        self
    }

    /// Whether to use the VPC STS endpoint; default `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
    pub fn with_vpc_endpoint(mut self, vpc: bool) -> Self {
        self.vpc = Some(vpc);
        self
    }

    /// The role assumed.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }
}

struct Settings {
    role_arn: String,
    provider_arn: String,
    token_file: PathBuf,
    session_name: String,
    duration_seconds: u32,
    policy: Option<String>,
    endpoint: String,
}

impl OidcProvider {
    /// A provider reading its settings from `env`.
    pub fn new(env: Environment) -> Self {
        Self {
            env,
            role: None,
            sts_endpoint: None,
            client: None,
            cache: CredentialsCache::new(),
        }
    }

    /// A provider assuming `role`; `env` supplies the STS endpoint variables and the
    /// default session name.
    pub fn for_role(env: Environment, role: OidcRole) -> Self {
        Self {
            role: Some(role),
            ..Self::new(env)
        }
    }

    /// Sends `AssumeRoleWithOIDC` to this base URL (e.g. `http://127.0.0.1:8080`) instead
    /// of the regional STS endpoint; for tests.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into().trim_end_matches('/').to_owned());
        self
    }

    /// Uses this HTTP client (timeouts, proxy) instead of the default one: 5 s connect and
    /// 10 s request timeouts, proxies taken from the usual `HTTPS_PROXY` variables of the
    /// process.
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    fn settings(&self) -> Result<Settings, CredentialsError> {
        let role = match &self.role {
            Some(role) => role.clone(),
            None => self.role_from_env()?,
        };
        let session_name = role
            .session_name
            .or_else(|| self.env.var(SESSION_NAME_VAR))
            .unwrap_or_else(super::ram_role_arn::default_session_name);
        let endpoint = match &self.sts_endpoint {
            Some(endpoint) => endpoint.clone(),
            None => super::sts::sts_endpoint(&self.env, role.sts_region.as_deref(), role.vpc),
        };
        Ok(Settings {
            role_arn: role.role_arn,
            provider_arn: role.provider_arn,
            token_file: role.token_file,
            session_name,
            duration_seconds: role
                .duration_seconds
                .unwrap_or(super::ram_role_arn::DEFAULT_DURATION),
            policy: role.policy,
            endpoint,
        })
    }

    /// The role the three RRSA variables name.
    fn role_from_env(&self) -> Result<OidcRole, CredentialsError> {
        let vars = [ROLE_ARN_VAR, PROVIDER_ARN_VAR, TOKEN_FILE_VAR].map(|v| self.env.var(v));
        let missing: Vec<&str> = [ROLE_ARN_VAR, PROVIDER_ARN_VAR, TOKEN_FILE_VAR]
            .iter()
            .zip(&vars)
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| *name)
            .collect();
        let [Some(role_arn), Some(provider_arn), Some(token_file)] = vars else {
            return Err(CredentialsError::NotConfigured {
                provider: PROVIDER,
                reason: format!("{} not set", missing.join(", ")),
            });
        };
        Ok(OidcRole::new(role_arn, provider_arn, token_file))
    }

    async fn fetch(&self, settings: &Settings) -> Result<Credentials, CredentialsError> {
        let token = std::fs::read_to_string(&settings.token_file).map_err(|source| {
            CredentialsError::Io {
                provider: PROVIDER,
                path: settings.token_file.clone(),
                source,
            }
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::InvalidConfig {
                provider: PROVIDER,
                path: settings.token_file.clone(),
                message: "the OIDC token file is empty".to_owned(),
            });
        }
        let timestamp = now_iso8601();
        let url = format!(
            "{}/?Action=AssumeRoleWithOIDC&Format=JSON&Version=2015-04-01&Timestamp={}",
            settings.endpoint,
            utf8_percent_encode(&timestamp, ENCODE)
        );
        let duration = settings.duration_seconds.to_string();
        let mut form = vec![
            ("RoleArn", settings.role_arn.as_str()),
            ("OIDCProviderArn", settings.provider_arn.as_str()),
            ("OIDCToken", token),
            ("RoleSessionName", settings.session_name.as_str()),
            ("DurationSeconds", duration.as_str()),
        ];
        if let Some(policy) = &settings.policy {
            form.push(("Policy", policy.as_str()));
        }
        let form = form
            .iter()
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, ENCODE)))
            .collect::<Vec<_>>()
            .join("&");

        let timeout = Duration::from_secs(10);
        let client = match &self.client {
            Some(client) => client.clone(),
            None => http::client(PROVIDER, Duration::from_secs(5), timeout, false)?,
        };
        let shown = http::display_url(&url);
        let resp = client
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(form)
            .send()
            .await
            .map_err(|e| {
                if http::is_unreachable(&e) {
                    CredentialsError::Unreachable {
                        provider: PROVIDER,
                        endpoint: shown.clone(),
                        reason: http::describe(&e, timeout),
                    }
                } else {
                    CredentialsError::Request {
                        provider: PROVIDER,
                        url: shown.clone(),
                        message: http::describe(&e, timeout),
                    }
                }
            })?;
        let status = resp.status();
        let body = resp.bytes().await.map_err(|e| CredentialsError::Request {
            provider: PROVIDER,
            url: shown.clone(),
            message: http::describe(&e, timeout),
        })?;
        let value: Option<Value> = serde_json::from_slice(&body).ok();
        let invalid = |message: String| CredentialsError::InvalidResponse {
            provider: PROVIDER,
            url: shown.clone(),
            message,
        };
        if !status.is_success() {
            let field = |name: &str| {
                value
                    .as_ref()
                    .and_then(|v| v.get(name))
                    .and_then(Value::as_str)
                    .map(|s| s.chars().take(200).collect::<String>())
            };
            let mut message = format!("HTTP {}", status.as_u16());
            if let Some(code) = field("Code") {
                message.push_str(&format!(", Code {code}"));
            }
            if let Some(text) = field("Message") {
                message.push_str(&format!(": {text}"));
            }
            return Err(CredentialsError::Request {
                provider: PROVIDER,
                url: shown,
                message,
            });
        }
        let Some(creds) = value
            .as_ref()
            .and_then(|v| v.get("Credentials"))
            .and_then(Value::as_object)
        else {
            return Err(invalid("no `Credentials` object".to_owned()));
        };
        http::credentials_from_fields(creds, PROVIDER).map_err(invalid)
    }
}

impl ProvideCredentials for OidcProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let settings = self.settings()?;
            self.cache
                .get_or_refresh(PROVIDER, || self.fetch(&settings))
                .await
        })
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` in UTC.
fn now_iso8601() -> String {
    let now = OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}
