//! `hbr call CREATE --reconcile`: a create that, when its answer is lost, looks for the job
//! it may have made before sending it again (see `hbr_client::reconcile`).

use hbr_client::create_backup_job::CreateBackupJobRequest;
use hbr_client::create_restore_job::CreateRestoreJobRequest;
use hbr_client::describe_backup_jobs2::DescribeBackupJobs2Request;
use hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Request;
use hbr_client::execute_backup_plan::ExecuteBackupPlanRequest;
use hbr_client::reconcile::{CreateOutcome, ReconcileOptions, Reconciled, ReconciledCreate};
use hbr_client::registry::{self, CallError, OperationInfo};
use hbr_client::{Client, ErrorKind, Operation};
use serde_json::{json, Value};

use crate::error::CliError;

/// Sends `input` for `op` as a reconciled create; the API-shaped answer: the job's ID
/// (`RestoreId` or `JobId`), and `RequestId` when the service answered.
pub async fn run(client: &Client, op: &OperationInfo, input: Value) -> Result<Value, CliError> {
    match op.name {
        CreateRestoreJobRequest::ACTION => {
            create::<CreateRestoreJobRequest>(client, input, "RestoreId").await
        }
        CreateBackupJobRequest::ACTION => {
            create::<CreateBackupJobRequest>(client, input, "JobId").await
        }
        ExecuteBackupPlanRequest::ACTION => {
            create::<ExecuteBackupPlanRequest>(client, input, "JobId").await
        }
        other => Err(CliError::Usage(format!(
            "--reconcile applies to {}, {} and {}, not to {other}",
            CreateRestoreJobRequest::ACTION,
            CreateBackupJobRequest::ACTION,
            ExecuteBackupPlanRequest::ACTION
        ))),
    }
}

/// A failed call of `op`; when its outcome is unknown and `op` is a create `--reconcile`
/// handles, with the listing that shows its job and the flag that looks for it.
pub fn with_hint(op: &OperationInfo, error: CallError) -> CliError {
    let listing = match op.name {
        CreateRestoreJobRequest::ACTION => DescribeRestoreJobs2Request::ACTION,
        CreateBackupJobRequest::ACTION | ExecuteBackupPlanRequest::ACTION => {
            DescribeBackupJobs2Request::ACTION
        }
        _ => return error.into(),
    };
    match error {
        CallError::Api(error) if error.kind() == ErrorKind::OutcomeUnknown => {
            CliError::OutcomeUnknown {
                error,
                hint: format!(
                    "{listing} lists the job if it was made; `hbr call {} --reconcile` looks for it before sending again",
                    op.name
                ),
            }
        }
        other => other.into(),
    }
}

async fn create<R>(client: &Client, input: Value, id_field: &str) -> Result<Value, CliError>
where
    R: ReconciledCreate + serde::de::DeserializeOwned,
{
    // Decoded and validated as `hbr call` does.
    let request: R = registry::decode(input)?;
    let created = client
        .create_reconciled(&request, &ReconcileOptions::default())
        .await?;
    if created.outcome() == CreateOutcome::Found {
        eprintln!(
            "note: the answer to {} was lost; the job it made, {}, was found (sent {} time(s))",
            R::ACTION,
            created.id(),
            created.sends()
        );
    }
    Ok(answer(&created, id_field))
}

fn answer(created: &Reconciled, id_field: &str) -> Value {
    let mut out = json!({ id_field: created.id() });
    if let Some(id) = created.request_id() {
        out["RequestId"] = Value::from(id);
    }
    out
}
