//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) and every input that once crashed a
//! fuzz target (`fuzz/regressions/<target>/`) through the same checks as the fuzz targets
//! (`hbr_fuzz_support`), so `cargo test` keeps them fixed without cargo fuzz or nightly.
//!
//! `cargo test -p hbr-tests --test fuzz_corpus -- --ignored write_seed_corpus` rewrites the
//! seed inputs (files named `seed-*`) from the real spec, vectors and signed requests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every corpus and regression input of `target`; returns how many ran.
fn replay(target: &str) -> usize {
    let corpus = inputs(&fuzz_dir().join("corpus").join(target));
    assert!(
        !corpus.is_empty(),
        "fuzz/corpus/{target}/ is empty or missing: the replay would test nothing"
    );
    let regressions = inputs(&fuzz_dir().join("regressions").join(target));
    let mut ran = 0;
    for path in corpus.iter().chain(&regressions) {
        let data = std::fs::read(path).unwrap();
        let result = std::panic::catch_unwind(|| hbr_fuzz_support::run_target(target, &data));
        match result {
            Ok(known) => assert!(known, "no fuzz target {target}"),
            Err(_) => panic!("{target}: {} fails (see the panic above)", path.display()),
        }
        ran += 1;
    }
    ran
}

#[test]
fn spec_yaml_corpus_replays() {
    replay("spec_yaml");
}

#[test]
fn response_bytes_corpus_replays() {
    replay("response_bytes");
}

#[test]
fn call_json_corpus_replays() {
    replay("call_json");
}

static PANICS: AtomicUsize = AtomicUsize::new(0);

#[test]
fn emulator_http_corpus_replays_and_the_emulator_keeps_serving() {
    // A panic in one of the emulator's tasks only drops that connection; count them all.
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        default(info);
    }));
    hbr_fuzz_support::emulator_http::check_alive();
    let ran = replay("emulator_http");
    assert!(ran > 0);
    hbr_fuzz_support::emulator_http::check_alive();
    assert_eq!(
        PANICS.load(Ordering::SeqCst),
        0,
        "something panicked while the emulator served the corpus (see above)"
    );
}

/// Writes the seed inputs (`seed-*`) of every corpus from real material.
#[test]
#[ignore = "rewrites fuzz/corpus seeds; run by hand"]
fn write_seed_corpus() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let vectors = hbr_tests::wire_vectors();
    seed_spec_yaml(&root);
    seed_response_bytes();
    seed_call_json(&root, &vectors);
    seed_emulator_http(&vectors);
}

/// Writes one seed input of `target`'s corpus.
fn write_seed(target: &str, name: &str, data: &[u8]) {
    let dir = fuzz_dir().join("corpus").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("seed-{name}")), data).unwrap();
}

fn seed_spec_yaml(root: &Path) {
    // spec_yaml: every real spec file.
    for dir in [
        root.join("api-spec/hbr/2017-09-08"),
        root.join("tests/spec"),
    ] {
        for path in inputs(&dir) {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let prefix = if dir.ends_with("spec") { "test-" } else { "" };
            write_seed(
                "spec_yaml",
                &format!("{prefix}{name}"),
                &std::fs::read(&path).unwrap(),
            );
        }
    }
}

fn seed_response_bytes() {
    // response_bytes: the documented example, the recorded responses, an emulator page.
    write_seed(
        "response_bytes",
        "documented-example.json",
        hbr_tests::documented_example_response().as_bytes(),
    );
    write_seed(
        "response_bytes",
        "official-sdk-parsed-example.json",
        serde_json::to_string(&hbr_tests::official_sdk_parsed_example())
            .unwrap()
            .as_bytes(),
    );
    let jobs = hbr_emulator::generate_jobs(3, 1);
    for (i, ints_as_strings) in [false, true].into_iter().enumerate() {
        let items: Vec<String> = jobs
            .iter()
            .map(|j| hbr_emulator::render_job(j, ints_as_strings))
            .collect();
        let page = format!(
            r#"{{"RequestId":"A1","Success":true,"Code":"200","Message":"successful","PageNumber":1,"PageSize":3,"TotalCount":3,"RestoreJobs":{{"RestoreJob":[{}]}}}}"#,
            items.join(",")
        );
        write_seed(
            "response_bytes",
            &format!("emulator-page-{i}.json"),
            page.as_bytes(),
        );
    }
    write_seed(
        "response_bytes",
        "error.json",
        br#"{"RequestId":"E1","HostId":"hbr.cn-hangzhou.aliyuncs.com","Code":"InvalidParameter","Message":"bad","Recommend":"x","Success":false}"#,
    );
}

fn seed_call_json(root: &Path, vectors: &serde_json::Value) {
    // call_json: the official SDK's inputs and a few hand-written ones.
    let ops: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/vectors/official_sdk_operations.json")).unwrap(),
    )
    .unwrap();
    for (i, case) in ops["cases"].as_array().unwrap().iter().enumerate() {
        write_seed(
            "call_json",
            &format!("official-sdk-{i}.json"),
            serde_json::to_string(&case["input"]).unwrap().as_bytes(),
        );
    }
    for (i, v) in vectors["vectors"].as_array().unwrap().iter().enumerate() {
        write_seed(
            "call_json",
            &format!("wire-vector-{i}.json"),
            serde_json::to_string(&v["input"]).unwrap().as_bytes(),
        );
    }
    for (name, text) in [
        ("empty.json", "{}"),
        (
            "page.json",
            r#"{"PageNumber":1,"PageSize":99,"RestoreType":"ECS_FILE","Edition":"BASIC"}"#,
        ),
        ("bad-page.json", r#"{"PageNumber":0,"PageSize":"100"}"#),
        (
            "filters.json",
            r#"{"Filters":[{"Key":"CompleteTime","Operator":"BETWEEN","Values":["1","2"]},{"Key":"Status","Values":["COMPLETE"]}]}"#,
        ),
        ("unknown.json", r#"{"PageSzie":1}"#),
    ] {
        write_seed("call_json", name, text.as_bytes());
    }
}

fn seed_emulator_http(vectors: &serde_json::Value) {
    use hbr_runtime::signing::SignatureVersion;
    // emulator_http: signed requests (expired by the time the fuzzer replays them) and the
    // recorded official requests, as raw HTTP.
    for (name, version) in [("v3", SignatureVersion::V3), ("v1", SignatureVersion::V1)] {
        let raw = hbr_fuzz_support::emulator_http::signed_request(
            version,
            "127.0.0.1:8080",
            hbr_emulator::DEMO_ACCESS_KEY_ID,
            hbr_emulator::DEMO_ACCESS_KEY_SECRET,
        );
        write_seed("emulator_http", &format!("signed-{name}.http"), &raw);
    }
    for (i, v) in vectors["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .take(6)
    {
        let wire = &v["wire"];
        let query = wire["raw_query"].as_str().unwrap_or_default();
        let mut raw = format!(
            "{} {}{}{} HTTP/1.1\r\n",
            wire["method"].as_str().unwrap_or("POST"),
            wire["path"].as_str().unwrap_or("/"),
            if query.is_empty() { "" } else { "?" },
            query
        );
        for (name, value) in wire["headers"].as_object().unwrap() {
            raw.push_str(&format!(
                "{name}: {}\r\n",
                value.as_str().unwrap_or_default()
            ));
        }
        raw.push_str("\r\n");
        raw.push_str(wire["body"].as_str().unwrap_or_default());
        write_seed(
            "emulator_http",
            &format!("wire-vector-{i}.http"),
            raw.as_bytes(),
        );
    }
    for (name, text) in [
        ("get-root.http", "GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"),
        ("other-path.http", "GET /x?Action=DescribeRestoreJobs2 HTTP/1.1\r\nhost: h\r\n\r\n"),
        ("delete.http", "DELETE / HTTP/1.1\r\nhost: h\r\n\r\n"),
        ("chunked.http", "POST / HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\ncontent-type: application/x-www-form-urlencoded\r\n\r\n5\r\nA=1&B\r\n0\r\n\r\n"),
        ("short-body.http", "POST / HTTP/1.1\r\nhost: h\r\ncontent-length: 100\r\n\r\nAction=X"),
        ("v1-query.http", "POST /?Action=DescribeRestoreJobs2&Version=2017-09-08&AccessKeyId=LTAI-emulator-demo&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=1&Timestamp=2026-01-01T00%3A00%3A00Z&Format=JSON&Signature=abc HTTP/1.1\r\nhost: h\r\ncontent-length: 0\r\n\r\n"),
        ("pipelined.http", "GET / HTTP/1.1\r\nhost: h\r\n\r\nPOST / HTTP/1.1\r\nhost: h\r\ncontent-length: 3\r\n\r\na=b"),
        ("http10.http", "GET / HTTP/1.0\r\n\r\n"),
    ] {
        write_seed("emulator_http", name, text.as_bytes());
    }
}
