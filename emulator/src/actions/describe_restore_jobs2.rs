//! `DescribeRestoreJobs2`: one page of restore jobs, seeded and created, filtered.

use hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Request;

use super::{Action, Call};
use crate::error::ApiError;
use crate::query::Query;
use crate::render;
use crate::store::Store;

pub(crate) const ACTION: Action = Action::of::<DescribeRestoreJobs2Request>(handle);

fn handle(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let query = Query::from_params(call.params.0)?;
    page_body(store, &query, call.request_id, call.now_ms)
}

/// The success body of `query` at `now` (unix ms).
pub(crate) fn page_body(
    store: &Store,
    query: &Query,
    request_id: &str,
    now: i64,
) -> Result<Vec<u8>, ApiError> {
    let jobs = &store.restore_jobs;
    let page = jobs.page(query, now)?;
    Ok(render::page_body(
        query,
        request_id,
        page.total,
        &page.jobs,
        jobs.ints_as_strings(),
    ))
}
