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

/// Anything that names an instant, for parameters in unix milliseconds: unix milliseconds
/// (`i64`), `OffsetDateTime`, `SystemTime`. A time before 1970 gives negative milliseconds;
/// one beyond the `i64` range of milliseconds saturates.
///
/// ```
/// use hbr_runtime::timestamp::IntoUnixMillis;
/// let t = time::OffsetDateTime::from_unix_timestamp(1_611_109_271).unwrap()
///     + time::Duration::milliseconds(630);
/// assert_eq!(t.into_unix_millis(), 1_611_109_271_630);
/// assert_eq!(1_611_109_271_630_i64.into_unix_millis(), 1_611_109_271_630);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a point in time",
    label = "expected unix milliseconds (i64), a time::OffsetDateTime or a std::time::SystemTime",
    note = "parse text into an OffsetDateTime first"
)]
pub trait IntoUnixMillis {
    /// The instant in unix milliseconds.
    fn into_unix_millis(self) -> i64;
}

impl IntoUnixMillis for i64 {
    fn into_unix_millis(self) -> i64 {
        self
    }
}

impl IntoUnixMillis for OffsetDateTime {
    fn into_unix_millis(self) -> i64 {
        let millis = self.unix_timestamp_nanos() / 1_000_000;
        i64::try_from(millis).unwrap_or(if millis < 0 { i64::MIN } else { i64::MAX })
    }
}

impl IntoUnixMillis for std::time::SystemTime {
    fn into_unix_millis(self) -> i64 {
        OffsetDateTime::from(self).into_unix_millis()
    }
}
