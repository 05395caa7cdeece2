use hbr_client::describe_restore_jobs2::Filter;

fn main() {
    // BETWEEN takes exactly two values: [min, max].
    let _ = Filter::complete_time().between(1554347313_i64);
}
