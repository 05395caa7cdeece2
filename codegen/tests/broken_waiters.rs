//! Broken waiters fail generation with errors that name file:line:col and say what is valid,
//! on copies of `fixtures/minimal`; a waiter without `items` waits for the response itself.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{expect_one, fixture_text, line_of, load_with};

/// A waiter block added after `pagination:` (its `item_key` line).
fn with_waiter(body: &'static str) -> impl Fn(String) -> String {
    move |t: String| {
        t.replace(
            "  item_key: Id\n",
            &format!("  item_key: Id\nwaiters:\n  ThingReady:\n{body}"),
        )
    }
}

const GOOD_WAITER: &str = "    doc: Waits.\n    items: Things\n    status: Color\n    success: [RED]\n    failure: [BLUE]\n    delay: 1\n    max_delay: 4\n    timeout: 60\n";

#[test]
fn a_valid_waiter_loads() {
    let (_dir, result) = load_with("ListThings.yaml", with_waiter(GOOD_WAITER));
    result.expect("a valid waiter");
}

#[test]
fn waiter_mistakes_are_placed_and_explained() {
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        usize,
        &'static [&'static str],
    );
    // (what is replaced in the good waiter, by what, the line's needle, column, message parts)
    let cases: &[Case] = &[
        (
            "items: Things",
            "items: Nope",
            "items: Nope",
            12,
            &["`Nope` is not a response field", "Things"],
        ),
        (
            "items: Things",
            "items: TotalCount",
            "items: TotalCount",
            12,
            &["must be an array of objects"],
        ),
        (
            "status: Color",
            "status: Created",
            "status: Created",
            13,
            &["must be a string field", "int64"],
        ),
        (
            "status: Color",
            "status: Hue",
            "status: Hue",
            13,
            &["not a field of the items", "Color"],
        ),
        (
            "success: [RED]",
            "success: []",
            "success: []",
            14,
            &["at least one status"],
        ),
        (
            "failure: [BLUE]",
            "failure: [RED]",
            "failure: [RED]",
            14,
            &["both in success and in failure"],
        ),
        ("delay: 1", "delay: 0", "delay: 0", 12, &["at least 1"]),
        (
            "max_delay: 4",
            "max_delay: 0",
            "max_delay: 0",
            16,
            &["`max_delay` (0 s) must be at least `delay` (1 s)"],
        ),
        (
            "doc: Waits.",
            "docs: Waits.",
            "docs: Waits.",
            5,
            &["unknown key `docs`", "did you mean `doc`?"],
        ),
    ];
    for (from, to, needle, col, parts) in cases {
        let body: &'static str = Box::leak(GOOD_WAITER.replace(from, to).into_boxed_str());
        let edit = with_waiter(body);
        let text = edit(fixture_text("ListThings.yaml"));
        let (_dir, result) = load_with("ListThings.yaml", &edit);
        expect_one(
            result,
            "ListThings.yaml",
            line_of(&text, needle),
            *col,
            parts,
        );
    }
    // A waiter named like a type of the operation.
    let edit = |t: String| with_waiter(GOOD_WAITER)(t).replace("  ThingReady:", "  Thing:");
    let text = edit(fixture_text("ListThings.yaml"));
    let (_dir, result) = load_with("ListThings.yaml", edit);
    expect_one(
        result,
        "ListThings.yaml",
        line_of(&text, "  Thing:"),
        3,
        &["already a type of this operation"],
    );
}

#[test]
fn a_waiter_without_items_reads_a_status_of_the_response() {
    // Without `items`, the response itself is waited for: its status is a response field.
    let without_items = |status: &'static str| {
        let body: &'static str = Box::leak(
            GOOD_WAITER
                .replace("    items: Things\n", "")
                .replace("status: Color", status)
                .into_boxed_str(),
        );
        with_waiter(body)
    };
    let (_dir, result) = load_with("ListThings.yaml", without_items("status: Color"));
    let text = without_items("status: Color")(fixture_text("ListThings.yaml"));
    expect_one(
        result,
        "ListThings.yaml",
        line_of(&text, "status: Color"),
        13,
        &[
            "`Color` is not a response field",
            "waits for the response itself",
        ],
    );
    let (_dir, result) = load_with("ListThings.yaml", without_items("status: TotalCount"));
    let text = without_items("status: TotalCount")(fixture_text("ListThings.yaml"));
    expect_one(
        result,
        "ListThings.yaml",
        line_of(&text, "status: TotalCount"),
        13,
        &["must be a string field", "int32"],
    );
    let (_dir, result) = load_with("ListThings.yaml", without_items("status: RequestId"));
    result.expect("a string field of the response is a status");
}
