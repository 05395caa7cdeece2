//! The crates as users get them: `cargo package` of every published crate, then a scratch
//! application (`tests/scratch-app/main.rs`) that depends on `hbr-client` alone, with the
//! internal crates patched to their *packaged* copies, built offline, and run against the
//! emulator over 127.0.0.1. This catches a package that leaves out what its build needs
//! (the generated snapshot), an internal dependency without a version, and a type a user
//! must name that only `hbr-runtime` exports. A second test builds the same application with
//! the dependency the README gives for today (a path to a clone of the repository).
//!
//! The nested builds use their own target folder (`<target>/tmp/packaging/`), which stays warm
//! between runs; the first run compiles the scratch application's dependencies once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

fn run(cmd: &mut Command) -> String {
    let shown = format!("{cmd:?}");
    let out = cmd.output().unwrap_or_else(|e| panic!("{shown}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{shown} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn cargo(dir: &Path, target: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    cmd
}

/// The workspace members that are published (no `publish = false`).
fn published(root: &Path) -> Vec<String> {
    let out = run(Command::new(env!("CARGO")).current_dir(root).args([
        "metadata",
        "--format-version",
        "1",
        "--no-deps",
        "--offline",
    ]));
    let meta: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names: Vec<String> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["publish"].as_array().is_none_or(|r| !r.is_empty()))
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    for expected in [
        "hbr-client",
        "hbr-runtime",
        "hbr-macros",
        "hbr-cli",
        "hbr-emulator",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} is published: {names:?}"
        );
    }
    names
}

/// `cargo package` of every published crate; returns the folder the packages were
/// unpacked into (one `<name>-<version>/` each).
fn package_all(root: &Path, target: &Path, published: &[String]) -> PathBuf {
    let mut cmd = cargo(root, target);
    cmd.args(["package", "--no-verify", "--allow-dirty", "--offline"]);
    for name in published {
        cmd.args(["-p", name]);
    }
    run(&mut cmd);
    let unpacked = target.join("unpacked");
    let _ = std::fs::remove_dir_all(&unpacked);
    std::fs::create_dir_all(&unpacked).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    for name in published {
        let file = target
            .join("package")
            .join(format!("{name}-{version}.crate"));
        run(Command::new("tar")
            .arg("-xzf")
            .arg(&file)
            .arg("-C")
            .arg(&unpacked));
    }
    // `cargo package` gives every file the same fixed mtime, so the warm build folder would
    // take a changed package for the one it built last time (cargo fingerprints path
    // dependencies by mtime): give the unpacked files the time of this run.
    touch_all(&unpacked, std::time::SystemTime::now());
    unpacked
}

/// Sets the modification time of every file below `dir`.
fn touch_all(dir: &Path, now: std::time::SystemTime) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            touch_all(&path, now);
        } else {
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(now).unwrap();
        }
    }
}

fn scratch_app(target: &Path, unpacked: &Path, root: &Path, published: &[String]) -> PathBuf {
    let app = target.join("scratch-app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let patch = |name: &str| {
        format!(
            "{name} = {{ path = {:?} }}\n",
            unpacked.join(format!("{name}-{version}"))
        )
    };
    let manifest = format!(
        "[package]\nname = \"scratch-app\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nhbr-client = \"={version}\"\n\
         tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\n\n\
         [patch.crates-io]\n{}\n[workspace]\n",
        published.iter().map(|name| patch(name)).collect::<String>(),
    );
    std::fs::write(app.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(
        root.join("tests/scratch-app/main.rs"),
        app.join("src/main.rs"),
    )
    .unwrap();
    // The workspace's lock file pins the third-party versions already in the local
    // registry cache, so the offline build resolves.
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();
    app
}

#[test]
fn an_application_builds_on_the_packaged_client_alone_and_sends_a_typed_request() {
    let root = workspace();
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("packaging");
    let published = published(&root);
    let unpacked = package_all(&root, &target, &published);

    // The client package carries its generated source and builds without the generator.
    let client = unpacked.join(format!("hbr-client-{}", env!("CARGO_PKG_VERSION")));
    assert!(client.join("snapshot/lib.rs").is_file());
    assert!(client.join("snapshot/describe_restore_jobs2.rs").is_file());
    let manifest = std::fs::read_to_string(client.join("Cargo.toml")).unwrap();
    for dep in ["hbr-runtime", "hbr-macros"] {
        assert!(
            manifest.contains(&format!("[dependencies.{dep}]\nversion = \"=")),
            "{dep} has no version in the packaged manifest:\n{manifest}"
        );
    }

    let app = scratch_app(&target, &unpacked, &root, &published);
    run(cargo(&app, &target.join("build")).args(["build", "--offline"]));
    let binary = target.join("build/debug/scratch-app");
    assert!(binary.is_file());

    // The packaged client's dependency tree holds no generator: a user who edits no spec
    // never compiles it.
    let tree = run(cargo(&app, &target.join("build")).args([
        "tree",
        "--offline",
        "--prefix",
        "none",
        "--format",
        "{p} [{f}]",
    ]));
    assert!(!tree.contains("hbr-codegen"), "{tree}");
    assert!(!tree.contains("prettyplease"), "{tree}");
    // Nor the server side of signing (the verifier and form decoder the emulator uses).
    let runtime = tree
        .lines()
        .find(|l| l.starts_with("hbr-runtime "))
        .unwrap_or_else(|| panic!("hbr-runtime in the tree:\n{tree}"));
    assert!(!runtime.contains("verify"), "{runtime}");
    // Nor the registry and the API-shaped serde impls, which only dynamic use needs.
    let client = tree
        .lines()
        .find(|l| l.starts_with("hbr-client "))
        .unwrap_or_else(|| panic!("hbr-client in the tree:\n{tree}"));
    assert!(
        client.ends_with("[]"),
        "default features of hbr-client: {client}"
    );

    // It talks to the emulator with a typed request and gets the jobs the emulator's data set
    // holds, filtered and ordered here independently.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emulator = rt
        .block_on(hbr_emulator::start(hbr_emulator::EmulatorConfig {
            jobs: 300,
            seed: 11,
            ..hbr_emulator::EmulatorConfig::default()
        }))
        .expect("the emulator starts");
    let out = run(Command::new(&binary).args([
        emulator.url().as_str(),
        emulator.access_key_id(),
        emulator.access_key_secret(),
    ]));
    rt.block_on(emulator.shutdown());

    let mut expected: Vec<hbr_emulator::Job> = hbr_emulator::generate_jobs(300, 11)
        .into_iter()
        .filter(|j| j.restore_type == "ECS_FILE" && j.status != "FAILED")
        .collect();
    expected.sort_by(|a, b| {
        b.created_time
            .cmp(&a.created_time)
            .then_with(|| a.restore_id.cmp(&b.restore_id))
    });
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.last().copied(),
        Some(format!("total {}", expected.len()).as_str()),
        "{out}"
    );
    let ids: Vec<&str> = lines[..lines.len() - 1]
        .iter()
        .map(|l| l.split(' ').next().unwrap_or_default())
        .collect();
    let want: Vec<&str> = expected
        .iter()
        .take(20)
        .map(|j| j.restore_id.as_str())
        .collect();
    assert_eq!(ids, want, "{out}");
}

/// The `toml` block of the README's "Using the client".
fn readme_dependencies(root: &Path) -> String {
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = readme
        .split_once("## Using the client")
        .map(|(_, rest)| rest)
        .expect("README has \"Using the client\"");
    let block = section
        .split_once("```toml\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("a toml block in \"Using the client\"");
    block.to_owned()
}

/// What the README tells an application to write today builds it, offline, with no registry
/// holding the crates: a path to a clone of this repository (`hbr-runtime`, `hbr-macros` come
/// along from the checkout). The registry line waits in a comment for publishing.
#[test]
fn the_readmes_dependency_line_builds_an_application_today() {
    let root = workspace();
    let block = readme_dependencies(&root);
    let clone_line = r#"hbr-client = { path = "../hbr-rs/generated-client" }"#;
    let hbr_lines: Vec<&str> = block.lines().filter(|l| l.starts_with("hbr-")).collect();
    assert_eq!(hbr_lines, [clone_line], "{block}");
    assert!(
        block.lines().any(|l| l == r#"# hbr-client = "0.1""#),
        "the registry line, for after publishing: {block}"
    );

    // The same block, with this checkout standing for `../hbr-rs`.
    let checkout = format!("{{ path = {:?} }}", root.join("generated-client"));
    let dependencies = block.replace(r#"{ path = "../hbr-rs/generated-client" }"#, &checkout);
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("packaging");
    let app = target.join("readme-app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"readme-app\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         {dependencies}\n[workspace]\n"
    );
    std::fs::write(app.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(
        root.join("tests/scratch-app/main.rs"),
        app.join("src/main.rs"),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();
    // The build folder the packaged application uses: the third-party crates are warm.
    run(cargo(&app, &target.join("build")).args(["build", "--offline"]));
    assert!(target.join("build/debug/readme-app").is_file());
    let tree = run(cargo(&app, &target.join("build")).args([
        "tree",
        "--offline",
        "--prefix",
        "none",
        "--format",
        "{p}",
    ]));
    for krate in ["hbr-client", "hbr-runtime", "hbr-macros"] {
        assert!(
            tree.lines().any(
                |l| l.starts_with(&format!("{krate} ")) && l.contains(&*root.to_string_lossy())
            ),
            "{krate} from the checkout:\n{tree}"
        );
    }
}
