//! One value checked against the type and the enum values the spec gives its parameter
//! (a [`ParamInfo`] of the generated registry): a wire string, or a member of a JSON-encoded
//! parameter. The result is the value in the API's JSON shape (integers as numbers, booleans
//! as booleans), which the typed request decodes.

use hbr_client::registry::ParamInfo;
use hbr_runtime::de::json_kind;
use serde_json::Value;

use crate::error::ApiError;
use crate::params::not_one_of;

/// The scalar types of the registry (`ParamInfo::ty`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Scalar {
    String,
    Int32,
    Int64,
    Boolean,
}

impl Scalar {
    /// The scalar type `ty` names, if it names one.
    pub(super) fn of(ty: &str) -> Option<Self> {
        Some(match ty {
            "string" => Self::String,
            "int32" => Self::Int32,
            "int64" => Self::Int64,
            "boolean" => Self::Boolean,
            _ => return None,
        })
    }
}

fn not_an_integer(path: &str, shown: &str, width: &str) -> ApiError {
    ApiError::invalid_parameter(path, format!("{shown} is not an integer ({width})"))
}

fn integer(path: &str, n: i64, scalar: Scalar, shown: &str) -> Result<Value, ApiError> {
    if scalar == Scalar::Int32 && i32::try_from(n).is_err() {
        return Err(not_an_integer(path, shown, "int32"));
    }
    Ok(Value::from(n))
}

fn boolean(path: &str, raw: &str) -> Result<Value, ApiError> {
    if raw.eq_ignore_ascii_case("true") {
        Ok(Value::Bool(true))
    } else if raw.eq_ignore_ascii_case("false") {
        Ok(Value::Bool(false))
    } else {
        Err(ApiError::invalid_parameter(
            path,
            format!("{raw:?} is not a boolean (true or false)"),
        ))
    }
}

/// A string of an enum parameter must be a value the spec's enum knows: any of them, also
/// one outside the values documented for this operation (documented lists lag the service,
/// which is the judge), but not one the spec knows nowhere.
fn one_of(info: &ParamInfo, path: &str, text: &str) -> Result<(), ApiError> {
    if info.enum_values.is_empty() || info.enum_values.contains(&text) {
        Ok(())
    } else {
        Err(not_one_of(path, text, info.enum_values))
    }
}

/// A wire value (`raw`, exactly as sent) of the scalar parameter `info`, at `path`.
///
/// Integers are decimal as written (an empty value is not an integer); booleans are `true` or
/// `false` in any case (the Python SDK sends `True`); a string of an enum must be one of the
/// enum's values, spelled exactly (see `one_of`).
pub(super) fn from_wire(
    info: &ParamInfo,
    scalar: Scalar,
    path: &str,
    raw: &str,
) -> Result<Value, ApiError> {
    match scalar {
        Scalar::Int32 | Scalar::Int64 => {
            let width = if scalar == Scalar::Int32 {
                "int32"
            } else {
                "int64"
            };
            let n = raw
                .parse::<i64>()
                .map_err(|_| not_an_integer(path, &format!("{raw:?}"), width))?;
            integer(path, n, scalar, &format!("{raw:?}"))
        }
        Scalar::Boolean => boolean(path, raw),
        Scalar::String => {
            one_of(info, path, raw)?;
            Ok(Value::String(raw.to_owned()))
        }
    }
}

/// A member of a JSON-encoded parameter, of the scalar type of `info`, at `path`. As the
/// typed client reads the service's JSON, an integer may be a number or a numeric string and
/// a boolean a boolean or `"true"`/`"false"`; a string may be a number or a boolean, kept as
/// its text.
pub(super) fn from_json(
    info: &ParamInfo,
    scalar: Scalar,
    path: &str,
    value: Value,
) -> Result<Value, ApiError> {
    match (scalar, value) {
        (Scalar::Int32 | Scalar::Int64, Value::Number(n)) => match n.as_i64() {
            Some(i) => integer(path, i, scalar, &n.to_string()),
            None => Err(not_an_integer(path, &n.to_string(), "int64")),
        },
        (Scalar::Int32 | Scalar::Int64, Value::String(s)) => from_wire(info, scalar, path, &s),
        (Scalar::Boolean, Value::Bool(b)) => Ok(Value::Bool(b)),
        (Scalar::Boolean, Value::String(s)) => boolean(path, &s),
        (Scalar::String, Value::String(s)) => {
            one_of(info, path, &s)?;
            Ok(Value::String(s))
        }
        (Scalar::String, v @ (Value::Number(_) | Value::Bool(_))) => {
            let text = v.to_string();
            one_of(info, path, &text)?;
            Ok(Value::String(text))
        }
        (_, other) => Err(ApiError::invalid_parameter(
            path,
            format!("expected {}, got {}", info.ty, json_kind(&other)),
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn info(ty: &'static str, enum_values: &'static [&'static str]) -> ParamInfo {
        ParamInfo {
            name: "P",
            ty,
            location: "query",
            required: false,
            constraints: "",
            values: enum_values.get(..1).unwrap_or_default(),
            enum_values,
            doc: "",
        }
    }

    #[test]
    fn wire_integers_are_decimal_and_fit_their_width() {
        let i32_info = info("int32", &[]);
        let ok = |raw| from_wire(&i32_info, Scalar::Int32, "P", raw);
        assert_eq!(ok("-12").unwrap(), Value::from(-12));
        for bad in ["", " 1", "1.0", "0x10", "2147483648"] {
            let e = ok(bad).unwrap_err();
            assert_eq!(
                (e.code.as_str(), e.parameter.as_deref()),
                ("InvalidParameter", Some("P")),
                "{bad:?}"
            );
        }
        let i64_info = info("int64", &[]);
        assert_eq!(
            from_wire(&i64_info, Scalar::Int64, "P", "2147483648").unwrap(),
            Value::from(2_147_483_648_i64)
        );
    }

    #[test]
    fn booleans_in_any_case_and_enums_exactly() {
        let b = info("boolean", &[]);
        assert_eq!(
            from_wire(&b, Scalar::Boolean, "P", "True").unwrap(),
            Value::Bool(true)
        );
        assert!(from_wire(&b, Scalar::Boolean, "P", "yes").is_err());
        // Documented here: A; the enum knows B too, which is accepted all the same.
        let e = info("string", &["A", "B"]);
        assert!(from_wire(&e, Scalar::String, "P", "A").is_ok());
        assert!(from_wire(&e, Scalar::String, "P", "B").is_ok());
        let err = from_wire(&e, Scalar::String, "X.1.P", "a").unwrap_err();
        assert_eq!(err.parameter.as_deref(), Some("X.1.P"));
        assert!(err.message.contains("A, B"), "{err}");
    }

    #[test]
    fn json_members_are_read_as_leniently_as_the_client_reads_answers() {
        let n = info("int32", &[]);
        assert_eq!(
            from_json(&n, Scalar::Int32, "P", Value::from("7")).unwrap(),
            Value::from(7)
        );
        assert!(from_json(&n, Scalar::Int32, "P", Value::from(1.5)).is_err());
        assert!(from_json(&n, Scalar::Int32, "P", Value::from(1_i64 << 40)).is_err());
        assert!(from_json(&n, Scalar::Int32, "P", serde_json::json!([1])).is_err());
        let b = info("boolean", &[]);
        assert_eq!(
            from_json(&b, Scalar::Boolean, "P", Value::from("FALSE")).unwrap(),
            Value::Bool(false)
        );
        let s = info("string", &[]);
        assert_eq!(
            from_json(&s, Scalar::String, "P", Value::from(3)).unwrap(),
            Value::from("3")
        );
        assert!(from_json(&s, Scalar::String, "P", serde_json::json!({})).is_err());
    }
}
