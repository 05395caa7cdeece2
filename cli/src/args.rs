//! The command line, as clap derive types.

use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use hbr_client::config::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT};
use hbr_client::describe_backup_jobs2::BackupJobFinished;
use hbr_client::describe_restore_jobs2::{
    DescribeRestoreJobs2Request, RestoreJobFinished, RestoreJobStatus,
};
use hbr_client::types::RestoreType;
use hbr_client::{Operation, WaitFor};

use crate::admin_args::{
    BackupListArgs, RestoreCancelArgs, RestoreCreateArgs, SnapshotsCommand, VaultsCommand,
};
use crate::error::CliError;
use crate::filter_arg::RawFilter;
use crate::output::{Columns, OutputArg};
use crate::timearg;

/// The exit statuses, shown at the end of `hbr --help`.
const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  success
  1  the service answered with an error (Code, HTTP status, message, request id)
  2  usage error, invalid input, or a request breaking a documented constraint (nothing sent),
     or a configuration error (no region, bad endpoint)
  3  transport error: endpoint unreachable, timeout, or an answer the protocol does not allow
  4  no usable credentials
  5  local failure (writing the output, starting the embedded emulator)
  6  a job waited for ended without completing (failed, partly complete, cancelled)
  7  the wait for a job timed out
  8  outcome unknown: a write was sent and may have been processed, but no answer says so
     (timeout, lost connection, HTTP 5xx); it was not sent again. Check with the listing
     operation (e.g. hbr restore-jobs list) before sending it again, or use
     `hbr call ... --reconcile` for the creates

Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET /
ALIBABA_CLOUD_SECURITY_TOKEN, then the profile files of the official tools (~/.aliyun/config.json,
~/.alibabacloud/credentials; roles: RamRoleArn, ChainableRamRoleArn, OIDC, ram_role_arn), then
the ECS instance role. --profile NAME picks a profile of ~/.aliyun/config.json; --emulator needs
none. ALIBABA_CLOUD_STS_ENDPOINT (a URL) overrides where roles are assumed. HTTPS_PROXY and
NO_PROXY are honoured; SSL_CERT_FILE replaces the system's certificate store.";

/// Alibaba Cloud Hybrid Backup Recovery (HBR, API 2017-09-08) from the terminal.
///
/// Call any HBR operation with API-shaped JSON (`hbr call`), list restore jobs with friendly
/// filters and automatic paging (`hbr restore-jobs list`), or try it all against an embedded
/// emulator (`--emulator`).
#[derive(Debug, Parser)]
#[command(name = "hbr", version = version_text(), after_long_help = EXIT_STATUS_HELP, propagate_version = true)]
pub struct Cli {
    /// Flags every command accepts.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// What `hbr --version` prints after the command's name: this crate's version and the HBR API
/// version the generated client speaks, e.g. `0.1.0 (HBR API 2017-09-08)`.
pub fn version_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        format!(
            "{} (HBR API {})",
            env!("CARGO_PKG_VERSION"),
            hbr_client::API_VERSION
        )
    })
}

/// Flags every command accepts.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Send requests to this endpoint instead of the regional one: a URL such as
    /// `http://127.0.0.1:8080` or `https://hbr.cn-hangzhou.aliyuncs.com` (http or https).
    #[arg(long, global = true, value_name = "URL", value_parser = parse_endpoint)]
    pub endpoint: Option<String>,

    /// The region, e.g. `cn-hangzhou` (endpoint `hbr.cn-hangzhou.aliyuncs.com`). Defaults to
    /// ALIBABA_CLOUD_REGION_ID, then the region of the CLI profile.
    #[arg(long, global = true, value_name = "ID")]
    pub region: Option<String>,

    /// The signature: v3 (ACS3-HMAC-SHA256), sm3 (ACS3-HMAC-SM3, China's national
    /// cryptography standard) or v1 (the legacy HMAC-SHA1 RPC signature).
    #[arg(long, global = true, value_enum, default_value_t = Signature::V3)]
    pub signature: Signature,

    /// Start the embedded emulator with demo data in this process and talk to it; no
    /// credentials are needed (its demo key is used).
    #[arg(long, global = true, conflicts_with = "endpoint")]
    pub emulator: bool,

    /// The output: `json`, `table` (the list commands' default), or `cols=A,B rows=PATH`
    /// for a table of the rows at PATH with those columns, as the aliyun CLI takes it (e.g.
    /// `--output cols=VaultId,VaultType rows=Vaults.Vault[]`; `num=true` numbers the rows;
    /// rows and columns are JMESPath). `call` prints JSON or `cols=`.
    #[arg(long, global = true, value_name = "json|table|cols=A,B rows=PATH",
          value_parser = OutputArg::parse)]
    pub output: Option<OutputArg>,

    /// The profile of the `aliyun` CLI configuration (~/.aliyun/config.json) whose
    /// credentials and region are used.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Print each request and response to stderr (secrets, signatures and security tokens
    /// are never printed).
    #[arg(long, global = true)]
    pub debug: bool,

    /// Trust the CA certificates of this PEM file too (e.g. a corporate proxy's CA), besides
    /// the system's certificate store and the bundled roots.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_bundle: Option<std::path::PathBuf>,

    /// How many attempts a call makes in all, the first included (1 to 100; default 3). 1
    /// turns retries off. Writes are never sent again after a failure that leaves open
    /// whether they were done.
    #[arg(long, global = true, value_name = "N", value_parser = parse_attempts)]
    pub max_attempts: Option<u32>,

    /// How long to wait for a connection to the endpoint, in seconds (fractions allowed).
    #[arg(long, global = true, value_name = "SECS", value_parser = parse_secs,
          help = secs_help("How long to wait for a connection to the endpoint", DEFAULT_CONNECT_TIMEOUT))]
    pub connect_timeout: Option<Duration>,

    /// How long to wait for the server between two reads of an answer, in seconds.
    #[arg(long, global = true, value_name = "SECS", value_parser = parse_secs,
          help = secs_help("How long the server may stay silent while answering", DEFAULT_READ_TIMEOUT))]
    pub read_timeout: Option<Duration>,

    /// How retries behave.
    #[arg(long, global = true, value_enum, default_value_t = RetryModeArg::Standard)]
    pub retry_mode: RetryModeArg,
}

impl GlobalArgs {
    /// `--output json|table`, for a command that prints no `cols=` table.
    pub fn format(&self, command: &str) -> Result<Option<OutputFormat>, CliError> {
        match &self.output {
            None => Ok(None),
            Some(OutputArg::Format(f)) => Ok(Some(*f)),
            Some(OutputArg::Cols(_)) => Err(CliError::Usage(format!(
                "--output cols=... does not apply to `{command}`; use --output json or table"
            ))),
        }
    }

    /// `--output`, for a command that prints JSON (`call`) or a `cols=` table of it.
    pub fn columns(&self) -> Option<&Columns> {
        match &self.output {
            Some(OutputArg::Cols(c)) => Some(c),
            _ => None,
        }
    }
}

/// The retry mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RetryModeArg {
    /// Retries with backoff; at most about 100 retries in a row while every call fails
    /// (the retry quota), so an outage is not made worse.
    Standard,
    /// As standard, and after the service throttles every request waits for a client-side
    /// rate limiter that settles at the service's rate.
    Adaptive,
}

/// The help of a timeout flag, with its default.
fn secs_help(what: &str, default: Duration) -> String {
    format!(
        "{what}, in seconds (fractions allowed; default {})",
        default.as_secs_f64()
    )
}

/// A positive number of seconds, at most a day.
fn parse_secs(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds (e.g. 2 or 0.5)"))?;
    if !(secs > 0.0 && secs <= 86_400.0) {
        return Err(format!(
            "{text} is out of range: a timeout is more than 0 and at most 86400 seconds"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A number of attempts: 1 to 100.
fn parse_attempts(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => Err(format!(
            "{text:?} is not a number of attempts from 1 to 100 (1: no retries)"
        )),
    }
}

/// The signature version requests are signed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Signature {
    /// ACS3-HMAC-SHA256 in the Authorization header (the default).
    V3,
    /// ACS3-HMAC-SM3 in the Authorization header: v3 with the SM3 hash.
    Sm3,
    /// The legacy HMAC-SHA1 RPC signature (SignatureVersion=1.0).
    V1,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// JSON in the API's own shape.
    Json,
    /// Aligned columns for people.
    Table,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Call any HBR operation: API-shaped JSON in, API-shaped JSON out.
    ///
    /// The input is the operation's request in the API's own shape, PascalCase names as in
    /// the documentation, arrays as JSON arrays, e.g.
    /// '{"PageSize":10,"Filters":[{"Key":"VaultId","Values":["v-1"],"Operator":"IN"}]}'.
    /// It is decoded into the typed request (an unknown parameter is an error that suggests
    /// the closest name), validated, signed and sent; the response is printed as JSON.
    /// Documented bounds, lengths, counts and rules refuse a request before it is sent; a
    /// value outside a parameter's documented values is sent as given, with one warning line
    /// on stderr (the service judges values, and its lists grow).
    ///
    /// Parameters can also be given as flags, the way the aliyun CLI takes them:
    /// `--PageSize 10 --Filters.1.Key Status --Filters.1.Values.1 FAILED`, or a JSON value
    /// for a list or an object (`--Filters '[{"Key":"Status","Values":["FAILED"]}]'`). They
    /// may be combined with --input, the flag winning over the same parameter there; an
    /// unknown name is refused with the closest known one.
    ///
    /// `--query EXPR` applies a JMESPath expression to the response before it is printed (as
    /// the AWS CLI does); `--output cols=A,B rows=PATH` prints a table instead of JSON (as the
    /// aliyun CLI does). With --all both apply to the array of items.
    ///
    /// `hbr call --list` lists the operations; `hbr call OPERATION --help` shows one
    /// operation's parameters and how it pages. `hbr call OPERATION --all` pages a list
    /// operation to the end and prints one JSON array of its items.
    Call(CallArgs),

    /// Backup vaults.
    #[command(subcommand)]
    Vaults(VaultsCommand),

    /// Backup jobs.
    #[command(subcommand)]
    BackupJobs(BackupJobsCommand),

    /// Snapshots: what a vault holds, and what a snapshot holds.
    #[command(subcommand)]
    Snapshots(SnapshotsCommand),

    /// Restore jobs.
    #[command(subcommand)]
    RestoreJobs(RestoreJobsCommand),

    /// Print a completion script for a shell (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
}

/// `hbr call`.
#[derive(Debug, Args)]
#[command(disable_help_flag = true)]
pub struct CallArgs {
    /// The operation, e.g. DescribeRestoreJobs2 (see `hbr call --list`).
    #[arg(value_name = "OPERATION")]
    pub operation: Option<String>,

    /// The request as API-shaped JSON, `@FILE` to read it from a file, or `@-` for stdin.
    /// Without it the request is `{}`.
    #[arg(long, value_name = "JSON|@FILE")]
    pub input: Option<String>,

    /// List the operations (name and summary).
    #[arg(long, conflicts_with_all = ["input", "describe", "dry_run"])]
    pub list: bool,

    /// Show the operation's parameters, types, constraints and values (same as --help after
    /// the operation name).
    #[arg(long)]
    pub describe: bool,

    /// Decode and validate the input, print the request as it would be sent, send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Retry a write like a read, also after a failure that leaves open whether it was
    /// processed (a timeout, a lost connection, a 5xx): it may then be done twice. Only for
    /// writes that are harmless when repeated.
    #[arg(long, conflicts_with = "reconcile")]
    pub retry_writes: bool,

    /// For CreateRestoreJob, CreateBackupJob and ExecuteBackupPlan: when the answer is lost,
    /// look for the job the request may have created (same parameters, created since it was
    /// sent) before sending it again, and print its ID.
    #[arg(long)]
    pub reconcile: bool,

    /// Page a list operation to the end (by page number or by NextToken, as it pages) and
    /// print one JSON array of the items of every page, in the API's shape (the objects
    /// under the operation's items field, e.g. each `Vault` of `Vaults`), one item a line,
    /// written as the pages arrive. The input's paging parameters set where the walk starts
    /// and the page size; without a page size the largest page is asked for. After an error
    /// the array stays unclosed and the exit status says what failed.
    #[arg(long, conflicts_with_all = ["reconcile", "retry_writes", "dry_run"])]
    pub all: bool,

    /// With --all: stop after this many items.
    #[arg(long, value_name = "N", requires = "all")]
    pub max_items: Option<u64>,

    /// A JMESPath expression applied to the response (with --all: to the array of items)
    /// before it is printed, e.g. 'Vaults.Vault[].VaultId'.
    #[arg(long, value_name = "EXPR", conflicts_with = "reconcile")]
    pub query: Option<String>,

    /// Print help (after OPERATION: the operation's parameters).
    #[arg(short = 'h', long, action = ArgAction::SetTrue)]
    pub help: bool,
}

/// `hbr restore-jobs ...`.
#[derive(Debug, Subcommand)]
pub enum RestoreJobsCommand {
    /// List restore jobs (DescribeRestoreJobs2), one page or every page.
    ///
    /// Flags taking several values (`--status COMPLETE,FAILED`, or the flag repeated) match
    /// any of them (operator IN); one value matches it exactly (EQUAL). `--filter` adds any
    /// other condition. At most `Filters`' `max_items` conditions can be sent in all.
    ///
    /// Without --all or --limit, one page is printed. Table output (the default) ends with a
    /// line giving the number of jobs shown and TotalCount; `--output json` prints one JSON
    /// array of jobs in the API's shape, written as the pages arrive.
    #[command(long_about = list_long_about())]
    List(ListArgs),

    /// Wait until a restore job has ended (the RestoreJobFinished waiter).
    ///
    /// Polls DescribeRestoreJobs2 for the job with the waiter's pauses and shows its status
    /// and progress on a terminal. Exits 0 when the job completes (printing it), 6 when it
    /// ends otherwise, 7 when the timeout passes first.
    #[command(long_about = wait_long_about::<RestoreJobFinished>("restore"))]
    Wait(RestoreWaitArgs),

    /// Start a restore job from a snapshot (CreateRestoreJob) and print its RestoreId.
    ///
    /// The snapshot's source type is looked up from the snapshot. A target flag that the
    /// restore type does not take (e.g. --target-bucket on an ECS_FILE restore) is refused
    /// before anything is sent, by the documented rules. A create is never sent again after
    /// a failure that leaves open whether it was done (exit 8). With --wait, waits until the
    /// job has ended, as `restore-jobs wait` does (exit 0 complete, 6 ended otherwise, 7 timed
    /// out).
    Create(RestoreCreateArgs),

    /// Cancel a restore job that has not ended (CancelRestoreJob).
    Cancel(RestoreCancelArgs),
}

/// `hbr restore-jobs wait`.
#[derive(Debug, Args)]
pub struct RestoreWaitArgs {
    /// The job's RestoreId.
    #[arg(value_name = "RESTORE_ID")]
    pub restore_id: String,

    /// The vault the job is in.
    #[arg(long, value_name = "ID")]
    pub vault_id: Option<String>,

    /// Seconds to wait at most (default: the waiter's).
    #[arg(long, value_name = "SECS", help = timeout_help::<RestoreJobFinished>())]
    pub timeout: Option<u64>,
}

/// `hbr backup-jobs ...`.
#[derive(Debug, Subcommand)]
pub enum BackupJobsCommand {
    /// Wait until a backup job has ended (the BackupJobFinished waiter).
    ///
    /// Polls DescribeBackupJobs2 for the job with the waiter's pauses and shows its status
    /// and progress on a terminal. Exits 0 when the job completes (printing it), 6 when it
    /// ends otherwise, 7 when the timeout passes first.
    #[command(long_about = wait_long_about::<BackupJobFinished>("backup"))]
    Wait(BackupWaitArgs),

    /// List backup jobs (DescribeBackupJobs2): ID, source, status, progress, size, times,
    /// vault.
    ///
    /// One page without --all. Table output (the default) ends with a line giving the number
    /// shown and TotalCount; `--output json` prints one JSON array of jobs in the API's shape.
    List(BackupListArgs),
}

/// `hbr backup-jobs wait`.
#[derive(Debug, Args)]
pub struct BackupWaitArgs {
    /// The job's JobId.
    #[arg(value_name = "JOB_ID")]
    pub job_id: String,

    /// Seconds to wait at most (default: the waiter's).
    #[arg(long, value_name = "SECS", help = timeout_help::<BackupJobFinished>())]
    pub timeout: Option<u64>,
}

/// `hbr restore-jobs list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only jobs of these backup vaults (comma-separated or repeated).
    #[arg(long, value_name = "ID", value_delimiter = ',', action = ArgAction::Append)]
    pub vault_id: Vec<String>,

    /// Only jobs in these states (the documented ones: `RestoreJobStatus::VALUES`).
    #[arg(long, value_name = "STATUS", value_delimiter = ',', action = ArgAction::Append,
          help = status_help())]
    pub status: Vec<String>,

    /// Only jobs of this restore type (one of `RestoreType::VALUES`, case-insensitive).
    #[arg(long, value_name = "TYPE", help = restore_type_help())]
    pub restore_type: Option<String>,

    /// Only jobs restoring onto these ECS instances (comma-separated or repeated).
    #[arg(long, value_name = "ID", value_delimiter = ',', action = ArgAction::Append)]
    pub instance_id: Vec<String>,

    /// Only jobs of these OSS buckets (comma-separated or repeated).
    #[arg(long, value_name = "NAME", value_delimiter = ',', action = ArgAction::Append)]
    pub bucket: Vec<String>,

    /// Only jobs of these file systems (comma-separated or repeated).
    #[arg(long, value_name = "ID", value_delimiter = ',', action = ArgAction::Append)]
    pub file_system_id: Vec<String>,

    /// Only jobs completed at or after this time: RFC 3339 (2024-05-01T12:00:00Z), a date
    /// (2024-05-01, midnight UTC) or unix seconds.
    #[arg(long, value_name = "TIME", value_parser = timearg::parse)]
    pub completed_after: Option<i64>,

    /// Only jobs completed before this time (same forms as --completed-after).
    #[arg(long, value_name = "TIME", value_parser = timearg::parse)]
    pub completed_before: Option<i64>,

    /// Any other condition, as KEY:OPERATOR:V1,V2 (e.g. PlanId:IN:plan-1,plan-2,
    /// CompleteTime:BETWEEN:2024-01-01,2024-02-01); KEY:V1,V2 means IN. Repeatable.
    #[arg(long, value_name = "KEY:OPERATOR:VALUES", value_parser = RawFilter::parse, action = ArgAction::Append)]
    pub filter: Vec<RawFilter>,

    /// How many jobs to ask for per page (the bounds and default of `PageSize`).
    #[arg(long, value_name = "N", allow_negative_numbers = true, help = page_size_help())]
    pub page_size: Option<i32>,

    /// Go through every page.
    #[arg(long)]
    pub all: bool,

    /// Stop after N jobs (fetching as many pages as needed).
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,

    /// With --all or --limit, how many pages to ask for at once (1 to 64). The service's
    /// throttling lowers it as needed.
    #[arg(long, value_name = "N", default_value_t = hbr_client::DEFAULT_CONCURRENCY,
          value_parser = parse_concurrency)]
    pub concurrency: usize,
}

/// `hbr completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Accepts `http://...` and `https://...` URLs (and a bare `host[:port]`, meaning https).
fn parse_endpoint(text: &str) -> Result<String, String> {
    let text = text.trim();
    if let Some((scheme, _)) = text.split_once("://") {
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(format!(
                "the scheme must be http or https, not {scheme:?} (e.g. http://127.0.0.1:8080)"
            ));
        }
    }
    hbr_client::Endpoint::parse(text, None).map_err(|e| e.to_string())?;
    Ok(text.to_owned())
}

/// A number of pages in flight: 1 to [`hbr_client::MAX_CONCURRENCY`].
fn parse_concurrency(text: &str) -> Result<usize, String> {
    let max = hbr_client::MAX_CONCURRENCY;
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected a number of pages from 1 to {max}")),
    }
}

/// The long help of `restore-jobs list`, with the spec's limit on filters.
fn list_long_about() -> String {
    let most = DescribeRestoreJobs2Request::FILTERS
        .max_items
        .map_or_else(String::new, |n| {
            format!(" At most {n} conditions can be sent in all.")
        });
    format!(
        "List restore jobs (DescribeRestoreJobs2), one page or every page.

Flags taking several values (`--status COMPLETE,FAILED`, or the flag repeated) match any of them \
(operator IN); one value matches it exactly (EQUAL). `--filter` adds any other condition.{most}

Without --all or --limit, one page is printed. Table output (the default) ends with a line \
giving the number of jobs shown and TotalCount; `--output json` prints one JSON array of jobs \
in the API's shape, written as the pages arrive."
    )
}

/// The long help of `hbr restore-jobs wait` / `hbr backup-jobs wait`, from the waiter `W`.
fn wait_long_about<W: WaitFor>(what: &str) -> String {
    let ends = if W::FAILURE.is_empty() {
        String::new()
    } else {
        format!(" ({})", W::FAILURE.join(", "))
    };
    format!(
        "Wait until a {what} job has ended (the {name} waiter).

Polls {action} for the job, pausing {delay} s, then twice as long each time up to {max} s, and \
shows its status and progress on a terminal. Exits 0 when the job is {success} (printing it), 6 \
when it ends otherwise{ends}, 7 when the timeout passes first.",
        name = W::NAME,
        action = <W::Request as Operation>::ACTION,
        delay = W::DELAY.as_secs_f64(),
        max = W::MAX_DELAY.as_secs_f64(),
        success = W::SUCCESS.join(" or "),
    )
}

/// The help of `--timeout` of a wait command, with the waiter's default.
fn timeout_help<W: WaitFor>() -> String {
    format!(
        "Seconds to wait at most (default: the waiter's, {} s)",
        W::TIMEOUT.as_secs()
    )
}

/// The help of `--status`, with the documented states.
fn status_help() -> String {
    format!(
        "Only jobs in these states, e.g. {} (comma-separated or repeated; case-insensitive)",
        RestoreJobStatus::VALUES.join(", ")
    )
}

/// The help of `--restore-type`, with the documented types.
fn restore_type_help() -> String {
    format!(
        "Only jobs of this restore type: {} (case-insensitive)",
        or_list(RestoreType::VALUES)
    )
}

/// The help of `--page-size`, with the bounds and the default of `PageSize`.
fn page_size_help() -> String {
    let size = DescribeRestoreJobs2Request::PAGE_SIZE;
    let bound = |b: Option<i64>| b.map_or_else(|| "?".to_owned(), |b| b.to_string());
    let largest = bound(size.maximum);
    let default = size
        .default
        .map_or_else(String::new, |d| format!("the service default is {d}, "));
    format!(
        "How many jobs to ask for per page ({} to {largest}; {default}{largest} with --all)",
        bound(size.minimum)
    )
}

/// `A, B or C`.
fn or_list(values: &[&str]) -> String {
    match values.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => values.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_is_well_formed() {
        <Cli as clap::CommandFactory>::command().debug_assert();
    }

    #[test]
    fn endpoints() {
        assert!(parse_endpoint("http://127.0.0.1:8080").is_ok());
        assert!(parse_endpoint("https://hbr.cn-hangzhou.aliyuncs.com").is_ok());
        assert!(parse_endpoint("ftp://x").is_err());
        assert!(parse_endpoint("http://").is_err());
    }

    #[test]
    fn concurrency_bounds() {
        assert_eq!(parse_concurrency("1"), Ok(1));
        assert_eq!(parse_concurrency(" 64 "), Ok(64));
        assert!(parse_concurrency("0").is_err());
        assert!(parse_concurrency("65").is_err());
        assert!(parse_concurrency("many").is_err());
    }
}
