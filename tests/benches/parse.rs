//! Parsing a 99-job DescribeRestoreJobs2 page with every field filled as in the documented
//! example (about 340 KB): the typed parse against `serde_json::Value` and against a serde
//! `IgnoredAny` scan (the floor). Run: `cargo bench -p hbr-tests --bench parse`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use hbr_client::describe_restore_jobs2::DescribeRestoreJobs2Response;

fn parse(c: &mut Criterion) {
    let body = hbr_tests::example_page(99);
    let mut group = c.benchmark_group("parse_99_job_page");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_with_input(BenchmarkId::new("typed", body.len()), &body, |b, body| {
        b.iter(|| serde_json::from_str::<DescribeRestoreJobs2Response>(body).expect("parses"))
    });
    group.bench_with_input(
        BenchmarkId::new("serde_json_value", body.len()),
        &body,
        |b, body| b.iter(|| serde_json::from_str::<serde_json::Value>(body).expect("parses")),
    );
    group.bench_with_input(
        BenchmarkId::new("ignored_any_floor", body.len()),
        &body,
        |b, body| b.iter(|| serde_json::from_str::<serde::de::IgnoredAny>(body).expect("parses")),
    );
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
