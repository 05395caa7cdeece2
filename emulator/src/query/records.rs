//! Listing stored records (vaults, plans, backup jobs, snapshots, policies, bindings):
//! conditions on their fields, as the `Filters` and `Query` parameters of the list
//! operations give them, and the API's two ways of paging.
//!
//! A condition names a field of the record (or an attribute kept beside it, such as a
//! region) and compares it with values: `IN` / `NOT_IN` (one of the values or none of them),
//! `EQUAL` / `NOT_EQUAL` (one value), the comparisons `GREATER_THAN`,
//! `GREATER_THAN_OR_EQUAL`, `LESS_THAN`, `LESS_THAN_OR_EQUAL` (one integer value) and
//! `BETWEEN` (two integer values, inclusive). Operator names are the wire values of the
//! generated `Operator` enum of the `Describe*2` filters.

use serde_json::Value;

use hbr_client::describe_restore_jobs2::Operator;
use hbr_client::facts::{Param, Scalar};

use super::filter::between_values;
use crate::error::ApiError;
use crate::params::not_one_of;
use crate::store::Record;

/// A record as listed, with the attributes conditions may read beside its fields.
#[derive(Clone, Debug, Default)]
pub(crate) struct Listed {
    /// What the answer shows.
    pub(crate) record: Record,
    /// What conditions read too, not shown.
    pub(crate) extra: Record,
}

impl Listed {
    /// A record without extra attributes.
    pub(crate) fn of(record: Record) -> Self {
        Self {
            record,
            extra: Record::new(),
        }
    }

    fn field(&self, name: &str) -> Option<&Value> {
        self.record.get(name).or_else(|| self.extra.get(name))
    }
}

/// What a condition tests.
#[derive(Clone, Debug)]
enum Test {
    /// The field's text is (or, negated, is not) one of the values.
    Among { values: Vec<String>, negate: bool },
    /// The field's integer lies in the inclusive range.
    Range { lo: i64, hi: i64 },
}

/// One condition on a field.
#[derive(Clone, Debug)]
pub(crate) struct Condition {
    field: String,
    test: Test,
}

/// The text of a field as values compare with it: a string as is, a number or a boolean
/// as written in JSON.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
        _ => None,
    }
}

fn integer_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The operator wire value `NOT_IN`, which `SearchHistoricalSnapshots` queries also take.
pub(crate) const NOT_IN: &str = "NOT_IN";

impl Condition {
    /// `field` compared by `operator` (`IN` when `None`) with `values`; `path` is the wire
    /// path of the filter, which errors name (`Filters.1`).
    pub(crate) fn new(
        field: &str,
        operator: Option<&str>,
        values: Vec<String>,
        path: &str,
    ) -> Result<Self, ApiError> {
        let values_path = format!("{path}.Values");
        let operator_path = format!("{path}.Operator");
        let op = operator.unwrap_or(Operator::In.as_str());
        let one = |values: &[String]| match values {
            [v] => Ok(v.clone()),
            _ => Err(ApiError::invalid_parameter(
                &values_path,
                format!("{op} takes exactly one value, got {}", values.len()),
            )),
        };
        let int = |v: &str| {
            v.parse::<i64>().map_err(|_| {
                ApiError::invalid_parameter(
                    &values_path,
                    format!("{v:?} is not an integer ({op} compares integers)"),
                )
            })
        };
        if values.is_empty() {
            return Err(ApiError::missing_parameter(&values_path));
        }
        let test = match Operator::from_wire(op) {
            Operator::In => Test::Among {
                values,
                negate: false,
            },
            Operator::Equal => Test::Among {
                values: vec![one(&values)?],
                negate: false,
            },
            Operator::NotEqual => Test::Among {
                values: vec![one(&values)?],
                negate: true,
            },
            Operator::GreaterThan => Test::Range {
                lo: int(&one(&values)?)?.saturating_add(1),
                hi: i64::MAX,
            },
            Operator::GreaterThanOrEqual => Test::Range {
                lo: int(&one(&values)?)?,
                hi: i64::MAX,
            },
            Operator::LessThan => Test::Range {
                lo: i64::MIN,
                hi: int(&one(&values)?)?.saturating_sub(1),
            },
            Operator::LessThanOrEqual => Test::Range {
                lo: i64::MIN,
                hi: int(&one(&values)?)?,
            },
            Operator::Between => match between_values(&values).as_deref() {
                Some([lo, hi]) => Test::Range {
                    lo: int(lo)?,
                    hi: int(hi)?,
                },
                _ => {
                    return Err(ApiError::invalid_parameter(
                        &values_path,
                        "BETWEEN takes two values, the lower and the upper bound",
                    ))
                }
            },
            _ if op == NOT_IN => Test::Among {
                values,
                negate: true,
            },
            _ => return Err(not_one_of(&operator_path, op, Operator::VALUES)),
        };
        Ok(Self {
            field: field.to_owned(),
            test,
        })
    }

    /// Whether `listed` meets the condition. A field the record lacks meets only negated
    /// tests.
    pub(crate) fn matches(&self, listed: &Listed) -> bool {
        let value = listed.field(&self.field);
        match &self.test {
            Test::Among { values, negate } => {
                let found = value.and_then(text_of).is_some_and(|t| values.contains(&t));
                found != *negate
            }
            Test::Range { lo, hi } => value
                .and_then(integer_of)
                .is_some_and(|n| (*lo..=*hi).contains(&n)),
        }
    }
}

/// Whether `listed` meets every condition.
pub(crate) fn all_match(conditions: &[Condition], listed: &Listed) -> bool {
    conditions.iter().all(|c| c.matches(listed))
}

/// The integer default the spec gives `param` (`fallback` when it gives none).
pub(crate) fn default_of(param: Param, fallback: i64) -> i64 {
    match param.default {
        Some(Scalar::Int(n)) => n,
        _ => fallback,
    }
}

/// Page `number` (from 1) of `size` items.
pub(crate) fn page<T>(items: Vec<T>, number: i64, size: i64) -> Vec<T> {
    let size = usize::try_from(size).unwrap_or(0);
    let skip = usize::try_from(number.saturating_sub(1))
        .unwrap_or(0)
        .saturating_mul(size);
    items.into_iter().skip(skip).take(size).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn listed(v: Value) -> Listed {
        match v {
            Value::Object(m) => Listed::of(m),
            _ => Listed::default(),
        }
    }

    fn cond(field: &str, op: Option<&str>, values: &[&str]) -> Result<Condition, ApiError> {
        Condition::new(
            field,
            op,
            values.iter().map(|v| (*v).to_owned()).collect(),
            "Filters.1",
        )
    }

    #[test]
    fn conditions_compare_text_and_integers() {
        let r = listed(json!({"Status": "COMPLETE", "CompleteTime": 100, "Size": "7"}));
        let yes = |f, op, v: &[&str]| cond(f, op, v).unwrap().matches(&r);
        assert!(yes("Status", None, &["FAILED", "COMPLETE"]));
        assert!(!yes("Status", Some("NOT_EQUAL"), &["COMPLETE"]));
        assert!(yes("Status", Some("NOT_IN"), &["FAILED"]));
        assert!(yes("CompleteTime", Some("EQUAL"), &["100"]));
        assert!(yes("CompleteTime", Some("GREATER_THAN_OR_EQUAL"), &["100"]));
        assert!(!yes("CompleteTime", Some("GREATER_THAN"), &["100"]));
        assert!(yes("CompleteTime", Some("LESS_THAN"), &["101"]));
        assert!(yes("CompleteTime", Some("BETWEEN"), &["100", "200"]));
        assert!(!yes("CompleteTime", Some("BETWEEN"), &["101", "200"]));
        assert!(yes("Size", Some("LESS_THAN_OR_EQUAL"), &["7"]));
        // A field the record lacks.
        assert!(!yes("Nope", None, &["x"]));
        assert!(yes("Nope", Some("NOT_EQUAL"), &["x"]));
    }

    #[test]
    fn malformed_conditions_name_their_part() {
        let e = cond("T", Some("LIKE"), &["x"]).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("Filters.1.Operator"));
        let e = cond("T", Some("EQUAL"), &["a", "b"]).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("Filters.1.Values"));
        let e = cond("T", Some("GREATER_THAN"), &["soon"]).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("Filters.1.Values"));
        let e = cond("T", None, &[]).unwrap_err();
        assert_eq!(e.code, "MissingParameter");
    }

    #[test]
    fn pages_and_tokens() {
        let items: Vec<u32> = (1..=7).collect();
        assert_eq!(page(items.clone(), 2, 3), [4, 5, 6]);
        assert_eq!(page(items.clone(), 3, 3), [7]);
        assert!(page(items, 4, 3).is_empty());
    }
}
