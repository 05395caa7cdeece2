//! Role credentials: RamRoleArn (STS AssumeRole signed with the source credentials),
//! ChainableRamRoleArn, OIDC, in code, in `~/.aliyun/config.json` and in the INI file;
//! caching, refresh before expiry, one refresh in flight; the STS endpoint variable.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credentials_support;

use std::sync::Arc;

use credentials_support::*;
use hbr_runtime::credentials::{
    CliProfileProvider, Credentials, CredentialsError, DefaultCredentialsChain, IniFileProvider,
    OidcProvider, ProvideCredentials, RamRoleArnProvider,
};
use time::Duration;

const NO_DELAY: std::time::Duration = std::time::Duration::ZERO;

fn source() -> Credentials {
    Credentials::new(SOURCE_ID, SOURCE_SECRET)
}

fn hour(_: usize) -> Duration {
    Duration::hours(1)
}

#[tokio::test]
async fn ram_role_arn_assumes_the_role_signed_with_the_source_credentials() {
    let sts = FakeSts::start(hour, NO_DELAY).await;
    let policy = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"hbr:Describe*","Resource":"*"}]}"#;
    let provider = RamRoleArnProvider::builder(source(), "acs:ram::1:role/ops")
        .with_sts_endpoint(&sts.server.url)
        .with_session_name("nightly-restore")
        .with_duration_seconds(1800)
        .with_policy(policy)
        .with_external_id("ext-42")
        .build()
        .unwrap();
    let creds = provider.provide_credentials().await.unwrap();
    let (id, secret, token) = issued(1);
    assert_eq!(creds.access_key_id(), id);
    assert_eq!(creds.access_key_secret().expose(), secret);
    assert_eq!(
        creds.security_token().map(|t| t.expose()),
        Some(token.as_str())
    );
    assert_eq!(creds.provider_name(), "ram_role_arn");
    let expires = creds.expiration().unwrap() - time::OffsetDateTime::now_utc();
    assert!(expires > Duration::minutes(59) && expires <= Duration::hours(1));

    let calls = sts.calls();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(
        (call.action.as_str(), call.version.as_str()),
        ("AssumeRole", "2015-04-01")
    );
    assert_eq!(call.access_key_id, SOURCE_ID, "signed with the source key");
    assert_eq!(call.security_token, None);
    assert_eq!(call.param("RoleArn"), Some("acs:ram::1:role/ops"));
    assert_eq!(call.param("RoleSessionName"), Some("nightly-restore"));
    assert_eq!(call.param("DurationSeconds"), Some("1800"));
    assert_eq!(call.param("Policy"), Some(policy));
    assert_eq!(call.param("ExternalId"), Some("ext-42"));
    let request = &sts.server.requests()[0];
    assert!(
        request.path.contains("SignatureVersion=1.0"),
        "{}",
        request.path
    );
    assert!(request.path.contains("SignatureMethod=HMAC-SHA1"));
}

#[tokio::test]
async fn assumed_credentials_are_cached_and_refreshed_before_they_expire() {
    // The first session ends in 2 minutes (inside the 3-minute margin), the next in an hour.
    let sts = FakeSts::start(
        |n| {
            if n == 1 {
                Duration::minutes(2)
            } else {
                Duration::hours(1)
            }
        },
        NO_DELAY,
    )
    .await;
    let provider = RamRoleArnProvider::builder(source(), "acs:ram::1:role/ops")
        .with_sts_endpoint(&sts.server.url)
        .build()
        .unwrap();
    let first = provider.provide_credentials().await.unwrap();
    let second = provider.provide_credentials().await.unwrap();
    let third = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), issued(1).0);
    assert_eq!(
        second.access_key_id(),
        issued(2).0,
        "refreshed before expiry"
    );
    assert_eq!(third.access_key_id(), issued(2).0, "then cached");
    assert_eq!(sts.calls().len(), 2);
    // The default session duration is an hour, the session name hbr-rs-<time>.
    let call = &sts.calls()[0];
    assert_eq!(call.param("DurationSeconds"), Some("3600"));
    assert!(call
        .param("RoleSessionName")
        .unwrap()
        .starts_with("hbr-rs-"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_requests_at_once_share_one_assume_role() {
    let sts = FakeSts::start(hour, std::time::Duration::from_millis(150)).await;
    let provider = Arc::new(
        RamRoleArnProvider::builder(source(), "acs:ram::1:role/ops")
            .with_sts_endpoint(&sts.server.url)
            .build()
            .unwrap(),
    );
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let provider = Arc::clone(&provider);
            tokio::spawn(async move { provider.provide_credentials().await.unwrap() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().access_key_id(), issued(1).0);
    }
    assert_eq!(sts.calls().len(), 1, "one refresh in flight");
}

#[tokio::test]
async fn a_refused_assume_role_says_why_and_shows_no_secret() {
    let sts = FakeSts::start(hour, NO_DELAY).await;
    let provider = RamRoleArnProvider::builder(source(), "acs:ram::1:role/denied")
        .with_sts_endpoint(&sts.server.url)
        .build()
        .unwrap();
    let err = provider.provide_credentials().await.unwrap_err();
    assert_eq!(err.provider(), Some("ram_role_arn"));
    let text = err.to_string();
    assert!(matches!(err, CredentialsError::Request { .. }), "{err:?}");
    assert!(
        text.contains("AssumeRole of acs:ram::1:role/denied"),
        "{text}"
    );
    assert!(text.contains("NoPermission.RoleArn (HTTP 403)"), "{text}");
    assert!(text.contains("STS-REQ-1"), "{text}");
    assert!(!format!("{text} {err:?} {provider:?}").contains(SOURCE_SECRET));
}

#[tokio::test]
async fn bad_settings_are_refused_when_built() {
    let err = RamRoleArnProvider::builder(source(), "acs:ram::1:role/ops")
        .with_duration_seconds(600)
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "ram_role_arn: the session duration must be from 900 to 43200 seconds, got 600"
    );
    let err = RamRoleArnProvider::builder(source(), " ")
        .build()
        .unwrap_err();
    assert_eq!(err.to_string(), "ram_role_arn: the role ARN is empty");
    let err = RamRoleArnProvider::builder(source(), "acs:ram::1:role/ops")
        .with_sts_endpoint("ftp://sts.example")
        .build()
        .unwrap_err();
    assert!(matches!(err, CredentialsError::Invalid { .. }), "{err}");
}

#[tokio::test]
async fn the_sts_endpoint_variable_overrides_the_region() {
    let sts = FakeSts::start(hour, NO_DELAY).await;
    let home = tempfile::tempdir().unwrap();
    let env = env(
        &[
            ("ALIBABA_CLOUD_STS_ENDPOINT", &sts.server.url),
            ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "from-env"),
        ],
        home.path(),
    );
    let provider = RamRoleArnProvider::builder(source(), "acs:ram::1:role/ops")
        .with_environment(env)
        .with_sts_region("cn-nowhere")
        .build()
        .unwrap();
    assert_eq!(provider.sts_endpoint(), sts.server.url);
    provider.provide_credentials().await.unwrap();
    assert_eq!(sts.calls()[0].param("RoleSessionName"), Some("from-env"));
}

/// A config.json with role profiles; the OIDC token file beside it.
fn role_profiles(home: &std::path::Path) {
    let token_file = home.join("oidc-token");
    write(&token_file, OIDC_TOKEN);
    let config = serde_json::json!({
        "current": "role",
        "profiles": [
            {"name": "role", "mode": "RamRoleArn", "access_key_id": SOURCE_ID,
             "access_key_secret": SOURCE_SECRET, "ram_role_arn": "acs:ram::1:role/ops",
             "ram_session_name": "cli-session", "expired_seconds": 1200,
             "policy": "{\"Version\":\"1\"}", "external_id": "ext-cli", "sts_region": "cn-nowhere"},
            {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "role",
             "ram_role_arn": "acs:ram::1:role/next"},
            {"name": "loop-a", "mode": "ChainableRamRoleArn", "source_profile": "loop-b",
             "ram_role_arn": "acs:ram::1:role/a"},
            {"name": "loop-b", "mode": "ChainableRamRoleArn", "source_profile": "loop-a",
             "ram_role_arn": "acs:ram::1:role/b"},
            {"name": "denied", "mode": "RamRoleArn", "access_key_id": SOURCE_ID,
             "access_key_secret": SOURCE_SECRET, "ram_role_arn": "acs:ram::1:role/denied"},
            {"name": "oidc", "mode": "OIDC", "ram_role_arn": "acs:ram::1:role/oidc",
             "oidc_provider_arn": "acs:ram::1:oidc-provider/ack", "oidc_token_file": token_file,
             "ram_session_name": "pod", "expired_seconds": 900}
        ]
    });
    write(&home.join(".aliyun/config.json"), &config.to_string());
}

fn cli_profile(profile: &str, sts: &FakeSts, home: &std::path::Path) -> CliProfileProvider {
    CliProfileProvider::new(env(
        &[
            ("ALIBABA_CLOUD_PROFILE", profile),
            ("ALIBABA_CLOUD_STS_ENDPOINT", &sts.server.url),
        ],
        home,
    ))
}

#[tokio::test]
async fn cli_profile_ram_role_arn_mode() {
    let sts = FakeSts::start(hour, NO_DELAY).await;
    let home = tempfile::tempdir().unwrap();
    role_profiles(home.path());
    let provider = cli_profile("role", &sts, home.path());
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "cli_profile/ram_role_arn");
    assert_eq!(creds.access_key_id(), issued(1).0);
    // The provider, and its cache, are kept while the file stays the same.
    provider.provide_credentials().await.unwrap();
    let calls = sts.calls();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(call.access_key_id, SOURCE_ID);
    assert_eq!(call.param("RoleArn"), Some("acs:ram::1:role/ops"));
    assert_eq!(call.param("RoleSessionName"), Some("cli-session"));
    assert_eq!(call.param("DurationSeconds"), Some("1200"));
    assert_eq!(call.param("Policy"), Some("{\"Version\":\"1\"}"));
    assert_eq!(call.param("ExternalId"), Some("ext-cli"));
}

#[tokio::test]
async fn cli_profile_chainable_role_signs_with_the_source_profiles_role() {
    let sts = FakeSts::start(hour, NO_DELAY).await;
    let home = tempfile::tempdir().unwrap();
    role_profiles(home.path());
    let creds = cli_profile("chain", &sts, home.path())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.provider_name(), "cli_profile/ram_role_arn");
    assert_eq!(creds.access_key_id(), issued(2).0);
    let calls = sts.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].param("RoleArn"), Some("acs:ram::1:role/ops"));
    assert_eq!(calls[0].access_key_id, SOURCE_ID);
    // The second AssumeRole is signed by the first role's temporary credentials.
    assert_eq!(calls[1].param("RoleArn"), Some("acs:ram::1:role/next"));
    assert_eq!(calls[1].access_key_id, issued(1).0);
    assert_eq!(
        calls[1].security_token.as_deref(),
        Some(issued(1).2.as_str())
    );

    let err = cli_profile("loop-a", &sts, home.path())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("form a loop"), "{err}");
}

#[tokio::test]
async fn cli_profile_oidc_mode() {
    let sts = FakeSts::start(hour, NO_DELAY).await;
    let home = tempfile::tempdir().unwrap();
    role_profiles(home.path());
    let creds = cli_profile("oidc", &sts, home.path())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.provider_name(), "cli_profile/oidc_role_arn");
    assert_eq!(creds.access_key_id(), issued(1).0);
    let call = &sts.calls()[0];
    assert_eq!(call.action, "AssumeRoleWithOIDC");
    assert_eq!(call.param("RoleArn"), Some("acs:ram::1:role/oidc"));
    assert_eq!(
        call.param("OIDCProviderArn"),
        Some("acs:ram::1:oidc-provider/ack")
    );
    assert_eq!(call.param("RoleSessionName"), Some("pod"));
    assert_eq!(call.param("DurationSeconds"), Some("900"));
}

#[tokio::test]
async fn ini_ram_role_arn_and_oidc_role_arn_sections() {
    let sts = FakeSts::start(hour, NO_DELAY).await;
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("oidc-token");
    write(&token_file, OIDC_TOKEN);
    let path = home.path().join(".alibabacloud/credentials");
    write(
        &path,
        &format!(
            "[operator]\ntype = ram_role_arn\naccess_key_id = {SOURCE_ID}\n\
             access_key_secret = {SOURCE_SECRET}\nrole_arn = acs:ram::1:role/ops\n\
             role_session_name = ini-session\npolicy = {{\"Version\":\"1\"}}\n\n\
             [pod]\ntype = oidc_role_arn\nrole_arn = acs:ram::1:role/oidc\n\
             oidc_provider_arn = acs:ram::1:oidc-provider/ack\n\
             oidc_token_file_path = {}\n",
            token_file.display()
        ),
    );
    let ini = |section: &str| {
        IniFileProvider::new(env(
            &[
                ("ALIBABA_CLOUD_PROFILE", section),
                ("ALIBABA_CLOUD_STS_ENDPOINT", &sts.server.url),
            ],
            home.path(),
        ))
    };
    let creds = ini("operator").provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "profile/ram_role_arn");
    let call = &sts.calls()[0];
    assert_eq!(call.access_key_id, SOURCE_ID);
    assert_eq!(call.param("RoleSessionName"), Some("ini-session"));
    assert_eq!(call.param("DurationSeconds"), Some("3600"));
    assert_eq!(call.param("Policy"), Some("{\"Version\":\"1\"}"));

    let creds = ini("pod").provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "profile/oidc_role_arn");
    assert_eq!(sts.calls()[1].action, "AssumeRoleWithOIDC");
}

#[tokio::test]
async fn the_chain_uses_role_profiles_and_says_why_one_failed() {
    let sts = FakeSts::start(hour, NO_DELAY).await;
    let home = tempfile::tempdir().unwrap();
    role_profiles(home.path());
    let vars = |profile: &'static str| {
        env(
            &[
                ("ALIBABA_CLOUD_PROFILE", profile),
                ("ALIBABA_CLOUD_STS_ENDPOINT", &sts.server.url),
                ECS_OFF,
            ],
            home.path(),
        )
    };
    let creds = DefaultCredentialsChain::new(vars("role"))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.provider_name(), "default/cli_profile/ram_role_arn");

    let err = DefaultCredentialsChain::new(vars("denied"))
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("no credentials found: env: "), "{text}");
    assert!(
        text.contains("cli_profile/ram_role_arn: request to ")
            && text.contains("NoPermission.RoleArn"),
        "{text}"
    );
    assert!(!text.contains(SOURCE_SECRET), "{text}");
}

#[tokio::test]
async fn the_oidc_environment_honours_the_sts_endpoint_variable() {
    let sts = FakeSts::start(hour, NO_DELAY).await;
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("token");
    write(&token_file, OIDC_TOKEN);
    let token_path = token_file.display().to_string();
    let provider = OidcProvider::new(env(
        &[
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/oidc"),
            (
                "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                "acs:ram::1:oidc-provider/ack",
            ),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", &token_path),
            ("ALIBABA_CLOUD_STS_ENDPOINT", &sts.server.url),
        ],
        home.path(),
    ));
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "oidc_role_arn");
    assert_eq!(sts.calls()[0].param("DurationSeconds"), Some("3600"));
}
