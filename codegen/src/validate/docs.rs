//! Docs that say nothing: the importer's placeholders (written for a parameter, field, enum or
//! operation it found in the metadata and nobody has described yet) are refused, so that a
//! spec cannot ship, or fall back to, docs that only repeat a name and a type.

use super::Checker;
use crate::error::Location;

/// Which placeholder a doc is, if it is one of the forms `hbr-codegen import` writes:
/// "`Name` (a string, required).", "The value `X`.", "The values the metadata lists for `X`.",
/// or an operation's "Calls the `X` action ... Imported from Alibaba's API metadata ...".
pub(crate) fn placeholder_form(doc: &str) -> Option<&'static str> {
    let doc = doc.trim();
    if doc.contains("Imported from Alibaba's API metadata") {
        return Some("the importer's operation summary");
    }
    if doc.starts_with("The values the metadata lists for `") {
        return Some("the importer's enum summary");
    }
    if let Some(rest) = doc.strip_prefix("The value `") {
        if rest.ends_with("`.") && !rest.contains(' ') {
            return Some("the importer's enum value text");
        }
    }
    // "`Name` (a string, required)." or "`Name` (an integer)." or "`Tags` (a list, sent ...)."
    let rest = doc.strip_prefix('`')?;
    let (name, facts) = rest.split_once('`')?;
    let facts = facts
        .strip_prefix(" (a ")
        .or_else(|| facts.strip_prefix(" (an "))?;
    (!name.contains(' ') && facts.ends_with(").") && !doc.contains('\n'))
        .then_some("the importer's name-and-type text")
}

/// Whether `doc` is one of the placeholders `hbr-codegen import` writes for what nobody has
/// described yet (which `check` refuses).
///
/// ```
/// use hbr_codegen::validate::is_placeholder;
///
/// assert!(is_placeholder("`VaultName` (a string, required)."));
/// assert!(!is_placeholder("The name of the vault, 1 to 64 characters."));
/// ```
pub fn is_placeholder(doc: &str) -> bool {
    placeholder_form(doc).is_some()
}

/// `what`'s doc is not a placeholder.
pub(super) fn not_placeholder(c: &mut Checker<'_>, loc: &Location, what: &str, doc: Option<&str>) {
    if let Some(form) = doc.and_then(placeholder_form) {
        c.err(
            loc.clone(),
            format!(
                "the doc of {what} is {form}, a placeholder; say what it is, its unit, its values, \
                 when it applies and its default, in our own words (api-spec/README.md, Documentation)"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::placeholder_form;

    #[test]
    fn the_importers_forms_are_placeholders() {
        for doc in [
            "`VaultName` (a string, required).",
            "`PageSize` (an integer).",
            "`Tags` (a list, sent wrapped as `Tags.Tag`).",
            "The value `STANDARD`.",
            "The values the metadata lists for `VaultType`.",
            "Calls the `CreateVault` action (a readAndWrite operation). Imported from Alibaba's API metadata: parameters and fields are described by their facts only.",
        ] {
            assert!(placeholder_form(doc).is_some(), "{doc}");
        }
    }

    #[test]
    fn real_docs_are_not() {
        for doc in [
            "The name of the vault, 1 to 64 characters.",
            "`STANDARD` (the default) for an ordinary vault.",
            "The value `STANDARD` is the only one accepted today.",
            "`Name` (a string) of the vault, shown in the console.\nUp to 64 characters.",
            "Standard storage.",
        ] {
            assert_eq!(placeholder_form(doc), None, "{doc}");
        }
    }
}
