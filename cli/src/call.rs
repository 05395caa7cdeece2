//! `hbr call`: any operation of the client by name, API-shaped JSON in and out.

use std::io::{BufWriter, Read, Write};

use clap::CommandFactory;
use hbr_client::registry::{self, OperationInfo};
use hbr_client::OperationKind;
use serde_json::Value;

use crate::args::{CallArgs, Cli, GlobalArgs, OutputFormat};
use crate::argv::ParamFlag;
use crate::connect::Session;
use crate::error::CliError;
use crate::output::{Columns, OutputArg};

/// A call checked offline: the operation, its input (`--input` with the parameter flags laid
/// over it) and how to print the answer.
#[derive(Debug)]
pub struct Plan {
    op: &'static OperationInfo,
    input: Value,
    query: Option<String>,
    cols: Option<Columns>,
}

/// Does what needs no connection (`--list`, `--help`, `--describe`, `--dry-run`, checking
/// the operation name, the input and the parameter flags); `Ok(None)` when that was
/// everything, else the call to make.
pub fn run_offline(
    args: &CallArgs,
    global: &GlobalArgs,
    params: &[ParamFlag],
) -> Result<Option<Plan>, CliError> {
    let listing = args.list || args.help || args.describe;
    if !listing && global.output == Some(OutputArg::Format(OutputFormat::Table)) {
        return Err(CliError::Usage(
            "--output table does not apply to `call`, which prints the response as JSON or as --output cols=A,B rows=PATH".into(),
        ));
    }
    if args.list {
        print(&list_text())?;
        return Ok(None);
    }
    let Some(name) = args.operation.as_deref() else {
        if args.help {
            print(&call_help())?;
            return Ok(None);
        }
        return Err(CliError::Usage(
            "`hbr call` needs an OPERATION (see `hbr call --list`) or --list".into(),
        ));
    };
    let op = registry::find(name)?;
    if args.help || args.describe {
        print(&describe(op))?;
        return Ok(None);
    }
    if args.all {
        crate::call_all::paging(op)?;
    }
    if let Some(query) = &args.query {
        crate::output::check_query(query)?;
    }
    let input = crate::param_flags::apply(op, read_input(args.input.as_deref())?, params)?;
    if args.dry_run {
        crate::open_values::warn(op, &input);
        let request = (op.check)(input)?;
        write_json(&request)?;
        return Ok(None);
    }
    Ok(Some(Plan {
        op,
        input,
        query: args.query.clone(),
        cols: global.columns().cloned(),
    }))
}

/// Decodes, validates, signs and sends the operation and prints the response. A value
/// outside the documented ones is sent as given, with a warning line on stderr.
pub async fn run(session: &Session, args: &CallArgs, plan: Plan) -> Result<(), CliError> {
    let Plan {
        op,
        input,
        query,
        cols,
    } = plan;
    crate::open_values::warn(op, &input);
    if args.all {
        return crate::call_all::run(session, op, input, args.max_items, query, cols).await;
    }
    if let Some(debug) = &session.debug {
        // The request as it will be sent (decoded, validated, defaults untouched).
        let request = (op.check)(input.clone())?;
        debug.line(&format!(
            "> POST {} Action={} Version={} {}",
            session.client.runtime().endpoint().base_url(),
            op.name,
            hbr_client::API_VERSION,
            serde_json::to_string(&request).unwrap_or_default()
        ));
    }
    let response = if args.reconcile {
        crate::reconcile::run(&session.client, op, input).await?
    } else if args.retry_writes {
        let config = session.client.runtime().config();
        let retry = config.retry().clone().with_retry_writes(true);
        let client = hbr_client::Client::new(config.to_builder().retry(retry).build())?;
        (op.call)(&client, input)
            .await
            .map_err(|e| crate::reconcile::with_hint(op, e))?
    } else {
        (op.call)(&session.client, input)
            .await
            .map_err(|e| crate::reconcile::with_hint(op, e))?
    };
    if let Some(debug) = &session.debug {
        debug.line(&format!(
            "< {} {}",
            op.name,
            serde_json::to_string(&response).unwrap_or_default()
        ));
    }
    crate::output::print_value(&response, query.as_deref(), cols.as_ref())
}

/// The input JSON: inline, `@FILE`, `@-` (stdin), or `{}` when absent.
fn read_input(input: Option<&str>) -> Result<serde_json::Value, CliError> {
    let (text, origin) = match input {
        None => return Ok(serde_json::Value::Object(serde_json::Map::new())),
        Some("@-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| CliError::Usage(format!("cannot read --input from stdin: {e}")))?;
            (text, "stdin".to_owned())
        }
        Some(arg) => match arg.strip_prefix('@') {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    CliError::Usage(format!("cannot read --input file {path}: {e}"))
                })?;
                (text, path.to_owned())
            }
            None => (arg.to_owned(), "--input".to_owned()),
        },
    };
    serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("{origin} is not valid JSON: {e}")))
}

/// Prints a value as pretty JSON and a newline on stdout.
fn write_json(value: &serde_json::Value) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(|e| CliError::Output(std::io::Error::other(e)))?;
    out.write_all(b"\n").map_err(CliError::Output)?;
    out.flush().map_err(CliError::Output)
}

/// Prints text on stdout.
fn print(text: &str) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes()).map_err(CliError::Output)?;
    out.flush().map_err(CliError::Output)
}

/// `hbr call --list`: name and summary of each operation, aligned.
fn list_text() -> String {
    let width = hbr_client::OPERATIONS
        .iter()
        .map(|o| o.name.len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for op in hbr_client::OPERATIONS {
        text.push_str(&format!("{:width$}  {}\n", op.name, op.summary));
    }
    text
}

/// The long help of `hbr call` itself.
fn call_help() -> String {
    let mut command = Cli::command();
    command.build();
    match command.find_subcommand_mut("call") {
        Some(call) => {
            let mut call = call.clone().bin_name("hbr call");
            call.render_long_help().to_string()
        }
        None => String::new(),
    }
}

/// `hbr call OPERATION --help`: the operation's parameters, types, constraints and values.
pub fn describe(op: &OperationInfo) -> String {
    let kind = match op.kind {
        OperationKind::Read => "a read: sent again after any transient failure",
        OperationKind::Write => {
            "a write: not sent again when its outcome is unknown (exit 8) unless --retry-writes"
        }
    };
    let all = if op.paging.is_some() {
        " [--all [--max-items N]]"
    } else {
        ""
    };
    let mut text = format!(
        "{}: {}\n\nKind: {kind}.\n\n{}\n\nUsage: hbr [GLOBAL FLAGS] call {} [--Name VALUE ...] [--input JSON|@FILE] [--query EXPR] [--dry-run]{all}\n\nParameters, as keys of the --input JSON or as flags --Name VALUE (the flag wins); nested ones\nas Name.N.Field (--Filters.1.Key Status --Filters.1.Values.1 FAILED); a list or an object\nalso as one JSON value (--Filters '[...]'):\n",
        op.name,
        op.summary,
        crate::call_all::describe(op),
        op.name
    );
    let name_width = op
        .parameters
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(0);
    let type_width = op.parameters.iter().map(|p| p.ty.len()).max().unwrap_or(0);
    for p in op.parameters {
        let mut facts: Vec<String> = Vec::new();
        if p.required {
            facts.push("required".into());
        }
        if !p.location.is_empty() {
            facts.push(format!("in {}", p.location));
        }
        if !p.constraints.is_empty() {
            facts.push(p.constraints.to_owned());
        }
        text.push_str(&format!(
            "  {:name_width$}  {:type_width$}  {}\n",
            p.name,
            p.ty,
            facts.join("; ")
        ));
        if !p.doc.is_empty() {
            text.push_str(&format!("      {}\n", p.doc));
        }
        if !p.values.is_empty() {
            text.push_str(&format!(
                "      documented values: {} (others are sent as given, with a warning)\n",
                p.values.join(", ")
            ));
        }
    }
    text.push_str(&crate::example::example(op));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_every_operation() {
        for op in hbr_client::OPERATIONS {
            let text = describe(op);
            assert!(text.starts_with(op.name));
            for p in op.parameters {
                assert!(text.contains(p.name));
            }
        }
    }

    #[test]
    fn lists_every_operation() {
        let text = list_text();
        for name in hbr_client::OPERATION_NAMES {
            assert!(text.contains(name));
        }
    }

    #[test]
    fn call_help_has_the_flags() {
        let text = call_help();
        assert!(text.contains("--input"), "{text}");
        assert!(text.contains("--list"), "{text}");
    }

    #[test]
    fn inputs() {
        assert!(read_input(None).is_ok_and(|v| v.is_object()));
        assert!(read_input(Some("{\"PageSize\":1}")).is_ok());
        assert!(matches!(read_input(Some("{oops")), Err(CliError::Usage(_))));
        assert!(matches!(
            read_input(Some("@/nonexistent/file.json")),
            Err(CliError::Usage(_))
        ));
    }
}
