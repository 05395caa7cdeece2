//! STS `AssumeRole` (2015-04-01) served beside HBR, and `--require-sts`.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::*;
use hbr_client::Client;
use hbr_emulator::{EmulatorConfig, RunningEmulator};
use hbr_runtime::client::{Config, ErrorKind};
use hbr_runtime::credentials::{Credentials, ProvideCredentials, RamRoleArnProvider};
use hbr_runtime::signing::{parse_timestamp, SignatureVersion};

const ROLE: &str = "acs:ram::1234567890123456:role/backup-operator";

fn assume_role(version: SignatureVersion, form: &[(&str, &str)]) -> Call<'static> {
    let mut call = Call::new(version, &[]);
    call.action = "AssumeRole";
    call.api_version = "2015-04-01";
    call.form = Some(pairs(form));
    call
}

/// Temporary credentials from the emulator's AssumeRole: (id, secret, token).
async fn issue(emu: &RunningEmulator, version: SignatureVersion) -> (String, String, String) {
    let resp = call(
        &client(),
        emu,
        &assume_role(version, &[("RoleArn", ROLE), ("RoleSessionName", "tests")]),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    let creds = &resp.json()["Credentials"];
    let text = |k: &str| creds[k].as_str().expect(k).to_owned();
    (
        text("AccessKeyId"),
        text("AccessKeySecret"),
        text("SecurityToken"),
    )
}

async fn start_sts(require_sts: bool) -> RunningEmulator {
    start_with(EmulatorConfig {
        jobs: 10,
        require_sts,
        ..EmulatorConfig::default()
    })
    .await
}

#[tokio::test]
async fn assume_role_issues_temporary_credentials_to_the_long_term_key() {
    let emu = start_sts(false).await;
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let resp = call(
            &client(),
            &emu,
            &assume_role(
                version,
                &[
                    ("RoleArn", ROLE),
                    ("RoleSessionName", "nightly"),
                    ("DurationSeconds", "900"),
                    ("Policy", r#"{"Version":"1","Statement":[]}"#),
                    ("ExternalId", "ext-1"),
                ],
            ),
        )
        .await;
        assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
        let body = resp.json();
        assert_eq!(body["AssumedRoleUser"]["Arn"], format!("{ROLE}/nightly"));
        let creds = &body["Credentials"];
        assert!(creds["AccessKeyId"].as_str().unwrap().starts_with("STS."));
        assert!(creds["AccessKeySecret"].as_str().unwrap().len() >= 16);
        assert!(creds["SecurityToken"].as_str().unwrap().len() >= 32);
        let expiration = parse_timestamp(creds["Expiration"].as_str().unwrap()).unwrap();
        let left = expiration - time::OffsetDateTime::now_utc();
        assert!(
            left > time::Duration::seconds(890) && left <= time::Duration::seconds(900),
            "{left}"
        );
        assert_eq!(body["RequestId"], resp.header("x-acs-request-id").unwrap());
    }
}

#[tokio::test]
async fn assume_role_checks_its_parameters_and_signature() {
    let emu = start_sts(false).await;
    let c = client();
    call(
        &c,
        &emu,
        &assume_role(SignatureVersion::V1, &[("RoleSessionName", "s")]),
    )
    .await
    .assert_error(400, "MissingParameter");
    for (form, parameter) in [
        (
            vec![
                ("RoleArn", "arn:aws:iam::1:role/x"),
                ("RoleSessionName", "ok"),
            ],
            "RoleArn",
        ),
        (
            vec![("RoleArn", ROLE), ("RoleSessionName", "a b")],
            "RoleSessionName",
        ),
        (
            vec![
                ("RoleArn", ROLE),
                ("RoleSessionName", "ok"),
                ("DurationSeconds", "60"),
            ],
            "DurationSeconds",
        ),
        (
            vec![
                ("RoleArn", ROLE),
                ("RoleSessionName", "ok"),
                ("Policy", "{not json"),
            ],
            "Policy",
        ),
    ] {
        let body = call(&c, &emu, &assume_role(SignatureVersion::V1, &form))
            .await
            .assert_error(400, "InvalidParameter");
        assert!(
            body["Message"].as_str().unwrap().contains(parameter),
            "{body}"
        );
    }
    let mut forged = assume_role(
        SignatureVersion::V1,
        &[("RoleArn", ROLE), ("RoleSessionName", "s")],
    );
    forged.key.secret = "not-the-secret";
    call(&c, &emu, &forged)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
}

/// A DescribeRestoreJobs2 signed with `id`/`secret`, sending `token`.
fn describe_as<'a>(id: &'a str, secret: &'a str, token: Option<&'a str>) -> Call<'a> {
    let mut call = Call::new(SignatureVersion::V3, &[("PageSize", "1")]);
    call.key = Key { id, secret, token };
    call
}

#[tokio::test]
async fn issued_credentials_sign_hbr_calls_with_their_token_only() {
    let emu = start_sts(false).await;
    let (id, secret, token) = issue(&emu, SignatureVersion::V3).await;
    let c = client();
    let ok = call(&c, &emu, &describe_as(&id, &secret, Some(&token))).await;
    assert_eq!(ok.status, 200);
    call(
        &c,
        &emu,
        &describe_as(&id, &secret, Some("CAIS-another-token")),
    )
    .await
    .assert_error(400, "InvalidSecurityToken.Mismatch");
    call(&c, &emu, &describe_as(&id, &secret, None))
        .await
        .assert_error(400, "InvalidSecurityToken.Mismatch");
    // Another STS's key is unknown here.
    call(
        &c,
        &emu,
        &describe_as("STS.elsewhere", &secret, Some(&token)),
    )
    .await
    .assert_error(404, "InvalidAccessKeyId.NotFound");
}

#[tokio::test]
async fn require_sts_refuses_the_long_term_key_for_hbr_calls() {
    let emu = start_sts(true).await;
    let c = client();
    let body = describe(&c, &emu, &[])
        .await
        .assert_error(403, "Forbidden.RAM");
    assert!(body["Message"].as_str().unwrap().contains("--require-sts"));
    // AssumeRole itself is served to the long-term key, and what it issues is accepted.
    let (id, secret, token) = issue(&emu, SignatureVersion::V1).await;
    let ok = call(&c, &emu, &describe_as(&id, &secret, Some(&token))).await;
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn a_client_on_a_ram_role_talks_to_an_emulator_that_requires_sts() {
    let emu = start_sts(true).await;
    let source = Credentials::new(emu.access_key_id(), emu.access_key_secret());
    let role = RamRoleArnProvider::builder(source, ROLE)
        .with_sts_endpoint(emu.url())
        .with_session_name("client-test")
        .build()
        .unwrap();
    let creds = role.provide_credentials().await.unwrap();
    assert!(creds.access_key_id().starts_with("STS."));
    assert!(creds.expiration().is_some());
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let config = Config::builder()
            .endpoint(emu.url())
            .signature_version(version)
            .credentials(
                RamRoleArnProvider::builder(
                    Credentials::new(emu.access_key_id(), emu.access_key_secret()),
                    ROLE,
                )
                .with_sts_endpoint(emu.url())
                .build()
                .unwrap(),
            )
            .build();
        let client = Client::new(config).unwrap();
        let page = client
            .describe_restore_jobs2()
            .page_size(5)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{version:?}: {e}"));
        assert_eq!(page.restore_jobs().len(), 5);
    }
    // The long-term key alone is refused.
    let config = Config::builder()
        .endpoint(emu.url())
        .static_credentials(emu.access_key_id(), emu.access_key_secret())
        .build();
    let err = Client::new(config)
        .unwrap()
        .describe_restore_jobs2()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.code()),
        (ErrorKind::Service, Some("Forbidden.RAM"))
    );
}
