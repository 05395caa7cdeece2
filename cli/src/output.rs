//! `--output` and `--query`: how a command's JSON is shaped before it is printed.
//!
//! `--output json|table` picks a format; `--output cols=A,B rows=PATH [num=true]` prints the
//! rows at `PATH` as a table with those columns, the way the aliyun CLI does (`rows` and each
//! column are JMESPath expressions, the columns evaluated on each row; without `rows`, an
//! array is the rows and anything else is one row). `--query EXPR` applies a JMESPath
//! expression to the JSON first, as the AWS CLI does. JMESPath is the `jmespath` crate's.

use std::io::Write;

use serde_json::Value;

use crate::args::OutputFormat;
use crate::error::CliError;

/// What `--output` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputArg {
    /// `json`, or `table`.
    Format(OutputFormat),
    /// `cols=A,B rows=PATH num=true`.
    Cols(Columns),
}

/// `--output cols=A,B rows=PATH num=true`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    /// The columns: each a JMESPath expression on a row, and the column's header.
    pub cols: Vec<String>,
    /// The JMESPath expression selecting the rows, if given.
    pub rows: Option<String>,
    /// Whether a `Num` column numbers the rows from 0.
    pub num: bool,
}

impl OutputArg {
    /// Parses `json`, `table` or `cols=A,B [rows=PATH] [num=true]` (the parts separated by
    /// spaces: the command line joins `--output cols=A,B rows=PATH` into one value).
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("json") {
            return Ok(Self::Format(OutputFormat::Json));
        }
        if trimmed.eq_ignore_ascii_case("table") {
            return Ok(Self::Format(OutputFormat::Table));
        }
        if !trimmed.contains('=') {
            return Err(format!(
                "expected json, table or cols=A,B rows=PATH (as the aliyun CLI takes it), got {trimmed:?}"
            ));
        }
        let mut columns = Columns {
            cols: Vec::new(),
            rows: None,
            num: false,
        };
        for part in trimmed.split_whitespace() {
            let Some((key, value)) = part.split_once('=') else {
                return Err(format!(
                    "{part:?}: expected cols=A,B, rows=PATH or num=true"
                ));
            };
            match key {
                "cols" => {
                    columns.cols = value
                        .split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect();
                }
                "rows" if !value.is_empty() => columns.rows = Some(value.to_owned()),
                "num" => match value {
                    "true" => columns.num = true,
                    "false" => columns.num = false,
                    _ => return Err(format!("num={value}: expected num=true or num=false")),
                },
                _ => {
                    let hint = hbr_suggest::closest(key, &["cols", "rows", "num"])
                        .map(|k| format!("did you mean {k}=? "))
                        .unwrap_or_default();
                    return Err(format!(
                        "{part:?}: {hint}expected cols=A,B, rows=PATH or num=true"
                    ));
                }
            }
        }
        if columns.cols.is_empty() {
            return Err("cols=A,B is required: the columns of the table".to_owned());
        }
        for expr in columns.cols.iter().chain(&columns.rows) {
            compile(expr).map_err(|e| format!("{expr:?} is not a JMESPath expression: {e}"))?;
        }
        Ok(Self::Cols(columns))
    }
}

/// Compiles a JMESPath expression.
fn compile(expr: &str) -> Result<jmespath::Expression<'static>, String> {
    jmespath::compile(expr).map_err(|e| one_line(&e.to_string()))
}

/// Several lines of a library's message joined into one.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks a `--query` expression before anything is sent.
pub fn check_query(expr: &str) -> Result<(), CliError> {
    compile(expr).map(|_| ()).map_err(|e| {
        CliError::Usage(format!(
            "--query {expr:?} is not a JMESPath expression: {e}"
        ))
    })
}

/// `value` searched with the JMESPath expression `expr` (`flag` names where it came from in
/// errors).
pub fn search(value: &Value, expr: &str, flag: &str) -> Result<Value, CliError> {
    let compiled = compile(expr).map_err(|e| {
        CliError::Usage(format!("{flag} {expr:?} is not a JMESPath expression: {e}"))
    })?;
    let found = compiled
        .search(value)
        .map_err(|e| CliError::Usage(format!("{flag} {expr:?}: {}", one_line(&e.to_string()))))?;
    serde_json::to_value(&*found).map_err(|e| CliError::Output(std::io::Error::other(e)))
}

/// The table `columns` describe, of `value`: a header, a line of dashes under it, and one
/// line per row, cells separated by ` | ` and padded, as the aliyun CLI prints it.
pub fn cols_table(value: &Value, columns: &Columns) -> Result<String, CliError> {
    let rows = match &columns.rows {
        Some(expr) => match search(value, expr, "--output rows=")? {
            Value::Array(rows) => rows,
            Value::Null => Vec::new(),
            other => {
                return Err(CliError::Usage(format!(
                    "--output rows={expr} selects {}, not an array of rows",
                    hbr_runtime::de::json_kind(&other)
                )))
            }
        },
        None => match value {
            Value::Array(rows) => rows.clone(),
            other => vec![other.clone()],
        },
    };
    let mut headers: Vec<String> = Vec::new();
    if columns.num {
        headers.push("Num".to_owned());
    }
    headers.extend(columns.cols.iter().cloned());
    let mut cells: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let mut line = Vec::with_capacity(headers.len());
        if columns.num {
            line.push(i.to_string());
        }
        for col in &columns.cols {
            line.push(cell(&search(row, col, "--output cols=")?));
        }
        cells.push(line);
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for line in &cells {
        for (w, c) in widths.iter_mut().zip(line) {
            *w = (*w).max(c.chars().count());
        }
    }
    let dashes: Vec<String> = headers
        .iter()
        .map(|h| "-".repeat(h.chars().count()))
        .collect();
    let mut text = String::new();
    for line in std::iter::once(&headers).chain([&dashes]).chain(&cells) {
        let padded: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count()))))
            .collect();
        text.push_str(padded.join(" | ").trim_end());
        text.push('\n');
    }
    Ok(text)
}

/// A value as a table cell: text as it is, numbers and booleans as JSON writes them,
/// nothing for null, compact JSON for arrays and objects.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.replace(['\n', '\r'], " "),
        other => other.to_string(),
    }
}

/// Prints `value` as `--query` and `--output` ask: the query applied first, then pretty
/// JSON, or the `cols=` table.
pub fn print_value(
    value: &Value,
    query: Option<&str>,
    cols: Option<&Columns>,
) -> Result<(), CliError> {
    let queried;
    let value = match query {
        Some(expr) => {
            queried = search(value, expr, "--query")?;
            &queried
        }
        None => value,
    };
    let text = match cols {
        Some(columns) => cols_table(value, columns)?,
        None => {
            let mut text = serde_json::to_string_pretty(value)
                .map_err(|e| CliError::Output(std::io::Error::other(e)))?;
            text.push('\n');
            text
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes()).map_err(CliError::Output)?;
    out.flush().map_err(CliError::Output)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn columns(text: &str) -> Columns {
        match OutputArg::parse(text) {
            Ok(OutputArg::Cols(c)) => c,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn formats_and_columns_parse() {
        assert_eq!(
            OutputArg::parse("JSON"),
            Ok(OutputArg::Format(OutputFormat::Json))
        );
        assert_eq!(
            OutputArg::parse("table"),
            Ok(OutputArg::Format(OutputFormat::Table))
        );
        let c = columns("cols=VaultId,VaultType rows=Vaults.Vault[] num=true");
        assert_eq!(c.cols, ["VaultId", "VaultType"]);
        assert_eq!(c.rows.as_deref(), Some("Vaults.Vault[]"));
        assert!(c.num);
        for bad in [
            "yaml",
            "rows=Vaults.Vault[]",
            "cols=",
            "cols=A roes=B",
            "cols=A num=yes",
            "cols=A rows=Vaults.[",
            "cols=A junk",
        ] {
            assert!(OutputArg::parse(bad).is_err(), "{bad}");
        }
        assert!(OutputArg::parse("cols=A roes=B").is_err_and(|e| e.contains("did you mean rows=")));
    }

    #[test]
    fn a_table_of_the_rows() {
        let body = json!({"Vaults": {"Vault": [
            {"VaultId": "v-1", "VaultType": "STANDARD", "Size": 10},
            {"VaultId": "v-0002", "VaultType": null, "Tags": ["a"]}
        ]}});
        let c = columns("cols=VaultId,VaultType,Size,Tags rows=Vaults.Vault[] num=true");
        let text = cols_table(&body, &c).unwrap_or_default();
        assert_eq!(
            text,
            "Num | VaultId | VaultType | Size | Tags\n\
             --- | ------- | --------- | ---- | ----\n\
             0   | v-1     | STANDARD  | 10   |\n\
             1   | v-0002  |           |      | [\"a\"]\n"
        );
        // Without rows=, an array is the rows.
        let items = json!([{"A": 1}, {"A": 2}]);
        let text = cols_table(&items, &columns("cols=A")).unwrap_or_default();
        assert_eq!(text, "A\n-\n1\n2\n");
        // rows= must select an array.
        let err = cols_table(&body, &columns("cols=A rows=Vaults")).err();
        assert!(err.is_some_and(|e| e.to_string().contains("not an array")));
    }

    #[test]
    fn queries() {
        let body = json!({"Vaults": {"Vault": [{"VaultId": "v-1"}, {"VaultId": "v-2"}]}});
        assert_eq!(
            search(&body, "Vaults.Vault[].VaultId", "--query").ok(),
            Some(json!(["v-1", "v-2"]))
        );
        assert!(check_query("Vaults.Vault[").is_err());
        assert!(check_query("length(Vaults.Vault)").is_ok());
    }
}
