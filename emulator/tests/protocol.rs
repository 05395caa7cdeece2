//! The wire protocol: both signatures, the documented response shape, and every error code
//! with its status.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::field_reassign_with_default
)]

mod common;

use common::*;
use hbr_emulator::EmulatorConfig;
use hbr_runtime::signing::{
    format_timestamp, new_nonce, v1, v3, RequestToSign, SignatureVersion, SigningKey,
};
use serde_json::Value;

const V3: SignatureVersion = SignatureVersion::V3;
const V1: SignatureVersion = SignatureVersion::V1;

/// The fields of a restore job in the reference documentation, with their JSON types.
const STRING_FIELDS: &[&str] = &[
    "SnapshotHash",
    "Status",
    "ErrorMessage",
    "VaultId",
    "UdmDetail",
    "SourceType",
    "Options",
    "SourceInstanceId",
    "RestoreType",
    "Exclude",
    "ParentId",
    "TargetBucket",
    "ClusterId",
    "TargetFileSystemId",
    "TargetDataSourceId",
    "TargetPrefix",
    "TargetPath",
    "ErrorFile",
    "SnapshotId",
    "RestoreId",
    "TargetClientId",
    "Include",
    "TargetInstanceName",
    "TargetTableName",
    "CrossAccountType",
    "CrossAccountRoleName",
    "StorageClass",
    "FailbackDetail",
    "TargetInstanceId",
    "SourceResourceId",
];
const INT_FIELDS: &[&str] = &[
    "ActualItems",
    "ActualBytes",
    "TargetCreateTime",
    "ItemsDone",
    "BytesTotal",
    "CompleteTime",
    "CreatedTime",
    "Progress",
    "ExpireTime",
    "StartTime",
    "UpdatedTime",
    "ItemsTotal",
    "BytesDone",
    "Speed",
    "TargetTime",
    "CrossAccountUserId",
    "MeteringBytesDone",
    "MeteringBytesTotal",
];

fn assert_job_shape(job: &Value) {
    let obj = job.as_object().expect("job is an object");
    for f in STRING_FIELDS {
        assert!(
            obj.get(*f).is_some_and(Value::is_string),
            "{f} not a string in {job}"
        );
    }
    for f in INT_FIELDS {
        assert!(
            obj.get(*f).is_some_and(Value::is_i64),
            "{f} not an integer in {job}"
        );
    }
    // The JSON-carrying strings hold the documented shapes.
    let inner = |f: &str| -> Value {
        serde_json::from_str(job[f].as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{f} is not JSON ({e}): {job}"))
    };
    assert!(inner("Options")["UseVSS"].is_boolean());
    for f in ["Include", "Exclude"] {
        let v = inner(f);
        assert!(
            v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
            "{f}: {v}"
        );
    }
    let udm = inner("UdmDetail");
    for k in [
        "doCopy",
        "doBackup",
        "appConsistent",
        "enableFsFreeze",
        "snapshotGroup",
        "enableWriters",
        "ecsDeleted",
    ] {
        assert!(udm[k].is_boolean(), "UdmDetail.{k}: {udm}");
    }
    for k in [
        "instanceName",
        "destinationRegionId",
        "osNameEn",
        "osName",
        "backupVaultId",
        "platform",
        "osType",
        "preScriptPath",
        "postScriptPath",
    ] {
        assert!(udm[k].is_string(), "UdmDetail.{k}: {udm}");
    }
    for k in [
        "destinationRetention",
        "timeoutInSeconds",
        "backupRetention",
    ] {
        assert!(udm[k].is_i64(), "UdmDetail.{k}: {udm}");
    }
    assert!(udm["diskIdList"].is_array());
    let failback = inner("FailbackDetail");
    for k in ["cpu", "memoryInMB"] {
        assert!(failback[k].is_i64(), "FailbackDetail.{k}: {failback}");
    }
    assert!(failback["instanceId"].is_string() && failback["serverId"].is_string());
    assert!(failback["uefiBoot"].is_boolean());
    let extra: Value = serde_json::from_str(failback["extra"].as_str().expect("extra is a string"))
        .expect("extra holds JSON");
    for k in [
        "restoreVMNamePrefix",
        "dataCenterName",
        "dataStoreId",
        "folderId",
        "resourcePoolId",
        "locationName",
        "computeResourceName",
        "dataStoreName",
        "networkMoReference",
    ] {
        assert!(extra[k].is_string(), "extra.{k}: {extra}");
    }
    assert!(extra["useHotAdd"].is_boolean());

    let restore_type = job["RestoreType"].as_str().unwrap_or_default();
    match obj.get("OtsDetail") {
        Some(ots) => {
            assert_eq!(restore_type, "OTS_TABLE");
            assert!(ots["BatchChannelCount"].is_i64() && ots["OverwriteExisting"].is_boolean());
        }
        None => assert_ne!(restore_type, "OTS_TABLE"),
    }
    if let Some(report) = obj.get("Report") {
        for k in [
            "TotalFiles",
            "SuccessFiles",
            "FailedFiles",
            "SkippedFiles",
            "ReportTaskStatus",
        ] {
            assert!(report[k].is_string(), "Report.{k}");
        }
    }
    assert_eq!(
        obj.contains_key("Report"),
        matches!(restore_type, "ECS_FILE" | "NAS" | "COMMON_FILE_SYSTEM")
    );
}

fn assert_success_shape(resp: &Resp, page_number: i64, page_size: i64) -> Value {
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    assert_common_headers(resp);
    let body = resp.json();
    assert_eq!(body["Success"], Value::Bool(true));
    assert_eq!(body["Code"], "200");
    assert_eq!(body["Message"], "successful");
    assert_eq!(body["PageNumber"].as_i64(), Some(page_number));
    assert_eq!(body["PageSize"].as_i64(), Some(page_size));
    assert!(body["TotalCount"].is_i64());
    let jobs = body["RestoreJobs"]["RestoreJob"]
        .as_array()
        .expect("RestoreJobs.RestoreJob[]");
    assert!(jobs.len() as i64 <= page_size);
    jobs.iter().for_each(assert_job_shape);
    body
}

#[tokio::test]
async fn v3_and_v1_requests_return_the_documented_shape() {
    let emu = start(300, 11).await;
    let c = client();
    for version in SignatureVersion::ALL {
        let resp = call(
            &c,
            &emu,
            &Call::new(version, &[("PageNumber", "2"), ("PageSize", "25")]),
        )
        .await;
        let body = assert_success_shape(&resp, 2, 25);
        assert_eq!(body["TotalCount"], 300);
        assert_eq!(
            body["RestoreJobs"]["RestoreJob"].as_array().map(Vec::len),
            Some(25)
        );
        // Defaults.
        let resp = call(&c, &emu, &Call::new(version, &[])).await;
        let body = assert_success_shape(&resp, 1, 10);
        assert_eq!(
            body["RestoreJobs"]["RestoreJob"].as_array().map(Vec::len),
            Some(10)
        );
    }
    // Every job of the data set has the full shape.
    let resp = describe(&c, &emu, &[("PageSize", "99"), ("PageNumber", "1")]).await;
    assert_success_shape(&resp, 1, 99);
    assert_eq!(emu.stats().succeeded, 7);
    emu.shutdown().await;
}

#[tokio::test]
async fn parameters_in_the_form_body_are_read_under_every_signature() {
    let emu = start(100, 2).await;
    let c = client();
    for version in SignatureVersion::ALL {
        // DescribeVaults sends Tag in the form body, the rest in the query.
        let mut call_ = Call::new(version, &[("PageSize", "5")]);
        call_.action = "DescribeVaults";
        call_.form = Some(pairs(&[("Tag.1.Key", "env"), ("Tag.1.Value", "prod")]));
        let resp = call(&c, &emu, &call_).await;
        assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
        // Filters the spec puts in the query, sent in the body; Tag the other way round.
        let mut misplaced = Call::new(version, &[("PageSize", "5")]);
        misplaced.form = Some(pairs(&[
            ("Filters.1.Key", "Status"),
            ("Filters.1.Values.1", "FAILED"),
        ]));
        let mut tag_in_query = Call::new(version, &[("Tag.1.Key", "env")]);
        tag_in_query.action = "DescribeVaults";
        if version == V1 {
            // v1 signs the query and the body as one set: the place does not matter, and the
            // filter applies.
            let failed = describe(
                &c,
                &emu,
                &[
                    ("Filters.1.Key", "Status"),
                    ("Filters.1.Values.1", "FAILED"),
                ],
            )
            .await;
            let body = call(&c, &emu, &misplaced).await.json();
            assert_eq!(body["TotalCount"], failed.json()["TotalCount"], "{body}");
            assert!(body["TotalCount"].as_u64() < Some(100), "{body}");
            assert_eq!(call(&c, &emu, &tag_in_query).await.status, 200);
            continue;
        }
        // Under the ACS3 signatures each parameter travels where the spec puts it.
        let body = call(&c, &emu, &misplaced)
            .await
            .assert_error(400, "InvalidParameter");
        let message = body["Message"].as_str().unwrap_or_default();
        assert!(
            message.contains("\"Filters\"") && message.contains("URL query"),
            "{body}"
        );
        let body = call(&c, &emu, &tag_in_query)
            .await
            .assert_error(400, "InvalidParameter");
        assert!(
            body["Message"]
                .as_str()
                .unwrap_or_default()
                .contains("form body"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn sts_tokens_are_accepted_and_checked() {
    // Any token when none is configured.
    let emu = start(20, 1).await;
    let c = client();
    for version in SignatureVersion::ALL {
        let mut call_ = Call::new(version, &[]);
        call_.key.token = Some("sts-token-anything");
        let resp = call(&c, &emu, &call_).await;
        assert_success_shape(&resp, 1, 10);
    }
    emu.shutdown().await;

    // Only the configured ones otherwise.
    let mut config = EmulatorConfig::default();
    config.security_tokens = vec!["CAIS-good-token".into()];
    let emu = start_with(config).await;
    for version in SignatureVersion::ALL {
        let mut good = Call::new(version, &[]);
        good.key.token = Some("CAIS-good-token");
        assert_eq!(call(&c, &emu, &good).await.status, 200);
        let mut bad = Call::new(version, &[]);
        bad.key.token = Some("CAIS-bad-token");
        call(&c, &emu, &bad)
            .await
            .assert_error(400, "InvalidSecurityToken.Malformed");
        // A plain AccessKey request stays valid.
        assert_eq!(call(&c, &emu, &Call::new(version, &[])).await.status, 200);
    }
}

#[tokio::test]
async fn custom_keys_replace_the_demo_key() {
    let mut config = EmulatorConfig::default();
    config.access_key_id = "LTAI-custom".into();
    config.access_key_secret = "custom-secret".into();
    let emu = start_with(config).await;
    assert_eq!(emu.access_key_id(), "LTAI-custom");
    let c = client();
    let mut ok = Call::new(V3, &[]);
    ok.key = Key {
        id: "LTAI-custom",
        secret: "custom-secret",
        token: None,
    };
    assert_eq!(call(&c, &emu, &ok).await.status, 200);
    call(&c, &emu, &Call::new(V3, &[]))
        .await
        .assert_error(404, "InvalidAccessKeyId.NotFound");
}

#[tokio::test]
async fn authentication_errors() {
    let emu = start(20, 1).await;
    let c = client();
    for version in SignatureVersion::ALL {
        // Unknown AccessKey ID.
        let mut unknown = Call::new(version, &[]);
        unknown.key = Key {
            id: "LTAI-nobody",
            secret: "whatever",
            token: None,
        };
        call(&c, &emu, &unknown)
            .await
            .assert_error(404, "InvalidAccessKeyId.NotFound");

        // Wrong secret.
        let mut wrong = Call::new(version, &[]);
        wrong.key.secret = "not-the-secret";
        let body = call(&c, &emu, &wrong)
            .await
            .assert_error(400, "SignatureDoesNotMatch");
        let expected_prefix = match version {
            V3 => "ACS3-HMAC-SHA256\n",
            SignatureVersion::V3Sm3 => "ACS3-HMAC-SM3\n",
            V1 => "POST&%2F&",
        };
        assert!(
            body["Message"]
                .as_str()
                .unwrap_or_default()
                .contains(expected_prefix),
            "the message shows the server's string to sign: {body}"
        );

        // A parameter changed after signing.
        let mut signed = Call::new(version, &[("PageSize", "10")]).sign(&emu.endpoint());
        signed.query = signed.query.replace("PageSize=10", "PageSize=11");
        send(&c, &emu, &signed)
            .await
            .assert_error(400, "SignatureDoesNotMatch");

        // Timestamps more than 15 minutes away, both directions.
        for offset in [-16 * 60, 16 * 60] {
            let mut stale = Call::new(version, &[]);
            let at = time::OffsetDateTime::now_utc() + time::Duration::seconds(offset);
            stale.timestamp = Some(format_timestamp(at));
            call(&c, &emu, &stale)
                .await
                .assert_error(400, "InvalidTimeStamp.Expired");
        }
        // Within the window is fine.
        let mut recent = Call::new(version, &[]);
        recent.timestamp = Some(format_timestamp(
            time::OffsetDateTime::now_utc() - time::Duration::minutes(10),
        ));
        assert_eq!(call(&c, &emu, &recent).await.status, 200);

        // A malformed timestamp.
        let mut garbled = Call::new(version, &[]);
        garbled.timestamp = Some("2024-13-45T99:00:00Z".into());
        call(&c, &emu, &garbled)
            .await
            .assert_error(400, "InvalidTimeStamp.Format");

        // A nonce used twice.
        let mut first = Call::new(version, &[]);
        first.nonce = Some(format!("nonce-reuse-{version}"));
        assert_eq!(call(&c, &emu, &first).await.status, 200);
        call(&c, &emu, &first)
            .await
            .assert_error(400, "SignatureNonceUsed");
    }

    // Missing signature parts.
    let signed = Call::new(V3, &[]).sign(&emu.endpoint());
    let mut no_auth = signed.clone();
    no_auth.headers.retain(|(n, _)| *n != "authorization");
    send(&c, &emu, &no_auth)
        .await
        .assert_error(400, "IncompleteSignature");
    let mut no_sig = signed.clone();
    for (n, v) in &mut no_sig.headers {
        if *n == "authorization" {
            *v = v.split(",Signature=").next().unwrap_or_default().to_owned();
        }
    }
    send(&c, &emu, &no_sig)
        .await
        .assert_error(400, "IncompleteSignature");
    let mut no_date = signed.clone();
    no_date.headers.retain(|(n, _)| *n != "x-acs-date");
    send(&c, &emu, &no_date)
        .await
        .assert_error(400, "IncompleteSignature");
    let v1 = Call::new(V1, &[]).sign(&emu.endpoint());
    let mut no_nonce = v1.clone();
    no_nonce.query = no_nonce
        .query
        .split('&')
        .filter(|p| !p.starts_with("SignatureNonce="))
        .collect::<Vec<_>>()
        .join("&");
    send(&c, &emu, &no_nonce)
        .await
        .assert_error(400, "IncompleteSignature");

    // A body that does not match x-acs-content-sha256.
    let mut with_form = Call::new(V3, &[]);
    with_form.form = Some(pairs(&[("PageSize", "5")]));
    let mut tampered = with_form.sign(&emu.endpoint());
    tampered.body = b"PageSize=6".to_vec();
    send(&c, &emu, &tampered)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
}

#[tokio::test]
async fn action_and_version_errors() {
    let emu = start(20, 1).await;
    let c = client();
    for version in SignatureVersion::ALL {
        let mut unknown = Call::new(version, &[]);
        unknown.action = "DescribeEverything";
        let body = call(&c, &emu, &unknown)
            .await
            .assert_error(404, "InvalidAction.NotFound");
        let message = body["Message"].as_str().unwrap_or_default();
        assert!(message.contains("\"DescribeEverything\""), "{body}");
        assert!(!message.contains("not implement"), "{body}");
        // Every action of the API is served: none is InvalidAction.NotFound.
        for name in ["DescribeVaults", "DescribeRegions", "CheckRole"] {
            let mut served = Call::new(version, &[]);
            served.action = name;
            let resp = call(&c, &emu, &served).await;
            assert_ne!(
                resp.status,
                404,
                "{name}: {}",
                String::from_utf8_lossy(&resp.body)
            );
        }
        let mut old = Call::new(version, &[]);
        old.api_version = "2014-05-26";
        call(&c, &emu, &old)
            .await
            .assert_error(400, "InvalidVersion");
    }
}

#[tokio::test]
async fn parameter_errors_name_the_parameter() {
    let emu = start(20, 1).await;
    let c = client();
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case] = &[
        (&[("PageSize", "100")], "InvalidParameter", "PageSize"),
        (&[("PageSize", "0")], "InvalidParameter", "PageSize"),
        (&[("PageSize", "ten")], "InvalidParameter", "PageSize"),
        (
            &[("PageSize", "99999999999999999999999")],
            "InvalidParameter",
            "PageSize",
        ),
        (&[("PageNumber", "0")], "InvalidParameter", "PageNumber"),
        (&[("PageNumber", "-3")], "InvalidParameter", "PageNumber"),
        (&[("PageNumber", "1e3")], "InvalidParameter", "PageNumber"),
        (&[("RestoreType", "ECS")], "InvalidParameter", "RestoreType"),
        (
            &[("RestoreType", "ecs_file")],
            "InvalidParameter",
            "RestoreType",
        ),
        (&[("Edition", "ENTERPRISE")], "InvalidParameter", "Edition"),
        (
            &[("Filters.1.Values.1", "x")],
            "MissingParameter",
            "Filters.1.Key",
        ),
        (
            &[("Filters.1.Key", "Status")],
            "MissingParameter",
            "Filters.1.Values",
        ),
        (
            &[("Filters.1.Key", "Colour"), ("Filters.1.Values.1", "x")],
            "InvalidParameter",
            "Filters.1.Key",
        ),
        (
            &[
                ("Filters.1.Key", "Status"),
                ("Filters.1.Operator", "LIKE"),
                ("Filters.1.Values.1", "x"),
            ],
            "InvalidParameter",
            "Filters.1.Operator",
        ),
        (
            &[("Filters.0.Key", "Status")],
            "InvalidParameter",
            "Filters.0.Key",
        ),
        (
            &[("Filters.x.Key", "Status")],
            "InvalidParameter",
            "Filters.x.Key",
        ),
        (
            &[("Filters.1.Values", "x")],
            "InvalidParameter",
            "Filters.1.Values",
        ),
        (
            &[("Filters", r#"[{"Key":"Status","Values":["FAILED"]}]"#)],
            "InvalidParameter",
            "Filters",
        ),
    ];
    for (params, code, name) in cases {
        let resp = describe(&c, &emu, params).await;
        let body = resp.assert_error(400, code);
        assert!(
            body["Message"].as_str().unwrap_or_default().contains(name),
            "{params:?}: the message names {name}: {body}"
        );
    }
    // Edition values accepted.
    for edition in ["BASIC", "STANDARD"] {
        assert_eq!(
            describe(&c, &emu, &[("Edition", edition)]).await.status,
            200
        );
    }
}

#[tokio::test]
async fn paths_methods_and_body_limits() {
    let emu = start(20, 1).await;
    let c = client();
    let signed = Call::new(V3, &[]).sign(&emu.endpoint());
    send_as(&c, &emu, reqwest::Method::POST, "/v1/jobs", &signed)
        .await
        .assert_error(404, "InvalidApi.NotFound");
    send_as(&c, &emu, reqwest::Method::DELETE, "/", &signed)
        .await
        .assert_error(405, "UnsupportedHTTPMethod");

    // A body over 1 MiB.
    let mut big = Call::new(V3, &[]);
    big.form = Some(vec![("Padding".to_owned(), "x".repeat((1 << 20) + 10))]);
    let signed = big.sign(&emu.endpoint());
    send(&c, &emu, &signed)
        .await
        .assert_error(413, "RequestEntityTooLarge");

    // GET with a v3 signature over GET.
    let call_ = Call::new(V3, &[("PageSize", "3")]);
    let mut signed = call_.sign(&emu.endpoint());
    let signed_names: Vec<&str> = {
        let auth = signed.header("authorization").unwrap_or_default();
        let list = auth.split("SignedHeaders=").nth(1).unwrap_or_default();
        list.split(',')
            .next()
            .unwrap_or_default()
            .split(';')
            .collect()
    };
    let headers: Vec<(&str, &str)> = signed_names
        .iter()
        .map(|n| (*n, signed.header(n).unwrap_or_default()))
        .collect();
    let canonical = v3::canonical_request(
        "GET",
        "/",
        &v3::canonical_query(&pairs(&[("PageSize", "3")])),
        &headers,
        v3::EMPTY_PAYLOAD_SHA256,
    );
    let signature = v3::signature(
        hbr_emulator::DEMO_ACCESS_KEY_SECRET,
        &v3::string_to_sign(&canonical),
    );
    let auth = format!(
        "ACS3-HMAC-SHA256 Credential={},SignedHeaders={},Signature={signature}",
        hbr_emulator::DEMO_ACCESS_KEY_ID,
        signed_names.join(";")
    );
    for (n, v) in &mut signed.headers {
        if *n == "authorization" {
            *v = auth.clone();
        }
    }
    let resp = send_as(&c, &emu, reqwest::Method::GET, "/", &signed).await;
    assert_success_shape(&resp, 1, 3);
}

#[tokio::test]
async fn bad_percent_encoding_is_a_json_400() {
    let emu = start(20, 1).await;
    let c = client();
    for query in ["PageSize=%zz", "PageSize=%FF%FE", "Signature=%"] {
        let resp = c
            .post(format!("{}/?{query}", emu.url()))
            .send()
            .await
            .expect("sent");
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.expect("body");
        let body: Value = serde_json::from_slice(&bytes).expect("JSON error body");
        assert_eq!(status, 400, "{query}: {body}");
        assert!(body["Code"].is_string() && body["RequestId"].is_string());
    }
    assert_eq!(describe(&c, &emu, &[]).await.status, 200);
}

/// A v1 request signed for `method` with every parameter in the URL query.
fn v1_signed_for(
    method: &str,
    host: &str,
    query: &[(String, String)],
) -> hbr_runtime::signing::SignedRequest {
    let key = SigningKey {
        access_key_id: hbr_emulator::DEMO_ACCESS_KEY_ID,
        access_key_secret: hbr_emulator::DEMO_ACCESS_KEY_SECRET,
        security_token: None,
        provider_name: "static_ak",
    };
    let timestamp = format_timestamp(time::OffsetDateTime::now_utc());
    let nonce = new_nonce();
    let req = RequestToSign {
        host,
        action: "DescribeRestoreJobs2",
        version: "2017-09-08",
        user_agent: UA,
        query,
        form: None,
        timestamp: &timestamp,
        nonce: &nonce,
        retry: None,
    };
    v1::sign_with_method(method, &key, &req).0
}

#[tokio::test]
async fn v1_is_verified_with_the_request_method() {
    let emu = start(20, 1).await;
    let c = client();
    let query = pairs(&[
        ("PageSize", "4"),
        ("Filters.1.Key", "Status"),
        ("Filters.1.Values.1", "COMPLETE"),
    ]);
    // A GET signed for GET, parameters in the query: accepted.
    let get = v1_signed_for("GET", &emu.endpoint(), &query);
    let resp = send_as(&c, &emu, reqwest::Method::GET, "/", &get).await;
    let body = assert_success_shape(&resp, 1, 4);
    for job in body["RestoreJobs"]["RestoreJob"].as_array().unwrap() {
        assert_eq!(job["Status"], "COMPLETE");
    }
    // A POST signed for POST (what the SDK sends) still works.
    let post = v1_signed_for("POST", &emu.endpoint(), &query);
    assert_success_shape(&send(&c, &emu, &post).await, 1, 4);
    // Signed for POST, sent as GET (and the other way round): the string to sign differs.
    for (method, signed_for) in [
        (reqwest::Method::GET, "POST"),
        (reqwest::Method::POST, "GET"),
    ] {
        let signed = v1_signed_for(signed_for, &emu.endpoint(), &query);
        let body = send_as(&c, &emu, method.clone(), "/", &signed)
            .await
            .assert_error(400, "SignatureDoesNotMatch");
        let message = body["Message"].as_str().unwrap_or_default();
        assert!(message.contains(&format!("{method}&%2F&")), "{message}");
    }
}
