//! Parameter parsing: reading the decoded wire parameters of a request (URL query and form
//! body merged, in arrival order) by name, and turning them into typed values or the
//! service's `MissingParameter` / `InvalidParameter` errors, which name the parameter.
//!
//! Enum values are checked against the lists the generated client exposes ([`WireEnum`]),
//! never against a copy kept here.

use serde_json::Value;

use hbr_client::describe_restore_jobs2::{Edition, FilterKey, Operator};
use hbr_client::types::{CrossAccountType, RestoreType, SourceType};

use crate::error::ApiError;

/// A generated string enum, seen through what parsing needs: its documented values and the
/// mapping from a wire value (values outside the list become its unknown variant).
pub(crate) trait WireEnum: Sized {
    /// Every documented wire value, in documentation order (the generated `VALUES`).
    const VALUES: &'static [&'static str];
    /// The variant for a wire value.
    fn from_wire(value: &str) -> Self;
    /// Whether the value is outside [`Self::VALUES`].
    fn is_unknown(&self) -> bool;
}

macro_rules! wire_enums {
    ($($ty:ty),+ $(,)?) => {
        $(
            impl WireEnum for $ty {
                const VALUES: &'static [&'static str] = <$ty>::VALUES;
                fn from_wire(value: &str) -> Self {
                    <$ty>::from_wire(value)
                }
                fn is_unknown(&self) -> bool {
                    <$ty>::is_unknown(self)
                }
            }
        )+
    };
}

wire_enums!(
    RestoreType,
    SourceType,
    CrossAccountType,
    Edition,
    FilterKey,
    Operator
);

/// `raw` as a value of `E`, exactly as spelled (case-sensitive); anything else is
/// `InvalidParameter` naming `name` and listing the values.
pub(crate) fn parse_enum<E: WireEnum>(name: &str, raw: &str) -> Result<E, ApiError> {
    let value = E::from_wire(raw);
    if value.is_unknown() {
        Err(not_one_of(name, raw, E::VALUES))
    } else {
        Ok(value)
    }
}

/// `InvalidParameter`: `raw` is not one of `values`.
pub(crate) fn not_one_of(name: &str, raw: &str, values: &[&str]) -> ApiError {
    ApiError::invalid_parameter(name, format!("{raw:?} is not one of {}", values.join(", ")))
}

/// A positive decimal index (`1`, `2`, …) as the repeatList style numbers items.
pub(crate) fn parse_index(raw: &str) -> Option<u32> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse::<u32>().ok().filter(|n| *n >= 1)
}

/// The parameters of one request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params<'a>(pub(crate) &'a [(String, String)]);

impl<'a> Params<'a> {
    /// Every parameter, in arrival order.
    pub(crate) fn iter(self) -> impl Iterator<Item = &'a (String, String)> {
        self.0.iter()
    }

    /// The value of `name` as sent (a repeated name keeps its last value), empty or not.
    pub(crate) fn last(self, name: &str) -> Option<&'a str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A parameter that must be present and not empty.
    pub(crate) fn required(self, name: &str) -> Result<&'a str, ApiError> {
        match self.last(name) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(ApiError::missing_parameter(name)),
        }
    }

    /// An optional parameter (an empty value counts as absent).
    pub(crate) fn optional(self, name: &str) -> Option<&'a str> {
        self.last(name).filter(|v| !v.is_empty())
    }

    /// An integer parameter that, when sent at all (even empty), must be an integer as
    /// written (no surrounding space).
    pub(crate) fn integer(self, name: &str) -> Result<Option<i64>, ApiError> {
        self.last(name)
            .map(|raw| {
                raw.parse::<i64>().map_err(|_| {
                    ApiError::invalid_parameter(name, format!("{raw:?} is not an integer"))
                })
            })
            .transpose()
    }

    /// An optional 64-bit integer (an empty value counts as absent; space around it is
    /// ignored).
    pub(crate) fn int64(self, name: &str) -> Result<Option<i64>, ApiError> {
        self.optional(name)
            .map(|v| {
                v.trim().parse::<i64>().map_err(|_| {
                    ApiError::invalid_parameter(name, format!("{v:?} is not a 64-bit integer"))
                })
            })
            .transpose()
    }

    /// An optional boolean, `true` or `false` in any case (the Python SDK sends `True`).
    pub(crate) fn boolean(self, name: &str) -> Result<Option<bool>, ApiError> {
        self.optional(name)
            .map(|v| {
                if v.eq_ignore_ascii_case("true") {
                    Ok(true)
                } else if v.eq_ignore_ascii_case("false") {
                    Ok(false)
                } else {
                    Err(ApiError::invalid_parameter(
                        name,
                        format!("{v:?} is not a boolean (true or false)"),
                    ))
                }
            })
            .transpose()
    }

    /// An optional enum parameter, when sent at all (even empty) one of `E`'s values.
    pub(crate) fn enumerated<E: WireEnum>(self, name: &str) -> Result<Option<E>, ApiError> {
        self.last(name).map(|raw| parse_enum(name, raw)).transpose()
    }

    /// A required enum parameter (`MissingParameter` when absent or empty).
    pub(crate) fn required_enum<E: WireEnum>(self, name: &str) -> Result<E, ApiError> {
        parse_enum(name, self.required(name)?)
    }

    /// An optional parameter that carries a JSON object; returns it parsed.
    pub(crate) fn json_object(
        self,
        name: &str,
    ) -> Result<Option<serde_json::Map<String, Value>>, ApiError> {
        self.optional(name)
            .map(|v| match serde_json::from_str::<Value>(v) {
                Ok(Value::Object(map)) => Ok(map),
                Ok(_) => Err(ApiError::invalid_parameter(name, "expected a JSON object")),
                Err(e) => Err(ApiError::invalid_parameter(
                    name,
                    format!("not valid JSON ({e})"),
                )),
            })
            .transpose()
    }

    /// An optional parameter that carries a JSON array of strings; returns it compact (`[]`
    /// when absent).
    pub(crate) fn json_string_array(self, name: &str) -> Result<String, ApiError> {
        let Some(v) = self.optional(name) else {
            return Ok("[]".to_owned());
        };
        match serde_json::from_str::<Value>(v) {
            Ok(Value::Array(items)) if items.iter().all(Value::is_string) => {
                Ok(Value::Array(items).to_string())
            }
            Ok(_) => Err(ApiError::invalid_parameter(
                name,
                "expected a JSON array of strings",
            )),
            Err(e) => Err(ApiError::invalid_parameter(
                name,
                format!("not valid JSON ({e})"),
            )),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn owned(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_last_value_wins_and_empty_counts_as_absent_where_documented() {
        let raw = owned(&[("A", "1"), ("A", "2"), ("E", "")]);
        let p = Params(&raw);
        assert_eq!(p.last("A"), Some("2"));
        assert_eq!(p.last("E"), Some(""));
        assert_eq!(p.optional("E"), None);
        let e = p.required("E").unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.parameter.as_deref()),
            ("MissingParameter", Some("E"))
        );
        // `integer` judges an empty value, `int64` skips it.
        assert_eq!(p.integer("E").unwrap_err().code, "InvalidParameter");
        assert_eq!(p.int64("E").unwrap(), None);
        assert_eq!(p.integer("A").unwrap(), Some(2));
    }

    #[test]
    fn enums_are_checked_against_the_generated_values() {
        let raw = owned(&[("RestoreType", "OSS"), ("SourceType", "oss")]);
        let p = Params(&raw);
        assert_eq!(
            p.required_enum::<RestoreType>("RestoreType").unwrap(),
            RestoreType::Oss
        );
        let e = p.required_enum::<SourceType>("SourceType").unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("SourceType"));
        // The message lists the spec's values, whatever they are.
        for value in SourceType::VALUES {
            assert!(e.message.contains(value), "{e}");
        }
        assert!(
            e.message.contains("\"oss\" is not one of ECS_FILE, "),
            "{e}"
        );
        assert_eq!(p.enumerated::<Edition>("Edition").unwrap(), None);
    }

    #[test]
    fn repeat_list_indices_count_from_one() {
        assert_eq!(parse_index("1"), Some(1));
        assert_eq!(parse_index("12"), Some(12));
        for bad in ["", "0", "-1", "+1", "1a", "99999999999"] {
            assert_eq!(parse_index(bad), None, "{bad}");
        }
    }
}
