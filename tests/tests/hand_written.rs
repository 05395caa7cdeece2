//! A hand-written operation with the same derives behaves like a generated one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use hbr_client::{HbrEnum, HbrRequest, HbrResponse, Operation, OperationKind, OperationOutput};

/// How loud.
#[derive(Clone, Debug, PartialEq, Eq, HbrEnum)]
pub enum Volume {
    /// Quiet.
    #[hbr(wire = "QUIET")]
    Quiet,
    /// Loud.
    #[hbr(wire = "LOUD")]
    Loud,
    /// Anything else.
    #[hbr(unknown)]
    Unknown(String),
}

/// One label.
#[derive(Clone, Debug, PartialEq, HbrRequest)]
#[hbr(
    serde,
    rule(
        when(Name = "owner"),
        field = "Value",
        required,
        message = "an owner label needs a value"
    )
)]
pub struct Label {
    /// Name.
    #[hbr(wire = "Name", max_length = 8)]
    name: String,
    /// Value.
    #[hbr(wire = "Value")]
    value: Option<String>,
}

/// A hand-written operation.
#[derive(Clone, Debug, PartialEq, HbrRequest)]
#[hbr(
    action = "Shout",
    version = "2017-09-08",
    response = ShoutResponse,
    serde,
    rule(
        when(Echo = "true"),
        field = "Volume",
        one_of("LOUD"),
        message = "an echo needs a loud voice"
    )
)]
pub struct ShoutRequest {
    /// Who to shout at (required).
    #[hbr(wire = "Target", pattern = "[a-z]+")]
    target: String,
    /// How loud.
    #[hbr(wire = "Volume", default = "QUIET")]
    volume: Option<Volume>,
    /// Labels, in the form body.
    #[hbr(
        wire = "Labels",
        location = "body",
        style = "repeatList",
        max_items = 2,
        item = "label"
    )]
    labels: Option<Vec<Label>>,
    /// Extra settings, as one JSON string.
    #[hbr(wire = "Extra", style = "json")]
    extra: Option<Vec<Label>>,
    /// A flag.
    #[hbr(wire = "Echo")]
    echo: Option<bool>,
}

/// A hand-written operation that says it only reads.
#[derive(Clone, Debug, PartialEq, HbrRequest)]
#[hbr(action = "Listen", version = "2017-09-08", kind = "read", response = ShoutResponse)]
pub struct ListenRequest {
    /// Whom to listen to.
    #[hbr(wire = "Target")]
    target: Option<String>,
}

/// The reply.
#[derive(Clone, Debug, PartialEq, HbrResponse)]
#[hbr(output, serde)]
pub struct ShoutResponse {
    /// Request id.
    #[hbr(wire = "RequestId")]
    request_id: Option<String>,
    /// Success.
    #[hbr(wire = "Success")]
    success: Option<bool>,
    /// When it was heard.
    #[hbr(wire = "HeardAt", timestamp = "unix_seconds")]
    heard_at: Option<i64>,
    /// Echoes.
    #[hbr(wire = "Echoes", wrapper = "Echo")]
    echoes: Option<Vec<String>>,
    /// JSON-carrying field.
    #[hbr(wire = "Detail", json = Vec<String>)]
    detail: Option<String>,
}

#[test]
fn the_hand_written_operation_builds_validates_and_encodes() {
    let label = Label::builder()
        .name("team")
        .value("core")
        .build()
        .expect("label");
    let req = ShoutRequest::builder()
        .target("bob")
        .volume(Volume::Loud)
        .label(label.clone())
        .extra(vec![label])
        .echo(true)
        .build()
        .expect("valid");
    assert_eq!(ShoutRequest::ACTION, "Shout");
    const {
        assert!(
            ShoutRequest::FORM_BODY,
            "a body parameter makes a form body"
        )
    };
    let p = req.encode();
    assert_eq!(
        p.query,
        vec![
            ("Echo".to_owned(), "True".to_owned()),
            (
                "Extra".to_owned(),
                r#"[{"Name":"team","Value":"core"}]"#.to_owned()
            ),
            ("Target".to_owned(), "bob".to_owned()),
            ("Volume".to_owned(), "LOUD".to_owned()),
        ]
    );
    assert_eq!(
        p.body,
        vec![
            ("Labels.1.Name".to_owned(), "team".to_owned()),
            ("Labels.1.Value".to_owned(), "core".to_owned()),
        ]
    );
}

#[test]
fn a_hand_written_operation_is_a_write_unless_it_says_read() {
    // No `kind`: a write, never sent again when its outcome is unknown.
    assert_eq!(ShoutRequest::KIND, OperationKind::Write);
    assert_eq!(ListenRequest::KIND, OperationKind::Read);
    assert_eq!(ListenRequest::ACTION, "Listen");
}

#[test]
fn the_hand_written_constraints_and_rules_are_checked() {
    let err = ShoutRequest::builder()
        .target("Bob!")
        .build()
        .expect_err("pattern");
    assert_eq!(err.parameter(), "Target");
    let owner: Label = serde_json::from_str(r#"{"Name":"owner"}"#).expect("decodes");
    let err = ShoutRequest::builder()
        .target("bob")
        .label(owner)
        .build()
        .expect_err("rule");
    assert_eq!(err.parameter(), "Labels.1.Value");
    assert!(
        err.to_string().contains("an owner label needs a value"),
        "{err}"
    );
    let long: Label = serde_json::from_str(r#"{"Name":"far-too-long"}"#).expect("decodes");
    let err = ShoutRequest::builder()
        .target("bob")
        .label(long)
        .build()
        .expect_err("length");
    assert_eq!(err.parameter(), "Labels.1.Name");
    let err = serde_json::from_str::<ShoutRequest>(r#"{"Volume":"LOUD"}"#).expect_err("required");
    assert!(
        err.to_string()
            .contains("missing required parameter `Target`"),
        "{err}"
    );
}

/// `one_of` refuses a documented value outside its list (the default counts, as it is what
/// the service assumes), never a value the enum does not know: that one is sent as given.
#[test]
fn a_hand_written_one_of_refuses_only_documented_values() {
    let shout = |volume: Option<Volume>| {
        let b = ShoutRequest::builder().target("bob").echo(true);
        match volume {
            Some(v) => b.volume(v).build(),
            None => b.build(),
        }
    };
    for refused in [Some(Volume::Quiet), None] {
        let err = shout(refused.clone()).expect_err("a documented value outside the list");
        assert_eq!(err.parameter(), "Volume", "{refused:?}");
        assert!(
            err.to_string().contains("an echo needs a loud voice"),
            "{err}"
        );
    }
    shout(Some(Volume::Loud)).expect("listed");
    let roaring = shout(Some(Volume::from("ROARING"))).expect("unknown to the enum: sent");
    assert!(roaring
        .encode()
        .query
        .contains(&("Volume".to_owned(), "ROARING".to_owned())));
}

#[test]
fn the_hand_written_response_parses_leniently() {
    let r: ShoutResponse = serde_json::from_str(
        r#"{"RequestId":"x","Success":"true","HeardAt":"1554347313","Echoes":{"Echo":["a","b"]},"Detail":"[\"p\"]","New":1}"#,
    )
    .expect("parses");
    assert_eq!(r.request_id(), Some("x"));
    assert_eq!(OperationOutput::success(&r), Some(true));
    assert_eq!(r.heard_at_raw(), Some(1554347313));
    assert_eq!(r.heard_at().map(|t| t.year()), Some(2019));
    assert_eq!(r.echoes(), ["a", "b"]);
    assert_eq!(r.detail_parsed().expect("json"), Some(vec!["p".to_owned()]));
    let back = serde_json::to_value(&r).expect("serializes");
    assert_eq!(back["Echoes"], serde_json::json!({"Echo": ["a", "b"]}));
    assert_eq!(back["HeardAt"], 1554347313);
}

#[test]
fn the_hand_written_enum_keeps_unknown_values() {
    assert_eq!(Volume::from_wire("LOUD"), Volume::Loud);
    let v: Volume = "WHISPER".parse().expect("infallible");
    assert_eq!(v, Volume::Unknown("WHISPER".into()));
    assert_eq!(v.to_string(), "WHISPER");
    assert_eq!(Volume::VALUES, ["QUIET", "LOUD"]);
}

#[test]
fn the_attributes_of_a_hand_written_request_are_exposed_as_facts() {
    use hbr_client::facts::{Param, Scalar};
    // Each value below is the attribute written on the struct above.
    assert_eq!(
        ShoutRequest::TARGET,
        Param {
            wire: "Target",
            required: true,
            default: None,
            minimum: None,
            maximum: None,
            min_length: None,
            max_length: None,
            min_items: None,
            max_items: None,
            pattern: Some("[a-z]+"),
        }
    );
    assert_eq!(ShoutRequest::VOLUME.default, Some(Scalar::Str("QUIET")));
    const { assert!(!ShoutRequest::VOLUME.required) };
    assert_eq!(ShoutRequest::LABELS.max_items, Some(2));
    assert_eq!(ShoutRequest::ECHO.wire, "Echo");
    assert_eq!(Label::NAME.max_length, Some(8));
    const { assert!(Label::NAME.required && !Label::VALUE.required) };
    assert_eq!(Volume::VALUES, &["QUIET", "LOUD"]);
}
