//! The checks behind the fuzz targets in `fuzz/` (cargo fuzz, libFuzzer), shared with the
//! replay test `tests/tests/fuzz_corpus.rs` so that the committed corpus and every input that
//! once crashed run through exactly the same code in `cargo test`.
//!
//! Each target is one function taking arbitrary bytes; it panics (which libFuzzer reports as a
//! crash) when the software under test panics or breaks its promise about hostile input:
//!
//! * [`spec_yaml::run`]: bytes as a spec file into the generator: no panic, and every error
//!   names a `file:line:col`.
//! * [`response_bytes::run`]: bytes as a response body of every operation: no panic, a typed
//!   response or an error that names the operation.
//! * [`call_json::run`]: bytes as `hbr call` input JSON into every operation's `check` and
//!   `encode`: no panic, and errors name the parameter they concern.
//! * [`emulator_http::run`]: bytes as a raw HTTP request to an in-process emulator: no panic,
//!   never a 5xx, and a well-formed signed request still answers 200.
//!
//! ```
//! hbr_fuzz_support::response_bytes::run(br#"{"RequestId":"r","TotalCount":"x"}"#);
//! hbr_fuzz_support::call_json::run(br#"{"PageSize":0}"#);
//! hbr_fuzz_support::spec_yaml::run(b"operation: [");
//! ```
#![forbid(unsafe_code)]

pub mod call_json;
pub mod emulator_http;
pub mod response_bytes;
pub mod spec_yaml;

/// The fuzz targets, by the name of their folder under `fuzz/corpus/` and `fuzz/regressions/`.
pub const TARGETS: &[&str] = &["spec_yaml", "response_bytes", "emulator_http", "call_json"];

/// Runs the target called `name` on one input; `false` if there is no such target.
///
/// ```
/// assert!(hbr_fuzz_support::run_target("call_json", b"[]"));
/// assert!(!hbr_fuzz_support::run_target("nope", b""));
/// ```
pub fn run_target(name: &str, data: &[u8]) -> bool {
    match name {
        "spec_yaml" => spec_yaml::run(data),
        "response_bytes" => response_bytes::run(data),
        "emulator_http" => emulator_http::run(data),
        "call_json" => call_json::run(data),
        _ => return false,
    }
    true
}
