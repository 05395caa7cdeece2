//! The facts the generated code exposes come from the spec: the tests' own spec
//! (`tests/spec/ListNotes.yaml`) states other bounds, defaults and filter keys than
//! DescribeRestoreJobs2 (`api-spec`), and the generated consts differ accordingly. Expected
//! values are read off the YAML files and the reference documentation, not off generated code.

use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, Filter};
use hbr_client::facts::{FilterKind, PageParams, Scalar};
use hbr_tests::test_ops::list_notes::{ListNotesRequest, NoteColor, NoteFilter, NoteKey};

#[test]
fn page_bounds_and_defaults_follow_each_spec() {
    // tests/spec/ListNotes.yaml: PageSize 2..=30, default 5; PageNumber >= 1, default 1.
    let size = ListNotesRequest::PAGE_SIZE;
    assert_eq!(size.wire, "PageSize");
    assert_eq!((size.minimum, size.maximum), (Some(2), Some(30)));
    assert_eq!(size.default, Some(Scalar::Int(5)));
    assert_eq!(<ListNotesRequest as PageParams>::MAX_PAGE_SIZE, 30);
    assert_eq!(<ListNotesRequest as PageParams>::PAGE_SIZE, size);
    assert_eq!(
        <ListNotesRequest as PageParams>::PAGE_NUMBER.minimum,
        Some(1)
    );
    assert_eq!(ListNotesRequest::FILTERS.max_items, Some(3));
    assert_eq!(NoteFilter::VALUES.max_items, Some(7));

    // The DescribeRestoreJobs2 documentation: PageSize 1 to 99, 10 by default; at most 5
    // filters of at most 500 values.
    let size = DescribeRestoreJobs2Request::PAGE_SIZE;
    assert_eq!((size.minimum, size.maximum), (Some(1), Some(99)));
    assert_eq!(size.default, Some(Scalar::Int(10)));
    assert_eq!(
        <DescribeRestoreJobs2Request as PageParams>::MAX_PAGE_SIZE,
        99
    );
    assert_eq!(DescribeRestoreJobs2Request::FILTERS.max_items, Some(5));
    assert_eq!(Filter::VALUES.max_items, Some(500));
    assert_eq!(Filter::OPERATOR.default, Some(Scalar::Str("IN")));
}

#[test]
fn the_bound_is_the_one_the_request_is_checked_against() {
    let max =
        i32::try_from(ListNotesRequest::PAGE_SIZE.maximum.unwrap_or_default()).unwrap_or_default();
    assert!(ListNotesRequest::builder().page_size(max).build().is_ok());
    let err = ListNotesRequest::builder()
        .page_size(max + 1)
        .build()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("PageSize: must be between 2 and 30"), "{err}");
}

#[test]
fn filter_keys_and_their_operators_follow_each_spec() {
    let keys: Vec<&str> = NoteFilter::FILTER_KEYS.iter().map(|k| k.key).collect();
    assert_eq!(keys, ["Author", "Color", "Written"]);
    assert_eq!(NoteKey::VALUES, &["Author", "Color", "Written"]);
    let kinds: Vec<FilterKind> = NoteFilter::FILTER_KEYS.iter().map(|k| k.kind).collect();
    assert_eq!(
        kinds,
        [
            FilterKind::String,
            FilterKind::Enum(&["YELLOW", "PINK"]),
            FilterKind::Time
        ]
    );
    assert_eq!(NoteColor::VALUES, &["YELLOW", "PINK"]);
    // A string or enum key compares with EQUAL, NOT_EQUAL and IN; a time key with the six
    // comparisons and BETWEEN, never IN (hbr_runtime::filter's typed keys).
    let author = &NoteFilter::FILTER_KEYS[0];
    assert_eq!(author.operators, &["EQUAL", "NOT_EQUAL", "IN"]);
    let written = &NoteFilter::FILTER_KEYS[2];
    assert!(written.accepts("BETWEEN") && written.accepts("LESS_THAN_OR_EQUAL"));
    assert!(!written.accepts("IN"));

    // DescribeRestoreJobs2: nine keys, Status over the restore job states, CompleteTime a time.
    assert_eq!(Filter::FILTER_KEYS.len(), 9);
    let status = Filter::FILTER_KEYS.iter().find(|k| k.key == "Status");
    assert_eq!(
        status.map(|k| k.kind),
        Some(FilterKind::Enum(&[
            "COMPLETE",
            "PARTIAL_COMPLETE",
            "FAILED"
        ]))
    );
    let time: Vec<&str> = Filter::FILTER_KEYS
        .iter()
        .filter(|k| k.kind == FilterKind::Time)
        .map(|k| k.key)
        .collect();
    assert_eq!(time, ["CompleteTime"]);
}
