//! Drift: what an import source (Alibaba's metadata, or the official SDK's models described
//! in the same shape by `scripts/python/sdk_models.py`) has and the spec lacks.
//!
//! Each operation of the source is imported as `hbr-codegen import` would (so `{"Xs": {"X":
//! [...]}}` wrappers and `$ref`s read the same way), then every parameter and field of the
//! import is looked up in the spec file by its path: `Rules[].DataSourceFilters[].Accounts`,
//! `Vaults[].Tags`. A string the spec describes with a `json:` shape is followed into that
//! shape. Nothing is written.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use super::op::OpImport;
use super::ImportError;

/// What the source has and the spec lacks, each entry named `Operation` or
/// `Operation.Path.To[].Field`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Operations with no spec file.
    pub operations: Vec<String>,
    /// Request parameters (and their nested properties) the spec lacks, on operations it has.
    pub parameters: Vec<String>,
    /// Response fields (and their nested fields) the spec lacks, on operations it has.
    pub fields: Vec<String>,
    /// Parameters and fields of the missing operations, counted (not listed one by one).
    pub in_missing_operations: (usize, usize),
}

impl Drift {
    /// Whether the spec has everything the source has.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.parameters.is_empty() && self.fields.is_empty()
    }
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (p, r) = self.in_missing_operations;
        writeln!(
            f,
            "{} operations missing (with {p} parameters and {r} fields), {} parameters and {} fields missing on the others",
            self.operations.len(),
            self.parameters.len(),
            self.fields.len()
        )?;
        for op in &self.operations {
            writeln!(f, "  operation {op}")?;
        }
        for p in &self.parameters {
            writeln!(f, "  parameter {p}")?;
        }
        for field in &self.fields {
            writeln!(f, "  field {field}")?;
        }
        Ok(())
    }
}

/// What the source file (metadata format) has and the spec folder `spec` lacks.
pub fn drift(source: &Path, spec: &Path) -> Result<Drift, ImportError> {
    let doc = super::read_metadata(source)?;
    let apis = doc
        .get("apis")
        .and_then(Json::as_object)
        .ok_or_else(|| ImportError::Metadata {
            path: source.to_path_buf(),
            message: "no `apis` object".into(),
        })?;
    let components = doc
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let shared = BTreeSet::new();
    let mut out = Drift::default();
    let mut names: Vec<&String> = apis.keys().collect();
    names.sort();
    for name in names {
        let fresh = OpImport::new(name, &components, &shared).operation(&apis[name]);
        let (request, response) = (paths(&fresh["request"]), paths(&fresh["response"]));
        let file = spec.join(format!("{name}.yaml"));
        let existing = match super::SpecFile::read(&file)?.value {
            Some(v) => v,
            None => {
                out.operations.push(name.clone());
                out.in_missing_operations.0 += request.len();
                out.in_missing_operations.1 += response.len();
                continue;
            }
        };
        let have_request = paths(&existing["request"]);
        let have_response = paths(&existing["response"]);
        let missing = |want: Vec<String>, have: &[String]| -> Vec<String> {
            want.into_iter()
                .filter(|p| !have.contains(p))
                .map(|p| format!("{name}.{p}"))
                .collect()
        };
        out.parameters.extend(missing(request, &have_request));
        out.fields.extend(missing(response, &have_response));
    }
    Ok(out)
}

/// The paths of every node of a map of named nodes, parents first.
fn paths(map: &Yaml) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(m) = map.as_mapping() {
        for (k, node) in m {
            if let Some(name) = k.as_str() {
                out.push(name.to_owned());
                below(node, name, &mut out);
            }
        }
    }
    out
}

/// The paths under a node: its items (`[]`), its properties (`.Name`), or the shape of the
/// JSON it carries.
fn below(node: &Yaml, path: &str, out: &mut Vec<String>) {
    if let Some(shape) = node.get("json") {
        below(shape, path, out);
        return;
    }
    if let Some(items) = node.get("items") {
        below(items, &format!("{path}[]"), out);
    }
    if let Some(props) = node.get("properties").and_then(Yaml::as_mapping) {
        for (k, child) in props {
            if let Some(name) = k.as_str() {
                let p = format!("{path}.{name}");
                out.push(p.clone());
                below(child, &p, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Yaml {
        serde_yaml::from_str(s).unwrap_or(Yaml::Null)
    }

    #[test]
    fn paths_follow_items_properties_and_json_shapes() {
        let m = yaml(
            "A: {type: array, items: {type: object, properties: {B: {type: string}}}}\nJ: {type: string, json: {type: object, properties: {K: {type: int32}}}}\n",
        );
        assert_eq!(paths(&m), ["A", "A[].B", "J", "J.K"]);
    }
}
