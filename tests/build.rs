//! Generates the tests' own small spec (`tests/spec`) with the same generator as the client.

use std::path::PathBuf;

fn main() {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("spec");
    println!("cargo:rerun-if-changed={}", spec.display());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("test_ops");
    let result = hbr_codegen::generate(&spec).and_then(|g| hbr_codegen::write(&g, &out));
    if let Err(err) = result {
        eprintln!("hbr-tests: cannot generate the test operations:\n{err}");
        std::process::exit(1);
    }
}
