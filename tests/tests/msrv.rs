//! The declared minimum Rust version is the truth about the lock file: it equals the highest
//! `rust-version` any locked dependency declares (the README states the policy). A dependency
//! update that raises it, or one that lowers it, fails here until `rust-version` in the
//! workspace's Cargo.toml follows.
//!
//! Our own code is held to the declared version by clippy's `incompatible_msrv` lint, which
//! `.ci/run` turns into an error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn version(text: &str) -> Vec<u64> {
    text.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

fn host() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let out = Command::new(rustc).arg("-vV").output().expect("rustc -vV");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("rustc -vV names the host")
}

#[test]
fn rust_version_is_what_the_locked_dependencies_need() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let out = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", &host()])
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let members: Vec<&str> = meta["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    let resolved: Vec<&str> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    let mut highest: Option<(Vec<u64>, String)> = None;
    for p in meta["packages"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap_or_default();
        if members.contains(&id) || !resolved.contains(&id) {
            continue;
        }
        if let Some(rv) = p["rust_version"].as_str() {
            let v = version(rv);
            if highest.as_ref().is_none_or(|(h, _)| v > *h) {
                let name = p["name"].as_str().unwrap_or_default();
                let at = p["version"].as_str().unwrap_or_default();
                highest = Some((v, format!("{name} {at} (rust-version {rv})")));
            }
        }
    }
    let (needed, who) = highest.expect("some locked dependency declares a rust-version");
    let declared = env!("CARGO_PKG_RUST_VERSION");
    let mut declared_v = version(declared);
    declared_v.resize(needed.len().max(declared_v.len()), 0);
    let mut needed_v = needed.clone();
    needed_v.resize(declared_v.len(), 0);
    assert_eq!(
        declared_v, needed_v,
        "workspace rust-version is {declared}, but the locked dependencies need exactly what {who} declares"
    );
}
