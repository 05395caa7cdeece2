//! The restore jobs: the seeded data set, the jobs created with `CreateRestoreJob` and the
//! jobs cancelled with `CancelRestoreJob`.
//!
//! The seeded jobs stay in their pre-rendered [`Dataset`]; what changes lives in a small
//! lock-protected [`State`]. While nothing was created or cancelled (the benchmarked case),
//! a page does not even take the lock. The status of a created or cancelled job comes from
//! the clock ([`Timing`]) whenever it is read.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::{Mutex, RwLock};

use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::ids::Ids;
use crate::clock::Timing;
use crate::data::{api_order, hbr_id, Job};
use crate::error::ApiError;
use crate::query::{JobView, Query, Selector};
use crate::render::{self, Dataset};
use crate::status::Status;

/// A job created through the API.
#[derive(Clone, Debug)]
struct Created {
    /// Everything fixed at creation; the progress fields are filled in when read.
    job: Job,
    created_ms: i64,
    /// The share of the bytes actually written, in percent.
    dedup_pct: i64,
    cancel_ms: Option<i64>,
}

/// A created job as the state file keeps it (with the attributes the API does not show).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct SavedJob {
    job: Job,
    region_id: String,
    plan_id: String,
    created_ms: i64,
    dedup_pct: i64,
    cancel_ms: Option<i64>,
}

/// What the state file keeps of the restore jobs: the created ones, the seeded ones
/// cancelled (by `RestoreId`, with the time of the cancel), and how many IDs were drawn.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Saved {
    draws: u64,
    created: Vec<SavedJob>,
    cancels: Vec<(String, i64)>,
}

/// What changed since start.
struct State {
    /// Created jobs, in API order.
    created: Vec<Created>,
    /// Seeded jobs (index in API order) cancelled, with the time of the cancel (unix ms).
    seeded_cancels: BTreeMap<usize, i64>,
}

/// What a create builds from the drawn ID: the job as created (status CREATED, no progress)
/// and the share of its bytes (in percent) that will be actually written.
pub(crate) struct NewJob {
    /// The job at creation.
    pub(crate) job: Job,
    /// `ActualBytes` as a percentage of `BytesDone`.
    pub(crate) dedup_pct: i64,
}

/// The limit on created jobs is reached.
#[derive(Debug)]
pub(crate) struct QuotaExceeded {
    /// The limit.
    pub(crate) max: usize,
}

/// Why a cancel is refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CancelError {
    /// No such job in that vault.
    NotFound,
    /// The job has ended; its status.
    Ended(&'static str),
}

/// Where a job on a page comes from.
#[derive(Clone, Copy)]
enum Source {
    Seeded(usize),
    Override(usize),
    Created(usize),
}

/// The jobs on one page, rendered, and how many match over all pages.
pub(crate) struct PageJobs<'a> {
    /// How many jobs match.
    pub(crate) total: u64,
    /// The JSON of each job on the page.
    pub(crate) jobs: Vec<Cow<'a, str>>,
}

/// The restore jobs the emulator serves: the seeded data set plus what the API changed.
pub(crate) struct RestoreJobs {
    dataset: Dataset,
    changed: AtomicBool,
    state: RwLock<State>,
    /// How many generators were drawn for created jobs (their IDs and sizes): the n-th
    /// created job of an emulator started with a given seed always gets the same ID.
    /// Locked before `state`.
    draws: Mutex<u64>,
    ids: Ids,
    timing: Timing,
    max_created: usize,
}

impl RestoreJobs {
    pub(crate) fn new(dataset: Dataset, ids: Ids, timing: Timing, max_created: usize) -> Self {
        Self {
            dataset,
            changed: AtomicBool::new(false),
            state: RwLock::new(State {
                created: Vec::new(),
                seeded_cancels: BTreeMap::new(),
            }),
            draws: Mutex::new(0),
            ids,
            timing,
            max_created,
        }
    }

    /// The seeded jobs, in API order.
    pub(crate) fn seeded(&self) -> &[Job] {
        self.dataset.jobs()
    }

    /// What the state file keeps.
    pub(crate) fn save(&self) -> Saved {
        let draws = *self
            .draws
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let state = self.read();
        Saved {
            draws,
            created: state
                .created
                .iter()
                .map(|c| SavedJob {
                    job: c.job.clone(),
                    region_id: c.job.region_id.clone(),
                    plan_id: c.job.plan_id.clone(),
                    created_ms: c.created_ms,
                    dedup_pct: c.dedup_pct,
                    cancel_ms: c.cancel_ms,
                })
                .collect(),
            cancels: state
                .seeded_cancels
                .iter()
                .filter_map(|(&i, &t)| Some((self.dataset.jobs().get(i)?.restore_id.clone(), t)))
                .collect(),
        }
    }

    /// Takes back what a state file kept; a cancel of a job the data set does not have is
    /// an error (the file belongs to another data set).
    pub(crate) fn load(&self, saved: Saved) -> Result<(), String> {
        let mut seeded_cancels = BTreeMap::new();
        for (id, t) in saved.cancels {
            let index = self
                .dataset
                .jobs()
                .iter()
                .position(|j| j.restore_id == id)
                .ok_or_else(|| format!("the cancelled restore job {id} is not in the data set"))?;
            seeded_cancels.insert(index, t);
        }
        let mut created: Vec<Created> = saved
            .created
            .into_iter()
            .map(|s| Created {
                job: Job {
                    region_id: s.region_id,
                    plan_id: s.plan_id,
                    ..s.job
                },
                created_ms: s.created_ms,
                dedup_pct: s.dedup_pct,
                cancel_ms: s.cancel_ms,
            })
            .collect();
        created.sort_by(|a, b| api_order(&a.job, &b.job));
        let changed = !created.is_empty() || !seeded_cancels.is_empty();
        *self
            .draws
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = saved.draws;
        *self.write() = State {
            created,
            seeded_cancels,
        };
        self.changed.store(changed, AtomicOrdering::Release);
        Ok(())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether integers are rendered as strings.
    pub(crate) fn ints_as_strings(&self) -> bool {
        self.dataset.ints_as_strings()
    }

    /// A created job as it is at `now`.
    fn created_at(&self, c: &Created, now: i64) -> Job {
        let mut job = c.job.clone();
        self.timing
            .advance_created(&mut job, c.created_ms, c.dedup_pct, c.cancel_ms, now);
        job
    }

    /// The status and completion time of a created job at `now`, without building it.
    fn created_status(&self, c: &Created, now: i64) -> (Status, i64) {
        self.timing
            .created_status(c.created_ms, c.job.created_time, c.cancel_ms, now)
    }

    /// A seeded job cancelled at `cancel`, as it is at `now`.
    fn seeded_at(&self, index: usize, cancel: i64, now: i64) -> Option<Job> {
        let mut job = self.dataset.jobs().get(index)?.clone();
        self.timing.advance_cancelled(&mut job, cancel, now);
        Some(job)
    }

    /// The jobs on the page `query` asks for, as they are at `now` (unix ms).
    pub(crate) fn page(&self, query: &Query, now: i64) -> Result<PageJobs<'_>, ApiError> {
        if !self.changed.load(AtomicOrdering::Acquire) {
            let (total, jobs) = self.dataset.page(query)?;
            let jobs = jobs.into_iter().map(Cow::Borrowed).collect();
            return Ok(PageJobs { total, jobs });
        }
        let selector = Selector::new(query)?;
        let state = self.read();
        let (total, tags) = selector.run_tagged(self.merged(&state, now));
        let ints = self.ints_as_strings();
        let jobs: Vec<Cow<'_, str>> = tags
            .into_iter()
            .filter_map(|tag| match tag {
                Source::Seeded(i) => self.dataset.rendered(i).map(Cow::Borrowed),
                Source::Override(i) => {
                    let cancel = *state.seeded_cancels.get(&i)?;
                    let job = self.seeded_at(i, cancel, now)?;
                    Some(Cow::Owned(render::render_job(&job, ints)))
                }
                Source::Created(i) => {
                    let job = self.created_at(state.created.get(i)?, now);
                    Some(Cow::Owned(render::render_job(&job, ints)))
                }
            })
            .collect();
        drop(state);
        Ok(PageJobs { total, jobs })
    }

    /// Every job in API order, as a cheap view (the stored job with its status and
    /// completion time at `now`) tagged with where it comes from; only the jobs that land on
    /// a page are built in full.
    fn merged<'s>(
        &'s self,
        state: &'s State,
        now: i64,
    ) -> impl Iterator<Item = (JobView<'s>, Source)> + 's {
        let created: Vec<JobView<'s>> = state
            .created
            .iter()
            .map(|c| {
                let (status, complete_time) = self.created_status(c, now);
                JobView {
                    job: &c.job,
                    status: status.as_str(),
                    complete_time,
                }
            })
            .collect();
        let seeded = self.dataset.jobs();
        let overrides: Vec<(usize, JobView<'s>)> = state
            .seeded_cancels
            .iter()
            .filter_map(|(&i, &cancel)| {
                let job = seeded.get(i)?;
                let (status, complete_time) =
                    self.timing.cancel_status(job.created_time, cancel, now);
                let view = JobView {
                    job,
                    status: status.as_str(),
                    complete_time,
                };
                Some((i, view))
            })
            .collect();
        let (mut s, mut c, mut o) = (0usize, 0usize, 0usize);
        std::iter::from_fn(move || {
            let take_created = match (seeded.get(s), created.get(c)) {
                (None, None) => return None,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => api_order(b.job, a) != Ordering::Greater,
            };
            if take_created {
                let view = *created.get(c)?;
                c += 1;
                return Some((view, Source::Created(c - 1)));
            }
            let index = s;
            s += 1;
            match overrides.get(o) {
                Some((i, view)) if *i == index => {
                    o += 1;
                    Some((*view, Source::Override(index)))
                }
                _ => seeded
                    .get(index)
                    .map(|job| (JobView::of(job), Source::Seeded(index))),
            }
        })
    }

    /// Creates a job at `now` (unix ms): draws a fresh `RestoreId` and lets `build` make the
    /// job from it and the generator. Returns the ID.
    pub(crate) fn create(
        &self,
        now: i64,
        mut build: impl FnMut(String, &mut StdRng) -> NewJob,
    ) -> Result<String, QuotaExceeded> {
        let quota = QuotaExceeded {
            max: self.max_created,
        };
        if self.read().created.len() >= self.max_created {
            return Err(quota);
        }
        // The scans of the seeded data set happen outside the state lock, so that a create
        // never stalls readers; the draw counter's lock keeps creates in one order.
        let mut draws = self
            .draws
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        loop {
            let mut rng = self.ids.rng(*draws);
            *draws += 1;
            let restore_id = hbr_id(&mut rng, "r-");
            if self
                .dataset
                .jobs()
                .iter()
                .any(|j| j.restore_id == restore_id)
            {
                continue;
            }
            let NewJob { job, dedup_pct } = build(restore_id.clone(), &mut rng);
            let created = Created {
                job,
                created_ms: now,
                dedup_pct,
                cancel_ms: None,
            };
            let mut state = self.write();
            if state.created.len() >= self.max_created {
                return Err(quota);
            }
            if state.created.iter().any(|c| c.job.restore_id == restore_id) {
                continue;
            }
            let at = state
                .created
                .partition_point(|x| api_order(&x.job, &created.job) == Ordering::Less);
            state.created.insert(at, created);
            self.changed.store(true, AtomicOrdering::Release);
            return Ok(restore_id);
        }
    }

    /// Cancels the job `restore_id` of vault `vault_id` at `now` (unix ms). A CREATED or
    /// RUNNING job becomes CANCELING; cancelling a CANCELING job again changes nothing.
    pub(crate) fn cancel(
        &self,
        restore_id: &str,
        vault_id: &str,
        now: i64,
    ) -> Result<(), CancelError> {
        // Found before taking the lock (the seeded data set never changes).
        let seeded_index = self
            .dataset
            .jobs()
            .iter()
            .position(|j| j.restore_id == restore_id);
        let mut state = self.write();
        if let Some(k) = state
            .created
            .iter()
            .position(|c| c.job.restore_id == restore_id)
        {
            let c = state.created.get_mut(k).ok_or(CancelError::NotFound)?;
            if c.job.vault_id != vault_id {
                return Err(CancelError::NotFound);
            }
            let (status, _) = self.created_status(c, now);
            return match status {
                s if s.cancellable() => {
                    c.cancel_ms = Some(now);
                    self.changed.store(true, AtomicOrdering::Release);
                    Ok(())
                }
                Status::Canceling => Ok(()),
                other => Err(CancelError::Ended(other.as_str())),
            };
        }
        let index = seeded_index.ok_or(CancelError::NotFound)?;
        let seeded = self
            .dataset
            .jobs()
            .get(index)
            .ok_or(CancelError::NotFound)?;
        if seeded.vault_id != vault_id {
            return Err(CancelError::NotFound);
        }
        let status = match state.seeded_cancels.get(&index) {
            Some(&cancel) => {
                self.timing
                    .cancel_status(seeded.created_time, cancel, now)
                    .0
            }
            None => Status::from_wire(&seeded.status).ok_or(CancelError::NotFound)?,
        };
        match status {
            s if s.cancellable() => {
                state.seeded_cancels.insert(index, now);
                self.changed.store(true, AtomicOrdering::Release);
                Ok(())
            }
            Status::Canceling => Ok(()),
            other => Err(CancelError::Ended(other.as_str())),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::data::generate_jobs;
    use std::time::Duration;

    const T0: i64 = 1_800_000_000_000;

    #[test]
    fn the_cheap_status_agrees_with_the_built_job() {
        let dataset = Dataset::new(generate_jobs(10, 1), false);
        let timing = Timing::new(Duration::from_secs(10), Duration::from_secs(2));
        let s = RestoreJobs::new(dataset, Ids::new(1, 0), timing, 100);
        let job = generate_jobs(1, 9).remove(0);
        let build = |id: String, _: &mut StdRng| NewJob {
            job: Job {
                restore_id: id,
                vault_id: "v-1".to_owned(),
                created_time: T0 / 1000,
                ..job.clone()
            },
            dedup_pct: 70,
        };
        let id = s.create(T0 + 123, build).unwrap();
        s.create(T0 + 456, build).unwrap();
        s.cancel(&id, "v-1", T0 + 4_321).unwrap();
        let state = s.read();
        for c in &state.created {
            for now in (T0..T0 + 15_000).step_by(37) {
                let job = s.created_at(c, now);
                let (status, complete_time) = s.created_status(c, now);
                assert_eq!(
                    (status.as_str(), complete_time),
                    (job.status.as_str(), job.complete_time),
                    "at {now}"
                );
            }
        }
    }
}
