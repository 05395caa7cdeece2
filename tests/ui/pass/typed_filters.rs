//! Each typed filter key offers the comparisons that fit it.
use std::time::SystemTime;

use hbr_client::describe_restore_jobs2::{Filter, FilterKey, Operator, RestoreJobStatus};

fn main() {
    let t = time::OffsetDateTime::now_utc();
    let _: Vec<Filter> = vec![
        Filter::region_id().equal("cn-hangzhou"),
        Filter::plan_id().not_equal("po-1"),
        Filter::job_id().is_in(["job-1", "job-2"]),
        Filter::vault_id().equal(String::from("v-1")),
        Filter::instance_id().is_in(vec!["i-1".to_owned()]),
        Filter::bucket().equal("b"),
        Filter::file_system_id().not_equal("fs-1"),
        Filter::status().equal(RestoreJobStatus::Complete),
        Filter::status().is_in([RestoreJobStatus::Failed, RestoreJobStatus::PartialComplete]),
        Filter::complete_time().greater_than(1554347313_i64),
        Filter::complete_time().greater_than_or_equal(t),
        Filter::complete_time().less_than(SystemTime::now()),
        Filter::complete_time().less_than_or_equal(t),
        Filter::complete_time().equal(0_i64),
        Filter::complete_time().not_equal(t),
        Filter::complete_time().between(t, SystemTime::now()),
        Filter::raw(FilterKey::Unknown("Region".into()), Operator::In, ["x"]),
    ];
}
