//! A parameter's `values:` (the values of its enum that the operation takes) is checked like
//! any other spec fact: each entry must be a value of the enum, listed once, on a node that
//! names an enum; the error names file:line:col of the entry. The JSON a request string
//! carries (`json:`) is described by an object.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{expect_one, fixture_text, line_of, load_with};

/// The fixture's `Mode` parameter with a `values:` list after its `enum: Mode` line.
fn with_values(list: &str) -> impl Fn(String) -> String + '_ {
    move |t| {
        t.replacen(
            "    enum: Mode\n    default: FAST\n",
            &format!("    enum: Mode\n    values:\n{list}    default: FAST\n"),
            1,
        )
    }
}

/// The line of the `values:` entry `n` (0-based) in the edited fixture.
fn entry_line(n: usize) -> usize {
    line_of(&fixture_text("ListThings.yaml"), "enum: Mode") + 2 + n
}

#[test]
fn a_subset_of_the_enum_loads() {
    let (_d, r) = load_with("ListThings.yaml", with_values("    - FAST\n"));
    r.expect("a value of the enum is a valid subset");
}

#[test]
fn the_default_must_be_one_of_the_values() {
    let (_d, r) = load_with("ListThings.yaml", with_values("    - SLOW\n"));
    expect_one(
        r,
        "ListThings.yaml",
        entry_line(1),
        5,
        &["default `FAST` is not one of the `values` `Mode` takes"],
    );
}

#[test]
fn a_value_outside_the_enum_is_refused_with_the_enums_values() {
    let (_d, r) = load_with("ListThings.yaml", with_values("    - FAST\n    - WARP\n"));
    expect_one(
        r,
        "ListThings.yaml",
        entry_line(1),
        7,
        &["`WARP` is not a value of enum `Mode`", "FAST", "SLOW"],
    );
}

#[test]
fn a_value_listed_twice_is_refused() {
    let (_d, r) = load_with("ListThings.yaml", with_values("    - FAST\n    - FAST\n"));
    expect_one(
        r,
        "ListThings.yaml",
        entry_line(1),
        7,
        &["`FAST` is listed twice in `values`"],
    );
}

#[test]
fn values_need_an_enum() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen(
            "    enum: Mode\n    default: FAST\n",
            "    values: [FAST]\n",
            1,
        )
    });
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&fixture_text("ListThings.yaml"), "enum: Mode"),
        5,
        &["`values` of `Mode`", "needs `enum:`"],
    );
}

#[test]
fn a_request_strings_json_must_be_an_object() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen(
            "    enum: Mode\n    default: FAST\n",
            "    json: { type: array, items: { type: string }, doc: Names. }\n",
            1,
        )
    });
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&fixture_text("ListThings.yaml"), "enum: Mode"),
        13,
        &["the JSON of request string `Mode` must be described by an `object`"],
    );
}

#[test]
fn a_request_strings_json_object_loads() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen(
            "    enum: Mode\n    default: FAST\n",
            "    json: { type: object, name: ModeDoc, doc: A mode document., properties: { Fast: { type: boolean, doc: Fast or not. } } }\n",
            1,
        )
    });
    r.expect("an object shape on a request string is valid");
}
