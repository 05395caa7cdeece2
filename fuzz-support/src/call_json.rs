//! Arbitrary bytes as `hbr call` input JSON, into every operation's `check` and `encode`.
//!
//! Bytes that are not JSON stop at `serde_json` (as `hbr call` reports them); JSON values go
//! to every operation. An error that concerns a parameter must name it: a validation error
//! names the parameter's wire path, and a decoding error of an object input quotes the
//! parameter or field it is about. A request that passes `check` must pass it again as
//! re-serialised, unchanged, and `encode` must accept exactly what `check` accepts.

use hbr_client::registry::{CallError, OperationInfo};

/// Runs one input through every operation.
///
/// ```
/// hbr_fuzz_support::call_json::run(br#"{"PageSize":100,"RestoreType":"ECS_FILE"}"#);
/// hbr_fuzz_support::call_json::run(b"not json");
/// ```
pub fn run(data: &[u8]) {
    let Ok(input) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    for op in hbr_client::OPERATIONS {
        run_one(op, &input);
    }
}

/// Runs one JSON input through one operation's `check` and `encode`.
///
/// ```
/// let op = hbr_client::registry::find("DescribeRestoreJobs2").unwrap();
/// hbr_fuzz_support::call_json::run_one(op, &serde_json::json!({"PageNumber": "1"}));
/// ```
pub fn run_one(op: &OperationInfo, input: &serde_json::Value) {
    let checked = (op.check)(input.clone());
    let encoded = (op.encode)(input.clone());
    match (&checked, &encoded) {
        (Ok(request), Ok(_)) => {
            let again = (op.check)(request.clone()).unwrap_or_else(|e| {
                panic!(
                    "{}: a request that passed check fails it as re-serialised: {e}\n{request}",
                    op.name
                )
            });
            assert_eq!(
                &again, request,
                "{}: check is not stable on its own output",
                op.name
            );
        }
        (Err(a), Err(b)) => {
            assert_eq!(
                a.to_string(),
                b.to_string(),
                "{}: check and encode reject differently",
                op.name
            );
            assert_names_parameter(op, input, a);
        }
        (Ok(_), Err(e)) | (Err(e), Ok(_)) => {
            panic!("{}: check and encode disagree ({e}) on {input}", op.name)
        }
    }
}

fn assert_names_parameter(op: &OperationInfo, input: &serde_json::Value, err: &CallError) {
    match err {
        CallError::Validation(v) => {
            assert!(
                !v.violations().is_empty(),
                "{}: a validation error without a violation",
                op.name
            );
            for violation in v.violations() {
                assert!(
                    !violation.parameter.trim().is_empty(),
                    "{}: a violation names no parameter: {violation}",
                    op.name
                );
                assert!(
                    !violation.message.trim().is_empty(),
                    "{}: a violation says nothing: {}",
                    op.name,
                    violation.parameter
                );
            }
        }
        CallError::Input { operation, source } => {
            assert_eq!(*operation, op.name, "the error names another operation");
            let message = source.to_string();
            if input.is_object() {
                assert!(
                    message.contains('`'),
                    "{}: an input error of an object names no parameter: {message}\ninput: {input}",
                    op.name
                );
            }
        }
        other => panic!("{}: unexpected kind of input error: {other}", op.name),
    }
}
