//! For every HBR operation, with every parameter filled, and for hand-written cases of
//! particular shapes (query scalars, form-body scalars, `repeatList` and `flat` arrays in the
//! query and in the body, `json` ("shrink") parameters in the query and in the body), the wire
//! parameters our generated client encodes for an API-shaped input equal those the official
//! Python SDK sent for the same input.
//!
//! The expected data, `tests/vectors/official_sdk_operations.json`, is recorded by
//! `scripts/record_official_vectors.py` from the official SDK against a local server, every
//! case under both signatures (V3, and V1 whose signing parameters are left out). The filled
//! inputs take their parameters from the SDK 2.7.1's request models
//! (`scripts/python/filled_inputs.py`), one case per value of a field that `only_when` rules
//! depend on; AttachNasFileSystem, which SDK 2.x no longer sends, is recorded with SDK 1.0.6,
//! the last that does. Query pairs are compared exactly, order included; body pairs too (both sides
//! send the body sorted by key). A `json`-style value whose text differs is accepted when it parses to the
//! same JSON value, but only for the (operation, parameter) pairs listed in
//! [`JSON_KEY_ORDER_ONLY`]: free-form (`any`) JSON objects whose key order the official SDK
//! keeps as given while ours sorts them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use serde_json::Value;

/// `(operation, parameter)` whose JSON text may differ from the SDK's in key order only.
/// Empty: free-form JSON keeps the caller's key order (serde_json `preserve_order`), as the
/// official SDK does.
const JSON_KEY_ORDER_ONLY: &[(&str, &str)] = &[];

/// `(operation, parameter, members)`: the official SDK's models fill these list members of
/// the objects of a `json` value (at any depth) with `[]` when the caller gives none, and send
/// them: their `to_map()` always writes a list of models. Our client omits absent lists; the
/// service reads a missing list as an empty one. The comparison drops exactly these empty
/// members from the official value and then requires the same JSON value; it also requires
/// that something was dropped, so the exception stays real.
const SDK_EMPTY_LIST_DEFAULTS: &[(&str, &str, &[&str])] = &[
    (
        "CreatePolicyV2",
        "Rules",
        &[
            "DataSourceFilters",
            "TagFilters",
            "RetentionRules",
            "Accounts",
        ],
    ),
    (
        "UpdatePolicyV2",
        "Rules",
        &[
            "DataSourceFilters",
            "TagFilters",
            "RetentionRules",
            "Accounts",
        ],
    ),
];

/// The official value with the SDK's empty-list defaults removed, and whether any was.
fn without_sdk_defaults(operation: &str, key: &str, value: &str) -> Option<(Value, bool)> {
    let (_, _, members) = SDK_EMPTY_LIST_DEFAULTS
        .iter()
        .find(|(o, p, _)| *o == operation && *p == key)?;
    let mut parsed: Value = serde_json::from_str(value).ok()?;
    let mut dropped = false;
    drop_empty_lists(&mut parsed, members, &mut dropped);
    Some((parsed, dropped))
}

/// Removes the empty arrays named `members` from every object under `v`.
fn drop_empty_lists(v: &mut Value, members: &[&str], dropped: &mut bool) {
    match v {
        Value::Object(obj) => {
            for m in members {
                if obj
                    .get(*m)
                    .is_some_and(|v| v.as_array().is_some_and(Vec::is_empty))
                {
                    obj.remove(*m);
                    *dropped = true;
                }
            }
            obj.values_mut()
                .for_each(|v| drop_empty_lists(v, members, dropped));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| drop_empty_lists(v, members, dropped)),
        _ => {}
    }
}

fn vectors() -> Value {
    serde_json::from_str(include_str!("../vectors/official_sdk_operations.json"))
        .expect("the vectors file is JSON")
}

fn pairs(value: &Value, what: &str) -> Vec<(String, String)> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("{what}: not an array"))
        .iter()
        .map(|pair| {
            let pair = pair.as_array().expect("a [key, value] pair");
            assert_eq!(pair.len(), 2, "{what}: a pair has two elements");
            (
                pair[0].as_str().expect("key").to_owned(),
                pair[1].as_str().expect("value").to_owned(),
            )
        })
        .collect()
}

fn is_sorted_by_key(list: &[(String, String)]) -> bool {
    list.windows(2).all(|w| w[0].0 <= w[1].0)
}

/// Whether the operation sends a form body: it has a parameter that travels in the body
/// (what the request derive's `Operation::FORM_BODY` is computed from).
fn form_body(operation: &str) -> bool {
    let info = hbr_client::registry::find(operation).expect("known operation");
    info.parameters.iter().any(|p| p.location == "body")
}

/// Compares one list of pairs; returns the differences in words.
fn compare(
    operation: &str,
    place: &str,
    ours: &[(String, String)],
    theirs: &[(String, String)],
    json_equal_used: &mut BTreeSet<(String, String)>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let our_keys: Vec<&str> = ours.iter().map(|(k, _)| k.as_str()).collect();
    let their_keys: Vec<&str> = theirs.iter().map(|(k, _)| k.as_str()).collect();
    if our_keys != their_keys {
        problems.push(format!(
            "{operation} {place}: keys differ\n      ours:     {our_keys:?}\n      official: {their_keys:?}"
        ));
    }
    for (key, theirs_value) in theirs {
        let Some((_, our_value)) = ours.iter().find(|(k, _)| k == key) else {
            continue;
        };
        if our_value == theirs_value {
            continue;
        }
        if let Some((official, dropped)) = without_sdk_defaults(operation, key, theirs_value) {
            let ours_parsed = serde_json::from_str::<Value>(our_value).ok();
            if dropped && ours_parsed.as_ref() == Some(&official) {
                continue;
            }
        }
        let allowed = JSON_KEY_ORDER_ONLY.contains(&(operation, key.as_str()));
        let same_json = matches!(
            (
                serde_json::from_str::<Value>(our_value),
                serde_json::from_str::<Value>(theirs_value),
            ),
            (Ok(a), Ok(b)) if a == b && (a.is_object() || a.is_array())
        );
        if allowed && same_json {
            json_equal_used.insert((operation.to_owned(), key.clone()));
        } else {
            problems.push(format!(
                "{operation} {place} `{key}` differs{}\n      ours:     {our_value}\n      official: {theirs_value}",
                if same_json { " (same JSON value, different text)" } else { "" }
            ));
        }
    }
    problems
}

#[test]
fn every_case_encodes_like_the_official_sdk() {
    let vectors = vectors();
    let cases = vectors["cases"].as_array().expect("cases array");
    let operations: BTreeSet<&str> = cases
        .iter()
        .map(|c| c["operation"].as_str().expect("operation"))
        .collect();
    assert_eq!(
        operations.len(),
        hbr_client::OPERATIONS.len(),
        "every operation has cases"
    );
    // Every case under both signatures, the same business parameters.
    for signature in ["v3", "v1"] {
        let n = cases.iter().filter(|c| c["signature"] == signature).count();
        assert_eq!(n * 2, cases.len(), "{signature}");
    }

    let mut problems = Vec::new();
    let mut json_equal_used = BTreeSet::new();
    for case in cases {
        let operation = case["operation"].as_str().expect("operation");
        let signature = case["signature"].as_str().expect("signature");
        let info = hbr_client::registry::find(operation).expect("known operation");
        let params = match (info.encode)(case["input"].clone()) {
            Ok(params) => params,
            Err(e) => {
                problems.push(format!(
                    "{operation} ({signature}): our client rejects the input: {e}"
                ));
                continue;
            }
        };
        let query = pairs(&case["query"], operation);
        let body = pairs(&case["body"], operation);
        assert!(
            is_sorted_by_key(&body),
            "{operation}: the official SDK sends its body sorted by key"
        );
        problems.extend(compare(
            operation,
            "query",
            &params.query,
            &query,
            &mut json_equal_used,
        ));
        if !is_sorted_by_key(&params.body) {
            problems.push(format!(
                "{operation} body: ours is not sorted by key: {:?}",
                params.body.iter().map(|(k, _)| k).collect::<Vec<_>>()
            ));
        }
        problems.extend(compare(
            operation,
            "body",
            &params.body,
            &body,
            &mut json_equal_used,
        ));

        let official_form = case["content_type"]
            .as_str()
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        if form_body(operation) != official_form {
            problems.push(format!(
                "{operation}: FORM_BODY is {}, the official SDK sends content type {}",
                form_body(operation),
                case["content_type"]
            ));
        }
    }

    let expected_json_equal: BTreeSet<(String, String)> = JSON_KEY_ORDER_ONLY
        .iter()
        .map(|(o, p)| ((*o).to_owned(), (*p).to_owned()))
        .collect();
    if json_equal_used != expected_json_equal {
        problems.push(format!(
            "the key-order exceptions needed were {json_equal_used:?}, JSON_KEY_ORDER_ONLY lists {expected_json_equal:?}"
        ));
    }
    assert!(
        problems.is_empty(),
        "{} difference(s) from the official SDK:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn the_cases_cover_every_shape() {
    let vectors = vectors();
    let cases = vectors["cases"].as_array().expect("cases array");
    let all = |place: &str| -> Vec<(String, String)> {
        cases
            .iter()
            .flat_map(|c| pairs(&c[place], "case"))
            .collect()
    };
    let query = all("query");
    let body = all("body");
    let has = |list: &[(String, String)], f: &dyn Fn(&str, &str) -> bool| {
        list.iter().any(|(k, v)| f(k, v))
    };
    // repeatList / flat arrays of objects with nested arrays, in the query and in the body.
    assert!(has(&query, &|k, _| k.starts_with("Filters.2.Values.")));
    assert!(has(&body, &|k, _| k.starts_with("OtsInstances.1.TableNames.")));
    assert!(has(&body, &|k, _| k.starts_with("Rule.2.")));
    assert!(has(&query, &|k, _| k.starts_with("Path.")));
    // json parameters in the query and in the body.
    assert!(has(&query, &|k, v| k == "PolicyBindingList"
        && v.starts_with("[{")));
    assert!(has(&body, &|k, v| k == "Rules" && v.starts_with("[{")));
    // Booleans in both spellings, a large int64, an awkward string.
    assert!(has(&query, &|_, v| v == "True"));
    assert!(has(&query, &|_, v| v == "False"));
    assert!(has(&query, &|_, v| v == "9007199254740993"));
    assert!(has(&query, &|_, v| v == "Tägliche Sicherung/ü *"));
    assert!(cases
        .iter()
        .any(|c| c["body"].as_array().is_some_and(Vec::is_empty)));
}

/// The wire paths a filled input sets, `Filters.N.Values.N` style: descends into a value only
/// where the registry has parameters below it (a free-form JSON value is one parameter).
fn filled_paths(params: &BTreeSet<&str>, path: &str, value: &Value, out: &mut BTreeSet<String>) {
    out.insert(path.to_owned());
    let below = |p: &str| params.iter().any(|q| q.starts_with(&format!("{p}.")));
    match value {
        Value::Object(obj) if below(path) => {
            for (k, v) in obj {
                filled_paths(params, &format!("{path}.{k}"), v, out);
            }
        }
        Value::Array(items) if below(path) => {
            for v in items {
                filled_paths(params, &format!("{path}.N"), v, out);
            }
        }
        _ => {}
    }
}

/// Every operation the client has was recorded with every parameter filled: the inputs of
/// its `filled:` cases (made from the official SDK's request models by
/// `scripts/python/filled_inputs.py`) together set every parameter our spec gives it,
/// nested members included, under both signatures.
#[test]
fn every_operation_is_recorded_with_every_parameter_filled() {
    let vectors = vectors();
    let cases = vectors["cases"].as_array().expect("cases array");
    let mut problems = Vec::new();
    for op in hbr_client::OPERATIONS {
        let params: BTreeSet<&str> = op.parameters.iter().map(|p| p.name).collect();
        for signature in ["v3", "v1"] {
            let mut set = BTreeSet::new();
            let filled: Vec<&Value> = cases
                .iter()
                .filter(|c| {
                    c["operation"] == op.name
                        && c["signature"] == signature
                        && c["name"]
                            .as_str()
                            .is_some_and(|n| n.starts_with("filled: every parameter"))
                })
                .collect();
            if filled.is_empty() {
                problems.push(format!("{} ({signature}): no filled case", op.name));
                continue;
            }
            for case in filled {
                let input = case["input"].as_object().expect("an object input");
                for (k, v) in input {
                    filled_paths(&params, k, v, &mut set);
                }
            }
            let unset: Vec<&&str> = params.iter().filter(|p| !set.contains(**p)).collect();
            if !unset.is_empty() {
                problems.push(format!(
                    "{} ({signature}): never filled: {unset:?}",
                    op.name
                ));
            }
        }
    }
    let retired: Vec<&str> = vectors["retired"]
        .as_array()
        .expect("retired list")
        .iter()
        .map(|r| r["operation"].as_str().expect("operation"))
        .collect();
    assert_eq!(
        retired,
        ["AttachNasFileSystem"],
        "recorded with an older SDK"
    );
    assert!(
        problems.is_empty(),
        "{} operation(s) not covered:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}
