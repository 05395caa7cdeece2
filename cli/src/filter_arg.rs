//! `--filter KEY:OPERATOR:V1,V2` of `hbr restore-jobs list`: keys, operators and values in
//! their wire spelling, checked against the generated filter facts.

use hbr_client::describe_restore_jobs2::{Filter, FilterKey, Operator};
use hbr_client::facts::FilterKind;

use crate::timearg;

/// The filter keys the service documents, in their wire spelling.
const FILTER_KEYS: &[&str] = FilterKey::VALUES;

/// The filter operators the service documents.
const OPERATORS: &[&str] = Operator::VALUES;

/// One `--filter KEY:OPERATOR:V1,V2`, with the key and operator in their wire spelling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawFilter {
    key: String,
    operator: String,
    values: Vec<String>,
}

impl RawFilter {
    /// Parses `KEY:OPERATOR:V1,V2` or `KEY:V1,V2` (operator IN). Keys and operators are
    /// case-insensitive; `=`, `!=`, `>`, `>=`, `<`, `<=` stand for the comparisons. For
    /// `CompleteTime` the values may be dates or RFC 3339 times; they are sent as unix
    /// seconds.
    pub fn parse(text: &str) -> Result<Self, String> {
        let Some((key, rest)) = text.split_once(':') else {
            return Err(format!(
                "expected KEY:OPERATOR:V1,V2 (e.g. PlanId:IN:plan-1,plan-2), got {text:?}"
            ));
        };
        let key = wire_key(key.trim())?;
        let (operator, values) = match rest.split_once(':') {
            Some((op, values)) => match wire_operator(op.trim()) {
                Some(op) => (op, values),
                None => match closest_operator(op.trim()) {
                    Some(msg) => return Err(msg),
                    None => (in_operator(), rest),
                },
            },
            None => (in_operator(), rest),
        };
        let mut list: Vec<String> = values
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        if list.is_empty() {
            return Err(format!("the filter on {key} has no values"));
        }
        match Filter::FILTER_KEYS
            .iter()
            .find(|k| k.key == key)
            .map(|k| k.kind)
        {
            Some(FilterKind::Time) => {
                list = list
                    .iter()
                    .map(|v| timearg::parse(v).map(|s| s.to_string()))
                    .collect::<Result<_, _>>()?;
            }
            Some(FilterKind::Enum(known)) => {
                list = list.iter().map(|v| enum_value(known, v)).collect();
            }
            Some(FilterKind::String) | None => {}
        }
        Ok(Self {
            key,
            operator,
            values: list,
        })
    }

    /// The typed filter.
    pub fn to_filter(&self) -> Filter {
        Filter::raw(
            FilterKey::from(self.key.as_str()),
            Operator::from(self.operator.as_str()),
            self.values.iter().cloned(),
        )
    }
}

/// A value of an enum key in its wire spelling, case-insensitively; a value the SDK does not
/// know is sent upper-cased (the spelling of every documented value).
fn enum_value(known: &[&str], value: &str) -> String {
    known
        .iter()
        .find(|k| k.eq_ignore_ascii_case(value))
        .map_or_else(|| value.to_ascii_uppercase(), |k| (*k).to_owned())
}

/// A filter key in its wire spelling, case-insensitively; an unknown one suggests the closest.
fn wire_key(key: &str) -> Result<String, String> {
    if let Some(k) = FILTER_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        return Ok((*k).to_owned());
    }
    let hint = hbr_suggest::closest(key, FILTER_KEYS)
        .map(|s| format!("did you mean {s}? "))
        .unwrap_or_default();
    Err(format!(
        "unknown filter key {key:?}; {hint}keys: {}",
        FILTER_KEYS.join(", ")
    ))
}

/// `IN`, the operator of `KEY:V1,V2`, in its wire spelling.
fn in_operator() -> String {
    Operator::In.as_str().to_owned()
}

/// An operator in its wire spelling, if `op` names one.
fn wire_operator(op: &str) -> Option<String> {
    // The generated enum's variants, so the wire spelling is the spec's.
    let symbol = match op {
        "=" | "==" => Some(Operator::Equal),
        "!=" | "<>" => Some(Operator::NotEqual),
        ">" => Some(Operator::GreaterThan),
        ">=" => Some(Operator::GreaterThanOrEqual),
        "<" => Some(Operator::LessThan),
        "<=" => Some(Operator::LessThanOrEqual),
        _ => None,
    };
    if let Some(s) = symbol {
        return Some(s.as_str().to_owned());
    }
    let upper = op.to_ascii_uppercase().replace('-', "_");
    OPERATORS
        .iter()
        .find(|o| **o == upper)
        .map(|o| (*o).to_owned())
}

/// The error for a middle part that looks like a misspelled operator (not like a value).
fn closest_operator(op: &str) -> Option<String> {
    if op.is_empty() || !op.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let upper = op.to_ascii_uppercase();
    hbr_suggest::closest(&upper, OPERATORS).map(|best| {
        format!(
            "unknown operator {op:?}; did you mean {best}? operators: {}",
            OPERATORS.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_filters() {
        let f = RawFilter::parse("planid:in:p-1, p-2").ok();
        assert_eq!(
            f,
            Some(RawFilter {
                key: "PlanId".into(),
                operator: "IN".into(),
                values: vec!["p-1".into(), "p-2".into()]
            })
        );
        let f = RawFilter::parse("JobId:j-1").ok();
        assert_eq!(f.map(|f| f.operator), Some("IN".to_owned()));
        let f = RawFilter::parse("CompleteTime:between:2024-01-01,2024-01-02").ok();
        assert_eq!(
            f.map(|f| f.values),
            Some(vec!["1704067200".to_owned(), "1704153600".to_owned()])
        );
        let f = RawFilter::parse("CompleteTime:>=:2024-01-01T00:00:00Z").ok();
        assert_eq!(
            f.map(|f| (f.operator, f.values)),
            Some((
                "GREATER_THAN_OR_EQUAL".to_owned(),
                vec!["1704067200".to_owned()]
            ))
        );
        assert!(RawFilter::parse("Vault:IN:v-1").is_err_and(|e| e.contains("did you mean VaultId")));
        assert!(
            RawFilter::parse("VaultId:EQUALS:v-1").is_err_and(|e| e.contains("did you mean EQUAL"))
        );
        let f = RawFilter::parse("status:in:complete,Partial_Complete,weird").ok();
        assert_eq!(
            f.map(|f| f.values),
            Some(vec![
                "COMPLETE".to_owned(),
                "PARTIAL_COMPLETE".to_owned(),
                "WEIRD".to_owned()
            ])
        );
        assert!(RawFilter::parse("VaultId").is_err());
        assert!(RawFilter::parse("VaultId:IN:").is_err());
    }
}
