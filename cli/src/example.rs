//! The example invocation `hbr call OPERATION --help` ends with: an input that sets every
//! required top-level parameter (and, when there are fewer than two, the first optional ones
//! with documented values), with values taken from the spec's docs and value lists, so that
//! it passes the operation's checks as printed: a parameter a cross-field rule asks for
//! (required when another has a value) is added, one it refuses there is left out.

use hbr_client::registry::{CallError, OperationInfo, ParamInfo};
use serde_json::{Map, Value};

/// How many parameters an example shows at least, when the operation has that many
/// with a value to show.
const AT_LEAST: usize = 2;

/// `Example:` and the command line, for `op`.
/// The same request both ways: as `--input` JSON and as parameter flags.
pub fn example(op: &OperationInfo) -> String {
    let fields = example_input(op);
    let flags = crate::param_flags::as_flags(&fields);
    let input = Value::Object(fields).to_string();
    let mut text = format!(
        "\nExample (the same request both ways):\n  hbr call {} --input '{}'\n",
        op.name,
        input.replace('\'', r"'\''")
    );
    if !flags.is_empty() {
        text.push_str(&format!("  hbr call {} {flags}\n", op.name));
    }
    text
}

/// The example's input: the required top-level parameters, then optional ones up to
/// [`AT_LEAST`], each with a value its doc or its values give.
pub fn example_input(op: &OperationInfo) -> Map<String, Value> {
    let mut input = Map::new();
    for p in top_level(op).filter(|p| p.required) {
        input.insert(p.name.to_owned(), value_for(p));
    }
    for p in top_level(op).filter(|p| !p.required) {
        if input.len() >= AT_LEAST {
            break;
        }
        if let Some(v) = optional_value(p) {
            input.insert(p.name.to_owned(), v);
        }
    }
    follow_rules(op, &mut input);
    input
}

/// Adds the top-level parameters the operation's checks say are missing and drops those they
/// refuse, a bounded number of times (each round settles one parameter).
fn follow_rules(op: &OperationInfo, input: &mut Map<String, Value>) {
    for _ in 0..op.parameters.len() {
        let Err(CallError::Validation(e)) = (op.check)(Value::Object(input.clone())) else {
            return;
        };
        let Some(p) = e
            .violations()
            .iter()
            .find_map(|v| top_level(op).find(|p| p.name == v.parameter))
        else {
            return;
        };
        if input.remove(p.name).is_none() {
            input.insert(p.name.to_owned(), value_for(p));
        }
    }
}

/// The operation's top-level parameters (nested ones are named `Name.N.Field`).
fn top_level(op: &OperationInfo) -> impl Iterator<Item = &ParamInfo> {
    op.parameters.iter().filter(|p| !p.name.contains('.'))
}

/// A value for a required parameter: one it documents, else a typed stand-in that names it.
fn value_for(p: &ParamInfo) -> Value {
    optional_value(p)
        .or_else(|| documented(p).map(Value::String))
        .unwrap_or_else(|| match p.ty {
            "int32" | "int64" => Value::from(1),
            "boolean" => Value::Bool(true),
            "array" | "any" => Value::Array(vec![Value::String(stand_in(p))]),
            _ => Value::String(stand_in(p)),
        })
}

/// A value worth showing for an optional parameter: its first documented value, a number
/// or a flag; `None` for free text, which the example leaves out.
fn optional_value(p: &ParamInfo) -> Option<Value> {
    if let Some(v) = p.values.first() {
        return Some(Value::String((*v).to_owned()));
    }
    match p.ty {
        "int32" | "int64" => Some(Value::from(documented_number(p).unwrap_or_else(|| {
            if p.name.ends_with("Number") {
                1
            } else {
                10
            }
        }))),
        "boolean" => Some(Value::Bool(true)),
        "any" => documented(p).and_then(|d| serde_json::from_str(&d).ok()),
        _ => None,
    }
}

/// The doc's `for example `X``, when it gives one.
fn documented(p: &ParamInfo) -> Option<String> {
    let (_, rest) = p.doc.split_once("for example `")?;
    let (value, _) = rest.split_once('`')?;
    (!value.is_empty()).then(|| value.to_owned())
}

fn documented_number(p: &ParamInfo) -> Option<i64> {
    documented(p)?.parse().ok()
}

/// `<VaultId>` for `VaultId`: shows where the user's own value goes.
fn stand_in(p: &ParamInfo) -> String {
    format!("<{}>", p.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_passes_its_operations_checks() {
        for op in hbr_client::OPERATIONS {
            let input = example_input(op);
            for p in op
                .parameters
                .iter()
                .filter(|p| p.required && !p.name.contains('.'))
            {
                assert!(
                    input.contains_key(p.name),
                    "{}: {} missing",
                    op.name,
                    p.name
                );
            }
            if let Err(e) = (op.check)(Value::Object(input.clone())) {
                panic!("{}: the example {input:?} fails: {e}", op.name);
            }
        }
    }

    #[test]
    fn the_example_names_the_documented_values() {
        let op = hbr_client::registry::find("CreateRestoreJob").unwrap();
        let input = example_input(op);
        assert_eq!(input["RestoreType"], "ECS_FILE");
        assert_eq!(input["SourceType"], "ECS_FILE");
        let op = hbr_client::registry::find("CancelRestoreJob").unwrap();
        let text = example(op);
        assert!(text.contains(r#""RestoreId":"#), "{text}");
        assert!(text.contains(r#""Edition":"STANDARD""#), "{text}");
    }
}
