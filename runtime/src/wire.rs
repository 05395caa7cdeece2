//! Encoding typed request values into the flat wire parameters the RPC protocol sends.
//!
//! The rules follow the official SDKs (see `ALIBABA-PROTOCOL.md` §3): a list item becomes
//! `Name.N` (N from 1), an object field `Name.Field`, a scalar its string form; absent values
//! are omitted and empty strings are kept. The `json` style sends one compact JSON string.

use serde::Serialize;

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// In the URL query string.
    Query,
    /// In an `application/x-www-form-urlencoded` request body.
    Body,
}

/// The wire parameters of one request, in the order they were encoded.
///
/// ```
/// use hbr_runtime::wire::{EncodeParam, Location, Params};
/// let mut params = Params::default();
/// vec!["a".to_string(), "b".to_string()].encode_param("Values", Location::Query, &mut params);
/// assert_eq!(params.query, [("Values.1".into(), "a".into()), ("Values.2".into(), "b".into())]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    /// Parameters sent in the URL query, in insertion order.
    pub query: Vec<(String, String)>,
    /// Parameters sent in the form body, in insertion order.
    pub body: Vec<(String, String)>,
}

impl Params {
    /// Appends one parameter.
    pub fn push(&mut self, location: Location, key: String, value: String) {
        match location {
            Location::Query => self.query.push((key, value)),
            Location::Body => self.body.push((key, value)),
        }
    }

    /// Every parameter, query first, as `(location, key, value)`.
    pub fn iter(&self) -> impl Iterator<Item = (Location, &str, &str)> {
        self.query
            .iter()
            .map(|(k, v)| (Location::Query, k.as_str(), v.as_str()))
            .chain(
                self.body
                    .iter()
                    .map(|(k, v)| (Location::Body, k.as_str(), v.as_str())),
            )
    }
}

/// A value that can be flattened into wire parameters under a key.
///
/// Implemented for the scalar types, `Option`, `Vec`, and (by the derives of `hbr-macros`)
/// for generated enums and request objects.
pub trait EncodeParam {
    /// Appends this value's parameters under `key` (already prefixed, e.g. `Filters.1.Key`).
    fn encode_param(&self, key: &str, location: Location, out: &mut Params);
}

/// Renders a boolean the way the official Python SDK puts it on the wire (`True`/`False`).
///
/// The service reads booleans case-insensitively; the Python rendering keeps our requests
/// byte-identical to the recorded official vectors.
pub fn render_bool(value: bool) -> &'static str {
    if value {
        "True"
    } else {
        "False"
    }
}

impl EncodeParam for String {
    fn encode_param(&self, key: &str, location: Location, out: &mut Params) {
        out.push(location, key.to_owned(), self.clone());
    }
}

impl EncodeParam for str {
    fn encode_param(&self, key: &str, location: Location, out: &mut Params) {
        out.push(location, key.to_owned(), self.to_owned());
    }
}

macro_rules! encode_int {
    ($($t:ty),*) => {$(
        impl EncodeParam for $t {
            fn encode_param(&self, key: &str, location: Location, out: &mut Params) {
                out.push(location, key.to_owned(), itoa::Buffer::new().format(*self).to_owned());
            }
        }
    )*};
}
encode_int!(i32, i64, u32, u64);

impl EncodeParam for bool {
    fn encode_param(&self, key: &str, location: Location, out: &mut Params) {
        out.push(location, key.to_owned(), render_bool(*self).to_owned());
    }
}

impl EncodeParam for f64 {
    fn encode_param(&self, key: &str, location: Location, out: &mut Params) {
        out.push(location, key.to_owned(), self.to_string());
    }
}

impl EncodeParam for serde_json::Value {
    fn encode_param(&self, key: &str, location: Location, out: &mut Params) {
        match self {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => s.encode_param(key, location, out),
            serde_json::Value::Bool(b) => b.encode_param(key, location, out),
            serde_json::Value::Number(n) => out.push(location, key.to_owned(), n.to_string()),
            serde_json::Value::Array(items) => items.encode_param(key, location, out),
            serde_json::Value::Object(map) => {
                for (name, value) in map {
                    value.encode_param(&join_key(key, name), location, out);
                }
            }
        }
    }
}

impl<T: EncodeParam> EncodeParam for Option<T> {
    fn encode_param(&self, key: &str, location: Location, out: &mut Params) {
        if let Some(value) = self {
            value.encode_param(key, location, out);
        }
    }
}

impl<T: EncodeParam> EncodeParam for Vec<T> {
    fn encode_param(&self, key: &str, location: Location, out: &mut Params) {
        self.as_slice().encode_param(key, location, out);
    }
}

impl<T: EncodeParam> EncodeParam for [T] {
    fn encode_param(&self, key: &str, location: Location, out: &mut Params) {
        let mut index = itoa::Buffer::new();
        for (i, item) in self.iter().enumerate() {
            let mut item_key = String::with_capacity(key.len() + 4);
            item_key.push_str(key);
            item_key.push('.');
            item_key.push_str(index.format(i + 1));
            item.encode_param(&item_key, location, out);
        }
    }
}

impl<T: EncodeParam + ?Sized> EncodeParam for &T {
    fn encode_param(&self, key: &str, location: Location, out: &mut Params) {
        (**self).encode_param(key, location, out);
    }
}

/// `prefix.name`, the key of an object field under its parent.
pub fn join_key(prefix: &str, name: &str) -> String {
    let mut key = String::with_capacity(prefix.len() + 1 + name.len());
    key.push_str(prefix);
    key.push('.');
    key.push_str(name);
    key
}

/// Encodes a value in the `json` style: one compact JSON string (`,`/`:` separators, no
/// spaces, non-ASCII characters kept as UTF-8), omitted when the value is absent.
///
/// ```
/// use hbr_runtime::wire::{encode_json, Location, Params};
/// let mut params = Params::default();
/// encode_json(Some(&vec!["c-1", "c-2"]), "ClientIds", Location::Query, &mut params);
/// assert_eq!(params.query[0].1, r#"["c-1","c-2"]"#);
/// ```
pub fn encode_json<T: Serialize + ?Sized>(
    value: Option<&T>,
    key: &str,
    location: Location,
    out: &mut Params,
) {
    if let Some(value) = value {
        // Serializing plain data (strings, numbers, derived structs) into a String cannot fail;
        // should a custom Serialize impl fail, the parameter is sent as JSON null rather than lost silently.
        let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
        out.push(location, key.to_owned(), text);
    }
}
