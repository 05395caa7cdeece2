//! `--emulator`: the HBR emulator, started in this process with demo data.

use crate::error::CliError;

/// How many restore jobs the embedded emulator serves: enough for several pages.
pub const DEMO_JOBS: usize = 1_000;

/// A running embedded emulator; it stops when dropped.
pub struct Embedded {
    running: hbr_emulator::RunningEmulator,
}

impl Embedded {
    /// Starts the emulator on 127.0.0.1 (a free port) with its demo data and demo key.
    pub async fn start() -> Result<Self, CliError> {
        let config = hbr_emulator::EmulatorConfig {
            jobs: DEMO_JOBS,
            ..hbr_emulator::EmulatorConfig::default()
        };
        let running = hbr_emulator::start(config)
            .await
            .map_err(|e| CliError::Local(format!("cannot start the embedded emulator: {e}")))?;
        Ok(Self { running })
    }

    /// The base URL, e.g. `http://127.0.0.1:34567`.
    pub fn url(&self) -> String {
        self.running.url()
    }

    /// The demo AccessKey ID.
    pub fn access_key_id(&self) -> &str {
        self.running.access_key_id()
    }

    /// The demo AccessKey secret.
    pub fn access_key_secret(&self) -> &str {
        self.running.access_key_secret()
    }
}
