//! The default chain's debug event names the provider and never a secret.
//!
//! This lives in its own test binary: a thread-local tracing subscriber and other tests
//! running in parallel threads would race on tracing's per-callsite interest cache.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use hbr_runtime::credentials::{DefaultCredentialsChain, Environment, ProvideCredentials};

/// A minimal subscriber that records every event's level and fields as text.
struct Recorder(Arc<Mutex<Vec<String>>>);

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
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = FieldText(format!("{} ", event.metadata().level()));
        event.record(&mut text);
        self.0.lock().unwrap().push(text.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

const SECRET: &str = "tracing-secret-3c2b1a";
const TOKEN: &str = "tracing-token-6f5e4d";

#[tokio::test]
async fn chain_logs_the_supplying_provider_but_no_secret() {
    let events = Arc::new(Mutex::new(Vec::new()));
    let _guard = tracing::subscriber::set_default(Recorder(Arc::clone(&events)));
    tracing::callsite::rebuild_interest_cache();

    let home = tempfile::tempdir().unwrap();
    let env = Environment::from_map(
        [
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "trace-id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ],
        Some(home.path().to_path_buf()),
    );
    let chain = DefaultCredentialsChain::new(env);
    let creds = chain.provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "default/env");

    let events = events.lock().unwrap().clone();
    assert!(
        events.iter().any(|e| e.starts_with("DEBUG")
            && e.contains("provider=\"default/env\"")
            && e.contains("credentials supplied")),
        "{events:#?}"
    );
    for e in &events {
        assert!(!e.contains(SECRET) && !e.contains(TOKEN), "leak in {e}");
    }
}
