//! The checks of [`super::check`] on operations of every shape, against values worked out by
//! hand from the spec files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};

use super::{check, Wire};
use crate::error::ApiError;

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Checks `query` and `body` as a request of `action`.
fn run(action: &str, query: &[(&str, &str)], body: &[(&str, &str)]) -> Result<Value, ApiError> {
    let op = hbr_client::registry::find(action).unwrap();
    let mut params = pairs(query);
    params.extend(pairs(body));
    check(
        op,
        Wire {
            params: &params,
            query_count: query.len(),
            check_places: true,
        },
    )
}

#[track_caller]
fn refused(r: Result<Value, ApiError>, code: &str, parameter: &str) -> ApiError {
    let e = r.unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str(), e.parameter.as_deref()),
        (400, code, Some(parameter)),
        "{e}"
    );
    e
}

#[test]
fn repeat_lists_become_arrays_in_index_order_with_typed_scalars() {
    let got = run(
        "DescribeRestoreJobs2",
        &[
            ("Filters.2.Key", "VaultId"),
            ("Filters.2.Values.1", "v-1"),
            ("Filters.1.Key", "Status"),
            ("Filters.1.Values.2", "COMPLETE"),
            ("Filters.1.Values.1", "FAILED"),
            ("PageSize", "5"),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(
        got,
        json!({
            "PageSize": 5,
            "Filters": [
                {"Key": "Status", "Values": ["FAILED", "COMPLETE"]},
                {"Key": "VaultId", "Values": ["v-1"]}
            ]
        })
    );
}

#[test]
fn required_parameters_missing_or_empty_are_named() {
    refused(
        run("CreateVault", &[("VaultRegionId", "cn-hangzhou")], &[]),
        "MissingParameter",
        "VaultName",
    );
    refused(
        run(
            "CreateVault",
            &[("VaultRegionId", "cn-hangzhou"), ("VaultName", "")],
            &[],
        ),
        "MissingParameter",
        "VaultName",
    );
    let ok = run(
        "CreateVault",
        &[
            ("VaultRegionId", "cn-hangzhou"),
            ("VaultName", "v"),
            ("VaultStorageClass", "ARCHIVE"),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(ok["VaultStorageClass"], "ARCHIVE");
}

#[test]
fn types_enums_ranges_and_rules_are_checked_where_they_are() {
    refused(
        run("DescribeRestoreJobs2", &[("PageSize", "ten")], &[]),
        "InvalidParameter",
        "PageSize",
    );
    // The range is the typed request's check.
    let e = refused(
        run("DescribeRestoreJobs2", &[("PageSize", "100")], &[]),
        "InvalidParameter",
        "PageSize",
    );
    assert!(e.message.contains("99"), "{e}");
    refused(
        run(
            "DescribeRestoreJobs2",
            &[("Filters.1.Key", "Nope"), ("Filters.1.Values.1", "x")],
            &[],
        ),
        "InvalidParameter",
        "Filters.1.Key",
    );
    refused(
        run(
            "CreateVault",
            &[
                ("VaultRegionId", "r"),
                ("VaultName", "n"),
                ("VaultStorageClass", "standard"),
            ],
            &[],
        ),
        "InvalidParameter",
        "VaultStorageClass",
    );
    // A cross-field rule of the spec: CompleteTime cannot use IN (the default operator).
    let e = run(
        "DescribeRestoreJobs2",
        &[
            ("Filters.1.Key", "CompleteTime"),
            ("Filters.1.Values.1", "1"),
        ],
        &[],
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameter");
    assert!(
        e.parameter
            .as_deref()
            .unwrap_or_default()
            .starts_with("Filters.1"),
        "{e}"
    );
    // Booleans in any case (the Python SDK sends True).
    let ok = run(
        "DeleteSnapshot",
        &[("SnapshotId", "s-1"), ("Force", "True")],
        &[],
    )
    .unwrap();
    assert_eq!(ok["Force"], true);
    refused(
        run(
            "DeleteSnapshot",
            &[("SnapshotId", "s-1"), ("Force", "1")],
            &[],
        ),
        "InvalidParameter",
        "Force",
    );
}

#[test]
fn json_parameters_are_parsed_checked_and_unknown_members_dropped() {
    let rules = r#"[{"RuleType":"BACKUP","Schedule":"I|1700000000|P1D","Retention":"7","NoSuchMember":[]}]"#;
    let got = run(
        "CreatePolicyV2",
        &[],
        &[("PolicyName", "p"), ("Rules", rules)],
    )
    .unwrap();
    assert_eq!(
        got["Rules"],
        json!([{"RuleType": "BACKUP", "Schedule": "I|1700000000|P1D", "Retention": 7}])
    );
    refused(
        run("CreatePolicyV2", &[], &[("Rules", r#"[{"Schedule":"x"}]"#)]),
        "MissingParameter",
        "Rules.1.RuleType",
    );
    refused(
        run(
            "CreatePolicyV2",
            &[],
            &[("Rules", r#"[{"RuleType":"NOPE"}]"#)],
        ),
        "InvalidParameter",
        "Rules.1.RuleType",
    );
    refused(
        run("CreatePolicyV2", &[], &[("Rules", "[{")]),
        "InvalidParameter",
        "Rules",
    );
    refused(
        run(
            "CreatePolicyV2",
            &[],
            &[("Rules", r#"{"RuleType":"BACKUP"}"#)],
        ),
        "InvalidParameter",
        "Rules",
    );
}

#[test]
fn each_parameter_must_travel_where_and_how_the_spec_sends_it() {
    // PolicyName goes in the form body.
    let e = refused(
        run("CreatePolicyV2", &[("PolicyName", "p")], &[]),
        "InvalidParameter",
        "PolicyName",
    );
    assert!(e.message.contains("form body"), "{e}");
    // PageSize goes in the URL query.
    refused(
        run("DescribeRestoreJobs2", &[], &[("PageSize", "5")]),
        "InvalidParameter",
        "PageSize",
    );
    // Rules is one JSON text, not numbered items.
    let e = refused(
        run("CreatePolicyV2", &[], &[("Rules.1.RuleType", "BACKUP")]),
        "InvalidParameter",
        "Rules",
    );
    assert!(e.message.contains("JSON"), "{e}");
    // Filters are numbered items, not one JSON text.
    refused(
        run(
            "DescribeRestoreJobs2",
            &[("Filters", r#"[{"Key":"VaultId","Values":["v"]}]"#)],
            &[],
        ),
        "InvalidParameter",
        "Filters",
    );
    // The body's repeatList (DescribeVaults.Tag) in the body is fine.
    let got = run(
        "DescribeVaults",
        &[],
        &[("Tag.1.Key", "env"), ("Tag.1.Value", "prod")],
    )
    .unwrap();
    assert_eq!(got["Tag"], json!([{"Key": "env", "Value": "prod"}]));
}

#[test]
fn without_the_place_check_only_the_style_is_checked() {
    // What v1 requests get: the query and the body are one signed set.
    let loose = |action: &str, query: &[(&str, &str)], body: &[(&str, &str)]| {
        let op = hbr_client::registry::find(action).unwrap();
        let mut params = pairs(query);
        params.extend(pairs(body));
        check(
            op,
            Wire {
                params: &params,
                query_count: query.len(),
                check_places: false,
            },
        )
    };
    let got = loose("CreatePolicyV2", &[("PolicyName", "p")], &[]).unwrap();
    assert_eq!(got["PolicyName"], "p");
    let got = loose(
        "DescribeRestoreJobs2",
        &[],
        &[
            ("PageSize", "5"),
            ("Filters.1.Key", "Status"),
            ("Filters.1.Values.1", "FAILED"),
        ],
    )
    .unwrap();
    assert_eq!(got["PageSize"], 5);
    assert_eq!(got["Filters"][0]["Values"], json!(["FAILED"]));
    // The style still counts, and so does everything else.
    refused(
        loose("CreatePolicyV2", &[("Rules.1.RuleType", "BACKUP")], &[]),
        "InvalidParameter",
        "Rules",
    );
    refused(
        loose("DescribeRestoreJobs2", &[], &[("PageSize", "500")]),
        "InvalidParameter",
        "PageSize",
    );
}

#[test]
fn unknown_parameters_are_ignored_and_malformed_names_refused() {
    let got = run("DescribeVaults", &[("Nope", "1"), ("PageSize", "3")], &[]).unwrap();
    assert_eq!(got, json!({"PageSize": 3}));
    for bad in ["Filters.0.Key", "Filters..Key", "Filters.1.Key."] {
        let e = run("DescribeRestoreJobs2", &[(bad, "VaultId")], &[]).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.parameter.as_deref()),
            ("InvalidParameter", Some(bad)),
            "{e}"
        );
    }
    // A list given a member name, a scalar given members.
    let e = refused(
        run("DescribeRestoreJobs2", &[("Filters.x.Key", "VaultId")], &[]),
        "InvalidParameter",
        "Filters.x.Key",
    );
    assert!(e.message.contains("Filters is a list"), "{e}");
    refused(
        run("DescribeRestoreJobs2", &[("PageSize.1", "3")], &[]),
        "InvalidParameter",
        "PageSize.1",
    );
    refused(
        run(
            "DescribeRestoreJobs2",
            &[("PageSize", "3"), ("PageSize.1", "3")],
            &[],
        ),
        "InvalidParameter",
        "PageSize",
    );
}

#[test]
fn conditional_parameters_are_refused_like_the_client_refuses_them() {
    // The spec's `only_when`: TargetBucket applies only to restores into OSS.
    let e = refused(
        run(
            "CreateRestoreJob",
            &[
                ("RestoreType", "ECS_FILE"),
                ("SourceType", "ECS_FILE"),
                ("TargetBucket", "bucket-1"),
            ],
            &[],
        ),
        "InvalidParameter",
        "TargetBucket",
    );
    assert!(
        e.message.contains("only when `RestoreType` is `OSS`"),
        "{e}"
    );
    let ok = [
        ("RestoreType", "OSS"),
        ("SourceType", "OSS"),
        ("TargetBucket", "bucket-1"),
    ];
    assert!(run("CreateRestoreJob", &ok, &[]).is_ok());
    // `when` + `required`: a KMS-encrypted vault names its key.
    let e = refused(
        run(
            "CreateVault",
            &[
                ("VaultRegionId", "cn-hangzhou"),
                ("VaultName", "v"),
                ("EncryptType", "KMS"),
            ],
            &[],
        ),
        "InvalidParameter",
        "KmsKeyId",
    );
    assert!(
        e.message.contains("required when `EncryptType` is `KMS`"),
        "{e}"
    );
}

/// Open value sets: DescribeBackupJobs2 documents eight of the shared `SourceType`'s values;
/// another value of that enum (CONTAINER, which CreateBackupJob makes jobs of) is accepted,
/// as the service judges values itself. A value the spec knows nowhere is refused, naming
/// every value the enum knows.
#[test]
fn an_enum_value_outside_the_operations_documented_ones_is_accepted() {
    let op = hbr_client::registry::find("DescribeBackupJobs2").unwrap();
    let info = op
        .parameters
        .iter()
        .find(|p| p.name == "SourceType")
        .unwrap();
    assert!(!info.values.contains(&"CONTAINER"), "{:?}", info.values);
    let ok = run("DescribeBackupJobs2", &[("SourceType", "CONTAINER")], &[]).unwrap();
    assert_eq!(ok["SourceType"], "CONTAINER");
    let e = refused(
        run("DescribeBackupJobs2", &[("SourceType", "TAPE")], &[]),
        "InvalidParameter",
        "SourceType",
    );
    assert!(e.message.contains("\"TAPE\""), "{e}");
    assert!(e.message.contains("CONTAINER"), "{e}");
    // Nested: a rule's BackupType on UpdatePolicyV2 documents COMPLETE only; the enum knows more.
    let rules = |backup: &str| format!(r#"[{{"RuleType":"BACKUP","BackupType":"{backup}"}}]"#);
    let ok = run(
        "UpdatePolicyV2",
        &[],
        &[("PolicyId", "po-1"), ("Rules", &rules("INCREMENTAL"))],
    )
    .unwrap();
    assert_eq!(ok["Rules"][0]["BackupType"], "INCREMENTAL");
    let e = refused(
        run(
            "UpdatePolicyV2",
            &[],
            &[("PolicyId", "po-1"), ("Rules", &rules("NOPE"))],
        ),
        "InvalidParameter",
        "Rules.1.BackupType",
    );
    assert!(e.message.contains("\"NOPE\""), "{e}");
}
