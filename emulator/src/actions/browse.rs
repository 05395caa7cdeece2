//! `BrowseFiles`: the files and folders a snapshot holds, one folder at a time.
//!
//! The emulator keeps no file contents, so each snapshot holds a deterministic tree drawn
//! from its hash: the folders on the way to each path the backup covered (the snapshot's
//! `Paths`; `/` when it has none), and under each covered path, down to two levels of
//! sub-folders, one to three folders `dir-N` and 3 to 22 files with sizes, the same on every
//! run. A folder is named by its absolute path (`AbsolutePath`) or by the hash an earlier
//! answer gave in its `Subtree` (`Path`); entries come folders first, then files, by name,
//! paged by token. `Type` is `directory` or `file`.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use hbr_client::browse_files::BrowseFilesRequest;

use super::listing::paged;
use super::{Action, Call};
use crate::error::ApiError;
use crate::store::{text, Record, Store};

pub(crate) const BROWSE: Action = Action::of::<BrowseFilesRequest>(browse);

/// How many levels of generated sub-folders a covered path has below it.
const GENERATED_DEPTH: usize = 2;
/// The endings of the generated files.
const ENDINGS: [&str; 6] = ["log", "conf", "db", "tar.gz", "txt", "json"];

/// A folder's absolute path without a trailing slash (`/` for the top).
fn normalized(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    format!("/{}", parts.join("/"))
}

fn depth(path: &str) -> usize {
    path.split('/').filter(|p| !p.is_empty()).count()
}

fn digest(hash: &str, path: &str) -> [u8; 32] {
    Sha256::digest(format!("{hash}\n{path}").as_bytes()).into()
}

/// The `Subtree` that names the folder `path` of the snapshot `hash`.
pub(crate) fn subtree(hash: &str, path: &str) -> String {
    digest(hash, &format!("subtree:{path}"))
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One snapshot's tree.
struct Tree {
    hash: String,
    /// The covered paths, normalized.
    roots: Vec<String>,
}

impl Tree {
    fn of(snapshot: &Record) -> Self {
        let paths = match snapshot.get("Paths") {
            Some(Value::Object(wrapped)) => wrapped.get("Path").cloned(),
            other => other.cloned(),
        };
        let mut roots: Vec<String> = paths
            .as_ref()
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(normalized)
                    .collect()
            })
            .unwrap_or_default();
        if roots.is_empty() {
            roots.push("/".to_owned());
        }
        roots.sort();
        roots.dedup();
        Self {
            hash: text(snapshot, "SnapshotHash").to_owned(),
            roots,
        }
    }

    /// The covered path `dir` is in, if any.
    fn covering(&self, dir: &str) -> Option<&str> {
        self.roots
            .iter()
            .find(|r| r.as_str() == "/" || dir == r.as_str() || dir.starts_with(&format!("{r}/")))
            .map(String::as_str)
    }

    fn child(parent: &str, name: &str) -> String {
        if parent == "/" {
            format!("/{name}")
        } else {
            format!("{parent}/{name}")
        }
    }

    /// The entries of the folder `dir`, or `None` when the snapshot has no such folder.
    fn entries(&self, dir: &str) -> Option<Vec<Record>> {
        if let Some(root) = self.covering(dir) {
            let below = depth(dir) - depth(root);
            if below > GENERATED_DEPTH {
                return None;
            }
            return Some(self.generated(dir, below));
        }
        // A folder on the way to covered paths: their next components.
        let mut names: Vec<&str> = self
            .roots
            .iter()
            .filter_map(|r| {
                let rest = if dir == "/" {
                    r.strip_prefix('/')
                } else {
                    r.strip_prefix(dir)?.strip_prefix('/')
                }?;
                rest.split('/').next()
            })
            .collect();
        names.sort_unstable();
        names.dedup();
        if names.is_empty() {
            return None;
        }
        Some(names.into_iter().map(|n| self.folder(dir, n)).collect())
    }

    fn folder(&self, parent: &str, name: &str) -> Record {
        let path = Self::child(parent, name);
        node(name, "directory", 0, Some(subtree(&self.hash, &path)))
    }

    /// A covered folder's generated entries, `below` levels under its covered path.
    fn generated(&self, dir: &str, below: usize) -> Vec<Record> {
        let seed = digest(&self.hash, dir);
        let folders = if below < GENERATED_DEPTH {
            1 + usize::from(seed[0] % 3)
        } else {
            0
        };
        let files = 3 + usize::from(seed[1] % 20);
        let mut out: Vec<Record> = (1..=folders)
            .map(|i| self.folder(dir, &format!("dir-{i}")))
            .collect();
        for i in 0..files {
            let at = 2 + (i * 3) % 27;
            let size = u64::from(u32::from_le_bytes([
                seed[at],
                seed[at + 1],
                seed[at + 2],
                seed[(at + 3) % 32],
            ])) % (64 << 20)
                + 1;
            let ending = ENDINGS[usize::from(seed[(i + 7) % 32]) % ENDINGS.len()];
            out.push(node(&format!("file-{i:02}.{ending}"), "file", size, None));
        }
        out
    }

    /// The absolute path of the folder whose `Subtree` is `wanted`, if there is one.
    fn folder_named(&self, wanted: &str) -> Option<String> {
        let mut queue = vec!["/".to_owned()];
        while let Some(dir) = queue.pop() {
            if subtree(&self.hash, &dir) == wanted {
                return Some(dir);
            }
            for entry in self.entries(&dir).unwrap_or_default() {
                if text(&entry, "Type") == "directory" {
                    queue.push(Self::child(&dir, text(&entry, "Name")));
                }
            }
        }
        None
    }
}

fn node(name: &str, kind: &str, size: u64, subtree: Option<String>) -> Record {
    let mut r = Record::new();
    r.insert("Name".to_owned(), json!(name));
    r.insert("Type".to_owned(), json!(kind));
    r.insert("Size".to_owned(), json!(size));
    if let Some(s) = subtree {
        r.insert("Subtree".to_owned(), json!(s));
    }
    r
}

fn browse(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let hash = call.need("SnapshotHash")?;
    let vault_id = call.text("VaultId").filter(|v| !v.is_empty());
    let state = store.resources.read();
    let snapshot = store
        .snapshots(&state, call.now_ms)
        .find(|s| {
            text(&s.record, "SnapshotHash") == hash
                && vault_id.is_none_or(|v| text(&s.record, "VaultId") == v)
        })
        .ok_or_else(|| ApiError::not_found("SnapshotHash", hash))?;
    drop(state);
    let tree = Tree::of(&snapshot.record);
    let dir = match (
        call.text("Path").filter(|p| !p.is_empty()),
        call.text("AbsolutePath"),
    ) {
        (Some(named), _) => tree
            .folder_named(named)
            .ok_or_else(|| ApiError::not_found("Path", named))?,
        (None, Some(path)) if !path.is_empty() => normalized(path),
        _ => "/".to_owned(),
    };
    let entries = tree.entries(&dir).ok_or_else(|| {
        ApiError::invalid_parameter(
            "AbsolutePath",
            format!("the snapshot holds no folder {dir:?}"),
        )
    })?;
    paged::<BrowseFilesRequest>(call, entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(paths: &[&str]) -> Tree {
        let mut snapshot = Record::new();
        snapshot.insert("SnapshotHash".into(), json!("h1"));
        snapshot.insert("Paths".into(), json!({ "Path": paths }));
        Tree::of(&snapshot)
    }

    fn names(entries: &[Record]) -> Vec<&str> {
        entries.iter().map(|e| text(e, "Name")).collect()
    }

    #[test]
    fn the_top_leads_to_the_covered_paths() {
        let t = tree(&["/home/", "/var/log", "/var/lib/db"]);
        assert_eq!(names(&t.entries("/").unwrap_or_default()), ["home", "var"]);
        assert_eq!(
            names(&t.entries("/var").unwrap_or_default()),
            ["lib", "log"]
        );
        assert_eq!(t.entries("/etc"), None);
        // A covered path holds generated folders and files, the same every time.
        let home = t.entries("/home").unwrap_or_default();
        assert_eq!(t.entries("/home"), Some(home.clone()));
        assert!(home.iter().any(|e| text(e, "Type") == "file"));
        assert!(text(&home[0], "Name").starts_with("dir-"));
        // Two levels of generated folders, then only files.
        assert!(t
            .entries("/home/dir-1/dir-1")
            .unwrap_or_default()
            .iter()
            .all(|e| text(e, "Type") == "file"));
        assert_eq!(t.entries("/home/dir-1/dir-1/dir-1"), None);
    }

    #[test]
    fn a_subtree_names_its_folder() {
        let t = tree(&["/data"]);
        let top = t.entries("/").unwrap_or_default();
        let data = text(&top[0], "Subtree");
        assert_eq!(t.folder_named(data).as_deref(), Some("/data"));
        let inner = t.entries("/data").unwrap_or_default();
        let dir1 = text(&inner[0], "Subtree");
        assert_eq!(t.folder_named(dir1).as_deref(), Some("/data/dir-1"));
        assert_eq!(t.folder_named("nope"), None);
    }

    #[test]
    fn no_paths_is_the_whole_backup() {
        let mut snapshot = Record::new();
        snapshot.insert("SnapshotHash".into(), json!("h2"));
        let t = Tree::of(&snapshot);
        assert!(t.entries("/").is_some_and(|e| !e.is_empty()));
    }
}
