//! The committed snapshot of the generated source (`generated-client/snapshot/`) is what the
//! generator makes of the committed spec, byte for byte, so that every spec or generator
//! change shows as a reviewable diff.
//!
//! Refresh after reading the diff:
//! `cargo run -p hbr-codegen -- generate --spec api-spec --out generated-client/snapshot`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;

#[test]
fn the_snapshot_is_fresh() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = root.join("api-spec/hbr/2017-09-08");
    let snapshot = root.join("generated-client/snapshot");
    let generated = hbr_codegen::generate(&spec).unwrap_or_else(|e| panic!("{e}"));
    let refresh = "refresh with: cargo run -p hbr-codegen -- generate --spec api-spec --out generated-client/snapshot";
    let on_disk: BTreeSet<String> = std::fs::read_dir(&snapshot)
        .unwrap_or_else(|e| panic!("{}: {e}; {refresh}", snapshot.display()))
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.ends_with(".rs"))
        .collect();
    let expected: BTreeSet<String> = generated.files.keys().cloned().collect();
    assert_eq!(
        on_disk, expected,
        "the snapshot has other files than the generator makes; {refresh}"
    );
    for (name, text) in &generated.files {
        let committed = std::fs::read_to_string(snapshot.join(name)).unwrap_or_default();
        if committed != *text {
            let line = committed
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b)
                .map_or_else(
                    || committed.lines().count().min(text.lines().count()) + 1,
                    |i| i + 1,
                );
            panic!("generated-client/snapshot/{name} is stale (first difference at line {line}); {refresh}");
        }
    }
}
