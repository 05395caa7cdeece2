//! What a builder's `send()` returns, `SendFuture`: it sends nothing until polled, can be
//! spawned (it is `Send` and `'static`), tells its operation in `Debug`, and a request that
//! breaks a documented bound fails when awaited without reaching the service.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use hbr_client::describe_vaults::DescribeVaultsRequest;
use hbr_client::{ErrorKind, SendFuture};
use hbr_runtime::signing::SignatureVersion;

fn spawnable<T: Send + 'static>(value: T) -> T {
    value
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_future_sends_when_polled_and_can_be_spawned() {
    let emu = hbr_emulator::start(hbr_emulator::EmulatorConfig::default())
        .await
        .unwrap();
    let client = support::client(&format!("http://{}", emu.addr()), SignatureVersion::V3);
    let before = emu.stats().requests;

    let idle: SendFuture<DescribeVaultsRequest> = client.describe_vaults().page_size(5).send();
    let shown = format!("{idle:?}");
    assert!(
        shown.contains("DescribeVaults") && shown.contains("started: false"),
        "{shown}"
    );
    drop(idle);
    assert_eq!(emu.stats().requests, before, "nothing sent before a poll");

    let page = tokio::spawn(spawnable(client.describe_vaults().page_size(5).send()))
        .await
        .unwrap()
        .unwrap();
    assert!(page.request_id().is_some());
    assert_eq!(emu.stats().requests, before + 1);

    let refused = client
        .describe_vaults()
        .page_size(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Validation, "{refused}");
    assert!(refused.to_string().contains("PageSize"), "{refused}");
    assert_eq!(
        emu.stats().requests,
        before + 1,
        "a refused request is not sent"
    );
}
