//! Every kind of response field reads through an accessor.
use hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Response;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let page: DescribeRestoreJobs2Response = serde_json::from_str("{}")?;
    let _: Option<&str> = page.request_id();
    let _: Option<bool> = page.success();
    let _: Option<i32> = page.total_count();
    for job in page.restore_jobs() {
        let _: Option<&str> = job.restore_id();
        let _: Option<i64> = job.bytes_done();
        let _: Option<i32> = job.progress();
        let _: Option<f64> = job.progress_percent();
        let _: Option<time::OffsetDateTime> = job.complete_time();
        let _: Option<i64> = job.complete_time_raw();
        let _ = job.status().map(|s| s.as_str());
        let _ = job.ots_detail().and_then(|o| o.batch_channel_count());
        let _ = job.report().and_then(|r| r.report_task_status());
        let _ = job.options_parsed()?.and_then(|o| o.use_vss());
        let _: Option<Vec<String>> = job.include_parsed()?;
        let _ = job.failback_detail_parsed()?.map(|f| f.extra_parsed());
        let _: Option<&serde_json::Value> = job.file_detections();
    }
    let _jobs: Vec<_> = page.into_restore_jobs();
    Ok(())
}
