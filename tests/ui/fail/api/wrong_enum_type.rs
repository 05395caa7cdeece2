use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, Edition};

fn main() {
    // RestoreType takes a RestoreType, not another enum.
    let _ = DescribeRestoreJobs2Request::builder().restore_type(Edition::Basic);
}
