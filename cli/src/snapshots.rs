//! `hbr snapshots list`: the snapshots of a vault (SearchHistoricalSnapshots, whose `Query`
//! selects by vault: ListSnapshots needs a protected resource's ID, which a vault does not
//! give); finding one snapshot by its ID, which `snapshots browse` and `restore-jobs create`
//! need (its vault, source type, client and hash); `hbr snapshots browse` (BrowseFiles).

use futures_util::TryStreamExt;
use hbr_client::browse_files::{BrowseFilesRequest, Node};
use hbr_client::describe_vaults::DescribeVaultsRequest;
use hbr_client::search_historical_snapshots::{SearchHistoricalSnapshotsRequest, SnapshotItem};
use hbr_client::types::SourceType;
use hbr_client::{Client, Paginator, TokenPaginator};
use serde_json::json;

use crate::admin_args::SnapshotsBrowseArgs;
use crate::connect::Session;
use crate::error::CliError;
use crate::format;
use crate::friendly;
use crate::listing::{self, text, Shape};
use crate::output::OutputArg;

/// The table of snapshots.
const SHAPE: Shape<SnapshotItem> = Shape {
    noun: ("snapshot", "snapshots"),
    columns: &[
        ("SNAPSHOT ID", false),
        ("SOURCE", false),
        ("OF", false),
        ("STATUS", false),
        ("SIZE", true),
        ("COMPLETED", false),
        ("JOB", false),
    ],
    row,
};

/// The request for the snapshots of `vault_id` (of one source type, when given), checked
/// before anything is sent.
pub fn request(
    vault_id: &str,
    source_type: Option<&str>,
) -> Result<SearchHistoricalSnapshotsRequest, CliError> {
    let mut builder = SearchHistoricalSnapshotsRequest::builder().query(vec![json!({
        "field": "VaultId",
        "value": vault_id,
        "operation": "MATCH_TERM",
    })]);
    if let Some(t) = source_type {
        let t = friendly::value("--source-type", t, SourceType::VALUES)?;
        builder = builder.source_type(SourceType::from(t.as_str()));
    }
    Ok(builder.build().map_err(hbr_client::Error::from)?)
}

/// Lists the snapshots and prints them.
pub async fn list(
    session: &Session,
    request: SearchHistoricalSnapshotsRequest,
    all: bool,
    output: Option<&OutputArg>,
) -> Result<(), CliError> {
    let listed = listing::tokened(&session.client, request, all).await?;
    listing::print(&listed, output, &SHAPE)
}

/// A snapshot's table row: what it is of is the instance, bucket or file system backed up.
fn row(s: &SnapshotItem) -> Vec<String> {
    let of = [s.instance_id(), s.bucket(), s.file_system_id()]
        .into_iter()
        .flatten()
        .find(|v| !v.is_empty());
    vec![
        text(s.snapshot_id()),
        text(s.source_type().map(AsRef::as_ref)),
        text(of),
        text(s.status().map(AsRef::as_ref)),
        s.bytes_total()
            .map_or_else(|| "-".to_owned(), format::bytes),
        format::utc_minute(s.complete_time()),
        text(s.job_id()),
    ]
}

/// The snapshot `snapshot_id`: looked for in `vault_id`, or in every vault when not given.
pub async fn find(
    client: &Client,
    snapshot_id: &str,
    vault_id: Option<&str>,
) -> Result<SnapshotItem, CliError> {
    let vaults = match vault_id {
        Some(v) => vec![v.to_owned()],
        None => all_vaults(client).await?,
    };
    for vault in &vaults {
        let request = request(vault, None)?;
        let items = TokenPaginator::new(client.clone(), Ok(request)).items();
        futures_util::pin_mut!(items);
        while let Some(item) = items.try_next().await? {
            if item.snapshot_id() == Some(snapshot_id) {
                return Ok(item);
            }
        }
    }
    Err(CliError::Usage(match vault_id {
        Some(v) => format!("snapshot {snapshot_id} not found in vault {v}"),
        None => format!(
            "snapshot {snapshot_id} not found in any of the {} vaults",
            vaults.len()
        ),
    }))
}

/// The IDs of every vault.
async fn all_vaults(client: &Client) -> Result<Vec<String>, CliError> {
    let request = DescribeVaultsRequest::builder()
        .build()
        .map_err(hbr_client::Error::from)?;
    let items = Paginator::new(client.clone(), Ok(request)).items();
    futures_util::pin_mut!(items);
    let mut ids = Vec::new();
    while let Some(vault) = items.try_next().await? {
        if let Some(id) = vault.vault_id() {
            ids.push(id.to_owned());
        }
    }
    Ok(ids)
}

/// The table of a folder's entries.
const ENTRIES: Shape<Node> = Shape {
    noun: ("entry", "entries"),
    columns: &[("NAME", false), ("TYPE", false), ("SIZE", true)],
    row: entry_row,
};

/// `hbr snapshots browse`: one level of the folder `path` of the snapshot, found by its ID
/// (its vault, backup client and hash come from the snapshot).
pub async fn browse(
    session: &Session,
    args: &SnapshotsBrowseArgs,
    output: Option<&OutputArg>,
) -> Result<(), CliError> {
    let snapshot = find(&session.client, &args.snapshot_id, args.vault_id.as_deref()).await?;
    let mut builder = BrowseFilesRequest::builder().absolute_path(args.path.as_str());
    if let Some(vault) = snapshot
        .vault_id()
        .filter(|v| !v.is_empty())
        .or(args.vault_id.as_deref())
    {
        builder = builder.vault_id(vault);
    }
    if let Some(hash) = snapshot.snapshot_hash().filter(|h| !h.is_empty()) {
        builder = builder.snapshot_hash(hash);
    }
    if let Some(client) = snapshot.client_id().filter(|c| !c.is_empty()) {
        builder = builder.client_id(client);
    }
    let request = builder.build().map_err(hbr_client::Error::from)?;
    let listed = listing::tokened(&session.client, request, args.all).await?;
    listing::print(&listed, output, &ENTRIES)
}

/// Checks `hbr snapshots browse`'s PATH before anything is sent.
pub fn check_browse(args: &SnapshotsBrowseArgs) -> Result<(), CliError> {
    if args.path.starts_with('/') {
        Ok(())
    } else {
        Err(CliError::Usage(format!(
            "PATH {:?} must be an absolute path in the snapshot, e.g. / or /home",
            args.path
        )))
    }
}

/// An entry's table row.
fn entry_row(node: &Node) -> Vec<String> {
    vec![
        text(node.name()),
        text(node.r#type()),
        node.size().map_or_else(|| "-".to_owned(), format::bytes),
    ]
}
