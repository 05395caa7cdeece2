//! What a metadata integer means: a point in time (unix seconds or milliseconds) or a quantity
//! in a unit, inferred from the words its description uses and the magnitude of its example.
//!
//! - A description naming a unix time (`UNIX`, `时间戳`, `timestamp`) is a timestamp: in
//!   milliseconds when it says `毫秒` or `millisecond`, in seconds when it says `秒` or
//!   `second`, else by the example's magnitude (seconds by default).
//! - A description naming a time (`时间`) whose example is a plausible unix time (10 digits:
//!   seconds, 13 digits: milliseconds) is a timestamp too; `保留时间` with example `7` is not.
//! - Otherwise the unit it states, first match wins: bytes (`字节`, `byte`), KiB per second
//!   (`KB/s`), hundredths of a percent (`100%*100`), days (`天数`, `单位为天`, `Unit: days`,
//!   `in days`), seconds (`单位为秒`, `30秒`, `Unit: seconds`, `in seconds`), count (`数量`,
//!   `个数`, `记录数`, `文件数`, `总数` but not `总数据量`).
//!
//! The English words are those of the official SDK's model comments (`hbr-codegen import` of
//! its models); a count is not inferred from English, where "the number of" also opens
//! descriptions of sizes and identifiers.

use serde_json::Value as Json;

use crate::model::Unit;

/// A timestamp or a unit, as the spec spells them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Meaning {
    /// `unix_seconds` or `unix_millis`.
    pub timestamp: Option<&'static str>,
    /// A unit name of the spec (`bytes`, `days`, ...).
    pub unit: Option<&'static str>,
}

impl Meaning {
    /// A short description that states this meaning and nothing else (what the import
    /// fixtures keep of a description), or `None` when there is nothing to state.
    pub fn words(self) -> Option<&'static str> {
        Some(match (self.timestamp, self.unit) {
            (Some(hbr_attr_keys::UNIX_MILLIS), _) => "UNIX 毫秒",
            (Some(_), _) => "UNIX 秒",
            (None, Some(unit)) => match Unit::from_name(unit)? {
                Unit::Bytes => "字节",
                Unit::KibPerSecond => "KB/s",
                Unit::PercentX100 => "100%*100",
                Unit::Days => "天数",
                Unit::Seconds => "单位为秒",
                Unit::Count => "数量",
            },
            (None, None) => return None,
        })
    }
}

/// The meaning of an integer schema from its `description` and `example`.
///
/// ```
/// use hbr_codegen::import::integer_meaning;
/// let m = integer_meaning(&serde_json::json!({"type": "integer", "example": "1554347313"}));
/// assert_eq!(m.timestamp, None); // a number alone says nothing
/// let m = integer_meaning(&serde_json::json!({"description": "UNIX 毫秒", "example": 1}));
/// assert_eq!(m.timestamp, Some("unix_millis"));
/// ```
pub fn integer_meaning(schema: &Json) -> Meaning {
    let desc = schema
        .get("description")
        .and_then(Json::as_str)
        .unwrap_or_default();
    let timestamp = timestamp(desc, example(schema));
    Meaning {
        timestamp,
        unit: if timestamp.is_some() {
            None
        } else {
            unit(desc).map(Unit::name)
        },
    }
}

fn example(schema: &Json) -> Option<i64> {
    match schema.get("example")? {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn timestamp(desc: &str, example: Option<i64>) -> Option<&'static str> {
    let magnitude = match example {
        Some(v) if (1_000_000_000..10_000_000_000).contains(&v) => {
            Some(hbr_attr_keys::UNIX_SECONDS)
        }
        Some(v) if (1_000_000_000_000..10_000_000_000_000).contains(&v) => {
            Some(hbr_attr_keys::UNIX_MILLIS)
        }
        _ => None,
    };
    let lower = desc.to_ascii_lowercase();
    if lower.contains("unix") || lower.contains("timestamp") || desc.contains("时间戳") {
        if desc.contains("毫秒") || lower.contains("millisecond") {
            Some(hbr_attr_keys::UNIX_MILLIS)
        } else if desc.contains('秒') || lower.contains("second") {
            Some(hbr_attr_keys::UNIX_SECONDS)
        } else {
            magnitude.or(Some(hbr_attr_keys::UNIX_SECONDS))
        }
    } else if desc.contains("时间") {
        magnitude
    } else {
        None
    }
}

fn unit(desc: &str) -> Option<Unit> {
    let has = |words: &[&str]| words.iter().any(|w| desc.contains(w));
    let lower = desc.to_ascii_lowercase();
    let english = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["字节"]) || lower.contains("byte") {
        Some(Unit::Bytes)
    } else if has(&["KB/s"]) {
        Some(Unit::KibPerSecond)
    } else if has(&["100%*100"]) {
        Some(Unit::PercentX100)
    } else if has(&["天数", "单位为天", "单位：天", "单位:天", "单位是天"])
        || english(&["unit: day", "in days"])
    {
        Some(Unit::Days)
    } else if has(&["单位秒", "单位为秒", "单位：秒", "单位:秒", "单位是秒"])
        || digits_then_seconds(desc)
        || english(&["unit: second", "in seconds"])
    {
        Some(Unit::Seconds)
    } else if has(&["数量", "个数", "记录数", "文件数"]) || total_not_data(desc) {
        Some(Unit::Count)
    } else {
        None
    }
}

/// `30秒`: a number of seconds.
fn digits_then_seconds(desc: &str) -> bool {
    desc.match_indices('秒').any(|(i, _)| {
        desc[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// `总数` (a total number), but not `总数据量` (a total amount of data).
fn total_not_data(desc: &str) -> bool {
    desc.match_indices("总数")
        .any(|(i, w)| !desc[i + w.len()..].starts_with('据'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(desc: &str, example: Json) -> Meaning {
        integer_meaning(&json!({"type": "integer", "description": desc, "example": example}))
    }

    #[test]
    fn times_by_their_words_then_by_magnitude() {
        assert_eq!(
            m("UNIX时间，单位为毫秒。", json!("1")).timestamp,
            Some("unix_millis")
        );
        assert_eq!(
            m("UNIX时间戳，单位秒。", json!("1")).timestamp,
            Some("unix_seconds")
        );
        assert_eq!(
            m("更新时间。", json!("1639645628")).timestamp,
            Some("unix_seconds")
        );
        assert_eq!(
            m("开始时间。", json!(1642492553038_i64)).timestamp,
            Some("unix_millis")
        );
        assert_eq!(m("保留时间。", json!("7")), Meaning::default());
        assert_eq!(m("间隔时间，单位秒。", json!("900")).unit, Some("seconds"));
    }

    #[test]
    fn the_sdk_comments_english_words() {
        let t = |d: &str| m(d, Json::Null).timestamp;
        assert_eq!(
            t("The value is a UNIX timestamp. Unit: seconds."),
            Some("unix_seconds")
        );
        assert_eq!(t("UNIX timestamp in seconds."), Some("unix_seconds"));
        assert_eq!(
            t("Must be a UNIX timestamp. Unit: milliseconds."),
            Some("unix_millis")
        );
        assert_eq!(t("The time when the job ended."), None);
        let u = |d: &str| m(d, Json::Null).unit;
        assert_eq!(u("The retention period. Unit: days."), Some("days"));
        assert_eq!(
            u("The timeout period, in seconds. Default value: 30."),
            Some("seconds")
        );
        assert_eq!(u("The total amount of data. Unit: bytes."), Some("bytes"));
        assert_eq!(u("The number of data sources bound to the policy."), None);
    }

    #[test]
    fn units_first_match_wins() {
        assert_eq!(
            m("数据源总数据量。单位为字节。", json!("1")).unit,
            Some("bytes")
        );
        assert_eq!(m("使用量。单位为Byte。", json!("1")).unit, Some("bytes"));
        assert_eq!(
            m("速度。单位为KB/s。", json!("1")).unit,
            Some("kib_per_second")
        );
        assert_eq!(
            m("进度。值为100%*100。", json!("1")).unit,
            Some("percent_x100")
        );
        assert_eq!(m("保留时长，单位：天。", json!("2")).unit, Some("days"));
        assert_eq!(
            m("超时时间。默认为30秒。", json!("30")).unit,
            Some("seconds")
        );
        assert_eq!(m("项目总数。", json!("1")).unit, Some("count"));
        assert_eq!(m("总数据量。", json!("1")).unit, None);
        assert_eq!(m("分页大小。", json!("10")).unit, None);
    }

    #[test]
    fn the_fixture_words_state_the_same_meaning() {
        for (desc, ex) in [
            ("UNIX时间，单位为毫秒。", json!("1")),
            ("更新时间。", json!("1639645628")),
            ("单位为字节。", json!("1")),
            ("KB/s", json!("1")),
            ("100%*100", json!("1")),
            ("单位：天", json!("1")),
            ("30秒", json!("1")),
            ("个数", json!("1")),
        ] {
            let meaning = m(desc, ex);
            let words = meaning.words().unwrap_or_default();
            assert_eq!(m(words, Json::Null), meaning, "{desc} → {words}");
        }
    }
}
