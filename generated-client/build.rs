//! With the `regenerate` feature, generates the typed operations from the YAML spec into
//! OUT_DIR and points the crate at them (`--cfg hbr_regenerated`); without it the crate is
//! built from the committed snapshot (`snapshot/`) and this script does nothing, so users who
//! edit no spec never compile the generator.
//!
//! The spec folder is `$HBR_SPEC_DIR`, else the workspace's `api-spec/hbr/2017-09-08`. Cargo
//! reruns the script only when a spec file changes (or the folder gains or loses a file);
//! `hbr_codegen::write` leaves unchanged outputs untouched.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(hbr_regenerated)");
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "regenerate")]
    regenerate::run();
}

#[cfg(feature = "regenerate")]
mod regenerate {
    use std::path::PathBuf;

    pub fn run() {
        println!("cargo:rerun-if-env-changed=HBR_SPEC_DIR");
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let spec = std::env::var_os("HBR_SPEC_DIR").map_or_else(
            || manifest.join("../api-spec/hbr/2017-09-08"),
            PathBuf::from,
        );
        if !spec.is_dir() {
            fail(&format!(
                "the spec folder {} does not exist: set HBR_SPEC_DIR to an api-spec/<product>/<version> \
                 folder, or build without the `regenerate` feature to use the committed snapshot",
                spec.display()
            ));
        }
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
        match result {
            Ok(_) => println!("cargo:rustc-cfg=hbr_regenerated"),
            Err(err) => fail(&format!(
                "cannot generate the client from {}:\n{err}",
                spec.display()
            )),
        }
    }

    fn fail(message: &str) -> ! {
        eprintln!("hbr-client: {message}");
        std::process::exit(1);
    }
}
