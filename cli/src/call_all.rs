//! `hbr call OPERATION --all`: every page of a pageable operation, through the typed
//! paginator of its kind (page numbers or NextToken), printed as one JSON array of items.

use std::io::{BufWriter, Write};

use futures_util::TryStreamExt;
use hbr_client::registry::{OperationInfo, PageBy, Paging};

use crate::connect::Session;
use crate::error::CliError;
use crate::output::Columns;

/// How `op` pages, or the usage error of `--all` on an operation that does not.
pub fn paging(op: &OperationInfo) -> Result<&Paging, CliError> {
    op.paging.as_ref().ok_or_else(|| {
        let pageable: Vec<&str> = hbr_client::OPERATIONS
            .iter()
            .filter(|o| o.paging.is_some())
            .map(|o| o.name)
            .collect();
        CliError::Usage(format!(
            "--all pages a list operation, and {} does not page; operations that do: {}",
            op.name,
            pageable.join(", ")
        ))
    })
}

/// One line of `hbr call OP --help` on how `op` pages.
pub fn describe(op: &OperationInfo) -> String {
    let Some(p) = &op.paging else {
        return "Paging: none; it answers in one response (--all does not apply).".to_owned();
    };
    let size = match p.page_size.maximum {
        Some(max) => format!("`{}` items a page, at most {max}", p.page_size.wire),
        None => format!(
            "`{}` items a page (the service's choice unless set)",
            p.page_size.wire
        ),
    };
    let how = match p.by {
        PageBy::Number => format!(
            "by page number: `{}` from 1, {size}; --all fetches several pages at a time",
            p.cursor
        ),
        PageBy::Token => format!(
            "by token: each request sends the previous answer's `{}`, {size}; --all fetches one page after the other",
            p.cursor
        ),
    };
    format!(
        "Paging: {how}. The items are in `{}`. `--all` prints every item of every page as one JSON array.",
        p.items
    )
}

/// Walks every page of `op` for `input` and prints its items, `[` item `,` item `]`, one
/// item (API-shaped JSON) a line, as the pages arrive. With `--query` or `--output cols=`,
/// the items are gathered into one array first, and that is what the query or the table
/// reads.
pub async fn run(
    session: &Session,
    op: &OperationInfo,
    input: serde_json::Value,
    max_items: Option<u64>,
    query: Option<String>,
    cols: Option<Columns>,
) -> Result<(), CliError> {
    let paging = paging(op)?;
    let mut items = (paging.all)(&session.client, input, max_items);
    if query.is_some() || cols.is_some() {
        let mut all = Vec::new();
        while let Some(item) = items.try_next().await? {
            all.push(item);
        }
        if let Some(debug) = &session.debug {
            debug.line(&format!("< {} --all: {} items", op.name, all.len()));
        }
        return crate::output::print_value(
            &serde_json::Value::Array(all),
            query.as_deref(),
            cols.as_ref(),
        );
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut count = 0_u64;
    while let Some(item) = items.try_next().await? {
        out.write_all(if count == 0 { b"[\n" } else { b",\n" })
            .map_err(CliError::Output)?;
        serde_json::to_writer(&mut out, &item)
            .map_err(|e| CliError::Output(std::io::Error::other(e)))?;
        count += 1;
    }
    out.write_all(if count == 0 { b"[]\n" } else { b"\n]\n" })
        .map_err(CliError::Output)?;
    if let Some(debug) = &session.debug {
        debug.line(&format!("< {} --all: {count} items", op.name));
    }
    out.flush().map_err(CliError::Output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_says_whether_and_how_it_pages() {
        for op in hbr_client::OPERATIONS {
            let text = describe(op);
            match &op.paging {
                Some(p) => {
                    assert!(text.contains(p.cursor), "{text}");
                    assert!(text.contains(p.items), "{text}");
                    assert!(paging(op).is_ok());
                }
                None => {
                    assert!(text.starts_with("Paging: none"), "{text}");
                    let err = paging(op).err().map(|e| e.to_string()).unwrap_or_default();
                    assert!(
                        err.contains(op.name) && err.contains("DescribeVaults"),
                        "{err}"
                    );
                }
            }
        }
    }
}
