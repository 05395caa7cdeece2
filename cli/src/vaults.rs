//! `hbr vaults list`: DescribeVaults, one page or every page.

use hbr_client::describe_vaults::{DescribeVaultsRequest, VaultItem};

use crate::connect::Session;
use crate::error::CliError;
use crate::format;
use crate::listing::{self, text, Shape};
use crate::output::OutputArg;

/// The table of vaults.
const SHAPE: Shape<VaultItem> = Shape {
    noun: ("vault", "vaults"),
    columns: &[
        ("VAULT ID", false),
        ("NAME", false),
        ("TYPE", false),
        ("STATUS", false),
        ("STORAGE", true),
        ("REGION", false),
        ("CREATED", false),
    ],
    row,
};

/// Lists the vaults and prints them.
pub async fn list(
    session: &Session,
    all: bool,
    output: Option<&OutputArg>,
) -> Result<(), CliError> {
    let request = DescribeVaultsRequest::builder()
        .build()
        .map_err(hbr_client::Error::from)?;
    let listed = listing::numbered(&session.client, request, all).await?;
    listing::print(&listed, output, &SHAPE)
}

/// A vault's table row.
fn row(vault: &VaultItem) -> Vec<String> {
    vec![
        text(vault.vault_id()),
        text(vault.vault_name()),
        text(vault.vault_type().map(AsRef::as_ref)),
        text(vault.status().map(AsRef::as_ref)),
        vault
            .storage_size()
            .map_or_else(|| "-".to_owned(), format::bytes),
        text(vault.vault_region_id()),
        format::utc_minute(vault.created_time()),
    ]
}
