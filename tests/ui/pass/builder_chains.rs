//! The documented builder chains compile, standalone and bound to a client.
use hbr_client::describe_restore_jobs2::{DescribeRestoreJobs2Request, Edition, Filter};
use hbr_client::types::RestoreType;
use hbr_client::Client;

async fn send(client: &Client) -> Result<(), hbr_client::Error> {
    let page = client
        .describe_restore_jobs2()
        .restore_type(RestoreType::EcsFile)
        .filter(Filter::vault_id().equal("v-0006abc"))
        .filter(Filter::complete_time().between(1554347313_i64, 1654347313_i64))
        .page_size(50)
        .send()
        .await?;
    let _ = page.total_count();
    Ok(())
}

fn main() -> Result<(), hbr_client::ValidationError> {
    let request = DescribeRestoreJobs2Request::builder()
        .page_number(2)
        .set_page_size(Some(10))
        .edition(Edition::Standard)
        .filters(vec![Filter::status().is_in([hbr_client::describe_restore_jobs2::RestoreJobStatus::Failed])])
        .build()?;
    let _ = request.page_number();
    let _ = send;
    Ok(())
}
