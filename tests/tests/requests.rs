//! Requests: the builder, the documented constraints checked before sending, and the
//! API-shaped JSON that `hbr call` takes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use hbr_client::describe_restore_jobs2::{
    DescribeRestoreJobs2Request, Edition, Filter, FilterKey, Operator,
};
use hbr_client::types::RestoreType;
use hbr_client::{Operation, ValidationError};

/// A filter as `hbr call` would decode it from API-shaped JSON: not validated on its own, so
/// that the request's validation is what the tests exercise.
fn filter(key: FilterKey, op: Option<Operator>, values: &[&str]) -> Filter {
    let mut json = serde_json::json!({"Key": key.as_str(), "Values": values});
    if let Some(op) = op {
        json["Operator"] = serde_json::Value::from(op.as_str());
    }
    serde_json::from_value(json).expect("filter decodes")
}

#[test]
fn a_filter_built_alone_is_checked_too() {
    let err = Filter::builder()
        .key(FilterKey::CompleteTime)
        .operator(Operator::Between)
        .values(["1554347313"])
        .build()
        .expect_err("BETWEEN with one value");
    assert_eq!(err.parameter(), "Values");
    let ok = Filter::builder()
        .key(FilterKey::VaultId)
        .values(["v-1", "v-2"])
        .build()
        .expect("valid");
    assert_eq!(ok.values(), ["v-1", "v-2"]);
}

fn check(
    b: hbr_client::describe_restore_jobs2::DescribeRestoreJobs2RequestBuilder,
) -> Result<DescribeRestoreJobs2Request, ValidationError> {
    b.build()
}

#[test]
fn builder_sets_every_parameter_and_encodes_them_sorted() {
    let req = DescribeRestoreJobs2Request::builder()
        .page_number(3)
        .page_size(50)
        .restore_type(RestoreType::Oss)
        .edition(Edition::Basic)
        .filter(filter(FilterKey::VaultId, Some(Operator::Equal), &["v-1"]))
        .filter(filter(
            FilterKey::CompleteTime,
            Some(Operator::Between),
            &["1554347313", "1654347313"],
        ))
        .build()
        .expect("valid");
    assert_eq!(req.page_number(), Some(3));
    assert_eq!(req.page_size(), Some(50));
    assert_eq!(req.restore_type(), Some(&RestoreType::Oss));
    assert_eq!(req.filters().len(), 2);
    let q = req.encode().query;
    let keys: Vec<&str> = q.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "Edition",
            "Filters.1.Key",
            "Filters.1.Operator",
            "Filters.1.Values.1",
            "Filters.2.Key",
            "Filters.2.Operator",
            "Filters.2.Values.1",
            "Filters.2.Values.2",
            "PageNumber",
            "PageSize",
            "RestoreType"
        ]
    );
    assert_eq!(q[0].1, "BASIC");
    assert_eq!(q[10].1, "OSS");
}

#[test]
fn defaults_are_not_sent() {
    let req = DescribeRestoreJobs2Request::builder()
        .build()
        .expect("valid");
    assert!(req.encode().query.is_empty());
}

fn violation(r: Result<DescribeRestoreJobs2Request, ValidationError>) -> (String, String) {
    let err = r.expect_err("must be refused before sending");
    let v = &err.violations()[0];
    (v.parameter.clone(), err.to_string())
}

#[test]
fn page_size_out_of_range_is_refused() {
    for size in [0, 100, -1] {
        let (param, msg) = violation(check(
            DescribeRestoreJobs2Request::builder().page_size(size),
        ));
        assert_eq!(param, "PageSize");
        assert!(msg.contains("PageSize: must be between 1 and 99"), "{msg}");
        assert!(msg.contains(&format!("got {size}")), "{msg}");
    }
    for ok in [1, 99] {
        check(DescribeRestoreJobs2Request::builder().page_size(ok)).expect("in range");
    }
    let (param, msg) = violation(check(DescribeRestoreJobs2Request::builder().page_number(0)));
    assert_eq!(param, "PageNumber");
    assert!(msg.contains("must be at least 1"), "{msg}");
}

#[test]
fn six_filters_are_refused() {
    let mut b = DescribeRestoreJobs2Request::builder();
    for i in 0..6 {
        b = b.filter(filter(FilterKey::VaultId, None, &[&format!("v-{i}")]));
    }
    let (param, msg) = violation(check(b));
    assert_eq!(param, "Filters");
    assert!(msg.contains("at most 5 items, got 6"), "{msg}");
}

#[test]
fn five_hundred_and_one_values_are_refused() {
    let values: Vec<String> = (0..501).map(|i| format!("v-{i}")).collect();
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    let (param, msg) = violation(check(
        DescribeRestoreJobs2Request::builder().filter(filter(FilterKey::VaultId, None, &refs)),
    ));
    assert_eq!(param, "Filters.1.Values");
    assert!(msg.contains("at most 500 items, got 501"), "{msg}");
    check(DescribeRestoreJobs2Request::builder().filter(filter(
        FilterKey::VaultId,
        None,
        &refs[..500],
    )))
    .expect("500 is fine");
}

#[test]
fn between_needs_exactly_two_values() {
    for values in [&["1554347313"][..], &["1", "2", "3"][..], &[][..]] {
        let (param, msg) = violation(check(DescribeRestoreJobs2Request::builder().filter(
            filter(FilterKey::CompleteTime, Some(Operator::Between), values),
        )));
        assert_eq!(param, "Filters.1.Values", "{values:?}");
        assert!(msg.contains("BETWEEN"), "{msg}");
    }
}

#[test]
fn in_on_complete_time_is_refused_explicit_or_by_default() {
    let (param, msg) = violation(check(DescribeRestoreJobs2Request::builder().filter(
        filter(FilterKey::CompleteTime, Some(Operator::In), &["1554347313"]),
    )));
    assert_eq!(param, "Filters.1.Operator");
    assert!(msg.contains("CompleteTime"), "{msg}");
    // No operator means IN, which CompleteTime does not take either.
    let (param, _) = violation(check(
        DescribeRestoreJobs2Request::builder().filter(filter(
            FilterKey::CompleteTime,
            None,
            &["1554347313"],
        )),
    ));
    assert_eq!(param, "Filters.1.Operator");
    // The comparisons are fine.
    check(DescribeRestoreJobs2Request::builder().filter(filter(
        FilterKey::CompleteTime,
        Some(Operator::GreaterThanOrEqual),
        &["1554347313"],
    )))
    .expect("comparison on CompleteTime");
}

#[test]
fn every_violation_is_reported_together() {
    let err = check(
        DescribeRestoreJobs2Request::builder()
            .page_size(100)
            .page_number(0)
            .filter(filter(FilterKey::CompleteTime, Some(Operator::In), &["1"])),
    )
    .expect_err("invalid");
    let params: Vec<&str> = err
        .violations()
        .iter()
        .map(|v| v.parameter.as_str())
        .collect();
    assert_eq!(params, ["PageNumber", "PageSize", "Filters.1.Operator"]);
}

#[test]
fn api_json_decodes_with_clear_errors() {
    let req: DescribeRestoreJobs2Request = serde_json::from_str(
        r#"{"PageSize":"10","Filters":[{"Key":"VaultId","Values":["v-1"],"Operator":"IN"}]}"#,
    )
    .expect("integers may be strings");
    assert_eq!(req.page_size(), Some(10));
    assert_eq!(req.filters()[0].key(), Some(&FilterKey::VaultId));

    let err = serde_json::from_str::<DescribeRestoreJobs2Request>(r#"{"PageSiz":10}"#)
        .expect_err("unknown");
    assert!(
        err.to_string()
            .contains("unknown parameter `PageSiz`; did you mean `PageSize`?"),
        "{err}"
    );

    let err = serde_json::from_str::<DescribeRestoreJobs2Request>(r#"{"PageSize":"ten"}"#)
        .expect_err("bad int");
    assert!(err.to_string().contains("PageSize"), "{err}");

    let err =
        serde_json::from_str::<DescribeRestoreJobs2Request>(r#"{"Filters":[{"Kye":"VaultId"}]}"#)
            .expect_err("nested");
    assert!(err.to_string().contains("did you mean `Key`?"), "{err}");

    // Serialize gives the API shape back.
    let back = serde_json::to_value(&req).expect("serializes");
    assert_eq!(
        back,
        serde_json::json!({"PageSize":10,"Filters":[{"Key":"VaultId","Values":["v-1"],"Operator":"IN"}]})
    );
}

/// `values:` in the spec: DescribeBackupJobs2 documents nine of the shared `SourceType`'s
/// values (`SYNC` among them, which the official SDK 2.7.1 documents). Lists of values
/// grow on the service first (it lists `CONTAINER` jobs, which CreateBackupJob makes), so any
/// other value, of the enum or unknown to it, is sent as given, nested ones too; the bounds of the same request still
/// refuse before sending.
#[test]
fn a_value_outside_an_operations_documented_values_is_sent_as_given() {
    use hbr_client::describe_backup_jobs2::{BackupJobKey, DescribeBackupJobs2Request, Filter};
    use hbr_client::types::SourceType;
    let documented = hbr_client::registry::find("DescribeBackupJobs2")
        .ok()
        .and_then(|op| op.parameters.iter().find(|p| p.name == "SourceType"))
        .map(|p| p.values)
        .unwrap_or_default();
    assert!(documented.contains(&"ECS_FILE") && documented.contains(&"SYNC"));
    assert!(!documented.contains(&"CONTAINER"));
    for (value, wire) in [
        (SourceType::EcsFile, "ECS_FILE"),
        (SourceType::Container, "CONTAINER"),
        (SourceType::from("NEW_SOURCE"), "NEW_SOURCE"),
    ] {
        let request = DescribeBackupJobs2Request::builder()
            .source_type(value)
            .build()
            .expect("sent as given");
        let sent = request.encode().query;
        assert!(
            sent.contains(&("SourceType".to_owned(), wire.to_owned())),
            "{wire}: {sent:?}"
        );
    }
    let filter = Filter::builder()
        .key(BackupJobKey::from("DataSourceId"))
        .values(vec!["ds-1".to_owned()])
        .build()
        .expect("a filter");
    let request = DescribeBackupJobs2Request::builder()
        .filter(filter)
        .build()
        .expect("an unknown filter key is sent");
    assert!(request
        .encode()
        .query
        .contains(&("Filters.1.Key".to_owned(), "DataSourceId".to_owned())));
    // A documented bound is still a refusal naming the parameter; nothing is sent.
    let err = DescribeBackupJobs2Request::builder()
        .source_type(SourceType::from("NEW_SOURCE"))
        .page_size(101)
        .build()
        .expect_err("PageSize is at most 100");
    assert_eq!(err.parameter(), "PageSize");
    // The operation's module re-exports the shared enum it uses.
    let _: hbr_client::describe_backup_jobs2::SourceType = SourceType::EcsFile;
}
