//! Answers of the operations the emulator keeps no state for: the service's success
//! envelope (`RequestId`, `Success`, `Code`, `Message`) read through the operation's typed
//! response, so the answer carries exactly the envelope fields the operation's schema has
//! (`OpenHbrService`, for one, documents only `RequestId`).

use hbr_client::registry::OperationInfo;

use crate::response::success_body;

/// The success body of a schema-only operation.
pub(crate) fn schema_only(op: &OperationInfo, request_id: &str) -> Vec<u8> {
    let envelope = success_body(request_id, []);
    match (op.decode)(&envelope).map(|typed| serde_json::to_vec(&typed)) {
        Ok(Ok(body)) => body,
        _ => envelope,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn the_envelope_keeps_the_fields_each_schema_has() {
        let body = |name: &str| -> Value {
            let op = hbr_client::registry::find(name).unwrap();
            serde_json::from_slice(&schema_only(op, "RID")).unwrap()
        };
        let open = body("OpenHbrService");
        assert_eq!(open["RequestId"], "RID");
        assert!(open.get("Success").is_none(), "{open}");
        let regions = body("DescribeRegions");
        assert_eq!(
            (&regions["Success"], &regions["Code"]),
            (&Value::Bool(true), &Value::from("200"))
        );
        // Every schema-only answer is read back unchanged by its typed response.
        for op in hbr_client::OPERATIONS {
            let sent = schema_only(op, "RID");
            let read = (op.decode)(&sent).unwrap();
            assert_eq!(
                read,
                serde_json::from_slice::<Value>(&sent).unwrap(),
                "{}",
                op.name
            );
            assert_eq!(read["RequestId"], "RID", "{}", op.name);
        }
    }
}
