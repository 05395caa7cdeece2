use hbr_client::types::RestoreType;

fn describe(t: &RestoreType) -> &'static str {
    // Generated enums are non_exhaustive: the service may add values, so a match needs `_`.
    match t {
        RestoreType::EcsFile => "files",
        RestoreType::Oss => "objects",
        RestoreType::Nas => "nas",
        RestoreType::CommonFileSystem => "cpfs",
        RestoreType::OtsTable => "tables",
        RestoreType::UdmEcsRollback => "instances",
        RestoreType::Unknown(_) => "unknown",
    }
}

fn main() {
    let _ = describe(&RestoreType::Oss);
}
