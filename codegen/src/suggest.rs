//! "Did you mean" for misspelled names.

/// The candidate closest to `name`, when it is a likely misspelling (a few edits apart, case
/// ignored, or very similar).
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
