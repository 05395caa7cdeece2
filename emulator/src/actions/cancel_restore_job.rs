//! `CancelRestoreJob`: a CREATED or RUNNING job goes through CANCELING to CANCELED.

use hbr_client::cancel_restore_job::CancelRestoreJobRequest;

use super::{Action, Call};
use crate::error::ApiError;
use crate::response::success_body;
use crate::store::{CancelError, Store};

pub(crate) const ACTION: Action = Action::of::<CancelRestoreJobRequest>(handle);

fn handle(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let restore_id = call.params.required("RestoreId")?;
    let vault_id = call.params.required("VaultId")?;
    match store.restore_jobs.cancel(restore_id, vault_id, call.now_ms) {
        Ok(()) => {
            store.saved();
            Ok(success_body(call.request_id, []))
        }
        Err(CancelError::NotFound) => Err(ApiError::new(
            404,
            "InvalidRestoreId.NotFound",
            format!("The specified restore job {restore_id:?} does not exist in vault {vault_id:?}."),
        )),
        Err(CancelError::Ended(status)) => Err(ApiError::new(
            400,
            "IncorrectRestoreJobStatus",
            format!(
                "The restore job {restore_id:?} is {status}; only a CREATED or RUNNING job can be cancelled."
            ),
        )),
    }
}
