//! Broken specs fail generation with errors that name file:line:col and say what is valid.
//!
//! Each case starts from the valid `fixtures/minimal` spec, changes one thing, and checks the
//! exact place and the message. Lines are counted in the edited file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};

use hbr_codegen::Error;
use support::{expect_one, fixture, fixture_text, line_of, load_with};

#[test]
fn the_fixture_is_valid() {
    hbr_codegen::generate(&fixture()).expect("the minimal fixture generates");
}

#[test]
fn unknown_key_is_named_with_a_suggestion() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen(
            "    minimum: 1\n    default: 1",
            "    minimun: 1\n    default: 1",
            1,
        )
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "minimum: 1");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        5,
        &["unknown key `minimun`", "did you mean `minimum`?"],
    );
}

#[test]
fn wrong_value_type_is_reported() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("maximum: 50", "maximum: fifty", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "maximum: 50");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        14,
        &["`maximum` must be an integer, found a string"],
    );
}

#[test]
fn default_must_be_an_enum_value() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("default: FAST", "default: TURBO", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "default: FAST");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        5,
        &[
            "default `TURBO` is not a value of enum `Mode`",
            "valid: FAST, SLOW",
        ],
    );
}

#[test]
fn names_that_collide_in_rust_are_reported() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen(
            "  PageSize:\n",
            "  Page_Size:\n    type: int32\n    doc: Dup.\n  PageSize:\n",
            1,
        )
    });
    let errors = r.expect_err("must fail");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].message.contains(
            "`Page_Size` and `PageSize` in request both become the Rust name `page_size`"
        ),
        "{}",
        errors[0]
    );
    let line = line_of(&fixture_text("ListThings.yaml"), "  PageSize:") + 3;
    assert_eq!(
        (errors[0].location.line, errors[0].location.column),
        (line, 3)
    );
}

#[test]
fn a_rule_naming_a_missing_field_is_reported() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("field: Values", "field: Vals", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "field: Values");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        18,
        &[
            "the rule names `Vals`, which is not a field here",
            "fields: Key, Values",
        ],
    );
}

#[test]
fn a_constraint_must_fit_its_type() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen(
            "    doc: The mode.",
            "    doc: The mode.\n    max_items: 3",
            1,
        )
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "doc: The mode.") + 1;
    expect_one(
        r,
        "ListThings.yaml",
        line,
        5,
        &[
            "`max_items` applies to array request parameters",
            "`Mode` is string",
        ],
    );
}

#[test]
fn an_unknown_enum_is_reported_with_the_known_ones() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("enum: Color", "enum: Colour", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "enum: Color");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        32,
        &["unknown enum `Colour`", "Mode, Color"],
    );
}

#[test]
fn bounds_must_be_ordered_and_fit_the_width() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("maximum: 50", "maximum: 5000000000", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "maximum: 50");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        5,
        &["`maximum: 5000000000` does not fit `PageSize`, which is int32"],
    );
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen(
            "    minimum: 1\n    maximum: 50",
            "    minimum: 60\n    maximum: 50",
            1,
        )
    });
    expect_one(
        r,
        "ListThings.yaml",
        line,
        5,
        &["`maximum` (50) is smaller than `minimum` (60)"],
    );
}

#[test]
fn an_unknown_type_gets_a_hint() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen(
            "TotalCount: { type: int32",
            "TotalCount: { type: integer",
            1,
        )
    });
    let line = line_of(
        &fixture_text("ListThings.yaml"),
        "TotalCount: { type: int32",
    );
    expect_one(
        r,
        "ListThings.yaml",
        line,
        23,
        &["unknown type `integer`", "int32 or int64"],
    );
}

#[test]
fn required_with_default_is_refused() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen(
            "    default: FAST\n",
            "    default: FAST\n    required: true\n",
            1,
        )
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "default: FAST");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        5,
        &["`Mode` is required, so it cannot have a `default`"],
    );
}

#[test]
fn missing_docs_are_reported() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("    doc: The page size.\n", "", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "  PageSize:");
    expect_one(r, "ListThings.yaml", line, 3, &["`PageSize` needs `doc:`"]);
}

/// The importer's placeholder ("`PageSize` (an integer).") is refused where it stands, so a
/// spec cannot ship docs that only repeat a name and a type.
#[test]
fn placeholder_docs_are_refused() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen(
            "    doc: The page size.\n",
            "    doc: '`PageSize` (an integer).'\n",
            1,
        )
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "  PageSize:");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        3,
        &["the doc of `PageSize` is the importer's name-and-type text, a placeholder"],
    );
}

#[test]
fn the_file_name_must_match_the_operation() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("operation: ListThings", "operation: ListStuff", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "operation: ListThings");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        12,
        &["must be in a file named `ListStuff.yaml`"],
    );
}

#[test]
fn an_operation_without_a_kind_is_reported_with_the_valid_kinds() {
    let (_d, r) = load_with("ListThings.yaml", |t| t.replacen("kind: read\n", "", 1));
    expect_one(
        r,
        "ListThings.yaml",
        1,
        12,
        &[
            "operation `ListThings` needs `kind:` (read, write)",
            "`get` and `list`",
        ],
    );
}

#[test]
fn an_unknown_kind_is_reported_at_its_value() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("kind: read", "kind: get", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "kind: read");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        7,
        &["unknown `kind: get`; valid: read, write"],
    );
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("kind: read", "kind: [read]", 1)
    });
    expect_one(
        r,
        "ListThings.yaml",
        line,
        7,
        &["`kind` must be a string, found a list"],
    );
}

#[test]
fn yaml_syntax_errors_have_a_place() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("doc: Lists things.", "doc: [Lists things.", 1)
    });
    let errors = r.expect_err("must fail");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].message.starts_with("not valid YAML"),
        "{}",
        errors[0]
    );
    assert!(errors[0].location.line >= 2, "{}", errors[0]);
}

#[test]
fn anchors_and_aliases_are_refused() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("doc: The page.", "doc: &d The page.", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "doc: The page.");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        13,
        &["anchors, aliases and merge keys are not allowed"],
    );
}

#[test]
fn a_rule_value_must_fit_the_enum() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("response:\n", "rules:\n  - when: { Mode: WARP }\n    field: PageSize\n    required: true\n    message: m\nresponse:\n", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "response:") + 1;
    expect_one(
        r,
        "ListThings.yaml",
        line,
        13,
        &["`WARP` is not a value of enum `Mode`"],
    );
}

#[test]
fn several_errors_are_reported_together_in_file_order() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("maximum: 50", "maximum: fifty", 1)
            .replacen("default: FAST", "default: TURBO", 1)
            .replacen("enum: Color", "enum: Colour", 1)
    });
    let errors = r.expect_err("must fail");
    assert_eq!(errors.len(), 3, "{errors:#?}");
    let lines: Vec<usize> = errors.iter().map(|e| e.location.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    let all = Error::Spec(errors).to_string();
    assert!(all.starts_with("3 error(s) in the API spec:"), "{all}");
}

#[test]
fn a_missing_service_file_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        fixture().join("ListThings.yaml"),
        dir.path().join("ListThings.yaml"),
    )
    .expect("copy");
    let err = hbr_codegen::load(dir.path()).expect_err("must fail");
    assert!(err.to_string().contains("missing service file"), "{err}");
}

// Found by the `spec_yaml` fuzz target (fuzz/regressions/spec_yaml/): names that made the
// generator panic while emitting instead of being reported.

#[test]
fn a_wire_name_starting_with_a_digit_is_reported_not_a_panic() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("  Mode:\n    type: string", "  1Mode:\n    type: string", 1)
    });
    let text = fixture_text("ListThings.yaml");
    let line = text[..text
        .find("  Mode:\n    type: string")
        .expect("request Mode")]
        .lines()
        .count()
        + 1;
    expect_one(
        r,
        "ListThings.yaml",
        line,
        3,
        &["`1Mode` is not a usable wire name", "a letter first"],
    );
}

#[test]
fn wire_names_that_snake_case_to_self_or_crate_generate() {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(fixture()).expect("fixture") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read").replacen(
            "  Mode:\n    type: string\n",
            "  Self:\n    type: string\n    doc: s.\n  Crate:\n    type: string\n    doc: c.\n  Mode:\n    type: string\n",
            1,
        );
        std::fs::write(dir.path().join(path.file_name().expect("name")), text).expect("write");
    }
    let generated = hbr_codegen::generate(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let code = &generated.files["list_things.rs"];
    assert!(code.contains("self_"), "{code}");
    assert!(code.contains("crate_"), "{code}");
}

#[test]
fn a_when_field_with_a_dash_is_reported_not_a_panic() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen(
            "        Key: { type: string",
            "        Key-Name: { type: string",
            1,
        )
        .replacen(
            "- when: { Key: special }",
            "- when: { Key-Name: special }",
            1,
        )
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "- when: { Key: special }");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        19,
        &["a rule's `when` cannot name `Key-Name`"],
    );
}

#[test]
fn a_page_size_without_maximum_is_reported() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("    maximum: 50\n", "", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "page_size: PageSize");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        14,
        &["pagination parameter `PageSize` needs `maximum`"],
    );
}

/// A request whose `Filters` items are a typed filter object with one more property.
fn filter_spec(extra: &str) -> Vec<(PathBuf, String)> {
    let op = format!(
        "kind: read
operation: ListThings
doc: Lists things.
enums:
  Key: {{doc: A key., values: {{Name: The name.}}}}
  Op:
    doc: An operator.
    values: {{EQUAL: Equal., NOT_EQUAL: Not equal., IN: In.}}
request:
  Filters:
    type: array
    style: repeatList
    doc: Filters.
    items:
      type: object
      name: Filter
      doc: A filter.
      properties:
        Key: {{type: string, enum: Key, doc: The key.}}
        Operator: {{type: string, enum: Op, doc: The operator.}}
        Values: {{type: array, items: {{type: string}}, doc: The values.}}
{extra}      filter:
        key: Key
        operator: Operator
        values: Values
        keys: {{Name: string}}
response:
  RequestId: {{type: string, doc: The request id.}}
"
    );
    let service = fixture_text("service.yaml");
    vec![
        (PathBuf::from("spec/service.yaml"), service),
        (PathBuf::from("spec/ListThings.yaml"), op),
    ]
}

#[test]
fn a_filter_property_that_clashes_with_the_key_facts_is_reported() {
    let files = filter_spec("");
    hbr_codegen::load_sources(Path::new("spec"), &files).expect("the filter spec is valid");
    let files = filter_spec("        FilterKeys: {type: string, doc: Clashes.}\n");
    let err = hbr_codegen::load_sources(Path::new("spec"), &files).expect_err("must fail");
    let errors = err.spec_errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .contains("cannot have a property `FilterKeys`"),
        "{}",
        errors[0]
    );
    assert_eq!(
        (errors[0].location.line, errors[0].location.column),
        (22, 9)
    );
}

/// The fixture paged by token: `next_token: NextToken` instead of the page number, a string
/// `NextToken` request parameter and response field, then `edit`.
fn by_token(edit: impl Fn(String) -> String) -> impl Fn(String) -> String {
    move |t: String| {
        edit(
            t.replacen("  page_number: PageNumber\n", "  next_token: NextToken\n", 1)
                .replacen(
                    "  PageSize:\n",
                    "  NextToken: { type: string, doc: The token. }\n  PageSize:\n",
                    1,
                )
                .replacen(
                    "  RequestId: { type: string, doc: The request id. }\n",
                    "  RequestId: { type: string, doc: The request id. }\n  NextToken: { type: string, doc: The next token. }\n",
                    1,
                ),
        )
    }
}

/// The line of `needle` in the fixture as `by_token` (with no further edit) writes it.
fn token_line(needle: &str) -> usize {
    line_of(&by_token(|t| t)(fixture_text("ListThings.yaml")), needle)
}

#[test]
fn the_token_form_is_valid_without_a_total_or_a_maximum() {
    let (_d, r) = load_with("ListThings.yaml", by_token(|t| t));
    r.expect("the token form loads");
    let (_d, r) = load_with(
        "ListThings.yaml",
        by_token(|t| {
            t.replacen("  total_count: TotalCount\n", "", 1)
                .replacen("    maximum: 50\n", "", 1)
        }),
    );
    r.expect("total_count and maximum are optional with a token");
}

#[test]
fn a_token_naming_a_missing_parameter_is_reported() {
    let (_d, r) = load_with(
        "ListThings.yaml",
        by_token(|t| t.replacen("next_token: NextToken", "next_token: Cursor", 1)),
    );
    let line = token_line("next_token: NextToken");
    let errors = r.expect_err("must fail");
    // Neither a request parameter nor a response field of that name.
    assert_eq!(errors.len(), 2, "{errors:#?}");
    for e in &errors {
        assert_eq!((e.location.line, e.location.column), (line, 15), "{e}");
    }
    assert!(errors[0].message.contains("names request parameter `Cursor`, which does not exist; parameters: PageNumber, NextToken"), "{}", errors[0]);
    assert!(
        errors[1].message.contains("must also be a response field"),
        "{}",
        errors[1]
    );
}

#[test]
fn a_token_of_the_wrong_type_is_reported() {
    let (_d, r) = load_with(
        "ListThings.yaml",
        by_token(|t| t.replacen("next_token: NextToken", "next_token: PageNumber", 1)),
    );
    let line = token_line("next_token: NextToken");
    let errors = r.expect_err("must fail");
    assert!(errors.len() == 2, "{errors:#?}");
    assert!(errors[0]
        .message
        .contains("pagination parameter `PageNumber` must be a string"));
    assert_eq!(
        (errors[0].location.line, errors[0].location.column),
        (line, 15)
    );
    assert!(errors[1]
        .message
        .contains("`PageNumber` must also be a response field"));
}

#[test]
fn a_token_without_its_response_field_is_reported() {
    let (_d, r) = load_with(
        "ListThings.yaml",
        by_token(|t| {
            t.replacen(
                "  NextToken: { type: string, doc: The next token. }\n",
                "  NextToken: { type: int32, doc: The next token. }\n",
                1,
            )
        }),
    );
    let line = token_line("next_token: NextToken");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        15,
        &["pagination response field `NextToken` must be a string"],
    );
}

#[test]
fn a_page_number_and_a_token_together_are_reported() {
    let (_d, r) = load_with(
        "ListThings.yaml",
        by_token(|t| {
            t.replacen(
                "  next_token: NextToken\n",
                "  page_number: PageNumber\n  next_token: NextToken\n",
                1,
            )
        }),
    );
    let line = token_line("next_token: NextToken") + 1;
    expect_one(
        r,
        "ListThings.yaml",
        line,
        3,
        &["takes `page_number` (pages by number) or `next_token` (pages by token), not both"],
    );
}

#[test]
fn a_pagination_without_a_cursor_or_a_page_number_without_total_is_reported() {
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("  page_number: PageNumber\n", "", 1)
    });
    let line = line_of(&fixture_text("ListThings.yaml"), "pagination:");
    expect_one(
        r,
        "ListThings.yaml",
        line,
        1,
        &["`pagination` needs `page_number`", "or `next_token`"],
    );
    let (_d, r) = load_with("ListThings.yaml", |t| {
        t.replacen("  total_count: TotalCount\n", "", 1)
    });
    expect_one(
        r,
        "ListThings.yaml",
        line,
        1,
        &["`pagination` with `page_number` needs `total_count`"],
    );
}
