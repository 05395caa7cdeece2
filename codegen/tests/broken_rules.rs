//! Broken rules (`only_when`, `one_of` and the request timestamps beside them) fail generation with
//! errors that name file:line:col and say what is valid, on copies of `fixtures/minimal`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{expect_one, fixture_text, line_of, load_with};

/// `ListThings.yaml` with an operation-level rule list after `request:`'s parameters.
fn with_op_rules(text: String, rules: &str) -> String {
    text.replacen("response:\n", &format!("rules:\n{rules}response:\n"), 1)
}

#[test]
fn an_only_when_value_outside_the_enum_is_reported() {
    let rule = "  - only_when: { Mode: MEDIUM }\n    field: PageSize\n    message: m\n";
    let (_d, r) = load_with("ListThings.yaml", |t| with_op_rules(t, rule));
    let text = with_op_rules(fixture_text("ListThings.yaml"), rule);
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&text, "- only_when: { Mode: MEDIUM }"),
        18,
        &["`MEDIUM` is not a value of enum `Mode`", "FAST, SLOW"],
    );
}

#[test]
fn an_only_when_on_an_unknown_field_is_reported() {
    let rule = "  - only_when: { Speed: FAST }\n    field: PageSize\n    message: m\n";
    let (_d, r) = load_with("ListThings.yaml", |t| with_op_rules(t, rule));
    let text = with_op_rules(fixture_text("ListThings.yaml"), rule);
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&text, "- only_when: { Speed: FAST }"),
        18,
        &[
            "names `Speed`, which is not a field here",
            "PageNumber, PageSize, Mode, Tags",
        ],
    );
}

#[test]
fn an_empty_only_when_is_reported() {
    let rule = "  - only_when: {}\n    field: PageSize\n    message: m\n";
    let (_d, r) = load_with("ListThings.yaml", |t| with_op_rules(t, rule));
    let text = with_op_rules(fixture_text("ListThings.yaml"), rule);
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&text, "- only_when: {}"),
        16,
        &["`only_when` needs at least one condition"],
    );
}

#[test]
fn an_only_when_condition_without_values_is_reported() {
    let rule = "  - only_when: { Mode: [] }\n    field: PageSize\n    message: m\n";
    let (_d, r) = load_with("ListThings.yaml", |t| with_op_rules(t, rule));
    let text = with_op_rules(fixture_text("ListThings.yaml"), rule);
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&text, "- only_when: { Mode: [] }"),
        18,
        &["the `only_when` condition on `Mode` lists no value"],
    );
}

#[test]
fn an_only_when_on_itself_is_reported() {
    let rule = "  - only_when: { Mode: FAST }\n    field: Mode\n    message: m\n";
    let (_d, r) = load_with("ListThings.yaml", |t| with_op_rules(t, rule));
    let text = with_op_rules(fixture_text("ListThings.yaml"), rule);
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&text, "- only_when: { Mode: FAST }"),
        18,
        &["`only_when` cannot make `Mode` depend on itself"],
    );
}

#[test]
fn an_only_when_with_a_second_check_is_reported() {
    let rule =
        "  - only_when: { Mode: FAST }\n    field: PageSize\n    required: true\n    message: m\n";
    let (_d, r) = load_with("ListThings.yaml", |t| with_op_rules(t, rule));
    let text = with_op_rules(fixture_text("ListThings.yaml"), rule);
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&text, "- only_when: { Mode: FAST }"),
        14,
        &["a rule needs exactly one check", "only_when", "found 2"],
    );
}

#[test]
fn an_only_when_on_a_required_field_is_reported() {
    let rule = "  - only_when: { Mode: FAST }\n    field: PageSize\n    message: m\n";
    let edit = |t: String| {
        with_op_rules(t, rule).replacen(
            "    maximum: 50\n",
            "    maximum: 50\n    required: true\n",
            1,
        )
    };
    let (_d, r) = load_with("ListThings.yaml", edit);
    let text = edit(fixture_text("ListThings.yaml"));
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&text, "    field: PageSize"),
        12,
        &["`PageSize` is required, so `only_when` would refuse"],
    );
}

#[test]
fn a_request_timestamp_on_an_int32_is_reported() {
    let edit = |t: String| {
        t.replacen(
            "    default: 1\n    doc: The page.\n",
            "    default: 1\n    timestamp: unix_seconds\n    doc: The page.\n",
            1,
        )
    };
    let (_d, r) = load_with("ListThings.yaml", edit);
    let text = edit(fixture_text("ListThings.yaml"));
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&text, "timestamp: unix_seconds"),
        5,
        &["a request timestamp is an int64", "`PageNumber` is int32"],
    );
}

#[test]
fn an_only_when_on_a_free_form_field_is_reported() {
    let rule = "  - only_when: { PageNumber: 1 }\n    field: PageSize\n    message: m\n";
    let (_d, r) = load_with("ListThings.yaml", |t| with_op_rules(t, rule));
    let text = with_op_rules(fixture_text("ListThings.yaml"), rule);
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&text, "- only_when: { PageNumber: 1 }"),
        18,
        &[
            "an `only_when` condition compares an enum or boolean field",
            "`PageNumber` is int32",
        ],
    );
}

/// `one_of` refuses only documented values outside its list, so a free-form field (whose
/// values the service judges) cannot take one: it would check nothing.
#[test]
fn a_one_of_on_a_free_form_field_is_reported() {
    let rule =
        "  - when: { Mode: FAST }\n    field: PageSize\n    one_of: [10, 20]\n    message: m\n";
    let (_d, r) = load_with("ListThings.yaml", |t| with_op_rules(t, rule));
    let text = with_op_rules(fixture_text("ListThings.yaml"), rule);
    expect_one(
        r,
        "ListThings.yaml",
        line_of(&text, "field: PageSize"),
        12,
        &[
            "`one_of` refuses only documented values",
            "`PageSize` is int32 without an enum",
        ],
    );
}

#[test]
fn a_one_of_on_an_enum_field_loads() {
    let rule = "  - when: { PageNumber: 1 }\n    field: Mode\n    one_of: [FAST]\n    message: m\n";
    let (_d, r) = load_with("ListThings.yaml", |t| with_op_rules(t, rule));
    r.expect("a one_of on an enum field is valid");
}
