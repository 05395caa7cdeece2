//! `hbr-codegen import`: Alibaba's published API metadata → spec YAML, merged into the spec
//! that is already there.
//!
//! Facts only: names, types and formats, required, defaults, documented values, bounds, item
//! and length limits, patterns, where each parameter travels, its style, nested items and
//! properties, the response tree (with `{"Xs": {"X": [...]}}` wrappers recognised), and the
//! operation's `kind` (`read` when `systemTags.operationType` is `get` or `list`, or, with no
//! such tag, when the top-level `operationType` is `read`; else `write`). No
//! prose is carried over from the metadata; the docs the importer writes for new entries
//! state those facts.
//!
//! Re-importing merges (`import/merge.rs`): the metadata's facts are updated, everything
//! written by hand (docs, rules, enum names, pagination, filters, timestamps, units, JSON
//! shapes, keys the importer does not know) is kept, and a file whose content would not change
//! is not written. Documented values become enums by concept (`import/concepts.rs`), shared
//! through `service.yaml` when a concept recurs. `--force` replaces a file with a fresh import
//! instead.
//!
//! The official SDK's models are the other source: `scripts/python/sdk_models.py` describes
//! them in the metadata's shape. They state no operation type and no integer width, so an
//! operation keeps the `kind` written (`write` when new) and an integer the width written
//! (`int64` when new); their descriptions are the SDK's English comments, whose value lists,
//! conditions and units `values` and `meaning` read as they read the metadata's. `drift`
//! lists what a source has and the spec lacks.

mod concepts;
mod drift;
mod meaning;
mod merge;
mod op;
mod values;

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use self::op::OpImport;

pub use concepts::{is_placeholder, NEW_ENUM_DOC, NEW_VALUE_DOC};
pub use drift::{drift, Drift};
pub use meaning::{integer_meaning, Meaning};
pub use merge::PINNABLE;
pub use values::documented_values;

/// The first line of every file the importer creates.
pub const IMPORTED_MARKER: &str =
    "# @imported from Alibaba's API metadata by `hbr-codegen import`; re-imports update the metadata's facts and keep what is written by hand.";

/// The first line earlier importers wrote; replaced by [`IMPORTED_MARKER`] when the file is
/// written again.
const OLD_MARKER: &str = "# @imported by `hbr-codegen import`";

/// What went wrong while importing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The metadata file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The metadata is not JSON or lacks `apis`.
    #[error("{path}: not Alibaba API metadata: {message}")]
    Metadata {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An operation asked for is not in the metadata.
    #[error("operation `{name}` is not in the metadata{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownOperation {
        /// The name asked for.
        name: String,
        /// The closest name in the metadata.
        suggestion: Option<String>,
    },
    /// A spec file already there is not YAML.
    #[error("{path}: not YAML, so it cannot be merged: {message}")]
    Existing {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A YAML document could not be rendered.
    #[error("cannot render {operation}: {message}")]
    Render {
        /// The operation.
        operation: String,
        /// What failed.
        message: String,
    },
}

/// What happened to each operation.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Files written (new, or changed by the merge).
    pub written: Vec<PathBuf>,
    /// Files left as they were: nothing changed, or (noted) they could not be rewritten.
    pub kept: Vec<PathBuf>,
    /// Facts that could not be carried over, per operation.
    pub notes: Vec<String>,
}

/// Imports `operations` (all when empty) from the metadata file into the spec folder `out`,
/// merging into the files already there (replacing them with `force`).
pub fn import(
    metadata: &Path,
    operations: &[String],
    out: &Path,
    force: bool,
) -> Result<ImportReport, ImportError> {
    let doc = read_metadata(metadata)?;
    let meta_err = |message: &str| ImportError::Metadata {
        path: metadata.to_path_buf(),
        message: message.into(),
    };
    let apis = doc
        .get("apis")
        .and_then(Json::as_object)
        .ok_or_else(|| meta_err("no `apis` object"))?;
    let components = doc
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let names: Vec<String> = if operations.is_empty() {
        let mut all: Vec<String> = apis.keys().cloned().collect();
        all.sort();
        all
    } else {
        operations.to_vec()
    };
    let mut report = ImportReport::default();
    create_dir(out)?;
    let service_path = out.join("service.yaml");
    let service_file = SpecFile::read(&service_path)?;
    let mut service = service_file.value.clone().unwrap_or(Yaml::Null);
    let shared = names_of(&service["enums"]);
    let mut files = Vec::new();
    let mut docs = Vec::new();
    for name in &names {
        let Some(api) = apis.get(name) else {
            let candidates: Vec<&str> = apis.keys().map(String::as_str).collect();
            return Err(ImportError::UnknownOperation {
                name: name.clone(),
                suggestion: hbr_suggest::closest(name, &candidates).map(str::to_owned),
            });
        };
        let file = SpecFile::read(&out.join(format!("{name}.yaml")))?;
        let mut op = OpImport::new(name, &components, &shared);
        let fresh = op.operation(api);
        let doc = match &file.value {
            Some(existing) if !force => {
                merge::operation(existing, &fresh, op.kind_stated, &mut op.notes)
            }
            _ => fresh,
        };
        report
            .notes
            .extend(op.notes.into_iter().map(|n| format!("{name}: {n}")));
        files.push(file);
        docs.push((name.clone(), doc));
    }
    let mut notes = Vec::new();
    concepts::Enums {
        docs: &mut docs,
        service: &mut service,
    }
    .run(&mut notes);
    report.notes.extend(notes);
    for (file, (name, doc)) in files.iter().zip(&docs) {
        file.write(doc, name, &mut report)?;
    }
    if !service.is_null() {
        service_file.write(&service, "service.yaml", &mut report)?;
    }
    Ok(report)
}

fn read_metadata(metadata: &Path) -> Result<Json, ImportError> {
    let text = std::fs::read_to_string(metadata).map_err(|source| ImportError::Io {
        path: metadata.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| ImportError::Metadata {
        path: metadata.to_path_buf(),
        message: e.to_string(),
    })
}

fn create_dir(out: &Path) -> Result<(), ImportError> {
    std::fs::create_dir_all(out).map_err(|source| ImportError::Io {
        path: out.to_path_buf(),
        source,
    })
}

fn names_of(v: &Yaml) -> std::collections::BTreeSet<String> {
    v.as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(Yaml::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A spec file as found before the import: its value, its leading comment lines, whether it
/// has comments further down (which rendering would lose).
struct SpecFile {
    path: PathBuf,
    value: Option<Yaml>,
    header: Vec<String>,
    inner_comments: bool,
}

impl SpecFile {
    fn read(path: &Path) -> Result<SpecFile, ImportError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(SpecFile {
                    path: path.to_path_buf(),
                    value: None,
                    header: vec![IMPORTED_MARKER.to_owned()],
                    inner_comments: false,
                })
            }
            Err(source) => {
                return Err(ImportError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let value: Yaml = serde_yaml::from_str(&text).map_err(|e| ImportError::Existing {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let lines: Vec<&str> = text.lines().collect();
        let n = lines.iter().take_while(|l| l.starts_with('#')).count();
        let header = lines[..n]
            .iter()
            .map(|l| {
                if l.starts_with(OLD_MARKER) {
                    IMPORTED_MARKER.to_owned()
                } else {
                    (*l).to_owned()
                }
            })
            .collect();
        let inner_comments = lines[n..].iter().any(|l| has_comment(l));
        Ok(SpecFile {
            path: path.to_path_buf(),
            value: Some(value),
            header,
            inner_comments,
        })
    }

    /// Writes `doc` when it differs from what the file holds.
    fn write(&self, doc: &Yaml, name: &str, report: &mut ImportReport) -> Result<(), ImportError> {
        if self.value.as_ref() == Some(doc) && same_order(self.value.as_ref(), doc) {
            report.kept.push(self.path.clone());
            return Ok(());
        }
        if self.inner_comments {
            report.notes.push(format!(
                "{name}: {} has comments the importer cannot keep; not rewritten (import it into a copy and apply the difference by hand)",
                self.path.display()
            ));
            report.kept.push(self.path.clone());
            return Ok(());
        }
        let body = serde_yaml::to_string(doc).map_err(|e| ImportError::Render {
            operation: name.to_owned(),
            message: e.to_string(),
        })?;
        let mut text = String::new();
        for line in &self.header {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(&body);
        std::fs::write(&self.path, text).map_err(|source| ImportError::Io {
            path: self.path.clone(),
            source,
        })?;
        report.written.push(self.path.clone());
        Ok(())
    }
}

/// Whether a YAML line has a comment: a `#` at its start or after a space, outside quotes.
/// Text of a block scalar may look like one; then the file is left alone, which loses nothing.
fn has_comment(line: &str) -> bool {
    let (mut single, mut double, mut prev) = (false, false, ' ');
    for c in line.chars() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single && prev != '\\' => double = !double,
            '#' if !single && !double && prev.is_whitespace() => return true,
            _ => {}
        }
        prev = c;
    }
    false
}

/// Whether every mapping of `a` lists its keys in the order of `b`'s (YAML equality ignores
/// order, the file does not).
fn same_order(a: Option<&Yaml>, b: &Yaml) -> bool {
    match (a, b) {
        (Some(Yaml::Mapping(x)), Yaml::Mapping(y)) => {
            x.keys().eq(y.keys())
                && x.values()
                    .zip(y.values())
                    .all(|(p, q)| same_order(Some(p), q))
        }
        (Some(Yaml::Sequence(x)), Yaml::Sequence(y)) => {
            x.iter().zip(y).all(|(p, q)| same_order(Some(p), q))
        }
        _ => true,
    }
}
