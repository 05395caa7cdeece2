//! Small timing loops for the side-by-side comparison with the official Python SDK
//! (`scripts/compare-python.sh`), and for instruction counts under callgrind, which are
//! repeatable on a noisy machine where wall time is not:
//!
//! ```text
//! cargo build --release -p hbr-tests --example microbench
//! target/release/examples/microbench parse-typed 200     # best µs per parse of 5 batches
//! valgrind --tool=callgrind target/release/examples/microbench parse-typed 10 --once
//! target/release/examples/microbench page > page.json    # the 99-job page itself
//! ```
//!
//! Modes: `parse-typed`, `parse-value`, `parse-ignored` (the 99-job documented-example page),
//! `write-json` (the page's 99 parsed jobs written as `hbr restore-jobs list --output json`
//! writes them, `hbr_runtime::text::to_json_writer` into a buffer), `list-page` (both: the
//! client's CPU work per page of a listing, the network aside), `sign-v3`, `sign-v1` (one
//! DescribeRestoreJobs2 request with 8 parameters), `none` (setup only, to subtract under
//! callgrind), `page`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Response;
use hbr_runtime::signing::{sign, RequestToSign, SignatureVersion, SigningKey};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map_or("parse-typed", String::as_str);
    let n: u32 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100);
    let once = args.iter().any(|a| a == "--once");
    let body = hbr_tests::example_page(99);
    if mode == "page" {
        println!("{body}");
        return;
    }
    let query: Vec<(String, String)> = [
        ("PageNumber", "1"),
        ("PageSize", "10"),
        ("Filters.1.Key", "VaultId"),
        ("Filters.1.Values.1", "v-0006abcdq"),
        ("Filters.2.Key", "Status"),
        ("Filters.2.Operator", "IN"),
        ("Filters.2.Values.1", "COMPLETE"),
        ("Filters.2.Values.2", "FAILED"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let key = SigningKey {
        access_key_id: "testAccessKeyId",
        access_key_secret: "testAccessKeySecret",
        security_token: None,
        provider_name: "static_ak",
    };
    let req = RequestToSign {
        host: "hbr.cn-hangzhou.aliyuncs.com",
        action: "DescribeRestoreJobs2",
        version: "2017-09-08",
        user_agent: "AlibabaCloud (Linux; x86_64) Rust/1.95 Core/0.1.0 TeaDSL/2",
        query: &query,
        form: None,
        timestamp: "2024-01-01T00:00:00Z",
        nonce: "0123456789abcdef0123456789abcdef",
        retry: None,
    };
    let parsed: DescribeRestoreJobs2Response = serde_json::from_str(&body).expect("typed");
    let mut out: Vec<u8> = Vec::with_capacity(2 * body.len());
    let mut one = || -> usize {
        match mode {
            "parse-typed" => {
                let r: DescribeRestoreJobs2Response =
                    serde_json::from_str(black_box(&body)).expect("typed");
                r.restore_jobs().len()
            }
            "write-json" => write_jobs(&mut out, black_box(&parsed)),
            "list-page" => {
                let r: DescribeRestoreJobs2Response =
                    serde_json::from_str(black_box(&body)).expect("typed");
                write_jobs(&mut out, &r)
            }
            "parse-value" => {
                let v: serde_json::Value = serde_json::from_str(black_box(&body)).expect("value");
                v.as_object().map_or(0, |o| o.len())
            }
            "parse-ignored" => {
                serde_json::from_str::<serde::de::IgnoredAny>(black_box(&body)).expect("ignored");
                1
            }
            "sign-v3" => sign(SignatureVersion::V3, black_box(&key), black_box(&req))
                .headers
                .len(),
            "sign-v1" => sign(SignatureVersion::V1, black_box(&key), black_box(&req))
                .query
                .len(),
            "none" => 0,
            other => panic!("unknown mode {other}"),
        }
    };
    if once {
        let total: usize = (0..n).map(|_| one()).sum();
        println!("{mode} x{n}: {total}");
        return;
    }
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..n {
            black_box(one());
        }
        best = best.min(start.elapsed().as_secs_f64() * 1e6 / f64::from(n));
    }
    println!("{mode} {best:.3}");
}

/// The jobs of `page` as the CLI's JSON output writes them (into `out`, emptied first); the
/// bytes written.
fn write_jobs(out: &mut Vec<u8>, page: &DescribeRestoreJobs2Response) -> usize {
    out.clear();
    for job in page.restore_jobs() {
        out.extend_from_slice(b",\n");
        hbr_runtime::text::to_json_writer(&mut *out, job).expect("writes");
    }
    out.len()
}
