//! What several end-to-end tests share: the official Python SDK in a virtual environment,
//! a typed client of the emulator, and the smallest input each operation's spec accepts.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

use hbr_client::registry::{CallError, OperationInfo, ParamInfo};
use hbr_client::{Client, Config};
use hbr_runtime::client::RetryConfig;
use hbr_runtime::credentials::Credentials;
use hbr_runtime::signing::SignatureVersion;
use serde_json::{json, Map, Value};

/// The official SDK the tests install (its pin).
pub const SDK: &str = "alibabacloud-hbr20170908==2.7.1";

/// PyYAML, which `scripts/python/filled_inputs.py` reads the spec with.
pub const PYYAML: &str = "pyyaml==6.0.2";

/// The venv's python with the official SDK (and PyYAML, for the recording scripts)
/// installed (once; later runs reuse it).
pub fn python() -> PathBuf {
    venv("official-sdk-venv", &[SDK, PYYAML])
}

/// The python of a virtual environment `name` under the tests' temporary folder with
/// `packages` installed (made once; made again when the packages asked for change).
pub fn venv(name: &str, packages: &[&str]) -> PathBuf {
    try_venv(name, packages).unwrap_or_else(|why| panic!("{why}"))
}

/// [`venv`], or why it could not be made (for tests that skip without it).
pub fn try_venv(name: &str, packages: &[&str]) -> Result<PathBuf, String> {
    let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let python = venv.join("bin/python");
    let marker = venv.join(".installed");
    let wanted = packages.join(" ");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    let run = |what: &str, command: &mut Command| match command.output() {
        Err(e) => Err(format!("{what}: {e}")),
        Ok(o) if !o.status.success() => Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Ok(_) => Ok(()),
    };
    if !python.exists() {
        run(
            "python3 -m venv",
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
        )?;
    }
    run(
        &format!("pip install {wanted}"),
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(packages),
    )?;
    std::fs::write(&marker, wanted).map_err(|e| format!("{}: {e}", marker.display()))?;
    Ok(python)
}

/// A value of the parameter at `path`, with the required members of objects filled in.
fn sample(op: &OperationInfo, info: &ParamInfo, path: &str) -> Value {
    match info.ty {
        "string" => json!(info.values.first().copied().unwrap_or("sample")),
        "int32" | "int64" => json!(1),
        "boolean" => json!(true),
        "array" => {
            let item = format!("{path}.N");
            if op
                .parameters
                .iter()
                .any(|p| p.name.starts_with(&format!("{item}.")))
            {
                json!([required_members(op, &item)])
            } else {
                json!(["sample"])
            }
        }
        "object" => required_members(op, path),
        _ => json!({}),
    }
}

/// An object with the required members of the object at `path`.
fn required_members(op: &OperationInfo, path: &str) -> Value {
    let prefix = format!("{path}.");
    let mut out = Map::new();
    for p in op.parameters {
        let Some(name) = p.name.strip_prefix(&prefix) else {
            continue;
        };
        if p.required && !name.contains('.') {
            out.insert(name.to_owned(), sample(op, p, p.name));
        }
    }
    Value::Object(out)
}

/// The smallest input the spec accepts: every required top-level parameter, and those a
/// cross-field rule then asks for (`Bucket` when GetTrialInfo's `SourceType` is `OSS`).
pub fn minimal_input(op: &OperationInfo) -> Value {
    let mut out = Map::new();
    for p in op
        .parameters
        .iter()
        .filter(|p| p.required && !p.name.contains('.'))
    {
        out.insert(p.name.to_owned(), sample(op, p, p.name));
    }
    for _ in 0..op.parameters.len() {
        let Err(CallError::Validation(e)) = (op.check)(Value::Object(out.clone())) else {
            break;
        };
        let asked = e.violations().iter().find_map(|v| {
            op.parameters
                .iter()
                .find(|p| p.name == v.parameter && !out.contains_key(p.name))
        });
        let Some(p) = asked else {
            break;
        };
        out.insert(p.name.to_owned(), sample(op, p, p.name));
    }
    Value::Object(out)
}

/// A typed client of the emulator at `url` with its demo key, retries off.
pub fn client(url: &str, version: SignatureVersion) -> Client {
    Client::new(
        Config::builder()
            .endpoint(url)
            .signature_version(version)
            .credentials(Credentials::new(
                hbr_emulator::DEMO_ACCESS_KEY_ID,
                hbr_emulator::DEMO_ACCESS_KEY_SECRET,
            ))
            .retry(RetryConfig::disabled())
            .build(),
    )
    .expect("client")
}

/// A seeded OSS restore of the data set `generate_jobs(jobs, seed)`: its vault and the
/// snapshot it restored from exist, so an OSS `CreateRestoreJob` from them is accepted.
pub fn oss_origin(jobs: usize, seed: u64) -> hbr_emulator::Job {
    hbr_emulator::seeded_restore(jobs, seed, "OSS").expect("a seeded OSS restore")
}

/// A UDM_ECS backup job of `instance` created through `client`; its JobId.
pub async fn backup_job(client: &Client, instance: &str) -> String {
    client
        .create_backup_job()
        .source_type("UDM_ECS".into())
        .instance_id(instance)
        .send()
        .await
        .expect("the job is created")
        .job_id()
        .expect("a JobId")
        .to_owned()
}
