//! Arbitrary bytes as the response body of every operation.
//!
//! Every input goes through the decoder of all operations (most inputs fail within a few
//! bytes, so this costs little and every operation sees every input, `DescribeRestoreJobs2`
//! included); what decodes is re-encoded and must decode again to the same value.

use hbr_client::registry::{CallError, OperationInfo};

/// Runs one input through every operation's response decoder.
///
/// ```
/// hbr_fuzz_support::response_bytes::run(br#"{"RequestId":"r","RestoreJobs":{"RestoreJob":[{}]}}"#);
/// ```
pub fn run(data: &[u8]) {
    for op in hbr_client::OPERATIONS {
        run_one(op, data);
    }
}

/// Runs one input through one operation's response decoder.
///
/// ```
/// let op = hbr_client::registry::find("DescribeRestoreJobs2").unwrap();
/// hbr_fuzz_support::response_bytes::run_one(op, b"{\"TotalCount\":1}");
/// ```
pub fn run_one(op: &OperationInfo, data: &[u8]) {
    match (op.decode)(data) {
        Ok(value) => {
            assert!(
                value.is_object(),
                "{}: a decoded response is not an object: {value}",
                op.name
            );
            let again = serde_json::to_vec(&value)
                .unwrap_or_else(|e| panic!("{}: cannot re-serialise: {e}", op.name));
            match (op.decode)(&again) {
                Ok(second) => assert_eq!(
                    second, value,
                    "{}: a re-encoded response decodes differently",
                    op.name
                ),
                Err(e) => panic!(
                    "{}: a response it produced does not decode again: {e}\n{value}",
                    op.name
                ),
            }
        }
        Err(CallError::Response { operation, source }) => {
            assert_eq!(operation, op.name, "the error names another operation");
            assert!(
                !source.to_string().is_empty(),
                "{}: an empty error",
                op.name
            );
        }
        Err(other) => panic!("{}: unexpected kind of decode error: {other}", op.name),
    }
}
