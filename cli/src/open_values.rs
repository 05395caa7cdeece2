//! Values outside an operation's documented lists: `hbr call` sends them as given (the service
//! is the judge of a value, and its lists grow before the documentation's do) and says so on
//! stderr, one line per value, naming the parameter, the value and the documented values.
//!
//! The documented values are the registry's ([`ParamInfo::values`]), written by the
//! generator from the spec's `values:` (or the whole enum); nested parameters are found by
//! their registry path (`Filters.N.Key`) and named by their wire path (`Filters.2.Key`).

use std::io::Write;

use hbr_client::registry::{OperationInfo, ParamInfo};
use serde_json::Value;

/// One warning line per string of `input` that is outside the values `op` documents for its
/// parameter, in parameter order.
///
/// The line reads `warning: SourceType: "CONTAINER" is not among the documented values (ECS_FILE,
/// OSS, ...); it is sent as given`.
pub fn warnings(op: &OperationInfo, input: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for param in op.parameters.iter().filter(|p| !p.values.is_empty()) {
        let pattern: Vec<&str> = param.name.split('.').collect();
        let mut found = Vec::new();
        strings_at(input, &pattern, String::new(), &mut found);
        for (path, value) in found {
            if !param.values.contains(&value) {
                out.push(line(param, &path, value));
            }
        }
    }
    out
}

/// Prints [`warnings`] on stderr, when the request is one that will be sent: a request the
/// client refuses (a bound, a rule) gets its one error line and nothing else.
pub fn warn(op: &OperationInfo, input: &Value) {
    let lines = warnings(op, input);
    if lines.is_empty() || (op.check)(input.clone()).is_err() {
        return;
    }
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for l in lines {
        // A closed stderr loses the warning, never the call.
        let _ = writeln!(err, "{l}");
    }
}

fn line(param: &ParamInfo, path: &str, value: &str) -> String {
    format!(
        "warning: {path}: {value:?} is not among the documented values ({}); it is sent as given",
        param.values.join(", ")
    )
}

/// The strings under the registry path `pattern` (`N` stands for every item of an array),
/// with their wire paths (items numbered from 1, as the wire numbers them).
fn strings_at<'v>(
    value: &'v Value,
    pattern: &[&str],
    path: String,
    out: &mut Vec<(String, &'v str)>,
) {
    let join = |segment: &str| {
        if path.is_empty() {
            segment.to_owned()
        } else {
            format!("{path}.{segment}")
        }
    };
    match (pattern.split_first(), value) {
        (None, Value::String(s)) => out.push((path, s)),
        (Some((&"N", rest)), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                strings_at(item, rest, join(&(i + 1).to_string()), out);
            }
        }
        (Some((name, rest)), Value::Object(members)) => {
            if let Some(member) = members.get(*name) {
                strings_at(member, rest, join(name), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn op(name: &str) -> &'static OperationInfo {
        hbr_client::registry::find(name).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The documented values, independently of the registry: DescribeBackupJobs2's
    /// `SourceType` list in its spec file.
    const BACKUP_JOB_SOURCES: &str =
        "ECS_FILE, OSS, NAS, UDM_ECS, OTS, COMMON_NAS, File, UDM_ECS_DISK, SYNC";

    #[test]
    fn a_value_outside_the_documented_list_gets_one_line() {
        let lines = warnings(
            op("DescribeBackupJobs2"),
            &json!({"SourceType": "CONTAINER", "PageSize": 5}),
        );
        assert_eq!(
            lines,
            [format!(
                "warning: SourceType: \"CONTAINER\" is not among the documented values ({BACKUP_JOB_SOURCES}); it is sent as given"
            )]
        );
        assert!(warnings(op("DescribeBackupJobs2"), &json!({"SourceType": "OSS"})).is_empty());
    }

    #[test]
    fn nested_values_are_named_by_their_wire_path() {
        let input = json!({"Filters": [
            {"Key": "VaultId", "Values": ["v-1"]},
            {"Key": "DataSourceId", "Operator": "MATCH", "Values": ["x"]}
        ]});
        let lines = warnings(op("DescribeBackupJobs2"), &input);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("warning: Filters.2.Key: \"DataSourceId\" is not among the documented values (RegionId, "), "{}", lines[0]);
        assert!(lines[1].starts_with("warning: Filters.2.Operator: \"MATCH\" is not among the documented values (EQUAL, "), "{}", lines[1]);
    }

    #[test]
    fn shapes_that_do_not_fit_warn_of_nothing() {
        for input in [
            json!({"SourceType": 3}),
            json!({"Filters": {"Key": "Nope"}}),
            json!({"Filters": [{"Key": ["Nope"]}]}),
            json!([]),
        ] {
            assert!(
                warnings(op("DescribeBackupJobs2"), &input).is_empty(),
                "{input}"
            );
        }
    }
}
