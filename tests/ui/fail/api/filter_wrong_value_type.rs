use hbr_client::describe_restore_jobs2::Filter;

fn main() {
    // Status takes the RestoreJobStatus enum, not a string.
    let _ = Filter::status().equal("COMPLETE");
}
