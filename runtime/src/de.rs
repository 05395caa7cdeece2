//! Lenient deserialization of API-shaped JSON.
//!
//! The service (and gateways in front of it) sometimes send integers as strings, and new
//! fields or enum values at any time. Every generated type reads its fields through
//! [`FromWire`], which accepts a JSON number or a numeric string for integers, a boolean or a
//! boolean string for booleans, `null` for any absent value, and ignores unknown fields.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A type read leniently from API-shaped JSON.
pub trait FromWire<'de>: Sized {
    /// Reads a value of this type.
    fn from_wire<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// A `DeserializeSeed` that reads a `T` through [`FromWire`].
pub struct WireSeed<T>(PhantomData<T>);

impl<T> WireSeed<T> {
    /// A new seed.
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Default for WireSeed<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: FromWire<'de>> DeserializeSeed<'de> for WireSeed<T> {
    type Value = T;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::from_wire(deserializer)
    }
}

/// Reads a whole value of type `T` through [`FromWire`] (a convenience over [`WireSeed`]).
pub struct Wire<T>(pub T);

impl<'de, T: FromWire<'de>> serde::Deserialize<'de> for Wire<T> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::from_wire(deserializer).map(Wire)
    }
}

macro_rules! int_from_wire {
    ($($t:ty => $name:literal),*) => {$(
        impl<'de> FromWire<'de> for $t {
            #[inline]
            fn from_wire<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("an integer (", $name, ") as a JSON number or a string"))
                    }
                    #[inline]
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$t, E> {
                        <$t>::try_from(v).map_err(|_| E::custom(format_args!("{} does not fit in {}", v, $name)))
                    }
                    #[inline]
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$t, E> {
                        <$t>::try_from(v).map_err(|_| E::custom(format_args!("{} does not fit in {}", v, $name)))
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$t, E> {
                        if v.fract() == 0.0 && v >= <$t>::MIN as f64 && v <= <$t>::MAX as f64 {
                            Ok(v as $t)
                        } else {
                            Err(E::custom(format_args!("{} is not an integer that fits in {}", v, $name)))
                        }
                    }
                    #[inline]
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$t, E> {
                        v.trim().parse::<$t>().map_err(|_| E::custom(format_args!("{:?} is not an integer that fits in {}", v, $name)))
                    }
                }
                deserializer.deserialize_any(V)
            }
        }
    )*};
}
int_from_wire!(i32 => "int32", i64 => "int64", u32 => "uint32", u64 => "uint64");

impl<'de> FromWire<'de> for bool {
    #[inline]
    fn from_wire<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or a string \"true\"/\"false\"")
            }
            #[inline]
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
                Ok(v)
            }
            #[inline]
            fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
                if v.eq_ignore_ascii_case("true") {
                    Ok(true)
                } else if v.eq_ignore_ascii_case("false") {
                    Ok(false)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            #[inline]
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
                match v {
                    0 => Ok(false),
                    1 => Ok(true),
                    _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
                }
            }
            #[inline]
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
                match v {
                    0 => Ok(false),
                    1 => Ok(true),
                    _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> FromWire<'de> for f64 {
    #[inline]
    fn from_wire<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = f64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
                Ok(v)
            }
            #[inline]
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
                Ok(v as f64)
            }
            #[inline]
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
                Ok(v as f64)
            }
            #[inline]
            fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
                v.trim()
                    .parse()
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The visitor of every string type read from the wire (`String`, and the response strings
/// of [`crate::text`]): a string, or a scalar where a string is documented, kept as its text
/// rather than refused.
pub(crate) struct TextVisitor<T>(PhantomData<T>);

impl<T> TextVisitor<T> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T: for<'a> From<&'a str> + From<String>> Visitor<'_> for TextVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from(v))
    }
    #[inline]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(T::from(itoa::Buffer::new().format(v)))
    }
    #[inline]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok(T::from(itoa::Buffer::new().format(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Ok(T::from(v.to_string()))
    }
    #[inline]
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Ok(T::from(if v { "true" } else { "false" }))
    }
}

impl<'de> FromWire<'de> for String {
    #[inline]
    fn from_wire<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `deserialize_any`: serde_json's `deserialize_string` refuses numbers and booleans
        // before the visitor sees them.
        deserializer.deserialize_any(TextVisitor::new())
    }
}

impl<'de> FromWire<'de> for serde_json::Value {
    #[inline]
    fn from_wire<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
}

impl<'de, T: FromWire<'de>> FromWire<'de> for Option<T> {
    #[inline]
    fn from_wire<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: FromWire<'de>> Visitor<'de> for V<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            #[inline]
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            #[inline]
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            #[inline]
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                T::from_wire(d).map(Some)
            }
        }
        deserializer.deserialize_option(V(PhantomData))
    }
}

/// The items of a page the service sends at most (99 or 100 per operation).
const PAGE_ITEMS: usize = 100;

/// The room a vector of `T` starts with when the input does not say how many items follow
/// (JSON never does). Items of a page (a restore job is 1.6 KB) get room for a full page at
/// once: grown by doubling, the vector of a 99-job page was reallocated five times, copying
/// 200 KB of jobs (1.8 % of the typed parse of such a page). Small items start empty, as
/// `Vec` does.
fn initial_capacity<T>() -> usize {
    if std::mem::size_of::<T>() >= 256 {
        PAGE_ITEMS
    } else {
        0
    }
}

impl<'de, T: FromWire<'de>> FromWire<'de> for Vec<T> {
    #[inline]
    fn from_wire<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: FromWire<'de>> Visitor<'de> for V<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let room = seq
                    .size_hint()
                    .map_or_else(initial_capacity::<T>, |n| n.min(4096));
                let mut out = Vec::with_capacity(room);
                while let Some(item) = seq.next_element_seed(WireSeed::<T>::new())? {
                    out.push(item);
                }
                Ok(out)
            }
        }
        deserializer.deserialize_seq(V(PhantomData))
    }
}

/// Parses a response body into `T` as the client does: the body is checked as UTF-8 once and
/// then read as a `str` (serde_json's slice reader checks every string on its own, which costs
/// more than one pass over the whole body).
///
/// ```
/// let n: Option<i64> = hbr_runtime::de::from_body(br#""42""#).unwrap();
/// assert_eq!(n, Some(42));
/// let err = hbr_runtime::de::from_body::<String>(b"\"\xff\"").unwrap_err();
/// assert!(err.to_string().contains("not UTF-8 (invalid byte at offset 1)"), "{err}");
/// ```
pub fn from_body<'a, T: FromWire<'a>>(body: &'a [u8]) -> Result<T, serde_json::Error> {
    let text = std::str::from_utf8(body).map_err(|e| {
        <serde_json::Error as de::Error>::custom(format_args!(
            "the body is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    serde_json::from_str::<Wire<T>>(text).map(|Wire(v)| v)
}

/// A map key, borrowed from the input when possible.
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            #[inline]
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            #[inline]
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// A [`WireSeed`] that names the field in its errors (`field `PageSize`: ...`, or
/// `parameter `PageSize`: ...` for requests).
pub struct NamedSeed<T> {
    name: &'static str,
    request: bool,
    marker: PhantomData<T>,
}

impl<T> NamedSeed<T> {
    /// A seed for the response field `name`.
    pub fn field(name: &'static str) -> Self {
        Self {
            name,
            request: false,
            marker: PhantomData,
        }
    }

    /// A seed for the request parameter `name`.
    pub fn param(name: &'static str) -> Self {
        Self {
            name,
            request: true,
            marker: PhantomData,
        }
    }
}

impl<'de, T: FromWire<'de>> DeserializeSeed<'de> for NamedSeed<T> {
    type Value = T;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::from_wire(deserializer).map_err(|e| {
            if self.request {
                param_error(self.name, e)
            } else {
                field_error(self.name, e)
            }
        })
    }
}

/// Reads `{"<name>": T, ...}` and returns the `T` under `name` (other keys ignored): the
/// wrapper objects of list responses, e.g. `"RestoreJobs": {"RestoreJob": [...]}`.
pub struct WrapperSeed<T> {
    name: &'static str,
    marker: PhantomData<T>,
}

impl<T> WrapperSeed<T> {
    /// A seed reading the wrapper whose inner key is `name`.
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            marker: PhantomData,
        }
    }
}

impl<'de, T: FromWire<'de>> DeserializeSeed<'de> for WrapperSeed<T> {
    type Value = Option<T>;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        struct V<T>(&'static str, PhantomData<T>);
        impl<'de, T: FromWire<'de>> Visitor<'de> for V<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an object with the key {:?}", self.0)
            }
            #[inline]
            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            #[inline]
            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            #[inline]
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                d.deserialize_map(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
                let mut found = None;
                while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                    if key == self.0 {
                        found = Some(map.next_value_seed(WireSeed::<T>::new())?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(found)
            }
        }
        deserializer.deserialize_option(V(self.name, PhantomData))
    }
}

/// Reads the value of the map's current key into the optional response field `slot`, named
/// `name` in errors (a `null` value leaves it `None`; a later value of the same key replaces
/// an earlier one). What a response's derived `Deserialize` calls for each field, filling
/// the response in place: one call with explicit types, no closure and no `?` per field,
/// keeps the derived code quick to type-check.
///
/// ```
/// use hbr_runtime::de::read_optional;
/// use serde::de::{Deserializer, MapAccess, Visitor};
///
/// struct Count;
/// impl<'de> Visitor<'de> for Count {
///     type Value = Option<i64>;
///     fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.write_str("an object")
///     }
///     fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<i64>, A::Error> {
///         let mut count = None;
///         while let Some(key) = map.next_key::<String>()? {
///             assert_eq!(key, "TotalCount");
///             read_optional::<i64, A>(&mut map, &mut count, "TotalCount")?;
///         }
///         Ok(count)
///     }
/// }
/// let mut json = serde_json::Deserializer::from_str(r#"{"TotalCount":"3"}"#);
/// assert_eq!(json.deserialize_map(Count)?, Some(3));
/// let mut json = serde_json::Deserializer::from_str(r#"{"TotalCount":null}"#);
/// assert_eq!(json.deserialize_map(Count)?, None);
/// let mut json = serde_json::Deserializer::from_str(r#"{"TotalCount":"many"}"#);
/// let err = json.deserialize_map(Count).unwrap_err().to_string();
/// assert!(err.starts_with("field `TotalCount`: "), "{err}");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[inline(always)]
pub fn read_optional<'de, T: FromWire<'de>, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    *slot = map.next_value_seed(NamedSeed::<Option<T>>::field(name))?;
    Ok(())
}

/// Reads the value of the map's current key into `slot` as the request parameter `name`:
/// the request counterpart of [`read_optional`], which names the parameter in its errors and
/// refuses a parameter given twice.
#[inline(always)]
pub fn read_param<'de, T: FromWire<'de>, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::custom(format_args!(
            "parameter `{name}` is given twice"
        )));
    }
    *slot = Some(map.next_value_seed(NamedSeed::<T>::param(name))?);
    Ok(())
}

/// Reads the value of the map's current key into the optional response field `slot`, which
/// travels inside a wrapper object under the key `inner`: [`read_optional`] for a wrapped field.
#[inline]
pub fn read_wrapped<'de, T: FromWire<'de>, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
    inner: &'static str,
) -> Result<(), A::Error> {
    *slot = map
        .next_value_seed(WrapperSeed::<T>::new(inner))
        .map_err(|e| field_error(name, e))?;
    Ok(())
}

/// What kind of JSON value `value` is, with its article, for messages ("expected an
/// object, got a string").
///
/// ```
/// use hbr_runtime::de::json_kind;
///
/// assert_eq!(json_kind(&serde_json::json!([1])), "an array");
/// assert_eq!(json_kind(&serde_json::Value::Null), "null");
/// ```
pub fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads and drops the value of a key a response type does not know.
#[inline(always)]
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Serializes `{"<name>": value}`: the other half of [`WrapperSeed`].
pub struct Wrapped<'a, T: ?Sized> {
    /// The inner key.
    pub name: &'static str,
    /// The wrapped value.
    pub value: &'a T,
}

impl<T: serde::Serialize + ?Sized> serde::Serialize for Wrapped<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.name, self.value)?;
        map.end()
    }
}

/// Adds the field's wire name to a deserialization error, so a user reads which field broke.
pub fn field_error<E: de::Error>(field: &str, error: E) -> E {
    E::custom(format_args!("field `{field}`: {error}"))
}

/// Adds the parameter's wire name to a deserialization error of a request.
pub fn param_error<E: de::Error>(parameter: &str, error: E) -> E {
    E::custom(format_args!("parameter `{parameter}`: {error}"))
}

/// The closest of `candidates` to `name`, when it is close enough to be a likely misspelling
/// (the one "did you mean" of the project, shared with the generator and the CLI).
pub use hbr_suggest::closest;

/// The error for a request parameter this operation does not have.
pub fn unknown_parameter<E: de::Error>(name: &str, candidates: &[&str]) -> E {
    match closest(name, candidates) {
        Some(best) => E::custom(format_args!(
            "unknown parameter `{name}`; did you mean `{best}`?"
        )),
        None => E::custom(format_args!(
            "unknown parameter `{name}`; expected one of: {}",
            candidates.join(", ")
        )),
    }
}

/// The error for a required request parameter that is missing.
pub fn missing_parameter<E: de::Error>(name: &str) -> E {
    E::custom(format_args!("missing required parameter `{name}`"))
}
