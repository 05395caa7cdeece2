//! Support code shared by the end-to-end tests, and the tests' own small generated
//! operations (`test_ops`, from `tests/spec`).

/// Operations generated from `tests/spec` by the same generator as the client.
pub mod test_ops {
    /// Shared enums of the test spec.
    pub mod types {
        include!(concat!(env!("OUT_DIR"), "/test_ops/types.rs"));
    }
    /// `CreateNote`: an operation with required parameters.
    pub mod create_note {
        include!(concat!(env!("OUT_DIR"), "/test_ops/create_note.rs"));
    }
    /// `ListNotes`: a paginated operation with a typed filter, whose bounds differ from
    /// DescribeRestoreJobs2's.
    pub mod list_notes {
        include!(concat!(env!("OUT_DIR"), "/test_ops/list_notes.rs"));
    }
}

/// The recorded official-SDK vectors of DescribeRestoreJobs2 (`tests/vectors/wire-vectors.json`:
/// the request in the API's shape and what the official Python SDK put on the wire).
pub fn wire_vectors() -> serde_json::Value {
    serde_json::from_str(include_str!("../vectors/wire-vectors.json"))
        .unwrap_or_else(|e| panic!("tests/vectors/wire-vectors.json: {e}"))
}

/// The documented example response of DescribeRestoreJobs2 (the JSON block of the "success
/// response" example of the API documentation the project started from), as committed in
/// `tests/fixtures/describe-restore-jobs2-example.json`.
pub fn documented_example_response() -> String {
    include_str!("../fixtures/describe-restore-jobs2-example.json").to_owned()
}

/// The official Python SDK's reading of [`documented_example_response`], recorded beside the
/// wire vectors (`tests/fixtures/official-sdk-parsed-example.json`): an independent oracle
/// for the typed parse.
pub fn official_sdk_parsed_example() -> serde_json::Value {
    let file: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/official-sdk-parsed-example.json"))
            .unwrap_or_else(|e| panic!("tests/fixtures/official-sdk-parsed-example.json: {e}"));
    file["parsed"].clone()
}

/// A DescribeRestoreJobs2 page of `jobs` jobs: the documented example response with its one
/// job repeated (distinct `RestoreId`s), every field filled as in the documentation, the
/// JSON-carrying strings included. 99 jobs make about 330 KB.
pub fn example_page(jobs: usize) -> String {
    let example: serde_json::Value = serde_json::from_str(&documented_example_response())
        .unwrap_or_else(|e| panic!("documented example: {e}"));
    let job = example["RestoreJobs"]["RestoreJob"][0].clone();
    let list: Vec<serde_json::Value> = (0..jobs)
        .map(|i| {
            let mut j = job.clone();
            j["RestoreId"] = serde_json::Value::from(format!("r-{i:020}"));
            j
        })
        .collect();
    let mut page = example;
    page["PageSize"] = jobs.into();
    page["TotalCount"] = 10_000.into();
    page["RestoreJobs"]["RestoreJob"] = list.into();
    serde_json::to_string(&page).unwrap_or_else(|e| panic!("serializes: {e}"))
}

/// Parameters that belong to signing, not to the operation.
pub const SIGNING_PARAMS: &[&str] = &[
    "Action",
    "Format",
    "Version",
    "Timestamp",
    "SignatureNonce",
    "SignatureMethod",
    "SignatureVersion",
    "AccessKeyId",
    "Signature",
    "SecurityToken",
];

/// Decodes an `application/x-www-form-urlencoded` string (`+` is a space) into pairs, in order.
pub fn form_decode(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(k), decode_component(v))
        })
        .collect()
}

fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = match bytes[i] {
            b'+' => Some((b' ', 1)),
            b'%' => bytes
                .get(i + 1..i + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .map(|b| (b, 3)),
            _ => None,
        };
        let (byte, width) = decoded.unwrap_or((bytes[i], 1));
        out.push(byte);
        i += width;
    }
    String::from_utf8_lossy(&out).into_owned()
}
