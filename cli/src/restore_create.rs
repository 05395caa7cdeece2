//! `hbr restore-jobs create` and `hbr restore-jobs cancel`: CreateRestoreJob from friendly
//! flags (the snapshot's source type and hash looked up from the snapshot), optionally
//! waiting for the job; CancelRestoreJob.
//!
//! Both are writes: the client never sends them again after a failure that leaves open
//! whether they were done, and that failure exits 8 with where to look.

use std::io::Write;

use hbr_client::cancel_restore_job::CancelRestoreJobRequest;
use hbr_client::create_restore_job::CreateRestoreJobRequest;
use hbr_client::types::{RestoreType, SourceType};
use hbr_client::ErrorKind;

use crate::admin_args::{RestoreCancelArgs, RestoreCreateArgs};
use crate::args::{OutputFormat, RestoreWaitArgs};
use crate::connect::Session;
use crate::error::CliError;
use crate::friendly;

/// The flags that set a parameter of CreateRestoreJob, by the parameter's wire name, so
/// that a refused parameter is named by the flag that set it.
const TARGET_FLAGS: [(&str, &str); 4] = [
    ("TargetInstanceId", "--target-instance-id"),
    ("TargetPath", "--target-path"),
    ("TargetBucket", "--target-bucket"),
    ("TargetPrefix", "--target-prefix"),
];

/// A create checked before anything is sent.
#[derive(Debug)]
pub struct Create {
    restore_type: RestoreType,
}

/// Checks the flags: the restore type (a typo of a documented one is refused) and the
/// documented rules on which targets a restore type takes. The rules are checked here with
/// the snapshot's source type still unknown, standing in the restore type's own name: the
/// rules on targets depend on the restore type only.
pub fn check(args: &RestoreCreateArgs) -> Result<Create, CliError> {
    let restore_type = friendly::value("--type", &args.restore_type, RestoreType::VALUES)?;
    let restore_type = RestoreType::from(restore_type.as_str());
    request(
        args,
        &restore_type,
        SourceType::from(restore_type.as_str()),
        None,
    )?;
    Ok(Create { restore_type })
}

/// The request with everything the flags set, checked.
fn request(
    args: &RestoreCreateArgs,
    restore_type: &RestoreType,
    source_type: SourceType,
    snapshot_hash: Option<&str>,
) -> Result<CreateRestoreJobRequest, CliError> {
    let mut builder = CreateRestoreJobRequest::builder()
        .restore_type(restore_type.clone())
        .source_type(source_type)
        .vault_id(args.vault_id.as_str())
        .snapshot_id(args.snapshot_id.as_str());
    if let Some(v) = &args.target_instance_id {
        builder = builder.target_instance_id(v.as_str());
    }
    if let Some(v) = &args.target_path {
        builder = builder.target_path(v.as_str());
    }
    if let Some(v) = &args.target_bucket {
        builder = builder.target_bucket(v.as_str());
    }
    if let Some(v) = &args.target_prefix {
        builder = builder.target_prefix(v.as_str());
    }
    if let Some(hash) = snapshot_hash {
        builder = builder.snapshot_hash(hash);
    }
    builder.build().map_err(|e| refused(&e))
}

/// A refused request, named by the flag that set the parameter.
fn refused(error: &hbr_client::ValidationError) -> CliError {
    let flag = TARGET_FLAGS
        .iter()
        .find(|(wire, _)| *wire == error.parameter())
        .map(|(_, flag)| format!("{flag}: "))
        .unwrap_or_default();
    CliError::Usage(format!("{flag}{error}"))
}

/// Looks the snapshot up, sends the create, prints the new RestoreId and, with `--wait`,
/// waits for the job.
pub async fn create(
    session: &Session,
    args: &RestoreCreateArgs,
    checked: Create,
    output: Option<OutputFormat>,
) -> Result<(), CliError> {
    let snapshot =
        crate::snapshots::find(&session.client, &args.snapshot_id, Some(&args.vault_id)).await?;
    let source_type = snapshot.source_type().cloned().ok_or_else(|| {
        CliError::Usage(format!("snapshot {} has no SourceType", args.snapshot_id))
    })?;
    let hash = snapshot.snapshot_hash().filter(|h| !h.is_empty());
    let request = request(args, &checked.restore_type, source_type, hash)?;
    let response = session
        .client
        .execute(&request)
        .await
        .map_err(|e| unknown_hint(e, &args.vault_id))?;
    let restore_id = response.restore_id().unwrap_or_default().to_owned();
    let mut out = std::io::stdout().lock();
    match (output, args.wait) {
        (Some(OutputFormat::Json), false) => {
            hbr_client::to_json_writer(&mut out, &response)
                .map_err(|e| CliError::Output(std::io::Error::other(e)))?;
            writeln!(out).map_err(CliError::Output)?;
        }
        // The job's JSON, printed when it has ended, is the one JSON value on stdout.
        (Some(OutputFormat::Json), true) => {}
        _ => writeln!(out, "{restore_id}").map_err(CliError::Output)?,
    }
    out.flush().map_err(CliError::Output)?;
    drop(out);
    if !args.wait {
        return Ok(());
    }
    let wait = RestoreWaitArgs {
        restore_id,
        vault_id: Some(args.vault_id.clone()),
        timeout: None,
    };
    crate::wait::restore_job(session, &wait, output).await
}

/// Cancels the job and says so.
pub async fn cancel(
    session: &Session,
    args: &RestoreCancelArgs,
    output: Option<OutputFormat>,
) -> Result<(), CliError> {
    let request = CancelRestoreJobRequest::builder()
        .restore_id(args.restore_id.as_str())
        .vault_id(args.vault_id.as_str())
        .build()
        .map_err(hbr_client::Error::from)?;
    let response = session
        .client
        .execute(&request)
        .await
        .map_err(|e| unknown_hint(e, &args.vault_id))?;
    let mut out = std::io::stdout().lock();
    match output {
        Some(OutputFormat::Json) => {
            hbr_client::to_json_writer(&mut out, &response)
                .map_err(|e| CliError::Output(std::io::Error::other(e)))?;
            writeln!(out).map_err(CliError::Output)?;
        }
        _ => writeln!(out, "{} cancel requested", args.restore_id).map_err(CliError::Output)?,
    }
    out.flush().map_err(CliError::Output)
}

/// A write whose outcome is unknown (exit 8) says where to check.
fn unknown_hint(error: hbr_client::Error, vault_id: &str) -> CliError {
    if error.kind() == ErrorKind::OutcomeUnknown {
        CliError::OutcomeUnknown {
            error,
            hint: format!(
                "`hbr restore-jobs list --vault-id {vault_id}` shows whether it was done; check before running it again"
            ),
        }
    } else {
        CliError::Client(error)
    }
}
