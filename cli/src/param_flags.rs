//! `hbr call OP --Name value`: API parameters as flags, the way the aliyun CLI takes them,
//! laid over the `--input` JSON (a flag wins over the same parameter there).
//!
//! A flag names a parameter by its wire path: `PageSize`, `Filters.1.Key`,
//! `Filters.1.Values.2` (items numbered from 1). The path is checked against the operation's
//! parameters in the registry (`Filters.N.Key`); an unknown one is refused with the closest
//! known name. The value becomes JSON by the parameter's type: an array, an object or an
//! `any` takes a JSON value (`--Filters '[...]'`); everything else is sent to the typed
//! decoding as a string, which reads numbers and booleans from strings and names the
//! parameter when a value does not fit, exactly as for `--input`.

use hbr_client::registry::{OperationInfo, ParamInfo};
use serde_json::{Map, Value};

use crate::argv::ParamFlag;
use crate::error::CliError;

/// One segment of a flag's path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    /// A member of an object.
    Name(String),
    /// An item of an array, numbered from 1.
    Item(usize),
}

/// A flag read against the operation: where its value goes and the value.
#[derive(Debug)]
struct Placed {
    flag: String,
    path: Vec<Segment>,
    value: Value,
}

/// `input` with every flag of `flags` laid over it (the flag wins), for `op`.
pub fn apply(op: &OperationInfo, input: Value, flags: &[ParamFlag]) -> Result<Value, CliError> {
    if flags.is_empty() {
        return Ok(input);
    }
    let mut input = match input {
        Value::Object(map) => Value::Object(map),
        _ => {
            return Err(CliError::Usage(
                "--input must be a JSON object to be combined with parameter flags".into(),
            ))
        }
    };
    let mut placed = flags
        .iter()
        .map(|f| place(op, f))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, p) in placed.iter().enumerate() {
        if placed[..i].iter().any(|q| q.path == p.path) {
            return Err(CliError::Usage(format!("--{} is given twice", p.flag)));
        }
    }
    // Items in order, so that `--Filters.2.Key` after `--Filters.1.Key` finds item 1 there.
    placed.sort_by(|a, b| order(&a.path, &b.path));
    for p in placed {
        set(&mut input, &p.path, p.value, &p.flag)?;
    }
    Ok(input)
}

/// Paths compared segment by segment, items by number.
fn order(a: &[Segment], b: &[Segment]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = match (x, y) {
            (Segment::Item(m), Segment::Item(n)) => m.cmp(n),
            (Segment::Name(m), Segment::Name(n)) => m.cmp(n),
            (Segment::Name(_), Segment::Item(_)) => std::cmp::Ordering::Less,
            (Segment::Item(_), Segment::Name(_)) => std::cmp::Ordering::Greater,
        };
        if o.is_ne() {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

/// Reads one flag against the operation's parameters.
fn place(op: &OperationInfo, flag: &ParamFlag) -> Result<Placed, CliError> {
    let mut path = Vec::new();
    let mut pattern = Vec::new();
    for part in flag.name.split('.') {
        if part.is_empty() {
            return Err(unknown(op, &flag.name));
        }
        if part.bytes().all(|b| b.is_ascii_digit()) {
            match part.parse::<usize>() {
                Ok(n) if n >= 1 => path.push(Segment::Item(n)),
                _ => {
                    return Err(CliError::Usage(format!(
                        "--{}: items are numbered from 1",
                        flag.name
                    )))
                }
            }
            pattern.push("N");
        } else {
            path.push(Segment::Name(part.to_owned()));
            pattern.push(part);
        }
    }
    let pattern = pattern.join(".");
    let value = match op.parameters.iter().find(|p| p.name == pattern) {
        Some(param) => typed(param, op, flag)?,
        None => match element_of(op, &pattern) {
            // An item of a list of strings (`Filters.1.Values.2`): a string.
            Some(_) => Value::String(flag.value.clone()),
            None => return Err(unknown(op, &flag.name)),
        },
    };
    Ok(Placed {
        flag: flag.name.clone(),
        path,
        value,
    })
}

/// The array parameter `pattern` is an item of (`Filters.N.Values.N` of `Filters.N.Values`)
/// when the registry describes no further field under it.
fn element_of<'a>(op: &'a OperationInfo, pattern: &str) -> Option<&'a ParamInfo> {
    let parent = pattern.strip_suffix(".N")?;
    op.parameters
        .iter()
        .find(|p| p.name == parent && p.ty == "array")
        .filter(|_| {
            !op.parameters
                .iter()
                .any(|p| p.name.starts_with(&format!("{pattern}.")))
        })
}

/// The flag's value as JSON, by the parameter's type.
fn typed(param: &ParamInfo, op: &OperationInfo, flag: &ParamFlag) -> Result<Value, CliError> {
    let text = flag.value.as_str();
    match param.ty {
        "array" | "object" => serde_json::from_str(text).map_err(|e| {
            let example = if param.ty == "array" { "[...]" } else { "{...}" };
            CliError::Usage(format!(
                "--{}: {} of {} takes a JSON {} such as '{example}' (or one flag per field, e.g. --{}.1...): {e}",
                flag.name, param.name, op.name, param.ty, flag.name
            ))
        }),
        // A JSON value when it is one, else the text.
        "any" => Ok(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))),
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// The error for a name the operation does not have, with the closest one (compared with
/// items as `N`, and shown with the flag's own item numbers).
fn unknown(op: &OperationInfo, name: &str) -> CliError {
    let numbers: Vec<&str> = name
        .split('.')
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let pattern: Vec<&str> = name
        .split('.')
        .map(|p| {
            if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
                "N"
            } else {
                p
            }
        })
        .collect();
    let pattern = pattern.join(".");
    let candidates: Vec<&str> = op.parameters.iter().map(|p| p.name).collect();
    let hint = match hbr_suggest::closest(&pattern, &candidates) {
        Some(best) => {
            let mut numbers = numbers.iter();
            let shown: Vec<&str> = best
                .split('.')
                .map(|p| match p {
                    "N" => numbers.next().copied().unwrap_or("1"),
                    other => other,
                })
                .collect();
            format!("; did you mean --{}?", shown.join("."))
        }
        None if candidates.is_empty() => format!("; {} takes no parameters", op.name),
        None => format!(
            "; its parameters: {}",
            candidates
                .iter()
                .filter(|c| !c.contains('.'))
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    CliError::Usage(format!(
        "unknown parameter --{name} for {}{hint} (see hbr call {} --help)",
        op.name, op.name
    ))
}

/// Sets `value` at `path` in `target`, creating objects and arrays on the way; an item may
/// only follow the ones before it.
fn set(target: &mut Value, path: &[Segment], value: Value, flag: &str) -> Result<(), CliError> {
    let Some((first, rest)) = path.split_first() else {
        *target = value;
        return Ok(());
    };
    match first {
        Segment::Name(name) => {
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            let Value::Object(map) = target else {
                return Ok(());
            };
            let slot = map.entry(name.clone()).or_insert(Value::Null);
            set(slot, rest, value, flag)
        }
        Segment::Item(n) => {
            if !target.is_array() {
                *target = Value::Array(Vec::new());
            }
            let Value::Array(items) = target else {
                return Ok(());
            };
            if *n > items.len() + 1 {
                return Err(CliError::Usage(format!(
                    "--{flag}: items are numbered from 1 without gaps, and item {} is not given",
                    items.len() + 1
                )));
            }
            if *n == items.len() + 1 {
                items.push(Value::Null);
            }
            match items.get_mut(n - 1) {
                Some(slot) => set(slot, rest, value, flag),
                None => Ok(()),
            }
        }
    }
}

/// `--Name value` flags for an example input, as a command line shows them (single-quoted
/// where the shell needs it).
pub fn as_flags(input: &Map<String, Value>) -> String {
    input
        .iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("--{name} {}", quote(&text))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` as one shell word.
fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/@,+=".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn op(name: &str) -> &'static OperationInfo {
        hbr_client::registry::find(name).unwrap_or_else(|e| panic!("{e}"))
    }

    fn flag(name: &str, value: &str) -> ParamFlag {
        ParamFlag {
            name: name.into(),
            value: value.into(),
        }
    }

    #[test]
    fn scalars_nested_and_json_values() {
        let jobs = op("DescribeBackupJobs2");
        let input = apply(
            jobs,
            json!({"PageSize": 50, "SourceType": "OSS"}),
            &[
                flag("Filters.1.Values.2", "COMPLETE"),
                flag("PageSize", "2"),
                flag("Filters.1.Key", "Status"),
                flag("Filters.1.Values.1", "FAILED"),
            ],
        )
        .ok();
        assert_eq!(
            input,
            Some(json!({"PageSize": "2", "SourceType": "OSS",
                "Filters": [{"Key": "Status", "Values": ["FAILED", "COMPLETE"]}]}))
        );
        // The typed decoding reads the strings.
        let checked = input.map(|i| (jobs.check)(i).map_err(|e| e.to_string()));
        assert!(
            matches!(checked, Some(Ok(ref v)) if v["PageSize"] == 2),
            "{checked:?}"
        );

        let input = apply(
            jobs,
            json!({}),
            &[flag("Filters", r#"[{"Key":"Status","Values":["FAILED"]}]"#)],
        )
        .ok();
        assert_eq!(
            input,
            Some(json!({"Filters": [{"Key": "Status", "Values": ["FAILED"]}]}))
        );
    }

    #[test]
    fn mistakes_are_named() {
        let jobs = op("DescribeBackupJobs2");
        let err = |flags: &[ParamFlag]| {
            apply(jobs, json!({}), flags)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(err(&[flag("PageSise", "2")]).contains("did you mean --PageSize?"));
        assert!(err(&[flag("Filters.3.Kee", "Status")]).contains("did you mean --Filters.3.Key?"));
        assert!(err(&[flag("Filters", "[oops")])
            .contains("--Filters: Filters of DescribeBackupJobs2 takes a JSON array"));
        assert!(err(&[flag("Filters.2.Key", "Status")]).contains("item 1 is not given"));
        assert!(err(&[flag("Filters.0.Key", "Status")]).contains("numbered from 1"));
        assert!(err(&[flag("PageSize", "1"), flag("PageSize", "2")]).contains("given twice"));
        assert!(err(&[flag("Filters..Key", "x")]).contains("unknown parameter"));
        assert!(apply(jobs, json!([]), &[flag("PageSize", "1")]).is_err());
    }

    #[test]
    fn flags_of_an_example() {
        let mut input = Map::new();
        input.insert("PageSize".into(), json!(10));
        input.insert("VaultId".into(), json!("v-1"));
        input.insert("Filters".into(), json!([{"Key": "Status"}]));
        assert_eq!(
            as_flags(&input),
            r#"--PageSize 10 --VaultId v-1 --Filters '[{"Key":"Status"}]'"#
        );
    }
}
