//! An imported operation's documented value sets are typed: CreateVault takes a `VaultType`,
//! a `StorageClass` and an `EncryptType`, shared with the other operations through `types`,
//! and re-exported by the operation's module.
use hbr_client::create_vault::{CreateVaultRequest, EncryptType, StorageClass, VaultType};

fn describe(kind: &VaultType) -> &'static str {
    match kind {
        VaultType::Standard => "standard",
        VaultType::OtsBackup => "tablestore",
        // A value a later release adds is kept, not refused.
        VaultType::Unknown(_) => "other",
        _ => "other",
    }
}

fn main() {
    let request = CreateVaultRequest::builder()
        .vault_region_id("cn-hangzhou")
        .vault_name("archive")
        .vault_type(VaultType::Standard)
        .vault_storage_class(StorageClass::Standard)
        .encrypt_type(EncryptType::HbrPrivate)
        .build();
    let _ = request;
    // The shared enum is the same type under both paths.
    let shared: hbr_client::types::VaultType = VaultType::OtsBackup;
    let _ = describe(&shared);
}
