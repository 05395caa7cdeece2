//! How response strings are held.
//!
//! [`Text`] holds a plain response string; up to 23 bytes (ids, names, states: most of the
//! strings of a page) it lives inline, without an allocation of its own.
//!
//! [`JsonText`] keeps a JSON-carrying string (`UdmDetail`, `FailbackDetail`, `Options`, …) as
//! the raw JSON literal it arrived as and unescapes it only when it is first read: parsing a
//! page then costs a scan and a copy of those (large, heavily escaped) strings instead of
//! unescaping every one of them, and code that never looks at them never pays for it.
//! [`to_json_writer`] writes them back out as received, without unescaping them at all.

use std::cell::Cell;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::io;
use std::sync::OnceLock;

use serde::de::Deserializer;
use serde::ser::{Serialize, Serializer};
use serde_json::value::RawValue;
use smol_str::SmolStr;

use crate::de::{FromWire, TextVisitor};

/// `Deref<Target = str>`, `AsRef<str>`, `Debug` and `Display` of a string type, all through
/// its `as_str`.
macro_rules! str_like {
    ($t:ty) => {
        impl std::ops::Deref for $t {
            type Target = str;
            fn deref(&self) -> &str {
                self.as_str()
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A response string: inline up to 23 bytes, shared on the heap beyond; cheap to clone.
///
/// It reads like a `&str` (it derefs to one); equality, hashing and serialization are those
/// of the text.
///
/// ```
/// use hbr_runtime::de::Wire;
/// use hbr_runtime::text::Text;
///
/// let Wire(t) = serde_json::from_str::<Wire<Text>>(r#""r-0001""#).unwrap();
/// assert_eq!(t.as_str(), "r-0001");
/// assert_eq!(t, Text::from("r-0001"));
/// // A number where a string is documented is kept as its text.
/// assert_eq!(serde_json::from_str::<Wire<Text>>("42").unwrap().0.as_str(), "42");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(SmolStr);

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Self(SmolStr::new(text))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self(SmolStr::from(text))
    }
}

str_like!(Text);

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> FromWire<'de> for Text {
    #[inline]
    fn from_wire<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // As `String` reads: numbers and booleans are kept as their text.
        deserializer.deserialize_any(TextVisitor::new())
    }
}

/// A response string that carries JSON, unescaped on first read.
///
/// It reads like a `&str` (it derefs to one); equality, hashing and serialization are those
/// of the text.
///
/// ```
/// use hbr_runtime::de::Wire;
/// use hbr_runtime::text::JsonText;
///
/// let Wire(t) = serde_json::from_str::<Wire<JsonText>>(r#""{\"doCopy\":true}""#).unwrap();
/// assert_eq!(t.as_str(), r#"{"doCopy":true}"#);
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#""{\"doCopy\":true}""#);
/// assert_eq!(JsonText::from("[1]"), JsonText::from(String::from("[1]")));
/// ```
#[derive(Clone, Default)]
pub struct JsonText {
    /// The JSON value as received: normally a string literal, quotes included. `null` when
    /// the text was given directly.
    raw: Box<RawValue>,
    /// The text, once unescaped (or given directly).
    text: OnceLock<Box<str>>,
}

impl JsonText {
    /// The text.
    pub fn as_str(&self) -> &str {
        if let Some(t) = self.text.get() {
            return t;
        }
        let raw = self.raw.get();
        match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            // No escapes: the text is the literal's inside, nothing to keep.
            Some(inner) if !inner.contains('\\') => inner,
            Some(inner) => self.text.get_or_init(|| {
                serde_json::from_str::<String>(raw)
                    .map(String::into_boxed_str)
                    .unwrap_or_else(|_| inner.into())
            }),
            // A JSON value other than a string (a number, or the carried JSON sent unquoted):
            // its text is what the string would have held.
            None => raw,
        }
    }
}

impl From<String> for JsonText {
    fn from(text: String) -> Self {
        Self {
            raw: Box::default(),
            text: OnceLock::from(text.into_boxed_str()),
        }
    }
}

impl From<&str> for JsonText {
    fn from(text: &str) -> Self {
        Self::from(text.to_owned())
    }
}

str_like!(JsonText);

thread_local! {
    /// Set while [`to_json_writer`] runs on this thread.
    static COPY_RAW: Cell<bool> = const { Cell::new(false) };
}

impl Serialize for JsonText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if COPY_RAW.with(Cell::get) && self.raw.get().starts_with('"') {
            // The string literal as received: serde_json's writer copies it verbatim.
            return self.raw.serialize(serializer);
        }
        serializer.serialize_str(self.as_str())
    }
}

/// Writes `value` as compact JSON, like `serde_json::to_writer`, except that every
/// [`JsonText`] that arrived as a JSON string literal is copied as received instead of being
/// unescaped and escaped again. The output is the same JSON (a string may keep escapes
/// the service chose, such as `\/` or `\u00e9`, where serde_json would write `/` or `é`).
///
/// ```
/// use hbr_runtime::de::Wire;
/// use hbr_runtime::text::{to_json_writer, JsonText};
///
/// let Wire(t) = serde_json::from_str::<Wire<JsonText>>(r#""{\"path\":\"\/a\"}""#).unwrap();
/// let mut out = Vec::new();
/// to_json_writer(&mut out, &t).unwrap();
/// assert_eq!(out, br#""{\"path\":\"\/a\"}""#);
/// // Everywhere else it serializes its text.
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#""{\"path\":\"/a\"}""#);
/// ```
pub fn to_json_writer<W: io::Write, T: Serialize + ?Sized>(
    writer: W,
    value: &T,
) -> serde_json::Result<()> {
    /// Puts the flag back as it was, also when serializing panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            COPY_RAW.with(|f| f.set(self.0));
        }
    }
    let _restore = Restore(COPY_RAW.with(|f| f.replace(true)));
    serde_json::to_writer(writer, value)
}

impl PartialEq for JsonText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for JsonText {}

impl Hash for JsonText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl<'de> FromWire<'de> for JsonText {
    #[inline]
    fn from_wire<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: Box<RawValue> = serde::Deserialize::deserialize(deserializer)?;
        Ok(Self {
            raw,
            text: OnceLock::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::de::Wire;

    fn read(json: &str) -> JsonText {
        serde_json::from_str::<Wire<JsonText>>(json).unwrap().0
    }

    #[test]
    fn unescapes_on_first_read_only_when_needed() {
        let plain = read(r#""[\"/a\"]""#);
        assert!(plain.text.get().is_none());
        assert_eq!(plain.as_str(), r#"["/a"]"#);
        assert!(plain.text.get().is_some());
        let no_escape = read(r#""abc""#);
        assert_eq!(no_escape.as_str(), "abc");
        assert!(no_escape.text.get().is_none());
        assert_eq!(read(r#""\u00e9\n""#).as_str(), "é\n");
    }

    #[test]
    fn non_string_values_keep_their_json_text() {
        assert_eq!(read("12").as_str(), "12");
        assert_eq!(read(r#"{"a": [1, 2]}"#).as_str(), r#"{"a": [1, 2]}"#);
        assert_eq!(read("true").as_str(), "true");
    }

    #[test]
    fn equality_hash_and_serialization_follow_the_text() {
        let a = read(r#""{\"k\":1}""#);
        let b = JsonText::from(r#"{"k":1}"#);
        assert_eq!(a, b);
        let hash = |t: &JsonText| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            t.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&a), hash(&b));
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        assert_eq!(format!("{a:?}"), format!("{:?}", r#"{"k":1}"#));
        let Wire(back) =
            serde_json::from_value::<Wire<JsonText>>(serde_json::to_value(&a).unwrap()).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn text_reads_strings_and_scalars_like_string_does() {
        for json in [
            r#""short""#,
            r#""a string longer than twenty-three bytes""#,
            r#""\u00e9""#,
            "7",
            "-7",
            "1.5",
            "true",
        ] {
            let Wire(t) = serde_json::from_str::<Wire<Text>>(json).unwrap();
            let Wire(s) = serde_json::from_str::<Wire<String>>(json).unwrap();
            assert_eq!(t.as_str(), s, "{json}");
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                serde_json::to_string(&s).unwrap()
            );
        }
        assert!(serde_json::from_str::<Wire<Text>>("[1]").is_err());
        assert!(serde_json::from_str::<Wire<Text>>("{}").is_err());
    }

    #[test]
    fn the_raw_writer_copies_string_literals_and_nothing_else() {
        #[derive(serde::Serialize)]
        struct Job {
            a: JsonText,
            b: JsonText,
            c: JsonText,
            d: Text,
        }
        let job = Job {
            a: read(r#""{\"x\":\"\u00e9\/\"}""#),
            b: read("12"),
            c: JsonText::from(r#"{"given":"directly"}"#),
            d: Text::from("r-1"),
        };
        let mut raw = Vec::new();
        to_json_writer(&mut raw, &job).unwrap();
        assert_eq!(
            String::from_utf8(raw.clone()).unwrap(),
            r#"{"a":"{\"x\":\"\u00e9\/\"}","b":"12","c":"{\"given\":\"directly\"}","d":"r-1"}"#
        );
        // The same JSON value as the ordinary writer's.
        let plain = serde_json::to_vec(&job).unwrap();
        assert_ne!(raw, plain);
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&raw).unwrap(),
            serde_json::from_slice::<serde_json::Value>(&plain).unwrap()
        );
        // The flag does not outlive the call.
        assert_eq!(serde_json::to_vec(&job).unwrap(), plain);
    }

    #[test]
    fn broken_json_is_an_error_not_a_panic() {
        assert!(serde_json::from_str::<Wire<JsonText>>(r#""abc"#).is_err());
        assert!(serde_json::from_str::<Wire<JsonText>>(r#""\x""#).is_err());
    }
}
