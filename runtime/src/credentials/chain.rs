//! The default provider chain of the official SDKs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures_core::future::BoxFuture;

use super::{
    CliProfileProvider, Credentials, CredentialsError, CredentialsUriProvider, EcsRamRoleProvider,
    EnvProvider, Environment, IniFileProvider, OidcProvider, ProvideCredentials,
};

const NONE_SELECTED: usize = usize::MAX;

/// The default chain of the official SDKs, in their order:
///
/// 1. [`EnvProvider`]: `ALIBABA_CLOUD_ACCESS_KEY_ID` / `..._SECRET` / `..._SECURITY_TOKEN`;
/// 2. [`OidcProvider`]: RRSA, only when its three variables are set;
/// 3. [`CliProfileProvider`]: `~/.aliyun/config.json`, unless
///    `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`;
/// 4. [`IniFileProvider`]: `~/.alibabacloud/credentials` (or `credentials.ini`);
/// 5. [`EcsRamRoleProvider`]: the ECS metadata service, unless
///    `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`;
/// 6. [`CredentialsUriProvider`]: only when `ALIBABA_CLOUD_CREDENTIALS_URI` is set.
///
/// A provider that is not configured or fails is passed over. The first one that succeeds
/// is remembered and asked directly on later calls (its errors are then returned as is).
/// Credentials are reported as `default/<inner>`, e.g. `default/env` or
/// `default/cli_profile/ram_role_arn`. When no provider succeeds,
/// [`CredentialsError::NotFound`] says, provider by provider, why it was skipped or failed
/// (a role profile whose `AssumeRole` was refused says so, with the STS code and request id).
///
/// Off ECS, the metadata step costs at most one 1 s timeout; set
/// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` to skip it.
///
/// ```
/// use hbr_runtime::credentials::{DefaultCredentialsChain, Environment, ProvideCredentials};
///
/// # async fn demo() -> Result<(), hbr_runtime::credentials::CredentialsError> {
/// let env = Environment::from_map(
///     [("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")],
///     None,
/// );
/// let chain = DefaultCredentialsChain::new(env);
/// let creds = chain.provide_credentials().await?;
/// assert_eq!(creds.provider_name(), "default/env");
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct DefaultCredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
    selected: AtomicUsize,
}

impl DefaultCredentialsChain {
    /// The chain reading `env`, with the real endpoints.
    pub fn new(env: Environment) -> Self {
        Self::builder(env).build()
    }

    /// A builder to point the network providers elsewhere (for tests).
    pub fn builder(env: Environment) -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder {
            env,
            ecs_metadata_endpoint: None,
            sts_endpoint: None,
        }
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let selected = self.selected.load(Ordering::Acquire);
        if let Some(provider) = self.providers.get(selected) {
            let creds = provider.provide_credentials().await?;
            return Ok(wrap(creds));
        }
        let mut attempts = Vec::with_capacity(self.providers.len());
        for (index, provider) in self.providers.iter().enumerate() {
            match provider.provide_credentials().await {
                Ok(creds) => {
                    self.selected.store(index, Ordering::Release);
                    let creds = wrap(creds);
                    tracing::debug!(
                        provider = creds.provider_name(),
                        "default credentials chain: credentials supplied"
                    );
                    return Ok(creds);
                }
                Err(err) => {
                    tracing::debug!(error = %err, "default credentials chain: provider passed over");
                    attempts.push(err);
                }
            }
        }
        Err(CredentialsError::NotFound { attempts })
    }
}

fn wrap(creds: Credentials) -> Credentials {
    let name = format!("default/{}", creds.provider_name());
    creds.with_provider_name(name)
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

/// Builds a [`DefaultCredentialsChain`]; see [`DefaultCredentialsChain::builder`].
///
/// ```
/// use hbr_runtime::credentials::{DefaultCredentialsChain, Environment};
///
/// let chain = DefaultCredentialsChain::builder(Environment::process())
///     .ecs_metadata_endpoint("http://127.0.0.1:8080")
///     .build();
/// # let _ = chain;
/// ```
#[derive(Debug)]
pub struct DefaultCredentialsChainBuilder {
    env: Environment,
    ecs_metadata_endpoint: Option<String>,
    sts_endpoint: Option<String>,
}

impl DefaultCredentialsChainBuilder {
    /// The ECS metadata base URL used by the ECS provider and by `EcsRamRole` /
    /// `ecs_ram_role` profiles (default `http://100.100.100.200`).
    pub fn ecs_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.ecs_metadata_endpoint = Some(endpoint.into());
        self
    }

    /// The STS base URL used by the OIDC provider and the role profiles (default: what
    /// [`sts_endpoint`](super::sts_endpoint) derives, `ALIBABA_CLOUD_STS_ENDPOINT` first).
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Builds the chain.
    pub fn build(self) -> DefaultCredentialsChain {
        let env = self.env;
        let mut oidc = OidcProvider::new(env.clone());
        let mut cli = CliProfileProvider::new(env.clone());
        let mut ini = IniFileProvider::new(env.clone());
        let mut ecs = EcsRamRoleProvider::new(env.clone());
        if let Some(endpoint) = self.sts_endpoint {
            oidc = oidc.with_sts_endpoint(endpoint.clone());
            cli = cli.with_sts_endpoint(endpoint.clone());
            ini = ini.with_sts_endpoint(endpoint);
        }
        if let Some(endpoint) = self.ecs_metadata_endpoint {
            cli = cli.with_ecs_metadata_endpoint(endpoint.clone());
            ini = ini.with_ecs_metadata_endpoint(endpoint.clone());
            ecs = ecs.with_endpoint(endpoint);
        }
        let providers: Vec<Arc<dyn ProvideCredentials>> = vec![
            Arc::new(EnvProvider::new(env.clone())),
            Arc::new(oidc),
            Arc::new(cli),
            Arc::new(ini),
            Arc::new(ecs),
            Arc::new(CredentialsUriProvider::new(env)),
        ];
        DefaultCredentialsChain {
            providers,
            selected: AtomicUsize::new(NONE_SELECTED),
        }
    }
}
