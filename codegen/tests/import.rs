//! The importer turns Alibaba's API metadata into spec YAML that validates and generates.
//! Fixture: `fixtures/import/metadata.json`, written for these tests (every style, nested
//! arrays and objects, form-body parameters, required parameters, wrapped responses, a $ref).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use hbr_codegen::import::{import, ImportError, IMPORTED_MARKER};
use hbr_codegen::validate::is_placeholder;
use serde_yaml::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/metadata.json")
}

fn service(dir: &Path) {
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/service.yaml"),
        dir.join("service.yaml"),
    )
    .unwrap();
}

fn read(dir: &Path, op: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(format!("{op}.yaml"))).unwrap();
    assert!(
        text.starts_with(IMPORTED_MARKER),
        "imported files carry the marker"
    );
    serde_yaml::from_str(&text).unwrap()
}

fn imported() -> (tempfile::TempDir, Value, Value) {
    let dir = tempfile::tempdir().unwrap();
    service(dir.path());
    let report = import(&fixture(), &[], dir.path(), false).unwrap();
    let written = |name: &str| report.written.contains(&dir.path().join(name));
    assert!(
        written("PutWidget.yaml") && written("ListWidgets.yaml"),
        "{report:?}"
    );
    let put = read(dir.path(), "PutWidget");
    let list = read(dir.path(), "ListWidgets");
    (dir, put, list)
}

#[test]
fn scalars_keep_their_facts() {
    let (_d, put, _) = imported();
    let r = &put["request"];
    assert_eq!(r["WidgetId"]["type"], "string");
    assert_eq!(r["WidgetId"]["required"], true);
    assert_eq!(r["WidgetId"]["max_length"], 64);
    assert_eq!(r["Size"]["type"], "int32");
    assert_eq!(
        (
            r["Size"]["minimum"].as_i64(),
            r["Size"]["maximum"].as_i64(),
            r["Size"]["default"].as_i64()
        ),
        (Some(1), Some(10), Some(3))
    );
    assert_eq!(
        r["Big"]["type"], "int64",
        "an integer without a format is int64"
    );
    assert_eq!(r["Enabled"]["default"], true);
    // `Color` is the concept of the shared enum of service.yaml, which takes all its values.
    assert_eq!(r["Color"]["enum"], "Color");
    assert!(
        r["Color"].get("values").is_none(),
        "all of the enum's values"
    );
    assert_eq!(r["Color"]["default"], "RED");
    assert!(put.get("enums").is_none(), "{put:?}");
}

#[test]
fn locations_and_styles_carry_over() {
    let (_d, put, _) = imported();
    let r = &put["request"];
    assert_eq!(r["Note"]["in"], "body");
    assert!(r["WidgetId"].get("in").is_none(), "query is the default");
    assert_eq!(r["Tags"]["style"], "repeatList");
    assert_eq!(r["Tags"]["max_items"], 3);
    assert_eq!(r["Tags"]["items"]["type"], "object");
    assert_eq!(
        r["Tags"]["items"]["properties"]["Values"]["items"]["type"],
        "string"
    );
    assert_eq!(r["Paths"]["style"], "repeatList");
    assert_eq!(r["Paths"]["in"], "body");
    assert_eq!(r["Grid"]["style"], "flat");
    assert_eq!(r["Grid"]["items"]["properties"]["Cells"]["type"], "array");
    assert_eq!(r["Settings"]["style"], "json");
    assert_eq!(r["Settings"]["properties"]["Level"]["type"], "int64");
    assert_eq!(r["Ids"]["style"], "json");
    assert_eq!(r["Ids"]["in"], "body");
    assert_eq!(
        r["Blob"]["type"], "any",
        "an object without properties is arbitrary JSON"
    );
    assert_eq!(
        r["Detail"]["properties"]["Count"]["type"], "int32",
        "$ref resolved"
    );
}

#[test]
fn responses_unwrap_wrappers_and_nest() {
    let (_d, put, list) = imported();
    let w = &put["response"]["Widgets"];
    assert_eq!(w["type"], "array");
    assert_eq!(w["wrapper"], "Widget");
    let item = &w["items"]["properties"];
    assert_eq!(item["Parts"]["wrapper"], "Part");
    assert_eq!(item["Owner"]["properties"]["Age"]["type"], "int64");
    assert_eq!(put["response"]["Extra"]["type"], "any");
    assert_eq!(list["pagination"]["items"], "Items");
    assert_eq!(list["pagination"]["total_count"], "TotalCount");
}

/// What a person does after an import: every placeholder doc the importer wrote (and `check`
/// refuses) replaced by a written one. Returns how many were replaced.
fn describe_placeholders(dir: &Path) -> usize {
    let mut replaced = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = String::new();
        for line in text.lines() {
            let placeholder = line.split_once(": ").filter(|(_, value)| {
                let value: String = serde_yaml::from_str(value).unwrap_or_default();
                is_placeholder(&value)
            });
            match placeholder {
                Some((key, _)) => {
                    replaced += 1;
                    out.push_str(&format!("{key}: Written by a person after the import."));
                }
                None => out.push_str(line),
            }
            out.push('\n');
        }
        std::fs::write(&path, out).unwrap();
    }
    replaced
}

#[test]
fn the_imported_spec_validates_and_generates_once_described() {
    let (d, _, _) = imported();
    // Straight from the importer, only the placeholder docs are refused.
    let err = hbr_codegen::generate(d.path()).expect_err("placeholders are refused");
    let text = err.to_string();
    let problems: Vec<&str> = text.lines().filter(|l| l.contains(".yaml:")).collect();
    assert!(!problems.is_empty(), "{text}");
    for p in &problems {
        assert!(p.contains("a placeholder"), "{p}");
    }
    assert!(describe_placeholders(d.path()) >= problems.len());
    let generated = hbr_codegen::generate(d.path()).unwrap_or_else(|e| panic!("{e}"));
    let put = &generated.files["put_widget.rs"];
    assert!(put.contains("action = \"PutWidget\""));
    assert!(put.contains("style = \"flat\""));
    assert!(put.contains("location = \"body\""));
    assert!(generated.files["list_widgets.rs"].contains("paginate("));
}

#[test]
fn the_kind_comes_from_the_metadata_operation_type_just_before_the_name() {
    let (d, put, list) = imported();
    assert_eq!(put["kind"], "write", "a `create` operation type");
    assert_eq!(list["kind"], "read", "a `list` operation type");
    for op in ["PutWidget", "ListWidgets"] {
        let text = std::fs::read_to_string(d.path().join(format!("{op}.yaml"))).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with("operation:"))
            .unwrap();
        assert!(lines[at - 1].starts_with("kind: "), "{op}: {text}");
    }
    describe_placeholders(d.path());
    let generated = hbr_codegen::generate(d.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.files["put_widget.rs"].contains("kind = \"write\""));
    assert!(generated.files["list_widgets.rs"].contains("kind = \"read\""));
}

#[test]
fn get_and_list_operation_types_are_reads_and_else_a_top_level_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    // (systemTags.operationType, the top-level operationType, the kind)
    let cases = [
        (Some("get"), "write", "read"),
        (Some("list"), "read", "read"),
        (Some("update"), "read", "write"),
        (Some("delete"), "write", "write"),
        (Some("none"), "read", "write"),
        (Some(""), "read", "read"),
        (None, "read", "read"),
        (None, "readAndWrite", "write"),
        (None, "", "write"),
    ];
    for (operation_type, top, kind) in cases {
        let api = &mut doc["apis"]["ListWidgets"];
        api["operationType"] = serde_json::json!(top);
        match operation_type {
            Some(t) => api["systemTags"] = serde_json::json!({ "operationType": t }),
            None => {
                api.as_object_mut().unwrap().remove("systemTags");
            }
        }
        let metadata = dir.path().join("metadata.json");
        std::fs::write(&metadata, doc.to_string()).unwrap();
        let ops = ["ListWidgets".to_owned()];
        import(&metadata, &ops, dir.path(), false).unwrap();
        let list = read(dir.path(), "ListWidgets");
        assert_eq!(
            list["kind"], kind,
            "operation types {operation_type:?}, {top:?}"
        );
    }
}

#[test]
fn hand_written_files_are_merged_and_replaced_only_when_forced() {
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join("PutWidget.yaml");
    let mine = "# mine\noperation: PutWidget\ndoc: Mine.\nresponse: {}\n";
    std::fs::write(&own, mine).unwrap();
    let ops = ["PutWidget".to_owned()];
    import(&fixture(), &ops, dir.path(), false).unwrap();
    let text = std::fs::read_to_string(&own).unwrap();
    assert!(text.starts_with("# mine\n"), "the header stays: {text}");
    let merged: Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(merged["doc"], "Mine.", "the hand-written doc stays");
    assert_eq!(
        merged["request"]["WidgetId"]["required"], true,
        "facts arrive"
    );
    // Nothing changed: the file is not written again.
    let report = import(&fixture(), &ops, dir.path(), false).unwrap();
    assert!(report.written.iter().all(|p| p != &own), "{report:?}");
    assert_eq!(std::fs::read_to_string(&own).unwrap(), text);
    // --force replaces it with a fresh import.
    let report = import(&fixture(), &ops, dir.path(), true).unwrap();
    assert!(report.written.contains(&own));
    let fresh: Value = serde_yaml::from_str(&std::fs::read_to_string(&own).unwrap()).unwrap();
    assert_ne!(fresh["doc"], "Mine.");
}

#[test]
fn a_new_concept_of_one_operation_is_its_own_enum() {
    let dir = tempfile::tempdir().unwrap();
    import(&fixture(), &["PutWidget".into()], dir.path(), false).unwrap();
    let put = read(dir.path(), "PutWidget");
    assert_eq!(put["request"]["Color"]["enum"], "Color");
    let values = put["enums"]["Color"]["values"].as_mapping().unwrap();
    assert_eq!(values.len(), 2);
    let doc = put["enums"]["Color"]["doc"].as_str().unwrap();
    assert!(hbr_codegen::import::is_placeholder(doc), "{doc}");
}

#[test]
fn an_unknown_operation_is_named_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let err = import(&fixture(), &["PutWidgets".into()], dir.path(), false).unwrap_err();
    assert!(matches!(err, ImportError::UnknownOperation { .. }));
    assert_eq!(
        err.to_string(),
        "operation `PutWidgets` is not in the metadata; did you mean `PutWidget`?"
    );
}

#[test]
fn a_page_size_without_maximum_is_not_paginated_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    service(dir.path());
    let text = std::fs::read_to_string(fixture()).unwrap().replace(
        r#""format": "int32", "maximum": "100"}"#,
        r#""format": "int32"}"#,
    );
    let metadata = dir.path().join("metadata.json");
    std::fs::write(&metadata, text).unwrap();
    let ops = ["ListWidgets".to_owned()];
    let report = import(&metadata, &ops, dir.path(), false).unwrap();
    let list = read(dir.path(), "ListWidgets");
    assert!(list.get("pagination").is_none(), "{list:?}");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.starts_with("ListWidgets: not paginated: `PageSize` states no maximum")),
        "{:?}",
        report.notes
    );
    std::fs::remove_file(&metadata).unwrap();
    describe_placeholders(dir.path());
    hbr_codegen::generate(dir.path()).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn drift_lists_what_the_source_has_and_the_spec_lacks() {
    let dir = tempfile::tempdir().unwrap();
    service(dir.path());
    import(&fixture(), &[], dir.path(), false).unwrap();
    let drift = hbr_codegen::import::drift(&fixture(), dir.path()).unwrap();
    assert!(drift.is_empty(), "{drift}");
    // A parameter, a nested property and a whole operation gone from the spec.
    let path = dir.path().join("PutWidget.yaml");
    let mut put: Value = serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let request = put["request"].as_mapping_mut().unwrap();
    request.shift_remove("Note");
    let cells = request
        .get_mut("Grid")
        .and_then(|g| g.get_mut("items"))
        .and_then(|i| i.get_mut("properties"))
        .and_then(Value::as_mapping_mut)
        .unwrap();
    cells.shift_remove("Cells");
    std::fs::write(&path, serde_yaml::to_string(&put).unwrap()).unwrap();
    std::fs::remove_file(dir.path().join("ListWidgets.yaml")).unwrap();
    let drift = hbr_codegen::import::drift(&fixture(), dir.path()).unwrap();
    assert_eq!(drift.operations, ["ListWidgets"]);
    assert_eq!(
        drift.parameters,
        ["PutWidget.Note", "PutWidget.Grid[].Cells"],
        "{drift}"
    );
    assert!(drift.fields.is_empty(), "{drift}");
    assert!(drift.in_missing_operations.0 > 0 && drift.in_missing_operations.1 > 0);
    assert!(
        drift.to_string().contains("  operation ListWidgets"),
        "{drift}"
    );
}
