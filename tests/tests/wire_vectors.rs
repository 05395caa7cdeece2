//! For every request recorded from the official Python SDK, the typed request decoded from
//! the vector's `input` encodes to exactly the vector's business parameters: its wire query
//! minus the signing parameters, in the same order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Request;
use hbr_client::Operation;
use hbr_tests::{form_decode, wire_vectors, SIGNING_PARAMS};

#[test]
fn every_vector_encodes_to_its_business_parameters() {
    let vectors = wire_vectors();
    let list = vectors["vectors"].as_array().expect("vectors array");
    assert_eq!(list.len(), 16, "the reference file holds 16 vectors");
    for v in list {
        let name = format!("{} ({})", v["name"], v["signature"]);
        let request: DescribeRestoreJobs2Request = serde_json::from_value(v["input"].clone())
            .unwrap_or_else(|e| panic!("{name}: input does not decode: {e}"));
        hbr_client::__private::Validate::validate(&request)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let params = request.encode();
        assert!(
            params.body.is_empty(),
            "{name}: DescribeRestoreJobs2 sends no body"
        );
        let raw = v["wire"]["raw_query"].as_str().expect("raw_query");
        let expected: Vec<(String, String)> = form_decode(raw)
            .into_iter()
            .filter(|(k, _)| !SIGNING_PARAMS.contains(&k.as_str()))
            .collect();
        assert_eq!(params.query, expected, "{name}");
        assert_eq!(v["wire"]["body"].as_str(), Some(""), "{name}");
    }
}

#[test]
fn a_few_vectors_inline() {
    // Independent of the reference file: two recorded requests, written out by hand.
    let request: DescribeRestoreJobs2Request = serde_json::from_str(
        r#"{"Filters":[{"Key":"Status","Operator":"IN","Values":["COMPLETE","FAILED"]}]}"#,
    )
    .expect("decodes");
    let pairs: Vec<(String, String)> = request.encode().query;
    let expected = [
        ("Filters.1.Key", "Status"),
        ("Filters.1.Operator", "IN"),
        ("Filters.1.Values.1", "COMPLETE"),
        ("Filters.1.Values.2", "FAILED"),
    ];
    assert_eq!(pairs.len(), expected.len());
    for ((k, v), (ek, ev)) in pairs.iter().zip(expected) {
        assert_eq!((k.as_str(), v.as_str()), (ek, ev));
    }

    let request: DescribeRestoreJobs2Request =
        serde_json::from_str(r#"{"Filters":[],"PageNumber":2,"PageSize":99}"#).expect("decodes");
    assert_eq!(
        request.encode().query,
        vec![
            ("PageNumber".to_owned(), "2".to_owned()),
            ("PageSize".to_owned(), "99".to_owned())
        ]
    );
}
