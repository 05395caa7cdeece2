//! Generates the typed operations from the YAML spec into OUT_DIR.
//!
//! Cargo reruns this only when a spec file changes (or the spec folder gains or loses a file),
//! so an unchanged spec regenerates nothing; `hbr_codegen::write` also leaves unchanged
//! outputs untouched.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=HBR_SPEC_DIR");
    let spec = std::env::var_os("HBR_SPEC_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api-spec/hbr/2017-09-08"),
        PathBuf::from,
    );
    println!("cargo:rerun-if-changed={}", spec.display());
    if let Ok(entries) = std::fs::read_dir(&spec) {
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
        }
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let result =
        hbr_codegen::generate(&spec).and_then(|generated| hbr_codegen::write(&generated, &out));
    if let Err(err) = result {
        eprintln!(
            "hbr-client: cannot generate the client from {}:\n{err}",
            spec.display()
        );
        std::process::exit(1);
    }
}
