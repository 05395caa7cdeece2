//! Points in time on the command line: RFC 3339, a date, or unix seconds.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};

/// Parses `2024-05-01T12:00:00Z` (RFC 3339, any offset), `2024-05-01` (midnight UTC) or
/// `1714564800` (unix seconds) into unix seconds.
///
/// ```text
/// 2024-01-01           -> 1704067200
/// 2024-01-01T00:00:00Z -> 1704067200
/// 1704067200           -> 1704067200
/// ```
pub fn parse(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i64>()
            .map_err(|e| format!("{text:?} is not a valid number of seconds: {e}"));
    }
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t.unix_timestamp());
    }
    if let Ok(d) = Date::parse(text, format_description!("[year]-[month]-[day]")) {
        return Ok(d.with_time(Time::MIDNIGHT).assume_utc().unix_timestamp());
    }
    Err(format!(
        "{text:?} is not a time: use RFC 3339 (2024-05-01T12:00:00Z), a date (2024-05-01) or unix seconds"
    ))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn forms() {
        assert_eq!(parse("2024-01-01"), Ok(1_704_067_200));
        assert_eq!(parse("2024-01-01T00:00:00Z"), Ok(1_704_067_200));
        assert_eq!(parse("2024-01-01T08:00:00+08:00"), Ok(1_704_067_200));
        assert_eq!(parse("1704067200"), Ok(1_704_067_200));
        assert!(parse("yesterday").is_err());
        assert!(parse("2024-13-01").is_err());
        assert!(parse("").is_err());
    }
}
