use hbr_client::create_vault::CreateVaultRequest;

fn main() {
    // VaultType is an enum on CreateVault (imported from the metadata's value list): a bare
    // string does not compile; a value the SDK does not know yet needs an explicit `.into()`.
    let _ = CreateVaultRequest::builder()
        .vault_region_id("cn-hangzhou")
        .vault_name("archive")
        .vault_type("STANDRAD");
}
