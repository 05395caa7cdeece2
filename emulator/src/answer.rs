//! Answers of the operations the emulator keeps no state for: a success body built from
//! what the generated code knows of the operation's response.

use hbr_client::registry::OperationInfo;

use crate::response::success_body;

/// The success body of a schema-only operation.
pub(crate) fn schema_only(op: &OperationInfo, request_id: &str) -> Vec<u8> {
    let _ = op;
    success_body(request_id, [])
}
