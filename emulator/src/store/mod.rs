//! The store: every resource the emulator serves, seeded at start and changed by the actions.
//! Each kind of resource has a module of its own; handlers reach them through [`Store`].

mod ids;
mod persist;
mod replications;
mod resources;
mod restore_jobs;
mod snapshots;

pub(crate) use ids::Ids;
pub(crate) use persist::StateFile;
pub(crate) use replications::Replication;
pub(crate) use resources::{text, BackupJob, Plan, Record, Resources, State, VAULT_READY};
pub(crate) use restore_jobs::{CancelError, NewJob, QuotaExceeded, RestoreJobs};
pub(crate) use snapshots::{int, source_field, SnapshotView};

use std::collections::BTreeMap;

use crate::error::Error;

/// The identifier streams: one for restore jobs, one for the backup resources.
pub(crate) const RESTORE_IDS: u64 = 0;
/// See [`RESTORE_IDS`].
pub(crate) const RESOURCE_IDS: u64 = 1;

/// Everything the actions read and change.
pub(crate) struct Store {
    /// The restore jobs: the seeded data set and the jobs created or cancelled since.
    pub(crate) restore_jobs: RestoreJobs,
    /// Vaults, backup plans, backup jobs, snapshots, policies and their bindings.
    pub(crate) resources: Resources,
    /// Where the state is kept across restarts, if anywhere.
    state_file: Option<StateFile>,
    /// The fixed listings of [`crate::EmulatorConfig::listings`], by action.
    listings: BTreeMap<String, Vec<Record>>,
}

impl Store {
    /// A store of `restore_jobs` and `resources`, kept in `state_file` if one is given (whose
    /// state, if it exists, replaces theirs now).
    pub(crate) fn new(
        restore_jobs: RestoreJobs,
        resources: Resources,
        state_file: Option<StateFile>,
    ) -> Result<Self, Error> {
        if let Some(file) = &state_file {
            if let Some((state, saved)) = file.load()? {
                restore_jobs.load(saved).map_err(Error::Config)?;
                resources.replace(state);
            }
        }
        Ok(Self {
            restore_jobs,
            resources,
            state_file,
            listings: BTreeMap::new(),
        })
    }

    /// The store with fixed `listings` (by action; each must be a pageable operation).
    pub(crate) fn with_listings(
        mut self,
        listings: BTreeMap<String, Vec<Record>>,
    ) -> Result<Self, Error> {
        for action in listings.keys() {
            let pages = hbr_client::registry::find(action)
                .map_err(|e| Error::Config(format!("listings: {e}")))?
                .paging
                .is_some();
            if !pages {
                return Err(Error::Config(format!(
                    "listings: {action} does not page, so it has no listing to serve"
                )));
            }
        }
        self.listings = listings;
        Ok(self)
    }

    /// The fixed listing of `action`, if one was given.
    pub(crate) fn listing(&self, action: &str) -> Option<&[Record]> {
        self.listings.get(action).map(Vec::as_slice)
    }

    /// Records a change in the state file, if there is one. A failed write is logged: the
    /// change stands in memory, and the next write carries it.
    pub(crate) fn saved(&self) {
        let Some(file) = &self.state_file else {
            return;
        };
        let _one = file.writing();
        let restore_jobs = self.restore_jobs.save();
        let resources = self.resources.read();
        if let Err(e) = file.save(&resources, &restore_jobs) {
            tracing::error!(error = %e, "the state file could not be written");
        }
    }

    /// Whether success bodies send integers as strings (a fault).
    pub(crate) fn ints_as_strings(&self) -> bool {
        self.restore_jobs.ints_as_strings()
    }

    /// Every snapshot served at `now`.
    pub(crate) fn snapshots<'a>(
        &'a self,
        state: &'a State,
        now: i64,
    ) -> impl Iterator<Item = SnapshotView> + 'a {
        snapshots::all(
            state,
            self.restore_jobs.seeded(),
            &self.resources.timing,
            now,
        )
    }

    /// The snapshot `id` served at `now`, if any.
    pub(crate) fn snapshot(&self, state: &State, now: i64, id: &str) -> Option<SnapshotView> {
        snapshots::find(
            state,
            self.restore_jobs.seeded(),
            &self.resources.timing,
            now,
            id,
        )
    }
}
