//! Typed filter keys for list operations that filter with `Key` / `Operator` / `Values`.
//!
//! A generated filter type offers one constructor per key, returning one of these key types;
//! each offers exactly the comparisons that fit its key, so that a filter the service would
//! refuse does not compile:
//!
//! - [`StringKey`]: identifiers and names; `equal`, `not_equal`, `is_in`.
//! - [`EnumKey`]: a key whose values are a generated enum; the same three, typed.
//! - [`TimeKey`]: unix-second times; the comparisons and `between`, never `IN`.

use std::marker::PhantomData;

use crate::timestamp::IntoUnixSeconds;

/// Builds a filter value from its wire parts. Implemented by generated filter types.
pub trait FromFilterParts: Sized {
    /// The filter `key operator values`.
    fn from_filter_parts(key: &'static str, operator: &'static str, values: Vec<String>) -> Self;
}

/// A filter key whose values are strings.
#[derive(Clone, Copy, Debug)]
pub struct StringKey<F> {
    key: &'static str,
    marker: PhantomData<fn() -> F>,
}

impl<F: FromFilterParts> StringKey<F> {
    /// The key with this wire name.
    pub const fn new(key: &'static str) -> Self {
        Self {
            key,
            marker: PhantomData,
        }
    }

    /// Matches items whose value equals `value`.
    pub fn equal(self, value: impl Into<String>) -> F {
        F::from_filter_parts(self.key, "EQUAL", vec![value.into()])
    }

    /// Matches items whose value differs from `value`.
    pub fn not_equal(self, value: impl Into<String>) -> F {
        F::from_filter_parts(self.key, "NOT_EQUAL", vec![value.into()])
    }

    /// Matches items whose value is one of `values`.
    pub fn is_in(self, values: impl IntoIterator<Item = impl Into<String>>) -> F {
        F::from_filter_parts(self.key, "IN", values.into_iter().map(Into::into).collect())
    }
}

/// A filter key whose values are a generated enum `E`.
#[derive(Clone, Copy, Debug)]
pub struct EnumKey<F, E> {
    key: &'static str,
    marker: PhantomData<fn() -> (F, E)>,
}

impl<F: FromFilterParts, E: AsRef<str>> EnumKey<F, E> {
    /// The key with this wire name.
    pub const fn new(key: &'static str) -> Self {
        Self {
            key,
            marker: PhantomData,
        }
    }

    /// Matches items whose value is `value`.
    pub fn equal(self, value: E) -> F {
        F::from_filter_parts(self.key, "EQUAL", vec![value.as_ref().to_owned()])
    }

    /// Matches items whose value is not `value`.
    pub fn not_equal(self, value: E) -> F {
        F::from_filter_parts(self.key, "NOT_EQUAL", vec![value.as_ref().to_owned()])
    }

    /// Matches items whose value is one of `values`.
    pub fn is_in(self, values: impl IntoIterator<Item = E>) -> F {
        F::from_filter_parts(
            self.key,
            "IN",
            values.into_iter().map(|v| v.as_ref().to_owned()).collect(),
        )
    }
}

/// A filter key whose values are points in time, sent as unix seconds.
#[derive(Clone, Copy, Debug)]
pub struct TimeKey<F> {
    key: &'static str,
    marker: PhantomData<fn() -> F>,
}

fn secs(t: impl IntoUnixSeconds) -> String {
    t.into_unix_seconds().to_string()
}

impl<F: FromFilterParts> TimeKey<F> {
    /// The key with this wire name.
    pub const fn new(key: &'static str) -> Self {
        Self {
            key,
            marker: PhantomData,
        }
    }

    /// Matches items at exactly `t`.
    pub fn equal(self, t: impl IntoUnixSeconds) -> F {
        F::from_filter_parts(self.key, "EQUAL", vec![secs(t)])
    }

    /// Matches items not at `t`.
    pub fn not_equal(self, t: impl IntoUnixSeconds) -> F {
        F::from_filter_parts(self.key, "NOT_EQUAL", vec![secs(t)])
    }

    /// Matches items after `t`.
    pub fn greater_than(self, t: impl IntoUnixSeconds) -> F {
        F::from_filter_parts(self.key, "GREATER_THAN", vec![secs(t)])
    }

    /// Matches items at or after `t`.
    pub fn greater_than_or_equal(self, t: impl IntoUnixSeconds) -> F {
        F::from_filter_parts(self.key, "GREATER_THAN_OR_EQUAL", vec![secs(t)])
    }

    /// Matches items before `t`.
    pub fn less_than(self, t: impl IntoUnixSeconds) -> F {
        F::from_filter_parts(self.key, "LESS_THAN", vec![secs(t)])
    }

    /// Matches items at or before `t`.
    pub fn less_than_or_equal(self, t: impl IntoUnixSeconds) -> F {
        F::from_filter_parts(self.key, "LESS_THAN_OR_EQUAL", vec![secs(t)])
    }

    /// Matches items from `min` to `max`, both included.
    pub fn between(self, min: impl IntoUnixSeconds, max: impl IntoUnixSeconds) -> F {
        F::from_filter_parts(self.key, "BETWEEN", vec![secs(min), secs(max)])
    }
}
