//! Client configuration: region or endpoint, protocol, signature, credentials, user agent,
//! timeouts and retries.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::{
    cli_profile_region, Credentials, DefaultCredentialsChain, Environment, ProvideCredentials,
};
use crate::signing::SignatureVersion;

use super::endpoint::{Endpoint, Protocol};
use super::error::Error;
use super::retry::RetryConfig;

/// The variable naming the default region.
pub const REGION_ENV: &str = "ALIBABA_CLOUD_REGION_ID";
/// The variable whose value is appended to the user agent.
pub const USER_AGENT_ENV: &str = "ALIBABA_CLOUD_USER_AGENT";
/// The default connect timeout (as the official SDKs).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default read timeout (as the official SDKs).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The default largest response body the client reads ([`ConfigBuilder::max_response_bytes`]);
/// a larger one is a malformed response.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// The user agent without a suffix: `hbr-rs/<version> (<os>; <arch>) Rust`.
///
/// ```
/// let ua = hbr_runtime::client::base_user_agent();
/// assert!(ua.starts_with("hbr-rs/") && ua.ends_with(") Rust"));
/// ```
pub fn base_user_agent() -> String {
    format!(
        "hbr-rs/{} ({}; {}) Rust",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// How a [`Runtime`](super::Runtime) reaches HBR.
///
/// Build one with [`Config::builder`] or read it from the environment with
/// [`Config::from_env`]. `Debug` never shows a secret.
///
/// ```
/// use std::time::Duration;
/// use hbr_runtime::client::{Config, Protocol, RetryConfig};
/// use hbr_runtime::credentials::Credentials;
/// use hbr_runtime::signing::SignatureVersion;
///
/// let config = Config::builder()
///     .region("cn-hangzhou")
///     .credentials(Credentials::new("LTAI-example", "example-secret"))
///     .signature_version(SignatureVersion::V1)
///     .read_timeout(Duration::from_secs(30))
///     .retry(RetryConfig::standard().with_max_attempts(5))
///     .build();
/// assert_eq!(config.endpoint().unwrap().authority(), "hbr.cn-hangzhou.aliyuncs.com");
/// assert_eq!(config.endpoint().unwrap().protocol(), Protocol::Https);
/// assert!(!format!("{config:?}").contains("example-secret"));
///
/// let local = Config::builder().endpoint("http://127.0.0.1:8080").build();
/// assert_eq!(local.endpoint().unwrap().base_url(), "http://127.0.0.1:8080/");
///
/// let nowhere = Config::builder().build();
/// assert!(nowhere.endpoint().unwrap_err().to_string().contains("no region"));
/// ```
#[derive(Clone)]
pub struct Config {
    region: Option<String>,
    endpoint: Option<String>,
    protocol: Option<Protocol>,
    network: Option<String>,
    signature_version: SignatureVersion,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    user_agent_suffix: Option<String>,
    connect_timeout: Duration,
    read_timeout: Duration,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: RetryConfig,
    use_env_proxy: bool,
    max_response_bytes: usize,
    danger_accept_invalid_certs: bool,
    native_roots: bool,
    ca_bundle: Option<PathBuf>,
}

impl Default for Config {
    /// No region and no endpoint (so [`Runtime::new`](super::Runtime::new) refuses it until
    /// one is set), the default chain for credentials, v3 signatures, default timeouts and
    /// retries.
    fn default() -> Self {
        Self::builder().build()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("protocol", &self.protocol)
            .field("network", &self.network)
            .field("signature_version", &self.signature_version)
            // Providers redact their secrets in `Debug` (see `credentials::Secret`).
            .field("credentials", &self.credentials)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("retry", &self.retry)
            .field("use_env_proxy", &self.use_env_proxy)
            .field("max_response_bytes", &self.max_response_bytes)
            .field(
                "danger_accept_invalid_certs",
                &self.danger_accept_invalid_certs,
            )
            .field("native_roots", &self.native_roots)
            .field("ca_bundle", &self.ca_bundle)
            .finish()
    }
}

impl Config {
    /// A builder with the defaults: no region, no endpoint, HTTPS, v3 signatures, the
    /// default credentials chain, connect timeout 5 s, read timeout 10 s, no per-attempt or
    /// operation timeout, [`RetryConfig::standard`].
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            config: Config {
                region: None,
                endpoint: None,
                protocol: None,
                network: None,
                signature_version: SignatureVersion::V3,
                credentials: None,
                user_agent_suffix: None,
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                read_timeout: DEFAULT_READ_TIMEOUT,
                attempt_timeout: None,
                operation_timeout: None,
                retry: RetryConfig::standard(),
                use_env_proxy: true,
                max_response_bytes: MAX_RESPONSE_BYTES,
                danger_accept_invalid_certs: false,
                native_roots: true,
                ca_bundle: None,
            },
        }
    }

    /// The configuration the process environment describes: see [`ConfigBuilder::from_env`].
    ///
    /// ```no_run
    /// let config = hbr_runtime::client::Config::from_env();
    /// let runtime = hbr_runtime::client::Runtime::new(config)?;
    /// # Ok::<(), hbr_runtime::client::Error>(())
    /// ```
    pub fn from_env() -> Self {
        ConfigBuilder::from_env().build()
    }

    /// A builder starting from this configuration.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            config: self.clone(),
        }
    }

    /// The region, if set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The explicit endpoint, if set, as given.
    pub fn endpoint_override(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The protocol asked for explicitly, if any.
    pub fn protocol(&self) -> Option<Protocol> {
        self.protocol
    }

    /// The network type of the regional endpoint (`vpc`, ...), if set.
    pub fn network(&self) -> Option<&str> {
        self.network.as_deref()
    }

    /// The signature version.
    pub fn signature_version(&self) -> SignatureVersion {
        self.signature_version
    }

    /// The credentials provider, if one was set (`None`: the default chain).
    pub fn credentials(&self) -> Option<&Arc<dyn ProvideCredentials>> {
        self.credentials.as_ref()
    }

    /// The text appended to the user agent, if any.
    pub fn user_agent_suffix(&self) -> Option<&str> {
        self.user_agent_suffix.as_deref()
    }

    /// The whole user agent: `hbr-rs/<version> (<os>; <arch>) Rust`, then the suffix after
    /// a space.
    pub fn user_agent(&self) -> String {
        let mut ua = base_user_agent();
        if let Some(suffix) = self
            .user_agent_suffix
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            ua.push(' ');
            ua.push_str(suffix);
        }
        ua
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The read timeout: the longest the server may stay silent while the client waits for
    /// the response head or the next piece of the body.
    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// The limit on one attempt, if set.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The limit on a whole operation, retries included, if set.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The largest response body read, in bytes.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// Whether TLS certificates go unchecked (never, unless
    /// [`ConfigBuilder::danger_accept_invalid_certs`] said so).
    pub fn danger_accept_invalid_certs(&self) -> bool {
        self.danger_accept_invalid_certs
    }

    /// Whether the system's certificate store is trusted besides the bundled roots.
    pub fn tls_native_roots(&self) -> bool {
        self.native_roots
    }

    /// The PEM file of extra trusted CA certificates, if set.
    pub fn ca_bundle(&self) -> Option<&Path> {
        self.ca_bundle.as_deref()
    }

    /// Whether the `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` variables are honoured.
    pub fn use_env_proxy(&self) -> bool {
        self.use_env_proxy
    }

    /// The endpoint requests go to: the explicit endpoint if set, else the regional one.
    /// Without both, a configuration error that says what to set.
    pub fn endpoint(&self) -> Result<Endpoint, Error> {
        if let Some(endpoint) = &self.endpoint {
            return Endpoint::parse(endpoint, self.protocol);
        }
        match &self.region {
            Some(region) => Endpoint::for_region_and_network(region, self.network.as_deref(), self.protocol),
            None => Err(Error::configuration(
                "no region and no endpoint: set a region (Config::builder().region(\"cn-hangzhou\"), \
                 the ALIBABA_CLOUD_REGION_ID variable, or region_id in the aliyun CLI profile) \
                 or an explicit endpoint",
            )),
        }
    }
}

/// Builds a [`Config`]; see [`Config::builder`].
///
/// ```
/// use std::time::Duration;
/// use hbr_runtime::client::{Config, Protocol};
///
/// let config = Config::builder()
///     .endpoint("127.0.0.1:8080")
///     .protocol(Protocol::Http)
///     .static_credentials("id", "secret")
///     .attempt_timeout(Duration::from_secs(3))
///     .operation_timeout(Duration::from_secs(20))
///     .user_agent_suffix("my-app/1.0")
///     .build();
/// assert!(config.user_agent().ends_with(" Rust my-app/1.0"));
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ConfigBuilder {
    config: Config,
}

impl ConfigBuilder {
    /// A builder from the process environment: see [`ConfigBuilder::from_environment`].
    pub fn from_env() -> Self {
        Self::from_environment(&Environment::process())
    }

    /// A builder from `env`:
    /// - the region from `ALIBABA_CLOUD_REGION_ID`, else the `region_id` of the aliyun CLI
    ///   profile in use;
    /// - the user-agent suffix from `ALIBABA_CLOUD_USER_AGENT`;
    /// - credentials from the default chain reading `env`.
    ///
    /// ```
    /// use hbr_runtime::client::ConfigBuilder;
    /// use hbr_runtime::credentials::Environment;
    ///
    /// let env = Environment::from_map(
    ///     [("ALIBABA_CLOUD_REGION_ID", "cn-beijing"), ("ALIBABA_CLOUD_USER_AGENT", "ci/1")],
    ///     None,
    /// );
    /// let config = ConfigBuilder::from_environment(&env).build();
    /// assert_eq!(config.region(), Some("cn-beijing"));
    /// assert!(config.user_agent().ends_with(" ci/1"));
    /// ```
    pub fn from_environment(env: &Environment) -> Self {
        let mut builder = Config::builder();
        builder.config.region = env.var(REGION_ENV).or_else(|| cli_profile_region(env));
        builder.config.user_agent_suffix = env.var(USER_AGENT_ENV);
        builder.config.credentials = Some(Arc::new(DefaultCredentialsChain::new(env.clone())));
        builder
    }

    /// Sets the region, e.g. `cn-hangzhou` (endpoint `hbr.cn-hangzhou.aliyuncs.com`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Sets an explicit endpoint, which wins over the region: an authority such as
    /// `127.0.0.1:8080`, or a URL such as `http://127.0.0.1:8080` whose scheme sets the
    /// protocol.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.config.endpoint = Some(endpoint.into());
        self
    }

    /// Asks for a protocol explicitly (HTTPS is the default; HTTP only when asked for).
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.config.protocol = Some(protocol);
        self
    }

    /// Sets the network type of the regional endpoint, e.g. `vpc` for
    /// `hbr-vpc.<region>.aliyuncs.com`.
    pub fn network(mut self, network: impl Into<String>) -> Self {
        self.config.network = Some(network.into());
        self
    }

    /// Sets the signature version (v3 by default).
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.config.signature_version = version;
        self
    }

    /// Sets the credentials provider: static [`Credentials`] or any provider.
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials = Some(Arc::new(provider));
        self
    }

    /// Sets a shared credentials provider.
    pub fn credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.config.credentials = Some(provider);
        self
    }

    /// Sets a static AccessKey pair.
    pub fn static_credentials(
        self,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
    ) -> Self {
        self.credentials(Credentials::new(access_key_id, access_key_secret.into()))
    }

    /// Sets the text appended to the user agent after a space.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.config.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Sets the connect timeout (5 s by default).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// Sets the read timeout (10 s by default).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.config.read_timeout = timeout;
        self
    }

    /// Limits each attempt (credentials, connect, send and the whole response).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.config.attempt_timeout = Some(timeout);
        self
    }

    /// Limits each operation as a whole, retries and waits included.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.config.operation_timeout = Some(timeout);
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self
    }

    /// Whether to trust the system's certificate store besides the roots bundled in the
    /// binary (yes by default). The store is read when the client is built: on Linux the
    /// distribution's bundle (e.g. `/etc/ssl/certs`), or the files `SSL_CERT_FILE` and
    /// `SSL_CERT_DIR` name instead when they are set; on macOS and Windows the system's own
    /// store. A corporate CA installed in the store is then trusted, e.g. behind a
    /// TLS-inspecting proxy.
    ///
    /// ```
    /// let config = hbr_runtime::client::Config::builder().tls_native_roots(false).build();
    /// assert!(!config.tls_native_roots());
    /// ```
    pub fn tls_native_roots(mut self, enabled: bool) -> Self {
        self.config.native_roots = enabled;
        self
    }

    /// Trusts the CA certificates of this PEM file as well (one or more `-----BEGIN
    /// CERTIFICATE-----` blocks), e.g. the CA of a corporate proxy. The file is read when the
    /// client is built; a file that cannot be read or holds no certificate is a
    /// configuration error naming it.
    ///
    /// ```
    /// let config = hbr_runtime::client::Config::builder().ca_bundle("/etc/corp/ca.pem").build();
    /// assert_eq!(config.ca_bundle(), Some(std::path::Path::new("/etc/corp/ca.pem")));
    /// ```
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.ca_bundle = Some(path.into());
        self
    }

    /// Whether to honour `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY` (yes by
    /// default): requests to an `https` endpoint go through `HTTPS_PROXY` (a `CONNECT`
    /// tunnel, so TLS stays end to end), to an `http` one through `HTTP_PROXY`, unless the
    /// host matches `NO_PROXY` (comma-separated hosts, domains such as `.aliyuncs.com`, IP
    /// addresses or CIDR ranges, `*` for all).
    pub fn use_env_proxy(mut self, enabled: bool) -> Self {
        self.config.use_env_proxy = enabled;
        self
    }

    /// The largest response body to read, in bytes ([`MAX_RESPONSE_BYTES`], 64 MiB, by
    /// default). A larger body, announced by `Content-Length` or found while reading, fails
    /// the call with a malformed-response error that says so; nothing more is read.
    ///
    /// ```
    /// let config = hbr_runtime::client::Config::builder().max_response_bytes(1 << 20).build();
    /// assert_eq!(config.max_response_bytes(), 1 << 20);
    /// ```
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.config.max_response_bytes = bytes;
        self
    }

    /// Accept any TLS certificate, expired, self-signed or for another host. **Dangerous**:
    /// anyone on the path can then read and change the traffic. Off by default, and there is
    /// no environment variable for it; meant for a test endpoint with a certificate of its
    /// own. A warning is logged when a client is built with it.
    ///
    /// ```
    /// let config = hbr_runtime::client::Config::builder().build();
    /// assert!(!config.danger_accept_invalid_certs());
    /// ```
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.config.danger_accept_invalid_certs = accept;
        self
    }

    /// The configuration. Nothing is checked here; [`Runtime::new`](super::Runtime::new)
    /// (or [`Config::endpoint`]) reports what is missing or invalid.
    pub fn build(self) -> Config {
        self.config
    }
}
