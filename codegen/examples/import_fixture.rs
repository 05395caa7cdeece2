//! Writes a metadata fixture for the import tests: the named operations of Alibaba's metadata
//! with their facts only. Every `description`, `title`, `summary`, `example` and response demo
//! is dropped; the values a description lists are kept as `enumValueTitles` keys (with empty
//! titles), which the importer reads the same way, and what an integer's description and
//! example say it means (a unix time, a unit) is kept as the few words that state just that
//! (`hbr_codegen::import::Meaning::words`).
//!
//! ```text
//! cargo run -p hbr-codegen --example import_fixture -- METADATA.json OUT.json Op1 Op2 ...
//! ```
#![forbid(unsafe_code)]

use std::process::ExitCode;

use serde_json::{Map, Value};

const PROSE: &[&str] = &["description", "title", "summary", "example", "responseDemo"];

/// The schema (or any metadata node) with its prose dropped and its values kept as facts.
fn facts(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                if !PROSE.contains(&k.as_str()) && k != "enumValueTitles" {
                    out.insert(k.clone(), facts(x));
                }
            }
            let values = hbr_codegen::import::documented_values(v);
            let listed: Vec<&str> = m
                .get("enum")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let titles: Map<String, Value> = values
                .iter()
                .filter(|v| !listed.contains(&v.as_str()))
                .map(|v| (v.clone(), Value::String(String::new())))
                .collect();
            if !titles.is_empty() && m.get("type").and_then(Value::as_str) == Some("string") {
                out.insert("enumValueTitles".into(), Value::Object(titles));
            }
            if m.get("type").and_then(Value::as_str) == Some("integer") {
                let meaning = hbr_codegen::import::integer_meaning(v);
                if let Some(words) = meaning.words() {
                    out.insert("description".into(), Value::String(words.into()));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(facts).collect()),
        other => other.clone(),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [metadata, out, ops @ ..] = args.as_slice() else {
        eprintln!("usage: import_fixture METADATA.json OUT.json OPERATION...");
        return ExitCode::FAILURE;
    };
    let doc: Value = match std::fs::read_to_string(metadata)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("{metadata}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut apis = Map::new();
    for op in ops {
        match doc.get("apis").and_then(|a| a.get(op)) {
            Some(api) => {
                apis.insert(op.clone(), facts(api));
            }
            None => {
                eprintln!("{op}: not in the metadata");
                return ExitCode::FAILURE;
            }
        }
    }
    let components = doc
        .pointer("/components/schemas")
        .map(facts)
        .unwrap_or(Value::Object(Map::new()));
    let fixture = serde_json::json!({
        "apis": apis,
        "components": {"schemas": components},
    });
    let text = match serde_json::to_string_pretty(&fixture) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(out, text + "\n") {
        eprintln!("{out}: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
