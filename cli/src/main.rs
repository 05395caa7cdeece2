//! `hbr`: Alibaba Cloud Hybrid Backup Recovery (HBR) from the terminal.
//!
//! ```text
//! hbr [GLOBAL FLAGS] call OPERATION --input JSON|@FILE   any operation, API-shaped JSON in and out
//! hbr [GLOBAL FLAGS] call OPERATION --all [--max-items N] every page of a list operation
//!                                                        (page numbers or NextToken): one JSON
//!                                                        array of its items
//! hbr [GLOBAL FLAGS] call --list                         the operations
//! hbr [GLOBAL FLAGS] call OPERATION --help               its parameters, types, constraints, values
//! hbr [GLOBAL FLAGS] call OPERATION --Name VALUE ...     parameters as flags, as the aliyun CLI takes
//!                                                        them (with or over --input); --query EXPR
//!                                                        (JMESPath), --output cols=A,B rows=PATH
//! hbr [GLOBAL FLAGS] vaults list [--all]                 the vaults
//! hbr [GLOBAL FLAGS] backup-jobs list [--status S] [--source-type T] [--vault-id V] [--all]
//! hbr [GLOBAL FLAGS] snapshots list --vault-id V [--source-type T] [--all]
//! hbr [GLOBAL FLAGS] snapshots browse SNAPSHOT_ID [PATH] [--vault-id V] [--all]
//! hbr [GLOBAL FLAGS] restore-jobs create --snapshot-id S --vault-id V --type T [TARGETS] [--wait]
//! hbr [GLOBAL FLAGS] restore-jobs cancel RESTORE_ID --vault-id V
//! hbr [GLOBAL FLAGS] restore-jobs list [FILTERS]         restore jobs as a table or JSON
//! hbr [GLOBAL FLAGS] restore-jobs wait RESTORE_ID [--vault-id ID] [--timeout SECS]
//! hbr [GLOBAL FLAGS] backup-jobs wait JOB_ID [--timeout SECS]
//!                                                        until the job ends (0: complete)
//! hbr completions SHELL                                  a shell completion script
//! ```
//!
//! Global flags: `--endpoint URL`, `--region ID`, `--signature v3|sm3|v1`, `--emulator`,
//! `--output json|table`, `--profile NAME`, `--debug`, `--ca-bundle FILE`. `hbr call` of a
//! write takes `--retry-writes` (send it again even when it may have been processed) or, for
//! the creates, `--reconcile` (look for the job a lost answer made before sending again). Credentials come from the runtime's
//! default chain (`ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `_SECURITY_TOKEN`, then the
//! profile files of the official tools, ...), from the CLI profile named by `--profile`, or,
//! with `--emulator`, from the embedded emulator's demo key.
//!
//! # Exit status
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the service answered with an error (`Code`, HTTP status, message, request id), throttling included |
//! | 2 | usage error (clap's own), invalid input, a request that breaks a documented constraint (nothing sent), or a configuration error (no region, bad endpoint) |
//! | 3 | transport error: the endpoint could not be reached, a timeout fired, or the answer was not what the protocol promises |
//! | 4 | no usable credentials |
//! | 5 | a local failure: writing the output, starting the embedded emulator |
//! | 6 | a job waited for ended without completing (failed, partly complete, cancelled) |
//! | 7 | the wait for a job timed out |
//! | 8 | outcome unknown: a write (e.g. `CreateRestoreJob`) was sent and may have been processed, but no answer says whether it was (a timeout, a lost connection, an HTTP 5xx); it was not sent again. Check with the listing operation (e.g. `hbr restore-jobs list`) before sending it again |
//!
//! Every failure prints exactly one line on stderr, starting with `error: `; an API error reads
//! `error: <Code> (HTTP <status>): <Message> [request id <id>]`. A value of `hbr call`'s input
//! outside its parameter's documented values is sent as given, after one line
//! `warning: <Parameter>: "<value>" is not among the documented values (...); it is sent as
//! given`. A friendly flag's value one edit away from a documented value (`--status FAILD`) is
//! refused (exit 2, "did you mean FAILED"); any other undocumented value gets the same warning.
#![forbid(unsafe_code)]

mod admin_args;
mod args;
mod argv;
mod backup_jobs;
mod call;
mod call_all;
mod connect;
mod debug;
mod embedded;
mod error;
mod example;
mod filter_arg;
mod format;
mod friendly;
mod listing;
mod open_values;
mod output;
mod param_flags;
mod reconcile;
mod restore_create;
mod restore_jobs;
mod snapshots;
mod timearg;
mod vaults;
mod wait;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::admin_args::{SnapshotsCommand, VaultsCommand};
use crate::args::{BackupJobsCommand, Cli, Command, RestoreJobsCommand};
use crate::argv::ParamFlag;
use crate::error::CliError;

fn main() -> ExitCode {
    let split = match argv::split(std::env::args_os()) {
        Ok(split) => split,
        Err(e) => return fail(&CliError::Usage(e)),
    };
    let cli = match Cli::try_parse_from(split.args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors are clap's own, status 2.
            let code = if e.use_stderr() { error::EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli, &split.params) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => fail(&err),
    }
}

/// Prints the one line of a failure and gives its exit status.
fn fail(err: &CliError) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {}", err.one_line());
    ExitCode::from(err.exit_code())
}

/// Runs one parsed command line; `params` are the API parameters given as flags, which only
/// `call` takes.
fn run(cli: Cli, params: &[ParamFlag]) -> Result<(), CliError> {
    if let (Some(first), false) = (params.first(), matches!(cli.command, Command::Call(_))) {
        return Err(CliError::Usage(format!(
            "unexpected argument '--{}': API parameters as flags go with `hbr call OPERATION`",
            first.name
        )));
    }
    let global = &cli.global;
    match cli.command {
        Command::Completions(args) => {
            let mut command = Cli::command();
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            clap_complete::generate(args.shell, &mut command, "hbr", &mut out);
            out.flush().map_err(CliError::Output)
        }
        Command::Call(args) => {
            let Some(plan) = call::run_offline(&args, global, params)? else {
                return Ok(());
            };
            block_on(global, |session| async move {
                call::run(&session, &args, plan).await
            })
        }
        Command::Vaults(VaultsCommand::List(args)) => {
            let output = global.output.as_ref();
            block_on(global, |session| async move {
                vaults::list(&session, args.all, output).await
            })
        }
        Command::BackupJobs(BackupJobsCommand::List(args)) => {
            let request = backup_jobs::request(&args)?;
            let output = global.output.as_ref();
            block_on(global, |session| async move {
                backup_jobs::list(&session, request, args.all, output).await
            })
        }
        Command::BackupJobs(BackupJobsCommand::Wait(args)) => {
            let output = global.format("backup-jobs wait")?;
            block_on(global, |session| async move {
                wait::backup_job(&session, &args, output).await
            })
        }
        Command::Snapshots(SnapshotsCommand::List(args)) => {
            let request = snapshots::request(&args.vault_id, args.source_type.as_deref())?;
            let output = global.output.as_ref();
            block_on(global, |session| async move {
                snapshots::list(&session, request, args.all, output).await
            })
        }
        Command::Snapshots(SnapshotsCommand::Browse(args)) => {
            snapshots::check_browse(&args)?;
            let output = global.output.as_ref();
            block_on(global, |session| async move {
                snapshots::browse(&session, &args, output).await
            })
        }
        Command::RestoreJobs(command) => restore_jobs_command(global, command),
    }
}

/// `hbr restore-jobs ...`.
fn restore_jobs_command(
    global: &args::GlobalArgs,
    command: RestoreJobsCommand,
) -> Result<(), CliError> {
    match command {
        RestoreJobsCommand::List(args) => {
            let plan = restore_jobs::Plan::from_args(&args, global.format("restore-jobs list")?)?;
            block_on(global, |session| async move {
                restore_jobs::list(&session, &plan).await
            })
        }
        RestoreJobsCommand::Wait(args) => {
            let output = global.format("restore-jobs wait")?;
            block_on(global, |session| async move {
                wait::restore_job(&session, &args, output).await
            })
        }
        RestoreJobsCommand::Create(args) => {
            let output = global.format("restore-jobs create")?;
            let checked = restore_create::check(&args)?;
            block_on(global, |session| async move {
                restore_create::create(&session, &args, checked, output).await
            })
        }
        RestoreJobsCommand::Cancel(args) => {
            let output = global.format("restore-jobs cancel")?;
            block_on(global, |session| async move {
                restore_create::cancel(&session, &args, output).await
            })
        }
    }
}

/// Builds the async runtime, connects (starting the embedded emulator when asked) and runs
/// `body` with the connection.
fn block_on<F, Fut>(global: &args::GlobalArgs, body: F) -> Result<(), CliError>
where
    F: FnOnce(connect::Session) -> Fut,
    Fut: std::future::Future<Output = Result<(), CliError>>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Local(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let session = connect::Session::open(global).await?;
        body(session).await
    })
}
