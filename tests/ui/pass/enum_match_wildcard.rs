//! Matching a generated enum needs a wildcard arm, and then compiles.
use hbr_client::describe_restore_jobs2::RestoreJobStatus;

fn label(s: &RestoreJobStatus) -> &str {
    match s {
        RestoreJobStatus::Complete => "done",
        RestoreJobStatus::PartialComplete => "partly done",
        RestoreJobStatus::Failed => "failed",
        other => other.as_str(),
    }
}

fn main() {
    assert_eq!(label(&"RUNNING".parse().unwrap()), "RUNNING");
}
