//! What the admin's list commands share: one page or every page of a list operation (by
//! page number or by token, through the typed paginators), and the items printed as a table
//! (the default), a JSON array in the API's shape (`--output json`), or the aliyun CLI's
//! `--output cols=A,B` table of their fields.

use std::io::{BufWriter, Write};

use futures_util::TryStreamExt;
use hbr_client::facts::{PageParams, TokenPageParams};
use hbr_client::{Client, Operation, Paginated, Paginator, TokenPaginated, TokenPaginator};
use serde::Serialize;

use crate::args::OutputFormat;
use crate::error::CliError;
use crate::format::Table;
use crate::output::OutputArg;

/// How a command shows its items as a table.
pub struct Shape<T> {
    /// The item, singular and plural (`vault`, `vaults`).
    pub noun: (&'static str, &'static str),
    /// The column headers, and whether each aligns to the right.
    pub columns: &'static [(&'static str, bool)],
    /// An item's cells.
    pub row: fn(&T) -> Vec<String>,
}

/// Items and the total the service reports, if it does.
pub struct Listed<T> {
    /// The items, in order.
    pub items: Vec<T>,
    /// The number of matching items in all.
    pub total: Option<i64>,
}

/// The one page `request` asks for: its items and the total its answer reports.
async fn one_page<O: Operation, T>(
    client: &Client,
    request: &O,
    total: fn(&O::Output) -> Option<i64>,
    items: fn(O::Output) -> Vec<T>,
) -> Result<Listed<T>, CliError> {
    let output = client.execute(request).await?;
    Ok(Listed {
        total: total(&output),
        items: items(output),
    })
}

/// One page of `request` (as sent), or every page with `all` (the largest pages, unless the
/// request sets a size).
pub async fn numbered<O>(
    client: &Client,
    mut request: O,
    all: bool,
) -> Result<Listed<O::Item>, CliError>
where
    O: Paginated + PageParams,
{
    if !all {
        return one_page(client, &request, O::total_count, O::into_items).await;
    }
    if request.page_size().is_none() {
        request.set_page_size(O::MAX_PAGE_SIZE);
    }
    let pages = Paginator::new(client.clone(), Ok(request)).pages();
    futures_util::pin_mut!(pages);
    let mut listed = Listed {
        items: Vec::new(),
        total: None,
    };
    while let Some(page) = pages.try_next().await? {
        listed.total = page.total_count().or(listed.total);
        listed.items.extend(page.into_items());
    }
    Ok(listed)
}

/// One page of `request`, or every page with `all`, of an operation that pages by token.
pub async fn tokened<O>(client: &Client, request: O, all: bool) -> Result<Listed<O::Item>, CliError>
where
    O: TokenPaginated + TokenPageParams,
{
    if !all {
        return one_page(client, &request, O::total_count, O::into_items).await;
    }
    let items = TokenPaginator::new(client.clone(), Ok(request)).items();
    futures_util::pin_mut!(items);
    let mut listed = Listed {
        items: Vec::new(),
        total: None,
    };
    while let Some(item) = items.try_next().await? {
        listed.items.push(item);
    }
    listed.total = i64::try_from(listed.items.len()).ok();
    Ok(listed)
}

/// Prints `listed` as `output` asks (a table when it asks nothing).
pub fn print<T: Serialize>(
    listed: &Listed<T>,
    output: Option<&OutputArg>,
    shape: &Shape<T>,
) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match output {
        Some(OutputArg::Format(OutputFormat::Json)) => {
            if listed.items.is_empty() {
                out.write_all(b"[]\n").map_err(CliError::Output)?;
            }
            for (i, item) in listed.items.iter().enumerate() {
                out.write_all(if i == 0 { b"[\n" } else { b",\n" })
                    .map_err(CliError::Output)?;
                // JSON-carrying fields are copied as received.
                hbr_client::to_json_writer(&mut out, item)
                    .map_err(|e| CliError::Output(std::io::Error::other(e)))?;
            }
            if !listed.items.is_empty() {
                out.write_all(b"\n]\n").map_err(CliError::Output)?;
            }
        }
        Some(OutputArg::Cols(columns)) => {
            let items = serde_json::to_value(&listed.items)
                .map_err(|e| CliError::Output(std::io::Error::other(e)))?;
            let text = crate::output::cols_table(&items, columns)?;
            out.write_all(text.as_bytes()).map_err(CliError::Output)?;
        }
        Some(OutputArg::Format(OutputFormat::Table)) | None => table(&mut out, listed, shape)?,
    }
    out.flush().map_err(CliError::Output)
}

/// The table, and a line with the number shown and the total.
fn table<T>(out: &mut impl Write, listed: &Listed<T>, shape: &Shape<T>) -> Result<(), CliError> {
    let (one, many) = shape.noun;
    let total = listed
        .total
        .map_or_else(|| "unknown".to_owned(), |t| t.to_string());
    if listed.items.is_empty() {
        return writeln!(out, "no {many} (TotalCount {total})").map_err(CliError::Output);
    }
    let mut table = Table::new(
        shape.columns.iter().map(|(h, _)| *h).collect(),
        shape.columns.iter().map(|(_, r)| *r).collect(),
    );
    for item in &listed.items {
        table.push((shape.row)(item));
    }
    table.write(out).map_err(CliError::Output)?;
    let n = table.len();
    writeln!(
        out,
        "{n} {} shown (TotalCount {total})",
        if n == 1 { one } else { many }
    )
    .map_err(CliError::Output)
}

/// A text cell: `-` when absent or empty.
pub fn text(value: Option<&str>) -> String {
    value.filter(|s| !s.is_empty()).unwrap_or("-").to_owned()
}
