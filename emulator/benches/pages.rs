//! How fast the emulator serves pages: the pure `select` over 10 000 jobs, and a full
//! pagination of 10 000 jobs at 99 per page over HTTP (v3-signed, keep-alive).
#![allow(missing_docs, clippy::expect_used, clippy::unwrap_used)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hbr_emulator::{generate_jobs, select, EmulatorConfig, Query};
use hbr_runtime::signing::{
    format_timestamp, new_nonce, sign, RequestToSign, SignatureVersion, SigningKey,
};

const JOBS: usize = 10_000;

fn bench_select(c: &mut Criterion) {
    let jobs = generate_jobs(JOBS, 7);
    let mut group = c.benchmark_group("select");
    group.throughput(Throughput::Elements(JOBS as u64));
    let q = Query::from_params(&[
        ("PageSize".into(), "99".into()),
        ("PageNumber".into(), "50".into()),
        ("Filters.1.Key".into(), "Status".into()),
        ("Filters.1.Values.1".into(), "COMPLETE".into()),
    ])
    .unwrap();
    group.bench_function("status filter, page 50 of 99", |b| {
        b.iter(|| select(&jobs, &q).unwrap())
    });
    group.finish();
}

fn bench_http(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = EmulatorConfig {
        jobs: JOBS,
        seed: 7,
        ..EmulatorConfig::default()
    };
    let emu = rt.block_on(hbr_emulator::start(config)).unwrap();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let endpoint = emu.endpoint();
    let url = emu.url();
    let key = SigningKey {
        access_key_id: hbr_emulator::DEMO_ACCESS_KEY_ID,
        access_key_secret: hbr_emulator::DEMO_ACCESS_KEY_SECRET,
        security_token: None,
        provider_name: "static_ak",
    };
    let mut group = c.benchmark_group("http");
    group.sample_size(10);
    group.throughput(Throughput::Elements(JOBS as u64));
    group.bench_function("paginate 10000 jobs at 99 per page", |b| {
        b.iter(|| {
            rt.block_on(async {
                let pages = JOBS.div_ceil(99);
                for page in 1..=pages {
                    let query = vec![
                        ("PageNumber".to_string(), page.to_string()),
                        ("PageSize".to_string(), "99".to_string()),
                    ];
                    let ts = format_timestamp(time::OffsetDateTime::now_utc());
                    let nonce = new_nonce();
                    let req = RequestToSign {
                        host: &endpoint,
                        action: "DescribeRestoreJobs2",
                        version: "2017-09-08",
                        user_agent: "bench",
                        query: &query,
                        form: None,
                        timestamp: &ts,
                        nonce: &nonce,
                        retry: None,
                    };
                    let signed = sign(SignatureVersion::V3, &key, &req);
                    let mut rb = client.post(format!("{url}/?{}", signed.query));
                    for (n, v) in &signed.headers {
                        if *n != "host" {
                            rb = rb.header(*n, v);
                        }
                    }
                    let resp = rb.send().await.unwrap();
                    assert_eq!(resp.status(), 200);
                    let _ = resp.bytes().await.unwrap();
                }
            })
        })
    });
    group.finish();
    rt.block_on(emu.shutdown());
}

criterion_group!(benches, bench_select, bench_http);
criterion_main!(benches);
