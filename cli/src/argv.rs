//! The command line before clap reads it: the two aliyun CLI habits clap cannot express.
//!
//! - API parameters as flags (`hbr call OP --PageSize 10 --Filters.1.Key Status`): their
//!   names come from the operation's parameters, not from a fixed list, so they are taken
//!   out here. They are told apart by their first letter: API names are PascalCase, and
//!   every flag of `hbr` itself is lower-case. The value is the next argument (whatever it
//!   looks like, but not another `--flag`), or follows `=`.
//! - `--output cols=A,B rows=PATH num=true`: one flag with up to three arguments, joined
//!   here into the one value clap parses ([`crate::output::OutputArg::parse`]).
//!
//! Everything after `--` is left as it is.

use std::ffi::OsString;

/// One `--Name value` of the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamFlag {
    /// The name after `--`, e.g. `Filters.1.Key`.
    pub name: String,
    /// The value given.
    pub value: String,
}

/// The command line split into what clap parses and the API parameters as flags.
#[derive(Debug, Default)]
pub struct Split {
    /// For clap (the program name first).
    pub args: Vec<OsString>,
    /// The `--Name value` flags, in order.
    pub params: Vec<ParamFlag>,
}

/// The parts of an aliyun CLI `--output` value.
const OUTPUT_PARTS: [&str; 3] = ["cols=", "rows=", "num="];

/// Splits `args` (the program name first).
pub fn split(args: impl IntoIterator<Item = OsString>) -> Result<Split, String> {
    let mut out = Split::default();
    let mut args = args.into_iter().peekable();
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str().map(str::to_owned) else {
            out.args.push(arg);
            continue;
        };
        if text == "--" {
            out.args.push(arg);
            out.args.extend(args.by_ref());
            break;
        }
        if let Some(name) = param_name(&text) {
            let (name, value) = match name.split_once('=') {
                Some((name, value)) => (name.to_owned(), value.to_owned()),
                None => {
                    let value = match args.peek().and_then(|v| v.to_str()) {
                        Some(v) if !v.starts_with("--") => v.to_owned(),
                        _ => {
                            return Err(format!(
                                "--{name} needs a value (e.g. --{name} VALUE, or --{name}=VALUE)"
                            ))
                        }
                    };
                    args.next();
                    (name.to_owned(), value)
                }
            };
            out.params.push(ParamFlag { name, value });
            continue;
        }
        let output = if text == "--output" {
            Some(args.next().and_then(|v| v.into_string().ok()))
        } else {
            text.strip_prefix("--output=")
                .filter(|v| is_output_part(v))
                .map(|v| Some(v.to_owned()))
        };
        match output {
            Some(Some(mut value)) if is_output_part(&value) => {
                while let Some(more) = args
                    .peek()
                    .and_then(|v| v.to_str())
                    .filter(|v| looks_like_part(v))
                {
                    value = format!("{value} {more}");
                    args.next();
                }
                out.args.push("--output".into());
                out.args.push(value.into());
            }
            Some(Some(value)) => {
                out.args.push("--output".into());
                out.args.push(value.into());
            }
            // A missing value is clap's to report.
            Some(None) => out.args.push(arg),
            None => out.args.push(arg),
        }
    }
    Ok(out)
}

/// The name of an API parameter flag: `--` and an upper-case letter.
fn param_name(text: &str) -> Option<&str> {
    let name = text.strip_prefix("--")?;
    name.starts_with(|c: char| c.is_ascii_uppercase())
        .then_some(name)
}

fn is_output_part(text: &str) -> bool {
    OUTPUT_PARTS.iter().any(|p| text.starts_with(p))
}

/// A `word=...` after the first part of an aliyun CLI `--output` (`roes=...` too, which the
/// parser then names with the closest part).
fn looks_like_part(text: &str) -> bool {
    text.split_once('=')
        .is_some_and(|(key, _)| !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The arguments for clap, and the parameter flags as (name, value).
    type Parts = (Vec<String>, Vec<(String, String)>);

    fn run(args: &[&str]) -> Result<Parts, String> {
        split(args.iter().map(OsString::from)).map(|s| {
            (
                s.args
                    .iter()
                    .map(|a| a.to_string_lossy().into_owned())
                    .collect(),
                s.params.into_iter().map(|p| (p.name, p.value)).collect(),
            )
        })
    }

    #[test]
    fn parameters_are_taken_out() {
        let (args, params) = run(&[
            "hbr",
            "--emulator",
            "call",
            "DescribeVaults",
            "--PageSize",
            "2",
            "--Filters.1.Values.1=FAILED",
            "--all",
            "--Offset",
            "-5",
        ])
        .unwrap_or_default();
        assert_eq!(
            args,
            ["hbr", "--emulator", "call", "DescribeVaults", "--all"]
        );
        assert_eq!(
            params,
            [
                ("PageSize".to_owned(), "2".to_owned()),
                ("Filters.1.Values.1".to_owned(), "FAILED".to_owned()),
                ("Offset".to_owned(), "-5".to_owned())
            ]
        );
        assert!(run(&["hbr", "call", "X", "--PageSize"])
            .is_err_and(|e| e.contains("--PageSize needs a value")));
        assert!(run(&["hbr", "call", "X", "--PageSize", "--all"]).is_err());
        // After `--`, nothing is touched.
        let (args, params) = run(&["hbr", "--", "--PageSize", "2"]).unwrap_or_default();
        assert_eq!(args, ["hbr", "--", "--PageSize", "2"]);
        assert!(params.is_empty());
    }

    #[test]
    fn output_parts_are_joined() {
        let (args, _) = run(&[
            "hbr",
            "call",
            "DescribeVaults",
            "--output",
            "cols=VaultId,VaultType",
            "rows=Vaults.Vault[]",
            "num=true",
            "--all",
        ])
        .unwrap_or_default();
        assert_eq!(
            args,
            [
                "hbr",
                "call",
                "DescribeVaults",
                "--output",
                "cols=VaultId,VaultType rows=Vaults.Vault[] num=true",
                "--all"
            ]
        );
        let (args, _) =
            run(&["hbr", "--output=cols=A", "rows=B", "vaults", "list"]).unwrap_or_default();
        assert_eq!(args, ["hbr", "--output", "cols=A rows=B", "vaults", "list"]);
        let (args, _) = run(&["hbr", "--output", "json", "vaults", "list"]).unwrap_or_default();
        assert_eq!(args, ["hbr", "--output", "json", "vaults", "list"]);
    }
}
