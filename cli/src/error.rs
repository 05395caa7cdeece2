//! What can go wrong, one line each, and the exit status of each kind.

use hbr_client::registry::CallError;
use hbr_client::ErrorKind;

/// The service answered with an error.
pub const EXIT_API: u8 = 1;
/// Usage, input, validation or configuration error (clap uses 2 for usage errors too).
pub const EXIT_USAGE: u8 = 2;
/// Transport error, timeout or malformed answer.
pub const EXIT_TRANSPORT: u8 = 3;
/// No usable credentials.
pub const EXIT_CREDENTIALS: u8 = 4;
/// A local failure.
pub const EXIT_LOCAL: u8 = 5;
/// A job waited for ended without completing.
pub const EXIT_JOB_FAILED: u8 = 6;
/// The wait for a job timed out.
pub const EXIT_TIMED_OUT: u8 = 7;
/// Outcome unknown: a write was sent and may have been processed, but no answer says so.
pub const EXIT_OUTCOME_UNKNOWN: u8 = 8;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line or the input is wrong (beyond what clap checks).
    #[error("{0}")]
    Usage(String),
    /// The client failed: the service, the transport, credentials, validation, configuration.
    #[error("{0}")]
    Client(#[from] hbr_client::Error),
    /// A dynamic call failed.
    #[error("{0}")]
    Call(#[from] CallError),
    /// A write's outcome is unknown; `hint` says how to check this operation's effect.
    #[error("{error}; {hint}")]
    OutcomeUnknown {
        /// The `OutcomeUnknown` error.
        error: hbr_client::Error,
        /// Where to look and what to run.
        hint: String,
    },
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Output(#[source] std::io::Error),
    /// Something local failed (the async runtime, the embedded emulator).
    #[error("{0}")]
    Local(String),
    /// A job waited for ended without completing.
    #[error("{0}")]
    JobFailed(String),
    /// The wait for a job timed out.
    #[error("{0}")]
    TimedOut(String),
}

impl CliError {
    /// The exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => EXIT_USAGE,
            Self::Client(e) => client_exit_code(e),
            Self::OutcomeUnknown { .. } => EXIT_OUTCOME_UNKNOWN,
            Self::Call(e) => match e {
                CallError::UnknownOperation { .. }
                | CallError::Input { .. }
                | CallError::Validation(_) => EXIT_USAGE,
                CallError::Api(e) => client_exit_code(e),
                CallError::Response { .. } | CallError::Output { .. } => EXIT_LOCAL,
            },
            Self::Output(_) | Self::Local(_) => EXIT_LOCAL,
            Self::JobFailed(_) => EXIT_JOB_FAILED,
            Self::TimedOut(_) => EXIT_TIMED_OUT,
        }
    }

    /// Whether this is stdout being closed early (`hbr ... | head`), which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Self::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// The message, on one line, without the `error: ` prefix.
    pub fn one_line(&self) -> String {
        let text = match self {
            Self::Client(e) => client_line(e),
            Self::Call(CallError::Api(e)) => client_line(e),
            other => other.to_string(),
        };
        text.split(['\n', '\r'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The exit status for a client error.
fn client_exit_code(error: &hbr_client::Error) -> u8 {
    match error.kind() {
        ErrorKind::Service | ErrorKind::Throttling => EXIT_API,
        ErrorKind::Validation | ErrorKind::Configuration => EXIT_USAGE,
        ErrorKind::Transport | ErrorKind::Timeout | ErrorKind::MalformedResponse => EXIT_TRANSPORT,
        ErrorKind::Credentials => EXIT_CREDENTIALS,
        ErrorKind::OutcomeUnknown => EXIT_OUTCOME_UNKNOWN,
        _ => EXIT_API,
    }
}

/// A client error's line: `<Code> (HTTP <status>): <Message> [request id <id>]` for the
/// service's errors, the error's own text otherwise.
fn client_line(error: &hbr_client::Error) -> String {
    if error.kind() == ErrorKind::OutcomeUnknown {
        return error.to_string();
    }
    match error.service_error() {
        Some(service) => service.to_string(),
        None => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hbr_client::error::{Error, ServiceError};
    use hbr_client::ValidationError;

    #[test]
    fn service_error_line_and_code() {
        let err = CliError::from(Error::service(
            ServiceError::new(
                404,
                Some("InvalidAccessKeyId.NotFound".into()),
                Some("Specified access key is not found.\nsecond line".into()),
            )
            .with_request_id(Some("ABC-1".into())),
        ));
        assert_eq!(err.exit_code(), EXIT_API);
        assert_eq!(
            err.one_line(),
            "InvalidAccessKeyId.NotFound (HTTP 404): Specified access key is not found. second line [request id ABC-1]"
        );
    }

    #[test]
    fn validation_is_usage() {
        let err = CliError::from(Error::from(ValidationError::single(
            "PageSize",
            "must be at most 99, got 100",
        )));
        assert_eq!(err.exit_code(), EXIT_USAGE);
        assert!(err.one_line().contains("PageSize"));
    }

    #[test]
    fn outcome_unknown_has_its_own_code_and_says_so() {
        let cause = Error::service(
            ServiceError::new(500, Some("InternalError".into()), Some("oops".into()))
                .with_request_id(Some("R-9".into())),
        );
        let err = CliError::from(Error::outcome_unknown("CreateRestoreJob", cause, false));
        assert_eq!(err.exit_code(), EXIT_OUTCOME_UNKNOWN);
        let line = err.one_line();
        assert!(
            line.starts_with(
                "outcome unknown: the request may have been processed: CreateRestoreJob"
            ),
            "{line}"
        );
        assert!(line.contains("[request id R-9]"), "{line}");
    }

    #[test]
    fn broken_pipe_is_quiet() {
        let err = CliError::Output(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(err.is_broken_pipe());
        assert_eq!(err.exit_code(), EXIT_LOCAL);
    }
}
