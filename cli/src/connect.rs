//! From the global flags to a client: endpoint, region, signature, credentials, `--debug`,
//! and the embedded emulator.

use std::path::PathBuf;
use std::sync::Arc;

use hbr_client::config::{ConfigBuilder, REGION_ENV};
use hbr_client::credentials::{
    cli_profile_region, CliProfileProvider, Credentials, DefaultCredentialsChain, Environment,
    ProvideCredentials,
};
use hbr_client::SignatureVersion;
use hbr_client::{Client, Config, RetryConfig};

use crate::args::{GlobalArgs, RetryModeArg, Signature};
use crate::debug::Redactor;
use crate::embedded::Embedded;
use crate::error::CliError;

/// The variable naming the profile of the `aliyun` CLI configuration.
const PROFILE_ENV: &str = "ALIBABA_CLOUD_PROFILE";
/// The variable that turns the CLI-profile provider off.
const PROFILE_DISABLED_ENV: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
/// The variables holding secrets, redacted from `--debug` output.
const SECRET_ENVS: &[&str] = &[
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
];

/// A connected client, plus what must live as long as it (the embedded emulator).
pub struct Session {
    /// The client.
    pub client: Client,
    /// The `--debug` printer, when asked for.
    pub debug: Option<Redactor>,
    /// The embedded emulator, kept running until the session ends.
    _emulator: Option<Embedded>,
}

impl Session {
    /// Builds the client the global flags describe; with `--emulator`, starts the embedded
    /// emulator first and points the client at it with its demo key.
    pub async fn open(global: &GlobalArgs) -> Result<Self, CliError> {
        let debug = global.debug.then(|| {
            let redactor = Redactor::default();
            for name in SECRET_ENVS {
                if let Ok(value) = std::env::var(name) {
                    redactor.add(&value);
                }
            }
            crate::debug::install(&redactor);
            redactor
        });
        let signature = match global.signature {
            Signature::V3 => SignatureVersion::V3,
            Signature::Sm3 => SignatureVersion::V3Sm3,
            Signature::V1 => SignatureVersion::V1,
        };

        let (builder, provider, emulator) = if global.emulator {
            let emulator = Embedded::start().await?;
            let creds = Credentials::new(emulator.access_key_id(), emulator.access_key_secret());
            let provider: Arc<dyn ProvideCredentials> = Arc::new(creds);
            let builder = Config::builder().endpoint(emulator.url());
            (builder, provider, Some(emulator))
        } else {
            let (builder, provider) = from_environment(global);
            (builder, provider, None)
        };
        let mut builder = builder.signature_version(signature);
        if let Some(region) = &global.region {
            builder = builder.region(region);
        }
        if let Some(endpoint) = &global.endpoint {
            builder = builder.endpoint(endpoint);
        }
        if let Some(bundle) = &global.ca_bundle {
            builder = builder.ca_bundle(bundle);
        }
        builder = with_retry_flags(builder, global);
        let config = builder.credentials_provider(Arc::clone(&provider)).build();
        if config.region().is_none() && config.endpoint_override().is_none() {
            return Err(CliError::Usage(format!(
                "no region and no endpoint: pass --region ID (or set {REGION_ENV}, or region_id in the aliyun CLI profile), --endpoint URL, or --emulator"
            )));
        }
        let client = Client::new(config)?;

        if let Some(redactor) = &debug {
            // Resolve the credentials now, so that their secret parts are known to the
            // redactor before anything is logged.
            let creds = provider
                .provide_credentials()
                .await
                .map_err(hbr_client::Error::from)?;
            redactor.add(creds.access_key_secret().expose());
            if let Some(token) = creds.security_token() {
                redactor.add(token.expose());
            }
            let runtime = client.runtime();
            let config = runtime.config();
            redactor.line(&format!(
                "* endpoint {} (signature {}, credentials {}, access key id {})",
                runtime.endpoint().base_url(),
                config.signature_version(),
                creds.provider_name(),
                creds.access_key_id(),
            ));
            redactor.line(&format!(
                "* retry mode {}, {} attempts, connect timeout {:?}, read timeout {:?}",
                config.retry().mode(),
                config.retry().max_attempts(),
                config.connect_timeout(),
                config.read_timeout(),
            ));
        }
        Ok(Self {
            client,
            debug,
            _emulator: emulator,
        })
    }
}

/// `--max-attempts`, `--connect-timeout`, `--read-timeout` and `--retry-mode` laid over
/// the defaults.
fn with_retry_flags(builder: ConfigBuilder, global: &GlobalArgs) -> ConfigBuilder {
    let mut retry = match global.retry_mode {
        RetryModeArg::Standard => RetryConfig::standard(),
        RetryModeArg::Adaptive => RetryConfig::adaptive(),
    };
    if let Some(attempts) = global.max_attempts {
        retry = retry.with_max_attempts(attempts);
    }
    let mut builder = builder.retry(retry);
    if let Some(timeout) = global.connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(timeout) = global.read_timeout {
        builder = builder.read_timeout(timeout);
    }
    builder
}

/// The configuration and credentials the environment describes: the default chain, or with
/// `--profile NAME` that profile of the `aliyun` CLI configuration.
fn from_environment(global: &GlobalArgs) -> (ConfigBuilder, Arc<dyn ProvideCredentials>) {
    match &global.profile {
        None => {
            let env = Environment::process();
            let provider: Arc<dyn ProvideCredentials> =
                Arc::new(DefaultCredentialsChain::new(env.clone()));
            (ConfigBuilder::from_environment(&env), provider)
        }
        Some(profile) => {
            let home = ["HOME", "USERPROFILE"]
                .iter()
                .filter_map(std::env::var_os)
                .find(|v| !v.is_empty())
                .map(PathBuf::from);
            let vars = std::env::vars()
                .filter(|(k, _)| k != PROFILE_ENV && k != PROFILE_DISABLED_ENV)
                .chain([(PROFILE_ENV.to_owned(), profile.clone())]);
            let env = Environment::from_map(vars, home);
            let provider: Arc<dyn ProvideCredentials> =
                Arc::new(CliProfileProvider::new(env.clone()));
            let mut builder = ConfigBuilder::from_environment(&env);
            // The profile's region wins over the variable when a profile is named.
            if let Some(region) = cli_profile_region(&env).or_else(|| env.var(REGION_ENV)) {
                builder = builder.region(region);
            }
            (builder, provider)
        }
    }
}
