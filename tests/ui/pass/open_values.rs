//! Open value sets, closed bounds: a value outside an operation's documented values, or
//! outside the enum altogether, compiles (`From<&str>`, `Unknown`) and goes on the wire as
//! given; a documented bound still refuses at `build()`, naming the parameter.
use hbr_client::describe_backup_jobs2::{BackupJobKey, DescribeBackupJobs2Request, Filter};
use hbr_client::types::SourceType;
use hbr_client::Operation;

fn sent(request: &DescribeBackupJobs2Request, key: &str, value: &str) -> bool {
    request
        .encode()
        .query
        .iter()
        .any(|(k, v)| k == key && v == value)
}

fn main() {
    // DescribeBackupJobs2 documents eight source types; CONTAINER is another of the enum's.
    for (source, wire) in [
        (SourceType::Container, "CONTAINER"),
        (SourceType::from("SYNC"), "SYNC"),
        (SourceType::Unknown("FUTURE_SOURCE".to_owned()), "FUTURE_SOURCE"),
    ] {
        let request = DescribeBackupJobs2Request::builder()
            .source_type(source)
            .build();
        assert!(request.as_ref().is_ok_and(|r| sent(r, "SourceType", wire)), "{wire}");
    }
    // Nested values too: a filter key the enum does not know.
    let filter = Filter::builder()
        .key(BackupJobKey::from("DataSourceId"))
        .values(vec!["ds-1".to_owned()])
        .build();
    let request = filter.and_then(|f| DescribeBackupJobs2Request::builder().filter(f).build());
    assert!(request.is_ok_and(|r| sent(&r, "Filters.1.Key", "DataSourceId")));
    // Bounds are stable: PageSize is at most 100, whatever the source type.
    let refused = DescribeBackupJobs2Request::builder()
        .source_type(SourceType::from("SYNC"))
        .page_size(101)
        .build();
    assert_eq!(refused.err().map(|e| e.parameter().to_owned()).as_deref(), Some("PageSize"));
}
