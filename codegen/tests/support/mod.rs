//! What the broken-spec tests share: the valid `fixtures/minimal` spec, a copy of it with one
//! file edited, and the check of one error's place and message.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};

use hbr_codegen::{Error, SpecError};

pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal")
}

/// Copies the fixture into a temporary folder, applies `edit` to one file, and loads it.
pub fn load_with(
    file: &str,
    edit: impl Fn(String) -> String,
) -> (tempfile::TempDir, Result<(), Vec<SpecError>>) {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(fixture()).expect("fixture") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        let mut text = std::fs::read_to_string(&path).expect("read");
        if name.to_str() == Some(file) {
            let edited = edit(text.clone());
            assert_ne!(edited, text, "the edit changed nothing");
            text = edited;
        }
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let result = match hbr_codegen::load(dir.path()) {
        Ok(_) => Ok(()),
        Err(Error::Spec(errors)) => Err(errors),
        Err(other) => panic!("unexpected error kind: {other}"),
    };
    (dir, result)
}

pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in fixture")
        + 1
}

pub fn fixture_text(file: &str) -> String {
    std::fs::read_to_string(fixture().join(file)).expect("fixture file")
}

/// Asserts exactly one error, at `file:line:col`, whose message contains every `parts`.
pub fn expect_one(
    result: Result<(), Vec<SpecError>>,
    file: &str,
    line: usize,
    col: usize,
    parts: &[&str],
) {
    let errors = result.expect_err("the broken spec must not load");
    assert_eq!(errors.len(), 1, "expected one error, got: {errors:#?}");
    let e = &errors[0];
    assert_eq!(
        e.location.file.file_name().and_then(|f| f.to_str()),
        Some(file),
        "{e}"
    );
    assert_eq!((e.location.line, e.location.column), (line, col), "{e}");
    for p in parts {
        assert!(
            e.message.contains(p),
            "message {:?} lacks {:?}",
            e.message,
            p
        );
    }
    // The Display form leads with file:line:col.
    assert!(
        e.to_string().contains(&format!("{file}:{line}:{col}: ")),
        "{e}"
    );
}
