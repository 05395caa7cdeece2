//! The values of friendly flags (`--status`, `--type`, `--source-type`, ...) against the
//! values the generated enums document (`VALUES`).
//!
//! A documented value is taken in any case and sent in its documented spelling. A value one
//! edit away from a documented one is a typo (`FAILD`): it is refused, exit 2, with "did you
//! mean FAILED". Any other value is sent as given, after one warning line on stderr, as
//! `hbr call` does for a value outside a parameter's documented list: the service is the
//! judge of a value, and its lists grow before the documentation's do.

use std::io::Write;

use crate::error::CliError;

/// The value of `flag` to send: `value` in its documented spelling, or as given (after a
/// warning) when it is not documented and not a typo of a documented value.
pub fn value(flag: &str, value: &str, documented: &[&str]) -> Result<String, CliError> {
    match check(flag, value, documented)? {
        Checked::Documented(v) => Ok(v.to_owned()),
        Checked::Open { value, warning } => {
            // A closed stderr loses the warning, never the command.
            let _ = writeln!(std::io::stderr().lock(), "{warning}");
            Ok(value)
        }
    }
}

/// What [`check`] found.
#[derive(Debug, PartialEq, Eq)]
enum Checked<'a> {
    /// A documented value, in its documented spelling.
    Documented(&'a str),
    /// A value outside the documented ones, sent as given, and the warning line.
    Open { value: String, warning: String },
}

fn check<'a>(flag: &str, value: &str, documented: &[&'a str]) -> Result<Checked<'a>, CliError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(CliError::Usage(format!(
            "{flag} needs a value: {}",
            documented.join(", ")
        )));
    }
    if let Some(known) = documented.iter().find(|d| d.eq_ignore_ascii_case(value)) {
        return Ok(Checked::Documented(known));
    }
    if let Some(best) = hbr_suggest::one_edit_away(value, documented) {
        return Err(CliError::Usage(format!(
            "{flag}: {value:?} is not a documented value; did you mean {best}? (documented: {})",
            documented.join(", ")
        )));
    }
    Ok(Checked::Open {
        value: value.to_owned(),
        warning: format!(
            "warning: {flag}: {value:?} is not among the documented values ({}); it is sent as given",
            documented.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use hbr_client::describe_restore_jobs2::RestoreJobStatus;
    use hbr_client::types::RestoreType;

    use super::*;

    #[test]
    fn documented_typos_and_open_values() {
        assert_eq!(
            check("--status", "failed", RestoreJobStatus::VALUES).ok(),
            Some(Checked::Documented("FAILED"))
        );
        let typo = check("--status", "FAILD", RestoreJobStatus::VALUES)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            typo.starts_with("--status: \"FAILD\" is not a documented value; did you mean FAILED?"),
            "{typo}"
        );
        let typo = check("--type", "ECS_FLIE", RestoreType::VALUES)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(typo.contains("did you mean ECS_FILE?"), "{typo}");
        match check("--status", "ARCHIVED_SOMEWHERE", RestoreJobStatus::VALUES) {
            Ok(Checked::Open { value, warning }) => {
                assert_eq!(value, "ARCHIVED_SOMEWHERE");
                assert!(warning.starts_with("warning: --status: \"ARCHIVED_SOMEWHERE\" is not among the documented values ("), "{warning}");
                assert!(warning.ends_with("); it is sent as given"), "{warning}");
            }
            other => panic!("{other:?}"),
        }
        assert!(check("--status", " ", RestoreJobStatus::VALUES).is_err());
    }
}
