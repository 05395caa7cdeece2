//! What the credentials tests share: a tiny HTTP/1.1 server, a fake ECS metadata service,
//! and helpers that write profile files into a temporary home.
#![allow(dead_code, unused_imports, clippy::unwrap_used, clippy::expect_used)]

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
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = Arc<dyn Fn(&Request) -> (u16, String) + Send + Sync>;

pub struct Server {
    pub url: String,
    pub log: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub async fn start(handler: Handler) -> Self {
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

    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.log.lock().unwrap().len()
    }
}

pub async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Request> {
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
pub async fn dead_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

// ---------------------------------------------------------------------------------------
// A fake ECS metadata service.
// ---------------------------------------------------------------------------------------

pub const ROLE: &str = "TestRole";
pub const IMDS_TOKEN: &str = "imds-token-abc";
pub const STS_SECRET: &str = "sts-secret-value-9f8e7d";
pub const STS_TOKEN: &str = "sts-security-token-1a2b3c";

pub fn expiration_string(lifetime: Duration) -> String {
    (OffsetDateTime::now_utc() + lifetime)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap()
}

pub fn credentials_json(id: &str, lifetime: Duration) -> String {
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

pub struct Metadata {
    pub imdsv2: bool,
    pub lifetime: Duration,
    pub code: &'static str,
}

impl Metadata {
    pub fn handler(self) -> Handler {
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

pub async fn metadata_server(imdsv2: bool, lifetime: Duration) -> Server {
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

pub const AK_SECRET: &str = "ak-secret-value-5d4c3b";
pub const STATIC_TOKEN: &str = "static-token-value-7e6f";

pub fn env(vars: &[(&str, &str)], home: &Path) -> Environment {
    Environment::from_map(
        vars.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        Some(home.to_path_buf()),
    )
}

pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

pub fn cli_config(home: &Path, current: &str) {
    let config = serde_json::json!({
        "current": current,
        "profiles": [
            {"name": "default", "mode": "AK", "access_key_id": "cli-ak-id",
             "access_key_secret": AK_SECRET, "region_id": "cn-hangzhou"},
            {"name": "sts", "mode": "StsToken", "access_key_id": "cli-sts-id",
             "access_key_secret": AK_SECRET, "sts_token": STATIC_TOKEN, "region_id": "cn-shanghai"},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": ROLE},
            {"name": "sso", "mode": "CloudSSO", "access_key_id": "x",
             "access_key_secret": AK_SECRET, "cloud_sso_sign_in_url": "https://signin.invalid"},
            {"name": "nomode", "access_key_id": "x", "access_key_secret": AK_SECRET}
        ],
        "meta_path": ""
    });
    write(&home.join(".aliyun/config.json"), &config.to_string());
}

pub fn ini_file(path: &Path) {
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
             [rsa]\n\
             type = rsa_key_pair\n\
             public_key_id = x\n\
             private_key_file = /nonexistent/{AK_SECRET}\n"
        ),
    );
}

pub const ECS_OFF: (&str, &str) = ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");

// ---------------------------------------------------------------------------------------
// A fake STS: AssumeRole (v1-signed, verified with the runtime's verifier) and
// AssumeRoleWithOIDC.
// ---------------------------------------------------------------------------------------

pub const SOURCE_ID: &str = "LTAI-source-id";
pub const SOURCE_SECRET: &str = "source-secret-value-3c2b1a";

/// What the fake STS saw of one accepted call.
#[derive(Clone, Debug)]
pub struct StsCall {
    pub action: String,
    pub version: String,
    pub access_key_id: String,
    pub security_token: Option<String>,
    pub params: Vec<(String, String)>,
}

impl StsCall {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Temporary credentials number `n` the fake STS issues.
pub fn issued(n: usize) -> (String, String, String) {
    (
        format!("STS.issued-{n}"),
        format!("issued-secret-{n}-x9"),
        format!("issued-token-{n}-y8"),
    )
}

#[derive(Default)]
struct StsState {
    /// Issued keys: id → (secret, token).
    keys: Vec<(String, String, String)>,
    calls: Vec<StsCall>,
}

pub struct FakeSts {
    pub server: Server,
    state: Arc<Mutex<StsState>>,
}

impl FakeSts {
    /// A fake STS issuing credentials that live `lifetime(n)` (n from 1), taking `delay`
    /// to answer.
    pub async fn start(
        lifetime: impl Fn(usize) -> Duration + Send + Sync + 'static,
        delay: std::time::Duration,
    ) -> Self {
        let state = Arc::new(Mutex::new(StsState::default()));
        let shared = Arc::clone(&state);
        let server = Server::start(Arc::new(move |req: &Request| {
            std::thread::sleep(delay);
            sts_answer(&shared, req, &lifetime)
        }))
        .await;
        Self { server, state }
    }

    pub fn calls(&self) -> Vec<StsCall> {
        self.state.lock().unwrap().calls.clone()
    }
}

fn sts_error(status: u16, code: &str, message: &str) -> (u16, String) {
    (
        status,
        serde_json::json!({"RequestId": "STS-REQ-1", "Code": code, "Message": message, "HostId": "sts"})
            .to_string(),
    )
}

fn sts_answer(
    state: &Mutex<StsState>,
    req: &Request,
    lifetime: &dyn Fn(usize) -> Duration,
) -> (u16, String) {
    let (path, raw_query) = req.path.split_once('?').unwrap_or((&req.path, ""));
    if raw_query.contains("Action=AssumeRoleWithOIDC") {
        return oidc_answer(state, raw_query, &req.body, lifetime);
    }
    let headers: Vec<(String, String)> = req.headers.clone();
    let incoming = hbr_runtime::signing::IncomingRequest {
        method: &req.method,
        path,
        raw_query,
        headers: &headers,
        body: req.body.as_bytes(),
    };
    let mut state = state.lock().unwrap();
    let lookup = |id: &str| {
        if id == SOURCE_ID {
            return Some(SOURCE_SECRET.to_owned());
        }
        state
            .keys
            .iter()
            .find(|(k, _, _)| k == id)
            .map(|(_, secret, _)| secret.clone())
    };
    let verified = match hbr_runtime::signing::verify(&incoming, &lookup) {
        Ok(v) => v,
        Err(e) => return sts_error(400, "SignatureDoesNotMatch", &e.to_string()),
    };
    let expected_token = state
        .keys
        .iter()
        .find(|(k, _, _)| *k == verified.access_key_id)
        .map(|(_, _, t)| t.clone());
    if verified.security_token != expected_token {
        return sts_error(400, "InvalidSecurityToken.Mismatch", "token mismatch");
    }
    let call = StsCall {
        action: verified.action.clone().unwrap_or_default(),
        version: verified.version.clone().unwrap_or_default(),
        access_key_id: verified.access_key_id.clone(),
        security_token: verified.security_token.clone(),
        params: verified.params.clone(),
    };
    if call.action != "AssumeRole" || call.version != "2015-04-01" {
        return sts_error(404, "InvalidAction.NotFound", "no such action");
    }
    if call.param("RoleArn") == Some("acs:ram::1:role/denied") {
        state.calls.push(call);
        return sts_error(
            403,
            "NoPermission.RoleArn",
            "You are not authorized to assume this role.",
        );
    }
    issue_answer(&mut state, call, lifetime)
}

pub const OIDC_TOKEN: &str = "oidc-token-value-6a5b4c";

/// An unsigned `AssumeRoleWithOIDC`: the form must carry the OIDC token.
fn oidc_answer(
    state: &Mutex<StsState>,
    raw_query: &str,
    body: &str,
    lifetime: &dyn Fn(usize) -> Duration,
) -> (u16, String) {
    let mut params: Vec<(String, String)> = Vec::new();
    for pair in raw_query.split('&').chain(body.split('&')) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_encoding::percent_decode_str(&v.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned();
        params.push((k.to_owned(), v));
    }
    let call = StsCall {
        action: "AssumeRoleWithOIDC".into(),
        version: params
            .iter()
            .find(|(k, _)| k == "Version")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        access_key_id: String::new(),
        security_token: None,
        params,
    };
    let mut state = state.lock().unwrap();
    if call.param("OIDCToken") != Some(OIDC_TOKEN) {
        state.calls.push(call);
        return sts_error(400, "AuthenticationFail.OIDCToken.Invalid", "bad token");
    }
    issue_answer(&mut state, call, lifetime)
}

/// Records `call`, issues the next credentials and answers with them.
fn issue_answer(
    state: &mut StsState,
    call: StsCall,
    lifetime: &dyn Fn(usize) -> Duration,
) -> (u16, String) {
    let n = state.keys.len() + 1;
    let (id, secret, token) = issued(n);
    state.keys.push((id.clone(), secret.clone(), token.clone()));
    state.calls.push(call);
    let body = serde_json::json!({
        "RequestId": format!("STS-OK-{n}"),
        "AssumedRoleUser": {"Arn": "acs:ram::1:role/r/session", "AssumedRoleId": "3000:session"},
        "Credentials": {
            "AccessKeyId": id,
            "AccessKeySecret": secret,
            "SecurityToken": token,
            "Expiration": expiration_string(lifetime(n)),
        }
    });
    (200, body.to_string())
}
