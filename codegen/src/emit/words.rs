//! The facts of the IR in words: a parameter's or field's rustdoc, and the registry's
//! constraint text. Each constraint is worded from the one [`Constraints`] it is stated in.

use crate::ir::{Constraint, Constraints, RequestField, ResponseField, Style, Unit};

/// A constraint as the rustdoc of a parameter words it.
fn doc_phrase(c: &Constraint<'_>) -> String {
    match c {
        Constraint::Range(Some(a), Some(b)) => format!("from {a} to {b}"),
        Constraint::Range(Some(a), None) => format!("at least {a}"),
        Constraint::Range(None, Some(b)) => format!("at most {b}"),
        Constraint::Range(None, None) => String::new(),
        Constraint::MinLength(v) => format!("at least {v} characters"),
        Constraint::MaxLength(v) => format!("at most {v} characters"),
        Constraint::MinItems(v) => format!("at least {v} items"),
        Constraint::MaxItems(v) => format!("at most {v} items"),
        Constraint::Pattern(p) => format!("matches `{p}`"),
        Constraint::Default(d) => format!("the service assumes `{}` when it is not set", d.wire()),
    }
}

/// A constraint as the registry (`hbr call OPERATION --help`) words it.
fn registry_phrase(c: &Constraint<'_>) -> String {
    match c {
        Constraint::Range(Some(a), Some(b)) => format!("{a}..={b}"),
        Constraint::Range(Some(a), None) => format!(">= {a}"),
        Constraint::Range(None, Some(b)) => format!("<= {b}"),
        Constraint::Range(None, None) => String::new(),
        Constraint::MinLength(v) => format!("at least {v} characters"),
        Constraint::MaxLength(v) => format!("at most {v} characters"),
        Constraint::MinItems(v) => format!("at least {v} items"),
        Constraint::MaxItems(v) => format!("at most {v} items"),
        Constraint::Pattern(p) => format!("pattern {p}"),
        Constraint::Default(d) => format!("default {}", d.wire()),
    }
}

/// The registry's constraint text: the constraints, and a non-default style before the
/// default.
pub(super) fn registry_constraints(c: &Constraints, style: Option<Style>) -> String {
    let mut out = Vec::new();
    let mut style = style.map(|s| format!("style {}", s.as_str()));
    for fact in c.list() {
        if matches!(fact, Constraint::Default(_)) {
            out.extend(style.take());
        }
        out.push(registry_phrase(&fact));
    }
    out.extend(style);
    out.join("; ")
}

/// The rustdoc of a request field: its doc, then its wire name and constraints.
pub(super) fn param_doc(f: &RequestField) -> String {
    let c = &f.constraints;
    let mut doc = f.doc.clone().unwrap_or_default().trim_end().to_owned();
    let mut facts = vec![format!("Wire name: `{}`", f.wire)];
    if c.required {
        facts.push("required".into());
    }
    facts.extend(c.list().iter().map(doc_phrase));
    if let Some(t) = f.timestamp {
        let unit = match t {
            crate::ir::Timestamp::UnixMillis => "milliseconds",
            crate::ir::Timestamp::UnixSeconds => "seconds",
        };
        facts.push(format!(
            "a point in time, sent in unix {unit}: the setter takes the `i64` or a `time::OffsetDateTime` or `std::time::SystemTime`"
        ));
    }
    if let Some(shape) = &f.json {
        facts.push(format!(
            "a JSON object: the setter takes the text or a [`{shape}`], sent as its JSON"
        ));
    }
    if !c.values.is_empty() {
        let values: Vec<String> = c.values.iter().map(|v| format!("`{v}`")).collect();
        let documented = if c.subset {
            "this operation documents"
        } else {
            "documented values"
        };
        facts.push(format!(
            "{documented} {}; other values are sent as given",
            values.join(", ")
        ));
    }
    doc.push_str(&format!("\n\n{}.", facts.join("; ")));
    doc
}

/// The rustdoc of a response field: its doc, then its wire name, unit and JSON.
pub(super) fn field_doc(f: &ResponseField) -> String {
    let mut doc = f.doc.clone().unwrap_or_default().trim_end().to_owned();
    let mut facts = vec![format!("Wire name: `{}`", f.wire)];
    match f.unit {
        Some(Unit::Bytes) => facts.push("in bytes".into()),
        Some(Unit::KibPerSecond) => facts.push("in KiB per second".into()),
        Some(Unit::PercentX100) => {
            facts.push("in hundredths of a percent (10000 = 100 %)".into());
        }
        Some(Unit::Seconds) => facts.push("in seconds".into()),
        Some(Unit::Days) => facts.push("in days".into()),
        Some(Unit::Count) | None => {}
    }
    if f.json.is_some() {
        facts.push("a string carrying JSON".into());
    }
    if !f.values.is_empty() {
        let values: Vec<String> = f.values.iter().map(|v| format!("`{v}`")).collect();
        facts.push(format!("this operation documents {}", values.join(", ")));
    }
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("{}.", facts.join("; ")));
    doc
}

/// The first sentence of a doc: its first paragraph, lines joined, up to the first `. `.
pub(super) fn first_sentence(doc: &str) -> String {
    // The first paragraph as one line: a sentence wrapped in the spec stays whole.
    let paragraph = doc
        .trim()
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    match paragraph.find(". ") {
        Some(i) => paragraph[..=i].to_owned(),
        None => paragraph,
    }
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn a_wrapped_first_sentence_stays_whole() {
        let doc = "Lists the vaults of the account,\nnewest first. Pages of 10.\n\nThe RAM action.";
        assert_eq!(
            first_sentence(doc),
            "Lists the vaults of the account, newest first."
        );
        assert_eq!(first_sentence("One line only"), "One line only");
        assert_eq!(first_sentence("Two\nlines.\n\nNext."), "Two lines.");
        assert_eq!(first_sentence(""), "");
    }
}
