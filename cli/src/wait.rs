//! `hbr restore-jobs wait` and `hbr backup-jobs wait`: the generated waiters
//! (`RestoreJobFinished`, `BackupJobFinished`) on one job, selected by its ID.
//!
//! The job's status and progress show on a progress bar while it runs, on a terminal only.
//! When it completes, the job is printed (one line, or its JSON with `--output json`) and
//! the exit status is 0; when it ends otherwise or the timeout passes, one line on stderr
//! and a non-zero status ([`crate::error::EXIT_JOB_FAILED`], [`crate::error::EXIT_TIMED_OUT`]).

use std::io::{IsTerminal, Write};
use std::time::Duration;

use hbr_client::describe_backup_jobs2::{self as backup, DescribeBackupJobs2Request};
use hbr_client::describe_restore_jobs2::{self as restore, DescribeRestoreJobs2Request, Operator};
use hbr_client::{WaitError, WaitFor, Waiter};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::args::{BackupWaitArgs, OutputFormat, RestoreWaitArgs};
use crate::connect::Session;
use crate::error::CliError;

/// Waits for the restore job `args.restore_id`.
pub async fn restore_job(
    session: &Session,
    args: &RestoreWaitArgs,
    output: Option<OutputFormat>,
) -> Result<(), CliError> {
    let mut builder = DescribeRestoreJobs2Request::builder()
        .filter(restore::Filter::job_id().equal(args.restore_id.as_str()));
    if let Some(vault) = &args.vault_id {
        builder = builder.filter(restore::Filter::vault_id().equal(vault.as_str()));
    }
    let request = builder.build().map_err(hbr_client::Error::from)?;
    let waiter = session.client.wait_until_restore_job_finished(request);
    let bar = Bar::new("restore job", &args.restore_id);
    let progress = bar.clone();
    let waiter = waiter.on_poll(move |job: &restore::RestoreJob| {
        progress.show(job.status().map(|s| s.as_str()), job.progress_percent());
    });
    let job = finish(waiter, args.timeout, &bar, "restore job", &args.restore_id).await?;
    let line = format!(
        "{} {}",
        job.restore_id().unwrap_or(&args.restore_id),
        job.status().map(|s| s.as_str()).unwrap_or_default()
    );
    print(&job, &line, output)
}

/// Waits for the backup job `args.job_id`.
pub async fn backup_job(
    session: &Session,
    args: &BackupWaitArgs,
    output: Option<OutputFormat>,
) -> Result<(), CliError> {
    let filter = backup::Filter::builder()
        .key(backup::BackupJobKey::JobId)
        .operator(Operator::Equal)
        .values([args.job_id.as_str()])
        .build()
        .map_err(hbr_client::Error::from)?;
    let request = DescribeBackupJobs2Request::builder()
        .filter(filter)
        .build()
        .map_err(hbr_client::Error::from)?;
    let bar = Bar::new("backup job", &args.job_id);
    let progress = bar.clone();
    let waiter = session
        .client
        .wait_until_backup_job_finished(request)
        .on_poll(move |job: &backup::BackupJobItem| {
            // Progress is in hundredths of a percent, as restore jobs report it.
            progress.show(
                job.status().map(|s| s.as_str()),
                job.progress().map(|p| f64::from(p) / 100.0),
            );
        });
    let job = finish(waiter, args.timeout, &bar, "backup job", &args.job_id).await?;
    let line = format!(
        "{} {}",
        job.job_id().unwrap_or(&args.job_id),
        job.status().map(|s| s.as_str()).unwrap_or_default()
    );
    print(&job, &line, output)
}

/// Runs the waiter (with the timeout asked for, else the spec's) and turns its end into the
/// command's outcome.
async fn finish<W: WaitFor>(
    waiter: Waiter<W>,
    timeout: Option<u64>,
    bar: &Bar,
    what: &str,
    id: &str,
) -> Result<W::Item, CliError>
where
    W::Item: std::fmt::Debug,
{
    let waiter = match timeout {
        Some(secs) => waiter.timeout(Duration::from_secs(secs)),
        None => waiter,
    };
    let result = waiter.wait().await;
    bar.clear();
    result.map_err(|e| match e {
        WaitError::Failed { status, .. } => {
            CliError::JobFailed(format!("{what} {id} ended {status}"))
        }
        WaitError::TimedOut {
            after, last_status, ..
        } => CliError::TimedOut(format!(
            "{what} {id} has not ended after {}s (last status {})",
            after.as_secs(),
            last_status
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or("unknown")
        )),
        WaitError::NotFound { .. } => CliError::Usage(format!("{what} {id} does not exist")),
        WaitError::Api(e) => CliError::Client(e),
    })
}

/// Prints the finished job: its line, or its JSON.
fn print<T: Serialize>(job: &T, line: &str, output: Option<OutputFormat>) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match output {
        Some(OutputFormat::Json) => {
            serde_json::to_writer(&mut out, job)
                .map_err(|e| CliError::Output(std::io::Error::other(e)))?;
            writeln!(out).map_err(CliError::Output)
        }
        _ => writeln!(out, "{line}").map_err(CliError::Output),
    }
}

/// The progress bar on stderr, or nothing when stderr is not a terminal.
#[derive(Clone)]
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new(what: &str, id: &str) -> Self {
        Self(std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(100), ProgressDrawTarget::stderr());
            let template =
                format!("{{spinner}} {what} {id} {{msg}} {{wide_bar}} {{pos}}% {{elapsed}}");
            bar.set_style(
                ProgressStyle::with_template(&template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        }))
    }

    fn show(&self, status: Option<&str>, percent: Option<f64>) {
        if let Some(bar) = &self.0 {
            bar.set_message(status.unwrap_or_default().to_owned());
            if let Some(p) = percent {
                bar.set_position(p.clamp(0.0, 100.0) as u64);
            }
        }
    }

    fn clear(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
