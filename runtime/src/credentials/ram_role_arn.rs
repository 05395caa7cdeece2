//! RAM role credentials: STS `AssumeRole` signed with source credentials.

use std::fmt;
use std::sync::Arc;

use futures_core::future::BoxFuture;
use time::OffsetDateTime;

use super::cache::CredentialsCache;
use super::sts::{self, AssumeRole};
use super::{Credentials, CredentialsError, Environment, ProvideCredentials};
use crate::client::{ConfigBuilder, Runtime};

const PROVIDER: &str = "ram_role_arn";
const SESSION_NAME_VAR: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
/// The shortest and longest sessions STS grants, in seconds.
const DURATION_RANGE: std::ops::RangeInclusive<u32> = 900..=43_200;
/// The default session, in seconds.
pub(crate) const DEFAULT_DURATION: u32 = 3600;
/// Assumed credentials are refreshed this long before they expire (as `credentials-go`): a
/// session lasts at least 15 minutes, so a 15-minute margin would refresh at every call.
const REFRESH_MARGIN: time::Duration = time::Duration::minutes(3);

/// Temporary credentials of a RAM role, assumed with STS `AssumeRole` (API 2015-04-01, RPC
/// style, signed with the source credentials). Provider name `ram_role_arn`.
///
/// The credentials are cached and refreshed 3 minutes before they expire; when many
/// requests need them at once, one `AssumeRole` is in flight and the others wait for it. If
/// a refresh fails while the cached credentials are still valid, those are used.
///
/// The STS endpoint is [`with_sts_endpoint`](RamRoleArnProviderBuilder::with_sts_endpoint)
/// when given, else [`sts_endpoint`](super::sts_endpoint) (`ALIBABA_CLOUD_STS_ENDPOINT`, the
/// STS region, `https://sts.aliyuncs.com`).
///
/// ```
/// use hbr_runtime::credentials::{Credentials, RamRoleArnProvider};
///
/// let provider = RamRoleArnProvider::builder(
///     Credentials::new("LTAI-source", "source-secret"),
///     "acs:ram::123456789012:role/backup-operator",
/// )
/// .with_session_name("nightly-restore")
/// .with_duration_seconds(3600)
/// .with_policy(r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"hbr:*","Resource":"*"}]}"#)
/// .with_external_id("abcd1234")
/// .with_sts_region("cn-hangzhou")
/// .build()?;
/// assert_eq!(provider.sts_endpoint(), "https://sts.cn-hangzhou.aliyuncs.com");
/// assert!(!format!("{provider:?}").contains("source-secret"));
/// # Ok::<(), hbr_runtime::credentials::CredentialsError>(())
/// ```
pub struct RamRoleArnProvider {
    role_arn: String,
    session_name: String,
    duration_seconds: u32,
    policy: Option<String>,
    external_id: Option<String>,
    sts: Runtime,
    cache: CredentialsCache,
}

impl fmt::Debug for RamRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The STS runtime shows its source provider, which redacts its own secrets.
        f.debug_struct("RamRoleArnProvider")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration_seconds", &self.duration_seconds)
            .field("policy", &self.policy.as_ref().map(|_| "<set>"))
            .field("external_id", &self.external_id.as_ref().map(|_| "<set>"))
            .field("sts", &self.sts)
            .finish_non_exhaustive()
    }
}

impl RamRoleArnProvider {
    /// A builder assuming `role_arn` with the credentials `source` provides.
    pub fn builder(
        source: impl ProvideCredentials + 'static,
        role_arn: impl Into<String>,
    ) -> RamRoleArnProviderBuilder {
        RamRoleArnProviderBuilder::new(Arc::new(source), role_arn.into())
    }

    /// A builder with a shared source provider.
    pub fn builder_with_source(
        source: Arc<dyn ProvideCredentials>,
        role_arn: impl Into<String>,
    ) -> RamRoleArnProviderBuilder {
        RamRoleArnProviderBuilder::new(source, role_arn.into())
    }

    /// The role assumed.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// The session name sent.
    pub fn session_name(&self) -> &str {
        &self.session_name
    }

    /// The session duration asked for, in seconds.
    pub fn duration_seconds(&self) -> u32 {
        self.duration_seconds
    }

    /// The STS endpoint (a base URL).
    pub fn sts_endpoint(&self) -> String {
        self.sts
            .endpoint()
            .base_url()
            .trim_end_matches('/')
            .to_owned()
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let request = AssumeRole {
            role_arn: &self.role_arn,
            session_name: &self.session_name,
            duration_seconds: self.duration_seconds,
            policy: self.policy.as_deref(),
            external_id: self.external_id.as_deref(),
        };
        sts::assume_role(&self.sts, PROVIDER, &request).await
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_refresh(PROVIDER, || self.fetch()))
    }
}

/// Builds a [`RamRoleArnProvider`]; see [`RamRoleArnProvider::builder`].
#[must_use = "a builder does nothing until `build` is called"]
pub struct RamRoleArnProviderBuilder {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: Option<String>,
    duration_seconds: Option<u32>,
    policy: Option<String>,
    external_id: Option<String>,
    sts_endpoint: Option<String>,
    sts_region: Option<String>,
    vpc: Option<bool>,
    env: Environment,
    sts_config: Option<ConfigBuilder>,
}

impl fmt::Debug for RamRoleArnProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnProviderBuilder")
            .field("role_arn", &self.role_arn)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl RamRoleArnProviderBuilder {
    fn new(source: Arc<dyn ProvideCredentials>, role_arn: String) -> Self {
        Self {
            source,
            role_arn,
            session_name: None,
            duration_seconds: None,
            policy: None,
            external_id: None,
            sts_endpoint: None,
            sts_region: None,
            vpc: None,
            env: Environment::process(),
            sts_config: None,
        }
    }

    /// The `RoleSessionName` (default `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else
    /// `hbr-rs-<unix time>`). An empty name is ignored.
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into()).filter(|n| !n.is_empty());
        self
    }

    /// The session duration, 900 to 43 200 seconds (3600 by default).
    pub fn with_duration_seconds(mut self, seconds: u32) -> Self {
        self.duration_seconds = Some(seconds);
        self
    }

    /// A policy (JSON) narrowing the role's permissions for the session.
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into()).filter(|p| !p.is_empty());
        self
    }

    /// The `ExternalId` the role's trust policy asks for.
    pub fn with_external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into()).filter(|e| !e.is_empty());
        self
    }

    /// Sends `AssumeRole` to this base URL (e.g. `https://sts.cn-hangzhou.aliyuncs.com` or
    /// `http://127.0.0.1:8080`), whatever the environment says.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into()).filter(|e| !e.trim().is_empty());
        self
    }

    /// The STS region (`sts.<region>.aliyuncs.com`); default `ALIBABA_CLOUD_STS_REGION`.
    pub fn with_sts_region(mut self, region: impl Into<String>) -> Self {
        self.sts_region = Some(region.into()).filter(|r| !r.is_empty());
        self
    }

    /// Whether to use the VPC STS endpoint; default `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
    pub fn with_vpc_endpoint(mut self, vpc: bool) -> Self {
        self.vpc = Some(vpc);
        self
    }

    /// Reads `ALIBABA_CLOUD_STS_ENDPOINT`, the STS region and the session name from `env`
    /// instead of the process environment.
    pub fn with_environment(mut self, env: Environment) -> Self {
        self.env = env;
        self
    }

    /// The HTTP settings of the STS calls (timeouts, retries, TLS roots and CA bundle,
    /// proxies); its endpoint, signature and credentials are replaced.
    pub fn with_sts_config(mut self, config: ConfigBuilder) -> Self {
        self.sts_config = Some(config);
        self
    }

    /// The provider; fails when the role ARN is empty, the duration is out of range or the
    /// STS endpoint is not usable.
    pub fn build(self) -> Result<RamRoleArnProvider, CredentialsError> {
        let invalid = |message: String| CredentialsError::Invalid {
            provider: PROVIDER,
            message,
        };
        if self.role_arn.trim().is_empty() {
            return Err(invalid("the role ARN is empty".to_owned()));
        }
        let duration_seconds = self.duration_seconds.unwrap_or(DEFAULT_DURATION);
        if !DURATION_RANGE.contains(&duration_seconds) {
            return Err(invalid(format!(
                "the session duration must be from {} to {} seconds, got {duration_seconds}",
                DURATION_RANGE.start(),
                DURATION_RANGE.end()
            )));
        }
        let session_name = self
            .session_name
            .or_else(|| self.env.var(SESSION_NAME_VAR))
            .unwrap_or_else(default_session_name);
        let endpoint = match &self.sts_endpoint {
            Some(endpoint) => sts::base_url(endpoint),
            None => sts::sts_endpoint(&self.env, self.sts_region.as_deref(), self.vpc),
        };
        let sts = sts::client(PROVIDER, &endpoint, self.source, self.sts_config)?;
        Ok(RamRoleArnProvider {
            role_arn: self.role_arn,
            session_name,
            duration_seconds,
            policy: self.policy,
            external_id: self.external_id,
            sts,
            cache: CredentialsCache::with_margin(REFRESH_MARGIN),
        })
    }
}

/// `hbr-rs-<unix time>`, the session name when none is given.
pub(crate) fn default_session_name() -> String {
    format!("hbr-rs-{}", OffsetDateTime::now_utc().unix_timestamp())
}
