//! STS (API 2015-04-01): the endpoint role credentials are assumed at, and `AssumeRole`.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::http;
use super::{Credentials, CredentialsError, Environment, ProvideCredentials};
use crate::client::{Config, ConfigBuilder, Runtime};
use crate::operation::OperationKind;
use crate::signing::SignatureVersion;
use crate::wire::Params;

/// The variable naming the STS endpoint (a URL such as `https://sts.cn-hangzhou.aliyuncs.com`
/// or `http://127.0.0.1:8080`) where role credentials are assumed; it overrides the endpoint
/// derived from the STS region.
pub const STS_ENDPOINT_ENV: &str = "ALIBABA_CLOUD_STS_ENDPOINT";
/// The variable naming the STS region (`sts.<region>.aliyuncs.com`).
pub const STS_REGION_ENV: &str = "ALIBABA_CLOUD_STS_REGION";
/// The variable that, set to `true`, picks the VPC STS endpoint (`sts-vpc.<region>...`).
pub const STS_VPC_ENV: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";
/// The STS API version.
pub const STS_API_VERSION: &str = "2015-04-01";

/// The STS endpoint (a base URL) for `env`, as the official tools derive it:
///
/// 1. `ALIBABA_CLOUD_STS_ENDPOINT`, when set (`https://` is assumed without a scheme);
/// 2. otherwise, with an STS region (`region`, else `ALIBABA_CLOUD_STS_REGION`),
///    `https://sts.<region>.aliyuncs.com`, or `https://sts-vpc.<region>.aliyuncs.com` when
///    `vpc` (else `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`);
/// 3. otherwise `https://sts.aliyuncs.com`.
///
/// ```
/// use hbr_runtime::credentials::{sts_endpoint, Environment};
///
/// let none = Environment::from_map(Vec::<(String, String)>::new(), None);
/// assert_eq!(sts_endpoint(&none, None, None), "https://sts.aliyuncs.com");
/// assert_eq!(sts_endpoint(&none, Some("cn-beijing"), None), "https://sts.cn-beijing.aliyuncs.com");
/// assert_eq!(sts_endpoint(&none, Some("cn-beijing"), Some(true)), "https://sts-vpc.cn-beijing.aliyuncs.com");
///
/// let env = Environment::from_map(
///     [("ALIBABA_CLOUD_STS_REGION", "cn-shanghai"), ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true")],
///     None,
/// );
/// assert_eq!(sts_endpoint(&env, None, None), "https://sts-vpc.cn-shanghai.aliyuncs.com");
/// assert_eq!(sts_endpoint(&env, None, Some(false)), "https://sts.cn-shanghai.aliyuncs.com");
///
/// let local = Environment::from_map([("ALIBABA_CLOUD_STS_ENDPOINT", "http://127.0.0.1:9000/")], None);
/// assert_eq!(sts_endpoint(&local, Some("cn-beijing"), None), "http://127.0.0.1:9000");
/// ```
pub fn sts_endpoint(env: &Environment, region: Option<&str>, vpc: Option<bool>) -> String {
    if let Some(endpoint) = env.var(STS_ENDPOINT_ENV) {
        return base_url(&endpoint);
    }
    let region = region
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .or_else(|| env.var(STS_REGION_ENV));
    let vpc = vpc.unwrap_or_else(|| env.flag(STS_VPC_ENV));
    match region {
        Some(region) => {
            let prefix = if vpc { "sts-vpc" } else { "sts" };
            format!("https://{prefix}.{}.aliyuncs.com", region.trim())
        }
        None => "https://sts.aliyuncs.com".to_owned(),
    }
}

/// `endpoint` as a base URL: trimmed, without a trailing `/`, `https://` when it has no
/// scheme.
pub(crate) fn base_url(endpoint: &str) -> String {
    let endpoint = endpoint.trim().trim_end_matches('/');
    if endpoint.contains("://") {
        endpoint.to_owned()
    } else {
        format!("https://{endpoint}")
    }
}

/// The client of STS calls signed with `source`: v1 (the RPC signature the official
/// credential tools use), 5 s connect and 10 s read timeouts, the standard retries, from
/// `base` when given (TLS roots, proxies, timeouts).
pub(crate) fn client(
    provider: &'static str,
    endpoint: &str,
    source: Arc<dyn ProvideCredentials>,
    base: Option<ConfigBuilder>,
) -> Result<Runtime, CredentialsError> {
    let builder = base.unwrap_or_else(|| {
        Config::builder()
            .connect_timeout(Duration::from_secs(5))
            .read_timeout(Duration::from_secs(10))
    });
    let config = builder
        .endpoint(endpoint)
        .signature_version(SignatureVersion::V1)
        .credentials_provider(source)
        .build();
    Runtime::new(config).map_err(|e| CredentialsError::Invalid {
        provider,
        message: format!("the STS endpoint {endpoint:?} cannot be used: {e}"),
    })
}

/// What `AssumeRole` asks for.
pub(crate) struct AssumeRole<'a> {
    pub(crate) role_arn: &'a str,
    pub(crate) session_name: &'a str,
    pub(crate) duration_seconds: u32,
    pub(crate) policy: Option<&'a str>,
    pub(crate) external_id: Option<&'a str>,
}

/// Calls `AssumeRole` through `sts` and returns the temporary credentials, reported as
/// `provider`. A failure of the source credentials is returned as it is; an STS error names the
/// endpoint, the code, the message and the request id, never a secret.
pub(crate) async fn assume_role(
    sts: &Runtime,
    provider: &'static str,
    request: &AssumeRole<'_>,
) -> Result<Credentials, CredentialsError> {
    let mut params = Params::default();
    let mut add = |key: &str, value: &str| params.body.push((key.into(), value.into()));
    add("RoleArn", request.role_arn);
    add("RoleSessionName", request.session_name);
    add("DurationSeconds", &request.duration_seconds.to_string());
    if let Some(policy) = request.policy.filter(|p| !p.is_empty()) {
        add("Policy", policy);
    }
    if let Some(external_id) = request.external_id.filter(|e| !e.is_empty()) {
        add("ExternalId", external_id);
    }
    let url = http::display_url(&sts.endpoint().base_url());
    // Assuming a role again is harmless: retried like a read.
    let raw = sts
        .invoke_raw(
            "AssumeRole",
            STS_API_VERSION,
            true,
            OperationKind::Read,
            params,
        )
        .await
        .map_err(|e| match e.into_credentials_error() {
            Ok(source) => source,
            Err(e) => CredentialsError::Request {
                provider,
                url: url.clone(),
                message: format!("AssumeRole of {}: {e}", request.role_arn),
            },
        })?;
    let invalid = |message: String| CredentialsError::InvalidResponse {
        provider,
        url: url.clone(),
        message,
    };
    let value: Value = serde_json::from_slice(raw.body()).map_err(|e| {
        invalid(format!(
            "not JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let Some(creds) = value.get("Credentials").and_then(Value::as_object) else {
        return Err(invalid("no `Credentials` object".to_owned()));
    };
    http::credentials_from_fields(creds, provider).map_err(invalid)
}
