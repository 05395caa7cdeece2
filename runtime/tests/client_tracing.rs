//! The pipeline's spans and events: one span per operation and per attempt, and no secret
//! in any field.
//!
//! In its own test binary: a thread-local subscriber and tests on other threads would race
//! on tracing's per-callsite interest cache.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client_support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use client_support::*;
use hbr_runtime::client::Runtime;
use hbr_runtime::credentials::Credentials;
use hbr_runtime::signing::SignatureVersion;

/// Records every span (name and fields, later records included) and event as text.
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    next: AtomicU64,
}

struct FieldText(String);

impl tracing::field::Visit for FieldText {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut text = FieldText(format!("SPAN#{id} {} ", attrs.metadata().name()));
        attrs.record(&mut text);
        self.lines.lock().unwrap().push(text.0);
        tracing::span::Id::from_u64(id)
    }
    fn record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut text = FieldText(format!("RECORD#{} ", id.into_u64()));
        values.record(&mut text);
        self.lines.lock().unwrap().push(text.0);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = FieldText(format!("EVENT {} ", event.metadata().level()));
        event.record(&mut text);
        self.lines.lock().unwrap().push(text.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn spans_name_the_operation_and_attempts_and_never_a_secret() {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let _guard = tracing::subscriber::set_default(Recorder {
        lines: Arc::clone(&lines),
        next: AtomicU64::new(0),
    });
    tracing::callsite::rebuild_interest_cache();

    let server = TestServer::start(|_, n| match n {
        0 => Reply::json(503, serde_json::json!({"Code": "ServiceUnavailable", "Message": "later"})),
        1 => ok_reply("REQ-TRACE"),
        _ => Reply::json(400, serde_json::json!({"Code": "InvalidParameter", "Message": "bad", "RequestId": "REQ-BAD"})),
    })
    .await;
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let runtime = Runtime::new(
            config_for(&server)
                .credentials(Credentials::new(AK, SECRET).with_security_token(TOKEN))
                .signature_version(version)
                .build(),
        )
        .unwrap();
        let _ = runtime.execute(&ListThings::<false>::default()).await;
    }

    let lines = lines.lock().unwrap().clone();
    let all = lines.join("\n");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("hbr.operation") && l.contains("action=\"ListThings\"")),
        "{all}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("hbr.attempt") && l.contains("attempt=1")),
        "{all}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("hbr.attempt") && l.contains("attempt=2")),
        "{all}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("RECORD") && l.contains("request_id=\"REQ-TRACE\"")),
        "{all}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("RECORD") && l.contains("request_id=\"REQ-BAD\"")),
        "{all}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("EVENT") && l.contains("retrying")),
        "{all}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("EVENT") && l.contains("operation failed")),
        "{all}"
    );
    assert!(
        server.requests()[0].raw_query.contains(TOKEN),
        "the token was sent"
    );
    for secret in [SECRET, TOKEN] {
        assert!(!all.contains(secret), "secret in the trace:\n{all}");
    }
}
