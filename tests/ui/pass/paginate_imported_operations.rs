//! Imported operations page with `into_paginator()`: by page number (DescribeVaults) and by
//! token (DescribePoliciesV2), their item streams typed by the spec's item objects.
use futures_util::TryStreamExt;
use hbr_client::describe_policies_v2::Policy;
use hbr_client::describe_vaults::VaultItem;
use hbr_client::{Client, Error, Page, Paginator, TokenPage, TokenPaginator};

async fn walk(client: Client) -> Result<(), Error> {
    let vaults: Paginator<_> = client.describe_vaults().into_paginator().concurrency(4);
    let vaults: Vec<VaultItem> = vaults.items().try_collect().await?;
    let _: Option<&str> = vaults.first().and_then(VaultItem::vault_id);

    let policies: TokenPaginator<_> = client
        .describe_policies_v2()
        .max_results(50)
        .into_paginator()
        .max_items(120);
    let policies: Vec<Policy> = policies.items().try_collect().await?;
    let _: Option<&str> = policies.first().and_then(Policy::policy_id);

    let pages: Vec<TokenPage<Policy>> = client
        .describe_policies_v2()
        .into_paginator()
        .page_size(20)
        .pages()
        .try_collect()
        .await?;
    let _: Option<&str> = pages.last().and_then(TokenPage::next_token);
    let _: Vec<Page<VaultItem>> = client.describe_vaults().into_paginator().pages().try_collect().await?;
    Ok(())
}

fn main() {
    let _ = walk;
}
