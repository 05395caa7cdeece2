//! The HBR SDK generator: YAML spec → validated model → IR → Rust source.
//!
//! ```no_run
//! let generated = hbr_codegen::generate(std::path::Path::new("api-spec/hbr/2017-09-08"))?;
//! for (name, source) in &generated.files {
//!     println!("{name}: {} bytes", source.len());
//! }
//! # Ok::<(), hbr_codegen::Error>(())
//! ```
//!
//! Errors name `file:line:col` and say what would be valid; all problems of a spec are
//! reported together.
#![forbid(unsafe_code)]

pub mod emit;
pub mod error;
pub mod import;
pub mod ir;
pub mod model;
pub mod naming;
pub mod reader;
pub mod source;
pub mod validate;

use std::path::{Path, PathBuf};

pub use emit::Generated;
pub use error::{Error, Location, SpecError};

/// Reads and validates a spec folder.
pub fn load(dir: &Path) -> Result<model::Spec, Error> {
    let (spec, errors) = reader::read_dir(dir)?;
    finish(spec, errors)
}

/// Reads and validates spec files given as `(path, text)` pairs, as if they were the files of
/// the folder `dir` (`dir/service.yaml` is the service file, every other file one operation).
/// Nothing is read from disk; every problem is reported with its `file:line:col`.
///
/// ```
/// use std::path::{Path, PathBuf};
/// let dir = Path::new("spec");
/// let files = vec![
///     (PathBuf::from("spec/service.yaml"), "service: {product: hbr}\n".to_owned()),
///     (PathBuf::from("spec/Ping.yaml"), "operation: Ping\nresponse: {RequestId: {type: strin}}\n".to_owned()),
/// ];
/// let err = hbr_codegen::load_sources(dir, &files).unwrap_err();
/// for problem in err.spec_errors() {
///     assert!(problem.location.line >= 1 && problem.location.column >= 1);
/// }
/// assert!(err.to_string().contains("spec/Ping.yaml:2:"));
/// ```
pub fn load_sources(dir: &Path, files: &[(PathBuf, String)]) -> Result<model::Spec, Error> {
    let (spec, errors) = reader::read_sources(dir, files);
    finish(spec, errors)
}

fn finish(spec: Option<model::Spec>, mut errors: Vec<SpecError>) -> Result<model::Spec, Error> {
    if let Some(spec) = &spec {
        errors.extend(validate::check(spec));
    }
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    errors.dedup();
    match spec {
        Some(spec) if errors.is_empty() => Ok(spec),
        _ => Err(Error::Spec(errors)),
    }
}

/// Reads, validates and emits a spec folder.
pub fn generate(dir: &Path) -> Result<Generated, Error> {
    generate_from(&load(dir)?)
}

/// Emits a spec that [`load`] or [`load_sources`] validated.
pub fn generate_from(spec: &model::Spec) -> Result<Generated, Error> {
    emit::emit(&ir::build(spec))
}

/// Writes generated files into `out`, leaving files whose content is unchanged untouched (so
/// their timestamps do not trigger rebuilds). Returns the names of the files written.
pub fn write(generated: &Generated, out: &Path) -> Result<Vec<String>, Error> {
    std::fs::create_dir_all(out).map_err(|source| Error::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, text) in &generated.files {
        let path = out.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        std::fs::write(&path, text).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        written.push(name.clone());
    }
    Ok(written)
}
