use hbr_client::describe_restore_jobs2::Filter;

fn main() {
    // CompleteTime takes a point in time, not text.
    let _ = Filter::complete_time().greater_than("yesterday");
}
