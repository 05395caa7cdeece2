//! Re-importing over the real spec: nothing changes when nothing changed, hand-written parts
//! survive, and only the metadata's facts move when the metadata moves.
//!
//! Fixture: `fixtures/import/hbr-facts.json`, the facts of nine operations of Alibaba's
//! metadata (no prose: descriptions are dropped, the values they list kept as
//! `enumValueTitles`), written by `cargo run -p hbr-codegen --example import_fixture`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hbr_codegen::import::{import, is_placeholder};
use serde_yaml::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/hbr-facts.json")
}

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec/hbr/2017-09-08")
}

/// Every file of a folder, by name.
fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// A temporary copy of the committed spec.
fn copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files(&spec_dir()) {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn yaml(dir: &Path, name: &str) -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
}

fn edit(dir: &Path, name: &str, from: &str, to: &str) {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{name} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn re_importing_the_same_metadata_changes_nothing() {
    let dir = copy();
    let before = files(dir.path());
    let report = import(&fixture(), &[], dir.path(), false).unwrap();
    assert!(report.written.is_empty(), "{:?}", report.written);
    assert_eq!(files(dir.path()), before);
    // The nine operations, service.yaml among the files looked at.
    assert_eq!(report.kept.len(), 10, "{:?}", report.kept);
}

#[test]
fn hand_written_parts_survive_a_re_import() {
    let dir = copy();
    let d = dir.path();
    // What the docs engineers do: their own docs, a rule, a value's meaning.
    edit(
        d,
        "CreateVault.yaml",
        "doc: The name of the vault, 1 to 64 characters.",
        "doc: The name the new vault is shown under.",
    );
    edit(
        d,
        "CreateVault.yaml",
        "message: required when `EncryptType` is `KMS`",
        "message: KMS needs a key",
    );
    edit(
        d,
        "service.yaml",
        "OTS_BACKUP: A vault for Tablestore backups only.",
        "OTS_BACKUP: Tablestore backups go here, and only they.",
    );
    let before = files(d);
    let report = import(&fixture(), &[], d, false).unwrap();
    assert!(report.written.is_empty(), "{:?}", report.written);
    assert_eq!(files(d), before);
}

#[test]
fn a_metadata_change_moves_only_its_facts() {
    let dir = copy();
    let d = dir.path();
    edit(
        d,
        "CreateVault.yaml",
        "doc: The name of the vault, 1 to 64 characters.",
        "doc: The name the new vault is shown under.",
    );
    let text = std::fs::read_to_string(fixture()).unwrap();
    let mut meta: serde_json::Value = serde_json::from_str(&text).unwrap();
    let params = meta
        .pointer_mut("/apis/CreateVault/parameters")
        .and_then(serde_json::Value::as_array_mut)
        .unwrap();
    let vault_name = params
        .iter_mut()
        .find(|p| p["name"] == "VaultName")
        .unwrap();
    vault_name["schema"]["maxLength"] = 80.into();
    let vault_type = params
        .iter_mut()
        .find(|p| p["name"] == "VaultType")
        .unwrap();
    vault_type["schema"]["enumValueTitles"]["COLD_VAULT"] = "".into();
    let last = params
        .last()
        .and_then(|p| p["name"].as_str())
        .unwrap()
        .to_owned();
    params.push(serde_json::json!({"name": "Tag", "in": "query", "schema": {"type": "string"}}));
    let elsewhere = tempfile::tempdir().unwrap();
    let metadata = elsewhere.path().join("metadata.json");
    std::fs::write(&metadata, meta.to_string()).unwrap();

    let before = files(d);
    let report = import(&metadata, &[], d, false).unwrap();
    let mut written: Vec<String> = report
        .written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    written.sort();
    // DescribeVaults documents the vault types it had: now only some of the enum's.
    assert_eq!(
        written,
        ["CreateVault.yaml", "DescribeVaults.yaml", "service.yaml"]
    );
    let vaults = yaml(d, "DescribeVaults.yaml");
    let listed = &vaults["request"]["VaultType"]["values"];
    assert_eq!(
        listed,
        &serde_yaml::from_str::<Value>("[OTS_BACKUP, STANDARD]").unwrap()
    );

    let vault = yaml(d, "CreateVault.yaml");
    let r = &vault["request"];
    assert_eq!(r["VaultName"]["max_length"], 80);
    assert_eq!(
        r["VaultName"]["doc"],
        "The name the new vault is shown under."
    );
    assert_eq!(r["Tag"]["type"], "string");
    let keys: Vec<&str> = r
        .as_mapping()
        .unwrap()
        .keys()
        .filter_map(Value::as_str)
        .collect();
    let at = keys.iter().position(|k| *k == "Tag").unwrap();
    assert_eq!(
        keys[at - 1],
        last,
        "a new parameter comes right after its predecessor in the metadata"
    );
    // The other files and every other entry stay as they were.
    let after = files(d);
    for (name, text) in &before {
        if !written.contains(name) {
            assert_eq!(&after[name], text, "{name}");
        }
    }
    let old: Value = serde_yaml::from_str(&before["CreateVault.yaml"]).unwrap();
    assert_eq!(vault["response"], old["response"]);
    assert_eq!(r["VaultType"], old["request"]["VaultType"]);
    // The shared enum gains the value, with a doc that says it still needs one.
    let service = yaml(d, "service.yaml");
    let doc = service["enums"]["VaultType"]["values"]["COLD_VAULT"]
        .as_str()
        .unwrap();
    assert!(is_placeholder(doc), "{doc}");
    let old_service: Value = serde_yaml::from_str(&before["service.yaml"]).unwrap();
    assert_eq!(service["service"], old_service["service"]);
    // And the spec validates but for the new entries' placeholder docs, which a person
    // writes before the spec generates again.
    let err = hbr_codegen::load(d).expect_err("new entries need their docs written");
    let problems: Vec<String> = err
        .to_string()
        .lines()
        .filter(|l| l.contains(".yaml:"))
        .map(str::to_owned)
        .collect();
    assert!(!problems.is_empty());
    for p in &problems {
        assert!(p.contains("a placeholder"), "{p}");
    }
}

#[test]
fn the_committed_spec_describes_every_enum_value() {
    for (name, text) in files(&spec_dir()) {
        let doc: Value = serde_yaml::from_str(&text).unwrap();
        let Some(enums) = doc.get("enums").and_then(Value::as_mapping) else {
            continue;
        };
        for (e, def) in enums {
            let e = e.as_str().unwrap_or_default();
            let enum_doc = def["doc"].as_str().unwrap_or_default();
            assert!(!is_placeholder(enum_doc), "{name}: enum {e}: {enum_doc}");
            for (v, vdoc) in def["values"].as_mapping().into_iter().flatten() {
                let vdoc = vdoc.as_str().unwrap_or_default();
                assert!(!is_placeholder(vdoc), "{name}: {e}.{v:?}: {vdoc}");
            }
        }
    }
}

#[test]
fn inferred_times_and_units_are_added_where_missing_and_never_changed() {
    let dir = copy();
    let d = dir.path();
    let original = files(d);
    // A node that lacks what the metadata's words state gets it back.
    edit(
        d,
        "DescribeVaults.yaml",
        "        CreatedTime:\n          type: int64\n          timestamp: unix_seconds\n",
        "        CreatedTime:\n          type: int64\n",
    );
    let report = import(&fixture(), &[], d, false).unwrap();
    assert_eq!(report.written.len(), 1, "{:?}", report.written);
    assert_eq!(files(d), original);
    // A unit written by hand stays, and so does a pinned absence.
    edit(
        d,
        "DescribeVaults.yaml",
        "        StorageSize:\n          type: int64\n          unit: bytes\n",
        "        StorageSize:\n          type: int64\n          unit: count\n",
    );
    edit(
        d,
        "DescribeVaults.yaml",
        "        CreatedTime:\n          type: int64\n          timestamp: unix_seconds\n",
        "        CreatedTime:\n          type: int64\n          pinned: [timestamp]\n",
    );
    let before = files(d);
    let report = import(&fixture(), &[], d, false).unwrap();
    assert!(report.written.is_empty(), "{:?}", report.written);
    assert_eq!(files(d), before);
    let vaults = yaml(d, "DescribeVaults.yaml");
    let vault = &vaults["response"]["Vaults"]["items"]["properties"];
    assert_eq!(vault["StorageSize"]["unit"], Value::from("count"));
    assert!(vault["CreatedTime"].get("timestamp").is_none());
}

#[test]
fn a_fresh_import_states_the_metadata_times_and_units() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    import(
        &fixture(),
        &["CreateRestoreJob".into(), "DescribeVaults".into()],
        d,
        false,
    )
    .unwrap();
    let restore = yaml(d, "CreateRestoreJob.yaml");
    // A request time: an int64 whose setter takes a point in time.
    assert_eq!(
        restore["request"]["TargetCreateTime"]["timestamp"],
        Value::from("unix_seconds")
    );
    // Units are facts of responses only.
    assert!(restore["request"]["TargetCreateTime"].get("unit").is_none());
    let vaults = yaml(d, "DescribeVaults.yaml");
    let vault = &vaults["response"]["Vaults"]["items"]["properties"];
    assert_eq!(
        vault["UpdatedTime"]["timestamp"],
        Value::from("unix_seconds")
    );
    assert_eq!(vault["ArchiveBytesDone"]["unit"], Value::from("bytes"));
    assert_eq!(vault["Retention"]["unit"], Value::from("days"));
    assert_eq!(
        vaults["response"]["TotalCount"]["unit"],
        Value::from("count")
    );
}
