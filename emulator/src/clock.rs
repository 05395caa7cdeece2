//! The clock: the wall-clock time of a request, and what a job created or cancelled through
//! the API looks like at a given time. Nothing runs in the background; a job's status and
//! progress are computed from the clock whenever it is read:
//!
//! * CREATED for the first tenth of [`crate::EmulatorConfig::job_duration`],
//! * then RUNNING, `BytesDone`, `ItemsDone`, `ActualBytes` and `Progress` growing linearly,
//! * then COMPLETE (`Progress` 10000) with `CompleteTime` = creation + the duration.
//!
//! A cancel freezes the progress where it was, shows CANCELING for
//! [`crate::EmulatorConfig::cancel_duration`], then CANCELED with `CompleteTime` set.

use std::time::Duration;

use crate::data::{round_up_mib, Job};
use crate::status::Status;

/// The current wall-clock time in unix milliseconds.
pub(crate) fn now_ms() -> i64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX)
}

/// Unix milliseconds rounded up to a whole second.
fn ceil_secs(ms: i64) -> i64 {
    ms.div_euclid(1000) + i64::from(ms.rem_euclid(1000) != 0)
}

/// `value * num / den` without overflow (`value` when `den` is not positive).
fn scale(value: i64, num: i64, den: i64) -> i64 {
    if den <= 0 {
        return value;
    }
    i64::try_from(i128::from(value) * i128::from(num) / i128::from(den)).unwrap_or(value)
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Where a job stands at a moment: its status, how much of its work is done, and its times
/// (unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Phase {
    /// CREATED, RUNNING or COMPLETE.
    pub(crate) status: Status,
    /// The share of the work done, as a fraction.
    pub(crate) done: (i64, i64),
    /// When it started; 0 while CREATED.
    pub(crate) start_time: i64,
    /// When it completed; 0 before.
    pub(crate) complete_time: i64,
    /// When it last changed.
    pub(crate) updated_time: i64,
    /// Whole seconds it has run (at least 1), for its speed.
    pub(crate) run_secs: i64,
}

impl Phase {
    /// The done share of `total`.
    pub(crate) fn scale(&self, total: i64) -> i64 {
        scale(total, self.done.0, self.done.1)
    }

    /// `Progress` in hundredths of a percent: 10000 when COMPLETE, else `done / total`
    /// (at most 9999).
    pub(crate) fn progress(&self, done: i64, total: i64) -> i32 {
        if self.status == Status::Complete {
            10_000
        } else {
            i32::try_from(scale(10_000, done, total.max(1)))
                .unwrap_or(0)
                .min(9_999)
        }
    }
}

/// `value * pct / 100` without overflow.
pub(crate) fn percent(value: i64, pct: i64) -> i64 {
    scale(value, pct, 100)
}

/// How long created and cancelled jobs take.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timing {
    /// From creation to COMPLETE, in ms (at least 1).
    job_ms: i64,
    /// From cancel to CANCELED, in ms.
    cancel_ms: i64,
}

/// When a created job started and finished, as its fields show them (unix seconds).
struct Schedule {
    queue_ms: i64,
    start: i64,
    complete: i64,
}

impl Timing {
    /// From the configured durations.
    pub(crate) fn new(job: Duration, cancel: Duration) -> Self {
        Self {
            job_ms: millis(job).max(1),
            cancel_ms: millis(cancel).max(0),
        }
    }

    fn schedule(&self, created_ms: i64) -> Schedule {
        let queue_ms = self.job_ms / 10;
        let start = ceil_secs(created_ms + queue_ms);
        Schedule {
            queue_ms,
            start,
            complete: ceil_secs(created_ms + self.job_ms).max(start),
        }
    }

    /// The status and `CompleteTime` of a job created at `created_ms` and perhaps
    /// cancelled at `cancel` (both unix ms), at `now`, without building the job (the same
    /// values [`Self::advance_created`] sets).
    pub(crate) fn created_status(
        &self,
        created_ms: i64,
        created_time: i64,
        cancel: Option<i64>,
        now: i64,
    ) -> (Status, i64) {
        if let Some(cancel) = cancel {
            return self.cancel_status(created_time, cancel, now);
        }
        let elapsed = now.saturating_sub(created_ms);
        let schedule = self.schedule(created_ms);
        if elapsed >= self.job_ms {
            (Status::Complete, schedule.complete)
        } else if elapsed >= schedule.queue_ms {
            (Status::Running, 0)
        } else {
            (Status::Created, 0)
        }
    }

    /// The status and `CompleteTime` of a job created at `created_time` (unix s) and
    /// cancelled at `cancel` (unix ms), at `now`.
    pub(crate) fn cancel_status(&self, created_time: i64, cancel: i64, now: i64) -> (Status, i64) {
        let done = cancel.saturating_add(self.cancel_ms);
        if now < done {
            (Status::Canceling, 0)
        } else {
            (Status::Canceled, ceil_secs(done).max(created_time))
        }
    }

    /// The status, `CompleteTime` and `UpdatedTime` (unix s) of a job created at
    /// `created_time` (unix s) and cancelled at `cancel` (unix ms), at `now`.
    pub(crate) fn cancelled_times(
        &self,
        created_time: i64,
        cancel: i64,
        now: i64,
    ) -> (Status, i64, i64) {
        let (status, complete_time) = self.cancel_status(created_time, cancel, now);
        let updated_time = if status == Status::Canceling {
            cancel.div_euclid(1000).max(created_time)
        } else {
            complete_time
        };
        (status, complete_time, updated_time)
    }

    /// Sets the fields of a job created at `created_ms` (its stored record, with the share
    /// `dedup_pct` of bytes actually written), perhaps cancelled at `cancel`, to what they
    /// are at `now`.
    pub(crate) fn advance_created(
        &self,
        job: &mut Job,
        created_ms: i64,
        dedup_pct: i64,
        cancel: Option<i64>,
        now: i64,
    ) {
        let until = cancel.map_or(now, |t| t.min(now));
        self.progress_at(job, created_ms, dedup_pct, until);
        if let Some(cancel) = cancel {
            self.advance_cancelled(job, cancel, now);
        }
    }

    /// Where a job created at `created_ms` (unix ms; `created_time` in unix s) stands at
    /// `at` (unix ms), without a cancel.
    pub(crate) fn phase(&self, created_ms: i64, created_time: i64, at: i64) -> Phase {
        let run_ms = self.job_ms;
        let elapsed = at.saturating_sub(created_ms).max(0);
        let Schedule {
            queue_ms: queue,
            start,
            complete,
        } = self.schedule(created_ms);
        if elapsed >= run_ms {
            Phase {
                status: Status::Complete,
                done: (1, 1),
                start_time: start,
                complete_time: complete,
                updated_time: complete,
                run_secs: (complete - start).max(1),
            }
        } else if elapsed >= queue {
            Phase {
                status: Status::Running,
                done: (elapsed - queue, (run_ms - queue).max(1)),
                start_time: start,
                complete_time: 0,
                updated_time: at.div_euclid(1000).max(start),
                run_secs: ((elapsed - queue) / 1000).max(1),
            }
        } else {
            Phase {
                status: Status::Created,
                done: (0, 1),
                start_time: 0,
                complete_time: 0,
                updated_time: created_time,
                run_secs: 1,
            }
        }
    }

    /// Sets the progress fields of a created job as they are at `at` (unix ms).
    fn progress_at(&self, job: &mut Job, created_ms: i64, dedup_pct: i64, at: i64) {
        let phase = self.phase(created_ms, job.created_time, at);
        let status = phase.status;
        job.status = status.as_str().to_owned();
        job.bytes_done = phase.scale(job.bytes_total);
        job.items_done = phase.scale(job.items_total);
        job.actual_items = job.items_done;
        job.actual_bytes = scale(job.bytes_done, dedup_pct, 100);
        job.metering_bytes_done = round_up_mib(job.bytes_done);
        job.progress = phase.progress(job.bytes_done, job.bytes_total);
        job.start_time = phase.start_time;
        job.complete_time = phase.complete_time;
        job.updated_time = phase.updated_time;
        job.speed = if status == Status::Created {
            0
        } else {
            job.bytes_done / 1024 / phase.run_secs
        };
        if let Some(report) = &mut job.report {
            report.report_task_status = status.report().to_owned();
        }
    }

    /// Turns a job cancelled at `cancel` (unix ms) into what it is at `now`.
    pub(crate) fn advance_cancelled(&self, job: &mut Job, cancel: i64, now: i64) {
        let (status, complete_time, updated_time) =
            self.cancelled_times(job.created_time, cancel, now);
        job.status = status.as_str().to_owned();
        job.complete_time = complete_time;
        job.updated_time = updated_time;
        if let Some(report) = &mut job.report {
            report.report_task_status = status.report().to_owned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_round_up() {
        assert_eq!(
            [
                ceil_secs(0),
                ceil_secs(1),
                ceil_secs(999),
                ceil_secs(1000),
                ceil_secs(1001)
            ],
            [0, 1, 1, 1, 2]
        );
        assert_eq!(ceil_secs(-1), 0);
    }

    #[test]
    fn scaling_does_not_overflow() {
        assert_eq!(scale(i64::MAX, 1, 2), i64::MAX / 2);
        assert_eq!(scale(10, 3, 0), 10);
        assert_eq!(scale(10, 3, 4), 7);
    }
}
