use hbr_client::HbrRequest;

/// A hand-written request that does not ask for `#[hbr(serde)]`.
#[derive(Clone, Debug, PartialEq, HbrRequest)]
pub struct Note {
    /// Text.
    #[hbr(wire = "Text")]
    text: String,
}

fn main() {
    // API-shaped serde is compiled only when asked for: a plain request has no Deserialize.
    let _: Note = serde_json::from_str(r#"{"Text":"x"}"#).unwrap();
}
