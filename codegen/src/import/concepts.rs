//! The enum phase of an import: the documented values of every string, grouped by concept
//! into enums.
//!
//! Each string node of a fresh import carries two marks: its concept (its field name, or
//! `<Resource><Field>` for names like `Status` that mean something different per resource) and,
//! when the metadata documents them, its values. After the merge, this phase:
//!
//! - makes a concept that recurs in several operations (or already has an enum in
//!   `service.yaml`) one shared enum holding the union of its values; nodes of that concept
//!   without documented values take it too;
//! - gives a concept of one operation an enum of that operation's file;
//! - keeps every enum name already in the spec: a node that names a shared enum keeps it,
//!   a node that names its own operation's enum keeps it unless its concept is shared (then
//!   the node moves to the shared enum and the operation's enum, when no longer used, is
//!   removed with its docs carried over);
//! - writes `values:` on a node that documents only part of its enum's values; the list grows
//!   like an enum: what a node listed before the import stays when a source documents fewer,
//!   and a node without `values:` listed all of its enum's values as they were, so a node
//!   gets a list only when its enum gains values the node's sources do not document;
//! - adds values the spec lacks, never removes one (values the spec has beyond the
//!   metadata's may have been added by hand).
//!
//! New enums and values get a doc that says they are not described yet; a person writes the
//! real one (`api-spec/README.md`, "Importing").

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::{Mapping, Value as Yaml};

use super::op::{CONCEPT_MARK, VALUES_MARK, WIDTH_UNSTATED_MARK};
use crate::naming::variant_name;

/// The doc of an enum the importer created, until a person describes it.
pub const NEW_ENUM_DOC: &str = "not described yet: values Alibaba's metadata lists for";
/// The doc of an enum value the importer added, until a person describes it.
pub const NEW_VALUE_DOC: &str = "not described yet: a value Alibaba's metadata lists for";

fn y(s: &str) -> Yaml {
    Yaml::String(s.to_owned())
}

/// One string node of an imported operation.
struct Site {
    /// Index of the operation document.
    op: usize,
    /// Keys from the document's root to the node.
    path: Vec<Yaml>,
    /// `Operation.Field`, for docs and notes.
    place: String,
    concept: String,
    /// The values the metadata documents, if any.
    values: Option<Vec<String>>,
    /// The enum the node names.
    current: Option<String>,
    /// The values the node lists before the import: its `values:`, or all of its enum's.
    listed: Vec<String>,
}

/// The enums of a spec being imported: `service.yaml`'s and each operation's.
pub(super) struct Enums<'a> {
    /// The operation documents (name, document).
    pub docs: &'a mut [(String, Yaml)],
    /// `service.yaml`.
    pub service: &'a mut Yaml,
}

impl Enums<'_> {
    /// Runs the phase; marks are stripped from every node afterwards.
    pub(super) fn run(&mut self, notes: &mut Vec<String>) {
        let mut sites = Vec::new();
        for (i, (name, doc)) in self.docs.iter().enumerate() {
            for side in ["request", "response"] {
                let path = vec![y(side)];
                collect(&doc[side], i, name, &path, &mut sites);
            }
        }
        for site in &mut sites {
            if site.listed.is_empty() {
                if let Some(current) = &site.current {
                    let local = &self.docs[site.op].1["enums"][current.as_str()]["values"];
                    let def = if local.is_mapping() {
                        local
                    } else {
                        &self.service["enums"][current.as_str()]["values"]
                    };
                    site.listed = names_in_order(def);
                }
            }
        }
        let mut by_concept: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, s) in sites.iter().enumerate() {
            by_concept.entry(s.concept.clone()).or_default().push(i);
        }
        let mut migrated: BTreeSet<(usize, String)> = BTreeSet::new();
        for (concept, members) in &by_concept {
            self.concept(concept, members, &sites, &mut migrated, notes);
        }
        let shared = self.shared_names();
        for (op, name) in migrated {
            remove_if_unused(&mut self.docs[op].1, &name, shared.contains(&name));
        }
        for site in &sites {
            self.subset(site);
        }
        for (_, doc) in self.docs.iter_mut() {
            strip_marks(doc);
        }
    }

    fn shared_names(&self) -> BTreeSet<String> {
        names(&self.service["enums"])
    }

    /// One concept: which enum each of its nodes names, the values it gains, the subsets.
    fn concept(
        &mut self,
        concept: &str,
        members: &[usize],
        sites: &[Site],
        migrated: &mut BTreeSet<(usize, String)>,
        notes: &mut Vec<String>,
    ) {
        let shared = self.shared_names();
        let documented: Vec<&Site> = members
            .iter()
            .map(|&i| &sites[i])
            .filter(|s| s.values.is_some())
            .collect();
        let ops: BTreeSet<usize> = documented.iter().map(|s| s.op).collect();
        let mut refs: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in members {
            if let Some(c) = sites[i].current.as_deref().filter(|c| shared.contains(*c)) {
                *refs.entry(c).or_default() += 1;
            }
        }
        let chosen = refs
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(c, _)| (*c).to_owned());
        let shared_name = match chosen {
            Some(c) => Some(c),
            None if ops.len() >= 2 || (shared.contains(concept) && !ops.is_empty()) => {
                Some(concept.to_owned())
            }
            None => None,
        };
        // One enum per operation for a concept of its own.
        let mut local: BTreeMap<usize, String> = BTreeMap::new();
        for &i in members {
            let site = &sites[i];
            let target = match local.get(&site.op) {
                Some(name) if shared_name.is_none() && site.current.is_none() => Some(name.clone()),
                _ => self.target(site, shared_name.as_deref(), &shared, concept),
            };
            let Some(target) = target else {
                continue;
            };
            if shared_name.is_none() {
                local.entry(site.op).or_insert_with(|| target.clone());
            }
            let in_service =
                shared_name.as_deref() == Some(target.as_str()) || shared.contains(&target);
            // An enum of the operation moving into service.yaml brings its values along.
            let from = site
                .current
                .clone()
                .filter(|c| in_service && self.docs[site.op].1["enums"].get(c.as_str()).is_some());
            let mut values = site.values.clone().unwrap_or_default();
            if let Some(f) = &from {
                for v in names_in_order(&self.docs[site.op].1["enums"][f.as_str()]["values"]) {
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
            }
            if !values.is_empty()
                && !self.add_values(site, &target, in_service, &values, from.as_deref())
            {
                // Spelled differently (`Standard` beside `STANDARD`): an enum of its own.
                let own = site
                    .current
                    .clone()
                    .filter(|c| !shared.contains(c))
                    .unwrap_or_else(|| self.local_name(site.op, concept));
                notes.push(format!(
                    "`{}`: its values cannot join enum `{target}` (two would share a variant name); enum `{own}` of its operation holds them",
                    site.place
                ));
                if self.add_values(site, &own, false, &values, None) {
                    self.point(site, &own);
                }
                continue;
            }
            if let Some(from) = from {
                migrated.insert((site.op, from));
            }
            self.point(site, &target);
        }
    }

    /// The enum a node should name, or `None` to leave it as it is.
    fn target(
        &self,
        site: &Site,
        shared_name: Option<&str>,
        shared: &BTreeSet<String>,
        concept: &str,
    ) -> Option<String> {
        match (&site.current, shared_name) {
            (Some(c), _) if shared.contains(c) => Some(c.clone()),
            (None, Some(s)) => Some(s.to_owned()),
            (Some(c), Some(s)) if site.values.is_some() || c == s => Some(s.to_owned()),
            (Some(c), _) => Some(c.clone()),
            (None, None) if site.values.is_some() => Some(self.local_name(site.op, concept)),
            (None, None) => None,
        }
    }

    /// A name for a new enum of operation `op`: the concept, unless some type takes it.
    fn local_name(&self, op: usize, concept: &str) -> String {
        let (name, doc) = &self.docs[op];
        let mut taken = names(&doc["enums"]);
        taken.extend(self.shared_names());
        object_names(doc, &mut taken);
        taken.insert(crate::naming::request_type(name));
        taken.insert(crate::naming::response_type(name));
        let mut candidate = concept.to_owned();
        let mut n = 2;
        while taken.contains(&candidate) {
            candidate = format!("{concept}{n}");
            n += 1;
        }
        candidate
    }

    /// Adds `values` to enum `target` (created when missing), carrying docs over from the
    /// operation's enum `from`. False when a value would share a variant name with another.
    fn add_values(
        &mut self,
        site: &Site,
        target: &str,
        in_service: bool,
        values: &[String],
        from: Option<&str>,
    ) -> bool {
        let carried: Option<Mapping> = from
            .and_then(|f| self.docs[site.op].1["enums"][f].as_mapping())
            .cloned();
        let enums = if in_service {
            entry(self.service, "enums")
        } else {
            entry(&mut self.docs[site.op].1, "enums")
        };
        let Some(def) = enums.and_then(|e| entry_in(e, target)) else {
            return false;
        };
        let Some(vals) = entry_in(def, "values") else {
            return false;
        };
        let mut variants: BTreeMap<String, String> = vals
            .keys()
            .filter_map(Yaml::as_str)
            .map(|w| (variant_name(w), w.to_owned()))
            .collect();
        for v in values {
            match variants.get(&variant_name(v)) {
                Some(w) if w != v => return false,
                _ => {
                    variants.insert(variant_name(v), v.clone());
                }
            }
        }
        let doc_of = |key: &str, v: Option<&str>| -> Option<Yaml> {
            let c = carried.as_ref()?;
            let d = match v {
                Some(v) => c.get("values")?.get(v)?,
                None => c.get(key)?,
            };
            (!is_placeholder(d.as_str()?)).then(|| d.clone())
        };
        for v in values {
            let placeholder = vals
                .get(v.as_str())
                .is_none_or(|d| d.as_str().is_none_or(is_placeholder));
            if placeholder {
                let doc = doc_of("", Some(v))
                    .or_else(|| vals.get(v.as_str()).cloned())
                    .unwrap_or_else(|| y(&format!("{NEW_VALUE_DOC} `{}`.", site.place)));
                vals.insert(y(v), doc);
            }
        }
        let placeholder = def
            .get("doc")
            .is_some_and(|d| d.as_str().is_none_or(is_placeholder));
        if placeholder {
            if let Some(doc) = doc_of("doc", None) {
                def.insert(y("doc"), doc);
            }
        }
        if !def.contains_key("doc") {
            let doc = doc_of("doc", None)
                .unwrap_or_else(|| y(&format!("{NEW_ENUM_DOC} `{}`.", site.place)));
            let values = def.shift_remove("values").unwrap_or(Yaml::Null);
            def.insert(y("doc"), doc);
            def.insert(y("values"), values);
        }
        true
    }

    /// Makes the node name `target`.
    fn point(&mut self, site: &Site, target: &str) {
        let Some(node) = node_mut(&mut self.docs[site.op].1, &site.path) else {
            return;
        };
        let order = [y("type"), y("enum")];
        super::merge::upsert(node, &y("enum"), y(target), &order);
    }

    /// `values:` on a node that documents part of its enum's values, none otherwise.
    fn subset(&mut self, site: &Site) {
        let Some(values) = &site.values else {
            return;
        };
        let Some(node) = node_mut(&mut self.docs[site.op].1, &site.path) else {
            return;
        };
        let Some(target) = node.get("enum").and_then(Yaml::as_str).map(str::to_owned) else {
            return;
        };
        if super::merge::pinned(node).iter().any(|p| p == "values") {
            return;
        }
        let local = &self.docs[site.op].1["enums"][target.as_str()]["values"];
        let def = if local.is_mapping() {
            local.clone()
        } else {
            self.service["enums"][target.as_str()]["values"].clone()
        };
        let all: Vec<String> = names_in_order(&def);
        let Some(node) = node_mut(&mut self.docs[site.op].1, &site.path) else {
            return;
        };
        let request_item =
            site.path.first() == Some(&y("request")) && site.path.last() == Some(&y("items"));
        // A list grows like an enum: what the node listed before the import stays (another
        // source, or an earlier release, documented it); a node without `values:` listed all
        // of its enum's values as they were.
        let mut values = values.clone();
        for v in &site.listed {
            if !values.contains(v) {
                values.push(v.clone());
            }
        }
        if request_item || all.iter().all(|v| values.contains(v)) {
            node.shift_remove("values");
            return;
        }
        let subset: Vec<Yaml> = all
            .iter()
            .filter(|v| values.contains(v))
            .map(|v| y(v))
            .collect();
        let order = [y("type"), y("enum"), y("values")];
        super::merge::upsert(node, &y("values"), Yaml::Sequence(subset), &order);
    }
}

/// Whether a doc is one the importer writes for something not described yet (or the
/// placeholders of earlier importers).
pub fn is_placeholder(doc: &str) -> bool {
    doc.starts_with(NEW_ENUM_DOC)
        || doc.starts_with(NEW_VALUE_DOC)
        || doc.starts_with("The value `")
        || doc.starts_with("The values the metadata lists")
}

/// The string nodes under `v` (a map of named nodes) into `out`.
fn collect(v: &Yaml, op: usize, op_name: &str, path: &[Yaml], out: &mut Vec<Site>) {
    let Some(m) = v.as_mapping() else {
        return;
    };
    for (k, node) in m {
        let mut p = path.to_vec();
        p.push(k.clone());
        let place = format!("{op_name}.{}", k.as_str().unwrap_or_default());
        visit(node, op, &place, op_name, p, out);
    }
}

fn visit(node: &Yaml, op: usize, place: &str, op_name: &str, path: Vec<Yaml>, out: &mut Vec<Site>) {
    if let Some(concept) = node.get(CONCEPT_MARK).and_then(Yaml::as_str) {
        out.push(Site {
            op,
            path: path.clone(),
            place: place.to_owned(),
            concept: concept.to_owned(),
            values: node.get(VALUES_MARK).map(names_in_order),
            current: node.get("enum").and_then(Yaml::as_str).map(str::to_owned),
            listed: node.get("values").map(names_in_order).unwrap_or_default(),
        });
    }
    if let Some(items) = node.get("items") {
        let mut p = path.clone();
        p.push(y("items"));
        visit(items, op, place, op_name, p, out);
    }
    if let Some(props) = node.get("properties") {
        let mut p = path;
        p.push(y("properties"));
        collect(props, op, op_name, &p, out);
    }
}

/// The keys (a map) or items (a list) of `v`, as strings, in order.
fn names_in_order(v: &Yaml) -> Vec<String> {
    match v {
        Yaml::Mapping(m) => m
            .keys()
            .filter_map(Yaml::as_str)
            .map(str::to_owned)
            .collect(),
        Yaml::Sequence(s) => s
            .iter()
            .filter_map(Yaml::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn names(v: &Yaml) -> BTreeSet<String> {
    names_in_order(v).into_iter().collect()
}

/// The `name:` of every object in a document.
fn object_names(v: &Yaml, out: &mut BTreeSet<String>) {
    match v {
        Yaml::Mapping(m) => {
            if let (Some(n), Some("object")) = (
                m.get("name").and_then(Yaml::as_str),
                m.get("type").and_then(Yaml::as_str),
            ) {
                out.insert(n.to_owned());
            }
            m.values().for_each(|v| object_names(v, out));
        }
        Yaml::Sequence(s) => s.iter().for_each(|v| object_names(v, out)),
        _ => {}
    }
}

fn node_mut<'a>(doc: &'a mut Yaml, path: &[Yaml]) -> Option<&'a mut Mapping> {
    let mut cur = doc;
    for k in path {
        cur = cur.as_mapping_mut()?.get_mut(k)?;
    }
    cur.as_mapping_mut()
}

/// The mapping under `key` of a document, created (at the end) when missing.
fn entry<'a>(doc: &'a mut Yaml, key: &str) -> Option<&'a mut Mapping> {
    if !doc.is_mapping() {
        *doc = Yaml::Mapping(Mapping::new());
    }
    doc.as_mapping_mut().and_then(|m| entry_in(m, key))
}

/// The mapping under `key`, created (at the end) when missing or not a mapping.
fn entry_in<'a>(m: &'a mut Mapping, key: &str) -> Option<&'a mut Mapping> {
    if !m.get(key).is_some_and(Yaml::is_mapping) {
        m.insert(y(key), Yaml::Mapping(Mapping::new()));
    }
    m.get_mut(key).and_then(Yaml::as_mapping_mut)
}

/// Removes enum `name` of an operation when no node names it (or when `service.yaml` has
/// one of that name, which the operation's nodes now name); `enums:` goes when empty.
fn remove_if_unused(doc: &mut Yaml, name: &str, shared: bool) {
    let mut used = false;
    uses(doc, name, &mut used);
    if used && !shared {
        return;
    }
    if let Some(enums) = doc.get_mut("enums").and_then(Yaml::as_mapping_mut) {
        enums.shift_remove(name);
        if enums.is_empty() {
            if let Some(m) = doc.as_mapping_mut() {
                m.shift_remove("enums");
            }
        }
    }
}

fn uses(v: &Yaml, name: &str, used: &mut bool) {
    match v {
        Yaml::Mapping(m) => {
            if m.get("enum").and_then(Yaml::as_str) == Some(name) {
                *used = true;
            }
            for (k, v) in m {
                if k.as_str() != Some("enums") {
                    uses(v, name, used);
                }
            }
        }
        Yaml::Sequence(s) => s.iter().for_each(|v| uses(v, name, used)),
        _ => {}
    }
}

/// Removes the importer's marks from every node.
pub(super) fn strip_marks(v: &mut Yaml) {
    match v {
        Yaml::Mapping(m) => {
            m.shift_remove(CONCEPT_MARK);
            m.shift_remove(VALUES_MARK);
            m.shift_remove(WIDTH_UNSTATED_MARK);
            m.values_mut().for_each(strip_marks);
        }
        Yaml::Sequence(s) => s.iter_mut().for_each(strip_marks),
        _ => {}
    }
}
