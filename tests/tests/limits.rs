//! Size limits on the hand-written sources, so that no file or function grows into several
//! jobs again: no `.rs` file over 800 lines and no function (free, associated, trait or
//! nested, closures aside) over 120 lines. The generated snapshot and the trybuild cases
//! are not hand-written and are not checked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use syn::spanned::Spanned;
use syn::visit::Visit;

const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 120;

/// Tracked Rust files that are written by hand.
fn hand_written(root: &Path) -> Vec<PathBuf> {
    let out = Command::new("git")
        .current_dir(root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "*.rs",
        ])
        .output()
        .expect("git ls-files");
    assert!(out.status.success(), "git ls-files failed");
    out.stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .filter(|p| {
            !p.starts_with("generated-client/snapshot/")
                && !p.starts_with("tests/ui/")
                && !p.starts_with("target/")
                && !p.contains("/corpus/")
        })
        .map(|p| root.join(p))
        .filter(|p| p.is_file())
        .collect()
}

struct Functions<'a> {
    file: &'a str,
    long: Vec<String>,
}

impl Functions<'_> {
    fn check(&mut self, name: &syn::Ident, span: proc_macro2::Span) {
        let lines = span.end().line.saturating_sub(span.start().line) + 1;
        if lines > MAX_FN_LINES {
            self.long.push(format!(
                "{}:{}: fn {name} has {lines} lines (limit {MAX_FN_LINES})",
                self.file,
                span.start().line
            ));
        }
    }
}

impl<'ast> Visit<'ast> for Functions<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.check(&f.sig.ident, f.span());
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.check(&f.sig.ident, f.span());
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if f.default.is_some() {
            self.check(&f.sig.ident, f.span());
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

#[test]
fn no_hand_written_file_or_function_is_over_the_limits() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = hand_written(&root);
    assert!(files.len() > 50, "found only {} files", files.len());
    let mut problems = Vec::new();
    for path in &files {
        let shown = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            problems.push(format!("{shown}: {lines} lines (limit {MAX_FILE_LINES})"));
        }
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let mut visitor = Functions {
            file: &shown,
            long: Vec::new(),
        };
        visitor.visit_file(&file);
        problems.extend(visitor.long);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
