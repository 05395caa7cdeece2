//! Tests of `hbr_runtime::credentials`: static keys, the environment, the credentials URI,
//! OIDC (RRSA), the default chain and redaction, against temporary files and local HTTP
//! servers. Nothing here reads or changes the process environment, and nothing talks to a
//! real Alibaba Cloud endpoint. The ECS role and the profile files have files of their own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credentials_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use hbr_runtime::credentials::{
    CliProfileProvider, Credentials, CredentialsError, CredentialsUriProvider,
    DefaultCredentialsChain, EcsRamRoleProvider, EnvProvider, IniFileProvider, OidcProvider,
    ProvideCredentials, Secret,
};
use time::Duration;

use credentials_support::*;

// ---------------------------------------------------------------------------------------
// Static credentials and the environment provider.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn static_credentials_provide_themselves() {
    let creds = Credentials::new("id", AK_SECRET);
    let got = creds.provide_credentials().await.unwrap();
    assert_eq!(got.provider_name(), "static_ak");
    assert_eq!(got.access_key_secret().expose(), AK_SECRET);
    assert!(got.security_token().is_none());

    let sts = Credentials::new("id", AK_SECRET).with_security_token(STATIC_TOKEN);
    assert_eq!(sts.provider_name(), "static_sts");
    assert_eq!(sts.security_token().unwrap().expose(), STATIC_TOKEN);

    let dynamic: Arc<dyn ProvideCredentials> = Arc::new(sts);
    assert_eq!(
        dynamic.provide_credentials().await.unwrap().provider_name(),
        "static_sts"
    );
}

#[tokio::test]
async fn env_provider_reads_the_three_variables() {
    let home = tempfile::tempdir().unwrap();
    let e = env(
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", AK_SECRET),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", STATIC_TOKEN),
        ],
        home.path(),
    );
    let creds = EnvProvider::new(e).provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "env-id");
    assert_eq!(creds.access_key_secret().expose(), AK_SECRET);
    assert_eq!(creds.security_token().unwrap().expose(), STATIC_TOKEN);
    assert_eq!(creds.provider_name(), "env");

    let missing = EnvProvider::new(env(&[], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(missing.is_not_configured());
    assert_eq!(
        missing.to_string(),
        "env: ALIBABA_CLOUD_ACCESS_KEY_ID not set"
    );

    let half = EnvProvider::new(env(
        &[("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")],
        home.path(),
    ))
    .provide_credentials()
    .await
    .unwrap_err();
    assert!(matches!(
        half,
        CredentialsError::Incomplete {
            provider: "env",
            ..
        }
    ));
    assert!(half.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"));
}

// ---------------------------------------------------------------------------------------
// Credentials URI.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn credentials_uri_fetches_and_caches() {
    let home = tempfile::tempdir().unwrap();
    let issued = Arc::new(AtomicUsize::new(0));
    let server = Server::start(Arc::new(move |req: &Request| {
        if req.method != "GET" || req.path != "/creds?key=value" {
            return (404, String::new());
        }
        let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
        (
            200,
            credentials_json(&format!("URI.id-{n}"), Duration::hours(1)),
        )
    }))
    .await;
    let uri = format!("{}/creds?key=value", server.url);
    let provider =
        CredentialsUriProvider::new(env(&[("ALIBABA_CLOUD_CREDENTIALS_URI", &uri)], home.path()));
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "URI.id-1");
    assert_eq!(creds.provider_name(), "credential_uri");
    assert_eq!(creds.security_token().unwrap().expose(), STS_TOKEN);
    let again = provider.provide_credentials().await.unwrap();
    assert_eq!(again.access_key_id(), "URI.id-1");
    assert_eq!(server.count(), 1);

    let unset = CredentialsUriProvider::new(env(&[], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        unset.to_string(),
        "credential_uri: ALIBABA_CLOUD_CREDENTIALS_URI not set"
    );
}

#[tokio::test]
async fn credentials_uri_errors_hide_the_query_string() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(Arc::new(|_: &Request| (500, "{}".to_owned()))).await;
    let uri = format!("{}/creds?signature=query-secret-0a9b", server.url);
    let err = CredentialsUriProvider::new(env(&[], home.path()))
        .with_uri(&uri)
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("HTTP 500"), "{text}");
    assert!(text.contains("/creds"), "{text}");
    assert!(!text.contains("query-secret-0a9b"), "{text}");
    assert!(!format!("{err:?}").contains("query-secret-0a9b"));
}

// ---------------------------------------------------------------------------------------
// OIDC / RRSA.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn oidc_assumes_the_role_with_the_token_file() {
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("oidc-token");
    write(&token_file, "oidc-jwt-value-4455\n");
    let server = Server::start(Arc::new(|req: &Request| {
        if req.method != "POST" || !req.path.starts_with("/?Action=AssumeRoleWithOIDC&") {
            return (404, String::new());
        }
        let creds: serde_json::Value =
            serde_json::from_str(&credentials_json("STS.oidc-id", Duration::hours(1))).unwrap();
        (
            200,
            serde_json::json!({"RequestId": "R", "Credentials": creds}).to_string(),
        )
    }))
    .await;
    let e = env(
        &[
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::123:role/r"),
            (
                "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                "acs:ram::123:oidc-provider/p",
            ),
            (
                "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                token_file.to_str().unwrap(),
            ),
            ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "session-1"),
        ],
        home.path(),
    );
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let provider = OidcProvider::new(e)
        .with_sts_endpoint(&server.url)
        .with_http_client(client);
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "STS.oidc-id");
    assert_eq!(creds.provider_name(), "oidc_role_arn");
    assert_eq!(creds.security_token().unwrap().expose(), STS_TOKEN);
    provider.provide_credentials().await.unwrap();
    assert_eq!(server.count(), 1, "cached");

    let request = &server.requests()[0];
    assert!(
        request.path.contains("Version=2015-04-01"),
        "{}",
        request.path
    );
    assert!(request.path.contains("Format=JSON"));
    assert!(request.path.contains("Timestamp="));
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let body = &request.body;
    assert!(
        body.contains("RoleArn=acs%3Aram%3A%3A123%3Arole%2Fr"),
        "{body}"
    );
    assert!(body.contains("OIDCToken=oidc-jwt-value-4455&"), "{body}");
    assert!(body.contains("RoleSessionName=session-1"), "{body}");
    assert!(body.contains("DurationSeconds=3600"), "{body}");

    let err = OidcProvider::new(env(&[("ALIBABA_CLOUD_ROLE_ARN", "x")], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "oidc_role_arn: ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE not set"
    );
}

#[tokio::test]
async fn oidc_sts_error_is_reported_with_code_and_message() {
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("oidc-token");
    write(&token_file, "oidc-jwt-value-4455");
    let server = Server::start(Arc::new(|_: &Request| {
        (
            400,
            r#"{"Code":"AuthenticationFail.OIDCToken.Expired","Message":"token expired"}"#
                .to_owned(),
        )
    }))
    .await;
    let e = env(
        &[
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::123:role/r"),
            (
                "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                "acs:ram::123:oidc-provider/p",
            ),
            (
                "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                token_file.to_str().unwrap(),
            ),
        ],
        home.path(),
    );
    let err = OidcProvider::new(e)
        .with_sts_endpoint(&server.url)
        .with_http_client(reqwest::Client::builder().no_proxy().build().unwrap())
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("HTTP 400, Code AuthenticationFail.OIDCToken.Expired: token expired"),
        "{text}"
    );
    assert!(!text.contains("oidc-jwt-value-4455"));
    assert!(!text.contains("Timestamp="), "query string hidden: {text}");
}

// ---------------------------------------------------------------------------------------
// The default chain.
// ---------------------------------------------------------------------------------------

const ENV_AK: [(&str, &str); 2] = [
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", AK_SECRET),
];

#[tokio::test]
async fn chain_order_env_then_cli_then_ini_then_ecs_then_uri() {
    let home = tempfile::tempdir().unwrap();
    let server = metadata_server(true, Duration::hours(6)).await;
    let uri_server = Server::start(Arc::new(|_: &Request| {
        (200, credentials_json("URI.id", Duration::hours(6)))
    }))
    .await;
    let uri = format!("{}/creds", uri_server.url);
    let chain_for = |vars: &[(&str, &str)]| {
        DefaultCredentialsChain::builder(env(vars, home.path()))
            .ecs_metadata_endpoint(&server.url)
            .build()
    };

    // Only the URI (ECS disabled).
    let creds = chain_for(&[ECS_OFF, ("ALIBABA_CLOUD_CREDENTIALS_URI", &uri)])
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.provider_name(), "default/credential_uri");

    // ECS beats the URI.
    let creds = chain_for(&[("ALIBABA_CLOUD_CREDENTIALS_URI", &uri)])
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.provider_name(), "default/ecs_ram_role");
    assert_eq!(creds.access_key_id(), "STS.id-1");

    // The INI file beats ECS.
    ini_file(&home.path().join(".alibabacloud/credentials"));
    let creds = chain_for(&[]).provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "default/profile/static_ak");

    // The CLI profile beats the INI file.
    cli_config(home.path(), "default");
    let creds = chain_for(&[]).provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "default/cli_profile/static_ak");
    assert_eq!(creds.access_key_id(), "cli-ak-id");

    // ...unless disabled.
    let creds = chain_for(&[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")])
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.provider_name(), "default/profile/static_ak");

    // The environment beats everything.
    let creds = chain_for(&ENV_AK).provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "default/env");
    assert_eq!(creds.access_key_id(), "env-id");
}

#[tokio::test]
async fn chain_passes_over_a_failing_provider_and_reuses_the_first_success() {
    let home = tempfile::tempdir().unwrap();
    cli_config(home.path(), "sso"); // unsupported mode: fails, the chain moves on
    ini_file(&home.path().join(".alibabacloud/credentials"));
    let chain = DefaultCredentialsChain::new(env(&[ECS_OFF], home.path()));
    let creds = chain.provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "default/profile/static_ak");

    // Once chosen, the INI provider is asked directly: a now-valid CLI profile is ignored...
    cli_config(home.path(), "default");
    let creds = chain.provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "default/profile/static_ak");

    // ...and its own errors come back as they are, not as NotFound.
    std::fs::remove_file(home.path().join(".alibabacloud/credentials")).unwrap();
    let err = chain.provide_credentials().await.unwrap_err();
    assert!(err.is_not_configured(), "{err}");
    assert_eq!(err.provider(), Some("profile"));
}

#[tokio::test]
async fn chain_not_found_names_every_provider_and_why() {
    let home = tempfile::tempdir().unwrap();
    let chain = DefaultCredentialsChain::new(env(&[ECS_OFF], home.path()));
    let err = chain.provide_credentials().await.unwrap_err();
    let CredentialsError::NotFound { attempts } = &err else {
        panic!("expected NotFound, got {err:?}");
    };
    let providers: Vec<_> = attempts.iter().map(|a| a.provider().unwrap()).collect();
    assert_eq!(
        providers,
        [
            "env",
            "oidc_role_arn",
            "cli_profile",
            "profile",
            "ecs_ram_role",
            "credential_uri"
        ]
    );
    let h = home.path().display();
    let expected = format!(
        "no credentials found: \
         env: ALIBABA_CLOUD_ACCESS_KEY_ID not set; \
         oidc_role_arn: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE not set; \
         cli_profile: {h}/.aliyun/config.json not found; \
         profile: neither {h}/.alibabacloud/credentials nor {h}/.alibabacloud/credentials.ini found; \
         ecs_ram_role: disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true; \
         credential_uri: ALIBABA_CLOUD_CREDENTIALS_URI not set"
    );
    assert_eq!(err.to_string(), expected);
}

#[tokio::test]
async fn chain_fails_fast_when_the_metadata_endpoint_is_unreachable() {
    let home = tempfile::tempdir().unwrap();
    let dead = dead_endpoint().await;
    let chain = DefaultCredentialsChain::builder(env(&[], home.path()))
        .ecs_metadata_endpoint(&dead)
        .build();
    let started = Instant::now();
    let err = chain.provide_credentials().await.unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let text = err.to_string();
    assert!(
        text.contains(&format!("ecs_ram_role: {dead} is unreachable")),
        "{text}"
    );
}

#[tokio::test]
async fn chain_with_oidc_variables_uses_oidc() {
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("token");
    write(&token_file, "jwt");
    cli_config(home.path(), "default");
    let server = Server::start(Arc::new(|_: &Request| {
        let creds: serde_json::Value =
            serde_json::from_str(&credentials_json("STS.oidc", Duration::hours(1))).unwrap();
        (200, serde_json::json!({ "Credentials": creds }).to_string())
    }))
    .await;
    let chain = DefaultCredentialsChain::builder(env(
        &[
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r"),
            (
                "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                "acs:ram::1:oidc-provider/p",
            ),
            (
                "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                token_file.to_str().unwrap(),
            ),
        ],
        home.path(),
    ))
    .sts_endpoint(&server.url)
    .build();
    let creds = chain.provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "default/oidc_role_arn");
}

// ---------------------------------------------------------------------------------------
// Redaction.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let home = tempfile::tempdir().unwrap();
    let secrets = [AK_SECRET, STATIC_TOKEN, STS_SECRET, STS_TOKEN];
    let mut rendered: Vec<String> = Vec::new();
    let mut render_debug = |label: &str, text: String| rendered.push(format!("{label}: {text}"));

    let secret = Secret::new(AK_SECRET);
    render_debug("secret", format!("{secret:?} {secret} {secret:#?}"));

    let mut creds = vec![
        Credentials::new("id", AK_SECRET),
        Credentials::new("id", AK_SECRET).with_security_token(STATIC_TOKEN),
    ];
    let e = env(
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", AK_SECRET),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", STATIC_TOKEN),
        ],
        home.path(),
    );
    render_debug("environment", format!("{e:?} {e:#?}"));
    creds.push(
        EnvProvider::new(e.clone())
            .provide_credentials()
            .await
            .unwrap(),
    );
    let chain = DefaultCredentialsChain::new(e);
    creds.push(chain.provide_credentials().await.unwrap());
    render_debug("chain", format!("{chain:?}"));

    let server = metadata_server(true, Duration::hours(6)).await;
    let ecs = EcsRamRoleProvider::new(env(&[], home.path())).with_endpoint(&server.url);
    creds.push(ecs.provide_credentials().await.unwrap());
    render_debug("ecs provider", format!("{ecs:?} {ecs:#?}"));

    for c in &creds {
        render_debug("credentials", format!("{c:?} {c:#?}"));
        render_debug(
            "secret field",
            format!("{} {:?}", c.access_key_secret(), c.access_key_secret()),
        );
        if let Some(t) = c.security_token() {
            render_debug("token field", format!("{t} {t:?}"));
        }
    }

    // Every kind of error the providers produce, with secrets present in their inputs.
    cli_config(home.path(), "sso");
    ini_file(&home.path().join(".alibabacloud/credentials"));
    let bad_code = Server::start(Arc::new(|_: &Request| {
        (
            200,
            credentials_json("id", Duration::hours(1)).replace("Success", "Denied"),
        )
    }))
    .await;
    let dead = dead_endpoint().await;
    let empty_home = tempfile::tempdir().unwrap();
    let errors = vec![
        CliProfileProvider::new(env(&[], home.path()))
            .provide_credentials()
            .await
            .unwrap_err(),
        IniFileProvider::new(env(&[("ALIBABA_CLOUD_PROFILE", "rsa")], home.path()))
            .provide_credentials()
            .await
            .unwrap_err(),
        EcsRamRoleProvider::new(env(&[], home.path()))
            .with_endpoint(&bad_code.url)
            .provide_credentials()
            .await
            .unwrap_err(),
        CredentialsUriProvider::new(env(&[], home.path()))
            .with_uri(format!("{}/x?t={STS_TOKEN}", bad_code.url))
            .provide_credentials()
            .await
            .unwrap_err(),
        CredentialsUriProvider::new(env(&[], home.path()))
            .with_uri(format!("{dead}/x?t={STS_TOKEN}"))
            .provide_credentials()
            .await
            .unwrap_err(),
        EnvProvider::new(env(
            &[("ALIBABA_CLOUD_ACCESS_KEY_SECRET", AK_SECRET)],
            home.path(),
        ))
        .provide_credentials()
        .await
        .unwrap_err(),
        DefaultCredentialsChain::builder(env(
            &[("ALIBABA_CLOUD_SECURITY_TOKEN", STATIC_TOKEN)],
            empty_home.path(),
        ))
        .ecs_metadata_endpoint(&bad_code.url)
        .build()
        .provide_credentials()
        .await
        .unwrap_err(),
    ];
    for err in &errors {
        render_debug("error", format!("{err} {err:?} {err:#?}"));
    }

    for text in &rendered {
        for s in secrets {
            assert!(!text.contains(s), "secret {s:?} leaked in {text}");
        }
    }
    assert!(rendered.iter().any(|t| t.contains("** redacted **")));
}
