//! `hbr-codegen import`: Alibaba's published API metadata → spec YAML.
//!
//! Facts only: names, types and formats, required, defaults, enums, bounds, item and length
//! limits, patterns, where each parameter travels, its style, nested items and properties,
//! the response tree (with `{"Xs": {"X": [...]}}` wrappers recognised), and the operation's
//! `kind` (`read` when `systemTags.operationType` is `get` or `list`, else `write`). No prose is
//! carried over from the metadata; the docs the importer writes state those facts.
//!
//! Hand edits and re-imports: a file the importer writes starts with [`IMPORTED_MARKER`].
//! Re-importing overwrites such files. To edit one by hand, delete the marker line: from then
//! on the file is yours and `import` leaves it alone (unless `--force`). Files written by hand
//! (like `DescribeRestoreJobs2.yaml`) never carry the marker.

mod op;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use self::op::OpImport;

/// The first line of every file the importer writes.
pub const IMPORTED_MARKER: &str =
    "# @imported by `hbr-codegen import` from Alibaba's API metadata; delete this line to edit the file by hand.";

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
    /// Files written (new or replaced imported files).
    pub written: Vec<PathBuf>,
    /// Files left alone because they were written or edited by hand.
    pub kept: Vec<PathBuf>,
    /// Facts that could not be carried over, per operation.
    pub notes: Vec<String>,
}

/// Imports `operations` (all when empty) from the metadata file into `out`.
///
/// `shared_enums` are the enum names `service.yaml` defines; imported enums never take
/// those names.
pub fn import(
    metadata: &Path,
    operations: &[String],
    out: &Path,
    force: bool,
    shared_enums: &BTreeSet<String>,
) -> Result<ImportReport, ImportError> {
    let text = std::fs::read_to_string(metadata).map_err(|source| ImportError::Io {
        path: metadata.to_path_buf(),
        source,
    })?;
    let doc: Json = serde_json::from_str(&text).map_err(|e| ImportError::Metadata {
        path: metadata.to_path_buf(),
        message: e.to_string(),
    })?;
    let apis = doc
        .get("apis")
        .and_then(Json::as_object)
        .ok_or_else(|| ImportError::Metadata {
            path: metadata.to_path_buf(),
            message: "no `apis` object".into(),
        })?;
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
    std::fs::create_dir_all(out).map_err(|source| ImportError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    for name in &names {
        let Some(api) = apis.get(name) else {
            let candidates: Vec<&str> = apis.keys().map(String::as_str).collect();
            return Err(ImportError::UnknownOperation {
                name: name.clone(),
                suggestion: hbr_suggest::closest(name, &candidates).map(str::to_owned),
            });
        };
        let path = out.join(format!("{name}.yaml"));
        if let Ok(existing) = std::fs::read_to_string(&path) {
            if !existing.starts_with(IMPORTED_MARKER) && !force {
                report.kept.push(path);
                continue;
            }
        }
        let mut op = OpImport::new(name, &components, shared_enums);
        let yaml = op.operation(api);
        let body = serde_yaml::to_string(&yaml).map_err(|e| ImportError::Render {
            operation: name.clone(),
            message: e.to_string(),
        })?;
        let text = format!("{IMPORTED_MARKER}\n{body}");
        std::fs::write(&path, text).map_err(|source| ImportError::Io {
            path: path.clone(),
            source,
        })?;
        report
            .notes
            .extend(op.notes.into_iter().map(|n| format!("{name}: {n}")));
        report.written.push(path);
    }
    Ok(report)
}

/// The enum names `service.yaml` of a spec folder defines (empty when it cannot be read).
pub fn shared_enum_names(dir: &Path) -> BTreeSet<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("service.yaml")) else {
        return BTreeSet::new();
    };
    let Ok(doc) = serde_yaml::from_str::<Yaml>(&text) else {
        return BTreeSet::new();
    };
    doc.get("enums")
        .and_then(Yaml::as_mapping)
        .map(|m| {
            m.keys()
                .filter_map(Yaml::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
