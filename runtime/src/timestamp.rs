//! Unix-second timestamps as time values.

use time::OffsetDateTime;

/// A unix time in seconds as a UTC time value (`None` when out of range).
///
/// ```
/// let t = hbr_runtime::timestamp::from_unix_seconds(1554347313).unwrap();
/// assert_eq!(t.year(), 2019);
/// ```
pub fn from_unix_seconds(secs: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

/// A unix time in milliseconds as a UTC time value (`None` when out of range).
pub fn from_unix_millis(millis: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).ok()
}

/// Anything that names an instant, for filters on times: unix seconds, `OffsetDateTime`,
/// `SystemTime`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a point in time",
    label = "expected unix seconds (i64), a time::OffsetDateTime or a std::time::SystemTime",
    note = "a time filter compares instants; parse text into an OffsetDateTime first"
)]
pub trait IntoUnixSeconds {
    /// The instant in unix seconds.
    fn into_unix_seconds(self) -> i64;
}

impl IntoUnixSeconds for i64 {
    fn into_unix_seconds(self) -> i64 {
        self
    }
}

impl IntoUnixSeconds for OffsetDateTime {
    fn into_unix_seconds(self) -> i64 {
        self.unix_timestamp()
    }
}

impl IntoUnixSeconds for std::time::SystemTime {
    fn into_unix_seconds(self) -> i64 {
        OffsetDateTime::from(self).unix_timestamp()
    }
}
