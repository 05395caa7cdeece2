//! The `Reader`: one typed value at a time out of the YAML, each problem recorded with its
//! place instead of stopping.

use serde_yaml::{Mapping, Value};

use crate::error::{Location, SpecError};
use crate::model::Scalar;
use crate::source::{NodePath, Seg, Source};

/// Reads typed values and collects the problems found on the way.
#[derive(Default)]
pub(super) struct Reader {
    /// Every problem so far.
    pub(super) errors: Vec<SpecError>,
}

pub(super) fn child(path: &[Seg], key: &str) -> NodePath {
    let mut p = path.to_vec();
    p.push(Seg::Key(key.to_owned()));
    p
}

pub(super) fn index(path: &[Seg], i: usize) -> NodePath {
    let mut p = path.to_vec();
    p.push(Seg::Index(i));
    p
}

pub(super) fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

pub(super) fn suggest(name: &str, valid: &[&str]) -> String {
    match hbr_suggest::closest(name, valid) {
        Some(c) => format!("did you mean `{c}`? valid keys: {}", valid.join(", ")),
        None => format!("valid keys: {}", valid.join(", ")),
    }
}

impl Reader {
    pub(super) fn err(&mut self, location: Location, message: impl Into<String>) {
        self.errors.push(SpecError {
            location,
            message: message.into(),
        });
    }

    /// The value as a mapping whose keys are all strings among `valid`.
    pub(super) fn mapping<'v>(
        &mut self,
        src: &Source,
        v: &'v Value,
        path: &[Seg],
        place: &str,
        valid: &[&str],
    ) -> Option<&'v Mapping> {
        let Value::Mapping(map) = v else {
            self.err(
                src.value_location(path),
                format!("{place} must be a mapping, found {}", describe(v)),
            );
            return None;
        };
        for key in map.keys() {
            match key.as_str() {
                Some(k) if valid.contains(&k) => {}
                Some(k) => {
                    let loc = src.key_location(&child(path, k));
                    self.err(
                        loc,
                        format!("unknown key `{k}` in {place}; {}", suggest(k, valid)),
                    );
                }
                None => self.err(
                    src.value_location(path),
                    format!("{place} has a key that is not a string ({})", describe(key)),
                ),
            }
        }
        Some(map)
    }

    /// The entries of a mapping used as a name → value table, in written order.
    pub(super) fn table<'v>(
        &mut self,
        src: &Source,
        v: &'v Value,
        path: &[Seg],
        place: &str,
    ) -> Vec<(String, &'v Value, NodePath)> {
        let Value::Mapping(map) = v else {
            self.err(
                src.value_location(path),
                format!(
                    "{place} must be a mapping of names to entries, found {}",
                    describe(v)
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, val) in map {
            match k.as_str() {
                Some(name) => out.push((name.to_owned(), val, child(path, name))),
                None => self.err(
                    src.value_location(path),
                    format!("{place}: names must be strings, found {}", describe(k)),
                ),
            }
        }
        out
    }

    pub(super) fn string(
        &mut self,
        src: &Source,
        map: &Mapping,
        path: &[Seg],
        key: &str,
        required: bool,
        place: &str,
    ) -> Option<String> {
        match map.get(key) {
            None => {
                if required {
                    self.err(
                        src.value_location(path),
                        format!("{place} needs `{key}` (a string)"),
                    );
                }
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.err(
                    src.value_location(&child(path, key)),
                    format!("`{key}` must be a string, found {}", describe(other)),
                );
                None
            }
        }
    }

    pub(super) fn bool(
        &mut self,
        src: &Source,
        map: &Mapping,
        path: &[Seg],
        key: &str,
    ) -> Option<bool> {
        match map.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.err(
                    src.value_location(&child(path, key)),
                    format!("`{key}` must be true or false, found {}", describe(other)),
                );
                None
            }
        }
    }

    pub(super) fn int(
        &mut self,
        src: &Source,
        map: &Mapping,
        path: &[Seg],
        key: &str,
    ) -> Option<i64> {
        match map.get(key)? {
            Value::Number(n) if n.is_i64() => n.as_i64(),
            other => {
                self.err(
                    src.value_location(&child(path, key)),
                    format!("`{key}` must be an integer, found {}", describe(other)),
                );
                None
            }
        }
    }

    pub(super) fn count(
        &mut self,
        src: &Source,
        map: &Mapping,
        path: &[Seg],
        key: &str,
    ) -> Option<u64> {
        match map.get(key)? {
            Value::Number(n) if n.is_u64() => n.as_u64(),
            other => {
                self.err(
                    src.value_location(&child(path, key)),
                    format!(
                        "`{key}` must be a non-negative integer, found {}",
                        describe(other)
                    ),
                );
                None
            }
        }
    }

    pub(super) fn scalar(
        &mut self,
        src: &Source,
        v: &Value,
        path: &[Seg],
        what: &str,
    ) -> Option<Scalar> {
        match v {
            Value::String(s) => Some(Scalar::Str(s.clone())),
            Value::Bool(b) => Some(Scalar::Bool(*b)),
            Value::Number(n) if n.is_i64() => n.as_i64().map(Scalar::Int),
            other => {
                self.err(
                    src.value_location(path),
                    format!(
                        "{what} must be a string, an integer or a boolean, found {}",
                        describe(other)
                    ),
                );
                None
            }
        }
    }

    pub(super) fn scalars(
        &mut self,
        src: &Source,
        v: &Value,
        path: &[Seg],
        what: &str,
    ) -> Vec<Scalar> {
        match v {
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.scalar(src, item, &index(path, i), what))
                .collect(),
            other => self.scalar(src, other, path, what).into_iter().collect(),
        }
    }
}
