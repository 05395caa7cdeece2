//! The store: every resource the emulator serves, seeded at start and changed by the actions.
//! Each kind of resource has a module of its own; handlers reach them through [`Store`].

mod restore_jobs;

pub(crate) use restore_jobs::{CancelError, NewJob, QuotaExceeded, RestoreJobs};

/// Everything the actions read and change.
pub(crate) struct Store {
    /// The restore jobs: the seeded data set and the jobs created or cancelled since.
    pub(crate) restore_jobs: RestoreJobs,
}
