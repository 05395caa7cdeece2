//! Checking a request against its documented constraints before anything is sent.

use std::borrow::Cow;
use std::fmt;

/// One broken constraint: which parameter, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The parameter's wire path, e.g. `PageSize` or `Filters.2.Values`.
    pub parameter: String,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.parameter, self.message)
    }
}

/// A request that breaks one or more documented constraints; nothing was sent.
///
/// ```
/// use hbr_runtime::validate::{ValidationError, Violation};
/// let err = ValidationError::new(vec![Violation {
///     parameter: "PageSize".into(),
///     message: "must be at most 99, got 100".into(),
/// }]);
/// assert_eq!(err.to_string(), "invalid parameter PageSize: must be at most 99, got 100");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// Wraps the violations found (at least one).
    pub fn new(violations: Vec<Violation>) -> Self {
        Self { violations }
    }

    /// One violation.
    pub fn single(parameter: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(vec![Violation {
            parameter: parameter.into(),
            message: message.into(),
        }])
    }

    /// Every violation found, in parameter order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The wire path of the first offending parameter.
    pub fn parameter(&self) -> &str {
        self.violations.first().map_or("", |v| v.parameter.as_str())
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.violations.as_slice() {
            [] => f.write_str("invalid request"),
            [one] => write!(f, "invalid parameter {one}"),
            [first, rest @ ..] => {
                write!(f, "invalid parameter {first}")?;
                for v in rest {
                    write!(f, "; {v}")?;
                }
                Ok(())
            }
        }
    }
}

/// A value whose documented constraints can be checked.
///
/// Implemented (as "nothing to check") for scalars, recursively for `Option` and `Vec`, and by
/// the request derive for request objects, which check their fields and rules.
pub trait Validate {
    /// Whether values of this type can break a constraint on their own (objects with fields).
    const NESTED: bool = false;

    /// Appends every violation found under the wire path `path`.
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        let _ = (path, out);
    }

    /// Checks the value as a whole request (path empty).
    fn validate(&self) -> Result<(), ValidationError> {
        let mut out = Vec::new();
        self.validate_into("", &mut out);
        if out.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(out))
        }
    }
}

macro_rules! leaf {
    ($($t:ty),*) => {$( impl Validate for $t {} )*};
}
leaf!(String, i32, i64, u32, u64, bool, f64, serde_json::Value);

impl<T: Validate> Validate for Option<T> {
    const NESTED: bool = T::NESTED;
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        if T::NESTED {
            if let Some(v) = self {
                v.validate_into(path, out);
            }
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    const NESTED: bool = T::NESTED;
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        if T::NESTED {
            for (i, item) in self.iter().enumerate() {
                item.validate_into(&format!("{path}.{}", i + 1), out);
            }
        }
    }
}

/// `parent.name`, or `name` at the top level.
pub fn child_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// Checks an integer against inclusive bounds.
pub fn check_range(
    value: Option<i64>,
    min: Option<i64>,
    max: Option<i64>,
    path: &str,
    name: &str,
    out: &mut Vec<Violation>,
) {
    let Some(v) = value else { return };
    let message = match (min, max) {
        (Some(lo), Some(hi)) if v < lo || v > hi => {
            format!("must be between {lo} and {hi}, got {v}")
        }
        (Some(lo), None) if v < lo => format!("must be at least {lo}, got {v}"),
        (None, Some(hi)) if v > hi => format!("must be at most {hi}, got {v}"),
        _ => return,
    };
    out.push(Violation {
        parameter: child_path(path, name),
        message,
    });
}

/// Checks a string's length in characters.
pub fn check_length(
    value: Option<&str>,
    min: Option<usize>,
    max: Option<usize>,
    path: &str,
    name: &str,
    out: &mut Vec<Violation>,
) {
    let Some(v) = value else { return };
    let len = v.chars().count();
    let message = match (min, max) {
        (Some(lo), _) if len < lo => format!("must be at least {lo} characters long, got {len}"),
        (_, Some(hi)) if len > hi => format!("must be at most {hi} characters long, got {len}"),
        _ => return,
    };
    out.push(Violation {
        parameter: child_path(path, name),
        message,
    });
}

/// Checks the number of items of an array.
pub fn check_items<T>(
    value: Option<&[T]>,
    min: Option<usize>,
    max: Option<usize>,
    path: &str,
    name: &str,
    out: &mut Vec<Violation>,
) {
    let Some(v) = value else { return };
    let len = v.len();
    let message = match (min, max) {
        (Some(lo), _) if len < lo => format!("must have at least {lo} items, got {len}"),
        (_, Some(hi)) if len > hi => format!("must have at most {hi} items, got {len}"),
        _ => return,
    };
    out.push(Violation {
        parameter: child_path(path, name),
        message,
    });
}

/// Checks that a string matches a pattern (anchored at both ends).
pub fn check_pattern(
    value: Option<&str>,
    pattern: &'static str,
    regex: &'static std::sync::OnceLock<Option<regex_lite::Regex>>,
    path: &str,
    name: &str,
    out: &mut Vec<Violation>,
) {
    let Some(v) = value else { return };
    let compiled = regex.get_or_init(|| regex_lite::Regex::new(&format!("^(?:{pattern})$")).ok());
    let matches = compiled.as_ref().is_some_and(|re| re.is_match(v));
    if !matches {
        out.push(Violation {
            parameter: child_path(path, name),
            message: format!("must match the pattern {pattern}"),
        });
    }
}

/// Reports a missing required parameter.
pub fn check_required(present: bool, path: &str, name: &str, out: &mut Vec<Violation>) {
    if !present {
        out.push(Violation {
            parameter: child_path(path, name),
            message: "is required".to_owned(),
        });
    }
}

/// A value as the string a cross-field rule compares (its wire form).
pub trait RuleValue {
    /// The wire form of the value.
    fn rule_value(&self) -> Cow<'_, str>;

    /// Whether the value is one the spec documents (a known enum value, a boolean): only
    /// such a value can contradict an `only_when` condition. Free-form values cannot.
    fn rule_known(&self) -> bool {
        false
    }
}

impl RuleValue for String {
    fn rule_value(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl RuleValue for bool {
    fn rule_value(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }

    fn rule_known(&self) -> bool {
        true
    }
}

macro_rules! rule_int {
    ($($t:ty),*) => {$(
        impl RuleValue for $t {
            fn rule_value(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
rule_int!(i32, i64, u32, u64);

/// The effective value of a field for a rule: its own value, or the documented default.
pub fn effective<'a, T: RuleValue>(
    value: Option<&'a T>,
    default: Option<&'static str>,
) -> Option<Cow<'a, str>> {
    match value {
        Some(v) => Some(v.rule_value()),
        None => default.map(Cow::Borrowed),
    }
}

/// Whether a field's effective value contradicts an `only_when` condition or a `one_of` list:
/// it is a documented
/// value (a known enum value, a boolean, or the documented default when the field is absent)
/// and not one of `allowed`. An absent field without a default, and a value the spec does not
/// know (an enum's `Unknown`), contradict nothing: the documentation does not speak of them.
///
/// ```
/// use hbr_runtime::validate::contradicts;
/// assert!(contradicts(Some(&false), None, &["true"]));
/// assert!(!contradicts(Some(&true), None, &["true"]));
/// assert!(!contradicts::<bool>(None, None, &["true"]));
/// assert!(contradicts::<bool>(None, Some("false"), &["true"]));
/// // A free-form string is never known, so it never contradicts.
/// assert!(!contradicts(Some(&String::from("x")), None, &["y"]));
/// ```
pub fn contradicts<T: RuleValue>(
    value: Option<&T>,
    default: Option<&'static str>,
    allowed: &[&str],
) -> bool {
    match value {
        Some(v) => v.rule_known() && !allowed.contains(&v.rule_value().as_ref()),
        None => default.is_some_and(|d| !allowed.contains(&d)),
    }
}

/// Whether an effective value is one of `choices` (absent values match nothing).
pub fn is_one_of(value: &Option<Cow<'_, str>>, choices: &[&str]) -> bool {
    value.as_deref().is_some_and(|v| choices.contains(&v))
}

/// Records a rule violation on a field.
pub fn rule_violation(path: &str, name: &str, message: &str, out: &mut Vec<Violation>) {
    out.push(Violation {
        parameter: child_path(path, name),
        message: message.to_owned(),
    });
}

pub use regex_lite::Regex;
