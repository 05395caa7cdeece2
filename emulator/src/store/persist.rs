//! The state file (`--state FILE`): everything the API changed, kept across restarts.
//!
//! It is JSON: the format version, the `--seed` and `--jobs` of the data set it belongs to,
//! the backup resources and the restore jobs' changes. It is written after every change
//! that succeeds, atomically: into a temporary file beside it, flushed to disk, then renamed
//! over it (and the folder flushed), so a crash leaves either the old state or the new one. At start an existing file
//! is read back; one written for another data set (seed or size) is refused.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};

use super::resources::State;
use super::restore_jobs::Saved;
use crate::error::Error;

/// The version of the file's layout.
const FORMAT: u32 = 1;

#[derive(Serialize)]
struct Out<'a> {
    format: u32,
    seed: u64,
    jobs: usize,
    resources: &'a State,
    restore_jobs: &'a Saved,
}

#[derive(Deserialize)]
struct In {
    format: u32,
    seed: u64,
    jobs: usize,
    resources: State,
    restore_jobs: Saved,
}

/// Where the state is kept, and for which data set.
#[derive(Debug)]
pub(crate) struct StateFile {
    path: PathBuf,
    seed: u64,
    jobs: usize,
    /// One write at a time, each of the latest state.
    writing: Mutex<()>,
}

fn temporary(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp"))
}

impl StateFile {
    pub(crate) fn new(path: PathBuf, seed: u64, jobs: usize) -> Self {
        Self {
            path,
            seed,
            jobs,
            writing: Mutex::new(()),
        }
    }

    /// The state kept in the file, if it exists.
    pub(crate) fn load(&self) -> Result<Option<(State, Saved)>, Error> {
        let text = match fs::read(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::Io(e)),
        };
        let shown = self.path.display();
        let file: In = serde_json::from_slice(&text)
            .map_err(|e| Error::Config(format!("the state file {shown} is not readable: {e}")))?;
        if file.format != FORMAT {
            return Err(Error::Config(format!(
                "the state file {shown} has format {}, this emulator writes {FORMAT}",
                file.format
            )));
        }
        if (file.seed, file.jobs) != (self.seed, self.jobs) {
            return Err(Error::Config(format!(
                "the state file {shown} belongs to the data set of --seed {} --jobs {}, not --seed {} --jobs {}",
                file.seed, file.jobs, self.seed, self.jobs
            )));
        }
        Ok(Some((file.resources, file.restore_jobs)))
    }

    /// Held while a state is taken and written, so that writes happen one at a time, each of
    /// a state at least as new as the one before.
    pub(crate) fn writing(&self) -> MutexGuard<'_, ()> {
        self.writing.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes `resources` and `restore_jobs` atomically (under [`Self::writing`]).
    pub(crate) fn save(&self, resources: &State, restore_jobs: &Saved) -> io::Result<()> {
        let out = Out {
            format: FORMAT,
            seed: self.seed,
            jobs: self.jobs,
            resources,
            restore_jobs,
        };
        let bytes = serde_json::to_vec(&out).map_err(io::Error::other)?;
        let tmp = temporary(&self.path);
        let mut f = fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, &self.path)?;
        // The rename itself reaches the disk with its folder.
        #[cfg(unix)]
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    }
}
