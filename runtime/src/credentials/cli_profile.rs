//! Profiles of the `aliyun` command-line tool, `~/.aliyun/config.json`.

use std::path::PathBuf;
use std::sync::Arc;

use futures_core::future::BoxFuture;
use serde_json::{Map, Value};

use super::slot::{provide_from, ProviderSlot};
use super::{
    Credentials, CredentialsError, EcsRamRoleProvider, Environment, OidcProvider, OidcRole,
    ProvideCredentials, RamRoleArnProvider,
};

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
///   [`EcsRamRoleProvider`] → `cli_profile/ecs_ram_role`;
/// * `RamRoleArn`: the role `ram_role_arn` assumed with the profile's `access_key_id` and
///   `access_key_secret` through [`RamRoleArnProvider`] → `cli_profile/ram_role_arn`;
/// * `ChainableRamRoleArn`: the same, with the credentials of the profile named by
///   `source_profile` (any mode, roles included) → `cli_profile/ram_role_arn`;
/// * `OIDC`: `ram_role_arn` assumed with the OIDC token in `oidc_token_file` from
///   `oidc_provider_arn` through [`OidcProvider`] → `cli_profile/oidc_role_arn`.
///
/// The role modes also read `ram_session_name`, `expired_seconds` (the session duration),
/// `policy`, `external_id` (not OIDC), `sts_region` and `enable_vpc`; the STS endpoint is
/// derived as [`sts_endpoint`](super::sts_endpoint) says (`ALIBABA_CLOUD_STS_ENDPOINT`
/// overrides it). What a role provider caches is kept while the file stays the same.
///
/// Other modes (`CloudSSO`, `OAuth`, `External`) give [`CredentialsError::UnsupportedMode`].
/// The provider is skipped when `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`.
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
    sts_endpoint: Option<String>,
    /// The provider of a role profile, kept so its cache survives between calls. Keyed by
    /// file, profile and the file's content.
    slot: ProviderSlot,
}

/// The selected profile of a parsed config file.
struct Selected {
    path: PathBuf,
    name: String,
    text: String,
    config: Value,
    profile: Map<String, Value>,
}

impl CliProfileProvider {
    /// A provider reading files and variables from `env`.
    pub fn new(env: Environment) -> Self {
        Self {
            env,
            ecs_endpoint: None,
            sts_endpoint: None,
            slot: ProviderSlot::new(),
        }
    }

    /// The metadata endpoint for `EcsRamRole` profiles (see
    /// [`EcsRamRoleProvider::with_endpoint`]); for tests.
    pub fn with_ecs_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.ecs_endpoint = Some(endpoint.into());
        self
    }

    /// The STS endpoint of the role modes, whatever the environment and the profile say;
    /// for tests.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
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
        match find_profile(&config, &name) {
            Some(profile) => Ok(Selected {
                path,
                name,
                text,
                config,
                profile,
            }),
            None => Err(invalid(format!("no profile named `{name}`"))),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let selected = self.select()?;
        let fields = Fields::new(&selected, &selected.name, &selected.profile);
        let mode = fields.mode()?;
        let name = match mode.as_str() {
            "AK" | "StsToken" => return fields.static_credentials(&mode, "cli_profile/"),
            "EcsRamRole" => "cli_profile/ecs_ram_role",
            "RamRoleArn" | "ChainableRamRoleArn" => "cli_profile/ram_role_arn",
            "OIDC" => "cli_profile/oidc_role_arn",
            _ => {
                return Err(CredentialsError::UnsupportedMode {
                    profile: selected.name.clone(),
                    mode,
                })
            }
        };
        let key = format!(
            "{}\n{}\n{}",
            selected.path.display(),
            selected.name,
            selected.text
        );
        provide_from(&self.slot, key, name, || {
            self.provider(&selected, &selected.name, &mut Vec::new())
        })
        .await
    }

    /// The provider of profile `name` of the selected file; `chain` holds the profiles whose
    /// source it is, to refuse a loop.
    fn provider(
        &self,
        selected: &Selected,
        name: &str,
        chain: &mut Vec<String>,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let profile = find_profile(&selected.config, name).ok_or_else(|| {
            selected.invalid(format!(
                "profile `{}` names the source profile `{name}`, which does not exist",
                chain.last().map(String::as_str).unwrap_or_default()
            ))
        })?;
        let fields = Fields::new(selected, name, &profile);
        let mode = fields.mode()?;
        match mode.as_str() {
            "AK" | "StsToken" => Ok(Arc::new(fields.static_credentials(&mode, "")?)),
            "EcsRamRole" => {
                let mut ecs = EcsRamRoleProvider::new(self.env.clone())
                    .with_role_name(fields.get("ram_role_name").unwrap_or_default());
                if let Some(endpoint) = &self.ecs_endpoint {
                    ecs = ecs.with_endpoint(endpoint.clone());
                }
                Ok(Arc::new(ecs))
            }
            "RamRoleArn" => {
                let (Some(id), Some(secret)) =
                    (fields.get("access_key_id"), fields.get("access_key_secret"))
                else {
                    return Err(fields.missing("access_key_id and access_key_secret"));
                };
                let source = Credentials::new(id, secret).with_provider_name("static_ak");
                self.role(&fields, Arc::new(source))
            }
            "ChainableRamRoleArn" => {
                let Some(source) = fields.get("source_profile") else {
                    return Err(fields.missing("source_profile"));
                };
                if source == name || chain.contains(&source) {
                    return Err(selected.invalid(format!(
                        "the source profiles of `{}` form a loop through `{source}`",
                        chain.first().map(String::as_str).unwrap_or(name)
                    )));
                }
                chain.push(name.to_owned());
                let source = self.provider(selected, &source, chain)?;
                self.role(&fields, source)
            }
            "OIDC" => {
                let (Some(role), Some(provider), Some(token)) = (
                    fields.get("ram_role_arn"),
                    fields.get("oidc_provider_arn"),
                    fields.get("oidc_token_file"),
                ) else {
                    return Err(
                        fields.missing("ram_role_arn, oidc_provider_arn and oidc_token_file")
                    );
                };
                let mut role = OidcRole::new(role, provider, token)
                    .with_session_name(fields.get("ram_session_name").unwrap_or_default())
                    .with_policy(fields.get("policy").unwrap_or_default())
                    .with_sts_region(fields.get("sts_region").unwrap_or_default());
                if let Some(seconds) = fields.number("expired_seconds")? {
                    role = role.with_duration_seconds(seconds);
                }
                if let Some(vpc) = fields.flag("enable_vpc") {
                    role = role.with_vpc_endpoint(vpc);
                }
                let mut oidc = OidcProvider::for_role(self.env.clone(), role);
                if let Some(endpoint) = &self.sts_endpoint {
                    oidc = oidc.with_sts_endpoint(endpoint.clone());
                }
                Ok(Arc::new(oidc))
            }
            _ => Err(CredentialsError::UnsupportedMode {
                profile: name.to_owned(),
                mode,
            }),
        }
    }

    /// The role of a `RamRoleArn` or `ChainableRamRoleArn` profile, assumed with `source`.
    fn role(
        &self,
        fields: &Fields<'_>,
        source: Arc<dyn ProvideCredentials>,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let Some(role_arn) = fields.get("ram_role_arn") else {
            return Err(fields.missing("ram_role_arn"));
        };
        let mut builder = RamRoleArnProvider::builder_with_source(source, role_arn)
            .with_environment(self.env.clone())
            .with_session_name(fields.get("ram_session_name").unwrap_or_default())
            .with_policy(fields.get("policy").unwrap_or_default())
            .with_external_id(fields.get("external_id").unwrap_or_default())
            .with_sts_region(fields.get("sts_region").unwrap_or_default());
        if let Some(seconds) = fields.number("expired_seconds")? {
            builder = builder.with_duration_seconds(seconds);
        }
        if let Some(vpc) = fields.flag("enable_vpc") {
            builder = builder.with_vpc_endpoint(vpc);
        }
        if let Some(endpoint) = &self.sts_endpoint {
            builder = builder.with_sts_endpoint(endpoint.clone());
        }
        Ok(Arc::new(builder.build()?))
    }
}

impl Selected {
    fn invalid(&self, message: String) -> CredentialsError {
        CredentialsError::InvalidConfig {
            provider: PROVIDER,
            path: self.path.clone(),
            message,
        }
    }
}

/// The profile named `name` of a parsed config file.
fn find_profile(config: &Value, name: &str) -> Option<Map<String, Value>> {
    config
        .get("profiles")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        .cloned()
}

/// The fields of one profile, and the errors that name it.
struct Fields<'a> {
    selected: &'a Selected,
    name: &'a str,
    profile: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    fn new(selected: &'a Selected, name: &'a str, profile: &'a Map<String, Value>) -> Self {
        Self {
            selected,
            name,
            profile,
        }
    }

    /// A non-empty string field.
    fn get(&self, key: &str) -> Option<String> {
        self.profile
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// A positive number field (a JSON number or a numeric string); 0 or absent is `None`.
    fn number(&self, key: &str) -> Result<Option<u32>, CredentialsError> {
        let value = match self.profile.get(key) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
            Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
            Some(_) => None,
        };
        match value.map(u32::try_from) {
            Some(Ok(0)) => Ok(None),
            Some(Ok(n)) => Ok(Some(n)),
            _ => Err(self.selected.invalid(format!(
                "profile `{}`: `{key}` must be a number of seconds",
                self.name
            ))),
        }
    }

    /// A boolean field (`true`/`false` or the strings).
    fn flag(&self, key: &str) -> Option<bool> {
        match self.profile.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => Some(s.trim().eq_ignore_ascii_case("true")),
            _ => None,
        }
    }

    fn mode(&self) -> Result<String, CredentialsError> {
        self.get("mode").ok_or_else(|| {
            self.selected
                .invalid(format!("profile `{}` has no `mode`", self.name))
        })
    }

    fn missing(&self, keys: &str) -> CredentialsError {
        self.selected
            .invalid(format!("profile `{}` needs non-empty {keys}", self.name))
    }

    /// The credentials of an `AK` or `StsToken` profile, reported as `<prefix>static_ak`
    /// or `<prefix>static_sts`.
    fn static_credentials(
        &self,
        mode: &str,
        prefix: &str,
    ) -> Result<Credentials, CredentialsError> {
        let (id, secret) = (self.get("access_key_id"), self.get("access_key_secret"));
        if mode == "AK" {
            let (Some(id), Some(secret)) = (id, secret) else {
                return Err(self.missing("access_key_id and access_key_secret"));
            };
            return Ok(
                Credentials::new(id, secret).with_provider_name(format!("{prefix}static_ak"))
            );
        }
        let (Some(id), Some(secret), Some(token)) = (id, secret, self.get("sts_token")) else {
            return Err(self.missing("access_key_id, access_key_secret and sts_token"));
        };
        Ok(Credentials::new(id, secret)
            .with_security_token(token)
            .with_provider_name(format!("{prefix}static_sts")))
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
