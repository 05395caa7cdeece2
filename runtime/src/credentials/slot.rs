//! The provider a profile describes, kept while the profile stays the same, so that what it
//! caches (assumed role credentials, ECS credentials) survives between calls.

use std::fmt;
use std::sync::Arc;

use futures_util::lock::Mutex;

use super::{Credentials, CredentialsError, ProvideCredentials};

/// One provider and the key (file, profile, content) it was built for.
pub(crate) struct ProviderSlot(Mutex<Option<(String, Arc<dyn ProvideCredentials>)>>);

impl ProviderSlot {
    pub(crate) fn new() -> Self {
        Self(Mutex::new(None))
    }

    /// The provider built for `key`: the kept one when the key is the same, else a new one
    /// from `build` (which replaces it).
    pub(crate) async fn get_or_build(
        &self,
        key: String,
        build: impl FnOnce() -> Result<Arc<dyn ProvideCredentials>, CredentialsError>,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let mut slot = self.0.lock().await;
        if let Some((kept, provider)) = slot.as_ref() {
            if *kept == key {
                return Ok(Arc::clone(provider));
            }
        }
        let provider = build()?;
        *slot = Some((key, Arc::clone(&provider)));
        Ok(provider)
    }
}

impl fmt::Debug for ProviderSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProviderSlot { .. }")
    }
}

/// Credentials from the provider `slot` keeps for `key` (built by `build` when the key is
/// new), reported as `name`, with its errors attributed to `name` (e.g.
/// `cli_profile/ram_role_arn`). Shared by the CLI-profile and INI-file providers.
pub(crate) async fn provide_from(
    slot: &ProviderSlot,
    key: String,
    name: &'static str,
    build: impl FnOnce() -> Result<Arc<dyn ProvideCredentials>, CredentialsError>,
) -> Result<Credentials, CredentialsError> {
    let provider = slot
        .get_or_build(key, build)
        .await
        .map_err(|e| e.attributed_to(name))?;
    let creds = provider
        .provide_credentials()
        .await
        .map_err(|e| e.attributed_to(name))?;
    Ok(creds.with_provider_name(name))
}
