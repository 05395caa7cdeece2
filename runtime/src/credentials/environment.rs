//! Where providers read variables and the home directory, and the environment-variable
//! provider.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use futures_core::future::BoxFuture;

use super::{Credentials, CredentialsError, ProvideCredentials};

/// The variables and home directory providers read.
///
/// [`Environment::process`] reads the real process environment (at each call, so later
/// changes are seen); [`Environment::from_map`] uses a fixed map, which is how tests run
/// providers without touching the process environment.
///
/// Empty values count as unset, as in the official SDKs. `Debug` prints variable names but
/// never values.
///
/// ```
/// use hbr_runtime::credentials::Environment;
///
/// let env = Environment::from_map([("ALIBABA_CLOUD_PROFILE", "dev"), ("EMPTY", "")], Some("/home/u".into()));
/// assert_eq!(env.var("ALIBABA_CLOUD_PROFILE").as_deref(), Some("dev"));
/// assert_eq!(env.var("EMPTY"), None);
/// assert_eq!(env.home_dir(), Some("/home/u".into()));
/// ```
#[derive(Clone)]
pub struct Environment {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Process,
    Fixed {
        vars: BTreeMap<String, String>,
        home: Option<PathBuf>,
    },
}

impl Environment {
    /// The real process environment; the home directory is `$HOME` (or `%USERPROFILE%`).
    pub fn process() -> Self {
        Self {
            source: Source::Process,
        }
    }

    /// A fixed set of variables and home directory.
    pub fn from_map<I, K, V>(vars: I, home: Option<PathBuf>) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            source: Source::Fixed {
                vars: vars
                    .into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
                home,
            },
        }
    }

    /// The value of `name`, or `None` when it is unset, empty or not valid UTF-8.
    pub fn var(&self, name: &str) -> Option<String> {
        let value = match &self.source {
            Source::Process => std::env::var(name).ok(),
            Source::Fixed { vars, .. } => vars.get(name).cloned(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// Whether `name` is set to `true` (case-insensitive).
    pub fn flag(&self, name: &str) -> bool {
        self.var(name)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// The user's home directory, if known.
    pub fn home_dir(&self) -> Option<PathBuf> {
        match &self.source {
            Source::Process => ["HOME", "USERPROFILE"]
                .iter()
                .filter_map(std::env::var_os)
                .find(|v| !v.is_empty())
                .map(PathBuf::from),
            Source::Fixed { home, .. } => home.clone(),
        }
    }
}

impl Default for Environment {
    fn default() -> Self {
        Self::process()
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Process => f.write_str("Environment::process()"),
            Source::Fixed { vars, home } => f
                .debug_struct("Environment")
                .field("vars", &vars.keys().collect::<Vec<_>>())
                .field("home", home)
                .finish(),
        }
    }
}

pub(crate) const ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
pub(crate) const ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
pub(crate) const SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and,
/// optionally, `ALIBABA_CLOUD_SECURITY_TOKEN`. Provider name `env`.
///
/// ```
/// use hbr_runtime::credentials::{EnvProvider, Environment, ProvideCredentials};
///
/// # async fn demo() -> Result<(), hbr_runtime::credentials::CredentialsError> {
/// let env = Environment::from_map(
///     [("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")],
///     None,
/// );
/// let creds = EnvProvider::new(env).provide_credentials().await?;
/// assert_eq!(creds.provider_name(), "env");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct EnvProvider {
    env: Environment,
}

impl EnvProvider {
    /// A provider reading `env`.
    pub fn new(env: Environment) -> Self {
        Self { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(id) = self.env.var(ACCESS_KEY_ID) else {
            return Err(CredentialsError::NotConfigured {
                provider: "env",
                reason: format!("{ACCESS_KEY_ID} not set"),
            });
        };
        let Some(secret) = self.env.var(ACCESS_KEY_SECRET) else {
            return Err(CredentialsError::Incomplete {
                provider: "env",
                message: format!("{ACCESS_KEY_ID} is set but {ACCESS_KEY_SECRET} is not"),
            });
        };
        let mut creds = Credentials::new(id, secret);
        if let Some(token) = self.env.var(SECURITY_TOKEN) {
            creds = creds.with_security_token(token);
        }
        Ok(creds.with_provider_name("env"))
    }
}

impl ProvideCredentials for EnvProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = self.load();
        Box::pin(async move { result })
    }
}
