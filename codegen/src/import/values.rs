//! The values a metadata schema documents for a string: its `enum`, the keys of its
//! `enumValueTitles`, and the value lists of its description.
//!
//! Descriptions list values in a few shapes, all recognised here by their markup only (no
//! prose is read or carried over):
//!
//! - a bullet per value, the value first: `- **ECS_FILE**：...`, `* **amd64**`,
//!   `- SELF_ACCOUNT：...`;
//! - inline after the word for "takes the value(s)": `取值为**COMPLETE**`,
//!   `取值：**A**、**B**`.
//!
//! Bullets that are not values are skipped: the parts of a format (`- **startTime**` where the
//! description spells `{startTime}`), conditions on another field (`- **RuleType**取值为...`,
//! `当SourceType取值为**OSS**时`, `- **RuleType** is set to ...`) and lists keyed by another
//! field's values (`根据**X**`, `depending on the **X** field`).
//!
//! The English forms are those of the official SDK's model comments, which
//! `scripts/python/sdk_models.py` hands to the importer as descriptions.

use serde_json::Value as Json;

/// The word introducing a value ("takes the value").
const TAKES: &str = "取值";
/// "according to": the list that follows is keyed by another field's values.
const ACCORDING_TO: &str = "根据**";
/// The same in the official SDK's English comments ("The value has different meanings
/// depending on the **SourceType** field").
const ACCORDING_TO_EN: &[&str] = &["depending on", "depends on", "varies based on"];
/// "is": after a bold field name, a condition on that field.
const IS: &str = "为";
/// The same conditions in the official SDK's English comments (`- **RuleType** is set to
/// **BACKUP**: ...`).
const IS_EN: &[&str] = &["is ", "set to ", "equals "];

/// Every value the schema documents, in the order: `enum`, `enumValueTitles`, description;
/// each once, empty values left out.
///
/// ```
/// use hbr_codegen::import::documented_values;
/// let schema = serde_json::json!({"type": "string", "enum": ["A"], "description": "- **B**：x"});
/// assert_eq!(documented_values(&schema), ["A", "B"]);
/// ```
pub fn documented_values(schema: &Json) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |v: &str| {
        if !v.is_empty() && !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    };
    if let Some(values) = schema.get("enum").and_then(Json::as_array) {
        values.iter().filter_map(Json::as_str).for_each(&mut push);
    }
    if let Some(titles) = schema.get("enumValueTitles").and_then(Json::as_object) {
        titles.keys().map(String::as_str).for_each(&mut push);
    }
    if let Some(desc) = schema.get("description").and_then(Json::as_str) {
        description_values(desc)
            .iter()
            .map(String::as_str)
            .for_each(&mut push);
    }
    out
}

/// Whether a token can be a wire value.
fn is_value(token: &str) -> bool {
    !token.is_empty()
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The values a description lists (see the module documentation).
pub(super) fn description_values(desc: &str) -> Vec<String> {
    let desc = desc.replace("\\_", "_");
    if desc.contains(ACCORDING_TO) || ACCORDING_TO_EN.iter().any(|w| desc.contains(w)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for line in desc.lines() {
        if let Some(v) = bullet_value(&desc, line) {
            out.push(v);
        }
    }
    out.extend(inline_values(&desc));
    out
}

/// The value a bullet line starts with, if it lists one.
fn bullet_value(desc: &str, line: &str) -> Option<String> {
    let rest = line.trim_start();
    let rest = rest.strip_prefix('-').or_else(|| rest.strip_prefix('*'))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    if let Some(bold) = rest.strip_prefix("**") {
        let (token, after) = bold.split_once("**")?;
        let after = after.trim_start();
        let condition = after.starts_with(TAKES)
            || after.starts_with(IS)
            || IS_EN.iter().any(|w| after.starts_with(w));
        let placeholder = desc.contains(&format!("{{{token}}}"));
        return (is_value(token) && !condition && !placeholder).then(|| token.to_owned());
    }
    let token: String = rest
        .chars()
        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
        .collect();
    let after = &rest[token.len()..];
    let separated = after.starts_with('：') || after.starts_with(':');
    let upper = token.chars().any(|c| c.is_ascii_uppercase()) && token.len() >= 2;
    (upper && separated).then_some(token)
}

/// The bold values right after [`TAKES`] when it is not a condition on another field (a
/// field name, bold or not, right before it).
fn inline_values(desc: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in desc.match_indices(TAKES) {
        let before = desc[..at].chars().next_back();
        if before.is_some_and(|c| c == '*' || c.is_ascii_alphanumeric()) {
            continue;
        }
        let mut rest = &desc[at + TAKES.len()..];
        for word in ["范围", "仅", "可"] {
            rest = rest.strip_prefix(word).unwrap_or(rest);
        }
        let Some(after) = ["为", "是", "包括", "：", ":"]
            .iter()
            .find_map(|w| rest.strip_prefix(w))
        else {
            continue;
        };
        let mut rest = after.trim_start_matches([' ', '\t']);
        while let Some(bold) = rest.strip_prefix("**") {
            let Some((token, after)) = bold.split_once("**") else {
                break;
            };
            if !is_value(token) {
                break;
            }
            out.push(token.to_owned());
            rest = after.trim_start_matches(['、', '，', ',', ' ', '或', '和']);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_with_and_without_bold() {
        let d = "Kinds:\n  - **ECS_FILE**：files\n  - **UDM\\_ECS_ROLLBACK**：machines\n* **amd64**\n- SELF_ACCOUNT：own\n- lower: no";
        assert_eq!(
            description_values(d),
            ["ECS_FILE", "UDM_ECS_ROLLBACK", "amd64", "SELF_ACCOUNT"]
        );
    }

    #[test]
    fn format_parts_conditions_and_keyed_lists_are_not_values() {
        let format =
            "Format `I|{startTime}|{interval}`.\n- **startTime**：start\n- **interval**：step";
        assert!(description_values(format).is_empty());
        let condition =
            "- **RuleType**取值为**TRANSITION**：days\n- 当SourceType取值为**OSS**时：prefix";
        assert!(description_values(condition).is_empty());
        let keyed = "根据**SourceType**:\n- **OSS**：bucket";
        assert!(description_values(keyed).is_empty());
        let english = "- **RuleType** is set to **TRANSITION**: days\n- **start**: `{start}`";
        assert!(description_values(english).is_empty());
        let keyed = "Meanings depending on the **SourceType** field:\n- **OSS**: the bucket";
        assert!(description_values(keyed).is_empty());
        assert_eq!(description_values("- **BASIC**: Basic."), ["BASIC"]);
    }

    #[test]
    fn inline_values_after_takes() {
        assert_eq!(
            description_values("Class. 取值仅为**STANDARD**，x"),
            ["STANDARD"]
        );
        assert_eq!(
            description_values("x，取值：**A**、**B**或**C**。"),
            ["A", "B", "C"]
        );
        assert!(description_values("仅当**SourceType**取值为**NAS**时").is_empty());
        assert!(description_values("当Type取值为**NAS**时").is_empty());
    }

    #[test]
    fn all_sources_once_in_order() {
        let schema = serde_json::json!({
            "type": "string",
            "enum": ["STANDARD", ""],
            "enumValueTitles": {"OTS_BACKUP": "t", "STANDARD": "s"},
            "description": "- **ARCHIVE**：a\n- **STANDARD**：s"
        });
        assert_eq!(
            documented_values(&schema),
            ["STANDARD", "OTS_BACKUP", "ARCHIVE"]
        );
    }
}
