//! Arbitrary bytes as a spec file, read, validated and emitted by the generator.
//!
//! The input is one file of a spec folder whose other file is real: an input with a top-level
//! `service:` line is the service file (beside the real `DescribeRestoreJobs2.yaml`); any
//! other input is an operation file (beside the real `service.yaml` and its shared enums),
//! named after its `operation:` line when it has one, so that well-formed inputs get past the
//! file-name check and on to validation and code generation.

use std::path::{Path, PathBuf};

use hbr_codegen::Error;

/// The real service file of the API spec.
pub const SERVICE_YAML: &str = include_str!("../../api-spec/hbr/2017-09-08/service.yaml");
/// The real richest operation file of the API spec.
pub const RESTORE_JOBS_YAML: &str =
    include_str!("../../api-spec/hbr/2017-09-08/DescribeRestoreJobs2.yaml");

const DIR: &str = "fuzz-spec";

/// The spec files an input stands in, as `(path, text)` pairs under `fuzz-spec/`.
///
/// ```
/// let files = hbr_fuzz_support::spec_yaml::files("operation: Ping\nresponse: {}\n");
/// assert_eq!(files[1].0, std::path::Path::new("fuzz-spec/Ping.yaml"));
/// ```
pub fn files(text: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(DIR);
    let is_service = text.lines().any(|l| l.starts_with("service:"));
    if is_service {
        return vec![
            (dir.join("service.yaml"), text.to_owned()),
            (
                dir.join("DescribeRestoreJobs2.yaml"),
                RESTORE_JOBS_YAML.to_owned(),
            ),
        ];
    }
    let name = text
        .lines()
        .find_map(|l| l.strip_prefix("operation:"))
        .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\''))
        .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or("Fuzz");
    vec![
        (dir.join("service.yaml"), SERVICE_YAML.to_owned()),
        (dir.join(format!("{name}.yaml")), text.to_owned()),
    ]
}

/// Runs one input; panics when the generator panics, reports an error without a usable
/// location, reports no error yet fails, or emits code that does not parse.
///
/// ```
/// hbr_fuzz_support::spec_yaml::run(b"operation: Ping\nresponse:\n  RequestId: {type: strin}\n");
/// ```
pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let files = files(&text);
    match hbr_codegen::load_sources(Path::new(DIR), &files) {
        Ok(spec) => match hbr_codegen::generate_from(&spec) {
            Ok(generated) => assert!(!generated.files.is_empty(), "nothing generated"),
            Err(err) => panic!("a spec that validates does not generate: {err}"),
        },
        Err(Error::Spec(errors)) => {
            assert!(
                !errors.is_empty(),
                "a spec error without any problem listed"
            );
            for e in &errors {
                let l = &e.location;
                assert!(
                    l.line >= 1 && l.column >= 1,
                    "an error without a place: {e}"
                );
                assert!(
                    files.iter().any(|(path, _)| *path == l.file),
                    "an error names a file that is not in the spec: {e}"
                );
                let line_count = files
                    .iter()
                    .find(|(path, _)| *path == l.file)
                    .map_or(0, |(_, text)| line_count(text));
                assert!(
                    l.line <= line_count.max(1) + 1,
                    "an error names line {} of a file of {line_count} lines: {e}",
                    l.line
                );
                assert!(
                    !e.message.trim().is_empty(),
                    "an error without a message at {l}"
                );
            }
        }
        Err(err) => panic!("reading in-memory spec files failed outside the spec: {err}"),
    }
}

/// How many lines a YAML reader may see in `text`: every `\n`, `\r\n`, lone `\r` and the
/// YAML 1.1 breaks NEL, LS and PS end a line.
fn line_count(text: &str) -> usize {
    let mut lines = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines += 1;
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => lines += 1,
            _ => {}
        }
    }
    lines
}
