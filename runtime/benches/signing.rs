//! Benchmarks of request signing and verification.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use hbr_runtime::signing::{
    sign, verify, IncomingRequest, RequestToSign, SignatureVersion, SigningKey,
};

fn typical_query() -> Vec<(String, String)> {
    [
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
    .collect()
}

fn bench(c: &mut Criterion) {
    let key = SigningKey {
        access_key_id: "testAccessKeyId",
        access_key_secret: "testAccessKeySecret",
        security_token: None,
        provider_name: "static_ak",
    };
    let query = typical_query();
    let req = RequestToSign {
        host: "hbr.cn-hangzhou.aliyuncs.com",
        action: "DescribeRestoreJobs2",
        version: "2017-09-08",
        user_agent: "AlibabaCloud (Linux; x86_64) Rust/1.85 Core/0.1.0 TeaDSL/2",
        query: &query,
        form: None,
        timestamp: "2024-01-01T00:00:00Z",
        nonce: "0123456789abcdef0123456789abcdef",
        retry: None,
    };
    for version in SignatureVersion::ALL {
        c.bench_function(&format!("sign {version} DescribeRestoreJobs2"), |b| {
            b.iter(|| sign(black_box(version), black_box(&key), black_box(&req)))
        });
        let signed = sign(version, &key, &req);
        let headers: Vec<(String, String)> = signed
            .headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect();
        let incoming = IncomingRequest {
            method: "POST",
            path: "/",
            raw_query: &signed.query,
            headers: &headers,
            body: &signed.body,
        };
        let secret_for =
            |ak: &str| (ak == "testAccessKeyId").then(|| "testAccessKeySecret".to_owned());
        c.bench_function(&format!("verify {version} DescribeRestoreJobs2"), |b| {
            b.iter(|| verify(black_box(&incoming), &secret_for).unwrap())
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
