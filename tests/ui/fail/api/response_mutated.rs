use hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Response;

fn main() {
    let mut page: DescribeRestoreJobs2Response = serde_json::from_str("{}").unwrap();
    // Fields are read through accessors; they cannot be changed from outside.
    page.total_count = Some(3);
}
