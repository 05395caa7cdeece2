//! Profiles of the `aliyun` command-line tool, `~/.aliyun/config.json`.

use std::path::PathBuf;

use futures_core::future::BoxFuture;
use futures_util::lock::Mutex;
use serde_json::Value;

use super::{Credentials, CredentialsError, Environment, ProvideCredentials};

const PROVIDER: &str = "cli_profile";
const FILE_VAR: &str = "ALIBABA_CLOUD_CONFIG_FILE";
const PROFILE_VAR: &str = "ALIBABA_CLOUD_PROFILE";
const DISABLED_VAR: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// Credentials from a profile of the `aliyun` CLI's `~/.aliyun/config.json`. Provider name
/// `cli_profile/<inner>`, e.g. `cli_profile/static_ak`.
///
/// The file is `ALIBABA_CLOUD_CONFIG_FILE` if set, otherwise `~/.aliyun/config.json`. The
/// profile is `ALIBABA_CLOUD_PROFILE`, otherwise the file's `current`. Supported modes:
///
/// * `AK`: `access_key_id`, `access_key_secret` → `cli_profile/static_ak`;
/// * `StsToken`: the same plus `sts_token` → `cli_profile/static_sts`;
/// * `EcsRamRole`: the instance's RAM role (`ram_role_name`, optional) through
///   [`EcsRamRoleProvider`] → `cli_profile/ecs_ram_role`.
///
/// Other modes (`RamRoleArn`, `OIDC`, `CloudSSO`, ...) give
/// [`CredentialsError::UnsupportedMode`]. The provider is skipped when
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`.
///
/// ```
/// use hbr_runtime::credentials::{CliProfileProvider, Environment};
///
/// let provider = CliProfileProvider::new(Environment::process());
/// let default_region: Option<String> = provider.region_id();
/// # let _ = default_region;
/// ```
#[derive(Debug)]
pub struct CliProfileProvider {
    env: Environment,
    ecs_endpoint: Option<String>,
    /// The ECS provider used by an `EcsRamRole` profile, kept so its cache survives between
    /// calls. Keyed by file, profile and role name.
    ecs: super::ecs::RoleSlot,
}

/// The selected profile of a parsed config file.
struct Selected {
    path: PathBuf,
    name: String,
    profile: serde_json::Map<String, Value>,
}

impl CliProfileProvider {
    /// A provider reading files and variables from `env`.
    pub fn new(env: Environment) -> Self {
        Self {
            env,
            ecs_endpoint: None,
            ecs: Mutex::new(None),
        }
    }

    /// The metadata endpoint for `EcsRamRole` profiles (see
    /// [`EcsRamRoleProvider::with_endpoint`]); for tests.
    pub fn with_ecs_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.ecs_endpoint = Some(endpoint.into());
        self
    }

    /// The `region_id` of the selected profile, if the file, the profile and a non-empty
    /// `region_id` exist (and the provider is not disabled). A client can use it as the
    /// default region.
    pub fn region_id(&self) -> Option<String> {
        let selected = self.select().ok()?;
        selected
            .profile
            .get("region_id")
            .and_then(Value::as_str)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
    }

    fn select(&self) -> Result<Selected, CredentialsError> {
        if self.env.flag(DISABLED_VAR) {
            return Err(CredentialsError::NotConfigured {
                provider: PROVIDER,
                reason: format!("disabled by {DISABLED_VAR}=true"),
            });
        }
        let path = match self.env.var(FILE_VAR) {
            Some(path) => PathBuf::from(path),
            None => match self.env.home_dir() {
                Some(home) => home.join(".aliyun").join("config.json"),
                None => {
                    return Err(CredentialsError::NotConfigured {
                        provider: PROVIDER,
                        reason: format!("home directory unknown and {FILE_VAR} not set"),
                    })
                }
            },
        };
        if !path.is_file() {
            return Err(CredentialsError::NotConfigured {
                provider: PROVIDER,
                reason: format!("{} not found", path.display()),
            });
        }
        let text = std::fs::read_to_string(&path).map_err(|source| CredentialsError::Io {
            provider: PROVIDER,
            path: path.clone(),
            source,
        })?;
        let invalid = |message: String| CredentialsError::InvalidConfig {
            provider: PROVIDER,
            path: path.clone(),
            message,
        };
        let config: Value = serde_json::from_str(&text).map_err(|e| {
            invalid(format!(
                "not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        let name = match self.env.var(PROFILE_VAR) {
            Some(name) => name,
            None => match config.get("current").and_then(Value::as_str) {
                Some(current) if !current.is_empty() => current.to_owned(),
                _ => {
                    return Err(invalid(format!(
                        "no profile selected: {PROFILE_VAR} not set and no `current` in the file"
                    )))
                }
            },
        };
        let profile = config
            .get("profiles")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name.as_str()))
            .cloned();
        match profile {
            Some(profile) => Ok(Selected {
                path,
                name,
                profile,
            }),
            None => Err(invalid(format!("no profile named `{name}`"))),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let Selected {
            path,
            name,
            profile,
        } = self.select()?;
        let get = |key: &str| {
            profile
                .get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let missing = |keys: &str| CredentialsError::InvalidConfig {
            provider: PROVIDER,
            path: path.clone(),
            message: format!("profile `{name}` needs non-empty {keys}"),
        };
        let Some(mode) = get("mode") else {
            return Err(CredentialsError::InvalidConfig {
                provider: PROVIDER,
                path: path.clone(),
                message: format!("profile `{name}` has no `mode`"),
            });
        };
        match mode.as_str() {
            "AK" => {
                let (Some(id), Some(secret)) = (get("access_key_id"), get("access_key_secret"))
                else {
                    return Err(missing("access_key_id and access_key_secret"));
                };
                Ok(Credentials::new(id, secret).with_provider_name("cli_profile/static_ak"))
            }
            "StsToken" => {
                let (Some(id), Some(secret), Some(token)) = (
                    get("access_key_id"),
                    get("access_key_secret"),
                    get("sts_token"),
                ) else {
                    return Err(missing("access_key_id, access_key_secret and sts_token"));
                };
                Ok(Credentials::new(id, secret)
                    .with_security_token(token)
                    .with_provider_name("cli_profile/static_sts"))
            }
            "EcsRamRole" => {
                let role = get("ram_role_name").unwrap_or_default();
                let key = format!("{}\n{name}\n{role}", path.display());
                super::ecs::provide_for_role(
                    &self.ecs,
                    &self.env,
                    self.ecs_endpoint.as_ref(),
                    key,
                    role,
                    "cli_profile/ecs_ram_role",
                )
                .await
            }
            _ => Err(CredentialsError::UnsupportedMode {
                profile: name,
                mode,
            }),
        }
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// The `region_id` of the `aliyun` CLI profile that [`CliProfileProvider`] would use with
/// `env`, if any; a client can take it as its default region.
///
/// ```
/// use hbr_runtime::credentials::{cli_profile_region, Environment};
///
/// let env = Environment::from_map([("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")], None);
/// assert_eq!(cli_profile_region(&env), None);
/// ```
pub fn cli_profile_region(env: &Environment) -> Option<String> {
    CliProfileProvider::new(env.clone()).region_id()
}
