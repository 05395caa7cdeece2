//! Configuration: endpoints and protocols, the environment, the user agent, the defaults.
//! Nothing here reads or changes the process environment.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client_support;

use std::time::Duration;

use client_support::*;
use hbr_runtime::client::{Config, ConfigBuilder, ErrorKind, Protocol, RetryConfig, Runtime};
use hbr_runtime::credentials::Environment;
use hbr_runtime::signing::SignatureVersion;

#[test]
fn defaults_match_the_official_sdks() {
    let config = Config::builder().build();
    assert_eq!(config.connect_timeout(), Duration::from_secs(5));
    assert_eq!(config.read_timeout(), Duration::from_secs(10));
    assert_eq!(config.attempt_timeout(), None);
    assert_eq!(config.operation_timeout(), None);
    assert_eq!(config.signature_version(), SignatureVersion::V3);
    assert_eq!(config.retry(), &RetryConfig::standard());
    assert_eq!(config.retry().max_attempts(), 3);
    assert_eq!(config.retry().base_delay(), Duration::from_millis(100));
    assert!(config.credentials().is_none(), "the default chain is used");
}

#[test]
fn the_regional_endpoint_is_https() {
    let runtime = Runtime::new(Config::builder().region("cn-hangzhou").build()).unwrap();
    assert_eq!(
        runtime.endpoint().base_url(),
        "https://hbr.cn-hangzhou.aliyuncs.com/"
    );
    let vpc = Config::builder()
        .region("cn-shanghai")
        .network("vpc")
        .build();
    assert_eq!(
        vpc.endpoint().unwrap().authority(),
        "hbr-vpc.cn-shanghai.aliyuncs.com"
    );
    let http = Config::builder()
        .region("cn-hangzhou")
        .protocol(Protocol::Http)
        .build();
    assert_eq!(
        http.endpoint().unwrap().base_url(),
        "http://hbr.cn-hangzhou.aliyuncs.com/"
    );
}

#[test]
fn explicit_endpoints() {
    let cases = [
        ("127.0.0.1:8080", None, Protocol::Https, "127.0.0.1:8080"),
        (
            "127.0.0.1:8080",
            Some(Protocol::Http),
            Protocol::Http,
            "127.0.0.1:8080",
        ),
        (
            "http://127.0.0.1:8080",
            None,
            Protocol::Http,
            "127.0.0.1:8080",
        ),
        (
            "http://127.0.0.1:8080/",
            Some(Protocol::Http),
            Protocol::Http,
            "127.0.0.1:8080",
        ),
        (
            "https://hbr.example.test",
            None,
            Protocol::Https,
            "hbr.example.test",
        ),
    ];
    for (endpoint, protocol, want_protocol, want_authority) in cases {
        let mut builder = Config::builder().region("cn-hangzhou").endpoint(endpoint);
        if let Some(p) = protocol {
            builder = builder.protocol(p);
        }
        let resolved = builder.build().endpoint().unwrap();
        assert_eq!(resolved.protocol(), want_protocol, "{endpoint}");
        assert_eq!(resolved.authority(), want_authority, "{endpoint}");
    }
}

#[test]
fn bad_configurations_are_clear_errors() {
    let err = Runtime::new(Config::builder().build()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    let text = err.to_string();
    assert!(
        text.contains("no region and no endpoint") && text.contains("ALIBABA_CLOUD_REGION_ID"),
        "{text}"
    );

    let bad: Vec<ConfigBuilder> = vec![
        Config::builder()
            .endpoint("http://127.0.0.1:8080")
            .protocol(Protocol::Https),
        Config::builder().endpoint("ftp://127.0.0.1"),
        Config::builder().endpoint("http://127.0.0.1:8080/path"),
        Config::builder().endpoint("user@127.0.0.1"),
        Config::builder().region("cn hangzhou"),
        Config::builder().region("cn-hangzhou.evil.test/"),
        Config::builder()
            .region("cn-hangzhou")
            .user_agent_suffix("bad\nheader"),
    ];
    for builder in bad {
        let err = Runtime::new(builder.build()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration, "{err}");
    }
}

#[test]
fn the_environment_gives_region_and_user_agent() {
    let env = Environment::from_map(
        [
            ("ALIBABA_CLOUD_REGION_ID", "cn-beijing"),
            ("ALIBABA_CLOUD_USER_AGENT", "my-tool/2.0"),
        ],
        None,
    );
    let config = ConfigBuilder::from_environment(&env).build();
    assert_eq!(config.region(), Some("cn-beijing"));
    assert!(config.credentials().is_some());
    let ua = config.user_agent();
    assert!(
        ua.starts_with(&format!("hbr-rs/{} (", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
    assert!(ua.ends_with(") Rust my-tool/2.0"), "{ua}");
    assert_eq!(
        Runtime::new(config).unwrap().endpoint().authority(),
        "hbr.cn-beijing.aliyuncs.com"
    );
}

#[test]
fn the_cli_profile_region_is_the_fallback() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun").join("config.json"),
        r#"{"current":"dev","profiles":[{"name":"dev","mode":"AK","access_key_id":"id","access_key_secret":"s","region_id":"cn-shenzhen"}]}"#,
    )
    .unwrap();
    let env = Environment::from_map(
        Vec::<(String, String)>::new(),
        Some(home.path().to_path_buf()),
    );
    assert_eq!(
        ConfigBuilder::from_environment(&env).build().region(),
        Some("cn-shenzhen")
    );

    let env = Environment::from_map(
        [("ALIBABA_CLOUD_REGION_ID", "ap-southeast-1")],
        Some(home.path().to_path_buf()),
    );
    assert_eq!(
        ConfigBuilder::from_environment(&env).build().region(),
        Some("ap-southeast-1")
    );
}

#[test]
fn builder_overrides_after_from_environment() {
    let env = Environment::from_map([("ALIBABA_CLOUD_REGION_ID", "cn-beijing")], None);
    let config = ConfigBuilder::from_environment(&env)
        .endpoint("http://127.0.0.1:9")
        .signature_version(SignatureVersion::V1)
        .build();
    let again = config
        .to_builder()
        .read_timeout(Duration::from_secs(1))
        .build();
    assert_eq!(again.endpoint().unwrap().base_url(), "http://127.0.0.1:9/");
    assert_eq!(again.signature_version(), SignatureVersion::V1);
    assert_eq!(again.read_timeout(), Duration::from_secs(1));
}

#[tokio::test]
async fn the_user_agent_suffix_is_sent() {
    let server = TestServer::start(|_, _| ok_reply("R")).await;
    let runtime = Runtime::new(config_for(&server).user_agent_suffix("suffix/1").build()).unwrap();
    runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.header("user-agent"), Some(runtime.user_agent()));
    assert!(runtime.user_agent().ends_with(" suffix/1"));
    req.verify().unwrap();
}

#[tokio::test]
async fn an_https_endpoint_is_not_downgraded() {
    // A plain-HTTP server addressed without a scheme: the client speaks TLS, the server
    // waits for an HTTP request that never comes, and the handshake (part of connecting)
    // times out. Nothing is sent in clear text.
    let server = TestServer::start(|_, _| ok_reply("R")).await;
    let runtime = Runtime::new(
        config_for_endpoint(&server.addr.to_string())
            .connect_timeout(Duration::from_millis(300))
            .retry(RetryConfig::disabled())
            .build(),
    )
    .unwrap();
    assert_eq!(runtime.endpoint().protocol(), Protocol::Https);
    let err = runtime
        .execute(&ListThings::<false>::default())
        .await
        .unwrap_err();
    assert_eq!(
        err.timeout(),
        Some(hbr_runtime::client::TimeoutKind::Connect),
        "{err}"
    );
    assert_eq!(server.count(), 0);
}
