//! Tables of the `hbr` binary: what a cell shows for values the service sends as 0.

mod support;

use support::{hbr, stderr, stdout};

#[test]
fn times_not_come_yet_show_a_dash_in_the_table() {
    // The embedded emulator's data set, computed here independently of `hbr`: unfinished
    // jobs have CompleteTime 0.
    let jobs = hbr_emulator::generate_jobs(1_000, hbr_emulator::DEFAULT_SEED);
    let unfinished = jobs.iter().filter(|j| j.complete_time == 0).count();
    assert!(
        unfinished > 50,
        "{unfinished} unfinished jobs in the demo data"
    );
    let out = hbr(&["--emulator", "restore-jobs", "list", "--all"], false);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("1970-01-01"), "an epoch time in the table");
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.first().copied().unwrap_or_default();
    let cell = |row: &str, from: &str, to: &str| -> String {
        let (a, b) = (header.find(from), header.find(to));
        match (a, b) {
            (Some(a), Some(b)) => row.get(a..b).unwrap_or_default().trim().to_owned(),
            _ => String::new(),
        }
    };
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    let when = |secs: i64| {
        if secs == 0 {
            "-".to_owned()
        } else {
            time::OffsetDateTime::from_unix_timestamp(secs)
                .ok()
                .and_then(|t| t.format(&format).ok())
                .unwrap_or_default()
        }
    };
    let rows: Vec<&str> = lines[1..]
        .iter()
        .copied()
        .filter(|l| l.starts_with("r-"))
        .collect();
    assert_eq!(rows.len(), jobs.len());
    for (row, job) in rows.iter().zip(&jobs) {
        assert!(
            row.starts_with(&job.restore_id),
            "{row:?} is {}",
            job.restore_id
        );
        assert_eq!(
            cell(row, "CREATED", "COMPLETED"),
            when(job.created_time),
            "{row:?}"
        );
        assert_eq!(
            cell(row, "COMPLETED", "VAULT"),
            when(job.complete_time),
            "{row:?}"
        );
    }
    let dashes = rows
        .iter()
        .filter(|r| cell(r, "COMPLETED", "VAULT") == "-")
        .count();
    assert_eq!(dashes, unfinished);
}
