//! Merge mode: a fresh import of an operation laid over the spec file that already exists.
//!
//! The metadata owns its facts: the operation's `kind`, which parameters and fields exist,
//! their types, `required`,
//! where and how they travel (`in`, `style`), their bounds, lengths, patterns, item counts,
//! defaults, `deprecated` and response wrappers. Those are updated from the fresh import when it
//! states them. Everything else is the spec writer's and is kept as it is: docs, rules,
//! filters, pagination, enum names, object type names, item method names, timestamps, units,
//! JSON shapes, and any key the importer does not write. Order is kept too: existing entries
//! stay where they are, new ones are placed after their predecessor in the metadata's order.
//! Entries the metadata no longer has are kept and reported (only a person can tell whether
//! the service dropped them or they were added by hand).

use serde_yaml::{Mapping, Value as Yaml};

/// Keys whose value comes from the metadata whenever the fresh import states it.
const FACTS: &[&str] = &[
    "type",
    "minimum",
    "maximum",
    "min_length",
    "max_length",
    "pattern",
    "min_items",
    "max_items",
    "default",
    "deprecated",
    "wrapper",
    super::op::VALUES_MARK,
    super::op::CONCEPT_MARK,
];

/// Facts the metadata always states: absent from the fresh import means "no" (not required,
/// sent in the query, no documented values).
const ALWAYS_STATED: &[&str] = &[
    "required",
    "in",
    "style",
    super::op::VALUES_MARK,
    super::op::CONCEPT_MARK,
];

/// The facts a node may pin (`pinned:`): the metadata's facts, and the `values:` subset.
pub const PINNABLE: &[&str] = &[
    "type",
    "required",
    "in",
    "style",
    "minimum",
    "maximum",
    "min_length",
    "max_length",
    "pattern",
    "min_items",
    "max_items",
    "default",
    "deprecated",
    "wrapper",
    "values",
    "timestamp",
    "unit",
];

/// What the importer infers from the metadata's words (a time, a unit): added where a node
/// lacks it, never changed or removed once written (`pinned:` keeps a node without it).
const INFERRED: &[&str] = &["timestamp", "unit"];

/// Keys a node of some type cannot do without: taken from the import when a node gains them.
const STRUCTURE: &[&str] = &["items", "properties", "name"];

/// `fresh` laid over `existing`, one operation document; `notes` gets what a person should
/// look at.
///
/// `kind_stated`: whether the source states the operation's kind; when it does not (the
/// official SDK's models), the kind written is kept.
pub(super) fn operation(
    existing: &Yaml,
    fresh: &Yaml,
    kind_stated: bool,
    notes: &mut Vec<String>,
) -> Yaml {
    let (Some(e), Some(f)) = (existing.as_mapping(), fresh.as_mapping()) else {
        return fresh.clone();
    };
    let mut out = e.clone();
    let order: Vec<Yaml> = f.keys().cloned().collect();
    for (k, fv) in f {
        let key = k.as_str().unwrap_or_default();
        let merged = match (key, out.get(k)) {
            ("request" | "response", Some(ev)) => props(ev, fv, key, notes),
            // Read or write follows the metadata's operation type, like the other facts.
            ("kind", Some(_)) if kind_stated => fv.clone(),
            (_, Some(ev)) => ev.clone(),
            (_, None) => fv.clone(),
        };
        upsert(&mut out, k, merged, &order);
    }
    Yaml::Mapping(out)
}

/// A map of named nodes (parameters, fields, properties), merged by name.
fn props(existing: &Yaml, fresh: &Yaml, path: &str, notes: &mut Vec<String>) -> Yaml {
    let Some(f) = fresh.as_mapping() else {
        return existing.clone();
    };
    let Some(e) = existing.as_mapping() else {
        return fresh.clone();
    };
    let mut out = e.clone();
    let order: Vec<Yaml> = f.keys().cloned().collect();
    for (k, fv) in f {
        let name = k.as_str().unwrap_or_default();
        let merged = match out.get(k) {
            Some(ev) => node(ev, fv, &format!("{path}.{name}"), notes),
            None => fv.clone(),
        };
        upsert(&mut out, k, merged, &order);
    }
    for k in e.keys() {
        if !f.contains_key(k) {
            let name = k.as_str().unwrap_or_default();
            if name != "RequestId" {
                notes.push(format!(
                    "`{path}.{name}` is not in the metadata; kept (delete it if the service dropped it)"
                ));
            }
        }
    }
    Yaml::Mapping(out)
}

/// One type node: the metadata's facts from `fresh`, everything else from `existing`.
fn node(existing: &Yaml, fresh: &Yaml, path: &str, notes: &mut Vec<String>) -> Yaml {
    let (Some(e), Some(f)) = (existing.as_mapping(), fresh.as_mapping()) else {
        return existing.clone();
    };
    let mut out = e.clone();
    let order: Vec<Yaml> = f.keys().cloned().collect();
    let pinned = pinned(e);
    let ty = |m: &Mapping| m.get("type").and_then(Yaml::as_str).map(str::to_owned);
    // `any` is the importer's word for "the metadata does not say": a hand-chosen type stays.
    // So does an integer width the source does not state.
    let unstated_width = f.contains_key(super::op::WIDTH_UNSTATED_MARK)
        && matches!(ty(e).as_deref(), Some("int32" | "int64"));
    let keep_type = (ty(f).as_deref() == Some("any") && e.contains_key("type")) || unstated_width;
    for (k, fv) in f {
        let key = k.as_str().unwrap_or_default();
        if pinned.iter().any(|p| p == key) {
            continue;
        }
        let merged = match (key, out.get(k)) {
            ("type", Some(ev)) if keep_type => ev.clone(),
            ("items", Some(ev)) => node(ev, fv, &format!("{path}[]"), notes),
            ("properties", Some(ev)) => props(ev, fv, path, notes),
            (_, Some(ev)) if !FACTS.contains(&key) && !ALWAYS_STATED.contains(&key) => ev.clone(),
            // A hand-written node may leave out what the importer adds (a doc on an item).
            (_, None)
                if !FACTS.contains(&key)
                    && !ALWAYS_STATED.contains(&key)
                    && !STRUCTURE.contains(&key)
                    && !INFERRED.contains(&key) =>
            {
                continue
            }
            _ => fv.clone(),
        };
        upsert(&mut out, k, merged, &order);
    }
    for key in ALWAYS_STATED {
        if !f.contains_key(*key) && !pinned.iter().any(|p| p == key) {
            out.shift_remove(*key);
        }
    }
    if ty(e) != ty(&out) {
        notes.push(format!(
            "`{path}` changed type from {} to {}",
            ty(e).unwrap_or_default(),
            ty(&out).unwrap_or_default()
        ));
    }
    Yaml::Mapping(out)
}

/// The facts a node pins (`pinned: [maximum]`): corrected by hand, left alone by imports.
pub(super) fn pinned(node: &Mapping) -> Vec<String> {
    node.get("pinned")
        .and_then(Yaml::as_sequence)
        .map(|s| {
            s.iter()
                .filter_map(Yaml::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Sets `key` in `m`: in place when present, otherwise right after the nearest key that
/// precedes it in `order` (or first, when none does).
pub(super) fn upsert(m: &mut Mapping, key: &Yaml, value: Yaml, order: &[Yaml]) {
    if let Some(slot) = m.get_mut(key) {
        *slot = value;
        return;
    }
    let at = order.iter().position(|k| k == key).unwrap_or(order.len());
    let before = order[..at].iter().rev().find(|k| m.contains_key(*k));
    let mut out = Mapping::new();
    if before.is_none() {
        out.insert(key.clone(), value.clone());
    }
    for (k, v) in std::mem::take(m) {
        let hit = Some(&k) == before;
        out.insert(k, v);
        if hit {
            out.insert(key.clone(), value.clone());
        }
    }
    *m = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Yaml {
        serde_yaml::from_str(s).unwrap_or(Yaml::Null)
    }

    #[test]
    fn facts_update_and_hand_keys_stay() {
        let existing = yaml(
            "operation: Op\ndoc: Mine.\nrules: [{field: A, required: true, message: m}]\nrequest:\n  B: {type: string, doc: Hand B.}\n  A: {type: int32, maximum: 5, doc: Hand A., required: true}\nresponse:\n  T: {type: int64, timestamp: unix_seconds, doc: When.}\n",
        );
        let fresh = yaml(
            "operation: Op\ndoc: Imported.\nrequest:\n  A: {type: int32, maximum: 9, doc: imported}\n  N: {type: string, doc: new}\n  B: {type: string, in: body, doc: imported}\nresponse:\n  T: {type: int64, doc: imported}\n",
        );
        let mut notes = Vec::new();
        let out = operation(&existing, &fresh, true, &mut notes);
        let expected = yaml(
            "operation: Op\ndoc: Mine.\nrules: [{field: A, required: true, message: m}]\nrequest:\n  B: {type: string, doc: Hand B., in: body}\n  A: {type: int32, maximum: 9, doc: Hand A.}\n  N: {type: string, doc: new}\nresponse:\n  T: {type: int64, timestamp: unix_seconds, doc: When.}\n",
        );
        assert_eq!(out, expected);
        // Order matters to the file, which `==` on mappings does not check.
        let keys = |v: &Yaml| -> Vec<String> {
            v["request"]
                .as_mapping()
                .map(|m| {
                    m.keys()
                        .filter_map(Yaml::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(keys(&out), ["B", "A", "N"]);
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn a_hand_type_survives_an_unstated_one_and_dropped_entries_are_reported() {
        let existing = yaml("request:\n  J: {type: object, name: J, properties: {}, doc: d}\n  Gone: {type: string, doc: d}\n");
        let fresh = yaml("request:\n  J: {type: any, style: json, doc: i}\n");
        let mut notes = Vec::new();
        let out = operation(&existing, &fresh, true, &mut notes);
        assert_eq!(out["request"]["J"]["type"], yaml("object"));
        assert_eq!(out["request"]["J"]["style"], yaml("json"));
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("request.Gone"), "{notes:?}");
    }

    #[test]
    fn what_the_source_does_not_state_stays_as_written() {
        // The SDK's models: no operation type, integers without a width.
        let existing = yaml("kind: read\nrequest:\n  N: {type: int32, maximum: 9, doc: d}\n");
        let fresh = yaml(&format!(
            "kind: write\nrequest:\n  N: {{type: int64, {}: true, doc: i}}\n  M: {{type: int64, doc: i}}\n",
            super::super::op::WIDTH_UNSTATED_MARK
        ));
        let mut notes = Vec::new();
        let out = operation(&existing, &fresh, false, &mut notes);
        assert_eq!(out["kind"], yaml("read"));
        assert_eq!(
            out["request"]["N"],
            yaml("{type: int32, maximum: 9, doc: d}")
        );
        assert_eq!(out["request"]["M"]["type"], yaml("int64"));
        assert!(notes.is_empty(), "{notes:?}");
        // A source that states them moves them.
        let out = operation(&existing, &yaml("kind: write\n"), true, &mut notes);
        assert_eq!(out["kind"], yaml("write"));
    }

    #[test]
    fn upsert_places_new_keys_after_their_predecessor() {
        let mut m = yaml("{a: 1, c: 3}")
            .as_mapping()
            .cloned()
            .unwrap_or_default();
        let order = [yaml("a"), yaml("b"), yaml("c")];
        upsert(&mut m, &yaml("b"), yaml("2"), &order);
        let keys: Vec<&str> = m.keys().filter_map(Yaml::as_str).collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }
}
