//! Tests of `hbr_runtime::credentials`: every provider against temporary files and local
//! HTTP servers, the default chain, and redaction. Nothing here reads or changes the
//! process environment, and nothing talks to a real Alibaba Cloud endpoint.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use hbr_runtime::credentials::{
    cli_profile_region, CliProfileProvider, Credentials, CredentialsError, CredentialsUriProvider,
    DefaultCredentialsChain, EcsRamRoleProvider, EnvProvider, Environment, IniFileProvider,
    OidcProvider, ProvideCredentials, Secret,
};
use time::macros::format_description;
use time::{Duration, OffsetDateTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------------------
// A tiny HTTP/1.1 server.
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = Arc<dyn Fn(&Request) -> (u16, String) + Send + Sync>;

struct Server {
    url: String,
    log: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    async fn start(handler: Handler) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let log2 = Arc::clone(&log);
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&log2);
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    let (status, body) = handler(&request);
                    log.lock().unwrap().push(request);
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Self { url, log }
    }

    fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }

    fn count(&self) -> usize {
        self.log.lock().unwrap().len()
    }
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).to_string(),
    })
}

/// A URL on which nothing listens (connection refused).
async fn dead_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

// ---------------------------------------------------------------------------------------
// A fake ECS metadata service.
// ---------------------------------------------------------------------------------------

const ROLE: &str = "TestRole";
const IMDS_TOKEN: &str = "imds-token-abc";
const STS_SECRET: &str = "sts-secret-value-9f8e7d";
const STS_TOKEN: &str = "sts-security-token-1a2b3c";

fn expiration_string(lifetime: Duration) -> String {
    (OffsetDateTime::now_utc() + lifetime)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap()
}

fn credentials_json(id: &str, lifetime: Duration) -> String {
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": id,
        "AccessKeySecret": STS_SECRET,
        "SecurityToken": STS_TOKEN,
        "Expiration": expiration_string(lifetime),
        "LastUpdated": "2020-01-01T00:00:00Z",
    })
    .to_string()
}

struct Metadata {
    imdsv2: bool,
    lifetime: Duration,
    code: &'static str,
}

impl Metadata {
    fn handler(self) -> Handler {
        let issued = Arc::new(AtomicUsize::new(0));
        Arc::new(move |req: &Request| {
            let token_ok =
                !self.imdsv2 || req.header("x-aliyun-ecs-metadata-token") == Some(IMDS_TOKEN);
            match (req.method.as_str(), req.path.as_str()) {
                ("PUT", "/latest/api/token") => {
                    if !self.imdsv2 {
                        return (403, String::new());
                    }
                    if req.header("x-aliyun-ecs-metadata-token-ttl-seconds") != Some("21600") {
                        return (400, String::new());
                    }
                    (200, IMDS_TOKEN.to_owned())
                }
                _ if !token_ok => (401, String::new()),
                ("GET", "/latest/meta-data/ram/security-credentials/") => (200, ROLE.to_owned()),
                ("GET", path)
                    if path == format!("/latest/meta-data/ram/security-credentials/{ROLE}") =>
                {
                    let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
                    let mut body = credentials_json(&format!("STS.id-{n}"), self.lifetime);
                    if self.code != "Success" {
                        body = body.replace("\"Success\"", &format!("\"{}\"", self.code));
                    }
                    (200, body)
                }
                _ => (404, String::new()),
            }
        })
    }
}

async fn metadata_server(imdsv2: bool, lifetime: Duration) -> Server {
    Server::start(
        Metadata {
            imdsv2,
            lifetime,
            code: "Success",
        }
        .handler(),
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------

const AK_SECRET: &str = "ak-secret-value-5d4c3b";
const STATIC_TOKEN: &str = "static-token-value-7e6f";

fn env(vars: &[(&str, &str)], home: &Path) -> Environment {
    Environment::from_map(
        vars.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        Some(home.to_path_buf()),
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn cli_config(home: &Path, current: &str) {
    let config = serde_json::json!({
        "current": current,
        "profiles": [
            {"name": "default", "mode": "AK", "access_key_id": "cli-ak-id",
             "access_key_secret": AK_SECRET, "region_id": "cn-hangzhou"},
            {"name": "sts", "mode": "StsToken", "access_key_id": "cli-sts-id",
             "access_key_secret": AK_SECRET, "sts_token": STATIC_TOKEN, "region_id": "cn-shanghai"},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": ROLE},
            {"name": "arn", "mode": "RamRoleArn", "access_key_id": "x",
             "access_key_secret": AK_SECRET, "ram_role_arn": "acs:ram::1:role/r"},
            {"name": "nomode", "access_key_id": "x", "access_key_secret": AK_SECRET}
        ],
        "meta_path": ""
    });
    write(&home.join(".aliyun/config.json"), &config.to_string());
}

fn ini_file(path: &Path) {
    write(
        path,
        &format!(
            "; shared credentials\n\
             [default]\n\
             type = access_key\n\
             access_key_id = ini-ak-id\n\
             access_key_secret = \"{AK_SECRET}\"\n\
             \n\
             [ecs]\n\
             type = ecs_ram_role\n\
             role_name = {ROLE}\n\
             \n\
             [arn]\n\
             type = ram_role_arn\n\
             access_key_id = x\n\
             access_key_secret = {AK_SECRET}\n"
        ),
    );
}

const ECS_OFF: (&str, &str) = ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");

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
// ECS RAM role.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn ecs_imdsv2_fetches_with_token_and_caches_far_expiration() {
    let home = tempfile::tempdir().unwrap();
    let server = metadata_server(true, Duration::hours(6)).await;
    let provider = EcsRamRoleProvider::new(env(&[], home.path())).with_endpoint(&server.url);

    let first = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "STS.id-1");
    assert_eq!(first.access_key_secret().expose(), STS_SECRET);
    assert_eq!(first.security_token().unwrap().expose(), STS_TOKEN);
    assert_eq!(first.provider_name(), "ecs_ram_role");
    let exp = first.expiration().unwrap();
    assert!(exp > OffsetDateTime::now_utc() + Duration::hours(5));

    let requests = server.requests();
    let summary: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("PUT", "/latest/api/token"),
            ("GET", "/latest/meta-data/ram/security-credentials/"),
            ("GET", "/latest/meta-data/ram/security-credentials/TestRole"),
        ]
    );
    assert_eq!(
        requests[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    for r in &requests[1..] {
        assert_eq!(r.header("x-aliyun-ecs-metadata-token"), Some(IMDS_TOKEN));
    }

    // Far from expiry: served from the cache, no new request.
    for _ in 0..3 {
        let again = provider.provide_credentials().await.unwrap();
        assert_eq!(again.access_key_id(), "STS.id-1");
    }
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn ecs_refreshes_when_expiration_is_near() {
    let home = tempfile::tempdir().unwrap();
    // Ten minutes left is inside the 15-minute refresh margin: every call refreshes.
    let server = metadata_server(true, Duration::minutes(10)).await;
    let provider = EcsRamRoleProvider::new(env(&[], home.path())).with_endpoint(&server.url);

    let first = provider.provide_credentials().await.unwrap();
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "STS.id-1");
    assert_eq!(second.access_key_id(), "STS.id-2");
    assert_eq!(server.count(), 6);
}

#[tokio::test]
async fn ecs_keeps_unexpired_credentials_when_a_refresh_fails() {
    let home = tempfile::tempdir().unwrap();
    let failing = Arc::new(AtomicBool::new(false));
    let inner = Metadata {
        imdsv2: true,
        lifetime: Duration::minutes(10),
        code: "Success",
    }
    .handler();
    let flag = Arc::clone(&failing);
    let server = Server::start(Arc::new(move |req: &Request| {
        if flag.load(Ordering::SeqCst) {
            (500, String::new())
        } else {
            inner(req)
        }
    }))
    .await;
    let provider = EcsRamRoleProvider::new(env(&[], home.path())).with_endpoint(&server.url);
    let first = provider.provide_credentials().await.unwrap();
    failing.store(true, Ordering::SeqCst);
    // Inside the refresh margin, the refresh fails, but the credentials are still valid.
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), second.access_key_id());
    assert!(server.count() > 3, "a refresh was attempted");
}

#[tokio::test]
async fn ecs_falls_back_to_imdsv1_when_the_token_request_fails() {
    let home = tempfile::tempdir().unwrap();
    let server = metadata_server(false, Duration::hours(6)).await;
    let provider = EcsRamRoleProvider::new(env(&[], home.path())).with_endpoint(&server.url);

    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "STS.id-1");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].method, "PUT");
    for r in &requests[1..] {
        assert_eq!(r.header("x-aliyun-ecs-metadata-token"), None);
    }
}

#[tokio::test]
async fn ecs_imdsv1_fallback_can_be_disabled() {
    let home = tempfile::tempdir().unwrap();
    let server = metadata_server(false, Duration::hours(6)).await;
    let provider = EcsRamRoleProvider::new(env(
        &[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")],
        home.path(),
    ))
    .with_endpoint(&server.url);

    let err = provider.provide_credentials().await.unwrap_err();
    assert!(matches!(
        err,
        CredentialsError::Request {
            provider: "ecs_ram_role",
            ..
        }
    ));
    let text = err.to_string();
    assert!(text.contains("HTTP 403"), "{text}");
    assert!(text.contains("ALIBABA_CLOUD_IMDSV1_DISABLED"), "{text}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn ecs_role_name_from_variable_skips_the_listing() {
    let home = tempfile::tempdir().unwrap();
    let server = metadata_server(true, Duration::hours(6)).await;
    let provider =
        EcsRamRoleProvider::new(env(&[("ALIBABA_CLOUD_ECS_METADATA", ROLE)], home.path()))
            .with_endpoint(&server.url);
    provider.provide_credentials().await.unwrap();
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
async fn ecs_reply_without_success_code_is_an_error() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(
        Metadata {
            imdsv2: true,
            lifetime: Duration::hours(6),
            code: "Failed",
        }
        .handler(),
    )
    .await;
    let err = EcsRamRoleProvider::new(env(&[], home.path()))
        .with_endpoint(&server.url)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::InvalidResponse { .. }));
    let text = err.to_string();
    assert!(
        text.contains("Code is `Failed`, expected `Success`"),
        "{text}"
    );
    assert!(!text.contains(STS_SECRET) && !text.contains(STS_TOKEN));

    // Not JSON at all, and JSON missing fields.
    let server = Server::start(Arc::new(|req: &Request| match req.path.as_str() {
        "/latest/api/token" => (200, IMDS_TOKEN.to_owned()),
        "/latest/meta-data/ram/security-credentials/" => (200, ROLE.to_owned()),
        _ => (
            200,
            format!("{{\"Code\":\"Success\",\"AccessKeySecret\":\"{STS_SECRET}\"}}"),
        ),
    }))
    .await;
    let err = EcsRamRoleProvider::new(env(&[], home.path()))
        .with_endpoint(&server.url)
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("missing or empty AccessKeyId, SecurityToken, Expiration"),
        "{text}"
    );
    assert!(!text.contains(STS_SECRET));
}

#[tokio::test]
async fn ecs_unreachable_endpoint_fails_fast_without_imdsv1_retry() {
    let home = tempfile::tempdir().unwrap();
    let dead = dead_endpoint().await;
    let started = Instant::now();
    let err = EcsRamRoleProvider::new(env(&[], home.path()))
        .with_endpoint(&dead)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert!(matches!(
        err,
        CredentialsError::Unreachable {
            provider: "ecs_ram_role",
            ..
        }
    ));
    let text = err.to_string();
    assert!(text.contains("unreachable"), "{text}");
    assert!(
        text.contains("ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"),
        "{text}"
    );
}

#[tokio::test]
async fn ecs_timeout_is_one_second() {
    // A server that accepts connections but never answers.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let held = Arc::new(Mutex::new(Vec::new()));
    let held2 = Arc::clone(&held);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            held2.lock().unwrap().push(stream);
        }
    });
    let home = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let err = EcsRamRoleProvider::new(env(&[], home.path()))
        .with_endpoint(&url)
        .provide_credentials()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= std::time::Duration::from_millis(900),
        "{elapsed:?}"
    );
    assert!(elapsed < std::time::Duration::from_secs(3), "{elapsed:?}");
    let text = err.to_string();
    assert!(text.contains("timed out after 1s"), "{text}");
}

#[tokio::test]
async fn ecs_without_an_attached_role_says_so() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(Arc::new(|req: &Request| match req.path.as_str() {
        "/latest/api/token" => (200, IMDS_TOKEN.to_owned()),
        _ => (404, String::new()),
    }))
    .await;
    let err = EcsRamRoleProvider::new(env(&[], home.path()))
        .with_endpoint(&server.url)
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("HTTP 404: no RAM role is attached to this instance"),
        "{text}"
    );
}

#[tokio::test]
async fn ecs_can_be_disabled() {
    let home = tempfile::tempdir().unwrap();
    let err = EcsRamRoleProvider::new(env(&[ECS_OFF], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured());
    assert_eq!(
        err.to_string(),
        "ecs_ram_role: disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"
    );
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
    cli_config(home.path(), "arn");
    let err = CliProfileProvider::new(env(&[], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    match &err {
        CredentialsError::UnsupportedMode { profile, mode } => {
            assert_eq!(profile, "arn");
            assert_eq!(mode, "RamRoleArn");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "cli_profile: profile `arn` uses mode `RamRoleArn`, which is not supported \
         (supported modes: AK, StsToken, EcsRamRole)"
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

    let err = IniFileProvider::new(env(&[("ALIBABA_CLOUD_PROFILE", "arn")], home.path()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(
        &err,
        CredentialsError::UnsupportedType { section, kind } if section == "arn" && kind == "ram_role_arn"
    ));
    assert_eq!(
        err.to_string(),
        "profile: section `arn` has type `ram_role_arn`, which is not supported \
         (supported types: access_key, ecs_ram_role)"
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
    cli_config(home.path(), "arn"); // unsupported mode: fails, the chain moves on
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
    cli_config(home.path(), "arn");
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
        IniFileProvider::new(env(&[("ALIBABA_CLOUD_PROFILE", "arn")], home.path()))
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
