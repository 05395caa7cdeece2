//! Tests of the profile-file providers: `~/.aliyun/config.json` (the CLI profile) and the
//! INI credentials file, in a temporary home.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credentials_support;

use hbr_runtime::credentials::{
    cli_profile_region, CliProfileProvider, CredentialsError, IniFileProvider, ProvideCredentials,
};
use time::Duration;

use credentials_support::*;

// ---------------------------------------------------------------------------------------
// CLI profile.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn cli_profile_modes() {
    let home = tempfile::tempdir().unwrap();
    cli_config(home.path(), "default");

    let ak = CliProfileProvider::new(env(&[], home.path()))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(ak.access_key_id(), "cli-ak-id");
    assert_eq!(ak.access_key_secret().expose(), AK_SECRET);
    assert_eq!(ak.provider_name(), "cli_profile/static_ak");

    let sts = CliProfileProvider::new(env(&[("ALIBABA_CLOUD_PROFILE", "sts")], home.path()))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(sts.access_key_id(), "cli-sts-id");
    assert_eq!(sts.security_token().unwrap().expose(), STATIC_TOKEN);
    assert_eq!(sts.provider_name(), "cli_profile/static_sts");

    let server = metadata_server(true, Duration::hours(6)).await;
    let ecs = CliProfileProvider::new(env(&[("ALIBABA_CLOUD_PROFILE", "ecs")], home.path()))
        .with_ecs_metadata_endpoint(&server.url);
    let creds = ecs.provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "cli_profile/ecs_ram_role");
    assert_eq!(creds.access_key_id(), "STS.id-1");
    // ram_role_name comes from the profile: no listing request; later calls hit the cache.
    ecs.provide_credentials().await.unwrap();
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/latest/api/token",
            "/latest/meta-data/ram/security-credentials/TestRole"
        ]
    );
}

#[tokio::test]
async fn delegated_ecs_errors_name_the_profile_provider() {
    let home = tempfile::tempdir().unwrap();
    cli_config(home.path(), "ecs");
    ini_file(&home.path().join(".alibabacloud/credentials"));
    let dead = dead_endpoint().await;

    let err = CliProfileProvider::new(env(&[], home.path()))
        .with_ecs_metadata_endpoint(&dead)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.provider(), Some("cli_profile/ecs_ram_role"));
    assert!(
        err.to_string()
            .starts_with(&format!("cli_profile/ecs_ram_role: {dead} is unreachable")),
        "{err}"
    );

    let err = IniFileProvider::new(env(
        &[("ALIBABA_CLOUD_PROFILE", "ecs"), ECS_OFF],
        home.path(),
    ))
    .provide_credentials()
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "profile/ecs_ram_role: disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"
    );
}

#[tokio::test]
async fn cli_profile_unsupported_mode_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    cli_config(home.path(), "sso");
    let err = CliProfileProvider::new(env(&[], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    match &err {
        CredentialsError::UnsupportedMode { profile, mode } => {
            assert_eq!(profile, "sso");
            assert_eq!(mode, "CloudSSO");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "cli_profile: profile `sso` uses mode `CloudSSO`, which is not supported \
         (supported modes: AK, StsToken, EcsRamRole, RamRoleArn, ChainableRamRoleArn, OIDC)"
    );

    let err = CliProfileProvider::new(env(&[("ALIBABA_CLOUD_PROFILE", "nomode")], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("profile `nomode` has no `mode`"),
        "{err}"
    );

    let err = CliProfileProvider::new(env(&[("ALIBABA_CLOUD_PROFILE", "ghost")], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::InvalidConfig { .. }));
    assert!(
        err.to_string().contains("no profile named `ghost`"),
        "{err}"
    );
}

#[tokio::test]
async fn cli_profile_file_variable_disable_flag_and_region() {
    let home = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    cli_config(other.path(), "sts");
    let custom = other.path().join(".aliyun/config.json");
    let custom = custom.to_str().unwrap();

    let e = env(&[("ALIBABA_CLOUD_CONFIG_FILE", custom)], home.path());
    let creds = CliProfileProvider::new(e.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.provider_name(), "cli_profile/static_sts");
    assert_eq!(cli_profile_region(&e).as_deref(), Some("cn-shanghai"));

    // Missing file: not configured, names the path.
    let err = CliProfileProvider::new(env(&[], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    let expected = format!(
        "cli_profile: {} not found",
        home.path().join(".aliyun/config.json").display()
    );
    assert_eq!(err.to_string(), expected);
    assert_eq!(cli_profile_region(&env(&[], home.path())), None);

    let disabled = env(
        &[
            ("ALIBABA_CLOUD_CONFIG_FILE", custom),
            ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
        ],
        home.path(),
    );
    let err = CliProfileProvider::new(disabled.clone())
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cli_profile: disabled by ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true"
    );
    assert_eq!(cli_profile_region(&disabled), None);

    // Broken JSON: the position, not the content.
    write(
        &home.path().join(".aliyun/config.json"),
        &format!("{{\"current\": \"{AK_SECRET}"),
    );
    let err = CliProfileProvider::new(env(&[], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not valid JSON"), "{err}");
    assert!(!err.to_string().contains(AK_SECRET));
}

// ---------------------------------------------------------------------------------------
// INI file.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn ini_file_locations_and_sections() {
    let home = tempfile::tempdir().unwrap();

    // credentials.ini (Python's default) is used when credentials is absent.
    ini_file(&home.path().join(".alibabacloud/credentials.ini"));
    let creds = IniFileProvider::new(env(&[], home.path()))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ini-ak-id");
    assert_eq!(creds.access_key_secret().expose(), AK_SECRET);
    assert_eq!(creds.provider_name(), "profile/static_ak");

    // credentials (Go's default) wins over credentials.ini.
    write(
        &home.path().join(".alibabacloud/credentials"),
        "[default]\ntype=access_key\naccess_key_id=go-id\naccess_key_secret=s\n",
    );
    let creds = IniFileProvider::new(env(&[], home.path()))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "go-id");

    // ALIBABA_CLOUD_CREDENTIALS_FILE overrides both.
    let other = tempfile::tempdir().unwrap();
    let custom = other.path().join("creds.ini");
    ini_file(&custom);
    let e = env(
        &[("ALIBABA_CLOUD_CREDENTIALS_FILE", custom.to_str().unwrap())],
        home.path(),
    );
    let creds = IniFileProvider::new(e).provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ini-ak-id");

    // A named file that does not exist is an error, not a silent skip.
    let e = env(
        &[("ALIBABA_CLOUD_CREDENTIALS_FILE", "/nonexistent/creds")],
        home.path(),
    );
    let err = IniFileProvider::new(e)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::InvalidConfig { .. }));

    // Nothing at all: not configured, both candidates named.
    let empty = tempfile::tempdir().unwrap();
    let err = IniFileProvider::new(env(&[], empty.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    let text = err.to_string();
    assert!(text.starts_with("profile: neither "), "{text}");
    assert!(text.contains("credentials.ini"), "{text}");
}

#[tokio::test]
async fn ini_file_ecs_role_and_unsupported_type() {
    let home = tempfile::tempdir().unwrap();
    ini_file(&home.path().join(".alibabacloud/credentials"));
    let server = metadata_server(true, Duration::hours(6)).await;

    let creds = IniFileProvider::new(env(&[("ALIBABA_CLOUD_PROFILE", "ecs")], home.path()))
        .with_ecs_metadata_endpoint(&server.url)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.provider_name(), "profile/ecs_ram_role");
    assert_eq!(creds.access_key_id(), "STS.id-1");

    let err = IniFileProvider::new(env(&[("ALIBABA_CLOUD_PROFILE", "rsa")], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(
        &err,
        CredentialsError::UnsupportedType { section, kind } if section == "rsa" && kind == "rsa_key_pair"
    ));
    assert_eq!(
        err.to_string(),
        "profile: section `rsa` has type `rsa_key_pair`, which is not supported \
         (supported types: access_key, ecs_ram_role, ram_role_arn, oidc_role_arn)"
    );

    let err = IniFileProvider::new(env(&[("ALIBABA_CLOUD_PROFILE", "nope")], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no section [nope]"), "{err}");

    // Syntax errors give a line number, never the line.
    write(
        &home.path().join(".alibabacloud/credentials"),
        &format!("[default]\ntype = access_key\n{AK_SECRET}\n"),
    );
    let err = IniFileProvider::new(env(&[], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("line 3: expected `key = value`"), "{text}");
    assert!(!text.contains(AK_SECRET));
}
