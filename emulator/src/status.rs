//! Restore-job statuses: the final ones the spec documents (spelled by the generated
//! `RestoreJobStatus`) and the lifecycle ones the emulator shows before a job ends, which the
//! spec's enum does not list (it keeps them as `Unknown`).

use hbr_client::describe_restore_jobs2::{ReportTaskStatus, RestoreJobStatus};

static COMPLETE: RestoreJobStatus = RestoreJobStatus::Complete;
static PARTIAL_COMPLETE: RestoreJobStatus = RestoreJobStatus::PartialComplete;
static FAILED: RestoreJobStatus = RestoreJobStatus::Failed;
static REPORT_COMPLETE: ReportTaskStatus = ReportTaskStatus::Complete;

/// The status of a restore job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Finished, all data restored (documented).
    Complete,
    /// Finished, part of the data restored (documented).
    PartialComplete,
    /// Finished without success (documented).
    Failed,
    /// Accepted, not started yet.
    Created,
    /// Running.
    Running,
    /// Being cancelled.
    Canceling,
    /// Cancelled.
    Canceled,
}

impl Status {
    /// Every status.
    const ALL: [Status; 7] = [
        Self::Complete,
        Self::PartialComplete,
        Self::Failed,
        Self::Created,
        Self::Running,
        Self::Canceling,
        Self::Canceled,
    ];

    /// The status spelled `s`, if it is one.
    pub(crate) fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// The wire spelling.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Complete => COMPLETE.as_str(),
            Self::PartialComplete => PARTIAL_COMPLETE.as_str(),
            Self::Failed => FAILED.as_str(),
            Self::Created => "CREATED",
            Self::Running => "RUNNING",
            Self::Canceling => "CANCELING",
            Self::Canceled => "CANCELED",
        }
    }

    /// Whether a job in this status can still be cancelled (it has not started ending).
    pub(crate) fn cancellable(self) -> bool {
        matches!(self, Self::Created | Self::Running)
    }

    /// Whether the job has ended (its `CompleteTime` is set).
    pub(crate) fn finished(self) -> bool {
        matches!(
            self,
            Self::Complete | Self::PartialComplete | Self::Failed | Self::Canceled
        )
    }

    /// The status of a job's file report: complete once the job has ended.
    pub(crate) fn report(self) -> &'static str {
        if self.finished() {
            REPORT_COMPLETE.as_str()
        } else {
            Self::Running.as_str()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_statuses_are_spelled_as_the_spec_says() {
        assert_eq!(
            RestoreJobStatus::VALUES,
            [
                Status::Complete.as_str(),
                Status::PartialComplete.as_str(),
                Status::Failed.as_str()
            ]
        );
        assert_eq!(ReportTaskStatus::VALUES, [Status::Complete.report()]);
        // The lifecycle statuses are the emulator's own; none collides with a documented one.
        for s in [
            Status::Created,
            Status::Running,
            Status::Canceling,
            Status::Canceled,
        ] {
            assert!(RestoreJobStatus::from_wire(s.as_str()).is_unknown());
        }
        for s in Status::ALL {
            assert_eq!(Status::from_wire(s.as_str()), Some(s));
        }
        assert_eq!(Status::from_wire("complete"), None);
    }
}
