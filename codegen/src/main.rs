//! `hbr-codegen`: the generator's command line.
//!
//! - `hbr-codegen generate --spec api-spec --out DIR` writes the generated source to read;
//! - `hbr-codegen check --spec api-spec` validates the spec and reports every problem;
//! - `hbr-codegen import --metadata FILE` merges Alibaba's metadata (or the official SDK's
//!   models in its shape) into the spec; `hbr-codegen drift --metadata FILE` lists what the
//!   file has and the spec lacks.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "hbr-codegen",
    version,
    about = "Generates the HBR SDK from its YAML API spec"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the spec and write the generated Rust source into a folder.
    Generate {
        /// The spec root (`api-spec`) or one version folder (`api-spec/hbr/2017-09-08`).
        #[arg(long, default_value = "api-spec")]
        spec: PathBuf,
        /// Where to write the generated files.
        #[arg(long)]
        out: PathBuf,
    },
    /// Convert Alibaba's published API metadata into spec YAML, merged into the spec already
    /// there: the metadata's facts are updated, everything written by hand is kept.
    Import {
        /// The metadata file (the format of `hbr-2017-09-08.api-docs.json`).
        #[arg(long)]
        metadata: PathBuf,
        /// Operations to import (repeatable); all of the file's when absent.
        #[arg(long = "operation")]
        operations: Vec<String>,
        /// The spec version folder to write into.
        #[arg(long, default_value = "api-spec/hbr/2017-09-08")]
        out: PathBuf,
        /// Replace the operation files with a fresh import (dropping what was written by hand).
        #[arg(long)]
        force: bool,
    },
    /// List every operation, parameter and field an import source (the metadata, or the
    /// official SDK's models described by `scripts/python/sdk_models.py`) has and the spec
    /// lacks; fails when there is one.
    Drift {
        /// The source file (the metadata's format).
        #[arg(long)]
        metadata: PathBuf,
        /// The spec version folder.
        #[arg(long, default_value = "api-spec/hbr/2017-09-08")]
        spec: PathBuf,
    },
    /// Validate the spec and report every problem with its file:line:col.
    Check {
        /// The spec root or one version folder.
        #[arg(long, default_value = "api-spec")]
        spec: PathBuf,
    },
}

/// `api-spec` → `api-spec/hbr/2017-09-08` when the given folder is the root.
fn version_dir(spec: &Path) -> PathBuf {
    let nested = spec.join("hbr").join("2017-09-08");
    if nested.is_dir() {
        nested
    } else {
        spec.to_path_buf()
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Generate { spec, out } => {
            hbr_codegen::generate(&version_dir(spec)).and_then(|g| {
                let written = hbr_codegen::write(&g, out)?;
                eprintln!(
                    "generated {} files into {} ({} changed)",
                    g.files.len(),
                    out.display(),
                    written.len()
                );
                Ok(())
            })
        }
        Command::Import {
            metadata,
            operations,
            out,
            force,
        } => match hbr_codegen::import::import(metadata, operations, out, *force) {
            Ok(report) => {
                for note in &report.notes {
                    eprintln!("note: {note}");
                }
                for written in &report.written {
                    eprintln!("written: {}", written.display());
                }
                eprintln!(
                    "imported into {}: {} files written, {} unchanged",
                    out.display(),
                    report.written.len(),
                    report.kept.len()
                );
                Ok(())
            }
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::FAILURE;
            }
        },
        Command::Drift { metadata, spec } => {
            match hbr_codegen::import::drift(metadata, &version_dir(spec)) {
                Ok(drift) => {
                    eprint!("{drift}");
                    if !drift.is_empty() {
                        return ExitCode::FAILURE;
                    }
                    Ok(())
                }
                Err(err) => {
                    eprintln!("error: {err}");
                    return ExitCode::FAILURE;
                }
            }
        }
        Command::Check { spec } => hbr_codegen::load(&version_dir(spec)).map(|s| {
            eprintln!("spec is valid: {} operations", s.operations.len());
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
