//! `--debug`: requests and responses on stderr, with every secret redacted.
//!
//! Two sources feed stderr: the runtime's own `tracing` events (attempts, HTTP status,
//! request ids, retries) through a `tracing-subscriber` formatter, and the lines this crate
//! writes for each request (action, endpoint, parameters) and response. Both go through a
//! [`Redactor`] that replaces the AccessKey secret and the security token with
//! `** redacted **` wherever they appear; signatures are never handed to either source (the
//! runtime signs after the parameters are printed and does not log what it signs).

use std::io::{self, Write};
use std::sync::{Arc, RwLock};

use hbr_client::credentials::REDACTED;

/// Replaces known secret values with `** redacted **`. Cheap to clone; clones share the set.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    secrets: Arc<RwLock<Vec<String>>>,
}

impl Redactor {
    /// Remembers a value that must never be printed (values shorter than 4 characters are
    /// ignored, to keep the redaction meaningful).
    pub fn add(&self, secret: &str) {
        if secret.len() < 4 {
            return;
        }
        if let Ok(mut secrets) = self.secrets.write() {
            if !secrets.iter().any(|s| s == secret) {
                secrets.push(secret.to_owned());
                // Longest first, so a secret containing another is replaced whole.
                secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
            }
        }
    }

    /// `text` with every known secret replaced.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        if let Ok(secrets) = self.secrets.read() {
            for secret in secrets.iter() {
                if out.contains(secret.as_str()) {
                    out = out.replace(secret.as_str(), REDACTED);
                }
            }
        }
        out
    }

    /// Writes one debug line (redacted) to stderr.
    pub fn line(&self, text: &str) {
        let text = self.redact(text);
        let mut stderr = io::stderr().lock();
        let _ = writeln!(stderr, "{text}");
    }
}

/// A writer for one `tracing` event: buffers it, then redacts it and writes it to stderr
/// when dropped.
pub struct EventWriter {
    redactor: Redactor,
    buffer: Vec<u8>,
}

impl Write for EventWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for EventWriter {
    fn drop(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let text = self.redactor.redact(&String::from_utf8_lossy(&self.buffer));
        let _ = io::stderr().lock().write_all(text.as_bytes());
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Redactor {
    type Writer = EventWriter;

    fn make_writer(&'a self) -> Self::Writer {
        EventWriter {
            redactor: self.clone(),
            buffer: Vec::new(),
        }
    }
}

/// Sends the runtime's `tracing` events at debug level to stderr through `redactor`.
pub fn install(redactor: &Redactor) {
    let filter = tracing_subscriber::EnvFilter::new("hbr_runtime=debug,hbr_client=debug");
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(redactor.clone())
        .with_ansi(false)
        .with_target(false)
        .without_time()
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_replaced() {
        let r = Redactor::default();
        r.add("s3cr3t-value");
        r.add("tok");
        assert_eq!(
            r.redact("a s3cr3t-value b tok"),
            format!("a {REDACTED} b tok")
        );
    }
}
