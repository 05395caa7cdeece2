//! The committed wire vectors (`tests/vectors/official_sdk_operations.json`) are what the
//! official SDK sends today: `scripts/record_official_vectors.py` run again, with the pinned
//! SDK (and SDK 1.0.6 for the operation 2.x no longer sends), writes the same bytes. So the
//! vectors `official_sdk_operations.rs` compares our client with are recorded, not edited,
//! and the filled inputs (`scripts/python/filled_inputs.py`) follow the spec as it is: a spec
//! change that changes a filled input shows here, with the command that records it again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::PathBuf;
use std::process::Command;

#[test]
fn recording_again_gives_the_committed_vectors() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let current = support::python();
    let retired = support::venv(
        "official-sdk-1.0.6-venv",
        &["alibabacloud-hbr20170908==1.0.6", support::PYYAML],
    );
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("official_sdk_operations.json");
    let run = Command::new(&current)
        .arg(root.join("scripts/record_official_vectors.py"))
        .arg("--retired-python")
        .arg(&retired)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("the recording script runs");
    assert!(
        run.status.success(),
        "recording failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let recorded = std::fs::read_to_string(&out).unwrap();
    let committed = include_str!("../vectors/official_sdk_operations.json");
    if recorded != committed {
        let first = recorded
            .lines()
            .zip(committed.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "the committed vectors differ from a new recording (first at line {}: recorded {:?}, \
             committed {:?}); record them again with the commands in \
             scripts/record_official_vectors.py and read the diff",
            first + 1,
            recorded.lines().nth(first),
            committed.lines().nth(first),
        );
    }
}
