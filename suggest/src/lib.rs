//! "Did you mean" for misspelled names: the spec reader's unknown keys, the importer's and the
//! registry's unknown operations, the runtime's unknown request parameters and the CLI's
//! filter keys all suggest with this one function.
//!
//! ```
//! assert_eq!(hbr_suggest::closest("PageSise", &["PageNumber", "PageSize"]), Some("PageSize"));
//! assert_eq!(hbr_suggest::closest("vault", &["PageNumber", "PageSize"]), None);
//! ```
#![forbid(unsafe_code)]

/// The candidate closest to `name`, when it is a likely misspelling: a few edits apart (a third
/// of its length, at least one; case ignored), or very similar (Jaro-Winkler above 0.9).
/// Among several, the fewest edits win, then the most similar.
///
/// ```
/// use hbr_suggest::closest;
/// assert_eq!(closest("minimun", &["minimum", "maximum"]), Some("minimum"));
/// assert_eq!(closest("EQUALS", &["EQUAL", "NOT_EQUAL", "IN"]), Some("EQUAL"));
/// assert_eq!(closest("x", &[]), None);
/// ```
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let budget = (lower.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| {
            let cl = c.to_ascii_lowercase();
            (
                strsim::damerau_levenshtein(&lower, &cl),
                strsim::jaro_winkler(&lower, &cl),
                *c,
            )
        })
        .filter(|(dist, jw, _)| *dist <= budget || *jw > 0.9)
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)))
        .map(|(_, _, c)| c)
}

/// The candidate exactly one edit away from `name` (one letter added, removed, changed, or two
/// neighbours swapped; case ignored), when there is one: a value that is surely a typo of a
/// known one, such as `FAILD` for `FAILED` or `ECS_FLIE` for `ECS_FILE`. A candidate equal to
/// `name` but for case is not one edit away.
///
/// ```
/// use hbr_suggest::one_edit_away;
/// assert_eq!(one_edit_away("FAILD", &["COMPLETE", "FAILED"]), Some("FAILED"));
/// assert_eq!(one_edit_away("ecs_flie", &["ECS_FILE", "OSS"]), Some("ECS_FILE"));
/// assert_eq!(one_edit_away("FAILED", &["FAILED"]), None);
/// assert_eq!(one_edit_away("SYNC", &["ECS_FILE", "OSS"]), None);
/// ```
pub fn one_edit_away<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    candidates
        .iter()
        .find(|c| strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()) == 1)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn case_is_ignored_and_the_fewest_edits_win() {
        assert_eq!(
            closest("pagesize", &["PageSize", "PageSizes"]),
            Some("PageSize")
        );
        assert_eq!(
            closest(
                "DescribeRestoreJob2",
                &["DescribeRestoreJobs2", "DescribeBackupJobs2"]
            ),
            Some("DescribeRestoreJobs2")
        );
    }

    #[test]
    fn far_names_get_no_suggestion() {
        assert_eq!(closest("Bucket", &["EQUAL", "NOT_EQUAL", "IN"]), None);
        // Three edits in a six-letter word is over the budget of two.
        assert_eq!(closest("abcxyz", &["abcdef"]), None);
    }
}
