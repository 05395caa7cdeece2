use hbr_client::describe_restore_jobs2::Filter;

fn main() {
    // The service refuses IN on CompleteTime; the typed key does not offer it.
    let _ = Filter::complete_time().is_in([1554347313_i64, 1654347313]);
}
