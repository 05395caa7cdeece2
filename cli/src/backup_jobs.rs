//! `hbr backup-jobs list`: DescribeBackupJobs2 with friendly flags, one page or every page,
//! with the time and status columns of `restore-jobs list`.

use hbr_client::describe_backup_jobs2::{
    BackupJobItem, BackupJobKey, BackupJobStatus, DescribeBackupJobs2Request, Filter,
};
use hbr_client::types::{Operator, SourceType};

use crate::admin_args::BackupListArgs;
use crate::connect::Session;
use crate::error::CliError;
use crate::format;
use crate::friendly;
use crate::listing::{self, text, Shape};
use crate::output::OutputArg;

/// The table of backup jobs.
const SHAPE: Shape<BackupJobItem> = Shape {
    noun: ("backup job", "backup jobs"),
    columns: &[
        ("JOB ID", false),
        ("SOURCE", false),
        ("STATUS", false),
        ("PROGRESS", true),
        ("DONE/TOTAL", true),
        ("CREATED", false),
        ("COMPLETED", false),
        ("VAULT", false),
    ],
    row,
};

/// The request the flags describe, checked before anything is sent (a typo of a documented
/// status or source type is refused here).
pub fn request(args: &BackupListArgs) -> Result<DescribeBackupJobs2Request, CliError> {
    let mut builder = DescribeBackupJobs2Request::builder();
    if let Some(t) = &args.source_type {
        let t = friendly::value("--source-type", t, SourceType::VALUES)?;
        builder = builder.source_type(SourceType::from(t.as_str()));
    }
    let statuses = args
        .status
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| friendly::value("--status", s, BackupJobStatus::VALUES))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(f) = filter(BackupJobKey::Status, &statuses)? {
        builder = builder.filter(f);
    }
    let vaults: Vec<String> = args
        .vault_id
        .iter()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    if let Some(f) = filter(BackupJobKey::VaultId, &vaults)? {
        builder = builder.filter(f);
    }
    Ok(builder.build().map_err(hbr_client::Error::from)?)
}

/// A condition on `key`: nothing for no values, EQUAL for one, IN for several.
fn filter(key: BackupJobKey, values: &[String]) -> Result<Option<Filter>, CliError> {
    let operator = match values.len() {
        0 => return Ok(None),
        1 => Operator::Equal,
        _ => Operator::In,
    };
    let filter = Filter::builder()
        .key(key)
        .operator(operator)
        .values(values.iter().map(String::as_str))
        .build()
        .map_err(hbr_client::Error::from)?;
    Ok(Some(filter))
}

/// Lists the jobs and prints them.
pub async fn list(
    session: &Session,
    request: DescribeBackupJobs2Request,
    all: bool,
    output: Option<&OutputArg>,
) -> Result<(), CliError> {
    let listed = listing::numbered(&session.client, request, all).await?;
    listing::print(&listed, output, &SHAPE)
}

/// A job's table row. Progress is in hundredths of a percent, as restore jobs report it.
fn row(job: &BackupJobItem) -> Vec<String> {
    vec![
        text(job.job_id()),
        text(job.source_type().map(AsRef::as_ref)),
        text(job.status().map(AsRef::as_ref)),
        format::percent(job.progress().map(|p| f64::from(p) / 100.0)),
        format::done_total(job.bytes_done(), job.bytes_total()),
        format::utc_minute(job.created_time()),
        format::utc_minute(job.complete_time()),
        text(job.vault_id()),
    ]
}
