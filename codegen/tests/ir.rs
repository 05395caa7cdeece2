//! The IR of the `fixtures/minimal` spec: the names, types, attributes and constraints the
//! generated code gets, checked against what `ListThings.yaml` and `service.yaml` state.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use hbr_codegen::ir::{self, Item, Location, RustType, Scalar, Style, Timestamp};

fn api() -> ir::Api {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    ir::build(&hbr_codegen::load(&dir).expect("the fixture is valid"))
}

#[test]
fn request_fields_carry_their_names_types_and_constraints() {
    let api = api();
    let op = &api.operations[0];
    assert_eq!(
        (op.action.as_str(), op.module.as_str()),
        ("ListThings", "list_things")
    );
    let req = &op.request;
    assert_eq!(req.name, "ListThingsRequest");
    let names: Vec<&str> = req.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["page_number", "page_size", "mode", "tags"]);

    let size = &req.fields[1];
    assert_eq!(size.wire, "PageSize");
    assert_eq!(size.ty, RustType::I32);
    assert_eq!(
        (size.constraints.minimum, size.constraints.maximum),
        (Some(1), Some(50))
    );
    assert_eq!(size.constraints.default, None);
    assert_eq!(size.location, Location::Query);

    let mode = &req.fields[2];
    // `Mode` is the operation's own enum, so it is not in `types`.
    assert_eq!(
        mode.ty,
        RustType::Enum {
            name: "Mode".into(),
            shared: false
        }
    );
    assert_eq!(mode.constraints.default, Some(Scalar::Str("FAST".into())));
    assert_eq!(mode.constraints.values, ["FAST", "SLOW"]);

    let tags = &req.fields[3];
    assert_eq!(
        tags.ty,
        RustType::Vec(Box::new(RustType::Struct("Tag".into())))
    );
    assert_eq!(tags.style, Some(Style::RepeatList));
    assert_eq!(tags.item.as_deref(), Some("tag"));
    assert_eq!(tags.constraints.max_items, Some(3));
}

#[test]
fn the_operation_pages_by_field_names() {
    let api = api();
    let attrs = api.operations[0]
        .request
        .operation
        .as_ref()
        .expect("an operation");
    assert_eq!(attrs.response, "ListThingsResponse");
    assert_eq!(attrs.version, "2017-09-08");
    let pg = attrs.paginate.as_ref().expect("paginates");
    let number = match &pg.cursor {
        hbr_codegen::ir::PageCursor::Number(n) => n.as_str(),
        hbr_codegen::ir::PageCursor::Token(t) => panic!("pages by number, not by token {t}"),
    };
    assert_eq!(
        (
            number,
            pg.page_size.as_str(),
            pg.total_count.as_deref(),
            pg.items.as_str()
        ),
        ("page_number", "page_size", Some("total_count"), "things")
    );
    assert_eq!(
        (pg.wire.cursor.as_str(), pg.wire.page_size.as_str()),
        ("PageNumber", "PageSize")
    );
    assert_eq!(pg.item.as_deref(), Some("Thing"));
    assert_eq!(pg.key.as_deref(), Some("id"));
}

#[test]
fn nested_types_come_after_the_types_they_use_are_complete() {
    let api = api();
    let op = &api.operations[0];
    let nested: Vec<&str> = op
        .nested
        .iter()
        .map(|i| match i {
            Item::Request(s) => s.name.as_str(),
            Item::Response(s) => s.name.as_str(),
        })
        .collect();
    // Tag (request), then Thing's JSON shape ThingDetail, then Thing itself.
    assert_eq!(nested, ["Tag", "ThingDetail", "Thing"]);
    let Item::Request(tag) = &op.nested[0] else {
        panic!("Tag is a request object");
    };
    assert_eq!(tag.rules.len(), 1);
    assert_eq!(
        tag.rules[0].when,
        [("Key".to_owned(), vec!["special".to_owned()])]
    );
    let Item::Response(thing) = &op.nested[2] else {
        panic!("Thing is a response object");
    };
    let color = &thing.fields[1];
    // `Color` is shared (service.yaml).
    assert_eq!(
        color.ty,
        RustType::Enum {
            name: "Color".into(),
            shared: true
        }
    );
    assert_eq!(thing.fields[0].ty, RustType::Text);
    assert_eq!(thing.fields[2].timestamp, Some(Timestamp::UnixSeconds));
    let detail = &thing.fields[3];
    assert_eq!(detail.ty, RustType::JsonText);
    assert_eq!(detail.json, Some(RustType::Struct("ThingDetail".into())));
    assert!(op.response.output);
    assert_eq!(op.response.fields[2].wrapper.as_deref(), Some("Thing"));
}

#[test]
fn the_registry_lists_nested_parameters_with_their_paths() {
    let api = api();
    let params: Vec<(&str, Option<Location>)> = api.operations[0]
        .parameters
        .iter()
        .map(|p| (p.path.as_str(), p.location))
        .collect();
    assert_eq!(
        params,
        [
            ("PageNumber", Some(Location::Query)),
            ("PageSize", Some(Location::Query)),
            ("Mode", Some(Location::Query)),
            ("Tags", Some(Location::Query)),
            ("Tags.N.Key", None),
            ("Tags.N.Values", None),
        ]
    );
    assert_eq!(
        api.operations[0].parameters[5].constraints.max_items,
        Some(2)
    );
    assert_eq!(api.shared_enums[0].variants[1].name, "DarkBlue");
}

#[test]
fn constraints_list_in_one_order() {
    use ir::{Constraint, Constraints};
    let c = Constraints {
        default: Some(Scalar::Int(3)),
        pattern: Some("[a-z]+".into()),
        max_items: Some(9),
        min_items: Some(2),
        maximum: Some(5),
        ..Constraints::default()
    };
    assert_eq!(
        c.list(),
        [
            Constraint::Range(None, Some(5)),
            Constraint::MinItems(2),
            Constraint::MaxItems(9),
            Constraint::Pattern("[a-z]+"),
            Constraint::Default(&Scalar::Int(3)),
        ]
    );
}

#[test]
fn a_waiter_becomes_a_marker_type_and_a_client_method() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let waiter = "waiters:\n  ThingReady:\n    doc: Waits for a thing.\n    items: Things\n    status: Color\n    success: [RED]\n    failure: [BLUE, GREEN]\n    delay: 1\n    max_delay: 8\n    timeout: 90\n";
    let files: Vec<(std::path::PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let mut text = std::fs::read_to_string(&path).unwrap();
            if path.ends_with("ListThings.yaml") {
                text = text.replace("  item_key: Id\n", &format!("  item_key: Id\n{waiter}"));
            }
            (dir.join(path.file_name().unwrap()), text)
        })
        .collect();
    let spec = hbr_codegen::load_sources(&dir, &files).expect("valid");
    let api = ir::build(&spec);
    let w = &api.operations[0].waiters[0];
    assert_eq!(
        (w.name.as_str(), w.method.as_str(), w.item_type.as_str()),
        ("ThingReady", "wait_until_thing_ready", "Thing")
    );
    assert_eq!(
        (w.items_field.as_deref(), w.status_field.as_str()),
        (Some("things"), "color")
    );
    assert!(w.status_is_enum, "Color is an enum");
    assert_eq!(
        (w.success.clone(), w.failure.clone()),
        (
            vec!["RED".to_owned()],
            vec!["BLUE".to_owned(), "GREEN".to_owned()]
        )
    );
    assert_eq!((w.delay, w.max_delay, w.timeout), (1, 8, 90));
    let generated = hbr_codegen::generate_from(&spec).unwrap();
    let module = &generated.files["list_things.rs"];
    for part in [
        "pub struct ThingReady;",
        "impl ::hbr_client::__private::WaitFor for ThingReady",
        "type Item = Thing;",
        "const FAILURE: &'static [&'static str] = &[\"BLUE\", \"GREEN\"];",
        "::core::time::Duration::from_secs(90u64)",
        "output.into_things()",
        "item.color().map(|s| s.as_str())",
    ] {
        assert!(module.contains(part), "{part} missing from:\n{module}");
    }
    assert!(generated.files["lib.rs"].contains(
        "pub fn wait_until_thing_ready(\n        &self,\n        request: crate::list_things::ListThingsRequest,\n    ) -> crate::Waiter<crate::list_things::ThingReady>"
    ), "{}", generated.files["lib.rs"]);
}
