//! Drift between the official Python SDK (the pinned `alibabacloud-hbr20170908`, installed
//! as for the lifecycle test) and the spec: the SDK is the API as it is today.
//!
//! `scripts/python/sdk_models.py` describes every operation the installed SDK models (by
//! running it: its client's methods, its models' `to_map()` keys and annotations) in the shape
//! of Alibaba's metadata. Then:
//!
//! - every operation, parameter and field it has must be in the spec
//!   (`hbr_codegen::import::drift`, which lists each one missing);
//! - every top-level parameter travels where the SDK sends it (query or form body) and is
//!   required exactly when the SDK's model says so, as the generated registry has it;
//! - a response body holding every field the SDK's response models parse (nested, with their
//!   `{"Xs": {"X": [...]}}` wrappers, each of the SDK's type) parses with the generated client
//!   and gives every field back;
//! - importing it over a copy of the spec (`hbr-codegen import`) changes no file: the spec
//!   holds every fact the SDK states.
//!
//! Following a new SDK release: bump the pin in `support/mod.rs`, run the import (README,
//! "Following the service"), describe what is new; this test then passes again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec/hbr/2017-09-08")
}

/// The SDK's description, written by the dumper into `dir`.
fn dump(dir: &Path) -> PathBuf {
    let out = dir.join("sdk-models.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/python/sdk_models.py");
    let run = Command::new(support::python())
        .arg(&script)
        .arg(&out)
        .output()
        .expect("the dumper runs");
    assert!(
        run.status.success(),
        "sdk_models.py failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

#[test]
fn the_spec_has_everything_the_pinned_sdk_models() {
    let tmp = tempfile::tempdir().unwrap();
    let source = dump(tmp.path());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&source).unwrap()).unwrap();
    let apis = doc["apis"].as_object().expect("apis");

    // The dumper saw the whole SDK: the client has its operations and one more, the 2024
    // metadata's AttachNasFileSystem, which the SDK no longer has.
    let sdk: BTreeSet<&str> = apis.keys().map(String::as_str).collect();
    let ours: BTreeSet<&str> = hbr_client::OPERATIONS.iter().map(|o| o.name).collect();
    let only_ours: Vec<&&str> = ours.difference(&sdk).collect();
    assert_eq!(only_ours, [&"AttachNasFileSystem"], "{sdk:?}");

    let drift = hbr_codegen::import::drift(&source, &spec_dir()).unwrap();
    assert!(
        drift.is_empty(),
        "the spec lacks what the official SDK models:\n{drift}"
    );

    let mut wrong = Vec::new();
    for (name, api) in apis {
        let op = hbr_client::registry::find(name).unwrap();
        for p in api["parameters"].as_array().unwrap() {
            let wire = p["name"].as_str().unwrap();
            let ours = op.parameters.iter().find(|q| q.name == wire).unwrap();
            let location = if p["in"] == "query" { "query" } else { "body" };
            if ours.location != location {
                wrong.push(format!(
                    "{name}.{wire}: the SDK sends it in the {location}, ours in the {}",
                    ours.location
                ));
            }
            let required = p["schema"]["required"] == true;
            if ours.required != required {
                wrong.push(format!(
                    "{name}.{wire}: required is {required} in the SDK, {} in the spec",
                    ours.required
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn re_importing_the_sdk_changes_no_spec_line() {
    let tmp = tempfile::tempdir().unwrap();
    let source = dump(tmp.path());
    let copy = tmp.path().join("spec");
    std::fs::create_dir(&copy).unwrap();
    let before = files(&spec_dir());
    for (name, text) in &before {
        std::fs::write(copy.join(name), text).unwrap();
    }
    let report = hbr_codegen::import::import(&source, &[], &copy, false).unwrap();
    assert!(report.written.is_empty(), "{:?}", report.written);
    assert_eq!(files(&copy), before);
}

/// A body with every field of an SDK response schema, each a value of its type.
fn sample(schema: &Value) -> Value {
    match schema["type"].as_str() {
        Some("object") => Value::Object(
            schema["properties"]
                .as_object()
                .map(|props| props.iter().map(|(k, v)| (k.clone(), sample(v))).collect())
                .unwrap_or_default(),
        ),
        Some("array") => Value::Array(vec![sample(&schema["items"])]),
        Some("string") => Value::from("s"),
        Some("integer") => Value::from(7),
        Some("boolean") => Value::from(true),
        Some("number") => Value::from(1.5),
        _ => serde_json::json!({"any": ["json"]}),
    }
}

/// The paths of `want` that `got` lacks or holds differently; `leaves` counts the scalars
/// compared.
fn differences(want: &Value, got: &Value, path: &str, out: &mut Vec<String>, leaves: &mut usize) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, v) in w {
                match g.get(k) {
                    Some(gv) => differences(v, gv, &format!("{path}.{k}"), out, leaves),
                    None => out.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                differences(wv, gv, &format!("{path}[{i}]"), out, leaves);
            }
        }
        (w, g) if w == g => *leaves += 1,
        (w, g) => out.push(format!("{path}: sent {w}, read back {g}")),
    }
}

#[test]
fn every_response_field_the_sdk_parses_is_parsed() {
    let tmp = tempfile::tempdir().unwrap();
    let source = dump(tmp.path());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&source).unwrap()).unwrap();
    let (mut problems, mut leaves) = (Vec::new(), 0);
    for (name, api) in doc["apis"].as_object().unwrap() {
        let body = sample(&api["responses"]["200"]["schema"]);
        let op = hbr_client::registry::find(name).unwrap();
        match (op.decode)(body.to_string().as_bytes()) {
            Ok(read) => differences(&body, &read, name, &mut problems, &mut leaves),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The SDK's 97 operations parse over 1,100 response fields; all were compared.
    assert!(leaves > 1000, "{leaves}");
}
