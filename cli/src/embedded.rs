//! `--emulator`: the HBR emulator, started in this process with demo data.

use crate::error::CliError;

/// A running embedded emulator; it stops when dropped.
pub struct Embedded {
    url: String,
    access_key_id: String,
    access_key_secret: String,
}

impl Embedded {
    /// Starts the emulator on 127.0.0.1 (a free port) with its demo data and demo key.
    pub async fn start() -> Result<Self, CliError> {
        Err(CliError::Local(
            "the embedded emulator is not available yet".into(),
        ))
    }

    /// The base URL, e.g. `http://127.0.0.1:34567`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The demo AccessKey ID.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The demo AccessKey secret.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }
}
