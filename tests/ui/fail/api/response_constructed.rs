use hbr_client::describe_restore_jobs2::RestoreJob;

fn main() {
    // Response types come from the service; they cannot be built from outside.
    let _ = RestoreJob { restore_id: Some(Default::default()) };
}
