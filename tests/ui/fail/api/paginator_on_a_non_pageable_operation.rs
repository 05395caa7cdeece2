// CreateVault answers in one response: its builder has no paginator.
fn walk(client: hbr_client::Client) {
    let _ = client.create_vault().into_paginator();
}

fn main() {
    let _ = walk;
}
