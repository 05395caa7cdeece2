//! Credentials and the default provider chain.
//!
//! Every request to HBR is signed with an AccessKey pair, optionally accompanied by an STS
//! security token. This module holds the value types ([`Credentials`], [`Secret`]), the
//! object-safe [`ProvideCredentials`] trait the client calls before each request, and the
//! providers the official Alibaba Cloud SDKs ship, in the same order:
//!
//! | Provider | Source | Reported name |
//! |---|---|---|
//! | [`EnvProvider`] | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `..._SECRET`, `..._SECURITY_TOKEN` | `env` |
//! | [`OidcProvider`] | RRSA: `ALIBABA_CLOUD_ROLE_ARN`, `..._OIDC_PROVIDER_ARN`, `..._OIDC_TOKEN_FILE` | `oidc_role_arn` |
//! | [`CliProfileProvider`] | `~/.aliyun/config.json` (modes AK, StsToken, EcsRamRole, RamRoleArn, ChainableRamRoleArn, OIDC) | `cli_profile/<inner>` |
//! | [`IniFileProvider`] | `~/.alibabacloud/credentials` (or `credentials.ini`; types access_key, ecs_ram_role, ram_role_arn, oidc_role_arn) | `profile/<inner>` |
//! | [`EcsRamRoleProvider`] | the ECS metadata service at `100.100.100.200` | `ecs_ram_role` |
//! | [`CredentialsUriProvider`] | `ALIBABA_CLOUD_CREDENTIALS_URI` | `credential_uri` |
//!
//! [`DefaultCredentialsChain`] tries them in that order, remembers the first one that
//! succeeds and reports its credentials as `default/<inner>`.
//!
//! Role credentials come from STS (API 2015-04-01) at the endpoint [`sts_endpoint`]
//! derives (`ALIBABA_CLOUD_STS_ENDPOINT` overrides it): [`RamRoleArnProvider`] assumes a
//! RAM role with `AssumeRole`, signed with source credentials (any provider, so chains of
//! roles work), and [`OidcProvider`] exchanges an OIDC token with `AssumeRoleWithOIDC`.
//! Both cache what they get and refresh it before it expires, one refresh in flight.
//!
//! Providers never read the process environment directly: they read an [`Environment`],
//! which is either the real one ([`Environment::process`]) or a fixed map
//! ([`Environment::from_map`]) for tests.
//!
//! ```
//! use hbr_runtime::credentials::{Credentials, ProvideCredentials};
//!
//! # async fn demo() -> Result<(), hbr_runtime::credentials::CredentialsError> {
//! let static_creds = Credentials::new("LTAI-example", "not-a-real-secret");
//! let creds = static_creds.provide_credentials().await?;
//! assert_eq!(creds.provider_name(), "static_ak");
//! // Secrets never show up when formatted.
//! assert!(!format!("{creds:?}").contains("not-a-real-secret"));
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::Arc;

use futures_core::future::BoxFuture;
use time::OffsetDateTime;

mod cache;
mod chain;
mod cli_profile;
mod ecs;
mod environment;
mod error;
mod http;
mod ini;
mod oidc;
mod ram_role_arn;
mod slot;
mod sts;
mod uri;

pub use chain::{DefaultCredentialsChain, DefaultCredentialsChainBuilder};
pub use cli_profile::{cli_profile_region, CliProfileProvider};
pub use ecs::EcsRamRoleProvider;
pub use environment::{EnvProvider, Environment};
pub use error::CredentialsError;
pub use ini::IniFileProvider;
pub use oidc::{OidcProvider, OidcRole};
pub use ram_role_arn::{RamRoleArnProvider, RamRoleArnProviderBuilder};
pub use sts::{sts_endpoint, STS_API_VERSION, STS_ENDPOINT_ENV, STS_REGION_ENV, STS_VPC_ENV};
pub use uri::CredentialsUriProvider;

/// The text printed in place of a [`Secret`] by `Debug` and `Display`.
pub const REDACTED: &str = "** redacted **";

/// A secret string (an AccessKey secret or a security token).
///
/// `Debug` and `Display` print `** redacted **`; call [`Secret::expose`] to get the value
/// when it is really needed (to sign a request).
///
/// ```
/// use hbr_runtime::credentials::Secret;
///
/// let secret = Secret::new("hunter2");
/// assert_eq!(secret.expose(), "hunter2");
/// assert_eq!(format!("{secret}"), "** redacted **");
/// assert_eq!(format!("{secret:?}"), "** redacted **");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// An AccessKey pair, an optional STS security token and where they came from.
///
/// `Debug` prints the AccessKey ID, expiration and provider name but redacts the secret
/// and the token.
///
/// ```
/// use hbr_runtime::credentials::Credentials;
///
/// let creds = Credentials::new("LTAI-id", "secret").with_security_token("token");
/// assert_eq!(creds.access_key_id(), "LTAI-id");
/// assert_eq!(creds.access_key_secret().expose(), "secret");
/// assert_eq!(creds.security_token().map(|t| t.expose()), Some("token"));
/// assert_eq!(creds.provider_name(), "static_sts");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: Secret,
    security_token: Option<Secret>,
    expiration: Option<OffsetDateTime>,
    provider_name: String,
}

impl Credentials {
    /// Static AccessKey credentials; the provider name is `static_ak`.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<Secret>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            expiration: None,
            provider_name: "static_ak".to_owned(),
        }
    }

    /// Adds an STS security token. If the provider name is still `static_ak` it becomes
    /// `static_sts`, as in the official SDKs.
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        self.security_token = Some(token.into());
        if self.provider_name == "static_ak" {
            self.provider_name = "static_sts".to_owned();
        }
        self
    }

    /// Sets when these credentials stop being valid.
    pub fn with_expiration(mut self, expiration: OffsetDateTime) -> Self {
        self.expiration = Some(expiration);
        self
    }

    /// Sets the provider name reported in the `x-acs-credentials-provider` header.
    pub fn with_provider_name(mut self, name: impl Into<String>) -> Self {
        self.provider_name = name.into();
        self
    }

    /// The AccessKey ID (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret.
    pub fn access_key_secret(&self) -> &Secret {
        &self.access_key_secret
    }

    /// The STS security token, if these are temporary credentials.
    pub fn security_token(&self) -> Option<&Secret> {
        self.security_token.as_ref()
    }

    /// When these credentials expire, if they do.
    pub fn expiration(&self) -> Option<OffsetDateTime> {
        self.expiration
    }

    /// The provider name for the `x-acs-credentials-provider` header, e.g. `static_ak`,
    /// `env`, `cli_profile/static_ak`, `ecs_ram_role` or `default/env`.
    pub fn provider_name(&self) -> &str {
        &self.provider_name
    }

    /// Whether these credentials expire before `now + margin`. Credentials without an
    /// expiration never expire.
    ///
    /// ```
    /// use hbr_runtime::credentials::Credentials;
    /// use time::{Duration, OffsetDateTime};
    ///
    /// let now = OffsetDateTime::now_utc();
    /// let creds = Credentials::new("id", "secret").with_expiration(now + Duration::minutes(10));
    /// assert!(creds.expires_within(now, Duration::minutes(15)));
    /// assert!(!creds.expires_within(now, Duration::minutes(5)));
    /// ```
    pub fn expires_within(&self, now: OffsetDateTime, margin: time::Duration) -> bool {
        self.expiration.is_some_and(|exp| exp - now <= margin)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("security_token", &self.security_token)
            .field("expiration", &self.expiration)
            .field("provider_name", &self.provider_name)
            .finish()
    }
}

/// Something that can supply [`Credentials`], possibly asynchronously (over HTTP).
///
/// The trait is object safe; clients hold an `Arc<dyn ProvideCredentials>` and call it
/// before signing each request, so implementations should cache whatever is expensive.
///
/// ```
/// use std::sync::Arc;
/// use futures_core::future::BoxFuture;
/// use hbr_runtime::credentials::{Credentials, CredentialsError, ProvideCredentials};
///
/// #[derive(Debug)]
/// struct Fixed;
///
/// impl ProvideCredentials for Fixed {
///     fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
///         Box::pin(async { Ok(Credentials::new("id", "secret").with_provider_name("fixed")) })
///     }
/// }
///
/// let provider: Arc<dyn ProvideCredentials> = Arc::new(Fixed);
/// # let _ = provider;
/// ```
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns current credentials, fetching or refreshing them if needed.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials()
    }
}
