//! Compile-time guarantees: the documented uses of the generated API compile, and misuses of
//! the API and of the derives fail with a message on the offending span. Refresh the
//! committed `.stderr` files with `TRYBUILD=overwrite cargo test -p hbr-tests --test ui`
//! after reading the diff.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*/*.rs");
}
