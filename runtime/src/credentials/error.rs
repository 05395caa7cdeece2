//! The error type shared by every credentials provider.

use std::path::PathBuf;

/// Why credentials could not be obtained.
///
/// Messages start with the provider that failed (`env`, `oidc_role_arn`, `ram_role_arn`,
/// `cli_profile`, `profile`, `ecs_ram_role`, `credential_uri`; `cli_profile/ecs_ram_role`,
/// `profile/ram_role_arn` and the like when a profile delegates to another provider) and
/// never contain a secret, a security token, an OIDC token or a URL query string.
///
/// ```
/// use hbr_runtime::credentials::{CredentialsError, EnvProvider, Environment, ProvideCredentials};
///
/// # async fn demo() {
/// let env = Environment::from_map([("UNRELATED", "1")], None);
/// match EnvProvider::new(env).provide_credentials().await {
///     Err(CredentialsError::NotConfigured { provider, reason }) => {
///         assert_eq!(provider, "env");
///         assert_eq!(reason, "ALIBABA_CLOUD_ACCESS_KEY_ID not set");
///     }
///     other => panic!("unexpected: {other:?}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The provider has nothing to offer in this environment (its variables or files are
    /// absent, or it was disabled). The default chain moves on to the next provider.
    #[error("{provider}: {reason}")]
    NotConfigured {
        /// The provider's name.
        provider: &'static str,
        /// What is missing, e.g. `ALIBABA_CLOUD_ACCESS_KEY_ID not set`.
        reason: String,
    },

    /// A variable is set but its companion is missing or a value is empty.
    #[error("{provider}: {message}")]
    Incomplete {
        /// The provider's name.
        provider: &'static str,
        /// What is wrong.
        message: String,
    },

    /// A configuration file exists but cannot be read.
    #[error("{provider}: cannot read {}: {source}", .path.display())]
    Io {
        /// The provider's name.
        provider: &'static str,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A configuration file exists but its content is invalid (syntax, missing profile or
    /// section, missing keys).
    #[error("{provider}: {}: {message}", .path.display())]
    InvalidConfig {
        /// The provider's name.
        provider: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },

    /// A provider's own settings are invalid: a role without an ARN, a session duration
    /// out of range, an STS endpoint that is not a URL, a source profile that loops.
    #[error("{provider}: {message}")]
    Invalid {
        /// The provider's name.
        provider: &'static str,
        /// What is wrong.
        message: String,
    },

    /// The selected `~/.aliyun/config.json` profile uses a mode this crate does not
    /// implement.
    #[error(
        "cli_profile: profile `{profile}` uses mode `{mode}`, which is not supported \
         (supported modes: AK, StsToken, EcsRamRole, RamRoleArn, ChainableRamRoleArn, OIDC)"
    )]
    UnsupportedMode {
        /// The profile name.
        profile: String,
        /// Its `mode`, e.g. `RamRoleArn`.
        mode: String,
    },

    /// The selected INI file section has a `type` this crate does not implement.
    #[error(
        "profile: section `{section}` has type `{kind}`, which is not supported \
         (supported types: access_key, ecs_ram_role, ram_role_arn, oidc_role_arn)"
    )]
    UnsupportedType {
        /// The section name.
        section: String,
        /// Its `type`, e.g. `ram_role_arn`.
        kind: String,
    },

    /// An HTTP endpoint could not be reached at all (connection refused or timed out).
    /// For `ecs_ram_role` this usually means the program is not running on ECS.
    #[error("{provider}: {endpoint} is unreachable ({reason})")]
    Unreachable {
        /// The provider's name.
        provider: &'static str,
        /// The endpoint (scheme, host and path; never a query string).
        endpoint: String,
        /// What happened, e.g. `timed out after 1s`.
        reason: String,
    },

    /// An HTTP request was sent but failed (error status, broken connection, ...).
    #[error("{provider}: request to {url} failed: {message}")]
    Request {
        /// The provider's name.
        provider: &'static str,
        /// The URL (scheme, host and path; never a query string).
        url: String,
        /// What happened, e.g. `HTTP 404`.
        message: String,
    },

    /// An HTTP reply arrived but does not hold usable credentials.
    #[error("{provider}: invalid reply from {url}: {message}")]
    InvalidResponse {
        /// The provider's name.
        provider: &'static str,
        /// The URL (scheme, host and path; never a query string).
        url: String,
        /// What is wrong, e.g. ``Code is `Failed`, expected `Success` ``.
        message: String,
    },

    /// The default chain found no credentials. `attempts` holds one error per provider,
    /// in chain order, saying why it was skipped or failed.
    #[error("no credentials found: {}", join_attempts(.attempts))]
    NotFound {
        /// One error per provider tried.
        attempts: Vec<CredentialsError>,
    },
}

impl CredentialsError {
    /// The name of the provider the error comes from (`None` for
    /// [`CredentialsError::NotFound`], which covers them all).
    ///
    /// ```
    /// use hbr_runtime::credentials::CredentialsError;
    ///
    /// let err = CredentialsError::UnsupportedMode { profile: "p".into(), mode: "OAuth".into() };
    /// assert_eq!(err.provider(), Some("cli_profile"));
    /// ```
    pub fn provider(&self) -> Option<&'static str> {
        match self {
            Self::NotConfigured { provider, .. }
            | Self::Incomplete { provider, .. }
            | Self::Io { provider, .. }
            | Self::InvalidConfig { provider, .. }
            | Self::Invalid { provider, .. }
            | Self::Unreachable { provider, .. }
            | Self::Request { provider, .. }
            | Self::InvalidResponse { provider, .. } => Some(provider),
            Self::UnsupportedMode { .. } => Some("cli_profile"),
            Self::UnsupportedType { .. } => Some("profile"),
            Self::NotFound { .. } => None,
        }
    }

    /// The same error attributed to `provider` (used when a provider delegates, e.g. a
    /// CLI profile in `EcsRamRole` mode reports ECS errors as `cli_profile/ecs_ram_role`).
    pub(crate) fn attributed_to(mut self, name: &'static str) -> Self {
        match &mut self {
            Self::NotConfigured { provider, .. }
            | Self::Incomplete { provider, .. }
            | Self::Io { provider, .. }
            | Self::InvalidConfig { provider, .. }
            | Self::Invalid { provider, .. }
            | Self::Unreachable { provider, .. }
            | Self::Request { provider, .. }
            | Self::InvalidResponse { provider, .. } => *provider = name,
            Self::UnsupportedMode { .. } | Self::UnsupportedType { .. } | Self::NotFound { .. } => {
            }
        }
        self
    }

    /// Whether the provider simply was not configured (as opposed to configured but
    /// failing).
    pub fn is_not_configured(&self) -> bool {
        matches!(self, Self::NotConfigured { .. })
    }
}

fn join_attempts(attempts: &[CredentialsError]) -> String {
    if attempts.is_empty() {
        return "no provider was tried".to_owned();
    }
    attempts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
