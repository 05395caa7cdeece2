//! The shared credentials file `~/.alibabacloud/credentials` (INI).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use futures_core::future::BoxFuture;

use super::slot::{provide_from, ProviderSlot};
use super::{
    Credentials, CredentialsError, EcsRamRoleProvider, Environment, OidcProvider, OidcRole,
    ProvideCredentials, RamRoleArnProvider,
};

const PROVIDER: &str = "profile";
const FILE_VAR: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
const PROFILE_VAR: &str = "ALIBABA_CLOUD_PROFILE";

/// Credentials from the shared INI file the official SDKs read. Provider name
/// `profile/<inner>`, e.g. `profile/static_ak`.
///
/// The file is `ALIBABA_CLOUD_CREDENTIALS_FILE` if set, otherwise
/// `~/.alibabacloud/credentials` (the Go SDK's default) or, if that does not exist,
/// `~/.alibabacloud/credentials.ini` (the Python SDK's default). The section is
/// `ALIBABA_CLOUD_PROFILE`, otherwise `default`:
///
/// ```ini
/// [default]
/// type = access_key
/// access_key_id = LTAI...
/// access_key_secret = ...
///
/// [on-ecs]
/// type = ecs_ram_role
/// role_name = MyEcsRole
///
/// [operator]
/// type = ram_role_arn
/// access_key_id = LTAI...
/// access_key_secret = ...
/// role_arn = acs:ram::123456789012:role/backup-operator
/// role_session_name = nightly
/// policy = {"Version":"1","Statement":[...]}
///
/// [in-ack]
/// type = oidc_role_arn
/// role_arn = acs:ram::123456789012:role/ack-reader
/// oidc_provider_arn = acs:ram::123456789012:oidc-provider/ack-rrsa
/// oidc_token_file_path = /var/run/secrets/tokens/oidc-token
/// ```
///
/// Supported types: `access_key`; `ecs_ram_role` (through [`EcsRamRoleProvider`], reported
/// `profile/ecs_ram_role`); `ram_role_arn` (the role assumed with the section's AccessKey
/// through [`RamRoleArnProvider`], sessions of 3600 s as the official SDKs, an optional
/// `external_id`; `profile/ram_role_arn`); `oidc_role_arn` (through [`OidcProvider`];
/// `profile/oidc_role_arn`). The STS endpoint is derived as
/// [`sts_endpoint`](super::sts_endpoint) says. Other types give
/// [`CredentialsError::UnsupportedType`].
///
/// ```
/// use hbr_runtime::credentials::{Environment, IniFileProvider};
///
/// let provider = IniFileProvider::new(Environment::process());
/// # let _ = provider;
/// ```
#[derive(Debug)]
pub struct IniFileProvider {
    env: Environment,
    ecs_endpoint: Option<String>,
    sts_endpoint: Option<String>,
    /// The provider of a role section, kept so its cache survives between calls. Keyed by
    /// file, section and the section's content.
    slot: ProviderSlot,
}

impl IniFileProvider {
    /// A provider reading files and variables from `env`.
    pub fn new(env: Environment) -> Self {
        Self {
            env,
            ecs_endpoint: None,
            sts_endpoint: None,
            slot: ProviderSlot::new(),
        }
    }

    /// The metadata endpoint for `ecs_ram_role` sections (see
    /// [`EcsRamRoleProvider::with_endpoint`]); for tests.
    pub fn with_ecs_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.ecs_endpoint = Some(endpoint.into());
        self
    }

    /// The STS endpoint of `ram_role_arn` and `oidc_role_arn` sections, whatever the
    /// environment says; for tests.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    fn locate(&self) -> Result<PathBuf, CredentialsError> {
        if let Some(path) = self.env.var(FILE_VAR) {
            let path = PathBuf::from(path);
            if !path.is_file() {
                return Err(CredentialsError::InvalidConfig {
                    provider: PROVIDER,
                    path,
                    message: format!("file named by {FILE_VAR} not found"),
                });
            }
            return Ok(path);
        }
        let Some(home) = self.env.home_dir() else {
            return Err(CredentialsError::NotConfigured {
                provider: PROVIDER,
                reason: format!("home directory unknown and {FILE_VAR} not set"),
            });
        };
        let dir = home.join(".alibabacloud");
        let candidates = [dir.join("credentials"), dir.join("credentials.ini")];
        match candidates.iter().find(|p| p.is_file()) {
            Some(path) => Ok(path.clone()),
            None => Err(CredentialsError::NotConfigured {
                provider: PROVIDER,
                reason: format!(
                    "neither {} nor {} found",
                    candidates[0].display(),
                    candidates[1].display()
                ),
            }),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let path = self.locate()?;
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
        let sections = parse_ini(&text).map_err(invalid)?;
        let section_name = self
            .env
            .var(PROFILE_VAR)
            .unwrap_or_else(|| "default".to_owned());
        let Some(section) = sections.get(&section_name) else {
            return Err(invalid(format!("no section [{section_name}]")));
        };
        let get = |key: &str| section.get(key).filter(|v| !v.is_empty()).cloned();
        let Some(kind) = get("type") else {
            return Err(invalid(format!("section [{section_name}] has no `type`")));
        };
        let name = match kind.as_str() {
            "access_key" => {
                let (Some(id), Some(secret)) = (get("access_key_id"), get("access_key_secret"))
                else {
                    return Err(invalid(format!(
                        "section [{section_name}] (type access_key) needs non-empty \
                         access_key_id and access_key_secret"
                    )));
                };
                return Ok(Credentials::new(id, secret).with_provider_name("profile/static_ak"));
            }
            "ecs_ram_role" => "profile/ecs_ram_role",
            "ram_role_arn" => "profile/ram_role_arn",
            "oidc_role_arn" => "profile/oidc_role_arn",
            _ => {
                return Err(CredentialsError::UnsupportedType {
                    section: section_name,
                    kind,
                })
            }
        };
        let key = format!("{}\n{section_name}\n{section:?}", path.display());
        let needs = |keys: &str| {
            invalid(format!(
                "section [{section_name}] (type {kind}) needs non-empty {keys}"
            ))
        };
        provide_from(&self.slot, key, name, || self.provider(&kind, &get, needs)).await
    }

    /// The provider of a section of type `kind` (a role or ECS), its keys read with `get`;
    /// `needs` is the error for missing keys.
    fn provider(
        &self,
        kind: &str,
        get: &dyn Fn(&str) -> Option<String>,
        needs: impl Fn(&str) -> CredentialsError,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        match kind {
            "ram_role_arn" => {
                let (Some(id), Some(secret), Some(role_arn)) = (
                    get("access_key_id"),
                    get("access_key_secret"),
                    get("role_arn"),
                ) else {
                    return Err(needs("access_key_id, access_key_secret and role_arn"));
                };
                let source = Credentials::new(id, secret).with_provider_name("static_ak");
                let mut builder = RamRoleArnProvider::builder(source, role_arn)
                    .with_environment(self.env.clone())
                    .with_session_name(get("role_session_name").unwrap_or_default())
                    .with_policy(get("policy").unwrap_or_default())
                    .with_external_id(get("external_id").unwrap_or_default());
                if let Some(endpoint) = &self.sts_endpoint {
                    builder = builder.with_sts_endpoint(endpoint.clone());
                }
                Ok(Arc::new(builder.build()?))
            }
            "oidc_role_arn" => {
                let (Some(role_arn), Some(provider_arn), Some(token_file)) = (
                    get("role_arn"),
                    get("oidc_provider_arn"),
                    get("oidc_token_file_path"),
                ) else {
                    return Err(needs(
                        "role_arn, oidc_provider_arn and oidc_token_file_path",
                    ));
                };
                let role = OidcRole::new(role_arn, provider_arn, token_file)
                    .with_session_name(get("role_session_name").unwrap_or_default())
                    .with_policy(get("policy").unwrap_or_default());
                let mut oidc = OidcProvider::for_role(self.env.clone(), role);
                if let Some(endpoint) = &self.sts_endpoint {
                    oidc = oidc.with_sts_endpoint(endpoint.clone());
                }
                Ok(Arc::new(oidc))
            }
            _ => {
                let mut ecs = EcsRamRoleProvider::new(self.env.clone())
                    .with_role_name(get("role_name").unwrap_or_default());
                if let Some(endpoint) = &self.ecs_endpoint {
                    ecs = ecs.with_endpoint(endpoint.clone());
                }
                Ok(Arc::new(ecs))
            }
        }
    }
}

impl ProvideCredentials for IniFileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// Sections of an INI file: `[name]` headers, `key = value` lines, `#` and `;` comments.
/// Values may be wrapped in double or single quotes. Errors give line numbers only (lines
/// may hold secrets).
pub(crate) fn parse_ini(text: &str) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let mut sections: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let Some(name) = rest.strip_suffix(']') else {
                return Err(format!(
                    "line {line_no}: section header without closing `]`"
                ));
            };
            let name = name.trim().to_owned();
            sections.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!("line {line_no}: expected `key = value`"));
        };
        let Some(section) = current.as_ref() else {
            return Err(format!("line {line_no}: key outside any [section]"));
        };
        let value = unquote(value.trim());
        sections
            .entry(section.clone())
            .or_default()
            .insert(key.trim().to_owned(), value.to_owned());
    }
    Ok(sections)
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}
