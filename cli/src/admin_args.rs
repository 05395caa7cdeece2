//! The command line of the backup admin's commands (clap derive types): `vaults list`,
//! `backup-jobs list`, `snapshots list|browse`, `restore-jobs create|cancel`. Their flags are
//! the ones DESIGN.md fixes; the documented values in their help come from the generated
//! enums.

use clap::{ArgAction, Args, Subcommand};
use hbr_client::describe_backup_jobs2::BackupJobStatus;
use hbr_client::types::{RestoreType, SourceType};

/// `hbr vaults ...`.
#[derive(Debug, Subcommand)]
pub enum VaultsCommand {
    /// List the backup vaults (DescribeVaults): ID, name, type, status, storage used,
    /// creation time.
    ///
    /// One page without --all. Table output (the default) ends with a line giving the number
    /// shown and TotalCount; `--output json` prints one JSON array of vaults in the API's
    /// shape; `--output cols=A,B` a table of those fields.
    List(VaultsListArgs),
}

/// `hbr vaults list`.
#[derive(Debug, Args)]
pub struct VaultsListArgs {
    /// Go through every page.
    #[arg(long)]
    pub all: bool,
}

/// `hbr backup-jobs list`.
#[derive(Debug, Args)]
pub struct BackupListArgs {
    /// Only jobs in these states (comma-separated or repeated; case-insensitive).
    #[arg(long, value_name = "STATUS", value_delimiter = ',', action = ArgAction::Append,
          help = backup_status_help())]
    pub status: Vec<String>,

    /// Only jobs of this kind of data source (case-insensitive).
    #[arg(long, value_name = "TYPE", help = source_type_help("Only jobs of this kind of data source"))]
    pub source_type: Option<String>,

    /// Only jobs of these backup vaults (comma-separated or repeated).
    #[arg(long, value_name = "ID", value_delimiter = ',', action = ArgAction::Append)]
    pub vault_id: Vec<String>,

    /// Go through every page.
    #[arg(long)]
    pub all: bool,
}

/// `hbr snapshots ...`.
#[derive(Debug, Subcommand)]
pub enum SnapshotsCommand {
    /// List the snapshots of a backup vault: ID, source, the job's status, size and time.
    List(SnapshotsListArgs),

    /// List the files and folders a snapshot holds, one level (BrowseFiles): name, type,
    /// size.
    ///
    /// The snapshot's vault, backup client and hash are looked up from its ID; --vault-id
    /// says where to look when it is known.
    Browse(SnapshotsBrowseArgs),
}

/// `hbr snapshots list`.
#[derive(Debug, Args)]
pub struct SnapshotsListArgs {
    /// The backup vault.
    #[arg(long, value_name = "ID")]
    pub vault_id: String,

    /// Only snapshots of this kind of data source (case-insensitive).
    #[arg(long, value_name = "TYPE", help = source_type_help("Only snapshots of this kind of data source"))]
    pub source_type: Option<String>,

    /// Go through every page.
    #[arg(long)]
    pub all: bool,
}

/// `hbr snapshots browse`.
#[derive(Debug, Args)]
pub struct SnapshotsBrowseArgs {
    /// The snapshot's SnapshotId.
    #[arg(value_name = "SNAPSHOT_ID")]
    pub snapshot_id: String,

    /// The folder to list, an absolute path in the snapshot.
    #[arg(value_name = "PATH", default_value = "/")]
    pub path: String,

    /// The vault the snapshot is in.
    #[arg(long, value_name = "ID")]
    pub vault_id: Option<String>,

    /// Go through every page of the folder.
    #[arg(long)]
    pub all: bool,
}

/// `hbr restore-jobs create`.
#[derive(Debug, Args)]
pub struct RestoreCreateArgs {
    /// The snapshot to restore from.
    #[arg(long, value_name = "ID")]
    pub snapshot_id: String,

    /// The vault the snapshot is in.
    #[arg(long, value_name = "ID")]
    pub vault_id: String,

    /// The restore type (case-insensitive).
    #[arg(long = "type", value_name = "TYPE", help = restore_type_help())]
    pub restore_type: String,

    /// The ECS instance to restore files onto (ECS_FILE).
    #[arg(long, value_name = "ID")]
    pub target_instance_id: Option<String>,

    /// The folder on the instance to restore into (ECS_FILE).
    #[arg(long, value_name = "PATH")]
    pub target_path: Option<String>,

    /// The OSS bucket to restore into (OSS).
    #[arg(long, value_name = "NAME")]
    pub target_bucket: Option<String>,

    /// The prefix of the restored objects in the bucket (OSS).
    #[arg(long, value_name = "PREFIX")]
    pub target_prefix: Option<String>,

    /// Wait until the job has ended, as `hbr restore-jobs wait` does (same exit codes).
    #[arg(long)]
    pub wait: bool,
}

/// `hbr restore-jobs cancel`.
#[derive(Debug, Args)]
pub struct RestoreCancelArgs {
    /// The job's RestoreId.
    #[arg(value_name = "RESTORE_ID")]
    pub restore_id: String,

    /// The vault the job is in.
    #[arg(long, value_name = "ID")]
    pub vault_id: String,
}

/// The help of `--status` of backup jobs, with the documented states.
fn backup_status_help() -> String {
    format!(
        "Only jobs in these states: {} (comma-separated or repeated; case-insensitive)",
        BackupJobStatus::VALUES.join(", ")
    )
}

/// The help of a `--source-type`, with the documented types.
fn source_type_help(what: &str) -> String {
    format!(
        "{what}: {} (case-insensitive)",
        SourceType::VALUES.join(", ")
    )
}

/// The help of `--type`, with the documented restore types.
fn restore_type_help() -> String {
    format!(
        "The restore type: {} (case-insensitive)",
        RestoreType::VALUES.join(", ")
    )
}
