//! Response strings that carry JSON, decoded on demand.

use crate::de::{FromWire, Wire};

/// A JSON-carrying response string that does not hold the documented shape.
#[derive(Debug, thiserror::Error)]
#[error("field `{field}` does not hold the documented JSON: {source}")]
pub struct JsonFieldError {
    field: &'static str,
    #[source]
    source: serde_json::Error,
}

impl JsonFieldError {
    /// The wire name of the field.
    pub fn field(&self) -> &'static str {
        self.field
    }
}

/// Decodes the JSON carried by the string field `field`.
///
/// Besides plain JSON, it accepts JSON whose quotes arrive backslash-escaped once more
/// (`{\"a\":1}`), as the service's own documentation shows for `UdmDetail`.
///
/// ```
/// let v: Vec<String> = hbr_runtime::json_field::parse("Include", r#"["/a", "/b"]"#).unwrap();
/// assert_eq!(v, ["/a", "/b"]);
/// let v: serde_json::Value = hbr_runtime::json_field::parse("UdmDetail", r#"{\"doCopy\":true}"#).unwrap();
/// assert_eq!(v["doCopy"], true);
/// ```
pub fn parse<T>(field: &'static str, raw: &str) -> Result<T, JsonFieldError>
where
    T: for<'de> FromWire<'de>,
{
    match serde_json::from_str::<Wire<T>>(raw) {
        Ok(Wire(v)) => Ok(v),
        Err(first) => {
            if raw.contains("\\\"") {
                // One more level of escaping: read the text as the body of a JSON string first.
                let quoted = format!("\"{raw}\"");
                if let Ok(inner) = serde_json::from_str::<String>(&quoted) {
                    if let Ok(Wire(v)) = serde_json::from_str::<Wire<T>>(&inner) {
                        return Ok(v);
                    }
                }
            }
            Err(JsonFieldError {
                field,
                source: first,
            })
        }
    }
}

/// Decodes an optional JSON-carrying field: absent stays `None`.
pub fn parse_opt<T>(field: &'static str, raw: Option<&str>) -> Result<Option<T>, JsonFieldError>
where
    T: for<'de> FromWire<'de>,
{
    raw.map(|r| parse(field, r)).transpose()
}
