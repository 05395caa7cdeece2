//! Reading a spec folder into the model. Every problem is collected with its place; nothing
//! stops at the first error.
//!
//! `mod.rs` reads the files (the service file, operation files); `nodes.rs` reads what an
//! operation holds (type nodes, properties, rules, filters); `values.rs` is the `Reader`
//! that reads one typed value out of the YAML and records a problem when it cannot.

mod nodes;
mod values;

use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::error::{Error, Location, SpecError};
use crate::model::*;
use crate::source::{NodePath, Seg, Source};

use self::nodes::{props, rules};
use self::values::{child, describe, Reader};

pub use self::nodes::NODE_KEYS;

const SERVICE_FILE: &str = "service.yaml";

const TOP_SERVICE_KEYS: &[&str] = &["service", "enums"];
const SERVICE_KEYS: &[&str] = &[
    "product",
    "version",
    "title",
    "endpoint",
    "signature",
    "doc",
];
const OPERATION_KEYS: &[&str] = &[
    "kind",
    "operation",
    "doc",
    "pagination",
    "waiters",
    "enums",
    "request",
    "rules",
    "response",
];
const PAGINATION_KEYS: &[&str] = &[
    "page_number",
    "next_token",
    "page_size",
    "total_count",
    "items",
    "item_key",
];
const ENUM_KEYS: &[&str] = &["doc", "values"];
const WAITER_KEYS: &[&str] = &[
    "doc",
    "items",
    "status",
    "success",
    "failure",
    "delay",
    "max_delay",
    "timeout",
];

/// Reads and checks the syntax of every spec file of a folder (`service.yaml` plus one file
/// per operation). Returns the model as far as it could be read (so that semantic checks can
/// still run and report their problems too) and every problem found.
pub fn read_dir(dir: &Path) -> Result<(Option<Spec>, Vec<SpecError>), Error> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        files.push((path, text));
    }
    Ok(read_sources(dir, &files))
}

/// Reads spec files that are already in memory, as `(path, text)` pairs: the file whose path
/// is `dir/service.yaml` is the service file, every other one an operation file (named
/// `<Operation>.yaml`). This is what [`read_dir`] does once it has read the folder; it never
/// touches the file system. Returns the model as far as it could be read and every problem
/// found, each with its `file:line:col`.
///
/// ```
/// use std::path::{Path, PathBuf};
/// let dir = Path::new("spec");
/// let files = vec![(PathBuf::from("spec/Broken.yaml"), "operation: [".to_owned())];
/// let (spec, errors) = hbr_codegen::reader::read_sources(dir, &files);
/// assert!(spec.is_none()); // no service file
/// assert!(errors.iter().any(|e| e.location.file == Path::new("spec/Broken.yaml")));
/// ```
pub fn read_sources(dir: &Path, files: &[(PathBuf, String)]) -> (Option<Spec>, Vec<SpecError>) {
    let mut reader = Reader::default();
    let mut service = None;
    let mut shared = Vec::new();
    let mut operations = Vec::new();
    let service_path = dir.join(SERVICE_FILE);
    if !files.iter().any(|(path, _)| *path == service_path) {
        reader.errors.push(SpecError {
            location: Location {
                file: service_path.clone(),
                line: 1,
                column: 1,
            },
            message: "missing service file: every spec folder needs service.yaml (see api-spec/README.md)".into(),
        });
    }
    for (path, text) in files {
        let src = match Source::parse(path, text) {
            Ok(src) => src,
            Err(errs) => {
                reader.errors.extend(errs);
                continue;
            }
        };
        if *path == service_path {
            let (s, e) = service_file(&mut reader, &src);
            service = s;
            shared = e;
        } else if let Some(op) = operation_file(&mut reader, &src) {
            operations.push(op);
        }
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    let spec = service.map(|service| Spec {
        service,
        enums: shared,
        operations,
    });
    (spec, reader.errors)
}

fn service_file(rd: &mut Reader, src: &Source) -> (Option<Service>, Vec<EnumDef>) {
    let root: NodePath = Vec::new();
    let Some(map) = rd.mapping(src, &src.root, &root, "the service file", TOP_SERVICE_KEYS) else {
        return (None, Vec::new());
    };
    let enums = match map.get("enums") {
        Some(v) => enums(rd, src, v, &child(&root, "enums")),
        None => Vec::new(),
    };
    let service = match map.get("service") {
        None => {
            rd.err(
                src.value_location(&root),
                "the service file needs a `service:` block",
            );
            None
        }
        Some(v) => {
            let p = child(&root, "service");
            let m = rd.mapping(src, v, &p, "`service`", SERVICE_KEYS);
            m.and_then(|m| {
                let product = rd.string(src, m, &p, "product", true, "`service`");
                let version = rd.string(src, m, &p, "version", true, "`service`");
                let title = rd.string(src, m, &p, "title", true, "`service`");
                let endpoint = rd.string(src, m, &p, "endpoint", true, "`service`");
                let signature = rd
                    .string(src, m, &p, "signature", false, "`service`")
                    .unwrap_or_else(|| "v3".into());
                let doc = rd.string(src, m, &p, "doc", true, "`service`");
                if !matches!(signature.as_str(), "v3" | "v1") {
                    rd.err(
                        src.value_location(&child(&p, "signature")),
                        format!("unknown signature `{signature}`; valid: v3, v1"),
                    );
                }
                if let Some(e) = &endpoint {
                    if !e.contains("{region}") {
                        rd.err(
                            src.value_location(&child(&p, "endpoint")),
                            "the endpoint pattern must contain `{region}`, e.g. \"hbr.{region}.aliyuncs.com\"",
                        );
                    }
                }
                Some(Service {
                    product: product?,
                    version: version?,
                    title: title?,
                    endpoint: endpoint?,
                    signature,
                    doc: doc?,
                })
            })
        }
    };
    (service, enums)
}

fn enums(rd: &mut Reader, src: &Source, v: &Value, path: &[Seg]) -> Vec<EnumDef> {
    let mut out = Vec::new();
    for (name, val, p) in rd.table(src, v, path, "`enums`") {
        let loc = src.key_location(&p);
        let Some(m) = rd.mapping(src, val, &p, &format!("enum `{name}`"), ENUM_KEYS) else {
            continue;
        };
        let doc = rd.string(src, m, &p, "doc", false, "an enum");
        let mut values = Vec::new();
        match m.get("values") {
            None => rd.err(
                loc.clone(),
                format!("enum `{name}` needs `values:` (wire value: meaning)"),
            ),
            Some(vals) => {
                let vp = child(&p, "values");
                for (wire, d, wp) in rd.table(src, vals, &vp, "enum `values`") {
                    let doc = match d {
                        Value::String(s) => Some(s.clone()),
                        Value::Null => None,
                        other => {
                            rd.err(
                                src.value_location(&wp),
                                format!(
                                    "the meaning of enum value `{wire}` must be a string, found {}",
                                    describe(other)
                                ),
                            );
                            None
                        }
                    };
                    values.push(EnumValue {
                        wire,
                        doc,
                        loc: src.key_location(&wp),
                    });
                }
            }
        }
        out.push(EnumDef {
            name,
            doc,
            values,
            loc,
        });
    }
    out
}

fn operation_file(rd: &mut Reader, src: &Source) -> Option<Operation> {
    let root: NodePath = Vec::new();
    let map = rd.mapping(src, &src.root, &root, "an operation file", OPERATION_KEYS)?;
    let name = rd.string(src, map, &root, "operation", true, "an operation file")?;
    let loc = src.value_location(&child(&root, "operation"));
    let doc = rd.string(src, map, &root, "doc", false, "an operation");
    let kind = rd
        .string(src, map, &root, hbr_attr_keys::KIND, false, "an operation")
        .map(|k| (k, src.value_location(&child(&root, hbr_attr_keys::KIND))));
    if !map.contains_key(hbr_attr_keys::KIND) {
        rd.err(
            loc.clone(),
            format!(
                "operation `{name}` needs `kind:` ({}): `read` when it only reads (the metadata's `get` and `list` operation types; retried after any transient failure), `write` otherwise (never sent again when its outcome is unknown)",
                hbr_attr_keys::KINDS.join(", ")
            ),
        );
    }
    let stem = src
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem != name {
        rd.err(
            loc.clone(),
            format!("operation `{name}` must be in a file named `{name}.yaml`, not `{stem}`"),
        );
    }
    let pagination = map
        .get("pagination")
        .and_then(|v| pagination(rd, src, v, &child(&root, "pagination")));
    let waiters = match map.get("waiters") {
        Some(v) => waiters(rd, src, v, &child(&root, "waiters")),
        None => Vec::new(),
    };
    let enums = match map.get("enums") {
        Some(v) => enums(rd, src, v, &child(&root, "enums")),
        None => Vec::new(),
    };
    let request = match map.get("request") {
        Some(v) => props(rd, src, v, &child(&root, "request"), "`request`"),
        None => Vec::new(),
    };
    let rules = match map.get("rules") {
        Some(v) => rules(rd, src, v, &child(&root, "rules")),
        None => Vec::new(),
    };
    let response = match map.get("response") {
        Some(v) => props(rd, src, v, &child(&root, "response"), "`response`"),
        None => {
            rd.err(
                loc.clone(),
                format!("operation `{name}` needs `response:` (at least RequestId)"),
            );
            Vec::new()
        }
    };
    Some(Operation {
        name,
        doc,
        file: src.path.clone(),
        loc,
        kind,
        pagination,
        waiters,
        enums,
        request,
        rules,
        response,
    })
}

/// The `pagination:` block: by page number (`page_number`, `total_count` required) or by
/// token (`next_token`, `total_count` optional), never both.
fn pagination(rd: &mut Reader, src: &Source, v: &Value, p: &[Seg]) -> Option<Pagination> {
    let m = rd.mapping(src, v, p, "`pagination`", PAGINATION_KEYS)?;
    let mut get = |k: &str, required: bool| {
        let s = rd.string(src, m, p, k, required, "`pagination`")?;
        Some((s, src.value_location(&child(p, k))))
    };
    let number = m
        .contains_key("page_number")
        .then(|| get("page_number", true))
        .flatten();
    let token = m
        .contains_key("next_token")
        .then(|| get("next_token", true))
        .flatten();
    let by_number = m.contains_key("page_number");
    let page_size = get("page_size", true);
    let total_count = m
        .contains_key("total_count")
        .then(|| get("total_count", true))
        .flatten();
    let items = get("items", true);
    let item_key = m
        .contains_key("item_key")
        .then(|| get("item_key", true))
        .flatten();
    let cursor = match (m.contains_key("page_number"), m.contains_key("next_token")) {
        (true, true) => {
            rd.err(src.key_location(&child(p, "next_token")), "`pagination` takes `page_number` (pages by number) or `next_token` (pages by token), not both");
            return None;
        }
        (false, false) => {
            rd.err(src.key_location(p), "`pagination` needs `page_number` (pages by number, with `total_count`) or `next_token` (pages by the token of the previous response)");
            return None;
        }
        (true, false) => Cursor::PageNumber(number?),
        (false, true) => Cursor::NextToken(token?),
    };
    if by_number && !m.contains_key("total_count") {
        rd.err(
            src.key_location(p),
            "`pagination` with `page_number` needs `total_count` (the response field with the number of items, which tells how many pages follow)",
        );
        return None;
    }
    Some(Pagination {
        cursor,
        page_size: page_size?,
        total_count,
        items: items?,
        item_key,
    })
}

/// The `waiters:` block: name → waiter.
fn waiters(rd: &mut Reader, src: &Source, v: &Value, path: &[Seg]) -> Vec<Waiter> {
    rd.table(src, v, path, "`waiters`")
        .into_iter()
        .filter_map(|(name, v, p)| {
            let place = format!("waiter `{name}`");
            let m = rd.mapping(src, v, &p, &place, WAITER_KEYS)?;
            let at = |k: &str| src.value_location(&child(&p, k));
            let doc = rd.string(src, m, &p, "doc", false, &place);
            let items = rd.string(src, m, &p, "items", false, &place);
            let status = rd.string(src, m, &p, "status", true, &place);
            let mut list = |k: &str| -> Option<(Vec<String>, Location)> {
                let values = match m.get(k) {
                    Some(v) => rd.scalars(src, v, &child(&p, k), &format!("`{k}`")),
                    None if k == "success" => {
                        rd.err(
                            at(k),
                            format!("{place} needs `success` (the statuses that end the wait)"),
                        );
                        return None;
                    }
                    None => Vec::new(),
                };
                let texts = values.iter().map(Scalar::wire).collect();
                Some((texts, at(k)))
            };
            let success = list("success");
            let failure = list("failure");
            let mut secs = |k: &str| {
                let n = rd.count(src, m, &p, k);
                if n.is_none() && !m.contains_key(k) {
                    rd.err(
                        src.value_location(&p),
                        format!("{place} needs `{k}` (seconds)"),
                    );
                }
                n.map(|n| (n, at(k)))
            };
            let (delay, max_delay, timeout) = (secs("delay"), secs("max_delay"), secs("timeout"));
            Some(Waiter {
                loc: src.key_location(&p),
                name,
                doc,
                items: items.map(|i| (i, at("items"))),
                status: (status?, at("status")),
                success: success?,
                failure: failure?,
                delay: delay?,
                max_delay: max_delay?,
                timeout: timeout?,
            })
        })
        .collect()
}
