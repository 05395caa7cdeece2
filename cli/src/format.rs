//! Human-readable cells: sizes, times, percentages, and aligned tables.

use std::io::{self, Write};

use time::macros::format_description;
use time::OffsetDateTime;

/// A byte count in binary units: `512 B`, `1.5 KiB`, `3.2 GiB`.
pub fn bytes(n: i64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n.unsigned_abs() < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value.abs() >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// `DONE / TOTAL` in binary units, `-` for what is unknown.
pub fn done_total(done: Option<i64>, total: Option<i64>) -> String {
    match (done, total) {
        (None, None) => "-".to_owned(),
        (d, t) => format!(
            "{} / {}",
            d.map_or_else(|| "-".to_owned(), bytes),
            t.map_or_else(|| "-".to_owned(), bytes)
        ),
    }
}

/// A UTC time as `YYYY-MM-DD HH:MM`; `-` when absent or zero. The service sends 0 for a
/// time that has not come yet (the completion time of a job still running), which is not
/// 1970-01-01.
pub fn utc_minute(t: Option<OffsetDateTime>) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]");
    t.filter(|t| t.unix_timestamp() != 0)
        .and_then(|t| t.to_offset(time::UtcOffset::UTC).format(&format).ok())
        .unwrap_or_else(|| "-".to_owned())
}

/// A percentage: `100%`, `42.5%`, `-` when absent.
pub fn percent(p: Option<f64>) -> String {
    match p {
        Some(p) if p.fract() == 0.0 => format!("{p:.0}%"),
        Some(p) => format!("{p:.1}%"),
        None => "-".to_owned(),
    }
}

/// Rows of cells printed with columns aligned on the widest cell.
#[derive(Debug)]
pub struct Table {
    headers: Vec<&'static str>,
    right_aligned: Vec<bool>,
    rows: Vec<Vec<String>>,
    widths: Vec<usize>,
}

impl Table {
    /// A table with these column headers; `right_aligned[i]` aligns column `i` to the right.
    pub fn new(headers: Vec<&'static str>, right_aligned: Vec<bool>) -> Self {
        let widths = headers.iter().map(|h| h.chars().count()).collect();
        Self {
            headers,
            right_aligned,
            rows: Vec::new(),
            widths,
        }
    }

    /// Adds a row (extra cells are ignored, missing ones are blank).
    pub fn push(&mut self, row: Vec<String>) {
        for (w, cell) in self.widths.iter_mut().zip(&row) {
            *w = (*w).max(cell.chars().count());
        }
        self.rows.push(row);
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Writes the header and the rows.
    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        let header: Vec<String> = self.headers.iter().map(|h| (*h).to_owned()).collect();
        self.write_row(out, &header)?;
        for row in &self.rows {
            self.write_row(out, row)?;
        }
        Ok(())
    }

    fn write_row(&self, out: &mut impl Write, row: &[String]) -> io::Result<()> {
        let last = self.widths.len().saturating_sub(1);
        let mut line = String::with_capacity(self.widths.iter().sum::<usize>() + 2 * last + 1);
        for (i, width) in self.widths.iter().enumerate() {
            let cell = row.get(i).map_or("", String::as_str);
            let pad = width.saturating_sub(cell.chars().count());
            if i > 0 {
                line.push_str("  ");
            }
            let right = self.right_aligned.get(i).copied().unwrap_or(false);
            if right {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if i != last {
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
        }
        line.push('\n');
        out.write_all(line.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1024), "1.0 KiB");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(5 * 1024 * 1024 * 1024), "5.0 GiB");
        assert_eq!(done_total(Some(1024), None), "1.0 KiB / -");
        assert_eq!(done_total(None, None), "-");
    }

    #[test]
    fn times_and_percentages() {
        let t = OffsetDateTime::from_unix_timestamp(1_704_067_260).ok();
        assert_eq!(utc_minute(t), "2024-01-01 00:01");
        assert_eq!(utc_minute(None), "-");
        // Zero is "not yet", not the epoch; the second after it is a time.
        assert_eq!(utc_minute(Some(OffsetDateTime::UNIX_EPOCH)), "-");
        assert_eq!(
            utc_minute(OffsetDateTime::from_unix_timestamp(60).ok()),
            "1970-01-01 00:01"
        );
        assert_eq!(percent(Some(100.0)), "100%");
        assert_eq!(percent(Some(42.5)), "42.5%");
        assert_eq!(percent(None), "-");
    }

    #[test]
    fn aligned() {
        let mut t = Table::new(vec!["A", "NUM", "Z"], vec![false, true, false]);
        t.push(vec!["long-cell".into(), "7".into(), "x".into()]);
        t.push(vec!["s".into(), "1234".into(), "yy".into()]);
        let mut out = Vec::new();
        t.write(&mut out).ok();
        let text = String::from_utf8(out).unwrap_or_default();
        assert_eq!(
            text,
            "A           NUM  Z\nlong-cell     7  x\ns          1234  yy\n"
        );
    }
}
